"""NAN104: the model's output and its loss disagree about logits vs probabilities, or about which argument is
the prediction.

- a compiled model whose output layer applies sigmoid/softmax with a `from_logits=True` loss (double squashing),
  a linear/relu output with a probability loss, a per-class sigmoid with a categorical cross-entropy, softmax
  over a single unit (reported at the output layer; its activation read through constructor defaults);
- a TF `*_cross_entropy_with_logits` op (or a Keras cross-entropy with `from_logits=True`) whose logits are a
  sigmoid/softmax output (the value analysis follows them through attributes, helpers and models);
- a loss declared `(y_pred, y_true)` and given to Keras, which passes `(y_true, y_pred)`, and a Keras
  cross-entropy called as `(prediction, truth)`: the log is taken of the labels (log(0) for one-hot targets)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Scope, Site
from nanlint.analysis.operations import normalize
from nanlint.analysis.values import argument, keyword
from nanlint.checks.base import Check, Report

_PROBABILITY_LOSSES = frozenset({
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryFocalCrossentropy", "binary_focal_crossentropy",
})
_CATEGORICAL_LOSSES = frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy",
                                 "CategoricalCrossentropy", "SparseCategoricalCrossentropy"})
# Keras cross-entropy functions: (target, output) since Keras 2.0.7, in keras.losses and keras.backend.
_KERAS_CROSSENTROPY = frozenset({f"keras.{module}.{name}" for module in ("losses", "backend", "metrics")
                                 for name in ("binary_crossentropy", "categorical_crossentropy",
                                              "sparse_categorical_crossentropy")})


def _with_logits_argument(analysis: ModuleAnalysis, call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The logits a TF with-logits op or a from_logits=True Keras cross-entropy receives."""
    if name.startswith("tensorflow.nn.") and "cross_entropy_with_logits" in name:
        return keyword(call, "logits")
    if name in ("keras.losses.softmax_cross_entropy", "keras.losses.sigmoid_cross_entropy"):  # TF1's tf.losses
        return argument(call, 1, "logits")
    if name in _KERAS_CROSSENTROPY:
        from_logits = argument(call, 2, "from_logits")
        if isinstance(from_logits, cst.Name) and from_logits.value == "True":
            return argument(call, 1, "y_pred") or argument(call, 1, "output")
    return None


def _leading_name(expr: cst.BaseExpression | None) -> str | None:
    """`pred` for `pred`, `pred + noise`, `pred[:, 0]`, `self.pred`."""
    while isinstance(expr, (cst.BinaryOperation, cst.Subscript, cst.Attribute)):
        if isinstance(expr, cst.BinaryOperation):
            expr = expr.left
        elif isinstance(expr, cst.Subscript):
            expr = expr.value
        else:
            return expr.attr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _is_prediction(name: str | None) -> bool:
    return name is not None and ("pred" in name.lower() or name.lower().startswith("output") or name in ("logits", "y_hat"))


def _is_truth(name: str | None) -> bool:
    lowered = (name or "").lower()
    return "true" in lowered or lowered in ("y", "labels", "label", "target", "targets", "y_target", "gt")


def _keras_losses(analysis: ModuleAnalysis) -> Iterator[tuple[cst.BaseExpression, Site]]:
    """Every expression given to Keras as a loss (`compile(loss=f)`, `loss=[f, g]`, `loss={"out": f}`), with the
    call's site."""
    for call in analysis.calls:
        func = call.node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "compile"):
            continue
        loss = argument(call.node, 1, "loss")
        if isinstance(loss, (cst.List, cst.Tuple)):
            yield from ((element.value, call.site) for element in loss.elements)
        elif isinstance(loss, cst.Dict):
            yield from ((element.value, call.site) for element in loss.elements if isinstance(element, cst.DictElement))
        elif loss is not None:
            yield loss, call.site


def _loss_function(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site) -> Scope | None:
    """The module function a loss expression denotes: `f`, `self.f`, or `factory(...)` returning an inner `def`."""
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        owner = analysis.binder.enclosing_class(site.scope)
        return owner.methods.get(expr.attr.value) if owner is not None else None
    if isinstance(expr, cst.Name):
        return analysis.functions.get(expr.value)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in analysis.functions:
        factory = analysis.functions[expr.func.value]
        returned = factory.returns[-1] if factory.returns else None
        if isinstance(returned, cst.Name):
            return analysis.functions.get(f"{factory.name}.<locals>.{returned.value}")
    return None


class LossActivationMismatch(Check):
    code = "NAN104"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._compiled_models(analysis)
        yield from self._with_logits_ops(analysis)
        yield from self._swapped_arguments(analysis)

    def _compiled_models(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported = set()
        for model in analysis.models:
            output = model.output_layer
            activation = model.output_activation()
            if output is None or output.node in reported:
                continue
            applied = output.inner if output.inner is not None else output
            if activation == "softmax" and model.output_units() == 1:
                reported.add(output.node)
                yield Report(output.node, "softmax over a single unit is always 1.0: the loss is constant and the "
                                          "gradient 0, so nothing is learned; use sigmoid for one output unit")
                continue
            loss = model.training.loss
            if loss is None or activation is None or loss.name not in _PROBABILITY_LOSSES:
                continue
            source = applied.activation_source
            activation_text = f"{activation} ({source})" if source is not None else activation
            if loss.from_logits and activation in ("sigmoid", "softmax"):
                message = (f"{loss.name}(from_logits=True) on a {activation_text} output squashes twice: the loss "
                           f"applies {activation} again to values already in [0, 1], so it cannot approach 0 and "
                           f"gradients shrink (training stalls, no NaN); drop the output activation or "
                           f"from_logits=True")
            elif not loss.from_logits and activation in ("linear", "relu"):
                message = (f"{loss.name} expects probabilities but the output is {activation_text}: Keras clips the "
                           f"outputs to [1e-7, 1 - 1e-7], so outside [0, 1] the loss is flat and the gradient exactly "
                           f"0 (silent, no NaN); use from_logits=True")
            elif (activation == "sigmoid" and loss.name in _CATEGORICAL_LOSSES and applied.units is not None
                  and applied.units > 1):
                message = (f"{loss.name} expects one probability distribution over the {applied.units} classes, but "
                           f"the output is {applied.units} independent sigmoids ({activation_text}) that do not sum "
                           f"to 1; use softmax (or a binary cross-entropy for multi-label targets)")
            else:
                continue
            reported.add(output.node)
            yield Report(output.node, message)

    def _with_logits_ops(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls:
            if call.qualified_name is None:
                continue
            logits = _with_logits_argument(analysis, call.node, normalize(call.qualified_name))
            if logits is None:
                continue
            value = analysis.values.of(logits, call.site)
            if not value.is_probability or value.complement:
                continue
            yield Report(call.node, f"the logits given to this cross-entropy are a {value.describe()}{value.flow}: it "
                                    f"squashes them again, so the loss cannot approach 0 and gradients shrink "
                                    f"(training stalls, no NaN); pass the pre-activation logits")

    def _swapped_arguments(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        seen = set()
        for expr, site in _keras_losses(analysis):
            function = _loss_function(analysis, expr, site)
            if function is None or function.node in seen:
                continue
            params = [name for name in function.params if name != "self"]
            if len(params) >= 2 and _is_prediction(params[0]) and _is_truth(params[1]):
                seen.add(function.node)
                yield Report(function.node, f"loss declared ({params[0]}, {params[1]}), but Keras calls a loss as "
                                            f"loss(y_true, y_pred): '{params[0]}' receives the labels and "
                                            f"'{params[1]}' the predictions, so a log meant for the predictions is "
                                            f"taken of the labels (log(0) = -Inf on one-hot targets); declare "
                                            f"({params[1]}, {params[0]})")
        for call in analysis.calls:
            if call.qualified_name is None or normalize(call.qualified_name) not in _KERAS_CROSSENTROPY:
                continue
            first, second = argument(call.node, 0, "y_true"), argument(call.node, 1, "y_pred")
            if first is None or second is None or any(arg.keyword is not None for arg in call.node.args[:2]):
                continue
            if _is_prediction(_leading_name(first)) and _is_truth(_leading_name(second)):
                yield Report(call.node, f"{normalize(call.qualified_name).rsplit('.', 1)[-1]} takes (target, output) "
                                        f"but is called with the prediction first: the log is taken of the labels "
                                        f"(log(0) = -Inf on one-hot targets) and the loss is wrong or NaN; swap the "
                                        f"arguments")
