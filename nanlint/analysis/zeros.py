"""The divisions code makes without writing `/`, and the zeros they meet (the "division needs != 0" queries that
domain.py's overlap ratios do not cover).

- A negative power divides by a power of its base: `deg ** -0.5`, `tf.pow(deg, -0.5)`, `np.power(d, -1)`,
  `tf.math.rsqrt(var)` are Inf where the base is 0 (0 ** -0.5 = Inf forward, -Inf gradient, TensorFlow 2.21 and
  NumPy alike): `negative_powers` gives each as a `Division` with no numerator, so the division rule asks the same
  questions of the base (what produced it, its range, its guards) as of any denominator.
- A mean divides by the number of entries it averages: over a selection that can hold none, reduce_mean is 0/0, NaN
  in the forward value (its gradient is 0: nothing was selected to receive one). `empty_means` finds the means of
  `boolean_mask(x, m)` (m a mask or a comparison, all False for some batch), of `gather(x, where(c))` (no index
  where c is all False), and of `gather(x, top_k(v, k).indices)` with k a count that can be 0 (MTCNN's OHEM: the
  positives of a batch with none). Measured: `reduce_mean` of each of these empty selections is NaN.
- A density divides badly: `dist.prob(a)` of a continuous distribution underflows to 0 in float32 once a is about
  13 scales from the mean (exp(-z²/2) / (scale * sqrt(2 pi)) flushes to 0 below 1.2e-38: measured, TF 2.21's
  Normal, at 12.8 scales for a scale of 100, 13.15 for 1, 13.5 for 0.01), so a ratio of densities (PPO's
  `pi.prob(a) / oldpi.prob(a)`) is Inf or NaN there; a scale of 0 makes the density itself NaN (measured: at
  every a for a scale of 0, at the mean for one below 1.2e-38), which no guard on the ratio repairs. Only plausible: the actions are
  usually drawn from the distribution in the denominator, so a tail that far out has probability ~0.
  `density` finds `.prob()` of a TensorFlow / TFP distribution, followed through names, `self.` attributes and the
  tuples module functions return; `exp(log_prob(a) - old_log_prob(a))` is the stable form.
- A sum is a structural zero only when its terms are non-negative by what they are and none need be present: a row
  or column total of a table of counts (`np.sum(cm[:, i])` of a confusion matrix, or of an array of zeros only
  incremented, `cm[t][p] += 1`) is 0 for a class never predicted or absent from the labels (`count_total`). Terms
  the caller hands in, summed along an axis and divided by that total (`p / reduce_sum(p, -1)`, a weighted mean
  `sum(w * x) * reciprocal(sum(w))`: `handed_in_terms`, `reciprocal_factors`), are weights or probabilities by that
  use, and nothing promises a row of them is not all 0 (plausible: the caller may never pass one). A sum of signed
  or unknown terms computed here is not a structural zero: it is 0 only for inputs like [1, -1].
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.binder import END, At, Binding, BindingKind, Point
from nanlint.analysis.module import Division, ModuleAnalysis, Site, Unpacked
from nanlint.analysis.samples import axis_argument
from nanlint.analysis.operations import COMPARISONS, KEEP_ELEMENTS, MEANS, SAME_VALUES_METHODS, Op, normalize
from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.values import Producer, Value, numeric_literal, parameter_index
from nanlint.analysis.walk import descendants, name_reads

_MAX_DEPTH = 12
_VARIABLE_WRITES = ("assign", "assign_add", "assign_sub")
# Boolean combinations of masks are masks.
_LOGICAL = frozenset({Op.LOGICAL_AND, Op.LOGICAL_OR, Op.LOGICAL_NOT, Op.LOGICAL_XOR})
# Index tensors pass through these unchanged in what they select (`tf.where(c)[:, 0]`, `tf.squeeze(idx)`).
_INDEX_WRAPPERS = frozenset({Op.RESHAPE, Op.SQUEEZE, Op.CAST, Op.EXPAND_DIMS, Op.STOP_GRADIENT, Op.IDENTITY})
_BOOLEAN_MASKS = frozenset({"tensorflow.boolean_mask"})
# Operations computed entry by entry: an empty operand gives an empty result (an empty axis broadcasts to empty).
_ELEMENTWISE = frozenset({Op.LOG, Op.LOG1P, Op.EXP, Op.SQRT, Op.RSQRT, Op.POW, Op.SQUARE, Op.ABS, Op.ACOS, Op.ASIN,
                          Op.ATANH,
                          Op.RECIPROCAL, Op.DIVIDE, Op.FLOORDIV, Op.MOD, Op.DIVIDE_NO_NAN, Op.ADD, Op.SUBTRACT,
                          Op.MULTIPLY, Op.NEGATIVE, Op.SQUARED_DIFFERENCE, Op.MAXIMUM, Op.MINIMUM, Op.CLIP, Op.COSH,
                          Op.SIGMOID, Op.SOFTMAX, Op.RELU, Op.TANH, Op.LOG_SIGMOID, Op.LOG_SOFTMAX, Op.SOFTPLUS})
# Reductions that, along an axis after the first, leave one result per selected row (a norm too: `tf.norm(d,
# axis=1)` of the selected pair differences is one length per pair, none when no pair is selected).
_PER_ROW_REDUCTIONS = frozenset({Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.REDUCE_MAX, Op.REDUCE_MIN, Op.REDUCE_PROD,
                                 Op.REDUCE_LOGSUMEXP, Op.REDUCE_STD, Op.REDUCE_VARIANCE, Op.NORM})
# Losses that return one value per example (row): as many as the labels and logits they are given.
_PER_EXAMPLE_LOSSES = frozenset({
    "tensorflow.nn.sparse_softmax_cross_entropy_with_logits", "tensorflow.nn.softmax_cross_entropy_with_logits",
    "tensorflow.nn.softmax_cross_entropy_with_logits_v2", "tensorflow.nn.sigmoid_cross_entropy_with_logits",
    "tensorflow.nn.weighted_cross_entropy_with_logits", "keras.backend.binary_crossentropy",
    "keras.backend.categorical_crossentropy", "keras.backend.sparse_categorical_crossentropy",
    "keras.losses.binary_crossentropy", "keras.losses.categorical_crossentropy",
    "keras.losses.sparse_categorical_crossentropy"})
# TF1's loss functions (`tf.losses.huber_loss`, which `normalize` spells as Keras' namespace): per entry with
# `reduction=Reduction.NONE`, else reduced.
_TF1_LOSSES = ("keras.losses.",)
_LOSS_OPERANDS = frozenset({"labels", "logits", "predictions", "y_true", "y_pred", "target", "output"})
_TOP_K = frozenset({"tensorflow.nn.top_k", "tensorflow.math.top_k", "keras.ops.top_k"})
# The distinct values of a tensor: TensorFlow's return them as the tuple's first part (`tf.unique(x)[0]`, `.y`),
# NumPy's as the array itself (or the first part with `return_counts=True`).
_TF_UNIQUE = frozenset({"tensorflow.unique", "tensorflow.unique_with_counts"})
_NP_UNIQUE = frozenset({"numpy.unique"})
# Builtins and methods whose result holds values of their operand and no other (what a loop over it draws).
_DRAWING_BUILTINS = frozenset({"set", "sorted", "list", "tuple", "reversed", "iter"})
# The distribution modules whose classes have `.prob()`: TF1's tf.distributions, contrib's, TFP's.
_DISTRIBUTIONS = ("tensorflow.distributions.", "tensorflow.contrib.distributions.",
                  "tensorflow_probability.distributions.", "tensorflow_probability.python.distributions.")
# Distributions over a finite set: their `prob` is a softmax-like probability, not a density with a tail.
_DISCRETE = frozenset({"Categorical", "OneHotCategorical", "Bernoulli", "Multinomial", "Binomial",
                       "RelaxedOneHotCategorical", "Poisson", "Geometric", "NegativeBinomial", "Deterministic"})


@dataclass(frozen=True)
class NegativePower:
    """`base ** power` with power < 0, as the division by `base ** -power` it is."""

    division: Division  # numerator None, denominator the base
    power: float


def negative_powers(analysis: ModuleAnalysis) -> Iterator[NegativePower]:
    """Every negative power in the module (`x ** -0.5`, `pow`/`power` calls with a constant negative exponent,
    `rsqrt`), with the base as the denominator."""
    powers: list[tuple[cst.CSTNode, cst.BaseExpression | None, cst.BaseExpression | None, Site]] = [
        (binary.node, binary.node.left, binary.node.right, binary.site) for binary in analysis.binary_operations
        if isinstance(binary.node.operator, cst.Power)]
    powers += [(call.node, argument(call.node, 0, "x"), argument(call.node, 1, "y"), call.site)
               for call in analysis.calls_of(Op.POW)]
    for node, base, exponent, site in powers:
        power = analysis.values.constant(exponent, site) if exponent is not None else None
        if base is not None and power is not None and power < 0:
            yield NegativePower(Division(node, None, base, site), power)
    for call in analysis.calls_of(Op.RSQRT):
        operand = argument(call.node, 0, "x")
        if operand is not None:
            yield NegativePower(Division(call.node, None, operand, call.site), -0.5)


@dataclass(frozen=True)
class Atan2Origin:
    """`atan2(y, x)` of two values that are exactly 0 together by construction: its value there is 0, but its
    gradient, (x dy - y dx) / (x² + y²), divides 0 by 0 (TensorFlow 2.21: NaN for both arguments at (0, 0))."""

    node: cst.Call
    site: Site
    y: cst.BaseExpression
    x: cst.BaseExpression
    why: str  # what the two are and where both are 0, for messages


# Producers whose zeros two values share by construction: the sides of one box (both 0 for a padding row or a
# point box), relu outputs (each 0 wherever its input is negative, so both wherever both are).
_SHARED_ZEROS = {Producer.BOX_SIDE: "sides of a box, both 0 for a zero-size box or an all-zero padding row",
                 Producer.RELU: "relu outputs, both 0 wherever both inputs are negative"}


def atan2_origins(analysis: ModuleAnalysis) -> Iterator[Atan2Origin]:
    """Every TensorFlow/Keras `atan2(y, x)` whose two arguments are 0 together by what they are: the two entries of
    one extent, a difference of two slices of one tensor (`wh = p[..., 2:4] - p[..., 0:2]; atan2(wh[..., 1],
    wh[..., 0])`: a box's far corner minus its near one, (0, 0) where they coincide), or two sides of a box, or two
    relu outputs. NumPy's has no gradient; two arbitrary tensors are (0, 0) only by chance."""
    for call in analysis.calls_of(Op.ATAN2):
        if call.is_numpy:
            continue
        y = argument(call.node, 0, "y") or argument(call.node, 0, "x1")
        x = argument(call.node, 1, "x") or argument(call.node, 1, "x2")
        if y is None or x is None:
            continue
        why = _one_extent(analysis, y, x, call.site) or _shared_zero(analysis, y, x, call.site)
        if why is not None:
            yield Atan2Origin(call.node, call.site, y, x, why)


def _one_extent(analysis: ModuleAnalysis, y: cst.BaseExpression, x: cst.BaseExpression, at: Point) -> str | None:
    """y and x are two entries of one tensor's last axis (`wh[..., 1]`, `wh[..., 0]`) that is a difference of two
    slices of one tensor (`p[..., 2:4] - p[..., 0:2]`) or a relu output."""
    entries = [analysis.binder.follow(side, at, _MAX_DEPTH)[0] for side in (y, x)]
    if not all(isinstance(entry, cst.Subscript) and _constant_last_index(entry) is not None for entry in entries):
        return None
    first, second = (entry for entry in entries if isinstance(entry, cst.Subscript))
    if analysis.spelled(first.value) != analysis.spelled(second.value) \
            or _constant_last_index(first) == _constant_last_index(second):
        return None
    extent, extent_at = analysis.binder.follow(first.value, at, _MAX_DEPTH)
    text = analysis.spelled(first.value)
    if analysis.values.of(extent, extent_at).producer is Producer.RELU:
        return f"two entries of `{text}`, a relu output, both 0 wherever both inputs are negative"
    form = analysis.operator_form(extent)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)):
        return None
    sides = [side for side in (form.left, form.right) if isinstance(side, cst.Subscript)]
    if len(sides) != 2 or analysis.spelled(sides[0].value) != analysis.spelled(sides[1].value):
        return None
    return (f"the two entries of `{text}` = `{analysis.spelled(form)}`, a difference of two slices of one tensor (a "
            f"box's far corner minus its near one), both 0 where the two coincide (a zero-size box, an all-zero "
            f"padding row)")


def _constant_last_index(expr: cst.Subscript) -> int | None:
    last = expr.slice[-1].slice
    return int(last.value.value) if isinstance(last, cst.Index) and isinstance(last.value, cst.Integer) else None


def _shared_zero(analysis: ModuleAnalysis, y: cst.BaseExpression, x: cst.BaseExpression, at: Point) -> str | None:
    """y and x are both values of one producer whose zeros they share by construction (`_SHARED_ZEROS`)."""
    producers = {analysis.values.of(side, at).producer for side in (y, x)}
    producer = producers.pop() if len(producers) == 1 else None
    if producer not in _SHARED_ZEROS:
        return None
    return f"`{analysis.spelled(y)}` and `{analysis.spelled(x)}`, {_SHARED_ZEROS[producer]}"


@dataclass(frozen=True)
class LengthMinusOne:
    """`i / (n - 1)` with `i` an index over `range(n)`: each index's position on [0, 1] (a window's cosine argument,
    a hand-written linspace). At n = 1 the only index is 0, and the quotient is 0/0."""

    length: str  # n as written
    index: str  # the index the numerator reads, as written


# Casts that keep a length's value (`tf.cast(x - 1, dtype)`, `float(n - 1)`).
_NUMBER_CASTS = frozenset({"float", "int"})


def length_minus_one(analysis: ModuleAnalysis, division: Division) -> LengthMinusOne | None:
    """The division's denominator is `n - 1` (through names and casts) and its numerator reads an index over
    `range(n)` (`tf.range(n)`, `np.arange(n)`, a `for i in range(n)` target) of the same n; n not a constant
    (a length the caller chooses, a size the data gives). keras.ops.blackman's TensorFlow backend:
    `n = tf.range(x); cos(2 * pi * n / (x - 1))` is [nan] for a window of length 1 (keras#22538)."""
    if division.numerator is None:
        return None
    found = _minus_one(analysis, division.denominator, division.site)
    if found is None:
        return None
    length, at = found
    if analysis.values.constant(length, at) is not None:
        return None
    index = _index_over(analysis, division.numerator, division.site, (length, at), 0)
    return LengthMinusOne(analysis.spelled(length), index) if index is not None else None


def _minus_one(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """n in `n - 1`, through names and casts."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
        if not isinstance(expr, cst.Call):
            break
        if analysis.op_of_call(expr) is not Op.CAST and not (
                isinstance(expr.func, cst.Name) and expr.func.value in _NUMBER_CASTS
                and analysis.qualified_name(expr.func) is None):
            break
        operand = argument(expr, 0, "x")
        if operand is None:
            return None
        expr = operand
    form = analysis.operator_form(expr)
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract) \
            and analysis.values.constant(form.right, at) == 1:
        return form.left, at
    return None


def _index_over(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                length: tuple[cst.BaseExpression, Point], depth: int) -> str | None:
    """The name in `expr` (or in what its names are bound to) that is an index over `range(length)`, or the range
    call itself written there (`tf.cast(tf.range(n), tf.float32)`)."""
    if depth > _MAX_DEPTH:
        return None
    for node in descendants(expr):
        if isinstance(node, cst.Call) and _range_of(analysis, node, at, length):
            return analysis.spelled(node)
    for name in name_reads(expr):
        binding = analysis.binder.resolve(name.value, at)
        if binding is None:
            continue
        element = binding.element
        if element is not None and not element.path and _range_of(analysis, element.iterable, binding.at, length):
            return name.value
        bound = binding.expression
        if bound is None:
            continue
        if _range_of(analysis, bound, binding.at, length):
            return name.value
        if _index_over(analysis, bound, binding.at, length, depth + 1) is not None:
            return name.value
    return None


def _range_of(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
              length: tuple[cst.BaseExpression, Point]) -> bool:
    """`expr` is `range(n)` / `tf.range(n)` / `np.arange(n)` (from 0) of the same n as `length`."""
    if not isinstance(expr, cst.Call):
        return False
    builtin = isinstance(expr.func, cst.Name) and expr.func.value == "range" and analysis.qualified_name(expr.func) is None
    if not builtin and analysis.op_of_call(expr) is not Op.RANGE:
        return False
    positional = [arg.value for arg in expr.args if arg.keyword is None]
    limit: cst.BaseExpression | None
    if len(positional) == 1:
        limit = positional[0]
    elif len(positional) >= 2 and analysis.values.constant(positional[0], at) == 0:
        limit = positional[1]
    else:
        limit = argument(expr, 0, "limit") if not positional else None
    return limit is not None and analysis.same_value(limit, at, *length)


@dataclass(frozen=True)
class EmptySelection:
    """A selection of entries that holds none for some inputs: `how` says when (for messages), `names` are the
    names it is computed from (a guard that tests one of them, or the selection's size, may keep it non-empty)."""

    how: str
    names: frozenset[str]


@dataclass(frozen=True)
class EmptyMean:
    """A mean (`reduce_mean`, `K.mean`, `ops.mean`) of a selection that can be empty: 0/0."""

    node: cst.Call
    site: Site
    selected: cst.BaseExpression  # the mean's operand, as written
    selection: EmptySelection


def empty_means(analysis: ModuleAnalysis) -> Iterator[EmptyMean]:
    for call in analysis.calls_of(Op.REDUCE_MEAN):
        operand = analysis.operand(call.node)
        if operand is None:
            continue
        selection = empty_selection(analysis, operand, call.site)
        if selection is not None:
            yield EmptyMean(call.node, call.site, operand, selection)


def empty_selection(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> EmptySelection | None:
    """The selection `expr` is, or is computed entry by entry from (through names, element-keeping wrappers,
    elementwise arithmetic, per-example losses and reductions along a later axis), when it can select nothing."""
    return _selection(analysis, expr, at, frozenset(), 0)


def _selection(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, names: frozenset[str],
               depth: int) -> EmptySelection | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        names |= {expr.value}
        followed, followed_at = analysis.binder.follow(expr, at, 1)
        return _selection(analysis, followed, followed_at, names, depth + 1) if followed is not expr else None
    if isinstance(expr, cst.BinaryOperation):
        # `sel - target`, `w * sel`: broadcasting an empty axis against another gives an empty result
        return _first_selection(analysis, (expr.left, expr.right), at, names, depth)
    if not isinstance(expr, cst.Call):
        return None
    op = analysis.op_of_call(expr)
    qualified = normalize(analysis.qualified_name(expr.func) or "")
    if qualified in _BOOLEAN_MASKS:
        mask = argument(expr, 1, "mask")
        if mask is None or not _can_select_nothing(analysis, mask, at, 0):
            return None
        text = analysis.code_of(mask)
        return EmptySelection(f"`{text}` is all False", frozenset(names | analysis.values.sources(mask, at)))
    if op is Op.GATHER:
        indices = argument(expr, 1, "indices")
        found = _empty_indices(analysis, indices, at) if indices is not None else None
        return EmptySelection(found.how, frozenset(names | found.names)) if found is not None else None
    if op in KEEP_ELEMENTS or op in _PER_ROW_REDUCTIONS and _along_later_axis(expr, op, analysis.operand(expr)):
        operand = analysis.operand(expr)
        return _selection(analysis, operand, at, names, depth + 1) if operand is not None else None
    return _first_selection(analysis, _per_entry_operands(analysis, expr, op, qualified), at, names, depth)


def _first_selection(analysis: ModuleAnalysis, operands: Iterable[cst.BaseExpression], at: Point,
                     names: frozenset[str], depth: int) -> EmptySelection | None:
    for operand in operands:
        found = _selection(analysis, operand, at, names, depth + 1)
        if found is not None:
            return found
    return None


def _along_later_axis(call: cst.Call, op: Op | None, operand: cst.BaseExpression | None) -> bool:
    """A reduction along a literal axis other than 0 (`reduce_sum(loss, axis=-1)`, `tf.norm(d, axis=1)`: a norm's
    axis comes after its `ord`): one result per selected row."""
    if operand is None:
        return False
    axis = argument(call, 2, "axis") if op is Op.NORM else axis_argument(call, operand)
    value = numeric_literal(axis)
    return value is not None and value != 0


def _per_entry_operands(analysis: ModuleAnalysis, call: cst.Call, op: Op | None,
                        qualified: str) -> list[cst.BaseExpression]:
    """The operands a call computes its result from entry by entry (or row by row), so that the result has no entry
    where one of them has none: an elementwise operation's first two arguments, a per-example loss's labels and
    logits or predictions (`sparse_softmax_cross_entropy_with_logits(logits=..., labels=...)`, a `tf.losses` loss with
    `reduction=NONE`). Empty for anything else."""
    if op in _ELEMENTWISE:
        return [arg.value for arg in call.args[:2] if arg.keyword is None]
    unreduced = qualified.startswith(_TF1_LOSSES) and _reduction_none(keyword(call, "reduction"))
    if qualified not in _PER_EXAMPLE_LOSSES and not unreduced:
        return []
    return [arg.value for arg in call.args if (arg.keyword is None and call.args.index(arg) < 2) or (
        arg.keyword is not None and arg.keyword.value in _LOSS_OPERANDS)]


def _reduction_none(reduction: cst.BaseExpression | None) -> bool:
    """`reduction=tf.losses.Reduction.NONE` (or the string "none"): a loss per entry, not a mean."""
    if isinstance(reduction, cst.Attribute):
        return reduction.attr.value == "NONE"
    return isinstance(reduction, cst.SimpleString) and reduction.evaluated_value.lower() == "none"


def selection_size(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> EmptySelection | None:
    """`expr` counts the entries of a selection that can be empty: `tf.size(sel)`, `tf.shape(sel)[0]`, `len(sel)`,
    cast or not (the masked mean written in two statements, `reduce_sum(sel) / tf.size(sel)`)."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at, 1)
        if isinstance(expr, cst.Subscript):
            expr = expr.value  # tf.shape(sel)[0]
            continue
        if not isinstance(expr, cst.Call) or not expr.args:
            return None
        op = analysis.op_of_call(expr)
        if op is Op.CAST:
            expr = expr.args[0].value
            continue
        last = (analysis.qualified_name(expr.func) or "").rsplit(".", 1)[-1]
        if op is Op.SHAPE or last == "size" or (isinstance(expr.func, cst.Name) and expr.func.value == "len"):
            return empty_selection(analysis, expr.args[0].value, at)
        return None
    return None


def _empty_indices(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> EmptySelection | None:
    """Indices that can be none: `where(c)` (one argument) with c all False; the indices of `top_k(v, k)` with k a
    count that can be 0."""
    names: set[str] = set()
    for _ in range(_MAX_DEPTH):
        if isinstance(expr, cst.Name):
            names.add(expr.value)
        top_k = _top_k_of_indices(analysis, expr, at)
        if top_k is not None:
            return _top_k_count(analysis, top_k[0], top_k[1], names)
        followed, at = analysis.binder.follow(expr, at, 1)
        if followed is not expr:
            expr = followed
            continue
        if isinstance(expr, cst.Subscript):
            expr = expr.value  # where(c)[:, 0]
            continue
        if not isinstance(expr, cst.Call):
            return None
        op = analysis.op_of_call(expr)
        if op is Op.WHERE and len(expr.args) == 1:
            condition = expr.args[0].value
            if not _can_select_nothing(analysis, condition, at, 0):
                return None
            return EmptySelection(f"`{analysis.code_of(condition)}` is all False",
                                  frozenset(names | analysis.values.sources(condition, at)))
        operand = analysis.operand(expr) if op in _INDEX_WRAPPERS else None
        if operand is None:
            return None
        expr = operand
    return None


def _top_k_of_indices(analysis: ModuleAnalysis, expr: cst.BaseExpression,
                      at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """What `expr` takes the indices of, and where: `_, idx = top_k(v, k=n)`, `top_k(v, k=n).indices`,
    `top_k(v, k=n)[1]` (whether that is a top_k is `_top_k_count`'s to check)."""
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        if binding is not None and isinstance(binding.value, Unpacked) and binding.value.index == 1:
            return binding.value.source, binding.at
        return None
    if isinstance(expr, cst.Attribute) and expr.attr.value == "indices":
        return expr.value, at
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "1":
            return expr.value, at
    return None


def _top_k_count(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                 names: set[str]) -> EmptySelection | None:
    """`top_k(v, k)` whose k is a count that can be 0: it returns no index then."""
    expr, at = analysis.binder.follow(expr, at)
    if not (isinstance(expr, cst.Call) and normalize(analysis.qualified_name(expr.func) or "") in _TOP_K):
        return None
    count = argument(expr, 1, "k")
    if count is None:
        return None
    value = analysis.values.of(count, at)
    if not counts_nothing(value):
        return None
    return EmptySelection(f"its count `{analysis.code_of(count)}` (a {value.describe()}) is 0 for {value.zero_when}",
                          frozenset(names | _names_in(count)))


def counts_nothing(value: Value) -> bool:
    """A count that is 0 by construction for some inputs: `count_nonzero`, the sum of a mask (an empty one), a sum
    of terms that can each be 0. Not any sum: a sum of unknown terms is 0 only for inputs like [1, -1]."""
    if value.zero_when is None:
        return False
    return value.producer is Producer.COUNT or (value.producer is Producer.SUM and (
        value.mask is not None or value.subject_can_be_zero))


def _can_select_nothing(analysis: ModuleAnalysis, mask: cst.BaseExpression, at: Point, depth: int) -> bool:
    """A boolean mask computed from data in view: a comparison, a cast of one, a logical combination of such masks.
    Each is all False for some input (a batch with no positive, no valid label, nothing above a threshold). A mask
    that arrives as a parameter is not enough: a library's `joint_sample_mask` is non-empty by its contract."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(mask, cst.Comparison):
        return not (len(mask.comparisons) == 1 and isinstance(mask.comparisons[0].operator, cst.Equal)
                    and _equals_a_drawn_value(analysis, mask.left, mask.comparisons[0].comparator, at))
    if isinstance(mask, cst.UnaryOperation) and isinstance(mask.operator, cst.BitInvert):
        return _can_select_nothing(analysis, mask.expression, at, depth + 1)
    if isinstance(mask, cst.BinaryOperation) and isinstance(mask.operator, (cst.BitAnd, cst.BitOr)):
        return any(_can_select_nothing(analysis, side, at, depth + 1) for side in (mask.left, mask.right))
    followed, followed_at = analysis.binder.follow(mask, at, 1)
    if followed is not mask:
        return _can_select_nothing(analysis, followed, followed_at, depth + 1)
    if not isinstance(mask, cst.Call):
        return False
    op = analysis.op_of_call(mask)
    if op in COMPARISONS:
        sides = [arg.value for arg in mask.args[:2] if arg.keyword is None]
        return not (op is Op.EQUAL and len(sides) == 2
                    and _equals_a_drawn_value(analysis, sides[0], sides[1], at))
    if op in _LOGICAL or op is Op.CAST:
        return any(_can_select_nothing(analysis, arg.value, at, depth + 1) for arg in mask.args[:2]
                   if arg.keyword is None)
    return False


def _equals_a_drawn_value(analysis: ModuleAnalysis, left: cst.BaseExpression, right: cst.BaseExpression,
                          at: Point) -> bool:
    """`x == v` (either order) with v a loop target drawn from x's own values (`for v in tf.unique(x)[0]`,
    `np.unique(x)`, `set(x)`, `x` itself): x holds v, so the comparison selects at least that entry (the per-class
    mean of a macro-averaged metric)."""
    for element, other in ((left, right), (right, left)):
        drawn = _drawn_from(analysis, element, at)
        if drawn is not None and _same_values(analysis, drawn[0], drawn[1], other, at):
            return True
    return False


def _drawn_from(analysis: ModuleAnalysis, expr: cst.BaseExpression,
                at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """The collection whose values the loop target `expr` takes, through names, the distinct-values calls and the
    builtins that keep values (`enumerate`'s element part included), and where it was evaluated."""
    if not isinstance(expr, cst.Name):
        return None
    binding = analysis.binder.resolve(expr.value, at)
    element = binding.element if binding is not None else None
    if binding is None or element is None:
        return None
    source: cst.BaseExpression = element.iterable
    where: Point = binding.at
    if element.path == (1,):
        enumerated = _builtin_call(analysis, source, where)
        if enumerated is None or enumerated[0] != "enumerate":
            return None
        source = enumerated[1]
    elif element.path != ():
        return None
    for _ in range(_MAX_DEPTH):
        source, where = analysis.binder.follow(source, where, 1)
        inner = _drawn_inner(analysis, source, where)
        if inner is None:
            return source, where
        source, where = inner
    return None


def _drawn_inner(analysis: ModuleAnalysis, source: cst.BaseExpression,
                 at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """What `source` draws its values from, one step in (`tf.unique(x)[0]`, `values, _ = tf.unique(x)`,
    `np.unique(x)`, `sorted(x)` -> x), or None when it is the collection itself."""
    if isinstance(source, cst.Name):
        binding = analysis.binder.resolve(source.value, at)
        unpacked = binding.value if binding is not None else None
        if binding is None or not (isinstance(unpacked, Unpacked) and unpacked.index == 0):
            return None
        operand = _unique_operand(analysis, unpacked.source, tuple_part=True)
        return (operand, binding.at) if operand is not None else None
    first = _first_part(source)
    operand = _unique_operand(analysis, first, tuple_part=True) if first is not None else None
    operand = operand or _unique_operand(analysis, source, tuple_part=False)
    kept = _builtin_call(analysis, source, at)
    if operand is None and kept is not None and kept[0] in _DRAWING_BUILTINS:
        operand = kept[1]
    return (operand, at) if operand is not None else None


def _first_part(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """`t[0]` or `t.y`: the first part of a tuple-like result."""
    if isinstance(expr, cst.Attribute) and expr.attr.value == "y":
        return expr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "0":
            return expr.value
    return None


def _unique_operand(analysis: ModuleAnalysis, expr: cst.BaseExpression, tuple_part: bool) -> cst.BaseExpression | None:
    """The operand of a distinct-values call: of TensorFlow's or NumPy's when `expr` is the first part of the result
    (`tuple_part`), of NumPy's alone when it is the whole result."""
    if not isinstance(expr, cst.Call):
        return None
    qualified = normalize(analysis.qualified_name(expr.func) or "")
    if qualified in _NP_UNIQUE or (tuple_part and qualified in _TF_UNIQUE):
        return argument(expr, 0, "x") or argument(expr, 0, "ar")
    return None


def _builtin_call(analysis: ModuleAnalysis, expr: cst.BaseExpression,
                  at: Point) -> tuple[str, cst.BaseExpression] | None:
    """The builtin `expr` calls (a name the module does not bind) and its first positional argument."""
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.args \
            and expr.args[0].keyword is None and not expr.args[0].star \
            and analysis.binder.resolve(expr.func.value, at) is None:
        return expr.func.value, expr.args[0].value
    return None


def _same_values(analysis: ModuleAnalysis, first: cst.BaseExpression, first_at: Point,
                 second: cst.BaseExpression, second_at: Point) -> bool:
    """Both expressions hold the same values (a reshape or `.numpy()` aside): the same name bound by the same
    binding at both points, or the same attribute."""
    first, second = _values_kept(analysis, first), _values_kept(analysis, second)
    if isinstance(first, cst.Name) and isinstance(second, cst.Name):
        return first.value == second.value and \
            analysis.binder.resolve(first.value, first_at) == analysis.binder.resolve(second.value, second_at)
    return isinstance(first, cst.Attribute) and isinstance(second, cst.Attribute) and \
        analysis.code_of(first) == analysis.code_of(second)


def _values_kept(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression:
    """`expr` without the reshapes and conversions that keep its values (`tf.reshape(x, [-1])`, `x.numpy()`)."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(expr, cst.Call):
            return expr
        func = expr.func
        if isinstance(func, cst.Attribute) and analysis.qualified_name(func) is None \
                and func.attr.value in SAME_VALUES_METHODS:
            expr = func.value
            continue
        operand = analysis.operand(expr) if analysis.op_of_call(expr) in (Op.RESHAPE, Op.SQUEEZE) else None
        if operand is None:
            return expr
        expr = operand
    return expr


def _names_in(expr: cst.BaseExpression) -> set[str]:
    return {node.value for node in descendants(expr) if isinstance(node, cst.Name)}


def selection_guarded(analysis: ModuleAnalysis, mean: EmptyMean) -> bool:
    """A guard around the mean tests the selection's size or a name it is computed from (`cond(size(x) > 0, ...)`,
    `if num_pos > 0:`, `where(n > 0, mean, 0)`), or the mean's NaN is replaced later (`where(isnan(m), 0, m)`)."""
    for guarded in analysis.guards.around(mean.node, mean.site):
        operand = guarded.fact.operand
        if any(word in operand for word in ("size", "shape", "len(")) or any(
                name in _words(operand) for name in mean.selection.names):
            return True
    return analysis.guards.repaired_downstream(mean.site) or _repaired_by_helper(analysis, mean)


def _repaired_by_helper(analysis: ModuleAnalysis, mean: EmptyMean) -> bool:
    """The mean is passed (as written, or inside an expression) to a module function that returns
    `where(is_nan(p), fallback, p)` of the parameter it receives it in (VoteNet's fix: `_zero_if_nan(reduce_mean(..))`):
    the helper replaces the NaN, as a where() written in place would."""
    statement = mean.site.statement
    for call in descendants(statement):
        if not isinstance(call, cst.Call) or call is mean.node:
            continue
        function = analysis.values.called_function(call, mean.site)
        if function is None or not function.returns:
            continue
        for index, name in enumerate(function.params[1:] if function.receiver else function.params):
            passed = argument(call, index, name)
            if passed is not None and any(node is mean.node for node in descendants(passed)) and all(
                    _repairs_nan_of(analysis, returned, name) for returned in function.returns):
                return True
    return False


def _repairs_nan_of(analysis: ModuleAnalysis, returned: cst.BaseExpression, name: str) -> bool:
    """`where(is_nan(name), fallback, name)`: the value of `name` with its NaN replaced."""
    if not isinstance(returned, cst.Call) or analysis.op_of_call(returned) is not Op.WHERE or len(returned.args) != 3:
        return False
    condition, kept = returned.args[0].value, returned.args[2].value
    return isinstance(condition, cst.Call) and analysis.op_of_call(condition) is Op.IS_NAN and bool(condition.args) \
        and _is_name(condition.args[0].value, name) and _is_name(kept, name)


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def _words(text: str) -> set[str]:
    return {word for word in "".join(c if c.isalnum() or c == "_" else " " for c in text).split()}


@dataclass(frozen=True)
class PartlyFilled:
    """An array made of zeros and then written in part (`d = np.zeros(n); d[rows] = counts`): the entries no
    assignment writes stay 0 (a GCN node of degree 0, a class with no sample)."""

    name: str
    assignment: cst.Assign  # one of the writes, for messages


_ZERO_FILLS = frozenset({"zeros", "zeros_like"})


def partly_filled(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> PartlyFilled | None:
    """`expr` is (a name for) an array of zeros that only index assignments write, none of them a whole slice, none
    in a loop (a loop's writes usually visit every entry) and none a repair of its zeros (`d[d == 0] = 1`)."""
    if not isinstance(expr, cst.Name):
        return None
    binding = analysis.binder.resolve(expr.value, at)
    bound = binding.expression if binding is not None else None
    if binding is None or bound is None or not _zeros_call(analysis, bound):
        return None
    writes = analysis.guards.entry_assignments(binding.scope.node).get(expr.value, [])
    looped = _loop_targets(binding.scope.node)
    # a write indexed by the array itself (`d[d == 0] = 1`) repairs its zeros
    if not writes or any(_writes_everything(write, looped | {expr.value}) for write in writes):
        return None
    return PartlyFilled(expr.value, writes[0])


def _writes_everything(write: cst.Assign, names: set[str]) -> bool:
    """`d[:] = v`, `d[...] = v`, or a write indexed by one of `names` (a loop variable, the array itself)."""
    for target in write.targets:
        if not isinstance(target.target, cst.Subscript):
            continue
        for element in target.target.slice:
            index = element.slice
            if isinstance(index, cst.Slice) or (isinstance(index, cst.Index) and (
                    isinstance(index.value, cst.Ellipsis) or _names_in(index.value) & names)):
                return True
    return False


def _loop_targets(scope: cst.CSTNode) -> set[str]:
    return {name for node in descendants(scope) if isinstance(node, (cst.For, cst.CompFor))
            for name in _names_in(node.target)}


# What a weight is read through on its way to a denominator: the same values, moved or retyped.
_WEIGHT_WRAPPERS = frozenset({Op.RESHAPE, Op.SQUEEZE, Op.EXPAND_DIMS, Op.CAST, Op.TRANSPOSE, Op.IDENTITY, Op.TILE})


def trainable_divisor(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int = 0) -> str | None:
    """The trainable variable a denominator is, as spelled where it is made, through names, `self.` attributes,
    string-keyed entries of a dict literal (`params['gain']`) and the parameters every caller in the module passes
    one (`sc_matmul(x, w, gain=layer['gain'])`). Nothing keeps a plain variable away from 0 while it trains (no
    constraint, no exp or softplus around it): an update can carry it across 0. None for anything else, and for a
    variable made in the division itself (`n / tf.Variable(counts)`, tensorflow-privacy's class weights): nothing
    holds it, so no update has moved it from the value it was made with."""
    if depth > _MAX_DEPTH or (depth == 0 and isinstance(expr, cst.Call) and analysis.values.is_weight(expr, at)):
        return None
    expr, at = analysis.binder.follow(expr, at)
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None
        found = [trainable_divisor(analysis, value, caller, depth + 1) if value is not None else None
                 for value, caller in _passed(analysis, binding)]
        return found[0] if found and None not in found else None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        owner = analysis.binder.enclosing_class(at.scope)
        if owner is None or any("Metric" in base.rsplit(".", 1)[-1] for base in owner.bases) or \
                _counter(analysis, expr.attr.value, at):
            return None  # a metric's add_weight makes non-trainable state (its totals and counts), as a counter is
        stored = analysis.binder.attribute(owner, expr.attr.value)
        made = stored[-1] if stored else None
        return trainable_divisor(analysis, made.expression, made.at, depth + 1) if made is not None and \
            made.expression is not None else None
    if isinstance(expr, cst.Subscript):
        entry = _dict_entry(analysis, expr, at)
        return trainable_divisor(analysis, entry, at, depth + 1) if entry is not None else None
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in _WEIGHT_WRAPPERS:
        operand = analysis.operand(expr)
        return trainable_divisor(analysis, operand, at, depth + 1) if operand is not None else None
    if not analysis.values.is_weight(expr, at) or (isinstance(expr, cst.Call) and _constrained(expr)):
        return None
    return analysis.code_of(expr)


def _counter(analysis: ModuleAnalysis, attribute: str, at: Point) -> bool:
    """`self.<attribute>` is a counter the class keeps: it adds a positive constant to it (`count.assign_add(1.0)`)
    and every other write sets it to a constant (a reset, `count.assign(tf.zeros([]))`). It holds what the
    code counts; no gradient update moves it, whatever `trainable` says (gpt-2-simple's gradient-accumulation
    count, tf2rl's running-mean normalizer)."""
    owner = analysis.binder.enclosing_class(at.scope)
    writes = [(call.node.func.attr.value, argument(call.node, 0, "value"), call.site) for call in analysis.calls
              if isinstance(call.node.func, cst.Attribute) and call.node.func.attr.value in _VARIABLE_WRITES
              and analysis.spelled(call.node.func.value) == f"self.{attribute}"
              and analysis.binder.enclosing_class(call.site.scope) is owner]
    filled = [(method, analysis.values.filled_with(value, site)) for method, value, site in writes]
    return any(method == "assign_add" for method, _ in filled) and all(
        number is not None and (method == "assign" or (method == "assign_add" and number > 0))
        for method, number in filled)


def _passed(analysis: ModuleAnalysis, parameter: Binding) -> list[tuple[cst.BaseExpression | None, At]]:
    """What each call of the function in this module passes the parameter (None where a call passes nothing)."""
    index = parameter_index(parameter.scope, parameter.name)
    return [(argument(call, index, parameter.name), caller) for call, caller in analysis.values.callers(parameter.scope)]


def _constrained(construction: cst.Call) -> bool:
    """A variable the optimizer does not move freely: made with a constraint (`constraint=NonNeg()`, projected
    back), not trainable (`trainable=False`: a metric's counter, a quantization scale, which other rules read), or
    with arguments not in view (`**scale_kwargs`)."""
    return any(arg.star == "**" or (arg.keyword is not None and (
        arg.keyword.value == "constraint" or (arg.keyword.value == "trainable" and isinstance(arg.value, cst.Name)
                                              and arg.value.value == "False"))) for arg in construction.args)


def _dict_entry(analysis: ModuleAnalysis, subscript: cst.Subscript, at: Point) -> cst.BaseExpression | None:
    """`d['key']` of a name bound to a dict literal: the value written for that key."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    key = subscript.slice[0].slice.value
    container, _ = analysis.binder.follow(subscript.value, at)
    if not isinstance(key, cst.SimpleString) or not isinstance(container, cst.Dict):
        return None
    for element in container.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString) \
                and element.key.evaluated_value == key.evaluated_value:
            return element.value
    return None


def density(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> str | None:
    """The distribution class (its last name) whose `.prob()` `expr` is, for a continuous distribution; None
    otherwise."""
    expr, at = analysis.binder.follow(expr, at)
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "prob"):
        return None
    name = _distribution(analysis, expr.func.value, at, 0)
    return name if name is not None and name not in _DISCRETE else None


def _distribution(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int) -> str | None:
    """The class of the distribution `expr` holds: a constructor of a distribution module, through names,
    `self.` attributes, tuple unpacking and what module functions return."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        owner = analysis.binder.enclosing_class(at.scope)
        stored = analysis.binder.attribute(owner, expr.attr.value) if owner is not None else []
        found = {_distribution(analysis, binding.expression, binding.at, depth + 1) for binding in stored
                 if binding.expression is not None}
        return found.pop() if len(found) == 1 else None
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        if binding is None:
            return None
        if isinstance(binding.value, Unpacked) and isinstance(binding.value.index, int):
            return _returned_element(analysis, binding.value.source, binding.value.index, binding.at, depth)
        if binding.expression is None:
            return None
        return _distribution(analysis, binding.expression, binding.at, depth + 1)
    if not isinstance(expr, cst.Call):
        return None
    qualified = normalize(analysis.qualified_name(expr.func) or "")
    if qualified.startswith(_DISTRIBUTIONS):
        return qualified.rsplit(".", 1)[-1]
    function = analysis.values.called_function(expr, at)
    if function is None:
        return None
    found = {_distribution(analysis, returned, At(function, END), depth + 1) for returned in function.returns}
    return found.pop() if len(found) == 1 else None


def _returned_element(analysis: ModuleAnalysis, source: cst.BaseExpression, index: int, at: Point,
                      depth: int) -> str | None:
    """Element `index` of the tuples a module function returns (`dist, params = self._build_net(...)`)."""
    if not isinstance(source, cst.Call):
        return None
    function = analysis.values.called_function(source, at)
    if function is None or not function.returns:
        return None
    found = set()
    for returned in function.returns:
        if not isinstance(returned, cst.Tuple) or not -len(returned.elements) <= index < len(returned.elements):
            return None
        found.add(_distribution(analysis, returned.elements[index].value, At(function, END), depth + 1))
    return found.pop() if len(found) == 1 else None


# What makes a table of counts: a confusion matrix counts (label, prediction) pairs, one entry per pair.
_CONFUSION_MATRICES = frozenset({"tensorflow.math.confusion_matrix", "tensorflow.confusion_matrix",
                                 "sklearn.metrics.confusion_matrix"})
# Conversions that keep a table's entries (`tf.cast(cm, tf.float32)`, `np.asarray(cm)`, `cm.numpy()`).
_TABLE_COPIES = frozenset({"numpy.array", "numpy.asarray"})


@dataclass(frozen=True)
class CountTotal:
    """A row or column total of a table of counts (a confusion matrix, an array of zeros only ever incremented):
    0 for a class that nothing was counted in, whatever the other classes hold."""

    table: str  # the table as the sum spells it
    made: str  # how the table is made, for messages


def count_total(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> CountTotal | None:
    """`expr` sums part of a count table: a slice of it (`np.sum(cm[:, i])`, `cm[i].sum()`) or along one axis
    (`tf.reduce_sum(cm, axis=1)`). The total of the whole table is left alone: it is 0 only for an evaluation
    with no sample at all."""
    expr, at = analysis.binder.follow(expr, at)
    if not isinstance(expr, cst.Call) or analysis.op_of_call(expr) is not Op.REDUCE_SUM:
        return None
    table = analysis.operand(expr)
    if table is None:
        return None
    partial = _along_axis(expr, table)
    spelled = analysis.code_of(table)
    while isinstance(table, cst.Subscript):
        table, partial = table.value, True
    made = _count_table(analysis, table, at, 0) if partial else None
    return CountTotal(spelled, made) if made is not None else None


def _along_axis(call: cst.Call, operand: cst.BaseExpression) -> bool:
    """The sum `call` of `operand` is taken along an axis (`np.sum(x, 1)`, `x.sum(axis=0)`, TF1's
    `reduction_indices=`): one total per row or column, not the total of everything."""
    return axis_argument(call, operand) is not None or keyword(call, "reduction_indices") is not None


def _count_table(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int) -> str | None:
    """How `expr` is made, when it is a table of counts: a confusion-matrix call, or an array of zeros that only
    `+=` of a non-negative constant writes (`cm[label][pred] += 1`); through names, conversions, the parameter
    every caller in the module passes one, and the values a module function returns."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        return _count_table_bound(analysis, binding, depth) if binding is not None else None
    if not isinstance(expr, cst.Call):
        return None
    qualified = normalize(analysis.qualified_name(expr.func) or "")
    if qualified in _CONFUSION_MATRICES:
        return "a confusion matrix"
    func = expr.func
    if analysis.op_of_call(expr) is Op.CAST or qualified in _TABLE_COPIES:
        operand = analysis.operand(expr) or argument(expr, 0, "a")
        return _count_table(analysis, operand, at, depth + 1) if operand is not None else None
    if isinstance(func, cst.Attribute) and func.attr.value == "numpy" and not expr.args:
        return _count_table(analysis, func.value, at, depth + 1)
    function = analysis.values.called_function(expr, at)
    if function is None or not function.returns:
        return None
    found = {_count_table(analysis, returned, At(function, END), depth + 1) for returned in function.returns}
    return found.pop() if len(found) == 1 else None


def _count_table_bound(analysis: ModuleAnalysis, binding: Binding, depth: int) -> str | None:
    """`_count_table` of what a name is bound to: the count tables every caller passes a parameter, the array of
    zeros an assignment makes and increments count into, or whatever else an assignment binds."""
    if binding.kind is BindingKind.PARAMETER:
        found = {_count_table(analysis, value, caller, depth + 1) if value is not None else None
                 for value, caller in _passed(analysis, binding)}
        return found.pop() if len(found) == 1 else None
    bound = binding.expression
    if bound is None:
        return None
    if _zeros_call(analysis, bound):
        return _incremented_only(analysis, binding.name, binding.scope.node)
    return _count_table(analysis, bound, binding.at, depth + 1)


def _zeros_call(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    """`np.zeros(...)`, `tf.zeros_like(...)`: an array of zeros from NumPy or TensorFlow."""
    if not isinstance(expr, cst.Call):
        return False
    qualified = analysis.qualified_name(expr.func) or ""
    return qualified.split(".", 1)[0] in ("numpy", "tensorflow") and qualified.rsplit(".", 1)[-1] in _ZERO_FILLS


def _incremented_only(analysis: ModuleAnalysis, name: str, scope: cst.CSTNode) -> str | None:
    """The increment that writes the array `name` of zeros, when every write to an entry of it in `scope` adds a
    non-negative constant (`cm[i][j] += 1`) and none assigns (`cm[i] = row` may write anything)."""
    increments: list[cst.AugAssign] = []
    for node in descendants(scope):
        if isinstance(node, cst.Assign) and any(_entry_of(target.target, name) for target in node.targets):
            return None
        if isinstance(node, cst.AugAssign) and _entry_of(node.target, name):
            step = numeric_literal(node.value)
            if not isinstance(node.operator, cst.AddAssign) or step is None or step < 0:
                return None
            increments.append(node)
    if not increments:
        return None
    first = min(increments, key=lambda increment: analysis.position(increment).start.line)
    return f"an array of zeros only incremented (`{analysis.code_of(first).strip()}`)"


def _entry_of(target: cst.BaseExpression, name: str) -> bool:
    """`target` is an entry of the array `name`: `name[i]`, `name[i][j]`."""
    while isinstance(target, cst.Subscript):
        target = target.value
        if isinstance(target, cst.Name) and target.value == name:
            return True
    return False


# Conversions and moves that keep the terms a sum adds up (`tf.cast(w, x.dtype)`, `convert_to_tensor(w)`).
_TERM_WRAPPERS = KEEP_ELEMENTS - {Op.GATHER, Op.BOOLEAN_MASK}


def handed_in_terms(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> Binding | None:
    """The parameter whose values the sum `expr` adds up along an axis, when they are the caller's
    (`reduce_sum(w, axis)` with w a parameter, through names, casts, `convert_to_tensor`, a broadcast
    `w + zeros_like(x)` and the element a module function returns for it): whatever the caller passes, a row of
    zeros included. None for terms computed here, and for the total of everything (0 only for an all-zero input)."""
    expr, at = analysis.binder.follow(expr, at)
    if not isinstance(expr, cst.Call) or analysis.op_of_call(expr) is not Op.REDUCE_SUM:
        return None
    terms = analysis.operand(expr)
    return _parameter_of(analysis, terms, at, 0) if terms is not None and _along_axis(expr, terms) else None


def _parameter_of(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int) -> Binding | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.BinaryOperation):
        broadcast = _broadcast(analysis, expr)
        return _parameter_of(analysis, broadcast, at, depth + 1) if broadcast is not None else None
    if isinstance(expr, cst.Call):
        operand = analysis.operand(expr) if analysis.op_of_call(expr) in _TERM_WRAPPERS else None
        return _parameter_of(analysis, operand, at, depth + 1) if operand is not None else None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value != "self":
        expr = expr.value  # `output._keras_logits`: data the caller's object carries
    if not isinstance(expr, cst.Name):
        return None
    binding = analysis.binder.resolve(expr.value, at)
    if binding is None:
        return None
    if binding.kind is BindingKind.PARAMETER:
        return binding
    if isinstance(binding.value, Unpacked):
        return _returned_parameter(analysis, binding.value, binding.at, depth)
    bound = binding.expression
    return _parameter_of(analysis, bound, binding.at, depth + 1) if bound is not None else None


def _broadcast(analysis: ModuleAnalysis, expr: cst.BinaryOperation) -> cst.BaseExpression | None:
    """w in `w + zeros_like(x)`, which broadcasts w to x's shape: the same terms."""
    if isinstance(expr.operator, cst.Add):
        for side, other in ((expr.left, expr.right), (expr.right, expr.left)):
            if _zeros_call(analysis, other):
                return side
    return None


def _returned_parameter(analysis: ModuleAnalysis, unpacked: Unpacked, at: Point, depth: int) -> Binding | None:
    """`_parameter_of` the element every return of the called module function puts where `unpacked` takes it
    (`output, from_logits = _get_logits(output, ...)`)."""
    function = analysis.values.called_function(unpacked.source, at) if isinstance(unpacked.source, cst.Call) else None
    returned = function.returns if function is not None else []
    index = unpacked.index
    parts = [part.elements[index].value for part in returned
             if isinstance(part, cst.Tuple) and -len(part.elements) <= index < len(part.elements)]
    if function is None or not parts or len(parts) != len(returned):
        return None
    found = [_parameter_of(analysis, part, At(function, END), depth + 1) for part in parts]
    return found[0] if all(_same_binding(other, found[0]) for other in found) else None


def reads_binding(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, target: Binding) -> bool:
    """`expr` reads what the parameter `target` binds: a name read holds its values (the parameter itself, or what
    `_parameter_of` follows back to it: a cast, the element a module function returns for it), directly or through
    the names it reads, bound possibly in earlier statements (`total = reduce_sum(w * x)`, then
    `total / reduce_sum(w)`), the sources of tuple unpackings included."""
    pending: list[tuple[cst.BaseExpression, Point]] = [(expr, at)]
    seen: set[tuple[str, int, int]] = set()
    while pending:
        current, where = pending.pop()
        for name in name_reads(current):
            binding = analysis.binder.resolve(name.value, where)
            if binding is None or (binding.name, id(binding.scope), binding.seq) in seen:
                continue
            if _same_binding(_parameter_of(analysis, name, where, 0), target):
                return True
            seen.add((binding.name, id(binding.scope), binding.seq))
            source = binding.value.source if isinstance(binding.value, Unpacked) else binding.expression
            if source is not None:
                pending.append((source, binding.at))
    return False


def _same_binding(first: Binding | None, second: Binding | None) -> bool:
    return first is not None and second is not None and first.name == second.name and first.scope is second.scope \
        and first.seq == second.seq


def reciprocal_factors(analysis: ModuleAnalysis, division: Division) -> list[cst.BaseExpression]:
    """What a reciprocal is multiplied by, as the numerators it divides: `inv = reciprocal(s)` then
    `multiply(total, inv)` or `total * inv` in the same scope. Empty for a division with a numerator."""
    statement = division.site.statement
    assigned = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
    if division.numerator is not None or not isinstance(assigned, cst.Assign) or assigned.value is not division.node \
            or len(assigned.targets) != 1 or not isinstance(assigned.targets[0].target, cst.Name):
        return []
    name = assigned.targets[0].target.value
    scope = division.site.scope
    bound_at = next((seq for seq, value in scope.assignments.get(name, ()) if value is division.node), None)
    inverse = analysis.binder.resolve(name, At(scope, bound_at + 1)) if bound_at is not None else None
    products: list[tuple[cst.BaseExpression | None, cst.BaseExpression | None, Site]] = [
        (binary.node.left, binary.node.right, binary.site) for binary in analysis.binary_operations
                if isinstance(binary.node.operator, cst.Multiply) and binary.site.scope is division.site.scope]
    products += [(argument(call.node, 0, "x"), argument(call.node, 1, "y"), call.site)
                 for call in analysis.calls_of(Op.MULTIPLY) if call.site.scope is division.site.scope]
    factors = []
    for left, right, site in products:
        for factor, other in ((left, right), (right, left)):
            if isinstance(factor, cst.Name) and factor.value == name and other is not None \
                    and _same_binding(analysis.binder.resolve(name, site), inverse):
                factors.append(other)
    return factors


@dataclass(frozen=True)
class SecondMoment:
    """An optimizer's moving average of squared gradients (`v = b2 * v + (1 - b2) * square(g)`), or its root or a
    rescaling of it (`sqrt(v / (1 - b2 ** t))`): 0 for every entry whose gradient has been 0 at every step, since
    the slot starts at 0."""

    average: cst.BaseExpression  # the `b2 * v + (1 - b2) * g²` it is made from
    rooted: bool


def second_moment(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> SecondMoment | None:
    """`expr` is a moving average of squares, through names, assignments to a slot (`v.assign(avg)`,
    `state_ops.assign(v, avg)`), square roots and rescalings by a factor (`avg / (1 - b2_power + eps)`, `avg * c`).
    Not `sqrt(avg) + eps`: an epsilon after it keeps it away from 0."""
    rooted = False
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at)
        if isinstance(expr, cst.Call):
            if analysis.op_of_call(expr) is Op.SQRT:
                operand, rooted = analysis.operand(expr), True
            else:
                operand = _assigned_value(analysis, expr)
                form = analysis.operator_form(expr) if operand is None else None
                operand = operand or (form if isinstance(form, cst.BinaryOperation) else None)
            if operand is None:
                return None
            expr = operand
            continue
        if not isinstance(expr, cst.BinaryOperation):
            return None
        if isinstance(expr.operator, cst.Add):
            return SecondMoment(expr, rooted) if _average_of_squares(analysis, expr) else None
        if not isinstance(expr.operator, (cst.Divide, cst.Multiply)):
            return None
        expr = expr.left  # the average, rescaled (bias correction): its zeros stay
    return None


def _assigned_value(analysis: ModuleAnalysis, call: cst.Call) -> cst.BaseExpression | None:
    """The value an assignment to a variable writes and returns: `v.assign(x)`, `tf.assign(v, x)`,
    `state_ops.assign(v, x)`."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "assign") and not (
            isinstance(func, cst.Name) and func.value == "assign"):
        return None
    module_function = analysis.qualified_name(func) is not None
    return argument(call, 1 if module_function else 0, "value")


def _average_of_squares(analysis: ModuleAnalysis, expr: cst.BinaryOperation) -> bool:
    """`b2 * v + (1 - b2) * square(g)` (either order, any spelling of the products and the square): a decayed state
    plus a weighted square, one product of each (not `a² * b + c * d²`, a sum of two weighted squares)."""
    terms = [analysis.operator_form(side) for side in (expr.left, expr.right)]
    products = [term for term in terms if isinstance(term, cst.BinaryOperation) and isinstance(term.operator, cst.Multiply)]
    squares = [any(_is_square(analysis, factor) for factor in (product.left, product.right)) for product in products]
    return len(products) == 2 and squares.count(True) == 1


def _is_square(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    form = analysis.operator_form(expr)
    return isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Power) \
        and numeric_literal(form.right) == 2.0


@dataclass(frozen=True)
class MomentVariance:
    """A variance written from moments: the sum of squares minus the squared sum over the count (`s2 - s * s / n`,
    Keras' R2Score `squared_sum - sum * mean`) or the mean of squares minus the squared mean (`mean(x²) - mean(x)²`).
    It is 0 for terms equal over every sample (a constant target column, a single sample), whatever their value."""

    terms: str  # what the moments sum, as spelled where they are summed


# Reductions that make a first or second moment: a sum, or a mean (a sum over a count); a windowed mean (avg_pool).
_MOMENTS = frozenset({Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.AVG_POOL})
# Convolutions, which sum each window of their input (weighted by the kernel): `conv(x * x, k) - conv(x, k) *
# conv(x, k) / n` with a box kernel of ones is the windowed variance of local normalized cross-correlation (DeepReg's
# and VoxelMorph's LNCC), a moment variance per window.
_WINDOW_SUMS = frozenset({f"tensorflow.nn.{name}" for name in ("conv1d", "conv2d", "conv3d", "convolution")}
                         | {"keras.ops.conv", "keras.ops.nn.conv"})


def moment_variance(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> MomentVariance | None:
    """`expr` (through names and a square root) is a difference of moments whose subtrahend is the product of two
    first moments of the same terms and whose minuend sums the square of those terms (`y * y`, `y ** 2`, or
    `y * wy` for weighted terms `wy = y * w`), read through names, `self.` state accumulated with
    `assign(self.s + sum(t))` / `assign_add(sum(t))`, and divisions by a count."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at)
        rooted = analysis.operand(expr) if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.SQRT \
            else None
        if rooted is None:
            break
        expr = rooted
    form = analysis.operator_form(expr)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)):
        return None
    factors = _factors(analysis, form.right, 0)
    firsts = [terms for factor in factors if (terms := _moment_terms(analysis, factor, at, 0)) is not None]
    second = _moment_terms(analysis, form.left, at, 0)
    if len(firsts) != 2 or second is None or analysis.spelled(firsts[0][0]) != analysis.spelled(firsts[1][0]):
        return None
    if _under_weighted(analysis, form.left, factors, at):
        return None
    first, summed_at = firsts[0]
    squares, _ = analysis.binder.follow(*second)  # `t2 = y * y; t2_sum = conv3d(t2, ones)`
    return MomentVariance(analysis.spelled(first)) if _square_of(analysis, squares, first, summed_at) else None


# A squared mean weighted by at most this (`E[x²] - 0.99 E[x]²`) leaves a margin that rounding does not cross: float32's
# moments are off by about 1e-6 of E[x²], float16's by about 1e-3.
_WEIGHT_MARGIN = 0.01


def _under_weighted(analysis: ModuleAnalysis, second: cst.BaseExpression, factors: list[cst.BaseExpression],
                    at: Point) -> bool:
    """Means (not sums over a count written elsewhere) whose squared mean is weighted by constants with a product λ
    below 1 (BTS's and Eigen's scale-invariant log loss, `mean(d ** 2) - 0.85 * mean(d) ** 2`): E[x²] - λ E[x]² =
    Var(x) + (1 - λ) E[x]² is never negative (and 0 only where every term is), so it is not a variance that rounding
    takes below 0."""
    weight, means = 1.0, 0
    for factor in [second, *factors]:
        constant = analysis.values.constant(factor, at)
        if constant is not None:
            weight *= constant
            continue
        followed, _ = analysis.binder.follow(factor, at)
        means += isinstance(followed, cst.Call) and analysis.op_of_call(followed) in MEANS
    return means == 3 and weight <= 1.0 - _WEIGHT_MARGIN


@dataclass(frozen=True)
class CancelledVariance:
    """A moment variance `E[x²] - E[x]²` that reaches a root or leaves its function: the two moments cancel, and in
    float32 the difference rounds below 0 where the entries are large against their spread (TF 2.21, measured:
    64 entries of 100 ± 0.01 give down to -0.003, of 1000 ± 0.01 down to -0.3; a constant row of 0.1 gives
    -2.8e-9), so a square root or rsqrt of it is NaN, and an epsilon added before the root only moves the
    threshold. `tf.nn.moments` and `reduce_variance` average squared deviations and are never negative."""

    difference: cst.BaseExpression  # the `E[x²] - E[x]²` itself
    at: Point  # where it is evaluated
    variance: MomentVariance
    epsilon: float | None  # a positive constant added on the way to the root (`variance + 1e-3`)


def cancelled_variance(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> CancelledVariance | None:
    """`expr` is, through names, element-keeping wrappers (squeeze, reshape, cast), a clip whose floor is below 0
    (`clip_by_value(v, float16.min, float16.max)`) and one added positive constant, a moment variance."""
    epsilon: float | None = None
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at)
        form = analysis.operator_form(expr)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add) and epsilon is None:
            for side, other in ((form.left, form.right), (form.right, form.left)):
                added = analysis.values.constant(other, at)
                if added is not None and added > 0:
                    expr, epsilon = side, added
                    break
            else:
                break
            continue
        if not isinstance(expr, cst.Call):
            break
        op = analysis.op_of_call(expr)
        floor = argument(expr, 1, "clip_value_min") if op is Op.CLIP else None
        low = analysis.values.constant(floor, at) if floor is not None else None
        if op not in KEEP_ELEMENTS and not (low is not None and low < 0):
            break
        inner = analysis.operand(expr)
        if inner is None:
            return None
        expr = inner
    variance = moment_variance(analysis, expr, at) if not _is_root(analysis, expr) else None
    return CancelledVariance(expr, at, variance, epsilon) if variance is not None else None


@dataclass(frozen=True)
class GuardedVariance:
    """A moment variance in a denominator, under an epsilon or in a product (`guarded_variance`)."""

    cancelled: CancelledVariance
    product: bool  # a factor of a product (`t_var * p_var + EPS`), not the variance alone under the epsilon


def guarded_variance(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> GuardedVariance | None:
    """A denominator that is, through names and one added positive constant, a moment variance under that constant
    (`var + eps`) or a product with a moment variance as a factor, epsilon or not (LNCC's `t_var * p_var + EPS`): the
    variance rounds below 0 (`CancelledVariance`), so the epsilon is no floor, and a product with another variance
    can take the denominator far past it. Not a bare variance (`moment_variance`'s own case), not a square of one
    (`var * var + eps` is never below the epsilon), not one clipped at 0 first (`maximum(var, 0)`)."""
    expr, at = analysis.binder.follow(expr, at)
    epsilon: float | None = None
    form = analysis.operator_form(expr)
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add):
        for side, other in ((form.left, form.right), (form.right, form.left)):
            added = analysis.values.constant(other, at)
            if added is not None and added > 0:
                epsilon = added
                expr, at = analysis.binder.follow(side, at)
                form = analysis.operator_form(expr)
                break
        else:
            return None
    parts = _factors(analysis, expr, 0) if isinstance(form, cst.BinaryOperation) \
        and isinstance(form.operator, cst.Multiply) else [expr]
    if (len(parts) == 1 and epsilon is None) or (len(parts) == 2 and analysis.spelled(parts[0]) == analysis.spelled(
            parts[1])):
        return None
    for part in parts:
        found = cancelled_variance(analysis, part, at)
        if found is not None and found.epsilon is None:
            return GuardedVariance(CancelledVariance(found.difference, found.at, found.variance, epsilon),
                                   len(parts) > 1)
    return None


def _is_root(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    """sqrt(...): `moment_variance` reads a root's radicand, but a root's value is not a variance."""
    return isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.SQRT


def returned_variances(analysis: ModuleAnalysis) -> Iterator[CancelledVariance]:
    """The moment variances a function returns (`return mean, variance` of a hand-written `moments`): whoever takes
    their root (a batch normalization's rsqrt(variance + epsilon)) is out of sight."""
    for function in analysis.functions.values():
        for returned in function.returns:
            statement = analysis.return_statements.get(returned)
            at = At(function, analysis.statement_seqs.get(statement, END) if statement is not None else END)
            parts = [element.value for element in returned.elements] if isinstance(returned, cst.Tuple) else [returned]
            for part in parts:
                found = cancelled_variance(analysis, part, at)
                if found is not None and found.epsilon is None:
                    yield found


def _factors(analysis: ModuleAnalysis, expr: cst.BaseExpression, depth: int) -> list[cst.BaseExpression]:
    """The factors of a product, a square counting twice and a quotient's denominator left out (`s * s / n`,
    `s ** 2 / n`, `square(m)`, `s * mean`)."""
    form = analysis.operator_form(expr)
    if depth > _MAX_DEPTH or not isinstance(form, cst.BinaryOperation):
        return [expr]
    if isinstance(form.operator, cst.Multiply):
        return _factors(analysis, form.left, depth + 1) + _factors(analysis, form.right, depth + 1)
    if isinstance(form.operator, cst.Divide):
        return _factors(analysis, form.left, depth + 1)
    if isinstance(form.operator, cst.Power) and numeric_literal(form.right) == 2.0:
        return _factors(analysis, form.left, depth + 1) * 2
    return [expr]


def _moment_terms(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                  depth: int) -> tuple[cst.BaseExpression, Point] | None:
    """The terms `expr` sums when it is a moment, and where: `sum(t)`, `mean(t)`, a moment over a count (`s / n`),
    through names and `self.` state accumulated from sums of t."""
    if depth > _MAX_DEPTH:
        return None
    expr, at = analysis.binder.follow(expr, at)
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        return _accumulated_terms(analysis, expr.attr.value, at, depth)
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in KEEP_ELEMENTS:
        # `square(stop_gradient(mean))`, a cast or reshape of a moment: the same moment
        kept = analysis.operand(expr)
        return _moment_terms(analysis, kept, at, depth + 1) if kept is not None else None
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in _MOMENTS:
        operand = analysis.operand(expr)
        return (operand, at) if operand is not None else None
    if isinstance(expr, cst.Call) and analysis.qualified_name(expr.func) in _WINDOW_SUMS:
        windowed = argument(expr, 0, "input") or argument(expr, 0, "inputs")
        return (windowed, at) if windowed is not None else None
    form = analysis.operator_form(expr)
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Divide):
        return _moment_terms(analysis, form.left, at, depth + 1)
    return None


def _accumulated_terms(analysis: ModuleAnalysis, attribute: str, at: Point,
                       depth: int) -> tuple[cst.BaseExpression, Point] | None:
    """The terms a metric's state `self.attribute` accumulates: the one `sum(t)` every `self.attribute.assign(
    self.attribute + sum(t))` or `self.attribute.assign_add(sum(t))` of the class adds."""
    owner = analysis.binder.enclosing_class(at.scope)
    if owner is None:
        return None
    added: list[tuple[cst.BaseExpression, Point]] = []
    for method in owner.methods.values():
        for call in descendants(method.node):
            if not isinstance(call, cst.Call) or not _assigns_state(call, attribute):
                continue
            assert isinstance(call.func, cst.Attribute)
            value: cst.BaseExpression | None = call.args[0].value
            if call.func.attr.value == "assign":
                value = _increment(call.args[0].value, attribute)
            if value is None:
                continue  # a reset (`assign(zeros)`) adds nothing
            terms = _moment_terms(analysis, value, analysis.sites.get(call) or At(method, END), depth + 1)
            if terms is None:
                return None
            added.append(terms)
    spelled = {analysis.spelled(terms) for terms, _ in added}
    return added[0] if len(spelled) == 1 else None


def _assigns_state(call: cst.Call, attribute: str) -> bool:
    """`self.attribute.assign(...)` or `self.attribute.assign_add(...)`."""
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value in ("assign", "assign_add") and bool(call.args) \
        and isinstance(func.value, cst.Attribute) and func.value.attr.value == attribute \
        and isinstance(func.value.value, cst.Name) and func.value.value.value == "self"


def _increment(value: cst.BaseExpression, attribute: str) -> cst.BaseExpression | None:
    """`inc` in `self.attribute + inc` (either order)."""
    if not (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)):
        return None
    for side, other in ((value.left, value.right), (value.right, value.left)):
        if isinstance(side, cst.Attribute) and side.attr.value == attribute and isinstance(side.value, cst.Name) \
                and side.value.value == "self":
            return other
    return None


def _square_of(analysis: ModuleAnalysis, second: cst.BaseExpression, first: cst.BaseExpression, at: Point) -> bool:
    """`second` is the square of the terms `first`: `y * y`, `y ** 2`, `square(y)`, or, for weighted terms
    `first = y * w`, `y * first` (Keras' `y_true * weighted_y_true`)."""
    factors = [analysis.spelled(factor) for factor in _factors(analysis, second, 0)]
    if len(factors) != 2:
        return False
    spelled = analysis.spelled(first)
    if factors == [spelled, spelled]:
        return True
    if spelled not in factors:
        return False
    other = factors[1] if factors[0] == spelled else factors[0]
    weighted, _ = analysis.binder.follow(first, at)
    return other in {analysis.spelled(factor) for factor in _factors(analysis, weighted, 0)}
