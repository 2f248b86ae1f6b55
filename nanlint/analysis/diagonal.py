"""Indicators whose construction puts a 1 in every row: a square identity, and the reflexive pairwise comparison of
a vector with itself (`equal(labels, transpose(labels))`), whose diagonal compares each entry with itself, have one
in every row and column, so their sums, maxima and norms along any axis are >= 1 whatever the data (the same-class
mask of a metric-learning loss is never empty); the indicator of a tensor's own maximum along an axis
(`equal(q, reduce_max(q, axis, keepdims=True))`, a greedy policy's ties) has one in every slice along that axis,
so its reductions along that axis (or all axes) are >= 1. ranges.py asks this for reductions."""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.binder import Point
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op, normalize
from nanlint.analysis.arguments import argument


# Square identity matrices: `eye(n)` with one size holds a 1 in every row and every column (`eye(n, m)` with
# n > m has all-zero rows, so a second size disqualifies it).
_IDENTITY_MATRICES = frozenset({"numpy.eye", "numpy.identity", "tensorflow.eye", "tensorflow.linalg.eye",
                                "keras.ops.eye", "keras.ops.identity", "torch.eye"})
_SECOND_SIZE = ("M", "m", "num_columns")
# Element-wise conversions that keep a 1 a 1 (`tf.cast(mask, tf.float32)`, `mask.float()`, `eye.to(device)`).
_KEEPING_CONVERSIONS = frozenset({"astype", "float", "to", "type", "double", "half"})
_REFLEXIVE = (cst.Equal, cst.GreaterThanEqual, cst.LessThanEqual)


def unit_diagonal(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """The value is a 0/1 matrix with a 1 in every row and column by construction: a square identity, or a
    reflexive pairwise comparison of a vector with itself (`equal(labels, transpose(labels))`,
    `y[:, None] == y[None, :]`), whose diagonal compares each entry with itself. Its sums, maxima and norms along
    any axis are >= 1: never 0, whatever the data (the same-class mask of metric-learning losses)."""
    for _ in range(8):
        expr, at = analysis.binder.follow(expr, at, limit=1)
        if not isinstance(expr, (cst.Call, cst.Comparison)):
            return False
        if isinstance(expr, cst.Comparison):
            return len(expr.comparisons) == 1 and isinstance(expr.comparisons[0].operator, _REFLEXIVE) \
                and same_vector(analysis, expr.left, expr.comparisons[0].comparator)
        op = analysis.op_of_call(expr)
        if op in (Op.EQUAL, Op.GREATER_EQUAL, Op.LESS_EQUAL):
            first, second = argument(expr, 0, "x"), argument(expr, 1, "y")
            return first is not None and second is not None and same_vector(analysis, first, second)
        qualified = analysis.qualified_name(expr.func)
        if qualified is not None and normalize(qualified) in _IDENTITY_MATRICES:
            return len([arg for arg in expr.args if arg.keyword is None]) == 1 and not any(
                arg.keyword is not None and arg.keyword.value in _SECOND_SIZE for arg in expr.args)
        kept = _kept(analysis, expr)
        if kept is None:
            return False
        expr = kept
    return False


_EXTREMA = (Op.REDUCE_MAX, Op.REDUCE_MIN)


def holds_its_extremum(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                       axis: cst.BaseExpression | None) -> bool:
    """The value is the 0/1 indicator of where a tensor equals its own maximum (or minimum) along `axis`
    (`cast(equal(q, reduce_max(q, axis=-1, keepdims=True)))`): every slice along that axis holds its extremum, so a
    reduction along the same axis (`axis` spelled the same), or along all of them (`axis` None), is >= 1."""
    for _ in range(8):
        expr, at = analysis.binder.follow(expr, at, limit=1)
        if not isinstance(expr, cst.Call):
            return False
        op = analysis.op_of_call(expr)
        if op is Op.EQUAL:
            first, second = argument(expr, 0, "x"), argument(expr, 1, "y")
            return first is not None and second is not None and any(
                _extremum_of(analysis, extremum, at, of, axis) for of, extremum in ((first, second), (second, first)))
        kept = _kept(analysis, expr)
        if kept is None:
            return False
        expr = kept
    return False


def _extremum_of(analysis: ModuleAnalysis, extremum: cst.BaseExpression, at: Point, of: cst.BaseExpression,
                 axis: cst.BaseExpression | None) -> bool:
    """`extremum` is reduce_max/min of `of` over `axis` (the same spelling), keeping the reduced dimension."""
    reduced, _ = analysis.binder.follow(extremum, at, limit=1)
    if not isinstance(reduced, cst.Call) or analysis.op_of_call(reduced) not in _EXTREMA:
        return False
    source, own_axis = analysis.operand(reduced), argument(reduced, 1, "axis")
    if source is None or own_axis is None or analysis.spelled(source) != analysis.spelled(of):
        return False
    return axis is None or analysis.spelled(axis) == analysis.spelled(own_axis)


def _kept(analysis: ModuleAnalysis, expr: cst.Call) -> cst.BaseExpression | None:
    """What an element-wise conversion that keeps a 1 a 1 converts (`tf.cast(mask, tf.float32)`, `mask.float()`)."""
    if analysis.op_of_call(expr) in (Op.CAST, Op.IDENTITY, Op.STOP_GRADIENT):
        return analysis.operand(expr)
    if analysis.qualified_name(expr.func) is None and isinstance(expr.func, cst.Attribute) \
            and expr.func.attr.value in _KEEPING_CONVERSIONS:
        return expr.func.value
    return None


def same_vector(analysis: ModuleAnalysis, first: cst.BaseExpression, second: cst.BaseExpression) -> bool:
    """The two sides are one vector laid out along two axes: `y` and `transpose(y)`, `y[:, None]` and `y[None, :]`,
    `expand_dims(y, 1)` and `expand_dims(y, 0)` (the same name in one expression is the same binding)."""
    return broadcast_base(analysis, first) == broadcast_base(analysis, second) is not None


def broadcast_base(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> str | None:
    """The vector under transposes, `.T`, new axes and full slices, as text; None for a selection of entries."""
    for _ in range(4):
        if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in (Op.TRANSPOSE, Op.EXPAND_DIMS):
            inner = analysis.operand(expr)
            if inner is None:
                return None
            expr = inner
        elif isinstance(expr, cst.Attribute) and expr.attr.value == "T":
            expr = expr.value
        elif isinstance(expr, cst.Subscript):
            if not all(_new_axis_or_full(element.slice) for element in expr.slice):
                return None
            expr = expr.value
        else:
            break
    return analysis.spelled(expr) if isinstance(expr, (cst.Name, cst.Attribute)) else None


def _new_axis_or_full(index: cst.BaseSlice) -> bool:
    if isinstance(index, cst.Slice):
        return index.lower is None and index.upper is None and index.step is None
    if not isinstance(index, cst.Index):
        return False
    value = index.value
    return (isinstance(value, cst.Name) and value.value == "None") or (
        isinstance(value, cst.Attribute) and value.attr.value == "newaxis")


# Matrix operations that overwrite the main diagonal with their second argument.
_SET_DIAGONAL = frozenset({"tensorflow.linalg.set_diag", "tensorflow.matrix_set_diag",
                           "tensorflow.compat.v1.matrix_set_diag", "tensorflow.compat.v1.linalg.set_diag"})
_FILLS_OF_ONES = frozenset({"ones", "ones_like"})
_ROW_OR_COLUMN_AXES = frozenset({"-1", "-2", "(-2, -1)", "(-1, -2)", "[-2, -1]", "[-1, -2]"})


def set_diagonal(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> float | None:
    """The non-zero constant a square matrix's main diagonal was overwritten with (`tf.linalg.set_diag(y,
    tf.ones(...))`, TFP's CorrelationCholesky), else None: every row and every column then holds that entry, so
    their norms are at least its magnitude, whatever the other entries are."""
    expr, at = analysis.binder.follow(expr, at)
    if not isinstance(expr, cst.Call) or normalize(analysis.qualified_name(expr.func) or "") not in _SET_DIAGONAL:
        return None
    diagonal = argument(expr, 1, "diagonal")
    if diagonal is None:
        return None
    diagonal, at = analysis.binder.follow(diagonal, at)
    if isinstance(diagonal, cst.Call):
        name = (analysis.qualified_name(diagonal.func) or "").rsplit(".", 1)[-1]
        return 1.0 if name in _FILLS_OF_ONES else None
    return None


def along_rows_or_columns(analysis: ModuleAnalysis, axis: cst.BaseExpression | None) -> bool:
    """A matrix norm's `axis`: the last axis (rows), the one before it (columns), both, or none (all entries)."""
    return axis is None or analysis.spelled(axis).replace(" ", "").replace(",", ", ") in _ROW_OR_COLUMN_AXES
