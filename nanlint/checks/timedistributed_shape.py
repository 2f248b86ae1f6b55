"""NAN102: TimeDistributed shape declarations that lie or cannot build.

Measured with Keras 3 (numerics-facts.md): `TimeDistributed(Dense(64, input_shape=(5,)))` fed (None, 20, 10)
silently ignores the inner input_shape (the kernel is built as (10, 64)); `TimeDistributed(LSTM(...))` fed a
3-D input fails when the model is built, because each step it hands the LSTM is 2-D."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.keras import RECURRENT
from nanlint.analysis.models import ModelPicture
from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report


def _shape(shape: tuple) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


class TimeDistributedShape(Check):
    code = "NAN102"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        picture = ModelPicture(analysis)
        for call in analysis.calls:
            if call.qualified_name is None or picture.keras_class(call.node.func) != "TimeDistributed":
                continue
            wrapper = picture.layer(call.node, call.site.scope)
            inner = wrapper.inner if wrapper is not None else None
            if inner is None or inner.input_shape is None:
                continue
            yield Report(
                inner.node,
                f"input_shape={_shape(inner.input_shape)} on a layer wrapped by TimeDistributed is silently ignored: "
                f"Keras builds the layer from the per-step input it is actually fed, so the declared shape is never "
                f"checked; declare the shape once, on the model's Input (batch, steps, features)",
            )
        for model in analysis.models:
            if not model.layers:
                continue
            first = model.layers[0]
            if first.kind != "TimeDistributed":
                continue
            fed = _fed_shape(analysis, model.name)
            declared = first.input_shape or model.input_shape
            if (first.inner is not None and declared is not None and fed is not None and len(fed) == len(declared) + 1
                    and declared[-1] is not None and fed[-1] is not None and declared[-1] != fed[-1]):
                yield Report(first.node, f"TimeDistributed declares input_shape={_shape(declared)} but the model is "
                                         f"fed {_shape(fed)}: {declared[-1]} features declared, {fed[-1]} fed; the "
                                         f"wrapped {first.inner.kind} is built for {declared[-1]} and fails at the "
                                         f"first call (a MatMul size mismatch in Keras 3)")
                continue
            if first.inner is None or first.inner.kind not in RECURRENT:
                continue
            rank = len(model.input_shape) + 1 if model.input_shape is not None else (len(fed) if fed else None)
            if rank != 3:
                continue
            yield Report(
                first.node,
                f"TimeDistributed({first.inner.kind}) on a 3-D (batch, steps, features) input fails when the model is "
                f"built, not with NaN: each step handed to the {first.inner.kind} is 2-D, not a sequence; apply the "
                f"{first.inner.kind} directly (it already steps through time) or feed 4-D (batch, n, steps, features)",
            )


def _fed_shape(analysis: ModuleAnalysis, model_name: str) -> tuple | None:
    """The literal shape of a tensor the model is called on: `model(tf.random.normal((32, 100, 10)))`."""
    for call in analysis.calls:
        if not (isinstance(call.node.func, cst.Name) and call.node.func.value == model_name and call.node.args):
            continue
        fed = analysis.values.definition(call.node.args[0].value, call.site)
        while isinstance(fed, cst.BinaryOperation):  # `tf.random.normal(shape) * 1000`
            fed = fed.left
        if isinstance(fed, cst.Call) and fed.args and isinstance(fed.args[0].value, (cst.Tuple, cst.List)):
            dims = []
            for element in fed.args[0].value.elements:
                dims.append(int(element.value.evaluated_value) if isinstance(element.value, cst.Integer) else None)
            return tuple(dims)
    return None
