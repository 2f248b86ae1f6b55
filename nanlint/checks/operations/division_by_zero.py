"""NAN002: division by a value that can be exactly 0 (variance, std, norm, sum, count, relu output,
sigmoid output, max - min), with no epsilon, floor or divide_no_nan."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.domain import overlap_ratio, power_normalization
from nanlint.analysis.guards import Domain
from nanlint.analysis.binder import Point
from nanlint.analysis.module import Division, ModuleAnalysis, Site
from nanlint.analysis.operations import Op, method_operation
from nanlint.analysis.ranges import excludes_zero
from nanlint.analysis.values import Producer, Value
from nanlint.analysis.reachability import zero_confidence
from nanlint.analysis.zeros import (EmptyMean, atan2_origins, count_total, density, empty_means, handed_in_terms,
                                    guarded_variance, length_minus_one, moment_variance,
                                    reads_binding, reciprocal_factors, second_moment, negative_powers, partly_filled,
                                    selection_guarded, selection_size, trainable_divisor)
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence, Fix


def _normalizes_by_own_sum(analysis: ModuleAnalysis, division: Division, value: Value) -> bool:
    """`sum(loss * mask) / sum(mask)`, `r / sum(r)` with r a relu output: a sum is only known to reach 0 when
    the numerator is built from what was summed (or from its mask) and that is a mask or itself a value that can
    be 0. A sum of unknown terms (router probabilities, exps, weights) is usually positive by design: unknown
    stays unknown."""
    if division.numerator is None or not value.subject or not value.subject_can_be_zero:
        return False
    built_from = _source_texts(analysis, division.numerator, division.site)
    return any(text in source for text in (value.subject, value.mask) if text for source in built_from)


def _source_texts(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site) -> list[str]:
    """The expression's text and the texts its names were bound to, possibly in earlier statements, and theirs in
    turn (`inputs *= mask; sum(inputs) / sum(mask)`, `total = sum(loss * mask); total / count`,
    `p = x * cumsum(x); p /= ranks; sum(p) / sum(x)`)."""
    texts = [expr]
    pending: list[tuple[cst.BaseExpression, Point]] = [(expr, site)]
    while pending:
        current, at = pending.pop()
        if isinstance(current, cst.Name):
            bound, bound_at = analysis.values.definition_at(current, at)
            if bound is not current and not any(bound is seen for seen in texts):
                texts.append(bound)
                pending.append((bound, bound_at))
        elif isinstance(current, cst.BinaryOperation):
            pending.extend(((current.left, at), (current.right, at)))
        elif isinstance(current, cst.Call):
            pending.extend((arg.value, at) for arg in current.args)
    return [analysis.spelled(text) for text in texts]


@dataclass(frozen=True)
class _NothingSummed:
    """A sum of non-negative terms that is 0 when none is present: what it is and when (for the message), and
    whether only under preview."""

    zero: str
    plausible: bool = False


def _nothing_summed(analysis: ModuleAnalysis, division: Division) -> _NothingSummed | None:
    """What a sum of non-negative terms is, when it is 0 for some data: a row or column total of a count table
    (0 for a class with nothing counted in it), or (preview) a row total of terms the caller hands in and the code
    normalises by it (weights, probabilities: 0 for a row of zeros). None for a sum of unknown terms."""
    total = count_total(analysis, division.denominator, division.site)
    if total is not None:
        return _NothingSummed(f"division by the sum of `{total.table}`, a row or column total of {total.made}, which "
                              f"is 0 for a class nothing was counted in (one never predicted, or absent from the "
                              f"labels)")
    return _handed_in_total(analysis, division)


def _handed_in_total(analysis: ModuleAnalysis, division: Division) -> _NothingSummed | None:
    """`sum(w * x) / sum(w, axis)`, `p / sum(p, axis)`, `sum(w * x) * reciprocal(sum(w))` with w or p a
    parameter: code that normalises by their total treats them as non-negative weights or probabilities, and
    promises nothing about a row of zeros. Preview: the caller may never pass one (alpha >= 1 of a Dirichlet,
    attention probabilities)."""
    parameter = handed_in_terms(analysis, division.denominator, division.site)
    if parameter is None:
        return None
    numerators = [division.numerator] if division.numerator is not None else reciprocal_factors(analysis, division)
    if not any(reads_binding(analysis, numerator, division.site, parameter) for numerator in numerators):
        return None
    return _NothingSummed(f"division by a row total of `{parameter.name}`, terms the caller hands in that the code "
                          f"normalises by their own total (weights or probabilities), which is 0 for a row of zeros "
                          f"(weights that leave out every entry, predictions that are all 0)", plausible=True)


def _masked_sum(value: Value) -> bool:
    """A sum of a mask (`(loss * mask).sum() / mask.sum()`): 0 when the mask selects nothing."""
    return value.producer is Producer.SUM and value.mask is not None


# The mechanisms reported outside TensorFlow/Keras files (`Check.outside_frameworks`; README, "Which files are
# linted"), each measured on NumPy, PyTorch and JAX code to be TRUE or DEBATABLE in >= 90% of its findings
# (bench/FINDINGS.md). Norms, counts, sums of squares and plain sums stay out: in library code they are mostly
# non-zero by construction (eigenvectors, sensor geometry, fitted coefficients).
MASKED_MEAN = "a mean over a mask that can select nothing"
OVERLAP_RATIO = "an overlap ratio (IoU, Dice) of two empty inputs"
SPREAD = "a spread (std, variance, max - min) of a constant input, outside test code"
PARTLY_FILLED = "an array of zeros written only in part"
# What a spread divides by: 0 for a constant input (a blank image channel, a flat signal, a constant feature).
_SPREADS = (Producer.STD, Producer.VARIANCE, Producer.RANGE)


def _mechanism(analysis: ModuleAnalysis, value: Value) -> str | None:
    """The outside-framework mechanism a denominator's value is. A spread in a test module is none: the data a test
    normalizes are its own fixtures and random draws, never constant unless the test is about that (25 of the 30
    FALSE spread findings on NumPy libraries were tests' reference computations)."""
    if _masked_sum(value):
        return MASKED_MEAN
    if value.producer in _SPREADS and not analysis.test_code:
        return SPREAD
    return None


# The array libraries whose denominators get that library's guard in the message, not tf.math.divide_no_nan.
_ARRAY_LIBRARIES = ("numpy.", "jax.numpy.")


def _numpy_denominator(analysis: ModuleAnalysis, division: Division, libraries: tuple[str, ...] = ("numpy.",)) -> bool:
    """The denominator is computed by NumPy (or another of `libraries`) or an array method (NumPy, PyTorch):
    `np.max(x) - np.min(x)`, `a.max() - a.min()`, `np.std(x)`, also through names (`imin, imax = a.min(), a.max()`)."""
    pending = [analysis.values.definition(division.denominator, division.site)]
    seen: set[int] = set()  # `total += n` in a loop defines `total` by itself: follow each definition once
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, cst.Call):
            qualified = analysis.qualified_name(current.func)
            if (qualified or "").startswith(libraries) or (
                    qualified is None and method_operation(current)):
                return True
        elif isinstance(current, cst.BinaryOperation):
            pending.extend(analysis.values.definition(side, division.site) for side in (current.left, current.right))
    return False


def _reference_value(analysis: ModuleAnalysis, division: Division, value: Value) -> bool:
    """The denominator is computed from literals (a test's reference arrays: no input makes it 0), or it is a test's
    expected value computed in NumPy from the test's own fixtures (module.test_code), or a spread a test computes in
    any library (tensorflow_gnn's `_normalize` of an expected row by its `reduce_std`): the data a test normalizes
    are its own fixtures and random draws, constant only in a test about that (`_mechanism`, the same fact outside
    the frameworks)."""
    return analysis.ranges.fixed(division.denominator, division.site) or (analysis.test_code and (
        _numpy_denominator(analysis, division) or value.producer in _SPREADS))


def _excluded_by_guard(analysis: ModuleAnalysis, division: Division) -> bool:
    """where(d > 0, a / d, c), cond(any(mask), lambda: .../sum(mask), ...), `if d != 0:`, an earlier
    `if d == 0: return` never take the division at 0: the forward value is safe (where's gradient is NAN007's to
    report); an assert that d > 0 stops the program first; a `where(isnan(r), fallback, r)` later on a value
    computed from the division replaces the NaN it makes."""
    if analysis.guards.excluded(division.node, division.denominator, Domain.NONZERO, division.site):
        return True
    return analysis.guards.repaired_downstream(division.site)


def _divide_no_nan_fix(analysis: ModuleAnalysis, division: Division) -> Fix | None:
    """`a / d` -> `divide_no_nan(a, d)`: 0 where d is 0, as Keras' own metrics do."""
    node = division.node
    if division.numerator is None or not (
            isinstance(node, cst.Call) or (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide))):
        return None
    if isinstance(node, cst.Call) and analysis.op_of_call(node) is not Op.DIVIDE:
        return None
    spelled = analysis.imports.spell_any("tensorflow.math.divide_no_nan", "keras.ops.divide_no_nan")
    if spelled is None:
        return None
    numerator = analysis.code_of(division.numerator)
    denominator = analysis.code_of(division.denominator)
    return Fix("use divide_no_nan", f"{spelled}({numerator}, {denominator})", safe=False)


# Outside TensorFlow/Keras files (NumPy, PyTorch, plain Python) the fix is a guard, and a Python number raises.
_OUTSIDE_OUTCOME = "Inf (x/0) or NaN (0/0) for arrays, ZeroDivisionError for Python numbers"
_OUTSIDE_GUARD = ("add an epsilon or guard the divisor (a where() that keeps it away from 0 in the array library, "
                  "`a / d if d else 0.0` for a number)")


# Bases whose 0 comes with a 0 (or NaN) derivative, which the chain rule multiplies by the power's Inf one: NaN.
# Measured (TF 2.21, keras.ops alike), the gradient at the 0: rsqrt(reduce_sum(square(x))), rsqrt(norm(x)),
# rsqrt(relu(x)) and rsqrt(reduce_variance(x)) of a constant row are NaN; rsqrt(maximum(x, 0)) at x = 0 is -Inf.
_NAN_GRADIENT_AT_ZERO = frozenset({Producer.SUM_OF_SQUARES, Producer.NORM, Producer.RELU, Producer.VARIANCE,
                                   Producer.STD})


class DivisionByZero(Check):
    code = "NAN002"
    outside_frameworks = frozenset({MASKED_MEAN, OVERLAP_RATIO, SPREAD, PARTLY_FILLED})

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._divisions(analysis)
        if not analysis.outside_frameworks:
            yield from self._normalized_by_norm(analysis)
            yield from self._empty_means(analysis)
            yield from self._atan2_origins(analysis)

    def _atan2_origins(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """atan2's gradient divides by x² + y²: 0/0 where both arguments are 0 together (box sides, relu outputs).
        A gradient hazard only: reported where gradients flow (the gradient-flow policy)."""
        for origin in atan2_origins(analysis):
            if any(analysis.guards.excluded(origin.node, side, Domain.NONZERO, origin.site)
                   for side in (origin.y, origin.x)):
                continue
            hazard = analysis.gradients.gradient_hazard(origin.site, origin.node)
            if hazard is None or not any(analysis.gradients.carries_gradient(side, origin.site)
                                         for side in (origin.y, origin.x)):
                continue
            yield Report(origin.node,
                         f"atan2 of {origin.why}: its value at (0, 0) is 0, but its gradient "
                         f"(x·dy - y·dx) / (x² + y²) divides 0 by 0 there, NaN for both arguments (TensorFlow "
                         f"2.21), which then reaches every weight upstream{hazard[1]}; add an epsilon to the second "
                         f"argument, atan2(y, x + 1e-7), or keep the pair off (0, 0)",
                         confidence=hazard[0])

    def _empty_means(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """`reduce_mean(boolean_mask(x, m))` and the like: a mean divides by how many entries it averages."""
        for mean in empty_means(analysis):
            if not selection_guarded(analysis, mean):
                yield Report(mean.node, _empty_mean_message(analysis, mean))

    def _normalized_by_norm(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """`tf.linalg.normalize(x)` returns x / norm(x) with no epsilon: NaN for an all-zero row (TensorFlow's
        maintainers call it intended, tensorflow#35257); l2_normalize floors the squared norm instead."""
        for call in analysis.calls_of(Op.NORMALIZE_BY_NORM):
            operand = analysis.operand(call.node)
            if operand is None:
                continue
            if analysis.guards.excluded(call.node, operand, Domain.NONZERO, call.site) or excludes_zero(
                    analysis.ranges.norm(operand, call.site, argument(call.node, 2, "axis"), argument(call.node, 1, "ord"))):
                continue  # (a vector with a component that is never 0: homogeneous coordinates, barycentric weights)
            text = analysis.spelled(operand)
            yield Report(
                call.node,
                f"tf.linalg.normalize divides `{text}` by its norm with no epsilon: NaN (0/0) for an all-zero row "
                f"(zero padding, an empty feature vector); use tf.math.l2_normalize, which floors the squared norm "
                f"at 1e-12 (finite in float32, not in float16)",
                confidence=zero_confidence(analysis, operand, call.site, Value(Producer.NORM)),
            )

    def _overlap_ratio(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        ratio = overlap_ratio(analysis, division.numerator, division.denominator, division.site)
        if ratio is None or _excluded_by_guard(analysis, division) or (
                analysis.outside_frameworks and OVERLAP_RATIO not in self.outside_frameworks):
            return
        # the total of an overlap ratio is 0 only where the overlap is: where(inter == 0, 0, inter / union) never
        # takes the division at 0 either
        if division.numerator is not None and analysis.guards.excluded(
                division.node, division.numerator, Domain.NONZERO, division.site):
            return
        first, second = ratio.operands
        if ratio.kind == "IoU":
            mechanism = (f"an IoU whose union `{first} + {second} - overlap` is 0, like the overlap, when both boxes "
                         f"have zero area (zero-padded label boxes, degenerate boxes)")
        else:
            mechanism = (f"a Dice ratio: sum({first} * {second}) and sum({first}) + sum({second}) are both 0 when "
                         f"`{first}` and `{second}` are all 0 (an empty mask, a block with nothing labelled)")
        if analysis.outside_frameworks:
            yield Report(division.node, f"{mechanism}: 0/0, NaN for arrays and ZeroDivisionError for Python numbers; "
                                        f"guard the division or add a smoothing term to both")
            return
        gradient = _gradient_clause(analysis, division, "the gradient")
        yield Report(
            division.node,
            f"{mechanism}: NaN (0/0) in the forward value{gradient}; use "
            f"tf.math.divide_no_nan (0 for two empty inputs) or add a smoothing term to both",
            _divide_no_nan_fix(analysis, division),
        )

    def _divisions(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        negatives = list(negative_powers(analysis))
        powers = {id(power.division.node): power.power for power in negatives}
        for division in (*analysis.divisions(), *(power.division for power in negatives)):
            value = analysis.values.of(division.denominator, division.site)
            if excludes_zero(analysis.ranges.of(division.denominator, division.site)):
                continue
            normalized = self._power_normalization(analysis, division)
            if normalized is not None:
                yield normalized
                continue
            if value.zero_when is None:
                if id(division.node) not in powers:
                    yield from self._overlap_ratio(analysis, division)
                    yield from self._density_ratio(analysis, division)
                    yield from self._selection_size(analysis, division)
                    yield from self._trainable_divisor(analysis, division)
                    yield from self._second_moment(analysis, division)
                    yield from self._moment_variance(analysis, division)
                    yield from self._guarded_variance(analysis, division)
                    yield from self._length_minus_one(analysis, division)
                yield from self._partly_filled(analysis, division, powers.get(id(division.node)))
                continue
            reported, zero = self._reported_zero(analysis, division, value)
            if not reported or _excluded_by_guard(analysis, division):
                continue
            power = powers.get(id(division.node))
            if power is not None and analysis.guards.capped_downstream(division.site):
                continue  # 0 ** p is Inf, never NaN: a cap afterwards (`minimum(inv_norm, 1.0)`) makes it finite
            yield self._report(analysis, division, value, power, zero)

    def _reported_zero(self, analysis: ModuleAnalysis, division: Division,
                       value: Value) -> tuple[bool, _NothingSummed | None]:
        """Whether a denominator whose value can be 0 is reported, and what it is when that is more than its value
        says (a sum that is 0 when nothing is counted). Not reported: a reference value, a sum of unknown terms, and
        outside TensorFlow/Keras files a mechanism not measured there."""
        if _reference_value(analysis, division, value):
            return False, None
        zero = None
        if value.producer is Producer.SUM and not _normalizes_by_own_sum(analysis, division, value):
            zero = _nothing_summed(analysis, division)
            if zero is None:
                return False, None
        if analysis.outside_frameworks and not value.framework_caller and (
                zero is not None or _mechanism(analysis, value) not in self.outside_frameworks):
            return False, None
        return True, zero

    def _power_normalization(self, analysis: ModuleAnalysis, division: Division) -> Report | None:
        """`w ** g / reduce_sum(w ** g, axis)` with g a tensor the code computes (NTM's sharpening)."""
        normalization = power_normalization(analysis, division.numerator, division.denominator, division.site)
        if normalization is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return None
        g = normalization.exponent
        return Report(
            division.node,
            f"division of `{normalization.powers}` by its own sum, with the exponent `{g}` a tensor the code "
            f"computes (a learned sharpening exponent): once it is large, every base below 1 underflows to exactly 0 (in "
            f"float32 0.5 ** g is 0 from g = 127 and 0.01 ** g from g = 19, TensorFlow flushing subnormals; in float16 "
            f"from 25 and 4), the sum is 0 and the quotient 0/0 = NaN (a base above 1 overflows instead: Inf/Inf); "
            f"add an epsilon to the sum, or normalise in log space, softmax(g * log(w + eps), axis)",
        )

    def _partly_filled(self, analysis: ModuleAnalysis, division: Division, power: float | None) -> Iterator[Report]:
        """`d = np.zeros(n); d[rows] = counts; d ** -0.5`: the rows no write reaches are 0."""
        filled = partly_filled(analysis, division.denominator, division.site)
        if filled is None or _excluded_by_guard(analysis, division) or (
                power is not None and analysis.guards.capped_downstream(division.site)):
            return
        written = analysis.code_of(filled.assignment).strip()
        how = f"power {power:g} of" if power is not None else "division by"
        outcome = "Inf" if power is not None else "Inf (x/0) or NaN (0/0)"
        yield Report(
            division.node,
            f"{how} `{filled.name}`, an array of zeros written only in part (`{written}`): the entries no write "
            f"reaches stay 0 (a node with no edge, a class with no sample), {outcome} there; guard them "
            f"(`{filled.name}[{filled.name} == 0] = 1`, np.divide(..., where={filled.name} != 0)) or zero the "
            f"result where `{filled.name}` is 0",
        )

    def _trainable_divisor(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`tf.div(scale, gain)` with `gain` a plain trainable variable. Preview: crossing 0 needs an update that
        lands on it, which nothing in the code shows."""
        variable = trainable_divisor(analysis, division.denominator, division.site)
        if variable is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        yield Report(
            division.node,
            f"division by a trainable variable, `{analysis.code_of(division.denominator)}` "
            f"(`{' '.join(variable.split())}`): nothing keeps it away from 0 while it trains (no constraint, no "
            f"exp or softplus around it), and where an update carries it to 0 the quotient is Inf; add an epsilon of "
            f"its sign, or train log(v) and divide by exp(log_v)",
            confidence=Confidence.PLAUSIBLE, extra={"mechanism": "trainable-divisor"},
        )

    def _second_moment(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`m / sqrt(v)` in a hand-written Adam/RMSProp/RAdam update, with no epsilon after the root."""
        moment = second_moment(analysis, division.denominator, division.site)
        if moment is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        what = "the root of a moving average" if moment.rooted else "a moving average"
        yield Report(
            division.node,
            f"division by {what} of squared gradients, `{analysis.code_of(division.denominator)}` (an optimizer's "
            f"second moment, `{analysis.spelled(moment.average)}`), with no epsilon: the slot "
            f"starts at 0, so it stays 0 for every entry whose gradient has been 0 at every step (a dead unit, an "
            f"embedding row never looked up), and the update is Inf or NaN there (0/0 where it divides the first "
            f"moment, also 0), which the weights take; add the epsilon after the root, m / (sqrt(v) + eps)",
        )

    def _moment_variance(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`res / (s2 - s * s / n)`: a variance from accumulated moments (Keras' and TF-Addons' R2Score)."""
        variance = moment_variance(analysis, division.denominator, division.site)
        if variance is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        yield Report(
            division.node,
            f"division by `{analysis.code_of(division.denominator)}`, a variance written from moments of "
            f"`{variance.terms}` (the sum of squares minus the squared sum over the count): 0 when "
            f"`{variance.terms}` is the same for every sample (a constant target column, a single sample), where "
            f"the quotient is Inf (x/0) or NaN (0/0); rounding can instead leave a tiny value of either sign "
            f"(float32: -9.5e-07 for three samples of 1.7), a huge quotient; guard it (where(d > 0, n / d, "
            f"fallback), as scikit-learn's r2_score force_finite does) or compute the variance from centered values",
        )

    def _guarded_variance(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`num / (t_var * p_var + EPS)` with t_var = `t2_sum - t_avg * t_sum` (DeepReg's LNCC), `x / (var + eps)`:
        a moment variance rounds below 0, so the epsilon is no floor. A lone variance under an epsilon is preview
        (a variance of means of values near 1 stays within float32's 1e-7 of 0, inside a 1e-5 epsilon)."""
        found = guarded_variance(analysis, division.denominator, division.site)
        if found is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        variance, alone = found.cancelled, not found.product
        written = analysis.spelled(variance.difference)
        yield Report(
            division.node,
            f"division by `{analysis.code_of(division.denominator)}`, a variance written from moments of "
            f"`{variance.variance.terms}` (`{written}`, E[x²] - E[x]² from sums or means) "
            f"{'under an epsilon' if alone else 'in a product'}: the two moments cancel, and in float32 the "
            f"difference rounds below 0 where the terms are large against their spread (TF 2.21, measured: over a "
            f"flat 9x9x9 window of 0.7 by conv3d with a kernel of ones, -0.0059), so "
            + ("the epsilon is no floor: the denominator reaches 0 (Inf) or turns negative (a huge quotient of the "
               "wrong sign)" if alone else
               f"a product with another variance (up to 86 there for uniform noise) takes the denominator "
               f"{'past the epsilon ' if variance.epsilon is not None else ''}to 0 or below (-0.38 measured with an "
               f"epsilon of 1e-5): Inf, or a huge quotient of the wrong sign")
            + "; clip the variance at 0 first (maximum(var, 0)), or compute it from centered values",
            confidence=Confidence.PLAUSIBLE if alone else Confidence.CONSTRUCTION,
        )

    def _length_minus_one(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`i / (n - 1)` with i an index over range(n): 0/0 at n = 1 (keras.ops.blackman of a one-entry window)."""
        found = length_minus_one(analysis, division)
        if found is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        yield Report(
            division.node,
            f"division by `{found.length} - 1` of `{found.index}`, an index over range({found.length}): for "
            f"{found.length} = 1 the only index is 0 and the quotient is 0/0, NaN (ZeroDivisionError for Python "
            f"numbers); handle a length of 1 first (`if {found.length} <= 1: return ones(...)`, as NumPy's window "
            f"functions do), or divide by maximum({found.length} - 1, 1)",
        )

    def _selection_size(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`reduce_sum(sel) / tf.size(sel)` with `sel` a selection that can be empty: the mean of nothing again."""
        selection = selection_size(analysis, division.denominator, division.site)
        if selection is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        yield Report(
            division.node,
            f"division by the size of a selection, `{analysis.code_of(division.denominator)}`, which is 0 where "
            f"{selection.how}: 0/0, NaN in the forward value; floor the count, maximum(count, 1), or use "
            f"tf.math.divide_no_nan",
            _divide_no_nan_fix(analysis, division),
        )

    def _density_ratio(self, analysis: ModuleAnalysis, division: Division) -> Iterator[Report]:
        """`pi.prob(a) / old_pi.prob(a)`: a density underflows to 0 in its far tail. Preview: the actions are
        usually drawn from the distribution divided by, so that tail has probability ~0."""
        distribution = density(analysis, division.denominator, division.site)
        if distribution is None or analysis.outside_frameworks or _excluded_by_guard(analysis, division):
            return
        yield Report(
            division.node,
            f"division by the density `{analysis.code_of(division.denominator)}` of a {distribution} distribution: "
            f"it underflows to 0 in float32 about 13 scales from the mean (13.15 for a unit scale), so the ratio is "
            f"Inf or NaN there (and the density itself is NaN for a scale of 0); divide in log "
            f"space, exp(log_prob(a) - old_log_prob(a))",
            confidence=Confidence.PLAUSIBLE,
        )

    def _report(self, analysis: ModuleAnalysis, division: Division, value: Value, power: float | None,
                summed: _NothingSummed | None = None) -> Report:
        """`summed` says what the denominator is and when it is 0, where that is more than its value's producer
        (a sum that is 0 when nothing is counted)."""
        confidence = Confidence.PLAUSIBLE if summed is not None and summed.plausible else zero_confidence(
            analysis, division.denominator, division.site, value)
        if len(value.counts) == 1 and not value.rooted and isinstance(division.denominator, cst.Name):
            # a count named where it is divided by: the message names it so (`predicted_positives`)
            value = replace(value, counts=(replace(value.counts[0], text=division.denominator.value),))
        if power is not None and summed is None:
            return self._power_report(analysis, division, value, power, confidence)
        zero = summed.zero if summed is not None else f"division by a {value.describe()}, which is 0 for {value.zero_when}"
        # a spread over samples says which guard fits it (a per-feature std: scikit-learn's zero entries set to 1)
        guard = value.remedy or _OUTSIDE_GUARD
        if analysis.outside_frameworks:
            return Report(division.node, f"{zero}: {_OUTSIDE_OUTCOME}; {guard}{value.flow}", confidence=confidence)
        if value.zero_because is not None or _numpy_denominator(analysis, division, _ARRAY_LIBRARIES):
            # NumPy, jax.numpy (and the array-method spellings, which TensorFlow tensors do not have: NumPy's,
            # PyTorch's): no TensorFlow gradient to speak of, and the guard is the array library's, not
            # tf.math.divide_no_nan
            return Report(division.node, f"{zero}: Inf (x/0) or NaN (0/0) in the forward value; {guard}"
                                         f"{value.flow}", confidence=confidence)
        gradient = _gradient_clause(analysis, division, "a NaN gradient") if _carries_gradient(
            analysis, division) else ""
        return Report(
            division.node,
            f"{zero}: Inf (x/0) or NaN (0/0) in the forward value{gradient}; add "
            f"an epsilon sized for the dtype (>= 1e-7 in float32, >= 1e-3 in float16) or use "
            f"tf.math.divide_no_nan{value.flow}",
            _divide_no_nan_fix(analysis, division),
            confidence=confidence,
        )


    def _power_report(self, analysis: ModuleAnalysis, division: Division, value: Value, power: float,
                      confidence: Confidence) -> Report:
        base = f"power {power:g} of a {value.describe()}, which is 0 for {value.zero_when}"
        if analysis.outside_frameworks or _numpy_denominator(analysis, division, _ARRAY_LIBRARIES):
            return Report(division.node, f"{base}: 0 ** {power:g} is Inf (a division by zero); floor the base "
                                         f"(maximum(x, eps) ** {power:g}) or zero the Inf entries afterwards{value.flow}",
                          confidence=confidence)
        nan = value.producer in _NAN_GRADIENT_AT_ZERO
        gradient = _gradient_clause(analysis, division, "a NaN gradient" if nan else "an Inf gradient") \
            if _carries_gradient(analysis, division) else ""
        return Report(division.node, f"{base}: 0 ** {power:g} is Inf in the forward value{gradient}; add an "
                                     f"epsilon to the base sized for the dtype (>= 1e-7 in float32, >= 1e-3 in "
                                     f"float16){value.flow}", confidence=confidence)


def _empty_mean_message(analysis: ModuleAnalysis, mean: EmptyMean) -> str:
    return (f"mean of an empty selection: `{analysis.code_of(mean.selected)}` holds no entry where "
            f"{mean.selection.how}, and a mean of nothing is 0/0, NaN in the forward value (the gradient is 0); "
            f"divide the sum by the count with a floor, reduce_sum(x) / maximum(count, 1), or use "
            f"tf.math.divide_no_nan(reduce_sum(x), count)")


def _gradient_clause(analysis: ModuleAnalysis, division: Division, gradient: str) -> str:
    """` and a NaN gradient` where the module differentiates the division, ` (and a NaN gradient if this code is
    differentiated)` where nothing in it says either way, "" where no gradient flows (forward-only code)."""
    return analysis.gradients.claim(division.site, division.node, gradient)


def _carries_gradient(analysis: ModuleAnalysis, division: Division) -> bool:
    """A gradient flows through the division: through its numerator (1 / d) or its denominator (-n / d²). A count
    of a boolean mask over a boolean accuracy has none to be NaN."""
    operands = [division.denominator] if division.numerator is None else [division.numerator, division.denominator]
    return any(analysis.gradients.carries_gradient(operand, division.site) for operand in operands)
