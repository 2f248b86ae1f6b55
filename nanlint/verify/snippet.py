"""Slice the code around a finding out of its module: the enclosing function (or the class of the enclosing
method), plus the imports and module-level definitions it needs, transitively, and nothing that runs at
module level (data loading, fit, prints, file I/O). Re-parsing is fine here: the verifier is its own subsystem."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Snippet:
    source: str
    entry: str  # the function or class to run
    kind: str  # "function" | "layer" (a class: instantiated with no arguments, then called)
    params: tuple[str, ...]
    unresolved: tuple[str, ...] = ()
    probed: bool = False  # the flagged expression is wrapped in the worker's probes (see PROBE_OUT)


# Names the worker defines: PROBE_OUT records the flagged op's value and the gradient reaching it,
# PROBE_IN each operand's value and the gradient the op sends back, so a verdict is about that op alone.
PROBE_OUT, PROBE_IN = "__nanlint_out__", "__nanlint_in__"


class SnippetError(Exception):
    """The finding cannot be turned into something runnable; the message says why, `reason` is one of
    nanlint.verify.reasons.REASONS."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def extract(source: str, line: int, col: int | None = None, end: tuple[int, int] | None = None) -> Snippet:
    """The snippet for a finding at `line`; with its 1-based `col` and exclusive `end`, the flagged
    expression is probed."""
    module = cst.parse_module(source)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    enclosing = next((s for s in module.body
                      if positions[s].start.line <= line <= positions[s].end.line), None)
    if not isinstance(enclosing, (cst.FunctionDef, cst.ClassDef)):
        raise SnippetError("the finding is in module-level code; the verifier runs functions, methods and layers",
                           "module-level")
    entry, kind, params = _entry_point(enclosing)
    flagged = _flagged(enclosing, positions, line, col, end) if col is not None and end is not None else None
    ordered, unresolved = _slice(module, [enclosing], _is_definition)
    if flagged is not None:
        ordered = [enclosing.deep_replace(flagged, _probe(flagged)) if s is enclosing else s for s in ordered]
    code = "".join(module.code_for_node(s) for s in ordered)
    return Snippet(code, entry, kind, params, unresolved, probed=flagged is not None)


def extract_model(source: str, line: int) -> Snippet:
    """The model-building statement at `line` (`model = Sequential([...])`, or a function that returns a
    model), its `model.compile(...)` and the assignments those need (an optimizer), never `fit` or data."""
    module = cst.parse_module(source)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    enclosing = next((s for s in module.body
                      if positions[s].start.line <= line <= positions[s].end.line), None)
    if isinstance(enclosing, cst.FunctionDef):
        roots, entry, kind = [enclosing], enclosing.name.value, "model_factory"
    else:
        assigned = _defined_names(enclosing) if isinstance(enclosing, cst.SimpleStatementLine) else set()
        assigned = assigned or {name for name in _names_used(enclosing) if _compiles(enclosing, name)}
        if len(assigned) != 1:
            raise SnippetError("the model is not built by an assignment or a function the verifier can run",
                               "not-a-model")
        entry, kind = assigned.pop(), "model"
        roots = [enclosing, *(s for s in module.body if _compiles(s, entry))]
    ordered, unresolved = _slice(module, roots, _is_model_setup)
    return Snippet("".join(module.code_for_node(s) for s in ordered), entry, kind, (), unresolved)


def _compiles(statement: cst.CSTNode, model: str) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "compile"
        and isinstance(small.value.func.value, cst.Name) and small.value.func.value.value == model
        for small in statement.body)


# Calls that read data or train: a model-setup assignment that makes one is not run by the verifier.
_SIDE_EFFECT_CALLS = frozenset({"fit", "load", "loadtxt", "read_csv", "open", "read", "print", "evaluate",
                                "predict", "save", "load_model", "load_weights", "train_on_batch"})


def _is_model_setup(statement: cst.CSTNode) -> bool:
    """Definitions, plus assignments built from calls that neither read data nor train (an optimizer)."""
    if _is_definition(statement):
        return True
    if not (isinstance(statement, cst.SimpleStatementLine)
            and all(isinstance(small, cst.Assign) for small in statement.body)):
        return False
    called: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            func = call.func
            called.add(func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", ""))

    statement.visit(Calls())
    return not called & _SIDE_EFFECT_CALLS


def _slice(module: cst.Module, roots: list[cst.CSTNode], includable) -> tuple[list[cst.CSTNode], tuple[str, ...]]:
    """The roots plus the module-level statements they need, transitively, in source order; and the names
    that nothing safe defines."""
    definitions = {name: statement for statement in module.body if includable(statement)
                   for name in _defined_names(statement)}
    needed: list[cst.CSTNode] = []
    unresolved: set[str] = set()
    pending: list[cst.CSTNode] = list(roots)
    while pending:
        node = pending.pop()
        if any(node is seen for seen in needed):
            continue
        needed.append(node)
        if _is_import(node):
            continue
        local = _locals(node)
        for name in _names_used(node):
            statement = definitions.get(name)
            if statement is not None:
                pending.append(statement)
            elif name not in _BUILTINS and name not in local:
                unresolved.add(name)
    return [s for s in module.body if any(s is n for n in needed)], tuple(sorted(unresolved))


def _flagged(enclosing, positions, line: int, col: int, end: tuple[int, int]):
    """The call or binary operation whose source range is the finding's (libcst columns are 0-based)."""
    for node, where in positions.items():
        if (isinstance(node, (cst.Call, cst.BinaryOperation))
                and (where.start.line, where.start.column + 1) == (line, col)
                and (where.end.line, where.end.column + 1) == end and _within(node, enclosing)):
            return node
    return None


def _within(node: cst.CSTNode, enclosing: cst.CSTNode) -> bool:
    found = False

    class Find(cst.CSTVisitor):
        def on_visit(self, candidate: cst.CSTNode) -> bool:
            nonlocal found
            found = found or candidate is node
            return not found

    enclosing.visit(Find())
    return found


def _wrap(name: str, expr: cst.BaseExpression) -> cst.Call:
    return cst.Call(cst.Name(name), [cst.Arg(expr)])


def _probe(node: cst.Call | cst.BinaryOperation) -> cst.Call:
    if isinstance(node, cst.Call):
        inner = node.with_changes(args=[a.with_changes(value=_wrap(PROBE_IN, a.value)) if a.keyword is None
                                        and not a.star else a for a in node.args])
    else:
        inner = node.with_changes(left=_wrap(PROBE_IN, node.left), right=_wrap(PROBE_IN, node.right))
    return _wrap(PROBE_OUT, inner)


def _entry_point(enclosing: cst.FunctionDef | cst.ClassDef) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(enclosing, cst.FunctionDef):
        return enclosing.name.value, "function", _required_params(enclosing.params.params)
    call = next((s for s in enclosing.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "call"), None)
    if call is None:
        raise SnippetError(f"class {enclosing.name.value} has no call() method to run", "no-entry-point")
    return enclosing.name.value, "layer", _required_params(call.params.params[1:])


def _required_params(params) -> tuple[str, ...]:
    """Parameters with defaults (gamma=2.0, training=False) keep the user's default."""
    return tuple(p.name.value for p in params if p.default is None)


def _names_used(node: cst.CSTNode) -> set[str]:
    names: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            names.add(name.value)

    node.visit(Collect())
    return names


def _defined_names(statement: cst.CSTNode) -> set[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return {statement.name.value}
    names: set[str] = set()
    for small in getattr(statement, "body", ()):
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
            for alias in small.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names.add(alias.asname.name.value)
                else:
                    names.add(cst.Module([]).code_for_node(alias.name).split(".")[0])
        elif isinstance(small, cst.Assign):
            names.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
        elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            names.add(small.target.value)
    return names


def _is_definition(statement: cst.CSTNode) -> bool:
    """Statements safe to run on import: imports, defs, classes, assignments of constants. A module-level
    `data = np.load(...)` is not one: a function that needs it gets an unresolved name, not the file read."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return True
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return all(isinstance(small, (cst.Import, cst.ImportFrom))
               or (isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None
                   and _is_constant(small.value))
               for small in statement.body)


def _is_constant(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString, cst.Name, cst.Attribute)):
        return True
    if isinstance(expr, cst.UnaryOperation):
        return _is_constant(expr.expression)
    if isinstance(expr, cst.BinaryOperation):
        return _is_constant(expr.left) and _is_constant(expr.right)
    if isinstance(expr, (cst.Tuple, cst.List)):
        return all(_is_constant(e.value) for e in expr.elements)
    return False


def _is_import(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in node.body)


def _locals(node: cst.CSTNode) -> set[str]:
    """Names bound inside the definition, and attribute/keyword names (never module-level lookups)."""
    names: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Param(self, param: cst.Param) -> None:
            names.add(param.name.value)

        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            names.update(_names_used(target))

        def visit_For(self, loop: cst.For) -> None:
            names.update(_names_used(loop.target))

        def visit_CompFor(self, comp: cst.CompFor) -> None:
            names.update(_names_used(comp.target))

        def visit_FunctionDef(self, function: cst.FunctionDef) -> None:
            names.add(function.name.value)

        def visit_ClassDef(self, cls: cst.ClassDef) -> None:
            names.add(cls.name.value)

        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            names.add(attribute.attr.value)

        def visit_Arg(self, arg: cst.Arg) -> None:
            if arg.keyword is not None:
                names.add(arg.keyword.value)

        def visit_AsName(self, asname: cst.AsName) -> None:
            names.update(_names_used(asname.name))

        def visit_Import(self, node: cst.Import) -> None:
            names.update(_defined_names(cst.SimpleStatementLine([node])))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            names.update(_defined_names(cst.SimpleStatementLine([node])))

    node.visit(Collect())
    return names
