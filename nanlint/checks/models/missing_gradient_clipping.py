"""NAN103: a recurrent model trained where clipping is what keeps it finite, without clipping: SGD with a
learning rate >= 0.1; or a recurrent layer with an unbounded (relu) activation over long sequences, where
clipping does not help (measured here: LSTM(64, relu), inputs N(0, 1), Adam(1e-3): NaN at steps 22-32 over 672
time steps in 3/3 runs, even with clipnorm=1.0 in 2/2; over 200 steps in 1/2; finite over 64; tanh finite).

Measured (nanlint/rules/NAN103.yaml): LSTM/GRU with inputs x1000 and no clipnorm stayed finite under Adam (lr 1e-3 to
1.0); under SGD lr=1.0, GRU and tanh SimpleRNN went NaN (steps 16-17) and clipnorm=1.0 prevented it.
SimpleRNN(activation='relu') under Adam with lr >= 0.1 went NaN even with clipnorm: clipping does not help."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.gradients import Flow
from nanlint.analysis.keras import Layer
from nanlint.analysis.models import Model
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.training import InputScale
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix


def _clipnorm_fix(analysis: ModuleAnalysis, constructor: cst.BaseExpression) -> Fix | None:
    if not isinstance(constructor, cst.Call):
        return None  # `optimizer="sgd"`: there is no constructor to add the argument to
    clip = cst.Arg(keyword=cst.Name("clipnorm"), value=cst.Float("1.0"),
                   equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = [*constructor.args[:-1], constructor.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] \
        if constructor.args else []
    return Fix("add clipnorm=1.0", analysis.code_of(constructor.with_changes(args=[*args, clip])), safe=False)


# Measured: relu LSTMs went NaN over 200 and 672 steps under Adam(1e-3), stayed finite over 64.
_LONG_SEQUENCE = 200
_UNBOUNDED = ("relu", "elu", "selu", "leaky_relu", "linear")


# Measured for this rule (tensorflow-cpu 2.21, Keras 3, Adam(1e-3), nanlint/rules/NAN103.yaml).
_MEASURED_LONG = ("LSTM(64, relu) over 672 steps went NaN at steps 22-32 in 3 of 3 runs, over 200 steps in 1 of 2, "
                  "and clipnorm=1.0 did not prevent it, while tanh stayed finite")
_MEASURED_SCALE = ("Conv1D + LSTM(128, relu) over 64 steps: the cross-entropy rose to 8-12 on inputs x10 and to 3e4 "
                   "on inputs x100 in 150 steps, where tanh stayed at 1.8-3.4")
# Recurrent layers over 1-D sequences (text, time series), whose lengths commonly reach hundreds of steps; the
# measurements above are for LSTM.
_SEQUENCE_RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "RNN"})  # RNN: over LSTM/GRU/SimpleRNN cells
# Inputs at least this large (raw units, never scaled) make a relu recurrent state explode even over short sequences.
_UNSCALED = 10.0


def _unbounded_state(model: Model, layer: Layer) -> Report | None:
    """A recurrent layer with an unbounded activation in a trained model, unless the code shows both a short
    sequence (< 200 steps, measured finite) and inputs near unit scale."""
    steps = model.input_shape[0] if model.input_shape and len(model.input_shape) >= 2 else None
    shown = model.training.data_scale
    # the scale, where the code shows raw units of at least _UNSCALED
    scale = shown if shown is not None and not shown.centered and (shown.magnitude or 0.0) >= _UNSCALED else None
    extra = model.training.as_data(next(iter(model.training.optimizers), None))
    return _unbounded_recurrence(layer, steps, scale, layer.kind in _SEQUENCE_RECURRENT, extra)


def _unbounded_recurrence(layer: Layer, steps: int | None, scale: InputScale | None, over_sequences: bool,
                          extra: dict[str, str | float | None] | None = None) -> Report | None:
    """A recurrent layer or cell with an unbounded activation run over `steps` steps (None: not a constant in the
    file) of inputs whose raw scale the code shows (`scale`, None when it does not show raw units);
    `over_sequences` for recurrences over 1-D sequences (text, time series), which commonly reach hundreds of steps."""
    if layer.activation not in _UNBOUNDED:
        return None
    head = f"{layer.kind}(activation='{layer.activation}')" if layer.kind != "RNN" \
        else f"RNN over cells with activation='{layer.activation}'"
    if steps is not None and steps >= _LONG_SEQUENCE:
        return Report(layer.node, f"{head} over {steps} time steps: the state is unbounded and grows through the "
                                  f"steps; likely NaN (measured: {_MEASURED_LONG}); use the default tanh activation",
                      extra=extra or {})
    if steps is not None and scale is None:
        return None
    if steps is None and scale is None and not over_sequences:
        return None  # a ConvLSTM over video frames: clips are short (keras-io's conv_lstm trains relu over 19 frames)
    if scale is None:
        setting = "its sequence length is not a constant in this file (it comes from the data, a parameter or None)"
        grade = "the loss explodes on long sequences or unscaled inputs, and goes NaN on long ones"
    elif steps is None:
        setting = f"its inputs are {scale.source}"
        grade = "the loss explodes on long sequences or unscaled inputs, and goes NaN on long ones"
    else:
        setting = f"its {steps}-step inputs are {scale.source}"
        grade = "the loss explodes"
    return Report(layer.node, f"{head}: the recurrent state is unbounded and {setting}; {grade} (measured: "
                              f"{_MEASURED_LONG}; {_MEASURED_SCALE}); gradient clipping does not bound the state: "
                              f"use the default tanh activation", extra=extra or {})


def _unbounded_graph_cells(analysis: ModuleAnalysis) -> Iterator[Report]:
    """TF1 cells with an unbounded activation run by `dynamic_rnn`/`static_rnn` (also stacked in a `MultiRNNCell`)
    in graph code that may be trained: the file seldom shows the training of a graph-building function, so only code
    known to run forward only (inference, preprocessing) is left out. The sequence length is read from a placeholder
    of literal shape; the inputs' scale is not followed into the graph. One report per recurrence, on its first
    unbounded cell."""
    for recurrence in analysis.picture.graph_recurrences:
        site = analysis.sites.get(recurrence.call)
        if site is None or analysis.gradients.at(site, recurrence.call).flow is Flow.FORWARD_ONLY:
            continue
        # one report per recurrence (a stack of relu cells is one model), on its first unbounded cell
        report = next(filter(None, (_unbounded_recurrence(cell, recurrence.steps, None, True)
                                    for cell in recurrence.cells)), None)
        if report is not None:
            yield report


class MissingGradientClipping(Check):
    code = "NAN103"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported = set()
        for model in analysis.models:
            recurrent = model.recurrent_layers
            if not recurrent or not model.training.trained:
                continue
            relu_rnn = next((layer for layer in recurrent if layer.kind == "SimpleRNN" and layer.activation == "relu"), None)
            for layer in recurrent:
                report = _unbounded_state(model, layer)
                if report is not None and layer.node not in reported:
                    reported.add(layer.node)
                    yield report
            for optimizer in model.training.optimizers:
                rate = optimizer.learning_rate
                if optimizer.node in reported:
                    continue
                if relu_rnn is not None and optimizer.kind != "SGD" and rate is not None and rate >= 0.1:
                    reported.add(optimizer.node)
                    yield Report(
                        optimizer.node,
                        f"SimpleRNN(activation='relu') under {optimizer.kind} with lr={rate:g}: measured NaN even with "
                        f"clipnorm=1.0, so clipping will not help here; lower the learning rate or use tanh",
                        extra=model.training.as_data(optimizer),
                    )
                elif optimizer.kind == "SGD" and not optimizer.clipped and rate is not None and rate >= 0.1:
                    reported.add(optimizer.node)
                    kinds = ", ".join(sorted({layer.kind for layer in recurrent}))
                    yield Report(
                        optimizer.node,
                        f"recurrent model '{model.name}' ({kinds}) trained with {optimizer.describe()} without "
                        f"clipnorm/clipvalue/global_clipnorm: likely NaN (measured at steps 16-17 for GRU and tanh "
                        f"SimpleRNN under SGD lr=1.0 with inputs x1000, which clipnorm=1.0 prevented); add clipnorm=1.0",
                        _clipnorm_fix(analysis, optimizer.node),
                        extra=model.training.as_data(optimizer),
                    )
        yield from _unbounded_graph_cells(analysis)  # TF1 cells are not Keras layers: nothing reported twice
