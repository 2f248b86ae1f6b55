"""Which float precision a piece of code runs in: float16 under a `mixed_float16` policy, or where the
function casts to / builds with float16; float32 otherwise. Precision rules size epsilons with it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Scope, Site
from nanlint.analysis.operations import Op, normalize
from nanlint.analysis.values import argument, keyword

_FLOAT16_NAMES = ("tensorflow.float16", "tensorflow.half", "numpy.float16", "keras.float16")


@dataclass(frozen=True)
class Float:
    """The limits of one float type that the rules reason with."""

    name: str
    # Smallest positive value that survives (TensorFlow flushes float32 denormals; float16 keeps them).
    smallest: float
    # Relative spacing at 1.0 over 2: `1 + eps == 1` for eps below it.
    half_ulp_at_one: float
    max: float

    @property
    def exp_overflow(self) -> float:
        """The argument above which exp() is Inf: ln(max), 88.72 in float32, 11.09 in float16."""
        return math.log(self.max)


FLOAT32 = Float("float32", 1.1754944e-38, 5.9604645e-08, 3.4028235e38)
FLOAT16 = Float("float16", 2.9802322e-08, 4.8828125e-04, 65504.0)


def _dtype_reads(node: cst.CSTNode) -> list[cst.Attribute]:
    """Every `x.dtype` in a function body, nested functions included."""
    found: list[cst.Attribute] = []

    class _Reads(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if attribute.attr.value == "dtype":
                found.append(attribute)

    node.visit(_Reads())
    return found


def is_float16(analysis: ModuleAnalysis, expr: cst.BaseExpression | None) -> bool:
    if expr is None:
        return False
    if isinstance(expr, cst.SimpleString):
        return expr.evaluated_value in ("float16", "mixed_float16", "half")
    qualified = analysis.qualified_name(expr)
    return qualified is not None and normalize(qualified) in _FLOAT16_NAMES


class Precision:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._input_dtypes: dict[str, str | None] = {}

    @cached_property
    def global_float16(self) -> str | None:
        """Where a module-level mixed_float16/float16 policy is set, as text for messages."""
        for call in self.analysis.calls_of(Op.SET_GLOBAL_POLICY):
            policy = argument(call.node, 0, "policy")
            if isinstance(policy, cst.Call) and self.analysis.op_of_call(policy) is Op.DTYPE_POLICY:
                policy = argument(policy, 0, "name")
            if is_float16(self.analysis, policy):
                named = policy.evaluated_value if isinstance(policy, cst.SimpleString) else None
                return f"the {named if isinstance(named, str) else 'float16'} policy set in this module"
        return None

    @cached_property
    def _float16_scopes(self) -> dict[str, str]:
        """Functions that cast to float16 or build float16 layers/tensors."""
        found: dict[str, str] = {}
        for call in self.analysis.calls:
            dtype = argument(call.node, 1, "dtype") if call.op is Op.CAST else keyword(call.node, "dtype")
            if is_float16(self.analysis, dtype):
                found.setdefault(call.site.scope.name, "a float16 cast or dtype in this function")
        return found

    def input_dtype(self, site: Site) -> str | None:
        """`inputs.dtype` when the function at `site` (or one enclosing it) reads a parameter's dtype
        (`dtype = inputs.dtype.base_dtype`): it is written to run in whatever float type it is given, float16
        included. Only asked about rare tiny epsilons, so each function body is walked on demand."""
        scope: Scope | None = site.scope
        while scope is not None and scope.name:
            if scope.name not in self._input_dtypes:
                self._input_dtypes[scope.name] = next(
                    (f"{read.value.value}.dtype" for read in _dtype_reads(scope.node)
                     if isinstance(read.value, cst.Name) and read.value.value in scope.params), None)
            if self._input_dtypes[scope.name]:
                return self._input_dtypes[scope.name]
            scope = scope.parent
        return None

    def float_at(self, site: Site) -> tuple[Float, str | None]:
        """The float type in force at `site`, and why when it is float16."""
        if self.global_float16:
            return FLOAT16, self.global_float16
        scope: Scope | None = site.scope
        while scope is not None:
            if scope.name in self._float16_scopes:
                return FLOAT16, self._float16_scopes[scope.name]
            scope = scope.parent
        return FLOAT32, None
