"""Project-wide flow: imports that resolve to other files of the linted project use those files' analyses.

A run registers the files it lints (`use(Project(paths))`, before workers fork, so each worker inherits it).
When the value engine meets a call of a name imported from a project file (`from model import VI_Block`), it
asks that file's analysis what the function returns (built on demand from disk, once per process).

Followed, through `import x`, `from x import f`, `from .x import f` and packages (`a/b.py`, `a/b/__init__.py`),
and, for the callers of a file's functions only, `from . import x` then `x.f(...)`,
resolved from the importing file's directory and each directory above it: module-level functions (what they
return for the arguments the call passes), classes (an instance's methods, `call()` when the instance is
called, its `self.` attributes), and, for the file being linted, what the other files pass when they call its
functions (`kl_loss(self.feats, ...)` in run_net.py gives `kl_loss`'s parameter in losses.py its value), and the
tests and fixtures that request a pytest fixture of the file by parameter name (`requesters`: the files below its
directory that mention the name; analysis/model_uses.py reads whether they train what it provides). Not
followed: star imports, names re-exported by `__init__` files, files outside the run, and callers of callers
across files (one step back from the linted file).

Cache invalidation works like a build system's depfile: while a file is linted (`recorded`), the project
records what its analysis consulted (`symbol`, `callers`, `requesters`): the summaries it read, each module name it
resolved and to which file, each of its functions whose callers it read and which files those are, each fixture
whose requesters it read and which files mention it. Each summary records what it
consulted the same way, for the life of the process (its facts are memoized, so a fact computed while linting an
earlier file, and the summaries that fact read, may serve a later one); a file's dependencies are the closure of
its own through the summaries it read (`Dependencies`). The runner stores them in the file's cache entry, with
the digest of each summary's bytes, and reuses the entry only while they are unchanged (`unchanged`): so editing a
helper re-lints the files whose analysis read its summary, not every file that imports it; a new file that
shadows an import, or a file that starts calling one of the file's functions, re-lints it too. The digest is of
the bytes, comments included: a finding's message can quote another file's code (comments inside a call's
brackets included) and its line numbers.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from nanlint.config import DEFAULT_MAX_FILE_SIZE
from nanlint.source import SourceError, read_bytes

if TYPE_CHECKING:
    import libcst as cst

    from nanlint.analysis.module import CallSite, ModuleAnalysis
    from nanlint.frontend import SourceMap

    ConvertedTree = tuple[cst.Module, SourceMap]

# `import a.b`, `import a.b as c`, `from a.b import c`, `from .a import c`, `from . import c` (a cheap scan
# for the files that import a file, whose calls `callers` looks for; the analysis itself reads the parsed imports).
# It is matched on "\n" + the file's bytes: a pattern that starts with a literal newline is scanned 1.6-2.5x
# faster than one that starts with a multi-line `^` (which is tried at every byte), with the same matches.
_IMPORT = re.compile(rb"\n[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]*\(?([\w \t,]*)|import[ \t]+([\w.]+))")
# `x as y` in an import list: the imported name is x
_ALIAS = re.compile(r"[ \t]+as[ \t]+\w+")
# Every name written before `(` (a call, or a def): `name(` is in this set exactly when `\bname\s*\(` matches the
# file (both ASCII-only bytes patterns), so one scan per file answers every "does it call f?" question.
_CALLED = re.compile(rb"\b(\w+)\s*\(")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)
# The most files `Project.requesters` parses for one fixture: a name most files mention is not worth it.
_MAX_REQUESTING = 40


class _Scan(NamedTuple):
    """What the check of a cached result and the caller search need of a project file, from one read of it."""

    digest: str  # sha256 of its bytes; "unreadable" when it cannot be read
    imports: tuple[str, ...]  # the project files it imports
    called: tuple[str, ...]  # every name it writes before `(`, once (when it imports a project file)


# A module `import a.b` resolves to, from one directory: (the importing file's directory, "a.b", leading dots).
Resolution = tuple[str, str, int]
_Result = TypeVar("_Result")


@dataclass(frozen=True)
class Dependencies:
    """What linting one file consulted of the rest of the project, and what it found, to be checked again before its
    cached result is reused (`Project.unchanged`): the files whose summaries it read, directly or through another
    summary, with a digest of the bytes each summary was built from; each module name it resolved, with the file it
    resolved to (None: no project file); each of its functions whose callers it read, with the files that call it.
    Tuples, sorted: an entry's JSON and a pickle between processes."""

    files: tuple[tuple[str, str], ...] = ()
    resolved: tuple[tuple[str, str, int, str | None], ...] = ()
    callers: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # (a fixture's file, the fixture's name, the files that can request it and mention the name): a file that starts
    # or stops requesting the fixture re-lints the file defining it (`Project.requesters`)
    requesting: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class _Used:
    """What one analysis consulted: the file being linted's (during `Project.recorded`), or a summary's (for as long
    as the process keeps the summary, since its facts are memoized and a later file may reuse one; a summary reads
    no callers)."""

    files: set[str] = field(default_factory=set)
    resolved: set[Resolution] = field(default_factory=set)
    callers: set[tuple[str, str]] = field(default_factory=set)
    requesting: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class _Callers:
    """What `Project.callers` found for one function: the calls of it, the files that import its file and write its
    name before `(` (the ones parsed), and the resolutions of the calls that decided which calls are of it."""

    found: list[tuple[ModuleAnalysis, CallSite]]
    calling: tuple[str, ...]
    resolutions: frozenset[Resolution]


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
        self._sources: dict[tuple[str, str], tuple[Resolution | None, str]] = {}
        self._importers: dict[str, list[str]] | None = None
        self._resolved: dict[Resolution, str | None] = {}
        self._callers: dict[tuple[str, str], _Callers] = {}
        # one scan per file and run: every cached entry's check reads the scans of the files it used (a warm run
        # on 3,779 files read and regex-scanned files 11,000 times and compiled 2,400 patterns, issue 17)
        self._scans: dict[str, _Scan] = {}
        # Dependency recording (`recorded`): what each summary built here consulted, what the file being linted
        # consulted, and the digest of the bytes each summary was built from.
        self._edges: dict[str, _Used] = {}
        self._recording: _Used | None = None
        self._digests: dict[str, str] = {}
        self._directories: dict[str, str] = {}
        # The converted trees of the summaries built in this process, by text: the linter reuses one when it lints
        # that file (it used to convert the file a second time). The analyses stay separate (a summary does not
        # look back to its file's callers); only the immutable tree and its positions are shared.
        self._converted: dict[str, ConvertedTree] = {}
        self._requesting: dict[tuple[str, str], tuple[str, ...]] = {}
        self._mentions: dict[tuple[str, str], bool] = {}

    def resolve(self, importer: str, module: str, level: int = 0) -> str | None:
        """The project file `import module` (with `level` leading dots) means inside `importer`, if any."""
        return self._resolved_file(self._resolution(importer, module, level))

    def _resolution(self, importer: str, module: str, level: int) -> Resolution:
        directory = self._directories.get(importer)
        if directory is None:
            directory = self._directories[importer] = os.path.dirname(os.path.normpath(os.path.join(self.base, importer)))
        return directory, module, level  # files of one directory repeat the same imports

    def _resolved_file(self, key: Resolution) -> str | None:
        if key not in self._resolved:
            self._resolved[key] = self._resolve(*key)
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
        resolution, name = self._source(importer, qualified)
        path = self._resolved_file(resolution) if resolution is not None else None
        return (path, name) if path is not None else None

    def _source(self, importer: str, qualified: str) -> tuple[Resolution | None, str]:
        """The module a qualified name comes from, as resolved from `importer` (None: it names no module), and the
        name defined there."""
        key = (importer, qualified)
        if key not in self._sources:
            level = len(qualified) - len(qualified.lstrip("."))
            parts = qualified.lstrip(".").split(".")
            resolution = self._resolution(importer, ".".join(parts[:-1]), level) if len(parts) > 1 or level else None
            self._sources[key] = (resolution, parts[-1])
        return self._sources[key]

    def symbol(self, consumer: ModuleAnalysis, qualified: str) -> tuple[ModuleAnalysis, str] | None:
        """The analysis of the project file a name qualified in `consumer` comes from, and the name defined there.
        What it consulted is recorded as `consumer`'s (the resolution, whichever file it found or not, and that
        file's summary)."""
        resolution, name = self._source(consumer.path, qualified)
        if resolution is None:
            return None
        used = self._used_by(consumer)
        path = self._resolved_file(resolution)
        if used is not None:
            used.resolved.add(resolution)
            if path is not None:
                used.files.add(path)
        other = self.analysis(path) if path is not None else None
        return (other, name) if other is not None else None

    def has_module(self, consumer: ModuleAnalysis, module: str) -> bool:
        """Whether the module `consumer` imports as `module` (`.backend`, leading dots relative) is a file of the
        run; the resolution is recorded as `consumer`'s, so adding that file later re-lints it."""
        level = len(module) - len(module.lstrip("."))
        resolution = self._resolution(consumer.path, module.lstrip("."), level)
        used = self._used_by(consumer)
        if used is not None:
            used.resolved.add(resolution)
        return self._resolved_file(resolution) is not None

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
        """The calls of `name` (a module-level function of `path`, the file being linted) in the other project files,
        with their files' analyses. Only files whose text mentions `name(` are parsed. Recorded as the linted
        file's: which files call `name` and their summaries, and each of their calls' resolutions that decided it."""
        key = (os.path.abspath(path), name)
        callers = self._callers.get(key)
        if callers is None:
            callers = self._callers[key] = self._find_callers(*key)
        if self._recording is not None:
            self._recording.callers.add(key)
            self._recording.files.update(callers.calling)
            self._recording.resolved.update(callers.resolutions)
        return callers.found

    def _find_callers(self, path: str, name: str) -> _Callers:
        found: list[tuple[ModuleAnalysis, CallSite]] = []
        resolutions: set[Resolution] = set()
        calling = self._calling(path, name)
        suffix = "." + name  # `module.name` or `.name`: only those can be of it (a string test per call)
        for importer in calling:
            other = self.analysis(importer)
            if other is None:
                continue
            for call in other.calls:
                qualified = call.qualified_name or other.imports.project_name(call.node.func)
                resolution = self._source(importer, qualified)[0] \
                    if qualified is not None and qualified.endswith(suffix) else None
                if resolution is not None:
                    resolutions.add(resolution)
                    if self._resolved_file(resolution) == path:
                        found.append((other, call))
        return _Callers(found, calling, frozenset(resolutions))

    def _calling(self, path: str, name: str) -> tuple[str, ...]:
        """The project files that import `path` and write `name(`: the ones `callers` parses."""
        return tuple(importer for importer in self.importers(path) if self._calls(importer, name))

    def requesters(self, path: str, name: str) -> list[ModuleAnalysis] | None:
        """The analyses of the other project files that can request the pytest fixture `name` defined in `path` (a
        conftest.py or a test module) and mention the name: every file under its directory (pytest shows a
        conftest's fixtures to the tests below it; a test module's fixtures are its own, or imported by a file
        beside or below it). None when more than `_MAX_REQUESTING` files mention it (a name as common as `model`)
        or one cannot be read or parsed. Recorded as the linted file's: the files found (one that starts or stops
        mentioning the name re-lints it) and their bytes."""
        key = (os.path.abspath(path), name)
        requesting = self._requesting.get(key)
        if requesting is None:
            requesting = self._requesting[key] = self._find_requesting(*key)
        if self._recording is not None:
            self._recording.requesting.add(key)
        if len(requesting) > _MAX_REQUESTING:
            return None
        found = [self.analysis(other) for other in requesting]
        if self._recording is not None:
            self._recording.files.update(requesting)
        return None if any(analysis is None for analysis in found) else [analysis for analysis in found if analysis]

    def _find_requesting(self, path: str, name: str) -> tuple[str, ...]:
        below = os.path.dirname(path) + os.sep
        word = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")
        found = []
        for other in sorted(self.files):
            if other == path or not other.startswith(below):
                continue
            key = (other, name)
            if key not in self._mentions:
                self._mentions[key] = word.search(self._read(other) or b"") is not None
            if self._mentions[key]:
                found.append(other)
        return tuple(found)

    def analysis(self, path: str) -> ModuleAnalysis | None:
        """The analysis of a project file (parsed once per process; None when it cannot be read or parsed)."""
        if path not in self._analyses:
            self._analyses[path] = None  # an import cycle sees "not available" instead of recursing
            data = self._read(path)
            # what a cached result that used this summary is checked against (`_scan` digests the same way)
            self._digests[path] = hashlib.sha256(data).hexdigest() if data is not None else "unreadable"
            self._analyses[path] = self._build(path, data)
        return self._analyses[path]

    def recorded(self, lint: Callable[[], _Result]) -> tuple[_Result, Dependencies]:
        """Lint one file (`lint`) and what it consulted of the project: the summaries, resolutions and callers its
        analysis used, and, transitively, those that each summary it used had used, whenever this process computed
        them (a summary's facts are memoized: one computed while linting an earlier file may be reused)."""
        self._recording = _Used()
        try:
            linted = lint()
            return linted, self._closure(self._recording)
        finally:
            self._recording = None

    def _used_by(self, consumer: ModuleAnalysis) -> _Used | None:
        if self.is_summary(consumer):
            return self._edges.setdefault(os.path.abspath(consumer.path), _Used())
        return self._recording  # the file being linted (None outside `recorded`: nothing to record)

    def _closure(self, used: _Used) -> Dependencies:
        files, resolved = set(used.files), set(used.resolved)
        pending = list(files)
        while pending:
            edges = self._edges.get(pending.pop())
            if edges is None:
                continue
            resolved |= edges.resolved
            pending.extend(edges.files - files)
            files |= edges.files
        # Every file here had its analysis asked for and every resolution was made (`symbol`, `callers`). Only the
        # file being linted reads callers (a summary does not look back), so they come from `used` alone.
        return Dependencies(
            tuple(sorted((path, self._digests[path]) for path in files)),
            tuple(sorted((directory, module, level, self._resolved[directory, module, level])
                         for directory, module, level in resolved)),
            tuple(sorted((path, name, self._callers[path, name].calling) for path, name in used.callers)),
            tuple(sorted((path, name, self._requesting[path, name]) for path, name in used.requesting)))

    def unchanged(self, dependencies: Dependencies) -> bool:
        """Whether everything a cached result consulted of the project is as it was: each file it read a summary of
        is still a project file with the same bytes, each module name resolves to the same file (a new file can
        shadow an import, a removed one can let another be found), and each of its functions is called from the
        same files (a new caller can pass it a new value)."""
        return all(path in self.files and self._scan(path).digest == digest for path, digest in dependencies.files) \
            and all(self._resolved_file((directory, module, level)) == found
                    for directory, module, level, found in dependencies.resolved) \
            and all(self._calling(path, name) == calling for path, name, calling in dependencies.callers) \
            and all(self._find_requesting(path, name) == requesting for path, name, requesting in dependencies.requesting)

    def converted(self, text: str) -> ConvertedTree | None:
        """The converted tree of `text` when this process built a summary from the same text (the linter then
        reuses it instead of converting the file again). A tree the linter converts is not kept for a summary that
        may come later: nearly every file of a library is imported by another, and keeping them all cost 65% more
        memory for a third of the conversions saved."""
        return self._converted.get(text)

    def _build(self, path: str, data: bytes | None) -> ModuleAnalysis | None:
        from nanlint.analysis.module import ModuleAnalysis
        from nanlint.frontend import parsed
        from nanlint.linter import mentions_framework
        from nanlint.source import decode

        if data is None:
            return None
        try:
            text = decode(data).text
            module, source = parsed(text)
            if source is not None:  # converted (libcst's own parse has no SourceMap): the linter may reuse it
                self._converted[text] = (module, source)
            summary = ModuleAnalysis.build(module, path, source)
            summary.outside_frameworks = not mentions_framework(text)  # as the linter marks the file it lints
            return summary
        except Exception:  # an unreadable or unparsable helper file only means its summary is unknown
            return None

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
