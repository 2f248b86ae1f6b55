"""Project-wide flow: imports that resolve to other files of the linted project use those files' analyses.

A run registers the files it lints (`use(Project(paths))`, before workers fork, so each worker inherits it).
When the value engine meets a call of a name imported from a project file (`from model import VI_Block`), it
asks that file's analysis what the function returns (built on demand from disk, once per process). A file's
cache entry must then change when a file it imports changes: `dependency_digest` hashes the project files a
file imports, transitively, and the runner adds it to the file's cache key.

Followed, through `import x`, `from x import f`, `from .x import f` and packages (`a/b.py`, `a/b/__init__.py`),
resolved from the importing file's directory and each directory above it: module-level functions (what they
return for the arguments the call passes), classes (an instance's methods, `call()` when the instance is
called, its `self.` attributes), and, for the file being linted, what the other files pass when they call its
functions (`kl_loss(self.feats, ...)` in run_net.py gives `kl_loss`'s parameter in losses.py its value). Not
followed: star imports, names re-exported by `__init__` files, files outside the run, and callers of callers
across files (one step back from the linted file).

Cache invalidation: a file's entry is keyed on the project files whose summaries it can use: the files it
imports, transitively, and the files that import it and call one of its functions (its callers) with what they
import, transitively.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from nanlint.config import DEFAULT_MAX_FILE_SIZE
from nanlint.source import SourceError, read_bytes

if TYPE_CHECKING:
    import libcst as cst

    from nanlint.analysis.module import CallSite, ModuleAnalysis
    from nanlint.frontend import SourceMap

    ConvertedTree = tuple[cst.Module, SourceMap]

# `import a.b`, `import a.b as c`, `from a.b import c`, `from .a import c`, `from . import c` (a cheap scan
# for cache keys; the analysis itself reads the parsed imports).
# Every `def` of a file, methods included (a superset of the module-level functions whose callers are read).
# Both are matched on "\n" + the file's bytes: a pattern that starts with a literal newline is scanned 1.6-2.5x
# faster than one that starts with a multi-line `^` (which is tried at every byte), with the same matches.
_DEFINED = re.compile(rb"\n[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")
_IMPORT = re.compile(rb"\n[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]*\(?([\w \t,]*)|import[ \t]+([\w.]+))")
# `x as y` in an import list: the imported name is x
_ALIAS = re.compile(r"[ \t]+as[ \t]+\w+")
# Every name written before `(` (a call, or a def): `name(` is in this set exactly when `\bname\s*\(` matches the
# file (both ASCII-only bytes patterns), so one scan per file answers every "does it call f?" question.
_CALLED = re.compile(rb"\b(\w+)\s*\(")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)


class _Scan(NamedTuple):
    """What the cache keys and the caller search need of a project file, from one read of it."""

    digest: str  # sha256 of its bytes; "unreadable" when it cannot be read
    imports: tuple[str, ...]  # the project files it imports
    called: tuple[str, ...]  # every name it writes before `(`, once (when it imports a project file)


def _called(data: bytes) -> tuple[str, ...]:
    # A tuple of interned names: a project's files call the same few thousand names, and a set per file cost
    # 7.5 MiB on 3,556 files (the tuples: under 1 MiB).
    return tuple(sys.intern(name.decode()) for name in set(_CALLED.findall(data)))


class Project:
    def __init__(self, paths: Iterable[str], base: str | None = None, max_size: int | None = DEFAULT_MAX_FILE_SIZE
                 ) -> None:
        # Relative importer paths (a finding's display path) are relative to `base`: the current directory for
        # the CLI, the config's directory for the language server.
        self.base = os.path.abspath(base or os.curdir)
        # Project files are read like linted ones: regular files only (a FIFO named x.py must not block), at most
        # `max_size` bytes.
        self.max_size = max_size or None
        self.files = {os.path.abspath(path) for path in paths if path.endswith(".py")}
        self._analyses: dict[str, ModuleAnalysis | None] = {}
        self._sources: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._importers: dict[str, list[str]] | None = None
        self._resolved: dict[tuple[str, str, int], str | None] = {}
        self._callers: dict[tuple[str, str], list[tuple[ModuleAnalysis, CallSite]]] = {}
        # one scan per file and run: every file's key reads its importers' and dependencies' scans (a warm run
        # on 3,779 files read and regex-scanned files 11,000 times and compiled 2,400 patterns, issue 17)
        self._scans: dict[str, _Scan] = {}
        self._directories: dict[str, str] = {}
        # The converted trees of the summaries built in this process, by text: the linter reuses one when it lints
        # that file (it used to convert the file a second time). The analyses stay separate (a summary does not
        # look back to its file's callers); only the immutable tree and its positions are shared.
        self._converted: dict[str, ConvertedTree] = {}

    def resolve(self, importer: str, module: str, level: int = 0) -> str | None:
        """The project file `import module` (with `level` leading dots) means inside `importer`, if any."""
        directory = self._directories.get(importer)
        if directory is None:
            directory = self._directories[importer] = os.path.dirname(os.path.normpath(os.path.join(self.base, importer)))
        key = (directory, module, level)  # files of one directory repeat the same imports
        if key not in self._resolved:
            self._resolved[key] = self._resolve(directory, module, level)
        return self._resolved[key]

    def _resolve(self, directory: str, module: str, level: int) -> str | None:
        if level:
            for _ in range(level - 1):
                directory = os.path.dirname(directory)
            bases = [directory]
        else:
            # Every directory above the importer: a candidate counts only when it is a linted file, so walking
            # past the common root is safe, and it finds `models.network` from inside `models/`.
            # A sub-package's directory (it and its parent have an `__init__.py`) is no sys.path root: `import
            # jax.numpy` in keras/src/backend/jax/math.py is the installed jax, not keras/src/backend/jax/numpy.py.
            # The importer's own directory stays a base (Python 2's implicit relative `import network`).
            own = directory
            bases = []
            while True:
                if directory == own or not (self._package(directory) and self._package(os.path.dirname(directory))):
                    bases.append(directory)
                if directory == os.path.dirname(directory):
                    break
                directory = os.path.dirname(directory)
        parts = module.split(".") if module else []
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if candidate in self.files:
                    return candidate
        return None

    def _package(self, directory: str) -> bool:
        return os.path.join(directory, "__init__.py") in self.files

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

    def is_summary(self, analysis: ModuleAnalysis) -> bool:
        """Whether `analysis` was built here as another file's summary (not the file being linted)."""
        return self._analyses.get(os.path.abspath(analysis.path)) is analysis

    def importers(self, path: str) -> list[str]:
        """The project files that import `path` (a scan of every linted file's import lines, once per process)."""
        if self._importers is None:
            self._importers = {}
            for importer in sorted(self.files):
                for imported in set(self._scan(importer).imports):
                    self._importers.setdefault(imported, []).append(importer)
        return self._importers.get(os.path.abspath(path), [])

    def callers(self, path: str, name: str) -> list[tuple[ModuleAnalysis, CallSite]]:
        """The calls of `name` (a module-level function of `path`) in the other project files, with their files'
        analyses. Only files whose text mentions `name(` are parsed."""
        key = (os.path.abspath(path), name)
        if key not in self._callers:
            found: list[tuple[ModuleAnalysis, CallSite]] = []
            for importer in self.importers(key[0]):
                if not self._calls(importer, name):
                    continue
                other = self.analysis(importer)
                if other is None:
                    continue
                found.extend((other, call) for call in other.calls if call.qualified_name is not None
                             and self.function_source(importer, call.qualified_name) == key)
            self._callers[key] = found
        return self._callers[key]

    def analysis(self, path: str) -> ModuleAnalysis | None:
        """The analysis of a project file (parsed once per process; None when it cannot be read or parsed)."""
        if path not in self._analyses:
            self._analyses[path] = None  # an import cycle sees "not available" instead of recursing
            self._analyses[path] = self._build(path, self._read(path))
        return self._analyses[path]

    def converted(self, text: str) -> ConvertedTree | None:
        """The converted tree of `text` when this process built a summary from the same text (the linter then
        reuses it instead of converting the file again). A tree the linter converts is not kept for a summary that
        may come later: nearly every file of a library is imported by another, and keeping them all cost 65% more
        memory for a third of the conversions saved."""
        return self._converted.get(text)

    def _build(self, path: str, data: bytes | None) -> ModuleAnalysis | None:
        from nanlint.analysis.module import ModuleAnalysis
        from nanlint.frontend import parsed
        from nanlint.source import decode

        if data is None:
            return None
        try:
            text = decode(data).text
            module, source = parsed(text)
            if source is not None:  # converted (libcst's own parse has no SourceMap): the linter may reuse it
                self._converted[text] = (module, source)
            return ModuleAnalysis.build(module, path, source)
        except Exception:  # an unreadable or unparsable helper file only means its summary is unknown
            return None

    def dependency_digest(self, path: str, data: bytes) -> bytes:
        """A digest of the project files whose summaries `path` can use (b"" when there are none): the files it
        imports, transitively, and the files that import it and call one of its functions, with what they import,
        transitively."""
        path = os.path.abspath(path)
        seen: dict[str, str] = {}
        scanned = self._scans.get(path)  # `importers` scanned every project file, this one included
        same = scanned is not None and scanned.digest == hashlib.sha256(data).hexdigest()
        pending: list[tuple[str, ...]] = [scanned.imports if scanned is not None and same
                                          else tuple(self._imports(path, data))]
        # Only an importer that calls one of this file's functions can give its parameters values (`callers`
        # looks for `name(` the same way): a package `__init__` that re-exports the file does not make every file
        # it imports a dependency.
        importers = self.importers(path)
        defined = frozenset(name.decode() for name in _DEFINED.findall(b"\n" + data)) if importers else frozenset()
        for importer in importers if defined else ():
            if importer != path and importer not in seen:
                scan = self._scan(importer)
                if not defined.isdisjoint(scan.called):
                    seen[importer] = scan.digest
                    pending.append(scan.imports)
        while pending:
            for dependency in pending.pop():
                if dependency in seen or dependency == path:
                    continue
                scan = self._scan(dependency)
                seen[dependency] = scan.digest
                pending.append(scan.imports)
        if not seen:
            return b""
        return hashlib.sha256(repr(sorted(seen.items())).encode()).hexdigest().encode()

    def _read(self, path: str) -> bytes | None:
        try:
            return read_bytes(path, self.max_size)
        except SourceError:
            return None

    def _scan(self, path: str) -> _Scan:
        scan = self._scans.get(path)
        if scan is None:
            data = self._read(path)
            imports = self._imports(path, data) if data is not None else []
            # a file that imports no project file is nobody's importer: its calls are never asked for
            scan = self._scans[path] = _Scan("unreadable", (), ()) if data is None else _Scan(
                hashlib.sha256(data).hexdigest(), tuple(imports), _called(data) if imports else ())
        return scan

    def _calls(self, path: str, name: str) -> bool:
        """Whether the file writes `name(` (a call of it, or its def)."""
        if _ASCII_WORD.fullmatch(name):
            return name in self._scan(path).called
        return re.search(rb"\b" + re.escape(name.encode()) + rb"\s*\(", self._read(path) or b"") is not None

    def _imports(self, path: str, data: bytes) -> list[str]:
        found = []
        for dots, module, names, plain in _IMPORT.findall(b"\n" + data):
            name = (module or plain).decode("ascii", "replace")
            resolved = self.resolve(path, name, len(dots))
            if resolved is not None:
                found.append(resolved)
            # `from object_detection.core import box_list_ops`: the names imported can be modules themselves
            # (their functions are then called as `box_list_ops.matched_iou(...)`)
            for imported in _ALIAS.sub("", names.decode("ascii", "replace")).split(","):
                submodule = self.resolve(path, f"{name}.{imported.strip()}" if name else imported.strip(), len(dots)) \
                    if imported.strip() else None
                if submodule is not None and submodule != resolved:
                    found.append(submodule)
        return found


_CURRENT: Project | None = None


def use(project: Project | None) -> None:
    """Register the project of this run (inherited by forked workers)."""
    global _CURRENT
    _CURRENT = project


def current() -> Project | None:
    return _CURRENT
