"""Vectors that are never all zero by how they are assembled, whatever the data: a vector stacked (or concatenated)
with a component that is never 0 (the constant 1 of homogeneous coordinates, `concat([xy, ones_like(x)], -1)`), or
whose components sum to a non-zero constant (barycentric coordinates and other affine weights, `stack([b1, b2,
1 - (b1 + b2)], -1)`: one of them is non-zero). Such a vector keeps that property through what keeps a non-zero
entry non-zero: a quotient by anything finite (`bary / w`, perspective-correct barycentrics), a product by a factor
that is never 0, a negation, identity and conversion, a squeeze or new axis elsewhere than along the vector; it is
followed through names, tuple unpacking and the returns of the module's functions and of those of other project
files. Its norm along the vector's axis is then > 0: `x / norm(x)` and `tf.linalg.normalize(x)` are never 0/0.
ranges.py asks this for the range of a norm (`Ranges.norm`), which the roots (NAN005) and the division
rule's `tf.linalg.normalize` read."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import Point
from nanlint.analysis.module import ModuleAnalysis, Unpacked
from nanlint.analysis.operations import Op

_MAX_STEPS = 16
_MAX_CALLS = 4  # functions followed into, one inside another
# The operations that put pieces side by side, with the position and keyword of their axis and its default
# (tf.concat has none).
_ASSEMBLIES: dict[Op, tuple[int, str, int | None]] = {Op.STACK: (1, "axis", 0), Op.CONCAT: (1, "axis", None)}
# Element-wise operations that keep a non-zero entry non-zero.
_KEEPING = frozenset({Op.IDENTITY, Op.STOP_GRADIENT, Op.NEGATIVE})
# Shape operations that keep every entry: away from the vector's axis they keep the vector too.
_RESHAPING = frozenset({Op.SQUEEZE, Op.EXPAND_DIMS})


@dataclass(frozen=True)
class NonZeroComponent:
    """Why a vector is never all zero along an axis, for messages and tests."""

    why: str  # "holds `tf.ones_like(x)`, never 0", "its components sum to 1"


def never_all_zero(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                   axis: cst.BaseExpression | None) -> NonZeroComponent | None:
    """Whether `expr` is, by construction, a vector with a non-zero entry in every slice along `axis` (with `axis`
    None: somewhere in the tensor, what a norm over all entries needs). None when nothing says so."""
    wanted = _axis(analysis, axis, at) if axis is not None else None
    if axis is not None and wanted is None:
        return None
    return _never_all_zero(analysis, expr, at, wanted, 0)


def _never_all_zero(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, wanted: int | None,
                    calls: int) -> NonZeroComponent | None:
    """`never_all_zero` with the axis read, `calls` deep in the functions whose returns are followed."""
    if calls > _MAX_CALLS:
        return None
    for _ in range(_MAX_STEPS):
        expr, at = analysis.binder.follow(expr, at, limit=1)
        if isinstance(expr, cst.Name):
            return _unpacked(analysis, expr, at, wanted, calls)
        if isinstance(expr, (cst.List, cst.Tuple)):
            return _assembled(analysis, [element.value for element in expr.elements], at, 0, wanted, stacked=True)
        op = analysis.op_of_call(expr) if isinstance(expr, cst.Call) else None
        if isinstance(expr, cst.Call) and op in _ASSEMBLIES:
            return _assembly(analysis, expr, at, op, wanted)
        if isinstance(expr, cst.Call) and op is None:
            return _returned(analysis, expr, None, at, wanted, calls)
        kept = _kept(analysis, expr, at, wanted)
        if kept is None:
            return None
        expr = kept
    return None


def _kept(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
          wanted: int | None) -> cst.BaseExpression | None:
    """The operand of an operation that keeps the vector's non-zero entry: a negation, a quotient's numerator, a
    product's side whose other factor is never 0, identity, a squeeze or new axis away from the vector."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return expr.expression
    if isinstance(expr, cst.BinaryOperation):
        return _kept_by_arithmetic(analysis, expr, at)
    if not isinstance(expr, cst.Call):
        return None
    op = analysis.op_of_call(expr)
    if op in _KEEPING or (op in _RESHAPING and _elsewhere(analysis, expr, at, wanted)):
        return analysis.operand(expr)
    return None


def _unpacked(analysis: ModuleAnalysis, name: cst.Name, at: Point, wanted: int | None,
              calls: int) -> NonZeroComponent | None:
    """`bary, valid = get_barycentric_coordinates(...)`: the element of the tuples the called function returns."""
    binding = analysis.binder.resolve(name.value, at)
    if binding is None or not isinstance(binding.value, Unpacked) or not isinstance(binding.value.source, cst.Call):
        return None
    return _returned(analysis, binding.value.source, binding.value.index, binding.at, wanted, calls)


def _returned(analysis: ModuleAnalysis, call: cst.Call, index: int | None, at: Point, wanted: int | None,
              calls: int) -> NonZeroComponent | None:
    """Every return of the function the call calls (element `index` of each returned tuple) is never all zero."""
    returns = analysis.values.returned_by(call, at)
    if not returns:
        return None
    found = None
    for other, returned, where in returns:
        if index is not None:
            if not isinstance(returned, cst.Tuple) or not -len(returned.elements) <= index < len(returned.elements):
                return None
            returned = returned.elements[index].value
        found = _never_all_zero(other, returned, where, wanted, calls + 1)
        if found is None:
            return None
    return found


def _assembly(analysis: ModuleAnalysis, call: cst.Call, at: Point, op: Op, wanted: int | None
              ) -> NonZeroComponent | None:
    position, keyword, default = _ASSEMBLIES[op]
    given = argument(call, position, keyword)
    along = _axis(analysis, given, at) if given is not None else default
    pieces = analysis.operand(call)
    if along is None or not isinstance(pieces, (cst.List, cst.Tuple)):
        return None
    return _assembled(analysis, [element.value for element in pieces.elements], at, along, wanted,
                      stacked=op is Op.STACK)


def _assembled(analysis: ModuleAnalysis, pieces: list[cst.BaseExpression], at: Point, along: int,
               wanted: int | None, stacked: bool) -> NonZeroComponent | None:
    """Pieces put side by side along `along`, read along `wanted` (None: all entries). Along another axis each
    slice holds one entry of every piece, not the pieces' components: nothing is known then."""
    if wanted is not None and wanted != along:
        return None
    for piece in pieces:
        span = analysis.ranges.of(piece, at)
        if span is not None and span.excludes_zero:
            return NonZeroComponent(f"holds `{analysis.spelled(piece)}`, never 0")
    if stacked:
        total = _sums_to_constant(analysis, pieces, at)
        if total is not None:
            return NonZeroComponent(f"its components sum to {total:g}")
    return None


def _sums_to_constant(analysis: ModuleAnalysis, pieces: list[cst.BaseExpression], at: Point) -> float | None:
    """One piece is `c - (the others' sum)` with c a non-zero constant (`1.0 - (b1 + b2)`, `1 - b1 - b2`): the
    components sum to c, so they are not all 0. The others must be the bindings that piece was computed from."""
    spelled = [analysis.spelled(piece) for piece in pieces]
    for position, piece in enumerate(pieces):
        defined, where = analysis.binder.follow(piece, at, limit=1)
        terms = _signed_terms(defined)
        others = sorted(text for index, text in enumerate(spelled) if index != position)
        if terms is None or len(terms) != len(others) + 1:
            continue
        constants = [(sign, analysis.values.constant(term, where)) for sign, term in terms]
        known = [sign * value for sign, value in constants if value is not None]
        subtracted = sorted(analysis.spelled(term) for (sign, term), (_, value) in zip(terms, constants)
                            if sign < 0 and value is None)
        if len(known) != 1 or known[0] == 0 or subtracted != others:
            continue
        if all(_same_binding(analysis, other, at, where) for index, other in enumerate(pieces) if index != position):
            return float(known[0])
    return None


def _signed_terms(expr: cst.BaseExpression, sign: int = 1) -> list[tuple[int, cst.BaseExpression]] | None:
    """The terms of a sum and difference with their signs: `1 - (a + b)` is [(+1, 1), (-1, a), (-1, b)]."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
        left = _signed_terms(expr.left, sign)
        right = _signed_terms(expr.right, -sign if isinstance(expr.operator, cst.Subtract) else sign)
        return left + right if left is not None and right is not None else None
    return [(sign, expr)]


def _same_binding(analysis: ModuleAnalysis, expr: cst.BaseExpression, first: Point, second: Point) -> bool:
    """A name that reads one binding at both points, or none at either (nothing binds it in between)."""
    if not isinstance(expr, cst.Name):
        return False
    one, two = analysis.binder.resolve(expr.value, first), analysis.binder.resolve(expr.value, second)
    if one is None or two is None:
        return one is None and two is None
    return one.scope is two.scope and one.seq == two.seq


def _kept_by_arithmetic(analysis: ModuleAnalysis, expr: cst.BinaryOperation, at: Point) -> cst.BaseExpression | None:
    """The operand whose non-zero entries stay non-zero: the numerator of a quotient (by anything finite), the side
    of a product whose other factor is never 0."""
    if isinstance(expr.operator, cst.Divide):
        return expr.left
    if isinstance(expr.operator, cst.Multiply):
        for kept, factor in ((expr.left, expr.right), (expr.right, expr.left)):
            span = analysis.ranges.of(factor, at)
            if span is not None and span.excludes_zero:
                return kept
    return None


def _elsewhere(analysis: ModuleAnalysis, call: cst.Call, at: Point, wanted: int | None) -> bool:
    """A squeeze or new axis that leaves the vector alone: any, when the vector is the whole tensor; for a vector
    along a negative axis, one at an explicit axis from the front (`squeeze(x, 0)`) or further left than it
    (`squeeze(x, axis=-2)` keeps axis -1 the same entries)."""
    if wanted is None:
        return True
    given = argument(call, 1, "axis")
    moved = _axis(analysis, given, at) if given is not None else None
    return wanted < 0 and moved is not None and (moved >= 0 or moved < wanted)


def _axis(analysis: ModuleAnalysis, axis: cst.BaseExpression | None, at: Point) -> int | None:
    """An axis argument that is a constant integer."""
    value = analysis.values.constant(axis, at) if axis is not None else None
    return int(value) if value is not None and float(value).is_integer() else None
