"""The result cache: one entry per linted file, keyed by what determines its findings.

An entry's name hashes the run key (nanlint version, a hash of nanlint's own source and rule files, the
Python and libcst versions, the effective selection), the display path (findings carry it, and
per-file-ignores depend on it) and the file's bytes. An entry also holds what the file's analysis consulted of
the other project files (nanlint.project.Dependencies), which the caller checks before the result is reused:
without a check, an entry that has any is a miss. Nothing read back is trusted:
- an entry is a MAC line (HMAC-SHA256 of the entry's name and its JSON, under a per-user secret kept outside
  the cache, `$XDG_CACHE_HOME/nanlint/cache-key`) and the JSON. A truncated or edited entry, one copied from
  another file's name, or one forged by whoever can write the cache directory (a shared or restored CI cache)
  fails the MAC; a cache restored on another machine or for another user is therefore recomputed, once;
- the JSON must then pass a schema: bounded size and nesting depth, exact keys, exact types (`true` is not a
  line number), positions inside the file, known codes, paths of this file.
Anything that fails is a miss and is recomputed. Writes are atomic (temp file + rename), so concurrent runs at
worst compute the same entry twice. Without a usable secret (no writable home), the cache is off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple, cast

from nanlint import __version__
from nanlint.finding import Confidence, FileResult, Finding, Fix
from nanlint.parser_choice import converting
from nanlint.project import Dependencies
from nanlint.selection import Selection
from nanlint.source import SourceError, read_bytes, replace_file
from nanlint.suppression import Noqa

DEFAULT_CACHE_DIR = ".nanlint_cache"
_FORMAT = 4  # 2: findings carry their confidence; 3: MAC line and schema; 4: the file's project dependencies
_PACKAGE = Path(__file__).resolve().parent
_MAX_ENTRY_BYTES = 16 << 20
_MAX_DEPTH = 6  # entry > suppressed > [finding, line, codes] > finding > fix/extra > value (dependencies: 5)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_CODE = re.compile(r"NAN[0-9]{3}")


@lru_cache(maxsize=1)
def source_hash() -> str:
    """A hash of nanlint's own code and rule catalog, so editing a rule invalidates every entry."""
    digest = hashlib.sha256()
    for path in sorted((*_PACKAGE.rglob("*.py"), *_PACKAGE.joinpath("rules").glob("*.yaml"))):
        digest.update(path.relative_to(_PACKAGE.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _libcst_version() -> str:
    """Read from the installed metadata: importing libcst costs ~0.2 s that a fully cached run never needs."""
    from importlib import metadata

    try:
        return metadata.version("libcst")
    except metadata.PackageNotFoundError:
        return ""


def run_key(selection: Selection) -> str:
    # a fix's text depends on the parse (nanlint.parser_choice.libcst_parse)
    parts = (_FORMAT, __version__, source_hash(), sys.version, _libcst_version(), repr(selection), converting())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def secret_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nanlint" / "cache-key"


@lru_cache(maxsize=None)
def _secret(path: Path) -> bytes | None:
    """This user's MAC key (32 random bytes, mode 0600), created on first use; None when it cannot be had."""
    for _ in range(2):
        try:
            key = read_bytes(str(path), max_size=64)
            return key if len(key) >= 32 else None
        except SourceError:
            pass
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # another run is creating it: read theirs
        except OSError:
            return None
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(32))
    return None


class SchemaError(ValueError):
    pass


Unchanged = Callable[[Dependencies], bool]


def _independent(dependencies: Dependencies) -> bool:
    """Without a check of the project (`get`'s default), only a result that used no other file can be reused."""
    return dependencies == Dependencies()


# The last run's index (see `ResultCache.last_run`): one file per run key.
_LAST_RUN = "last-run.json"
# A file changed less than this long before it was looked at could change again within the same timestamp tick
# (coarse clocks, FAT's 2 s): its signature does not vouch for its content (git's "racily clean" entries).
_RACY_NS = 2_000_000_000
_HEX_NAME = re.compile(r"[0-9a-f]{64}")


def signature(path: str, now_ns: int) -> tuple[int, ...] | None:
    """What changes when a file's content changes without being read (mode, size, inode, device, modification
    and change times: rewriting a file in place or over a rename moves its ctime, which no user can set back);
    None when it cannot be had or was changed too recently (`_RACY_NS`) to vouch for the bytes read after it."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if max(status.st_mtime_ns, status.st_ctime_ns) > now_ns - _RACY_NS:
        return None
    return (status.st_mode, status.st_size, status.st_ino, status.st_dev, status.st_mtime_ns, status.st_ctime_ns)


class LastRun(NamedTuple):
    """One file of the last run: its signature then, its entry's name, and whether the entry is empty (no
    finding, nothing suppressed: its result needs no read), with the entry's `parsed` flag."""

    signature: tuple[int, ...]
    entry: str
    empty: bool
    parsed: bool


class ResultCache:
    def __init__(self, directory: str | os.PathLike, selection: Selection) -> None:
        self.root = Path(directory)
        self.key = run_key(selection)
        self.directory = self.root / self.key[:16]
        self.secret = _secret(secret_path())

    def entry_name(self, path: str, data: bytes) -> str:
        """The entry of `path` holding `data`: `get` looks it up, `put` stores under it."""
        digest = hashlib.sha256(self.key.encode())
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        # per-file-ignores match the path relative to the config's directory: the same display path seen
        # from another directory is another file
        digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, name: str) -> Path:
        return self.directory / name[:2] / f"{name}.json"

    def _mac(self, name: str, payload: bytes) -> bytes:
        assert self.secret is not None
        return hmac.new(self.secret, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()

    def get(self, path: str, data: bytes, unchanged: Unchanged = _independent) -> FileResult | None:
        return self.get_entry(path, self.entry_name(path, data), data, unchanged)

    def get_entry(self, path: str, name: str, data: bytes, unchanged: Unchanged = _independent) -> FileResult | None:
        """The result stored as entry `name` for `path` holding `data`, when the entry passes its MAC and schema
        and `unchanged` accepts the project dependencies it holds."""
        if self.secret is None:
            return None
        try:
            raw = read_bytes(str(self._file(name)), _MAX_ENTRY_BYTES)
        except SourceError:
            return None
        mac, _, payload = raw.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(name, payload)) or _depth(payload) > _MAX_DEPTH:
            return None
        try:
            entry = json.loads(payload)
            _require(isinstance(entry, dict) and entry.get("key") == self.key and entry.get("path") == path)
            # Notebook findings count lines inside cells, which JSON may hold as escaped "\\n".
            lines = data.count(b"\n") + data.count(b"\\n") + 1
            result = _result_from_json(entry, path, lines)
            dependencies = _dependencies_from_json(entry["dependencies"])
        except (ValueError, KeyError, TypeError, RecursionError):  # SchemaError is a ValueError
            return None
        return result if unchanged(dependencies) else None

    def last_run(self, run: str) -> list[LastRun] | None:
        """The files of the last run with this key, when it was over the same files (`run` names them, in order):
        a run in which no file changed answers from this index with one stat per file, not a read, a hash and an
        entry read per file (issue 17: 50x faster than cold). None when there is none or it fails its MAC."""
        if self.secret is None:
            return None
        try:
            raw = read_bytes(str(self.directory / _LAST_RUN), _MAX_ENTRY_BYTES)
        except SourceError:
            return None
        mac, _, payload = raw.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(_LAST_RUN, payload)):
            return None
        try:
            index = json.loads(payload)
            _require(isinstance(index, dict) and index.keys() == {"run", "files"} and index["run"] == run)
            return [_last_run_file(item) for item in _typed(index["files"], list)]
        except (ValueError, KeyError, TypeError, RecursionError):
            return None

    def put_last_run(self, run: str, files: list[LastRun]) -> None:
        if self.secret is None:
            return
        payload = json.dumps({"run": run, "files": [[list(f.signature), f.entry, f.empty, f.parsed] for f in files]},
                             separators=(",", ":")).encode()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            replace_file(str(self.directory / _LAST_RUN), self._mac(_LAST_RUN, payload) + b"\n" + payload,
                         durable=False)
        except (OSError, SourceError):
            return

    def forget_last_run(self) -> None:
        """Drop the last run's index: a run that could not write its own (a file changed moments before it) may have
        rewritten entries that index names (a file's result depends on the other files of its run), so an older
        run's index must not answer for them later."""
        try:
            (self.directory / _LAST_RUN).unlink(missing_ok=True)
        except OSError:
            return

    def put(self, path: str, name: str, result: FileResult, dependencies: Dependencies = Dependencies()) -> None:
        """Store `result` as entry `name` (see `entry_name`), linted with `dependencies`; a cache that cannot be
        written (read-only disk, full disk) is silently skipped."""
        if self.secret is None:
            return
        target = self._file(name)
        try:
            payload = json.dumps({"key": self.key, "path": path, **_result_to_json(result),
                                  "dependencies": _dependencies_to_json(dependencies)}, separators=(",", ":")).encode()
            if not self.root.is_dir():
                _create_root(self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(str(target), self._mac(name, payload) + b"\n" + payload, durable=False)
        except (OSError, SourceError, TypeError, ValueError):
            return


def _last_run_file(item: object) -> LastRun:
    fields: list[object] = _typed(item, list)
    _require(len(fields) == 4)
    status: list[object] = _typed(fields[0], list)
    entry: str = _typed(fields[1], str)
    _require(len(status) == 6 and _HEX_NAME.fullmatch(entry) is not None)
    return LastRun(tuple(_number(value, 0, None) for value in status), entry, _typed(fields[2], bool),
                   _typed(fields[3], bool))


def _depth(payload: bytes) -> int:
    """The deepest nesting of JSON arrays and objects, counted without recursion (strings removed first)."""
    brackets = _JSON_STRING.sub(b"", payload).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[byte] for byte in brackets), default=0)


_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _create_root(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    # Like ruff and pytest: keep the cache out of git and out of backups.
    (root / ".gitignore").write_text("# Created by nanlint automatically.\n*\n")
    (root / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")


def _finding_to_json(finding: Finding) -> dict:
    fix = finding.fix
    return {
        "code": finding.code, "message": finding.message, "path": finding.path,
        "line": finding.line, "col": finding.col, "end_line": finding.end_line, "end_col": finding.end_col,
        "context": finding.context, "source_line": finding.source_line,
        "fix": None if fix is None else [fix.description, fix.replacement, fix.safe],
        "confidence": finding.confidence.value,
        "extra": finding.extra, "cell": finding.cell,
        "file_region": None if finding.file_region is None else list(finding.file_region),
        "noqa_lines": None if finding.noqa_lines is None else list(finding.noqa_lines),
    }


def _finding_from_json(entry: object, path: str, lines: int) -> Finding:
    entry = _record(entry, _FINDING_KEYS)
    code = _typed(entry["code"], str)
    _require(_CODE.fullmatch(code) is not None and code in _known_codes())
    finding_path = _typed(entry["path"], str)
    _require(finding_path == path)
    line, end_line = _number(entry["line"], 1, lines), _number(entry["end_line"], 1, lines)
    _require(end_line >= line)
    fix = entry["fix"]
    if fix is not None:
        _require(isinstance(fix, list) and len(fix) == 3)
        fix = Fix(_typed(fix[0], str), _typed(fix[1], str), _typed(fix[2], bool))
    extra = _typed(entry["extra"], dict)
    _require(all(isinstance(value, (str, int, float, bool)) or value is None for value in extra.values()))
    return Finding(
        code=code, message=_typed(entry["message"], str), path=finding_path, line=line,
        col=_number(entry["col"], 1, None), end_line=end_line, end_col=_number(entry["end_col"], 1, None),
        context=_typed(entry["context"], str), source_line=_typed(entry["source_line"], str), fix=fix,
        confidence=Confidence(_typed(entry["confidence"], str)), extra=extra,
        cell=None if entry["cell"] is None else _number(entry["cell"], 1, None),
        file_region=cast("tuple[int, int, int, int] | None", _numbers(entry["file_region"], 4, 0, None)),
        noqa_lines=cast("tuple[int, int] | None", _numbers(entry["noqa_lines"], 2, 1, lines)),
    )


_FINDING_KEYS = frozenset(("code", "message", "path", "line", "col", "end_line", "end_col", "context",
                           "source_line", "fix", "confidence", "extra", "cell", "file_region", "noqa_lines"))
_RESULT_KEYS = frozenset(("key", "path", "parsed", "findings", "suppressed", "dependencies"))
_DEPENDENCY_KEYS = frozenset(("files", "resolved", "callers", "requesting"))


def _known_codes() -> frozenset[str]:
    from nanlint.catalog import known_codes

    return known_codes()


def _require(condition: bool) -> None:
    if not condition:
        raise SchemaError("cache entry does not match the schema")


def _record(value: object, keys: frozenset[str]) -> dict:
    _require(isinstance(value, dict) and value.keys() == keys)
    return value  # type: ignore[return-value]


def _numbers(value: object, length: int, low: int, high: int | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    items = _typed(value, list)
    _require(len(items) == length)
    return tuple(_number(item, low, high) for item in items)


def _typed(value: Any, kind: type) -> Any:
    # bool is an int to Python, never to the schema: `"line": true` is not line 1.
    _require(isinstance(value, kind) and (kind is bool or not isinstance(value, bool)))
    return value


def _number(value: object, low: int, high: int | None) -> int:
    number = _typed(value, int)
    _require(low <= number and (high is None or number <= high))
    return number


def _result_to_json(result: FileResult) -> dict:
    return {
        "parsed": result.parsed,
        "findings": [_finding_to_json(f) for f in result.findings],
        "suppressed": [
            [_finding_to_json(f), noqa.line, None if noqa.codes is None else list(noqa.codes)]
            for f, noqa in result.suppressed
        ],
    }


def _result_from_json(entry: dict, path: str, lines: int) -> FileResult:
    entry = _record(entry, _RESULT_KEYS)
    suppressed = []
    for item in _typed(entry["suppressed"], list):
        _require(isinstance(item, list) and len(item) == 3)
        finding, line, codes = item
        codes = None if codes is None else tuple(_typed(code, str) for code in _typed(codes, list))
        suppressed.append((_finding_from_json(finding, path, lines), Noqa(_number(line, 1, lines), codes)))
    return FileResult(
        path=path,
        findings=tuple(_finding_from_json(f, path, lines) for f in _typed(entry["findings"], list)),
        suppressed=tuple(suppressed),
        parsed=_typed(entry["parsed"], bool),
    )


def _dependencies_to_json(dependencies: Dependencies) -> dict:
    return {"files": [list(item) for item in dependencies.files],
            "resolved": [list(item) for item in dependencies.resolved],
            "callers": [[path, name, list(calling)] for path, name, calling in dependencies.callers],
            "requesting": [[path, name, list(files)] for path, name, files in dependencies.requesting]}


def _dependencies_from_json(value: object) -> Dependencies:
    entry = _record(value, _DEPENDENCY_KEYS)
    files, resolved, callers, requesting = [], [], [], []
    for item in _typed(entry["files"], list):
        _require(isinstance(item, list) and len(item) == 2)
        files.append((_typed(item[0], str), _typed(item[1], str)))
    for item in _typed(entry["resolved"], list):
        _require(isinstance(item, list) and len(item) == 4)
        found = None if item[3] is None else _typed(item[3], str)
        resolved.append((_typed(item[0], str), _typed(item[1], str), _number(item[2], 0, None), found))
    for item in _typed(entry["callers"], list):
        _require(isinstance(item, list) and len(item) == 3)
        calling = tuple(_typed(path, str) for path in _typed(item[2], list))
        callers.append((_typed(item[0], str), _typed(item[1], str), calling))
    for item in _typed(entry["requesting"], list):
        _require(isinstance(item, list) and len(item) == 3)
        requesters = tuple(_typed(path, str) for path in _typed(item[2], list))
        requesting.append((_typed(item[0], str), _typed(item[1], str), requesters))
    return Dependencies(tuple(files), tuple(resolved), tuple(callers), tuple(requesting))
