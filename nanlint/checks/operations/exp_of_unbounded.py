"""NAN009: exp of an unbounded value (a linear head: a log-variance, log-scale or log-rate produced by a matmul
or a Dense layer without activation): Inf once the head's output passes ln(max) of the dtype."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.domain import unbounded_above
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.checks.base import Check, Report


class ExpOfUnbounded(Check):
    code = "NAN009"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        # an exp that a hand-written sigmoid/softmax is built from is that squash's hazard (NAN004), reported once
        squashed = {exp for squash in analysis.values.hand_written_squashes for exp in squash.exps}
        for call in analysis.calls_of(Op.EXP):
            operand = analysis.operand(call.node)
            if operand is None or call.is_numpy or call.node in squashed:
                continue
            value = analysis.values.of(operand, call.site)
            if not unbounded_above(value):
                continue
            dtype, _ = analysis.precision.float_at(call.site)
            yield Report(
                call.node,
                f"exp of a {value.describe()} (a matmul or a Dense layer without activation: nothing bounds it): "
                f"Inf once it exceeds {dtype.exp_overflow:.2f} in {dtype.name}, and the Inf then makes the loss and "
                f"the gradients Inf/NaN; bound it before exp (clip_by_value(x, -20, 20)), or use softplus for a "
                f"positive scale{value.flow}",
            )
