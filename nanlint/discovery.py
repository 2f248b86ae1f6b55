"""File discovery: walk directories for `*.py`, skipping excluded, virtualenv and `.gitignore`d paths.

Returns (real path, display path) pairs and a list of error messages, never raising: a path that does not
exist or cannot be reached, and every directory that cannot be listed (the walk goes on without it; the CLI
prints each message and exits 2, after the report). Files are not opened here: the reader (nanlint.source)
refuses what is not a regular file, with a NAN901 finding.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from nanlint.config import Settings
from nanlint.source import describe

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


class GitIgnore:
    """The subset of gitignore semantics real projects use: globs, `dir/`, leading `/`, `**`, `!negation`."""

    def __init__(self, directory: Path, lines: list[str]) -> None:
        self.directory = directory
        # (matcher, negated, directory only, anchored); patterns compiled once per .gitignore, not per path
        self.rules: list[tuple[re.Pattern, bool, bool, bool]] = []
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
            pattern = os.path.normcase(line.lstrip("/"))
            # an anchored pattern matches the path relative to this directory, with "**/" also matching nothing
            matcher = fnmatch.translate(pattern)
            if anchored:
                matcher += "|" + fnmatch.translate(pattern.replace("**/", ""))
            self.rules.append((re.compile(matcher), negated, directory_only, anchored))

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
        relative = os.path.normcase(path.relative_to(self.directory).as_posix())
        name = os.path.normcase(path.name)
        decision = None
        for matcher, negated, directory_only, anchored in self.rules:
            if directory_only and not is_dir:
                continue
            if matcher.match(relative if anchored else name):
                decision = not negated
        return decision


def printable(path: str) -> str:
    """A file name that is not valid UTF-8 is reported with U+FFFD where its bad bytes were."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_virtualenv(directory: Path) -> bool:
    try:
        return os.path.isfile(directory / "pyvenv.cfg")
    except OSError:  # os.path.isfile reports most failures as False, but not all (e.g. a name too long)
        return False


def discover(paths: list[str], settings: Settings) -> tuple[list[tuple[str, str]], list[str]]:
    files: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        try:
            is_dir = stat.S_ISDIR(os.stat(given).st_mode)
        except FileNotFoundError:
            if not os.path.lexists(given):
                errors.append(f"{printable(given)}: no such file or directory")
                continue
            is_dir = False  # a dangling symlink: the reader reports it as unreadable (NAN901)
        except OSError as error:  # e.g. inside a directory we may not enter: say so, not "no such file"
            errors.append(f"{printable(given)}: cannot read: {describe(error)}")
            continue
        if is_dir:
            for found in _walk(path, settings, errors):
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


def _walk(root: Path, settings: Settings, errors: list[str]) -> Iterator[Path]:
    if settings.is_excluded(root) and root.resolve() != settings.root.resolve() and settings.force_exclude:
        return
    yield from _Walk(settings, errors).directory(root)


class _Walk:
    """One directory walk: the .gitignore files of the directories it is inside, innermost last, and the
    directories already entered (a symlink loop is entered once)."""

    def __init__(self, settings: Settings, errors: list[str]) -> None:
        self.settings = settings
        self.errors = errors
        self.ignores: list[GitIgnore] = []
        self.visited: set[tuple[int, int]] = set()

    def directory(self, directory: Path) -> Iterator[Path]:
        if not self._enter(directory):
            return
        ignore = GitIgnore.load(directory) if self.settings.respect_gitignore else None
        if ignore is not None:
            self.ignores.append(ignore)
        for entry in self._entries(directory):
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if not self._ignored(child, True) and not _is_virtualenv(child):
                    yield from self.directory(child)
            elif entry.name.endswith(SOURCE_SUFFIXES) and not self._ignored(child, False):
                yield child
        if ignore is not None:
            self.ignores.pop()

    def _enter(self, directory: Path) -> bool:
        """False when the directory cannot be reached (an error says so) or was entered before."""
        try:
            status = directory.stat()
        except OSError as error:
            self.errors.append(_unlistable(directory, error))
            return False
        if (status.st_dev, status.st_ino) in self.visited:
            return False
        self.visited.add((status.st_dev, status.st_ino))
        return True

    def _entries(self, directory: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(directory) as listing:
                return sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            self.errors.append(_unlistable(directory, error))
            return []

    def _ignored(self, path: Path, is_dir: bool) -> bool:
        if self.settings.is_excluded(path):
            return True
        if self.settings.respect_gitignore:
            for ignore in reversed(self.ignores):  # the innermost .gitignore that decides wins
                try:
                    decision = ignore.ignored(path, is_dir)
                except ValueError:
                    continue
                if decision is not None:
                    return decision
        return False


def _unlistable(directory: Path, error: OSError) -> str:
    return f"{printable(str(directory))}: cannot read directory: {describe(error)}; the files in it were not linted"
