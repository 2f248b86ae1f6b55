"""The numeric domain of a value: the range it can take, and each operation's unsafe inputs.

`Value` (values.py) says what shaped a value; this module says what that means numerically, in one place:
the range each producer's output spans (sigmoid reaches exactly 0 and 1 by saturation, tanh [-1, 1], relu
[0, Inf) with a structural 0, a linear head (-Inf, Inf)), how the value's own transfers move it (`1 - p`, a
positive scale, a guard), and which ranges make log / exp unsafe. Rules ask `reaches_negative` /
`unbounded_above` instead of matching producers themselves.
"""

from __future__ import annotations

from nanlint.analysis.interval import INF, Range
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
    Producer.SIGNED: Range(-INF, INF),
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
