"""`# noqa` handling with flake8's meaning: bare noqa silences the line, `# noqa: NAN001,NAN0` silences
those codes (case-insensitive, prefix match), and a multi-line statement takes a noqa on any of its lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

# flake8's own pattern (flake8/defaults.py), so users see identical behaviour.
NOQA_INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class Noqa:
    line: int
    codes: tuple[str, ...] | None  # None: bare noqa, silences everything on the line

    def silences(self, code: str) -> bool:
        return self.codes is None or any(code.upper().startswith(c) for c in self.codes)


def parse_noqa(line_text: str, line: int) -> Noqa | None:
    if "noqa" not in line_text.lower():
        return None
    match = NOQA_INLINE.search(line_text)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return Noqa(line, None)
    return Noqa(line, tuple(c.upper() for c in _CODE.findall(codes)))


class NoqaIndex:
    """The noqa comments of one file, looked up by line range."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._cache: dict[int, Noqa | None] = {}

    def at(self, line: int) -> Noqa | None:
        if line not in self._cache:
            text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
            self._cache[line] = parse_noqa(text, line)
        return self._cache[line]

    def all(self) -> list[Noqa]:
        """Every noqa comment of the file, in line order."""
        found = []
        for number, text in enumerate(self._lines, start=1):
            if "noqa" in text.lower():
                noqa = self.at(number)
                if noqa is not None:
                    found.append(noqa)
        return found

    def find(self, code: str, first_line: int, last_line: int) -> Noqa | None:
        """The noqa that silences `code` on any line of the statement, if there is one."""
        for line in range(first_line, last_line + 1):
            noqa = self.at(line)
            if noqa is not None and noqa.silences(code):
                return noqa
        return None
