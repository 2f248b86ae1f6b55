"""Project-wide flow: imports that resolve to other files of the linted project use those files' analyses.

A run registers the files it lints (`use(Project(paths))`, before workers fork, so each worker inherits it).
When the value engine meets a call of a name imported from a project file (`from model import VI_Block`), it
asks that file's analysis what the function returns (built on demand from disk, once per process). A file's
cache entry must then change when a file it imports changes: `dependency_digest` hashes the project files a
file imports, transitively, and the runner adds it to the file's cache key.

Followed: module-level functions (what they return, for any arguments), through `import x`, `from x import f`,
`from .x import f`, packages (`a/b.py`, `a/b/__init__.py`), resolved from the importing file's directory and
each directory above it up to the project's root. Not followed: classes and their attributes across files,
star imports, names re-exported by `__init__` files, arguments passed across files.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nanlint.analysis.module import ModuleAnalysis

# `import a.b`, `import a.b as c`, `from a.b import c`, `from .a import c`, `from . import c` (a cheap scan
# for cache keys; the analysis itself reads the parsed imports).
_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import|import[ \t]+([\w.]+))", re.M)


class Project:
    def __init__(self, paths: Iterable[str], base: str | None = None) -> None:
        # Relative importer paths (a finding's display path) are relative to `base`: the current directory for
        # the CLI, the config's directory for the language server.
        self.base = os.path.abspath(base or os.curdir)
        self.files = {os.path.abspath(path) for path in paths if path.endswith(".py")}
        directories = {os.path.dirname(path) for path in self.files}
        self.root = os.path.commonpath(sorted(directories)) if directories else ""
        self._analyses: dict[str, ModuleAnalysis | None] = {}
        self._sources: dict[tuple[str, str], tuple[str, str] | None] = {}

    def resolve(self, importer: str, module: str, level: int = 0) -> str | None:
        """The project file `import module` (with `level` leading dots) means inside `importer`, if any."""
        directory = os.path.dirname(os.path.normpath(os.path.join(self.base, importer)))
        if level:
            for _ in range(level - 1):
                directory = os.path.dirname(directory)
            bases = [directory]
        else:
            bases = []
            while True:
                bases.append(directory)
                if directory == self.root or not directory.startswith(self.root) or directory == os.path.dirname(directory):
                    break
                directory = os.path.dirname(directory)
        parts = module.split(".") if module else []
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if candidate in self.files:
                    return candidate
        return None

    def function_source(self, importer: str, qualified: str) -> tuple[str, str] | None:
        """(project file, function name) for a qualified name imported into `importer` (`model.VI_Block`,
        `.layers.softmax`)."""
        key = (importer, qualified)
        if key not in self._sources:
            self._sources[key] = self._function_source(importer, qualified)
        return self._sources[key]

    def _function_source(self, importer: str, qualified: str) -> tuple[str, str] | None:
        level = len(qualified) - len(qualified.lstrip("."))
        parts = qualified.lstrip(".").split(".")
        if len(parts) < 2 and not level:
            return None
        path = self.resolve(importer, ".".join(parts[:-1]), level)
        return (path, parts[-1]) if path is not None else None

    def analysis(self, path: str) -> ModuleAnalysis | None:
        """The analysis of a project file (parsed once per process; None when it cannot be read or parsed)."""
        if path not in self._analyses:
            self._analyses[path] = None  # an import cycle sees "not available" instead of recursing
            self._analyses[path] = _build(path)
        return self._analyses[path]

    def dependency_digest(self, path: str, data: bytes) -> bytes:
        """A digest of the project files `path` imports, transitively (b"" when it imports none)."""
        seen: dict[str, str] = {}
        pending = [(os.path.abspath(path), data)]
        while pending:
            current, content = pending.pop()
            for dependency in self._imports(current, content):
                if dependency in seen or dependency == os.path.abspath(path):
                    continue
                try:
                    with open(dependency, "rb") as handle:
                        dependency_data = handle.read()
                except OSError:
                    seen[dependency] = "unreadable"
                    continue
                seen[dependency] = hashlib.sha256(dependency_data).hexdigest()
                pending.append((dependency, dependency_data))
        if not seen:
            return b""
        return hashlib.sha256(repr(sorted(seen.items())).encode()).hexdigest().encode()

    def _imports(self, path: str, data: bytes) -> list[str]:
        found = []
        for dots, module, plain in _IMPORT.findall(data):
            name = (module or plain).decode("ascii", "replace")
            resolved = self.resolve(path, name, len(dots))
            if resolved is not None:
                found.append(resolved)
        return found


def _build(path: str) -> ModuleAnalysis | None:
    from nanlint.analysis.module import ModuleAnalysis
    from nanlint.parse import parse_module
    from nanlint.source import decode

    try:
        with open(path, "rb") as handle:
            text = decode(handle.read()).text
        return ModuleAnalysis.build(parse_module(text), path)
    except Exception:  # an unreadable or unparsable helper file only means its summary is unknown
        return None


_CURRENT: Project | None = None


def use(project: Project | None) -> None:
    """Register the project of this run (inherited by forked workers)."""
    global _CURRENT
    _CURRENT = project


def current() -> Project | None:
    return _CURRENT
