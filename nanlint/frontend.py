"""The lint path's parse: CPython's AST of a file, converted into the libcst node tree the analysis reads.

The linter already builds CPython's AST of every file (its syntax pre-check, reused by nanlint.screen); libcst's
own parse of the same file costs three to four times as much (issue 17). This module builds, from that AST, libcst
nodes of the same types with the same fields the analysis and the checks read: expressions, statements, blocks,
parameters, arguments, the source text of numbers and strings, and each expression's parentheses (their count;
`code_of` includes them). What CPython's AST does not keep and nothing reads (whitespace, comments, commas, colons)
is left at libcst's defaults, which print as canonical code. Nodes are made without running their dataclass
`__init__`/validation: each field is set directly, with one shared default object per field.

Positions and code text come from a side table (`SourceMap`) instead of libcst's code generation: each node's span
in the source (UTF-8 byte offsets, as CPython gives them; columns are converted to characters, as libcst counts
them), its syntactic range as libcst's PositionProvider reports it (without the node's own parentheses) and its
code as the source text with them. Strings that are not one plain literal (implicit concatenation, f-strings) are
parsed by libcst itself, alone, and positioned by offset.

Anything the converter does not handle (`match` statements, non-ASCII names other than plain variables, source
with lone carriage returns) raises `Unsupported`, and the linter parses the file with libcst instead.
tests/test_frontend.py and bench/frontend_equivalence.py compare the converted tree with libcst's on real code.
Fixes (`--fix`, `--diff`, `--show-fixes`, the language server's quick fixes; see nanlint.parser_choice) and the verifier
keep libcst's own parse: they need the whitespace. `NANLINT_PARSER=libcst` makes the linter use libcst everywhere.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import functools
import importlib
import re
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst
from libcst._position import CodePosition, CodeRange

from nanlint.parse import Positions, code_for_node, parse_module
from nanlint.parser_choice import converting


class Unsupported(Exception):
    """Something the converter does not build: the caller parses the file with libcst instead."""


# -- node construction ---------------------------------------------------------------------------------------
# A libcst node's dataclass __init__ sets every field (whitespace included, from default factories) and runs
# its validation; here one generated function per node type sets the fields through object.__setattr__ with
# shared defaults (nodes are immutable, so sharing a default whitespace or sentinel object is safe).

def _maker(cls: type[cst.CSTNode]) -> Callable[..., Any]:
    names, defaults = [], {}
    for index, field in enumerate(dataclasses.fields(cls)):
        names.append(field.name)
        if field.default is not dataclasses.MISSING:
            defaults[f"_d{index}"] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            defaults[f"_d{index}"] = field.default_factory()
        else:
            defaults[f"_d{index}"] = None
    signature = ", ".join(f"{name}=_d{index}" for index, name in enumerate(names))
    body = "".join(f"    _set(node, {name!r}, {name})\n" for name in names)
    source = f"def make({signature}):\n    node = _new(_cls)\n{body}    return node\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls, **defaults}
    exec(source, namespace)  # noqa: S102 - generated from the dataclass's own field names
    return namespace["make"]


class _Makers(dict[type, Callable[..., Any]]):
    def __missing__(self, cls: type) -> Callable[..., Any]:
        self[cls] = maker = _maker(cls)
        return maker


_MAKE = _Makers()
_LEFT, _RIGHT = cst.LeftParen(), cst.RightParen()
_LPARS = [(_LEFT,) * count for count in range(8)]
_RPARS = [(_RIGHT,) * count for count in range(8)]

_BINARY: dict[type, type[cst.CSTNode]] = {ast.Add: cst.Add, ast.Sub: cst.Subtract, ast.Mult: cst.Multiply, ast.Div: cst.Divide,
           ast.FloorDiv: cst.FloorDivide, ast.Mod: cst.Modulo, ast.Pow: cst.Power, ast.MatMult: cst.MatrixMultiply,
           ast.LShift: cst.LeftShift, ast.RShift: cst.RightShift, ast.BitOr: cst.BitOr, ast.BitAnd: cst.BitAnd,
           ast.BitXor: cst.BitXor}
_AUGMENTED: dict[type, type[cst.CSTNode]] = {ast.Add: cst.AddAssign, ast.Sub: cst.SubtractAssign, ast.Mult: cst.MultiplyAssign,
              ast.Div: cst.DivideAssign, ast.FloorDiv: cst.FloorDivideAssign, ast.Mod: cst.ModuloAssign,
              ast.Pow: cst.PowerAssign, ast.MatMult: cst.MatrixMultiplyAssign, ast.LShift: cst.LeftShiftAssign,
              ast.RShift: cst.RightShiftAssign, ast.BitOr: cst.BitOrAssign, ast.BitAnd: cst.BitAndAssign,
              ast.BitXor: cst.BitXorAssign}
_UNARY: dict[type, type[cst.CSTNode]] = {ast.UAdd: cst.Plus, ast.USub: cst.Minus, ast.Invert: cst.BitInvert, ast.Not: cst.Not}
_COMPARE: dict[type, type[cst.CSTNode]] = {ast.Eq: cst.Equal, ast.NotEq: cst.NotEqual, ast.Lt: cst.LessThan, ast.LtE: cst.LessThanEqual,
            ast.Gt: cst.GreaterThan, ast.GtE: cst.GreaterThanEqual, ast.In: cst.In, ast.NotIn: cst.NotIn,
            ast.Is: cst.Is, ast.IsNot: cst.IsNot}
_BOOLEAN: dict[type, type[cst.CSTNode]] = {ast.And: cst.And, ast.Or: cst.Or}
# Operator nodes hold only whitespace: one shared instance per type.
_BINARY_OPERATORS: dict[type, cst.CSTNode] = {key: value() for key, value in _BINARY.items()}
_AUGMENTED_OPERATORS: dict[type, cst.CSTNode] = {key: value() for key, value in _AUGMENTED.items()}
_OPERATORS: dict[type, cst.CSTNode] = {
    key: value() for table in (_UNARY, _COMPARE, _BOOLEAN) for key, value in table.items()}

# One string literal token (tokenize's patterns): anything else (implicit concatenation) is parsed by libcst.
_STRING = re.compile(
    r"[A-Za-z]{0,2}(?:'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|\"\"\"[^\"\\]*(?:(?:\\.|\"(?!\"\"))[^\"\\]*)*\"\"\""
    r"|'[^\n'\\]*(?:\\.[^\n'\\]*)*'|\"[^\n\"\\]*(?:\\.[^\n\"\\]*)*\")", re.S)
_SPACE = b" \t\f\r\n\\"
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_OPEN, _CLOSE, _HASH, _NEWLINE = ord("("), ord(")"), ord("#"), ord("\n")

Span = tuple[int, int, int, int]  # syntactic start, end; start and end with the node's parentheses (byte offsets)


class SourceMap:
    """Where converted nodes are (libcst's PositionProvider ranges) and their code (the source text). Keyed on
    `id(node)` (libcst's `__hash__` is a Python method, a fifth of the conversion): the module keeps every converted
    node alive as long as the analysis holds both, so no id is reused meanwhile."""

    def __init__(self, text: str, data: bytes, line_starts: list[int], spans: dict[int, Span],
                 parsed: list[tuple[cst.BaseExpression, int]], statements: list[int],
                 strings: list[tuple[int, int]]) -> None:
        self._text, self._data, self._line_starts, self._spans = text, data, line_starts, spans
        self._statements = statements  # where each statement (and decorator) starts
        self._sorted = False
        self._strings = strings  # spans of the strings that hold a line break (kept as they are)
        self._ascii = len(text) == len(data)
        self._parsed = parsed  # (an expression libcst parsed alone, its byte offset)
        self._inside: dict[cst.CSTNode, CodeRange] | None = None

    def position(self, node: cst.CSTNode) -> CodeRange:
        span = self._spans.get(id(node))
        if span is None:
            return self._inside_parsed()[node]
        return CodeRange(self._point(span[0]), self._point(span[1]))

    def code(self, node: cst.CSTNode, module: cst.Module) -> str:
        text = self.source_of(node)
        if text is not None:
            return text
        if node in self._inside_parsed():
            return code_for_node(module, node)
        return _Splicing(self, module).code(node)

    def source_of(self, node: cst.CSTNode) -> str | None:
        span = self._spans.get(id(node))
        if span is None:
            return None
        text = self._data[span[2]:span[3]].decode("utf-8")
        return self._dedented(text, span[2]) if "\n" in text else text

    def _dedented(self, text: str, start: int) -> str:
        """libcst prints a line continued inside brackets without the indentation of the block it is in."""
        if not self._sorted:
            self._statements.sort()
            self._strings.sort()
            self._sorted = True
        statement = self._statements[bisect.bisect_right(self._statements, start) - 1]
        line_start = self._data.rfind(b"\n", 0, statement) + 1
        spaces = self._data[line_start:statement]
        indent = spaces[:len(spaces) - len(spaces.lstrip())].decode("ascii")
        if not indent:
            return text
        lines = text.split("\n")
        strings = self._strings[max(0, bisect.bisect_left(self._strings, (start, -1)) - 1):]
        offset = start + len(lines[0].encode("utf-8")) + 1
        kept = [lines[0]]
        for previous, line in zip(lines, lines[1:]):
            # kept: lines inside a string, and lines continued with a backslash (not in brackets)
            inside = previous.endswith("\\") or any(begin < offset < end for begin, end in strings if begin < offset)
            kept.append(line[len(indent):] if line.startswith(indent) and not inside else line)
            offset += len(line.encode("utf-8")) + 1
        return "\n".join(kept)

    def _point(self, offset: int) -> CodePosition:
        line = bisect.bisect_right(self._line_starts, offset)
        start = self._line_starts[line - 1]
        column = offset - start if self._ascii else len(self._data[start:offset].decode("utf-8"))
        return CodePosition(line, column)

    def _inside_parsed(self) -> dict[cst.CSTNode, CodeRange]:
        """Positions of the nodes of the expressions libcst parsed alone, shifted to where they are."""
        if self._inside is None:
            self._inside = {}
            for expression, offset in self._parsed:
                origin = self._point(offset)
                # printed without the parentheses the converter gave it (they are in the source before `offset`)
                bare = expression.with_changes(lpar=(), rpar=())
                wrapper = cst.Module(body=[cst.SimpleStatementLine([cst.Expr(bare)])])
                for node, where in Positions(wrapper).all().items():
                    self._inside[expression if node is bare else node] = CodeRange(
                        _shift(where.start, origin), _shift(where.end, origin))
        return self._inside


def _shift(position: CodePosition, origin: CodePosition) -> CodePosition:
    if position.line == 1:
        return CodePosition(origin.line, origin.column + position.column)
    return CodePosition(origin.line + position.line - 1, position.column)


class _Splicing:
    """libcst code generation of a node built after the parse (a fix's `call.with_changes(...)`), printing every
    converted node inside it as its source text (so its own spacing and parentheses are kept)."""

    def __init__(self, source: SourceMap, module: cst.Module) -> None:
        self.source, self.module = source, module

    def code(self, node: cst.CSTNode) -> str:
        from libcst._nodes.internal import CodegenState

        source = self.source

        class State(CodegenState):
            muted = 0

            def before_codegen(self, child: cst.CSTNode) -> None:
                if self.muted:
                    self.muted += 1
                    return
                # a node that prints its own comma is printed by libcst (its comma's spacing is the default)
                text = None if _has_comma(type(child)) else source.source_of(child)
                if text is not None:
                    self.tokens.append(text)
                    self.muted = 1

            def after_codegen(self, child: cst.CSTNode) -> None:
                if self.muted:
                    self.muted -= 1

            def add_token(self, value: str) -> None:
                if not self.muted:
                    self.tokens.append(value)

            def add_indent_tokens(self) -> None:
                if not self.muted:
                    self.tokens.extend(self.indent_tokens)

        state = State(default_indent=self.module.default_indent, default_newline=self.module.default_newline)
        node._codegen(state)
        return "".join(state.tokens)


_COMMA_FIELD: dict[type, bool] = {}


def _has_comma(node_type: type) -> bool:
    if node_type not in _COMMA_FIELD:
        _COMMA_FIELD[node_type] = any(field.name == "comma" for field in dataclasses.fields(node_type))
    return _COMMA_FIELD[node_type]


def _comment_start(line: str, line_start: int, newline: int) -> int:
    """Where `line`'s comment starts (its byte offset), strings skipped; `newline` when it has none."""
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 1
            elif line.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "'\"":
            quote = line[index:index + 3] if line[index:index + 3] in ("'\'\'", '"\"\"') else char
            index += len(quote) - 1
        elif char == "#":
            return line_start + len(line[:index].encode("utf-8"))
        index += 1
    if quote:  # the line ends inside a string: a multi-line string, not followed here
        raise Unsupported("comment after a string")
    return newline


def parsed(text: str) -> tuple[cst.Module, SourceMap | None]:
    """The tree the analysis reads for `text`, converted where it can be, else libcst's (the project-wide
    summaries' parse; the linter's own goes through its syntax pre-check). Raises libcst's errors."""
    if converting():
        try:
            tree = compile(text, "<summary>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        converted = None if tree is None else convert_or_none(tree, text)  # type: ignore[arg-type]
        if converted is not None:
            return converted
    return parse_module(text), None


def convert_or_none(tree: ast.Module, text: str) -> tuple[cst.Module, SourceMap] | None:
    """`convert`, or None where it cannot: the caller parses with libcst. Any exception counts as "cannot" (a
    converter bug must cost speed, never a file), deep nesting included (the converter recurses per level)."""
    try:
        return convert(tree, text)
    except Exception:
        return None


def convert(tree: ast.Module, text: str) -> tuple[cst.Module, SourceMap]:
    """The libcst tree the analysis reads, and where its nodes are, from CPython's AST of `text`."""
    if "\r" in text.replace("\r\n", ""):  # a lone CR ends a line for libcst's positions, not for CPython's
        raise Unsupported("carriage return")
    return _Converter(text).module(tree)


@functools.cache
def _parse_expression() -> Callable[[str], cst.BaseExpression]:
    """`libcst.parse_expression`, for a str. libcst's entry point hands a str unchanged to its native parser
    (libcst._parser.entrypoints._parse), but importing the entry point imports libcst's Python tokenizer and parser
    configuration too: 12 ms of linting a file that has an f-string (nanlint.lazy_libcst defers that import). The
    native parser is called directly; where a libcst has none, its entry point."""
    try:
        native = importlib.import_module("libcst.native")  # a compiled module, without type stubs
    except ImportError:
        return cst.parse_expression
    parse: Callable[[str], cst.BaseExpression] | None = getattr(native, "parse_expression", None)
    return cst.parse_expression if parse is None else parse


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.data = data = text.encode("utf-8")
        starts = [0]
        find = data.find
        position = find(b"\n")
        while position >= 0:
            starts.append(position + 1)
            position = find(b"\n", position + 1)
        self.line_starts = starts
        self.spans: dict[int, Span] = {}
        self.parsed: list[tuple[cst.BaseExpression, int]] = []
        self.statement_starts: list[int] = []
        self.multiline_strings: list[tuple[int, int]] = []  # in source order

    def module(self, tree: ast.Module) -> tuple[cst.Module, SourceMap]:
        body = self.statements(tree.body)
        module = _MAKE[cst.Module](body=body, has_trailing_newline=self.text.endswith("\n"))
        return module, SourceMap(self.text, self.data, self.line_starts, self.spans, self.parsed,
                                 self.statement_starts, self.multiline_strings)

    # -- offsets and parentheses -------------------------------------------------------------------------------
    def start(self, node: Any) -> int:
        """Where a located AST node (expression, statement, argument, keyword, alias) starts."""
        return self.line_starts[node.lineno - 1] + node.col_offset

    def end(self, node: Any) -> int:
        return self.line_starts[node.end_lineno - 1] + node.end_col_offset

    def parens(self, start: int, end: int, low: int) -> tuple[int, int, int]:
        """How many parentheses enclose [start, end) (at most back to `low`), and the span with them."""
        before = start - 1
        if before < low or self.data[before] not in b"( \t\f\r\n\\":
            return 0, start, end
        opens = self._opening(before, low)
        if not opens:
            return 0, start, end
        closes = self._closing(end, len(opens))
        count = len(closes)
        if not count:
            return 0, start, end
        return count, opens[count - 1], closes[count - 1] + 1

    def _opening(self, position: int, low: int) -> list[int]:
        """The `(` right before `position` (whitespace and comments between), innermost first."""
        data, opens = self.data, []
        while position >= low:
            byte = data[position]
            if byte == _OPEN:
                opens.append(position)
            elif byte == _NEWLINE:
                position = self._before_comment(position)
            elif byte not in _SPACE:
                break
            position -= 1
        return opens

    def _closing(self, position: int, most: int) -> list[int]:
        """The `)` right after `position`, at most `most` of them."""
        data, size = self.data, len(self.data)
        closes: list[int] = []
        while position < size and len(closes) < most:
            byte = data[position]
            if byte == _CLOSE:
                closes.append(position)
            elif byte == _HASH:
                position = data.find(b"\n", position)
                if position < 0:
                    break
            elif byte not in _SPACE:
                break
            position += 1
        return closes

    def _before_comment(self, newline: int) -> int:
        """`newline` ends a line; where scanning backwards continues: before that line's comment, if any."""
        line_start = self.data.rfind(b"\n", 0, newline) + 1
        hash_at = self.data.find(b"#", line_start, newline)
        if hash_at < 0:
            return newline
        if b"'" not in self.data[line_start:hash_at] and b'"' not in self.data[line_start:hash_at]:
            return hash_at
        return _comment_start(self.data[line_start:newline].decode("utf-8", "replace"), line_start, newline)

    def skip_space(self, position: int) -> int:
        data, size = self.data, len(self.data)
        while position < size:
            byte = data[position]
            if byte == _HASH:
                position = data.find(b"\n", position)
                if position < 0:
                    return size
            elif byte not in _SPACE:
                return position
            position += 1
        return position

    def name(self, value: str, start: int) -> cst.Name:
        if value.isascii():
            end = start + len(value)
        else:  # CPython's AST holds the NFKC form; libcst keeps the source's spelling
            spelled = _IDENTIFIER.match(self.data[start:start + 4 * len(value) + 8].decode("utf-8", "ignore"))
            if spelled is None:
                raise Unsupported("non-ASCII name")
            value = spelled.group()
            end = start + len(value.encode("utf-8"))
        node = _MAKE[cst.Name](value=value)
        self.spans[id(node)] = (start, end, start, end)
        return node

    def dotted(self, value: str, start: int) -> cst.Name | cst.Attribute:
        """`a.b.c` as libcst spells a module name (no spaces inside, as nearly all code writes it)."""
        parts = value.split(".")
        result: cst.Name | cst.Attribute = self.name(parts[0], start)
        position = start + len(parts[0])
        for part in parts[1:]:
            position = self.skip_space(self.skip_space(position) + 1)
            attr = self.name(part, position)
            position += len(part)
            result = _MAKE[cst.Attribute](value=result, attr=attr)
            self.spans[id(result)] = (start, position, start, position)
        if self.data[start:position].decode("ascii") != value:
            raise Unsupported("spaced dotted name")
        return result

    # -- expressions -------------------------------------------------------------------------------------------
    def expr(self, node: ast.expr, low: int) -> Any:
        """Convert `node`; its parentheses are counted back to `low` (where the parent's own syntax ends)."""
        start, end = self.start(node), self.end(node)
        build = _EXPRESSIONS.get(type(node))
        if build is None:
            raise Unsupported(type(node).__name__)
        count, outer_start, outer_end = self.parens(start, end, low)
        result, start, end, count = build(self, node, start, end, count)
        if count or type(result) in _PARENTHESIZED_BY_DEFAULT:
            object.__setattr__(result, "lpar", _LPARS[count] if count < 8 else (_LEFT,) * count)
            object.__setattr__(result, "rpar", _RPARS[count] if count < 8 else (_RIGHT,) * count)
        self.spans[id(result)] = (start, end, outer_start if count else start, outer_end if count else end)
        return result

    def optional(self, node: ast.expr | None, low: int) -> Any:
        return None if node is None else self.expr(node, low)

    def _name(self, node: ast.Name, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        value = node.id if node.id.isascii() else self.data[start:end].decode("utf-8")
        return _MAKE[cst.Name](value=value), start, end, count

    def _constant(self, node: ast.Constant, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        value = node.value
        if isinstance(value, (str, bytes)):
            spelled = self.data[start:end].decode("utf-8")
            if _STRING.fullmatch(spelled):
                if "\n" in spelled:  # one token over several lines: `code_of` keeps its lines as they are
                    self.multiline_strings.append((start, end))
                return _MAKE[cst.SimpleString](value=spelled), start, end, count
            return self._parsed_alone(spelled, start, end, count)
        if value is None or value is True or value is False:
            return _MAKE[cst.Name](value=str(value)), start, end, count
        if value is ...:
            return _MAKE[cst.Ellipsis](), start, end, count
        spelled = self.data[start:end].decode("ascii")
        kind = cst.Integer if isinstance(value, int) else cst.Float if isinstance(value, float) else cst.Imaginary
        return _MAKE[kind](value=spelled), start, end, count

    def _joined(self, node: ast.JoinedStr, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        return self._parsed_alone(self.data[start:end].decode("utf-8"), start, end, count)

    def note_lines(self, expression: cst.BaseExpression, start: int) -> None:
        """Remember the string tokens of `expression` (at `start`) that hold a line break: `code_of` keeps their
        lines as they are (the lines between implicitly concatenated strings are only continued lines)."""
        position = start
        pending = [expression]
        while pending:
            node = pending.pop()
            if isinstance(node, cst.ConcatenatedString):
                pending.extend((node.right, node.left))
                continue
            token = node.value if isinstance(node, cst.SimpleString) else cst.Module([]).code_for_node(node)
            spelled = token.encode("utf-8")
            position = self.data.find(spelled, position)
            if position < 0:
                raise Unsupported("string token")
            if b"\n" in spelled:
                self.multiline_strings.append((position, position + len(spelled)))
            position += len(spelled)

    def _parsed_alone(self, spelled: str, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        """f-strings and implicitly concatenated strings: libcst parses their text (short; in half of keras-io)."""
        try:  # parenthesized, as a string continued on the next line may need
            expression = _parse_expression()(f"({spelled})")
        except cst.ParserSyntaxError:
            raise Unsupported("string libcst cannot parse alone") from None
        object.__setattr__(expression, "lpar", ())
        object.__setattr__(expression, "rpar", ())
        if "\n" in spelled:
            self.note_lines(expression, start)
        self.parsed.append((expression, start))
        return expression, start, end, count

    def _attribute(self, node: ast.Attribute, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        value = self.expr(node.value, start)
        attr_start = end - len(node.attr) if node.attr.isascii() else self.skip_space(self.data.rfind(b".", 0, end) + 1)
        attr = self.name(node.attr, attr_start)
        return _MAKE[cst.Attribute](value=value, attr=attr), start, end, count

    def _call(self, node: ast.Call, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        func = self.expr(node.func, start)
        opening = self.skip_space(self.spans[id(func)][3])
        items: list[tuple[int, ast.expr | ast.keyword]] = [(self.start(arg), arg) for arg in node.args]
        items.extend((self.start(keyword), keyword) for keyword in node.keywords)
        if len(items) > 1 and node.keywords:
            items.sort(key=lambda item: item[0])
        args = [self.argument(item, position, opening + 1, opening) for position, item in items]
        return _MAKE[cst.Call](func=func, args=args), start, end, count

    def argument(self, item: ast.expr | ast.keyword, position: int, low: int, opening: int) -> cst.Arg:
        if isinstance(item, ast.keyword):
            value = self.expr(item.value, position)
            if item.arg is None:
                arg = _MAKE[cst.Arg](value=value, star="**")
            else:
                arg = _MAKE[cst.Arg](value=value, keyword=self.name(item.arg, position), equal=_EQUAL)
            end = self.end(item)
            self.spans[id(arg)] = (position, end, position, end)
            return arg
        if isinstance(item, ast.Starred):
            value = self.expr(item.value, position)
            arg = _MAKE[cst.Arg](value=value, star="*")
            end = self.end(item)
            self.spans[id(arg)] = (position, end, position, end)
            return arg
        if isinstance(item, ast.GeneratorExp) and position == opening:  # f(x for x in y): the call's parentheses
            value = self.generator(item, position)
        else:
            value = self.expr(item, low)
        start, end = self.spans[id(value)][2:]
        arg = _MAKE[cst.Arg](value=value)
        self.spans[id(arg)] = (start, end, start, end)
        return arg

    def generator(self, node: ast.GeneratorExp, start: int) -> cst.GeneratorExp:
        inner_start = self.skip_space(start + 1)
        elt = self.expr(node.elt, inner_start)
        result = _MAKE[cst.GeneratorExp](elt=elt, for_in=self.comprehension(node.generators, inner_start), lpar=(),
                                         rpar=())
        last = result.for_in
        while last.inner_for_in is not None:
            last = last.inner_for_in
        inner_end = self.spans[id(last.ifs[-1].test if last.ifs else last.iter)][3]  # a comment may follow
        self.spans[id(result)] = (inner_start, inner_end, inner_start, inner_end)  # the caller adds its parentheses
        return result

    def before_space(self, position: int) -> int:
        """The end of the code before `position` (whitespace skipped backwards; no comments expected)."""
        data = self.data
        while position > 0 and data[position - 1] in _SPACE:
            position -= 1
        return position

    def _generator(self, node: ast.GeneratorExp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        result = self.generator(node, start)
        inner_start, inner_end = self.spans[id(result)][:2]
        return result, inner_start, inner_end, count + 1

    def comprehension(self, generators: list[ast.comprehension], low: int) -> cst.CompFor:
        result: cst.CompFor | None = None
        for generator in reversed(generators):
            target = self.expr(generator.target, low)
            iterator = self.expr(generator.iter, low)
            ifs = [self._comp_if(test, low) for test in generator.ifs]
            result = _MAKE[cst.CompFor](target=target, iter=iterator, ifs=ifs, inner_for_in=result,
                                        asynchronous=_ASYNC if generator.is_async else None)
        assert result is not None
        return result

    def _comp_if(self, test: ast.expr, low: int) -> cst.CompIf:
        return _MAKE[cst.CompIf](test=self.expr(test, low))

    def _list_comp(self, node: ast.ListComp | ast.SetComp, start: int, end: int, count: int
                   ) -> tuple[Any, int, int, int]:
        kind = cst.ListComp if isinstance(node, ast.ListComp) else cst.SetComp
        result = _MAKE[kind](elt=self.expr(node.elt, start + 1), for_in=self.comprehension(node.generators, start + 1))
        return result, start, end, count

    def _dict_comp(self, node: ast.DictComp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        result = _MAKE[cst.DictComp](key=self.expr(node.key, start + 1), value=self.expr(node.value, start + 1),
                                     for_in=self.comprehension(node.generators, start + 1))
        return result, start, end, count

    def _binary(self, node: ast.BinOp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        left = self.expr(node.left, start)
        right = self.expr(node.right, start)
        result = _MAKE[cst.BinaryOperation](left=left, operator=_BINARY_OPERATORS[type(node.op)], right=right)
        return result, start, end, count

    def _unary(self, node: ast.UnaryOp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        result = _MAKE[cst.UnaryOperation](operator=_OPERATORS[type(node.op)], expression=self.expr(node.operand, start))
        return result, start, end, count

    def _boolean(self, node: ast.BoolOp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        operator = _OPERATORS[type(node.op)]
        values = [self.expr(value, start) for value in node.values]
        result = values[0]
        for value in values[1:]:  # libcst nests `a and b and c` to the left
            result = _MAKE[cst.BooleanOperation](left=result, operator=operator, right=value)
            self.spans[id(result)] = (start, self.spans[id(value)][3], start, self.spans[id(value)][3])
        return result, start, end, count

    def _compare(self, node: ast.Compare, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        left = self.expr(node.left, start)
        targets = []
        for operator, comparator in zip(node.ops, node.comparators):
            value = self.expr(comparator, start)
            target = _MAKE[cst.ComparisonTarget](operator=_OPERATORS[type(operator)], comparator=value)
            targets.append(target)
        return _MAKE[cst.Comparison](left=left, comparisons=targets), start, end, count

    def _if_exp(self, node: ast.IfExp, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        result = _MAKE[cst.IfExp](test=self.expr(node.test, start), body=self.expr(node.body, start),
                                  orelse=self.expr(node.orelse, start))
        return result, start, end, count

    def _lambda(self, node: ast.Lambda, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        params = self.parameters(node.args, start)
        return _MAKE[cst.Lambda](params=params, body=self.expr(node.body, start)), start, end, count

    def _named(self, node: ast.NamedExpr, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        result = _MAKE[cst.NamedExpr](target=self.expr(node.target, start), value=self.expr(node.value, start))
        return result, start, end, count

    def _await(self, node: ast.Await, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        return _MAKE[cst.Await](expression=self.expr(node.value, start)), start, end, count

    def _yield(self, node: ast.Yield | ast.YieldFrom, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        value: Any = self.optional(node.value, start)
        if isinstance(node, ast.YieldFrom):
            value = _MAKE[cst.From](item=value)
        return _MAKE[cst.Yield](value=value), start, end, count

    def _starred(self, node: ast.Starred, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        return _MAKE[cst.StarredElement](value=self.expr(node.value, start)), start, end, count

    def elements(self, nodes: list[ast.expr], low: int) -> list[Any]:
        result = []
        for node in nodes:
            value = self.expr(node, low)
            if isinstance(value, cst.StarredElement):
                result.append(value)
            else:
                element = _MAKE[cst.Element](value=value)
                self.spans[id(element)] = self.spans[id(value)]
                result.append(element)
        return result

    def _list(self, node: ast.List | ast.Set, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        kind = cst.List if isinstance(node, ast.List) else cst.Set
        return _MAKE[kind](elements=self.elements(node.elts, start + 1)), start, end, count

    def _tuple(self, node: ast.Tuple, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        if self.parenthesized(node, start):
            elements = self.elements(node.elts, start + 1)
            inner_start, inner_end = self.skip_space(start + 1), self.before_space(end - 1)
            if elements:  # up to the last element and its comma: a comment before `)` is not the tuple's
                inner_end = self.spans[id(elements[-1])][3]
                after = self.skip_space(inner_end)
                inner_end = after + 1 if self.data[after] == ord(",") else inner_end
            return _MAKE[cst.Tuple](elements=elements), inner_start, inner_end, count + 1
        return _MAKE[cst.Tuple](elements=self.elements(node.elts, start)), start, end, count

    def parenthesized(self, node: ast.Tuple, start: int) -> bool:
        """Whether the tuple's own span starts with its parenthesis (not its first element's)."""
        if not node.elts:
            return True
        first = node.elts[0]
        first_start = self.start(first)
        if first_start == start:
            return False
        lefts = self.data.count(b"(", start, first_start)
        rights, position, size = 0, self.end(first), len(self.data)
        while position < size:
            position = self.skip_space(position)
            if position < size and self.data[position] == _CLOSE:
                rights += 1
                position += 1
            else:
                break
        return lefts > rights

    def _dict(self, node: ast.Dict, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        elements: list[Any] = []
        for key, value in zip(node.keys, node.values):
            converted = self.expr(value, start + 1)
            if key is None:
                element = _MAKE[cst.StarredDictElement](value=converted)
            else:
                element = _MAKE[cst.DictElement](key=self.expr(key, start + 1), value=converted)
            elements.append(element)
        return _MAKE[cst.Dict](elements=elements), start, end, count

    def _subscript(self, node: ast.Subscript, start: int, end: int, count: int) -> tuple[Any, int, int, int]:
        value = self.expr(node.value, start)
        index = node.slice
        low = self.skip_space(self.spans[id(value)][3]) + 1
        if isinstance(index, ast.Tuple) and index.elts and not self.parenthesized(index, self.start(index)):
            elements = [self.subscript_element(item, low) for item in index.elts]
        else:
            elements = [self.subscript_element(index, low)]
        return _MAKE[cst.Subscript](value=value, slice=elements), start, end, count

    def subscript_element(self, node: ast.expr, low: int) -> cst.SubscriptElement:
        if isinstance(node, ast.Slice):
            start = self.start(node)
            inner: Any = _MAKE[cst.Slice](lower=self.optional(node.lower, start), upper=self.optional(node.upper, start),
                                          step=self.optional(node.step, start))
            span = (start, self.end(node), start, self.end(node))
        elif isinstance(node, ast.Starred):
            value = self.expr(node.value, self.start(node))
            inner = _MAKE[cst.Index](value=value, star="*")
            span = (self.start(node), self.end(node), self.start(node), self.end(node))
        else:
            value = self.expr(node, low)
            inner = _MAKE[cst.Index](value=value)
            span = self.spans[id(value)]
        self.spans[id(inner)] = span
        element = _MAKE[cst.SubscriptElement](slice=inner)
        self.spans[id(element)] = span
        return element

    # -- parameters --------------------------------------------------------------------------------------------
    def parameters(self, arguments: ast.arguments, low: int) -> cst.Parameters:
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
        defaults.extend(arguments.defaults)
        params = [self.param(arg, default, "") for arg, default in zip(positional, defaults)]
        posonly = params[:len(arguments.posonlyargs)]
        star_arg: Any = cst.MaybeSentinel.DEFAULT
        if arguments.vararg is not None:
            star_arg = self.param(arguments.vararg, None, "*")
        elif arguments.kwonlyargs:
            star_arg = _MAKE[cst.ParamStar]()
        kwonly = [self.param(arg, default, "") for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)]
        star_kwarg = None if arguments.kwarg is None else self.param(arguments.kwarg, None, "**")
        return _MAKE[cst.Parameters](
            params=params[len(posonly):], posonly_params=posonly, star_arg=star_arg, kwonly_params=kwonly,
            star_kwarg=star_kwarg, posonly_ind=_MAKE[cst.ParamSlash]() if posonly else cst.MaybeSentinel.DEFAULT)

    def param(self, arg: ast.arg, default: ast.expr | None, star: str) -> cst.Param:
        start = self.start(arg)
        annotation = None
        if arg.annotation is not None:
            annotation = self.annotation(arg.annotation, start)
        converted = None if default is None else self.expr(default, start)
        param = _MAKE[cst.Param](name=self.name(arg.arg, start), annotation=annotation, default=converted,
                                 equal=_EQUAL if default is not None else cst.MaybeSentinel.DEFAULT, star=star)
        end = self.spans[id(converted)][3] if converted is not None else self.end(arg)
        self.spans[id(param)] = (start, end, start, end)
        return param

    def annotation(self, node: ast.expr, low: int) -> cst.Annotation:
        value = self.expr(node, low)
        result = _MAKE[cst.Annotation](annotation=value)
        self.spans[id(result)] = self.spans[id(value)]
        return result

    # -- statements --------------------------------------------------------------------------------------------
    def statements(self, nodes: Sequence[ast.stmt]) -> list[Any]:
        """Compound statements as they are; simple ones grouped per line (`a = 1; b = 2` is one line)."""
        result: list[Any] = []
        line: list[Any] = []
        last_end_line = -1
        for node in nodes:
            build = _SIMPLE.get(type(node))
            if build is None:
                if line:
                    result.append(self.line(line))
                    line = []
                result.append(self.compound(node))
                continue
            if line and node.lineno != last_end_line:
                result.append(self.line(line))
                line = []
            small = build(self, node, self.start(node))
            self.spans[id(small)] = (start := self.start(node), end := self.end(node), start, end)
            line.append(small)
            last_end_line = node.end_lineno  # type: ignore[assignment]
        if line:
            result.append(self.line(line))
        return result

    def line(self, body: list[Any]) -> cst.SimpleStatementLine:
        node = _MAKE[cst.SimpleStatementLine](body=body)
        start, end = self.spans[id(body[0])][0], self.spans[id(body[-1])][1]
        self.spans[id(node)] = (start, end, start, end)
        self.statement_starts.append(start)
        return node

    def block(self, nodes: list[ast.stmt]) -> Any:
        """An indented block, or the statements after the colon on the same line (`if x: return y`): the first
        statement of an indented block starts its line."""
        first_start = self.start(nodes[0])
        if not self.data[self.data.rfind(b"\n", 0, first_start) + 1:first_start].strip():
            body = self.statements(nodes)
            result = _MAKE[cst.IndentedBlock](body=body)
        else:
            body = self.statements(nodes)
            if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
                raise Unsupported("compound statement after a colon")
            result = _MAKE[cst.SimpleStatementSuite](body=body[0].body)
        start, end = self.spans[id(body[0])][0], self.spans[id(body[-1])][1]
        self.spans[id(result)] = (start, end, start, end)
        return result

    def compound(self, node: ast.stmt) -> Any:
        build = _COMPOUND.get(type(node))
        if build is None:
            raise Unsupported(type(node).__name__)
        start, end = self.start(node), self.end(node)
        self.statement_starts.append(start)
        result = build(self, node)
        self.spans[id(result)] = (start, end, start, end)
        return result

    def _expr_statement(self, node: ast.Expr, low: int) -> Any:
        return _MAKE[cst.Expr](value=self.expr(node.value, low))

    def _assign(self, node: ast.Assign, low: int) -> Any:
        targets = []
        for target in node.targets:
            converted = self.expr(target, low)
            targets.append(assign_target := _MAKE[cst.AssignTarget](target=converted))
            self.spans[id(assign_target)] = self.spans[id(converted)]
        return _MAKE[cst.Assign](targets=targets, value=self.expr(node.value, low))

    def _ann_assign(self, node: ast.AnnAssign, low: int) -> Any:
        target = self.expr(node.target, low)
        annotation = self.annotation(node.annotation, low)
        return _MAKE[cst.AnnAssign](target=target, annotation=annotation, value=self.optional(node.value, low),
                                    equal=_EQUAL if node.value is not None else cst.MaybeSentinel.DEFAULT)

    def _aug_assign(self, node: ast.AugAssign, low: int) -> Any:
        return _MAKE[cst.AugAssign](target=self.expr(node.target, low), operator=_AUGMENTED_OPERATORS[type(node.op)],
                                    value=self.expr(node.value, low))

    def _return(self, node: ast.Return, low: int) -> Any:
        return _MAKE[cst.Return](value=self.optional(node.value, low))

    def _delete(self, node: ast.Delete, low: int) -> Any:
        if len(node.targets) == 1:
            return _MAKE[cst.Del](target=self.expr(node.targets[0], low))
        elements = self.elements(node.targets, low)
        target = _MAKE[cst.Tuple](elements=elements, lpar=(), rpar=())
        start, end = self.spans[id(elements[0])][2], self.spans[id(elements[-1])][3]
        self.spans[id(target)] = (start, end, start, end)
        return _MAKE[cst.Del](target=target)

    def _raise(self, node: ast.Raise, low: int) -> Any:
        cause = None if node.cause is None else _MAKE[cst.From](item=self.expr(node.cause, low))
        return _MAKE[cst.Raise](exc=self.optional(node.exc, low), cause=cause)

    def _assert(self, node: ast.Assert, low: int) -> Any:
        return _MAKE[cst.Assert](test=self.expr(node.test, low), msg=self.optional(node.msg, low))

    def _global(self, node: ast.Global | ast.Nonlocal, low: int) -> Any:
        names, position = [], low + (6 if isinstance(node, ast.Global) else 8)
        for value in node.names:
            found = re.compile(rb"\b%s\b" % re.escape(value.encode("utf-8"))).search(self.data, position)
            if found is None:
                raise Unsupported("declared name")
            position = found.start()
            names.append(_MAKE[cst.NameItem](name=self.name(value, position)))
            position += len(value)
        return _MAKE[cst.Global if isinstance(node, ast.Global) else cst.Nonlocal](names=names)

    def _import(self, node: ast.Import, low: int) -> Any:
        return _MAKE[cst.Import](names=[self.alias(alias) for alias in node.names])

    def _import_from(self, node: ast.ImportFrom, low: int) -> Any:
        module = None
        position = self.skip_space(low + 4)  # after `from`
        while self.data[position] in b". \t\\\n":
            position += 1
        if node.module is not None:
            module = self.dotted(node.module, position)
            position = self.spans[id(module)][1]
        if len(node.names) == 1 and node.names[0].name == "*":
            names: Any = _MAKE[cst.ImportStar]()
        else:
            names = [self.alias(alias) for alias in node.names]
        parenthesized = self.data[self.skip_space(self.skip_space(position) + 6)] == _OPEN  # after `import`
        return _MAKE[cst.ImportFrom](module=module, names=names, relative=[_DOT] * (node.level or 0),
                                     lpar=_LEFT if parenthesized else None, rpar=_RIGHT if parenthesized else None)

    def alias(self, alias: ast.alias) -> cst.ImportAlias:
        start = self.start(alias)
        asname = None
        if alias.asname is not None:
            end = self.end(alias)
            asname = _MAKE[cst.AsName](name=self.name(alias.asname, end - len(alias.asname)))
        result = _MAKE[cst.ImportAlias](name=self.dotted(alias.name, start), asname=asname)
        self.spans[id(result)] = (start, self.end(alias), start, self.end(alias))
        return result

    def _pass(self, node: ast.stmt, low: int) -> Any:
        return _MAKE[_KEYWORD_STATEMENTS[type(node)]]()

    # compound statements
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Any:
        start = self.start(node)
        decorators = [self.decorator(decorator) for decorator in node.decorator_list]
        asynchronous = _ASYNC if isinstance(node, ast.AsyncFunctionDef) else None
        name_at = self.skip_space(self.data.index(b"def", start) + 3)
        name = self.name(node.name, name_at)
        params = self.parameters(node.args, name_at)
        returns = None if node.returns is None else self.annotation(node.returns, name_at)
        body = self.block(node.body)
        return _MAKE[cst.FunctionDef](name=name, params=params, body=body, decorators=decorators, returns=returns,
                                      asynchronous=asynchronous)

    def decorator(self, node: ast.expr) -> cst.Decorator:
        start = self.start(node)
        at = self.data.rfind(b"@", 0, start)
        self.statement_starts.append(at)
        value = self.expr(node, at + 1)
        result = _MAKE[cst.Decorator](decorator=value)
        self.spans[id(result)] = (at, self.spans[id(value)][3], at, self.spans[id(value)][3])
        return result

    def _class(self, node: ast.ClassDef) -> Any:
        start = self.start(node)
        decorators = [self.decorator(decorator) for decorator in node.decorator_list]
        name_at = self.skip_space(self.data.index(b"class", start) + 5)
        name = self.name(node.name, name_at)
        after = self.spans[id(name)][1]
        items: list[tuple[int, ast.expr | ast.keyword]] = [(self.start(base), base) for base in node.bases]
        items.extend((self.start(keyword), keyword) for keyword in node.keywords)
        items.sort(key=lambda item: item[0])
        opening = self.skip_space(after)
        arguments = [self.argument(item, position, opening + 1, -1) for position, item in items]
        bases = [arg for arg in arguments if arg.keyword is None and arg.star != "**"]
        keywords = [arg for arg in arguments if arg.keyword is not None or arg.star == "**"]
        body = self.block(node.body)
        parenthesized = self.data[opening] == _OPEN
        return _MAKE[cst.ClassDef](name=name, body=body, bases=bases, keywords=keywords, decorators=decorators,
                                   lpar=_LEFT if parenthesized else cst.MaybeSentinel.DEFAULT,
                                   rpar=_RIGHT if parenthesized else cst.MaybeSentinel.DEFAULT)

    def _if(self, node: ast.If) -> Any:
        start = self.start(node)
        test = self.expr(node.test, start)
        body = self.block(node.body)
        orelse = None
        if node.orelse:
            first = node.orelse[0]
            if isinstance(first, ast.If) and len(node.orelse) == 1 and self.data.startswith(b"elif", self.start(first)):
                orelse = self.compound(first)
            else:
                orelse = self.else_block(node.orelse, self.spans[id(body)][1])
        return _MAKE[cst.If](test=test, body=body, orelse=orelse)

    def else_block(self, nodes: list[ast.stmt], after: int) -> Any:
        keyword = self.skip_space(after)
        if not self.data.startswith(b"else", keyword):
            raise Unsupported("else")
        body = self.block(nodes)
        result = _MAKE[cst.Else](body=body)
        self.spans[id(result)] = (keyword, self.spans[id(body)][1], keyword, self.spans[id(body)][1])
        return result

    def _for(self, node: ast.For | ast.AsyncFor) -> Any:
        start = self.start(node)
        target = self.expr(node.target, start)
        iterator = self.expr(node.iter, start)
        body = self.block(node.body)
        orelse = self.else_block(node.orelse, self.spans[id(body)][1]) if node.orelse else None
        return _MAKE[cst.For](target=target, iter=iterator, body=body, orelse=orelse,
                              asynchronous=_ASYNC if isinstance(node, ast.AsyncFor) else None)

    def _while(self, node: ast.While) -> Any:
        test = self.expr(node.test, self.start(node))
        body = self.block(node.body)
        orelse = self.else_block(node.orelse, self.spans[id(body)][1]) if node.orelse else None
        return _MAKE[cst.While](test=test, body=body, orelse=orelse)

    def _with(self, node: ast.With | ast.AsyncWith) -> Any:
        start = self.start(node)
        items, after = [], start
        for item in node.items:
            value = self.expr(item.context_expr, start)
            asname = None
            after = self.spans[id(value)][3]
            if item.optional_vars is not None:
                target = self.expr(item.optional_vars, after)
                asname = _MAKE[cst.AsName](name=target)
                after = self.spans[id(target)][3]
            with_item = _MAKE[cst.WithItem](item=value, asname=asname)
            self.spans[id(with_item)] = (self.spans[id(value)][2], after, self.spans[id(value)][2], after)
            items.append(with_item)
        body = self.block(node.body)
        # `with (a as b, c):` (3.9): the parenthesis is the statement's, not the first item's
        keyword = self.data.index(b"with", start) + 4
        parenthesized = self.skip_space(keyword) < self.spans[id(items[0].item)][2]
        return _MAKE[cst.With](items=items, body=body, asynchronous=_ASYNC if isinstance(node, ast.AsyncWith) else None,
                               lpar=_LEFT if parenthesized else cst.MaybeSentinel.DEFAULT,
                               rpar=_RIGHT if parenthesized else cst.MaybeSentinel.DEFAULT)

    def _try(self, node: ast.Try) -> Any:
        body = self.block(node.body)
        handlers = []
        after = self.spans[id(body)][1]
        for handler in node.handlers:
            converted = self.handler(handler)
            handlers.append(converted)
            after = self.spans[id(converted)][1]
        orelse = None
        if node.orelse:
            orelse = self.else_block(node.orelse, after)
            after = self.spans[id(orelse)][1]
        final = None
        if node.finalbody:
            keyword = self.skip_space(after)
            final_body = self.block(node.finalbody)
            final = _MAKE[cst.Finally](body=final_body)
            self.spans[id(final)] = (keyword, self.spans[id(final_body)][1], keyword, self.spans[id(final_body)][1])
        return _MAKE[cst.Try](body=body, handlers=handlers, orelse=orelse, finalbody=final)

    def handler(self, node: ast.ExceptHandler) -> cst.ExceptHandler:
        start = self.start(node)
        self.statement_starts.append(start)
        kind = self.optional(node.type, start + 6)
        name = None
        after = start + 6 if kind is None else self.spans[id(kind)][3]
        if node.name is not None:
            name_at = self.data.index(node.name.encode("ascii") if node.name.isascii() else b"\0",
                                      self.data.index(b"as", after) + 2)
            name = _MAKE[cst.AsName](name=self.name(node.name, name_at))
            after = self.spans[id(name.name)][1]
        body = self.block(node.body)
        result = _MAKE[cst.ExceptHandler](body=body, type=kind, name=name)
        self.spans[id(result)] = (start, self.end(node), start, self.end(node))
        return result


# Node types whose libcst default is one pair of parentheses (set here from the source, like every other count).
_PARENTHESIZED_BY_DEFAULT = (cst.Tuple, cst.GeneratorExp)
_EQUAL = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))  # `f(x=1)`, as most code spells it
_DOT = cst.Dot()
_ASYNC = cst.Asynchronous()
_KEYWORD_STATEMENTS: dict[type, type[cst.CSTNode]] = {ast.Pass: cst.Pass, ast.Break: cst.Break,
                                                      ast.Continue: cst.Continue}

_EXPRESSIONS: dict[type, Callable[..., tuple[Any, int, int, int]]] = {
    ast.Name: _Converter._name, ast.Constant: _Converter._constant, ast.JoinedStr: _Converter._joined,
    ast.Attribute: _Converter._attribute, ast.Call: _Converter._call, ast.BinOp: _Converter._binary,
    ast.UnaryOp: _Converter._unary, ast.BoolOp: _Converter._boolean, ast.Compare: _Converter._compare,
    ast.IfExp: _Converter._if_exp, ast.Lambda: _Converter._lambda, ast.NamedExpr: _Converter._named,
    ast.Await: _Converter._await, ast.Yield: _Converter._yield, ast.YieldFrom: _Converter._yield,
    ast.Starred: _Converter._starred, ast.List: _Converter._list, ast.Set: _Converter._list,
    ast.Tuple: _Converter._tuple, ast.Dict: _Converter._dict, ast.Subscript: _Converter._subscript,
    ast.ListComp: _Converter._list_comp, ast.SetComp: _Converter._list_comp, ast.DictComp: _Converter._dict_comp,
    ast.GeneratorExp: _Converter._generator,
}
_SIMPLE: dict[type, Callable[..., Any]] = {
    ast.Expr: _Converter._expr_statement, ast.Assign: _Converter._assign, ast.AnnAssign: _Converter._ann_assign,
    ast.AugAssign: _Converter._aug_assign, ast.Return: _Converter._return, ast.Delete: _Converter._delete,
    ast.Raise: _Converter._raise, ast.Assert: _Converter._assert, ast.Global: _Converter._global,
    ast.Nonlocal: _Converter._global, ast.Import: _Converter._import, ast.ImportFrom: _Converter._import_from,
    ast.Pass: _Converter._pass, ast.Break: _Converter._pass, ast.Continue: _Converter._pass,
}
_COMPOUND: dict[type, Callable[..., Any]] = {
    ast.FunctionDef: _Converter._function, ast.AsyncFunctionDef: _Converter._function, ast.ClassDef: _Converter._class,
    ast.If: _Converter._if, ast.For: _Converter._for, ast.AsyncFor: _Converter._for, ast.While: _Converter._while,
    ast.With: _Converter._with, ast.AsyncWith: _Converter._with, ast.Try: _Converter._try,
}


# -- the contract: the same tree as libcst's, on what the analysis reads ---------------------------------------
# Fields that hold only layout (whitespace, comments, punctuation) or module formatting; parentheses are compared
# by count.
_LAYOUT = frozenset({
    "leading_lines", "lines_after_decorators", "header", "footer", "newline", "trailing_whitespace", "indent",
    "comma", "semicolon", "equal", "dot", "colon", "first_colon", "second_colon", "encoding", "default_indent",
    "default_newline", "has_trailing_newline", "start", "end"})
_COUNTED = frozenset({"lpar", "rpar", "relative"})


def differences(expected: cst.CSTNode, converted: cst.CSTNode, where: str = "") -> list[str]:
    """Where `converted` differs from libcst's tree `expected` in what the analysis can read."""
    if type(expected) is not type(converted):
        return [f"{where}: {type(expected).__name__} != {type(converted).__name__}"]
    found: list[str] = []
    for field in dataclasses.fields(expected):
        name = field.name
        if name not in _LAYOUT and not name.startswith("whitespace"):
            here = f"{where}.{type(expected).__name__}.{name}"
            found.extend(_field_differences(getattr(expected, name), getattr(converted, name), name, here))
    return found


def _field_differences(one: object, other: object, name: str, here: str) -> list[str]:
    if name in _COUNTED:
        return [] if _count(one) == _count(other) else [f"{here}: {_count(one)} != {_count(other)}"]
    if isinstance(one, cst.CSTNode):
        return differences(one, other, here) if isinstance(other, cst.CSTNode) else [f"{here}: node != {other!r}"]
    if isinstance(one, (list, tuple)):
        if not isinstance(other, (list, tuple)) or len(one) != len(other):
            return [f"{here}: {len(one)} items != {other!r:.80}"]
        return [found for index, (a, b) in enumerate(zip(one, other))
                for found in differences(a, b, f"{here}[{index}]")]
    return [] if one == other else [f"{here}: {one!r:.60} != {other!r:.60}"]


def _count(parentheses: object) -> int:
    """How many parentheses a field holds (a sequence, or one optional node as in `from x import (a, b)`)."""
    if isinstance(parentheses, (list, tuple)):
        return len(parentheses)
    return 1 if isinstance(parentheses, cst.CSTNode) else 0


def pairs(expected: cst.CSTNode, converted: cst.CSTNode) -> list[tuple[cst.CSTNode, cst.CSTNode]]:
    """The corresponding nodes of two trees that `differences` found equal (layout fields left out)."""
    found = [(expected, converted)]
    pending = [(expected, converted)]
    while pending:
        one, other = pending.pop()
        for field in dataclasses.fields(one):
            name = field.name
            if name in _LAYOUT or name in _COUNTED or name.startswith("whitespace"):
                continue
            a, b = getattr(one, name), getattr(other, name)
            if isinstance(a, cst.CSTNode) and isinstance(b, cst.CSTNode):
                found.append((a, b))
                pending.append((a, b))
            elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
                for x, y in zip(a, b):
                    if isinstance(x, cst.CSTNode) and isinstance(y, cst.CSTNode):
                        found.append((x, y))
                        pending.append((x, y))
    return found
