"""Which findings are reported: ruff's select / extend-select / ignore / per-file-ignores semantics for codes,
and ruff's preview switch for findings of plausible (not by-construction) confidence.

Both lists hold code prefixes (`NAN`, `NAN0`, `NAN001`). When a select and an ignore prefix both
match, the longer (more specific) one wins; on a tie, ignore wins.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import PurePath

from nanlint.finding import Confidence


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("NAN",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # ruff's preview: also report findings whose unsafe value is plausible or improbable rather than reachable
    # by construction (finding.Confidence).
    preview: bool = False
    # The directory per-file-ignores globs are relative to (the config file's); "" matches paths as given.
    root: str = ""

    def enabled(self, code: str, path: str | None = None) -> bool:
        selected = _longest_prefix(code, (*self.select, *self.extend_select))
        ignored = _longest_prefix(code, self.ignore_for(path))
        if selected < 0:
            return False
        return selected > ignored

    def shows(self, confidence: Confidence) -> bool:
        return self.preview or confidence is Confidence.CONSTRUCTION

    def ignore_for(self, path: str | None) -> tuple[str, ...]:
        if path is None or not self.per_file_ignores:
            return self.ignore
        extra: list[str] = []
        pure = PurePath(self._relative(path))
        for pattern, codes in self.per_file_ignores:
            if _path_matches(pure, pattern):
                extra.extend(codes)
        return (*self.ignore, *extra)


    def _relative(self, path: str) -> str:
        if not self.root:
            return path
        relative = os.path.relpath(os.path.abspath(path), self.root)
        return path if relative.startswith("..") else relative


def _longest_prefix(code: str, prefixes: tuple[str, ...]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == "ALL" or code.startswith(prefix):
            best = max(best, 0 if prefix == "ALL" else len(prefix))
    return best


def _path_matches(path: PurePath, pattern: str) -> bool:
    text = path.as_posix()
    return (
        fnmatch.fnmatch(text, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or fnmatch.fnmatch(text, f"*/{pattern}")
        or fnmatch.fnmatch(text, f"{pattern.rstrip('/')}/*")
    )
