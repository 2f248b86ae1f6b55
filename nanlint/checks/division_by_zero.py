"""NAN002: division by a value that can be exactly 0 (variance, std, norm, sum, count, relu output,
sigmoid output, max - min), with no epsilon, floor or divide_no_nan."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.guards import Domain, Verdict
from nanlint.analysis.module import Division, ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, Value
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix


def _normalizes_by_own_sum(analysis: ModuleAnalysis, division: Division, value: Value) -> bool:
    """`sum(loss * mask) / sum(mask)`, `r / sum(r)` with r a relu output: a sum is only known to reach 0 when
    the numerator is built from what was summed and that is a mask or itself a value that can be 0. A sum of
    unknown terms (router probabilities, exps, weights) is usually positive by design: unknown stays unknown."""
    if division.numerator is None or not value.subject:
        return False
    # the numerator may be built in an earlier statement: `total = sum(loss * mask); total / sum(mask)`
    numerator = analysis.values.definition(division.numerator, division.site)
    if value.subject not in " ".join(analysis.code_of(numerator).split()):
        return False
    return "mask" in value.subject.lower() or value.subject_can_be_zero


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


class DivisionByZero(Check):
    code = "NAN002"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for division in analysis.divisions():
            value = analysis.values.of(division.denominator, division.site)
            if value.zero_when is None:
                continue
            if value.producer is Producer.SUM and not _normalizes_by_own_sum(analysis, division, value):
                continue
            # where(d > 0, a / d, c) and cond(any(mask), lambda: .../sum(mask), ...) never take the division at
            # 0: the forward value is safe (where's gradient is NAN007's to report).
            guards = analysis.guards.around(division.node)
            if guards and analysis.guards.verdict(guards, division.denominator, Domain.NONZERO,
                                                  division.site)[0] is Verdict.EXCLUDED:
                continue
            gradient = analysis.gradients.gradient_hazard(division.site, division.node)
            yield Report(
                division.node,
                f"division by a {value.describe()}, which is 0 for {value.zero_when}: Inf (x/0) or NaN (0/0) "
                f"in the forward value{' and a NaN gradient' if gradient else ''}; add an epsilon sized for the "
                f"dtype (>= 1e-7 in float32, >= 1e-3 in float16) or use tf.math.divide_no_nan{value.flow}",
                _divide_no_nan_fix(analysis, division),
            )
