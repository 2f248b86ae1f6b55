"""Which float precision a piece of code runs in: float16 under a `mixed_float16` policy, or where the
function casts to / builds with float16; float32 otherwise. Precision rules size epsilons with it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from nanlint.analysis.binder import END, At, Point
from nanlint.analysis.module import ModuleAnalysis, Scope, Site
from nanlint.analysis.operations import FIXED_CASTS, Op, normalize
from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.walk import descendants
from nanlint.analysis.numerics import FLOAT16, FLOAT32, Float

_FLOAT16_NAMES = ("tensorflow.float16", "tensorflow.half", "numpy.float16", "keras.float16")


def _dtype_reads(node: cst.CSTNode) -> list[cst.Attribute]:
    """Every `x.dtype` in a function body, nested functions included."""
    found: list[cst.Attribute] = []

    class _Reads(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if attribute.attr.value == "dtype":
                found.append(attribute)

    node.visit(_Reads())
    return found


def _computes_with(analysis: ModuleAnalysis, function: cst.CSTNode, name: str) -> bool:
    """The function computes with the values of its parameter `name` (an operand, an operation's argument,
    indexed), not only with its attributes (or in a message, an isinstance test): a gym space or a TensorSpec passed for its `.dtype` and `.shape` describes data, and
    what the graph built from it runs in is decided by what it is mixed with (stable-baselines' GAIL concatenates
    the observations with float32 one-hot actions)."""
    def named(expr: cst.BaseExpression) -> bool:
        return isinstance(expr, cst.Name) and expr.value == name

    for node in descendants(function):
        if isinstance(node, cst.BinaryOperation) and (named(node.left) or named(node.right)):
            return True
        if isinstance(node, cst.Subscript) and named(node.value):
            return True
        if isinstance(node, cst.Call) and analysis.op_of_call(node) is not None \
                and any(named(arg.value) for arg in node.args):
            return True
    return False


def is_float16(analysis: ModuleAnalysis, expr: cst.BaseExpression | None) -> bool:
    if expr is None:
        return False
    if isinstance(expr, cst.SimpleString):
        return expr.evaluated_value in ("float16", "mixed_float16", "half")
    qualified = analysis.qualified_name(expr)
    return qualified is not None and normalize(qualified) in _FLOAT16_NAMES


# How code names float32 for a NumPy array: a dtype string or NumPy's type.
_FLOAT32_STRINGS = frozenset({"float32", "f4", "<f4", "single"})
_FLOAT32_TYPES = frozenset({"numpy.float32", "numpy.single"})
# NumPy functions that build an array of the `dtype=` they are given.
_ARRAY_BUILDERS = frozenset({"numpy.array", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray"})


def _names_float32(analysis: ModuleAnalysis, dtype: cst.BaseExpression) -> bool:
    if isinstance(dtype, cst.SimpleString):
        return dtype.evaluated_value in _FLOAT32_STRINGS
    qualified = analysis.qualified_name(dtype)
    return qualified is not None and normalize(qualified) in _FLOAT32_TYPES


def float32_array(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int = 8) -> cst.Call | None:
    """The cast that makes a NumPy array float32 (`q.astype("float32")`, `np.float32(q)`, `np.asarray(q,
    dtype=np.float32)`), followed through names, negation, elementwise arithmetic and clips; None where the code
    shows none (NumPy computes in float64 by default). Arithmetic with a Python number keeps float32 (NumPy 1's
    value-based casting and NumPy 2's weak scalars alike): openai_lab's `Q.astype("float32") / self.tau`."""
    if depth == 0:
        return None
    expr, at = analysis.binder.follow(expr, at)
    if isinstance(expr, cst.UnaryOperation):
        return float32_array(analysis, expr.expression, at, depth - 1)
    if isinstance(expr, cst.BinaryOperation) and isinstance(
            expr.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Divide)):
        return float32_array(analysis, expr.left, at, depth - 1) or float32_array(analysis, expr.right, at, depth - 1)
    if not isinstance(expr, cst.Call):
        return None
    if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "astype":
        dtype = argument(expr, 0, "dtype")
        return expr if dtype is not None and _names_float32(analysis, dtype) else None
    qualified = analysis.qualified_name(expr.func)
    name = normalize(qualified) if qualified is not None else ""
    if name in _FLOAT32_TYPES:
        return expr
    if name in _ARRAY_BUILDERS:
        dtype = argument(expr, 1, "dtype")
        return expr if dtype is not None and _names_float32(analysis, dtype) else None
    operand = analysis.operand(expr) if analysis.op_of_call(expr) is Op.CLIP else None
    return float32_array(analysis, operand, at, depth - 1) if operand is not None else None


# TensorFlow's names of the float types wider than float16, and the operations whose result has the dtype of the
# operands they are given (what a cast read through them fixes).
_WIDE_FLOAT_NAMES = frozenset({"tensorflow.float32", "tensorflow.float64", "tensorflow.double"})
_WIDE_FLOAT_STRINGS = frozenset({"float32", "float64", "double"})
_DTYPE_KEEPING = frozenset({Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.REDUCE_MAX, Op.ABS, Op.SQUARE, Op.ADD, Op.SUBTRACT,
                            Op.MULTIPLY, Op.RESHAPE})


def _wide_float(analysis: ModuleAnalysis, dtype: cst.BaseExpression | None) -> bool:
    if isinstance(dtype, cst.SimpleString):
        return dtype.evaluated_value in _WIDE_FLOAT_STRINGS
    qualified = analysis.qualified_name(dtype) if dtype is not None else None
    return qualified is not None and normalize(qualified) in _WIDE_FLOAT_NAMES


def wide_float_cast(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int = 8) -> cst.Call | None:
    """The TensorFlow cast in `expr` that fixes its float type at float32 or float64 (`tf.cast(mask, tf.float32)`,
    `tf.to_float(m)`), read through names, arithmetic and reductions. TensorFlow does not promote: a sum or a
    product with a float32 tensor is float32 whatever the other operand's dtype (or an error), so an epsilon added
    to it is a float32 one even in code that otherwise runs in its input's float type (doctr's dice loss,
    `reduce_sum(seg_mask * (dice_map + seg_target)) + eps` with `seg_mask = tf.cast(seg_mask, tf.float32)`)."""
    if depth <= 0:
        return None
    if isinstance(expr, cst.Name):
        bound, bound_at = analysis.values.definition_at(expr, at)
        return None if bound is expr else wide_float_cast(analysis, bound, bound_at, depth - 1)
    if isinstance(expr, cst.BinaryOperation):
        return wide_float_cast(analysis, expr.left, at, depth - 1) or wide_float_cast(analysis, expr.right, at,
                                                                                       depth - 1)
    if isinstance(expr, cst.UnaryOperation):
        return wide_float_cast(analysis, expr.expression, at, depth - 1)
    return _wide_float_call(analysis, expr, at, depth) if isinstance(expr, cst.Call) else None


def _wide_float_call(analysis: ModuleAnalysis, call: cst.Call, at: Point, depth: int) -> cst.Call | None:
    """`wide_float_cast` of a call: the cast itself, or one in the operands of an operation that keeps their dtype."""
    qualified = normalize(analysis.qualified_name(call.func) or "")
    if not qualified.startswith("tensorflow."):
        return None
    if FIXED_CASTS.get(qualified) in _WIDE_FLOAT_STRINGS:
        return call
    op = analysis.op_of_call(call)
    if op is Op.CAST:
        return call if _wide_float(analysis, argument(call, 1, "dtype")) else None
    if op not in _DTYPE_KEEPING:
        return None
    operands = (arg.value for arg in call.args
                if arg.keyword is None or arg.keyword.value in ("x", "y", "input_tensor", "tensor"))
    return next((found for found in (wide_float_cast(analysis, operand, at, depth - 1) for operand in operands)
                 if found is not None), None)


class Precision:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._input_dtypes: dict[str, str | None] = {}

    @cached_property
    def global_float16(self) -> str | None:
        """Where a module-level mixed_float16/float16 policy is set, as text for messages."""
        for call in self.analysis.calls_of(Op.SET_GLOBAL_POLICY):
            policy = argument(call.node, 0, "policy")
            if isinstance(policy, cst.Call) and self.analysis.op_of_call(policy) is Op.DTYPE_POLICY:
                policy = argument(policy, 0, "name")
            if is_float16(self.analysis, policy):
                named = policy.evaluated_value if isinstance(policy, cst.SimpleString) else None
                return f"the {named if isinstance(named, str) else 'float16'} policy set in this module"
        return None

    @cached_property
    def _float16_scopes(self) -> dict[str, str]:
        """Functions that cast to float16 or build float16 layers/tensors."""
        found: dict[str, str] = {}
        for call in self.analysis.calls:
            dtype = argument(call.node, 1, "dtype") if call.op is Op.CAST else keyword(call.node, "dtype")
            if is_float16(self.analysis, dtype):
                found.setdefault(call.site.scope.name, "a float16 cast or dtype in this function")
        return found

    def input_dtype(self, site: Site) -> str | None:
        """`inputs.dtype` when the function at `site` (or one enclosing it) reads a parameter's dtype
        (`dtype = inputs.dtype.base_dtype`): it is written to run in whatever float type it is given, float16
        included. Only asked about rare tiny epsilons, so each function body is walked on demand."""
        scope: Scope | None = site.scope
        while scope is not None and scope.name:
            if scope.name not in self._input_dtypes:
                self._input_dtypes[scope.name] = next(
                    (f"{read.value.value}.dtype" for read in _dtype_reads(scope.node)
                     if isinstance(read.value, cst.Name) and read.value.value in scope.params
                     and _computes_with(self.analysis, scope.node, read.value.value)), None)
            if self._input_dtypes[scope.name]:
                return self._input_dtypes[scope.name]
            scope = scope.parent
        return None

    def float_at(self, site: Site) -> tuple[Float, str | None]:
        """The float type in force at `site`, and why when it is float16."""
        return self.float_in(site.scope)

    def float_in(self, function: Scope) -> tuple[Float, str | None]:
        """The float type in force in a function (or the module), and why when it is float16."""
        if self.global_float16:
            return FLOAT16, self.global_float16
        scope: Scope | None = function
        while scope is not None:
            if scope.name in self._float16_scopes:
                return FLOAT16, self._float16_scopes[scope.name]
            scope = scope.parent
        return FLOAT32, None


@dataclass(frozen=True)
class Float16Sum:
    """A sum over a whole float16 Keras Input of a literal shape (`tf.image.total_variation(x)`,
    `tf.reduce_sum(x)` with no axis), directly or through a module function the Input is passed to: the result is
    float16 and holds at most 65504."""

    reduction: cst.Call
    what: str  # "tf.image.total_variation" as written
    input_call: cst.Call  # the `keras.Input(..., dtype=float16)` call
    input_name: str
    shape: tuple[int, ...]  # per sample
    terms: int  # how many values the reduction adds


_INPUTS = frozenset({"keras.Input", "keras.layers.Input"})


def _literal_shape(analysis: ModuleAnalysis, call: cst.Call, site: Site) -> tuple[int, ...] | None:
    shape = argument(call, 0, "shape")
    if not isinstance(shape, (cst.Tuple, cst.List)) or not shape.elements:
        return None
    dims = [analysis.values.constant(element.value, site) for element in shape.elements]
    return tuple(int(dim) for dim in dims if dim is not None) if all(dim is not None for dim in dims) else None


def _float16_inputs(analysis: ModuleAnalysis) -> dict[str, tuple[cst.Call, tuple[int, ...]]]:
    """`x = keras.Input(shape=(512, 512, 3), dtype=tf.float16)` at module level: 'x' -> (the call, its shape)."""
    found: dict[str, tuple[cst.Call, tuple[int, ...]]] = {}
    for call in analysis.calls:
        if (call.qualified_name is None or normalize(call.qualified_name) not in _INPUTS or call.site.scope.parent
                or not is_float16(analysis, keyword(call.node, "dtype"))):
            continue
        shape = _literal_shape(analysis, call.node, call.site)
        statement = call.site.statement
        if shape is None or not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and small.value is call.node and isinstance(small.targets[0].target, cst.Name):
                found[small.targets[0].target.value] = (call.node, shape)
    return found


def _terms(analysis: ModuleAnalysis, reduction: cst.Call, shape: tuple[int, ...]) -> int | None:
    """How many values the reduction adds per sample: every element for a sum with no axis; the vertical and
    horizontal neighbour differences for total_variation of an (H, W, C) image."""
    qualified = analysis.qualified_name(reduction.func)
    if qualified is not None and normalize(qualified) == "tensorflow.image.total_variation" and len(shape) == 3:
        height, width, channels = shape
        return ((height - 1) * width + height * (width - 1)) * channels
    if analysis.op_of_call(reduction) is Op.REDUCE_SUM and argument(reduction, 1, "axis") is None:
        return math.prod(shape)
    return None


def float16_sums(analysis: ModuleAnalysis) -> list[Float16Sum]:
    """Sums over a whole float16 Input: on the Input's name at module level, or on a module function's parameter
    where a module-level call passes the Input for it (`total_variation(input1)`)."""
    inputs = _float16_inputs(analysis)
    if not inputs:
        return []
    passed: dict[tuple[str, str], str] = {}  # (function, parameter) -> the Input passed for it
    for call in analysis.calls:
        function = analysis.functions.get(call.node.func.value) if isinstance(call.node.func, cst.Name) else None
        for index, arg in enumerate(call.node.args):
            if function is not None and isinstance(arg.value, cst.Name) and arg.value.value in inputs \
                    and arg.keyword is None and index < len(function.params):
                passed[(function.name, function.params[index])] = arg.value.value
    found = []
    for call in analysis.calls:
        summed = argument(call.node, 0, "input_tensor") or argument(call.node, 0, "images")
        if not isinstance(summed, cst.Name):
            continue
        name = summed.value if not call.site.scope.name else passed.get((call.site.scope.name, summed.value))
        if name is None or name not in inputs:
            continue
        input_call, shape = inputs[name]
        terms = _terms(analysis, call.node, shape)
        if terms is not None:
            found.append(Float16Sum(call.node, analysis.code_of(call.node.func), input_call, name, shape, terms))
    return found


# float16's most negative finite value, spelled through TensorFlow's dtypes and NumPy's finfo.
_FLOAT16_MINIMA = frozenset({f"{name}.min" for name in (*_FLOAT16_NAMES, "tensorflow.dtypes.float16",
                                                       "tensorflow.dtypes.half")})
_FINFO = frozenset({"numpy.finfo"})
_FILLS = frozenset({"tensorflow.fill", "keras.ops.full", "numpy.full"})
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Float16MinAdder:
    """An addition with float16's most negative finite value (-65504) as one addend, the mask adder of an attention
    or masked softmax (`scores + (1 - mask) * tf.float16.min`). Measured (TF 2.21): in float16, -65504 + x is -Inf
    for every x <= -16 (the spacing of float16 at 65504 is 32), so a row whose scores are all masked and negative
    is all -Inf and its softmax NaN, forward and gradient; `float16.min / 2` keeps it finite (Keras PR 17571)."""

    addition: cst.CSTNode  # the `+`, `+=` or tf.add
    minimum: cst.BaseExpression  # the `tf.float16.min` (or `x.dtype.min` in float16 code) it reaches


def float16_min_adders(analysis: ModuleAnalysis) -> list[Float16MinAdder]:
    """Additions one of whose addends is float16's minimum, directly or through names, a mask product, a cast, a
    fill or a module function's return (`_large_compatible_negative(inputs.dtype)` returning `tf.float16.min` in
    its float16 branch). Not where() or clip (a replacement or a bound, not a sum), not a minimum scaled down
    (`tf.float16.min / 2`)."""
    additions: list[tuple[cst.CSTNode, tuple[cst.BaseExpression, ...], Site]] = []
    for binary in analysis.binary_operations:
        if isinstance(binary.node.operator, cst.Add):
            additions.append((binary.node, (binary.node.left, binary.node.right), binary.site))
    for augmented in analysis.augmented:
        if isinstance(augmented.operator, cst.Add):
            additions.append((augmented.node, (augmented.node.value,), augmented.site))
    for call in analysis.calls_of(Op.ADD):
        form = analysis.operator_form(call.node)
        if isinstance(form, cst.BinaryOperation):
            additions.append((call.node, (form.left, form.right), call.site))
    found = []
    for node, addends, site in additions:
        minimum = next((m for m in (_float16_minimum(analysis, addend, site, 0) for addend in addends) if m), None)
        if minimum is not None:
            found.append(Float16MinAdder(node, minimum))
    return found


def _float16_minimum(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                     depth: int) -> cst.BaseExpression | None:
    if depth > _MAX_DEPTH:
        return None
    expr, at = analysis.binder.follow(expr, at)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "min":
        return expr if _is_float16_minimum(analysis, expr, at) else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        # `(1 - mask) * minimum`: the minimum where the mask is 0
        return _float16_minimum(analysis, expr.left, at, depth + 1) or _float16_minimum(
            analysis, expr.right, at, depth + 1)
    if isinstance(expr, cst.IfExp):
        return _float16_minimum(analysis, expr.body, at, depth + 1) or _float16_minimum(
            analysis, expr.orelse, at, depth + 1)
    if not isinstance(expr, cst.Call):
        return None
    op = analysis.op_of_call(expr)
    if op in (Op.CAST, Op.CONSTANT, Op.MULTIPLY):
        operands = [argument(expr, 0, "x"), argument(expr, 1, "y")] if op is Op.MULTIPLY else [argument(expr, 0, "x")
                                                                                             or argument(expr, 0, "value")]
        return next((m for m in (_float16_minimum(analysis, operand, at, depth + 1) for operand in operands
                                 if operand is not None) if m), None)
    qualified = analysis.qualified_name(expr.func)
    if qualified is not None and normalize(qualified) in _FILLS:
        value = argument(expr, 1, "value") or argument(expr, 1, "fill_value")
        return _float16_minimum(analysis, value, at, depth + 1) if value is not None else None
    function = analysis.values.called_function(expr, At(at.scope, at.seq)) if qualified is None else None
    if function is None:
        return None
    return next((m for m in (_float16_minimum(analysis, returned, At(function, END), depth + 1)
                             for returned in function.returns) if m), None)


def _is_float16_minimum(analysis: ModuleAnalysis, attribute: cst.Attribute, at: Point) -> bool:
    """`tf.float16.min`, `np.finfo(np.float16).min`, or `x.dtype.min` in code that runs in float16."""
    owner = attribute.value
    qualified = analysis.qualified_name(attribute)
    if qualified is not None and normalize(qualified) in _FLOAT16_MINIMA:
        return True
    if isinstance(owner, cst.Call):
        finfo = analysis.qualified_name(owner.func)
        return finfo is not None and normalize(finfo) in _FINFO and is_float16(analysis, argument(owner, 0, "dtype"))
    if isinstance(owner, cst.Attribute) and owner.attr.value == "dtype":
        return analysis.precision.float_in(at.scope)[0] is FLOAT16
    return False
