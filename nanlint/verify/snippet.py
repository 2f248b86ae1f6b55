"""Slice the code around a finding out of its module: the enclosing function (or the class of the enclosing
method), plus the imports and module-level definitions it needs, transitively, and nothing that runs at
module level (data loading, fit, prints, file I/O). Re-parsing is fine here: the verifier is its own subsystem."""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn, TypedDict, TypeGuard

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from nanlint.analysis.keras import WEIGHTED
from nanlint.analysis.training import OPTIMIZER_DEFAULT_LR

_BUILTINS = frozenset(dir(builtins))
# Where each node of the parsed module lies (libcst's PositionProvider), and each node's parent.
Positions = Mapping[cst.CSTNode, CodeRange]
Parents = Mapping[cst.CSTNode, cst.CSTNode]
# A module-level statement the slice may keep, or a function/class a slice starts from.
Includable = Callable[[cst.CSTNode], bool]


@dataclass(frozen=True)
class Snippet:
    source: str
    entry: str  # the function or class to run
    kind: str  # "function" | "layer" (a class: instantiated with no arguments, then called)
    params: tuple[str, ...]
    unresolved: tuple[str, ...] = ()
    probed: bool = False  # the flagged expression is wrapped in the worker's probes (see PROBE_OUT)
    # Parameters the function unpacks (`x, y = vects`): how many tensors each one is a tuple of.
    arity: tuple[tuple[str, int], ...] = ()
    # Parameters that say where to compute, not what (see ROLES): fed a structural value, never a witness row.
    roles: tuple[tuple[str, str], ...] = ()
    # NumPy code (see _numpy_only): its witnesses are NumPy arrays, not tensors (`image.astype`, `img.std()`).
    numpy: bool = False
    # The module's own precision context: its global policy / floatx, and whether float16 appears at all (a
    # float16 witness is fed only to code that can produce float16).
    policy: str | None = None
    floatx: str | None = None
    float16: bool = False


# Names the worker defines: PROBE_OUT records the flagged op's value and the gradient reaching it,
# PROBE_IN each operand's value and the gradient the op sends back, so a verdict is about that op alone.
PROBE_OUT, PROBE_IN = "__nanlint_out__", "__nanlint_in__"
LEGACY_BACKEND = "__nanlint_backend__"


_POLICY = re.compile(r"""set_(?:global_)?policy\(\s*(?:[\w.]*Policy\(\s*)?['"](\w+)['"]""")
_FLOATX = re.compile(r"""set_floatx\(\s*['"](\w+)['"]""")


class Precision(TypedDict):
    """The Snippet fields that say in which precision the module computes."""

    policy: str | None
    floatx: str | None
    float16: bool


def precision(source: str) -> Precision:
    """The precision the module sets up for itself (the last policy / floatx call wins, as at run time)."""
    policies, floatx = _POLICY.findall(source), _FLOATX.findall(source)
    return {"policy": policies[-1] if policies else None, "floatx": floatx[-1] if floatx else None,
            "float16": "float16" in source or "tf.half" in source}


class SnippetError(Exception):
    """The finding cannot be turned into something runnable; the message says why, `reason` is one of
    nanlint.verify.reasons.REASONS."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def extract(source: str, line: int, col: int | None = None, end: tuple[int, int] | None = None,
            module_code: bool = False) -> Snippet:
    """The snippet for a finding at `line`; with its 1-based `col` and exclusive `end`, the flagged
    expression is probed. Without `module_code`, nothing the file runs at import time is run (see
    _guard_module_code)."""
    return dataclasses.replace(_extract(source, line, col, end, module_code), **precision(source))


def extract_model(source: str, line: int, module_code: bool = False) -> Snippet:
    """The model-building statement at `line` and what it needs (see _extract_model)."""
    return dataclasses.replace(_extract_model(source, line, module_code), **precision(source))


def extract_expression(source: str, line: int, col: int, end: tuple[int, int]) -> Snippet:
    """The flagged expression as a function of its cut points (see _extract_expression)."""
    return dataclasses.replace(_extract_expression(source, line, col, end), **precision(source))


def _extract(source: str, line: int, col: int | None, end: tuple[int, int] | None, module_code: bool) -> Snippet:
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
    _guard_module_code(ordered, module_code, positions)  # refuses before anything is rewritten
    if flagged is not None:
        ordered = [_probed(enclosing, flagged) if s is enclosing else s for s in ordered]
    ordered = _guard_module_code(ordered, module_code, None)
    arity = _unpacked(enclosing, params) if isinstance(enclosing, cst.FunctionDef) else ()
    imported = set().union(*(_defined_names(s) for s in module.body if _is_import(s)))
    roles = _roles(enclosing, params, imported) if isinstance(enclosing, cst.FunctionDef) else ()
    used = set().union(*(_names_used(s) for s in ordered if not _is_import(s)))
    code = "".join(module.code_for_node(s) + (_after_imports(source, ordered) if s is _last_import(ordered) else "")
                   for s in ordered)
    return Snippet(code, entry, kind, params, unresolved, probed=flagged is not None, arity=arity, roles=roles,
                   numpy=_numpy_only([s for s in ordered if _is_import(s)], used))


# The array libraries a snippet may compute with; one that uses NumPy and none of the others is NumPy code.
_TENSOR_LIBRARIES = frozenset({"tensorflow", "keras", "tf_keras", "torch", "jax"})


def _numpy_only(imports: Sequence[cst.CSTNode], used: set[str]) -> bool:
    """The names `used` that the imports bind reach NumPy and no tensor library: fed TensorFlow tensors, such
    code fails before its op runs (`Cannot interpret 'tf.float32' as a data type`, no `.astype`)."""
    libraries = {module for name, module in _imported_modules(imports).items() if name in used}
    return "numpy" in libraries and not libraries & _TENSOR_LIBRARIES


def _imported_modules(imports: Sequence[cst.CSTNode]) -> dict[str, str]:
    """Each name the import statements bind, to the top-level module it comes from (`np` -> numpy)."""
    bound: dict[str, str] = {}
    for statement in imports:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative \
                    and not isinstance(small.names, cst.ImportStar):
                root = cst.Module([]).code_for_node(small.module).split(".")[0]
                bound.update((name, root) for name in _defined_names(cst.SimpleStatementLine([small])))
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    root = cst.Module([]).code_for_node(alias.name).split(".")[0]
                    bound.update((name, root) for name in _defined_names(cst.SimpleStatementLine(
                        [small.with_changes(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)])])))
    return bound


def _probed(enclosing: cst.FunctionDef | cst.ClassDef, flagged: cst.Call | cst.BinaryOperation) -> cst.CSTNode:
    """The enclosing definition with the flagged expression wrapped in the worker's probes."""
    return enclosing.deep_replace(flagged, _probe(flagged))


def _unpacked(function: cst.FunctionDef, params: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """`x, y = vects` in the body: vects is a pair (Keras Lambda layers take their inputs as one list)."""
    found: dict[str, int] = {}

    class Find(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if (len(node.targets) == 1 and isinstance(node.targets[0].target, (cst.Tuple, cst.List))
                    and isinstance(node.value, cst.Name) and node.value.value in params):
                found.setdefault(node.value.value, len(node.targets[0].target.elements))

    function.visit(Find())
    return tuple(found.items())


# A parameter's role when the code uses it to say where to compute: an axis (`axis=a`, `tf.reduce_sum(x, a)`), a
# list of axes (`axes=a`, or a parameter named so: `list(axes)`), an index (`x[i, i]`, `x[i - 1]`). The worker
# feeds such a parameter one fixed value (worker.ROLE_VALUES: axis -1, axes [-1], index 0), valid on every witness
# shape: a float witness row there is a type error (`Value for attr 'Tidx' of float`), never a run.
AXIS, AXES, INDEX = "axis", "axes", "index"
_AXIS_KEYWORDS = frozenset({"axis", "axes", "reduction_indices", "dim"})
_PLURAL_AXES = frozenset({"axes", "reduction_indices", "dims"})
# Library ops whose second positional argument is the axis (`tf.reduce_sum(x, axes)`, `K.mean(x, axis)`).
_AXIS_SECOND = frozenset({
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_std", "reduce_variance",
    "reduce_logsumexp", "reduce_any", "reduce_all", "sum", "mean", "max", "min", "prod", "std", "var", "logsumexp",
    "moments", "squeeze", "expand_dims", "argmax", "argmin", "cumsum", "cumprod", "concat", "concatenate", "stack",
    "softmax", "log_softmax", "l2_normalize"})


def _roles(node: cst.CSTNode, params: Sequence[str], imported: set[str]) -> tuple[tuple[str, str], ...]:
    """The structural parameters among `params` by how `node` uses them (see AXIS)."""
    finder = _RoleFinder(params, imported)
    node.visit(finder)
    return tuple((p, finder.found[p]) for p in params if p in finder.found)


class _RoleFinder(cst.CSTVisitor):
    """An axis argument of a call through an import (a user's own `f(x, a)` says nothing), a name inside a
    subscript's index."""

    def __init__(self, params: Sequence[str], imported: set[str]) -> None:
        super().__init__()
        self.params, self.imported = params, imported
        self.found: dict[str, str] = {}

    def visit_Call(self, call: cst.Call) -> None:
        if _root(call.func) not in self.imported or not isinstance(call.func, cst.Attribute):
            return
        positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
        if _callee(call) in _AXIS_SECOND and len(positional) > 1:
            self._axis(positional[1].value, None)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in _AXIS_KEYWORDS:
                self._axis(arg.value, arg.keyword.value)

    def visit_SubscriptElement(self, element: cst.SubscriptElement) -> None:
        if isinstance(element.slice, cst.Index):
            for name in _index_names(element.slice.value):
                if name in self.params:
                    self.found.setdefault(name, INDEX)

    def _axis(self, value: cst.BaseExpression, keyword: str | None) -> None:
        if isinstance(value, cst.Name) and value.value in self.params:
            plural = keyword in _PLURAL_AXES or value.value in _PLURAL_AXES
            self.found.setdefault(value.value, AXES if plural else AXIS)


def _index_names(index: cst.BaseExpression) -> list[str]:
    """The names an index computes from by arithmetic (`i`, `i - 1`, `-i`), not through a call or subscript."""
    if isinstance(index, cst.Name):
        return [index.value]
    if isinstance(index, cst.UnaryOperation):
        return _index_names(index.expression)
    if isinstance(index, cst.BinaryOperation):
        return _index_names(index.left) + _index_names(index.right)
    return []


def _extract_model(source: str, line: int, module_code: bool) -> Snippet:
    """The model-building statement at `line` (`model = Sequential([...])`, or a function that returns a
    model), its `model.compile(...)` and the assignments those need (an optimizer), never `fit` or data."""
    module = cst.parse_module(source)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    enclosing = next((s for s in module.body
                      if positions[s].start.line <= line <= positions[s].end.line), None)
    roots: list[cst.CSTNode]
    if isinstance(enclosing, cst.FunctionDef):
        roots, entry, kind = [enclosing], enclosing.name.value, "model_factory"
        params = _required_params(enclosing.params.params)
    else:
        params = ()
        assigned = _defined_names(enclosing) if isinstance(enclosing, cst.SimpleStatementLine) else set()
        if not assigned and enclosing is not None:
            assigned = {name for name in _names_used(enclosing) if _compiles(enclosing, name)}
        if not assigned and enclosing is not None and _PRECISION_SETUP.search(module.code_for_node(enclosing)):
            # the module's precision set-up (NAN107 reports `K.set_floatx("float16")`): its one compiled model
            compiled = _the_compiled_model(module)
            assigned, enclosing = ({compiled[0]}, compiled[1]) if compiled is not None else (assigned, enclosing)
        if len(assigned) != 1 or enclosing is None:
            raise SnippetError("the model is not built by an assignment or a function the verifier can run",
                               "not-a-model")
        entry, kind = assigned.pop(), "model"
        if not any(_compiles(s, entry) for s in module.body):
            # an optimizer (NAN107 reports the optimizer): the model is the one compiled with it
            entry, enclosing = _compiled_with(module, entry) or (entry, enclosing)
        roots = [enclosing, *(s for s in module.body if _builds(s, entry))]
    ordered, unresolved = _slice(module, roots, _is_model_setup)
    ordered = [_with_keras3_keywords(s) for s in _guard_module_code(ordered, module_code, positions)]
    code = "".join(module.code_for_node(s) for s in ordered)
    return Snippet((_TIME_DECAY_HELPER if TIME_DECAY in code else "") + code, entry, kind, params, unresolved)


# Keyword arguments Keras 1/2 had and Keras 3 only renamed (same meaning, new name), by the classes that take
# them. A model written for old Keras is run under the new names. Of the removed arguments, an optimizer's `decay`
# is translated to what Keras 2 computed with it (below); any other is left as written, and the snippet then fails
# to run, which the verdict says.
_CONVOLUTIONS = frozenset({"Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
                           "SeparableConv2D", "Deconvolution2D", "Conv2DTranspose"})
_POOLING = frozenset({"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                      "AveragePooling3D", "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D"})
_KERAS3_KEYWORDS: dict[str, tuple[frozenset[str], str]] = {
    "lr": (frozenset(OPTIMIZER_DEFAULT_LR), "learning_rate"),
    "init": (WEIGHTED, "kernel_initializer"),
    "output_dim": (frozenset({"Dense", "Embedding"}), "units"),
    "nb_filter": (WEIGHTED, "filters"),
    "W_regularizer": (WEIGHTED, "kernel_regularizer"),
    "b_regularizer": (WEIGHTED, "bias_regularizer"),
    "border_mode": (_CONVOLUTIONS | _POOLING, "padding"),
    "subsample": (_CONVOLUTIONS, "strides"),
    "filter_length": (frozenset({"Conv1D", "Convolution1D"}), "kernel_size"),
    "pool_length": (frozenset({"MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"}), "pool_size"),
}
# Keras 2's optimizer `decay` (removed in Keras 3) scaled the rate by 1 / (1 + decay * iterations): TIME_DECAY,
# defined at the top of a snippet that uses it (so reproducers run too), builds the InverseTimeDecay schedule that
# computes exactly that.
TIME_DECAY = "__nanlint_time_decay__"
_TIME_DECAY_HELPER = f"""def {TIME_DECAY}(learning_rate, decay):
    import keras

    return keras.optimizers.schedules.InverseTimeDecay(learning_rate, decay_steps=1, decay_rate=decay)


"""


def _with_keras3_keywords(statement: cst.CSTNode) -> cst.CSTNode:
    renamed = statement.visit(_Keras3Keywords())
    return renamed if isinstance(renamed, cst.CSTNode) else statement  # it rewrites arguments, never statements


class _Keras3Keywords(cst.CSTTransformer):
    """`SGD(lr=0.1)` -> `SGD(learning_rate=0.1)`, `Dense(30, init='glorot_uniform')` ->
    `Dense(30, kernel_initializer='glorot_uniform')`: only on calls to the Keras classes that took the old name,
    so a user's own `build(lr=0.1)` keeps its keyword. An optimizer's `decay` becomes its rate's schedule, and an
    integer `momentum=0` the float Keras 3 requires."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        callee = _callee(updated)
        arguments = []
        for arg in updated.args:
            renamed = _KERAS3_KEYWORDS.get(arg.keyword.value) if arg.keyword is not None else None
            if renamed is not None and callee in renamed[0]:
                arg = arg.with_changes(keyword=cst.Name(renamed[1]))
            if arg.keyword is not None and arg.keyword.value == "momentum" and isinstance(arg.value, cst.Integer):
                arg = arg.with_changes(value=cst.Float(f"{arg.value.value}.0"))
            arguments.append(arg)
        if callee in OPTIMIZER_DEFAULT_LR:
            arguments = _time_decayed(callee, arguments)
        if callee in _CONVOLUTIONS_2D and (callee == "Convolution2D" or any(
                arg.keyword is not None and arg.keyword.value in _KERAS1_ONLY for arg in updated.args)):
            arguments = _kernel_rows_and_columns(arguments)
        return updated.with_changes(args=arguments)


# Keras 1 wrote a 2-D convolution's kernel as two positional sizes, `Convolution2D(64, 9, 9)` (and Keras 2 still
# read them so); in Keras 3 the third positional argument is the strides. Rewritten only on calls that are Keras 1
# code by their name or a keyword only Keras 1 had, since `Conv2D(64, 3, 2)` in newer code means strides 2.
_CONVOLUTIONS_2D = frozenset({"Conv2D", "Convolution2D", "Deconvolution2D", "Conv2DTranspose"})
_KERAS1_ONLY = frozenset({"border_mode", "subsample", "init", "nb_filter", "W_regularizer", "b_regularizer",
                          "dim_ordering"})


def _kernel_rows_and_columns(arguments: list[cst.Arg]) -> list[cst.Arg]:
    """`(64, 9, 9, ...)` -> `(64, (9, 9), ...)` where the second and third positional arguments are integers."""
    positional = [arg for arg in arguments if arg.keyword is None and not arg.star]
    if len(positional) < 3 or not all(isinstance(arg.value, cst.Integer) for arg in positional[1:3]):
        return arguments
    rows, columns = positional[1], positional[2]
    kernel = rows.with_changes(value=cst.Tuple([cst.Element(rows.value), cst.Element(columns.value)]))
    return [kernel if arg is rows else arg for arg in arguments if arg is not columns]


def _time_decayed(optimizer: str, arguments: list[cst.Arg]) -> list[cst.Arg]:
    """`SGD(learning_rate=0.01, decay=1e-6)` -> `SGD(learning_rate=TIME_DECAY(0.01, 1e-6))`; unchanged without
    `decay`, or where the rate is neither given nor a known default."""
    decay = next((arg for arg in arguments if arg.keyword is not None and arg.keyword.value == "decay"), None)
    if decay is None:
        return arguments
    rate = next((arg for arg in arguments if arg.keyword is not None and arg.keyword.value == "learning_rate"), None)
    if rate is None and arguments and arguments[0].keyword is None and not arguments[0].star:
        rate = arguments[0]
    default = OPTIMIZER_DEFAULT_LR.get(optimizer)
    if rate is None and default is None:
        return arguments
    start = rate.value if rate is not None else cst.Float(repr(default))
    scheduled = cst.Call(cst.Name(TIME_DECAY), [cst.Arg(start), cst.Arg(decay.value)])
    if rate is not None:
        return [arg.with_changes(value=scheduled) if arg is rate else arg for arg in arguments if arg is not decay]
    return [*(arg for arg in arguments if arg is not decay),
            cst.Arg(keyword=cst.Name("learning_rate"), value=scheduled,
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))]


# Decorators kept without --verify-module-code: they change what a method is, and run nothing of the user's.
_SAFE_DECORATORS = frozenset({"staticmethod", "classmethod", "property", "function", "register_keras_serializable",
                              "abstractmethod", "wraps", "setter"})
# Libraries whose calls a module-level statement the model needs may make (Keras constructors, NumPy shapes).
_LIBRARY_ROOTS = frozenset({"tensorflow", "keras", "tf_keras", "numpy", "math"})


def _guard_module_code(statements: list[cst.CSTNode], allowed: bool, positions: Positions | None
                       ) -> list[cst.CSTNode]:
    """Unless the user allowed module-level code: decorators other than the safe ones are dropped, and a
    default argument, class-body statement or module-level statement that would call anything but a library
    constructor or a function of the file is refused (SnippetError naming its line)."""
    if allowed:
        return statements
    guard = _ModuleCodeGuard(statements, positions)
    guarded: list[cst.CSTNode] = []
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            guarded.append(guard.definition(statement))
            continue
        if not _is_import(statement) and not guard.calls_ok(statement):
            guard.refuse(statement, "a module-level statement that calls a function outside TensorFlow/Keras/NumPy")
        guarded.append(statement)
    return guarded


class _ModuleCodeGuard(cst.CSTTransformer):
    """Run over each kept function and class: drops decorators other than the safe ones, refuses a default
    argument or class-body statement that calls anything but what `calls_ok` allows."""

    def __init__(self, statements: Sequence[cst.CSTNode], positions: Positions | None) -> None:
        super().__init__()
        # the file's functions and classes, and what the kept statements bind (`model`, then `model.compile(...)`)
        defined = set().union(*(_defined_names(s) for s in statements if not _is_import(s)))
        libraries = set().union(*(_defined_names(s) for s in statements if _is_import(s) and _library_import(s)))
        self.callable = defined | libraries | _BUILTIN_TYPES
        self.positions = positions

    def definition(self, statement: cst.FunctionDef | cst.ClassDef) -> cst.CSTNode:
        guarded = statement.visit(self)
        assert isinstance(guarded, (cst.FunctionDef, cst.ClassDef))  # the leave_ methods return the same kind
        return guarded

    def calls_ok(self, node: cst.CSTNode) -> bool:
        """Every call under `node` is of a library constructor, a function of the file or a harmless builtin."""
        called = _CalledRoots()
        node.visit(called)
        return called.roots <= self.callable

    def refuse(self, node: cst.CSTNode, what: str) -> NoReturn:
        where = f", line {self.positions[node].start.line}" if self.positions is not None and node in self.positions \
            else ""
        raise SnippetError(f"running it would run module-level code ({what}{where}); "
                           "pass --verify-module-code to allow it", "module-level")

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        for param in [*original_node.params.params, *original_node.params.kwonly_params]:
            if param.default is not None and not self.calls_ok(param.default):
                self.refuse(param.default, "a default argument that calls a function")
        return updated_node.with_changes(decorators=[d for d in updated_node.decorators if _safe_decorator(d)])

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        for statement in original_node.body.body:
            if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and not self.calls_ok(statement):
                self.refuse(statement, "a class-body statement that calls a function")
        return updated_node.with_changes(decorators=[d for d in updated_node.decorators if _safe_decorator(d)])


class _CalledRoots(cst.CSTVisitor):
    """The root name of every call under a node (`tf` for `tf.keras.layers.Dense(8)`; `?` when it has none)."""

    def __init__(self) -> None:
        super().__init__()
        self.roots: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, (cst.Call, cst.Subscript)):
            return  # applying what a call made (`LSTM(8)(x)`): that inner call is checked itself
        self.roots.add(_root(node.func) or "?")


_BUILTIN_TYPES = frozenset({"int", "float", "str", "tuple", "list", "dict", "range", "len", "min", "max", "abs",
                            "round", "bool", "super", "zip", "enumerate", "sorted", "sum", "isinstance"})


def _library_import(statement: cst.SimpleStatementLine) -> bool:
    """Every module the statement imports is TensorFlow, Keras, NumPy or math (a relative import never is)."""
    for small in statement.body:
        if isinstance(small, cst.ImportFrom) and (small.relative or small.module is None):
            return False
        modules = [small.module] if isinstance(small, cst.ImportFrom) else \
            [alias.name for alias in small.names] if isinstance(small, cst.Import) else []
        if any(cst.Module([]).code_for_node(module).split(".")[0] not in _LIBRARY_ROOTS
               for module in modules if module is not None):
            return False
    return True


def _safe_decorator(decorator: cst.Decorator) -> bool:
    node = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
    return _name_of(node) in _SAFE_DECORATORS


def _compiles(statement: cst.CSTNode, model: str) -> bool:
    return _calls_method(statement, model, ("compile",))


def _builds(statement: cst.CSTNode, model: str) -> bool:
    """`model.add(layer)` or `model.compile(...)`: a statement that builds or sets up the model."""
    return _calls_method(statement, model, ("add", "compile"))


def _calls_method(statement: cst.CSTNode, model: str, methods: tuple[str, ...]) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value in methods
        and isinstance(small.value.func.value, cst.Name) and small.value.func.value.value == model
        for small in statement.body)


_PRECISION_SETUP = re.compile(r"\b(?:set_floatx|set_global_policy|set_policy|set_epsilon)\(")


def _the_compiled_model(module: cst.Module) -> tuple[str, cst.SimpleStatementLine | cst.BaseCompoundStatement] | None:
    """The one model the module compiles at module level, and the last statement before it that assigns it; None
    when it compiles none or several."""
    compiled = [(index, name) for index, statement in enumerate(module.body) for name in _names_used(statement)
                if _compiles(statement, name)]
    if len({name for _, name in compiled}) != 1:
        return None
    index, model = compiled[0]
    built = next((s for s in reversed(module.body[:index]) if model in _defined_names(s)), None)
    return (model, built) if built is not None else None


def _compiled_with(module: cst.Module, name: str
                   ) -> tuple[str, cst.SimpleStatementLine | cst.BaseCompoundStatement] | None:
    """The model a module-level `model.compile(...)` sets up with `name` (an optimizer), and the last statement
    before it that assigns the model."""
    for index, statement in enumerate(module.body):
        used = _names_used(statement)
        if name not in used:
            continue
        for model in used - {name}:
            if _compiles(statement, model):
                built = next((s for s in reversed(module.body[:index]) if model in _defined_names(s)), None)
                if built is not None:
                    return model, built
    return None


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
        def visit_Call(self, node: cst.Call) -> None:
            called.add(_callee(node))

    statement.visit(Calls())
    return not called & _SIDE_EFFECT_CALLS


def _slice(module: cst.Module, roots: Sequence[cst.CSTNode], includable: Includable
           ) -> tuple[list[cst.CSTNode], tuple[str, ...]]:
    """The roots plus the module-level statements they need, transitively, in source order; and the names
    that nothing safe defines. A statement needs the last definition of a name before it (`x = Conv2D(...)(x)`
    needs the `x = ...` above it, and that one the one above it); a function or class body, run later, the
    module's last."""
    definitions: dict[str, list[tuple[int, cst.CSTNode]]] = {}
    for index, statement in enumerate(module.body):
        if includable(statement):
            for name in _defined_names(statement):
                definitions.setdefault(name, []).append((index, statement))
    position = {id(statement): index for index, statement in enumerate(module.body)}
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
        at = len(module.body) if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else position.get(id(node))
        for name in _names_used(node):
            candidates = definitions.get(name, [])
            before = [definition for index, definition in candidates if at is None or index < at]
            chosen = before[-1] if before else candidates[-1][1] if candidates else None
            if chosen is not None:
                pending.append(chosen)
            elif name not in _BUILTINS and name not in local:
                unresolved.add(name)
    return [s for s in module.body if any(s is n for n in needed)], tuple(sorted(unresolved))


def _flagged(enclosing: cst.CSTNode, positions: Positions, line: int, col: int, end: tuple[int, int]
             ) -> cst.Call | cst.BinaryOperation | None:
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
        return _wrap(PROBE_OUT, node.with_changes(args=[a.with_changes(value=_wrap(PROBE_IN, a.value))
                                                        if a.keyword is None and not a.star else a
                                                        for a in node.args]))
    return _wrap(PROBE_OUT, node.with_changes(left=_wrap(PROBE_IN, node.left), right=_wrap(PROBE_IN, node.right)))


def _entry_point(enclosing: cst.FunctionDef | cst.ClassDef) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(enclosing, cst.FunctionDef):
        return enclosing.name.value, "function", _required_params(enclosing.params.params)
    call = next((s for s in enclosing.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "call"), None)
    if call is None:
        raise SnippetError(f"class {enclosing.name.value} has no call() method to run", "no-entry-point")
    return enclosing.name.value, "layer", _required_params(call.params.params[1:])


def _required_params(params: Sequence[cst.Param]) -> tuple[str, ...]:
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
    for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
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


def _is_import(node: cst.CSTNode | None) -> TypeGuard[cst.SimpleStatementLine]:
    return isinstance(node, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in node.body)


def _locals(node: cst.CSTNode) -> set[str]:
    """Names bound inside the definition, and attribute/keyword names (never module-level lookups)."""
    bound = _BoundNames()
    node.visit(bound)
    return bound.names


class _BoundNames(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_Param(self, node: cst.Param) -> None:
        self.names.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names.update(_names_used(node))

    def visit_For(self, node: cst.For) -> None:
        self.names.update(_names_used(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.names.update(_names_used(node.target))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.names.add(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.names.add(node.name.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.names.add(node.attr.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.names.add(node.keyword.value)

    def visit_AsName(self, node: cst.AsName) -> None:
        self.names.update(_names_used(node.name))

    def visit_Import(self, node: cst.Import) -> None:
        self.names.update(_defined_names(cst.SimpleStatementLine([node])))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.names.update(_defined_names(cst.SimpleStatementLine([node])))


# --- the expression slice: TF1 graph code, module-level code, methods of classes without call() ---
#
# Slice backwards from the flagged expression: a name or `self.attr` is replaced by the expression that defines
# it (the latest assignment before the finding in the same function, else in the class or module) as long as
# that expression only shapes values (softmax, sigmoid, arithmetic, reductions, clips...). Anything else (a
# placeholder, a variable, matmul, a layer, a call of unknown range) is cut: it becomes a parameter the witness
# search feeds. The result is one function, `__nanlint_expr__(params)`, that computes the flagged op from the
# cut points, run eagerly like any other function (TF1 names through `tf.compat.v1`).

SLICE_ENTRY = "__nanlint_expr__"
# Ops whose output is a function of their inputs' values that the slice keeps (their range is what matters).
_SHAPING = frozenset({
    "softmax", "log_softmax", "sigmoid", "tanh", "relu", "relu6", "elu", "selu", "softplus", "exp", "log", "log1p",
    "sqrt", "rsqrt", "square", "abs", "pow", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_std", "reduce_variance", "reduce_logsumexp", "norm", "l2_normalize", "clip_by_value",
    "maximum", "minimum", "where", "cast", "to_float", "to_double", "identity", "reshape", "transpose",
    "expand_dims", "squeeze", "multiply", "add", "subtract", "divide", "truediv", "div", "negative",
    "reciprocal", "acos", "asin", "atan", "cos", "sin", "sum", "mean", "std", "var", "max", "min", "clip",
    "log_sigmoid", "stop_gradient", "add_n", "sign", "floor", "ceil", "round", "exp2", "expm1",
    # conditions and fills: a `where`'s mask computed from the cut values (a cut mask would be fed floats)
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_or",
    "logical_not", "is_finite", "is_nan", "zeros_like", "ones_like", "select", "where_v2",
    # entries moved, not computed: a concatenation of cut values is those values
    "concat", "concatenate", "stack", "tile",
})
# TF1-only API: a module that uses any of these runs its slice with `tf` bound to `tf.compat.v1`.
_TF1_MARKERS = ("tf.placeholder", "tf.Session", "tf.log(", "tf.to_float", "keep_dims", "tf.train.",
                "tf.InteractiveSession", "tf.get_variable", "tf.contrib", "tf.variable_scope", "tf.random_normal",
                "tf.truncated_normal", "tf.global_variables_initializer", "tf.div(", "tf.mul(", "tf.sub(",
                "tf.select(", "tf.neg(", "tf.pack(")
# TF 0.x names renamed in TF 1.0 (and so missing from compat.v1), bound to their TF1 names when the module uses them.
_TF0_RENAMES = {"select": "where", "mul": "multiply", "sub": "subtract", "neg": "negative", "pack": "stack",
                "unpack": "unstack", "batch_matmul": "matmul"}
_MAX_INLINES = 40
_TF1_ALIAS = "tf = tf.compat.v1  # TF1 names (tf.log, tf.to_float, keep_dims) run eagerly through compat.v1\n"


def _backend_shims(statements: Sequence[cst.CSTNode]) -> str:
    """Keras 3's `keras.backend` lost the math (K.sqrt, K.sum...): names bound to a Keras backend are wrapped by
    the worker's LEGACY_BACKEND, which falls back to tf_keras's backend, then keras.ops."""
    names = []
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            text = cst.Module([]).code_for_node(small) if isinstance(small, (cst.Import, cst.ImportFrom)) else ""
            if "keras" in text and "backend" in text:
                names.extend(sorted(_defined_names(cst.SimpleStatementLine([small]))))
    return "".join(f"{name} = {LEGACY_BACKEND}({name})\n" for name in names if name != "keras")


def _last_import(statements: Sequence[cst.CSTNode]) -> cst.SimpleStatementLine | None:
    imports = [s for s in statements if _is_import(s)]
    return imports[-1] if imports else None


def _after_imports(source: str, statements: Sequence[cst.CSTNode]) -> str:
    """What runs after the snippet's imports: the TF1 alias (with the TF 0.x renames it uses), the Keras backend
    shims."""
    return (_TF1_ALIAS + _tf0_renames(source) if _uses_tf1(source, statements) else "") + _backend_shims(statements)


def _tf0_renames(source: str) -> str:
    used = sorted(old for old in _TF0_RENAMES if f"tf.{old}(" in source)
    if not used:
        return ""
    return (", ".join(f"tf.{old}" for old in used) + " = " + ", ".join(f"tf.{_TF0_RENAMES[old]}" for old in used)
            + "  # TF 0.x names, renamed in TF 1.0\n")


def _uses_tf1(source: str, statements: Sequence[cst.CSTNode]) -> bool:
    return any(marker in source for marker in _TF1_MARKERS) and any(
        "tf" in _defined_names(s) for s in statements if _is_import(s))


# Keyword arguments that say where to compute, not what: never a witness.
_STRUCTURAL = frozenset({"axis", "axes", "reduction_indices", "dim", "keepdims", "keep_dims", "name"})
# Random draws are not free values: a witness like an all-zero normal sample has probability 0, so an operand
# that comes from one gets no witness (never a confirmation the code cannot produce).
_RANDOM = frozenset({"random_normal", "truncated_normal", "random_uniform", "normal", "uniform", "randn", "rand",
                     "standard_normal", "random", "random_gamma", "random_poisson", "multinomial", "categorical"})


def _extract_expression(source: str, line: int, col: int, end: tuple[int, int]) -> Snippet:
    """The flagged expression as a function of its cut points (see above); SnippetError when the flagged node
    cannot be found or a name it needs is neither defined, a parameter, nor an import."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions, parents = wrapper.resolve(PositionProvider), wrapper.resolve(ParentNodeProvider)
    flagged = next((node for node, where in positions.items()
                    if isinstance(node, (cst.Call, cst.BinaryOperation))
                    and (where.start.line, where.start.column + 1) == (line, col)
                    and (where.end.line, where.end.column + 1) == end), None)
    if flagged is None:
        raise SnippetError("the flagged expression was not found in the file", "no-entry-point")
    scopes = _Scopes(module, positions)
    slicer = _Slicer(scopes, scopes.function_at(line), scopes.class_at(line), line)
    body = slicer.rewrite(_hazard_root(flagged, parents))
    if not isinstance(body, (cst.Call, cst.BinaryOperation)):
        raise SnippetError("the flagged expression is not an op the slice can run", "no-entry-point")
    if slicer.random:
        raise SnippetError(f"the operand is a random draw ({', '.join(sorted(slicer.random))}): no input the code "
                           "can produce", "no-witness")
    if slicer.unresolved:
        return Snippet("", SLICE_ENTRY, "function", (), tuple(sorted(slicer.unresolved)))
    imports = [s for s in module.body if _is_import(s) and _defined_names(s) & slicer.modules]
    local_imports = [s for s in scopes.local_imports(slicer.function) if _defined_names(s) & slicer.modules]
    params = tuple(slicer.params)
    roles = _roles(body, params, slicer.modules)
    function = cst.FunctionDef(
        name=cst.Name(SLICE_ENTRY),
        params=cst.Parameters([cst.Param(cst.Name(p)) for p in params]),
        body=cst.IndentedBlock([*local_imports, cst.SimpleStatementLine([cst.Return(_probe(body))])]))
    code = "".join(module.code_for_node(s) for s in [*imports, *local_imports])
    code += _after_imports(source, [*imports, *local_imports])
    code += "\n\n" + module.code_for_node(function)
    return Snippet(code, SLICE_ENTRY, "function", params, (), probed=True, roles=roles,
                   numpy=_numpy_only([*imports, *local_imports], slicer.modules))


# Ops whose result is where NaN/Inf appears. A finding on something else (an epsilon sum, a clip) is judged at
# the nearest enclosing one of these in the same expression: `log(1e-10 + 1 - p)` for the absorbed `1e-10 + 1`.
_HAZARDS = frozenset({"log", "log1p", "sqrt", "rsqrt", "pow", "acos", "asin", "divide", "div", "truediv", "exp",
                      "reciprocal", "norm", "realdiv"})


def _is_hazard(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Call):
        return _callee(node) in _HAZARDS
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Divide, cst.Power))


def _hazard_root(node: cst.CSTNode, parents: Parents) -> cst.CSTNode:
    current = node
    while not _is_hazard(current):
        parent = parents.get(current)
        if parent is None or isinstance(parent, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
            return node
        current = parent
    return current


# Where an assignment is: a function's body, a class (`self.x = ...` in any of its methods), or the module (None).
_Owner = cst.FunctionDef | cst.ClassDef | None


class _Scopes:
    """Where names are assigned: per function (by its node), per class (`self.x = ...`), and at module level."""

    def __init__(self, module: cst.Module, positions: Positions) -> None:
        self.positions = positions
        self.functions: list[tuple[cst.FunctionDef, int, int]] = []
        self.classes: list[tuple[cst.ClassDef, int, int]] = []
        self.assignments: list[tuple[_Owner, str, int, cst.BaseExpression]] = []
        self.params: dict[cst.FunctionDef, set[str]] = {}
        self.defaults: dict[tuple[cst.FunctionDef, str], cst.BaseExpression] = {}
        self.imports: dict[cst.FunctionDef | None, list[cst.SimpleStatementLine]] = {}
        self.module_names = set().union(*(_defined_names(s) for s in module.body if _is_import(s)))
        self._walk(module, None, None)

    def _walk(self, node: cst.CSTNode, function: cst.FunctionDef | None, klass: cst.ClassDef | None) -> None:
        for child in node.children:
            if isinstance(child, cst.FunctionDef):
                where = self.positions[child]
                self.functions.append((child, where.start.line, where.end.line))
                every = [*child.params.params, *child.params.kwonly_params]
                self.params[child] = {p.name.value for p in every}
                self.defaults.update({(child, p.name.value): p.default for p in every if p.default is not None})
                self._walk(child, child, klass)
                continue
            if isinstance(child, cst.ClassDef):
                where = self.positions[child]
                self.classes.append((child, where.start.line, where.end.line))
                self._walk(child, None, child)
                continue
            if isinstance(child, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                self._record(child, function, klass)
            if isinstance(child, cst.SimpleStatementLine) and _is_import(child):
                self.imports.setdefault(function, []).append(child)
            self._walk(child, function, klass)

    def _record(self, node: cst.Assign | cst.AugAssign | cst.AnnAssign, function: cst.FunctionDef | None,
                klass: cst.ClassDef | None) -> None:
        line = self.positions[node].start.line
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        if isinstance(node, cst.AugAssign):
            # x *= k is x = x * k: the right side refers to the previous x, found by line order
            value = cst.BinaryOperation(node.target, _binary(node.operator), value)
        for target in targets:
            if isinstance(target, cst.Name):
                self.assignments.append((function, target.value, line, value))
            elif _is_self_attribute(target) and klass is not None:
                self.assignments.append((klass, "self." + target.attr.value, line, value))

    def function_at(self, line: int) -> cst.FunctionDef | None:
        inside = [(f, s, e) for f, s, e in self.functions if s <= line <= e]
        return max(inside, key=lambda t: t[1])[0] if inside else None

    def class_at(self, line: int) -> cst.ClassDef | None:
        inside = [(c, s, e) for c, s, e in self.classes if s <= line <= e]
        return max(inside, key=lambda t: t[1])[0] if inside else None

    def local_imports(self, function: cst.FunctionDef | None) -> list[cst.SimpleStatementLine]:
        return self.imports.get(function, []) if function is not None else []

    def definition(self, owner: _Owner, name: str, before: int) -> tuple[int, cst.BaseExpression] | None:
        """The latest assignment of `name` in `owner` before line `before`; when none is before, any line of a class
        (`self.x` set in another method) or the module (a global bound below the function that reads it), but not
        of a function, whose names are bound in order: `boxes = f(boxes)` reads the parameter, not itself."""
        found = [(line, value) for o, n, line, value in self.assignments if o is owner and n == name]
        earlier = [item for item in found if item[0] < before]
        if earlier:
            return max(earlier, key=lambda t: t[0])
        return max(found, key=lambda t: t[0]) if found and not isinstance(owner, cst.FunctionDef) else None


def _binary(operator: cst.BaseAugOp) -> cst.BaseBinaryOp:
    """The operator of `x = x OP k` for `x OP= k` (libcst names them AddAssign / Add...)."""
    binary = getattr(cst, type(operator).__name__.removesuffix("Assign"))()
    assert isinstance(binary, cst.BaseBinaryOp)
    return binary


def _is_self_attribute(node: cst.CSTNode) -> TypeGuard[cst.Attribute]:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


def _name_of(node: cst.BaseExpression) -> str:
    """`log` for `tf.math.log` and for `log`; "" for anything else (a call's result, a subscript)."""
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""


def _callee(call: cst.Call) -> str:
    return _name_of(call.func)


def _root(node: cst.CSTNode) -> str | None:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


class _Slicer:
    def __init__(self, scopes: _Scopes, function: cst.FunctionDef | None, klass: cst.ClassDef | None,
                 line: int) -> None:
        self.scopes, self.function, self.klass, self.line = scopes, function, klass, line
        self.params: list[str] = []
        self.modules: set[str] = set()
        self.unresolved: set[str] = set()
        self.random: set[str] = set()
        self.inlines = 0

    def _param(self, name: str, shared: bool = True) -> cst.Name:
        """A cut point. Shared: the same name or attribute is the same value; else (a call) a fresh one."""
        safe = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "value"
        if safe[0].isdigit():
            safe = "v_" + safe
        if not shared and safe in self.params:
            count = 2
            while f"{safe}_{count}" in self.params:
                count += 1
            safe = f"{safe}_{count}"
        if safe not in self.params:
            self.params.append(safe)
        return cst.Name(safe)

    def rewrite(self, node: cst.CSTNode, before: int | None = None) -> cst.CSTNode:
        before = self.line if before is None else before
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)):
            return node  # a literal (`...` too: an index, never a value to feed)
        if isinstance(node, cst.Name):
            return self._name(node, before)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, before)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, before)
        if isinstance(node, cst.Call):
            return self._call(node, before)
        return self._operation(node, before)

    def _attribute(self, node: cst.Attribute, before: int) -> cst.CSTNode:
        if _is_self_attribute(node):
            return self._definition(self.klass, "self." + node.attr.value, before) or self._param(
                "self_" + node.attr.value)
        root = _root(node)
        if root is not None and root in self._import_names():
            self.modules.add(root)
            return node
        self.unresolved.add(cst.Module([]).code_for_node(node))
        return node

    def _subscript(self, node: cst.Subscript, before: int) -> cst.CSTNode:
        if any(isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.SimpleString) for e in node.slice):
            return self._param(_label(node.value), shared=False)  # weights['out']: a dict of variables
        return node.with_changes(value=self.rewrite(node.value, before),
                                 slice=[self._slice_element(e, before) for e in node.slice])

    def _call(self, node: cst.Call, before: int) -> cst.CSTNode:
        if _callee(node) in _SHAPING and self._library(node.func):
            return node.with_changes(args=[self._argument(a, before) for a in node.args
                                           if not self._dropped(a, before)])
        if _callee(node) in _RANDOM:
            self.random.add(_callee(node))
        # A value of unknown range: a placeholder, variable, matmul, layer, a call of the user's.
        return self._param(_label(node), shared=False)

    def _operation(self, node: cst.CSTNode, before: int) -> cst.CSTNode:
        """Arithmetic, comparisons, tuples and lists keep their shape around their rewritten operands."""
        if isinstance(node, cst.UnaryOperation):
            return node.with_changes(expression=self.rewrite(node.expression, before))
        if isinstance(node, cst.BinaryOperation):
            return node.with_changes(left=self.rewrite(node.left, before), right=self.rewrite(node.right, before))
        if isinstance(node, (cst.Tuple, cst.List)):
            return node.with_changes(elements=[e.with_changes(value=self.rewrite(e.value, before))
                                               for e in node.elements])
        if isinstance(node, cst.Comparison):
            return node.with_changes(left=self.rewrite(node.left, before), comparisons=[
                c.with_changes(comparator=self.rewrite(c.comparator, before)) for c in node.comparisons])
        # A value of unknown range: a lambda, a comprehension, anything the slice does not follow.
        return self._param(_label(node), shared=False)

    def _argument(self, arg: cst.Arg, before: int) -> cst.Arg:
        return arg.with_changes(value=self.rewrite(arg.value, before))

    def _dropped(self, arg: cst.Arg, before: int) -> bool:
        """An axis argument whose value the slice cannot compute (`list(range(1, x.shape.ndims))`) is dropped:
        reducing over every axis reaches the same zero or overflow on the constant witness rows."""
        if arg.keyword is None or arg.keyword.value not in _STRUCTURAL:
            return False
        probe = _Slicer(self.scopes, self.function, self.klass, self.line)
        rewritten = probe.rewrite(arg.value, before)
        return bool(probe.params or probe.unresolved or probe.random) or not _is_constant_tree(rewritten)

    def _slice_element(self, element: cst.SubscriptElement, before: int) -> cst.SubscriptElement:
        if isinstance(element.slice, cst.Index):
            return element.with_changes(slice=element.slice.with_changes(value=self.rewrite(element.slice.value,
                                                                                            before)))
        return element

    def _library(self, func: cst.BaseExpression) -> bool:
        """A shaping op called through an import (tf.nn.softmax, np.exp, K.log), not a user's method."""
        root = _root(func)
        if root is not None and root in self._import_names():
            self.modules.add(root)
            return True
        return False

    def _import_names(self) -> set[str]:
        local = set().union(*(_defined_names(s) for s in self.scopes.local_imports(self.function)))
        return self.scopes.module_names | local

    def _name(self, node: cst.Name, before: int) -> cst.CSTNode:
        name = node.value
        if name in self._import_names():
            self.modules.add(name)
            return node
        inlined = self._definition(self.function, name, before)
        if inlined is not None:
            return inlined
        if self.function is not None and name in self.scopes.params.get(self.function, ()):
            default = self.scopes.defaults.get((self.function, name))
            # a parameter with a default (axis=-1, epsilon=1e-7) keeps the code's own default
            return self.rewrite(default, before) if default is not None else self._param(name)
        inlined = self._definition(None, name, before if self.function is None else 10**9)
        if inlined is not None:
            return inlined
        if name in _BUILTINS:
            return node
        self.unresolved.add(name)
        return node

    def _definition(self, owner: _Owner, name: str, before: int) -> cst.CSTNode | None:
        if owner is None and self.function is not None and name.startswith("self."):
            return None
        found = self.scopes.definition(owner, name, before)
        if found is None:
            return None
        line, value = found
        self.inlines += 1
        if self.inlines > _MAX_INLINES:
            return self._param(name)
        if isinstance(value, cst.Call) and not (_callee(value) in _SHAPING and self._library(value.func)):
            # cut right at a named definition (`b = tf.Variable(...)`): the parameter keeps the user's name
            if _callee(value) in _RANDOM:
                self.random.add(_callee(value))
            return self._param(name.removeprefix("self."))
        return self.rewrite(value, line)


def _is_constant_tree(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.Name)):
        return not isinstance(node, cst.Name) or node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation):
        return _is_constant_tree(node.expression)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(_is_constant_tree(e.value) for e in node.elements)
    return False


def _label(node: cst.CSTNode) -> str:
    """A readable parameter name for a cut point: the callee (`matmul`), the name, or `value`."""
    if isinstance(node, cst.Call):
        return _callee(node) or "value"
    if isinstance(node, cst.Name):
        return node.value
    return "value"
