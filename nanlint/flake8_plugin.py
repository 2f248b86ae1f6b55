"""flake8 plugin: `flake8` (and every editor that runs it) shows nanlint's findings.

flake8 handles `# noqa` itself, so the checks run without nanlint's own noqa filter. Columns are
0-based here: flake8 adds 1 when it prints them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nanlint import __version__
from nanlint.linter import lint_text
from nanlint.selection import Selection

_EVERYTHING = Selection(select=("ALL",))


class NanlintFlake8:
    name = "nanlint"
    version = __version__

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "stdin") -> None:
        self._lines = lines
        self._filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        text = "".join(self._lines)
        result = lint_text(text, self._filename, _EVERYTHING, honour_noqa=False)
        for finding in result.findings:
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)
