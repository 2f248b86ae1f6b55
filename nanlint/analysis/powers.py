"""Facts about powers and their exponents (NAN008 reads them): exponents that run through 0 over a range of
integers, a base replaced where the exponent is 0, and bases that are evenly spaced grids (no gradient reaches their
entries)."""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import END, At, Point
from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.names import dotted
from nanlint.analysis.operations import Op
from nanlint.analysis.walk import name_reads


def exponents_through_zero(analysis: ModuleAnalysis, exponent: cst.BaseExpression, site: Point
                           ) -> cst.Call | None:
    """The range call whose integers an exponent runs through, when they include 0 (`cast(range(n), x.dtype)`,
    `range(n - 1, -1, -1)`, the counter `i` of `[x ** i for i in range(n)]`),  or None. x ** 0 is 1, but its gradient
    0 * x^-1 is 0 * Inf = NaN where x is 0 (TensorFlow 2.21, measured: pow(x, cast(range(n))), stack([x ** i for i in
    range(n)]), x ** 0 and x ** 0.0; x ** 1 and x ** 2 are fine)."""
    at: Point = site
    for _ in range(6):
        if isinstance(exponent, cst.Name):
            binding = analysis.binder.resolve(exponent.value, at)
            if binding is not None and binding.element is not None and not binding.element.path:
                exponent, at = binding.element.iterable, binding.at  # a loop or comprehension counter
                continue
        exponent, at = analysis.values.definition_at(exponent, at)
        if isinstance(exponent, cst.Call) and analysis.op_of_call(exponent) is Op.CAST:
            cast = argument(exponent, 0, "x")
            if cast is None:
                return None
            exponent = cast
            continue
        break
    if not isinstance(exponent, cst.Call) or (dotted(exponent.func) or "").rsplit(".", 1)[-1] not in (
            "range", "arange"):
        return None
    bounds = [arg.value for arg in exponent.args if arg.keyword is None]
    if len(bounds) == 1:
        through = True  # range(n): 0, 1, ..., n - 1
    elif len(bounds) >= 2:
        start = analysis.values.constant(bounds[0], at)
        limit = analysis.values.constant(bounds[1], at)
        step = analysis.values.constant(bounds[2], at) if len(bounds) > 2 else 1.0
        through = start == 0 or (limit == -1 and step is not None and step < 0)  # up from 0, or down to 0
    else:
        through = False
    return exponent if through else None


def substituted_where_zeroth(analysis: ModuleAnalysis, base: cst.BaseExpression, exponent: cst.BaseExpression,
                              site: Site) -> bool:
    """The base is a where() on a test of the exponent itself (`where(exponents == 0, ones_like(x), x)`): the
    code replaces the base where the exponent is 0 (the fix of tensorflow#127227)."""
    if not isinstance(exponent, cst.Name):
        return False
    definition = analysis.values.definition(base, site)
    if not isinstance(definition, cst.Call) or analysis.op_of_call(definition) is not Op.WHERE:
        return False
    condition = argument(definition, 0, "condition")
    return condition is not None and any(name.value == exponent.value for name in name_reads(condition))


def evenly_spaced_grid(analysis: ModuleAnalysis, base: cst.BaseExpression, at: Point, depth: int = 0) -> bool:
    """The base is a grid of evenly spaced points: a range, arange or linspace scaled, shifted, cast or transposed
    (through names and the returns of module functions: N-BEATS' trend basis `t ** i` of `arange(0, h) / h`). No
    gradient reaches its entries, only the scalars that space them, which are sizes and settings."""
    if depth > 8:
        return False
    expr, at = analysis.values.definition_at(base, at)
    if isinstance(expr, cst.BinaryOperation):
        return any(evenly_spaced_grid(analysis, side, at, depth + 1) for side in (expr.left, expr.right))
    if not isinstance(expr, cst.Call):
        return False
    if analysis.op_of_call(expr) is Op.RANGE or (dotted(expr.func) or "").rsplit(".", 1)[-1] in ("range", "arange"):
        return True
    if analysis.op_of_call(expr) in (Op.CAST, Op.TRANSPOSE, Op.RESHAPE, Op.EXPAND_DIMS):
        first = argument(expr, 0, "x")
        return first is not None and evenly_spaced_grid(analysis, first, at, depth + 1)
    function = analysis.functions.get(expr.func.value) if isinstance(expr.func, cst.Name) else None
    return function is not None and bool(function.returns) and all(
        evenly_spaced_grid(analysis, returned, At(function, END), depth + 1) for returned in function.returns)
