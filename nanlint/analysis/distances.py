"""Squared distances written as a Gram expansion: |a|² + |b|² - 2 a·b.

Pairwise squared distances are usually computed without forming `a - b` (GPflow's `square_distance`, RBF kernels,
triplet losses' `_pairwise_distances`): the squared norms of the two point sets plus -2 times their matrix of inner
products. The cross term alone is a matrix product, a linear output of either sign; the whole sum is ||a - b||²,
>= 0 up to rounding (slightly negative for two equal points, which is why roots of it are guarded). So
`exp(-d / 2)` of such a sum is <= 1: no overflow, whatever the points are. `gram_expansion` tells such a sum from a
linear head plus anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import Point
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op

_MAX_TERMS = 12
_MAX_DEPTH = 8
# Calls that move a vector of squared norms into a row or a column (or transpose a matrix) and keep its entries.
_SHAPE_CALLS = frozenset({"expand_dims", "adjoint", "matrix_transpose", "transpose", "reshape"})


@dataclass(frozen=True)
class _Term:
    sign: int  # +1 or -1: the sign the term is added with
    expr: cst.BaseExpression
    at: Point


def gram_expansion(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """`expr` is a sum that holds -c * matmul(a, b) (c > 0; `tensordot`, `a @ b` too) and, added, the squared
    norms of a and of b along the contracted axis (`reduce_sum(square(a), -1)`, `sum(a ** 2, 1)`, `diag_part` of
    `matmul(a, a)`), moved into rows or columns (`expand_dims`, `[:, None]`, `adjoint`): ||a - b||², through names
    and augmented assignments (`dist = -2 * matmul(x, y, transpose_b=True); dist += xs + adjoint(ys)`)."""
    terms: list[_Term] = []
    _collect(analysis, expr, at, 1, terms, 0)
    if len(terms) > _MAX_TERMS:
        return False
    norms = [base for term in terms if term.sign > 0
             for base in [_squared_norm_of(analysis, term.expr, term.at)] if base is not None]
    for term in terms:
        factors = _product_factors(analysis, term.expr) if term.sign < 0 else None
        if factors is not None and all(any(factor.deep_equals(norm) for norm in norms) for factor in factors):
            return True
    return False


def _collect(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, sign: int, terms: list[_Term],
             depth: int) -> None:
    """The terms of a sum with their signs, through `+`, `-`, unary minus, positive or negative constant factors
    and names bound to such sums."""
    if len(terms) > _MAX_TERMS:
        return
    expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
    if depth < _MAX_DEPTH:
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
            _collect(analysis, expr.left, at, sign, terms, depth + 1)
            _collect(analysis, expr.right, at, -sign if isinstance(expr.operator, cst.Subtract) else sign, terms,
                     depth + 1)
            return
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            _collect(analysis, expr.expression, at, -sign, terms, depth + 1)
            return
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
            for factor, other in ((expr.left, expr.right), (expr.right, expr.left)):
                constant = _number(factor)
                if constant is not None and constant != 0:
                    _collect(analysis, other, at, sign if constant > 0 else -sign, terms, depth + 1)
                    return
    terms.append(_Term(sign, expr, at))


def _number(expr: cst.BaseExpression) -> float | None:
    negative = False
    while isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        negative, expr = not negative, expr.expression
    if isinstance(expr, (cst.Integer, cst.Float)):
        value = float(expr.evaluated_value)
        return -value if negative else value
    return None


def _product_factors(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, ...] | None:
    """(a, b) of `matmul(a, b)` (any transposition flags), `tensordot(a, b, ...)`, `a @ b`; else None."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.MatrixMultiply):
        return _unshaped(analysis, expr.left), _unshaped(analysis, expr.right)
    if not isinstance(expr, cst.Call):
        return None
    qualified = analysis.qualified_name(expr.func) or ""
    if analysis.op_of_call(expr) is not Op.MATMUL and qualified.rsplit(".", 1)[-1] != "tensordot":
        return None
    first, second = argument(expr, 0, "a"), argument(expr, 1, "b")
    if first is None or second is None:
        return None
    return _unshaped(analysis, first), _unshaped(analysis, second)


def _unshaped(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression:
    """What a transpose or reshape of `expr` moves (`tf.transpose(y)` -> `y`)."""
    for _ in range(_MAX_DEPTH):
        inner = _shape_call_operand(analysis, expr)
        if inner is None:
            return expr
        expr = inner
    return expr


def _shape_call_operand(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(expr, cst.Call) and expr.args:
        name = (analysis.qualified_name(expr.func) or "").rsplit(".", 1)[-1]
        if name in _SHAPE_CALLS:
            return expr.args[0].value
    return None


def _squared_norm_of(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> cst.BaseExpression | None:
    """x of a vector of x's squared norms: `reduce_sum(square(x), axis)`, `sum(x ** 2, 1)`, `sum(x * x, -1)`,
    `diag_part(matmul(x, x, ...))`, moved into a row or a column (`expand_dims`, `x[:, None]`, `adjoint`,
    `reshape`), also through names."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
        inner = _shape_call_operand(analysis, expr)
        if inner is None and isinstance(expr, cst.Subscript):
            inner = expr.value  # `sq[:, None]`, `sq[None, :]`
        if inner is None:
            break
        expr = inner
    if not isinstance(expr, cst.Call):
        return None
    name = (analysis.qualified_name(expr.func) or "").rsplit(".", 1)[-1]
    summed = analysis.operand(expr)
    if name in ("diag_part", "diagonal", "diag") and summed is not None:
        gram, _ = analysis.binder.follow(summed, at, _MAX_DEPTH)
        factors = _product_factors(analysis, gram)
        return factors[0] if factors is not None and factors[0].deep_equals(factors[1]) else None
    if analysis.op_of_call(expr) is not Op.REDUCE_SUM or summed is None:
        return None
    return analysis.squared_base(analysis.binder.follow(summed, at, _MAX_DEPTH)[0])
