"""NAN001: log of a value that can be exactly 0 (a sigmoid/softmax output, 1 minus one, a relu output,
a variance, ...): -Inf forward and a NaN gradient."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, Value, argument
from nanlint.checks.base import Check, Report

# The stable rewrite for each probability form (measured thresholds live in Value.zero_when).
_REWRITES = {
    (Producer.SIGMOID, False): "use log_sigmoid(x)",
    (Producer.SIGMOID, True): "use log_sigmoid(-x)",
    (Producer.SOFTMAX, False): "use log_softmax(x)",
    (Producer.SOFTMAX, True): "compute it from the logits (log-sum-exp of the other classes)",
}


def log_message(value: Value, spelled: str) -> str:
    rewrite = _REWRITES.get((value.producer, value.complement), "add a guard: log(x + eps) or log(maximum(x, eps))")
    return f"{spelled} of a {value.describe()} is -Inf where that is 0 ({value.zero_when}), with a NaN gradient; {rewrite}"


class LogOfZero(Check):
    code = "NAN001"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.LOG, Op.LOG1P):
            operand = argument(call.node, 0, "x")
            if operand is None:
                continue
            if call.op is Op.LOG1P:
                # log1p(-p) is log(1 - p)
                if not (isinstance(operand, cst.UnaryOperation) and isinstance(operand.operator, cst.Minus)):
                    continue
                value = analysis.values.of(operand.expression, call.site)
                if not value.is_probability or value.complement or value.guard is not None:
                    continue
                value = Value(value.producer, complement=True, hand_written=value.hand_written, via=value.via)
                spelled = "log1p(-p)"
            else:
                value = analysis.values.of(operand, call.site)
                spelled = "log"
            if value.zero_when is None:
                continue
            yield Report(call.node, log_message(value, spelled) + value.flow)
