"""NAN002: division by a value that can be exactly 0 (variance, std, norm, sum, count, relu output,
sigmoid output, max - min), with no epsilon, floor or divide_no_nan."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.values import argument
from nanlint.checks.base import Check, Report
from nanlint.checks.log_of_zero import flow_note

_DIVISION_OPERATORS = (cst.Divide, cst.FloorDivide, cst.Modulo)
_DIVISION_OPS = (Op.DIVIDE, Op.FLOORDIV, Op.MOD, Op.RECIPROCAL)


def denominators(analysis: ModuleAnalysis) -> Iterator[tuple[cst.CSTNode, cst.BaseExpression, Site]]:
    """(division node, denominator, site) for every `/`, `//`, `%`, tf.divide, truediv, reciprocal..."""
    for binary in analysis.binary_operations:
        if isinstance(binary.node.operator, _DIVISION_OPERATORS):
            yield binary.node, binary.node.right, binary.site
    for call in analysis.calls_of(*_DIVISION_OPS):
        denominator = argument(call.node, 0, "x") if call.op is Op.RECIPROCAL else argument(call.node, 1, "y")
        if denominator is not None:
            yield call.node, denominator, call.site


class DivisionByZero(Check):
    code = "NAN002"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for node, denominator, site in denominators(analysis):
            value = analysis.values.of(denominator, site)
            if value.zero_when is None:
                continue
            yield Report(
                node,
                f"division by a {value.describe()}, which is 0 for {value.zero_when}: Inf (x/0) or NaN (0/0) "
                f"in the forward value and a NaN gradient; add an epsilon sized for the dtype (>= 1e-7 in float32, "
                f">= 1e-3 in float16) or use tf.math.divide_no_nan{flow_note(value)}",
            )
