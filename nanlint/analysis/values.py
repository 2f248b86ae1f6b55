"""Value facts: what produced a value, followed through assignments, functions, layers and models.

`ValueFacts.of(expr, site)` answers "what is known about this expression here?" with a `Value`.
Unknown stays unknown: `Value()` claims nothing, and checks fire only on what is known to be risky.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.operations import Op, normalize, operation_of

_MAX_DEPTH = 12


class Producer(enum.Enum):
    """The operation that last shaped a value, as far as numerics are concerned."""

    SIGMOID = "sigmoid"
    SOFTMAX = "softmax"
    RELU = "relu"
    EXP = "exp"


class Guard(enum.Enum):
    """How a value was kept away from 0 (or from 1)."""

    EPSILON_ADDED = "epsilon added"
    CLIPPED = "clipped"
    MAXIMUM = "maximum with a floor"


@dataclass(frozen=True)
class Value:
    producer: Producer | None = None
    # `1 - p`: the complement of a probability (reaches 0 where p rounds to 1).
    complement: bool = False
    # sigmoid/softmax spelled out by hand (`1/(1+exp(-x))`), not the library op.
    hand_written: bool = False
    guard: Guard | None = None
    # How the value got here, outermost last: ("Model.call", "model(x)") for messages.
    via: tuple[str, ...] = ()

    @property
    def is_probability(self) -> bool:
        return self.producer in (Producer.SIGMOID, Producer.SOFTMAX)

    def through(self, step: str) -> Value:
        if not self.producer or step in self.via:
            return self
        return replace(self, via=(*self.via, step))


UNKNOWN = Value()

_ACTIVATION_NAMES = {"sigmoid": Producer.SIGMOID, "softmax": Producer.SOFTMAX, "relu": Producer.RELU}
_OP_PRODUCERS = {Op.SIGMOID: Producer.SIGMOID, Op.SOFTMAX: Producer.SOFTMAX, Op.RELU: Producer.RELU, Op.EXP: Producer.EXP}
_LAYER_PRODUCERS = {"Softmax": Producer.SOFTMAX, "ReLU": Producer.RELU}
_MODEL_CLASSES = {"keras.Model", "keras.models.Model", "keras.Sequential", "keras.models.Sequential"}


def numeric_literal(expr: cst.BaseExpression) -> float | None:
    """The value of a numeric literal (`1`, `1.0`, `1e-7`, `-3`), else None."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return float(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = numeric_literal(expr.expression)
        return -inner if inner is not None else None
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

    def activation_of(self, expr: cst.BaseExpression) -> Producer | None:
        """What an `activation=` argument denotes: `'sigmoid'`, `tf.nn.softmax`, `keras.activations.relu`."""
        if isinstance(expr, cst.SimpleString):
            return _ACTIVATION_NAMES.get(expr.evaluated_value.lower() if isinstance(expr.evaluated_value, str) else "")
        op = operation_of(self.analysis.qualified_name(expr))
        return _OP_PRODUCERS.get(op) if op is not None else None

    def layer_output(self, layer: cst.BaseExpression) -> Producer | None:
        """The activation a Keras layer construction expression applies to its output."""
        if not isinstance(layer, cst.Call):
            return None
        qualified = self.analysis.qualified_name(layer.func)
        if qualified is None:
            return None
        name = normalize(qualified)
        short = name.rsplit(".", 1)[-1]
        if not name.startswith("keras."):
            return None
        if short in _LAYER_PRODUCERS:
            return _LAYER_PRODUCERS[short]
        if short == "Activation":
            activation = argument(layer, 0, "activation")
        elif short == "TimeDistributed":
            inner = argument(layer, 0, "layer")
            return self.layer_output(inner) if inner is not None else None
        else:
            activation = argument(layer, 1, "activation") if short in ("Dense",) else argument(layer, 99, "activation")
        return self.activation_of(activation) if activation is not None else None

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
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            return self._eval_self_attribute(expr.attr.value, scope, depth)
        return UNKNOWN

    def _eval_assigned(self, value, scope: Scope, seq: int, depth: int) -> Value:
        if value is None or isinstance(value, Unpacked):
            return UNKNOWN
        return self._eval(value, scope, seq, depth)

    def _eval_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value:
        current: Scope | None = scope
        while current is not None:
            found, value, at = current.assignment_before(name, seq)
            if found:
                return self._eval_assigned(value, current, at, depth)
            if name in current.params:
                return self._eval_parameter(current, name, depth)
            # enclosing scopes: any assignment (they ran before the inner function is called)
            seq = 1 << 62
            current = current.parent
        return UNKNOWN

    def _eval_parameter(self, function: Scope, name: str, depth: int) -> Value:
        """A parameter is what its callers in this module pass: flagged if any caller passes a hazard."""
        index = function.params.index(name)
        if function.class_name is not None:
            index -= 1  # `self`
        short = function.name.rsplit(".", 1)[-1]
        for call in self.analysis.calls:
            func = call.node.func
            if not (isinstance(func, cst.Name) and func.value == short and function.class_name is None):
                continue
            passed = argument(call.node, index, name)
            if passed is None:
                continue
            value = self._eval(passed, call.site.scope, call.site.seq, depth)
            if value.producer is not None:
                return value.through(f"{short}() called at {self._describe(call.node)}")
        return UNKNOWN

    def _describe(self, node: cst.CSTNode) -> str:
        code = self.analysis.code_of(node)
        return code if len(code) <= 40 else code[:37] + "..."

    def _eval_self_attribute(self, attr: str, scope: Scope, depth: int) -> Value:
        return UNKNOWN

    def _returns_of(self, function: Scope, depth: int, step: str) -> Value:
        for returned in function.returns:
            value = self._eval(returned, function, 1 << 62, depth)
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
        # `self.dense(x)` inside a class: the layer stored on self in __init__.
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            class_name = scope.class_name or (scope.parent.class_name if scope.parent else None)
            if class_name is not None:
                method = self.analysis.classes[class_name].methods.get(func.attr.value)
                if method is not None:
                    return self._returns_of(method, depth, f"{method.name}()")
                for _, stored in self.analysis.module_scope.assignments.get(f"{class_name}.self.{func.attr.value}", ()):
                    producer = self.layer_output(stored) if stored is not None else None
                    if producer is not None:
                        return Value(producer, via=(f"self.{func.attr.value}",))
            return UNKNOWN
        if isinstance(func, cst.Attribute) and func.attr.value in ("predict", "predict_on_batch", "__call__"):
            func = func.value
        if isinstance(func, cst.Name):
            return self._eval_callable_name(func.value, scope, seq, depth)
        return UNKNOWN

    def _eval_callable_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value:
        function = self.analysis.functions.get(name)
        if function is not None:
            return self._returns_of(function, depth, f"{name}()")
        # A model or layer instance called like a function: `model(x)`.
        current: Scope | None = scope
        while current is not None:
            found, bound, _ = current.assignment_before(name, seq)
            if found:
                if isinstance(bound, cst.Call):
                    return self._eval_instance_call(bound, current, depth, name)
                return UNKNOWN
            seq = 1 << 62
            current = current.parent
        return UNKNOWN

    def _eval_instance_call(self, construction: cst.Call, scope: Scope, depth: int, name: str) -> Value:
        func = construction.func
        if isinstance(func, cst.Name) and func.value in self.analysis.classes:
            method = self.analysis.classes[func.value].methods.get("call")
            if method is not None:
                return self._returns_of(method, depth, f"{name}(...) -> {method.name}()")
            return UNKNOWN
        qualified = self.analysis.qualified_name(func)
        if qualified is not None and normalize(qualified) in ("keras.Sequential", "keras.models.Sequential"):
            layers = argument(construction, 0, "layers")
            if isinstance(layers, (cst.List, cst.Tuple)) and layers.elements:
                producer = self.layer_output(layers.elements[-1].value)
                if producer is not None:
                    return Value(producer, via=(f"{name}(...) (last layer of the Sequential)",))
            return UNKNOWN
        producer = self.layer_output(construction)
        return Value(producer, via=(f"{name}(...)",)) if producer is not None else UNKNOWN

    def _eval_operation(self, op: Op, call: cst.Call, scope: Scope, seq: int, depth: int) -> Value:
        if op in _OP_PRODUCERS:
            return Value(_OP_PRODUCERS[op])
        first = argument(call, 0, "x") or argument(call, 0, "t")
        if first is None:
            return UNKNOWN
        if op is Op.CLIP:
            return replace(self._eval(first, scope, seq, depth), guard=Guard.CLIPPED)
        if op is Op.MAXIMUM:
            return replace(self._eval(first, scope, seq, depth), guard=Guard.MAXIMUM)
        if op in (Op.CAST,):
            return self._eval(first, scope, seq, depth)
        return UNKNOWN

    def _eval_binary(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        operator = expr.operator
        if isinstance(operator, cst.Subtract) and numeric_literal(expr.left) == 1.0:
            right = self._eval(expr.right, scope, seq, depth)
            if right.is_probability and not right.complement:
                return replace(right, complement=True)
            return UNKNOWN
        if isinstance(operator, cst.Add):
            left = self._eval(expr.left, scope, seq, depth)
            right = self._eval(expr.right, scope, seq, depth)
            if left.producer is not None and right.producer is None:
                return replace(left, guard=Guard.EPSILON_ADDED)
            if right.producer is not None and left.producer is None:
                return replace(right, guard=Guard.EPSILON_ADDED)
            return UNKNOWN
        if isinstance(operator, cst.Divide):
            return self._hand_written_squash(expr, scope, seq, depth)
        return UNKNOWN

    def _hand_written_squash(self, expr: cst.BinaryOperation, scope: Scope, seq: int, depth: int) -> Value:
        """`1 / (1 + exp(-x))`, `exp(x) / (1 + exp(x))` are sigmoids; `exp(x) / sum(exp(x))` a softmax."""
        denominator = expr.right
        if isinstance(denominator, cst.BinaryOperation) and isinstance(denominator.operator, cst.Add):
            if numeric_literal(denominator.left) == 1.0 and self._is_exp(denominator.right, scope, seq, depth):
                numerator_is_one = numeric_literal(expr.left) == 1.0
                if numerator_is_one or self._is_exp(expr.left, scope, seq, depth):
                    return Value(Producer.SIGMOID, hand_written=True)
        if isinstance(denominator, cst.Call) and self.analysis.op_of_call(denominator) is Op.REDUCE_SUM:
            summed = argument(denominator, 0, "input_tensor")
            if summed is not None and self._is_exp(summed, scope, seq, depth) and self._is_exp(expr.left, scope, seq, depth):
                return Value(Producer.SOFTMAX, hand_written=True)
        return UNKNOWN

    def _is_exp(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> bool:
        return self._eval(expr, scope, seq, depth).producer is Producer.EXP

