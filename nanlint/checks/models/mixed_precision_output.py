"""NAN105: a mixed_float16 model whose sigmoid/softmax output layer is not kept in float32; a float16 output
layer trained with a cross-entropy; a normalization layer whose epsilon is 0 in float16 under mixed_float16; a sum
over a whole float16 Input; float16's minimum added as a mask value, which overflows to -Inf.

Measured (nanlint/rules/NAN105.yaml): with an fp16 sigmoid output layer under mixed_float16, Keras' loss clips the
probabilities and the gradient is exactly 0 from logits around ±30: the model silently stops learning."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.keras import NORMALIZATION
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.numerics import FLOAT16
from nanlint.analysis.precision import float16_min_adders, float16_sums
from nanlint.analysis.training import float16_policy
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix


def _float32_fix(analysis: ModuleAnalysis, layer: cst.BaseExpression) -> Fix | None:
    """dtype="float32" added to the layer's construction call (no fix for a layer built elsewhere)."""
    if not isinstance(layer, cst.Call) or any(arg.keyword is not None and arg.keyword.value == "dtype" for arg in layer.args):
        return None
    dtype = cst.Arg(keyword=cst.Name("dtype"), value=cst.SimpleString('"float32"'),
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = [*layer.args[:-1], layer.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] if layer.args else []
    return Fix('keep the output layer in float32 (dtype="float32")',
               analysis.code_of(layer.with_changes(args=[*args, dtype])), safe=True)


# Half the smallest float16 subnormal (2**-24): anything smaller rounds to 0.
_FLOAT16_SMALLEST_HALF = FLOAT16.smallest


class MixedPrecisionOutput(Check):
    code = "NAN105"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from _float16_sums(analysis)
        yield from _float16_min_adders(analysis)
        policy = float16_policy(analysis)
        mixed_policy = policy if policy is not None and not policy.pure_float16 else None
        reported = set()
        for model in analysis.models:
            output = model.output_layer
            activation = model.output_activation()
            if output is None or not model.training.trained or output.dtype == "float32" or output.node in reported:
                continue
            if mixed_policy is not None and activation in ("sigmoid", "softmax"):
                reported.add(output.node)
                yield Report(output.node, f"under the {mixed_policy.name} policy set in this module, this {activation} "
                                          f"output layer computes in float16: the probabilities saturate to exactly "
                                          f"0/1, the loss clips them and the gradient is 0 from logits around ±30, so "
                                          f"the model silently stops learning; give the output layer dtype='float32'",
                             _float32_fix(analysis, output.node))
            elif output.dtype == "float16" and model.training.loss is not None and "entropy" in model.training.loss.name:
                reported.add(output.node)
                yield Report(output.node, f"this output layer is float16 and the model is trained with "
                                          f"{model.training.loss.name}: the loss runs in float16, where Keras' clipping "
                                          f"epsilon 1e-7 is subnormal and 1 - 1e-7 rounds to 1, so log(0) = -Inf "
                                          f"turns the loss NaN at random steps; keep the output layer in float32",
                             _float32_fix(analysis, output.node))
        if mixed_policy is None:
            return
        picture = analysis.picture
        for call in analysis.calls:  # normalization layers anywhere, trained or only run forward
            layer = picture.layer(call.node, call.site.scope) if call.qualified_name else None
            if (layer is None or layer.kind not in NORMALIZATION or layer.epsilon is None
                    or layer.epsilon >= _FLOAT16_SMALLEST_HALF or layer.dtype == "float32"):
                continue
            yield Report(call.node, f"{layer.kind}(epsilon={layer.epsilon:g}) under the {mixed_policy.name} policy: the "
                                    f"epsilon is 0 in float16 (below {_FLOAT16_SMALLEST_HALF:.3g}), so a constant "
                                    f"group or channel divides 0 by 0 and the output is NaN; use epsilon >= 1e-3 or "
                                    f"dtype='float32' on the layer")


# Measured (tensorflow-cpu 2.21, nanlint/rules/NAN105.yaml): tf.image.total_variation of a float16 (1, 512, 512, 3)
# image is Inf for values uniform in [0, 1) (5.2e5 in float32), NaN for np.arange values (those above 65504 are
# already Inf), finite 5.2e4 for values in [0, 0.1).
_MEASURED_SUM = ("measured for total_variation of a float16 512x512x3 image: Inf for values in [0, 1), NaN for "
                 "np.arange values, finite for values in [0, 0.1)")


def _float16_sums(analysis: ModuleAnalysis) -> Iterator[Report]:
    """A sum over a whole float16 Input of more values than float16 can hold at magnitude 1 (65504)."""
    for found in float16_sums(analysis):
        if found.terms <= FLOAT16.max:
            continue
        line = analysis.position(found.input_call).start.line
        shape = "x".join(str(dim) for dim in found.shape)
        yield Report(found.reduction, f"{found.what} of the float16 Input '{found.input_name}' ({shape}, line {line}) "
                                      f"adds {found.terms:,} values in float16, whose largest finite value is "
                                      f"{FLOAT16.max:g}: the result is Inf once their mean magnitude exceeds "
                                      f"{FLOAT16.max / found.terms:.2g} ({_MEASURED_SUM}); give the Input "
                                      f"dtype='float32' or cast to float32 before the reduction")


def _float16_min_adders(analysis: ModuleAnalysis) -> Iterator[Report]:
    """float16's minimum (-65504) added as a mask value: the sum overflows to -Inf (precision.Float16MinAdder)."""
    for found in float16_min_adders(analysis):
        line = analysis.position(found.minimum).start.line
        yield Report(found.addition, f"adds `{analysis.spelled(found.minimum)}` (line {line}), float16's most negative "
                                     f"finite value {-FLOAT16.max:g}, as a mask value: in float16 any score <= -16 "
                                     f"added to it rounds to -Inf (the spacing of float16 there is 32), so a row "
                                     f"whose entries are all masked is all -Inf and its softmax is NaN, forward and "
                                     f"gradient (measured); add half of it (float16.min / 2) or a value like -1e4",
                     extra={"mechanism": "float16-min-adder"})
