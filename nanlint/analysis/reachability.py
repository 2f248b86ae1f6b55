"""Whether a value's 0 is reachable by construction or only plausible: the confidence of a finding about it.

A sigmoid saturates to exactly 0 for large inputs, a relu row is 0 whenever its inputs are <= 0, a mask can
select nothing, and `a - b` is 0 whenever the two operands are equal (a sentence paired with itself, a point
compared with itself), and a relu network's input gradient is 0 wherever it is flat: the code makes those zeros
reachable. The norm of a learned projection, the standard deviation of a batch of embeddings are 0 only for
measure-zero inputs (probability 0 for a Gaussian sample): improbable, not by construction, so findings about them
are preview (`--preview`), and the verifier does not run them (feeding the 0 proves nothing about the code).

The reductions between the operation and what they reduce (norm, sum, mean, square, std, sqrt, cast) are
walked down to the *subject*; the subject's shape decides. A subject of unknown origin (a parameter, data) stays
by construction: an all-zero or constant row is a reachable input (zero padding, a blank image, a constant
feature, a batch of one).
"""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.binder import END, At, BindingKind, Point
from nanlint.analysis.module import ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.operations import MAXIMA, MEANS, SAME_VALUES_METHODS, Op, normalize
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import SLICING_OPS, Producer, Value, mask_named, numeric_literal, parameter_index
from nanlint.finding import Confidence

# Producers whose 0 the producer itself guarantees for some inputs (saturation, a structural 0, an empty mask).
_STRUCTURAL = {Producer.SIGMOID, Producer.SOFTMAX, Producer.RELU, Producer.FLOORED, Producer.BOX_SIDE, Producer.COUNT,
               Producer.EXP, Producer.SOFTPLUS}
# Operations that keep "0 exactly where the subject is 0 / constant": walked through to the subject.
_REDUCTIONS = {Op.NORM, Op.REDUCE_SUM, Op.SQRT, Op.SQUARE, Op.ABS, Op.REDUCE_STD, Op.REDUCE_VARIANCE, Op.MOMENTS,
               Op.CAST, Op.RESHAPE, Op.EXPAND_DIMS, Op.SQUEEZE, Op.POW, Op.REDUCE_MIN, Op.BATCH_DOT, Op.RSQRT,
               Op.IDENTITY, Op.CONSTANT, Op.CONCAT} | MEANS | MAXIMA
# Spreads: 0 for any input of one element.
_SPREADS = frozenset({Producer.STD, Producer.VARIANCE, Producer.RANGE})
_STRUCTURAL_SUBJECTS = {Op.RELU, Op.CLIP, Op.COUNT_NONZERO, Op.MAXIMUM, Op.MINIMUM}


def zero_confidence(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site, value: Value) -> Confidence:
    """CONSTRUCTION when the code makes `value` (the value of `expr`) reach 0, IMPROBABLE when it is 0 only with
    probability 0."""
    if value.producer is None or value.producer in _STRUCTURAL or value.complement:
        return Confidence.CONSTRUCTION
    if value.producer not in {Producer.NORM, Producer.SUM_OF_SQUARES, Producer.STD, Producer.VARIANCE,
                              Producer.RANGE, Producer.SQUARE, Producer.ABS, Producer.SUM}:
        return Confidence.CONSTRUCTION
    if value.producer in _SPREADS and _one_element(analysis, _subject(analysis, expr, site)):
        return Confidence.CONSTRUCTION  # the spread of one element is always 0, whatever draws it
    if value.producer is Producer.SUM and value.mask is not None:
        # a sum of a 0/1 mask is 0 when it selects nothing, a discrete event whatever made the mask: a predicted
        # face mask that is all 0 for a frame (FAS-SGTD, `feature['masks']` from an estimator's predictions)
        return Confidence.CONSTRUCTION
    return _subject_confidence(analysis, expr, site, 0)


def _one_element(analysis: ModuleAnalysis, subject: tuple[cst.BaseExpression, Point] | None) -> bool:
    """The subject is made with a literal shape of one element (`tf.random.uniform([1])`, `np.zeros((1, 1))`)."""
    if subject is None:
        return False
    made, _ = analysis.binder.follow(*subject, limit=4)
    shape = argument(made, 0, "shape") if isinstance(made, cst.Call) else None
    return isinstance(shape, (cst.List, cst.Tuple)) and bool(shape.elements) and all(
        isinstance(element.value, cst.Integer) and element.value.evaluated_value == 1 for element in shape.elements)


def _subject_confidence(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point, depth: int) -> Confidence:
    found = _subject(analysis, expr, site)
    subject, at = found if found is not None else (None, site)
    if isinstance(subject, cst.BinaryOperation) and isinstance(subject.operator, cst.Multiply) and depth < 4:
        # norm(a) * norm(b): 0 by construction when either factor is
        return Confidence.weakest(*(_subject_confidence(analysis, side, at, depth + 1)
                                    for side in (subject.left, subject.right)))
    if subject is not None and _noisy(analysis, subject, at):
        return Confidence.IMPROBABLE  # `a - noise` is 0 only where the draw equals a
    if subject is None or _structurally_zero(analysis, subject) or _zero_filled(analysis, subject, at):
        return Confidence.CONSTRUCTION
    return Confidence.IMPROBABLE if _learned_or_random(analysis, subject, at) else Confidence.CONSTRUCTION


def _subject(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> tuple[cst.BaseExpression, Point] | None:
    """What the reductions around `expr` reduce, and where it is read: `d` in sqrt(sum(square(d))), in norm(d), in
    reduce_std(d). A name that says what it holds (`image_embeds = layer(image_embeds)`) is kept rather than
    followed. Followed into a module function or lambda the value is returned by (`self._norm = lambda xs:
    np.linalg.norm(xs)`), its parameters being the call's arguments, and into the element of a comprehension
    unpacked (`a_norm, b_norm = [norm(v) for v in (a, b)]`)."""
    at: Point = site
    entered: list[tuple[Scope, cst.Call, Point]] = []  # the functions followed into, and the calls that did
    for _ in range(16):
        if isinstance(expr, cst.Name) and _learned_name(expr):
            return expr, at
        if isinstance(expr, cst.Subscript):
            expr = expr.value  # norm(x)[..., None]
            continue
        passed = _passed(analysis, expr, at, entered) if isinstance(expr, cst.Name) and entered else None
        if passed is not None:
            expr, at = passed
            continue
        expr, at = analysis.binder.follow(expr, at, limit=1)
        binding_source = _unpacked_source(analysis, expr, at)
        if binding_source is not None:
            expr, at = binding_source
            continue
        op = analysis.op_of_call(expr) if isinstance(expr, cst.Call) else None
        if isinstance(expr, cst.Call) and op in _REDUCTIONS:
            inner = analysis.operand(expr)
            if inner is None:
                return None
            expr = inner
            continue
        returned = _returned(analysis, expr, at, entered) if isinstance(expr, cst.Call) and op is None else None
        if returned is not None:
            expr, at = returned
            continue
        inner = _arithmetic_subject(analysis, expr, at) if isinstance(expr, cst.BinaryOperation) else None
        if inner is None:
            return expr, at
        expr = inner
    return None


def _returned(analysis: ModuleAnalysis, call: cst.Call, at: Point,
              entered: list[tuple[Scope, cst.Call, Point]]) -> tuple[cst.BaseExpression, Point] | None:
    """The one expression the module function or lambda `call` calls returns, recording the call in `entered`.
    Not a method: `self.method(x)` stays the call it is, which `_applied_layer` reads as a layer applied to x."""
    function = analysis.values.called_function(call, at)
    if function is None or function.class_name is not None or len(function.returns) != 1:
        return None
    entered.append((function, call, at))
    return function.returns[0], At(function, END)


def _passed(analysis: ModuleAnalysis, name: cst.Name, at: Point,
            entered: list[tuple[Scope, cst.Call, Point]]) -> tuple[cst.BaseExpression, Point] | None:
    """What the call that `_subject` followed into a function passes for `name`, a parameter of that function."""
    binding = analysis.binder.resolve(name.value, at)
    if binding is None or binding.kind is not BindingKind.PARAMETER:
        return None
    for function, call, caller in reversed(entered):
        if binding.scope is function:
            passed = argument(call, parameter_index(function, name.value), name.value)
            return (passed, caller) if passed is not None else None
    return None


def _arithmetic_subject(analysis: ModuleAnalysis, expr: cst.BinaryOperation, at: Point) -> cst.BaseExpression | None:
    """`x` in `x ** p`, `x * x` and `max(x) - min(x)` (0 exactly where x is constant); None for other arithmetic."""
    if isinstance(expr.operator, cst.Power):
        return expr.left
    if isinstance(expr.operator, cst.Multiply) and analysis.code_of(expr.left) == analysis.code_of(expr.right):
        return expr.left
    if isinstance(expr.operator, cst.Subtract):
        return _range_subject(analysis, expr, at)
    return None


def _unpacked_source(analysis: ModuleAnalysis, expr: cst.BaseExpression,
                     at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """`mean, var = tf.nn.moments(x)`: the name `var` stands for moments(x); `a_norm, b_norm = [norm(v) for v in
    (a, b)]`: for the comprehension's element, read inside it."""
    if not isinstance(expr, cst.Name):
        return None
    binding = analysis.binder.resolve(expr.value, at)
    if binding is None or not isinstance(binding.value, Unpacked):
        return None
    source = binding.value.source
    if isinstance(source, (cst.ListComp, cst.GeneratorExp)):
        return source.elt, At(at.scope, analysis.comprehensions.get(source, at.seq))
    return source, at


def _range_subject(analysis: ModuleAnalysis, expr: cst.BinaryOperation, at: Point) -> cst.BaseExpression | None:
    """`x` in `reduce_max(x) - reduce_min(x)`, also through names (`hi = max(x); lo = min(x); hi - lo`)."""
    sides = [analysis.binder.follow(side, at)[0] for side in (expr.left, expr.right)]
    if not all(isinstance(side, cst.Call) for side in sides):
        return None
    if {analysis.op_of_call(side) for side in sides if isinstance(side, cst.Call)} != {Op.REDUCE_MAX, Op.REDUCE_MIN}:
        return None
    reduced = [analysis.operand(side) for side in sides if isinstance(side, cst.Call)]
    if reduced[0] is None or reduced[1] is None or analysis.code_of(reduced[0]) != analysis.code_of(reduced[1]):
        return None
    return reduced[0]


def _structurally_zero(analysis: ModuleAnalysis, subject: cst.BaseExpression) -> bool:
    """The subject is 0 (or constant) for reachable inputs: a difference of two values (equal operands), a relu,
    clip or count, a comparison or a mask."""
    if isinstance(subject, cst.BinaryOperation) and isinstance(subject.operator, cst.Subtract):
        constants = (subject.left, subject.right)
        return not any(isinstance(side, (cst.Integer, cst.Float)) for side in constants)
    if isinstance(subject, cst.Comparison):
        return True
    if isinstance(subject, cst.Call):
        op = analysis.op_of_call(subject)
        return op in _STRUCTURAL_SUBJECTS or op is Op.SUBTRACT
    return isinstance(subject, cst.Name) and mask_named(subject.value)


_ZERO_FILLS = frozenset({"zeros", "zeros_like"})


def _zero_filled(analysis: ModuleAnalysis, subject: cst.BaseExpression, site: Point) -> bool:
    """The subject is bound, in view, to an all-zero array (`features = np.zeros([10, 4])`): whatever its name
    says, it is 0."""
    bound, _ = analysis.binder.follow(subject, site, limit=4)
    if not isinstance(bound, cst.Call):
        return False
    qualified = analysis.qualified_name(bound.func) or ""
    return qualified.split(".", 1)[0] in ("numpy", "tensorflow", "keras") and qualified.rsplit(".", 1)[-1] in _ZERO_FILLS


# Parameter names that say the value is a learned vector (an embedding, a projection) or a random draw. Not
# gradients: a relu critic's input gradient is exactly 0 where it is flat (WGAN-GP penalties go NaN in practice,
# bench/bugs/sqrt-grad-*).
_LEARNED_NAMES = ("embed", "logit", "proj", "hidden", "feature", "sample", "noise")
_RANDOM_CALLS = {"normal", "truncated_normal", "stateless_normal", "standard_normal", "randn", "uniform",
                 "random_normal", "random_uniform"}  # the last two: TF1's tf.random_normal, tf.random_uniform
_LEARNED_OPS = ("matmul", "einsum", "tensordot")


def _learned_or_random(analysis: ModuleAnalysis, subject: cst.BaseExpression, site: Point, depth: int = 0) -> bool:
    """The subject is the output of a layer or a learned projection, or a random sample: 0 only
    with probability 0. Also the pieces of a random sample (`np.split(np.random.standard_normal(n), sizes)`), a
    sequence of random samples and its elements (`for ni in [n0, n1]`), and a random sample divided by anything."""
    expr = subject
    at: Point = site
    for _ in range(12):
        if isinstance(expr, cst.Name) and (_learned_name(expr) or _learned_parameter(analysis, expr, at, depth)):
            return True
        if isinstance(expr, (cst.List, cst.Tuple)):
            return depth < 3 and bool(expr.elements) and all(
                isinstance(element, cst.Element) and _learned_or_random(analysis, element.value, at, depth + 1)
                for element in expr.elements)
        if _noisy(analysis, expr, at):
            return True
        drawn = _drawn_from(analysis, expr, at)
        if drawn is not None:
            expr, at = drawn
            continue
        followed, at = analysis.binder.follow(expr, at, limit=1)
        if followed is expr:
            break
        expr = followed
    return _learned_or_random_call(analysis, expr, at, depth)


def _learned_or_random_call(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
    """What the subject was followed to is a call that draws at random, projects, or applies a layer."""
    if _initializer_draw(analysis, expr, at) or _random_call(analysis, expr):
        return True
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and isinstance(expr.func.value, cst.Call):
        expr = expr.func.value
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    qualified = analysis.qualified_name(func) or ""
    if qualified.rsplit(".", 1)[-1] in _LEARNED_OPS or normalize(qualified).startswith("keras.layers."):
        return True
    return isinstance(func, cst.Call) or _applied_layer(analysis, func, qualified, at, depth)


def _random_call(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> bool:
    """A call that draws at random: `np.random.normal(...)`, `tf.random.uniform(...)`, TF1's `tf.random_normal`,
    also converted (`np.random.random(shape).astype("float32")`)."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and isinstance(expr.func.value, cst.Call):
        expr = expr.func.value  # np.random.random(shape).astype("float32")
    if not isinstance(expr, cst.Call):
        return False
    qualified = analysis.qualified_name(expr.func) or ""
    last = expr.func.attr.value if isinstance(expr.func, cst.Attribute) else qualified.rsplit(".", 1)[-1]
    return qualified.startswith(("tensorflow.random.", "keras.random.", "numpy.random.")) or last in _RANDOM_CALLS


def _noisy(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """`x + noise` or `x - noise` with `noise` a random draw made there or bound to a name (keras-io's noisy
    spiral, `result + np.random.normal(scale=jitter_std, size=[n, 2])`; a Gaussian-noise augmentation): a sum
    with a continuous draw of its own is all-zero, or constant, only with probability 0, whatever `x` is."""
    if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract))):
        return False
    sides = [analysis.binder.follow(side, at, limit=4)[0] for side in (expr.left, expr.right)]
    return not sides[0].deep_equals(sides[1]) and any(_random_call(analysis, side) for side in sides)


def _initializer_draw(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """`super().__call__(shape, dtype)` in a subclass of a Keras initializer (kgcnn's GlorotOrthogonal rescales
    an Orthogonal draw by its variance): the weights it returns are a random draw."""
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "__call__"
            and isinstance(expr.func.value, cst.Call) and isinstance(expr.func.value.func, cst.Name)
            and expr.func.value.func.value == "super"):
        return False
    info = analysis.classes.get(at.scope.class_name) if at.scope.class_name else None
    return info is not None and any(".initializers." in f".{base}" for base in info.bases)


def _drawn_from(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> tuple[cst.BaseExpression, Point] | None:
    """What `expr` is 0 only where it is: the element of a comprehension, the numerator of a division (x / d is 0
    only where x is), what a split cuts into pieces, what a loop or comprehension target iterates, what an entry
    is taken from (grads[0], outputs[1]), the array a value-keeping method copies (`x.copy()`, `t.numpy()`)."""
    if isinstance(expr, cst.Subscript):
        return expr.value, at
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) \
            and expr.func.attr.value in SAME_VALUES_METHODS and analysis.qualified_name(expr.func) is None:
        return expr.func.value, at
    if isinstance(expr, (cst.ListComp, cst.GeneratorExp)):
        return expr.elt, At(at.scope, analysis.comprehensions.get(expr, at.seq))
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return expr.left, at
    if isinstance(expr, cst.Call) and normalize(analysis.qualified_name(expr.func) or "") in SLICING_OPS:
        pieces_of = argument(expr, 0, "value") or argument(expr, 0, "ary")
        return (pieces_of, at) if pieces_of is not None else None
    binding = analysis.binder.resolve(expr.value, at) if isinstance(expr, cst.Name) else None
    if binding is not None and binding.element is not None and not binding.element.path:
        return binding.element.iterable, binding.at
    return None


def _applied_layer(analysis: ModuleAnalysis, func: cst.BaseExpression, qualified: str, at: Point, depth: int) -> bool:
    """`self.projection(x)`: a layer applied to its input; for what a caller passes (depth > 0), only an attribute
    bound to a Keras layer construction (`keras.layers.Dense(...)`) and nothing else (a `self.` attribute may hold
    any function: tf-agents' `self._advantage_fn(returns, values)`)."""
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self"
            and not qualified):
        return False
    if depth == 0:
        return True
    owner = analysis.binder.enclosing_class(at.scope)
    stored = analysis.binder.attribute(owner, func.attr.value) if owner is not None else []
    return bool(stored) and all(binding.expression is not None
                                and analysis.values.layer(binding.expression, binding.scope) is not None
                                for binding in stored)


def _learned_parameter(analysis: ModuleAnalysis, name: cst.Name, at: Point, depth: int) -> bool:
    """A parameter that every call of its function in the module passes a trainable weight
    (`_bahdanau_score(query, keys, self.attention_v)`, a weight-normalised attention vector) or a learned or random
    value (spectral normalisation's `l2_norm(matmul(u, transpose(w)))`, u a random vector): a learned value."""
    binding = analysis.binder.resolve(name.value, at)
    if binding is None or binding.kind is not BindingKind.PARAMETER or depth >= 3:
        return False
    calls = analysis.values.callers(binding.scope)
    index = parameter_index(binding.scope, name.value)
    passed = [(argument(call, index, name.value), caller) for call, caller in calls]
    return bool(passed) and all(argument_expr is not None and (
        analysis.values.is_weight(argument_expr, caller) and not _written_out(analysis, argument_expr, caller)
        or _learned_or_random(analysis, argument_expr, caller, depth + 1)) for argument_expr, caller in passed)


def _written_out(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """A variable made from values written in the code (`tf.Variable([[1.0, 0.0]])`, a counter `tf.Variable(0.)`):
    its entries are what is written, 0 included, not a random initialisation."""
    made = analysis.values.initial_value(expr, at)
    initial = made[0] if made is not None else None
    return isinstance(initial, (cst.List, cst.Tuple)) or initial is not None and numeric_literal(initial) is not None


def _learned_name(name: cst.Name) -> bool:
    return any(part in name.value.lower() for part in _LEARNED_NAMES)
