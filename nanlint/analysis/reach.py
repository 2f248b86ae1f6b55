"""Which values of a graph-building function reach what the function differentiates.

A TF1 function that calls `tf.gradients(loss, params)` or `opt.minimize(loss)` is differentiated, but only the
values its differentiated arguments are computed from carry a gradient. Beside the loss such a function builds
statistics of the graph that only `sess.run` ever evaluates: the norms of the gradients it just took, an explained
variance, a KL diagnostic (stable-baselines' ACER builds a dozen of them next to its `tf.gradients`). This module
follows the names of one function, and the `self.` attributes it stores, back from the roots that may be
differentiated, and answers which assignments reach none of them.

Roots, read conservatively (a value that reaches one may be differentiated): the arguments of the function's
differentiating calls; what it returns; what a call made for its effect receives (`tf.add_to_collection(...)`,
anything but a sink or a container's `append`); every name a nested function or lambda reads; an attribute that
code outside the function reads other than through `sess.run`, or that nothing in the module reads (another file
may differentiate it). `sess.run(...)` and `.eval()` return NumPy values: what they are given does not flow into
their result.

A function that takes gradients and applies them (`compute_gradients`/`tf.gradients`, then `apply_gradients`) is a
training step: what it computes from those gradients (their global norm, their clipping) is update code, whatever
other code fetches it (`applied_gradient_processing`); only its own differentiating calls' arguments count as roots
there, since only a second differentiation (a gradient penalty added to a loss) would differentiate a gradient.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import libcst as cst

from nanlint.analysis.names import dotted
from nanlint.analysis.walk import body_statements, descendants, suites

# Methods that put a value into their receiver (the receiver then holds it) rather than use it.
_CONTAINER_METHODS = frozenset({"append", "extend", "insert", "add", "appendleft", "update", "setdefault"})
_Key = str  # a local name, or ".attr" for an attribute stored through any receiver


def unreached_assignments(scope_node: cst.FunctionDef | cst.Module, module: cst.Module,
                          roots: list[cst.BaseExpression], is_sink: Callable[[cst.Call], bool]) -> list[cst.CSTNode]:
    """The assigned values (and augmented ones) in `scope_node`'s own statements whose targets reach none of the
    roots: the given expressions (the differentiating calls' arguments) and the conservative ones above."""
    flow = _Flow(is_sink)
    for expr in roots:
        flow.roots |= flow.reads(expr)
    assignments: list[tuple[list[_Key], cst.CSTNode]] = []
    for statement in _statements(scope_node):
        flow.statement(statement, assignments)
    stored = {key for keys, _ in assignments for key in keys if key.startswith(".")}
    if stored:
        outside = _reads_outside(module, scope_node)
        read_inside = flow.roots.union(*flow.deps.values())
        # read outside other than through sess.run, or read nowhere in the module (another file may differentiate it)
        flow.roots |= {key for key in stored if outside.get(key[1:], key not in read_inside)}
    reaching = flow.closure()
    return [value for keys, value in assignments if keys and not any(key in reaching for key in keys)]


def applied_gradient_processing(scope_node: cst.FunctionDef | cst.Module, producers: list[cst.Call],
                                roots: list[cst.BaseExpression], is_sink: Callable[[cst.Call], bool],
                                applies: Callable[[cst.Call], bool]) -> list[tuple[cst.CSTNode, cst.Call]]:
    """In a graph-building function that takes gradients (`producers`: `opt.compute_gradients(loss)`,
    `tf.gradients(loss, params)`) and applies them (`opt.apply_gradients(...)` reads them), the assigned values computed
    from those gradients (their global norm, their clipping) from which no differentiating call's argument (`roots`)
    is computed, each with the producer whose gradients it is computed from: update code, never differentiated, also
    when stored in an attribute that other code fetches (reaver's `self.grads_norm`, logged through a session
    wrapper). A value computed from gradients is differentiated only by a second differentiating call (a gradient
    penalty added to the loss), which reaches it from its arguments."""
    flow = _Flow(is_sink)
    for expr in roots:
        flow.roots |= flow.reads(expr)
    strict = set(flow.roots)  # the statements' conservative roots (returns, effects) are not taken here
    assignments: list[tuple[list[_Key], cst.CSTNode]] = []
    for statement in _statements(scope_node):
        flow.statement(statement, assignments)
    flow.roots = strict
    reaching = flow.closure()
    made_by = _made_by(assignments, producers)
    calls = [node for node in descendants(scope_node) if isinstance(node, cst.Call) and applies(node)]
    found: list[tuple[cst.CSTNode, cst.Call]] = []
    for producer in producers:
        derived = _derived(flow, assignments, made_by, producer)
        if not any(flow.reads(arg.value) & derived for call in calls for arg in call.args):
            continue
        found.extend((value, producer) for keys, value in assignments
                     if id(value) not in made_by and keys and all(key in derived and key not in reaching
                                                                  for key in keys))
    return found


def _made_by(assignments: list[tuple[list[_Key], cst.CSTNode]], producers: list[cst.Call]) -> dict[int, cst.Call]:
    """Assigned value id -> the producer call inside it (`grads, params = zip(*opt.compute_gradients(loss))`)."""
    producer_ids = {id(call): call for call in producers}
    made_by: dict[int, cst.Call] = {}
    for _, value in assignments:
        for node in descendants(value):
            if id(node) in producer_ids:
                made_by.setdefault(id(value), producer_ids[id(node)])
    return made_by


def _derived(flow: _Flow, assignments: list[tuple[list[_Key], cst.CSTNode]], made_by: dict[int, cst.Call],
             producer: cst.Call) -> set[_Key]:
    """The keys computed from what `producer` returns, not through another producer (whose gradients are its own:
    a penalty's slopes flow into a loss, whose gradients are new values)."""
    derived = {key for keys, value in assignments if made_by.get(id(value)) is producer for key in keys}
    others = {key for keys, value in assignments if id(value) in made_by for key in keys} - derived
    changed = True
    while changed:
        changed = False
        for key, sources in flow.deps.items():
            if key not in derived and key not in others and sources & derived:
                derived.add(key)
                changed = True
    return derived


class _Flow:
    def __init__(self, is_sink: Callable[[cst.Call], bool]) -> None:
        self.is_sink = is_sink
        self.deps: dict[_Key, set[_Key]] = defaultdict(set)
        self.roots: set[_Key] = set()

    def reads(self, expr: cst.CSTNode) -> set[_Key]:
        """The names and attributes an expression's value is computed from (not through `sess.run`, `.eval()` or
        a sink, whose results hold no graph value)."""
        found: set[_Key] = set()
        skipped: set[int] = set()
        for node in descendants(expr):
            if id(node) in skipped:
                continue
            if isinstance(node, cst.Call) and (_evaluates(node) or self.is_sink(node)):
                skipped.update(id(inner) for inner in descendants(node))
            elif isinstance(node, cst.Attribute):
                found.add("." + node.attr.value)
                skipped.add(id(node.attr))
            elif isinstance(node, cst.Arg) and node.keyword is not None:
                skipped.add(id(node.keyword))
            elif isinstance(node, cst.Name):
                found.add(node.value)
        return found

    def statement(self, statement: cst.CSTNode, assignments: list[tuple[list[_Key], cst.CSTNode]]) -> None:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                self._small(small, assignments)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            self.roots |= self.reads(statement)
        elif isinstance(statement, cst.For):
            self._bind(_targets(statement.target), self.reads(statement.iter))
        elif isinstance(statement, cst.With):
            for item in statement.items:
                if item.asname is not None:
                    self._bind(_targets(item.asname.name), self.reads(item.item))

    def _small(self, small: cst.BaseSmallStatement, assignments: list[tuple[list[_Key], cst.CSTNode]]) -> None:
        if isinstance(small, cst.Assign):
            keys = [key for target in small.targets for key in _targets(target.target)]
            self._bind(keys, self.reads(small.value) | _indices(self, [t.target for t in small.targets]))
            assignments.append((keys, small.value))
        elif isinstance(small, (cst.AugAssign, cst.AnnAssign)) and small.value is not None:
            keys = _targets(small.target)
            self._bind(keys, self.reads(small.value) | _indices(self, [small.target])
                       | (set(keys) if isinstance(small, cst.AugAssign) else set()))
            assignments.append((keys, small.value))
        elif isinstance(small, cst.Expr):
            call = small.value
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) \
                    and call.func.attr.value in _CONTAINER_METHODS:
                self._bind(_targets(call.func.value), {key for arg in call.args for key in self.reads(arg.value)})
            else:
                self.roots |= self.reads(call)
        elif isinstance(small, cst.Return) and small.value is not None:
            self.roots |= self.reads(small.value)

    def _bind(self, keys: list[_Key], sources: set[_Key]) -> None:
        for key in keys:
            self.deps[key] |= sources

    def closure(self) -> set[_Key]:
        reaching = set(self.roots)
        pending = list(reaching)
        while pending:
            for source in self.deps.get(pending.pop(), ()):
                if source not in reaching:
                    reaching.add(source)
                    pending.append(source)
        return reaching


def _evaluates(call: cst.Call) -> bool:
    """`sess.run(...)`, `self.sess.run(...)`, `t.eval()`: a NumPy result, no graph value."""
    if not isinstance(call.func, cst.Attribute):
        return False
    if call.func.attr.value == "eval":
        return True
    receiver = dotted(call.func.value) or ""
    return call.func.attr.value == "run" and receiver.rsplit(".", 1)[-1].lower() in ("sess", "session")


def _targets(target: cst.BaseExpression) -> list[_Key]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Attribute):
        return ["." + target.attr.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [key for element in target.elements for key in _targets(element.value)]
    if isinstance(target, (cst.Subscript, cst.StarredElement)):
        return _targets(target.value)
    return []


def _indices(flow: _Flow, targets: list[cst.BaseExpression]) -> set[_Key]:
    """What the subscripts of `a[i] = v` read: the index is part of what `a` then holds."""
    found: set[_Key] = set()
    for target in targets:
        for node in descendants(target):
            if isinstance(node, cst.Subscript):
                for element in node.slice:
                    found |= flow.reads(element)
    return found


def _statements(node: cst.FunctionDef | cst.Module) -> Iterator[cst.CSTNode]:
    """Every statement of a function body or module, compound ones and what is inside them, but not the bodies
    of nested functions and classes (yielded whole)."""
    pending: list[cst.CSTNode] = list(body_statements(node))
    while pending:
        statement = pending.pop()
        yield statement
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or not isinstance(statement, cst.BaseCompoundStatement):
            continue
        for suite in suites(statement):
            pending.extend(suite.body)


def _reads_outside(module: cst.Module, scope_node: cst.CSTNode) -> dict[str, bool]:
    """The attributes code outside `scope_node` reads: True where one read is not through `sess.run`/`.eval()`
    (so that code may differentiate it), False where every read is."""
    inside = {id(node) for node in descendants(scope_node)}
    evaluated: set[int] = set()  # read through sess.run / .eval()
    stored: set[int] = set()  # assigned to (`self.ops = None` in __init__), not read
    found: dict[str, bool] = {}
    for node in descendants(module):
        if isinstance(node, cst.Call) and _evaluates(node):
            evaluated.update(id(inner) for inner in descendants(node))
        elif isinstance(node, cst.AssignTarget):
            stored.add(id(node.target))
        elif isinstance(node, cst.Attribute) and id(node) not in inside and id(node) not in stored:
            found[node.attr.value] = found.get(node.attr.value, False) or id(node) not in evaluated
    return found
