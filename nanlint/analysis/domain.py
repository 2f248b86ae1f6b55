"""The numeric domain of a value: the range it can take, and each operation's unsafe inputs.

`Value` (values.py) says what shaped a value; this module says what that means numerically, in one place:
the range each producer's output spans (sigmoid reaches exactly 0 and 1 by saturation, tanh [-1, 1], relu
[0, Inf) with a structural 0, a linear head (-Inf, Inf)), how the value's own transfers move it (`1 - p`, a
positive scale, a guard), and which ranges make log / exp unsafe. Rules ask `reaches_negative` /
`unbounded_above` instead of matching producers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.interval import INF, Range
from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Guard, Producer, Value


# What each producer's output spans. Probabilities reach their ends exactly (float32 saturation, see
# Producer.zero_when); statistics and magnitudes are >= 0; tanh is [-1, 1]; a linear head is unbounded.
_RANGES: dict[Producer, Range] = {
    Producer.SIGMOID: Range(0.0, 1.0),
    Producer.SOFTMAX: Range(0.0, 1.0),
    Producer.RELU: Range(0.0, INF),
    Producer.EXP: Range(0.0, INF),
    Producer.VARIANCE: Range(0.0, INF),
    Producer.STD: Range(0.0, INF),
    Producer.NORM: Range(0.0, INF),
    Producer.SUM: Range(-INF, INF),
    Producer.SUM_OF_SQUARES: Range(0.0, INF),
    Producer.COUNT: Range(0.0, INF),
    Producer.RANGE: Range(0.0, INF),
    Producer.SQUARE: Range(0.0, INF),
    Producer.ABS: Range(0.0, INF),
    Producer.TANH: Range(-1.0, 1.0),
    Producer.LINEAR: Range(-INF, INF),
    Producer.MASKED: Range(-INF, INF),
    Producer.FLOORED: Range(0.0, INF),
    Producer.BOX_SIDE: Range(0.0, INF),
    Producer.SIGNED: Range(-INF, INF),
    Producer.LABELS: Range(-INF, INF),  # 0/1 for classification, any value for a regression's targets
}

# Guards that bound a value from below (a clip or a floor), so it cannot go negative or unbounded there.
_BOUNDING_GUARDS = (Guard.CLIPPED, Guard.MAXIMUM, Guard.WHERE)


def range_of(value: Value) -> Range | None:
    """The range a value spans, or None when nothing is known about it."""
    if value.producer is None:
        return None
    span = _RANGES[value.producer]
    return span.complement() if value.complement else span


# Producers that take both signs by construction. A sum or a masked value may too, but nothing shows that it does
# (`log(reduce_sum(counts) + 2)` is not "a linear output").
_SIGNED_BY_CONSTRUCTION = (Producer.LINEAR, Producer.TANH, Producer.SIGNED)


def reaches_negative(value: Value) -> bool:
    """The value takes negative values for some inputs and no guard bounds it: log is NaN there."""
    span = range_of(value)
    return span is not None and span.low < 0 and value.guard not in _BOUNDING_GUARDS \
        and value.producer in _SIGNED_BY_CONSTRUCTION


def unbounded_above(value: Value) -> bool:
    """A value with no upper bound and no clip (a linear head): exp of it overflows for large enough inputs."""
    span = range_of(value)
    return span is not None and span.high == INF and value.producer is Producer.LINEAR \
        and value.guard is not Guard.CLIPPED


@dataclass(frozen=True)
class OverlapRatio:
    """An overlap over the total of the same two nonnegative quantities: Dice `2 * sum(a * b) / (sum(a) + sum(b))`,
    IoU / Jaccard `inter / (area1 + area2 - inter)`. Where both quantities are empty (an all-zero mask or block, two
    zero-area padding boxes) the overlap and the total are both 0: 0/0."""

    kind: str  # "Dice" or "IoU"
    operands: tuple[str, str]  # the two quantities (source text), for messages


def overlap_ratio(analysis: ModuleAnalysis, numerator: cst.BaseExpression | None, denominator: cst.BaseExpression,
                  site: Site) -> OverlapRatio | None:
    """The overlap ratio a division spells, followed through names; None when it is not one. A total with a third
    term (a smoothing constant, an epsilon) is not one: that is the guard."""
    if numerator is None:
        return None
    overlap = analysis.values.definition(_without_constant_factors(analysis, numerator, site), site)
    terms = _additive_terms(analysis.values.definition(denominator, site))
    added = [term for sign, term in terms if sign > 0]
    subtracted = [term for sign, term in terms if sign < 0]
    if len(added) != 2 or len(subtracted) > 1 or any(analysis.values.constant(t, site) is not None for t in added):
        return None
    texts = tuple(analysis.spelled(term) for term in added)
    if subtracted:
        # the overlap itself taken out of the sum of the two: a union
        taken = subtracted[0]
        if analysis.spelled(taken) in (analysis.spelled(numerator), analysis.spelled(overlap)) or analysis.spelled(
                analysis.values.definition(taken, site)) == analysis.spelled(overlap):
            return OverlapRatio("IoU", (texts[0], texts[1]))
        return None
    # Dice: sum(a * b) over sum(a) + sum(b)
    summed = [_summed(analysis, analysis.values.definition(term, site)) for term in added]
    product = _summed(analysis, overlap)
    if product is None or any(s is None for s in summed) or not (
            isinstance(product, cst.BinaryOperation) and isinstance(product.operator, cst.Multiply)):
        return None
    factors = {analysis.spelled(product.left), analysis.spelled(product.right)}
    operands = tuple(analysis.spelled(s) for s in summed if s is not None)
    return OverlapRatio("Dice", (operands[0], operands[1])) if set(operands) == factors and len(factors) == 2 else None



def _without_constant_factors(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site) -> cst.BaseExpression:
    """`2 * x`, `1.0 * x`, `x * 2.`, `float(x)`, `tf.cast(x, tf.float32)` -> `x`."""
    while True:
        if isinstance(expr, cst.Call) and expr.args and (
                analysis.op_of_call(expr) is Op.CAST
                or (isinstance(expr.func, cst.Name) and expr.func.value == "float" and len(expr.args) == 1)):
            expr = expr.args[0].value
            continue
        if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply)):
            break
        if analysis.values.constant(expr.left, site) is not None:
            expr = expr.right
        elif analysis.values.constant(expr.right, site) is not None:
            expr = expr.left
        else:
            break
    return expr


def _additive_terms(expr: cst.BaseExpression) -> list[tuple[int, cst.BaseExpression]]:
    """`a + b - c` -> [(+1, a), (+1, b), (-1, c)] (parentheses dropped, no descent into calls)."""
    terms: list[tuple[int, cst.BaseExpression]] = []
    pending: list[tuple[int, cst.BaseExpression]] = [(1, expr)]
    while pending:
        sign, current = pending.pop()
        if isinstance(current, cst.BinaryOperation) and isinstance(current.operator, (cst.Add, cst.Subtract)):
            pending.append((-sign if isinstance(current.operator, cst.Subtract) else sign, current.right))
            pending.append((sign, current.left))  # popped first: the terms keep their written order
        else:
            terms.append((sign, current))
    return terms


def _summed(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """What `reduce_sum(x)` / `K.sum(x)` sums, else None."""
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.REDUCE_SUM:
        return analysis.operand(expr)
    return None
