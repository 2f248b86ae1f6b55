"""A static picture of each Keras model in a module: its ordered layers, its input shape, and how it is
compiled (optimizer, learning rate, clipping, loss). Built lazily from the shared analysis; model-level
checks read it. Covers `Sequential([...])` plus `.add(...)` (also in loops), functional `Model(inputs,
outputs)` chains from `Input(shape=...)`, subclassed models whose `__init__` assigns layers to `self`,
and models built by a helper function of the module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from nanlint.analysis.binder import At
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope
from nanlint.analysis.operations import normalize
from nanlint.analysis.values import argument, numeric_literal

NORMALIZATION = frozenset({"BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
                           "SyncBatchNormalization", "RMSNormalization"})
RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN"})
WEIGHTED = frozenset({"Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "SeparableConv2D",
                      "DepthwiseConv2D", "EinsumDense"})
# Layers that pass values through without changing their scale: they do not interrupt a stack.
TRANSPARENT = frozenset({"Dropout", "Flatten", "Reshape", "SpatialDropout1D", "SpatialDropout2D", "GaussianDropout",
                         "MaxPooling1D", "MaxPooling2D", "AveragePooling2D", "InputLayer", "Permute"})
# A custom or unresolvable layer: it may normalize or rescale, so it interrupts blocks and hides the output activation.
UNKNOWN = "<unknown>"
RELU_FAMILY = frozenset({"relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "swish"})
ACTIVATION_LAYERS = frozenset({"Activation", "Softmax", "ReLU", "LeakyReLU", "ELU", "PReLU"})
_MODEL_BASES = ("keras.Model", "keras.models.Model")
_SEQUENTIAL = ("keras.Sequential", "keras.models.Sequential")
_FUNCTIONAL = ("keras.Model", "keras.models.Model")
_CLIPPING = ("clipnorm", "clipvalue", "global_clipnorm")
_OPTIMIZER_DEFAULT_LR = {"SGD": 0.01, "Adam": 0.001, "AdamW": 0.001, "RMSprop": 0.001, "Adagrad": 0.001,
                         "Adadelta": 0.001, "Adamax": 0.001, "Nadam": 0.001}
_OPTIMIZER_STRINGS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad",
                      "adadelta": "Adadelta", "adamax": "Adamax", "nadam": "Nadam"}


def _literal_shape(expr: cst.BaseExpression | None) -> tuple[int | None, ...] | None:
    if not isinstance(expr, (cst.Tuple, cst.List)):
        return None
    shape: list[int | None] = []
    for element in expr.elements:
        value = element.value
        if isinstance(value, cst.Name) and value.value == "None":
            shape.append(None)
        elif isinstance(value, cst.Integer):
            shape.append(int(value.evaluated_value))
        else:
            return None
    return tuple(shape)


def _string(expr: cst.BaseExpression | None) -> str | None:
    if isinstance(expr, cst.SimpleString) and isinstance(expr.evaluated_value, str):
        return expr.evaluated_value
    return None


@dataclass(frozen=True)
class Layer:
    node: cst.BaseExpression  # the construction call (any expression for an UNKNOWN layer)
    kind: str  # Keras class name: "Dense", "LSTM", "TimeDistributed", ...; UNKNOWN for a layer not from Keras
    activation: str | None = None  # "relu", "sigmoid", "softmax", "linear", ...; None when not given
    units: int | None = None
    input_shape: tuple[int | None, ...] | None = None
    dtype: str | None = None
    inner: Layer | None = None  # the layer a TimeDistributed / Bidirectional wraps


@dataclass(frozen=True)
class Optimizer:
    node: cst.BaseExpression
    kind: str  # "SGD", "Adam", ... or the unknown class name
    learning_rate: float | None
    clipped: bool
    epsilon: float | None


@dataclass(frozen=True)
class Loss:
    node: cst.BaseExpression
    name: str  # "binary_crossentropy", "BinaryCrossentropy", "mse", or a module function's name
    from_logits: bool


@dataclass(frozen=True)
class Model:
    name: str
    node: cst.CSTNode  # where the model is built (for reports)
    layers: tuple[Layer, ...]
    input_shape: tuple[int | None, ...] | None = None  # without the batch dimension
    optimizer: Optimizer | None = None
    loss: Loss | None = None
    compile_node: cst.Call | None = None

    @property
    def output_layer(self) -> Layer | None:
        """The last layer that shapes the output (an `Activation` after `Dense(1)` counts)."""
        for layer in reversed(self.layers):
            if layer.kind not in TRANSPARENT:
                return layer
        return None

    def output_activation(self) -> str | None:
        """"sigmoid", "softmax", "linear", ... of the model's output; None when unknown (e.g. a custom layer)."""
        layer = self.output_layer
        if layer is None:
            return None
        if layer.inner is not None:
            layer = layer.inner
        if layer.kind in ACTIVATION_LAYERS:
            return layer.activation
        if layer.kind in WEIGHTED or layer.kind in RECURRENT:
            return layer.activation or ("linear" if layer.kind in WEIGHTED else "tanh")
        return None

    def blocks(self) -> list[Block | None]:
        """Weighted layers with the activation that follows them and whether a normalization follows;
        None where an unknown layer interrupts the sequence."""
        blocks: list[Block | None] = []
        for layer in self.layers:
            if layer.kind in WEIGHTED:
                blocks.append(Block(layer, layer.activation or "linear"))
            elif layer.kind in NORMALIZATION:
                if blocks and blocks[-1] is not None:
                    blocks[-1] = Block(blocks[-1].layer, blocks[-1].activation, normalized=True)
            elif layer.kind in ACTIVATION_LAYERS:
                if blocks and blocks[-1] is not None and layer.activation:
                    blocks[-1] = Block(blocks[-1].layer, layer.activation, blocks[-1].normalized)
            elif layer.kind not in TRANSPARENT:
                blocks.append(None)
        return blocks

    @property
    def recurrent_layers(self) -> list[Layer]:
        return [layer.inner if layer.inner is not None and layer.inner.kind in RECURRENT else layer
                for layer in self.layers
                if layer.kind in RECURRENT or (layer.inner is not None and layer.inner.kind in RECURRENT)]


@dataclass(frozen=True)
class Block:
    layer: Layer
    activation: str
    normalized: bool = False


class ModelPicture:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis

    # -- layers -------------------------------------------------------------------------------
    def keras_class(self, expr: cst.BaseExpression) -> str | None:
        """`Dense` for `tf.keras.layers.Dense`, `layers.Dense`, `Dense` imported from keras."""
        qualified = self.analysis.qualified_name(expr)
        if qualified is None:
            return None
        name = normalize(qualified)
        return name.rsplit(".", 1)[-1] if name.startswith("keras.") else None

    def layer(self, expr: cst.BaseExpression, scope: Scope | None = None, depth: int = 0) -> Layer | None:
        if depth > 8:  # `layer = TimeDistributed(layer)` and other self-references
            return None
        if isinstance(expr, cst.Name) and scope is not None:
            bound = self.analysis.binder.resolve(expr.value, At(scope))
            expr = bound.expression if bound is not None and isinstance(bound.expression, cst.Call) else expr
        if not isinstance(expr, cst.Call):
            return None
        kind = self.keras_class(expr.func)
        if kind is None or kind[:1].islower():
            return None
        activation = None
        if kind == "Activation":
            activation = self._activation_name(argument(expr, 0, "activation"))
        elif kind == "Softmax":
            activation = "softmax"
        elif kind in ("ReLU", "LeakyReLU", "PReLU"):
            activation = "relu"
        elif kind == "ELU":
            activation = "elu"
        else:
            position = 1 if kind in WEIGHTED or kind in RECURRENT else 99
            activation = self._activation_name(argument(expr, position, "activation"))
        units_arg = argument(expr, 0, "units") if kind in WEIGHTED or kind in RECURRENT else None
        units = int(numeric_literal(units_arg)) if numeric_literal(units_arg) is not None else None
        inner = None
        if kind in ("TimeDistributed", "Bidirectional"):
            wrapped = argument(expr, 0, "layer")
            inner = self.layer(wrapped, scope, depth + 1) if wrapped is not None else None
        return Layer(
            node=expr,
            kind=kind,
            activation=activation,
            units=units,
            input_shape=_literal_shape(argument(expr, 99, "input_shape")) or (
                (int(numeric_literal(argument(expr, 99, "input_dim"))),)
                if numeric_literal(argument(expr, 99, "input_dim")) is not None else None),
            dtype=_string(argument(expr, 99, "dtype")),
            inner=inner,
        )

    def _activation_name(self, expr: cst.BaseExpression | None) -> str | None:
        if expr is None:
            return None
        text = _string(expr)
        if text is not None:
            return text.lower()
        qualified = self.analysis.qualified_name(expr)
        return normalize(qualified).rsplit(".", 1)[-1] if qualified else None

    # -- models -------------------------------------------------------------------------------
    @cached_property
    def models(self) -> tuple[Model, ...]:
        found: list[Model] = []
        for call in self.analysis.calls:
            qualified = normalize(call.qualified_name) if call.qualified_name else None
            if qualified in _SEQUENTIAL:
                found.append(self._sequential(call))
            elif qualified in _FUNCTIONAL:
                model = self._functional(call)
                if model is not None:
                    found.append(model)
        for info in self.analysis.classes.values():
            if any(normalize(base) in _MODEL_BASES for base in info.bases if base):
                found.append(self._subclassed(info))
        return tuple(self._with_compile(model) for model in found)

    def _bound_name(self, call: CallSite) -> str:
        statement = call.site.statement
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and small.value is call.node:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        return target.value
                if isinstance(small, cst.Return) and small.value is call.node:
                    return f"{call.site.scope.name}()"
        return ""

    def _sequential(self, call: CallSite) -> Model:
        scope = call.site.scope
        layers: list[Layer] = []
        input_shape = None
        listed = argument(call.node, 0, "layers")
        for element in listed.elements if isinstance(listed, (cst.List, cst.Tuple)) else ():
            if isinstance(element.value, cst.Call) and self.keras_class(element.value.func) in ("Input", "InputLayer"):
                input_shape = _literal_shape(argument(element.value, 0, "shape") or argument(element.value, 0, "input_shape"))
                continue
            layers.append(self.layer(element.value, scope) or Layer(element.value, UNKNOWN))
        name = self._bound_name(call)
        if name:
            added_in: list[tuple[cst.For | None, Layer]] = []
            for add in self.analysis.calls:
                func = add.node.func
                if (isinstance(func, cst.Attribute) and func.attr.value == "add" and isinstance(func.value, cst.Name)
                        and func.value.value == name and _within(add.site.scope, scope)
                        and _bound_value(self.analysis, name, add.site) is call.node):
                    added = argument(add.node, 0, "layer")
                    if isinstance(added, cst.Call) and self.keras_class(added.func) in ("Input", "InputLayer"):
                        input_shape = _literal_shape(argument(added, 0, "shape"))
                        continue
                    if added is not None:
                        added_in.append((add.site.loop, self.layer(added, add.site.scope) or Layer(added, UNKNOWN)))
            layers.extend(_unrolled(added_in))
        if input_shape is None and layers and layers[0].input_shape is not None:
            input_shape = layers[0].input_shape
        return Model(name or "<Sequential>", call.node, tuple(layers), input_shape)

    def _functional(self, call: CallSite) -> Model | None:
        scope, seq = call.site.scope, call.site.seq
        outputs = argument(call.node, 1, "outputs")
        chain: list[Layer] = []
        input_shape = None
        current = outputs
        for _ in range(500):
            if isinstance(current, cst.Name):
                bound = self.analysis.binder.resolve(current.value, At(scope, seq))
                if bound is None or bound.expression is None or bound.scope is not scope:
                    break
                current, seq = bound.expression, bound.seq
                continue
            if not isinstance(current, cst.Call):
                break
            kind = self.keras_class(current.func)
            if kind == "Input":
                input_shape = _literal_shape(argument(current, 0, "shape"))
                break
            layer = self.layer(current.func, scope)
            if layer is None:
                break
            chain.append(layer)
            current = argument(current, 0, "inputs")
        if not chain:
            return None
        return Model(self._bound_name(call) or "<Model>", call.node, tuple(reversed(chain)), input_shape)

    def _subclassed(self, info) -> Model:
        layers: list[Layer] = []
        init = info.methods.get("__init__")
        if init is not None:
            for bindings in info.attributes.values():
                for _, _, value in bindings:
                    layer = self.layer(value, init) if isinstance(value, cst.Call) else None
                    if layer is not None:
                        layers.append(layer)
        layers.sort(key=lambda layer: self.analysis.sites[layer.node].seq if layer.node in self.analysis.sites else 0)
        return Model(info.name, info.node, tuple(layers))

    # -- compile ------------------------------------------------------------------------------
    def _with_compile(self, model: Model) -> Model:
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "compile" and isinstance(func.value, cst.Name)):
                continue
            binding = self.analysis.binder.resolve(func.value.value, call.site)
            bound = binding.value if binding is not None else None
            if not isinstance(bound, cst.Call):
                continue
            # the construction itself, `MyModel()` for a subclassed model, or `build()` for a helper's model
            builder = bound.func.value if isinstance(bound.func, cst.Name) else None
            if bound is model.node or builder == model.name or (builder and f"{builder}()" == model.name):
                optimizer = argument(call.node, 0, "optimizer")
                loss = argument(call.node, 1, "loss")
                return Model(model.name, model.node, model.layers, model.input_shape,
                             self.optimizer(optimizer, call.site.scope) if optimizer is not None else None,
                             self.loss(loss, call.site.scope) if loss is not None else None, call.node)
        return model

    def optimizer(self, expr: cst.BaseExpression, scope: Scope) -> Optimizer | None:
        for _ in range(10):
            if isinstance(expr, cst.Name):
                bound = self.analysis.binder.resolve(expr.value, At(scope))
                if bound is None or bound.expression is None:
                    return None
                expr = bound.expression
                continue
            if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in self.analysis.functions:
                helper = self.analysis.functions[expr.func.value]
                if not helper.returns:
                    return None
                scope, expr = helper, helper.returns[-1]
                continue
            break
        text = _string(expr)
        if text is not None:
            kind = _OPTIMIZER_STRINGS.get(text.lower(), text)
            return Optimizer(expr, kind, _OPTIMIZER_DEFAULT_LR.get(kind), False, None)
        if not isinstance(expr, cst.Call):
            return None
        kind = self.keras_class(expr.func)
        if kind is None:
            return None
        rate = numeric_literal(argument(expr, 0, "learning_rate"))
        if rate is None:
            rate = numeric_literal(argument(expr, 99, "lr"))
        if rate is None and argument(expr, 0, "learning_rate") is None:
            rate = _OPTIMIZER_DEFAULT_LR.get(kind)
        clipped = any(argument(expr, 99, keyword) is not None for keyword in _CLIPPING)
        return Optimizer(expr, kind, rate, clipped, numeric_literal(argument(expr, 99, "epsilon")))

    def loss(self, expr: cst.BaseExpression, scope: Scope) -> Loss | None:
        text = _string(expr)
        if text is not None:
            return Loss(expr, text, False)
        if isinstance(expr, cst.Call):
            name = self.keras_class(expr.func)
            if name is None:
                return None
            from_logits = argument(expr, 0 if name[0].isupper() else 99, "from_logits")
            return Loss(expr, name, isinstance(from_logits, cst.Name) and from_logits.value == "True")
        if isinstance(expr, (cst.Name, cst.Attribute)):
            qualified = self.analysis.qualified_name(expr)
            if qualified is not None:
                return Loss(expr, normalize(qualified).rsplit(".", 1)[-1], False)
            if isinstance(expr, cst.Name):
                bound = self.analysis.binder.resolve(expr.value, At(scope))
                if bound is not None and bound.expression is not None:
                    return self.loss(bound.expression, scope)
                return Loss(expr, expr.value, False)
        return None


def _within(inner: Scope, outer: Scope) -> bool:
    while inner is not None:
        if inner is outer:
            return True
        inner = inner.parent
    return False


def _loop_count(loop: cst.For) -> int:
    """`for _ in range(4)` runs 4 times; any other loop is assumed to run at least twice."""
    iterable = loop.iter
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "range":
        bounds = [numeric_literal(arg.value) for arg in iterable.args]
        if len(bounds) == 1 and bounds[0] is not None:
            return max(0, int(bounds[0]))
        if len(bounds) >= 2 and None not in bounds[:2]:
            return max(0, int(bounds[1] - bounds[0]))
    return 2


def _unrolled(added: list[tuple[cst.For | None, Layer]]) -> list[Layer]:
    """Layers added with `.add()`, with each loop body repeated as often as the loop runs."""
    layers: list[Layer] = []
    index = 0
    while index < len(added):
        loop = added[index][0]
        body = []
        while index < len(added) and added[index][0] is loop:
            body.append(added[index][1])
            index += 1
        layers.extend(body * (_loop_count(loop) if loop is not None else 1))
    return layers


def _bound_value(analysis: ModuleAnalysis, name: str, site):
    """The value `name` is bound to at `site`."""
    binding = analysis.binder.resolve(name, site)
    return binding.value if binding is not None else None
