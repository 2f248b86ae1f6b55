"""Settings: `[tool.nanlint]` from the closest pyproject.toml (or `--config`), overridden by CLI flags.

Resolved once per run. Every problem (unreadable TOML, unknown key, wrong type, unknown code) raises
`ConfigError` with a message naming it: a `FatalError`, which the CLI turns into exit 2.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from nanlint.extensions import FatalError
from nanlint.selection import Selection

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox", ".pants.d",
    ".pytest_cache", ".ruff_cache", ".nanlint_cache", ".svn", ".tox", ".venv", "__pypackages__", "__pycache__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)
# Larger files get a NAN901 finding instead of a parse: libcst needs about 10 s and 2 GB per MB of dense code,
# and aborts the process on some inputs of tens of MB. The largest hand-written or generated modules in
# TensorFlow's own wheel are under 700 KB. (semgrep skips files over 1 MB by default; ruff and flake8 have no limit.)
DEFAULT_MAX_FILE_SIZE = 1 << 20
OUTPUT_FORMATS = ("concise", "full", "json", "json-lines", "github", "sarif")
_CODE = re.compile(r"^(ALL|[A-Z]{1,3}[0-9]{0,3})$")


class ConfigError(FatalError):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2)


@dataclass(frozen=True)
class Settings:
    selection: Selection = Selection()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    respect_gitignore: bool = True
    output_format: str = "concise"
    root: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; 0 means no limit

    def is_excluded(self, path: str | os.PathLike) -> bool:
        """Whether a path (absolute or relative to the cwd) matches an exclude pattern."""
        absolute = Path(os.path.abspath(path))
        try:
            relative = absolute.relative_to(self.root).as_posix()
        except ValueError:
            relative = absolute.as_posix()
        whole, part = _exclusion_matchers(self.exclude + self.extend_exclude)
        if whole is not None and whole.match(os.path.normcase(relative)):
            return True
        return part is not None and any(part.match(os.path.normcase(name)) for name in relative.split("/"))


@functools.lru_cache(maxsize=8)
def _exclusion_matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The exclude patterns as two regexes, compiled once per run instead of one fnmatch per pattern per path
    part (1.7 M fnmatch calls on a 6,000-file tree, 75% of a warm run, issue 17). Same meaning as fnmatch: a
    pattern with a "/" matches the relative path or a path under it, any other pattern matches one part."""
    paths, parts = [], []
    for pattern in patterns:
        pattern = os.path.normcase(pattern.rstrip("/"))
        if "/" in pattern:
            paths += [fnmatch.translate(pattern), fnmatch.translate(pattern + "/*")]
        else:
            parts.append(fnmatch.translate(pattern))
    # each translation is anchored at its end (\Z) and match() anchors the start, as fnmatch does
    return (re.compile("|".join(paths)) if paths else None, re.compile("|".join(parts)) if parts else None)


def find_config(start: Path) -> Path | None:
    """The closest pyproject.toml (with a [tool.nanlint] table) or nanlint.toml, from `start` upward."""
    for directory in (start, *start.parents):
        for name in ("nanlint.toml", ".nanlint.toml"):
            candidate = directory / name
            if candidate.is_file():
                return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                with open(candidate, "rb") as handle:
                    data = _load_toml(handle)
            except (OSError, ValueError):  # TOMLDecodeError is a ValueError
                return candidate  # let load_settings report the broken file
            if "nanlint" in data.get("tool", {}):
                return candidate
    return None


def _load_toml(handle: BinaryIO) -> dict[str, Any]:
    # imported here: a run without a configuration file does without it (4 ms of `nanlint one_file.py`, issue 17)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.load(handle)


def _read_table(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            data = _load_toml(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror}") from None
    except ValueError as error:  # TOMLDecodeError
        raise ConfigError(f"invalid TOML in {path}: {error}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("nanlint", {})
    else:
        table = data.get("tool", {}).get("nanlint", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nanlint] must be a table")
    return table


def _string_list(value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings, got {value!r}")
    return tuple(value)


def _known_code_prefix(code: str) -> bool:
    from nanlint.catalog import known_codes

    return code == "ALL" or any(known.startswith(code) for known in known_codes())


def _codes(value: object, key: str, where: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in _string_list(value, key, where))
    for code in codes:
        if not _CODE.match(code) or not _known_code_prefix(code):
            from nanlint.catalog import known_codes

            raise ConfigError(f"{where}: '{key}' has an unknown rule code or prefix: {code!r}"
                              f"{did_you_mean(code, known_codes())}")
    return codes


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'select'?` for a near miss, else nothing."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _per_file_ignores(value: object, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [codes]")
    return tuple((pattern, _codes(codes, f"per-file-ignores.{pattern}", where)) for pattern, codes in value.items())


def _boolean(value: object, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false, got {value!r}")
    return value


_KEYS = {
    "select", "extend-select", "ignore", "extend-ignore", "per-file-ignores", "exclude", "extend-exclude",
    "force-exclude", "respect-gitignore", "output-format", "preview", "max-file-size",
}


def parse_size(value: object) -> int:
    """A size in bytes from 1048576, "1048576", "500KB" or "2MB" (1 KB = 1024 bytes); 0 means no limit."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"expected a size such as 1048576, 500KB or 2MB, got {value!r}")
    text = str(value).strip().upper().replace(" ", "")
    scale = 1
    for unit, factor in (("KB", 1 << 10), ("MB", 1 << 20), ("K", 1 << 10), ("M", 1 << 20), ("B", 1)):
        if text.endswith(unit):
            text, scale = text[: -len(unit)], factor
            break
    if not text.isdigit():
        raise ValueError(f"expected a size such as 1048576, 500KB or 2MB, got {value!r}")
    return int(text) * scale


def settings_from_table(table: dict, where: str, root: Path) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        hints = "".join(did_you_mean(key, _KEYS).replace(";", f"; {key}:", 1) for key in unknown)
        raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} in [tool.nanlint]: "
                          f"{', '.join(unknown)}{hints}")
    selection = Selection(
        select=_codes(table["select"], "select", where) if "select" in table else ("NAN",),
        extend_select=_codes(table.get("extend-select", []), "extend-select", where),
        ignore=_codes(table.get("ignore", []), "ignore", where) + _codes(table.get("extend-ignore", []), "extend-ignore", where),
        per_file_ignores=_per_file_ignores(table.get("per-file-ignores", {}), where),
        preview=_boolean(table.get("preview", False), "preview", where),
    )
    output_format = table.get("output-format", "concise")
    if output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: 'output-format' must be one of {', '.join(OUTPUT_FORMATS)}, got {output_format!r}")
    try:
        max_file_size = parse_size(table.get("max-file-size", DEFAULT_MAX_FILE_SIZE))
    except ValueError as error:
        raise ConfigError(f"{where}: 'max-file-size': {error}") from None
    return Settings(
        selection=selection,
        exclude=_string_list(table["exclude"], "exclude", where) if "exclude" in table else DEFAULT_EXCLUDE,
        extend_exclude=_string_list(table.get("extend-exclude", []), "extend-exclude", where),
        force_exclude=_boolean(table.get("force-exclude", False), "force-exclude", where),
        respect_gitignore=_boolean(table.get("respect-gitignore", True), "respect-gitignore", where),
        output_format=output_format,
        root=root,
        max_file_size=max_file_size,
    )


def load_settings(args: argparse.Namespace) -> Settings:
    cwd = Path.cwd()
    config_path: Path | None = None
    if getattr(args, "config", None):
        config_path = Path(args.config).resolve()
        if config_path.is_dir():
            config_path = config_path / "pyproject.toml"
    elif not getattr(args, "isolated", False):
        config_path = find_config(cwd)
    if config_path is not None:
        settings = settings_from_table(_read_table(config_path), str(config_path), config_path.parent)
        settings = replace(settings, config_path=config_path)
    else:
        settings = Settings(root=cwd)
    return apply_flags(settings, args)


def apply_flags(settings: Settings, args: argparse.Namespace) -> Settings:
    where = "command line"
    selection = settings.selection
    if getattr(args, "select", None):
        selection = replace(selection, select=_codes(args.select, "--select", where), extend_select=())
    if getattr(args, "extend_select", None):
        selection = replace(selection, extend_select=selection.extend_select + _codes(args.extend_select, "--extend-select", where))
    if getattr(args, "ignore", None):
        selection = replace(selection, ignore=selection.ignore + _codes(args.ignore, "--ignore", where))
    if getattr(args, "extend_ignore", None):
        selection = replace(selection, ignore=selection.ignore + _codes(args.extend_ignore, "--extend-ignore", where))
    for item in getattr(args, "per_file_ignores", None) or ():
        pattern, sep, codes = item.rpartition(":")
        if not sep or not pattern:
            raise ConfigError(f"--per-file-ignores expects GLOB:CODES, got {item!r}")
        parsed = _codes([c for c in codes.split(",") if c.strip()], "--per-file-ignores", where)
        selection = replace(selection, per_file_ignores=selection.per_file_ignores + ((pattern, parsed),))
    if getattr(args, "preview", None) is not None:
        selection = replace(selection, preview=args.preview)
    # per-file-ignores globs are relative to the configuration's directory (ruff), wherever nanlint runs from
    selection = replace(selection, root=str(settings.root))
    exclude = tuple(getattr(args, "exclude", None) or ()) or settings.exclude
    extend_exclude = settings.extend_exclude + tuple(getattr(args, "extend_exclude", None) or ())
    return replace(
        settings,
        selection=selection,
        exclude=exclude,
        extend_exclude=extend_exclude,
        force_exclude=settings.force_exclude or bool(getattr(args, "force_exclude", False)),
        max_file_size=settings.max_file_size if getattr(args, "max_file_size", None) is None else args.max_file_size,
    )
