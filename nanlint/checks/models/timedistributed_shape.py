"""NAN102: TimeDistributed and sequence shape mistakes that fail to build or train, or silently lie.

Measured with Keras 3 (nanlint/rules/NAN102.yaml): `TimeDistributed(Dense(64, input_shape=(5,)))` fed (None, 20, 10)
silently ignores the inner input_shape (the kernel is built as (10, 64)); `TimeDistributed(LSTM(...))` fed a
3-D input fails when the model is built, because each step it hands the LSTM is 2-D. Also: a wrapper shape that
disagrees with the tensor fed, a per-timestep head (TimeDistributed or return_sequences=True) trained on one
target per sequence, a per-timestep head whose units disagree with the targets' last axis, and a recurrent layer
placed after layers that keep a 2-D (batch, features) input 2-D, or fitted on data the code shows is 2-D."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.keras import ACTIVATION_LAYERS, Layer, RECURRENT, STEP_KEEPING, TRANSPARENT, WEIGHTED
from nanlint.analysis.models import Model
from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report

_SPARSE_LOSSES = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
# Elementwise losses that broadcast a size-1 last axis against the other side without a word, and losses that
# require the target and output shapes to be equal (both measured with Keras 3, NAN102.yaml).
_BROADCASTING_LOSSES = frozenset({"mse", "MSE", "mean_squared_error", "MeanSquaredError", "mae", "MAE",
                                  "mean_absolute_error", "MeanAbsoluteError"})
_CROSSENTROPY_LOSSES = frozenset({"binary_crossentropy", "BinaryCrossentropy", "categorical_crossentropy",
                                  "CategoricalCrossentropy"})
_RANK_KEEPING = WEIGHTED - {"Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
                            "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D"}


def _shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _head(model: Model) -> Layer | None:
    """The last layer that decides the output's shape (activations and dropout pass it through)."""
    for layer in reversed(model.layers):
        if layer.kind not in TRANSPARENT and layer.kind not in ACTIVATION_LAYERS:
            return layer
    return None


class TimeDistributedShape(Check):
    code = "NAN102"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        picture = analysis.picture
        for call in analysis.calls:
            if call.qualified_name is None or picture.layers.layer_class(call.node.func) != "TimeDistributed":
                continue
            wrapper = picture.layer(call.node, call.site.scope)
            inner = wrapper.inner if wrapper is not None else None
            if inner is None or not inner.shape_keywords:
                continue
            declared = f"input_shape={_shape(inner.input_shape)}" if inner.input_shape else inner.shape_keywords[0]
            yield Report(
                inner.node,
                f"{declared} on a layer wrapped by TimeDistributed is silently ignored: Keras builds the layer from "
                f"the per-step input it is actually fed, so the declared shape is never checked (and a first layer "
                f"without it has no input shape); declare the shape on the wrapper or the model's Input "
                f"(batch, steps, features)",
            )
        for model in analysis.models:
            yield from self._first_layer(analysis, model)
            yield from self._rank_into_recurrent(model)
            yield from self._targets(model)
            yield from self._target_steps(model)

    def _first_layer(self, analysis: ModuleAnalysis, model: Model) -> Iterator[Report]:
        if not model.layers or model.layers[0].kind != "TimeDistributed":
            return
        first = model.layers[0]
        fed = _fed_shape(analysis, model.name)
        declared = first.input_shape or model.input_shape
        if (first.inner is not None and declared is not None and fed is not None and len(fed) == len(declared) + 1
                and declared[-1] is not None and fed[-1] is not None and declared[-1] != fed[-1]):
            yield Report(first.node, f"TimeDistributed declares input_shape={_shape(declared)} but the model is "
                                     f"fed {_shape(fed)}: {declared[-1]} features declared, {fed[-1]} fed; the "
                                     f"wrapped {first.inner.kind} is built for {declared[-1]} and fails at the "
                                     f"first call (a MatMul size mismatch in Keras 3)")
            return
        if first.inner is None or first.inner.kind not in RECURRENT:
            return
        rank = len(model.input_shape) + 1 if model.input_shape is not None else (len(fed) if fed else None)
        if rank != 3:
            return
        yield Report(
            first.node,
            f"TimeDistributed({first.inner.kind}) on a 3-D (batch, steps, features) input fails when the model is "
            f"built, not with NaN: each step handed to the {first.inner.kind} is 2-D, not a sequence; apply the "
            f"{first.inner.kind} directly (it already steps through time) or feed 4-D (batch, n, steps, features)",
        )

    def _rank_into_recurrent(self, model: Model) -> Iterator[Report]:
        """`Dense(5, input_shape=(1,))` then `LSTM(32)`: Dense keeps the 2-D input 2-D, the LSTM needs 3-D. Also
        a recurrent first layer fitted on data the code shows is 2-D (`X, y = make_regression(100, 9)`)."""
        fed = model.setup.input_shape if model.setup is not None and model.setup.trained else None
        first = model.layers[0] if model.layers else None
        recurrent = first.inner if first is not None and first.kind == "Bidirectional" else first
        if recurrent is not None and recurrent.kind in RECURRENT and fed is not None and len(fed) == 2:
            yield Report(recurrent.node, f"{recurrent.kind} is fitted on 2-D data of shape {_shape(fed)} "
                                         f"(samples, features), but a recurrent layer needs (batch, steps, "
                                         f"features): fit fails on the rank ('expected 3 dimensions'); reshape the "
                                         f"data to (samples, steps, features), e.g. X.reshape(X.shape + (1,)) with "
                                         f"input_shape=({fed[1] if fed[1] is not None else 'features'}, 1)")
            return
        if not model.layers or model.input_shape is None or len(model.input_shape) != 1:
            return
        for index, layer in enumerate(model.layers):
            if layer.kind in RECURRENT and index == 0:
                return  # `LSTM(32, input_dim=9)`: the declared size is the feature axis of a sequence
            if layer.kind in RECURRENT:
                yield Report(layer.node, f"{layer.kind} receives a 2-D (batch, features) tensor: the model's input "
                                         f"shape is {_shape(model.input_shape)} and the layers before it keep it "
                                         f"2-D, but a recurrent layer needs (batch, steps, features); it fails when "
                                         f"the model is built; give the input a time axis (input_shape=(steps, "
                                         f"features)) and wrap per-step layers in TimeDistributed")
                return
            if layer.kind not in _RANK_KEEPING and layer.kind not in TRANSPARENT - {"Reshape", "Permute"} \
                    and layer.kind not in ACTIVATION_LAYERS:
                return

    def _target_steps(self, model: Model) -> Iterator[Report]:
        """Per-step targets with another number of steps than the model outputs, both literal."""
        target = model.training.target_shape
        head = _head(model)
        steps = _kept_steps(model) if model.training.trained and head is not None else None
        if head is None or steps is None or target is None or len(target) != 3 or target[1] in (None, steps):
            return
        yield Report(head.node, f"the model outputs {steps} steps (it is fed {steps} and every layer works per step) "
                                f"but the targets have {target[1]} (targets {_shape(target)}): the loss cannot "
                                f"compare them and fit raises a ValueError; give the targets {steps} steps or change "
                                f"the steps the model is fed")

    def _targets(self, model: Model) -> Iterator[Report]:
        """A per-timestep head against per-sequence targets, or a head whose units disagree with the targets."""
        setup = model.training
        target = setup.target_shape
        head = _head(model)
        if target is None or head is None or not setup.trained:
            return
        if setup.loss is not None and setup.loss.name in _SPARSE_LOSSES:
            return  # integer labels: their shape legitimately drops the class axis
        applied = head.inner if head.kind == "TimeDistributed" and head.inner is not None else head
        source = model.per_step_source()
        if source is not None and len(target) == 2:
            loss = setup.loss.name if setup.loss is not None else None
            what = head.kind if head is source else (
                f"a {head.kind} after {source.kind}(return_sequences=True), which Keras applies to every step like "
                f"TimeDistributed({head.kind})")
            yield Report(head.node, f"the model ends in a per-timestep head ({what}), so its output is 3-D "
                                    f"(batch, steps, units), but it is trained on targets of shape {_shape(target)}, "
                                    f"one per sequence: {_per_sequence_outcome(applied.units, loss)}; drop "
                                    f"return_sequences on the last recurrent layer and use a plain Dense head (or give "
                                    f"per-step targets)")
        elif (source is not None and len(target) == 3 and applied.units is not None and target[-1] is not None
              and applied.units != target[-1]):
            loss = setup.loss.name if setup.loss is not None else None
            yield Report(head.node, f"the per-timestep head has {applied.units} unit{'' if applied.units == 1 else 's'} but the targets' last axis is "
                                    f"{target[-1]} (targets {_shape(target)}): "
                                    f"{_unit_mismatch_outcome(applied.units, target[-1], loss)}; give the head "
                                    f"{target[-1]} units")


def _kept_steps(model: Model) -> int | None:
    """The literal step count of the data fed, when every layer works per step and so keeps it to the output."""
    fed = model.training.input_shape
    steps = fed[1] if fed is not None and len(fed) == 3 else None
    if steps is None and model.input_shape is not None and len(model.input_shape) == 2:
        steps = model.input_shape[0]
    for layer in model.layers:
        recurrent = layer.inner if layer.kind == "Bidirectional" and layer.inner is not None else layer
        if layer.kind not in STEP_KEEPING and not (recurrent.kind in RECURRENT and recurrent.returns_sequences):
            return None
    return steps


def _per_sequence_outcome(units: int | None, loss: str | None) -> str:
    """What Keras does with a (batch, steps, units) output against (batch, units) targets (measured with Keras 3.15,
    NAN102.yaml): a 1-unit output is squeezed to (batch, steps) and the elementwise losses broadcast the one target
    over the steps; crossentropy requires equal shapes; Keras 2 checked the rank before fitting."""
    if loss in _CROSSENTROPY_LOSSES:
        return f"{loss} requires equal shapes, so fit raises a ValueError"
    if units != 1:
        return "fit fails on the shape mismatch"
    spread = "training runs but every step's output is fitted to the sequence's single target"
    if loss in _BROADCASTING_LOSSES:
        return (f"Keras 3 squeezes the 1-unit axis and {loss} broadcasts the target over the steps, so {spread} "
                f"(Keras 2 raised 'expected ... to have 3 dimensions')")
    return (f"with mse or mae Keras 3 broadcasts the target over the steps, so {spread}; crossentropy losses and "
            f"Keras 2 raise a shape error")


def _unit_mismatch_outcome(units: int, targets: int, loss: str | None) -> str:
    """What Keras 3 does with a (batch, steps, units) output against (batch, steps, targets) targets (measured,
    NAN102.yaml): the elementwise losses broadcast a size-1 axis silently, crossentropy requires equal shapes."""
    if loss in _CROSSENTROPY_LOSSES:
        return f"{loss} requires equal shapes, so fit raises a ValueError"
    if 1 not in (units, targets):
        return "the shapes cannot be broadcast together, so fit raises a ValueError ('Dimensions must be equal')"
    spread = (f"each step's one output is fitted to all {targets} targets at once" if units == 1
              else f"all {units} outputs of a step are fitted to the same single target")
    if loss in _BROADCASTING_LOSSES:
        return f"{loss} broadcasts the size-1 axis without an error, so training runs but {spread}"
    return (f"with mse or mae Keras broadcasts the size-1 axis silently ({spread}); crossentropy losses raise "
            f"a ValueError")


def _fed_shape(analysis: ModuleAnalysis, model_name: str) -> tuple[int | None, ...] | None:
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
