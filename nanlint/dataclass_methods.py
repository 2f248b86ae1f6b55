"""The methods `@dataclass` writes, compiled once and kept beside the bytecode, for the command-line process.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__` (and a frozen class's `__setattr__`
and `__delattr__`) as source text and compiles each with `exec`. On the lint path of one file about 255 dataclasses
are defined (libcst's ~176 node classes, nanlint's ~80), some 1,350 `exec` calls: about a third of the CPU of
`nanlint one_file.py`, spent compiling the same texts on every run. CPython caches a module's bytecode in
`__pycache__`; it has no cache for these generated functions.

The mechanism: `install()` gives the `dataclasses` module a global `exec` that shadows the builtin for that module
only (its methods are the only callers). A source text already compiled in an earlier run gets its code object from
a table loaded with `marshal`; a new text is compiled as `exec` would compile it (`compile(text, "<string>",
"exec")`), then executed in the same globals and namespace. The code object of a text depends on nothing but the
text and the interpreter, so the classes are the ones `@dataclass` makes without this; the table is keyed by the
interpreter's cache tag like the `.pyc` files it sits beside. The table is written at exit by the process that
installed it, only when it compiled something new and only where Python itself would write bytecode
(`sys.dont_write_bytecode`, `sys.pycache_prefix` are honoured); the write goes through a temporary file and
`os.replace`, so a concurrent reader sees the old table or the new one. A table that cannot be read is ignored.

Installed by `nanlint.cli` only, before the modules it imports define their dataclasses.
"""

from __future__ import annotations

import atexit
import dataclasses
import importlib.util
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

# A table holding more entries than this (other versions of libcst or nanlint, run over time) is rewritten with
# only the texts of the run that writes it.
_MOST_ENTRIES = 5000


class _CompiledMethods:
    def __init__(self, table: Path) -> None:
        self.table = table
        self.codes: dict[str, CodeType] = _read(table)
        self.used: set[str] = set()
        self.compiled = False
        self.pid = os.getpid()

    def exec(self, source: Any, module_globals: dict[str, Any] | None = None,
             namespace: dict[str, Any] | None = None) -> None:
        """`exec(source, module_globals, namespace)`, with a source text's code object from the table."""
        if not isinstance(source, str):
            exec(source, module_globals, namespace)
            return
        code = self.codes.get(source)
        if code is None:
            code = self.codes[source] = compile(source, "<string>", "exec")
            self.compiled = True
        self.used.add(source)
        exec(code, module_globals, namespace)

    def write(self) -> None:
        if not self.compiled or os.getpid() != self.pid or sys.dont_write_bytecode:
            return
        codes = self.codes if len(self.codes) <= _MOST_ENTRIES else {s: self.codes[s] for s in self.used}
        try:
            self.table.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.table.parent, prefix=self.table.name, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    marshal.dump(codes, stream)
                os.chmod(temporary, Path(__file__).stat().st_mode & 0o666)  # readable as the .pyc files beside it
                os.replace(temporary, self.table)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only installation: the next run compiles again, as it would without the table


def _read(table: Path) -> dict[str, CodeType]:
    try:
        loaded = marshal.loads(table.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {source: code for source, code in loaded.items()
            if isinstance(source, str) and isinstance(code, CodeType)}


def table_path() -> Path | None:
    """Where this interpreter's table lives: beside this module's bytecode (under `sys.pycache_prefix` when set);
    None where the interpreter caches no bytecode."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    return Path(importlib.util.cache_from_source(__file__)).with_name(f"dataclass_methods.{tag}.marshal")


def install() -> None:
    """Route `@dataclass`'s compilation through the table (once per process)."""
    if hasattr(dataclasses, "exec"):  # installed already (builtins are not module attributes)
        return
    table = table_path()
    if table is None:
        return
    methods = _CompiledMethods(table)
    setattr(dataclasses, "exec", methods.exec)  # noqa: B010 - a module global that shadows the builtin
    atexit.register(methods.write)
