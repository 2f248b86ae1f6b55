"""The one table of canonical operations and every spelling under which TF/Keras/NumPy expose them.

Checks ask "is this call the canonical `log`?" (`Op.LOG`); they never compare dotted names themselves.
A qualified name is first normalized (`tensorflow.keras.` -> `keras.`, `tensorflow.compat.v1.` ->
`tensorflow.`, `tf_keras.` -> `keras.`, `jax.numpy.` -> `numpy.`), then looked up here. The spellings come from
the libraries' API lists: TF 2.x's `tf.math`/`tf.nn`/`tf.linalg` and their root aliases, TF 0.x/1.x names that
were later renamed (`tf.select`, `tf.mul`, `tf.sub`, `tf.neg`, `tf.div`, `tf.batch_matmul`), the Keras backend
(`K.`), `keras.ops` (which follows NumPy's names), NumPy and the NumPy-compatible namespaces (`jax.numpy`,
`autograd.numpy`, `tf.experimental.numpy`), and the array-method forms (`a.sum()`). Every further name the
libraries themselves export the same function objects under is generated from them into `exported_names.py`
(bench/exported_names.py) and read by `operation_of` beside these; `operation_named` reads only these.

An operation that Python also spells as an operator (`tf.multiply(a, b)` is `a * b`, `tf.negative(x)` is `-x`,
`np.square(x)` is `x ** 2`) has that operator in `OPERATOR_FORMS`: the analysis reads the call as the operator
(`ModuleAnalysis.operator_form`), so every rule sees one operation whichever way it is written.
"""

from __future__ import annotations

import enum
import functools
from typing import TYPE_CHECKING

from nanlint.analysis.exported_names import EXPORTED_NAMES

if TYPE_CHECKING:
    import libcst as cst


class Op(enum.Enum):
    # elementwise math
    LOG = "log"
    LOG1P = "log1p"
    EXP = "exp"
    SQRT = "sqrt"
    RSQRT = "rsqrt"
    POW = "pow"
    SQUARE = "square"
    ABS = "abs"
    ACOS = "acos"
    ASIN = "asin"
    ATANH = "atanh"  # domain (-1, 1): ±Inf at ±1, with an infinite derivative 1 / (1 - x²)
    ATAN2 = "atan2"  # finite everywhere, but its gradient (x dy - y dx) / (x² + y²) is 0/0 at the origin
    RECIPROCAL = "reciprocal"
    DIVIDE = "divide"
    FLOORDIV = "floordiv"
    MOD = "mod"
    DIVIDE_NO_NAN = "divide_no_nan"
    ADD = "add"
    ADD_N = "add_n"  # the elementwise sum of a list of tensors: `add_n([a, b])` is `a + b`
    SUBTRACT = "subtract"
    MULTIPLY = "multiply"
    NEGATIVE = "negative"
    SQUARED_DIFFERENCE = "squared_difference"  # (x - y)²
    MAXIMUM = "maximum"
    MINIMUM = "minimum"
    CLIP = "clip_by_value"
    ROUND = "round"  # to the nearest integer: a value in [0, 1] rounded is a 0/1 indicator
    WHERE = "where"
    CAST = "cast"
    CONSTANT = "constant"
    STOP_GRADIENT = "stop_gradient"
    SQUEEZE = "squeeze"
    RESHAPE = "reshape"
    EXPAND_DIMS = "expand_dims"
    GATHER = "gather"
    BOOLEAN_MASK = "boolean_mask"  # the entries where a mask holds (`tf.boolean_mask(x, m)`)
    TILE = "tile"
    TRANSPOSE = "transpose"
    CONCAT = "concat"
    IDENTITY = "identity"
    VARIABLE = "variable"  # a trainable weight (`tf.Variable`, `tf.get_variable`, `self.add_weight`)
    COSH = "cosh"
    # ops19: operations whose measured limits the numerics table holds (nanlint/analysis/numerics.py)
    EXPM1 = "expm1"  # exp(x) - 1: overflows where exp does, and is exactly -1 far below 0
    SINH = "sinh"  # overflows on either side, past ln(2 * max)
    ERFINV = "erfinv"  # domain (-1, 1): ±Inf at ±1, with an infinite derivative
    LGAMMA = "lgamma"  # log|Γ(x)|: +Inf at 0 and the negative integers, with a NaN gradient
    DIGAMMA = "digamma"  # Γ'/Γ: NaN at 0 and the negative integers
    MATMUL = "matmul"
    BATCH_DOT = "batch_dot"
    DENSE_FUNCTION = "dense"  # TF1's functional layers, dense or convolution: activation(W x + b)
    EQUAL = "equal"
    NOT_EQUAL = "not_equal"
    GREATER = "greater"
    LESS = "less"
    GREATER_EQUAL = "greater_equal"
    LESS_EQUAL = "less_equal"
    LOGICAL_AND = "logical_and"
    LOGICAL_OR = "logical_or"
    LOGICAL_NOT = "logical_not"
    LOGICAL_XOR = "logical_xor"
    REDUCE_ANY = "reduce_any"
    REDUCE_ALL = "reduce_all"
    IS_NAN = "is_nan"
    IS_FINITE = "is_finite"
    BIAS_ADD = "bias_add"
    DTYPE_POLICY = "dtype_policy"
    # activations
    SIGMOID = "sigmoid"
    SOFTMAX = "softmax"
    RELU = "relu"
    TANH = "tanh"
    LOG_SIGMOID = "log_sigmoid"
    LOG_SOFTMAX = "log_softmax"
    SOFTPLUS = "softplus"
    # reductions
    REDUCE_SUM = "reduce_sum"
    REDUCE_MEAN = "reduce_mean"
    REDUCE_VARIANCE = "reduce_variance"
    REDUCE_STD = "reduce_std"
    REDUCE_MAX = "reduce_max"
    REDUCE_MIN = "reduce_min"
    REDUCE_LOGSUMEXP = "reduce_logsumexp"
    REDUCE_PROD = "reduce_prod"
    CUMSUM = "cumsum"  # the running sums along an axis: its first (reversed: last) entry is one term alone
    AVG_POOL = "avg_pool"  # a mean over each window: a reduction mean, window by window
    MAX_POOL = "max_pool"  # a max over each window
    RANGE = "range"  # evenly spaced values (arange, linspace, tf.range): as large as their end points
    NORM = "norm"
    GLOBAL_NORM = "global_norm"
    L2_NORMALIZE = "l2_normalize"
    NORMALIZE_BY_NORM = "linalg.normalize"  # x / norm(x), with no epsilon (l2_normalize has one)
    MOMENTS = "moments"
    # TF1's distributions (and early TFP) build Bernoulli, Binomial, NegativeBinomial, Categorical... from either
    # parameter: `logits, probs = get_logits_and_probs(logits, probs)` returns probs = sigmoid(logits) (softmax
    # with multidimensional=True) when given logits, the given probs otherwise
    LOGITS_AND_PROBS = "get_logits_and_probs"
    COUNT_NONZERO = "count_nonzero"
    # counts per bin or per value: 0 for a bin no value falls in, a value that does not occur
    HISTOGRAM = "histogram_fixed_width"
    BINCOUNT = "bincount"
    SHAPE = "shape"
    SCATTER_ND = "scatter_nd"  # updates written at indices into zeros of a given shape
    STACK = "stack"  # tensors stacked along a new axis: 0 wherever one of them is
    STFT = "stft"  # a short-time Fourier transform: one spectrum per frame of the signal
    PAD = "pad"  # a tensor with borders added (zeros, unless another mode or constant is given)
    # misc
    EPSILON = "epsilon"
    CLIP_BY_NORM = "clip_by_norm"
    CLIP_BY_GLOBAL_NORM = "clip_by_global_norm"
    SET_GLOBAL_POLICY = "set_global_policy"
    BATCH_NORMALIZATION = "batch_normalization"


_TF_NAMESPACES = {
    "math": ("tensorflow.math", "tensorflow"),
    "nn": ("tensorflow.nn", "tensorflow.math", "tensorflow"),
    "nn_only": ("tensorflow.nn",),
    "root": ("tensorflow",),
}
_KERAS_OPS = ("keras.ops", "keras.ops.numpy", "keras.ops.nn", "keras.ops.math")
_KERAS_BACKEND = ("keras.backend",)
_KERAS_ACTIVATIONS = ("keras.activations",)
_NUMPY = ("numpy",)
_LINALG = ("tensorflow.linalg", "keras.ops.linalg", "numpy.linalg")
# TF 1.x's layer functions and contrib/slim, which take a tensor and return one
_TF1_LAYERS = ("tensorflow.layers", "tensorflow.contrib.layers", "tensorflow.contrib.slim")
_CONTRIB_LAYERS = ("tensorflow.contrib.layers", "tensorflow.contrib.slim", "tf_slim", "tf_slim.layers")
# TF1's functional layers, `activation(W x + b)`: the position of the activation argument (`activation=` in
# tf.layers, `activation_fn=` in contrib and slim) and whether none given means relu (contrib's and slim's default,
# `activation_fn=nn.relu`) rather than none (tf.layers). Read from tf-keras' legacy_tf_layers and tf_slim's layers.py.
FUNCTIONAL_LAYERS: dict[str, tuple[int, bool]] = {
    **{f"tensorflow.layers.{name}": (position, False) for name, position in (
        ("dense", 2), ("conv1d", 7), ("conv2d", 7), ("conv3d", 7), ("conv2d_transpose", 6), ("conv3d_transpose", 6),
        ("separable_conv1d", 8), ("separable_conv2d", 8))},
    **{f"{namespace}.{name}": (position, True) for namespace in _CONTRIB_LAYERS for name, position in (
        ("fully_connected", 2), ("conv1d", 7), ("conv2d", 7), ("conv3d", 7), ("convolution", 7),
        ("convolution1d", 7), ("convolution2d", 7), ("convolution3d", 7), ("conv2d_transpose", 6),
        ("convolution2d_transpose", 6), ("conv3d_transpose", 6), ("convolution3d_transpose", 6),
        ("separable_conv2d", 8), ("separable_convolution2d", 8))},
    # `linear` is fully_connected with activation_fn=None
    **{f"{namespace}.linear": (-1, False) for namespace in _CONTRIB_LAYERS},
}


def _spell(name: str, *namespaces: tuple[str, ...]) -> set[str]:
    return {f"{ns}.{name}" for group in namespaces for ns in group}


_MATH = _TF_NAMESPACES["math"]
_NN = _TF_NAMESPACES["nn"]
_ROOT = _TF_NAMESPACES["root"]
# Python's `operator` module: the arithmetic operators as functions (`from operator import truediv`).
_OPERATOR = ("operator",)

# TF1's casts to the dtype their name gives (`tf.to_int32(mask)` is `tf.cast(mask, tf.int32)`; removed in TF 2).
FIXED_CASTS: dict[str, str] = {
    "tensorflow.to_float": "float32", "tensorflow.to_double": "float64", "tensorflow.to_bfloat16": "bfloat16",
    "tensorflow.to_int32": "int32", "tensorflow.to_int64": "int64", "tensorflow.to_complex64": "complex64",
    "tensorflow.to_complex128": "complex128",
}

SPELLINGS: dict[Op, set[str]] = {
    Op.LOG: _spell("log", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.LOG1P: _spell("log1p", _MATH, _KERAS_OPS, _NUMPY),
    Op.EXP: _spell("exp", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY) | _spell("exponential", _KERAS_ACTIVATIONS),
    Op.SQRT: _spell("sqrt", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.RSQRT: _spell("rsqrt", _MATH, _KERAS_OPS) | {"jax.lax.rsqrt"},
    Op.POW: _spell("pow", _MATH, _KERAS_BACKEND) | _spell("power", _KERAS_OPS, _NUMPY) | {"numpy.float_power"},
    Op.SQUARE: _spell("square", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.ABS: _spell("abs", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY) | _spell("absolute", _KERAS_OPS, _NUMPY),
    Op.ACOS: _spell("acos", _MATH) | _spell("arccos", _KERAS_OPS, _NUMPY),
    Op.ASIN: _spell("asin", _MATH) | _spell("arcsin", _KERAS_OPS, _NUMPY),
    Op.ATANH: _spell("atanh", _MATH) | _spell("arctanh", _KERAS_OPS, _NUMPY),
    Op.ATAN2: _spell("atan2", _MATH) | _spell("arctan2", _KERAS_OPS, _NUMPY),
    Op.RECIPROCAL: _spell("reciprocal", _MATH, _KERAS_OPS, _NUMPY),
    Op.DIVIDE: _spell("divide", _MATH, _KERAS_OPS, _NUMPY)
    | _spell("truediv", _MATH)
    | _spell("true_divide", _KERAS_OPS, _NUMPY)
    | _spell("realdiv", _MATH)
    | _spell("div", _MATH)  # TF 0.x/1.x (`tf.div`, `tf.math.div`)
    | _spell("truediv", _OPERATOR),
    Op.FLOORDIV: _spell("floordiv", _MATH, _OPERATOR) | _spell("floor_divide", _KERAS_OPS, _NUMPY)
    | {"tensorflow.floor_div"},
    Op.MOD: _spell("mod", _MATH, _KERAS_OPS, _NUMPY, _OPERATOR) | _spell("floormod", _MATH),
    Op.DIVIDE_NO_NAN: _spell("divide_no_nan", _MATH, _KERAS_OPS) | {"tensorflow.div_no_nan"},
    Op.ADD: _spell("add", _MATH, _KERAS_OPS, _NUMPY, _OPERATOR),
    Op.ADD_N: _spell("add_n", _MATH) | {"tensorflow.accumulate_n", "tensorflow.math.accumulate_n"},
    Op.SUBTRACT: _spell("subtract", _MATH, _KERAS_OPS, _NUMPY) | {"tensorflow.sub", "operator.sub"},  # TF 0.x
    Op.MULTIPLY: _spell("multiply", _MATH, _KERAS_OPS, _NUMPY) | {"tensorflow.mul", "operator.mul"},  # TF 0.x
    Op.NEGATIVE: _spell("negative", _MATH, _KERAS_OPS, _NUMPY) | {"tensorflow.neg"},  # TF 0.x
    Op.SQUARED_DIFFERENCE: _spell("squared_difference", _MATH),
    Op.MAXIMUM: _spell("maximum", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.MINIMUM: _spell("minimum", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.CLIP: _spell("clip_by_value", _ROOT) | _spell("clip", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.ROUND: _spell("round", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY) | {"numpy.rint", "numpy.around"},
    # TF 0.x's select, TF 1.x's broadcasting where_v2; torch.where: a guard in the PyTorch code linted outside
    # TF/Keras files (monai's `where(union > 0, i / union, 1)`)
    Op.WHERE: _spell("where", _ROOT, _KERAS_OPS, _NUMPY) | _spell("switch", _KERAS_BACKEND)
    | {"tensorflow.select", "tensorflow.where_v2", "torch.where"},
    Op.CAST: _spell("cast", _ROOT, _KERAS_OPS, _KERAS_BACKEND) | set(FIXED_CASTS),
    Op.CONSTANT: _spell("constant", _ROOT, _KERAS_BACKEND) | _spell("convert_to_tensor", _ROOT, _KERAS_OPS),
    Op.STOP_GRADIENT: _spell("stop_gradient", _ROOT, _KERAS_OPS, _KERAS_BACKEND) | {"jax.lax.stop_gradient"},
    Op.SQUEEZE: _spell("squeeze", _ROOT, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.RESHAPE: _spell("reshape", _ROOT, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.EXPAND_DIMS: _spell("expand_dims", _ROOT, _KERAS_OPS, _KERAS_BACKEND),
    Op.GATHER: _spell("gather", _ROOT, _KERAS_OPS, _KERAS_BACKEND) | _spell("take", _KERAS_OPS, _NUMPY)
    | {"tensorflow.gather_nd"},
    Op.BOOLEAN_MASK: _spell("boolean_mask", _ROOT),
    Op.TILE: _spell("tile", _ROOT, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.TRANSPOSE: _spell("transpose", _ROOT, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.CONCAT: _spell("concat", _ROOT) | _spell("concatenate", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    # convert_to_tensor returns its argument's values unchanged
    Op.IDENTITY: _spell("identity", _ROOT) | _spell("convert_to_tensor", _ROOT, _KERAS_OPS),
    Op.VARIABLE: {"tensorflow.Variable", "tensorflow.get_variable", "keras.Variable", "keras.backend.variable"},
    Op.COSH: _spell("cosh", _MATH, _KERAS_OPS, _NUMPY),
    Op.MATMUL: _spell("matmul", _ROOT, ("tensorflow.linalg",), _KERAS_OPS, _NUMPY)
    | _spell("dot", _KERAS_BACKEND, _KERAS_OPS, _NUMPY)
    | _spell("tensordot", _ROOT, ("tensorflow.linalg",), _KERAS_OPS, _NUMPY)
    | {"tensorflow.batch_matmul"},  # TF 0.x
    Op.BATCH_DOT: _spell("batch_dot", _KERAS_BACKEND),
    Op.EQUAL: _spell("equal", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.NOT_EQUAL: _spell("not_equal", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.GREATER: _spell("greater", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.LESS: _spell("less", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.GREATER_EQUAL: _spell("greater_equal", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.LESS_EQUAL: _spell("less_equal", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.LOGICAL_AND: _spell("logical_and", _MATH, _KERAS_OPS, _NUMPY),
    Op.LOGICAL_OR: _spell("logical_or", _MATH, _KERAS_OPS, _NUMPY),
    Op.LOGICAL_NOT: _spell("logical_not", _MATH, _KERAS_OPS, _NUMPY),
    Op.LOGICAL_XOR: _spell("logical_xor", _MATH, _KERAS_OPS, _NUMPY),
    Op.REDUCE_ANY: _spell("reduce_any", _MATH) | _spell("any", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.REDUCE_ALL: _spell("reduce_all", _MATH) | _spell("all", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.IS_NAN: _spell("is_nan", _MATH) | _spell("isnan", _KERAS_OPS, _NUMPY),
    Op.IS_FINITE: _spell("is_finite", _MATH) | _spell("isfinite", _KERAS_OPS, _NUMPY),
    Op.DENSE_FUNCTION: set(FUNCTIONAL_LAYERS)
                       # TFLearn's layer functions over TF1 graphs (activation='linear' by default)
                       | {"tflearn.fully_connected", "tflearn.layers.fully_connected",
                          "tflearn.layers.core.fully_connected"},
    Op.BIAS_ADD: _spell("bias_add", _TF_NAMESPACES["nn_only"], _KERAS_BACKEND),
    Op.DTYPE_POLICY: {"keras.mixed_precision.Policy", "keras.mixed_precision.experimental.Policy", "keras.DTypePolicy",
                    "keras.dtype_policies.DTypePolicy"},
    Op.SIGMOID: _spell("sigmoid", _NN, _KERAS_OPS, _KERAS_BACKEND, _KERAS_ACTIVATIONS),
    Op.SOFTMAX: _spell("softmax", _NN, _KERAS_OPS, _KERAS_BACKEND, _KERAS_ACTIVATIONS),
    Op.RELU: _spell("relu", _TF_NAMESPACES["nn_only"], _KERAS_OPS, _KERAS_BACKEND, _KERAS_ACTIVATIONS)
    | _spell("relu6", _TF_NAMESPACES["nn_only"], _KERAS_OPS, _KERAS_ACTIVATIONS),
    Op.TANH: _spell("tanh", _NN, _KERAS_OPS, _KERAS_BACKEND, _KERAS_ACTIVATIONS, _NUMPY),
    Op.LOG_SIGMOID: _spell("log_sigmoid", _MATH, _KERAS_OPS),
    Op.LOG_SOFTMAX: _spell("log_softmax", _NN, _KERAS_OPS, _KERAS_ACTIVATIONS),
    Op.SOFTPLUS: _spell("softplus", _NN, _KERAS_OPS, _KERAS_BACKEND, _KERAS_ACTIVATIONS),
    Op.REDUCE_SUM: _spell("reduce_sum", _MATH) | _spell("sum", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.REDUCE_MEAN: _spell("reduce_mean", _MATH) | _spell("mean", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.REDUCE_VARIANCE: _spell("reduce_variance", _MATH) | _spell("var", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.REDUCE_STD: _spell("reduce_std", _MATH) | _spell("std", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.REDUCE_MAX: _spell("reduce_max", _MATH) | _spell("max", _KERAS_OPS, _KERAS_BACKEND, _NUMPY)
    | _spell("amax", _KERAS_OPS, _NUMPY),
    Op.REDUCE_MIN: _spell("reduce_min", _MATH) | _spell("min", _KERAS_OPS, _KERAS_BACKEND, _NUMPY)
    | _spell("amin", _KERAS_OPS, _NUMPY),
    Op.REDUCE_LOGSUMEXP: _spell("reduce_logsumexp", _MATH) | _spell("logsumexp", _KERAS_OPS, _KERAS_BACKEND),
    Op.REDUCE_PROD: _spell("reduce_prod", _MATH) | _spell("prod", _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.CUMSUM: _spell("cumsum", _MATH, _KERAS_OPS, _KERAS_BACKEND, _NUMPY),
    Op.AVG_POOL: _spell("avg_pool", _TF_NAMESPACES["nn_only"]) | _spell("avg_pool1d", _TF_NAMESPACES["nn_only"])
    | _spell("avg_pool2d", _TF_NAMESPACES["nn_only"], _TF1_LAYERS) | _spell("avg_pool3d", _TF_NAMESPACES["nn_only"])
    | _spell("average_pool", _KERAS_OPS) | _spell("average_pooling1d", _TF1_LAYERS)
    | _spell("average_pooling2d", _TF1_LAYERS) | _spell("average_pooling3d", _TF1_LAYERS),
    Op.MAX_POOL: _spell("max_pool", _TF_NAMESPACES["nn_only"], _KERAS_OPS) | _spell("max_pool1d", _TF_NAMESPACES["nn_only"])
    | _spell("max_pool2d", _TF_NAMESPACES["nn_only"], _TF1_LAYERS) | _spell("max_pool3d", _TF_NAMESPACES["nn_only"])
    | _spell("max_pooling1d", _TF1_LAYERS) | _spell("max_pooling2d", _TF1_LAYERS) | _spell("max_pooling3d", _TF1_LAYERS),
    Op.RANGE: _spell("range", _ROOT) | _spell("arange", _KERAS_OPS, _KERAS_BACKEND, _NUMPY)
    | _spell("linspace", _ROOT, _KERAS_OPS, _NUMPY) | {"tensorflow.lin_space"},  # TF 1.x
    Op.NORM: _spell("norm", _ROOT, _LINALG, ("keras.ops",)),
    Op.GLOBAL_NORM: _spell("global_norm", _ROOT, ("tensorflow.linalg",)),
    Op.L2_NORMALIZE: _spell("l2_normalize", _NN, _KERAS_BACKEND) | _spell("normalize", _KERAS_OPS),
    Op.NORMALIZE_BY_NORM: {"tensorflow.linalg.normalize"},
    Op.MOMENTS: _spell("moments", _TF_NAMESPACES["nn_only"]) | _spell("moments", _KERAS_OPS),
    Op.LOGITS_AND_PROBS: _spell("get_logits_and_probs", ("tensorflow.python.ops.distributions.util",
                                                         "tensorflow.contrib.distributions.python.ops.distribution_util",
                                                         "tensorflow_probability.python.internal.distribution_util")),
    Op.COUNT_NONZERO: _spell("count_nonzero", _MATH, _KERAS_OPS, _NUMPY),
    Op.HISTOGRAM: _spell("histogram_fixed_width", _ROOT),
    Op.BINCOUNT: _spell("bincount", _MATH, _KERAS_OPS),
    Op.SHAPE: _spell("shape", _ROOT, _KERAS_OPS, _KERAS_BACKEND),
    Op.SCATTER_ND: _spell("scatter_nd", _ROOT) | _spell("scatter", _KERAS_OPS),
    Op.STACK: _spell("stack", _ROOT, _KERAS_OPS, _KERAS_BACKEND, _NUMPY) | {"tensorflow.pack"},  # TF 0.x
    Op.STFT: {"tensorflow.signal.stft", "tensorflow.contrib.signal.stft"},
    Op.PAD: _spell("pad", _ROOT, _KERAS_OPS, _NUMPY),
    Op.EPSILON: {"keras.backend.epsilon", "keras.config.epsilon"},
    Op.BATCH_NORMALIZATION: {"tensorflow.nn.batch_normalization"},  # (x - mean) * rsqrt(variance + variance_epsilon)
    Op.CLIP_BY_NORM: _spell("clip_by_norm", _ROOT),
    Op.CLIP_BY_GLOBAL_NORM: _spell("clip_by_global_norm", _ROOT),
    Op.SET_GLOBAL_POLICY: {
        "keras.mixed_precision.set_global_policy",
        "keras.mixed_precision.experimental.set_policy",
        "keras.config.set_dtype_policy",
        "keras.backend.set_floatx",  # a float16 floatx makes every layer and the optimizer compute in float16
        "keras.config.set_floatx",
    },
}

# Prefixes that are the same API under another module path. Longest first.
# ops19: the operations the numerics table holds limits for, beyond those above
SPELLINGS |= {
    Op.EXPM1: _spell("expm1", _MATH, _KERAS_OPS, _NUMPY),
    Op.SINH: _spell("sinh", _MATH, _KERAS_OPS, _NUMPY),
    Op.ERFINV: _spell("erfinv", _MATH, _KERAS_OPS),
    Op.LGAMMA: _spell("lgamma", _MATH),
    Op.DIGAMMA: _spell("digamma", _MATH),
}

_PREFIX_ALIASES: tuple[tuple[str, str], ...] = (
    ("tensorflow.compat.v1.keras.", "keras."),
    ("tensorflow.compat.v2.keras.", "keras."),
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.python.ops.nn.", "tensorflow.nn."),  # the module behind tf.nn (TensorFlow's own code, contrib)
    # the modules behind tf.* and tf.math.* (TensorFlow's own code and TF1-era code import them directly)
    ("tensorflow.python.ops.math_ops.", "tensorflow."),
    ("tensorflow.python.ops.array_ops.", "tensorflow."),
    ("tensorflow.python.ops.clip_ops.", "tensorflow."),
    ("tensorflow.python.ops.nn_ops.", "tensorflow.nn."),
    ("tensorflow.python.ops.nn_impl.", "tensorflow.nn."),
    ("tensorflow.python.framework.ops.", "tensorflow."),
    # the modules behind tf.compat.v1.summary and TF2's tf.summary (tf-slim and TF's own code import them directly)
    ("tensorflow.python.summary.summary.", "tensorflow.summary."),
    ("tensorflow.python.ops.summary_ops_v2.", "tensorflow.summary."),
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow.keras.", "keras."),
    ("tensorflow.optimizers.", "keras.optimizers."),  # TF2's `tf.optimizers`/`tf.losses` are Keras' modules
    ("tensorflow.losses.", "keras.losses."),
    ("tf_keras.", "keras."),
    ("deepxde.backend.tf.", "tensorflow."),  # DeepXDE's TensorFlow backends export the module as `tf`
    # Keras 3's own code calls the active backend's modules, which keras.ops wraps one for one
    ("keras.src.backend.numpy.", "keras.ops.numpy."),
    ("keras.src.backend.math.", "keras.ops.math."),
    ("keras.src.backend.nn.", "keras.ops.nn."),
    ("keras.src.backend.linalg.", "keras.ops.linalg."),
    ("keras.src.", "keras."),
    # ... and each backend's own modules implement those operations under the same names (Keras 3's
    # keras/src/backend/tensorflow/core.py is `keras.ops.cast` for the TensorFlow backend)
    *((f"keras.backend.{backend}.{module}.", f"keras.ops.{module}.")
      for backend in ("tensorflow", "jax", "torch", "numpy") for module in ("numpy", "math", "nn", "linalg")),
    *((f"keras.backend.{backend}.core.", "keras.ops.") for backend in ("tensorflow", "jax", "torch", "numpy")),
    ("keras.api.", "keras."),
    ("keras._tf_keras.keras.", "keras."),
    ("tensorflow.contrib.keras.", "keras."),
    # NumPy's API under other array libraries: the same operations (with gradients, unlike NumPy's:
    # `CallSite.is_numpy` reads the name as written, before this)
    ("jax.numpy.", "numpy."),
    ("autograd.numpy.", "numpy."),
    ("tensorflow.experimental.numpy.", "numpy."),
)
_ALIAS_WHOLE = {"tensorflow.keras": "keras", "tf_keras": "keras", "tensorflow.compat.v1": "tensorflow"}


@functools.lru_cache(maxsize=1 << 14)
def normalize(qualified_name: str) -> str:
    """Map a dotted name onto the spelling used in `SPELLINGS` (`tf.compat.v1.log` -> `tensorflow.log`)."""
    # Memoized (bounded, for the language server's long life): the checks normalize the same few hundred names of
    # a file again and again (220,000 calls on 400 files, issue 17).
    if qualified_name in _ALIAS_WHOLE:
        return _ALIAS_WHOLE[qualified_name]
    changed = True
    while changed:
        changed = False
        for prefix, replacement in _PREFIX_ALIASES:
            if qualified_name.startswith(prefix):
                qualified_name = replacement + qualified_name[len(prefix) :]
                changed = True
                break
    return qualified_name


# Operations that Python also writes as an operator, with that operator's libcst class name: the call is read as
# `left <operator> right` with its first two arguments (`tf.multiply(a, b)` is `a * b`, `tf.pow(x, 3)` is
# `x ** 3`), or as `-x` for NEGATIVE. See `ModuleAnalysis.operator_form`.
OPERATOR_FORMS: dict[Op, str] = {
    Op.ADD: "Add", Op.SUBTRACT: "Subtract", Op.MULTIPLY: "Multiply", Op.DIVIDE: "Divide",
    Op.FLOORDIV: "FloorDivide", Op.MOD: "Modulo", Op.POW: "Power", Op.MATMUL: "MatrixMultiply",
    Op.NEGATIVE: "Minus",
    Op.BIAS_ADD: "Add",  # `tf.nn.bias_add(value, bias)` is `value + bias` (broadcast along the channel axis)
}
# Operations read as an operator expression of their arguments (`ModuleAnalysis.operator_form`): those above, and
# `add_n([a, b])` as `a + b`, `squared_difference(a, b)` as `(a - b) ** 2`.
SPELLED_AS_OPERATORS = frozenset(OPERATOR_FORMS) | {Op.ADD_N, Op.SQUARED_DIFFERENCE}
# Reductions by meaning: a mean over an axis or over each pooling window has the same numerics (0 exactly where every
# element it reduces is 0, a sum of squares' root's hazard under sqrt), and so has a max.
MEANS = frozenset({Op.REDUCE_MEAN, Op.AVG_POOL})
MAXIMA = frozenset({Op.REDUCE_MAX, Op.MAX_POOL})

# Operations that are a power with a fixed exponent: `tf.square(x)` is `x ** 2`.
FIXED_POWERS: dict[Op, int] = {Op.SQUARE: 2}

# Operations whose output elements are elements of their (first) input: moved, retyped or copied, not computed.
KEEP_ELEMENTS = frozenset({Op.CONSTANT, Op.CAST, Op.STOP_GRADIENT, Op.SQUEEZE, Op.RESHAPE, Op.EXPAND_DIMS, Op.GATHER,
                           Op.BOOLEAN_MASK, Op.TILE, Op.TRANSPOSE, Op.IDENTITY})
# Elementwise comparisons: booleans, 0 or 1 as numbers.
COMPARISONS = frozenset({Op.EQUAL, Op.NOT_EQUAL, Op.GREATER, Op.LESS, Op.GREATER_EQUAL, Op.LESS_EQUAL})

# The hand-written spellings, and every other name under which TensorFlow, Keras and NumPy export (or define, in
# their internal modules) the same function objects: `exported_names.py`, generated from the libraries by
# bench/exported_names.py (`tf.debugging.is_nan`, `tf.manip.reshape`, `gen_math_ops.real_div`, `np.permute_dims`,
# Keras 3's legacy `K.` backend module). Hand-written spellings win where both name a spelling.
_LOOKUP: dict[str, Op] = {name: Op(value) for name, value in EXPORTED_NAMES.items()}
_LOOKUP.update({name: op for op, names in SPELLINGS.items() for name in names})


def operation_of(qualified_name: str | None) -> Op | None:
    """The canonical operation a (raw, unnormalized) qualified name denotes, if any."""
    if qualified_name is None:
        return None
    return _LOOKUP.get(normalize(qualified_name))


def _by_last_part() -> dict[str, Op]:
    ops_of: dict[str, set[Op]] = {}
    for op, names in SPELLINGS.items():
        for name in names:
            ops_of.setdefault(name.rsplit(".", 1)[-1], set()).add(op)
    return {last: next(iter(ops)) for last, ops in ops_of.items() if len(ops) == 1}


_BY_LAST_PART = _by_last_part()


def operation_named(name: str | None) -> Op | None:
    """The operation the last part of a dotted name spells in any namespace of the table (`where` and `select` are
    WHERE, `logical_and` LOGICAL_AND), for calls that no import resolves (`self.backend.numpy.where`, a module
    passed in as `F`); None for a last part that spells several operations or none. Looser than `operation_of`:
    for readers of conditions, which accept any library's comparison."""
    return _BY_LAST_PART.get(name.rsplit(".", 1)[-1]) if name else None


# Array methods and attributes whose result holds the values of the array they are read on (moved, retyped or
# converted) and no other: `t.numpy()`, `a.astype(np.float32)`, `a.reshape(-1)`, `a.T`.
SAME_VALUES_METHODS = frozenset({"numpy", "tolist", "flatten", "ravel", "reshape", "squeeze", "astype", "copy"})
SAME_VALUES_ATTRIBUTES = frozenset({"T", "mT"})

# Operations also spelled as methods of the array (`a.std(axis=0)`, `x.sum()`, `t.log()`): NumPy arrays, Keras 3
# tensors under the torch backend, pandas columns. Reductions take any arguments; elementwise methods only
# `t.log()` with none, so `logger.log(level, msg)` and `self.log("loss", value)` are not taken for a log.
_METHOD_REDUCTIONS = {
    "std": Op.REDUCE_STD, "var": Op.REDUCE_VARIANCE, "sum": Op.REDUCE_SUM, "mean": Op.REDUCE_MEAN,
    "max": Op.REDUCE_MAX, "min": Op.REDUCE_MIN, "norm": Op.NORM, "prod": Op.REDUCE_PROD,
}
_METHOD_ELEMENTWISE = {"log": Op.LOG, "exp": Op.EXP, "sqrt": Op.SQRT, "abs": Op.ABS, "square": Op.SQUARE}
# Every method name that may spell an operation (the pre-parse screen, nanlint/screen.py).
METHOD_NAMES = frozenset(_METHOD_REDUCTIONS) | frozenset(_METHOD_ELEMENTWISE)
# Receivers that are objects, not arrays.
_NOT_ARRAYS = frozenset({"self", "cls", "super", "logger", "logging", "math", "os", "sys", "str", "np", "tf"})


def method_operation(call: cst.Call) -> Op | None:
    """The operation a method call spells (`a.std()`), for a receiver that is not an imported module."""
    func = call.func
    attr = getattr(getattr(func, "attr", None), "value", None)
    receiver = getattr(func, "value", None)
    receiver_name = getattr(receiver, "value", None)
    if attr is None or receiver is None or (isinstance(receiver_name, str) and receiver_name in _NOT_ARRAYS):
        return None
    if attr in _METHOD_REDUCTIONS:
        return _METHOD_REDUCTIONS[attr]
    if attr in _METHOD_ELEMENTWISE and not call.args:
        return _METHOD_ELEMENTWISE[attr]
    return None
