"""NAN104: the model's output and its loss disagree about logits vs probabilities, or about which argument is
the prediction.

- a compiled model whose output layer applies sigmoid/softmax with a `from_logits=True` loss (double squashing),
  a linear/relu output with a probability loss, a per-class sigmoid with a categorical cross-entropy, softmax
  over a single unit (reported at the output layer; its activation read through constructor defaults);
- a TF `*_cross_entropy_with_logits` op (or a Keras cross-entropy, function or loss object, with
  `from_logits=True`) whose logits are a sigmoid/softmax output (the value analysis follows them through attributes, helpers and models);
- a loss declared `(y_pred, y_true)` and given to Keras, which passes `(y_true, y_pred)`, a Keras cross-entropy
  (function or loss object, or a callable handed in from outside) called as `(prediction, truth)`, a TF
  `*_with_logits` op given `labels=prediction, logits=truth`, and a hand-written cross-entropy that logs its
  targets parameter and weights the log by its logits parameter: the log is taken of the labels (log(0) for
  one-hot targets);
- a squared error between a sigmoid output and constant 0/1 labels (`ones_like(d)`, a least-squares GAN), inline
  or through a helper that squares the difference of its parameters: the objective is defined on the logits;
- a hinge `maximum(margin - y_pred, 0)` in the compiled loss whose margin the bounded output (sigmoid, softmax,
  tanh) can never exceed: the margin is never met and the hinge never switches off."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.binder import At, BindingKind
from nanlint.analysis.keras import LayerReader
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope, Site
from nanlint.analysis.operations import Op, normalize
from nanlint.analysis.training import with_logits_operand
from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.values import Producer, numeric_literal
from nanlint.analysis.walk import descendants
from nanlint.checks.base import Check, Report

_PROBABILITY_LOSSES = frozenset({
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryFocalCrossentropy", "binary_focal_crossentropy",
})
_CATEGORICAL_LOSSES = frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy",
                                 "CategoricalCrossentropy", "SparseCategoricalCrossentropy"})
# The largest value each bounded output activation reaches (saturation reaches it exactly in float32).
_UPPER_BOUND = {"sigmoid": 1.0, "softmax": 1.0, "tanh": 1.0, "hard_sigmoid": 1.0}
_BUILTINS = frozenset(dir(builtins))
# Libraries whose losses take the prediction first (torch's loss(input, target), optax's loss(logits, labels)).
_PREDICTION_FIRST = frozenset({"torch", "optax", "flax", "jax"})
# Keras cross-entropy functions: (target, output) since Keras 2.0.7, in keras.losses and keras.backend.
_KERAS_CROSSENTROPY = frozenset({f"keras.{module}.{name}" for module in ("losses", "backend", "metrics")
                                 for name in ("binary_crossentropy", "categorical_crossentropy",
                                              "sparse_categorical_crossentropy")})


def _with_logits_argument(analysis: ModuleAnalysis, call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The logits a TF with-logits op or a from_logits=True Keras cross-entropy receives."""
    if name.startswith("tensorflow.nn.") and "cross_entropy_with_logits" in name:
        return with_logits_operand(analysis, call)
    if name in ("keras.losses.softmax_cross_entropy", "keras.losses.sigmoid_cross_entropy"):  # TF1's tf.losses
        return argument(call, 1, "logits")
    if name in _KERAS_CROSSENTROPY:
        from_logits = argument(call, 2, "from_logits")
        if isinstance(from_logits, cst.Name) and from_logits.value == "True":
            return argument(call, 1, "y_pred") or argument(call, 1, "output")
    return None


def _loss_object(analysis: ModuleAnalysis, func: cst.BaseExpression, site: Site) -> cst.Call | None:
    """The constructor call behind a called loss object: `SCCE(...)(y, p)`, `loss_fn(y, p)` with `loss_fn =
    SCCE(...)`, `self.loss_fn(y, p)` with one `self.loss_fn = SCCE(...)` in the class."""
    target: cst.BaseExpression | None = func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        owner = analysis.binder.enclosing_class(site.scope)
        bindings = analysis.binder.attribute(owner, func.attr.value) if owner is not None else []
        target = bindings[0].expression if len(bindings) == 1 else None
    elif isinstance(func, cst.Name):
        target, _ = analysis.binder.follow(func, At(site.scope, site.seq))
    return target if isinstance(target, cst.Call) else None


def _from_logits_object_argument(analysis: ModuleAnalysis, reader: LayerReader, call: CallSite) \
        -> cst.BaseExpression | None:
    """The logits a Keras cross-entropy loss object built with `from_logits=True` is called on (its y_pred)."""
    built = _loss_object(analysis, call.node.func, call.site)
    name = reader.keras_class(built.func) if built is not None else None
    if built is None or name not in _PROBABILITY_LOSSES or not name[0].isupper():  # a class, not a function
        return None
    from_logits = argument(built, 0, "from_logits")
    if not (isinstance(from_logits, cst.Name) and from_logits.value == "True"):
        return None
    return argument(call.node, 1, "y_pred")


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


def _code(analysis: ModuleAnalysis, node: cst.CSTNode | None) -> str:
    return analysis.spelled(node) if node is not None else ""


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


def _parameter_behind(analysis: ModuleAnalysis, expr: cst.BaseExpression | None, site: Site) -> str | None:
    """The parameter of the enclosing function an expression passes on, through names, `x + eps`, `1 - x`,
    `convert_to_tensor` and other identity-like wrappers (`targets` in `log(1. - targets + eps)`)."""
    at = At(site.scope, site.seq)
    for _ in range(12):
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
            if analysis.values.constant(expr.right, site) is not None:
                expr = expr.left
            elif analysis.values.constant(expr.left, site) is not None:
                expr = expr.right
            else:
                return None
        elif isinstance(expr, cst.Call) and analysis.op_of_call(expr) in (Op.IDENTITY, Op.CAST, Op.RESHAPE):
            expr = analysis.operand(expr)
        elif isinstance(expr, cst.Name):
            bound = analysis.binder.resolve(expr.value, at)
            if bound is None:
                return None
            if bound.kind is BindingKind.PARAMETER:
                return expr.value if bound.scope is site.scope else None
            if bound.expression is None:
                return None
            expr, at = bound.expression, bound.at
        else:
            return None
    return None


def _called_name(analysis: ModuleAnalysis, func: cst.BaseExpression, site: Site) -> str | None:
    """The name of a callable that Keras code calls as a loss or metric: a Keras loss/metric object or function
    (`loss_fn = CategoricalCrossentropy()`), or a callable handed in from outside (a parameter, a loop or
    comprehension variable: `for o in ops_list: o(...)`), whose convention is Keras' (y_true, y_pred). None for
    anything else (a function of the module, whose own parameters say the order, a builtin, another library)."""
    if not isinstance(func, cst.Name):
        return None
    qualified = analysis.qualified_name(func)
    if qualified is not None:
        # Keras' own, or a project function declared in Keras' order: a function of another module (a project's
        # `utils.losses.partial_losses(predict, target)`) takes whatever order its definition gives
        defined = analysis.values.project_function(func)
        if defined is not None:
            params = [name for name in defined.params if name != "self"]
            return func.value if len(params) >= 2 and _is_truth(params[0]) and _is_prediction(params[1]) else None
        normalized = normalize(qualified)
        return func.value if normalized.startswith("keras.") and _keras_loss(normalized) else None
    bound = analysis.binder.resolve(func.value, site)
    handed_in = (func.value not in _BUILTINS and func.value not in analysis.functions) if bound is None else (
        bound.kind in (BindingKind.PARAMETER, BindingKind.ELEMENT)
        or (bound.kind is BindingKind.OPAQUE and analysis.binder.local_function(bound.scope, func.value) is None))
    if handed_in:  # a comprehension or loop variable, a parameter
        # unless it may follow another library's, or the module's own, prediction-first convention
        # unless it may follow another library's, or the module's own, prediction-first convention; outside Keras
        # code nothing says which order it takes (tflearn's metric ops take (predictions, targets))
        if analysis.imports.packages() & _PREDICTION_FIRST or _prediction_first(analysis) \
                or not _keras_code(analysis):
            return None
        return func.value
    if bound is not None and isinstance(bound.expression, cst.Call):
        qualified = analysis.qualified_name(bound.expression.func)
        if qualified is not None and _keras_loss(normalize(qualified)):
            return func.value
    return None


def _keras_code(analysis: ModuleAnalysis) -> bool:
    """The module imports Keras or calls into it (`tf.keras.layers.Dense(...)`): a loss or metric handed in there
    is one of Keras' or written to its (y_true, y_pred) order."""
    return "keras" in analysis.imports.packages() or any(
        call.qualified_name is not None and normalize(call.qualified_name).startswith("keras.")
        for call in analysis.calls)


def _keras_loss(name: str) -> bool:
    """A Keras loss (function or class), or a cross-entropy metric: these are not symmetric in their arguments
    (an accuracy that compares argmaxes is, so it is left out; so are helpers of submodules)."""
    package, _, member = name.partition(".")[2].partition(".")
    if package not in ("losses", "metrics") or "." in member or member.startswith("_"):
        return False
    return package == "losses" or "crossentropy" in member.lower()


def _prediction_first(analysis: ModuleAnalysis) -> bool:
    """The module defines its own losses or metrics as (prediction, truth) (`padded_accuracy(logits, labels)`)."""
    for function in analysis.functions.values():
        params = [name for name in function.params if name != "self"]
        if len(params) >= 2 and _is_prediction(params[0]) and _is_truth(params[1]):
            return True
    return False


def _squared_difference(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, ...] | None:
    """(a, b) of `square(a - b)`, `(a - b) ** 2`, `pow(a - b, 2)`, `nn.l2_loss(a - b)`, `squared_difference(a, b)`."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Power) \
            and numeric_literal(expr.right) == 2:
        difference: cst.BaseExpression | None = expr.left
    elif isinstance(expr, cst.Call):
        name = normalize(analysis.qualified_name(expr.func) or "")
        if name.endswith("squared_difference"):
            first, second = argument(expr, 0, "x"), argument(expr, 1, "y")
            return (first, second) if first is not None and second is not None else None
        op = analysis.op_of_call(expr)
        if op is Op.POW:  # `tf.pow(a - b, 2)`
            exponent = argument(expr, 1, "y") or argument(expr, 1, "a") or argument(expr, 1, "x2")
            if exponent is None or numeric_literal(exponent) != 2:
                return None
        elif op is not Op.SQUARE and not name.endswith("nn.l2_loss"):
            return None
        difference = analysis.operand(expr) or argument(expr, 0, "t")
    else:
        return None
    if isinstance(difference, cst.BinaryOperation) and isinstance(difference.operator, cst.Subtract):
        return difference.left, difference.right
    return None


def _is_label_constant(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    """A constant 0/1 target: `ones_like(d)`, `zeros_like(d)`, `tf.ones(shape)`, a literal 0 or 1."""
    if numeric_literal(expr) in (0.0, 1.0):
        return True
    name = normalize(analysis.qualified_name(expr.func) or "") if isinstance(expr, cst.Call) else ""
    return name.rsplit(".", 1)[-1] in ("ones_like", "zeros_like", "ones", "zeros")


def _squaring_helpers(analysis: ModuleAnalysis) -> dict[cst.CSTNode, tuple[str, str]]:
    """Functions (and methods) whose body squares the difference of two of their parameters: `mse_loss(pred,
    data)` returning `sqrt(2 * l2_loss(pred - data))`. Maps each (its def) to those parameters, in call order."""
    found: dict[cst.CSTNode, tuple[str, str]] = {}
    for node, site in analysis.sites.items():
        sides = _squared_difference(analysis, node) if isinstance(node, (cst.Call, cst.BinaryOperation)) else None
        if sides is None or site.scope.node in found:
            continue
        params = [name for name in site.scope.params if name != "self"]
        names = [name for side in sides if (name := _parameter_behind(analysis, side, site)) in params]
        if len(names) == 2 and names[0] is not None and names[1] is not None:
            first, second = sorted((names[0], names[1]), key=params.index)
            found[site.scope.node] = (first, second)
    return found


# A squared difference `(a - b) ** 2` somewhere: the node to report, its two sides, and where it is.
_SquaredDifference = tuple[cst.CSTNode, cst.BaseExpression, cst.BaseExpression, Site]


def _inline_squared_differences(analysis: ModuleAnalysis) -> Iterator[_SquaredDifference]:
    """`square(a - b)`, `(a - b) ** 2`, `squared_difference(a, b)`, as written in the module."""
    for node, site in analysis.sites.items():
        sides = _squared_difference(analysis, node) if isinstance(node, (cst.Call, cst.BinaryOperation)) else None
        if sides is not None:
            yield node, sides[0], sides[1], site


def _log_likelihood(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site) -> bool:
    """`expr` (or the expression behind its name) computes a log or a cross-entropy."""
    expr, _ = analysis.values.definition_at(expr, site)
    return any(isinstance(node, cst.Call) and (analysis.op_of_call(node) is Op.LOG or any(
        part in normalize(analysis.qualified_name(node.func) or "").lower() for part in ("cross_entropy",
                                                                                         "crossentropy")))
               for node in descendants(expr))


def _log_likelihood_weights(analysis: ModuleAnalysis) -> set[cst.CSTNode]:
    """The factors of products with a log or a cross-entropy (`log(p) * (1 - p) ** 2 * mask`, CornerNet's focal
    loss; `ce * (1 - p_t) ** gamma`): a squared difference there weights a log-likelihood, it is no least-squares
    objective."""
    weights: set[cst.CSTNode] = set()
    for binary in analysis.binary_operations:
        node = binary.node
        if isinstance(node.operator, cst.Multiply) and (_log_likelihood(analysis, node.left, binary.site)
                                                        or _log_likelihood(analysis, node.right, binary.site)):
            weights.update((node.left, node.right))
    return weights


def _function_called(analysis: ModuleAnalysis, call: CallSite) -> Scope | None:
    """The module function (`f(...)`) or method of the enclosing class (`self.f(...)`) a call calls."""
    func = call.node.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        owner = analysis.binder.enclosing_class(call.site.scope)
        return analysis.binder.method(owner, func.attr.value) if owner is not None else None
    return analysis.functions.get(func.value) if isinstance(func, cst.Name) else None


def _squared_differences_through_helpers(analysis: ModuleAnalysis) -> Iterator[_SquaredDifference]:
    """`mse_loss(d_real, ones_like(d_real))` where `mse_loss` squares the difference of its parameters: the call,
    with the arguments given to those parameters."""
    helpers = _squaring_helpers(analysis)
    for call in analysis.calls:
        helper = _function_called(analysis, call)
        if helper is None or helper.node not in helpers:
            continue
        params = [name for name in helper.params if name != "self"]
        first, second = (argument(call.node, params.index(name), name) for name in helpers[helper.node])
        if first is not None and second is not None:
            yield call.node, first, second, call.site


def _labels_argument(call: cst.Call, logits: cst.BaseExpression) -> cst.BaseExpression | None:
    """The labels beside `logits` in a cross-entropy call: `labels=` (`y_true=`, TF1's `multi_class_labels=`/
    `onehot_labels=`), else the other of its first two positional arguments."""
    for name in ("labels", "y_true", "multi_class_labels", "onehot_labels"):
        given = keyword(call, name)
        if given is not None:
            return given
    others = [arg.value for arg in call.args[:2] if arg.keyword is None and not arg.star and arg.value is not logits]
    return others[0] if len(others) == 1 else None


def _same_through_names(analysis: ModuleAnalysis, first: cst.BaseExpression, first_at: Site,
                        second: cst.BaseExpression, second_at: Site) -> bool:
    """Both hold the same value: the expressions behind their names (`conv_raw_conf = pred[..., 4:5]` and
    `pred_conf = pred[..., 4:5]`) are the same, reading the same bindings."""
    first_expr, first_point = analysis.values.definition_at(first, first_at)
    second_expr, second_point = analysis.values.definition_at(second, second_at)
    return analysis.same_value(first_expr, first_point, second_expr, second_point)


def _read_as_probability(analysis: ModuleAnalysis, call: CallSite, logits: cst.BaseExpression,
                         labels: cst.BaseExpression, squared: list[_SquaredDifference]) -> cst.CSTNode | None:
    """A squared difference, in the function of a with-logits cross-entropy, between its labels and the value it is
    given as logits (`pow(respond_bbox - pred_conf, 2)`, a focal weight, with `pred_conf` and `logits=conv_raw_conf`
    both `pred[..., 4:5]`): the code compares that value with the labels as a probability, so it is not logits."""
    for node, first, second, site in squared:
        if site.scope is not call.site.scope:
            continue
        for side, other in ((first, second), (second, first)):
            if _same_through_names(analysis, side, site, logits, call.site) \
                    and _same_through_names(analysis, other, site, labels, call.site):
                return node
    return None


def _swapped_logits_keywords(analysis: ModuleAnalysis, call: cst.Call, name: str) -> Report | None:
    """`tf.nn.*_cross_entropy_with_logits(labels=pred, logits=y_true)`."""
    labels, logits = keyword(call, "labels"), keyword(call, "logits")
    if not (_is_prediction(_leading_name(labels)) and _is_truth(_leading_name(logits))):
        return None
    return Report(call, f"{name.rsplit('.', 1)[-1]} is given labels={_code(analysis, labels)} "
                        f"and logits={_code(analysis, logits)}: the prediction is passed as the "
                        f"labels and the labels as the logits, so the loss is not the "
                        f"cross-entropy of the prediction (it goes negative and training "
                        f"follows a wrong gradient); swap the keywords")


def _loss_called_prediction_first(analysis: ModuleAnalysis, call: cst.Call, site: Site,
                                  name: str | None) -> Report | None:
    """A Keras cross-entropy, or a loss or metric handed in from outside, called as `(prediction, truth)`."""
    keras_crossentropy = name is not None and name in _KERAS_CROSSENTROPY
    callee = name.rsplit(".", 1)[-1] if keras_crossentropy and name else _called_name(analysis, call.func, site)
    if callee is None:
        return None
    first, second = argument(call, 0, "y_true"), argument(call, 1, "y_pred")
    if first is None or second is None or any(arg.keyword is not None for arg in call.args[:2]):
        return None
    if not (_is_prediction(_leading_name(first)) and _is_truth(_leading_name(second))):
        return None
    if keras_crossentropy:
        return Report(call, f"{callee} takes (target, output) but is called with the prediction first: "
                            f"the log is taken of the labels (log(0) = -Inf on one-hot targets) and the "
                            f"loss is wrong or NaN; swap the arguments")
    return Report(call, f"{callee}({_code(analysis, first)}, {_code(analysis, second)}) passes the "
                        f"prediction first, but Keras losses and metrics take (y_true, y_pred): the "
                        f"labels are taken as the prediction (a cross-entropy clips and logs them) "
                        f"and the value is wrong; swap the arguments")


class LossActivationMismatch(Check):
    code = "NAN104"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._compiled_models(analysis)
        yield from self._with_logits_ops(analysis)
        yield from self._swapped_arguments(analysis)
        yield from self._swapped_roles(analysis)
        yield from self._unreachable_margin(analysis)
        yield from self._least_squares_on_sigmoid(analysis)

    def _compiled_models(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported = set()
        for model in analysis.models:
            output = model.output_layer
            activation = model.output_activation()
            if output is None or output.node in reported:
                continue
            applied = output.inner if output.inner is not None else output
            if activation == "softmax" and model.output_units() == 1:
                if not model.training.trained and not analysis.picture.built_elsewhere(model):
                    continue  # built, serialized or only predicted with: nothing is learned, nothing to report
                reported.add(output.node)
                yield Report(output.node, "softmax over a single unit is always 1.0: the loss is constant and the "
                                          "gradient 0, so nothing is learned; use sigmoid for one output unit")
                continue
            loss = model.training.loss
            if loss is None or activation is None or loss.name not in _PROBABILITY_LOSSES or not model.training.trained:
                continue  # (a model compiled and never trained, a fixture's for an explainer: its loss is never run)
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
        reader = LayerReader(analysis)
        squared: list[_SquaredDifference] | None = None  # the module's squared differences, read once if needed
        for call in analysis.calls:
            if call.qualified_name is not None:
                logits = _with_logits_argument(analysis, call.node, normalize(call.qualified_name))
            else:
                logits = _from_logits_object_argument(analysis, reader, call)
            if logits is None:
                continue
            value = analysis.values.of(logits, call.site)
            if value.is_probability and not value.complement:
                yield Report(call.node, f"the logits given to this cross-entropy are a {value.describe()}{value.flow}: "
                                        f"it squashes them again, so the loss cannot approach 0 and gradients shrink "
                                        f"(training stalls, no NaN); pass the pre-activation logits")
                continue
            labels = _labels_argument(call.node, logits)
            if labels is None:
                continue
            if squared is None:
                squared = list(_inline_squared_differences(analysis))
            read = _read_as_probability(analysis, call, logits, labels, squared)
            if read is not None:
                yield Report(call.node, f"the logits given to this cross-entropy ({_code(analysis, logits)}) are "
                                        f"read as a probability in the same function: {_code(analysis, read)} (line "
                                        f"{analysis.position(read).start.line}) squares the same value's difference "
                                        f"from this loss's labels; if it is a probability (a sigmoid output), this "
                                        f"cross-entropy squashes it again, so the loss cannot approach 0 and gradients "
                                        f"shrink (training stalls, no NaN): pass the pre-activation logits here; if "
                                        f"it is logits, compare its sigmoid with the labels there")

    def _swapped_arguments(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._loss_declared_prediction_first(analysis)
        for call in analysis.calls:
            name = normalize(call.qualified_name) if call.qualified_name is not None else None
            if name is not None and name.startswith("tensorflow.nn.") and "cross_entropy_with_logits" in name:
                report = _swapped_logits_keywords(analysis, call.node, name)
            else:
                report = _loss_called_prediction_first(analysis, call.node, call.site, name)
            if report is not None:
                yield report

    def _loss_declared_prediction_first(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """A loss declared `(y_pred, y_true)` given to Keras, which calls it as `loss(y_true, y_pred)`."""
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
                                            f"({params[1]}, {params[0]})",
                             extra={"mechanism": "loss-declared-prediction-first"})

    def _swapped_roles(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """`logits * log(targets + eps) + (1 - logits) * log(1 - targets + eps)`: a hand-written cross-entropy
        whose log is taken of the parameter named as the targets, weighted by the one named as the prediction
        (reported once per function, at its first such term)."""
        reported = set()
        for binary in analysis.binary_operations:
            node = binary.node
            if not isinstance(node.operator, cst.Multiply) or binary.site.scope.node in reported:
                continue
            for weight, logged in ((node.left, node.right), (node.right, node.left)):
                if not (isinstance(logged, cst.Call) and analysis.op_of_call(logged) is Op.LOG):
                    continue
                truth = _parameter_behind(analysis, analysis.operand(logged), binary.site)
                prediction = _parameter_behind(analysis, weight, binary.site)
                if truth is None or prediction is None or not (_is_truth(truth) and _is_prediction(prediction)):
                    continue
                function = binary.site.scope.name.rsplit(".", 1)[-1]
                reported.add(binary.site.scope.node)
                yield Report(logged, f"this cross-entropy in {function}() takes the log of '{truth}' and weights it "
                                     f"by '{prediction}': the roles are swapped. Called as the names say, the log "
                                     f"lands on the 0/1 targets (log(0) = -Inf, or a large negative value behind an epsilon) and an "
                                     f"unbounded '{prediction}' makes the loss unbounded below; write {truth} * "
                                     f"log(p) + (1 - {truth}) * log(1 - p) with p the predicted probability, or "
                                     f"sigmoid_cross_entropy_with_logits(labels={truth}, logits={prediction})")
                break

    def _least_squares_on_sigmoid(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """`square(d_real - 1)`, `mse_loss(D_real, ones_like(D_real))` with D_real a sigmoid output; not a focal
        loss's weight `log(p) * (1 - p) ** 2`, which is no least-squares objective."""
        pairs = (*_inline_squared_differences(analysis), *_squared_differences_through_helpers(analysis))
        weights: set[cst.CSTNode] | None = None  # read once, where a candidate needs it
        for node, first, second, site in pairs:
            for output, target in ((first, second), (second, first)):
                if not _is_label_constant(analysis, target):
                    continue
                value = analysis.values.of(output, site)
                if value.producer is not Producer.SIGMOID or value.complement:
                    continue
                if weights is None:
                    weights = _log_likelihood_weights(analysis)
                if node in weights:
                    break
                yield Report(node, f"a squared error between a sigmoid output{value.flow} and constant 0/1 labels: "
                                   f"its gradient, proportional to (p - y)·p·(1 - p), vanishes where the sigmoid saturates, so a "
                                   f"confidently wrong output stops learning (silent, no NaN); a least-squares "
                                   f"objective is defined on the raw logits: square the pre-sigmoid value")
                break

    def _unreachable_margin(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """A contrastive/hinge loss `maximum(margin - y_pred, 0)` compiled with a model whose output activation is
        bounded at or below the margin."""
        reader = LayerReader(analysis)
        for model in analysis.models:
            output = model.output_layer
            compile_node = model.setup.compile_node if model.setup is not None else None
            activation = model.output_activation()
            if output is None or compile_node is None or activation not in _UPPER_BOUND or not model.training.trained:
                continue
            loss = argument(compile_node, 1, "loss")
            site = analysis.sites.get(compile_node)
            function = _loss_function(analysis, loss, site) if loss is not None and site is not None else None
            if function is None or len(function.params) < 2:
                continue
            prediction = [name for name in function.params if name != "self"][1]
            for call in analysis.calls_of(Op.MAXIMUM):
                if not function.encloses(call.site.scope):
                    continue
                hinge = argument(call.node, 0, "x")
                floor = numeric_literal(argument(call.node, 1, "y"))
                if floor != 0 or not (isinstance(hinge, cst.BinaryOperation)
                                      and isinstance(hinge.operator, cst.Subtract)):
                    continue
                if _parameter_behind(analysis, hinge.right, call.site) != prediction:
                    continue
                margin = reader.number(hinge.left, call.site.scope)
                if margin is None or margin < _UPPER_BOUND[activation]:
                    continue
                yield Report(output.node, f"the loss's hinge maximum({_code(analysis, hinge)}, 0) needs the "
                                          f"prediction to exceed the margin {margin:g}, but the output is a "
                                          f"{activation} that never exceeds {_UPPER_BOUND[activation]:g}: the margin "
                                          f"is never met, the hinge never switches off and the two classes are "
                                          f"never pushed apart as the loss intends (silent, no NaN); drop the "
                                          f"{activation} and output the raw distance")
                break
