"""NAN001: log of a sigmoid/softmax output (or its complement), which underflows to exactly 0."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, Value, argument
from nanlint.checks.base import Check, Report

# Measured thresholds (shared/docs/numerics-facts.md): the first input where the value is not finite.
_HAZARDS = {
    (Producer.SIGMOID, False): (
        "log of a sigmoid output is -Inf for x <= -87.5 in float32 (x <= -17.5 in float16), "
        "with a NaN gradient; use log_sigmoid(x)"
    ),
    (Producer.SIGMOID, True): (
        "log(1 - sigmoid(x)) is -Inf for x >= 16.75 in float32 (x >= 8 in float16), "
        "with a NaN gradient; use log_sigmoid(-x)"
    ),
    (Producer.SOFTMAX, False): (
        "log of a softmax output is -Inf once the logit gap reaches 86.75 in float32 (17.5 in float16), "
        "with a NaN gradient; use log_softmax(x)"
    ),
    (Producer.SOFTMAX, True): (
        "log(1 - softmax(x)) is -Inf once one class's probability rounds to 1.0 "
        "(a logit gap of about 17 in float32), with a NaN gradient; compute it from logits "
        "(e.g. log(sum of the other classes' exp) via reduce_logsumexp)"
    ),
}


def describe(value: Value) -> str:
    parts = []
    if value.hand_written:
        parts.append(f"the {value.producer.value} is written by hand")
    if value.via:
        parts.append("the value flows through " + " -> ".join(value.via))
    return f" ({'; '.join(parts)})" if parts else ""


class LogOfProbability(Check):
    code = "NAN001"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.LOG):
            operand = argument(call.node, 0, "x")
            if operand is None:
                continue
            value = analysis.values.of(operand, call.site)
            if not value.is_probability or value.guard is not None:
                continue
            message = _HAZARDS[(value.producer, value.complement)]
            yield Report(call.node, message + describe(value))
