"""flake8 plugin: `flake8` (and every editor that runs it) shows nanlint's findings.

Columns are 0-based here: flake8 adds 1 when it prints them.

`# noqa` means the same on both routes: flake8 compares the codes of a `# noqa: ...` comment with the case
they are written in (`# noqa: nan001` does not silence NAN001 in flake8), nanlint ignores case as it does for
the word "noqa" itself. So the plugin applies nanlint's own noqa filter before flake8 sees a finding; flake8's
filter then has nothing left to disagree about. Unused-noqa reports (NAN902) stay a nanlint-CLI feature.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nanlint import __version__
from nanlint.finding import UNUSED_NOQA
from nanlint.linter import lint_text
from nanlint.selection import Selection

_EVERYTHING = Selection(select=("ALL",), ignore=(UNUSED_NOQA,))


class NanlintFlake8:
    name = "nanlint"
    version = __version__

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "stdin") -> None:
        self._lines = lines
        self._filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        text = "".join(self._lines)
        result = lint_text(text, self._filename, _EVERYTHING)
        for finding in result.findings:
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)
