"""The training set-up of each model, as data: whether it is trained at all, the optimizers that really update its
weights, its loss, and the scale of the inputs it is fed where the code shows it.

Linked through: `compile` (the `optimizer` argument, or -- when the model's class overrides `compile` -- the
optimizers its `train_step` applies to each sub-model, followed from `self.d_optimizer.apply_gradients(zip(grads,
self.discriminator.trainable_weights))` back to the `compile(d_optimizer=...)` and constructor arguments of the
module's instances); custom loops' `optimizer.apply_gradients(zip(grads, model.trainable_variables))`; and
containment (an encoder inside the autoencoder, sub-models held by a wrapper model) -- a contained model is trained
by what trains its container unless it has links of its own. Optimizers are read through names, helper functions,
`keras.optimizers.get`/`deserialize` of a string or config dict, `SGD(**config)`, `LossScaleOptimizer(inner)`, and
learning-rate schedules (their initial value). A model that is never compiled, fitted or given gradients (built for
`summary()`, as a feature extractor, or only for `predict`) has no set-up: training-dynamics rules skip it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeGuard

import libcst as cst

from nanlint.analysis.binder import END, At, Point
from nanlint.analysis.model_uses import local_use_trains, provided, requesters_may_train
from nanlint.analysis.keras import (ACTIVATION_LAYERS, FIT_METHODS, RECURRENT, TRANSPARENT, UNKNOWN, WEIGHTED,
                                   literal_dict, string)
from nanlint.analysis.models import Model, ModelPicture
from nanlint.analysis.module import CallSite, ClassInfo, ModuleAnalysis, Scope, Unpacked
from nanlint.analysis.operations import Op, normalize
from nanlint.analysis.precision import is_float16
from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.values import literal_numbers, numeric_literal
from nanlint.analysis.walk import children, descendants

_MAX_DEPTH = 10
_CLIPPING = ("clipnorm", "clipvalue", "global_clipnorm")
OPTIMIZER_DEFAULT_LR = {"SGD": 0.01, "Adam": 0.001, "AdamW": 0.001, "RMSprop": 0.001, "Adagrad": 0.001,
                        "Adadelta": 0.001, "Adamax": 0.001, "Nadam": 0.001, "Ftrl": 0.001, "Lion": 0.001,
                        "Lamb": 0.001, "Adafactor": 0.001, "LossScaleOptimizer": None}
_OPTIMIZER_STRINGS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad",
                      "adadelta": "Adadelta", "adamax": "Adamax", "nadam": "Nadam", "ftrl": "Ftrl", "lion": "Lion"}
# TF1 optimizers under their Keras names.
_TF1_OPTIMIZERS = {"GradientDescentOptimizer": "SGD", "MomentumOptimizer": "SGD", "AdamOptimizer": "Adam",
                   "RMSPropOptimizer": "RMSprop", "AdagradOptimizer": "Adagrad", "AdadeltaOptimizer": "Adadelta"}
# The epsilon each optimizer adds to sqrt(v) when none is given (TF1 classes by their own name), and where it
# is passed positionally.
_DEFAULT_EPSILON = {"AdamOptimizer": 1e-8, "RMSPropOptimizer": 1e-10, "AdadeltaOptimizer": 1e-8, "Adam": 1e-7,
                    "AdamW": 1e-7, "RMSprop": 1e-7, "Adadelta": 1e-7, "Adamax": 1e-7, "Nadam": 1e-7, "Adagrad": 1e-7}
_EPSILON_POSITION = {"Adam": 3, "RMSprop": 3, "Adadelta": 2, "Adamax": 3, "Nadam": 3, "AdamW": 4, "Adagrad": 2}
# Schedules and where their first learning rate is given.
_SCHEDULE_START = {"ExponentialDecay": (0, "initial_learning_rate"), "CosineDecay": (0, "initial_learning_rate"),
                   "CosineDecayRestarts": (0, "initial_learning_rate"), "InverseTimeDecay": (0, "initial_learning_rate"),
                   "PolynomialDecay": (0, "initial_learning_rate")}
# scikit-learn data set generators: the defaults of the arguments that decide the shapes of X and y.
_GENERATED_DATA: dict[str, dict[str, float]] = {
    "sklearn.datasets.make_regression": {"n_samples": 100, "n_features": 100, "n_targets": 1},
    "sklearn.datasets.make_classification": {"n_samples": 100, "n_features": 20},
    "sklearn.datasets.make_blobs": {"n_samples": 100, "n_features": 2},
}
# Readers of tabular files: the values arrive in the file's raw units.
_FILE_READERS = frozenset({"numpy.loadtxt", "numpy.genfromtxt", "pandas.read_csv", "pandas.read_excel",
                           "pandas.read_table"})
# Losses that score an input vector against sampled classes; `inputs` is their fourth argument.
_SAMPLED_LOSSES = frozenset({"nce_loss", "sampled_softmax_loss"})
_WEIGHTS = ("trainable_variables", "trainable_weights", "weights", "variables")
# Datasets whose inputs arrive in raw units: (magnitude, description).
_RAW_DATASETS = {"mnist": (255.0, "pixel values 0-255"), "fashion_mnist": (255.0, "pixel values 0-255"),
                 "cifar10": (255.0, "pixel values 0-255"), "cifar100": (255.0, "pixel values 0-255"),
                 "boston_housing": (700.0, "raw feature units (up to ~700)"),
                 "california_housing": (1e4, "raw feature units (up to ~1e4)")}


@dataclass(frozen=True)
class Optimizer:
    node: cst.BaseExpression
    kind: str  # "SGD", "Adam", ... or the unknown class name
    learning_rate: float | None
    clipped: bool
    epsilon: float | None  # the epsilon in force: given, or the class's default; None where it has none or unknown
    schedule: str | None = None  # "ExponentialDecay" when the rate is a schedule's initial value
    momentum: float = 0.0  # SGD's momentum (Keras SGD, TF1 MomentumOptimizer), 0 where not given or not known

    @property
    def adaptive(self) -> bool:
        """Adam-family and other per-parameter-scaled optimizers: measured finite where SGD diverged."""
        return self.kind not in ("SGD", "") and self.kind in OPTIMIZER_DEFAULT_LR

    def describe(self) -> str:
        rate = f"lr={self.learning_rate:g}" if self.learning_rate is not None else "lr unknown"
        if self.schedule:
            rate += f" ({self.schedule} start)"
        return f"{self.kind}({rate}{', clipped' if self.clipped else ''})"


@dataclass(frozen=True)
class Loss:
    node: cst.BaseExpression
    name: str  # "binary_crossentropy", "BinaryCrossentropy", "mse", or a module function's name
    from_logits: bool


# Integer arithmetic a literal shape's dimension may be written with (`(n, steps // 2, features)`), and how deep
# the names and operations behind one dimension are followed.
_MAX_DIMENSION_DEPTH = 8
_DIMENSION_ARITHMETIC: dict[type[cst.BaseBinaryOp], Callable[[int, int], int]] = {
    cst.FloorDivide: lambda left, right: left // right,
    cst.Multiply: lambda left, right: left * right,
    cst.Add: lambda left, right: left + right,
    cst.Subtract: lambda left, right: left - right,
}

@dataclass(frozen=True)
class InputScale:
    # the order of the largest input values fed; None for raw units read from a file and never scaled, whose size
    # the code does not show
    magnitude: float | None
    source: str  # for messages: "keras.datasets.mnist pixel values 0-255, never scaled"
    centered: bool = False  # standardized to mean 0 (a Normalization layer, StandardScaler, (x - mean) / std)
    # the root mean square of the values, where the code shows every one of them (a literal list, a range, a
    # linspace): the mean curvature of a squared loss grows with mean(x^2), which the largest value overstates
    # (x = 5, 10, ..., 40: max^2 1600, mean(x^2) 637.5)
    rms: float | None = None


STANDARDIZED = InputScale(1.0, "standardized data", centered=True)


@dataclass(frozen=True)
class TrainingSetup:
    trained_by: tuple[str, ...] = ()  # "fit", "compile", "a custom training loop", "the model 'gan' containing it"
    optimizers: tuple[Optimizer, ...] = ()
    unresolved_optimizer: bool = False  # something updates the weights, but which optimizer is not known statically
    loss: Loss | None = None
    compile_node: cst.Call | None = None
    input_scale: InputScale | None = None
    # Literal shapes of the data given to `fit` (dims None where not a literal), when the code shows them.
    input_shape: tuple[int | None, ...] | None = None
    target_shape: tuple[int | None, ...] | None = None
    # The scale of the data fed to the model's input; `input_scale` is what its first weighted layer sees
    # after a leading Rescaling/Normalization layer of the model.
    data_scale: InputScale | None = None
    target_scale: InputScale | None = None  # of the targets given to `fit`, where the code shows it

    @property
    def trained(self) -> bool:
        return bool(self.trained_by)

    def as_data(self, optimizer: Optimizer | None = None) -> dict[str, str | float | None]:
        """The set-up as plain data for a finding's `extra` (what the training verifier runs first): the scale of
        the data fed to the model, the optimizer that trains it and its loss, each None where the code does not show it."""
        return {"input_scale": self.data_scale.magnitude if self.data_scale else None,
                "input_scale_source": self.data_scale.source if self.data_scale else None,
                "optimizer": optimizer.kind if optimizer else None,
                "learning_rate": optimizer.learning_rate if optimizer else None,
                "loss": self.loss.name if self.loss else None,
                "from_logits": self.loss.from_logits if self.loss else None}


NOT_TRAINED = TrainingSetup()


@dataclass
class _Observed:
    """What the module's own calls show about one model, gathered call by call by `TrainingReader.setups()` and
    then frozen into its TrainingSetup (with what trains the models containing it)."""
    by: list[str] = field(default_factory=list)  # TrainingSetup.trained_by
    optimizers: list[Optimizer] = field(default_factory=list)
    unresolved: bool = False
    loss: Loss | None = None
    compile: cst.Call | None = None
    custom_compile: bool = False  # the model overrides compile(): its train_step says which optimizer trains what
    scale: InputScale | None = None  # of the data given to fit
    target: InputScale | None = None
    x: tuple[int | None, ...] | None = None  # literal shapes of the data given to fit
    y: tuple[int | None, ...] | None = None
    # the `compile`/`fit` calls behind `by` (on the model or on a wrapper of it); custom loops are not among them
    calls: list[CallSite] = field(default_factory=list)


@dataclass(frozen=True)
class GraphTraining:
    """A TF1 graph trained by `optimizer.minimize(loss)` in a session fed through `feed_dict`."""

    optimizer: Optimizer
    input_scale: InputScale | None  # of the inputs fed, where the code shows it
    squared: bool  # the loss squares its errors (tf.square, ** 2, mean_squared_error, l2_loss)
    power: int = 1  # 2 where the prediction squares a fed input (`X * X * w`): the curvature grows as X^4
    # embedding lookups summed (not averaged) into the input of a sampled loss (nce_loss, sampled_softmax_loss);
    # 1 where there is no such sum
    summed_lookups: int = 1


# Calls that make an array of their first argument: the data keeps its scale.
_ARRAY_CONVERSIONS = frozenset({"numpy.array", "numpy.asarray", "numpy.float32", "tensorflow.constant",
                                "tensorflow.convert_to_tensor", "tensorflow.cast", "keras.ops.convert_to_tensor"})
# Calls that build an array of the shape given as a tuple (`shape`, or numpy.random's `size`).
_SHAPED_ARRAYS = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.random.random", "numpy.random.uniform",
                            "numpy.random.normal", "numpy.random.randint", "tensorflow.zeros", "tensorflow.ones",
                            "tensorflow.random.normal", "tensorflow.random.uniform", "keras.random.normal"})
# Random data of scale 1.
_RANDOM_DATA = frozenset({"numpy.random.rand", "numpy.random.random", "numpy.random.randn", "numpy.random.normal",
                          "numpy.random.uniform", "tensorflow.random.normal", "tensorflow.random.uniform", "keras.random.normal",
                          "keras.random.uniform"})


def _file_data_scale(reader: str, call: cst.Call) -> InputScale:
    """Values read from a tabular file: raw units of a size the code does not show."""
    path = string(argument(call, 0, "fname"))
    short = reader.rsplit(".", 1)[-1]
    return InputScale(None, f"{short}({path!r}) values, never scaled" if path else f"{short}() values, never scaled")


# Random draws with their bounds: (kind, (position, keyword, default) of the low bound or mean, the same of the high
# bound or standard deviation). The shape comes first in TF/Keras, last in NumPy.
_Bound = tuple[int, str, float | None]
_DRAWS: dict[str, tuple[str, _Bound, _Bound]] = {
    "numpy.random.uniform": ("uniform", (0, "low", 0.0), (1, "high", 1.0)),
    "numpy.random.normal": ("normal", (0, "loc", 0.0), (1, "scale", 1.0)),
    "numpy.random.randint": ("integers", (0, "low", 0.0), (1, "high", None)),
    "tensorflow.random.uniform": ("uniform", (1, "minval", 0.0), (2, "maxval", 1.0)),
    "tensorflow.random.normal": ("normal", (1, "mean", 0.0), (2, "stddev", 1.0)),
    "keras.random.uniform": ("uniform", (1, "minval", 0.0), (2, "maxval", 1.0)),
    "keras.random.normal": ("normal", (1, "mean", 0.0), (2, "stddev", 1.0)),
}


def _generated_data_scale(name: str) -> InputScale | None:
    """The scale of data a library call generates or loads: random draws, a raw Keras data set."""
    if name in _RANDOM_DATA:
        return InputScale(1.0, f"{name.rsplit('.', 1)[-1]}() values")
    if name.startswith("keras.datasets.") and name.endswith(".load_data"):
        dataset = name.split(".")[2]
        if dataset in _RAW_DATASETS:
            magnitude, units = _RAW_DATASETS[dataset]
            return InputScale(magnitude, f"keras.datasets.{dataset} {units}")
    return None


class TrainingReader:
    def __init__(self, picture: ModelPicture) -> None:
        self.picture = picture
        self.analysis = picture.analysis

    # -- optimizers ---------------------------------------------------------------------------
    def optimizer(self, expr: cst.BaseExpression | None, scope: Scope, depth: int = 0, seq: int = END
                  ) -> Optimizer | None:
        """The optimizer an expression builds or names (a name as bound at `seq`)."""
        if expr is None or depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            target, at = self.analysis.binder.follow(expr, At(scope, seq))
            return None if isinstance(target, cst.Name) else self.optimizer(target, at.scope, depth + 1)
        text = string(expr)
        if text is not None:
            named = _OPTIMIZER_STRINGS.get(text.lower(), text)
            return Optimizer(expr, named, OPTIMIZER_DEFAULT_LR.get(named), False, None)
        if isinstance(expr, cst.Dict):  # `{"class_name": "SGD", "config": {...}}`
            return self._from_config(expr, expr, scope, depth)
        return self._optimizer_call(expr, scope, depth) if isinstance(expr, cst.Call) else None

    def _optimizer_call(self, expr: cst.Call, scope: Scope, depth: int) -> Optimizer | None:
        """`SGD(0.1)`, `SGD.from_config({...})`, `optimizers.get("adam")`, `LossScaleOptimizer(inner)`, TF1's
        `tf.train.AdamOptimizer(...)`, or a module function returning one of those."""
        func = expr.func
        if isinstance(func, cst.Name) and func.value in self.analysis.functions:
            helper = self.analysis.functions[func.value]
            return self.optimizer(helper.returns[-1], helper, depth + 1) if helper.returns else None
        if isinstance(func, cst.Attribute) and func.attr.value == "from_config":
            kind = self.picture.keras_class(func.value)
            config = literal_dict(self.analysis, argument(expr, 0, "config"), scope)
            return self._constructed(kind, expr, scope, config) if kind else None
        kind = self.picture.keras_class(func)
        if kind is None:
            return self._tf1_optimizer(expr, scope)
        if kind in ("get", "deserialize"):
            identifier = argument(expr, 0, "identifier") or argument(expr, 0, "config")
            config = literal_dict(self.analysis, identifier, scope)
            if config is not None and identifier is not None:
                return self._from_config(identifier, config, scope, depth)
            return self.optimizer(identifier, scope, depth + 1)
        if kind == "LossScaleOptimizer":
            return self.optimizer(argument(expr, 0, "inner_optimizer"), scope, depth + 1)
        config = next((literal_dict(self.analysis, arg.value, scope) for arg in expr.args if arg.star == "**"), None)
        return self._constructed(kind, expr, scope, config)

    def _tf1_optimizer(self, expr: cst.Call, scope: Scope) -> Optimizer | None:
        """`tf.train.AdamOptimizer(1e-3)`, `tf.compat.v1.train.GradientDescentOptimizer(0.5)`."""
        qualified = self.analysis.qualified_name(expr.func)
        short = normalize(qualified).rsplit(".", 1)[-1] if qualified else None
        if short not in _TF1_OPTIMIZERS:
            return None
        return self._constructed(_TF1_OPTIMIZERS[short], expr, scope, None, _DEFAULT_EPSILON.get(short))

    def _from_config(self, node: cst.BaseExpression, config: cst.Dict | dict[str, cst.BaseExpression], scope: Scope,
                     depth: int) -> Optimizer | None:
        literal = literal_dict(self.analysis, config, scope) if isinstance(config, cst.Dict) else config
        if not literal:
            return None
        kind = string(literal.get("class_name"))
        if kind is None:
            return None
        kind = _OPTIMIZER_STRINGS.get(kind.lower(), kind)
        inner = literal_dict(self.analysis, literal.get("config"), scope) or {}
        rate = self._rate(inner.get("learning_rate"), scope)
        epsilon = numeric_literal(inner.get("epsilon")) if "epsilon" in inner else _DEFAULT_EPSILON.get(kind)
        return Optimizer(node, kind, rate[0] if inner.get("learning_rate") is not None else OPTIMIZER_DEFAULT_LR.get(kind),
                         any(key in inner for key in _CLIPPING), epsilon, rate[1])

    def _constructed(self, kind: str, call: cst.Call, scope: Scope, config: dict[str, cst.BaseExpression] | None,
                     default_epsilon: float | None = None) -> Optimizer:
        def arg(position: int | None, keyword: str) -> cst.BaseExpression | None:
            given = argument(call, position, keyword)
            return given if given is not None or config is None else config.get(keyword)

        given = arg(0, "learning_rate")
        if given is None:
            given = arg(None, "lr")
        rate, schedule = self._rate(given, scope) if given is not None else (OPTIMIZER_DEFAULT_LR.get(kind), None)
        clipped = any(arg(None, name) is not None for name in _CLIPPING)
        given_epsilon = arg(_EPSILON_POSITION.get(kind), "epsilon")
        epsilon = (self.picture.layers.number(given_epsilon, scope) if given_epsilon is not None
                   else default_epsilon if default_epsilon is not None else _DEFAULT_EPSILON.get(kind))
        # SGD(learning_rate, momentum) and TF1's MomentumOptimizer(learning_rate, momentum) take it second
        momentum = self.picture.layers.number(arg(1, "momentum"), scope) if kind == "SGD" else None
        return Optimizer(call, kind, rate, clipped, epsilon, schedule, momentum or 0.0)

    def _rate(self, expr: cst.BaseExpression | None, scope: Scope) -> tuple[float | None, str | None]:
        """A learning rate: a number, or a schedule's initial value (with the schedule's name)."""
        expr, scope, number = self._rate_source(expr, scope)
        if number is not None:
            return number, None
        if not isinstance(expr, cst.Call):
            return None, None
        kind = self.picture.keras_class(expr.func)
        if kind in _SCHEDULE_START:
            position, start_keyword = _SCHEDULE_START[kind]
            return self.picture.layers.number(argument(expr, position, start_keyword), scope), kind
        if kind == "PiecewiseConstantDecay":
            given = argument(expr, 1, "values")
            values = self.analysis.binder.follow(given, At(scope))[0] if given is not None else None
            if isinstance(values, (cst.List, cst.Tuple)) and values.elements:
                return numeric_literal(values.elements[0].value), kind
        return None, None

    def _rate_source(self, expr: cst.BaseExpression | None, scope: Scope
                     ) -> tuple[cst.BaseExpression | None, Scope, float | None]:
        """A learning rate followed through names and variables: the number it is (`0.1`, `tf.constant(0.1)`,
        `base * 4`; a rate held in a variable starts at the value it is made from, `GradientDescentOptimizer(lr)`
        with `lr = tf.Variable(0.1)`, decayed later by an assign or not), else the expression that makes it."""
        for _ in range(_MAX_DEPTH):
            if expr is None:
                break
            number = self.analysis.values.number(expr, At(scope))
            if number is not None:
                return expr, scope, number
            made = self.analysis.values.initial_value(expr, At(scope))
            if made is not None:
                expr, scope = made[0], made[1].scope
                continue
            if not isinstance(expr, cst.Name):
                break
            target, at = self.analysis.binder.follow(expr, At(scope))
            if isinstance(target, cst.Name):
                return None, scope, None
            expr, scope = target, at.scope
        return expr, scope, None

    # -- losses -------------------------------------------------------------------------------
    def loss(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> Loss | None:
        text = string(expr)
        if text is not None:
            return Loss(expr, text, False)
        if isinstance(expr, cst.Call):
            name = self.picture.keras_class(expr.func)
            if name is None:
                return None
            from_logits = argument(expr, 0 if name[0].isupper() else None, "from_logits")
            return Loss(expr, name, isinstance(from_logits, cst.Name) and from_logits.value == "True")
        if isinstance(expr, (cst.Name, cst.Attribute)):
            qualified = self.analysis.qualified_name(expr)
            if qualified is not None:
                return Loss(expr, normalize(qualified).rsplit(".", 1)[-1], False)
            if isinstance(expr, cst.Name) and depth < _MAX_DEPTH:
                bound = self.analysis.binder.resolve(expr.value, At(scope))
                if bound is not None and bound.expression is not None:
                    return self.loss(bound.expression, bound.scope, depth + 1)
                return Loss(expr, expr.value, False)
        return None

    # -- input scale --------------------------------------------------------------------------
    def input_scale(self, expr: cst.BaseExpression | None, at: Point, depth: int = 0,
                    bound_parameters: dict[str, InputScale] | None = None) -> InputScale | None:
        """The order of magnitude of the data an expression evaluated at `at` holds, where the code shows it.
        Names resolve at the point of use, so `x = x.astype(...)` follows to the earlier `x`; inside a lambda or
        one-line function applied to data (`f = lambda x: x ** 2 + 3; y = f(x)`), its parameter is that data."""
        if expr is None or depth > _MAX_DEPTH:
            return None

        def scale(inner: cst.BaseExpression | None) -> InputScale | None:
            return self.input_scale(inner, at, depth + 1, bound_parameters)

        if isinstance(expr, cst.Name):
            if bound_parameters and expr.value in bound_parameters:
                return bound_parameters[expr.value]
            return self._name_scale(expr, at, depth)
        if isinstance(expr, cst.Subscript):
            return scale(expr.value)
        if isinstance(expr, cst.Attribute) and expr.attr.value in ("values", "T"):  # `frame["TV"].values`
            return scale(expr.value)
        if isinstance(expr, (cst.List, cst.Tuple)):  # a literal array: its largest magnitude
            numbers = [abs(number) for number in literal_numbers(expr)]
            return InputScale(max(numbers), "literal data", rms=_root_mean_square(numbers)) \
                if numbers and max(numbers) > 0 else None
        if isinstance(expr, cst.BinaryOperation):
            return self._arithmetic_scale(expr, at, scale)
        if isinstance(expr, cst.Call):
            return self._call_scale(expr, at, depth, scale)
        return None

    def _name_scale(self, name: cst.Name, at: Point, depth: int) -> InputScale | None:
        """The scale of what a name is bound to at `at`."""
        bound = self.analysis.binder.resolve(name.value, at)
        if bound is None:
            return None
        if isinstance(bound.value, Unpacked):  # `(x, y), _ = mnist.load_data()`: the unpacked call
            generated = self._generated_regression(bound.value, bound.at)
            return generated if generated is not None else self.input_scale(bound.value.source, bound.at, depth + 1)
        if bound.element is not None:  # `for (x, y) in zip(trX, trY)`: a row of the data iterated
            return self._element_scale(bound.element.iterable, bound.element.path, bound.at, depth + 1)
        return self.input_scale(bound.expression, bound.at, depth + 1)

    def _element_scale(self, iterable: cst.BaseExpression, path: tuple[int, ...], at: Point,
                       depth: int) -> InputScale | None:
        """The scale of the part `path` of each element of `iterable`: the array `zip` pairs it from, the items
        `enumerate` counts (not the count), else the iterated data itself (a row or a value of an array has the
        array's scale)."""
        builtin = iterable.func.value if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) \
            and self.analysis.binder.resolve(iterable.func.value, at) is None else None
        arrays = [arg.value for arg in iterable.args if arg.keyword is None and not arg.star] \
            if isinstance(iterable, cst.Call) else []
        if builtin == "zip" and path and path[0] < len(arrays):
            return self._element_scale(arrays[path[0]], path[1:], at, depth + 1)
        if builtin == "enumerate" and path and len(arrays) == 1:
            return self._element_scale(arrays[0], path[1:], at, depth + 1) if path[0] == 1 else None
        return self.input_scale(iterable, at, depth + 1)

    def _arithmetic_scale(self, expr: cst.BinaryOperation, at: Point,
                          scale: Callable[[cst.BaseExpression | None], InputScale | None]) -> InputScale | None:
        operator = expr.operator
        if isinstance(operator, cst.Divide) and _is_standard_deviation(self.analysis, expr.right, at):
            return STANDARDIZED  # `(x - x.mean()) / x.std()`
        if isinstance(operator, (cst.Multiply, cst.Add)) and numeric_literal(expr.left) is not None:
            expr = cst.BinaryOperation(expr.right, operator, expr.left)  # `1.0 * np.array(...)`, `3 + x`
        factor = numeric_literal(expr.right)
        inner = scale(expr.left)
        size = inner.magnitude if inner is not None else None  # None too for raw file data: only a divisor tells
        if isinstance(operator, cst.Divide) and factor:
            return InputScale(size / factor, f"{inner.source} / {factor:g}", rms=_times(inner.rms, 1 / abs(factor))) \
                if inner is not None and size is not None \
                else (InputScale(1.0, f"data divided by {factor:g}") if factor >= 100 else None)
        if inner is None or size is None or factor is None:
            return None
        if isinstance(operator, cst.Multiply) and factor:
            return inner if factor == 1 else InputScale(size * abs(factor), f"{inner.source} x {factor:g}",
                                                        rms=_times(inner.rms, abs(factor)))
        if isinstance(operator, cst.Power) and factor > 0:
            return InputScale(size ** factor, f"({inner.source}) ** {factor:g}")
        if isinstance(operator, (cst.Add, cst.Subtract)):
            return InputScale(size + abs(factor), inner.source)
        return None

    def _call_scale(self, expr: cst.Call, at: Point, depth: int,
                    scale: Callable[[cst.BaseExpression | None], InputScale | None]) -> InputScale | None:
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("astype", "reshape", "copy"):
            return scale(func.value)
        if isinstance(func, cst.Attribute) and func.attr.value in ("fit_transform", "transform") and expr.args:
            return self._scaler_output(func.value, at)
        applied = self._applied_lambda(expr, at)
        if applied is not None:  # `f = lambda x: x ** 2 + 3; f(data)`: the body, with the parameter bound to data
            function, where = applied
            argument_scale = scale(expr.args[0].value)
            parameter = function.params.params[0].name.value
            return self.input_scale(function.body, where, depth + 1, {parameter: argument_scale}) \
                if argument_scale is not None else None
        qualified = self.analysis.qualified_name(func)
        name = normalize(qualified) if qualified else ""
        if name in _ARRAY_CONVERSIONS:
            return scale(argument(expr, 0, "x"))
        if isinstance(func, cst.Name) and func.value == "range" or self.analysis.op_of_call(expr) is Op.RANGE:
            return self._range_scale(expr)
        if name in _FILE_READERS:
            return _file_data_scale(name, expr)
        drawn = self._drawn_scale(name, expr, at)
        return drawn if drawn is not None else _generated_data_scale(name)

    def _generated_regression(self, unpacked: Unpacked, at: Point) -> InputScale | None:
        """`X, y = make_regression(...)`: X is N(0, 1) (centered, unit scale); y = X @ coef + bias + noise with
        coef 100 x U[0, 1) on n_informative (default 10) features, so its expected root mean square is
        sqrt(n_informative x 100^2 / 3 + bias^2 + noise^2). None for anything else, and where `effective_rank` or
        a non-literal argument makes X other than N(0, 1) or the size unknown."""
        call = unpacked.source
        qualified = self.analysis.qualified_name(call.func) if isinstance(call, cst.Call) else None
        if not isinstance(call, cst.Call) or qualified is None or normalize(qualified) != "sklearn.datasets.make_regression" \
                or unpacked.index not in (0, 1) or argument(call, 5, "effective_rank") is not None:
            return None
        if unpacked.index == 0:
            return InputScale(1.0, "make_regression() inputs, N(0, 1)", centered=True, rms=1.0)
        sizes = {}
        # positions of scikit-learn's older signature (n_samples, n_features, n_informative, n_targets, bias,
        # effective_rank, tail_strength, noise); newer versions take them as keywords only
        for position, name, default in ((1, "n_features", 100.0), (2, "n_informative", 10.0), (4, "bias", 0.0),
                                        (7, "noise", 0.0)):
            given = argument(call, position, name)
            sizes[name] = self.analysis.values.constant(given, at) if given is not None else default
        if None in sizes.values():
            return None
        informative = min(sizes["n_informative"] or 0.0, sizes["n_features"] or 0.0)
        rms = (informative * 100.0 ** 2 / 3 + (sizes["bias"] or 0.0) ** 2 + (sizes["noise"] or 0.0) ** 2) ** 0.5
        # the largest of a few hundred Gaussian targets is about 3 root mean squares
        return InputScale(3 * rms, f"make_regression() targets, never scaled (root mean square ~{rms:.0f})", rms=rms) \
            if rms > 0 else None

    def _drawn_scale(self, name: str, call: cst.Call, at: Point) -> InputScale | None:
        """Random draws whose bounds or spread the call gives (`np.random.uniform(0, 500, n)`,
        `np.random.normal(50, 10, n)`, `tf.random.uniform(shape, maxval=100)`, `np.random.randint(0, 255, shape)`):
        the largest value (a normal's mean + 3 standard deviations) and the root mean square; None where the call
        keeps the unit-scale defaults (read as unit-scale random data) or a bound is not a constant."""
        distribution = _DRAWS.get(name)
        if distribution is None:
            return None
        kind, (low_at, low_name, low_default), (high_at, high_name, high_default) = distribution
        given = [argument(call, low_at, low_name), argument(call, high_at, high_name)]
        if kind == "integers" and given[0] is not None and given[1] is None:  # randint(high): [0, high)
            given = [None, given[0]]
        if given == [None, None]:
            return None
        low, high = (self.analysis.values.constant(arg, at) if arg is not None else default
                     for arg, default in zip(given, (low_default, high_default)))
        if low is None or high is None:
            return None
        short = name.rsplit(".", 1)[-1]
        if kind == "normal":  # (mean, standard deviation)
            return InputScale(abs(low) + 3 * abs(high), f"{short}({low:g}, {high:g}) draws",
                              rms=(low ** 2 + high ** 2) ** 0.5)
        # uniform on [low, high): mean square (low^2 + low high + high^2) / 3
        return InputScale(max(abs(low), abs(high)), f"{short}({low:g}, {high:g}) draws",
                          rms=max(0.0, (low * low + low * high + high * high) / 3) ** 0.5)

    def _scaler_output(self, scaler: cst.BaseExpression, at: Point) -> InputScale | None:
        """`StandardScaler().fit_transform(x)`: standardized; `MinMaxScaler()...`: in [0, 1]."""
        built, _ = self.analysis.binder.follow(scaler, at)
        qualified = self.analysis.qualified_name(built.func) if isinstance(built, cst.Call) else None
        if qualified and qualified.rsplit(".", 1)[-1] == "StandardScaler":
            return STANDARDIZED
        if qualified and qualified.rsplit(".", 1)[-1] == "MinMaxScaler":
            return InputScale(1.0, "data scaled to [0, 1] by MinMaxScaler")
        return None

    def _applied_lambda(self, call: cst.Call, at: Point) -> tuple[cst.Lambda, Point] | None:
        """The one-parameter lambda a call `f(x)` applies (`f = lambda x: ...`), and where it is defined."""
        if not (isinstance(call.func, cst.Name) and len(call.args) == 1):
            return None
        target, where = self.analysis.binder.follow(call.func, at)
        if isinstance(target, cst.Lambda) and len(target.params.params) == 1:
            return target, where
        return None

    def _range_scale(self, call: cst.Call) -> InputScale | None:
        """`range(0, 1000)`, `np.arange(n)`, `np.linspace(-1, 20, 101)` with literal end points: the largest
        magnitude (linspace's third argument is a count, not a value), and the root mean square of the values where
        every argument is a literal."""
        bounds = [numeric_literal(arg.value) for arg in call.args[:2]]
        known = [bound for bound in bounds if bound is not None]
        if bounds and len(known) == len(bounds):
            return InputScale(max(abs(bound) for bound in known), f"{self.analysis.code_of(call)} values",
                              rms=_root_mean_square(_range_values(call)))
        return None

    def data_shape(self, expr: cst.BaseExpression | None, scope: Scope) -> tuple[int | None, ...] | None:
        """The shape of an array built from a literal shape: `np.zeros((n, 20, 1))`, `np.random.random((n, k))`,
        `np.random.rand(n, k)`, `tf.random.normal((n, k))`, followed through names (dims None where not known)."""
        if isinstance(expr, cst.Name):
            expr, at = self.analysis.binder.follow(expr, At(scope))
            scope = at.scope
            bound = self.analysis.binder.resolve(expr.value, at) if isinstance(expr, cst.Name) else None
            if bound is not None and isinstance(bound.value, Unpacked):  # `X, y = make_regression(100, 9)`
                return self._generated_shape(bound.value, bound.scope)
        while isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Multiply, cst.Divide, cst.Add)):
            expr = expr.left  # `np.random.rand(n, k) * 100`
        if not isinstance(expr, cst.Call):
            return None
        dims = self._shape_argument(expr, scope)
        if dims is None:
            return None
        return tuple(self._dimension(dim, scope) for dim in dims)

    def _dimension(self, dim: cst.BaseExpression, scope: Scope, depth: int = 0) -> int | None:
        """One dimension of a literal shape: a number, a name resolving to one, or integer arithmetic on those
        (`num_times // 2`, `2 * n`, `half = n // 2`), as shapes are written from module constants."""
        if depth > _MAX_DIMENSION_DEPTH:  # `n = n // 2` chains, and self-references the binder cannot order
            return None
        if isinstance(dim, cst.Name):
            followed, at = self.analysis.binder.follow(dim, At(scope))
            if isinstance(followed, cst.BinaryOperation):
                return self._dimension(followed, at.scope, depth + 1)
        if isinstance(dim, cst.BinaryOperation) and type(dim.operator) in _DIMENSION_ARITHMETIC:
            left, right = self._dimension(dim.left, scope, depth + 1), self._dimension(dim.right, scope, depth + 1)
            if left is None or right is None or (isinstance(dim.operator, cst.FloorDivide) and right == 0):
                return None
            return _DIMENSION_ARITHMETIC[type(dim.operator)](left, right)
        number = self.picture.layers.number(dim, scope)
        return int(number) if number is not None and number == int(number) else None

    def _shape_argument(self, call: cst.Call, scope: Scope) -> list[cst.BaseExpression] | None:
        """The dimensions a call that builds an array is given: `np.random.rand(n, k)` as arguments, the others
        as a literal tuple or list (`np.zeros((n, k))`, `np.random.normal(0, 1, size=(n, k))`, through a name)."""
        qualified = self.analysis.qualified_name(call.func)
        name = normalize(qualified) if qualified else ""
        if name in ("numpy.random.rand", "numpy.random.randn"):
            return [arg.value for arg in call.args if arg.keyword is None]
        if name not in _SHAPED_ARRAYS:
            return None
        given = argument(call, 0, "shape") if not name.startswith("numpy.random.") or name == "numpy.random.random" \
            else keyword(call, "size")
        if name == "numpy.random.randint" and given is None:
            given = argument(call, 2, "size")
        if isinstance(given, cst.Name):
            given, _ = self.analysis.binder.follow(given, At(scope))
        if not isinstance(given, (cst.Tuple, cst.List)):
            return None
        return [element.value for element in given.elements]

    def _generated_shape(self, unpacked: Unpacked, scope: Scope) -> tuple[int | None, ...] | None:
        """The shape of `X` or `y` in `X, y = make_regression(n_samples, n_features, ...)` (scikit-learn's
        synthetic data sets: X is (n_samples, n_features), y (n_samples,) or (n_samples, n_targets))."""
        call = unpacked.source
        qualified = self.analysis.qualified_name(call.func) if isinstance(call, cst.Call) else None
        if not isinstance(call, cst.Call) or qualified not in _GENERATED_DATA:
            return None
        defaults = _GENERATED_DATA[qualified]

        def size(position: int, name: str) -> int | None:
            given = argument(call, position, name)
            number = self.picture.layers.number(given, scope) if given is not None else defaults.get(name)
            return int(number) if number is not None else None

        samples = size(0, "n_samples")
        if unpacked.index == 0:
            return (samples, size(1, "n_features"))
        if unpacked.index == 1:
            targets = size(3, "n_targets") if "n_targets" in defaults else 1
            return (samples,) if targets == 1 else (samples, targets)
        return None

    def never_used(self, call: CallSite) -> bool:
        """`sgd = SGD(...)` whose name is never read afterwards in its function (or module)."""
        statement = call.site.statement
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        assign = next((small for small in statement.body if isinstance(small, cst.Assign) and small.value is call.node),
                      None)
        if assign is None or not isinstance(assign.targets[0].target, cst.Name):
            return False
        target = assign.targets[0].target
        return not any(isinstance(node, cst.Name) and node.value == target.value and node is not target
                       for node in descendants(call.site.scope.node))

    # -- TF1 graphs ---------------------------------------------------------------------------
    def graph_trainings(self) -> list[GraphTraining]:
        """`train = optimizer.minimize(loss)` run as `sess.run(train, feed_dict={x: data, ...})`: the optimizer, the
        scale of the inputs fed (the targets, subtracted directly in the loss, left out), whether the loss is squared."""
        found: list[GraphTraining] = []
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "minimize"):
                continue
            optimizer = self.optimizer(func.value, call.site.scope, seq=call.site.seq)
            loss = argument(call.node, 0, "loss")
            train_op = _assigned_name(call)
            if optimizer is None or loss is None or train_op is None:
                continue
            located_parts = self._expression_parts(loss, call.site)
            loss_parts = [part for part, _ in located_parts]
            squared = any(self._squared_error(part, where) for part, where in located_parts)
            targets = {operand.value for part in loss_parts
                       if isinstance(part, cst.BinaryOperation) and isinstance(part.operator, cst.Subtract)
                       for operand in (part.left, part.right) if isinstance(operand, cst.Name)}
            squared_inputs = {part.left.value for part in loss_parts if _squares_a_name(part)
                              and isinstance(part, cst.BinaryOperation) and isinstance(part.left, cst.Name)}
            runs = self._session_runs(train_op)
            scales = [scale for run in runs for scale in self._fed_scales(run, targets)]
            scales += self._constant_input_scales(located_parts, targets) if runs else []
            scale = max(scales, key=lambda fed: -1.0 if fed.magnitude is None else fed.magnitude) if scales else None
            power = 2 if any(squared_inputs & self._fed_inputs(run, targets) for run in runs) else 1
            summed = max((self._summed_lookups(part) for part in loss_parts if isinstance(part, cst.Call)), default=1)
            found.append(GraphTraining(optimizer, scale, squared, power, summed))
        return found

    def _summed_lookups(self, loss: cst.Call) -> int:
        """How many embedding lookups a sampled loss's `inputs` sums: `embed += tf.nn.embedding_lookup(E, x[:, i])`
        in a `for i in range(k)` loop (CBOW written as a sum), or `tf.reduce_sum(tf.nn.embedding_lookup(E, x), 1)`
        over ids fed as a (batch, k) placeholder; 1 for anything else (a mean, one lookup, a loss of another kind)."""
        qualified = self.analysis.qualified_name(loss.func)
        site = self.analysis.sites.get(loss)
        inputs = argument(loss, 3, "inputs")
        if (qualified is None or normalize(qualified).rsplit(".", 1)[-1] not in _SAMPLED_LOSSES
                or site is None or not isinstance(inputs, cst.Name)):
            return 1
        for call in self.analysis.calls:
            if not _is_lookup(self.analysis, call.node) or call.site.scope is not site.scope:
                continue
            statement = call.site.statement
            added = isinstance(statement, cst.SimpleStatementLine) and any(
                isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)
                and small.value is call.node and isinstance(small.target, cst.Name) and small.target.value == inputs.value
                for small in statement.body)
            count = self._range_count(call.site.loop, call.site) if added else None
            if count is not None:
                return count
        bound, at = self.analysis.binder.follow(inputs, site)
        return self._reduced_lookup(bound, at) or 1

    def _range_count(self, loop: cst.For | None, at: Point) -> int | None:
        """The number of iterations of `for i in range(k)` with k a constant."""
        if loop is None or not isinstance(loop.iter, cst.Call) or not isinstance(loop.iter.func, cst.Name) \
                or loop.iter.func.value != "range" or len(loop.iter.args) != 1:
            return None
        count = self.analysis.values.constant(loop.iter.args[0].value, at)
        return int(count) if count is not None and count >= 1 else None

    def _reduced_lookup(self, expr: cst.BaseExpression, at: Point) -> int | None:
        """`tf.reduce_sum(tf.nn.embedding_lookup(E, ids), 1)` with `ids` a `tf.placeholder(..., [batch, k])`: k."""
        if not isinstance(expr, cst.Call) or self.analysis.op_of_call(expr) is not Op.REDUCE_SUM:
            return None
        axis, summed = argument(expr, 1, "axis"), argument(expr, 0, "input_tensor")
        if axis is None or summed is None or self.analysis.values.constant(axis, at) != 1:
            return None
        lookup, where = self.analysis.binder.follow(summed, at)
        ids = argument(lookup, 1, "ids") if isinstance(lookup, cst.Call) and _is_lookup(self.analysis, lookup) else None
        if ids is None:
            return None
        placeholder, where = self.analysis.binder.follow(ids, where)
        qualified = self.analysis.qualified_name(placeholder.func) if isinstance(placeholder, cst.Call) else None
        shape = argument(placeholder, 1, "shape") if isinstance(placeholder, cst.Call) else None
        if qualified is None or normalize(qualified).rsplit(".", 1)[-1] != "placeholder" \
                or not isinstance(shape, (cst.List, cst.Tuple)) or len(shape.elements) != 2:
            return None
        count = self.analysis.values.constant(shape.elements[1].value, where)
        return int(count) if count is not None and count >= 1 else None


    def _expression_parts(self, expr: cst.BaseExpression, at: Point) -> list[tuple[cst.BaseExpression, Point]]:
        """Every sub-expression of `expr`, names followed to what they are bound to and module functions' calls to
        what they return (a few levels), each with the point its names are read at."""
        parts: list[tuple[cst.BaseExpression, Point]] = []
        stack: list[tuple[cst.CSTNode, Point, int]] = [(expr, at, 0)]
        while stack and len(parts) < 500:
            node, where, depth = stack.pop()
            if isinstance(node, cst.Name) and depth < 4:
                bound = self.analysis.binder.resolve(node.value, where)
                if bound is not None and bound.expression is not None:
                    stack.append((bound.expression, bound.at, depth + 1))
            elif isinstance(node, cst.Call) and depth < 4:  # what a module helper returns (`mse(y, y_)`)
                helper = self.analysis.values.called_function(node, where)
                if helper is not None:
                    stack.extend((returned, At(helper, END), depth + 1) for returned in helper.returns)
            if isinstance(node, cst.BaseExpression):
                parts.append((node, where))
            stack.extend((child, where, depth) for child in children(node))
        return parts

    def _constant_input_scales(self, parts: list[tuple[cst.BaseExpression, Point]],
                               targets: set[str]) -> list[InputScale]:
        """The scale of data built into the graph instead of fed (`y = W * x_data + b` with `x_data` a NumPy
        array, trained by `sess.run(train)`): a factor of a product or matmul whose other factor is a trainable
        weight. The targets, subtracted in the loss, are left out, as for fed data."""
        scales = []
        for part, at in parts:
            if isinstance(part, cst.BinaryOperation) and isinstance(part.operator, (cst.Multiply, cst.MatrixMultiply)):
                factors = [part.left, part.right]
            elif isinstance(part, cst.Call) and self.analysis.op_of_call(part) in (Op.MATMUL, Op.MULTIPLY):
                factors = [arg.value for arg in part.args if arg.keyword is None][:2]
            else:
                continue
            if len(factors) != 2:
                continue
            for data, weight in (factors, factors[::-1]):
                if isinstance(data, cst.Name) and data.value not in targets \
                        and self.analysis.values.is_weight(weight, at):
                    scale = self.input_scale(data, at)
                    if scale is not None:
                        scales.append(scale)
        return scales

    def _squared_error(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A squared residual: the square of a difference (`square(y - y_)`, `(W * x + b - y) ** 2`, `pow(err, 2)`
        with `err = y - pred`, `squared_difference(y, p)`, `l2_loss(pred - y)`) or a Keras squared loss. A square
        of something else (a quadratic feature `X * X`, a weight decay `l2_loss(W)`) is no least-squares objective."""
        qualified = self.analysis.qualified_name(expr.func) if isinstance(expr, cst.Call) else None
        short = normalize(qualified).rsplit(".", 1)[-1] if qualified is not None else None
        if short in SQUARED_LOSSES and short != "l2_loss":
            return True
        base = argument(expr, 0, "t") if short == "l2_loss" and isinstance(expr, cst.Call) \
            else self.analysis.squared_base(expr)
        if base is None:
            return False
        base, _ = self.analysis.binder.follow(base, at)
        base = self.analysis.operator_form(base) or base
        return isinstance(base, cst.BinaryOperation) and isinstance(base.operator, cst.Subtract)

    def _session_runs(self, train_op: str) -> list[CallSite]:
        """`<session>.run(fetches, feed_dict)` calls whose fetches name `train_op` (alone or in a list)."""
        runs = []
        for call in self.analysis.calls:
            func = call.node.func
            fetches = argument(call.node, 0, "fetches")
            if not (isinstance(func, cst.Attribute) and func.attr.value == "run") or fetches is None:
                continue
            named = [element.value for element in fetches.elements] if isinstance(fetches, (cst.List, cst.Tuple)) \
                else [fetches]
            if any(isinstance(name, cst.Name) and name.value == train_op for name in named):
                runs.append(call)
        return runs

    def _fed(self, run: CallSite, targets: set[str]) -> list[cst.DictElement]:
        """The `feed_dict` entries of a session run that feed inputs (not the targets the loss subtracts)."""
        feed = argument(run.node, 1, "feed_dict")
        if isinstance(feed, cst.Name):
            feed, _ = self.analysis.binder.follow(feed, run.site)
        if not isinstance(feed, cst.Dict):
            return []
        return [element for element in feed.elements if isinstance(element, cst.DictElement)
                and not (isinstance(element.key, cst.Name) and element.key.value in targets)]

    def _fed_inputs(self, run: CallSite, targets: set[str]) -> set[str]:
        return {element.key.value for element in self._fed(run, targets) if isinstance(element.key, cst.Name)}

    def _fed_scales(self, run: CallSite, targets: set[str]) -> list[InputScale]:
        scales = []
        for element in self._fed(run, targets):
            scale = self.input_scale(element.value, run.site)  # `for x, y in data: ...{X: x}`: a row of data
            if scale is not None:
                scales.append(scale)
        return scales

    # -- linking ------------------------------------------------------------------------------
    def setups(self) -> dict[cst.CSTNode, TrainingSetup]:
        """Each model's training set-up: what its own calls show, plus what trains a model containing it."""
        own = self._observed()
        contained_in: dict[cst.CSTNode, list[Model]] = {}
        for model in self.picture.structures.values():
            for inner in (*model.contains, *self._held(model)):
                if inner in own and inner is not model.node:
                    contained_in.setdefault(inner, []).append(model)
        setups: dict[cst.CSTNode, TrainingSetup] = {}
        for node in own:
            self._resolve(node, frozenset({node}), own, contained_in, setups)
        return setups

    def _observed(self) -> dict[cst.CSTNode, _Observed]:
        """What the module's own calls say about each model: `fit` and `compile` on it, an optimizer updating its
        weights in a custom loop."""
        own = {node: _Observed() for node in self.picture.structures}
        for call in self.analysis.calls:
            func = call.node.func
            if not isinstance(func, cst.Attribute):
                continue
            method = func.attr.value
            if method in ("apply_gradients", "apply", "minimize"):
                self._link_update(call, own)
                continue
            if method != "compile" and method not in FIT_METHODS:
                continue
            model = self.picture.model_of(func.value, call.site.scope, call.site.seq)
            if model is None:
                for wrapped in self._wrapped(func.value, call.site):
                    own[wrapped.node].by.append(f"{method} of '{self.analysis.spelled(func.value)}', which wraps it")
                    own[wrapped.node].calls.append(call)
                continue
            own[model.node].calls.append(call)
            if method in FIT_METHODS:
                self._link_fit(call, method, own[model.node])
            else:
                self._link_compile(call, model, own[model.node])
        return own

    def _wrapped(self, receiver: cst.BaseExpression, point: Point, depth: int = 0) -> list[Model]:
        """The models a wrapper the module cannot see into was built from: `w = MinDiffModel(model, loss)`,
        `w = KerasClassifier(model)`, `w = quantize_model(model)`, `w = clone_model(model)`, a wrapper of a
        wrapper. Compiling or fitting `w` trains them (which optimizer, the wrapper's code says). A call whose
        result the module knows as a model is not a wrapper (`model_of` links that one)."""
        built, at = self.analysis.binder.follow(receiver, point)
        if not isinstance(built, cst.Call) or depth > 2:
            return []
        found: list[Model] = []
        for arg in built.args:
            inner = self.picture.model_of(arg.value, at.scope, at.seq)
            found.extend([inner] if inner is not None else self._wrapped(arg.value, at, depth + 1))
        return found

    def _link_fit(self, call: CallSite, method: str, entry: _Observed) -> None:
        """`model.fit(x, y)`: the model is trained; the data's scale and literal shape where the code shows them."""
        x, y = argument(call.node, 0, "x"), argument(call.node, 1, "y")
        entry.by.append(method)
        entry.scale = entry.scale or self.input_scale(x, call.site)
        entry.target = entry.target or self.input_scale(y, call.site)
        entry.x = entry.x or self.data_shape(x, call.site.scope)
        entry.y = entry.y or self.data_shape(y, call.site.scope)

    def _link_compile(self, call: CallSite, model: Model, entry: _Observed) -> None:
        """`model.compile(optimizer, loss)`: its loss, and its optimizer unless the model overrides `compile`."""
        entry.by.append("compile")
        entry.compile = call.node
        loss = argument(call.node, 1, "loss")
        entry.loss = self.loss(loss, call.site.scope) if loss is not None else None
        if self._overrides(model, "compile"):
            entry.custom_compile = True  # its train_step says which optimizer trains what
            return
        given = argument(call.node, 0, "optimizer")
        if given is not None:
            optimizer = self.optimizer(given, call.site.scope, seq=call.site.seq)
            if optimizer is not None:
                entry.optimizers.append(optimizer)
            else:
                entry.unresolved = True

    def _resolve(self, node: cst.CSTNode, seen: frozenset[cst.CSTNode], own: dict[cst.CSTNode, _Observed],
                 contained_in: dict[cst.CSTNode, list[Model]], setups: dict[cst.CSTNode, TrainingSetup]
                 ) -> TrainingSetup:
        """The set-up of one model (memoized in `setups`): what trains a container trains what it contains,
        unless the contained model is linked to an optimizer directly."""
        if node in setups:
            return setups[node]
        entry = own[node]
        by, optimizers, unresolved, scale = list(entry.by), list(entry.optimizers), entry.unresolved, entry.scale
        if by and len(entry.calls) == len(by) and not any(local_use_trains(self.analysis, call)
                                                           for call in entry.calls):
            # compiled (or fit under assertRaises) through a name its function never trains: `w.compile(...)`
            # then only `w.evaluate(...)`, `w.test_step(...)`, `w.load_weights(...)`
            by, optimizers, unresolved = [], [], False
        for container in contained_in.get(node, ()):
            if container.node in seen:
                continue
            outer = self._resolve(container.node, seen | {node}, own, contained_in, setups)
            if not outer.trained:
                continue
            by.append(f"the model '{container.name}' containing it")
            if not optimizers and not own[container.node].custom_compile:
                optimizers.extend(outer.optimizers)
                unresolved = unresolved or outer.unresolved_optimizer
            scale = scale or outer.input_scale
        if set(by) == {"compile"} and self._only_a_fixture_compiles(node, entry):
            by, optimizers, unresolved = [], [], False
        if by and not optimizers:  # trained, by an optimizer this module does not show
            unresolved = True
        if _takes_ids(self.picture.structures[node]):
            scale = None  # token or category ids (`np.random.randint(0, 1999, ...)` into an Embedding), not magnitudes
        setup = TrainingSetup(tuple(dict.fromkeys(by)), tuple(optimizers), unresolved, entry.loss, entry.compile,
                              _scaled_inside(self.picture.structures[node], scale), entry.x, entry.y, scale,
                              entry.target)
        setups[node] = setup
        return setup

    def _only_a_fixture_compiles(self, node: cst.CSTNode, entry: _Observed) -> bool:
        """The model is compiled by a pytest fixture that provides it, and none of the tests and fixtures that
        request the fixture trains it (analysis/model_uses.py): compiled, never trained."""
        site = self.analysis.sites.get(entry.compile) if entry.compile is not None else None
        if site is None or not isinstance(site.scope.node, cst.FunctionDef):
            return False
        fixture = site.scope
        model = self.picture.structures[node]
        if not any(self.picture.model_of(value, fixture) is model for value in provided(fixture)):
            return False
        return requesters_may_train(self.analysis, fixture) is False

    def _overrides(self, model: Model, method: str) -> bool:
        return isinstance(model.node, cst.ClassDef) and method in self.analysis.classes[model.node.name.value].methods

    def _held(self, model: Model) -> list[cst.CSTNode]:
        """Models passed to the constructor of a subclassed model's instances (a GAN's generator and
        discriminator, a VAE's encoder and decoder)."""
        if not isinstance(model.node, cst.ClassDef):
            return []
        held: list[cst.CSTNode] = []
        info = self.analysis.classes[model.node.name.value]
        for bindings in info.attributes.values():  # `self.encoder = build_encoder()`
            for method, _, value in bindings:
                inner = self.picture.model_of(value, method) if isinstance(value, cst.BaseExpression) else None
                if inner is not None:
                    held.append(inner.node)
        for call in self.analysis.calls:
            if isinstance(call.node.func, cst.Name) and call.node.func.value == model.node.name.value:
                for arg in call.node.args:
                    inner = self.picture.model_of(arg.value, call.site.scope, call.site.seq)
                    if inner is not None:
                        held.append(inner.node)
        return held

    def _link_update(self, call: CallSite, own: dict[cst.CSTNode, _Observed]) -> None:
        """`optimizer.apply_gradients(zip(grads, model.trainable_variables))`: the optimizer trains the model."""
        func = call.node.func
        if not isinstance(func, cst.Attribute):  # setups() links only `<receiver>.<method>(...)` calls
            return
        receiver = func.value
        pairs = argument(call.node, 0, "grads_and_vars")
        if func.attr.value == "minimize":
            variables = argument(call.node, 1, "var_list")
        elif func.attr.value == "apply":  # Keras 3: `optimizer.apply(grads, model.trainable_weights)`
            variables = argument(call.node, 1, "trainable_variables")
        elif isinstance(pairs, cst.Call) and isinstance(pairs.func, cst.Name) and pairs.func.value == "zip" \
                and len(pairs.args) >= 2:
            variables = pairs.args[1].value
        else:
            return
        if not (isinstance(variables, cst.Attribute) and variables.attr.value in _WEIGHTS):
            return
        scope = call.site.scope
        for model, optimizer_expr, optimizer_scope in self._instances(variables.value, receiver, scope, call.site.seq):
            entry = own[model.node]
            entry.by.append("a custom training loop")
            optimizer = self.optimizer(optimizer_expr, optimizer_scope) if optimizer_expr is not None else None
            if optimizer is not None:
                entry.optimizers.append(optimizer)
            else:
                entry.unresolved = True

    def _instances(self, holder: cst.BaseExpression, receiver: cst.BaseExpression, scope: Scope, seq: int
                   ) -> list[tuple[Model, cst.BaseExpression | None, Scope]]:
        """(model, optimizer expression, its scope) for the model `holder` names and the optimizer `receiver`
        names; through `self.attr` inside a class, once per instance of that class built in the module."""
        if not _is_self_attribute(holder) and not _is_self_attribute(receiver) and not _is_self(holder):
            model = self.picture.model_of(holder, scope, seq)
            return [(model, receiver, scope)] if model is not None else []
        owner: Scope | None = scope
        while owner is not None and owner.class_name is None:
            owner = owner.parent
        if owner is None or owner.class_name is None:
            return []
        info = self.analysis.classes[owner.class_name]
        found: list[tuple[Model, cst.BaseExpression | None, Scope]] = []
        for instance in self.analysis.calls:
            if not (isinstance(instance.node.func, cst.Name) and instance.node.func.value == info.name):
                continue
            if _is_self(holder):
                model = self.picture.structures.get(info.node)
            elif _is_self_attribute(holder):
                model = self._attribute_value(info, holder, instance)
            else:  # a model local to the method (`model.trainable_variables`) under `self.optimizer`
                model = self.picture.model_of(holder, scope, seq)
            if model is None:
                continue
            if _is_self_attribute(receiver):
                optimizer_expr, optimizer_scope = self._compiled_attribute(info, receiver.attr.value, instance)
            else:
                optimizer_expr, optimizer_scope = receiver, scope
            found.append((model, optimizer_expr, optimizer_scope))
        return found

    def _attribute_value(self, info: ClassInfo, attribute: cst.Attribute, instance: CallSite) -> Model | None:
        """The model held in `self.<attr>` of an instance: assigned from a constructor parameter (what the
        instance's construction passes) or built in place."""
        for bound in reversed(self.analysis.binder.attribute(info, attribute.attr.value)):
            value = bound.expression
            if isinstance(value, cst.Name) and value.value in bound.scope.params:
                passed = self._passed(bound.scope, value.value, instance.node)
                return self.picture.model_of(passed, instance.site.scope, instance.site.seq) if passed is not None else None
            if value is not None:
                return self.picture.model_of(value, bound.scope)
        return None

    def _compiled_attribute(self, info: ClassInfo, name: str, instance: CallSite
                            ) -> tuple[cst.BaseExpression | None, Scope]:
        """The optimizer in `self.<name>`: `self.optimizer` is `compile(optimizer=...)`; `self.d_optimizer` set
        from a parameter of an overriding `compile` is that argument of the instance's `compile` call."""
        compile_method = info.methods.get("compile")
        parameter = "optimizer" if name == "optimizer" else None
        if compile_method is not None:
            for bound in self.analysis.binder.attribute(info, name):
                if isinstance(bound.expression, cst.Name) and bound.expression.value in compile_method.params:
                    parameter = bound.expression.value
        if parameter is None:
            return None, instance.site.scope
        instance_name = _assigned_name(instance)
        for call in self.analysis.calls:
            func = call.node.func
            if (isinstance(func, cst.Attribute) and func.attr.value == "compile" and isinstance(func.value, cst.Name)
                    and func.value.value == instance_name):
                passed = (self._passed(compile_method, parameter, call.node) if compile_method is not None
                          else argument(call.node, 0, "optimizer"))
                return passed, call.site.scope
        return None, instance.site.scope

    @staticmethod
    def _passed(function: Scope, parameter: str, call: cst.Call) -> cst.BaseExpression | None:
        """The argument a call passes for `parameter` (by keyword only, when the function takes it in **kwargs)."""
        if parameter not in function.params:
            return argument(call, 1 << 30, parameter)
        index = function.params.index(parameter) - (1 if function.class_name else 0)
        return argument(call, index, parameter)


def _is_standard_deviation(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """`x.std()`, `np.std(x)`, `tf.math.reduce_std(x)`, or a name bound to one."""
    if isinstance(expr, cst.Name):
        expr, _ = analysis.binder.follow(expr, at)
    return isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.REDUCE_STD


def _squares_a_name(expr: cst.BaseExpression) -> bool:
    """`X * X` or `X ** 2`."""
    if not isinstance(expr, cst.BinaryOperation) or not isinstance(expr.left, cst.Name):
        return False
    if isinstance(expr.operator, cst.Multiply):
        return isinstance(expr.right, cst.Name) and expr.right.value == expr.left.value
    return isinstance(expr.operator, cst.Power) and numeric_literal(expr.right) == 2


def _root_mean_square(values: list[float]) -> float | None:
    return (sum(value * value for value in values) / len(values)) ** 0.5 if values else None


def _times(rms: float | None, factor: float) -> float | None:
    return rms * factor if rms is not None else None


# Ranges longer than this are not enumerated for their root mean square (their largest value stands in).
_MAX_RANGE_VALUES = 1_000_000


def _range_values(call: cst.Call) -> list[float]:
    """The values of `range(stop)`/`range(start, stop[, step])` (and `arange`) or `linspace(start, stop[, num])`
    written with literal arguments only; empty where an argument is not a literal or there are too many values."""
    positional = [numeric_literal(arg.value) for arg in call.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: numeric_literal(arg.value) for arg in call.args if arg.keyword is not None}
    if None in positional or None in keywords.values() or not positional:
        return []
    numbers = [value for value in positional if value is not None]
    short = call.func.attr.value if isinstance(call.func, cst.Attribute) else \
        (call.func.value if isinstance(call.func, cst.Name) else "")
    if short in ("linspace", "lin_space"):
        if len(numbers) < 2 or set(keywords) - {"num"}:
            return []
        count = int(numbers[2] if len(numbers) > 2 else keywords.get("num") or 50)
        if count < 1 or count > _MAX_RANGE_VALUES:
            return []
        start, stop = numbers[0], numbers[1]
        return [start + (stop - start) * index / max(count - 1, 1) for index in range(count)]
    if keywords:
        return []
    start, stop, step = (0.0, numbers[0], 1.0) if len(numbers) == 1 else \
        (numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else 1.0)
    count = int(-(-(stop - start) // step)) if step else 0
    if count < 1 or count > _MAX_RANGE_VALUES:
        return []
    return [start + step * index for index in range(count)]


# Layers whose inputs are integer ids (looked up or encoded), so the size of the values fed is not a scale.
_ID_INPUT_LAYERS = frozenset({"Embedding", "CategoryEncoding", "IntegerLookup", "StringLookup", "Hashing",
                              "TextVectorization"})


def _takes_ids(model: Model) -> bool:
    """Whether the model's first layer that reads its input takes ids (an Embedding, a lookup)."""
    first = next((layer for layer in model.layers if layer.kind not in ("InputLayer", "Masking")), None)
    return first is not None and first.kind in _ID_INPUT_LAYERS


def _scaled_inside(model: Model, scale: InputScale | None) -> InputScale | None:
    """The scale the first weighted layer sees: a leading `Rescaling(1/255)` or `Normalization()` rescales."""
    if scale is None:
        return None
    for layer in model.layers:
        if layer.kind == "Normalization":
            return InputScale(1.0, f"{scale.source}, normalized by a Normalization layer", centered=True)
        if layer.kind == "Rescaling":
            factor = numeric_literal(argument(layer.node, 0, "scale")) if isinstance(layer.node, cst.Call) else None
            return InputScale(scale.magnitude * factor, f"{scale.source}, rescaled x{factor:g}",
                              rms=_times(scale.rms, abs(factor))) if factor and scale.magnitude is not None else None
        if layer.kind in WEIGHTED or layer.kind in RECURRENT or layer.kind == UNKNOWN:
            break
    return scale


def _is_self(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "self"


def _is_self_attribute(expr: cst.BaseExpression) -> TypeGuard[cst.Attribute]:
    return isinstance(expr, cst.Attribute) and _is_self(expr.value)


def _is_lookup(analysis: ModuleAnalysis, call: cst.Call) -> bool:
    qualified = analysis.qualified_name(call.func)
    return qualified is not None and normalize(qualified).rsplit(".", 1)[-1] == "embedding_lookup"


def _assigned_name(call: CallSite) -> str | None:
    statement = call.site.statement
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign) and small.value is call.node and isinstance(small.targets[0].target, cst.Name):
                return small.targets[0].target.value
    return None


# Measured (nanlint/rules/NAN101.yaml): ReLU MLPs under plain SGD went NaN at these (input magnitude, learning rate)
# points and stayed finite under Adam everywhere tested. A set-up at least as large in both is graded likely.
SGD_DIVERGENCE = ((1.0, 10.0, "lr=10 on inputs in [0, 1] went NaN at step 9"),
                  (100.0, 0.1, "lr=0.1 with inputs x100 went NaN at step 7"),
                  (1e4, 0.01, "lr=0.01 with inputs x1e4 went NaN at step 6"))


# Keras' squared losses, which average over the output units.
SQUARED_LOSSES = frozenset({"mse", "MSE", "mean_squared_error", "MeanSquaredError", "l2_loss"})
# Gradient descent on a squared loss overshoots once lr x curvature >= 1, the curvature being
# features x (input magnitude)^2 / outputs. Measured NaN at 3.07 (Dense(100, input_dim=9216) + Dense(30), MSE,
# SGD(0.01, momentum 0.9), inputs uniform in [0, 1]: first epoch), 3.96 and 39.6 (Dense(1) on range(200), lr 1e-4
# and 1e-3); finite at 0.26-0.40 (784 features at lr 0.01, 9216 at lr 1e-3, range(200) at lr 1e-5). Where the code
# does not show the scale, the inputs count as [0, 1] and the set-up must reach the measured 3.07.
_CURVATURE_SHOWN, _CURVATURE_UNSHOWN = 1.0, 3.0
# Where the code shows every value (a literal list, a range, a linspace), the curvature is the mean one, features x
# mean(x^2) / outputs: plain gradient descent on a mean squared error diverges once lr x mean(x^2) > 1 (the Hessian's
# largest eigenvalue is 2 mean(x^2), the step limit 2 / that). Measured (TF eager, float32, x = 5, 10, ..., 40 as in
# Stack Overflow 48335501, 3000 steps): NaN at lr x mean(x^2) = 1.02 (lr 1.6e-3, step 990), 1.28 (step 94) and 6.38
# (lr 0.01, step 17); finite at 0.96 and 0.64 (lr 1e-3). The measurements above in these terms: NaN at 1.32
# (range(200), lr 1e-4) and 1.02 (9216 inputs uniform in [0, 1]), finite at 0.09-0.13.
_MEASURED_MEAN_CURVATURE = ("measured: NaN at 1.02 and 6.38 (x = 5, 10, ..., 40, lr 1.6e-3 and 0.01) and at 1.32 "
                            "(range(200), lr 1e-4), finite at 0.96 and 0.64 (x up to 40, lr 1.5e-3 and 1e-3)")
# A stack of weighted layers fitting targets of magnitude T grows its weights until the curvature is ~T: measured for
# two linear Dense(1), MSE, standardized inputs: NaN at lr x T = 9.8 (targets 9804, lr 1e-3), 10 (targets 1e3, lr
# 1e-2) and 98; finite at 1.0 (targets 1e3 at lr 1e-3, 100 at lr 1e-2); one Dense finite at all of them.
_TARGET_CURVATURE = 9.0
# Raw units read from a file are reported where values of this size (two digits: budgets, counts, prices, sensor
# readings) already make lr x curvature reach 1.
_RAW_UNITS = 10.0


# Targets whose every value (or expected size) the code shows, by their root mean square T: an MLP (Dense(25, relu,
# he_uniform) + Dense(1), MSE, batch 32, 500 samples of N(0, 1) inputs, targets make_regression-style X @ coef with
# coef 100 x U[0, 1) on min(10, features) features; TF 2.21 / Keras 3 CPU, 100 epochs) went NaN in the first or
# second epoch at these (features, momentum, lr x T) points: a set-up with at least as many features, at least that
# momentum and at least that lr x T is graded likely. Finite: lr x T = 0.77 and 0.46 (20 features), 0.85 (5), 1.15
# and 0.38 (1), and 0.15 with momentum 0.9 (20 features).
_TARGET_RMS_DIVERGENCE = ((20, 0.9, 0.46, "NaN at 0.46 (20 features, lr 3e-3 or targets / 3 at lr 0.01, momentum 0.9), "
                                          "finite at 0.15"),
                          (20, 0.0, 1.53, "NaN at 1.53 (20 features, lr 0.01), finite at 0.77"),
                          (5, 0.0, 2.55, "NaN at 2.55 (5 features, lr 0.03), finite at 0.85"),
                          (1, 0.0, 3.8, "NaN at 3.8 (1 feature, lr 0.1), finite at 1.15"))


def _target_rms_divergence(optimizer: Optimizer, target: InputScale | None, features: int | None) -> str | None:
    """Why a stack of layers fitting targets of root mean square T under a squared loss diverges, when its set-up
    is at least a measured NaN in features, momentum and lr x T; None otherwise."""
    rate = optimizer.learning_rate
    if target is None or target.centered or target.rms is None or rate is None:
        return None
    product = rate * target.rms
    for least_features, least_momentum, least_product, measured in _TARGET_RMS_DIVERGENCE:
        if (features or 1) >= least_features and optimizer.momentum >= least_momentum and product >= least_product:
            momentum = f" with momentum {optimizer.momentum:g}" if optimizer.momentum else ""
            return (f"the targets are {target.source} and the early errors are that large: lr x target root mean "
                    f"square = {product:.3g}{momentum} on {features or 1} features, at least the measured MLP "
                    f"regression under MSE that went NaN in its first epochs ({measured})")
    return None


@dataclass(frozen=True)
class DivergenceRisk:
    optimizer: Optimizer
    measured: str  # why the set-up diverges, with the measurement it is at least as bad as
    scale: InputScale | None
    remedy: str = "scale the inputs (divide, or a Normalization layer) or lower the learning rate"
    grade: str = "likely"  # with the condition it rests on, where the code does not show all of the set-up

    @property
    def learning_rate(self) -> float:
        """The optimizer's rate: `sgd_divergence` grades only optimizers whose rate it read."""
        assert self.optimizer.learning_rate is not None
        return self.optimizer.learning_rate

    def describe(self) -> str:
        scale = f" on {self.scale.source}" if self.scale is not None else ""
        return f"{self.optimizer.describe()}{scale}: {self.measured}"


def sgd_divergence(model: Model) -> DivergenceRisk | None:
    """The unclipped SGD that trains the model, when its set-up is at least that of a measured divergence; None for
    adaptive optimizers, clipped ones, unknown ones and untrained models.

    Three measurements: ReLU MLPs (SGD_DIVERGENCE); least squares, where gradient descent overshoots once lr x
    curvature >= 1 (features x input magnitude^2 / outputs under a squared loss; magnitude^2 otherwise); and a stack
    of layers fitting large targets under a squared loss (lr x target magnitude >= 9)."""
    setup = model.setup
    if setup is None or not setup.trained:
        return None
    scale = setup.input_scale
    magnitude = scale.magnitude if scale is not None and scale.magnitude is not None else 1.0
    squared = setup.loss is not None and setup.loss.name in SQUARED_LOSSES
    features = _features(model) if squared else None
    outputs = (model.output_units() or 1) if squared else 1
    for optimizer in setup.optimizers:
        rate = optimizer.learning_rate
        if optimizer.kind != "SGD" or optimizer.clipped or rate is None:
            continue
        for least, measured_rate, measured in SGD_DIVERGENCE:
            if magnitude >= least and rate >= measured_rate:
                return DivergenceRisk(optimizer, f"at least the measured set-up where SGD {measured}", scale)
        overshoot = least_squares_overshoot(optimizer, scale, squared, features, outputs)
        if overshoot is not None:
            return overshoot
        target = setup.target_scale
        depth = sum(1 for layer in model.layers if layer.kind in WEIGHTED)
        shown_targets = _target_rms_divergence(optimizer, target, features) if squared and depth >= 2 else None
        if shown_targets is not None:
            return DivergenceRisk(optimizer, shown_targets, scale, "scale the targets (and invert the scaling on "
                                                                   "predictions), clip the gradients or lower the "
                                                                   "learning rate")
        if (squared and depth >= 2 and target is not None and not target.centered and target.magnitude is not None
                and rate * target.magnitude >= _TARGET_CURVATURE):
            return DivergenceRisk(optimizer, f"the targets reach {target.magnitude:g} ({target.source}) and a stack "
                                             f"of {depth} weighted layers grows its weights until the curvature is "
                                             f"~{target.magnitude:g}, so lr x target = {rate * target.magnitude:.3g} "
                                             f"overshoots; measured for two linear Dense(1) under MSE: NaN at 9.8 "
                                             f"(targets 9804, lr 1e-3) and 10, finite at 1; one Dense finite", scale,
                                  "scale the targets (and invert the scaling on predictions) or lower the learning "
                                  "rate")
    return None


def least_squares_overshoot(optimizer: Optimizer, scale: InputScale | None, squared: bool, features: int | None = None,
                            outputs: int = 1, power: int = 1) -> DivergenceRisk | None:
    """Gradient descent overshooting least squares: lr x features x magnitude^(2 power) / outputs at least the
    measured NaN (features and outputs count under a squared loss; power is 2 where the model squares its input,
    `X * X * w`; an input scale the code does not show counts as [0, 1], and only under a squared loss; raw units
    read from a file count where values of two digits already overshoot); standardized inputs are measured finite."""
    rate = optimizer.learning_rate
    if rate is None or rate <= 0 or (scale is not None and scale.centered) or (scale is None and not squared):
        return None
    per_unit = (features or 1) / outputs
    feature_terms = f"{features} features x " if features and features > 1 else ""
    output_terms = f" / {outputs} outputs" if outputs > 1 else ""
    measured = ("measured: NaN at 3.07 (9216 inputs in [0, 1], 30 outputs, lr 0.01) and at 3.96 (inputs range(200), "
                "lr 1e-4), finite at 0.26-0.40")
    if scale is not None and scale.magnitude is None:
        if not squared:
            return None
        onset = (1.0 / (rate * per_unit)) ** (1.0 / (2 * power))  # the value size where lr x curvature reaches 1
        if onset > _RAW_UNITS:
            return None
        return DivergenceRisk(optimizer, f"gradient descent on least squares overshoots once lr x curvature >= 1, "
                                         f"here {rate:g} x {feature_terms}value^{2 * power}{output_terms}, which "
                                         f"reaches 1 for values of {onset:.2g}; {measured}", scale,
                              grade=f"likely once the file's values exceed {onset:.2g}")
    if scale is not None and scale.rms is not None and power == 1:
        # every value is shown: the mean curvature, lr x features x mean(x^2) / outputs, at least the measured NaN
        mean_square = scale.rms ** 2
        curvature = per_unit * mean_square
        if rate * curvature < _CURVATURE_SHOWN:
            return None
        return DivergenceRisk(optimizer, f"gradient descent on least squares overshoots once lr x curvature >= 1, here "
                                         f"{rate:g} x {feature_terms}mean(x^2) {mean_square:.4g}{output_terms} = "
                                         f"{rate * curvature:.3g}; {_MEASURED_MEAN_CURVATURE}", scale)
    magnitude = (scale.magnitude if scale is not None and scale.magnitude is not None else 1.0) ** power
    curvature = per_unit * magnitude ** 2
    if rate * curvature < (_CURVATURE_SHOWN if scale is not None else _CURVATURE_UNSHOWN):
        return None
    terms = feature_terms + f"{magnitude:g}^2" + output_terms
    unshown = "" if scale is not None else " (the input scale is not shown in this file: counted as [0, 1])"
    return DivergenceRisk(optimizer, f"gradient descent on least squares overshoots once lr x curvature >= 1, here "
                                     f"{rate:g} x {terms} = {rate * curvature:.3g}{unshown}; {measured}", scale,
                          grade="likely" if scale is not None else "likely unless the inputs are standardized before "
                                                                   "they reach this file (measured finite then)")


# CBOW written as a sum: k embedding lookups summed into the input of a sampled loss, trained by plain gradient
# descent. Measured (tensorflow-cpu 2.21, TF1 graph: vocabulary 2000, 200-d uniform(-1, 1) embeddings, batch 500,
# nce_loss with 250 sampled classes; word ids Zipf-distributed, the ids beyond the vocabulary in one bucket as
# vocabulary-capped pipelines do, ~22% of the tokens, or ~10% with a shorter tail): NaN at lr x k = 3 (lr 0.5, 6
# lookups: steps 61-67 with the 22% bucket, 174-215 with 10%, 2 seeds each), 2.1 (step 156) and 2 (lr 1 x 2: step
# 227; lr 0.5 x 4: loss 1e17 at step 300); finite at 1.8 (300 steps) and 1.5 (1000 steps, 2 seeds), for the mean of
# 6 lookups at lr 1 and for one lookup at lr 1 (word2vec's skip-gram). With no frequent bucket (Zipf over the
# vocabulary alone) lr x k = 3 stayed finite for 1000 steps: the grade says so.
_SUMMED_LOOKUP_STEP = 2.0
_SUMMED_LOOKUP_FINITE = 1.5


def summed_lookup_overshoot(optimizer: Optimizer, summed: int) -> DivergenceRisk | None:
    """Unclipped gradient descent on a sampled loss over a sum of `summed` embedding lookups, at lr x summed at least
    the measured NaN."""
    rate = optimizer.learning_rate
    if summed < 2 or rate is None or optimizer.kind != "SGD" or optimizer.clipped or rate * summed < _SUMMED_LOOKUP_STEP:
        return None
    return DivergenceRisk(
        optimizer,
        f"the sampled loss's input is the sum (not the mean) of {summed} embedding lookups, so each step moves the "
        f"embeddings and the shared output weights about {summed} times as far as one lookup would: lr x {summed} = "
        f"{rate * summed:.3g}; measured (CBOW, nce_loss, 2000 words): NaN at lr x lookups = 2 to 3 within 61-227 "
        f"steps, finite at {_SUMMED_LOOKUP_FINITE:g} and for a mean", None,
        f"average the lookups (divide the sum by {summed}) or lower the learning rate to "
        f"{_SUMMED_LOOKUP_FINITE / summed:.2g} or less",
        grade="likely when one word id is frequent (an unknown-word bucket: measured with 10-22% of the tokens in "
              "it; finite for 1000 steps with no such id)")


def _features(model: Model) -> int | None:
    """The inputs each unit of the model's first weighted layer sums, when it is a Dense on a flat input."""
    shape = model.input_shape
    flattened = False
    for layer in model.layers:
        if layer.kind == "Flatten":
            flattened = True
        elif layer.kind in WEIGHTED:
            if layer.kind != "Dense" or shape is None or None in shape or (len(shape) > 1 and not flattened):
                return None
            product = 1
            for dim in shape:
                product *= dim or 1
            return product
        elif layer.kind not in TRANSPARENT and layer.kind not in ACTIVATION_LAYERS:
            return None
    return None


@dataclass(frozen=True)
class Policy:
    """The float16 policy or floatx a module sets, and the Keras epsilon in force."""

    node: cst.Call  # the set_global_policy / set_floatx call
    name: str  # "float16", "mixed_float16"
    epsilon: float  # `keras.backend.epsilon()`: 1e-7 unless the module calls set_epsilon

    @property
    def pure_float16(self) -> bool:
        """Variables, optimizer state and losses in float16 too (not only the layers' compute)."""
        return not self.name.startswith("mixed")


_SET_EPSILON = ("keras.backend.set_epsilon", "keras.config.set_epsilon")
KERAS_DEFAULT_EPSILON = 1e-7


def float16_policy(analysis: ModuleAnalysis) -> Policy | None:
    """The first float16 policy (`set_global_policy("mixed_float16")`, `Policy("float16")`) or floatx
    (`K.set_floatx("float16")`) the module sets, with the Keras epsilon it sets (`K.set_epsilon(1e-4)`)."""
    epsilon = KERAS_DEFAULT_EPSILON
    for call in analysis.calls:
        if call.qualified_name is not None and normalize(call.qualified_name) in _SET_EPSILON:
            value = numeric_literal(argument(call.node, 0, "value"))
            epsilon = value if value is not None else epsilon
    for call in analysis.calls_of(Op.SET_GLOBAL_POLICY):
        policy = argument(call.node, 0, "policy")
        if isinstance(policy, cst.Name):
            policy, _ = analysis.binder.follow(policy, call.site)
        if isinstance(policy, cst.Call) and analysis.op_of_call(policy) is Op.DTYPE_POLICY:
            policy = argument(policy, 0, "name")
        name = string(policy)
        if name is None and policy is not None:
            qualified = analysis.qualified_name(policy)
            name = normalize(qualified).rsplit(".", 1)[-1] if qualified else None
        if name in ("float16", "mixed_float16", "half"):
            return Policy(call.node, "float16" if name == "half" else name, epsilon)
    return None


# Graph data whose dtype the TF1 layers built on it take (`slim.conv2d`, `tf.layers.dense` create their variables
# in the input's dtype), and where each takes its dtype.
_GRAPH_DATA = {"tensorflow.placeholder": 0, "tensorflow.Variable": None, "tensorflow.get_variable": 2}


def float16_graph(analysis: ModuleAnalysis) -> cst.Call | None:
    """The first TF1 placeholder or variable the module builds in float16 (`tf.placeholder(tf.float16, ...)`,
    the dtype also through a name): the graph's variables and the optimizer's slots are float16 too."""
    for call in analysis.calls:
        if call.qualified_name is None or normalize(call.qualified_name) not in _GRAPH_DATA:
            continue
        dtype = argument(call.node, _GRAPH_DATA[normalize(call.qualified_name)], "dtype")
        if isinstance(dtype, cst.Name):
            dtype, _ = analysis.binder.follow(dtype, call.site)
        if is_float16(analysis, dtype):
            return call.node
    return None


# The graph-mode API of TF 0.x / 1.x: a module that builds placeholders or runs a Session is written for it.
_GRAPH_API = frozenset({"tensorflow.placeholder", "tensorflow.Session", "tensorflow.InteractiveSession"})


def with_logits_operand(analysis: ModuleAnalysis, call: cst.Call) -> cst.BaseExpression | None:
    """The logits of a `tf.nn.*_cross_entropy_with_logits` call: `logits=`, or the positional argument where the
    TensorFlow the module is written for takes them. TF 1.x takes both by keyword only (a `_sentinel` parameter
    first), so positional arguments are TF 0.x's order (logits, labels) in graph-mode code (TFLearn's examples) and
    TF 2's (labels, logits) elsewhere."""
    given = keyword(call, "logits")
    if given is not None:
        return given
    graph_mode = any(site.qualified_name is not None and normalize(site.qualified_name) in _GRAPH_API
                     for site in analysis.calls)
    return argument(call, 0 if graph_mode else 1)

