"""NAN008: a fractional power (`x ** 0.4`, `tf.pow(x, gamma)`) outside its domain.

- A base that can be negative (a difference `a - b`, a linear head, a weight times an input): a negative number has
  no real fractional power, so the value and the gradient are NaN there.
- An exponent in (0, 1) of a base that is exactly 0 by construction (a relu or a clamp at 0, `1 - p` of a saturating
  sigmoid): the value is finite but the gradient p * x^(p-1) is Inf at 0, NaN once the chain rule multiplies it by
  the 0 derivative of what produced the 0. `x ** 0.5` of such a base is NAN005's (the square root's rule).
- A trainable exponent (`pow(abs(x), w)`) of a base that reaches 0: nothing keeps the exponent >= 1.
- A variance written as E[x²] - E[x]² (analysis/zeros.py, `cancelled_variance`): rounding makes it negative, so its
  root (sqrt, rsqrt, `** 0.5`, batch_normalization's rsqrt(variance + epsilon)) is NaN in the forward value; reported
  at the root, or at the difference where a function returns it as a variance for others to root.

The exponent is a constant, a `tf.constant`, or what a parameter / `self.` attribute is given (`self._gamma` built
with `gamma=0.5`)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.domain import reaches_negative
from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.powers import evenly_spaced_grid, exponents_through_zero, substituted_where_zeroth
from nanlint.analysis.ranges import range_of
from nanlint.analysis.reachability import zero_confidence
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import Producer, Value, numeric_literal
from nanlint.analysis.zeros import CancelledVariance, cancelled_variance, returned_variances
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence

_SIGNED = (Producer.LINEAR, Producer.TANH, Producer.SIGNED)
_FLOOR = "floor the base first: maximum(x, 1e-7) ** p in float32 (1e-3 in float16)"
# What the gradient at a 0 base becomes, by how the 0 was made (TensorFlow 2.21, measured).
_AT_ZERO = {
    Producer.RELU: "NaN for every input <= 0 (relu's gradient multiplies the Inf by 0)",
    Producer.FLOORED: "Inf where the input is exactly 0 (a clamp passes the gradient at its boundary)",
    Producer.SIGMOID: "NaN where the sigmoid saturates (its 0 derivative times the Inf)",
    Producer.SOFTMAX: "NaN where the softmax saturates (its 0 derivative times the Inf)",
}


def _is_difference(analysis: ModuleAnalysis, base: cst.BaseExpression, site: Site) -> bool:
    """`a - b` of two non-constant values (directly or through a name): its sign is not known. Not a difference
    of fixed values (ranges.fixed: computed from literals and settings alone, as a sampler's noise schedule
    `np.cumprod(1 - beta)` is): it is the same on every run, negative either always or never, and no input
    makes it so."""
    definition = analysis.values.definition(base, site)
    return (
        isinstance(definition, cst.BinaryOperation)
        and isinstance(definition.operator, cst.Subtract)
        and analysis.values.constant(definition.left, site) is None
        and analysis.values.constant(definition.right, site) is None
        and not analysis.ranges.fixed(base, site)
    )


class FractionalPowerOfDifference(Check):
    code = "NAN008"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        rooted: set[int] = set()  # the moment variances reported at a root
        for node, base, exponent, site in _powers(analysis):
            cancelled = _cancelled_power(analysis, node, base, exponent, site, rooted)
            if cancelled is not None:
                yield cancelled
                continue
            if exponent is not None and analysis.values.is_weight(exponent, site):
                yield from _trainable_exponent(analysis, node, base, exponent, site)
                continue
            counted = exponents_through_zero(analysis, exponent, site) if exponent is not None else None
            if exponent is not None and counted is not None:
                zeroth = f"exponents `{analysis.code_of(counted)}`, which include 0"
                yield from _zeroth_power_at_zero(analysis, node, base, exponent, zeroth, site)
                continue
            power, what, below_one = _exponent(analysis, exponent, site)
            if power is None or float(power).is_integer():
                continue
            value = analysis.values.of(base, site)
            if _is_difference(analysis, base, site):
                yield Report(node, f"{what} of a difference, which is negative for some inputs: {_NEGATIVE}")
            elif value.producer in _SIGNED and reaches_negative(value):
                yield Report(node, f"{what} of {_article(value.describe())}, which takes negative values: "
                                   f"{_NEGATIVE}{value.flow}")
            elif 0 < power < 1 and value.zero_when is not None and not _sqrt_rule(node, value):
                yield from _root_at_zero(analysis, node, base, power, below_one, value, site)
        yield from _other_roots(analysis, rooted)


def _exponent(analysis: ModuleAnalysis, exponent: cst.BaseExpression | None, site: Site
              ) -> tuple[float | None, str, str]:
    """The fractional power to check (None when it is not known to be one), how the message names it, and how it
    names it as below 1: a constant; the smallest fractional entry of a vector of them (MS-SSIM's `power_factors`:
    the worst); a fraction a caller passes for a parameter whose own value is whole (a loss factory's `gamma`)."""
    if exponent is None:
        return -0.5, "rsqrt (power -0.5)", "rsqrt (power -0.5) (below 1)"
    power = analysis.values.number(exponent, site)
    if power is not None and not float(power).is_integer():
        return power, f"power {power:g}", f"power {power:g} (below 1)"
    if power is None:
        powers = analysis.values.numbers(exponent, site) or ()
        fractional = [p for p in powers if not float(p).is_integer()]
        if fractional:
            what = f"powers `{analysis.code_of(exponent)}` ({min(powers):g} to {max(powers):g})"
            worst = 'all' if max(powers) < 1 else f'{min(fractional):g}'
            return min(fractional), what, f"{what[:-1]}, {worst} below 1)"
    passed = sorted(p for p in analysis.values.passed_numbers(exponent, site) if not float(p[0]).is_integer())
    if passed:
        power, where = passed[0]
        return power, f"power {power:g} ({where})", f"power {power:g} (below 1; {where})"
    return power, "", ""


def _powers(analysis: ModuleAnalysis) -> list[tuple[cst.BaseExpression, cst.BaseExpression, cst.BaseExpression | None,
                                                     Site]]:
    """Every power of the module whose base is given: (node, base, exponent, site), the exponent None for rsqrt."""
    candidates: list[tuple[cst.BaseExpression, cst.BaseExpression | None, cst.BaseExpression | None, Site]] = [
        (b.node, b.node.left, b.node.right, b.site) for b in analysis.binary_operations
        if isinstance(b.node.operator, cst.Power)]
    candidates += [(c.node, argument(c.node, 0, "x"), argument(c.node, 1, "y"), c.site)
                   for c in analysis.calls_of(Op.POW) if not c.is_numpy]
    # rsqrt(x) is x ** -0.5: NaN below 0 like any fractional power (its 0 is NAN002's negative power)
    candidates += [(c.node, argument(c.node, 0, "x"), None, c.site) for c in analysis.calls_of(Op.RSQRT)]
    return [(node, base, exponent, site) for node, base, exponent, site in candidates if base is not None]


def _cancelled_power(analysis: ModuleAnalysis, node: cst.BaseExpression, base: cst.BaseExpression,
                     exponent: cst.BaseExpression | None, site: Site, rooted: set[int]) -> Report | None:
    """rsqrt or a fractional power of a moment variance (the variance is noted in `rooted`)."""
    if exponent is not None and float(analysis.values.number(exponent, site) or 0).is_integer():
        return None
    cancelled = cancelled_variance(analysis, base, site)
    if cancelled is None:
        return None
    rooted.add(id(cancelled.difference))
    what = "rsqrt" if exponent is None else f"power {analysis.code_of(exponent)}"
    return Report(node, f"{what} of {_cancelled(analysis, cancelled)}")


def _other_roots(analysis: ModuleAnalysis, rooted: set[int]) -> Iterator[Report]:
    """sqrt and batch_normalization's rsqrt(variance + variance_epsilon) of a moment variance, then the moment
    variances that functions return unrooted."""
    roots = [(c.node, argument(c.node, 0, "x"), c.site, "sqrt") for c in analysis.calls_of(Op.SQRT) if not c.is_numpy]
    roots += [(c.node, argument(c.node, 2, "variance"), c.site, "batch_normalization's rsqrt(variance + epsilon)")
              for c in analysis.calls_of(Op.BATCH_NORMALIZATION)]
    for node, radicand, site, what in roots:
        cancelled = cancelled_variance(analysis, radicand, site) if radicand is not None else None
        if cancelled is not None and id(cancelled.difference) not in rooted:
            rooted.add(id(cancelled.difference))
            yield Report(node, f"{what} of {_cancelled(analysis, cancelled)}")
    for cancelled in returned_variances(analysis):
        if id(cancelled.difference) not in rooted:
            rooted.add(id(cancelled.difference))
            yield Report(cancelled.difference, _cancelled(analysis, cancelled, returned=True))


def _cancelled(analysis: ModuleAnalysis, cancelled: CancelledVariance, returned: bool = False) -> str:
    """The message for a moment variance rounding below 0."""
    subject = (f"a variance written as E[x²] - E[x]² (of `{cancelled.variance.terms}`), returned as a variance: it "
               f"is" if returned else f"`{analysis.spelled(cancelled.difference)}`, a variance written as E[x²] - "
               f"E[x]² (of `{cancelled.variance.terms}`), which is")
    epsilon = (f"; the epsilon {cancelled.epsilon:g} added before the root only moves the threshold"
               if cancelled.epsilon is not None else "")
    use = "so the root that batch normalization or a std takes of it is NaN" if returned else "so the root is NaN"
    return (f"{subject} negative where the two moments cancel: in float32 rounding leaves the difference below 0 "
            f"when the entries are large against their spread (measured: 64 entries of 100 ± 0.01 give down to "
            f"-0.003, of 1000 ± 0.01 down to -0.3, a constant 0.1 gives -2.8e-9), {use}{epsilon}; clamp it, "
            f"maximum(E[x²] - E[x]², 0), or average the squared deviations: mean(square(x - mean(x)))")


_NEGATIVE = ("a negative number has no real fractional power, so the value and the gradient are NaN there; use "
             "abs(x) + 1e-7 as the base (abs alone leaves an Inf gradient at 0 for powers below 1), or "
             "sign(x) * (abs(x) + 1e-7) ** p for an odd root")


def _sqrt_rule(node: cst.BaseExpression, value: Value) -> bool:
    """`x ** 0.5` of a value reaching 0 is NAN005's finding (it owns square roots); it leaves probabilities."""
    return isinstance(node, cst.BinaryOperation) and numeric_literal(node.right) == 0.5 and not value.squashed


def _root_at_zero(analysis: ModuleAnalysis, node: cst.BaseExpression, base: cst.BaseExpression, power: float,
                  below_one: str, value: Value, site: Site) -> Iterator[Report]:
    """`below_one` names the power (`power 0.5 (below 1)`, or a vector of them with the smallest as `power`)."""
    hazard = analysis.gradients.gradient_hazard(site, node)
    if hazard is None or not analysis.gradients.carries_gradient(base, site):
        return  # the value at 0 is a finite 0; only the gradient is not, and none flows here
    flow_confidence, where = hazard
    at_zero = _AT_ZERO.get(value.producer, "Inf at 0, and NaN where the chain rule multiplies it by 0") \
        if value.producer is not None else ""
    yield Report(
        node,
        f"{below_one} of {_article(value.describe())}, which is exactly 0 for {value.zero_when}: the value is "
        f"finite but the gradient {power:g} * x^{power - 1:g} is {at_zero}; {_FLOOR}{value.flow}{where}",
        confidence=Confidence.weakest(flow_confidence, zero_confidence(analysis, base, site, value)),
    )


def _trainable_exponent(analysis: ModuleAnalysis, node: cst.BaseExpression, base: cst.BaseExpression,
                        exponent: cst.BaseExpression, site: Site) -> Iterator[Report]:
    """`pow(abs(x), w)`: where the base is 0, an exponent trained below 1 makes the gradient Inf, below 0 the value."""
    value = analysis.values.of(base, site)
    span = range_of(value)
    if value.guard is not None or span is None or span.low != 0:
        return  # unknown, floored (`maximum(x, eps)`, as GeM pooling does) or of either sign (NaN is another story)
    reason = value.zero_when or "every entry where its input is 0"
    yield Report(
        node,
        f"power of {_article(value.describe())} with a trainable exponent `{analysis.code_of(exponent)}`: nothing keeps the "
        f"exponent >= 1, and where the base is 0 ({reason}) the gradient is Inf once the exponent falls below 1 and "
        f"the value is Inf (NaN after a 0 factor) once it falls below 0; {_FLOOR}",
        # |x| is 0 exactly where x is: by construction for data (a zero feature, zero padding), with probability 0
        # for a learned projection or a random draw
        confidence=Confidence.CONSTRUCTION if value.zero_when is not None else zero_confidence(analysis, base, site, value),
    )


def _zeroth_power_at_zero(analysis: ModuleAnalysis, node: cst.BaseExpression, base: cst.BaseExpression,
                          exponent: cst.BaseExpression, exponents: str, site: Site) -> Iterator[Report]:
    """x ** 0 of a base that reaches 0 in differentiated code (tf.experimental.numpy.vander, tensorflow#127227)."""
    hazard = analysis.gradients.gradient_hazard(site, node)
    if hazard is None or not analysis.gradients.carries_gradient(base, site) \
            or substituted_where_zeroth(analysis, base, exponent, site) or evenly_spaced_grid(analysis, base, site) \
            or analysis.values.number(base, site) is not None:
        # the value, 1, is right; only the gradient is not, and none flows here (or only to the spacing of a grid),
        # or the base is a number (a setting: `feat_mult ** level` of `feat_mult=1` sizing a network's levels)
        return
    value = analysis.values.of(base, site)
    if value.guard is not None or (value.producer is not None and value.zero_when is None):
        return  # a base kept off 0 (the fix's where(exponents == 0, 1, x)), or one that is never 0
    flow_confidence, where = hazard
    reason = value.zero_when or "an entry of 0"
    yield Report(
        node,
        f"power with {exponents}, of a base that is 0 for {reason}: x ** 0 is 1, but its gradient 0 * x^-1 is "
        f"0 * Inf = NaN where x is 0; substitute 1 for the base where the exponent is 0: "
        f"pow(where(exponents == 0, ones_like(x), x), exponents){where}",
        confidence=Confidence.weakest(flow_confidence, zero_confidence(analysis, base, site, value)),
    )


def _article(label: str) -> str:
    return f"an {label}" if label[:1] in "aeiou" else f"a {label}"
