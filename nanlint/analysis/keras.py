"""The one reader of Keras layer constructions, shared by the value analysis and the model picture.

`LayerReader.read(expr, scope)` turns `layers.Dense(64, activation="relu")` -- or a name bound to it, a layer
factory's call (`conv_block(32)` returning a layer), `Dense(**config)` with a literal config dict -- into a
`Layer`: its Keras class, activation, units, shapes, dtype, epsilon and the layer it wraps. An activation given
as a parameter (`activation=act`, `activation=self.head_activation`) is resolved to what the module's callers
pass, else to the parameter's default, so a constructor default of "softmax" is read as softmax, not linear.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.binder import At, Binding, BindingKind
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope
from nanlint.analysis.exported_names import LAYER_CLASSES
from nanlint.analysis.operations import normalize
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import numeric_literal
from nanlint.analysis.walk import body_statements, suites

NORMALIZATION = frozenset({"BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
                           "SyncBatchNormalization", "RMSNormalization"})
# The Model methods that train it on data (one step or many): what makes a compiled model a trained one.
FIT_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})
RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN"})
WEIGHTED = frozenset({"Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
                      "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D", "EinsumDense",
                      # Keras 1 names, still common in user code
                      "Convolution1D", "Convolution2D", "Convolution3D", "Deconvolution2D"})
# Layers that pass values through without changing their scale: they do not interrupt a stack.
TRANSPARENT = frozenset({"Dropout", "Flatten", "Reshape", "SpatialDropout1D", "SpatialDropout2D", "GaussianDropout",
                         "MaxPooling1D", "MaxPooling2D", "AveragePooling2D", "InputLayer", "Permute"})
ACTIVATION_LAYERS = frozenset({"Activation", "Softmax", "ReLU", "LeakyReLU", "ELU", "PReLU"})
# Layers that bring their inputs to unit scale.
INPUT_SCALING = frozenset({"Rescaling", "Normalization"})
WRAPPERS = frozenset({"TimeDistributed", "Bidirectional"})
# Layers that work on each step of a (batch, steps, features) input, so the output has as many steps as the input:
# Keras 2+ applies a Dense to the last axis of a 3-D input, exactly like TimeDistributed(Dense).
STEP_KEEPING = frozenset({"TimeDistributed", "Dense", "Dropout", "SpatialDropout1D", "GaussianDropout", "GaussianNoise",
                          "InputLayer", "Masking"}) | ACTIVATION_LAYERS | NORMALIZATION
# A custom or unresolvable layer: it may normalize or rescale, so it interrupts blocks and hides the output activation.
UNKNOWN = "<unknown>"
RELU_FAMILY = frozenset({"relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "swish"})
# Recurrent cells: one step of a recurrence, run over a sequence by `tf.nn.dynamic_rnn`/`static_rnn` (TF1's
# `tf.nn.rnn_cell.*`, `tf.contrib.rnn.*`) or by Keras' `RNN` layer (`keras.layers.*Cell`); their activation is tanh
# unless given.
CELLS = frozenset({"LSTMCell", "BasicLSTMCell", "GRUCell", "BasicRNNCell", "SimpleRNNCell", "LayerNormBasicLSTMCell",
                   "LSTMBlockCell", "GRUBlockCell", "GRUBlockCellV2"})
# Cells that run other cells: stacked (a list) or wrapped (one cell).
_STACKED_CELLS = frozenset({"MultiRNNCell", "StackedRNNCells"})
_CELL_WRAPPERS = frozenset({"DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "HighwayWrapper",
                            "AttentionCellWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"})
# The TF1 modules that hold recurrent cells (after `normalize`: `tf.compat.v1.nn.rnn_cell` is `tensorflow.nn.rnn_cell`).
_TF1_CELL_MODULES = ("tensorflow.nn.rnn_cell.", "tensorflow.contrib.rnn.", "tensorflow.contrib.rnn.core_rnn_cell.")
# Where an activation may be passed positionally (Conv layers take it only as a keyword in practice; TF1's LSTMCell
# has ten arguments before it).
_ACTIVATION_POSITION = {"Dense": 1, "LSTM": 1, "GRU": 1, "SimpleRNN": 1, "EinsumDense": 2, "Activation": 0,
                        "BasicLSTMCell": 3, "LayerNormBasicLSTMCell": 3, "GRUCell": 1, "BasicRNNCell": 1,
                        "SimpleRNNCell": 1}
_FIXED_ACTIVATION = {"Softmax": "softmax", "ReLU": "relu", "LeakyReLU": "leaky_relu", "PReLU": "relu", "ELU": "elu"}
_MAX_DEPTH = 8

# The expression behind a name or parameter, the scope it is evaluated in, and how the lint found it (for messages).
_Argument = tuple[cst.BaseExpression, "Scope | None", "str | None"]


def literal_dict(analysis: ModuleAnalysis, expr: cst.BaseExpression | None, scope: Scope | None,
                 depth: int = 0) -> dict[str, cst.BaseExpression] | None:
    """A literal dict (or `dict(...)` call) of keyword arguments, followed through a name, with what the
    `update`/`setdefault` calls made on that name add to it: a layer's or an optimizer's config. None when it
    is not one, or when an update adds keys that are not known (`kwargs.update(user_kwargs)`)."""
    filled: list[CallSite] = []
    if depth > _MAX_DEPTH:  # `kwargs.update(kwargs)`
        return None
    if isinstance(expr, cst.Name) and scope is not None:
        binding = analysis.binder.resolve(expr.value, At(scope))
        if binding is not None and binding.expression is not None:
            filled = analysis.binder.method_calls(binding, _DICT_FILLING)
        expr, _ = analysis.binder.follow(expr, At(scope))
    found = _dict_items(expr)
    for call in filled:
        if found is None:
            break
        method = call.node.func.attr.value if isinstance(call.node.func, cst.Attribute) else ""
        if method == "setdefault":
            key, default = string(argument(call.node, 0)), argument(call.node, 1)
            if key is None or default is None:
                return None
            found.setdefault(key, default)
            continue
        for arg in call.node.args:  # update(other_dict, key=value, ...)
            added = {arg.keyword.value: arg.value} if arg.keyword is not None and not arg.star else \
                literal_dict(analysis, arg.value, call.site.scope, depth + 1) if not arg.star else None
            if added is None:
                return None
            found.update(added)
    return found


# Methods that add keys to a dict bound to a name.
_DICT_FILLING = frozenset({"update", "setdefault"})


def _dict_items(expr: cst.BaseExpression | None) -> dict[str, cst.BaseExpression] | None:
    if isinstance(expr, cst.Dict):
        return {key: element.value for element in expr.elements
                if isinstance(element, cst.DictElement) and (key := string(element.key)) is not None}
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict":
        return {arg.keyword.value: arg.value for arg in expr.args if arg.keyword is not None}
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
    epsilon: float | None = None  # a normalization layer's epsilon, when given
    # Where a non-literal activation came from, for messages: "the default of parameter head_activation".
    activation_source: str | None = None
    activation_argument: cst.BaseExpression | None = None  # the `activation=` expression as written
    returns_sequences: bool = False  # a recurrent layer with return_sequences=True
    # The input-shape keywords given (`input_shape`, `batch_input_shape`, `input_dim`), literal or not.
    shape_keywords: tuple[str, ...] = ()
    # A `Dot(axes, normalize=True)` layer: its inputs are l2-normalised first, so its output is a cosine
    normalized_dot: bool = False

    @property
    def applied_activation(self) -> str | None:
        """The activation this layer applies to its output, with Keras' defaults (Dense/Conv linear, recurrent
        tanh); None for layers that apply none of their own or are unknown."""
        layer = self.inner if self.kind in WRAPPERS and self.inner is not None else self
        if layer.kind in ACTIVATION_LAYERS:
            return layer.activation
        if layer.activation is None and layer.activation_argument is not None:
            return None  # written, but its value is not known (a parameter nobody passes): not Keras' default
        if layer.kind in WEIGHTED:
            return layer.activation or "linear"
        if layer.kind in RECURRENT:
            return layer.activation or "tanh"
        return None


def string(expr: cst.BaseExpression | None) -> str | None:
    if isinstance(expr, cst.SimpleString) and isinstance(expr.evaluated_value, str):
        return expr.evaluated_value
    return None


def literal_shape(expr: cst.BaseExpression | None) -> tuple[int | None, ...] | None:
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




def layer_name(qualified: str) -> str:
    """The class name a normalized Keras name ends in, under the name Keras defines the class by when it exports it
    under a second one (`keras.layers.MaxPool2D` is `MaxPooling2D`, `Convolution2D` is `Conv2D`: the generated
    `exported_names.LAYER_CLASSES`)."""
    short = qualified.rsplit(".", 1)[-1]
    return LAYER_CLASSES.get(short, short) if qualified.startswith("keras.layers.") else short


class LayerReader:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._branch_values: dict[int, frozenset[int]] = {}  # function scope id -> `_assigned_in_branches`

    def keras_class(self, expr: cst.BaseExpression) -> str | None:
        """`Dense` for `tf.keras.layers.Dense`, `layers.Dense`, `Dense` imported from keras; `SGD` for
        `keras.optimizers.SGD`."""
        qualified = self.analysis.qualified_name(expr)
        if qualified is None:
            return None
        name = normalize(qualified)
        return layer_name(name) if name.startswith("keras.") else None

    def layer_class(self, expr: cst.BaseExpression) -> str | None:
        """The class name when `expr` names a Keras layer class (`keras.layers.*`) or a TF1 recurrent cell
        (`tf.nn.rnn_cell.LSTMCell`, `tf.contrib.rnn.MultiRNNCell`), else None."""
        qualified = self.analysis.qualified_name(expr)
        name = normalize(qualified) if qualified is not None else ""
        short = name.rsplit(".", 1)[-1]
        if name.startswith(_TF1_CELL_MODULES):
            return short if short in CELLS | _STACKED_CELLS | _CELL_WRAPPERS else None
        return layer_name(name) if name.startswith("keras.layers.") else None

    # -- layers -------------------------------------------------------------------------------
    def read(self, expr: cst.BaseExpression | None, scope: Scope | None = None, depth: int = 0) -> Layer | None:
        """The Keras layer `expr` constructs or names, or None when it is not one."""
        if expr is None or depth > _MAX_DEPTH:  # `layer = TimeDistributed(layer)` and other self-references
            return None
        if isinstance(expr, cst.Name) and scope is not None:
            target, at = self.analysis.binder.follow(expr, At(scope))
            return None if isinstance(target, cst.Name) else self.read(target, at.scope, depth + 1)
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value == "from_config":
            kind = self.layer_class(func.value)  # `Dense.from_config(config)`: the config's keys are its arguments
            config = literal_dict(self.analysis, argument(expr, 0, "config"), scope)
            return self._layer(kind, expr, scope, config) if kind else None
        kind = self.layer_class(func)
        if kind is None and isinstance(func, cst.Name) and scope is not None:
            # a class alias: `UNIT = LSTM`, then `UNIT(128)`
            aliased, _ = self.analysis.binder.follow(func, At(scope))
            kind = self.layer_class(aliased) if aliased is not func else None
        if kind is None:
            return self._factory_layer(expr, scope, depth) if self.keras_class(func) is None else None
        if kind[:1].islower():
            return None
        config = next((literal_dict(self.analysis, arg.value, scope) for arg in expr.args if arg.star == "**"), None)
        return self._layer(kind, expr, scope, config, depth)

    def cells(self, expr: cst.BaseExpression | None, scope: Scope | None, depth: int = 0) -> tuple[Layer, ...]:
        """The recurrent cells a cell argument runs, in order: one cell, the cells a `MultiRNNCell`/`StackedRNNCells`
        stacks (a list, a comprehension, `[cell] * n`, through names and cell factories) or the one a
        `DropoutWrapper`-style wrapper holds. Empty when none is a known cell."""
        if expr is None or depth > _MAX_DEPTH:
            return ()
        if isinstance(expr, cst.Name) and scope is not None:
            target, at = self.analysis.binder.follow(expr, At(scope))
            return () if isinstance(target, cst.Name) else self.cells(target, at.scope, depth + 1)
        if isinstance(expr, (cst.List, cst.Tuple)):
            return tuple(cell for element in expr.elements for cell in self.cells(element.value, scope, depth + 1))
        if isinstance(expr, cst.ListComp):
            return self.cells(expr.elt, scope, depth + 1)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):  # `[cell] * layers`
            return self.cells(expr.left, scope, depth + 1)
        if not isinstance(expr, cst.Call):
            return ()
        kind = self.layer_class(expr.func)
        if kind in _STACKED_CELLS:
            return self.cells(argument(expr, 0, "cells"), scope, depth + 1)
        if kind in _CELL_WRAPPERS:
            return self.cells(argument(expr, 0, "cell"), scope, depth + 1)
        layer = self.read(expr, scope, depth + 1)
        return (layer,) if layer is not None and layer.kind in CELLS else ()

    def _layer(self, kind: str, call: cst.Call, scope: Scope | None, config: dict[str, cst.BaseExpression] | None,
               depth: int = 0) -> Layer:
        def arg(position: int | None, keyword: str) -> cst.BaseExpression | None:
            given = argument(call, position, keyword)
            return given if given is not None or config is None else config.get(keyword)

        activation, source, written = None, None, None
        if kind in _FIXED_ACTIVATION:
            activation = _FIXED_ACTIVATION[kind]
        elif kind == "RNN":  # `RNN(LSTMCell(64, activation="relu"))`, `RNN([cell, cell])`: its cells' activation
            activations = {cell.activation for cell in self.cells(arg(0, "cell"), scope, depth + 1)}
            activation = activations.pop() if len(activations) == 1 else None
        else:
            written = arg(_ACTIVATION_POSITION.get(kind), "activation")
            activation, source = self.activation(written, scope)
        # Keras 1 spelled the units `output_dim` (Dense, recurrent layers) and a convolution's filters `nb_filter`
        units_arg = (arg(0, "units") or arg(None, "num_units") or arg(None, "output_dim") or arg(None, "nb_filter")) \
            if kind in WEIGHTED or kind in RECURRENT or kind in CELLS else None
        units = self.number(units_arg, scope)
        inner = self.read(arg(0, "layer"), scope, depth + 1) if kind in WRAPPERS else None
        input_dim = numeric_literal(arg(None, "input_dim"))
        return Layer(
            node=call,
            kind=kind,
            activation=activation,
            units=int(units) if units is not None else None,
            input_shape=(self.shape(arg(None, "input_shape"), scope)
                         or _unbatched(self.shape(arg(None, "batch_input_shape"), scope))
                         or ((int(input_dim),) if input_dim is not None else None)),
            dtype=self._dtype(arg(None, "dtype"), scope),
            inner=inner,
            epsilon=self.number(arg(None, "epsilon"), scope) if kind in NORMALIZATION else None,
            activation_source=source,
            activation_argument=written,
            returns_sequences=_is_true(arg(None, "return_sequences")),
            shape_keywords=tuple(keyword for keyword in ("input_shape", "batch_input_shape", "input_dim")
                                 if arg(None, keyword) is not None),
            normalized_dot=kind == "Dot" and _is_true(arg(1, "normalize")),
        )

    def _factory_layer(self, call: cst.Call, scope: Scope | None, depth: int) -> Layer | None:
        """`conv_block(32)` where `def conv_block(filters): return layers.Conv2D(filters, 3, activation="relu")`."""
        if not isinstance(call.func, cst.Name):
            return None
        factory = self.analysis.functions.get(call.func.value)
        if factory is None or not factory.returns:
            return None
        return self.read(factory.returns[-1], factory, depth + 1)

    def shape(self, expr: cst.BaseExpression | None, scope: Scope | None) -> tuple[int | None, ...] | None:
        """A literal shape, its names followed to the constants assigned to them (`(n_steps, n_features)` after
        `n_steps = 3`). A parameter or `self.` attribute is not followed: a builder taking the length serves any."""
        if isinstance(expr, cst.Name) and scope is not None:
            expr, _ = self.analysis.binder.follow(expr, At(scope))
        if scope is None or not isinstance(expr, (cst.Tuple, cst.List)):
            return literal_shape(expr)
        elements = [element.with_changes(value=self.analysis.binder.follow(element.value, At(scope))[0])
                    if isinstance(element.value, cst.Name) and element.value.value != "None" else element
                    for element in expr.elements]
        return literal_shape(expr.with_changes(elements=elements))

    # -- argument values ----------------------------------------------------------------------
    def activation(self, expr: cst.BaseExpression | None, scope: Scope | None,
                   depth: int = 0) -> tuple[str | None, str | None]:
        """(name, where it came from when not written at the layer) of an `activation=` argument: a string, a
        function (`tf.nn.relu`), `None` (linear), or a name/parameter/attribute resolving to one of these, or a
        loop target iterating over such values (`for units, act in zip(dims, funcs)`) that all agree."""
        source = None
        for _ in range(_MAX_DEPTH):
            element = self._element_binding(expr, scope)
            if element is not None:
                name, from_elements = self._element_activation(element, depth)
                return name, source or from_elements
            if expr is None:
                return None, None
            text = string(expr)
            if text is not None:
                return text.lower(), source
            if isinstance(expr, cst.Name) and expr.value == "None":
                return "linear", source
            qualified = self.analysis.qualified_name(expr)
            if qualified is not None:
                return normalize(qualified).rsplit(".", 1)[-1].lower(), source
            if isinstance(expr, cst.Call) and isinstance(expr.func, (cst.Name, cst.Attribute)):
                qualified = self.analysis.qualified_name(expr.func)
                if qualified is not None and normalize(qualified) == "keras.activations.get":
                    expr = argument(expr, 0, "identifier")
                    continue
                return None, None
            found = self._argument_value(expr, scope)
            if found is None:
                return None, None
            expr, scope, step = found
            source = source or step
        return None, None

    def _element_binding(self, expr: cst.BaseExpression | None, scope: Scope | None) -> Binding | None:
        if not isinstance(expr, cst.Name) or scope is None:
            return None
        bound = self.analysis.binder.resolve(expr.value, At(scope))
        return bound if bound is not None and bound.element is not None else None

    def _element_activation(self, binding: Binding, depth: int) -> tuple[str | None, str | None]:
        """The activation a loop target holds: the one every element it takes names, else None."""
        element = binding.element
        if element is None or depth > _MAX_DEPTH:
            return None, None
        candidates = self._elements(element.iterable, binding.scope, element.path, depth + 1)
        names = {self.activation(expr, scope, depth + 1)[0] for expr, scope in candidates or ()}
        if len(names) != 1 or None in names:
            return None, None
        return names.pop(), f"each element of `{self._describe(element.iterable)}`"

    def _elements(self, container: cst.BaseExpression, scope: Scope | None, path: tuple[int, ...],
                  depth: int) -> list[tuple[cst.BaseExpression, Scope | None]] | None:
        """The expressions an element of `container` can be, then their parts `path` (`f` in `for i, (n, f) in
        enumerate(zip(dims, funcs))` takes part (1, 1)): the items of a literal tuple or list (through names,
        parameters and their defaults), of `[x] * n`, of a slice (`funcs[::-1]`), of `zip`/`enumerate`/`reversed`/
        `list`/`tuple`/`sorted` over those. None when the iteration is not over values the reader sees."""
        if depth > _MAX_DEPTH:
            return None
        for _ in range(_MAX_DEPTH):  # through names (`a = b` and `b = a` at module level follow each other forever)
            if not isinstance(container, (cst.Name, cst.Attribute)):
                break
            step = self._argument_value(container, scope)
            if step is None:
                return None
            container, scope, _ = step
        if isinstance(container, (cst.Tuple, cst.List)):
            found: list[tuple[cst.BaseExpression, Scope | None]] = []
            for item in container.elements:
                parts = None if isinstance(item, cst.StarredElement) else self._parts(item.value, scope, path, depth)
                if parts is None:
                    return None
                found += parts
            return found
        if isinstance(container, cst.BinaryOperation) and isinstance(container.operator, cst.Multiply) \
                and isinstance(container.left, (cst.Tuple, cst.List)):  # `[func] * len(dims)`
            return self._elements(container.left, scope, path, depth + 1)
        if isinstance(container, cst.Subscript) and all(isinstance(e.slice, cst.Slice) for e in container.slice):
            return self._elements(container.value, scope, path, depth + 1)
        return self._iterated_elements(container, scope, path, depth) if isinstance(container, cst.Call) else None

    def _iterated_elements(self, container: cst.Call, scope: Scope | None, path: tuple[int, ...],
                           depth: int) -> list[tuple[cst.BaseExpression, Scope | None]] | None:
        """`_elements` of what a builtin iterates: `zip(dims, funcs)`, `enumerate(funcs)`, `reversed(funcs)`."""
        if not isinstance(container.func, cst.Name) or scope is None \
                or self.analysis.binder.resolve(container.func.value, At(scope)) is not None:
            return None  # not a builtin: a module function, or a name bound to something else
        iterables = [arg.value for arg in container.args if arg.keyword is None and not arg.star]
        builtin = container.func.value
        if builtin in ("list", "tuple", "reversed", "sorted") and len(iterables) == 1:
            return self._elements(iterables[0], scope, path, depth + 1)
        if builtin == "enumerate" and len(iterables) == 1 and path[:1] == (1,):
            return self._elements(iterables[0], scope, path[1:], depth + 1)
        if builtin == "zip" and path and 0 <= path[0] < len(iterables):
            return self._elements(iterables[path[0]], scope, path[1:], depth + 1)
        return None

    def _parts(self, expr: cst.BaseExpression, scope: Scope | None, path: tuple[int, ...],
               depth: int) -> list[tuple[cst.BaseExpression, Scope | None]] | None:
        """`expr[path[0]][path[1]]...` of a literal tuple or list element (`("relu", 64)` at (0,))."""
        if not path:
            return [(expr, scope)]
        if isinstance(expr, cst.Name) and scope is not None:
            expr, at = self.analysis.binder.follow(expr, At(scope))
            scope = at.scope
        if isinstance(expr, (cst.Tuple, cst.List)) and 0 <= path[0] < len(expr.elements) \
                and not any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return self._parts(expr.elements[path[0]].value, scope, path[1:], depth + 1)
        return None

    def number(self, expr: cst.BaseExpression | None, scope: Scope | None) -> float | None:
        """A numeric argument: a literal, or a name/parameter default resolving to one."""
        for _ in range(_MAX_DEPTH):
            if expr is None:
                return None
            value = numeric_literal(expr)
            if value is not None:
                return value
            found = self._argument_value(expr, scope)
            if found is None:
                return None
            expr, scope, _ = found
        return None

    def _dtype(self, expr: cst.BaseExpression | None, scope: Scope | None) -> str | None:
        text = string(expr)
        if text is not None or expr is None:
            return text
        qualified = self.analysis.qualified_name(expr)
        if qualified is not None:
            return normalize(qualified).rsplit(".", 1)[-1]
        found = self._argument_value(expr, scope)
        return self._dtype(found[0], found[1]) if found is not None else None

    def _argument_value(self, expr: cst.BaseExpression, scope: Scope | None) -> _Argument | None:
        """One step from a name or `self.attr` to the expression behind it: an assignment, what the module's
        callers pass for a parameter, else the parameter's default. (expr, scope, description) or None."""
        if scope is None:
            return None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            owner = self.analysis.binder.enclosing_class(scope)
            stored = self.analysis.binder.attribute(owner, expr.attr.value) if owner is not None else []
            if not stored or stored[-1].expression is None:
                return None
            return stored[-1].expression, stored[-1].scope, None
        if not isinstance(expr, cst.Name):
            return None
        bound = self.analysis.binder.resolve(expr.value, At(scope))
        if bound is None:
            return None
        if bound.kind is BindingKind.PARAMETER:
            return self._parameter_value(bound.scope, expr.value)
        if bound.expression is not None and id(bound.expression) in self._assigned_in_branches(bound.scope):
            # `if n <= 0: n = 1; act = "linear"` / `else: act = "softmax"`: the last binding in source order is
            # one branch's, and the layer may see another's (neurite's EncoderNet: one unit only with "linear")
            return None
        if bound.expression is not None:
            return bound.expression, bound.scope, None
        return None

    def _assigned_in_branches(self, scope: Scope) -> frozenset[int]:
        """The values a function assigns only in a branch of an `if` or `try` (ids of the assigned expressions)."""
        key = id(scope)
        if key not in self._branch_values:
            found: set[int] = set()
            pending = [(statement, False) for statement in body_statements(scope.node)]
            while pending:
                statement, branched = pending.pop()
                if isinstance(statement, cst.SimpleStatementLine):
                    if branched:
                        found.update(id(small.value) for small in statement.body
                                     if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None)
                elif isinstance(statement, cst.BaseCompoundStatement) \
                        and not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                    inner = branched or isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.Match))
                    pending.extend((nested, inner) for suite in suites(statement) for nested in suite.body)
            self._branch_values[key] = frozenset(found)
        return self._branch_values[key]

    def _parameter_value(self, function: Scope, name: str) -> _Argument | None:
        """What a parameter holds: the value the module's callers pass (the first literal one), else its default."""
        node = function.node
        if not isinstance(node, cst.FunctionDef):
            return None
        params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        param = next((p for p in params if p.name.value == name), None)
        if param is None:
            return None
        index = [p.name.value for p in params].index(name) - (1 if function.class_name else 0)
        short = function.name.rsplit(".", 1)[-1]
        callee = function.class_name if short == "__init__" else (None if function.class_name else short)
        for call in self.analysis.calls:
            if callee is None or not (isinstance(call.node.func, cst.Name) and call.node.func.value == callee):
                continue
            passed = argument(call.node, index if param not in node.params.kwonly_params else None, name)
            if passed is not None:
                return passed, call.site.scope, f"the argument {name}= passed at {self._describe(call.node)}"
        if param.default is not None:
            return param.default, function.parent, f"the default of parameter {name}"
        return None

    def _describe(self, node: cst.CSTNode) -> str:
        code = self.analysis.spelled(node)
        return code if len(code) <= 40 else code[:37] + "..."


def _is_true(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"


def _unbatched(shape: tuple[int | None, ...] | None) -> tuple[int | None, ...] | None:
    return shape[1:] if shape else None
