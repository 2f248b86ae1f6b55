"""How deeply Python source nests, without a parser: the screen for source that libcst's native parser must not
see, because it recurses once per nesting level and overflows its stack (killing the process) at about 1,200
nested brackets, and needs seconds and gigabytes well before that.

CPython's own parser refuses such input first for every file it can parse. This screen serves the files it
rejects as syntax errors although they may be valid in a newer Python (PEP 695 generics, PEP 701 f-strings,
parsed by libcst): there CPython's parser stopped at the first construct it did not know, before any nesting
further on. The limits are CPython's own, so nothing that any CPython accepts is refused: 200 nested brackets
(its tokenizer's MAXLEVEL; replacement fields of f-strings count, and quotes inside them open new strings, as
in PEP 701), and 1,000 operators, calls, subscripts and attribute dots in one statement (CPython 3.11 fails with
RecursionError on longer unary, power, lambda and conditional chains, and libcst needs over a minute for
3,000 chained subscripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BRACKETS = 200
MAX_OPERATORS = 1000

_PREFIX = r"(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>'''|\"\"\"|'|\")"
# In code: a comment, the start of a string, a bracket, an operator or keyword that can chain, a statement end.
_CODE = re.compile(r"#[^\r\n]*|" + _PREFIX + r"|(?P<bracket>[\[\](){}])"
                   r"|(?P<operator>\*\*|[-+~*/%@&|^<>]|\.(?=\s*[A-Za-z_])|\b(?:not|and|or|await|lambda|if|else)\b)"
                   r"|(?P<end>(?<!\\)[\r\n]|;)")  # a backslash-continued line goes on
_END_OF_STRING = {quote: re.compile(r"\\.|" + re.escape(quote), re.S) for quote in ("'''", '"""', "'", '"')}
_IN_FSTRING = {quote: re.compile(r"\\.|\{\{|\}\}|\{|" + re.escape(quote), re.S) for quote in ("'''", '"""', "'", '"')}
_OPENERS, _CLOSERS = "([{", ")]}"


@dataclass(frozen=True)
class TooDeep:
    message: str
    line: int


def too_deep(text: str) -> TooDeep | None:
    """The first place where `text` nests deeper than any CPython accepts, or None."""
    depth = operators = 0
    # Open f-strings (their quote) and open replacement fields (the depth at their `{`), innermost last.
    contexts: list[tuple[str, str | int]] = []
    position = 0
    while True:
        if contexts and contexts[-1][0] == "fstring":
            quote = str(contexts[-1][1])
            match = _IN_FSTRING[quote].search(text, position)
            if match is None:
                return None  # unterminated: the parser will say so
            position = match.end()
            if match.group() == "{":
                depth += 1
                if depth > MAX_BRACKETS:
                    return _deep(text, match.start())
                contexts.append(("field", depth))
            elif match.group() == quote:
                contexts.pop()
            continue
        match = _CODE.search(text, position)
        if match is None:
            return None
        position = match.end()
        if match.group("quote"):
            quote = match.group("quote")
            if "f" in match.group("prefix").lower():
                contexts.append(("fstring", quote))
                continue
            while True:  # skip a plain string
                end = _END_OF_STRING[quote].search(text, position)
                if end is None:
                    return None
                position = end.end()
                if end.group() == quote:
                    break
        elif match.group("bracket"):
            bracket = match.group("bracket")
            if bracket in _OPENERS:
                depth += 1
                operators += 1  # a call or subscript chains like an operator: f(x)(y)[z]
                if depth > MAX_BRACKETS:
                    return _deep(text, match.start())
            elif contexts and contexts[-1] == ("field", depth) and bracket == "}":
                contexts.pop()  # back in the f-string's text
                depth -= 1
            else:
                depth = max(depth - 1, 0)
        elif match.group("operator"):
            operators += 1
        elif match.group("end") and depth == 0:
            operators = 0
        if operators > MAX_OPERATORS:
            return TooDeep(f"too many operators, calls or subscripts in one statement (more than {MAX_OPERATORS})",
                           text.count("\n", 0, match.start()) + 1)


def _deep(text: str, offset: int) -> TooDeep:
    return TooDeep(f"too many nested parentheses (more than {MAX_BRACKETS})", text.count("\n", 0, offset) + 1)
