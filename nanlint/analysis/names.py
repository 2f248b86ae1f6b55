"""Import-alias table: turns `tf.math.log`, `K.log`, `log` (from `from tensorflow.math import log`) into
the dotted name of the API they really are.

One pass over the module's imports is enough; this is much cheaper than libcst's ScopeProvider +
QualifiedNameProvider (about 8x a parse on real Keras code) and answers the only question checks ask.
"""

from __future__ import annotations

import libcst as cst


def dotted(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` as a string, or None when the expression is not a plain attribute chain."""
    # Exact type tests: an isinstance() that fails against libcst's node classes (ABCMeta) is a Python-level
    # subclass check, and this runs on every call's callee (850,000 such checks on 400 files, issue 17).
    parts: list[str] = []
    while type(expr) is cst.Attribute:
        parts.append(expr.attr.value)
        expr = expr.value
    if type(expr) is not cst.Name:
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def called_name(call: cst.Call) -> str | None:
    """The last part of what is called, by spelling: `where` for `tf.where` and for a backend reached through
    `self.backend.numpy.where`, which no import resolves."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else None


class ImportTable:
    """Local name -> fully qualified module or object name, from every import statement in the module."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}
        # id(expression) -> (the expression, its qualified name) under the aliases known so far: the checks ask
        # for the same callees over and over (300,000 times on 400 files). The entry holds its expression, so
        # the id cannot be reused by another node while it is cached; an import added later clears it.
        self._qualified: dict[int, tuple[cst.BaseExpression, str | None]] = {}
        # `from . import losses` -> {"losses": ".losses"}: a sibling module of the project, read only to find the
        # callers of its functions (`project_name`); its calls keep no qualified name, so an operation spelled on
        # it (`bkd.norm` of deepxde's `from . import backend as bkd`) is still read by its method name
        self._sibling_modules: dict[str, str] = {}
        # local name -> the module a plain `import X as local` binds it to (what another file may re-export)
        self._module_imports: dict[str, str] = {}

    def add_import(self, node: cst.Import) -> None:
        self._qualified.clear()
        for alias in node.names:
            full = dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._aliases[alias.asname.name.value] = full
                self._module_imports[alias.asname.name.value] = full
            else:
                # `import tensorflow.keras` binds `tensorflow`
                top = full.split(".", 1)[0]
                self._aliases[top] = top
                self._module_imports[top] = top

    def add_import_from(self, node: cst.ImportFrom) -> None:
        self._qualified.clear()
        if node.module is None and node.relative and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if isinstance(alias.name, cst.Name):
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    if isinstance(bound, cst.Name):
                        self._sibling_modules[bound.value] = "." * len(node.relative) + alias.name.value
            return
        if node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted(node.module)
        if module is None:
            return
        # `from .layers import f` -> `.layers.f`: a file of the same project (analysis/project.py resolves it)
        module = "." * len(node.relative) + module
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._aliases[local] = f"{module}.{alias.name.value}"

    def bound_module(self, local: str) -> str | None:
        """The module a plain `import tensorflow as tf` (or `import keras`) binds `local` to; None for a name bound
        otherwise (`from x import y`, not imported)."""
        return self._module_imports.get(local)

    def rebind(self, local: str, qualified: str) -> None:
        """`local` refers to `qualified` (a name another project file re-exports: `from pkg import tf` of a
        `pkg/__init__.py` that does `import tensorflow as tf`)."""
        self._qualified.clear()
        self._aliases[local] = qualified

    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        """The dotted name `expr` refers to through the imports, or None when it is not imported."""
        cached = self._qualified.get(id(expr))
        if cached is not None and cached[0] is expr:
            return cached[1]
        qualified = self._qualified_name(expr)
        self._qualified[id(expr)] = (expr, qualified)
        return qualified

    def project_name(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name, or for a function of a sibling module imported with `from . import losses`, its
        relative name (`losses.focal` -> `.losses.focal`), which analysis/project.py resolves to a project file."""
        qualified = self.qualified_name(expr)
        if qualified is not None:
            return qualified
        name = dotted(expr)
        head, _, rest = (name or "").partition(".")
        module = self._sibling_modules.get(head)
        return f"{module}.{rest}" if module is not None and rest else None

    def sibling_module(self, name: str) -> str | None:
        """The relative module a name is bound to by `from . import backend` (`.backend`), or None."""
        return self._sibling_modules.get(name)

    def _qualified_name(self, expr: cst.BaseExpression) -> str | None:
        name = dotted(expr)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self._aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def packages(self) -> set[str]:
        """The top-level packages the module imports from (`torch` for `from torch import nn`)."""
        return {full.lstrip(".").split(".", 1)[0] for full in self._aliases.values() if not full.startswith(".")}

    def spell(self, qualified_name: str) -> str | None:
        """How this file would write `qualified_name` with the imports it already has (`tensorflow.math.log_sigmoid`
        -> `tf.math.log_sigmoid`), or None when nothing it imports leads there."""
        parts = qualified_name.split(".")
        for cut in range(len(parts), 0, -1):
            locals_ = self.local_names_for(".".join(parts[:cut]))
            if locals_:
                return ".".join([sorted(locals_)[0], *parts[cut:]])
        return None

    def spell_any(self, *qualified_names: str) -> str | None:
        """The first of `qualified_names` this file can spell with its imports."""
        return next((spelled for spelled in map(self.spell, qualified_names) if spelled), None)

    def local_names_for(self, qualified_prefix: str) -> list[str]:
        """Local names bound to `qualified_prefix` (used by fixes to write code in the file's own style)."""
        return [local for local, full in self._aliases.items() if full == qualified_prefix]
