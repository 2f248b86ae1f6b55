"""File discovery: walk directories for `*.py`, skipping excluded, virtualenv and `.gitignore`d paths.

Returns (real path, display path) pairs and a list of error messages (missing paths), never raising.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from nanlint.config import Settings

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


class GitIgnore:
    """The subset of gitignore semantics real projects use: globs, `dir/`, leading `/`, `**`, `!negation`."""

    def __init__(self, directory: Path, lines: list[str]) -> None:
        self.directory = directory
        self.rules: list[tuple[str, bool, bool, bool]] = []  # pattern, negated, directory only, anchored
        for raw in lines:
            line = raw.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.rules.append((line.lstrip("/"), negated, directory_only, anchored))

    @classmethod
    def load(cls, directory: Path) -> GitIgnore | None:
        path = directory / ".gitignore"
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return cls(directory, handle.readlines())
        except OSError:
            return None

    def ignored(self, path: Path, is_dir: bool) -> bool | None:
        """True/False when a rule decides, None when no rule matches."""
        relative = path.relative_to(self.directory).as_posix()
        decision = None
        for pattern, negated, directory_only, anchored in self.rules:
            if directory_only and not is_dir:
                continue
            if anchored:
                hit = fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.replace("**/", ""))
            else:
                hit = fnmatch.fnmatch(path.name, pattern)
            if hit:
                decision = not negated
        return decision


def printable(path: str) -> str:
    """A file name that is not valid UTF-8 is reported with U+FFFD where its bad bytes were."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def discover(paths: list[str], settings: Settings) -> tuple[list[tuple[str, str]], list[str]]:
    files: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(given):
            errors.append(f"{given}: no such file or directory")
            continue
        if path.is_dir():
            for found in _walk(path, settings):
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    files.append((str(found), printable(str(found))))
        else:
            if settings.force_exclude and settings.is_excluded(path):
                continue
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                files.append((given, printable(given)))
    return files, errors


def _walk(root: Path, settings: Settings):
    ignores: list[GitIgnore] = []
    visited: set[tuple[int, int]] = set()

    def ignored(path: Path, is_dir: bool) -> bool:
        if settings.is_excluded(path):
            return True
        if settings.respect_gitignore:
            for ignore in reversed(ignores):
                try:
                    decision = ignore.ignored(path, is_dir)
                except ValueError:
                    continue
                if decision is not None:
                    return decision
        return False

    def walk(directory: Path):
        try:
            stat = directory.stat()
        except OSError:
            return
        if (stat.st_dev, stat.st_ino) in visited:  # symlink loop
            return
        visited.add((stat.st_dev, stat.st_ino))
        pushed = False
        if settings.respect_gitignore:
            ignore = GitIgnore.load(directory)
            if ignore is not None:
                ignores.append(ignore)
                pushed = True
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if ignored(child, True) or _is_virtualenv(child):
                    continue
                yield from walk(child)
            elif entry.name.endswith(SOURCE_SUFFIXES) and not ignored(child, False):
                yield child
        if pushed:
            ignores.pop()

    if settings.is_excluded(root) and root.resolve() != settings.root.resolve() and settings.force_exclude:
        return
    yield from walk(root)
