"""The result cache: one JSON entry per linted file, keyed by what determines its findings.

An entry's name hashes the run key (nanlint version, a hash of nanlint's own source and rule files, the
Python and libcst versions, the effective selection), the display path (findings carry it, and
per-file-ignores depend on it) and the file's bytes. Entries are plain JSON and never trusted: one that is
truncated, corrupt, from another run key or of the wrong shape is a miss and gets recomputed. Writes are
atomic (temp file + rename), so concurrent runs at worst compute the same entry twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from nanlint import __version__
from nanlint.finding import Confidence, FileResult, Finding, Fix
from nanlint.selection import Selection
from nanlint.suppression import Noqa

DEFAULT_CACHE_DIR = ".nanlint_cache"
_FORMAT = 2  # 2: findings carry their confidence
_PACKAGE = Path(__file__).resolve().parent


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
    parts = (_FORMAT, __version__, source_hash(), sys.version, _libcst_version(), repr(selection))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class ResultCache:
    def __init__(self, directory: str | os.PathLike, selection: Selection) -> None:
        self.root = Path(directory)
        self.key = run_key(selection)
        self.directory = self.root / self.key[:16]

    def _entry(self, path: str, data: bytes) -> Path:
        digest = hashlib.sha256(self.key.encode())
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        # per-file-ignores match the path relative to the config's directory: the same display path seen
        # from another directory is another file
        digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        name = digest.hexdigest()
        return self.directory / name[:2] / f"{name}.json"

    def get(self, path: str, data: bytes) -> FileResult | None:
        try:
            with open(self._entry(path, data), "rb") as handle:
                entry = json.load(handle)
            if entry["key"] != self.key or entry["path"] != path:
                return None
            return _result_from_json(entry)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, path: str, data: bytes, result: FileResult) -> None:
        """Store an entry; a cache that cannot be written (read-only disk, full disk) is silently skipped."""
        target = self._entry(path, data)
        entry = {"key": self.key, "path": path, **_result_to_json(result)}
        try:
            if not self.root.is_dir():
                _create_root(self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    json.dump(entry, handle, separators=(",", ":"))
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, TypeError, ValueError):
            return


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


def _finding_from_json(entry: dict) -> Finding:
    fix = entry["fix"]
    finding = Finding(
        code=_typed(entry["code"], str), message=_typed(entry["message"], str), path=_typed(entry["path"], str),
        line=_typed(entry["line"], int), col=_typed(entry["col"], int),
        end_line=_typed(entry["end_line"], int), end_col=_typed(entry["end_col"], int),
        context=_typed(entry["context"], str), source_line=_typed(entry["source_line"], str),
        fix=None if fix is None else Fix(_typed(fix[0], str), _typed(fix[1], str), _typed(fix[2], bool)),
        confidence=Confidence(_typed(entry["confidence"], str)),
        extra=_typed(entry["extra"], dict),
        cell=_optional(entry["cell"], int),
        file_region=_int_tuple(entry["file_region"], 4),
        noqa_lines=_int_tuple(entry["noqa_lines"], 2),
    )
    return finding


def _optional(value, kind: type):
    return None if value is None else _typed(value, kind)


def _int_tuple(value, length: int) -> tuple[int, ...] | None:
    if value is None:
        return None
    numbers = tuple(_typed(item, int) for item in _typed(value, list))
    if len(numbers) != length:
        raise TypeError(f"cache entry holds {len(numbers)} numbers, expected {length}")
    return numbers


def _typed(value, kind: type):
    if not isinstance(value, kind):
        raise TypeError(f"cache entry holds {type(value).__name__}, expected {kind.__name__}")
    return value


def _result_to_json(result: FileResult) -> dict:
    return {
        "parsed": result.parsed,
        "findings": [_finding_to_json(f) for f in result.findings],
        "suppressed": [
            [_finding_to_json(f), noqa.line, None if noqa.codes is None else list(noqa.codes)]
            for f, noqa in result.suppressed
        ],
    }


def _result_from_json(entry: dict) -> FileResult:
    suppressed = []
    for finding, line, codes in entry["suppressed"]:
        codes = None if codes is None else tuple(_typed(code, str) for code in codes)
        suppressed.append((_finding_from_json(finding), Noqa(_typed(line, int), codes)))
    return FileResult(
        path=_typed(entry["path"], str),
        findings=tuple(_finding_from_json(f) for f in entry["findings"]),
        suppressed=tuple(suppressed),
        parsed=_typed(entry["parsed"], bool),
    )
