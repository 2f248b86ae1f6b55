"""Guards on their own: what a where()/cond() condition asserts on each branch, and whether that keeps an
operand off the unsafe point of a division or a log."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.guards import Domain, Verdict
from nanlint.analysis.module import ModuleAnalysis


def _verdict(expression: str, domain: Domain = Domain.NONZERO) -> Verdict:
    """The verdict on the operand `d` of the first division or log inside `expression`."""
    source = textwrap.dedent(f"""
        import numpy as np
        import tensorflow as tf
        from keras import ops

        def f(a, d, mask, x, eps):
            eps = 1e-6
            return {expression}
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    if domain is Domain.NONZERO:
        division = next(analysis.divisions())
        node, operand, site = division.node, division.denominator, division.site
    else:
        log = next(call for call in analysis.calls if call.qualified_name == "tensorflow.math.log")
        node, operand, site = log.node, log.node.args[0].value, log.site
    return analysis.guards.verdict(analysis.guards.around(node), operand, domain, site)[0]


@pytest.mark.parametrize(("expression", "expected"), [
    ("tf.where(d > 0, a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(d != 0, a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(0 < d, a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(tf.greater(d, 0), a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(tf.abs(d) > eps, a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(d > eps, a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(d == 0, 0.0, a / d)", Verdict.EXCLUDED),  # the false branch: d != 0
    ("tf.where(tf.logical_not(tf.equal(d, 0)), a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where((d > 0) & (x > 0), a / d, 0.0)", Verdict.EXCLUDED),
    ("tf.where(x > 0, tf.where(d > 0, a / d, 1.0), 1.0)", Verdict.EXCLUDED),  # nested: the inner one guards
    ("tf.where(d >= 0, a / d, 0.0)", Verdict.ADMITTED),  # lets d = 0 through
    ("tf.where(d > -1.0, a / d, 0.0)", Verdict.ADMITTED),
    ("tf.where(d > 0, 0.0, a / d)", Verdict.ADMITTED),  # the false branch is d <= 0
    ("tf.where(x > 0, a / d, 0.0)", Verdict.UNRELATED),  # the condition is about something else
    ("a / d", Verdict.UNRELATED),
    ("np.where(d > 0, np.where(x > 0, a / d, 1.0), 1.0)", Verdict.EXCLUDED),  # NumPy's forward value too
    ("ops.cond(ops.any(mask), lambda: ops.sum(a * mask) / ops.sum(ops.cast(mask, 'float32')), lambda: 0.0)",
     Verdict.EXCLUDED),
    ("ops.cond(ops.any(x), lambda: ops.sum(a) / ops.sum(ops.cast(mask, 'float32')), lambda: 0.0)",
     Verdict.UNRELATED),
])
def test_division_guards(expression, expected):
    assert _verdict(expression) is expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("tf.where(d > 0, tf.math.log(d), 0.0)", Verdict.EXCLUDED),
    ("tf.where(d >= 0, tf.math.log(d), 0.0)", Verdict.ADMITTED),  # still takes log(0)
    ("tf.where(d < 0, tf.math.log(d), 0.0)", Verdict.ADMITTED),
    ("tf.where(d > eps, tf.math.log(d), 0.0)", Verdict.EXCLUDED),
])
def test_log_guards(expression, expected):
    assert _verdict(expression, Domain.POSITIVE) is expected


@pytest.mark.parametrize(("body", "expected"), [
    ("tf.debugging.assert_positive(d)\nreturn a / d", Verdict.EXCLUDED),
    ("check = tf.Assert(tf.reduce_all(tf.greater(d, 0)), ['d must be positive'])\nreturn a / d", Verdict.EXCLUDED),
    ("tf.debugging.assert_greater(d, 0.0)\nreturn a / d", Verdict.EXCLUDED),
    ("tf.debugging.assert_greater_equal(d, 0.0)\nreturn a / d", Verdict.ADMITTED),
    ("r = a / d\ntf.debugging.assert_positive(d)\nreturn r", Verdict.UNRELATED),  # asserted too late
])
def test_asserts_before_a_division_guard_it(body, expected):
    source = "import tensorflow as tf\n\ndef f(a, d):\n" + textwrap.indent(body, "    ") + "\n"
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    division = next(analysis.divisions())
    guards = analysis.guards.around(division.node, division.site)
    assert analysis.guards.verdict(guards, division.denominator, Domain.NONZERO, division.site)[0] is expected


def test_a_name_bound_to_a_condition_is_followed():
    assert _verdict("tf.where(ok, a / d, 0.0) if (ok := d > 0) is not None else None") is Verdict.EXCLUDED
