"""Closed ranges of real numbers and the interval arithmetic the numeric domain propagates.

A `Range` bounds every element of a tensor: `x ** 2` is in [0, Inf), `-x ** 2 / (2 * s ** 2)` in (-Inf, 0],
`cast(position) + 2` with position >= 0 in [2, Inf), a product of two non-negative factors is non-negative. The
operations here are sound over-approximations (a result contains every value the operands can produce); a bound
that nothing establishes is ±Inf. `POSITIVE_TINY` stands for "strictly positive, but as small as you like" (a
sum of positive weights, a norm of a vector with a non-zero entry), since the bounds are closed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

INF = math.inf
# The low end of a strictly positive quantity whose size is not known (the smallest positive double).
POSITIVE_TINY = math.ulp(0.0)


@dataclass(frozen=True)
class Range:
    """Closed bounds a value reaches (a bound of ±Inf means unbounded on that side)."""

    low: float
    high: float

    @staticmethod
    def point(value: float) -> Range:
        return Range(value, value)

    @staticmethod
    def hull(ranges: Iterable[Range]) -> Range | None:
        """The smallest range containing all of them (None for none)."""
        spans = list(ranges)
        if not spans:
            return None
        return Range(min(span.low for span in spans), max(span.high for span in spans))

    @property
    def nonnegative(self) -> bool:
        return self.low >= 0

    @property
    def excludes_zero(self) -> bool:
        """Every value is strictly positive or every value strictly negative."""
        return self.low > 0 or self.high < 0

    def complement(self) -> Range:
        """The range of `1 - x`."""
        return Range(1.0 - self.high, 1.0 - self.low)

    def negated(self) -> Range:
        return Range(-self.high, -self.low)

    def plus(self, other: Range) -> Range:
        return Range(_add(self.low, other.low, -INF), _add(self.high, other.high, INF))

    def minus(self, other: Range) -> Range:
        return self.plus(other.negated())

    def times(self, other: Range) -> Range:
        products = [_mul(a, b) for a in (self.low, self.high) for b in (other.low, other.high)]
        return Range(min(products), max(products))

    def divided_by(self, other: Range) -> Range | None:
        """Over a divisor that can be 0, only the sign survives (x / 0 is ±Inf; 0 / 0, NaN, is the division's
        own hazard, reported on its own); over one that takes both signs, nothing."""
        if not other.excludes_zero:
            if not (other.low >= 0 or other.high <= 0) or not (self.low >= 0 or self.high <= 0):
                return None
            flipped = other.high <= 0 and other.low < 0
            nonnegative_quotient = (self.low >= 0) != flipped
            return Range(0.0, INF) if nonnegative_quotient else Range(-INF, 0.0)
        return self.times(Range(1.0 / other.high, 1.0 / other.low))

    def squared(self) -> Range:
        magnitude = self.magnitude()
        low = 0.0 if self.low <= 0 <= self.high else _mul(magnitude.low, magnitude.low)
        return Range(low, _mul(magnitude.high, magnitude.high))

    def magnitude(self) -> Range:
        """The range of |x|."""
        if self.low >= 0:
            return self
        if self.high <= 0:
            return self.negated()
        return Range(0.0, max(-self.low, self.high))

    def root(self) -> Range:
        """The range of sqrt(x) where it is defined (a negative part gives NaN, which is not a bound's business)."""
        return Range(math.sqrt(max(self.low, 0.0)), math.sqrt(self.high) if self.high >= 0 else 0.0)

    def exp(self) -> Range:
        return Range(_exp(self.low), _exp(self.high))

    def clamped(self, low: float | None, high: float | None) -> Range:
        """The range of clip(x, low, high) / maximum(x, low) / minimum(x, high)."""
        lower = self.low if low is None else max(self.low, low)
        upper = self.high if high is None else min(self.high, high)
        if low is not None:
            upper = max(upper, low)
        if high is not None:
            lower = min(lower, high)
        return Range(lower, upper)

    def summed(self) -> Range:
        """The range of a sum of (at least one) such elements: the signs survive, the magnitudes do not."""
        return Range(self.low if self.low >= 0 else -INF, self.high if self.high <= 0 else INF)


def _add(a: float, b: float, if_undefined: float) -> float:
    total = a + b
    return if_undefined if math.isnan(total) else total


def _mul(a: float, b: float) -> float:
    if a == 0 or b == 0:  # 0 * Inf: a bound of 0 times an unbounded factor stays 0
        return 0.0
    return a * b


def _exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return INF
