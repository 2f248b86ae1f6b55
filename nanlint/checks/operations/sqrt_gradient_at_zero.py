"""NAN005: a square root of a value that can be exactly 0 (sqrt, `** 0.5`, a Euclidean norm, a standard
deviation, a global norm): finite forward, but the gradient at 0 is Inf (sqrt(x)) or NaN (norm / sqrt(sum(x**2)),
whose chain rule multiplies that Inf by 0)."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.guards import Domain
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.roots import Root, other_backend, roots
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence

# Roots that a library call takes out of sight.
_WHAT = {"norm": "the Euclidean norm (a root of a sum of squares)", "std": "the standard deviation (a root of a variance)",
         "global_norm": "global_norm (a root of a sum of squares)", "1 - c²": "sqrt(1 - c²) (a sine from a cosine)"}
# What truly removes the Inf/NaN gradient, for each spelling of the root.
_FIXES = {
    "sqrt": "put the epsilon inside the root: sqrt(x + 1e-7) or sqrt(maximum(x, 1e-7))",
    "x ** 0.5": "put the epsilon inside the root: (x + 1e-7) ** 0.5",
    "norm": "take the root yourself with an epsilon inside: sqrt(reduce_sum(square(x), axis) + 1e-7)",
    "std": "take the root of the variance with an epsilon inside: sqrt(reduce_variance(x, axis) + 1e-7) (an "
           "epsilon added to the std itself does not help the gradient)",
    "1 - c²": "clip the radicand, which rounding can also make negative: sqrt(maximum(1 - c², 1e-7))",
    "global_norm": "sum the squares and take the root with an epsilon inside: sqrt(add_n([reduce_sum(square(t)) "
                   "for t in ts]) + 1e-7), or drop the root (square(global_norm) is that sum)",
}


# Spellings whose gradient is TensorFlow's SqrtGrad (sqrt, norm, reduce_std): 0 for a 0 upstream gradient. A
# `** 0.5` is Pow, whose gradient y * x^(y - 1) * 0 is still NaN there.
_SQRT_GRADIENT = frozenset({"sqrt", "norm", "std"})


class SqrtGradientAtZero(Check):
    code = "NAN005"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for root in roots(analysis):
            if root.divides:
                continue  # the division by the same 0 is reported (NAN002): one hazard, one finding
            if root.spelled == "rsqrt":
                yield from _capped_reciprocal_root(analysis, root)
                continue
            # where(x > 0, sqrt(x), 0) keeps the root off 0 where it is taken; its gradient is finite in TF
            # (NAN007 reports it where XLA compiles the where)
            if analysis.guards.excluded(root.node, root.radicand, Domain.POSITIVE, root.site):
                continue
            if analysis.guards.zero_upstream(root.node, root.site):
                continue  # only divide_no_nan's denominator: its gradient there is 0, and sqrt's given 0 is 0
            if analysis.guards.compared_only(root.node, root.site):
                continue  # only compared (`if tf.norm(v) < tol:`): no gradient comes back through a comparison
            backend = other_backend(analysis, root)
            upstream_vanishes = root.spelled in _SQRT_GRADIENT and (
                analysis.guards.squared_only(root.node, root.site) or (root.base is not None and (
                    analysis.guards.vanishing_upstream(root.node, root.site, root.base, root.centered))))
            if upstream_vanishes and backend is None:
                # only squared (square(norm(v))) or normalising what vanishes with it (x / (norm(x) + eps)): its
                # upstream gradient is 0 where it is 0, and TF's sqrt gradient given 0 is 0
                continue
            hazard = analysis.gradients.gradient_hazard(root.site, root.node)
            if hazard is None or not analysis.gradients.carries_gradient(root.radicand, root.site):
                continue
            flow_confidence, where = hazard
            on = (f" on {backend}, whose sqrt gradient multiplies the 0 that flows back to it by Inf (TensorFlow's "
                  f"gives 0)") if upstream_vanishes and backend is not None else ""
            yield Report(root.node, _message(root, on) + where,
                         confidence=Confidence.weakest(flow_confidence, root.confidence))


def _capped_reciprocal_root(analysis: ModuleAnalysis, root: Root) -> Iterator[Report]:
    """rsqrt of a value that can be 0, whose value is capped before use (`minimum(rsqrt(s), 1 / epsilon)`, keras.ops'
    `normalize` before keras#23093): the forward value is finite, so NAN002 has nothing to say, but the cap fixes
    the value, not the gradient. The cap passes a 0 gradient back where it binds; TensorFlow's RsqrtGrad gives 0
    for a 0 upstream gradient (TF 2.21: finite, 1/epsilon at an all-zero vector), JAX's and PyTorch's derivative
    -0.5 * rsqrt(s)³ * g is Inf * 0 = NaN. So only code that may run there (keras.ops, jax) is reported; an uncapped
    rsqrt is Inf at 0, the division NAN002 reports."""
    if other_backend(analysis, root) is None or not analysis.guards.capped_only(root.node, root.site):
        return
    hazard = analysis.gradients.gradient_hazard(root.site, root.node)
    if hazard is None or not analysis.gradients.carries_gradient(root.radicand, root.site):
        return
    flow_confidence, where = hazard
    yield Report(root.node, f"rsqrt of a {root.described} is Inf {root.zero_when}, and capping its value afterwards "
                            f"(minimum/clip) fixes the value, not the gradient: on JAX and PyTorch, where Keras 3 also "
                            f"runs this, rsqrt's gradient there, -0.5 * rsqrt(x)³ times the 0 the cap passes back, is "
                            f"Inf * 0 = NaN (TensorFlow's gives 0); clamp before the root instead: rsqrt(maximum(x, epsilon ** 2))"
                            f"{root.via}{where}",
                 confidence=Confidence.weakest(flow_confidence, root.confidence))


def _message(root: Root, on: str = "") -> str:
    """`on`: the backends where alone the gradient is non-finite (" on JAX, where ...")."""
    forward = ("the forward value is finite (NaN where rounding makes it slightly negative)" if root.negative_too
               else "the forward value is finite")
    what = _WHAT.get(root.described if root.negative_too else root.spelled) or f"{root.spelled} of a {root.described}"
    fix = _FIXES[root.described if root.negative_too else root.spelled]
    return (f"{what} is 0 {root.zero_when}: {forward}, but the gradient there is {root.outcome}{on}, and one such "
            f"gradient turns every weight NaN; {fix}{root.via}")
