"""The one binder: what a name, `self.attr` or `obj.attr` refers to at a point of a module.

Every lookup in the analysis goes through `Binder.resolve`. Python's rules, as far as a linter needs them:
inside a function, a name is the last binding before the point in the same function, else a parameter, else
the *last* binding in an enclosing scope (the inner function runs after its enclosing body has been
executed, so order there no longer matters). Attributes assigned through `self` anywhere in a class, or in
one of its base classes defined in the module, are the class's attributes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from nanlint.analysis.module import (AssignedValue, CallSite, ClassInfo, ComprehensionTarget, Element, ModuleAnalysis,
                                    Scope, Unpacked)
from nanlint.analysis.walk import descendants

# A sequence number after every statement: "the last binding in that scope, wherever it is".
END = 1 << 62
# Methods that change a list in place: a list bound to a name and changed by one is not its literal any more.
_MUTATING_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear",
                               "__setitem__", "__delitem__", "__iadd__"})


class Point(Protocol):
    """Where a lookup happens: a `Site`, or anything else with a scope and a source-order number."""

    @property
    def scope(self) -> Scope: ...

    @property
    def seq(self) -> int: ...


@dataclass(frozen=True)
class At:
    """A point built by the analysis itself (the end of a function body, a binding's own position)."""

    scope: Scope
    seq: int = END


class BindingKind(enum.Enum):
    ASSIGNED = "assigned"  # `x = expr`, `x: T = expr`, `x += y` (as `x = x + y`), `(x := expr)`
    UNPACKED = "unpacked"  # `a, b = f()` where the right side is not a literal tuple
    PARAMETER = "parameter"  # a parameter of the function (or lambda) that binds it
    ELEMENT = "element"  # a loop or comprehension target: an element of what it iterates
    OPAQUE = "opaque"  # bound, but to nothing the analysis follows: a `def`, a starred loop target


@dataclass(frozen=True)
class Binding:
    name: str
    kind: BindingKind
    scope: Scope  # the scope that binds the name
    seq: int  # the binding's position in source order (-1 for a parameter)
    value: AssignedValue = None

    @property
    def expression(self) -> cst.BaseExpression | None:
        """The assigned expression, when the binding is a plain assignment."""
        return self.value if isinstance(self.value, cst.BaseExpression) else None  # BindingKind.ASSIGNED

    @property
    def element(self) -> Element | None:
        """What a loop or comprehension target iterates, and which part of each element it receives."""
        return self.value if isinstance(self.value, Element) else None  # BindingKind.ELEMENT

    @property
    def at(self) -> At:
        """The point at which the bound expression was evaluated."""
        return At(self.scope, self.seq)


class Binder:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._defs: dict[tuple[int, str], Scope] | None = None
        self._method_calls: dict[tuple[int, str], list[CallSite]] | None = None
        self._changed_in_place: dict[int, frozenset[str]] = {}  # id(scope) -> names whose items it writes

    def resolve(self, name: str, at: Point) -> Binding | None:
        """The binding of `name` visible at `at`, or None when the module never binds it (a builtin, a global
        from elsewhere, a name from an import)."""
        scope: Scope | None = at.scope
        seq = at.seq
        while scope is not None:
            target = _comprehension_target(scope, name, seq)
            if target is not None:
                return Binding(name, _kind_of(target.value), scope, target.seq, target.value)
            found = _last_before(scope, name, seq)
            # (a binding in a branch that cannot run with the lookup's: the one before it)
            while found is not None and seq != END and self.analysis.conditions.exclusive(scope, found[0], seq):
                found = _last_before(scope, name, found[0])
            if found is not None:
                where, value = found
                return Binding(name, _kind_of(value), scope, where, value)
            if name in scope.params:
                return Binding(name, BindingKind.PARAMETER, scope, -1)
            seq = END  # enclosing scopes ran before the inner function is called
            scope = scope.parent
        return None

    def follow(self, expr: cst.BaseExpression, at: Point, limit: int = 12) -> tuple[cst.BaseExpression, Point]:
        """The expression behind a chain of names (`b = a; c = b` -> the expression `a` was bound to) and the
        point where it was evaluated; stops at anything that is not a plain assignment."""
        for _ in range(limit):
            if isinstance(expr, cst.Subscript):
                element = self.literal_element(expr, at)
                if element is None:
                    break
                expr, at = element
                continue
            if not isinstance(expr, cst.Name):
                break
            binding = self.resolve(expr.value, at)
            if binding is None or binding.expression is None:
                break
            expr, at = binding.expression, binding.at
        return expr, at

    def literal_element(self, subscript: cst.Subscript, at: Point) -> tuple[cst.BaseExpression, Point] | None:
        """`domain[1]` / `domain[-1]` of a name bound to a literal tuple or list (`domain = (low, high)`): that
        element's expression and the point where it was evaluated. None for any other subscript, and for a name
        whose items are written or changed in place anywhere in the binding's scope (`domain[0] = 0`,
        `del domain[0]`, `domain.append(x)`, in a loop or not), or rebound later in the same scope."""
        index = _constant_index(subscript)
        if index is None or not isinstance(subscript.value, cst.Name):
            return None
        name = subscript.value.value
        binding = self.resolve(name, at)
        container = binding.expression if binding is not None else None
        if binding is None or not isinstance(container, (cst.Tuple, cst.List)):
            return None
        if any(isinstance(element, cst.StarredElement) for element in container.elements):
            return None
        if not -len(container.elements) <= index < len(container.elements):
            return None
        if name in self._changed_in(binding.scope):
            return None
        if binding.scope is at.scope and any(seq > at.seq for seq, _ in binding.scope.assignments.get(name, ())):
            return None  # rebound after this point: in a loop, the next pass reads that binding
        return container.elements[index].value, binding.at

    def _changed_in(self, scope: Scope) -> frozenset[str]:
        """The names whose items the scope (or a function nested in it) writes, deletes or changes through a
        method: `d[0] = x`, `d[0] += x`, `del d[0]`, `d.append(x)`."""
        cached = self._changed_in_place.get(id(scope))
        if cached is not None:
            return cached
        names: set[str] = set()
        for node in descendants(scope.node):
            names.update(_items_changed(node))
        found = frozenset(names)
        self._changed_in_place[id(scope)] = found
        return found

    def method_calls(self, binding: Binding, methods: frozenset[str]) -> list[CallSite]:
        """The calls `name.method(...)` made on what `binding` binds, after it and while it is still the binding
        there, in source order: `out.append(x)` growing a list, `kwargs.update(...)` filling a dict."""
        if self._method_calls is None:
            self._method_calls = {}
            for call in self.analysis.calls:
                func = call.node.func
                if call.qualified_name is None and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                    self._method_calls.setdefault((id(call.site.scope), func.value.value), []).append(call)
        return [call for call in self._method_calls.get((id(binding.scope), binding.name), ())
                if isinstance(call.node.func, cst.Attribute) and call.node.func.attr.value in methods
                and call.site.seq > binding.seq and self.resolve(binding.name, call.site) == binding]

    def local_function(self, scope: Scope, name: str) -> Scope | None:
        """The function a `def name` directly in `scope` defines (a class body's defs are methods, not this)."""
        if self._defs is None:
            self._defs = {
                (id(function.parent), function.name.rsplit(".", 1)[-1]): function
                for function in self.analysis.functions.values()
                if function.parent is not None and function.class_name is None
            }
        return self._defs.get((id(scope), name))

    # -- classes ----------------------------------------------------------------------------
    def enclosing_class(self, scope: Scope) -> ClassInfo | None:
        """The class whose method `scope` is (or is nested in)."""
        current: Scope | None = scope
        while current is not None:
            if current.class_name is not None:
                return self.analysis.classes.get(current.class_name)
            current = current.parent
        return None

    def lineage(self, info: ClassInfo) -> list[ClassInfo]:
        """The class and its base classes defined in this module, nearest first (method resolution order for
        single inheritance; enough for `Layer.call`, `Model.call`, `train_step` overridden or inherited)."""
        chain: list[ClassInfo] = []
        pending = [info]
        while pending:
            current = pending.pop(0)
            if current in chain:
                continue
            chain.append(current)
            for base in current.bases:
                local = self.analysis.classes.get(base.rsplit(".", 1)[-1]) if "." not in base else None
                if local is not None:
                    pending.append(local)
        return chain

    def method(self, info: ClassInfo, name: str) -> Scope | None:
        """`name` as defined by the class or inherited from a base class of this module."""
        for cls in self.lineage(info):
            if name in cls.methods:
                return cls.methods[name]
        return None

    def called_method(self, info: ClassInfo) -> Scope | None:
        """What calling an instance of the class runs: its `call` (a Keras layer or model, whose `__call__` calls
        it), else its own `__call__` (keras-metrics' count layers override `__call__` and define no `call`)."""
        return self.method(info, "call") or self.method(info, "__call__")

    def attribute(self, info: ClassInfo, name: str) -> list[Binding]:
        """Every `self.name = ...` in the class and its local base classes, in source order."""
        found = [
            Binding(name, _kind_of(value), method, seq, value)
            for cls in self.lineage(info)
            for method, seq, value in cls.attributes.get(name, ())
        ]
        return sorted(found, key=lambda binding: binding.seq)

    def items_changed(self, binding: Binding) -> bool:
        """The scope that binds the name (or a function nested in it) writes, deletes or changes its items in place
        (`d[t] = x`, `d.append(x)`): what the binding stores is not all the name holds."""
        return binding.name in self._changed_in(binding.scope)

    def attribute_changed_in_place(self, info: ClassInfo, name: str) -> bool:
        """Some method of the class (or a local base) writes, deletes or changes the items of `self.name` in place
        (`self.table[i] = x`, `self.history.append(x)`): what its assignments store is not all it holds."""
        return any(f"self.{name}" in self._changed_in(method) for cls in self.lineage(info)
                   for method in cls.methods.values())

    def instance_class(self, expr: cst.BaseExpression, at: Point) -> tuple[ClassInfo, bool] | None:
        """The module class an expression is an instance of: (class, True) for `self` in a method, (class,
        False) for a name bound to `MyClass(...)`, or for an attribute `self.model` that every `self.model = ...`
        of the class (and its local bases) sets to a `MyClass(...)` of the same module class."""
        if isinstance(expr, cst.Name) and expr.value == "self":
            info = self.enclosing_class(at.scope)
            return (info, True) if info is not None else None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            owner = self.enclosing_class(at.scope)
            held = {self._constructed_class(binding.expression)
                    for binding in (self.attribute(owner, expr.attr.value) if owner is not None else [])}
            found = held.pop() if len(held) == 1 else None
            return (found, False) if found is not None else None
        target, _ = self.follow(expr, at)
        if isinstance(target, cst.Call) and isinstance(target.func, cst.Name):
            info = self.analysis.classes.get(target.func.value)
            if info is not None:
                return info, False
        return None


    def _constructed_class(self, expr: cst.BaseExpression | None) -> ClassInfo | None:
        """The module class `expr` constructs (`MyClass(...)`), or None."""
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            return self.analysis.classes.get(expr.func.value)
        return None


def _items_changed(node: cst.CSTNode) -> list[str]:
    """The names whose items one node writes, deletes or changes in place (`d[0] = x`, `del d[0]`, `d.sort()`)."""
    if isinstance(node, cst.Call):
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in _MUTATING_METHODS):
            return []
        changed = _changed_name(func.value)
        return [changed] if changed is not None else []
    if not isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del)):
        return []
    target = node.target
    names = []
    for part in descendants(target) if isinstance(target, (cst.Tuple, cst.List)) else (target,):
        while isinstance(part, cst.Subscript):
            changed = _changed_name(part.value)
            if changed is not None:
                names.append(changed)
            part = part.value
    return names


def _changed_name(expr: cst.BaseExpression) -> str | None:
    """The name an in-place change is recorded under: `d` for `d`, `self.d` for `self.d` (an attribute of the
    instance, changed by any method)."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        return f"self.{expr.attr.value}"
    return None


def _constant_index(subscript: cst.Subscript) -> int | None:
    """The integer of `x[1]` / `x[-1]`; None for a slice, several indices or anything computed."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    index = subscript.slice[0].slice.value
    sign = 1
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        index, sign = index.expression, -1
    if not isinstance(index, cst.Integer):
        return None
    return sign * int(index.evaluated_value)


def _last_before(scope: Scope, name: str, seq: int) -> tuple[int, AssignedValue] | None:
    best = None
    for at, value in scope.assignments.get(name, ()):
        if at < seq:
            best = (at, value)
    return best


def _comprehension_target(scope: Scope, name: str, seq: int) -> ComprehensionTarget | None:
    """The innermost comprehension around `seq` whose `for` binds `name`."""
    best = None
    for target in scope.comprehension_targets.get(name, ()):
        if target.start < seq < target.end and (best is None or target.start > best.start):
            best = target
    return best


def _kind_of(value: AssignedValue) -> BindingKind:
    if isinstance(value, Unpacked):
        return BindingKind.UNPACKED
    if isinstance(value, Element):
        return BindingKind.ELEMENT
    if value is None:
        return BindingKind.OPAQUE
    return BindingKind.ASSIGNED
