"""NAN001: log of a value outside its domain: exactly 0 (a sigmoid/softmax output, 1 minus one, a relu output,
a variance, ...: -Inf forward and a NaN gradient) or negative (a tanh output or a linear head used as a
probability: NaN forward and gradient)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import libcst as cst

from nanlint.analysis.gradients import Flow
from nanlint.analysis.module import CallSite, ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.domain import ExpDifference, SelfWeightedLog, ZeroWeight, reaches_negative
from nanlint.analysis.guards import Domain, Verdict
from nanlint.analysis.arguments import keyword
from nanlint.analysis.values import Producer, Value, numeric_literal
from nanlint.analysis.interval import Range
from nanlint.analysis.numerics import FLOAT64, NUMPY_FLOAT32, Event, Outcome, domain, point, when
from nanlint.analysis.ranges import nonnegative, positive
from nanlint.analysis.reachability import zero_confidence
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence, Fix

# where a sigmoid output is exactly 0 or 1 in float32 (the numerics table)
_SIGMOID_ENDS = (f"{point(Event.SIGMOID_ZERO, 'float32').condition()} or "
                 f"{point(Event.SIGMOID_ONE, 'float32').condition()}")

# The stable rewrite for each probability form (measured thresholds live in Value.zero_when).
_REWRITES: dict[tuple[Producer | None, bool], str] = {
    (Producer.SIGMOID, False): "use log_sigmoid(x)",
    (Producer.SIGMOID, True): "use log_sigmoid(-x)",
    (Producer.SOFTMAX, False): "use log_softmax(x)",
    (Producer.SOFTMAX, True): "compute it from the logits (log-sum-exp of the other classes)",
    (Producer.TANH_GAP, False): "log(1 - tanh(x)²) is 2 * (log(2) - x - softplus(-2 * x)), log(1 ± tanh(x)) is "
                                "log(2) + log_sigmoid(±2 * x); or add an epsilon: log(1 - t² + 1e-6)",
    (Producer.EXP, False): "stay in log space (tf.math.cumulative_logsumexp of the shifted values for a running sum), "
                           "or add a guard: log(x + eps)",
}


# NumPy has no gradient and no log_sigmoid: its stable forms (log(sigmoid(x)) = -log(1 + exp(-x))).
_NUMPY_REWRITES: dict[tuple[Producer | None, bool], str] = {
    (Producer.SIGMOID, False): "use -np.logaddexp(0, -x)",
    (Producer.SIGMOID, True): "use -np.logaddexp(0, x)",
    (Producer.SOFTMAX, False): "use scipy.special.log_softmax(x)",
}


def log_message(value: Value, spelled: str, numpy: bool, gradient: str = ", with a NaN gradient") -> str:
    """The message for a log of a value that reaches 0; `gradient` says what the gradient does there (nothing in
    forward-only code)."""
    key = (None if value.scaled or value.selected else value.producer, value.complement)  # no log-space op of it
    if numpy:
        rewrite = _NUMPY_REWRITES.get(key,
                                      "add a guard: np.log(x + eps) or np.log(np.maximum(x, eps))")
        return f"{spelled} of a {value.describe()} is -Inf where that is 0 ({value.zero_when}); {rewrite}"
    rewrite = _REWRITES.get(key, "add a guard: log(x + eps) or log(maximum(x, eps))")
    return f"{spelled} of a {value.describe()} is -Inf where that is 0 ({value.zero_when}){gradient}; {rewrite}"


def _negative_message(value: Value, operand: cst.BaseExpression) -> str:
    if value.producer is Producer.TANH:
        return ("log of a tanh output, which is negative for every negative input: NaN in the forward value and the "
                "gradient; map it to (0, 1) first ((1 + tanh(x)) / 2 is sigmoid(2x): use log_sigmoid(2 * x))")
    if value.producer is Producer.SIGNED:
        return ("log of a product or quotient with a linear output or a tanh in it, so negative for some inputs: NaN "
                "in the forward value and the gradient; a scale or rate must be made positive first (softplus(x) + "
                "eps, or exp of a clipped head)")
    complement = isinstance(operand, cst.BinaryOperation) and isinstance(operand.operator, cst.Subtract) \
        and numeric_literal(operand.left) == 1.0
    used = "1 - a linear output" if complement else "a linear output"
    return (f"log of {used} (a matmul or a Dense layer without activation, unbounded in both directions), "
            f"which is negative for some inputs: NaN in the forward value and the gradient; a value used as a "
            f"probability must come from a sigmoid/softmax, and its log from log_sigmoid/log_softmax of the logits")


_LOG_SPACE = {
    Op.SIGMOID: ("tensorflow.math.log_sigmoid", "keras.ops.log_sigmoid"),
    Op.SOFTMAX: ("tensorflow.nn.log_softmax", "keras.ops.log_softmax"),
}


def _log_space_fix(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression) -> Fix | None:
    """`log(sigmoid(z))` -> `log_sigmoid(z)`, `log(1 - sigmoid(z))` -> `log_sigmoid(-z)`,
    `log(softmax(z, axis))` -> `log_softmax(z, axis)`, spelled with the file's own imports."""
    negate = False
    if (call.op is Op.LOG and isinstance(operand, cst.BinaryOperation) and isinstance(operand.operator, cst.Subtract)
            and numeric_literal(operand.left) == 1.0):
        operand, negate = operand.right, True
    if call.op is not Op.LOG or not isinstance(operand, cst.Call):
        return None
    inner_op = analysis.op_of_call(operand)
    if inner_op not in _LOG_SPACE or (negate and inner_op is Op.SOFTMAX) or not operand.args:
        return None
    keras_first = (call.qualified_name or "").startswith(("keras", "tensorflow.keras"))
    candidates = _LOG_SPACE[inner_op][::-1] if keras_first else _LOG_SPACE[inner_op]
    spelled = analysis.imports.spell_any(*candidates)
    if spelled is None:
        return None
    arguments = [analysis.code_of(arg) for arg in operand.args]
    if negate:
        first = operand.args[0].value
        text = analysis.code_of(first)
        negated = f"-{text}" if isinstance(first, (cst.Name, cst.Attribute, cst.Call)) else f"-({text})"
        arguments[0] = negated + (", " if len(arguments) > 1 else "")
    name = spelled.rsplit(".", 1)[-1]
    return Fix(f"rewrite as {name}", f"{spelled}({''.join(arguments)})", safe=False)


# A log call and its operand.
_Log = tuple[CallSite, cst.BaseExpression]


# The mechanisms reported outside TensorFlow/Keras files (`Check.outside_frameworks`; README, "Which files are
# linted"), measured on 25 NumPy libraries (bench/FINDINGS.md, helper klzero13, session 13): a loss's labels under
# their own log, and the log of a NumPy softmax. The other weights of a self-weighted log (parameters, counts) stay
# framework-only: on NumPy code they were 2 DEBATABLE and 5 FALSE of 7 (parameters with a domain of their own,
# `m > 1`, or shifted off 0 in a loop).
SELF_WEIGHTED_LABELS = "a loss's labels under their own log (a KL divergence `y_true * log(y_true / y_pred)`)"
NUMPY_SOFTMAX_LOG = "the log of a NumPy softmax, 0 where exp underflows"


class LogOfZero(Check):
    code = "NAN001"
    outside_frameworks = frozenset({SELF_WEIGHTED_LABELS, NUMPY_SOFTMAX_LOG})

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported: set[int] = set()
        logs = self._framework_reports(analysis) if not analysis.outside_frameworks else _numpy_softmax_logs(analysis)
        for report in logs:
            reported.add(id(report.node))
            yield report
        yield from _self_weighted_logs(analysis, reported)

    def _framework_reports(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        unknown_logs: list[_Log] = []
        for call in analysis.calls_of(Op.LOG, Op.LOG1P):
            operand = analysis.operand(call.node)
            # (a test's expected value, computed in NumPy from its own fixtures: module.test_code; log-probabilities
            # that only weigh a draw, where a -Inf one is a class drawn with probability 0)
            if operand is None or (analysis.test_code and call.is_numpy) or analysis.gradients.only_sampled(call.node):
                continue
            logged = _logged_value(analysis, call, operand)
            if logged is None:
                continue
            value, spelled = logged
            span = analysis.ranges.of(operand, call.site) if call.op is Op.LOG else None
            if positive(span) or analysis.ranges.fixed(operand, call.site):
                continue  # `log(cast(position) + 2)`, `log(x ** 2 + 1)`: never 0 nor negative; or a fixed value
            difference = analysis.domain.exp_difference(operand, call.site) \
                if call.op is Op.LOG and not call.is_numpy else None
            if difference is not None:
                if not _guarded(analysis, call, operand):
                    yield _exp_difference_report(analysis, call, operand, difference)
                continue
            if value.zero_when is None:
                if call.op is Op.LOG and not call.is_numpy:
                    yield from _log_of_unknown(analysis, call, operand, value, span, unknown_logs)
                continue
            if not _guarded(analysis, call, operand):
                yield from _zero_log_reports(analysis, call, operand, value, spelled, span)
        yield from _hand_written_cross_entropy(analysis, unknown_logs)
        yield from _poisson_on_a_signed_output(analysis)
        yield from _raw_trainable_positive_parameters(analysis)
        yield from _distributions_of_saturating_probabilities(analysis)
        yield from _poles_at_zero(analysis)


def _zero_log_reports(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression, value: Value,
                      spelled: str, span: Range | None) -> Iterator[Report]:
    """The report on a log of a value that reaches 0, nothing guarding it; its gradient alone where a later where()
    drops the -Inf."""
    dropped = analysis.guards.infinity_selected_away(call.node, call.site) \
        if not (reaches_negative(value) and not nonnegative(span)) else None
    if dropped is not None:  # the -Inf never reaches the forward value: only its gradient is at risk
        yield from _selected_away_report(analysis, call, operand, value, spelled, dropped)
        return
    gradient = analysis.gradients.claim(call.site, call.node, "a NaN gradient", lead=", with ")
    value = _numpy_zeros(value) if call.is_numpy else value
    yield Report(call.node, log_message(value, spelled, call.is_numpy, gradient) + value.flow,
                 None if call.is_numpy else _log_space_fix(analysis, call, operand),
                 confidence=zero_confidence(analysis, operand, call.site, value))


def _selected_away_report(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression, value: Value,
                          spelled: str, where: cst.Call) -> Iterator[Report]:
    """A log whose -Inf a later where() drops (Guards.infinity_selected_away): the forward value is finite, so
    only where a gradient flows is there a hazard, the 0 that where() passes back to the dropped entries times the
    log's infinite derivative there."""
    hazard = analysis.gradients.gradient_hazard(call.site, call.node)
    if hazard is None:
        return
    confidence, flows = hazard
    line = analysis.position(where).start.line
    yield Report(call.node, f"{spelled} of a {value.describe()} is -Inf where that is 0 ({value.zero_when}); the "
                            f"where() at line {line} keeps only the finite values of the result, so the forward value "
                            f"is finite, but where() passes a 0 gradient back to the entries it drops and the log's "
                            f"infinite derivative there makes it NaN (0 * Inf){flows}; keep the log's operand off 0 "
                            f"instead: log(maximum(x, eps)){value.flow}",
                 confidence=Confidence.weakest(confidence, zero_confidence(analysis, operand, call.site, value)))


def _numpy_zeros(value: Value) -> Value:
    """A softmax written out in NumPy is 0 where NumPy's exp underflows, which keeps subnormals: float64's threshold
    by default (TensorFlow's float32 one is no NumPy array's). A Keras layer's softmax handed to NumPy
    (`np.log(model.predict(x))`) was computed by TensorFlow and keeps TensorFlow's threshold."""
    if value.producer is not Producer.SOFTMAX or not value.hand_written or value.complement or value.guard is not None:
        return value
    return replace(value, zero_because=f"a logit gap >= {-FLOAT64.exp_underflow:.2f} in float64, "
                                       f">= {-NUMPY_FLOAT32.exp_underflow:.2f} for a float32 array")


def _numpy_softmax_logs(analysis: ModuleAnalysis) -> Iterator[Report]:
    """Outside the frameworks: `np.log(p)` of a NumPy softmax (`e = np.exp(x - x.max()); p = e / e.sum()`), -Inf for
    every class whose logit trails the largest by more than exp's underflow point (DSRG's CRF unary, crf.py)."""
    for call in analysis.calls_of(Op.LOG):
        operand = analysis.operand(call.node)
        if operand is None or not call.is_numpy or analysis.test_code:
            continue
        value = analysis.values.of(operand, call.site)
        if value.producer is not Producer.SOFTMAX or not value.hand_written or value.complement \
                or value.zero_when is None \
                or value.scaled or value.selected or _guarded(analysis, call, operand) \
                or analysis.ranges.fixed(operand, call.site):
            continue
        yield Report(call.node, log_message(_numpy_zeros(value), "log", True) + value.flow)


def _self_weighted_logs(analysis: ModuleAnalysis, reported: set[int]) -> Iterator[Report]:
    """`p * log(p)`, `y_true * log(y_true / y_pred)`: the formula's 0 * log(0) = 0 is 0 * -Inf = NaN in floating
    point wherever the weight is 0 (domain.SelfWeightedLog), for a weight that can be 0 (Domain.zero_weight)."""
    for call in analysis.calls_of(Op.LOG):
        found = analysis.domain.self_weighted_log(call.node) if id(call.node) not in reported else None
        if found is None or (analysis.test_code and call.is_numpy) or analysis.gradients.only_sampled(call.node):
            continue
        zero = analysis.domain.zero_weight(found, call.node, call.site, call.is_numpy)
        if zero is None or (zero.source != "labels" and analysis.outside_frameworks):
            continue
        confidence = Confidence.PLAUSIBLE if zero.plausible else Confidence.CONSTRUCTION
        if zero.source == "value":  # a relu output, a count: as sure as that zero is
            confidence = zero_confidence(analysis, found.weight, call.site,
                                         analysis.values.of(found.weight, call.site))
        # a loss's labels: verified by calling the loss as Keras does (a one-hot target, a probability row), not
        # by canonical constants, whose negative "prediction" no probability model produces
        extra: dict[str, str | float | None] = {"mechanism": "labels-weighted-log"} if zero.source == "labels" \
            and not call.is_numpy and not analysis.outside_frameworks else {}
        yield Report(call.node, _self_weighted_message(analysis, call, found, zero), confidence=confidence,
                     extra=extra)


def _self_weighted_message(analysis: ModuleAnalysis, call: CallSite, found: SelfWeightedLog, zero: ZeroWeight) -> str:
    weight = analysis.spelled(found.weight)
    operand = analysis.operand(call.node)
    logged = analysis.spelled(operand) if operand is not None else weight
    written = f"`{weight} * log({logged})`"
    if call.is_numpy or analysis.outside_frameworks:
        return (f"{written}: where {zero.where}, the log is -Inf and 0 * -Inf is NaN, not the 0 the formula means; "
                f"use scipy.special.xlogy({weight}, {logged}) (or scipy.special.rel_entr / scipy.stats.entropy), "
                f"0 where {weight} is 0, or keep {weight} > 0 before the log")
    # the labels' own log(y_true) carries no gradient: only a log of y_true / y_pred passes the NaN back
    gradient = "" if zero.source == "labels" and not found.quotient else \
        analysis.gradients.claim(call.site, call.node, "a NaN gradient", lead=", with ")
    return (f"{written}: where {zero.where}, the log is -Inf and 0 * -Inf is NaN, not the 0 the formula means"
            f"{gradient}; clip it first (clip_by_value({weight}, 1e-7, 1), as Keras' KLDivergence clips y_true) or "
            f"use tf.math.xlogy({weight}, {logged}), which is 0 where {weight} is 0, with a finite gradient")


def _exp_difference_report(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression,
                           difference: ExpDifference) -> Report:
    rounding = f" (and for {difference.rounding}, where exp rounds to 1.0)" if difference.rounding else ""
    negative = f", and NaN where {difference.wrong_sign_where}" if difference.wrong_sign_where else ""
    return Report(call.node, f"log of `{analysis.spelled(operand)}`, a difference with an exp that is 0 where "
                             f"{difference.zero_where}{rounding}: -Inf there with an Inf gradient{negative}; "
                             f"{difference.fix}",
                  confidence=Confidence.CONSTRUCTION if difference.construction else Confidence.PLAUSIBLE)


def _log_of_unknown(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression, value: Value,
                    span: Range | None, unknown_logs: list[_Log]) -> Iterator[Report]:
    """A log of a value not known to reach 0: one known to go negative, one a where() condition lets 0 through,
    or one kept for the hand-written cross-entropy test."""
    if reaches_negative(value) and not nonnegative(span):
        if not _guarded(analysis, call, operand):
            yield Report(call.node, _negative_message(value, operand) + value.flow)
    elif value.producer is None and value.guard is None:
        admitted = _admitted_by_its_where(analysis, call, operand)
        if admitted is not None:
            yield Report(call.node, admitted)
        elif not _guarded(analysis, call, operand):
            unknown_logs.append((call, operand))


def _guarded(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression) -> bool:
    """`if p > 0: log(p)`, an earlier `if p <= 0: return`, `np.log(p, where=p > 0, out=...)`; not a where(), whose
    untaken log(0) still makes the gradient NaN (the message says so)."""
    return analysis.guards.excluded(call.node, operand, Domain.POSITIVE, call.site, gradient=True)


def _logged_value(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression) -> tuple[Value, str] | None:
    """The value whose log a log or log1p call takes, and how the message spells the call. log1p(-p) is log(1 - p)
    for an unguarded probability p; log1p(-t²), log1p(-t) and log1p(t) of a tanh output t are 1 - t², 1 - t and
    1 + t; any other log1p is left alone (None)."""
    if call.op is not Op.LOG1P:
        return analysis.values.of(operand, call.site), "log"
    negated = isinstance(operand, cst.UnaryOperation) and isinstance(operand.operator, cst.Minus)
    inner = operand.expression if isinstance(operand, cst.UnaryOperation) and negated else operand
    gap = analysis.values.tanh_gap(inner, call.site, squared=negated) if negated else None
    if gap is None:
        gap = analysis.values.tanh_gap(inner, call.site, squared=False)
    if gap is not None:
        return gap, "log1p"
    if not negated:
        return None
    value = analysis.values.of(inner, call.site)
    if not value.is_probability or value.complement or value.guard is not None:
        return None
    return Value(value.producer, complement=True, hand_written=value.hand_written, via=value.via), "log1p(-p)"


def _admitted_by_its_where(analysis: ModuleAnalysis, call: CallSite, operand: cst.BaseExpression) -> str | None:
    """`where(v >= 0, log(v), ...)`: the condition tests v, so the author meant to keep log off its unsafe
    domain, but it lets v = 0 (or a negative v) through: the branch where() selects is -Inf (or NaN) there."""
    guards = analysis.guards.around(call.node, call.site)
    if not guards:
        return None
    verdict, guard = analysis.guards.verdict(guards, operand, Domain.POSITIVE, call.site)
    if verdict is not Verdict.ADMITTED or guard is None:
        return None
    fact = guard.fact
    test = f"{fact.operand} {fact.relation} {fact.bound:g}" if fact.bound is not None else \
        analysis.spelled(fact.condition)
    text = analysis.spelled(operand)
    return (f"log of `{text}` in the where() branch kept where `{test}`: that test does not keep it above 0, and "
            f"log is -Inf at 0 (NaN below), with a NaN gradient; keep only {text} > 0 and use the double where: "
            f"log(where({text} > 0, {text}, 1))")


def _hand_written_cross_entropy(analysis: ModuleAnalysis, logs: list[_Log]) -> Iterator[Report]:
    """`y * log(p) + (1 - y) * log(1 - p)` on a p nothing else tells about (a loss's `y_pred`): taking both
    log(p) and log(1 - p) of the same p in one function says p is a probability, which saturates to exactly 0 and
    1; without a clip, one of the two logs is -Inf there."""
    by_function: dict[int, list[_Log]] = {}
    for call, operand in logs:
        by_function.setdefault(id(call.site.scope), []).append((call, operand))
    for group in by_function.values():
        plain: dict[str, list[CallSite]] = {}
        complement: dict[str, list[CallSite]] = {}
        for call, operand in group:
            subtracted = operand.right if (isinstance(operand, cst.BinaryOperation)
                                           and isinstance(operand.operator, cst.Subtract)
                                           and numeric_literal(operand.left) == 1.0) else None  # 1 - p
            root = analysis.values.probability_root(subtracted if subtracted is not None else operand, call.site)
            if root is not None:
                (complement if subtracted is not None else plain).setdefault(root, []).append(call)
        for root in plain.keys() & complement.keys():
            if not any(analysis.domain.weighted_as_cross_entropy(log.node, other.node, log.site)
                       for log in plain[root] for other in complement[root]):
                continue  # (a - 1) * log(x) + (b - 1) * log(1 - x): a Beta density's kernel
            for call in (*plain[root], *complement[root]):
                yield Report(call.node, f"log of `{root}` and of 1 - `{root}` in one loss: a hand-written binary "
                                        f"cross-entropy, so `{root}` is a probability, and a probability from a "
                                        f"sigmoid is exactly 0 or 1 once it saturates ({_SIGMOID_ENDS} in "
                                        f"float32): one of the logs is -Inf there, with a NaN gradient; compute the "
                                        f"loss from the logits (from_logits=True / log_sigmoid) or clip `{root}` to "
                                        f"[1e-7, 1 - 1e-7] first")


# The operations with a pole at 0 as log has (the numerics table's domains: lgamma is +Inf there with a NaN gradient,
# digamma NaN with an infinite one).
_POLES = tuple(op for op in (Op.LGAMMA, Op.DIGAMMA) if domain(op.value, 0.0).value is not Outcome.FINITE)


def _zero_only_by_data(value: Value) -> bool:
    """A sum of terms whose signs the code does not show ("inputs like [1, -1]"): 0 only for data that cancels. The
    operand of lgamma/digamma is a concentration, shape or count, positive by the distribution's contract (tfp's
    Dirichlet entropy, evidential losses' `reduce_sum(alpha)`): a sum of them is 0 only where the code makes the terms
    0 (a softplus, a relu, a mask), which the value says (`subject_can_be_zero`, `mask`, `counts`)."""
    return value.producer is Producer.SUM and value.mask is None and not value.subject_can_be_zero \
        and not value.counts and value.zero_because is None


def _poles_at_zero(analysis: ModuleAnalysis) -> Iterator[Report]:
    """lgamma or digamma of a value that reaches 0 (a softplus or relu output, a count), nothing guarding it: as a log
    of it, lgamma(x) ~ -log(x) near 0, so a Gamma/Beta/Dirichlet concentration made positive by a softplus is +Inf in
    the log-normaliser where the softplus has underflowed."""
    for call in analysis.calls_of(*_POLES):
        operand = analysis.operand(call.node)
        if operand is None or call.is_numpy or call.op is None or analysis.test_code:
            continue
        value = analysis.values.of(operand, call.site)
        if value.zero_when is None or _zero_only_by_data(value) or positive(analysis.ranges.of(operand, call.site)) \
                or analysis.ranges.fixed(operand, call.site) or _guarded(analysis, call, operand):
            continue
        name, measured = call.op.value, domain(call.op.value, 0.0)
        gradient = analysis.gradients.claim(call.site, call.node, f"a {measured.gradient.value} gradient", lead=", with ")
        yield Report(call.node, f"{name} of a {value.describe()} is {measured.value.value} where that is 0 "
                                f"({value.zero_when}){gradient}; keep it off 0: {name}(x + eps) or "
                                f"{name}(maximum(x, eps)){value.flow}",
                     confidence=zero_confidence(analysis, operand, call.site, value))


# Keras' Poisson loss is `y_pred - y_true * log(y_pred + 1e-7)`: the epsilon keeps a 0 finite, not a negative value.
# (kl_divergence clips y_pred to [1e-7, 1] and msle takes log(maximum(y_pred, 1e-7) + 1): both safe.)
_LOG_OF_PREDICTION_LOSSES = frozenset({"poisson", "Poisson"})
_SIGNED_OUTPUTS = frozenset({"linear", "tanh"})


def _poisson_on_a_signed_output(analysis: ModuleAnalysis) -> Iterator[Report]:
    """A compiled model whose output can be negative (a Dense without activation, a tanh) trained with the Poisson
    loss, which takes log(y_pred): NaN wherever the prediction is below 0, from the first steps."""
    for model in analysis.models:
        output = model.output_layer
        activation = model.output_activation()
        loss = model.setup.loss if model.setup is not None else None
        if output is None or loss is None or loss.name not in _LOG_OF_PREDICTION_LOSSES or activation not in _SIGNED_OUTPUTS:
            continue
        described = "a Dense layer without activation (unbounded in both directions)" if activation == "linear" \
            else "a tanh (negative for every negative input)"
        yield Report(output.node, f"the Poisson loss takes log(y_pred + 1e-7) of this output, {described}: log of a "
                                  f"negative prediction is NaN in the loss and the gradient; end the model with a "
                                  f"positive activation (softplus, or exp of a clipped head)")


# TensorFlow Probability parameters whose log a distribution takes (log_prob, entropy): they must stay above 0.
_POSITIVE_PARAMETERS = frozenset({"scale", "scale_diag", "concentration", "concentration0", "concentration1", "rate"})
_DISTRIBUTIONS = ("tensorflow_probability.distributions.", "tensorflow_probability.python.distributions.")


def _raw_trainable_positive_parameters(analysis: ModuleAnalysis) -> Iterator[Report]:
    """`tfd.Normal(loc, scale=tf.Variable(1.))` in a module that trains it: log_prob takes log(scale), and nothing
    keeps the raw variable above 0 once an optimizer step overshoots (tensorflow/probability#721)."""
    # The distributions first: the gradient-flow analysis is the dearer question, asked only where one is built.
    distributions = [(call, distribution) for call in analysis.calls
                     if any(arg.keyword is not None and arg.keyword.value in _POSITIVE_PARAMETERS
                            for arg in call.node.args)
                     for distribution in [_distribution(analysis, call.node.func, call.site)] if distribution]
    if not distributions or not analysis.gradients.takes_optimizer_steps:
        return
    for call, distribution in distributions:
        if analysis.gradients.at(call.site, call.node).flow is not Flow.DIFFERENTIATED:
            continue
        for arg in call.node.args:
            if arg.keyword is None or arg.keyword.value not in _POSITIVE_PARAMETERS \
                    or not analysis.values.is_weight(arg.value, call.site):
                continue
            parameter, given = arg.keyword.value, analysis.spelled(arg.value)
            yield Report(call.node, f"{distribution}({parameter}=`{given}`) takes log({parameter}) in log_prob, and "
                                    f"`{given}` is a raw trainable variable: nothing keeps it above 0 once an "
                                    f"optimizer step overshoots, and from then on the loss and its gradients are NaN "
                                    f"(-Inf at 0); train it through a positive map ({parameter}=tf.math.softplus(raw) "
                                    f"+ 1e-5, or tfp.util.TransformedVariable with a Softplus bijector) and pass "
                                    f"validate_args=True")
            break


def _distribution(analysis: ModuleAnalysis, func: cst.BaseExpression, site: Site) -> str | None:
    """`Normal` for `tfp.distributions.Normal`, and for `tfd.Normal` with `tfd = tfp.distributions`."""
    qualified = analysis.qualified_name(func)
    if qualified is None and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        module, _ = analysis.binder.follow(func.value, site)
        owner = analysis.qualified_name(module) if module is not func.value else None
        qualified = f"{owner}.{func.attr.value}" if owner is not None else None
    if qualified is None or not qualified.startswith(_DISTRIBUTIONS):
        return None
    return qualified.rsplit(".", 1)[-1]


# TensorFlow Probability distributions that, built from `probs=`, take log(probs) in these methods (TFP 0.25:
# Categorical and OneHotCategorical pass log(probs) as logits to a softmax cross-entropy; Bernoulli takes log(p) and
# log1p(-p)).
_LOG_OF_PROBS_DISTRIBUTIONS = frozenset({"Categorical", "OneHotCategorical", "Bernoulli"})
_LOG_TAKING_METHODS = frozenset({"log_prob", "entropy", "cross_entropy", "kl_divergence"})
_SQUASH_INPUT = {Producer.SIGMOID: "sigmoid's input", Producer.SOFTMAX: "softmax's input"}


def _distributions_of_saturating_probabilities(analysis: ModuleAnalysis) -> Iterator[Report]:
    """`tfd.Categorical(probs=softmax(h)).log_prob(a)` in differentiated code: TFP takes log(probs) inside, and a
    probability that saturates to exactly 0 makes the gradient NaN (0 * Inf through the log) even where the
    log_prob itself is finite (measured: softmax logits [0, 200, 1], log_prob of the likely class -0.0, every
    gradient NaN); log_prob of the class whose probability is 0 is -Inf."""
    for call in analysis.calls:
        func = call.node.func
        if call.op is not None or not isinstance(func, cst.Attribute) or func.attr.value not in _LOG_TAKING_METHODS:
            continue
        construction, _ = analysis.binder.follow(func.value, call.site)
        if not isinstance(construction, cst.Call):
            continue
        distribution = _distribution(analysis, construction.func, call.site)
        probs = keyword(construction, "probs") if distribution in _LOG_OF_PROBS_DISTRIBUTIONS else None
        if probs is None:
            continue
        value = analysis.values.of(probs, call.site)
        if value.producer not in _SQUASH_INPUT or value.zero_when is None or value.scaled:
            continue
        hazard = analysis.gradients.gradient_hazard(call.site, call.node)
        if hazard is None:
            continue
        confidence, where = hazard
        given = analysis.spelled(probs)
        # Bernoulli also takes log1p(-p): a sigmoid output is exactly 1 at the other end
        one = f" (and exactly 1, where it takes log(1 - p), for {when(Event.SIGMOID_ONE)})" if (
            distribution == "Bernoulli" and value.producer is Producer.SIGMOID and not value.complement) else ""
        yield Report(call.node, f"{distribution}(probs=`{given}`) takes log(probs) inside {func.attr.value}(), and "
                                f"`{given}` is a {value.describe()}, exactly 0 for {value.zero_when}{one}: from then on the "
                                f"gradient is NaN (0 * Inf through the log, even where the {func.attr.value} itself is "
                                f"finite) and the log-probability of that outcome is -Inf; build the distribution "
                                f"from the logits ({distribution}(logits=...), the {_SQUASH_INPUT[value.producer]})"
                                f"{value.flow}{where}",
                     confidence=confidence)
