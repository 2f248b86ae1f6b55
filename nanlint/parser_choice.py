"""Which parse the linter uses: CPython's AST converted (nanlint.frontend, the default) or libcst's own.

Kept apart from both parsers so that choosing costs no import of libcst (the cache's run key reads it on warm runs).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


def converting() -> bool:
    """Whether the linter converts CPython's AST: by default, except while fixes are printed (`libcst_parse`) or
    where the environment says `NANLINT_PARSER=libcst` (the tests and benches compare both ways)."""
    return not _LIBCST_ONLY and os.environ.get("NANLINT_PARSER") != "libcst"


_LIBCST_ONLY = False


@contextlib.contextmanager
def libcst_parse(needed: bool = True) -> Iterator[None]:
    """While `needed`, the linter parses every file with libcst. Fixes need it: a fix prints code from nodes it
    rebuilt (`call.with_changes(...)`), and only libcst's own tree prints them with the file's spacing (a
    converted tree prints the parts it keeps as their source text and the rebuilt parts with libcst's default
    spacing). Entered by `--fix`/`--diff`/`--show-fixes` (nanlint.fixes) and the language server; forked workers
    inherit it."""
    global _LIBCST_ONLY
    before = _LIBCST_ONLY
    _LIBCST_ONLY = before or needed
    try:
        yield
    finally:
        _LIBCST_ONLY = before
