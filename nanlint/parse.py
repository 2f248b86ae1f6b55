"""libcst's parse, without re-validating what its parser has already checked.

Every libcst node runs `_validate()` from `CSTNode.__post_init__` when it is constructed: the checks that keep a
hand-built tree printable (a `Name` is an identifier, parentheses pair up, a keyword has whitespace around it).
A tree from libcst's own parser satisfies them by construction, yet the checks are about a third of the parse
(issue 17). Only the analysis's own parse skips them; nodes built anywhere else (fixes, the verifier, the
synthesized `x / y` of an augmented assignment) are validated as usual, because the hook is put back before
`parse_module` returns. This relies on libcst's node protocol (1.x: one `__post_init__`, on `CSTNode`);
tests/test_parse.py checks it, and pyproject.toml pins the major version.
"""

from __future__ import annotations

import contextlib
import re
import threading

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition, CodeRange

# The language server lints in executor threads: parses take turns, so one never puts the hook back while
# another is still parsing. (A node hand-built in another thread during a parse goes unvalidated; validation
# only guards against building an unprintable tree, and the analysis builds none.)
_SWAP = threading.Lock()
_VALIDATING_HOOK = cst.CSTNode.__dict__["__post_init__"]


def _unvalidated(self: cst.CSTNode) -> None:
    pass


def parse_module(text: str) -> cst.Module:
    """`libcst.parse_module(text)`, same tree and same errors, minus the per-node validation."""
    with _SWAP:
        cst.CSTNode.__post_init__ = _unvalidated  # type: ignore[method-assign]
        try:
            return cst.parse_module(text)
        finally:
            cst.CSTNode.__post_init__ = _VALIDATING_HOOK  # type: ignore[method-assign]


# -- printing: where nodes are, and their code -------------------------------------------------------------------
# libcst computes both by code generation. Its PositionProvider state (libcst.metadata.position_provider) opens a
# generator context manager per syntactic node, builds two CodePosition objects and a CodeRange per node and
# splits every token with a regex: half of a finding-dense file's time (issue 17). The states below run the same
# algorithm on plain tuples with a class-based context manager; tests/test_speed.py compares them with libcst's
# on real files. They rely on libcst 1.x's codegen protocol (`CodegenState`, `_codegen`), pinned like the hook.

_NEWLINE = re.compile(r"\r\n?|\n")  # libcst.metadata.position_provider.NEWLINE_RE


class _Printing(CodegenState):
    """`code_for_node`'s state: tokens only, and a shared no-op for the syntactic-position hook."""

    __slots__ = ()

    # libcst declares the generator-based context manager it returns; any context manager does
    def record_syntactic_position(  # type: ignore[override]
            self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None) -> contextlib.nullcontext[None]:
        return _NOTHING


_NOTHING: contextlib.nullcontext[None] = contextlib.nullcontext()


def code_for_node(module: cst.Module, node: cst.CSTNode) -> str:
    """`module.code_for_node(node)`."""
    state = _Printing(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)
    return "".join(state.tokens)


Span = tuple[int, int, int, int]  # start line (1-based), start column (0-based), end line, end column


class _Locating(CodegenState):
    """PositionProvidingCodegenState's bookkeeping: `spans` gets each node's syntactic range."""

    __slots__ = ("line", "column", "starts", "spans")

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line, self.column = 1, 0
        self.starts: list[tuple[int, int]] = []
        self.spans: dict[cst.CSTNode, Span] = {}

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.starts.pop()
        if node not in self.spans:  # a syntactic range recorded inside the node wins
            self.spans[node] = (line, column, self.line, self.column)

    def record_syntactic_position(  # type: ignore[override]  # (as in _Printing)
            self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None) -> _Syntactic:
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    """PositionProvidingCodegenState.record_syntactic_position, as a class instead of a generator."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _Locating, node: cst.CSTNode, start_node: cst.CSTNode | None,
                 end_node: cst.CSTNode | None) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, *exc_info: object) -> None:
        state = self.state
        start = self.start if self.start_node is None else state.spans[self.start_node][:2]
        end = (state.line, state.column) if self.end_node is None else state.spans[self.end_node][2:]
        state.spans[self.node] = (*start, *end)


class Positions:
    """libcst's PositionProvider ranges of every node of a module, from one code-generation pass."""

    def __init__(self, module: cst.Module) -> None:
        state = _Locating(module)
        module._codegen(state)
        self._spans = state.spans

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        line, column, end_line, end_column = self._spans[node]
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def all(self) -> dict[cst.CSTNode, CodeRange]:
        return {node: self[node] for node in self._spans}
