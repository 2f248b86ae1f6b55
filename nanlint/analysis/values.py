"""Value facts: what produced a value, followed through assignments, functions, layers and models.

`ValueFacts.of(expr, site)` answers "what is known about this expression here?" with a `Value`.
Unknown stays unknown: `Value()` claims nothing, and checks fire only on what is known to be risky.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from functools import cached_property

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.operations import Op, normalize, operation_of

_MAX_DEPTH = 12
_EVERYWHERE = 1 << 62  # a sequence number after every statement: "any assignment in that scope"
KERAS_EPSILON = 1e-7  # keras.backend.epsilon()


class Producer(enum.Enum):
    """The operation that last shaped a value, as far as numerics are concerned.

    `zero_when` is the condition under which the value is exactly 0 (None: not known to be)."""

    SIGMOID = ("sigmoid output", "x <= -87.5 in float32, x <= -17.5 in float16")
    SOFTMAX = ("softmax output", "a logit gap >= 86.75 in float32, >= 17.5 in float16")
    RELU = ("relu output", "every input <= 0")
    EXP = ("exp output", None)
    VARIANCE = ("variance", "a constant row")
    STD = ("standard deviation", "a constant row")
    NORM = ("norm", "an all-zero vector, or one below ~1e-19 in float32 where x² underflows")
    SUM = ("sum", "inputs like [1, -1] or all zeros")
    SUM_OF_SQUARES = ("sum of squares", "an all-zero input")
    COUNT = ("count", "nothing counted")
    RANGE = ("max - min range", "a constant input")
    # Squares and absolute values are 0 only where their input is: not a hazard of their own.
    SQUARE = ("square", None)
    ABS = ("absolute value", None)

    def __init__(self, label: str, zero_when: str | None) -> None:
        self.label = label
        self.zero_when = zero_when


PROBABILITIES = (Producer.SIGMOID, Producer.SOFTMAX)
NON_NEGATIVE = frozenset(
    {Producer.SIGMOID, Producer.SOFTMAX, Producer.RELU, Producer.EXP, Producer.VARIANCE, Producer.STD,
     Producer.NORM, Producer.SUM_OF_SQUARES, Producer.COUNT, Producer.RANGE, Producer.SQUARE, Producer.ABS}
)


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
    # How the value got here, innermost first: ("sigmoid()", "Model.call()") for messages.
    via: tuple[str, ...] = ()
    # For a reduction, the normalized source of what was reduced (`mask` in `reduce_sum(mask)`), and whether
    # that is itself known to reach 0.
    subject: str | None = None
    subject_can_be_zero: bool = False

    @property
    def is_probability(self) -> bool:
        return self.producer in PROBABILITIES

    @property
    def zero_when(self) -> str | None:
        """When an unguarded value is exactly 0, or None when it is not known to reach 0."""
        if self.guard is not None or self.producer is None:
            return None
        if self.complement:
            if self.producer is Producer.SIGMOID:
                return "x >= 16.75 in float32, x >= 8 in float16"
            return "one class's probability rounding to 1.0"
        return self.producer.zero_when

    def describe(self) -> str:
        """`1 - sigmoid output` / `variance`, for messages."""
        if self.producer is None:
            return "value"
        label = self.producer.label
        if self.hand_written:
            label = f"hand-written {label}"
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

_ACTIVATION_NAMES = {"sigmoid": Producer.SIGMOID, "softmax": Producer.SOFTMAX, "relu": Producer.RELU}
_OP_PRODUCERS = {
    Op.SIGMOID: Producer.SIGMOID, Op.SOFTMAX: Producer.SOFTMAX, Op.RELU: Producer.RELU, Op.EXP: Producer.EXP,
    Op.REDUCE_VARIANCE: Producer.VARIANCE, Op.REDUCE_STD: Producer.STD, Op.NORM: Producer.NORM,
    Op.COUNT_NONZERO: Producer.COUNT, Op.SQUARE: Producer.SQUARE, Op.ABS: Producer.ABS,
}
# Ops whose output has the same numerics as their first argument.
_PASS_THROUGH = {Op.CAST, Op.STOP_GRADIENT, Op.SQUEEZE, Op.RESHAPE, Op.EXPAND_DIMS}
_LAYER_PRODUCERS = {"Softmax": Producer.SOFTMAX, "ReLU": Producer.RELU}
_FUNCTIONAL_MODELS = ("keras.Model", "keras.models.Model")
_SEQUENTIAL_MODELS = ("keras.Sequential", "keras.models.Sequential")


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


def argument(call: cst.Call, position: int, keyword: str | None = None) -> cst.BaseExpression | None:
    """The argument passed at `position` or as `keyword=`, if present."""
    if keyword is not None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg.value
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if position < len(positional):
        return positional[position].value
    return None


class ValueFacts:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._active: set[tuple[int, str]] = set()

    # -- public -----------------------------------------------------------------------------
    def of(self, expr: cst.BaseExpression, site: Site) -> Value:
        return self._eval(expr, site.scope, site.seq, 0)

    def constant(self, expr: cst.BaseExpression, site: Site) -> float | None:
        """A number known statically: a literal, `keras.backend.epsilon()`, or a name bound to one."""
        return self._constant(expr, site.scope, site.seq, 0)

    def definition(self, expr: cst.BaseExpression, site: Site) -> cst.BaseExpression:
        """The expression a name was last bound to before `site` (followed through name-to-name copies)."""
        scope, seq = site.scope, site.seq
        for _ in range(_MAX_DEPTH):
            if not isinstance(expr, cst.Name):
                return expr
            binding = self._lookup(expr.value, scope, seq)
            if binding is None or not isinstance(binding[1], cst.BaseExpression):
                return expr
            scope, expr, seq = binding
        return expr

    def clip_bounds(self, expr: cst.BaseExpression, site: Site) -> tuple[float, float] | None:
        """(low, high) when `expr` is (a name bound to) `clip_by_value(x, low, high)` with constant bounds."""
        scope, seq = site.scope, site.seq
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, cst.Name):
                binding = self._lookup(expr.value, scope, seq)
                if binding is None or not isinstance(binding[1], cst.BaseExpression):
                    return None
                scope, expr, seq = binding
                continue
            if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CLIP:
                low = self._constant(argument(expr, 1, "clip_value_min"), scope, seq, 0)
                high = self._constant(argument(expr, 2, "clip_value_max"), scope, seq, 0)
                return (low, high) if low is not None and high is not None else None
            return None
        return None

    def activation_of(self, expr: cst.BaseExpression) -> Producer | None:
        """What an `activation=` argument denotes: `'sigmoid'`, `tf.nn.softmax`, `keras.activations.relu`."""
        if isinstance(expr, cst.SimpleString):
            value = expr.evaluated_value
            return _ACTIVATION_NAMES.get(value.lower()) if isinstance(value, str) else None
        op = operation_of(self.analysis.qualified_name(expr))
        return _OP_PRODUCERS.get(op) if op in (Op.SIGMOID, Op.SOFTMAX, Op.RELU) else None

    def layer_output(self, layer: cst.BaseExpression) -> Producer | None:
        """The activation a Keras layer construction expression applies to its output."""
        if not isinstance(layer, cst.Call):
            return None
        qualified = self.analysis.qualified_name(layer.func)
        if qualified is None:
            return None
        name = normalize(qualified)
        if not name.startswith("keras."):
            return None
        short = name.rsplit(".", 1)[-1]
        if short in _LAYER_PRODUCERS:
            return _LAYER_PRODUCERS[short]
        if short in ("TimeDistributed", "Bidirectional"):
            inner = argument(layer, 0, "layer")
            return self.layer_output(inner) if inner is not None else None
        if short == "Activation":
            activation = argument(layer, 0, "activation")
        elif short == "Dense":
            activation = argument(layer, 1, "activation")
        else:
            activation = argument(layer, 99, "activation")
        return self.activation_of(activation) if activation is not None else None

    def model_output(self, construction: cst.Call, scope: Scope) -> Value:
        """The output of a model built by `construction` (Sequential, functional Model, or a subclass)."""
        return self._eval_instance_call(construction, scope, 0, "model")

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
            output = self._eval_model_variable(func.value.value, call.site.scope, call.site.seq, 0)
            if output.producer is not None:
                linked[loss.value] = output.through(f"{func.value.value}.compile(loss={loss.value})")
        return linked

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
        if isinstance(expr, cst.Subscript):
            return self._eval(expr.value, scope, seq, depth)
        return UNKNOWN

    def _lookup(self, name: str, scope: Scope, seq: int):
        """(scope, assigned value, its seq) of the binding of `name` visible at `seq`, or None."""
        current: Scope | None = scope
        while current is not None:
            found, value, at = current.assignment_before(name, seq)
            if found:
                return current, value, at
            if name in current.params:
                return current, _PARAMETER, -1
            seq = _EVERYWHERE  # enclosing scopes ran before the inner function is called
            current = current.parent
        return None

    def _eval_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value:
        binding = self._lookup(name, scope, seq)
        if binding is None:
            return UNKNOWN
        where, value, at = binding
        if value is _PARAMETER:
            return self._eval_parameter(where, name, depth)
        if isinstance(value, Unpacked):
            return self._eval_unpacked(value, where, at, depth)
        if value is None:
            return UNKNOWN
        return self._eval(value, where, at, depth)

    def _eval_unpacked(self, unpacked: Unpacked, scope: Scope, seq: int, depth: int) -> Value:
        source = unpacked.source
        if isinstance(source, cst.Call) and self.analysis.op_of_call(source) is Op.MOMENTS and unpacked.index == 1:
            return Value(Producer.VARIANCE)
        return UNKNOWN

    def _eval_parameter(self, function: Scope, name: str, depth: int) -> Value:
        """A parameter is what its callers in this module pass: flagged if any caller passes a hazard.
        A loss function's `y_pred` also receives the output of the model compiled with it."""
        index = function.params.index(name)
        if function.class_name is not None:
            index -= 1  # `self`
        short = function.name.rsplit(".", 1)[-1]
        if function.class_name is None and index == 1 and short in self.compiled_losses:
            return self.compiled_losses[short]
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Name) and func.value == short and function.class_name is None):
                continue
            passed = argument(call.node, index, name)
            if passed is None:
                continue
            value = self._eval(passed, call.site.scope, call.site.seq, depth)
            if value.producer is not None:
                return value.through(f"{short}() called as {self._describe(call.node)}")
        return UNKNOWN

    def _describe(self, node: cst.CSTNode) -> str:
        code = " ".join(self.analysis.code_of(node).split())
        return code if len(code) <= 40 else code[:37] + "..."

    def _returns_of(self, function: Scope, depth: int, step: str) -> Value:
        for returned in function.returns:
            value = self._eval(returned, function, _EVERYWHERE, depth)
            if value.producer is not None:
                return value.through(step)
        return UNKNOWN

    def _eval_call(self, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        op = self.analysis.op_of_call(call)
        if op is not None:
            return self._eval_operation(op, call, scope, seq, depth)
        func = call.func
        # A layer built and applied in one expression: `Dense(1, activation="sigmoid")(x)`.
        if isinstance(func, cst.Call):
            producer = self.layer_output(func)
            return Value(producer) if producer is not None else UNKNOWN
        # `self.dense(x)` / `self.helper(x)` inside a class.
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            return self._eval_self_call(func.attr.value, scope, depth)
        if isinstance(func, cst.Attribute) and func.attr.value in ("predict", "predict_on_batch", "__call__"):
            func = func.value
        if isinstance(func, cst.Name):
            function = self.analysis.functions.get(func.value)
            if function is not None:
                return self._returns_of(function, depth, f"{func.value}()")
            return self._eval_model_variable(func.value, scope, seq, depth)
        return UNKNOWN

    def _eval_self_call(self, attr: str, scope: Scope, depth: int) -> Value:
        owner: Scope | None = scope
        while owner is not None and owner.class_name is None:
            owner = owner.parent
        if owner is None:
            return UNKNOWN
        info = self.analysis.classes[owner.class_name]
        method = info.methods.get(attr)
        if method is not None:
            return self._returns_of(method, depth, f"{method.name}()")
        for _, stored in self.analysis.module_scope.assignments.get(f"{info.name}.self.{attr}", ()):
            producer = self.layer_output(stored) if isinstance(stored, cst.Call) else None
            if producer is not None:
                return Value(producer, via=(f"self.{attr}",))
        return UNKNOWN

    def _eval_model_variable(self, name: str, scope: Scope, seq: int, depth: int) -> Value:
        """A model or layer instance called like a function: `model(x)`."""
        binding = self._lookup(name, scope, seq)
        if binding is None:
            return UNKNOWN
        where, bound, _ = binding
        if isinstance(bound, cst.Call):
            return self._eval_instance_call(bound, where, depth, name)
        return UNKNOWN

    def _eval_instance_call(self, construction: cst.Call, scope: Scope, depth: int, name: str) -> Value:
        func = construction.func
        if isinstance(func, cst.Name) and func.value in self.analysis.classes:
            method = self.analysis.classes[func.value].methods.get("call")
            if method is not None:
                return self._returns_of(method, depth, f"{name}(...) -> {method.name}()")
            return UNKNOWN
        if isinstance(func, cst.Name) and func.value in self.analysis.functions:
            # a model built by a helper: `model = build_model()`
            for returned in self.analysis.functions[func.value].returns:
                if isinstance(returned, cst.Name):
                    value = self._eval_model_variable(returned.value, self.analysis.functions[func.value], _EVERYWHERE, depth + 1)
                elif isinstance(returned, cst.Call):
                    value = self._eval_instance_call(returned, self.analysis.functions[func.value], depth + 1, name)
                else:
                    continue
                if value.producer is not None:
                    return value.through(f"{func.value}()")
            return UNKNOWN
        qualified = self.analysis.qualified_name(func)
        normalized = normalize(qualified) if qualified else None
        if normalized in _SEQUENTIAL_MODELS:
            layers = argument(construction, 0, "layers")
            if isinstance(layers, (cst.List, cst.Tuple)) and layers.elements:
                producer = self.layer_output(layers.elements[-1].value)
                if producer is not None:
                    return Value(producer, via=(f"{name}(...) (last layer of the Sequential)",))
            return UNKNOWN
        if normalized in _FUNCTIONAL_MODELS:
            outputs = argument(construction, 1, "outputs")
            if outputs is not None:
                value = self._eval(outputs, scope, _EVERYWHERE, depth + 1)
                if value.producer is not None:
                    return value.through(f"{name}(...) (output of the functional model)")
            return UNKNOWN
        producer = self.layer_output(construction)
        return Value(producer, via=(f"{name}(...)",)) if producer is not None else UNKNOWN

    def _eval_operation(self, op: Op, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        first = argument(call, 0, "x")
        if first is None:
            first = argument(call, 0, "input_tensor") or argument(call, 0, "t") or argument(call, 0, "tensor")
        if op is Op.REDUCE_SUM or op is Op.REDUCE_MEAN:
            inner = self._eval(first, scope, seq, depth) if first is not None else UNKNOWN
            if inner.producer is Producer.SQUARE and inner.guard is None:
                return Value(Producer.SUM_OF_SQUARES)
            if op is Op.REDUCE_SUM and inner.producer not in PROBABILITIES and inner.producer is not Producer.EXP:
                return Value(Producer.SUM, subject=" ".join(self.analysis.code_of(first).split()),
                             subject_can_be_zero=inner.zero_when is not None)
            return UNKNOWN
        if op in _OP_PRODUCERS:
            return Value(_OP_PRODUCERS[op])
        if first is None:
            return UNKNOWN
        if op is Op.SQRT:
            return self._root_of(self._eval(first, scope, seq, depth))
        if op is Op.CLIP:
            floor = self._constant(argument(call, 1, "clip_value_min"), scope, seq, depth)
            return replace(self._eval(first, scope, seq, depth), guard=Guard.CLIPPED, epsilon=floor)
        if op is Op.MAXIMUM:
            other = argument(call, 1, "y")
            floor = self._constant(other, scope, seq, depth) if other is not None else None
            if floor is None:
                floor = self._constant(first, scope, seq, depth)
                first = other
            if floor is None or floor <= 0 or first is None:
                return UNKNOWN
            return replace(self._eval(first, scope, seq, depth), guard=Guard.MAXIMUM, epsilon=floor)
        if op in _PASS_THROUGH:
            return self._eval(first, scope, seq, depth)
        return UNKNOWN

    def _root_of(self, inner: Value) -> Value:
        """sqrt of a variance is a std; sqrt of a sum of squares is a norm."""
        if inner.guard is not None:
            return UNKNOWN
        if inner.producer is Producer.VARIANCE:
            return Value(Producer.STD)
        if inner.producer is Producer.SUM_OF_SQUARES:
            return Value(Producer.NORM)
        return UNKNOWN

    def _constant(self, expr: cst.BaseExpression | None, scope: Scope, seq: int, depth: int) -> float | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        literal = numeric_literal(expr)
        if literal is not None:
            return literal
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.EPSILON:
            return KERAS_EPSILON
        if isinstance(expr, cst.Name):
            binding = self._lookup(expr.value, scope, seq)
            if binding is not None and isinstance(binding[1], cst.BaseExpression):
                return self._constant(binding[1], binding[0], binding[2], depth + 1)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract, cst.Multiply)):
            left = self._constant(expr.left, scope, seq, depth + 1)
            right = self._constant(expr.right, scope, seq, depth + 1)
            if left is not None and right is not None:
                if isinstance(expr.operator, cst.Add):
                    return left + right
                if isinstance(expr.operator, cst.Subtract):
                    return left - right
                return left * right
        return None

    def _eval_binary(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        operator = expr.operator
        if isinstance(operator, cst.Subtract):
            if numeric_literal(expr.left) == 1.0:
                right = self._eval(expr.right, scope, seq, depth)
                if right.is_probability and not right.complement:
                    return replace(right, complement=True, guard=None if right.guard is Guard.EPSILON_ADDED else right.guard)
                return UNKNOWN
            ops = {self.analysis.op_of_call(side) for side in (expr.left, expr.right) if isinstance(side, cst.Call)}
            if ops == {Op.REDUCE_MAX, Op.REDUCE_MIN}:
                return Value(Producer.RANGE)
            return UNKNOWN
        if isinstance(operator, cst.Add):
            for value_side, other in ((expr.left, expr.right), (expr.right, expr.left)):
                epsilon = self._constant(other, scope, seq, depth)
                if epsilon is not None:
                    value = self._eval(value_side, scope, seq, depth)
                    if value.producer is None:
                        return UNKNOWN
                    if epsilon > 0:
                        return replace(value, guard=Guard.EPSILON_ADDED, epsilon=epsilon)
                    return value
            return self._probability_mixture(expr, scope, seq, depth)
        if isinstance(operator, cst.Power):
            exponent = numeric_literal(expr.right)
            if exponent == 2:
                return Value(Producer.SQUARE)
            if exponent == 0.5:
                return self._root_of(self._eval(expr.left, scope, seq, depth))
            return UNKNOWN
        if isinstance(operator, cst.Multiply):
            if isinstance(expr.left, cst.Name) and isinstance(expr.right, cst.Name) and expr.left.value == expr.right.value:
                return Value(Producer.SQUARE)
            # a product is 0 wherever one factor is (`norm(a) * norm(b)`); it is no longer a probability
            for side in (expr.left, expr.right):
                value = self._eval(side, scope, seq, depth)
                if value.zero_when is not None and not value.is_probability:
                    return value
            return UNKNOWN
        if isinstance(operator, cst.Divide):
            return self._hand_written_squash(expr, scope, seq, depth)
        return UNKNOWN

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
        squash = hand_written_squash(self.analysis, expr, lambda e: self._is_exp(e, scope, seq, depth))
        return Value(squash, hand_written=True) if squash is not None else UNKNOWN

    def _is_exp(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> bool:
        return self._eval(expr, scope, seq, depth).producer is Producer.EXP


def hand_written_squash(analysis: ModuleAnalysis, expr: cst.BinaryOperation, is_exp) -> Producer | None:
    """Recognize a division that spells out a sigmoid or a softmax by hand."""
    denominator = expr.right
    if isinstance(denominator, cst.BinaryOperation) and isinstance(denominator.operator, cst.Add):
        if numeric_literal(denominator.left) == 1.0 and is_exp(denominator.right):
            if numeric_literal(expr.left) == 1.0 or is_exp(expr.left):
                return Producer.SIGMOID
    if isinstance(denominator, cst.Call) and analysis.op_of_call(denominator) is Op.REDUCE_SUM:
        summed = argument(denominator, 0, "input_tensor")
        if summed is not None and is_exp(summed) and is_exp(expr.left):
            return Producer.SOFTMAX
    return None


class _Parameter:
    """Marks a name bound as a function parameter."""


_PARAMETER = _Parameter()
