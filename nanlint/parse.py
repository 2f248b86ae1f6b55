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

import threading

import libcst as cst

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
