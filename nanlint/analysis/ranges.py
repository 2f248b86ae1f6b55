"""Where a value lies: bounds on every element of an expression, the one answer every rule asks for.

One traversal, `Ranges.of`, combines three sources and keeps the most precise:
- the arithmetic itself: literals and literal arrays, squares and negated squares, products and sums of
  non-negative terms, casts of indices and positions (`tf.range`, `argmax`), shapes and sizes, counts (`bincount`,
  `confusion_matrix`; `np.unique`'s occurrence counts, each >= 1), reciprocals, fixed positive weights (Gauss
  quadrature), window functions and filterbanks, a floor, a clip or a cap, the max subtracted (`x - reduce_max(x)` <= 0, a softmax's shift), log-probabilities
  (`log_sigmoid`, `log_softmax` <= 0);
- the control flow around a name: `if x >= 0: ... else: <here>`, `if x > 20: return ...`, `assert x > 0`;
- what produced the value (values.py's producer, `range_of`): sigmoid [0, 1] reached exactly by saturation, tanh
  [-1, 1], relu and statistics [0, Inf), a linear head (-Inf, Inf).

A denominator whose range excludes 0 is never 0 (`x / (cast(position) + 2)`), a log of something > 0 is never -Inf,
an exp whose argument is bounded below the overflow point cannot overflow (`upper`), a matrix product of two
non-negative factors (`magnitudes @ mel_filters`) is not a signed linear output. `fixed` says a value is the same on
every run (computed from literals alone). The unsafe-input queries built on these (exp's overflow, a log of a sum of
exps, acos of a cosine) are in domain.py; the interval arithmetic is interval.py.

Unknown stays unknown (None): nothing here widens a finding, it only proves values safe. Evaluated on demand, per
expression, at the few places a rule asks: the value-fact engine does not carry ranges through every evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import libcst as cst

from nanlint.analysis.binder import END, At, Binding, BindingKind, Point
from nanlint.analysis.components import never_all_zero
from nanlint.analysis.diagonal import along_rows_or_columns, holds_its_extremum, set_diagonal, unit_diagonal
from nanlint.analysis.interval import INF, POSITIVE_TINY, Range
from nanlint.analysis.module import ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.numerics import FLOAT32, square_underflow
from nanlint.analysis.operations import COMPARISONS, KEEP_ELEMENTS, MAXIMA, MEANS, SPELLED_AS_OPERATORS, Op, method_operation, normalize
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import GROWING_METHODS, Producer, Value, numeric_literal, parameter_index, project_symbol

_MAX_DEPTH = 12
# `fixed` follows a value back to its literals: through a schedule computed in NumPy from a sampler's settings, passed
# from its constructor to the method that computes it, that is some twenty steps.
_FIXED_DEPTH = 24
# Array attributes whose value is the array's own entries rearranged (a transpose) or a part of them.
_REARRANGING_ATTRIBUTES = frozenset({"T", "mT", "real", "imag", "flat"})
# Uniform draws: the positions and keywords of their lower and upper bounds (0 and 1 by default), or None for the
# draws that take none ([0, 1)).
_UNIFORM_DRAWS: dict[str, tuple[tuple[int, str], tuple[int, str]] | None] = {
    "numpy.random.uniform": ((0, "low"), (1, "high")),
    "numpy.random.rand": None, "numpy.random.random": None, "numpy.random.random_sample": None,
    "numpy.random.ranf": None, "numpy.random.sample": None,
    "tensorflow.random.uniform": ((1, "minval"), (2, "maxval")),
    "tensorflow.random_uniform": ((1, "minval"), (2, "maxval")),
    "keras.random.uniform": ((1, "minval"), (2, "maxval")),
}
# The magnitude below which a float32 square is no longer a normal number (flushed to 0 by TensorFlow's kernels).
_SQUARE_UNDERFLOW = square_underflow(FLOAT32)
NONNEGATIVE = Range(0.0, INF)
NONPOSITIVE = Range(-INF, 0.0)
UNIT = Range(0.0, 1.0)
EVERYWHERE = Range(-INF, INF)

# What each producer's output spans. Probabilities reach their ends exactly (float32 saturation, see
# Producer.zero_when); statistics and magnitudes are >= 0; tanh is [-1, 1]; a linear head is unbounded.
_PRODUCER_RANGES: dict[Producer, Range] = {
    Producer.SIGMOID: UNIT,
    Producer.SOFTMAX: UNIT,
    Producer.RELU: NONNEGATIVE,
    Producer.SOFTPLUS: NONNEGATIVE,
    Producer.EXP: NONNEGATIVE,
    Producer.VARIANCE: NONNEGATIVE,
    Producer.STD: NONNEGATIVE,
    Producer.NORM: NONNEGATIVE,
    Producer.SUM: EVERYWHERE,
    Producer.SUM_OF_SQUARES: NONNEGATIVE,
    Producer.COUNT: NONNEGATIVE,
    Producer.RANGE: NONNEGATIVE,
    Producer.SQUARE: NONNEGATIVE,
    Producer.ABS: NONNEGATIVE,
    Producer.TANH: Range(-1.0, 1.0),
    Producer.TANH_GAP: Range(0.0, 2.0),  # 1 - t² in [0, 1], 1 ∓ t in [0, 2]: 0 where tanh rounds to ±1
    Producer.LINEAR: EVERYWHERE,
    Producer.MASKED: EVERYWHERE,
    Producer.FLOORED: NONNEGATIVE,
    Producer.BOX_SIDE: NONNEGATIVE,
    Producer.SIGNED: EVERYWHERE,
    Producer.LABELS: EVERYWHERE,  # 0/1 for classification, any value for a regression's targets
    Producer.SPECTRUM: EVERYWHERE,  # complex; its magnitude (abs) is >= 0
    Producer.SCATTERED: EVERYWHERE,  # the updates, of any sign, and zeros
    Producer.ZERO_COEFFICIENT: EVERYWHERE,  # a coefficient (0 among its values) times anything
}
# Operations whose output elements lie within their (first) input's: moved, retyped, or reduced to one of them or
# their mean.
_KEEP_RANGE = KEEP_ELEMENTS | MEANS | MAXIMA | {Op.REDUCE_MIN}
# Reductions that are >= 1 along any axis of a 0/1 matrix with a 1 in every row and column (diagonal.py); the norm
# too (`_norm_of`).
_AT_LEAST_ONE_ON_A_DIAGONAL = frozenset({Op.REDUCE_SUM, Op.REDUCE_MAX})
# Log-probabilities: <= 0.
_AT_MOST_ZERO = frozenset({Op.LOG_SIGMOID, Op.LOG_SOFTMAX})
# Operations whose result lies in a fixed range whatever their operands: comparisons (booleans as numbers) and
# log-probabilities.
_FIXED_RANGES: dict[Op, Range] = {**{op: UNIT for op in COMPARISONS}, **{op: NONPOSITIVE for op in _AT_MOST_ZERO}}
# Which side of 0 a comparison puts its left operand where it holds ("<" for < and <=, ">" for > and >=).
_RELATIONS: dict[type[cst.BaseCompOp], str] = {cst.LessThan: "<", cst.LessThanEqual: "<", cst.GreaterThan: ">",
                                               cst.GreaterThanEqual: ">"}
_ORDERINGS: dict[Op, str] = {Op.LESS: "<", Op.LESS_EQUAL: "<", Op.GREATER: ">", Op.GREATER_EQUAL: ">"}
# `x - reduce_max(x)`, `x - reduce_logsumexp(x)`: the softmax shift leaves every value <= 0.
_SHIFTS = frozenset({Op.REDUCE_MAX, Op.REDUCE_LOGSUMEXP})
# What a shift may be wrapped in (`stop_gradient(reduce_max(x))`, `expand_dims(reduce_max(x, 1), 1)`).
_SHIFT_WRAPPERS = frozenset({Op.STOP_GRADIENT, Op.EXPAND_DIMS, Op.RESHAPE})
# Array methods that keep the values (`w.astype("float32")`, `w.reshape(...)`).
_KEEPING_METHODS = frozenset({"astype", "reshape", "flatten", "ravel", "copy", "numpy", "squeeze", "transpose"})
# Library functions by the last part of their name, and the range of what they return.
_NONNEGATIVE_RESULTS = frozenset({
    "shape", "size", "len", "rank", "argmax", "argmin", "argsort", "count_nonzero", "bincount", "confusion_matrix",
    "histogram_fixed_width", "histogram", "num_elements",
})
_ONES = frozenset({"ones", "ones_like"})
# Mutable containers written as literals or comprehensions.
_CONTAINERS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
# Python's number and string types, as a dtype argument (`.astype(int)`).
_BUILTIN_TYPES = frozenset({"int", "float", "bool", "complex", "str"})
# Modules whose functions compute the same result from the same arguments (random numbers and file readers
# aside). Not TensorFlow: its placeholders, variables and inputs are built from literal shapes.
_LIBRARIES = ("numpy.", "scipy.", "math.")
_READERS = frozenset({"load", "loadtxt", "genfromtxt", "fromfile", "memmap", "frombuffer", "fromstring", "loadmat",
                      "read", "imread", "wavfile"})
# Keyword arguments that shape a result rather than feed it values.
_NOT_DATA = frozenset({"axis", "dtype", "name", "keepdims", "keep_dims", "sym", "fftbins"})
# Literal arrays: `np.array([...])` (`tf.constant([...])` is Op.CONSTANT).
_LITERAL_ARRAYS = frozenset({"numpy.array", "numpy.asarray", "keras.ops.array"})
# Window functions peak at 1 and are >= 0 (`scipy.signal.windows.*`, `np.hanning`, `tf.signal.hann_window`).
_WINDOW_PREFIXES = ("scipy.signal.windows.", "scipy.signal.get_window", "tensorflow.signal.")
_NUMPY_WINDOWS = frozenset({"numpy.hanning", "numpy.hamming", "numpy.blackman", "numpy.bartlett", "numpy.kaiser"})
# Filterbanks are sums of non-negative triangles (mel) or windows: a magnitude spectrogram times one is >= 0, the mel
# spectrogram of TF's own MFCC recipe (`log(tensordot(abs(stft), mel_matrix, 1) + 1e-6)`), not a signed output.
_FILTERBANKS = frozenset({"tensorflow.signal.linear_to_mel_weight_matrix", "librosa.filters.mel",
                          "librosa.filters.chroma", "librosa.filters.constant_q", "kapre.backend.filterbank_mel",
                          "kapre.backend.filterbank_log"})


def range_of(value: Value) -> Range | None:
    """The range a value spans by what produced it, or None when nothing is known about it (a product with a
    probability: the other factor may be anything)."""
    if value.producer is None or value.scaled:
        return None
    span = _PRODUCER_RANGES[value.producer]
    return span.complement() if value.complement else span


class Ranges:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.values = analysis.values
        self.binder = analysis.binder
        self._active: set[int] = set()
        # functions whose parameters `fixed` takes as fixed: one called with fixed arguments, while its returns
        # are evaluated
        self._fixed_arguments: set[int] = set()
        # functions whose returns are being evaluated for one call: their parameters hold what that call passes
        self._passed: dict[int, tuple[cst.Call, Point]] = {}
        # the attributes (id(class), name) `fixed` is deciding: a write that reads one again (`self.count =
        # self.count + 1`) does not make it fixed
        self._fixed_attributes: set[tuple[int, str]] = set()
        # what `fixed` found, by (id(expr), id(scope), seq): a schedule is read many times, through many names
        self._fixed_known: dict[tuple[int, int, int], tuple[bool, cst.BaseExpression]] = {}
        self._fixed_cut = False  # the evaluation in progress met the depth limit or a cycle
        self._project = False  # `of(..., project=True)` in progress

    def of(self, expr: cst.BaseExpression, at: Point, project: bool = False) -> Range | None:
        """Bounds on every element of `expr` evaluated at `at`, or None when nothing bounds it. With `project`, a
        parameter is what every call the project shows passes for it, and a name imported from a project file is
        that file's module-level value (`_passed`, `_imported`): for a query about what the project's own code
        does, not what an outside caller of a library function may pass."""
        if not project or self._project:
            return self._range(expr, at, 0)
        self._project = True
        try:
            return self._range(expr, at, 0)
        finally:
            self._project = False

    def upper(self, expr: cst.BaseExpression, at: Point) -> float | None:
        """A constant the value cannot exceed, or None when nothing bounds it from above."""
        span = self.of(expr, at)
        return span.high if span is not None and math.isfinite(span.high) else None

    def lower(self, expr: cst.BaseExpression, at: Point) -> float | None:
        """A constant the value cannot go below, or None."""
        span = self.of(expr, at)
        return span.low if span is not None and math.isfinite(span.low) else None

    def fixed(self, expr: cst.BaseExpression, at: Point, depth: int = 0) -> bool:
        """The value is computed from literals alone (a test's reference arrays, `get_window("tukey", 256)`,
        `hermgauss(deg=8)`), through library calls, arithmetic, indexing, and the parameters of a nested function
        that every call passes such a value: it is the same on every run, so it is 0 either always or never, and
        no input makes it so. Axes, dtypes and names do not make data (`np.sum(m, axis=steps_axis)`)."""
        if depth > _FIXED_DEPTH:
            self._fixed_cut = True
            return False
        key = (id(expr), id(at.scope), at.seq)
        known = self._fixed_known.get(key)
        if known is not None:
            return known[0]
        outer_cut, self._fixed_cut = self._fixed_cut, False
        found = self._fixed(expr, at, depth)
        if (found or not self._fixed_cut) and not self._fixed_arguments:
            # kept: a True, and a False reached without the depth limit or a cycle cutting it short; not inside a
            # call being evaluated, where a parameter is fixed that is not elsewhere
            self._fixed_known[key] = (found, expr)  # the node kept alive, so that its id is not reused
        self._fixed_cut = outer_cut or self._fixed_cut
        return found

    def _fixed(self, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
        if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)) or \
                self.values.constant(expr, at) is not None:
            return True
        if isinstance(expr, cst.Name):
            return self._fixed_name(expr, at, depth)
        if isinstance(expr, cst.Call):
            return self._fixed_call(expr, at, depth)
        if isinstance(expr, cst.Attribute) and expr.attr.value not in _REARRANGING_ATTRIBUTES:
            return self._fixed_attribute(expr, at, depth)
        parts = _value_parts(expr)
        return parts is not None and all(self.fixed(part, at, depth + 1) for part in parts)

    def _fixed_name(self, name: cst.Name, at: Point, depth: int) -> bool:
        if name.value in ("None", "True", "False"):
            return True
        binding = self.binder.resolve(name.value, at)
        if binding is None:
            return name.value in _BUILTIN_TYPES  # `.astype(int)`: a dtype
        if isinstance(binding.value, Unpacked):
            return self.fixed(binding.value.source, binding.at, depth + 1)
        if binding.expression is not None:
            # a list literal grown afterwards (`velocities = []`, then `velocities.append(data[2])` in a loop) holds
            # what is appended too; an array written in part (`returns = np.zeros_like(rewards)`, then
            # `returns[t] = running_add`) holds what is written
            if isinstance(binding.expression, cst.List):
                grown = self.binder.method_calls(binding, GROWING_METHODS)
            elif self.binder.items_changed(binding):
                return False
            else:
                grown = []
            return self.fixed(binding.expression, binding.at, depth + 1) and all(
                self.fixed(arg.value, call.site, depth + 1) for call in grown for arg in call.node.args)
        return binding.kind is BindingKind.PARAMETER and (
            id(binding.scope) in self._fixed_arguments or self._fixed_parameter(binding.scope, binding.name, depth))

    def _fixed_attribute(self, expr: cst.Attribute, at: Point, depth: int) -> bool:
        """`self.ddim_alpha_prev` read in one method and set in another (a sampler's schedule, computed once in
        NumPy): fixed when every `self.name = ...` of the class and its local bases stores a fixed value and no
        method changes its items in place (`self.table[i] = x`, `self.history.append(x)`). Only `self.`: an
        instance elsewhere (`obj.name`) may be written from outside its class."""
        owner = self.binder.instance_class(expr.value, At(at.scope, at.seq))
        if owner is None or not owner[1]:
            return False
        info, name = owner[0], expr.attr.value
        key = (id(info), name)
        bindings = self.binder.attribute(info, name)
        if key in self._fixed_attributes:
            self._fixed_cut = True
            return False
        if not bindings or self.binder.attribute_changed_in_place(info, name):
            return False
        if any(isinstance(binding.expression, _CONTAINERS) for binding in bindings):
            return False  # a list or dict the instance holds is filled by whoever holds it (`agent.rewards.append(r)`)
        self._fixed_attributes.add(key)
        try:
            return all(self.fixed(binding.value.source, binding.at, depth + 1) if isinstance(binding.value, Unpacked)
                       else binding.expression is not None and self.fixed(binding.expression, binding.at, depth + 1)
                       for binding in bindings)
        finally:
            self._fixed_attributes.discard(key)

    def _fixed_call(self, call: cst.Call, at: Point, depth: int) -> bool:
        qualified = self.analysis.qualified_name(call.func)
        function = self.values.called_function(call, At(at.scope, at.seq)) if qualified is None else None
        if function is not None:
            return self._fixed_result(function, call, at, depth)
        if qualified is None:
            # an array method on a fixed array: `w.astype("float32").reshape((-1, 1, 1))`
            if not (isinstance(call.func, cst.Attribute) and (call.func.attr.value in _KEEPING_METHODS
                                                              or method_operation(call) is not None)):
                return False
            receiver_fixed = self.fixed(call.func.value, at, depth + 1)
        else:
            if not qualified.startswith(_LIBRARIES) or "random" in qualified or any(
                    part in _READERS for part in qualified.split(".")):
                return False
            receiver_fixed = True
        return receiver_fixed and all(self.fixed(arg.value, at, depth + 1) for arg in call.args
                                      if not (arg.keyword is not None and arg.keyword.value in _NOT_DATA))

    def _fixed_result(self, function: Scope, call: cst.Call, at: Point, depth: int) -> bool:
        """A function of the module given fixed arguments (its defaults fixed too) that computes what it returns
        from them and literals alone: `np.log(_sigmoid(3.0))` in a test's expected value."""
        if not function.returns or function.class_name is not None or id(function) in self._fixed_arguments or any(
                arg.star for arg in call.args) or not all(self.fixed(arg.value, at, depth + 1) for arg in call.args):
            return False
        for index, name in enumerate(function.params):
            default = function.defaults.get(name) if argument(call, index, name) is None else None
            if argument(call, index, name) is None and (
                    default is None or not self.fixed(default, At(function.parent or function, END), depth + 1)):
                return False
        self._fixed_arguments.add(id(function))
        try:
            return all(self.fixed(returned, At(function, END), depth + 1) for returned in function.returns)
        finally:
            self._fixed_arguments.discard(id(function))

    def _fixed_parameter(self, function: Scope, name: str, depth: int) -> bool:
        """A nested function's parameter is what its calls pass (nothing outside its parent can call it)."""
        if function.parent is None or function.parent.parent is None or function.class_name is not None:
            return False
        calls = self.values.callers(function)
        if not calls or name not in function.params:
            return False
        index = function.params.index(name)
        for call, caller in calls:
            passed = argument(call, index, name)
            if passed is None:
                passed = function.defaults.get(name)
                if passed is None:
                    return False
            if not self.fixed(passed, caller, depth + 1):
                return False
        return True

    def _range(self, expr: cst.BaseExpression, at: Point, depth: int) -> Range | None:
        if depth > _MAX_DEPTH or id(expr) in self._active:
            return None
        self._active.add(id(expr))
        try:
            found = self._syntactic(expr, at, depth + 1)
            if found is not None:
                return found
            return range_of(self.values.of(expr, at))
        finally:
            self._active.discard(id(expr))

    def _syntactic(self, expr: cst.BaseExpression, at: Point, depth: int) -> Range | None:
        constant = self.values.constant(expr, at)
        if constant is not None:
            return Range.point(constant)
        if isinstance(expr, cst.Name):
            return self._name(expr, at, depth)
        if isinstance(expr, (cst.List, cst.Tuple, cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            return self._elements(expr, at, depth)
        if isinstance(expr, cst.UnaryOperation):
            return self._unary(expr, at, depth)
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr.left, expr.operator, expr.right, at, depth)
        if isinstance(expr, cst.Comparison):
            return UNIT  # a boolean, as a number
        if isinstance(expr, cst.Subscript):
            return self._range(expr.value, at, depth)  # indexing keeps elements
        if isinstance(expr, cst.Attribute):
            return self._attribute(expr, at, depth)
        if isinstance(expr, cst.Call):
            return self._call(expr, at, depth)
        return None

    def _elements(self, expr: cst.List | cst.Tuple | cst.ListComp | cst.GeneratorExp | cst.SetComp, at: Point,
                  depth: int) -> Range | None:
        """A literal collection spans its elements; a comprehension's elements are all its element expression, read
        where its targets are bound (`exp([-x ** 2 / (2 * s ** 2) for x in range(-r, r + 1)])`, a Gaussian kernel:
        every exponent <= 0)."""
        if isinstance(expr, (cst.List, cst.Tuple)):
            return self._hull((element.value for element in expr.elements), at, depth)
        inside = self.analysis.comprehensions.get(expr)
        return self._range(expr.elt, At(at.scope, inside), depth) if inside is not None else None

    def _unary(self, expr: cst.UnaryOperation, at: Point, depth: int) -> Range | None:
        """`-x` and `+x` (`not x` and `~x` are not numbers' ranges)."""
        inner = self._range(expr.expression, at, depth)
        if inner is None:
            return None
        return inner.negated() if isinstance(expr.operator, cst.Minus) else inner if isinstance(
            expr.operator, cst.Plus) else None

    def _name(self, name: cst.Name, at: Point, depth: int) -> Range | None:
        binding = self.binder.resolve(name.value, at)
        found = None
        if binding is not None and isinstance(binding.value, Unpacked):
            found = self._unpacked(binding.value, binding.at, depth)
        elif binding is not None and binding.expression is not None:
            found = self._range(binding.expression, binding.at, depth)
        elif binding is not None and binding.element is not None and not binding.element.path:
            # a loop target takes the elements of what it iterates: `for i in range(n)` is >= 0
            found = self._range(binding.element.iterable, binding.at, depth)
        elif binding is not None and binding.kind is BindingKind.PARAMETER and id(binding.scope) in self._passed:
            found = self._passed_argument(binding.scope, binding.name, depth)
        elif self._project and binding is not None and binding.kind is BindingKind.PARAMETER:
            found = self._passed_by_calls(binding, depth)
        elif self._project and binding is None:
            found = self._imported(name)
        return self._narrowed(name.value, at, found)

    def _passed_argument(self, function: Scope, name: str, depth: int) -> Range | None:
        """The range of what the call whose returns are being evaluated passes for the parameter `name` (its
        default where the call passes nothing): `broadcast(clip(x, -75, 75), n)` keeps the clip's bounds when the
        helper returns `reshape(tile(param, ...))`."""
        call, caller = self._passed.pop(id(function))  # the argument is read in the caller: no parameter of its own
        try:
            index = parameter_index(function, name)
            passed = argument(call, index, name) if index is not None else None
            if passed is None:
                if any(arg.star for arg in call.args):
                    return None
                default = function.defaults.get(name)
                return self._range(default, At(function.parent or function, END), depth) \
                    if default is not None else None
            return self._range(passed, caller, depth)
        finally:
            self._passed[id(function)] = (call, caller)

    def _passed_by_calls(self, parameter: Binding, depth: int) -> Range | None:
        """The hull of what every call the project shows passes for a parameter (its default where a call leaves
        it out); None without a call, or when `*args`/`**kwargs` may carry it."""
        function = parameter.scope
        calls = self.values.project_callers(function)
        key = (id(function), parameter.name)
        if not calls or key in _FOLLOWED:
            return None
        index = parameter_index(function, parameter.name)
        _FOLLOWED.add(key)
        try:
            spans = []
            for call, caller, analysis in calls:
                passed = argument(call, index, parameter.name)
                if passed is None and any(arg.star for arg in call.args):
                    return None
                if passed is None:
                    default = function.defaults.get(parameter.name)
                    span = self._range(default, At(function.parent or function, END), depth) \
                        if default is not None else None
                elif analysis is self.analysis:
                    span = self._range(passed, caller, depth)
                else:
                    span = analysis.ranges.of(passed, caller, project=True)
                if span is None:
                    return None
                spans.append(span)
            return Range.hull(spans)
        finally:
            _FOLLOWED.discard(key)

    def _imported(self, name: cst.Name) -> Range | None:
        """A name imported from a project file (`from yolov3.models import yolo_anchors`): the range of its
        module-level value there."""
        qualified = self.analysis.qualified_name(name)
        found = project_symbol(self.analysis, qualified) if qualified is not None else None
        if found is None:
            return None
        other, defined = found
        binding = other.binder.resolve(defined, At(other.module_scope, END))
        key = (id(other), defined)
        if binding is None or binding.expression is None or key in _FOLLOWED:
            return None
        _FOLLOWED.add(key)
        try:
            return other.ranges.of(binding.expression, binding.at, project=True)
        finally:
            _FOLLOWED.discard(key)

    def _narrowed(self, name: str, at: Point, found: Range | None) -> Range | None:
        """Within `if x >= 0: ... else: <here>`, after `if x > 20: return ...`, after `assert x > 0`: what the
        control flow around the use says about the name, as long as it was not rebound since (the stable sigmoid's
        `else: z = exp(x)`; guards.statement_facts)."""
        if not isinstance(at, Site):
            return found
        span = found or EVERYWHERE
        for fact in self.analysis.guards.statement_facts(at, about=name):
            if fact.bound is None:
                continue
            if fact.relation in (">", ">="):
                span = Range(max(span.low, fact.bound), span.high)
            elif fact.relation in ("<", "<="):
                span = Range(span.low, min(span.high, fact.bound))
        return span if found is not None or span != EVERYWHERE else None

    def _attribute(self, expr: cst.Attribute, at: Point, depth: int) -> Range | None:
        """`x.shape`, `x.size`, `x.ndim` are >= 0; `self.filters` set in another method: every assignment of it
        must be bounded."""
        if expr.attr.value in ("shape", "size", "ndim"):
            return NONNEGATIVE
        owner = self.binder.instance_class(expr.value, At(at.scope, at.seq))
        if owner is None:
            return None
        bindings = self.binder.attribute(owner[0], expr.attr.value)
        if not bindings or any(binding.expression is None for binding in bindings):
            return None
        return self._hull_at(((binding.expression, binding.at) for binding in bindings
                              if binding.expression is not None), depth)

    def _unpacked(self, unpacked: Unpacked, at: Point, depth: int) -> Range | None:
        """`points, weights = np.polynomial.hermite.hermgauss(n)`: Gauss quadrature weights are > 0;
        `_, height, width = masks.shape`: sizes; `_, counts = np.unique(x, return_counts=True)`: how often each
        distinct value occurs, >= 1 (`_occurrence_counts_index`); `counts, means = helper(...)`: that element of what
        it returns."""
        source = unpacked.source
        if isinstance(source, cst.Attribute) and source.attr.value == "shape":
            return NONNEGATIVE
        if not isinstance(source, cst.Call):
            return None
        qualified = self.analysis.qualified_name(source.func) or ""
        if qualified.startswith("numpy.polynomial.") and qualified.endswith("gauss") and unpacked.index == 1:
            return Range(POSITIVE_TINY, INF)
        if self.analysis.op_of_call(source) is Op.SHAPE:
            return NONNEGATIVE
        if unpacked.index == _occurrence_counts_index(source, normalize(qualified)):
            return Range(1.0, INF)
        function = self.values.called_function(source, at) if not qualified else None
        if function is None or not function.returns or not isinstance(unpacked.index, int):
            return None
        elements = []
        for returned in function.returns:
            if not isinstance(returned, cst.Tuple) or not -len(returned.elements) <= unpacked.index < len(
                    returned.elements) or any(isinstance(e, cst.StarredElement) for e in returned.elements):
                return None
            elements.append((returned.elements[unpacked.index].value, At(function, END)))
        return self._hull_at(elements, depth)

    def _hull(self, exprs: Iterable[cst.BaseExpression], at: Point, depth: int) -> Range | None:
        return self._hull_at(((expr, at) for expr in exprs), depth)

    def _hull_at(self, pairs: Iterable[tuple[cst.BaseExpression, Point]], depth: int) -> Range | None:
        spans = []
        for expr, at in pairs:
            span = self._range(expr, at, depth)
            if span is None:
                return None
            spans.append(span)
        return Range.hull(spans)

    def _binary(self, left: cst.BaseExpression, operator: cst.BaseBinaryOp, right: cst.BaseExpression, at: Point,
                depth: int) -> Range | None:
        if isinstance(operator, cst.Multiply) and self.analysis.code_of(left) == self.analysis.code_of(right):
            inner = self._range(left, at, depth)
            return inner.squared() if inner is not None else NONNEGATIVE  # x * x
        if isinstance(operator, cst.Multiply):
            paired = self._product_with_a_square(_factors(left) + _factors(right), at, depth)
            if paired is not None:
                return paired
        if isinstance(operator, cst.Power):
            return self._power(left, right, at, depth)
        if isinstance(operator, cst.Subtract) and self._is_shift(right, at):
            difference = self._combined(left, operator, right, at, depth)
            return (difference or EVERYWHERE).clamped(None, 0.0)
        if isinstance(operator, cst.Divide) and self._is_largest_magnitude_of(right, left, at):
            return Range(-1.0, 1.0)  # x / max(abs(x)): scaled into [-1, 1] (0/0 only for an all-zero x)
        return self._combined(left, operator, right, at, depth)

    def _product_with_a_square(self, factors: list[cst.BaseExpression], at: Point, depth: int) -> Range | None:
        """A product whose chain holds one factor twice (`-0.5 * x * x`, `-gamma * d * d`: a Gaussian's or an RBF
        kernel's exponent) is that factor's square (>= 0 whatever the factor) times the other factors; None when
        no read repeats or another factor's range is unknown."""
        codes = [self.analysis.code_of(factor) for factor in factors]
        # (reads of a value, not calls: `normal(s) * normal(s)` draws twice)
        pair = next(((i, j) for i in range(len(codes)) for j in range(i + 1, len(codes)) if codes[i] == codes[j]
                     and isinstance(factors[i], (cst.Name, cst.Attribute, cst.Subscript))), None)
        if pair is None:
            return None
        inner = self._range(factors[pair[0]], at, depth)
        span = inner.squared() if inner is not None else NONNEGATIVE
        for index, factor in enumerate(factors):
            if index in pair:
                continue
            other = self._range(factor, at, depth)
            if other is None:
                return None
            span = span.times(other)
        return span

    def _is_largest_magnitude_of(self, expr: cst.BaseExpression, of: cst.BaseExpression, at: Point) -> bool:
        """`expr` is (a name bound to) `max(abs(of))`, in any spelling (`np.max(np.abs(x))`, `tf.reduce_max(
        tf.abs(x))`, `abs(x).max()`)."""
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        if not (isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.REDUCE_MAX):
            return False
        magnitude = self.analysis.operand(expr)
        magnitude = self.binder.follow(magnitude, at, _MAX_DEPTH)[0] if magnitude is not None else None
        if not (isinstance(magnitude, cst.Call) and self.analysis.op_of_call(magnitude) is Op.ABS):
            return False
        inner = self.analysis.operand(magnitude)
        return inner is not None and self.analysis.spelled(inner) == self.analysis.spelled(of)

    def _combined(self, left: cst.BaseExpression, operator: cst.BaseBinaryOp, right: cst.BaseExpression, at: Point,
                  depth: int) -> Range | None:
        """`a <operator> b` from the ranges of a and b."""
        first = self._range(left, at, depth)
        if first is None:
            return None
        second = self._range(right, at, depth)
        if second is None:
            return None
        combine = _COMBINE.get(type(operator))
        return combine(first, second) if combine is not None else None

    def _power(self, base: cst.BaseExpression, exponent: cst.BaseExpression, at: Point, depth: int) -> Range | None:
        """`x ** 2` (any even power) is >= 0, `x ** 0.5` is x's root, a positive power of a value >= 0 is >= 0."""
        power = self.values.constant(exponent, at)
        span = self._range(base, at, depth)
        if power is not None and float(power).is_integer() and power % 2 == 0 and power > 0:
            return span.squared() if span is not None else NONNEGATIVE
        if power == 0.5 and span is not None:
            return span.root()
        if power is not None and power > 0 and span is not None and span.nonnegative:
            return NONNEGATIVE
        return None

    def shifted_by_max(self, expr: cst.BaseExpression, at: Point) -> bool:
        """`expr` is (a name bound to) `x - reduce_max(x)` or `x - reduce_logsumexp(x)`: every value <= 0, the max
        at 0 and the rest as far below as x is spread (values.py: the exp of it underflows there)."""
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)
        return isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract) \
            and self._is_shift(form.right, at)

    def _is_shift(self, expr: cst.BaseExpression, at: Point) -> bool:
        """`reduce_max(x)` (or its stop_gradient), through names: subtracting it leaves every value <= 0."""
        for _ in range(_MAX_DEPTH):
            expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
            if not isinstance(expr, cst.Call):
                return False
            op = self.analysis.op_of_call(expr)
            operand = self.analysis.operand(expr)
            if op in _SHIFTS:
                return True
            if op not in _SHIFT_WRAPPERS or operand is None:
                return False
            expr = operand
        return False

    def _call(self, call: cst.Call, at: Point, depth: int) -> Range | None:
        op = self.analysis.op_of_call(call)
        if op is None:
            return self._library(call, at, depth)
        if op in SPELLED_AS_OPERATORS:  # `tf.add(a, b)`, `tf.matmul(a, b)`, `tf.negative(x)`: the operator they spell
            form = self.analysis.operator_form(call)
            return self._range(form, at, depth) if form is not None else None
        if op in _FIXED_RANGES:
            return _FIXED_RANGES[op]
        if op is Op.RANGE:
            return self._evenly_spaced(call, at, depth)
        if op in (Op.WHERE, Op.CONCAT):
            return self._selected(op, call, at, depth)
        if op in (Op.MAXIMUM, Op.MINIMUM, Op.CLIP):
            return self._clamp(op, call, at, depth)
        return self._elementwise(op, call, at, depth)

    def _selected(self, op: Op, call: cst.Call, at: Point, depth: int) -> Range | None:
        """where()'s two branches, concat's pieces: every element is an element of one of them."""
        if op is Op.WHERE:
            branches = [argument(call, 1, "x"), argument(call, 2, "y")]
            if any(branch is None for branch in branches):
                return None
            magnitude = self._by_sign(argument(call, 0, "condition"), branches, at, depth)
            if magnitude is not None:
                return magnitude
            return self._hull((branch for branch in branches if branch is not None), at, depth)
        operand = self.analysis.operand(call)
        if isinstance(operand, (cst.List, cst.Tuple)):
            return self._hull((element.value for element in operand.elements), at, depth)
        return self._elementwise(op, call, at, depth)

    def _by_sign(self, condition: cst.BaseExpression | None, branches: list[cst.BaseExpression | None], at: Point,
                 depth: int) -> Range | None:
        """`where(x <= 0, -x, x)`, `where(x > 0, x, -x)`: x or -x picked by x's sign is |x|, a hand-written abs
        (TFCO's stable softplus `log(1 + exp(-where(p <= 0, -p, p)))`: the exponent is <= 0). None for any other
        selection."""
        if condition is None:
            return None
        condition, _ = self.binder.follow(condition, at, _MAX_DEPTH)
        compared = self._compared_with_zero(condition, at, depth)
        if compared is None:
            return None
        subject, nonpositive_when_true = compared
        chosen, other = (branches[0], branches[1]) if nonpositive_when_true else (branches[1], branches[0])
        code = self.analysis.code_of
        if chosen is None or other is None or code(other) != code(subject) or not self._negates(chosen, subject):
            return None
        inner = self._range(subject, at, depth)
        return inner.magnitude() if inner is not None else NONNEGATIVE

    def _compared_with_zero(self, condition: cst.BaseExpression, at: Point,
                            depth: int) -> tuple[cst.BaseExpression, bool] | None:
        """(x, True) for `x <= 0`/`x < 0`/`0 >= x` (x is <= 0 where it holds), (x, False) for `x >= 0`/`x > 0`; the
        call spellings too (`tf.less_equal(x, 0)`). The 0 may be a name or `zeros_like(x)`."""
        if isinstance(condition, cst.Comparison) and len(condition.comparisons) == 1:
            left, right = condition.left, condition.comparisons[0].comparator
            relation = _RELATIONS.get(type(condition.comparisons[0].operator))
        elif isinstance(condition, cst.Call) and self.analysis.op_of_call(condition) in _ORDERINGS \
                and len(condition.args) >= 2:
            left, right = condition.args[0].value, condition.args[1].value
            relation = _ORDERINGS[self.analysis.op_of_call(condition)]  # type: ignore[index]
        else:
            return None
        if relation is None:
            return None
        if self._is_zero(right, at, depth):
            return left, relation == "<"
        if self._is_zero(left, at, depth):
            return right, relation == ">"
        return None

    def _is_zero(self, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
        """0, or (a name bound to) `zeros_like(x)`/`zeros(shape)` compared against: a threshold of 0."""
        if self.values.constant(expr, at) == 0:
            return True
        expr, _ = self.binder.follow(expr, at, _MAX_DEPTH)
        if not isinstance(expr, cst.Call):
            return False
        qualified = self.analysis.qualified_name(expr.func)
        return qualified is not None and qualified.rsplit(".", 1)[-1] in ("zeros", "zeros_like")

    def _negates(self, expr: cst.BaseExpression, subject: cst.BaseExpression) -> bool:
        """`-x` or `tf.negative(x)` of the same expression."""
        form = self.analysis.operator_form(expr) if isinstance(expr, cst.Call) else expr
        return isinstance(form, cst.UnaryOperation) and isinstance(form.operator, cst.Minus) \
            and self.analysis.code_of(form.expression) == self.analysis.code_of(subject)

    def _elementwise(self, op: Op, call: cst.Call, at: Point, depth: int) -> Range | None:
        """An operation of one operand: what it keeps of the operand's range, or makes of it."""
        operand = self.analysis.operand(call)
        if op is Op.NORM and operand is not None:
            return self._norm_of(operand, at, argument(call, 2, "axis"), argument(call, 1, "ord"), depth)
        if op in _AT_LEAST_ONE_ON_A_DIAGONAL and operand is not None and (
                unit_diagonal(self.analysis, operand, at)
                or holds_its_extremum(self.analysis, operand, at, argument(call, 1, "axis"))):
            return Range(1.0, INF)  # the same-class mask of a metric-learning loss, a greedy policy: each row holds a 1
        inner = self._range(operand, at, depth) if operand is not None else None
        if op in _KEEP_RANGE:
            return inner
        if op not in _ELEMENTWISE:
            return None
        of_range, unknown = _ELEMENTWISE[op]
        return of_range(inner) if inner is not None else unknown

    def norm(self, vector: cst.BaseExpression, at: Point, axis: cst.BaseExpression | None,
             order: cst.BaseExpression | None = None) -> Range:
        """The range of the norm of `vector` along `axis` (None: over every entry) of the order `order` (None: the
        Euclidean), written as a norm call or not: `tf.linalg.normalize(x)` divides by it,
        `sqrt(reduce_sum(square(v), axis))` spells it out."""
        return self._norm_of(vector, at, axis, order, 0)

    def _norm_of(self, vector: cst.BaseExpression, at: Point, axis: cst.BaseExpression | None,
                 order: cst.BaseExpression | None, depth: int) -> Range:
        """A norm is >= 0, and > 0 for a vector with a non-zero entry along the axis whatever the data: a 1 in each
        row (a unit diagonal, a row's extremum kept), a set diagonal, a component that is never 0 (homogeneous
        coordinates, barycentric weights), or entries that are all non-zero (for a Euclidean norm, large enough
        that their squares do not underflow)."""
        if unit_diagonal(self.analysis, vector, at) or holds_its_extremum(self.analysis, vector, at, axis):
            return Range(1.0, INF)  # the same-class mask of a metric-learning loss, a greedy policy: each row holds a 1
        if along_rows_or_columns(self.analysis, axis):
            diagonal = set_diagonal(self.analysis, vector, at)
            if diagonal is not None:
                return Range(abs(diagonal), INF)  # each row and column holds the diagonal's entry
        if never_all_zero(self.analysis, vector, at, axis) is not None:
            return Range(POSITIVE_TINY, INF)  # homogeneous coordinates, barycentric weights: a non-zero entry
        inner = self._range(vector, at, depth)
        return _norm(inner, euclidean(order, axis)) if inner is not None else NONNEGATIVE

    def _clamp(self, op: Op, call: cst.Call, at: Point, depth: int) -> Range | None:
        first, second = argument(call, 0, "x"), argument(call, 1, "y")
        if op is Op.CLIP:
            operand = first or argument(call, 0, "t")
            floor, ceiling = argument(call, 1, "clip_value_min"), argument(call, 2, "clip_value_max")
            low = self._range(floor, at, depth) if floor is not None else None
            high = self._range(ceiling, at, depth) if ceiling is not None else None
            clipped = (self._range(operand, at, depth) if operand is not None else None) or EVERYWHERE
            return clipped.clamped(low.low if low is not None else None, high.high if high is not None else None)
        if first is None or second is None:
            return None
        a, b = self._range(first, at, depth), self._range(second, at, depth)
        if op is Op.MAXIMUM:
            # max(x, c) >= c whatever x is
            known = [span for span in (a, b) if span is not None]
            if not known:
                return None
            return Range(max(span.low for span in known), max(span.high for span in known) if len(known) == 2 else INF)
        if a is None or b is None:
            known = [span for span in (a, b) if span is not None]
            return Range(-INF, known[0].high) if known else None
        return Range(min(a.low, b.low), min(a.high, b.high))

    def _evenly_spaced(self, call: cst.Call, at: Point, depth: int) -> Range | None:
        """range(n), arange(start, stop), linspace(start, stop, num): from the lower of the end points up."""
        start = argument(call, 0, "start")
        stop = argument(call, 1, "limit") or argument(call, 1, "stop")
        if stop is None:  # range(n): 0 .. n - 1
            return NONNEGATIVE
        ends = [self._range(end, at, depth) if end is not None else None for end in (start, stop)]
        if ends[0] is None:
            return None
        return Range(min(ends[0].low, ends[1].low) if ends[1] is not None else ends[0].low, INF)

    def _library(self, call: cst.Call, at: Point, depth: int) -> Range | None:
        """Functions by their (qualified) name: sizes, counts, ranges of indices, literal arrays, windows; array
        methods that keep values; module functions and methods (the hull of what they return)."""
        qualified = self.analysis.qualified_name(call.func)
        name = normalize(qualified) if qualified is not None else None
        last = (name or "").rsplit(".", 1)[-1] if name else (
            call.func.attr.value if isinstance(call.func, cst.Attribute) else
            "len" if isinstance(call.func, cst.Name) and call.func.value == "len"
            and self.binder.resolve("len", at) is None else "")  # Python's own, not shadowed
        if name in _LITERAL_ARRAYS:
            value = argument(call, 0, "value") or argument(call, 0, "object")
            return self._range(value, at, depth) if value is not None else None
        if name is not None and (name.startswith(_WINDOW_PREFIXES) and "window" in name or name in _NUMPY_WINDOWS):
            return UNIT
        if name in _FILTERBANKS:
            return NONNEGATIVE
        if name in _UNIFORM_DRAWS:
            return self._uniform(call, name, at)
        if isinstance(call.func, cst.Name) and call.func.value == "range":  # Python's own
            return self._evenly_spaced(call, at, depth)
        if (name is not None or isinstance(call.func, cst.Name)) and last in _NONNEGATIVE_RESULTS:
            return NONNEGATIVE
        if name is not None and last in _ONES:
            return Range(1.0, 1.0)
        if name is None and isinstance(call.func, cst.Attribute) and call.func.attr.value in _KEEPING_METHODS:
            return self._range(call.func.value, at, depth)
        function = self.values.called_function(call, At(at.scope, at.seq)) if name is None else None
        if function is not None and function.returns:
            return self._returns(function, depth, call, at)
        return None

    def _uniform(self, call: cst.Call, name: str, at: Point) -> Range | None:
        """A uniform draw lies between its bounds: [0, 1) by default (`np.random.uniform(size=n)`, `np.random.rand`,
        `tf.random.uniform(shape)`), the constant `low`/`minval` and `high`/`maxval` it is given, or unknown."""
        positions = _UNIFORM_DRAWS[name]
        if positions is None:
            return UNIT
        (low_at, low_name), (high_at, high_name) = positions
        bounds = []
        for position, keyword, default in ((low_at, low_name, 0.0), (high_at, high_name, 1.0)):
            given = argument(call, position, keyword)
            value = default if given is None or _is_none(given) else self.values.constant(given, At(at.scope, at.seq))
            if not isinstance(value, (int, float)):
                return None
            bounds.append(float(value))
        return Range(min(bounds), max(bounds))

    def _returns(self, function: Scope, depth: int, call: cst.Call, at: Point) -> Range | None:
        """The hull of what `function` returns when `call` (at `at`) calls it: a parameter read in a returned
        value holds what the call passes (ampligraph's `_broadcast_score_pos(clip_before_exp(s), n)`, a tile and
        reshape of its parameter, is in the clip's bounds). A function already being evaluated (recursion) reads its
        parameters as unknown."""
        returns = [(returned, At(function, END)) for returned in function.returns]
        if id(function) in self._passed:
            return self._hull_at(returns, depth)
        self._passed[id(function)] = (call, at)
        try:
            return self._hull_at(returns, depth)
        finally:
            del self._passed[id(function)]


# The parameters and imported names `of(..., project=True)` is following, in every file's analysis at once: a call
# made in another file may pass what that file's own parameter receives from a call in this one.
_FOLLOWED: set[tuple[int, str]] = set()


def _value_parts(expr: cst.BaseExpression) -> tuple[cst.BaseExpression, ...] | None:
    """What a container or an operator computes its value from: the elements, the operands, the array indexed
    (not the index: it only selects), both branches of `a if c else b` (not the test), the array of an attribute
    that rearranges it (`w.T`). None for other nodes."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        return tuple(element.value for element in expr.elements)
    if isinstance(expr, cst.UnaryOperation):
        return (expr.expression,)
    if isinstance(expr, cst.BinaryOperation):
        return (expr.left, expr.right)
    if isinstance(expr, cst.Subscript):
        return (expr.value,)
    if isinstance(expr, cst.IfExp):
        return (expr.body, expr.orelse)
    if isinstance(expr, cst.Attribute) and expr.attr.value in _REARRANGING_ATTRIBUTES:
        return (expr.value,)
    return None


def _matmul(first: Range, second: Range) -> Range | None:
    """A matrix product sums products: non-negative factors give a non-negative result, nothing else is known."""
    if first.nonnegative and second.nonnegative:
        return NONNEGATIVE
    return None


def _norm(span: Range, squares: bool) -> Range:
    """The norm of a vector whose entries are all non-zero (of one sign) is at least its smallest magnitude, unless
    it sums their `squares` and they can underflow: below sqrt(float32's smallest normal), ~1.1e-19, the sum of
    squares flushes to 0 (`tf.norm(x * x)` at x = 1e-30 is 0, and its gradient NaN): a bound below that is a
    constant folded in float64. A positive entry of unknown size (`POSITIVE_TINY`: exp, softplus) is taken as
    positive, as everywhere in the ranges."""
    smallest = span.magnitude().low if span.excludes_zero else 0.0
    underflows = squares and smallest < _SQUARE_UNDERFLOW and smallest != POSITIVE_TINY
    return Range(smallest, INF) if smallest > 0 and not underflows else NONNEGATIVE


def euclidean(order: cst.BaseExpression | None, axis: cst.BaseExpression | None) -> bool:
    """A norm's `ord=` that makes it a Euclidean (Frobenius) norm, the root of a sum of squares: the default,
    "euclidean", "fro", or 2 of a vector (of a matrix, ord=2 is its largest singular value). ord=1 or inf is a sum or
    max of |x|."""
    if order is None:
        return True
    if isinstance(order, cst.SimpleString):
        return order.evaluated_value in ("euclidean", "fro")
    return numeric_literal(order) == 2.0 and not (isinstance(axis, (cst.Tuple, cst.List)) and len(axis.elements) == 2)


# The range of `a <operator> b` from the ranges of a and b.
_COMBINE: dict[type[cst.BaseBinaryOp], Callable[[Range, Range], Range | None]] = {
    cst.Add: Range.plus, cst.Subtract: Range.minus, cst.Multiply: Range.times, cst.Divide: Range.divided_by,
    cst.MatrixMultiply: _matmul,
}
# The range of op(x) from the range of x, and the range when x's is not known.
_ELEMENTWISE: dict[Op, tuple[Callable[[Range], Range | None], Range | None]] = {
    Op.SQUARE: (Range.squared, NONNEGATIVE),
    Op.ABS: (Range.magnitude, NONNEGATIVE),
    Op.SQRT: (Range.root, NONNEGATIVE),
    Op.EXP: (Range.exp, NONNEGATIVE),
    Op.REDUCE_SUM: (Range.summed, None),
    Op.RECIPROCAL: (Range.point(1.0).divided_by, None),
}


def positive(span: Range | None) -> bool:
    return span is not None and span.low > 0


def excludes_zero(span: Range | None) -> bool:
    return span is not None and span.excludes_zero


def nonnegative(span: Range | None) -> bool:
    return span is not None and span.nonnegative and not math.isnan(span.low)


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _factors(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The factors of a chain of `*` (`-0.5 * x * x` -> -0.5, x, x), parenthesised or not."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        return _factors(expr.left) + _factors(expr.right)
    return [expr]


def _occurrence_counts_index(call: cst.Call, qualified: str) -> int | None:
    """Where the counts of each distinct value sit in what a distinct-values call returns: last of NumPy's
    `unique(x, return_index, return_inverse, return_counts=True)`, third of `tf.unique_with_counts` (y, idx,
    count). Each distinct value occurs at least once, so every count is >= 1. None for any other call (and for a
    NumPy call whose flags are not literal True/False)."""
    if qualified == "tensorflow.unique_with_counts":
        return 2
    if qualified != "numpy.unique":
        return None
    flags = []
    for position, keyword in ((1, "return_index"), (2, "return_inverse"), (3, "return_counts")):
        value = argument(call, position, keyword)
        if value is None:
            flags.append(False)
        elif isinstance(value, cst.Name) and value.value in ("True", "False"):
            flags.append(value.value == "True")
        else:
            return None
    return sum(flags[:2]) + 1 if flags[2] else None
