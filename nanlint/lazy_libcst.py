"""`import libcst` in the command-line process: the node classes at once, libcst's parser, metadata and visitor batches
on first use.

`python -c "import libcst"` costs about 0.165 s of CPU; `nanlint one_file.py` was 0.25 s in all (issue 17). The lint
path builds libcst node trees from CPython's AST (nanlint.frontend) and needs libcst's node classes only, about four
fifths of that import; libcst/__init__.py also imports its parser, its metadata providers and its batched visitors
(about 30 ms), which the lint path needs only for a file the converter declines (a `match` statement: libcst's
parser) or not at all (f-strings go to libcst's native parser directly, see nanlint.frontend).

The mechanism is the lazy-attribute pattern of PEP 562, derived from libcst's own `__init__.py` so that it follows
whatever libcst version is installed: `install()` puts a finder first on `sys.meta_path` that answers one import,
`libcst` itself. Its loader compiles libcst/__init__.py's statements except the `from libcst.X import names`
statements whose module is outside `_AT_ONCE` (the node modules and the few small modules they import), runs them in
the package's namespace, and gives the package a module `__getattr__` that imports the module of a deferred name
on its first access (`cst.parse_module` imports `libcst._parser.entrypoints`, and so on). A submodule import
(`import libcst.metadata`) needs nothing of this: it loads as it always does, and a name it takes from the package
(`from libcst import ensure_type`) is looked up the same way. Every class is libcst's own, defined once.

Fail-safe: if the layout differs from what this expects (a deferred name also bound at once, a statement that
fails, any exception while loading), the package runs libcst's full `__init__.py` in the same namespace instead:
plain `import libcst`. pyproject.toml pins libcst below 2; tests/test_lazy_libcst.py checks, in fresh processes,
that the lint path does not import libcst's parser or metadata, that the parser, fixes, metadata and matchers still
work after it, and that the package exports what a plain import exports; the language server and the verifier run
through the CLI, so their tests (tests/test_server.py, tests/test_verify_cli.py) run on it too.

Installed by `nanlint.cli` only: importing nanlint as a library (the flake8 plugin) leaves libcst's import alone.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.abc imports importlib.resources, tempfile, shutil...: 11 ms at run time
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

# libcst's node modules and what they import from the package at their own import; everything else waits.
_AT_ONCE = ("libcst._nodes", "libcst._exceptions", "libcst._flatten_sentinel", "libcst._maybe_sentinel",
            "libcst._metadata_dependent", "libcst._removal_sentinel", "libcst._visitors")


class _Unexpected(Exception):
    """libcst/__init__.py is not shaped as this module expects: import it whole."""


def _split(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Remove from `tree` the imports to defer; return them as {bound name: (module, name in module)}."""
    deferred: dict[str, tuple[str, str]] = {}
    kept: list[ast.stmt] = []
    for statement in tree.body:
        if (isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module is not None
                and not statement.module.startswith(_AT_ONCE)):
            for alias in statement.names:
                if alias.name == "*":
                    raise _Unexpected("star import")
                deferred[alias.asname or alias.name] = (statement.module, alias.name)
        else:
            kept.append(statement)
    bound: set[str] = set()
    for statement in kept:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
    if bound & deferred.keys():  # a name bound twice: which binding wins would depend on the order of access
        raise _Unexpected("deferred name also bound at once")
    tree.body = kept
    return deferred


class _Loader:
    def __init__(self, real: Loader, origin: str) -> None:
        self.real, self.origin = real, origin

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        if module.__spec__ is not None:
            module.__spec__.loader = self.real  # reload(), inspect and pkgutil see libcst's own loader
        module.__loader__ = self.real
        try:
            source = self.real.get_source("libcst")  # type: ignore[attr-defined]
            tree = ast.parse(source, self.origin)
            deferred = _split(tree)
            code = compile(tree, self.origin, "exec")
            module.__getattr__ = _deferred_getattr(module, deferred)  # type: ignore[method-assign]
            exec(code, module.__dict__)  # noqa: S102 - libcst's own __init__.py, less the deferred imports
        except Exception:  # noqa: BLE001 - any surprise: the plain import, which raises what it raises
            module.__dict__.pop("__getattr__", None)
            self.real.exec_module(module)


def _deferred_getattr(package: ModuleType, deferred: dict[str, tuple[str, str]]) -> Any:
    def __getattr__(name: str) -> Any:  # noqa: N807 - PEP 562's module attribute hook
        try:
            module, attribute = deferred[name]
        except KeyError:  # also a submodule not imported yet (`from libcst import native`): the import system
            raise AttributeError(f"module 'libcst' has no attribute {name!r}") from None  # then imports it
        value = getattr(importlib.import_module(module), attribute)
        setattr(package, name, value)
        return value

    return __getattr__


class _Finder:
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "libcst":
            return None
        sys.meta_path.remove(self)  # one import only; libcst's submodules load as usual
        spec = importlib.util.find_spec(fullname)  # what the import would have found without this finder
        if spec is None or spec.loader is None or spec.origin is None or not hasattr(spec.loader, "get_source"):
            return spec
        # a loader is any object with create_module and exec_module (PEP 451); typeshed wants importlib.abc's
        spec.loader = _Loader(spec.loader, spec.origin)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Make this process's first `import libcst` load the node classes only (see the module's docstring); nothing
    if libcst is already imported."""
    if "libcst" not in sys.modules and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
