"""The measured numerics of operations: one table, one source of truth.

Every number a rule or a message uses about where an operation leaves the finite, reaches an exact value or
saturates lives here, with the measurement that produced it: exp/expm1/sinh/cosh overflow, exp's and softplus'
underflow to exactly 0, sigmoid reaching exactly 0 and 1, tanh reaching exactly ±1, a softmax entry reaching exactly
0, log_sigmoid reaching exactly 0, the unsafe domains of log/log1p/sqrt/rsqrt/reciprocal/pow/acos/asin/atanh/
lgamma/digamma/erfinv for the value and for the gradient separately, and the limits of each float type (its largest
value, the smallest that survives, `1 + eps == 1`).

How the points were measured (TensorFlow 2.21 CPU, NumPy 2; `bench/measure_numerics.py` re-measures every one and
`tests/test_numerics.py::test_the_table_is_what_tensorflow_computes` fails when one moves): the operation is applied,
in the point's dtype, to the grid 0, ±step, ±2·step, ... going outwards on the point's side, and the point is the
first grid input at which the event holds (and it holds from there on, checked over the rest of the scan). Each
point keeps its step: `at` is exact on that grid, so a message that says "x <= -87.5" is true for every x it names.
A symmetric event (tanh reaching ±1, sinh and cosh overflowing) is scanned on x >= 0 and holds for |x| >= at.

Nothing here imports TensorFlow or NumPy: the linting path reads the table only.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

# The dtypes of the table, by name: TensorFlow's "float16", "bfloat16", "float32", "float64" (it flushes float32 and
# float64 subnormals on CPU: an exp below the smallest normal is 0), and NumPy's "numpy.float32", "numpy.float64"
# (which keeps them) where the two differ.
TF_DTYPES = ("float16", "bfloat16", "float32", "float64")
NUMPY_DTYPES = ("numpy.float32", "numpy.float64")


class Event(enum.Enum):
    """What happens to an operation's value past a point: (operation, what, side, symmetric).

    side +1: the event holds for x >= at; -1: for x <= at. symmetric: scanned on x >= 0, holds for |x| >= at."""

    EXP_INF = ("exp", "is +Inf", 1, False)
    EXP_ZERO = ("exp", "is exactly 0", -1, False)
    EXPM1_INF = ("expm1", "is +Inf", 1, False)
    EXPM1_MINUS_ONE = ("expm1", "is exactly -1", -1, False)  # 1 + expm1(x) == 0, log1p(expm1(x)) == -Inf
    SINH_INF = ("sinh", "is ±Inf", 1, True)
    COSH_INF = ("cosh", "is +Inf", 1, True)
    SOFTPLUS_ZERO = ("softplus", "is exactly 0", -1, False)
    LOG_SIGMOID_ZERO = ("log_sigmoid", "is exactly 0", 1, False)
    SIGMOID_ZERO = ("sigmoid", "is exactly 0", -1, False)
    SIGMOID_ONE = ("sigmoid", "is exactly 1", 1, False)
    TANH_ONE = ("tanh", "is exactly ±1", 1, True)
    # softmax([0, -gap])[1]: the entry `gap` below the largest logit
    SOFTMAX_ZERO = ("softmax", "an entry `gap` below the largest is exactly 0", 1, False)

    def __init__(self, op: str, what: str, side: int, symmetric: bool) -> None:
        self.op = op
        self.what = what
        self.side = side
        self.symmetric = symmetric


@dataclass(frozen=True)
class Point:
    """One measured point: `event` holds, in `dtype`, for inputs at `at` and beyond (on the event's side)."""

    event: Event
    dtype: str
    at: float
    step: float  # the scan's grid spacing: from `at` on, the event holds at every grid input
    # Where the kernel is not monotone (TensorFlow's float64 sigmoid is 1 at 36.9, not at 37.4, and 1 from 37.5 on):
    # the first grid input where the event holds at all.
    first: float | None = None

    @property
    def earliest(self) -> float:
        """The first input where the event can hold: `first` where the kernel is not monotone, else `at`."""
        return self.first if self.first is not None else self.at

    def condition(self, variable: str = "x", decimals: int | None = None) -> str:
        """`x <= -87.5`, `|x| >= 7.91`: the inputs where the event holds, as a message says it."""
        shown = f"{self.at:.{decimals}f}" if decimals is not None else f"{self.at:g}"
        if self.event.symmetric:
            return f"|{variable}| >= {shown}"
        return f"{variable} {'>=' if self.event.side > 0 else '<='} {shown}".lstrip()


def _points(event: Event, step: float, **at: float | tuple[float, float]) -> dict[tuple[Event, str], Point]:
    """The points of one event, one per dtype (keyword `numpy_float32` for "numpy.float32"); a pair is (at, first)
    for a kernel that is not monotone."""
    found = {}
    for keyword, value in at.items():
        dtype = keyword.replace("numpy_", "numpy.")
        held, first = value if isinstance(value, tuple) else (value, None)
        found[(event, dtype)] = Point(event, dtype, held, step, first)
    return found


# The table. Steps: 0.25 where the facts were first measured on that grid (numerics-facts.md), finer where a message
# needs the digits (tanh's kernel clamp, the exp limits that rules compare bounds with).
POINTS: dict[tuple[Event, str], Point] = {
    **_points(Event.EXP_INF, 1e-3, float16=11.09, bfloat16=88.75, float32=88.723, float64=709.783,
              numpy_float32=88.723, numpy_float64=709.783),
    **_points(Event.EXP_ZERO, 1e-3, float16=-17.336, bfloat16=-87.251, float32=-87.337, float64=-708.397,
              numpy_float32=-103.973, numpy_float64=-745.134),
    **_points(Event.EXPM1_INF, 1e-3, float16=11.09, bfloat16=88.75, float32=88.723, float64=709.783),
    **_points(Event.EXPM1_MINUS_ONE, 1e-3, float16=-8.317, bfloat16=-6.235, float32=(-17.329, -15.724),
              float64=-37.43),
    **_points(Event.SINH_INF, 1e-3, float16=11.786, bfloat16=89.251, float32=89.416, float64=710.476),
    **_points(Event.COSH_INF, 1e-3, float16=11.786, bfloat16=89.251, float32=89.416, float64=710.476),
    **_points(Event.SOFTPLUS_ZERO, 1e-3, float16=-17.336, bfloat16=-87.251, float32=-87.337, float64=-708.397),
    **_points(Event.LOG_SIGMOID_ZERO, 1e-3, float16=17.336, bfloat16=87.251, float32=87.337, float64=708.397),
    **_points(Event.SIGMOID_ZERO, 0.25, float16=-17.5, bfloat16=-87.5, float32=-87.5),
    **_points(Event.SIGMOID_ZERO, 0.1, float64=-708.4),
    **_points(Event.SIGMOID_ONE, 0.25, float16=8.0, bfloat16=6.0, float32=16.75),
    **_points(Event.SIGMOID_ONE, 0.1, float64=(37.5, 36.9)),
    # TensorFlow's float32 kernel clamps (Eigen's rational approximation); a correctly rounded tanh is ±1 only from
    # `correctly_rounded_tanh_one` (9.01 in float32); NumPy's float32 tanh from 10, its float64 from 19
    **_points(Event.TANH_ONE, 0.01, float16=4.51, bfloat16=3.47, float32=7.91, float64=17.72, numpy_float32=10.0,
              numpy_float64=19.0),
    **_points(Event.SOFTMAX_ZERO, 0.25, float16=17.5, bfloat16=86.75, float32=86.75),
    **_points(Event.SOFTMAX_ZERO, 0.1, float64=708.4),
}


# The operations that overflow to Inf past a point, by the name the operation table gives them (Op.value).
OVERFLOWS: dict[str, Event] = {"exp": Event.EXP_INF, "expm1": Event.EXPM1_INF, "sinh": Event.SINH_INF,
                               "cosh": Event.COSH_INF}


def point(event: Event, dtype: str) -> Point:
    """The measured point of `event` in `dtype` (KeyError where the table has none)."""
    return POINTS[(event, dtype)]


def when(event: Event, dtypes: tuple[str, ...] = ("float32", "float16"), variable: str = "x",
         decimals: int | None = None, names: dict[str, str] | None = None) -> str:
    """`x <= -87.5 in float32, x <= -17.5 in float16`: where the event holds, dtype by dtype, for messages (with
    `variable=""`: `>= 86.75 in float32, >= 17.5 in float16`). `names` renames a dtype in the text (NumPy's:
    `{"numpy.float32": "NumPy's float32"}`)."""
    shown = names or {}
    return ", ".join(f"{point(event, dtype).condition(variable, decimals)} in {shown.get(dtype, dtype)}"
                     for dtype in dtypes)


# -- unsafe domains --------------------------------------------------------------------------------------------------

class Outcome(enum.Enum):
    """What an evaluation gives, as the measurement classifies it."""

    FINITE = "finite"
    INF = "+Inf"
    MINUS_INF = "-Inf"
    NAN = "NaN"


@dataclass(frozen=True)
class Domain:
    """An operation evaluated at one input of its unsafe domain (float32, TF 2.21 CPU): the value and the gradient
    (d/dx of the op's sum, through tf.GradientTape) it gives there."""

    op: str  # the operation as TensorFlow names it under tf.math ("log", "pow(x, 0.5)")
    x: float
    value: Outcome
    gradient: Outcome


_F, _I, _MI, _N = Outcome.FINITE, Outcome.INF, Outcome.MINUS_INF, Outcome.NAN
DOMAINS: tuple[Domain, ...] = (
    Domain("log", 0.0, _MI, _I), Domain("log", -1.0, _N, _F),
    Domain("log1p", -1.0, _MI, _I), Domain("log1p", -2.0, _N, _F),
    Domain("sqrt", 0.0, _F, _I), Domain("sqrt", -1.0, _N, _N),
    Domain("rsqrt", 0.0, _I, _MI), Domain("rsqrt", -1.0, _N, _N),
    Domain("reciprocal", 0.0, _I, _MI),
    Domain("pow(x, 0.5)", 0.0, _F, _I), Domain("pow(x, 0.5)", -1.0, _N, _N),
    Domain("acos", 1.0, _F, _MI), Domain("acos", -1.0, _F, _MI), Domain("acos", 1.5, _N, _N),
    Domain("asin", 1.0, _F, _I), Domain("asin", -1.0, _F, _I), Domain("asin", 1.5, _N, _N),
    Domain("atanh", 1.0, _I, _I), Domain("atanh", -1.0, _MI, _I), Domain("atanh", 1.5, _N, _F),
    Domain("erfinv", 1.0, _I, _I), Domain("erfinv", -1.0, _MI, _I), Domain("erfinv", 1.5, _N, _N),
    Domain("lgamma", 0.0, _I, _N), Domain("lgamma", -1.0, _I, _N), Domain("lgamma", -2.0, _I, _N),
    Domain("digamma", 0.0, _N, _I), Domain("digamma", -1.0, _N, _I),
)


def domain(op: str, x: float) -> Domain:
    """The measured behaviour of `op` at `x` (KeyError where the table has none)."""
    for found in DOMAINS:
        if found.op == op and found.x == x:
            return found
    raise KeyError((op, x))


# -- the float types -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Float:
    """The limits of one float type that the rules reason with, and where its exp overflows and underflows."""

    name: str  # as messages name it
    key: str  # its dtype in the table (NumPy's float64 is "numpy.float64": it keeps subnormals)
    # The smallest magnitude that survives: just above it a value is kept, below half of it a value is 0 (TensorFlow
    # flushes float32/float64 subnormals, so this is the smallest normal; float16 keeps them, and this is half its
    # smallest subnormal, itself rounding to 0; NumPy keeps subnormals: its smallest subnormal).
    smallest: float
    # Relative spacing at 1.0 over 2: `1 + eps == 1` for eps at or below it (ties round to even).
    half_ulp_at_one: float
    max: float

    def overflow(self, op: str) -> float:
        """The argument (its magnitude, for sinh and cosh) from which `op` is Inf: its OVERFLOWS point."""
        return point(OVERFLOWS[op], self.key).at

    @property
    def exp_overflow(self) -> float:
        """The argument from which exp() is Inf: 88.72 in float32, 11.09 in float16 (the table's EXP_INF)."""
        return point(Event.EXP_INF, self.key).at

    @property
    def exp_underflow(self) -> float:
        """The argument from which exp() is exactly 0 (the table's EXP_ZERO): -87.34 in TensorFlow's float32
        (subnormals flushed; NumPy keeps them, to -103.97), -17.33 in float16, -745.13 in NumPy's float64."""
        return point(Event.EXP_ZERO, self.key).at


FLOAT32 = Float("float32", "float32", 1.1754944e-38, 5.9604645e-08, 3.4028235e38)
FLOAT16 = Float("float16", "float16", 2.9802322e-08, 4.8828125e-04, 65504.0)
BFLOAT16 = Float("bfloat16", "bfloat16", 1.1754944e-38, 3.90625e-03, 3.3895314e38)
# TensorFlow's float64: subnormals flushed, as float32's
TF_FLOAT64 = Float("float64", "float64", 2.2250738585072014e-308, 1.1102230246251565e-16, 1.7976931348623157e308)
# NumPy's default (the rules' FLOAT64: NumPy code computes in it): it keeps subnormals, so the smallest value that
# survives is its smallest subnormal.
FLOAT64 = Float("float64", "numpy.float64", 4.9406564584124654e-324, 1.1102230246251565e-16, 1.7976931348623157e308)
# A NumPy float32 array: NumPy keeps float32 subnormals too.
NUMPY_FLOAT32 = Float("float32", "numpy.float32", 1.1754944e-38 * 2 ** -23, 5.9604645e-08, 3.4028235e38)
LIMITS: tuple[Float, ...] = (FLOAT16, BFLOAT16, FLOAT32, TF_FLOAT64, NUMPY_FLOAT32, FLOAT64)


def correctly_rounded_tanh_one(dtype: Float) -> float:
    """Where a correctly rounded tanh is exactly 1: 1 - tanh(x) ~ 2 exp(-2x) falls under half the spacing below 1
    (a quarter of the spacing above it): 9.01 in float32, 19.06 in float64 (a correctly rounded libm's tanh)."""
    return -math.log(dtype.half_ulp_at_one / 4) / 2


def square_underflow(dtype: Float) -> float:
    """Below this magnitude x² is exactly 0 (it falls under the smallest value that survives): ~1.1e-19 in
    TensorFlow's float32, the Euclidean norm of such a vector is 0."""
    return math.sqrt(dtype.smallest)
