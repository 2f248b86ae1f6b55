"""NAN105: a mixed_float16 model whose sigmoid/softmax output layer is not kept in float32.

Measured (numerics-facts.md): with an fp16 sigmoid output layer under mixed_float16, Keras' loss clips the
probabilities and the gradient is exactly 0 from logits around ±30: the model silently stops learning."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix


def _float32_fix(analysis: ModuleAnalysis, layer: cst.Call) -> Fix | None:
    if any(arg.keyword is not None and arg.keyword.value == "dtype" for arg in layer.args):
        return None
    dtype = cst.Arg(keyword=cst.Name("dtype"), value=cst.SimpleString('"float32"'),
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = [*layer.args[:-1], layer.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] if layer.args else []
    return Fix('keep the output layer in float32 (dtype="float32")',
               analysis.code_of(layer.with_changes(args=[*args, dtype])), safe=True)


class MixedPrecisionOutput(Check):
    code = "NAN105"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        policy = analysis.precision.global_float16
        if policy is None or "mixed" not in policy:
            return
        for model in analysis.models:
            output = model.output_layer
            activation = model.output_activation()
            if (output is None or activation not in ("sigmoid", "softmax") or output.dtype == "float32"
                    or not model.setup.trained):
                continue
            yield Report(output.node, f"under {policy}, this {activation} output layer computes in float16: the "
                                      f"probabilities saturate to exactly 0/1, the loss clips them and the gradient "
                                      f"is 0 from logits around ±30, so the model silently stops learning; give the "
                                      f"output layer dtype='float32'", _float32_fix(analysis, output.node))
