"""Value facts: what produced a value, followed through assignments, functions, layers and models.

`ValueFacts.of(expr, site)` answers "what is known about this expression here?" with a `Value`.
Unknown stays unknown: `Value()` claims nothing, and checks fire only on what is known to be risky.
"""

from __future__ import annotations

import enum
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, Union

import libcst as cst

from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.binder import END, At, Binding, BindingKind, Point
from nanlint.analysis.conditions import ConditionKind
from nanlint.analysis import counts as counting
from nanlint.analysis.distances import gram_expansion
from nanlint.analysis.module import CallSite, ClassInfo, Element, ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.numerics import (FLOAT16, FLOAT32, FLOAT64, NUMPY_FLOAT32, TF_FLOAT64, Event,
                                      correctly_rounded_tanh_one, point, square_underflow, when)
from nanlint.analysis.samples import axis_argument, construction_time, over_samples, structural_constant
from nanlint.analysis.operations import (COMPARISONS, FUNCTIONAL_LAYERS, KEEP_ELEMENTS, MAXIMA, MEANS,
                                        SAME_VALUES_ATTRIBUTES, SAME_VALUES_METHODS, SPELLED_AS_OPERATORS, Op,
                                        normalize, operation_of)
from nanlint.analysis.walk import children, descendants, name_reads

if TYPE_CHECKING:
    from nanlint.analysis.keras import Layer

_MAX_DEPTH = 12
# The named mathematical constants of NumPy and `math`, by their qualified names.
_NAMED_CONSTANTS = {f"{module}.{name}": value for module in ("numpy", "math")
                    for name, value in (("pi", math.pi), ("e", math.e))} | {"math.tau": math.tau}
# ... and a float type's limits (`tf.float16.min`, -65504: the bounds of a clip into float16's range)
_NAMED_CONSTANTS |= {f"tensorflow.{dtype.name}.{end}": sign * dtype.max for dtype in (FLOAT16, FLOAT32)
                     for end, sign in (("min", -1), ("max", 1))}
KERAS_EPSILON = 1e-7  # keras.backend.epsilon()
# The numbers below come from the numerics table (nanlint/analysis/numerics.py), measured with TF 2.21 CPU and NumPy 2.
# Where exp(x) is exactly 0: TensorFlow flushes float32 subnormals, NumPy keeps them.
EXP_UNDERFLOW = (f"{FLOAT32.exp_underflow:.2f} in float32 ({NUMPY_FLOAT32.exp_underflow:.2f} in NumPy's float32, "
                 f"{FLOAT16.exp_underflow:.2f} in float16, {FLOAT64.exp_underflow:.2f} in float64)")
# Where tanh(x) is exactly ±1 (tf.tanh / keras.ops.tanh): TensorFlow's float32 kernel clamps (Eigen's rational
# approximation) before a correctly rounded tanh would, as in the bug reports. 1 - tanh(x)², 1 - tanh(x) and
# log1p(-tanh(x)²) are 0 from the same x on; tanh(-x) = -tanh(x), so 1 + tanh(x) is 0 from the same -x.
TANH_SATURATION = (f"tanh rounds to ±1 at {point(Event.TANH_ONE, 'float32').condition(decimals=2)} in float32 "
                   f"(TensorFlow's kernel; {correctly_rounded_tanh_one(FLOAT32):.2f} correctly rounded), "
                   f"{point(Event.TANH_ONE, 'float16').condition(decimals=2)} in float16")
# Where softplus(x) = log1p(exp(x)) is exactly 0 (tf.nn.softplus / tf.math.softplus / keras.activations.softplus /
# keras.ops.softplus and a Dense layer's 'softplus' activation alike). Below it log(softplus(x)) is -Inf and
# 1 / softplus(x) Inf, with NaN gradients.
SOFTPLUS_UNDERFLOW = when(Event.SOFTPLUS_ZERO, decimals=2)
_FLOATX64 = {"float64": "float64 (the floatx this module sets)"}
FLOAT64_TANH_SATURATION = f"tanh rounds to ±1 at {when(Event.TANH_ONE, ('float64', 'float32'), decimals=2, names=_FLOATX64)}"

class Producer(enum.Enum):
    """The operation that last shaped a value, as far as numerics are concerned.

    `zero_when` is the condition under which the value is exactly 0 (None: not known to be)."""

    SIGMOID = ("sigmoid output", when(Event.SIGMOID_ZERO))
    SOFTMAX = ("softmax output", f"a logit gap {when(Event.SOFTMAX_ZERO, variable='')}")
    RELU = ("relu output", "every input <= 0")
    # softplus is positive in exact arithmetic but rounds to 0 where exp(x) underflows, as a sigmoid does
    SOFTPLUS = ("softplus output", SOFTPLUS_UNDERFLOW)
    EXP = ("exp output", None)
    VARIANCE = ("variance", "a constant row")
    STD = ("standard deviation", "a constant row")
    # (the underflow is the Euclidean norm's: x² below float32's smallest normal; an ord=1 norm is 0 only at 0)
    NORM = ("norm", f"an all-zero vector, or, for the Euclidean norm, one below ~{square_underflow(FLOAT32):.0e} in "
                    f"float32 where x² underflows")
    SUM = ("sum", "inputs like [1, -1] or all zeros")
    SUM_OF_SQUARES = ("sum of squares", "an all-zero input")
    COUNT = ("count", "nothing counted")
    RANGE = ("max - min range", "a constant input")
    # Squares and absolute values are 0 only where their input is: not a hazard of their own.
    SQUARE = ("square", None)
    ABS = ("absolute value", None)
    # Signed outputs: tanh in [-1, 1]; a linear head (matmul, Dense without activation) unbounded both ways.
    TANH = ("tanh output", None)
    # `1 - t²`, `1 - t`, `1 + t` of a tanh output t (`log1p(-t²)` logs it): 0 where tanh rounds to ±1.
    TANH_GAP = ("tanh output's gap to ±1 (1 - t², 1 - t or 1 + t)", TANH_SATURATION)
    LINEAR = ("linear output", None)
    # a product or quotient with a linear or tanh factor: takes both signs
    SIGNED = ("value with a linear or tanh factor", None)
    # `x * mask`: 0 wherever the mask is (structurally: the mask says which entries are dropped).
    MASKED = ("masked value", "every entry the mask drops")
    # `maximum(x, 0)`, `clip(x, 0, hi)`: a relu spelled as a floor, 0 wherever x <= 0 (a box side
    # `maximum(y2 - y1, 0)` of an empty or padding box, an intersection that does not overlap).
    FLOORED = ("value floored at 0", "every input <= 0")
    # `boxes[..., 3]`, `boxes[..., 3] - boxes[..., 1]`: a side of a bounding box, 0 for the all-zero rows that pad
    # ground-truth boxes to a fixed count (and for a degenerate box).
    BOX_SIDE = ("box side", "a zero-padded or zero-size box")
    # The `y_true` of a Keras loss or metric `fn(y_true, y_pred)`: 0/1 labels. Not 0 as a whole, but a mask of
    # the positive classes, so their sum is 0 for a row (or batch) with no positive label (multi-label targets,
    # segmentation masks of an empty image).
    LABELS = ("labels", None)
    # `tf.scatter_nd(indices, updates, shape)`: the updates at the indices, 0 everywhere else. Not a zero of its own
    # (indices may cover every entry): what it adds to another value leaves that value's zeros where no index writes.
    SCATTERED = ("scatter_nd output", None)
    # `tf.signal.stft(x)`: one spectrum per frame, exactly 0 for a frame whose samples are all 0. Known to reach
    # 0 only where the code pads the signal with zeros (`zero_because`): a frame inside the padding.
    SPECTRUM = ("spectrogram (STFT)", None)
    # `c * x` with `c` a constant that takes several values, 0 among them (a loop over `[0.5, 0.0, 2.0]`, a literal
    # array `[0., 2.]`): 0 wherever that coefficient is, whatever x is (`zero_because` names the coefficient).
    ZERO_COEFFICIENT = ("product with a coefficient that takes the value 0", None)

    def __init__(self, label: str, zero_when: str | None) -> None:
        self.label = label
        self.zero_when = zero_when


PROBABILITIES = (Producer.SIGMOID, Producer.SOFTMAX)

# Where the float32 thresholds of Producer.zero_when move in a module that sets floatx "float64" (its Keras layers
# compute in float64; TensorFlow flushes float64 subnormals too, so softplus is 0 from ln(float64's smallest normal),
# not NumPy's -745.1).
_FLOAT64_ZERO_WHEN = {
    Producer.SIGMOID: when(Event.SIGMOID_ZERO, ("float64", "float32"), names=_FLOATX64),
    Producer.SOFTMAX: f"a logit gap {when(Event.SOFTMAX_ZERO, ('float64', 'float32'), variable='', names=_FLOATX64)}",
    Producer.NORM: f"an all-zero vector, or, for the Euclidean norm, one below ~{square_underflow(TF_FLOAT64):.2g} in "
                   f"float64 (the floatx this module sets) where x² underflows",
    Producer.TANH_GAP: FLOAT64_TANH_SATURATION,
    Producer.SOFTPLUS: when(Event.SOFTPLUS_ZERO, ("float64", "float32"), decimals=2, names=_FLOATX64),
}
_FLOAT64_SIGMOID_COMPLEMENT = when(Event.SIGMOID_ONE, ("float64", "float32"), names=_FLOATX64)

class Guard(enum.Enum):
    """How a value was kept away from 0 (or from 1)."""

    EPSILON_ADDED = "epsilon added"
    CLIPPED = "clipped"
    MAXIMUM = "maximum with a floor"
    WHERE = "replaced by where()"


@dataclass(frozen=True)
class Value:
    producer: Producer | None = None
    # `1 - p`: the complement of a probability (reaches 0 where p rounds to 1).
    complement: bool = False
    # sigmoid/softmax spelled out by hand (`1/(1+exp(-x))`), not the library op.
    hand_written: bool = False
    guard: Guard | None = None
    # The literal size of the guard (the epsilon added, the clip floor), when known.
    epsilon: float | None = None
    # The clip_by_value that bounded it (Guard.CLIPPED): `1 - p` of it is safe only if the clip's upper bound is
    # below 1 in the dtype, which the epsilon rules check at that call.
    clip: cst.Call | None = None
    # How the value got here, innermost first: ("sigmoid()", "Model.call()") for messages.
    via: tuple[str, ...] = ()
    # For a reduction, the normalized source of what was reduced (`mask` in `reduce_sum(mask)`), and whether
    # that is itself known to reach 0.
    subject: str | None = None
    subject_can_be_zero: bool = False
    # The mask (its source text) that makes the value 0: `mask` in `x * mask`, in `reduce_sum(x * mask)`.
    mask: str | None = None
    # The mask is a loss's or metric's labels (`y_true`): 0 where a row has no positive label.
    mask_is_labels: bool = False
    # For a NumPy spread that is 0 by construction (analysis/samples.py): when it is 0, and the guard that fits.
    zero_because: str | None = None
    remedy: str | None = None
    # The module sets floatx "float64": saturation and underflow thresholds are float64's.
    float64: bool = False
    # A product with a sigmoid or softmax output (`p_gen * softmax(s)`): 0 where that saturates to 0, but no longer
    # a probability (not 1 where it rounds to 1, no log_softmax of it).
    scaled: bool = False
    # Producer.COUNT of 0/1 indicators (analysis/counts.py): the counts whose product this is (one for a count or a
    # sum of counts), each 0 when no sample is what it counts; `rooted`: the square root of that.
    counts: tuple[counting.Count, ...] = ()
    rooted: bool = False
    # A count divided by a total that is never 0 (`tp / maximum(tp + fp, 1)`, precision, recall): no longer a count,
    # but 0 exactly when the count is, and >= 0, so sums of such rates are 0 as sums of counts are.
    rate: bool = False
    # One branch of a where() (`where(labels == 1, 1 - p, p)`), or one part of a concatenation: 0 where that branch
    # is and is taken (that part is), but no longer the value itself (not a probability to complement, no log-space
    # rewrite of it). `via` names the branch.
    selected: bool = False
    # Passed into this file, which is outside TensorFlow/Keras (NumPy only), by a call in a TF/Keras file of the
    # project: a value made in framework code (DenseDepth's depth clipped at 0 in a keras Sequence, handed to a NumPy
    # helper's `maxDepth / x`), whose zero is judged as that file's.
    framework_caller: bool = False

    @property
    def is_probability(self) -> bool:
        return self.producer in PROBABILITIES and not self.scaled and not self.selected

    @property
    def squashed(self) -> bool:
        """A sigmoid or softmax output, or a product with one: 0 only by saturation."""
        return self.producer in PROBABILITIES

    @property
    def zero_when(self) -> str | None:
        """When an unguarded value is exactly 0, or None when it is not known to reach 0."""
        if self.guard is not None or self.producer is None:
            return None
        if self.counts:
            return counting.zero_when(self.counts)
        if self.complement:
            if self.producer is Producer.SIGMOID:
                return _FLOAT64_SIGMOID_COMPLEMENT if self.float64 else when(Event.SIGMOID_ONE)
            return "one class's probability rounding to 1.0"
        if self.producer is Producer.SUM and self.mask and self.mask_is_labels:
            return f"a row or batch with no positive label (`{self.mask}` all 0)"
        if self.producer is Producer.SUM and self.mask:
            return f"an empty mask (`{self.mask}` selecting nothing)"
        subject = self.zero_because or self._zero_of_subject()
        if subject is not None:
            return subject
        return _FLOAT64_ZERO_WHEN.get(self.producer, self.producer.zero_when) if self.float64 else self.producer.zero_when

    def _zero_of_subject(self) -> str | None:
        """The condition in terms of what was reduced or measured, where the producer keeps it."""
        if not self.subject:
            return None
        if self.producer is Producer.BOX_SIDE:
            return f"a zero-padded or zero-size box (`{self.subject}`)"
        if self.producer is Producer.FLOORED:
            return f"`{self.subject}` <= 0"
        if self.producer in (Producer.STD, Producer.VARIANCE):
            return (f"an episode whose `{self.subject}` are all equal (a sparse-reward episode of zeros, an episode of "
                    f"one step)")
        if self.producer is Producer.SUM and self.subject_can_be_zero:
            return f"every summed term 0 (`{self.subject}` can be 0)"
        return None

    def describe(self) -> str:
        """`1 - sigmoid output` / `variance`, for messages."""
        if self.producer is None:
            return "value"
        label = self.producer.label
        if self.producer is Producer.EXP and self.subject:
            label = "max-shifted exp"
        if self.hand_written:
            label = f"hand-written {label}"
        if self.scaled:
            label = f"product with a {label}"
        if self.rate:
            label = "rate (a count over a total that is never 0)"
        if len(self.counts) > 1:
            label = "product of counts"
        if self.rooted:
            label = f"square root of a {label}"
        return f"1 - {label}" if self.complement else label

    @property
    def flow(self) -> str:
        """` (via a -> b)` for messages, or "" when the value was produced where it is used."""
        return f" (via {' -> '.join(self.via)})" if self.via else ""

    def through(self, step: str) -> Value:
        if not self.producer or step in self.via:
            return self
        return replace(self, via=(*self.via, step))


UNKNOWN = Value()


class _Whichever(enum.Enum):
    """An index that is not a constant: `dists[step]`, the element a loop target receives."""

    ELEMENT = "any element"


ANY = _Whichever.ELEMENT
Index = Union[int, str, _Whichever]
# Builtins whose result iterates over the elements of their first argument, in the same order or not.
_SAME_ELEMENTS = frozenset({"list", "tuple", "iter"})
_REORDERED_ELEMENTS = frozenset({"reversed", "sorted", "set"})
# Methods that add elements to a list bound to a name.
GROWING_METHODS = frozenset({"append", "extend", "insert"})
# Operations whose result is a list of slices of their operand: each slice has the operand's values.
SLICING_OPS = frozenset({"tensorflow.unstack", "tensorflow.split", "tensorflow.unpack", "numpy.split",
                          "numpy.array_split", "keras.ops.unstack", "keras.ops.split"})

_ACTIVATION_NAMES = {"sigmoid": Producer.SIGMOID, "softmax": Producer.SOFTMAX, "relu": Producer.RELU,
                     "tanh": Producer.TANH, "linear": Producer.LINEAR,
                     "softplus": Producer.SOFTPLUS}
_ACTIVATION_OPS = (Op.SIGMOID, Op.SOFTMAX, Op.RELU, Op.TANH, Op.SOFTPLUS)
_OP_PRODUCERS = {
    Op.SIGMOID: Producer.SIGMOID, Op.SOFTMAX: Producer.SOFTMAX, Op.RELU: Producer.RELU, Op.EXP: Producer.EXP,
    Op.REDUCE_VARIANCE: Producer.VARIANCE, Op.REDUCE_STD: Producer.STD, Op.NORM: Producer.NORM,
    Op.COUNT_NONZERO: Producer.COUNT, Op.SQUARE: Producer.SQUARE, Op.TANH: Producer.TANH,
    Op.MATMUL: Producer.LINEAR, Op.SCATTER_ND: Producer.SCATTERED, Op.SOFTPLUS: Producer.SOFTPLUS,
}
# Ops whose output has the same numerics as their first argument.
# (A zero stays a zero through them: `log(tf.gather(p, i))` is the log of p's entries.)
_PASS_THROUGH = {Op.CAST, Op.STOP_GRADIENT, Op.SQUEEZE, Op.RESHAPE, Op.EXPAND_DIMS, Op.GATHER, Op.BOOLEAN_MASK,
                 Op.TRANSPOSE, Op.IDENTITY, Op.TILE}
# Convolutions: a weighted sum over each window of their input (no bias), so 0 where the input's window is all 0.
_WINDOW_SUMS = frozenset({f"{namespace}.{name}" for namespace in ("tensorflow.nn", "tensorflow")
                          for name in ("conv1d", "conv2d", "conv3d", "convolution", "depthwise_conv2d")}
                         | {f"keras.backend.{name}" for name in ("conv1d", "conv2d", "conv3d")}
                         | {"keras.ops.conv", "keras.ops.depthwise_conv"})
# Producers that take both signs (see domain.reaches_negative).
_SIGNED_PRODUCERS = (Producer.LINEAR, Producer.TANH, Producer.SIGNED)
# Calls whose first argument holds the values and the rest say which entries to take.
_SELECTIONS = frozenset({"gather", "gather_nd", "boolean_mask", "take", "take_along_axis", "batch_gather"})
# Operations that change a tensor's shape, not its values.
# Where each variable constructor takes the value it starts from (position, keyword); `tf.Variable(initial_value)`
# otherwise.
_INITIAL_VALUE_ARGUMENT = {"tensorflow.get_variable": (3, "initializer"), "keras.Variable": (0, "initializer"),
                           "keras.backend.variable": (0, "value")}
_CONSTANT_INITIALIZERS = frozenset({"tensorflow.constant_initializer", "keras.initializers.Constant",
                                    "keras.initializers.constant"})
_SHAPE_ONLY = frozenset({Op.TILE, Op.RESHAPE, Op.EXPAND_DIMS, Op.SQUEEZE, Op.IDENTITY, Op.CAST})
# Statistics that NumPy code computes over data sets (see `_eval_operation`).
_DATA_STATISTICS = frozenset({Op.REDUCE_STD, Op.REDUCE_VARIANCE})
# A TFP bijector's methods that receive y = _forward(x) (`_inverse(self, y)`, `_inverse_log_det_jacobian(self, y)`).
_BIJECTOR_INVERSES = frozenset({"_inverse", "_inverse_log_det_jacobian"})
# Keras' loss and metric signature: the first parameter holds the labels.
LABEL_SIGNATURE = ("y_true", "y_pred")
# `tf.map_fn(fn, elems)` calls `fn` on each slice of `elems`: numerically, `fn(elems)`.
_MAPPING_CALLS = frozenset({"tensorflow.map_fn", "tensorflow.vectorized_map"})
# Constructors that take a residual function and call it with the network's output as its second argument, with
# the position and keyword of that function: DeepXDE's PDE data (`dde.data.PDE(geom, pde, bcs)` calls `pde(x, y)`,
# y the network's outputs; IDE and FPDE add the integral matrix as a third). DeepXDE's networks (FNN, PFNN, ResNet,
# ...) end in a linear layer, unless the code gives the net an output transform.
_RESIDUAL_CALLBACKS = {f"deepxde.data.{module}{name}": (1, keyword) for module in ("", "pde.", "ide.", "fpde.")
                       for name, keyword in (("PDE", "pde"), ("TimePDE", "pde"), ("IDE", "ide"), ("FPDE", "fpde"),
                                             ("TimeFPDE", "fpde"))}
_FUNCTIONAL_MODELS = ("keras.Model", "keras.models.Model")
_SEQUENTIAL_MODELS = ("keras.Sequential", "keras.models.Sequential")
# Layers that move or drop entries but keep their values (a relu's zeros stay zeros through them).
_SHAPE_LAYERS = frozenset({"keras.layers.Flatten", "keras.layers.Reshape", "keras.layers.Permute",
                           "keras.layers.Dropout", "keras.layers.RepeatVector", "keras.layers.Cropping1D",
                           "keras.layers.Cropping2D"})


def numeric_literal(expr: cst.BaseExpression | None) -> float | None:
    """The value of a numeric literal (`1`, `1.0`, `1e-7`, `-3`, `1 / 3`), else None."""
    sign = 1.0
    while isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        sign, expr = -sign, expr.expression
    if isinstance(expr, (cst.Integer, cst.Float)):
        return sign * float(expr.evaluated_value)
    if sign < 0:
        return None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        left, right = numeric_literal(expr.left), numeric_literal(expr.right)
        if left is not None and right:
            return left / right
    return None


def literal_numbers(container: cst.List | cst.Tuple) -> list[float]:
    """The numbers of a literal list or tuple, nested ones included (a literal array), in source order; [] when an
    entry is anything but a number."""
    numbers: list[float] = []
    for item in container.elements:
        if isinstance(item.value, (cst.List, cst.Tuple)):
            inner = literal_numbers(item.value)
            if not inner:
                return []
            numbers += inner
            continue
        number = numeric_literal(item.value)
        if number is None:
            return []
        numbers.append(number)
    return numbers


# Words that make a mask-named value a quantity about masks (`mask_width`, `num_masks`, `mask_ratio`): a size, a
# count or a rate, not a 0/1 selection.
_QUANTITY_WORDS = frozenset({"width", "height", "size", "sizes", "len", "length", "shape", "dim", "dims", "depth",
                             "num", "count", "counts", "ratio", "rate", "prob", "probs", "id", "ids", "index"})


# Words that name an RL episode's rewards or (discounted) returns: `rewards`, `discounted_ep_rs`, `returns`.
_EPISODE_RETURNS = re.compile(r"reward|discounted|advantage|(^|_)(ep_)?(rs|returns?)($|_)")


def _episode_returns(expr: cst.BaseExpression) -> bool:
    """An array named as an episode's rewards, returns or advantages (the normalisation every policy-gradient agent
    writes: REINFORCE's returns, PPO's and TRPO's advantages)."""
    name = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else ""
    return bool(_EPISODE_RETURNS.search(name.lower()))


# Words that say which of an environment's actions a step allows: the 0/1 vector over the actions that RL code
# multiplies into a policy to drop the others (`available_actions` in pysc2 agents, `avail_actions` in SMAC/pymarl,
# `legal_actions` in OpenSpiel and acme, `valid_actions`).
_AVAILABILITY_WORDS = frozenset({"available", "avail", "legal", "valid", "allowed"})
_ACTION_WORDS = frozenset({"action", "actions", "move", "moves"})
_INDEX_WORDS = frozenset({"ind", "inds", "idx", "indices"})


def mask_named(name: str) -> bool:
    """A name that says it holds a 0/1 mask (`mask`, `ques_mask`, `mask3d`, or the actions a step allows:
    `actions_allowed_named`), not a quantity about one (`num_mask`)."""
    lowered = name.lower()
    if "mask" not in lowered:
        return actions_allowed_named(name)
    return not any(word in _QUANTITY_WORDS for word in re.split(r"[_\d]+", lowered))


def actions_allowed_named(name: str) -> bool:
    """A name that says it holds which actions a step allows (`available_actions`, `avail_actions`,
    `legal_actions`): a 0/1 mask over the actions that is never all 0 (an environment offers some action at every
    step it asks for one), not a quantity about it (`num_avail_actions`) nor the indices it selects
    (`avail_actions_ind`)."""
    words = set(re.split(r"[_\d]+", name.lower()))
    return bool(words & _AVAILABILITY_WORDS) and bool(words & _ACTION_WORDS) \
        and not words & (_QUANTITY_WORDS | _INDEX_WORDS)


class ValueFacts:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        from nanlint.analysis.keras import LayerReader  # keras.py reads arguments with this module's helpers

        self.analysis = analysis
        self.binder = analysis.binder
        self._active: set[tuple[int, str]] = set()
        # The call being evaluated for each function whose returns are being evaluated: parameters are the
        # arguments of that call site (`loss(p)` called with a sigmoid output, `dense(x, act=tf.nn.relu)`).
        self._frames: dict[int, _Frame] = {}
        self._reading_callers = False
        self._passed_callees: set[tuple[int, str]] = set()  # the callable parameters being looked up among callers
        self._layers = LayerReader(analysis)

    # -- public -----------------------------------------------------------------------------
    def of(self, expr: cst.BaseExpression, site: Point) -> Value:
        value = self._eval(expr, site.scope, site.seq, 0)
        return replace(value, float64=True) if self._floatx_float64 and value.producer is not None else value

    @cached_property
    def _floatx_float64(self) -> bool:
        """The module sets floatx (or the global policy) to "float64": its Keras layers compute in float64."""
        return any(isinstance(arg := argument(call.node, 0, "value") or argument(call.node, 0, "policy"),
                              cst.SimpleString) and arg.evaluated_value == "float64"
                   for call in self.analysis.calls_of(Op.SET_GLOBAL_POLICY))

    def constant(self, expr: cst.BaseExpression, site: Point) -> float | None:
        """A number known statically: a literal, `keras.backend.epsilon()`, or a name bound to one."""
        return self._constant(expr, site.scope, site.seq, 0)

    def number(self, expr: cst.BaseExpression, site: Point) -> float | None:
        """A constant, or else the number a parameter or `self.` attribute holds: what the module's callers pass
        (the first literal), else its default (`self._gamma` set from `__init__(gamma=2.0)`, built with
        `gamma=0.5`: 0.5)."""
        known = self.constant(expr, site)
        return known if known is not None else self._layers.number(expr, site.scope)

    def passed_numbers(self, expr: cst.BaseExpression, site: Point) -> list[tuple[float, str]]:
        """The constants callers pass for the parameter `expr` reads (through names; an enclosing function's
        parameter read by a closure, as a loss factory's `gamma` is by the loss it returns), each with where it is
        passed: calls in this module and, for a module-level function of the file being linted, in the other
        project files (`losses.focal(gamma=0.5)` in train.py). What a caller passes is read as `number` reads it,
        so a `self.` attribute passed on is the value its instance was built with (`focal(y, p,
        gamma=self.gamma)` in the `call` of a loss built as `Focal(gamma=0.5)`: 0.5)."""
        expr, at = self.binder.follow(expr, site, _MAX_DEPTH)
        for _ in range(_MAX_DEPTH):  # `gamma = tf.cast(gamma, y.dtype)` holds the number the parameter was given
            if not (isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) in (Op.CAST, Op.IDENTITY)):
                break
            operand = self.analysis.operand(expr)
            if operand is None:
                break
            expr, at = self.binder.follow(operand, at, _MAX_DEPTH)
        binding = self.binder.resolve(expr.value, at) if isinstance(expr, cst.Name) else None
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return []
        function, name = binding.scope, binding.name
        index = parameter_index(function, name)
        calls: list[tuple[cst.Call, Point, ValueFacts, str]] = [
            (call, caller, self, "") for call, caller in self.callers(function)]
        calls += [(call.node, call.site, other.values, f" in {os.path.basename(other.path)}")
                  for other, call in self._other_file_callers(function)]
        found = []
        for call, caller, engine, where in calls:
            passed = argument(call, index, name)
            number = engine.number(passed, caller) if passed is not None else None
            if number is not None:
                given = "" if passed is None or engine.constant(passed, caller) is not None else \
                    f" as {engine.analysis.code_of(passed)}"
                found.append((number, f"{name}={number:g} passed at {engine._describe(call)}{given}{where}"))
        return found

    def numbers(self, expr: cst.BaseExpression, site: Point) -> tuple[float, ...] | None:
        """The constants of a literal tuple or list (`power_factors=(0.0448, 0.2856, 0.3001)`), through names and,
        for a parameter, its default (what runs wherever a caller does not pass one)."""
        at: Point = site
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, (cst.Tuple, cst.List)):
                found = [self.constant(element.value, at) if isinstance(element, cst.Element) else None
                         for element in expr.elements]
                numbers = [number for number in found if number is not None]
                return tuple(numbers) if numbers and len(numbers) == len(found) else None
            binding = self.binder.resolve(expr.value, at) if isinstance(expr, cst.Name) else None
            if binding is not None and binding.expression is not None:
                expr, at = binding.expression, binding.at
            elif binding is not None and binding.kind is BindingKind.PARAMETER and binding.name in binding.scope.defaults:
                expr, at = binding.scope.defaults[binding.name], At(binding.scope.parent or binding.scope, END)
            else:
                return None
        return None

    def layer(self, expr: cst.BaseExpression, scope: Scope) -> Layer | None:
        """The Keras layer `expr` constructs, read by the shared reader (keras.py)."""
        return self._layers.read(expr, scope)

    def is_weight(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A trainable weight: `tf.Variable(...)`, `tf.get_variable(...)`, `self.add_weight(...)`, through names,
        `self.` attributes and shape-only wrappers (`tf.transpose(w)`)."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
                owner = self.binder.enclosing_class(at.scope)
                stored = self.binder.attribute(owner, expr.attr.value) if owner is not None else []
                if not stored or stored[-1].expression is None:
                    return False
                expr, at = stored[-1].expression, stored[-1].at
                continue
            expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
            if not isinstance(expr, cst.Call):
                return False
            op = self.analysis.op_of_call(expr)
            if op is Op.VARIABLE:
                return True
            if op in _SHAPE_ONLY or op is Op.TRANSPOSE:
                expr = self.analysis.operand(expr) or expr
                continue
            func = expr.func
            return isinstance(func, cst.Attribute) and func.attr.value in ("add_weight", "add_variable")
        return False

    def initial_value(self, expr: cst.BaseExpression, at: Point) -> tuple[cst.BaseExpression, Point] | None:
        """What a variable is made from, through names: `tf.Variable(0.1)`'s 0.1, `K.variable(x)`'s x,
        `tf.get_variable("lr", initializer=tf.constant_initializer(0.1))`'s 0.1; with where it is evaluated. None
        for anything but a variable made from a given value (a shape and a random initializer give none)."""
        made, where = self.binder.follow(expr, at, _MAX_DEPTH)
        if not isinstance(made, cst.Call) or self.analysis.op_of_call(made) is not Op.VARIABLE:
            return None
        qualified = self.analysis.qualified_name(made.func)
        position, name = _INITIAL_VALUE_ARGUMENT.get(normalize(qualified) if qualified else "", (0, "initial_value"))
        given = argument(made, position, name)
        if isinstance(given, cst.Call) and normalize(self.analysis.qualified_name(given.func) or "") \
                in _CONSTANT_INITIALIZERS:
            given = argument(given, 0, "value")
        return (given, where) if given is not None else None

    def called_function(self, call: cst.Call, at: Point) -> Scope | None:
        """The module function or lambda a call calls (followed through names, parameters and `self.`)."""
        callee = self._callee(call.func, at.scope, at.seq, 0)
        return callee if isinstance(callee, Scope) else None

    def returned_by(self, call: cst.Call, at: Point) -> list[tuple[ModuleAnalysis, cst.BaseExpression, At]] | None:
        """What the function a call calls returns, whatever the call passes: each returned expression with the
        analysis of its file and where it is evaluated, for a function of this module or one imported from another
        project file (`weighted.get_barycentric_coordinates(...)`); None for anything else (a library operation,
        a construction, an unknown callee)."""
        callee = self._callee(call.func, at.scope, at.seq, 0)
        if isinstance(callee, _ProjectFunction) and callee.function.returns:
            return [(callee.analysis, returned, At(callee.function, END)) for returned in callee.function.returns]
        if isinstance(callee, Scope) and callee.returns:
            return [(self.analysis, returned, At(callee, END)) for returned in callee.returns]
        return None

    def instance_attribute(self, expr: cst.Attribute, at: Point) -> tuple[ModuleAnalysis, cst.BaseExpression, At] | None:
        """What `obj.attr` holds when `obj` is an instance of a class of this module or another project file
        (`ProbMask(B, H, L, index, scores).mask`): what a method of that name returns (a property), or the last
        `self.attr = value`, followed through a returned `self.other`; with the analysis of the class's file and
        where the expression is evaluated. None for anything else."""
        imported = self._project_instance(expr.value, at)
        owner = self.binder.instance_class(expr.value, at) if imported is None else None
        analysis, info = (imported.analysis, imported.info) if imported is not None else \
            (self.analysis, owner[0]) if owner is not None else (None, None)
        if analysis is None or info is None:
            return None
        name = expr.attr.value
        for _ in range(_MAX_DEPTH):
            method = analysis.binder.method(info, name)
            if method is not None:
                if not method.returns:
                    return None
                returned = method.returns[-1]
                if not (isinstance(returned, cst.Attribute) and isinstance(returned.value, cst.Name)
                        and returned.value.value == "self"):
                    return analysis, returned, At(method, END)
                name = returned.attr.value  # a property returning `self._mask`
                continue
            assigned = [(binding.expression, binding.at) for binding in analysis.binder.attribute(info, name)
                        if binding.expression is not None]
            return (analysis, *assigned[-1]) if assigned else None
        return None

    def callers(self, function: Scope) -> list[tuple[cst.Call, At]]:
        """The calls of a module function (or a layer's `call`) in this module, with where each is made."""
        return self._callers.get(id(function), [])

    def project_callers(self, function: Scope) -> list[tuple[cst.Call, Point, ModuleAnalysis]]:
        """The calls of a function in this module and, for a module-level function of the file being linted, in
        the other project files: each with where it is made and the analysis of the file that makes it."""
        return [(call, caller, self.analysis) for call, caller in self.callers(function)] + [
            (call.node, call.site, other) for other, call in self._other_file_callers(function)]

    def definition(self, expr: cst.BaseExpression, site: Site) -> cst.BaseExpression:
        """The expression a name was last bound to before `site` (followed through name-to-name copies)."""
        return self.binder.follow(expr, site, _MAX_DEPTH)[0]

    def definition_at(self, expr: cst.BaseExpression, site: Point) -> tuple[cst.BaseExpression, Point]:
        """`definition`, and where that expression stands (to follow the names inside it in turn)."""
        return self.binder.follow(expr, At(site.scope, site.seq), _MAX_DEPTH)

    def is_mask(self, expr: cst.BaseExpression, site: Point) -> bool:
        """A 0/1 mask: named one, or a comparison cast to numbers."""
        return self._is_mask(expr, site.scope, site.seq)

    def clip_bounds(self, expr: cst.BaseExpression, site: Site) -> tuple[float, float] | None:
        """(low, high) when `expr` is (a name bound to) `clip_by_value(x, low, high)` with constant bounds."""
        expr, at = self.binder.follow(expr, site, _MAX_DEPTH)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CLIP:
            low = self._constant(argument(expr, 1, "clip_value_min"), at.scope, at.seq, 0)
            high = self._constant(argument(expr, 2, "clip_value_max"), at.scope, at.seq, 0)
            return (low, high) if low is not None and high is not None else None
        return None

    def activation_of(self, expr: cst.BaseExpression, scope: Scope | None = None, seq: int = END) -> Producer | None:
        """What an `activation=` argument denotes: `'sigmoid'`, `tf.nn.softmax`, `keras.activations.relu`, or a
        name bound to one (`activation=act`)."""
        if isinstance(expr, cst.Name) and scope is not None:
            callee = self._callee(expr, scope, seq, 0)
            return _OP_PRODUCERS.get(callee) if callee in _ACTIVATION_OPS else None
        if isinstance(expr, cst.SimpleString):
            value = expr.evaluated_value
            return _ACTIVATION_NAMES.get(value.lower()) if isinstance(value, str) else None
        op = operation_of(self.analysis.qualified_name(expr))
        if isinstance(expr, cst.Name) and expr.value == "None":
            return Producer.LINEAR
        return _OP_PRODUCERS.get(op) if op in _ACTIVATION_OPS else None

    def layer_output(self, layer: cst.BaseExpression, scope: Scope | None = None, seq: int = END) -> Producer | None:
        """The activation a Keras layer construction expression applies to its output."""
        read = self._layers.read(layer, scope) if isinstance(layer, cst.Call) else None
        if read is None:
            return None
        applied = read.inner if read.inner is not None else read
        if isinstance(applied.activation_argument, cst.Name) and scope is not None:
            # `activation=act`: what the call being evaluated passes for `act`, when it is known
            passed = self.activation_of(applied.activation_argument, scope, seq)
            if passed is not None:
                return passed
        return _ACTIVATION_NAMES.get(read.applied_activation) if read.applied_activation is not None else None

    @cached_property
    def compiled_losses(self) -> dict[str, Value]:
        """Module functions passed as `model.compile(loss=fn)`, mapped to the model output they receive."""
        linked: dict[str, Value] = {}
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "compile"):
                continue
            loss = argument(call.node, 1, "loss")
            if not (isinstance(loss, cst.Name) and loss.value in self.analysis.functions):
                continue
            if not isinstance(func.value, cst.Name):
                continue
            output = self._eval_instance(func.value, call.site.scope, call.site.seq, 0, func.value.value)
            if output.producer is not None:
                linked[loss.value] = output.through(f"{func.value.value}.compile(loss={loss.value})")
        return linked

    @cached_property
    def compiled_loss_objects(self) -> dict[int, Value]:
        """The method Keras calls on a loss object of a module class given to `model.compile(loss=...)`, by id of
        its scope, mapped to the model output it receives as `y_pred`: `compile(loss=Focal(gamma=0.5))`, or a name
        bound to such an instance. Keras calls the object: its own `__call__(y_true, y_pred)` when the class
        defines one, else `keras.losses.Loss.__call__`, which calls `call(y_true, y_pred)`."""
        linked: dict[int, Value] = {}
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "compile" and isinstance(func.value,
                                                                                                  cst.Name)):
                continue
            loss = argument(call.node, 1, "loss")
            if loss is None:
                continue
            construction: cst.BaseExpression | None = loss
            if isinstance(loss, cst.Name):
                binding = self.binder.resolve(loss.value, call.site)
                construction = binding.expression if binding is not None else None
            if not (isinstance(construction, cst.Call) and isinstance(construction.func, cst.Name)
                    and construction.func.value in self.analysis.classes):
                continue
            info = self.analysis.classes[construction.func.value]
            method = self.binder.method(info, "__call__") or self.binder.method(info, "call")
            if method is None or id(method) in linked:
                continue
            output = self._eval_instance(func.value, call.site.scope, call.site.seq, 0, func.value.value)
            if output.producer is not None:
                linked[id(method)] = output.through(
                    f"{func.value.value}.compile(loss={self.analysis.code_of(loss)}) -> {method.name}()")
        return linked

    @cached_property
    def residual_functions(self) -> dict[str, Value]:
        """Module functions given to a constructor that calls them with the network's output as their second
        argument (`_RESIDUAL_CALLBACKS`: DeepXDE's `pde(x, y)`), mapped to that output: a linear head, unless the
        module gives its network an output transform (`net.apply_output_transform(...)`), which may bound it."""
        linked: dict[str, Value] = {}
        for call in self.analysis.calls:
            func = call.node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "apply_output_transform":
                return {}
            callback = _RESIDUAL_CALLBACKS.get(normalize(call.qualified_name or ""))
            residual = argument(call.node, *callback) if callback is not None else None
            if isinstance(residual, cst.Name) and residual.value in self.analysis.functions:
                constructor = self.analysis.code_of(func)
                linked[residual.value] = Value(Producer.LINEAR, via=(f"the network output {constructor}() gives "
                                                                     f"{residual.value}()",))
        return linked

    def probability_root(self, expr: cst.BaseExpression, site: Site) -> str | None:
        """The source text of the value `expr` passes on, through names, shape-only wrappers and a `where` whose
        other branch is a constant fill (`where(y == 1, y_pred, ones_like(y_pred))` passes on `y_pred`)."""
        at: Point = site
        for _ in range(_MAX_DEPTH):
            expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
            if not isinstance(expr, cst.Call):
                break
            op = self.analysis.op_of_call(expr)
            if op in _SHAPE_ONLY or op is Op.STOP_GRADIENT:
                expr = self.analysis.operand(expr) or expr
                continue
            if op is Op.WHERE:
                branches = [argument(expr, 1, "x"), argument(expr, 2, "y")]
                kept = [b for b in branches if b is not None and not self._is_fill(b, at)]
                if len(kept) != 1:
                    return None
                expr = kept[0]
                continue
            break
        if not isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
            return None
        return self.analysis.spelled(expr)

    def _is_fill(self, expr: cst.BaseExpression, at: Point) -> bool:
        if self._constant(expr, at.scope, at.seq, 0) is not None:
            return True
        qualified = self.analysis.qualified_name(expr.func) if isinstance(expr, cst.Call) else None
        return qualified is not None and qualified.rsplit(".", 1)[-1] in ("ones_like", "zeros_like", "fill", "ones",
                                                                          "zeros")

    def exp_call(self, expr: cst.BaseExpression, site: Site) -> cst.Call | None:
        """The exp call `expr` is, directly or through names (`f = tf.exp(f)`)."""
        expr = self.definition(expr, site)
        return expr if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.EXP else None

    @cached_property
    def hand_written_squashes(self) -> list[HandWrittenSquash]:
        """Every division that spells out a sigmoid or softmax with exp, and the exp calls it is built from (so
        that the exp is reported once, as the squash it is part of)."""
        found = []
        for division in self.analysis.divisions():
            node = division.node
            if division.numerator is None or not (
                    (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide))
                    or (isinstance(node, cst.Call) and self.analysis.op_of_call(node) is Op.DIVIDE)):
                continue
            exps: list[cst.Call] = []

            def is_exp(expr: cst.BaseExpression, site: Site = division.site) -> bool:
                call = self.exp_call(expr, site)
                if call is not None:
                    exps.append(call)
                return call is not None

            def unwrap(expr: cst.BaseExpression, site: Site = division.site) -> cst.BaseExpression:
                for _ in range(_MAX_DEPTH):
                    expr = self.definition(expr, site)
                    if not (isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) in _SHAPE_ONLY):
                        break
                    expr = self.analysis.operand(expr) or expr
                return expr

            squash = hand_written_squash(self.analysis, division.numerator, division.denominator, is_exp, unwrap)
            if squash is not None:
                found.append(HandWrittenSquash(node, division.site, squash, frozenset(exps), division.numerator,
                                               division.denominator))
        return found

    # -- evaluation -------------------------------------------------------------------------
    def _eval(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        if depth > _MAX_DEPTH:
            return UNKNOWN
        key = (id(expr), scope.name)
        if key in self._active:  # recursion through the source's own recursion
            return UNKNOWN
        self._active.add(key)
        try:
            return self._eval_inner(expr, scope, seq, depth + 1)
        finally:
            self._active.discard(key)

    def _eval_inner(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        if isinstance(expr, cst.Name):
            return self._eval_name(expr.value, scope, seq, depth)
        if isinstance(expr, cst.Call):
            return self._eval_call(expr, scope, seq, depth)
        if isinstance(expr, cst.BinaryOperation):
            return self._eval_binary(expr, scope, seq, depth)
        if isinstance(expr, cst.Attribute):
            return self._eval_attribute(expr, scope, seq, depth)
        if isinstance(expr, cst.Subscript):
            element = self._element(expr.value, _index_of(expr), scope, seq, depth)
            if element is not None:
                return element
            # indexing a tensor keeps its values (and its zeros)
            value = self._eval(expr.value, scope, seq, depth)
            if value.producer is None and _box_coordinate(expr) is not None:
                return Value(Producer.BOX_SIDE, subject=self.analysis.spelled(expr))
            return value
        return UNKNOWN

    def _eval_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value:
        binding = self.binder.resolve(name, At(scope, seq))
        if binding is None:
            return UNKNOWN
        return self._eval_binding(binding, depth)

    def _eval_binding(self, binding: Binding, depth: int) -> Value:
        if binding.kind is BindingKind.PARAMETER:
            return self._eval_parameter(binding.scope, binding.name, depth)
        if isinstance(binding.value, Unpacked):  # BindingKind.UNPACKED
            return self._eval_unpacked(binding.value, binding.scope, binding.seq, depth)
        if binding.element is not None:  # BindingKind.ELEMENT
            return self._eval_element(binding.element, binding.scope, binding.seq, depth)
        if binding.expression is not None:  # BindingKind.ASSIGNED
            return self._eval(binding.expression, binding.scope, binding.seq, depth)
        return UNKNOWN

    def _eval_attribute(self, expr: cst.Attribute, scope: Scope, seq: int, depth: int) -> Value:
        """`self.probs` set in another method, `obj.attr` of an instance of a module class (or of a class of
        another file of the project)."""
        imported = self._project_instance(expr.value, At(scope, seq))
        if imported is not None:
            other = imported.analysis.values
            for binding in imported.analysis.binder.attribute(imported.info, expr.attr.value):
                value = other._eval_binding(binding, depth)
                if value.producer is not None:
                    return value.through(f"{imported.info.name}.{expr.attr.value} in "
                                         f"{os.path.basename(imported.analysis.path)}")
            return UNKNOWN
        owner = self.binder.instance_class(expr.value, At(scope, seq))
        if owner is None:
            # `spectrogram.T`: an array's transpose holds its values
            return self._eval(expr.value, scope, seq, depth) if expr.attr.value in SAME_VALUES_ATTRIBUTES else UNKNOWN
        info, is_self = owner
        bindings = self.binder.attribute(info, expr.attr.value)
        # Set earlier in the same method, the last such assignment is the value (`self.p = clip(self.p, ...)`);
        # otherwise any method may have set it, and the value is a hazard if one of them makes it one.
        local = [binding for binding in bindings if is_self and binding.scope is scope and binding.seq < seq]
        for binding in local[-1:] or bindings:
            value = self._eval_binding(binding, depth)
            if value.producer is not None:
                return value.through(f"self.{expr.attr.value}")
        if bindings:
            return self._running_count(info, expr.attr.value, expr, depth) or UNKNOWN
        return self._property(info, expr.attr.value, depth)

    def _property(self, info: ClassInfo, name: str, depth: int) -> Value:
        """`self.probs` is what `def probs(self)` returns (`return self._probs`, followed in turn), for a property."""
        method = self.binder.method(info, name)
        if method is not None and method.is_property:
            for returned in method.returns:
                value = self._eval(returned, method, END, depth)
                if value.producer is not None:
                    return value.through(f"the property {info.name}.{name}")
        return UNKNOWN

    def _running_count(self, info: ClassInfo, attribute: str, read: cst.Attribute, depth: int) -> Value | None:
        """`self.tp = K.variable(0)`, only ever increased by a count (`K.update_add(self.tp, K.sum(...))`,
        `self.tp.assign_add(...)`) and reset to 0 (`K.set_value(self.tp, 0)`): a running count of that count's event,
        0 until a sample has it (keras-metrics' stateful true-positive layer, the first batches of an imbalanced
        data set)."""
        bindings = self.binder.attribute(info, attribute)
        if not bindings or depth > _MAX_DEPTH:
            return None
        for binding in bindings:
            initial = self.initial_value(binding.expression, binding.at) if binding.expression is not None else None
            if initial is None or self._constant(initial[0], initial[1].scope, initial[1].seq, depth + 1) != 0:
                return None
        events = self._counts_added(info, attribute, depth)
        if not events:
            return None
        event = events[0]
        for other in events[1:]:
            event = counting.union(event, other)
        return Value(Producer.COUNT, counts=(counting.Count(self.analysis.spelled(read), event),))

    def _counts_added(self, info: ClassInfo, attribute: str, depth: int) -> list[counting.Event] | None:
        """The events of the counts the class adds to `self.attribute`; None when it writes anything else to it (an
        increment that is not a count, a reset to a value that is not 0)."""
        events: list[counting.Event] = []
        for call in self.analysis.calls:
            written = self._state_write(call.node, attribute)
            if written is None or self.binder.enclosing_class(call.site.scope) is not info:
                continue
            method, value = written
            if method in _STATE_RESETS:
                if value is None or self._constant(value, call.site.scope, call.site.seq, depth + 1) != 0:
                    return None
                continue
            # (the increment is read where it is added, a question of its own: its depth starts again)
            added = self._eval(value, call.site.scope, call.site.seq, 0) if value is not None else UNKNOWN
            if not (_plain_count(added) and len(added.counts) == 1):
                return None
            events.append(added.counts[0].event)
        return events

    def _state_write(self, call: cst.Call, attribute: str) -> tuple[str, cst.BaseExpression | None] | None:
        """How a call writes `self.attribute`, and the value it writes: `K.update_add(self.a, v)`,
        `self.a.assign_add(v)`, `K.set_value(self.a, 0)`, `self.a.assign(0)`; None for a call that does not."""
        func = call.func
        target: cst.BaseExpression | None = None
        qualified = self.analysis.qualified_name(func)
        if qualified is None and isinstance(func, cst.Attribute) and func.attr.value in (
                *_STATE_INCREMENTS, *_STATE_RESETS):
            method, target, value = func.attr.value, func.value, argument(call, 0, "value")
        else:
            qualified = normalize(qualified or "")
            method = qualified.rsplit(".", 1)[-1]
            if not qualified.startswith(("keras.backend.", "tensorflow.")) or method not in (
                    *_STATE_INCREMENTS, *_STATE_RESETS):
                return None
            target, value = argument(call, 0, "x"), argument(call, 1, "value")
        if not (isinstance(target, cst.Attribute) and target.attr.value == attribute
                and isinstance(target.value, cst.Name) and target.value.value == "self"):
            return None
        return method, value

    def _eval_unpacked(self, unpacked: Unpacked, scope: Scope, seq: int, depth: int) -> Value:
        source = unpacked.source
        op = self.analysis.op_of_call(source) if isinstance(source, cst.Call) else None
        if op is Op.MOMENTS and unpacked.index == 1:
            return Value(Producer.VARIANCE)
        if op is Op.LOGITS_AND_PROBS and unpacked.index == 1 and isinstance(source, cst.Call):
            multidimensional = keyword(source, "multidimensional")
            softmax = multidimensional is not None and _truth(self, multidimensional, At(scope, seq))
            return Value(Producer.SOFTMAX if softmax else Producer.SIGMOID, via=("get_logits_and_probs()",))
        return self._element(source, unpacked.index, scope, seq, depth) or UNKNOWN

    def _eval_element(self, element: Element, scope: Scope, seq: int, depth: int) -> Value:
        """A loop or comprehension target: the element of what it iterates (a list built by a comprehension, a
        literal or `append`, `zip`/`enumerate` of those, the slices of `tf.unstack(x)`), or of a tensor, whose
        rows keep its values."""
        value = self._element(element.iterable, ANY, scope, seq, depth, element.path)
        if value is None:
            value = self._eval(element.iterable, scope, seq, depth)
        return value.through(f"an element of {self._describe(element.iterable)}")

    def _element(self, container: cst.BaseExpression, index: Index | None, scope: Scope, seq: int,
                 depth: int, rest: tuple[Index, ...] = ()) -> Value | None:
        """Element `index` of a tuple, list or dict (literal, built by a comprehension or by `append`, bound to a
        name, or returned by a module function), then the parts `rest` of that element (`pairs[i][1]`); None when
        the container is not one the analysis sees."""
        if index is None or depth > _MAX_DEPTH:  # functions returning their own call's elements recurse
            return None
        appended = self._appended(container, index, At(scope, seq), depth, rest)
        if appended is not None:
            return appended
        container, at = self.binder.follow(container, At(scope, seq), _MAX_DEPTH)
        if isinstance(container, cst.Name):
            binding = self.binder.resolve(container.value, at)
            if binding is not None and binding.element is not None:  # `for row in rows: ... row[0]`
                element = binding.element
                return self._element(element.iterable, ANY, binding.scope, binding.seq, depth + 1,
                                     (*element.path, index, *rest))
            return self._element_of_parameter(container, index, at, depth, rest)
        if isinstance(container, (cst.Tuple, cst.List, cst.Set, cst.Dict)):
            return self._element_of_literal(container, index, at, depth, rest)
        if isinstance(container, (cst.ListComp, cst.GeneratorExp, cst.SetComp)) and not isinstance(index, str):
            inside = self.analysis.comprehensions.get(container)
            return self._part(container.elt, rest, At(at.scope, inside), depth) if inside is not None else None
        if isinstance(container, cst.Call):
            iterated = self._iterated_call(container, index, at, depth, rest)
            return iterated if iterated is not None else self._element_returned(container, index, at, depth, rest)
        return None

    def _element_of_literal(self, container: cst.Tuple | cst.List | cst.Set | cst.Dict, index: Index, at: Point,
                            depth: int, rest: tuple[Index, ...]) -> Value | None:
        """Element `index` of a literal tuple, list, set (by position) or dict (by string key), then its parts."""
        if isinstance(container, cst.Dict):
            if not isinstance(index, str):
                return None
            for item in container.elements:
                if isinstance(item, cst.DictElement) and isinstance(item.key, cst.SimpleString) \
                        and item.key.evaluated_value == index:
                    return self._part(item.value, rest, at, depth)
            return UNKNOWN
        if isinstance(index, str):
            return None
        if any(isinstance(e, cst.StarredElement) for e in container.elements):
            return UNKNOWN
        elements = [element.value for element in container.elements]
        if index is ANY:  # whichever element: a hazard if one of them is
            values = (self._part(element, rest, at, depth) for element in elements)
            return next((value for value in values if value.producer is not None), UNKNOWN)
        if isinstance(index, int) and -len(elements) <= index < len(elements):
            return self._part(elements[index], rest, at, depth)
        return UNKNOWN

    def _part(self, expr: cst.BaseExpression, path: tuple[Index, ...], at: Point, depth: int) -> Value:
        """The value of `expr[path[0]][path[1]]...` (of `expr` itself for an empty path); a part of a tensor has
        the tensor's values."""
        if not path:
            return self._eval(expr, at.scope, at.seq, depth)
        found = self._element(expr, path[0], at.scope, at.seq, depth + 1, path[1:])
        return found if found is not None else self._eval(expr, at.scope, at.seq, depth)

    def _iterated_call(self, call: cst.Call, index: Index, at: Point, depth: int,
                       rest: tuple[Index, ...]) -> Value | None:
        """An element of what a builtin iterates (`zip(a, b)`, `enumerate(xs)`, `list(xs)`, `sorted(xs)`) or of
        the slices `tf.unstack(x)` / `tf.split(x, n)` return; None for any other call."""
        func = call.func
        qualified = self.analysis.qualified_name(func)
        if qualified is not None:
            operand = argument(call, 0, "value")
            if normalize(qualified) in SLICING_OPS and operand is not None:
                return self._eval(operand, at.scope, at.seq, depth)
            return None
        if not isinstance(func, cst.Name) or self.binder.resolve(func.value, at) is not None:
            return None  # not the builtin: a function of the module, or a name bound to something else
        iterables = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        if not iterables:
            return None
        if func.value == "zip" or (func.value == "enumerate" and len(iterables) == 1):
            if not rest or not isinstance(rest[0], int):
                return UNKNOWN  # the tuple as a whole, or a part of it not known
            parts = iterables if func.value == "zip" else [None, iterables[0]]  # enumerate: (count, element)
            part = parts[rest[0]] if 0 <= rest[0] < len(parts) else None
            if part is None:
                return UNKNOWN
            return self._element(part, ANY, at.scope, at.seq, depth + 1, rest[1:]) or UNKNOWN
        if func.value in _SAME_ELEMENTS or func.value in _REORDERED_ELEMENTS:
            kept = index if func.value in _SAME_ELEMENTS else ANY
            return self._element(iterables[0], kept, at.scope, at.seq, depth + 1, rest)
        if func.value == "map" and len(iterables) >= 2 and not rest:
            # `map(f, xs)`: f applied to an element of each iterable, spelled `f(xs[i], ...)` with a computed index
            # (which `_element` reads as whichever element)
            applied = cst.Call(func=iterables[0], args=[
                cst.Arg(cst.Subscript(value=xs, slice=[cst.SubscriptElement(cst.Index(cst.Name("i")))]))
                for xs in iterables[1:]])
            return self._eval(applied, at.scope, at.seq, depth + 1)
        return None

    def _appended(self, container: cst.BaseExpression, index: Index, at: Point, depth: int,
                  rest: tuple[Index, ...]) -> Value | None:
        """An element of a list literal bound to a name and grown with `append`/`extend`/`insert` (`out = []`, then
        `out.append(softmax(x))` in a loop): a hazard if one of its elements is. None for any other container."""
        if not isinstance(container, cst.Name) or isinstance(index, str):
            return None
        binding = self.binder.resolve(container.value, at)
        if binding is None or not isinstance(binding.expression, cst.List):
            return None
        grown = self.binder.method_calls(binding, GROWING_METHODS)
        if not grown:
            return None
        for call in grown:
            method = call.node.func.attr.value if isinstance(call.node.func, cst.Attribute) else None
            added = argument(call.node, 1 if method == "insert" else 0)
            if added is None:
                continue
            if method == "extend":
                value = self._element(added, ANY, call.site.scope, call.site.seq, depth + 1, rest)
            else:
                value = self._part(added, rest, call.site, depth + 1)
            if value is not None and value.producer is not None:
                return value
        literal = self._element(binding.expression, ANY, binding.scope, binding.seq, depth + 1, rest)
        return literal if literal is not None else UNKNOWN

    def _element_of_parameter(self, name: cst.Name, index: Index, at: Point, depth: int,
                              rest: tuple[Index, ...] = ()) -> Value | None:
        """`z_mean, z_log_var = inputs` in a layer's call(): the element of the container its caller passes."""
        binding = self.binder.resolve(name.value, at)
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None
        passed = self._argument_in_frame(binding.scope, binding.name)
        if passed is not None:
            return passed[2]._element(passed[0], index, passed[1].scope, passed[1].seq, depth + 1, rest)
        if id(binding.scope) in self._frames:
            # inside one of its callers' calls, which does not name the parameter (`RegNetY(**locals())`): trying
            # every caller again from there multiplies the work by the number of callers at every level
            # (keras-cv-attention-models' regnet.py, six callers, never finished)
            return None
        for call, caller in self._callers.get(id(binding.scope), ()):
            with self._frame(binding.scope, call, caller):
                value = self._element(name, index, at.scope, at.seq, depth + 1, rest)
            if value is not None and value.producer is not None:
                return value.through(f"{binding.scope.name}() called as {self._describe(call)}")
        return None

    def _element_returned(self, call: cst.Call, index: Index, at: Point, depth: int,
                          rest: tuple[Index, ...] = ()) -> Value | None:
        """Element `index` of what a function of this module or another file returns, for this call."""
        callee = self._callee(call.func, at.scope, at.seq, depth)
        # a recursive call's element is what the function's other returns give, which the outer evaluation is
        # already looking at (as in `_returns_of`): following it again multiplies the work by the number of returns
        # at every level (statsmodels' rotate_factors, a dozen `return rotate_factors(...)`, never finished)
        if isinstance(callee, _ProjectFunction) and id(callee.function) in callee.analysis.values._frames or \
                isinstance(callee, Scope) and id(callee) in self._frames:
            return UNKNOWN
        if isinstance(callee, _ProjectFunction):  # `a, b = backbone.inference(x)` of another file's class
            other = callee.analysis.values
            with other._frame(callee.function, call, at, self):
                for returned in other._live_returns(callee.function):
                    value = other._element(returned, index, callee.function, END, depth + 1, rest)
                    if value is not None and value.producer is not None:
                        return value.through(f"{callee.function.name}() in {os.path.basename(callee.analysis.path)}")
            return UNKNOWN
        if isinstance(callee, Scope):
            with self._frame(callee, call, at):
                for returned in self._live_returns(callee):
                    value = self._element(returned, index, callee, END, depth + 1, rest)
                    if value is not None and value.producer is not None:
                        return value.through(f"{callee.name}()")
            return UNKNOWN
        return None

    def _eval_parameter(self, function: Scope, name: str, depth: int) -> Value:
        """A parameter is the argument of the call being evaluated; outside one, what its callers in this module
        pass (flagged if any caller passes a hazard), or its default. A loss function's `y_pred` also
        receives the output of the model compiled with it."""
        passed = self._argument_in_frame(function, name)
        if passed is not None:
            expr, caller, engine = passed
            value = engine._eval(expr, caller.scope, caller.seq, depth)
            frame = self._frames[id(function)]
            return value.through(f"{function.name.rsplit('.', 1)[-1]}() called as {self._describe(frame.call)}")
        index = parameter_index(function, name)
        short = function.name.rsplit(".", 1)[-1]
        linked = self._linked_output(function, index)
        if linked is not None:
            return linked
        for call, caller in self._callers.get(id(function), ()):
            passed_here = argument(call, index, name)
            if passed_here is None:
                continue
            value = self._eval(passed_here, caller.scope, caller.seq, depth)
            if value.producer is not None:
                return value.through(f"{short}() called as {self._describe(call)}")
        if index == 0 and short in _BIJECTOR_INVERSES:
            forward = self._bijector_forward(function, depth)
            if forward is not None:
                return forward
        passed_elsewhere = self._passed_by_other_files(function, name, index, depth)
        if passed_elsewhere.producer is None and index in (0, 1) \
                and _passed_parameters(function)[:2] == list(LABEL_SIGNATURE):
            return self._loss_argument(function, name, index)
        return passed_elsewhere

    def _linked_output(self, function: Scope, index: int | None) -> Value | None:
        """The model or network output a parameter receives from what calls the function outside this module's
        code: `y_pred` (the second argument) of a loss function or loss object given to `compile`, the network
        output a DeepXDE-style constructor passes its residual callback."""
        if index != 1:
            return None
        short = function.name.rsplit(".", 1)[-1]
        if function.class_name is None and short in self.compiled_losses:
            return self.compiled_losses[short]
        if id(function) in self.compiled_loss_objects:
            return self.compiled_loss_objects[id(function)]
        if function.class_name is None and short in self.residual_functions:
            return self.residual_functions[short]
        return None

    def _loss_argument(self, function: Scope, name: str, index: int) -> Value:
        """What nothing else tells about an argument of a loss or metric `fn(y_true, y_pred)`: y_true holds 0/1
        labels; y_pred is a probability where the function reads it as one (`_read_as_probability`)."""
        if index == 0:
            return Value(Producer.LABELS, mask=name)
        read = self._read_as_probability(function, name)
        return Value(Producer.SIGMOID, via=(read,)) if read is not None else UNKNOWN

    def _read_as_probability(self, function: Scope, name: str) -> str | None:
        """How a loss `fn(y_true, y_pred)` whose model is not in view reads `y_pred` as a probability: a where()
        whose condition tests something else (the labels) and whose branches are `1 - p` and `p` for a `p` that
        holds entries of `y_pred` (the focal loss's p_t, `where(labels == 1, 1 - p, p)`). A probability the code
        does not clip saturates to exactly 0 and 1 (a sigmoid at |x| >= 16.75 in float32), as the hand-written
        cross-entropy's log(p) and log(1 - p) say in NAN001. None when no such where() is in the function."""
        for node in descendants(function.node):
            if not isinstance(node, cst.Call) or self.analysis.op_of_call(node) is not Op.WHERE:
                continue
            site = self.analysis.sites.get(node)
            condition, taken, otherwise = argument(node, 0, "condition"), argument(node, 1, "x"), argument(node, 2, "y")
            if site is None or site.scope is not function or condition is None or taken is None or otherwise is None:
                continue
            for complement, plain in ((taken, otherwise), (otherwise, taken)):
                form = self.analysis.operator_form(complement)
                if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)
                        and numeric_literal(form.left) == 1.0
                        and self.analysis.code_of(form.right) == self.analysis.code_of(plain)):
                    continue
                if self._holds_entries_of(plain, site, function, name) and not (
                        self._sources(condition, site, 0) & self._sources(plain, site, 0)):
                    return (f"`{name}` read as a probability by where({self.analysis.spelled(condition)}, "
                            f"{self.analysis.spelled(taken)}, {self.analysis.spelled(otherwise)})")
        return None

    def _holds_entries_of(self, expr: cst.BaseExpression, at: Point, function: Scope, name: str) -> bool:
        """`expr` holds entries of the parameter `name` of `function`, unchanged: through names, subscripts and
        operations that move or retype elements (`gather_nd(y_pred, indices)`, `reshape`, `cast`)."""
        def keeping(call: cst.Call) -> cst.BaseExpression | None:
            return self.analysis.operand(call) if self.analysis.op_of_call(call) in KEEP_ELEMENTS else None

        parameter = self.parameter_entries(expr, at, keeping)
        return parameter is not None and parameter.scope is function and parameter.name == name

    def parameter_entries(self, expr: cst.BaseExpression, at: Point,
                          through: Callable[[cst.Call], cst.BaseExpression | None]) -> Binding | None:
        """The parameter whose entries `expr` holds unchanged, followed through names, subscripts and the calls
        `through` sees into (it returns what such a call takes, None for a call that changes entries)."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, cst.Subscript):
                expr = expr.value
                continue
            if isinstance(expr, cst.Call):
                inner = through(expr)
                if inner is None:
                    return None
                expr = inner
                continue
            if not isinstance(expr, cst.Name):
                return None
            binding = self.binder.resolve(expr.value, at)
            if binding is None:
                return None
            if binding.kind is BindingKind.PARAMETER:
                return binding
            if binding.expression is None:
                return None
            expr, at = binding.expression, binding.at
        return None

    def _bijector_forward(self, function: Scope, depth: int) -> Value | None:
        """A bijector's `_inverse(self, y)` and `_inverse_log_det_jacobian(self, y)` receive y = `_forward(x)` (the
        TFP Bijector contract): what the class's own `_forward` returns, when that is known, in a class derived
        from a `...Bijector` base (`bijector.Bijector`, `AutoCompositeTensorBijector`)."""
        cls = self.analysis.classes.get(function.class_name or "")
        if cls is None or not any("Bijector" in base.rsplit(".", 1)[-1] for base in cls.bases):
            return None
        forward = cls.methods.get("_forward")
        if forward is None or forward is function or id(forward) in self._frames:
            return None
        value = self._returns_of(forward, depth + 1, f"{cls.name}._forward(), the bijector's forward map")
        return value if value.producer is not None else None

    def _other_file_callers(self, function: Scope) -> list[tuple[ModuleAnalysis, CallSite]]:
        """The calls other files of the project make of one of this file's module-level functions; none for a
        method, a nested function, or while this analysis is a summary built for another file (one step back from
        the file being linted only, see project.py)."""
        from nanlint import project

        current = project.current()
        if current is None or function.class_name is not None or function.parent is not self.analysis.module_scope \
                or current.is_summary(self.analysis):
            return []
        return current.callers(self.analysis.path, function.name)

    def _passed_by_other_files(self, function: Scope, name: str, index: int | None, depth: int) -> Value:
        """What the other files of the project pass for a parameter of one of this file's module-level functions
        (`kl_loss(self.feats, ...)` in run_net.py). One step back from the file being linted only: a summary
        built for another file does not look further back (see project.py)."""
        for other, call in self._other_file_callers(function):
            passed = argument(call.node, index, name)
            if passed is None:
                continue
            value = other.values._eval(passed, call.site.scope, call.site.seq, depth)
            if value.producer is not None:
                if self.analysis.outside_frameworks and not other.outside_frameworks:
                    value = replace(value, framework_caller=True)
                return value.through(f"{function.name}() called as {other.values._describe(call.node)} in "
                                     f"{os.path.basename(other.path)}")
        return UNKNOWN

    @cached_property
    def _callers(self) -> dict[int, list[tuple[cst.Call, At]]]:
        """The calls of each module function in this module, including a layer's or model's `call()` reached by
        calling what a construction built (`Sampling()([a, b])`, `layer = Block(); layer(x)`) and `__init__`
        reached by constructing the class."""
        saved, self._frames = self._frames, {}  # resolve every call in its own context, not the one in progress
        self._reading_callers = True  # and a parameter called inside is not looked up among the callers being read
        try:
            found: dict[int, list[tuple[cst.Call, At]]] = {}
            for call in self.analysis.calls:
                if call.op is not None:
                    continue
                node = self._mapped_call(call.node) or call.node
                target = self._called_function(node, At(call.site.scope, call.site.seq))
                if target is not None:
                    found.setdefault(id(target), []).append((node, At(call.site.scope, call.site.seq)))
            return found
        finally:
            self._frames = saved
            self._reading_callers = False

    def _mapped_call(self, call: cst.Call) -> cst.Call | None:
        """`tf.map_fn(fn, elems)` as the call `fn(elems)` it makes (on each slice, which has the same numerics)."""
        if normalize(self.analysis.qualified_name(call.func) or "") not in _MAPPING_CALLS:
            return None
        function, elements = argument(call, 0, "fn"), argument(call, 1, "elems")
        if function is None or elements is None:
            return None
        return cst.Call(func=function, args=[cst.Arg(elements)])

    def _called_function(self, call: cst.Call, at: At) -> Scope | None:
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.analysis.classes and self.binder.resolve(func.value, at) is None:
            return self.binder.method(self.analysis.classes[func.value], "__init__")
        callee = self._callee(func, at.scope, at.seq, 0)
        if isinstance(callee, Scope):
            return callee
        if isinstance(callee, _Construction):
            built = callee.node.func
            if isinstance(built, cst.Name) and built.value in self.analysis.classes:
                return self.binder.called_method(self.analysis.classes[built.value])
            return self._lambda_function(callee.node, callee.at)
        return None

    def _lambda_function(self, construction: cst.Call, at: At) -> Scope | None:
        """The function a `Lambda(fn)` layer applies: its parameter is what the layer is called on."""
        if normalize(self.analysis.qualified_name(construction.func) or "") != "keras.layers.Lambda" \
                or not construction.args:
            return None
        function = self._callee(construction.args[0].value, at.scope, at.seq, 0)
        return function if isinstance(function, Scope) else None

    def _argument_in_frame(self, function: Scope, name: str) -> tuple[cst.BaseExpression, Point, ValueFacts] | None:
        """What the call being evaluated passes for a parameter (or its default), where, and the engine of the
        file that evaluates it."""
        frame = self._frames.get(id(function))
        if frame is None:
            return None
        passed = argument(frame.call, parameter_index(function, name), name)
        if passed is not None:
            return passed, frame.caller, frame.engine
        default = function.defaults.get(name)
        return (default, At(function.parent or function, END), self) if default is not None else None

    def _live_returns(self, function: Scope) -> list[cst.BaseExpression]:
        """The returns of `function` that the call being evaluated can reach: not one under `if flag:` (or after
        `if not flag: return ...`) whose flag is a parameter the call leaves at, or passes, a constant that fails
        the test (`decode(z)` of `def decode(z, apply_sigmoid=False)` returns the logits, not the `sigmoid` under
        `if apply_sigmoid:`). All of them outside a call, or when none would be left."""
        if len(function.returns) < 2 or id(function) not in self._frames:
            return function.returns
        live = [returned for returned in function.returns if not self._ruled_out(function, returned)]
        return live or function.returns

    def _ruled_out(self, function: Scope, returned: cst.BaseExpression) -> bool:
        """A condition the return is reached under tests a parameter's truth (`if flag:`) or whether it is None
        (`if x2 is None:`, GPflow's `square_distance(X, None)`), and the call makes it fail."""
        statement = self.analysis.return_statements.get(returned)
        if statement is None:
            return False
        site = Site(statement, function, self.analysis.statement_seqs.get(statement, END))
        for condition in self.analysis.conditions.at(site, returned):
            if condition.kind not in (ConditionKind.IF, ConditionKind.EXIT) or condition.loops:
                continue
            test, holds = condition.test, condition.holds
            while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
                test, holds = test.expression, not holds
            truth = self._parameter_test(function, test, site.seq)
            if truth is not None and truth is not holds:
                return True
        return False

    def _parameter_test(self, function: Scope, test: cst.BaseExpression, seq: int) -> bool | None:
        """The outcome, for the call being evaluated, of `test` on a parameter of `function`: its truth (`flag`) or
        whether it is None (`x2 is None`, `x2 is not None`). None when the test reads no parameter or the argument
        is not known to be (or not to be) a constant."""
        negated = False
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 \
                and isinstance(test.comparisons[0].operator, (cst.Is, cst.IsNot)) \
                and isinstance(test.comparisons[0].comparator, cst.Name) and test.comparisons[0].comparator.value == "None":
            negated = isinstance(test.comparisons[0].operator, cst.IsNot)
            tested: cst.BaseExpression = test.left
        else:
            tested = test
        if not isinstance(tested, cst.Name) or tested.value not in function.params or tested.value in _CALL_CONTEXT:
            return None
        binding = self.binder.resolve(tested.value, At(function, seq))
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None  # reassigned before the test
        passed = self._argument_in_frame(function, tested.value)
        if passed is None:
            return None
        if tested is test:
            return _truth(passed[2], passed[0], passed[1])
        none = _is_none(passed[2], passed[0], passed[1])
        return None if none is None else none is not negated

    @contextmanager
    def _frame(self, function: Scope, call: cst.Call, caller: Point, engine: ValueFacts | None = None) -> Iterator[None]:
        previous = self._frames.get(id(function))
        self._frames[id(function)] = _Frame(call, caller, engine or self)
        try:
            yield
        finally:
            if previous is None:
                del self._frames[id(function)]
            else:
                self._frames[id(function)] = previous

    def _describe(self, node: cst.CSTNode) -> str:
        code = self.analysis.spelled(node)
        return code if len(code) <= 40 else code[:37] + "..."

    def _returns_of(self, function: Scope, depth: int, step: str, call: cst.Call | None = None,
                    caller: At | None = None, engine: ValueFacts | None = None) -> Value:
        if call is not None and caller is not None:
            if id(function) in self._frames:
                # a recursive call returns what the function's other returns give, which the outer evaluation
                # is already looking at; following it again multiplies the work by the number of returns at
                # every level (an AST interpreter with dozens of returns never finished)
                return UNKNOWN
            with self._frame(function, call, caller, engine):
                return self._returns_of(function, depth, step)
        for returned in self._live_returns(function):
            # (each return reads the bindings its own statement sees: `if x2 is None: d = ...; return d` returns that
            # branch's d, not the one a later statement binds)
            statement = self.analysis.return_statements.get(returned)
            seq = self.analysis.statement_seqs.get(statement, END) if statement is not None else END
            value = self._eval(returned, function, seq, depth)
            if value.producer is not None:
                return value.through(step)
        return UNKNOWN

    # -- other files of the project ---------------------------------------------------------
    def _project_class(self, func: cst.BaseExpression) -> _ProjectClass | None:
        """The class of another project file that `func` names (`Network` after `from models.network import
        Network`)."""
        qualified = self.analysis.qualified_name(func)
        return _project_class(self.analysis, qualified) if qualified is not None else None

    def project_function(self, func: cst.BaseExpression) -> Scope | None:
        """The module-level function of another project file that `func` names (`partial_losses` after `from
        utils.losses import partial_losses`, in a run over the project); None outside a project run."""
        qualified = self.analysis.qualified_name(func)
        found = _project_function(self.analysis, qualified) if qualified is not None else None
        return found.function if found is not None else None

    def _project_instance(self, expr: cst.BaseExpression, at: Point) -> _ProjectClass | None:
        """The class of another project file that `expr` is an instance of: `Network()`, or a name bound to it."""
        expr, _ = self.binder.follow(expr, at, _MAX_DEPTH)
        return self._project_class(expr.func) if isinstance(expr, cst.Call) else None

    # -- what a call calls ------------------------------------------------------------------
    def function_called(self, call: cst.Call, at: At) -> tuple[ModuleAnalysis, Scope] | None:
        """The function of this module or of another project file that a call runs, followed as the value engine
        follows callees (names, parameters, instances of the module's and other files' classes, static methods
        through their class); None for a library operation, a construction, or what cannot be followed."""
        callee = self._callee(call.func, at.scope, at.seq, 0)
        if isinstance(callee, _ProjectFunction):
            return callee.analysis, callee.function
        return (self.analysis, callee) if isinstance(callee, Scope) else None

    def _callee(self, func: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Callee:
        """What the expression in call position denotes: a library operation, a module function or lambda
        (its Scope), a construction (`Dense(...)`, `Model(...)`, `MyModel()`) with where it was built, or None.
        Followed through names, parameters bound at the call site being evaluated, defaults and `self.`."""
        for _ in range(_MAX_DEPTH):
            step = self._callee_step(func, scope, seq, depth)
            if not isinstance(step, _Follow):
                return step
            func, scope, seq = step.expr, step.scope, step.seq
        return None

    def _callee_step(self, func: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Callee | _Follow:
        """What `func` denotes, or the expression to follow to find out."""
        qualified = self.analysis.qualified_name(func)
        if qualified is not None:
            return operation_of(qualified) or _project_function(self.analysis, qualified)
        if isinstance(func, cst.Lambda):
            return self.analysis.lambdas.get(func)
        if isinstance(func, cst.Call):
            return _Construction(func, At(scope, seq))
        if isinstance(func, cst.Attribute):
            return self._attribute_callee(func, scope, seq)
        if isinstance(func, cst.Name):
            return self._name_callee(func, scope, seq, depth)
        return None

    def _attribute_callee(self, func: cst.Attribute, scope: Scope, seq: int) -> Callee | _Follow:
        """`obj.method` of an instance of a class of this module or another file, `self.fn` set to a callable,
        `model.predict` / `model.__call__`, `super().call` of a Keras layer class."""
        if _is_super(func.value) and func.attr.value == "call":
            return self._base_layer_operation(scope)
        imported = self._project_instance(func.value, At(scope, seq))
        if imported is not None:  # `backbone = Network(); backbone.inference(x)`, Network from another file
            method = imported.analysis.binder.method(imported.info, func.attr.value)
            return _ProjectFunction(imported.analysis, method) if method is not None else None
        owner = self.binder.instance_class(func.value, At(scope, seq))
        if owner is not None:
            info, _ = owner
            method = self.binder.method(info, func.attr.value)
            if method is not None:
                return method
            assigned = next((binding for binding in reversed(self.binder.attribute(info, func.attr.value))
                             if binding.expression is not None), None)
            if assigned is None or assigned.expression is None:
                return None
            return _Follow(assigned.expression, assigned.scope, assigned.seq)
        if func.attr.value in ("predict", "predict_on_batch", "__call__"):
            return _Follow(func.value, scope, seq)
        return None

    def _base_layer_operation(self, scope: Scope) -> Op | None:
        """The operation a Keras layer class that the enclosing class derives from computes in its `call`
        (`super().call(tf.square(x))` in a subclass of AveragePooling2D is a pooled mean of squares)."""
        method: Scope | None = scope
        while method is not None and method.class_name is None:
            method = method.parent
        info = self.analysis.classes.get(method.class_name) if method is not None and method.class_name else None
        if info is None:
            return None
        for cls in self.binder.lineage(info):
            for base in cls.bases:
                op = _LAYER_OPERATIONS.get(normalize(base).rsplit(".", 1)[-1]) if normalize(base).startswith(
                    "keras.layers.") else None
                if op is not None:
                    return op
        return None

    def _name_callee(self, func: cst.Name, scope: Scope, seq: int, depth: int) -> Callee | _Follow:
        """What a name is bound to; a parameter is what the call being evaluated passes."""
        binding = self.binder.resolve(func.value, At(scope, seq))
        if binding is None:
            return self.analysis.functions.get(func.value)
        if binding.kind is BindingKind.PARAMETER:
            passed = self._argument_in_frame(binding.scope, func.value)
            if passed is None:
                return self._callee_its_callers_pass(binding.scope, func.value, depth)
            if passed[2] is not self:  # a callable passed from another file: what it denotes there
                other = passed[2]._callee(passed[0], passed[1].scope, passed[1].seq, depth + 1)
                if isinstance(other, Scope):
                    return _ProjectFunction(passed[2].analysis, other)
                return other if isinstance(other, (Op, _ProjectFunction)) else None
            return _Follow(passed[0], passed[1].scope, passed[1].seq)
        if binding.kind is BindingKind.OPAQUE:
            return self.binder.local_function(binding.scope, func.value)
        if binding.expression is None:
            return None
        return _Follow(binding.expression, binding.scope, binding.seq)

    def _callee_its_callers_pass(self, function: Scope, name: str, depth: int) -> Callee:
        """What a callable parameter denotes outside a call being evaluated: what every call of its function in
        this module passes for it, when they all pass the same (`model(x)` in a training step nested in
        `train(model)`, called as `train(Unet())`: Unet's `call`). None when they differ or nothing is passed."""
        key = (id(function), name)
        if self._reading_callers or depth > _MAX_DEPTH or key in self._passed_callees:
            return None  # (a function passing its own parameter on to itself is no new answer)
        self._passed_callees.add(key)
        try:
            index = parameter_index(function, name)
            found: dict[str, Callee] = {}
            for call, caller in self._callers.get(id(function), ()):
                passed = argument(call, index, name)
                callee = self._callee(passed, caller.scope, caller.seq, depth + 1) if passed is not None else None
                if callee is None:
                    return None
                found[self.analysis.spelled(callee.node.func) if isinstance(callee, _Construction) else str(id(
                    callee.function if isinstance(callee, _ProjectFunction) else callee))] = callee
            return next(iter(found.values())) if len(found) == 1 else None
        finally:
            self._passed_callees.discard(key)

    def _eval_call(self, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        callee = self._callee(call.func, scope, seq, depth)
        if isinstance(callee, Op):
            return self._eval_operation(callee, call, scope, seq, depth)
        if isinstance(callee, _ProjectFunction):
            # what the other file's function returns for the arguments this call passes (evaluated here)
            other = callee.analysis.values
            returned = other._returns_of(callee.function, depth, f"{callee.function.name}()", call, At(scope, seq),
                                         self)
            return returned.through(f"{os.path.basename(callee.analysis.path)}")
        if isinstance(callee, Scope):
            step = "lambda" if isinstance(callee.node, cst.Lambda) else f"{callee.name}()"
            return self._returns_of(callee, depth, step, call, At(scope, seq))
        if isinstance(callee, _Construction):
            name = self._describe(call.func)
            return self._eval_construction(callee.node, callee.at.scope, callee.at.seq, depth, name,
                                           applied=(call, At(scope, seq)))
        # a method spelling of an operation (`a.std(axis=0)`)
        # (or an operation spelled on a `backend` module the run lacks: ModuleAnalysis.absent_backend_operation)
        op = self.analysis.op_of_call(call) if self.analysis.qualified_name(call.func) is None else None
        if op is not None:
            return self._eval_operation(op, call, scope, seq, depth)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in SAME_VALUES_METHODS and (
                self.analysis.qualified_name(call.func) is None):
            # `data.std(axis=0).astype(np.float32)`, `spectrogram.numpy()`: the array's values, zeros included
            return self._eval(call.func.value, scope, seq, depth).through(f"{call.func.attr.value}()")
        if normalize(self.analysis.qualified_name(call.func) or "") in _WINDOW_SUMS:
            return self._eval_window_sum(call, scope, seq, depth)
        summed = argument(call, 0, "iterable")
        if isinstance(call.func, cst.Name) and call.func.value == "sum" and len(call.args) == 1 \
                and isinstance(summed, (cst.ListComp, cst.GeneratorExp)) and self.binder.resolve("sum", At(scope, seq)) is None:
            # the builtin over a comprehension (`sum(i ** 2 for i in x)`): a reduction of the element expression
            return self._eval_reduction(summed, scope, seq, depth, summed=True)
        return UNKNOWN

    def _eval_where(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                    depth: int) -> Value:
        """`where(c, a, b)` (`K.switch`, `keras.ops.where`): each entry is a's or b's, so it is 0 where the branch
        taken there can be (`where(labels == 1, 1 - p, p)`: 0 where the sigmoid saturates either way) and signed
        if a branch is. A branch whose zeros the condition may decide does not count: a condition that tests what
        the branch is computed from (`where(r > 0, r, 1)` guards r; `where(p > 0.5, 1 - p, p)` takes 1 - p only
        where it is >= 0.5). The first branch that counts is the value, named in its flow."""
        condition = argument(call, 0, "condition")
        taken = argument(call, 1, "x") or keyword(call, "then_expression") or keyword(call, "x1")
        otherwise = argument(call, 2, "y") or keyword(call, "else_expression") or keyword(call, "x2")
        if condition is None or taken is None or otherwise is None:
            return UNKNOWN  # `where(c)`: the indices where c holds
        branches = (taken, otherwise)
        at = At(scope, seq)
        tested: set[str] | None = None
        signed: Value | None = None
        for index, branch in enumerate(branches):
            value = self._eval(branch, scope, seq, depth)
            zero = value.zero_when is not None
            if not zero and not (value.producer in _SIGNED_PRODUCERS and value.guard is None):
                continue
            if tested is None:
                tested = self._sources(condition, at, 0)
            if tested & self._sources(branch, at, 0):
                continue
            which = "true" if index == 0 else "false"
            selected = replace(value, selected=True).through(
                f"where()'s {which} branch `{self.analysis.spelled(branch)}`")
            if zero:
                return selected
            signed = signed or selected
        return signed or UNKNOWN

    def sources(self, expr: cst.BaseExpression, at: Point) -> frozenset[str]:
        """The names (and `self.` attributes) `expr` is computed from, followed through their bindings (four deep):
        `bool_mask = not_equal(reduce_sum(abs(tile(mu, [n, 1]) - ...)), 0)` is computed from `n`."""
        return frozenset(self._sources(expr, at, 0))

    def _sources(self, expr: cst.BaseExpression, at: Point, depth: int) -> set[str]:
        """The names (and `self.` attributes) a value is computed from, followed through their bindings: what a
        where() condition must not share with a branch for that branch's zeros to be the selection's. Of a
        gather or mask, the values only: the rows it selects come from anywhere (`gather_nd(p, indices)`)."""
        found: set[str] = set()
        pending: list[cst.CSTNode] = [expr]
        while pending:
            node = pending.pop()
            if isinstance(node, cst.Name):
                binding = self.binder.resolve(node.value, at) if node.value not in ("self", "cls") else None
                if binding is None or node.value in found:
                    continue
                found.add(node.value)
                source = binding.expression or (binding.value.source if isinstance(binding.value, Unpacked) else None) \
                    or (binding.element.iterable if binding.element is not None else None)
                if source is not None and depth < 4:
                    found |= self._sources(source, binding.at, depth + 1)
            elif isinstance(node, cst.Attribute):
                if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
                    found.add(f"self.{node.attr.value}")
                else:
                    pending.append(node.value)
            elif isinstance(node, cst.Call):
                name = self.analysis.code_of(node.func).rsplit(".", 1)[-1]
                values = argument(node, 0, "params") if name in _SELECTIONS else None
                pending.extend([values] if values is not None else [node.func, *(arg.value for arg in node.args)])
            else:
                pending.extend(children(node))
        return found

    def _eval_window_sum(self, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        """A convolution of squares (`conv2d(x ** 2, filter)`, an L2 pooling, a local contrast norm's energy) is a
        weighted sum of squares over each window, whatever the filter: exactly 0 on a window where x is all 0 (a
        dead region of relu features, zero padding), structurally, not by underflow (x² also underflows to 0 for
        |x| below ~1e-19 in float32)."""
        first = argument(call, 0, "input")
        inner = self._eval(first, scope, seq, depth) if first is not None else UNKNOWN
        if inner.producer is not Producer.SQUARE or inner.guard is not None or first is None:
            return UNKNOWN
        form = self.analysis.operator_form(first)
        base = form.left if isinstance(form, cst.BinaryOperation) else first
        spelled = self.analysis.spelled(base)
        return Value(Producer.SUM_OF_SQUARES, subject=spelled,
                     zero_because=f"a window where `{spelled}` is all 0 (relu features of a dead region, zero "
                                  f"padding), since a convolution of squares sums squares over each window")

    def _eval_instance(self, name: cst.Name, scope: Scope, seq: int, depth: int, label: str) -> Value:
        """A model or layer bound to `name` and called like a function: `model(x)`."""
        binding = self.binder.resolve(name.value, At(scope, seq))
        if binding is not None and isinstance(binding.expression, cst.Call):
            return self._eval_construction(binding.expression, binding.scope, binding.seq, depth, label)
        return UNKNOWN

    def _eval_construction(self, construction: cst.Call, scope: Scope, seq: int, depth: int, name: str,
                           applied: tuple[cst.Call, At] | None = None) -> Value:
        """The output of calling what `construction` builds: a layer, a Sequential or functional model, an
        instance of a module class (its `call`, with the arguments of `applied` when known), or a model returned
        by a builder function."""
        func = construction.func
        call, caller = applied if applied is not None else (None, None)
        imported = self._project_class(func)
        if imported is not None:  # `Block()(x)` with Block a layer or model class of another file
            method = imported.analysis.binder.called_method(imported.info)
            if method is None:
                return UNKNOWN
            step = f"{name}(...) -> {method.name}() in {os.path.basename(imported.analysis.path)}"
            return imported.analysis.values._returns_of(method, depth, step, call, caller, self)
        if isinstance(func, cst.Name) and func.value in self.analysis.classes:
            method = self.binder.called_method(self.analysis.classes[func.value])
            if method is not None:
                return self._returns_of(method, depth, f"{name}(...) -> {method.name}()", call, caller)
            return UNKNOWN
        callee = self._callee(func, scope, seq, depth) if self.analysis.qualified_name(func) is None else None
        if isinstance(callee, Scope):
            return self._eval_built_by(callee, construction, At(scope, seq), depth, name)
        qualified = self.analysis.qualified_name(func)
        normalized = normalize(qualified) if qualified else None
        if normalized in _SEQUENTIAL_MODELS or normalized in _FUNCTIONAL_MODELS:
            return self._eval_keras_model(normalized, construction, scope, seq, depth, name)
        if applied is not None and applied[0].args:
            layer = self._eval_applied(normalized, construction, At(scope, seq), depth, name, applied)
            if layer is not None:
                return layer
        producer = self.layer_output(construction, scope, seq)
        return Value(producer, via=(f"{name}(...)",)) if producer is not None else UNKNOWN

    def _eval_built_by(self, builder: Scope, construction: cst.Call, at: At, depth: int, name: str) -> Value:
        """A model built by a helper (`model = build_model()`): what calling what it returns gives."""
        with self._frame(builder, construction, at):
            for returned in builder.returns:
                if isinstance(returned, cst.Name):
                    value = self._eval_instance(returned, builder, END, depth + 1, name)
                elif isinstance(returned, cst.Call):
                    value = self._eval_construction(returned, builder, END, depth + 1, name)
                else:
                    continue
                if value.producer is not None:
                    return value.through(f"{builder.name}()")
        return UNKNOWN

    def _eval_keras_model(self, normalized: str | None, construction: cst.Call, scope: Scope, seq: int, depth: int,
                          name: str) -> Value:
        """A Sequential's output is its last layer's, as the model picture reads it (the listed layers and those
        `.add()` appends, past dropout and reshaping); a functional Model's is its `outputs`."""
        if normalized in _SEQUENTIAL_MODELS:
            model = self.analysis.picture.structures.get(construction)
            last = model.output_layer if model is not None else None
            if last is not None and isinstance(last.node, cst.Call):
                site = self.analysis.sites.get(last.node)
                producer = self.layer_output(last.node, site.scope if site is not None else scope, seq)
                if producer is not None:
                    return Value(producer, via=(f"{name}(...) (last layer of the Sequential)",))
            return UNKNOWN
        outputs = argument(construction, 1, "outputs")
        if outputs is not None:
            value = self._eval(outputs, scope, END, depth + 1)
            if value.producer is not None:
                return value.through(f"{name}(...) (output of the functional model)")
        return UNKNOWN

    def _eval_applied(self, normalized: str | None, construction: cst.Call, at: At, depth: int, name: str,
                      applied: tuple[cst.Call, At]) -> Value | None:
        """A layer applied to arguments: a shape layer passes its input on (Flatten, Reshape...), a Lambda layer
        is its function's result. None for other layers."""
        call, caller = applied
        if normalized in _SHAPE_LAYERS:
            return self._eval(call.args[0].value, caller.scope, caller.seq, depth + 1).through(f"{name}(...)")
        function = self._lambda_function(construction, at)
        if function is not None:
            return self._returns_of(function, depth, f"{name}(...)", call, caller)
        return None

    def _eval_operation(self, op: Op, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        if op in SPELLED_AS_OPERATORS:
            # `tf.add(tf.matmul(x, w), b)` is `tf.matmul(x, w) + b`
            form = self.analysis.operator_form(call)
            return self._eval_binary(form, scope, seq, depth) if isinstance(form, cst.BinaryOperation) else UNKNOWN
        first = self.analysis.operand(call)
        prepared = self._data_preparation(op, call, first, scope, seq, depth) if (
            first is not None and op in _OP_PRODUCERS) else None
        if prepared is not None:
            return prepared
        if first is not None and op in _DATA_STATISTICS and _episode_returns(first):
            # a spread of one episode's rewards or returns: 0 for an episode whose rewards are all equal
            return Value(_OP_PRODUCERS[op], subject=self.analysis.spelled(first))
        evaluate = self._OPERATIONS.get(op)
        if evaluate is not None:
            return evaluate(self, call, first, scope, seq, depth)
        if op in _OP_PRODUCERS:
            return Value(_OP_PRODUCERS[op])
        if first is None:
            return UNKNOWN
        on_operand = self._OPERAND_OPERATIONS.get(op)
        if on_operand is not None:
            return on_operand(self, call, first, scope, seq, depth)
        return self._eval(first, scope, seq, depth) if op in _PASS_THROUGH else UNKNOWN

    def _data_preparation(self, op: Op, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int,
                          depth: int) -> Value | None:
        """`x.std(axis=0)`, `np.var(x_train)`: TensorFlow tensors have no such methods and NumPy has no gradient,
        so this is data preparation (analysis/samples.py says what it summarizes). A statistic over the samples of a
        data set is 0 only for a feature constant over all of them: UNKNOWN, unless the code shows that constant
        (a class keeps it fitted with no zero guard, MNIST's pixels: the spread with that condition) or what it
        summarizes is known to reach 0 (a relu output's std). One over a single item (`img.std()` of
        `image[b, ..., c]`, of a loop's element `v`, or along a row, axis=-1) is 0 for one blank item, which real
        data has. An array of one episode's rewards, returns or advantages (`discounted_ep_rs /=
        np.std(discounted_ep_rs)`, `(advantages - advantages.mean()) / advantages.std()`) is constant for an episode
        whose rewards are all equal (a sparse-reward episode of zeros) or of one step.
        None: not data preparation, or a spread evaluated as the operation it is."""
        method = first is getattr(call.func, "value", None)
        numpy = (self.analysis.qualified_name(call.func) or "").startswith("numpy.")
        # (in TensorFlow too where the object is being built: a statistic of the data set it is given, not of a batch)
        prepared = op in _DATA_STATISTICS and (numpy or construction_time(self.analysis, scope))
        if not (method or prepared) or (op in _DATA_STATISTICS and _episode_returns(first)):
            return None
        at = At(scope, seq)
        if op in _DATA_STATISTICS:
            producer = _OP_PRODUCERS[op]
            constant = structural_constant(self.analysis, call, first, at, producer.label)
            if constant is not None:
                return Value(producer, zero_because=constant.condition, remedy=constant.remedy)
        if over_samples(self.analysis, call, first, at) and self._eval(first, scope, seq, depth).zero_when is None:
            return UNKNOWN
        return None

    def _eval_reduce_sum(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                         depth: int) -> Value:
        counted = self._eval(first, scope, seq, depth) if first is not None else UNKNOWN
        if _bin_counts(counted):
            # bin counts summed along an axis are still 0 for a bin empty in every row summed; their total is the
            # number of values counted, 0 only for an empty input
            return counted if argument(call, 1, "axis") is not None else UNKNOWN
        # (the indicator walk is a question of its own, with its own depth: a count reached through a metric layer's
        # call of another layer's `__call__` is already deep in the evaluation that asks for it)
        event = self._event(first, scope, seq, 0) if first is not None and argument(call, 1, "axis") is None \
            else None
        if event is not None and counting.predictive(event):
            # a sum of 0/1 indicators over the batch counts the samples where the event holds: 0 when none does
            return Value(Producer.COUNT, counts=(counting.Count(self.analysis.spelled(call), event),))
        return self._eval_reduction(first, scope, seq, depth, summed=True, call=call)

    def _eval_bin_counts(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                         depth: int) -> Value:
        """`tf.histogram_fixed_width(x, range, nbins)`, `tf.math.bincount(x)`: how many values of x fall in each bin
        (equal each integer): 0 for a bin none falls in, whatever x is (non-negative, so a sum of them is 0 only
        where each is)."""
        counted = f"`{self.analysis.spelled(first)}`" if first is not None else "the input"
        if self.analysis.op_of_call(call) is Op.HISTOGRAM:
            return Value(Producer.COUNT, zero_because=f"an empty bin (no value of {counted} in it)")
        return Value(Producer.COUNT, zero_because=f"an integer below the largest that {counted} does not contain")

    def _kept_by_every_slice(self, reduced: cst.BaseExpression, axis: cst.BaseExpression | None,
                             at: Point) -> tuple[cst.BaseExpression | None, Point] | None:
        """`m` or `x * m` (through names) whose mask m is a concatenation with a piece of ones along the axis the
        reduction sums (`concat([pairwise_labels, expand_dims(ones_like(logits), axis=2)], axis=2)` summed along 2,
        along -1 where the ones were given that axis by the expand_dims, or summed whole): every slice summed holds
        a 1 of it, so the mask never selects nothing there (tensorflow_ranking's unique-softmax denominator).
        Returns the other factor (None for the mask alone) and where it is read, or None when that is not shown."""
        expr, at = self.binder.follow(reduced, at, _MAX_DEPTH)
        factors: list[tuple[cst.BaseExpression, cst.BaseExpression | None]] = [(expr, None)]
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
            factors = [(expr.right, expr.left), (expr.left, expr.right)]
        for mask, rest in factors:
            if self._ones_slice_along(mask, axis, at) or self._allowed_actions_along(mask, axis, at):
                return rest, at
        return None

    def _allowed_actions_along(self, mask: cst.BaseExpression, axis: cst.BaseExpression | None, at: Point) -> bool:
        """`mask` names the actions a step allows (`actions_allowed_named`), it is handed in (the environment's:
        a parameter, a placeholder, a field of an observation, a cast of one; not a mask this code computes, such
        as acme's `legal_actions_mask` of the action values above a threshold, which can be all 0), and the
        reduction sums it whole or along an axis after the batch's: every step offers some action, so each such
        slice holds a 1."""
        named = mask.attr.value if isinstance(mask, cst.Attribute) else mask.value if isinstance(mask, cst.Name) else ""
        reduced = numeric_literal(axis) if axis is not None else None
        return actions_allowed_named(named) and (axis is None or (reduced is not None and reduced != 0)) \
            and self._handed_in(mask, at)

    def _handed_in(self, expr: cst.BaseExpression, at: Point) -> bool:
        """`expr` holds what the caller or the data hands in, unchanged but for casts: a parameter, a placeholder or
        an Input, an attribute or item of something (an observation's field), through names."""
        for _ in range(_MAX_DEPTH):
            expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
            if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CAST:
                inner = self.analysis.operand(expr)
                if inner is None:
                    return False
                expr = inner
                continue
            if isinstance(expr, cst.Call):
                called = (self.analysis.qualified_name(expr.func) or "").rsplit(".", 1)[-1]
                return called in ("placeholder", "Input")
            return isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript))
        return False

    def _ones_slice_along(self, mask: cst.BaseExpression, axis: cst.BaseExpression | None, at: Point) -> bool:
        """`mask` is a concatenation with a piece filled with ones along `axis` (None: the whole array)."""
        mask, at = self.binder.follow(mask, at, _MAX_DEPTH)
        while isinstance(mask, cst.Call) and self.analysis.op_of_call(mask) is Op.CAST:
            inner = self.analysis.operand(mask)
            if inner is None:
                return False
            mask, at = self.binder.follow(inner, at, _MAX_DEPTH)
        if not (isinstance(mask, cst.Call) and self.analysis.op_of_call(mask) is Op.CONCAT):
            return False
        pieces = mask.args[0].value if mask.args and mask.args[0].keyword is None else None
        along = argument(mask, 1, "axis")
        joined = numeric_literal(along) if along is not None else 0.0
        if not isinstance(pieces, (cst.List, cst.Tuple)) or joined is None:
            return False
        reduced = numeric_literal(axis) if axis is not None else None
        if axis is not None and reduced is None:
            return False
        for element in pieces.elements:
            piece, created = element.value, None
            if isinstance(piece, cst.Call) and self.analysis.op_of_call(piece) is Op.EXPAND_DIMS:
                created = numeric_literal(argument(piece, 1, "axis"))
                piece = self.analysis.operand(piece) or piece
            if self.filled_with(piece, at) != 1.0:
                continue
            if axis is None or reduced == joined or (reduced == -1 and created == joined):
                return True
        return False

    def _not_entries(self, comprehension: cst.ListComp | cst.GeneratorExp) -> bool:
        """The element is not an array's entries: it reads nothing but `for n in range(...)` counters (Python
        integers: `sum(n ** 2 for n in range(1, k + 1))`), or it reads an attribute of what it iterates (a list of
        objects, each term a different tensor: `sum(mvn.scale.diag ** 2 for mvn in distributions)`, all 0 only if
        every one is)."""
        counters: set[str] = set()
        targets: set[str] = set()
        clause: cst.CompFor | None = comprehension.for_in
        while clause is not None:
            names = {name.value for name in descendants(clause.target) if isinstance(name, cst.Name)}
            targets |= names
            if isinstance(clause.iter, cst.Call) and isinstance(clause.iter.func, cst.Name) \
                    and clause.iter.func.value == "range":
                counters |= names
            clause = clause.inner_for_in
        if any(isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in targets
               for node in descendants(comprehension.elt)):
            return True
        return bool(counters) and all(name.value in counters for name in name_reads(comprehension.elt))

    def _eval_reduce_mean(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                          depth: int) -> Value:
        return self._eval_reduction(first, scope, seq, depth, summed=False, call=call)

    def _eval_reduction(self, first: cst.BaseExpression | None, scope: Scope, seq: int, depth: int,
                        summed: bool, call: cst.Call | None = None) -> Value:
        """reduce_sum / reduce_mean: of squares, a sum of squares; of a mask or a masked value, 0 when the mask
        selects nothing, unless the mask keeps an entry of every slice `call` reduces (`_kept_by_every_slice`); a
        sum of values that can be 0 can be 0. Of a comprehension (`np.sum(i ** 2 for i in x)`),
        it reduces what the element expression is inside it, when that element is an array's entries
        (`_not_entries`; other comprehensions are left unknown)."""
        if depth > _MAX_DEPTH:
            return UNKNOWN
        if isinstance(first, (cst.ListComp, cst.GeneratorExp)):
            inside = self.analysis.comprehensions.get(first)
            if inside is None or self._not_entries(first):
                return UNKNOWN
            inner = self._eval(first.elt, scope, inside, depth + 1)
        else:
            inner = self._eval(first, scope, seq, depth) if first is not None else UNKNOWN
        if inner.producer is Producer.SQUARE and inner.guard is None:
            return Value(Producer.SUM_OF_SQUARES)
        subject = self.analysis.spelled(first) if first is not None else None
        # the sum or mean of a mask, or of a masked value, is 0 when the mask selects nothing
        mask = inner.mask if inner.producer in (Producer.MASKED, Producer.LABELS) else (
            self._mask_text(first) if first is not None and self._is_mask(first, scope, seq)
            and not self._set_in_every_iteration(first, scope, seq) else None)
        if mask is not None and call is not None and first is not None:
            kept = self._kept_by_every_slice(first, axis_argument(call, first), At(scope, seq))
            if kept is not None:
                # the mask keeps an entry of every slice it reduces: what is left is the other factor's sum
                rest = kept[0]
                return UNKNOWN if rest is None else self._eval_reduction(rest, kept[1].scope, kept[1].seq, depth + 1,
                                                                         summed)
        if mask is not None:
            return Value(Producer.SUM, subject=subject, subject_can_be_zero=True, mask=mask,
                         mask_is_labels=inner.producer is Producer.LABELS, via=inner.via)
        if summed and not inner.is_probability and inner.producer is not Producer.EXP:
            can_be_zero = inner.zero_when is not None and not (
                first is not None and self._sum_of_nonnegatives(inner, first, At(scope, seq)))
            return Value(Producer.SUM, subject=subject, subject_can_be_zero=can_be_zero)
        return UNKNOWN

    def _eval_batch_dot(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                        depth: int) -> Value:
        """`batch_dot(x, x, axes)` is each row's sum of squares (0 for an all-zero row); of two different
        operands, a dot product of either sign."""
        other = argument(call, 1, "y")
        same = first is not None and other is not None and self.analysis.code_of(first) == self.analysis.code_of(other)
        return Value(Producer.SUM_OF_SQUARES) if same else UNKNOWN

    def _eval_dense_function(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                             depth: int) -> Value:
        return self._dense_function(call, scope, seq)

    def _eval_reduce_max(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """The max of relu outputs or counts is 0 when all of them are, which a dead relu layer or an empty
        selection makes structural; the max of norms or statistics of data is 0 only for degenerate data."""
        inner = self._eval(first, scope, seq, depth)
        if inner.zero_when is not None and inner.producer in (Producer.RELU, Producer.COUNT):
            return inner.through("reduce_max()")
        return UNKNOWN

    def _eval_sqrt(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        return self._root_of(self._eval(first, scope, seq, depth))

    def _eval_clip(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        floor = self._constant(argument(call, 1, "clip_value_min"), scope, seq, depth)
        if floor == 0:
            return self._floored(first)
        return replace(self._eval(first, scope, seq, depth), guard=Guard.CLIPPED, epsilon=floor, clip=call)

    def _eval_maximum(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """`maximum(x, c)` (either order): a floor of 0 makes a relu; a positive floor guards x."""
        other = argument(call, 1, "y")
        floored: cst.BaseExpression | None = first
        floor = self._constant(other, scope, seq, depth) if other is not None else None
        if floor is None:
            floor = self._constant(first, scope, seq, depth)
            floored = other
        if floor == 0 and floored is not None:
            return self._floored(floored)
        if floor is None or floor <= 0 or floored is None:
            return UNKNOWN
        return replace(self._eval(floored, scope, seq, depth), guard=Guard.MAXIMUM, epsilon=floor)

    def _eval_minimum(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """A cap from above keeps the zeros of what it caps (`minimum(maximum(y, 0), 1)` is 0 where y <= 0)."""
        capped = [self._eval(side, scope, seq, depth) for side in (first, argument(call, 1, "y"))
                  if side is not None and self._constant(side, scope, seq, depth) is None]
        return capped[0] if len(capped) == 1 and capped[0].zero_when is not None else UNKNOWN

    def _eval_abs(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """|x| is 0 exactly where x is: a zero passes through, a sign does not."""
        inner = self._eval(first, scope, seq, depth)
        return inner.through("abs()") if inner.zero_when is not None else Value(Producer.ABS)

    def _eval_norm(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int, depth: int) -> Value:
        """A norm is 0 for an all-zero vector; a vector of exps or a softmax row is not one (every exp would have
        to underflow; a softmax row sums to 1): `w / norm(exp(logw), 1)` is a sum of exps, which _eval_reduction
        does not report either."""
        inner = self._eval(first, scope, seq, depth) if first is not None else UNKNOWN
        if inner.producer in (Producer.EXP, Producer.SOFTMAX) and inner.guard is None and not inner.complement:
            return UNKNOWN
        return Value(Producer.NORM)

    def _eval_exp(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                  depth: int) -> Value:
        """exp is positive, and 0 in floating point only below its underflow point: not a zero source for an
        argument of unknown range (the common exp of a bounded value). An argument shifted by its max
        (`x - reduce_max(x)`) is a different matter: the max sits at 0 and the rest as far below as x is spread
        (the logits of a ranking list, scores that keep growing apart), so the entries far enough below it
        underflow to exactly 0 (`EXP_UNDERFLOW`). A softmax written with that shift divides by a sum that holds
        exp(0) = 1 and stays >= 1 (`_eval_reduction` keeps sums of exps unknown); a running sum does not
        (`_eval_cumsum`)."""
        if first is not None and self.analysis.ranges.shifted_by_max(first, At(scope, seq)):
            spelled = self.analysis.spelled(first)
            return Value(Producer.EXP, subject=spelled,
                         zero_because=f"an entry of `{spelled}` below {EXP_UNDERFLOW}, i.e. more than that below "
                                      f"the max")
        return Value(Producer.EXP)

    def _eval_softplus(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                       depth: int) -> Value:
        """softplus(x) = log1p(exp(x)) rounds to 0 where exp underflows (SOFTPLUS_UNDERFLOW): a zero source for
        an argument of unknown range (a linear head, a variable), as a sigmoid is; not for one bounded above that
        point (`softplus(sigmoid(z))` >= log 2; float32's point: an argument kept within [-87, ..] in float16 code
        is not seen)."""
        low = self.analysis.ranges.lower(first, At(scope, seq)) if first is not None else None
        if low is not None and low > FLOAT32.exp_underflow:
            return UNKNOWN
        return Value(Producer.SOFTPLUS)

    def _eval_cumsum(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """A running sum's first entry (its last, with reverse=True) is one term alone, so it is 0 where that term
        is. Taken for exps of a max-shifted argument only: their total holds the max's exp(0) = 1, but the partial
        sums that leave the max out (the tail of a ListMLE / Plackett-Luce list sorted by score) are 0 once every
        term in them underflows."""
        inner = self._eval(first, scope, seq, depth)
        if inner.producer is not Producer.EXP or inner.zero_when is None:
            return UNKNOWN
        return replace(inner, zero_because=f"a running sum that leaves the max's exp(0) = 1 out: its end entry is "
                                           f"exp of one entry alone, 0 where `{inner.subject}` < {EXP_UNDERFLOW}"
                       ).through("cumsum()")

    def _eval_concat(self, call: cst.Call, first: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value:
        """A concatenation or a stack is 0 where one of its parts is: the parts of a list literal, of a list grown
        with `append` (or built by a comprehension), and of both sides of `parts + [last]`. It is a probability only
        where every literal part is one: `concat([boxes, sigmoid(conf)])` holds a sigmoid's zeros, but its box
        channels are no logits' squash (a part, like a where() branch: `selected`)."""
        step = "stack()" if self.analysis.op_of_call(call) is Op.STACK else "concat()"
        pending = [first]
        found: Value | None = None
        whole = True
        while pending:
            parts = pending.pop()
            if isinstance(parts, cst.BinaryOperation) and isinstance(parts.operator, cst.Add):
                pending.extend((parts.right, parts.left))
                continue
            if isinstance(parts, (cst.List, cst.Tuple)):
                values = [self._eval(element.value, scope, seq, depth) for element in parts.elements]
            else:
                element = self._element(parts, ANY, scope, seq, depth)
                values = [element] if element is not None else []
                whole = whole and element is not None
            for value in values:
                if found is None and (value.zero_when is not None or value.producer is Producer.LABELS):
                    found = value
                whole = whole and value.is_probability
        if found is None:
            return UNKNOWN
        part = found if whole or not found.is_probability else replace(found, selected=True)
        return part.through(step)

    def _eval_stft(self, call: cst.Call, first: cst.BaseExpression | None, scope: Scope, seq: int,
                   depth: int) -> Value:
        """An STFT is exactly 0 on a frame whose samples are all 0: where the signal is zero-padded (a clip padded
        to a fixed length, `concat([x, zeros(n - len(x))])` or `pad(x, ...)`), every frame inside the padding.
        A padding written as a literal shorter than the frame holds no whole frame."""
        padding = self._zero_padding(first, At(scope, seq)) if first is not None else None
        if padding is None:
            return Value(Producer.SPECTRUM)
        frame = self._constant(argument(call, 1, "frame_length"), scope, seq, depth)
        if padding[1] is not None and frame is not None and padding[1] < frame:
            return Value(Producer.SPECTRUM)
        return Value(Producer.SPECTRUM, subject=padding[0],
                     zero_because=f"a frame that lies in the signal's zero padding `{padding[0]}`, where the "
                                  f"transform is exactly 0: a clip shorter than the padded length")

    def _zero_padding(self, signal: cst.BaseExpression, at: Point) -> tuple[str, float | None] | None:
        """The zeros `signal` is padded with (their code and, when literal, their count): a part of a concatenation
        that is all 0, or a constant-mode pad with no other constant."""
        signal, at = self.binder.follow(signal, at, _MAX_DEPTH)
        if not isinstance(signal, cst.Call):
            return None
        op = self.analysis.op_of_call(signal)
        parts = self.analysis.operand(signal) if op is Op.CONCAT else None
        if isinstance(parts, (cst.List, cst.Tuple)):
            for part in parts.elements:
                if self.filled_with(part.value, at) == 0.0:
                    return self.analysis.spelled(part.value), self._literal_size(part.value, at)
            return None
        if op is Op.PAD:
            mode = argument(signal, 2, "mode")
            constant = argument(signal, 3, "constant_values")
            if (mode is None or isinstance(mode, cst.SimpleString) and mode.evaluated_value in ("CONSTANT", "constant")) \
                    and (constant is None or self.constant(constant, at) == 0.0):
                return self.analysis.spelled(signal), None
        return None

    def _literal_size(self, zeros: cst.BaseExpression, at: Point) -> float | None:
        """How many entries `zeros(n)` / `zeros([n])` holds, when n is a literal."""
        zeros, _ = self.binder.follow(zeros, at, _MAX_DEPTH)
        shape = argument(zeros, 0, "shape") if isinstance(zeros, cst.Call) else None
        if isinstance(shape, (cst.List, cst.Tuple)) and len(shape.elements) == 1:
            shape = shape.elements[0].value
        return numeric_literal(shape) if shape is not None else None

    # What an operation evaluates to, by operation: whatever its operand (it may be None)...
    _OPERATIONS: ClassVar[dict[Op, _OperationEvaluator]] = {
        Op.REDUCE_SUM: _eval_reduce_sum, Op.BATCH_DOT: _eval_batch_dot, Op.DENSE_FUNCTION: _eval_dense_function,
        Op.NORM: _eval_norm, Op.EXP: _eval_exp, Op.SOFTPLUS: _eval_softplus, Op.STFT: _eval_stft, Op.WHERE: _eval_where,
        Op.HISTOGRAM: _eval_bin_counts, Op.BINCOUNT: _eval_bin_counts,
        **dict.fromkeys(MEANS, _eval_reduce_mean),
    }
    # ...and given an operand (others: a producer of _OP_PRODUCERS, the operand itself for _PASS_THROUGH).
    _OPERAND_OPERATIONS: ClassVar[dict[Op, _OperandEvaluator]] = {
        Op.SQRT: _eval_sqrt, Op.CLIP: _eval_clip, Op.MAXIMUM: _eval_maximum, Op.MINIMUM: _eval_minimum,
        Op.ABS: _eval_abs, Op.CONCAT: _eval_concat, Op.STACK: _eval_concat, Op.CUMSUM: _eval_cumsum, **dict.fromkeys(MAXIMA, _eval_reduce_max),
    }

    def _floored(self, floored: cst.BaseExpression) -> Value:
        """`maximum(x, 0)`: a floor of 0 is not a guard against 0, it is a relu (0 wherever x <= 0)."""
        return Value(Producer.FLOORED, subject=self.analysis.spelled(floored))

    def _dense_function(self, call: cst.Call, scope: Scope, seq: int) -> Value:
        """`tf.layers.dense(x, n, tf.nn.softmax)`, `slim.conv2d(x, 1, 3, activation_fn=tf.nn.sigmoid)`: its
        activation (`activation=`, `activation_fn=`, or by position), linear when none is given; contrib's and slim's
        default activation is relu, `linear`'s none (TFLearn's `fully_connected` is linear by default)."""
        qualified = normalize(self.analysis.qualified_name(call.func) or "")
        position, relu_by_default = FUNCTIONAL_LAYERS.get(qualified, (2, False))
        activation = (argument(call, position, "activation") if position >= 0 else None) \
            or keyword(call, "activation_fn")
        if activation is None:
            default = Producer.RELU if relu_by_default else Producer.LINEAR
            return Value(default, via=(qualified.rsplit(".", 1)[-1] + "()",))
        if isinstance(activation, cst.Name) and activation.value == "None":
            return Value(Producer.LINEAR)
        producer = self.activation_of(activation, scope, seq)
        return Value(producer, via=(qualified.rsplit(".", 1)[-1] + "()",)) if producer is not None else UNKNOWN

    @staticmethod
    def _signed(factors: list[Value]) -> Value:
        """A product or quotient with a factor that takes both signs (a linear head, a tanh) takes both signs."""
        from nanlint.analysis.domain import reaches_negative

        for value in factors:
            # a sum or a masked value may take both signs too, but nothing shows that it does by construction
            if value.producer in (Producer.LINEAR, Producer.TANH, Producer.SIGNED) and reaches_negative(value):
                return Value(Producer.SIGNED, via=(*value.via, f"a product with a {value.describe()}"))
        return UNKNOWN

    def _mask_text(self, expr: cst.BaseExpression) -> str:
        """The mask `expr` is (`_is_mask` holds), as the code names it: a cast written around a named mask is that
        mask (`reduce_sum(tf.to_int32(pos_mask))` sums `pos_mask`), so a numerator built from the mask is
        recognised."""
        while isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CAST:
            inner = self.analysis.operand(expr)
            if not (isinstance(inner, (cst.Name, cst.Attribute)) or (
                    isinstance(inner, cst.Call) and self.analysis.op_of_call(inner) is Op.CAST)):
                break  # `tf.cast(labels > 0, tf.float32)` is named as written
            expr = inner
        return self.analysis.spelled(expr)

    def _is_mask(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> bool:
        """A 0/1 mask: named one (`mask`, `ques_mask`, `self.mask`), a comparison cast to numbers
        (`tf.cast(x > 0, tf.float32)`, `K.cast(K.not_equal(w, 0), K.floatx())`), or a cast of a mask
        (`tf.to_int32(pos_mask)`: a boolean mask as 0s and 1s)."""
        named = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else ""
        if mask_named(named):
            return True
        expr, at = self.binder.follow(expr, At(scope, seq), _MAX_DEPTH)
        if isinstance(expr, cst.Subscript) and depth < _MAX_DEPTH:
            # entries of a mask are 0s and 1s: `masks[..., 0]`, one channel of a predicted face mask (FAS-SGTD)
            return self._is_mask(expr.value, at.scope, at.seq, depth + 1)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CAST:
            inner = self.analysis.operand(expr)
            # (a name bound to a comparison is not taken: keras' sparsemax casts `support = z - (cumsum - 1) / r > 0`,
            # which holds the largest entry for any finite input, and sums it as a count that is never 0)
            return isinstance(inner, cst.Comparison) or (
                isinstance(inner, cst.Call) and self.analysis.op_of_call(inner) in COMPARISONS) or (
                inner is not None and depth < _MAX_DEPTH and self._is_mask(inner, at.scope, at.seq, depth + 1)) or (
                isinstance(inner, cst.Name) and self._compares_labels(inner, at))
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.WHERE:
            # `where(cond, ones_like(x), zeros_like(x))`: a comparison written as a selection of 1s and 0s
            fills = {self.filled_with(argument(expr, 1, "x"), at), self.filled_with(argument(expr, 2, "y"), at)}
            return fills == {0.0, 1.0}
        return False

    def _compares_labels(self, name: cst.Name, at: Point) -> bool:
        """`name` is bound to a comparison of a loss's labels with a number (`y_i = tf.equal(y_true, tf.ones(shape))`,
        BP-MLL's label indicators): an indicator of the labels, 0 for a row without the label compared (a mask). Other
        comparisons bound to a name are not taken (`_is_mask`: sparsemax's support always holds its largest entry)."""
        compared, compared_at = self.binder.follow(name, at, _MAX_DEPTH)
        if isinstance(compared, cst.Comparison) and len(compared.comparisons) == 1:
            sides = (compared.left, compared.comparisons[0].comparator)
        elif isinstance(compared, cst.Call) and self.analysis.op_of_call(compared) in COMPARISONS:
            left, right = argument(compared, 0, "x"), argument(compared, 1, "y")
            if left is None or right is None:
                return False
            sides = (left, right)
        else:
            return False
        return any(self._eval(side, compared_at.scope, compared_at.seq, 0).producer is Producer.LABELS
                   and self.filled_with(other, compared_at) is not None
                   for side, other in (sides, sides[::-1]))

    def _event(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> counting.Event | None:
        """The event a 0/1 indicator is 1 for (analysis/counts.py): predictions or labels rounded to 0/1
        (`K.round(K.clip(y_pred, 0, 1))`), a comparison cast to numbers, `1 - indicator`, a product of indicators,
        the labels of a loss or metric. None when `expr` is not known to be one."""
        if depth > _MAX_DEPTH:
            return None
        if self._eval(expr, scope, seq, depth).producer is Producer.LABELS:
            return self._literal_event(counting.Literal(self.analysis.spelled(expr), counting.LABELS))
        expr, at = self.binder.follow(expr, At(scope, seq), _MAX_DEPTH)
        if isinstance(expr, cst.BinaryOperation):
            return self._event_of_arithmetic(expr, at, depth)
        if isinstance(expr, cst.Name):
            return self._unpacked_event(expr, at, depth)
        if isinstance(expr, cst.Call):
            op = self.analysis.op_of_call(expr)
            operand = self.analysis.operand(expr)
            if operand is None:
                return None
            if op is Op.ROUND:
                return self._rounded_event(operand, at, depth + 1)
            if op is Op.CAST:
                return self._comparison_event(operand, at) or self._event(operand, at.scope, at.seq, depth + 1)
            if op is Op.CLIP and self._unit_clip(expr, at, depth):
                return self._event(operand, at.scope, at.seq, depth + 1)  # clip(round(x), 0, 1)
        return None

    def _unpacked_event(self, name: cst.Name, at: Point, depth: int) -> counting.Event | None:
        """`y_true, y_pred = _int32(y_true, y_pred)` (keras-metrics): the event of that element of the tuple a module
        function returns, for this call (its parameters bound to the call's arguments)."""
        binding = self.binder.resolve(name.value, at)
        unpacked = binding.value if binding is not None and isinstance(binding.value, Unpacked) else None
        if binding is None or unpacked is None or not isinstance(unpacked.source, cst.Call):
            return None
        callee = self._callee(unpacked.source.func, binding.scope, binding.seq, depth)
        if not isinstance(callee, Scope) or id(callee) in self._frames:
            return None
        with self._frame(callee, unpacked.source, binding.at):
            for returned in self._live_returns(callee):
                if isinstance(returned, cst.Tuple) and 0 <= unpacked.index < len(returned.elements):
                    event = self._event(returned.elements[unpacked.index].value, callee, END, depth + 1)
                    if event is not None:
                        return event
        return None

    def _event_of_arithmetic(self, expr: cst.BinaryOperation, at: Point, depth: int) -> counting.Event | None:
        """`a * b` of indicators: both hold; `1 - a`: a fails (for an indicator of one literal)."""
        if isinstance(expr.operator, cst.Multiply):
            left = self._event(expr.left, at.scope, at.seq, depth + 1)
            return _both(left, self._event(expr.right, at.scope, at.seq, depth + 1)) if left is not None else None
        if isinstance(expr.operator, cst.Subtract) and numeric_literal(expr.left) == 1.0:
            return self._complement(self._event(expr.right, at.scope, at.seq, depth + 1))
        return None

    def _complement(self, event: counting.Event | None) -> counting.Event | None:
        """`1 - a` of an indicator of one literal: where a fails (of a compound event: not an event kept)."""
        if event is not None and len(event) == 1:
            (term,) = event
            if len(term) == 1:
                (literal,) = term
                return self._literal_event(literal.negated())
        return None

    def _rounded_event(self, rounded: cst.BaseExpression, at: Point, depth: int) -> counting.Event | None:
        """round(clip(x, 0, 1)) is 1 where x >= 0.5 (`_event_rounding`); round of a sigmoid or softmax output (or
        of what the code names predictions) is the same without the clip."""
        followed, where = self.binder.follow(rounded, at, _MAX_DEPTH)
        if isinstance(followed, cst.Call) and self.analysis.op_of_call(followed) is Op.CLIP:
            clipped = self.analysis.operand(followed)
            if clipped is None or not self._unit_clip(followed, where, depth):
                return None  # clipped to another range: not 0/1 once rounded
            return _rounded(self._event_rounding(clipped, where, depth + 1))
        literal = self._rounded_literal(rounded, at)
        if literal.kind == counting.PREDICTIONS:  # a sigmoid output, or a metric's `y_pred`: in [0, 1]
            return self._literal_event(literal)
        return None

    def _event_rounding(self, value: cst.BaseExpression, at: Point, depth: int) -> counting.Event | None:
        """The event round(v) is 1 for, v in [0, 1]: an indicator rounds to itself (`1 - y_true`), `1 - w` to the
        complement of round(w), a product with an indicator to both (`y_true * y_pred`: labelled positive and
        predicted positive), anything else to "v rounds to 1"."""
        if depth > _MAX_DEPTH:
            return None
        event = self._event(value, at.scope, at.seq, depth + 1)
        if event is not None:
            return event
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Subtract) \
                and numeric_literal(value.left) == 1.0:
            return self._complement(self._event_rounding(value.right, at, depth + 1))
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
            for indicator, other in ((value.left, value.right), (value.right, value.left)):
                known = self._event(indicator, at.scope, at.seq, depth + 1)
                if known is not None:
                    return _both(known, self._event_rounding(other, at, depth + 1))
        return self._literal_event(self._rounded_literal(value, at))

    def _rounded_literal(self, value: cst.BaseExpression, at: Point) -> counting.Literal:
        base = self._indicator_base(value)
        return counting.Literal(self.analysis.spelled(base), self._kind_of(base, at), rounded=True)

    def _comparison_event(self, compared: cst.BaseExpression, at: Point) -> counting.Event | None:
        """`cast(y_pred > 0.5)`: predicted positive; `cast(y_pred < 0.5)`: predicted negative; a comparison of
        other values holds or fails as written."""
        sides: tuple[cst.BaseExpression, str] | None = None
        if isinstance(compared, cst.Comparison) and len(compared.comparisons) == 1:
            sides = (compared.left, type(compared.comparisons[0].operator).__name__)
        elif isinstance(compared, cst.Call) and self.analysis.op_of_call(compared) in COMPARISONS and compared.args:
            sides = (compared.args[0].value, str(self.analysis.op_of_call(compared)))
        if sides is None:
            return None
        base = self._indicator_base(sides[0])
        kind = self._kind_of(base, at)
        above = any(word in sides[1] for word in ("GreaterThan", "GREATER"))
        below = any(word in sides[1] for word in ("LessThan", "LESS"))
        if kind != counting.OTHER and (above or below):
            return self._literal_event(counting.Literal(self.analysis.spelled(base), kind, positive=above))
        return self._literal_event(counting.Literal(self.analysis.spelled(compared), counting.OTHER))

    def _indicator_base(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """What is rounded or compared, through clips, casts and roundings (`y_pred` in `K.clip(y_pred, 0, 1)`)."""
        while isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) in (Op.CLIP, Op.CAST, Op.ROUND):
            inner = self.analysis.operand(expr)
            if inner is None:
                break
            expr = inner
        return expr

    def _kind_of(self, base: cst.BaseExpression, at: Point) -> str:
        """Whether a rounded or compared value is the labels, the model's predictions, or something else: by what
        it evaluates to (a loss's y_true, a sigmoid or softmax output) or by its name (`y_pred`, `preds`)."""
        value = self._eval(base, at.scope, at.seq, 0)
        if value.producer is Producer.LABELS:
            return counting.LABELS
        if value.is_probability:
            return counting.PREDICTIONS
        name = (base.attr.value if isinstance(base, cst.Attribute) else base.value if isinstance(base, cst.Name)
                else "").lower()
        if "pred" in name:
            return counting.PREDICTIONS
        if name in ("y_true", "labels", "label", "targets", "target", "y"):
            return counting.LABELS
        return counting.OTHER

    def _unit_clip(self, clip: cst.Call, at: Point, depth: int) -> bool:
        """clip(x, 0, 1)."""
        return self._constant(argument(clip, 1, "clip_value_min"), at.scope, at.seq, depth) == 0 and self._constant(
            argument(clip, 2, "clip_value_max"), at.scope, at.seq, depth) == 1

    @staticmethod
    def _literal_event(literal: counting.Literal) -> counting.Event:
        return frozenset({frozenset({literal})})

    def _set_in_every_iteration(self, expr: cst.BaseExpression, scope: Scope, seq: int) -> bool:
        """`mask = zeros(...)`, then `mask[i][j] = 1.` in the body of a loop over a sequence (not over a selection,
        not under an `if`): one entry per element is set, so the mask selects nothing only for an empty sequence
        (deepchem's InfoGraph positive mask: one entry per node of the batch)."""
        if not isinstance(expr, cst.Name):
            return False
        binding = self.binder.resolve(expr.value, At(scope, seq))
        made = binding.expression if binding is not None else None
        while isinstance(made, cst.Call) and isinstance(made.func, cst.Attribute) and isinstance(made.func.value, cst.Call):
            made = made.func.value  # torch.zeros(n, m).to(device)
        if binding is None or not isinstance(made, cst.Call) or (
                self.analysis.qualified_name(made.func) or "").rsplit(".", 1)[-1] not in ("zeros", "zeros_like"):
            return False
        for loop in descendants(binding.scope.node):
            if isinstance(loop, cst.For) and _over_a_sequence(loop.iter) and isinstance(loop.body, cst.IndentedBlock):
                for line in loop.body.body:
                    if isinstance(line, cst.SimpleStatementLine) and any(
                            _sets_entry_to_nonzero(statement, expr.value) for statement in line.body):
                        return True
        return False

    def filled_with(self, expr: cst.BaseExpression | None, at: Point) -> float | None:
        """The number every entry of `expr` is: a constant, or `ones`/`zeros` (and `_like`), through names."""
        if expr is None:
            return None
        known = self.constant(expr, at)
        if known is not None:
            return known
        expr, _ = self.binder.follow(expr, at, _MAX_DEPTH)
        if not isinstance(expr, cst.Call):
            return None
        last = (self.analysis.qualified_name(expr.func) or "").rsplit(".", 1)[-1]
        return {"ones": 1.0, "ones_like": 1.0, "zeros": 0.0, "zeros_like": 0.0}.get(last)

    def _root_of(self, inner: Value) -> Value:
        """sqrt of a variance is a std; sqrt of a sum of squares is a norm."""
        if inner.guard is not None:
            return UNKNOWN
        if _plain_count(inner):
            return replace(inner, rooted=True)  # 0 with what it roots
        if inner.producer is Producer.VARIANCE:
            return Value(Producer.STD, zero_because=inner.zero_because, remedy=inner.remedy)
        if inner.producer is Producer.SUM_OF_SQUARES:
            return Value(Producer.NORM)
        return UNKNOWN

    def _constant(self, expr: cst.BaseExpression | None, scope: Scope, seq: int, depth: int) -> float | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        literal = numeric_literal(expr)
        if literal is not None:
            return literal
        if isinstance(expr, cst.NamedExpr):  # `zero := tf.constant(0.)` is its value
            return self._constant(expr.value, scope, seq, depth + 1)
        if isinstance(expr, cst.Call):
            return self._constant_call(expr, scope, seq, depth)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            negated = self._constant(expr.expression, scope, seq, depth + 1)
            return -negated if negated is not None else None
        if isinstance(expr, cst.Name):
            return self._constant_name(expr, scope, seq, depth)
        if isinstance(expr, cst.BinaryOperation):
            return self._constant_arithmetic(expr, scope, seq, depth)
        if isinstance(expr, cst.Attribute):  # `np.pi`: `sin(pi * x) / (pi * x)` is 0/0 exactly where x is 0
            named = _NAMED_CONSTANTS.get(self.analysis.qualified_name(expr) or "")
            return named if named is not None else self._constant_attribute(expr, scope)
        return None

    def _constant_attribute(self, expr: cst.Attribute, scope: Scope) -> float | None:
        """`self.clip_val` where every `self.clip_val = ...` of the class (and its local bases) writes the same
        number literal (openai_lab's `self.clip_val = 500` in `__init__`, read by `select_action`). Not an attribute
        stored from a parameter: its default is not what the constructor's callers pass (`self._gamma = gamma`,
        built with `gamma=0.5`)."""
        if not (isinstance(expr.value, cst.Name) and expr.value.value == "self"):
            return None
        owner = self.binder.enclosing_class(scope)
        stored = self.binder.attribute(owner, expr.attr.value) if owner is not None else []
        values = {numeric_literal(binding.expression) if binding.expression is not None else None
                  for binding in stored}
        return values.pop() if len(values) == 1 else None

    def _constant_arithmetic(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> float | None:
        """`a + b`, `a - b`, `a * b` of two constants."""
        if not isinstance(expr.operator, (cst.Add, cst.Subtract, cst.Multiply)):
            return None
        left = self._constant(expr.left, scope, seq, depth + 1)
        right = self._constant(expr.right, scope, seq, depth + 1)
        if left is None or right is None:
            return None
        if isinstance(expr.operator, cst.Add):
            return left + right
        if isinstance(expr.operator, cst.Subtract):
            return left - right
        return left * right

    def _constant_call(self, call: cst.Call, scope: Scope, seq: int, depth: int) -> float | None:
        """`K.epsilon()`, `tf.constant(0.5)`, `tf.cast(2, ...)`, `math.log(eps)`, `tf.math.log(2.0)`."""
        op = self.analysis.op_of_call(call)
        if op is Op.EPSILON:
            return KERAS_EPSILON
        if op in (Op.CONSTANT, Op.CAST):
            return self._constant(argument(call, 0, "value"), scope, seq, depth + 1)
        if call.args and (self.analysis.qualified_name(call.func) == "math.log" or op is Op.LOG):
            # `log_eps = math.log(epsilon)`, `tf.math.log(2.0)`: a number, e.g. a clip bound or a scale
            inside = self._constant(call.args[0].value, scope, seq, depth + 1)
            return math.log(inside) if inside is not None and inside > 0 else None
        return None

    def _constant_name(self, name: cst.Name, scope: Scope, seq: int, depth: int) -> float | None:
        """What the name is bound to; for a parameter, the argument of the call being evaluated, else its default,
        which is what runs wherever a caller does not pass one (`def log_loss(y, p, eps=1e-15)`)."""
        binding = self.binder.resolve(name.value, At(scope, seq))
        if binding is not None and binding.expression is not None:
            return self._constant(binding.expression, binding.scope, binding.seq, depth + 1)
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None
        passed = self._argument_in_frame(binding.scope, binding.name)
        if passed is None and binding.name in binding.scope.defaults:
            passed = binding.scope.defaults[binding.name], At(binding.scope.parent or binding.scope, END), self
        if passed is None:
            return None
        # the engine of the file the argument is written in (a caller in another project file)
        argument_expr, where, engine = passed
        return engine._constant(argument_expr, where.scope, where.seq, depth + 1)

    def _eval_binary(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        evaluate = self._BINARY.get(type(expr.operator))
        return evaluate(self, expr, scope, seq, depth) if evaluate is not None else UNKNOWN

    def _eval_difference(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """`1 - p` is p's complement; a linear head minus or from a constant is linear; x2 - x1 of one box is its
        side; max(x) - min(x) is a range."""
        if numeric_literal(expr.left) == 1.0:
            right = self._eval(expr.right, scope, seq, depth)
            if right.is_probability and not right.complement:
                return replace(right, complement=True, guard=None if right.guard is Guard.EPSILON_ADDED else right.guard)
            if right.producer is Producer.LINEAR:
                return right
            if right.clip is not None:  # clipped like a probability (`clip(p, eps, 1 - eps)`), whatever p is
                return Value(complement=True, guard=Guard.CLIPPED, clip=right.clip)
            gap = self._tanh_gap(expr.right, scope, seq, depth, squared=True)
            return gap if gap is not None else UNKNOWN
        # a linear head shifted by a constant (`K - v`, `v - 3`) is still a linear head
        for side, other in ((expr.right, expr.left), (expr.left, expr.right)):
            if self._constant(other, scope, seq, depth) is not None:
                shifted = self._eval(side, scope, seq, depth)
                return shifted if shifted.producer is Producer.LINEAR else UNKNOWN
        # a box's extent, x2 - x1 of one box tensor: 0 for a padding row or a zero-size box
        left_coordinate, right_coordinate = _box_coordinate(expr.left), _box_coordinate(expr.right)
        if left_coordinate is not None and left_coordinate == right_coordinate:
            return Value(Producer.BOX_SIDE, subject=self.analysis.spelled(expr))
        # max - min, also through names (`imin, imax = x.min(), x.max()`): 0 for a constant input
        sides = [self.binder.follow(side, At(scope, seq), _MAX_DEPTH)[0] for side in (expr.left, expr.right)]
        ops = {self.analysis.op_of_call(side) for side in sides if isinstance(side, cst.Call)}
        if ops == {Op.REDUCE_MAX, Op.REDUCE_MIN}:
            return Value(Producer.RANGE)
        return UNKNOWN

    def _eval_sum(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """`x + eps` guards x (a positive constant added); a bias keeps a linear head linear; a label-weighted mix
        of a probability and its complement."""
        for value_side, other in ((expr.left, expr.right), (expr.right, expr.left)):
            epsilon = self._constant(other, scope, seq, depth)
            if epsilon is not None:
                return self._plus_constant(value_side, epsilon, scope, seq, depth)
        if gram_expansion(self.analysis, expr, At(scope, seq)):
            # |a|² + |b|² - 2 a·b: the squared distance ||a - b||², >= 0 up to rounding, not the matrix product's
            # signed linear output (analysis/distances.py)
            return UNKNOWN
        # `matmul(h, w) + b`: a bias keeps a linear head linear
        terms = [self._eval(side, scope, seq, depth) for side in (expr.left, expr.right)]
        counted = _sum_of_counts(terms, self.analysis.spelled(expr.with_changes(lpar=[], rpar=[])))
        if counted is not None:
            return counted
        for value in terms:
            if value.producer is Producer.LINEAR:
                return value
        # `dist + scatter_nd(indices, copy, shape)`: nothing is added where no index writes, so dist's zeros stay
        # there (a pointer-generator's vocabulary distribution plus its copy distribution)
        for term, added in (terms, terms[::-1]):
            if added.producer is Producer.SCATTERED and term.zero_when is not None:
                return term.through("a sum with a scatter_nd(), which adds nothing where no index writes")
        return self._probability_mixture(expr, scope, seq, depth)

    def tanh_output(self, expr: cst.BaseExpression, site: Point) -> Value | None:
        """The value of an unscaled, unclipped tanh output (`tanh(x)`, through names and functions), else None."""
        value = self._tanh_output(expr, site.scope, site.seq, 0)
        return replace(value, float64=True) if value is not None and self._floatx_float64 else value

    def _tanh_output(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value | None:
        value = self._eval(expr, scope, seq, depth)
        if value.producer is Producer.TANH and value.guard is None and value.clip is None and not value.scaled:
            return value
        return None

    def tanh_gap(self, expr: cst.BaseExpression, site: Point, squared: bool) -> Value | None:
        """`t` or (with `squared`) `t²` of a tanh output t, as what `1 - it` / `1 + it` / `log1p(-it)` give: a
        TANH_GAP value, 0 where tanh rounds to ±1; None for anything else."""
        value = self._tanh_gap(expr, site.scope, site.seq, 0, squared)
        return replace(value, float64=True) if value is not None and self._floatx_float64 else value

    def _tanh_gap(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int, squared: bool) -> Value | None:
        if depth > _MAX_DEPTH:
            return None
        base = self._squared_base(expr, scope, seq) if squared else None
        tanh = self._tanh_output(base if base is not None else expr, scope, seq, depth + 1)
        if tanh is None:
            return None
        return Value(Producer.TANH_GAP, via=tanh.via)

    def _squared_base(self, expr: cst.BaseExpression, scope: Scope, seq: int) -> cst.BaseExpression | None:
        """`t` of `t ** 2`, `t * t`, `square(t)`, `pow(t, 2)` (also behind a name bound to one), else None."""
        return self.analysis.squared_base(self.binder.follow(expr, At(scope, seq), _MAX_DEPTH)[0])

    def _plus_constant(self, expr: cst.BaseExpression, constant: float, scope: Scope, seq: int, depth: int) -> Value:
        """`x + eps`: x guarded by a positive constant; `1 + tanh(x)`: 0 where the tanh rounds to -1."""
        if constant == 1.0:
            gap = self._tanh_gap(expr, scope, seq, depth, squared=False)
            if gap is not None:
                return gap
        value = self._eval(expr, scope, seq, depth)
        if value.producer is None:
            return UNKNOWN
        if constant > 0:
            return replace(value, guard=Guard.EPSILON_ADDED, epsilon=constant)
        return value

    def _eval_power(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        exponent = numeric_literal(expr.right)
        if exponent == 2:
            return Value(Producer.SQUARE)
        if exponent == 0.5:
            return self._root_of(self._eval(expr.left, scope, seq, depth))
        return UNKNOWN

    def _eval_product(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        if isinstance(expr.left, cst.Name) and isinstance(expr.right, cst.Name) and expr.left.value == expr.right.value:
            return Value(Producer.SQUARE)
        structural = self._structural_factor(expr, scope, seq)
        if structural is not None:
            return structural
        linear = self._linear_product(expr, scope, seq, depth)
        if linear is not None:
            return linear
        # a product is 0 wherever one factor is (`norm(a) * norm(b)`); a probability's saturation included
        # (`p_gen * softmax(s)`), but the product is no longer a probability
        factors = [self._eval(side, scope, seq, depth) for side in (expr.left, expr.right)]
        if all(_plain_count(factor) for factor in factors):
            # a product of counts is 0 when either is: each keeps its own condition
            return Value(Producer.COUNT, counts=(*factors[0].counts, *factors[1].counts))
        for value in factors:
            if value.zero_when is not None and not value.is_probability:
                return value
        for value in factors:
            if value.is_probability and value.zero_when is not None and not value.complement:
                return replace(value, scaled=True).through("a product")
        return self._signed(factors)

    def _structural_factor(self, expr: cst.BinaryOperation, scope: Scope, seq: int) -> Value | None:
        """A product that is 0 by one factor's construction: `x * mask`, 0 wherever the mask is; `c * x` with a
        coefficient that takes the value 0 among others, 0 there whatever x is. None for other products."""
        for other in (expr.right, expr.left):
            if self._is_mask(other, scope, seq):
                return Value(Producer.MASKED, mask=self._mask_text(other))
        for other in (expr.left, expr.right):
            zero = self.zero_coefficient(other, At(scope, seq), self.analysis.sites.get(expr))
            if zero is not None:
                return Value(Producer.ZERO_COEFFICIENT, zero_because=zero)
        return None

    def _linear_product(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value | None:
        """A trainable weight times an input (`pred = W * x + b`), or a constant multiple of a linear head
        (`0.5 * log_var`): a linear map, unbounded and of either sign. None for other products."""
        pairs = ((expr.left, expr.right), (expr.right, expr.left))
        for side, other in pairs:
            if self.is_weight(side, At(scope, seq)) and self._constant(other, scope, seq, depth) is None \
                    and not self.is_weight(other, At(scope, seq)):
                return Value(Producer.LINEAR, via=(f"a product with the trainable weight `{self._describe(side)}`",))
        for side, other in pairs:
            if self._constant(other, scope, seq, depth):
                value = self._eval(side, scope, seq, depth)
                if value.producer is Producer.LINEAR:
                    return value
        return None

    def _eval_quotient(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        squash = self._hand_written_squash(expr, scope, seq, depth)
        if squash.producer is not None:
            return squash
        divisor = self._constant(expr.right, scope, seq, depth)
        if divisor is not None and divisor != 0 and math.isfinite(divisor):
            # `depth * f / 715.0873`: a quotient by a non-zero number is 0 wherever the dividend is (a probability's
            # saturation included, as in a product; the quotient is no longer a probability)
            value = self._eval(expr.left, scope, seq, depth)
            if value.zero_when is not None and not value.is_probability:
                return value
            if value.is_probability and value.zero_when is not None and not value.complement:
                return replace(value, scaled=True).through("a quotient by a constant")
        elif (rate := self._rate(expr, scope, seq, depth)) is not None:
            return rate
        elif self._normalized_by_its_sum(expr, At(scope, seq)):
            # `p / reduce_sum(p, axis, keepdims=True)` (a masked policy renormalised): 0 wherever p is (where a whole
            # row is 0 its sum is too, and 0/0 is NaN: the denominator's hazard). A probability stays one.
            value = self._eval(expr.left, scope, seq, depth)
            if value.zero_when is not None:
                return value.through("a normalisation by its own sum")
        # `x / sigma` with sigma a linear head changes sign with it
        return self._signed([self._eval(expr.right, scope, seq, depth)])

    def _rate(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value | None:
        """`tp / maximum(tp + fp, 1)`, `tp / (predicted_positives + K.epsilon())`: a count divided by a total whose
        range is positive is 0 exactly when the count is (the hand-written precision and recall of the F1 metrics,
        whose `2 * p * r / (p + r)` is 0/0 for a batch with no true positive). None for anything else."""
        from nanlint.analysis.ranges import positive

        counted = self._eval(expr.left, scope, seq, depth)
        if not _plain_count(counted) or not positive(self.analysis.ranges.of(expr.right, At(scope, seq))):
            return None
        return replace(counted, rate=True, via=())

    def _normalized_by_its_sum(self, expr: cst.BinaryOperation, at: At) -> bool:
        """`p / reduce_sum(p, ...)`: a division by the sum of the dividend itself (the same spelling, through
        names: `p /= tf.reduce_sum(p, axis=1, keepdims=True)`), which rescales p and keeps its zeros."""
        total, _ = self.binder.follow(expr.right, at, _MAX_DEPTH)
        terms = self.analysis.operand(total) if isinstance(total, cst.Call) \
            and self.analysis.op_of_call(total) is Op.REDUCE_SUM else None
        return terms is not None and self.analysis.spelled(terms) == self.analysis.spelled(expr.left)

    def zero_coefficient(self, expr: cst.BaseExpression, at: Point, site: Site | None = None) -> str | None:
        """When `expr` is a constant that takes several values written in the code, 0 among them, the condition
        (for messages) under which it is 0; else None. The values are a literal list or tuple of numbers (also
        nested, a literal array through `tf.constant`/`np.array`/casts), read whole or element by element: by a
        loop or comprehension target (through `enumerate`/`zip`), by an index. tensorflow#4914: `for c in
        coefficients: tf.sqrt(tf.constant(c) * x)` with `coefficients = [0.5, 0.0, 2.0]`. Not where a guard
        around the read of the loop target (given the `site` of the product) keeps it off 0 (`if c == 0: continue`
        before, `[... for c in cs if c]`)."""
        numbers = self._drawn_numbers(expr, at, site, 0)
        if numbers is None or 0.0 not in numbers[0] or not any(numbers[0]):
            return None
        return f"the entries where `{self._describe(expr)}` is 0 (`{numbers[1]}` holds a 0)"

    def _drawn_numbers(self, expr: cst.BaseExpression, at: Point, site: Site | None, depth: int
                       ) -> tuple[list[float], str] | None:
        """The numbers a constant expression takes, and the literal they are written in; None when it is not a
        constant written in the code (a parameter, a computed value, a list of other things)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Subscript) and self.binder.literal_element(expr, at) is None:
            # an element of a literal list at an index that is not a constant: whichever one
            return self._drawn_numbers(expr.value, at, site, depth + 1)
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        if isinstance(expr, (cst.List, cst.Tuple)):
            numbers = literal_numbers(expr)
            return (numbers, self._describe(expr)) if numbers else None
        if isinstance(expr, cst.Call):
            qualified = self.analysis.qualified_name(expr.func)
            converts = self.analysis.op_of_call(expr) in (Op.CONSTANT, Op.CAST) or qualified in _ARRAY_LITERALS or (
                isinstance(expr.func, cst.Name) and expr.func.value == "float"
                and self.binder.resolve("float", at) is None)
            operand = argument(expr, 0, "value")
            return self._drawn_numbers(operand, at, self.analysis.sites.get(expr), depth + 1) \
                if converts and operand is not None else None
        if not isinstance(expr, cst.Name):
            return None
        binding = self.binder.resolve(expr.value, at)
        element = binding.element if binding is not None else None
        if binding is None or element is None or (site is not None and self._kept_off_zero(expr, site)):
            return None
        iterable: cst.BaseExpression | None = element.iterable
        if element.path:  # `for i, c in enumerate(cs)`, `for c, x in zip(cs, xs)`: the part the target takes
            call = iterable if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) else None
            name = call.func.value if call is not None and isinstance(call.func, cst.Name) else None
            parts: list[cst.BaseExpression | None] = [arg.value for arg in call.args] if call is not None else []
            if len(element.path) != 1 or name not in ("enumerate", "zip") or \
                    self.binder.resolve(name, binding.at) is not None:
                return None
            parts = [None, *parts[:1]] if name == "enumerate" else parts
            iterable = parts[element.path[0]] if element.path[0] < len(parts) else None
        if iterable is None:
            return None
        container, _ = self.binder.follow(iterable, binding.at, _MAX_DEPTH)
        numbers = literal_numbers(container) if isinstance(container, (cst.List, cst.Tuple)) else []
        return (numbers, self._describe(iterable)) if numbers else None

    def _kept_off_zero(self, name: cst.Name, site: Site) -> bool:
        """A guard where `name` is read (at `site`) keeps it off 0: an `if`, an early `continue`, a filter."""
        from nanlint.analysis.guards import Domain  # guards.py reads values

        return self.analysis.guards.excluded(name, name, Domain.NONZERO, site)

    def _eval_matrix_product(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """A linear output, unless both factors are non-negative (`magnitudes @ filters`): not a signed head."""
        return UNKNOWN if self._nonnegative(expr, At(scope, seq)) else Value(Producer.LINEAR)

    # What `a <operator> b` evaluates to, by operator (others: UNKNOWN).
    _BINARY: ClassVar[dict[type[cst.BaseBinaryOp], _BinaryEvaluator]] = {
        cst.Subtract: _eval_difference, cst.Add: _eval_sum, cst.Power: _eval_power, cst.Multiply: _eval_product,
        cst.Divide: _eval_quotient, cst.MatrixMultiply: _eval_matrix_product,
    }

    def _nonnegative(self, expr: cst.BaseExpression, at: At) -> bool:
        from nanlint.analysis.ranges import nonnegative

        return nonnegative(self.analysis.ranges.of(expr, at))

    def _sum_of_nonnegatives(self, inner: Value, summed: cst.BaseExpression, at: At) -> bool:
        """`reduce_sum(counts)` where counts is itself a sum of non-negative terms (a row total of a confusion
        matrix): 0 only where every term is, and no term is known to be 0, so not "[1, -1]"."""
        return inner.producer is Producer.SUM and inner.mask is None and not inner.subject_can_be_zero \
            and self._nonnegative(summed, at)

    def _probability_mixture(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """`y * p + (1 - y) * (1 - p)` (focal loss's p_t): a label-weighted mix of a probability and its
        complement is 0 wherever the selected term is, e.g. y = 1 and p = sigmoid(x) with x <= -87.5."""
        terms = []
        for side in (expr.left, expr.right):
            if not (isinstance(side, cst.BinaryOperation) and isinstance(side.operator, cst.Multiply)):
                return UNKNOWN
            factors = [self._eval(factor, scope, seq, depth) for factor in (side.left, side.right)]
            probabilities = [factor for factor in factors if factor.is_probability and factor.guard is None]
            if not probabilities:
                return UNKNOWN
            terms.append(probabilities[0])
        first = next((term for term in terms if not term.complement), terms[0])
        return first.through("a label-weighted mix of p and 1 - p")

    def _hand_written_squash(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """`1 / (1 + exp(-x))`, `exp(x) / (1 + exp(x))` are sigmoids; `exp(x) / sum(exp(x))` a softmax."""
        squash = hand_written_squash(self.analysis, expr.left, expr.right, lambda e: self._is_exp(e, scope, seq, depth))
        return Value(squash, hand_written=True) if squash is not None else UNKNOWN

    def _is_exp(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> bool:
        return self._eval(expr, scope, seq, depth).producer is Producer.EXP


def _both(left: counting.Event | None, right: counting.Event | None) -> counting.Event | None:
    """The product of two indicators: 1 where both events hold."""
    if left is None or right is None:
        return None
    terms = [counting.conjunction(*one, *other) for one in left for other in right]
    return frozenset(term for term in terms if term is not None)


def _rounded(event: counting.Event | None) -> counting.Event | None:
    """The event, its literals marked as written with a rounding (a count of them is a count, not a mask's sum)."""
    if event is None:
        return None
    return frozenset(frozenset(replace(literal, rounded=True) for literal in term) for term in event)


# How a class's state variable is increased (`K.update_add(v, inc)`, `v.assign_add(inc)`) and reset.
_STATE_INCREMENTS = ("update_add", "assign_add")
_STATE_RESETS = ("set_value", "assign", "update")
# Calls that make an array of the numbers written in their first argument.
_ARRAY_LITERALS = frozenset({"numpy.array", "numpy.asarray"})


def _plain_count(value: Value) -> bool:
    """A count or product of counts of 0/1 indicators, unguarded and not yet rooted."""
    return value.producer is Producer.COUNT and bool(value.counts) and value.guard is None and not value.rooted


def _bin_counts(value: Value) -> bool:
    """Counts per bin (`histogram_fixed_width`, `bincount`, sums of them), unguarded and not rooted."""
    return value.producer is Producer.COUNT and not value.counts and value.guard is None and not value.rooted \
        and value.zero_because is not None


def _sum_of_counts(terms: list[Value], text: str) -> Value | None:
    """`tp + fp`: counts are non-negative, so their sum is 0 exactly when each is: no sample in either event (the
    samples predicted positive, whatever their label). Only for single counts (a sum of products is not a count of
    one event)."""
    if all(_bin_counts(term) for term in terms):
        # bin counts (`hist_a + hist_b`): non-negative, 0 where every term is
        return Value(Producer.COUNT, zero_because="an entry where every term is 0 (" + " and ".join(
            term.zero_because or "" for term in terms) + ")")
    if not all(_plain_count(term) and len(term.counts) == 1 for term in terms):
        return None
    event = counting.union(terms[0].counts[0].event, terms[1].counts[0].event)
    return Value(Producer.COUNT, counts=(counting.Count(text, event),), rate=any(term.rate for term in terms))


def _over_a_sequence(iterable: cst.BaseExpression) -> bool:
    """A loop over every element of something (`x`, `enumerate(x)`, `zip(a, b)`, `range(len(x))`, `self.items`), not
    over a selection of it (`np.where(...)[0]`, `nonzero()`, a filtered comprehension)."""
    if isinstance(iterable, (cst.Name, cst.Attribute)):
        return True
    return isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) \
        and iterable.func.value in ("enumerate", "zip", "range") \
        and all(_over_a_sequence(arg.value) or isinstance(arg.value, cst.Integer)
                or (isinstance(arg.value, cst.Call) and isinstance(arg.value.func, cst.Name)
                    and arg.value.func.value == "len") for arg in iterable.args)


def _sets_entry_to_nonzero(statement: cst.BaseSmallStatement, name: str) -> bool:
    """`name[...] = c` (or `name[i][j] = c`) with c a non-zero number."""
    if not isinstance(statement, cst.Assign):
        return False
    value = numeric_literal(statement.value)
    if value is None or value == 0:
        return False
    for target in statement.targets:
        indexed: cst.BaseExpression = target.target
        while isinstance(indexed, cst.Subscript):
            indexed = indexed.value
        if isinstance(target.target, cst.Subscript) and isinstance(indexed, cst.Name) and indexed.value == name:
            return True
    return False


def hand_written_squash(analysis: ModuleAnalysis, numerator: cst.BaseExpression, denominator: cst.BaseExpression,
                        is_exp: Callable[[cst.BaseExpression], bool],
                        unwrap: Callable[[cst.BaseExpression], cst.BaseExpression] = lambda expr: expr) -> Producer | None:
    """Recognize a division that spells out a sigmoid or a softmax by hand. `unwrap` may see a denominator
    through names and shape-only wrappers (`tile(reduce_sum(e), ...)`)."""
    if sigmoid_exp(analysis, denominator, is_exp) is not None:
        if numeric_literal(numerator) == 1.0 or is_exp(numerator):
            return Producer.SIGMOID
    denominator = unwrap(denominator)
    if isinstance(denominator, cst.Call) and analysis.op_of_call(denominator) is Op.REDUCE_SUM:
        summed = analysis.operand(denominator)  # `reduce_sum(e)`, `np.sum(e)`, `e.sum(axis=-1)`
        if summed is not None and is_exp(summed) and is_exp(numerator):
            return Producer.SOFTMAX
    return None


def sigmoid_exp(analysis: ModuleAnalysis, denominator: cst.BaseExpression,
                is_exp: Callable[[cst.BaseExpression], bool]) -> cst.BaseExpression | None:
    """The exp term of a hand-written sigmoid's denominator `1 + exp(u)`, however the sum is spelled (`exp(u) + 1`,
    TF1's `tf.add(1., tf.exp(u))`, `tf.math.add`); None for anything else."""
    form = analysis.operator_form(denominator)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add)):
        return None
    for one, term in ((form.left, form.right), (form.right, form.left)):
        if numeric_literal(one) == 1.0 and is_exp(term):
            return term
    return None


@dataclass(frozen=True)
class HandWrittenSquash:
    node: cst.BaseExpression  # the division: `a / b` or `tf.div(a, b)`
    site: Site
    kind: Producer  # SIGMOID or SOFTMAX
    exps: frozenset[cst.Call]
    numerator: cst.BaseExpression
    denominator: cst.BaseExpression


# Arguments Keras fills from the calling context when a layer's call leaves them None (`training` inside fit(), the
# propagated `mask`): their default says nothing about the value a layer's call() receives.
_CALL_CONTEXT = frozenset({"training", "mask"})


def _truth(engine: ValueFacts, expr: cst.BaseExpression, at: Point) -> bool | None:
    """The truth of a flag's value: `True`, `False`, `None`, a number (followed through names); None when unknown."""
    expr, _ = engine.binder.follow(expr, at, _MAX_DEPTH)
    if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
        return expr.value == "True"
    number = numeric_literal(expr)
    return bool(number) if number is not None else None


def _is_none(engine: ValueFacts, expr: cst.BaseExpression, at: Point) -> bool | None:
    """Whether an argument is None: True for `None` (followed through names), False for a value that cannot be
    (a number, a string, a collection, an arithmetic result, a call other than of a name bound in the module),
    None when unknown."""
    expr, _ = engine.binder.follow(expr, at, _MAX_DEPTH)
    if isinstance(expr, cst.Name):
        return True if expr.value == "None" else None
    if isinstance(expr, (cst.BaseNumber, cst.BaseString, cst.List, cst.Tuple, cst.Dict, cst.Set, cst.BinaryOperation,
                         cst.UnaryOperation)):
        return False
    return None


@dataclass(frozen=True)
class _Frame:
    """A call of a module function being evaluated: its parameters are this call's arguments, evaluated by
    `engine` (the caller's file: another file of the project when the call crosses files)."""

    call: cst.Call
    caller: Point
    engine: ValueFacts


@dataclass(frozen=True)
class _Construction:
    """An object built by a call (`Dense(1, activation="sigmoid")`, `Model(i, o)`, `build()`) and then called."""

    node: cst.Call
    at: At


@dataclass(frozen=True)
class _ProjectFunction:
    """A module-level function of another file of the linted project, imported into this one."""

    analysis: ModuleAnalysis
    function: Scope


@dataclass(frozen=True)
class _ProjectClass:
    """A class of another file of the linted project, imported into this one."""

    analysis: ModuleAnalysis
    info: ClassInfo


Callee = Union[Op, Scope, _Construction, _ProjectFunction, None]


@dataclass(frozen=True)
class _Follow:
    """One step of ValueFacts._callee's walk: the expression the callee stands for, and where it is."""

    expr: cst.BaseExpression
    scope: Scope
    seq: int
# ValueFacts' dispatch tables: (self, the node, scope, seq, depth) -> its value.
_BinaryEvaluator = Callable[["ValueFacts", cst.BinaryOperation, Scope, int, int], Value]
_OperationEvaluator = Callable[["ValueFacts", cst.Call, Union[cst.BaseExpression, None], Scope, int, int], Value]
_OperandEvaluator = Callable[["ValueFacts", cst.Call, cst.BaseExpression, Scope, int, int], Value]


def project_symbol(analysis: ModuleAnalysis, qualified: str) -> tuple[ModuleAnalysis, str] | None:
    """The analysis of the project file a qualified name comes from, and the name defined there."""
    from nanlint import project

    current = project.current()
    return current.symbol(analysis, qualified) if current is not None else None


def _project_function(analysis: ModuleAnalysis, qualified: str) -> _ProjectFunction | None:
    """A module-level function of another project file, or a static method called through its class
    (`VanillaGradients.compute_gradients(images, model, 0)`, the class imported from another file)."""
    found = project_symbol(analysis, qualified)
    function = found[0].functions.get(found[1]) if found is not None else None
    if found is not None and function is not None and function.class_name is None:
        return _ProjectFunction(found[0], function)
    owner, _, name = qualified.rpartition(".")
    cls = _project_class(analysis, owner) if owner and found is None else None
    method = cls.analysis.binder.method(cls.info, name) if cls is not None else None
    return _ProjectFunction(cls.analysis, method) if cls is not None and method is not None and method.static else None


def _project_class(analysis: ModuleAnalysis, qualified: str) -> _ProjectClass | None:
    found = project_symbol(analysis, qualified)
    info = found[0].classes.get(found[1]) if found is not None else None
    return _ProjectClass(found[0], info) if found is not None and info is not None else None


def _index_of(subscript: cst.Subscript) -> Index | None:
    """The constant index of `outs[0]` / `d["p"]`, ANY for a computed one (`dists[step]`), None for slices."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    index = subscript.slice[0].slice.value
    if isinstance(index, cst.SimpleString):
        value = index.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(index, (cst.Name, cst.Attribute, cst.BinaryOperation)) and not (
            isinstance(index, cst.Name) and index.value in ("None", "Ellipsis")):
        return ANY
    number = numeric_literal(index)
    return int(number) if number is not None and float(number).is_integer() else None


def _is_super(expr: cst.BaseExpression) -> bool:
    """`super()` or `super(Cls, self)`."""
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "super"


# Keras layer classes whose `call` is one operation of its input: what `super().call(x)` computes in a subclass.
_LAYER_OPERATIONS: dict[str, Op] = {
    **{f"{kind}Pooling{rank}": Op.AVG_POOL for kind in ("Average", "GlobalAverage") for rank in ("1D", "2D", "3D")},
    **{f"{kind}Pooling{rank}": Op.MAX_POOL for kind in ("Max", "GlobalMax") for rank in ("1D", "2D", "3D")},
    "Softmax": Op.SOFTMAX, "ReLU": Op.RELU,
}


_ROI_WORDS = frozenset({"roi", "rois"})


def _box_coordinate(expr: cst.BaseExpression) -> str | None:
    """The box tensor `expr` reads one coordinate of (`boxes2[..., 3]`, `gt_bbox[:, 0]`, `self.boxes[..., 1]`,
    `ex_rois[:, 2]`): a name with "box" in it or a word "roi"/"rois" (detection's regions of interest), not an
    anchor (generated with a size), indexed on its last axis by a constant after at least one other axis. None
    otherwise."""
    if not isinstance(expr, cst.Subscript) or len(expr.slice) < 2:
        return None
    last = expr.slice[-1].slice
    if not (isinstance(last, cst.Index) and isinstance(last.value, cst.Integer)):
        return None
    base = expr.value
    name = base.attr.value if isinstance(base, cst.Attribute) else base.value if isinstance(base, cst.Name) else ""
    lowered = name.lower()
    boxes = "box" in lowered or not _ROI_WORDS.isdisjoint(lowered.split("_"))
    return name if boxes and "anchor" not in lowered else None


def _passed_parameters(function: Scope) -> list[str]:
    """The parameters a caller passes (a method's receiver is bound, not passed)."""
    return function.params[1:] if function.receiver else function.params


def parameter_index(function: Scope, name: str) -> int | None:
    """The positional index a caller passes `name` at (`self` is bound by the method call, not passed: None for
    the receiver itself, which `argument` then looks up by keyword only)."""
    index = function.params.index(name)
    if not function.receiver:
        return index
    return index - 1 if index > 0 else None
