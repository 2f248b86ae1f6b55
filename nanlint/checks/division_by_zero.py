"""NAN002: division by a value that can be exactly 0 (variance, std, norm, sum, count, relu output,
sigmoid output, max - min), with no epsilon, floor or divide_no_nan."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report


class DivisionByZero(Check):
    code = "NAN002"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for node, denominator, site in analysis.divisions():
            value = analysis.values.of(denominator, site)
            if value.zero_when is None:
                continue
            yield Report(
                node,
                f"division by a {value.describe()}, which is 0 for {value.zero_when}: Inf (x/0) or NaN (0/0) "
                f"in the forward value and a NaN gradient; add an epsilon sized for the dtype (>= 1e-7 in float32, "
                f">= 1e-3 in float16) or use tf.math.divide_no_nan{value.flow}",
            )
