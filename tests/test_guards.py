"""Guards on their own: what a where()/cond() condition asserts on each branch, and whether that keeps an
operand off the unsafe point of a division or a log."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.guards import Domain, UntakenHazard, Verdict
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.linter import lint_text
from nanlint.selection import Selection


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
    # the same guard in other spellings of where, its condition and the division
    ("tf.select(tf.greater(d, 0.0), tf.div(a, d), tf.zeros_like(d))", Verdict.EXCLUDED),  # TF 0.x
    ("tf.where(tf.math.logical_and(tf.math.not_equal(d, 0), x > 0), tf.math.truediv(a, d), 0.0)", Verdict.EXCLUDED),
    ("np.where(np.greater(d, 0), np.divide(a, d), 0.0)", Verdict.EXCLUDED),
    ("ops.where(ops.greater_equal(d, 0), ops.divide(a, d), 0.0)", Verdict.ADMITTED),
    ("ops.cond(ops.any(mask), lambda: ops.sum(a * mask) / ops.sum(ops.cast(mask, 'float32')), lambda: 0.0)",
     Verdict.EXCLUDED),
    ("ops.cond(ops.any(x), lambda: ops.sum(a) / ops.sum(ops.cast(mask, 'float32')), lambda: 0.0)",
     Verdict.UNRELATED),
    # a guard on d bounds d - c shifted by c (`if n <= 1: return` before `i / (n - 1)`)
    ("tf.where(d > 1, a / (d - 1), 0.0)", Verdict.EXCLUDED),
    ("tf.where(d != 1, a / tf.cast(d - 1, tf.float32), 0.0)", Verdict.EXCLUDED),
    ("tf.where(d >= 1, a / (d - 1), 0.0)", Verdict.ADMITTED),  # d = 1 passes: d - 1 = 0
    ("tf.where(d > 0, a / (d - 1), 0.0)", Verdict.ADMITTED),
    ("tf.where(d > -1, a / (d + 1), 0.0)", Verdict.EXCLUDED),
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


def test_an_early_return_for_short_lengths_guards_the_length_minus_one():
    # keras.ops.blackman after keras#22538: a window of length 1 is handled first
    source = textwrap.dedent("""
        import tensorflow as tf

        def blackman(x):
            x = tf.cast(x, "float32")
            if x <= 1:
                return tf.ones([1])
            n = tf.range(x)
            n_minus_1 = tf.cast(x - 1, "float32")
            return n / n_minus_1
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    division = next(analysis.divisions())
    guards = analysis.guards.around(division.node, division.site)
    assert analysis.guards.verdict(guards, division.denominator, Domain.NONZERO, division.site)[0] is Verdict.EXCLUDED


def test_a_lambda_is_guarded_by_the_conditions_of_the_statement_that_makes_it():
    # spleeter's compute_segments: `if n_chunks_per_song > 1:` around a dataset.map(lambda ...) dividing by n - 1
    source = textwrap.dedent("""
        import tensorflow as tf

        def segments(dataset, n):
            found = []
            for k in range(n):
                if n > 1:
                    found.append(dataset.map(lambda s: dict(s, start=k * s["duration"] / (n - 1))))
            found.append(dataset.map(lambda s: dict(s, start=k * s["duration"] / (n - 1))))
            return found
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    verdicts = [analysis.guards.verdict(analysis.guards.around(division.node, division.site), division.denominator,
                                        Domain.NONZERO, division.site)[0] for division in analysis.divisions()]
    assert verdicts == [Verdict.EXCLUDED, Verdict.UNRELATED]


def test_a_name_bound_to_a_condition_is_followed():
    assert _verdict("tf.where(ok, a / d, 0.0) if (ok := d > 0) is not None else None") is Verdict.EXCLUDED


def _untaken(expression: str) -> list[tuple[str, str, str, bool]]:
    """(hazard, the operation, where it strikes, whether the branch is taken there too) for the where() in
    `expression`."""
    return [(found.hazard.value, analysis.code_of(found.operation), found.unsafe, found.taken_too)
            for analysis, found in _untaken_hazards(expression)]


def _untaken_hazards(expression: str) -> list[tuple[ModuleAnalysis, UntakenHazard]]:
    source = textwrap.dedent(f"""
        import numpy as np
        import tensorflow as tf

        def f(x, d, inter, union):
            cond = tf.greater(x, 0)
            return {expression}
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    where = next(call for call in analysis.calls if call.qualified_name == "tensorflow.where")
    return [(analysis, found) for found in analysis.guards.untaken_hazards(where.node, where.site)]


@pytest.mark.parametrize(("expression", "expected"), [
    # each side of a two-sided piecewise function is unsafe on the other side only
    ("tf.where(x < 0, 1. / (1. - x), tf.math.log(x + 1))",
     [("division", "1. / (1. - x)", "x = 1", False), ("log", "tf.math.log(x + 1)", "x <= -1", False)]),
    # a hand-written ELU: the exp overflows only where the condition picks x
    ("tf.where(cond, x, tf.exp(x) - 1)", [("exp", "tf.exp(x)", "x > 88.72", False)]),
    ("tf.where(x < 15., x, tf.math.pow(10.0, tf.exp(x)))",
     [("exp", "tf.math.pow(10.0, tf.exp(x))", "x > 3.651", True)]),
    ("tf.where(x > 0, tf.math.log(x), 0.0)", [("log", "tf.math.log(x)", "x <= 0", False)]),
    ("tf.where(x >= 0, tf.math.log(x), 0.0)", [("log", "tf.math.log(x)", "x <= 0", True)]),
    ("tf.where(d > 0, tf.sqrt(d), 0.0)", [("sqrt", "tf.sqrt(d)", "d <= 0", False)]),
    # the double where, a condition about something else, an exp the condition keeps small on both sides
    ("tf.where(x > 0, tf.math.log(tf.where(x > 0, x, 1.0)), 0.0)", []),
    ("tf.where(d > 0, tf.math.log(x), 0.0)", []),
    ("tf.where(x > 0, x, tf.exp(tf.minimum(x, 0.0)) - 1)", []),
    ("tf.where(x > 100.0, x, tf.exp(x))", [("exp", "tf.exp(x)", "x > 88.72", True)]),
    # a condition on a magnitude: the span solved for abs's argument, mapped through abs (|0| < 0.1 takes the
    # Taylor form; 1 - exp(-x) is 0 at x = 0, written as 0, not -0); a pole the condition's side takes too is NAN002's
    ("tf.where(tf.abs(x) < 0.1, 0.5 + x / 12, 1 / (1 - tf.exp(-x)) - 1 / x)",
     [("division", "1 / x", "x = 0", False), ("division", "1 / (1 - tf.exp(-x))", "x = 0", False)]),
    ("tf.where(tf.abs(x - 1.0) < 0.01, tf.ones_like(x), (x * x - 1.0) / (x - 1.0))",
     [("division", "(x * x - 1.0) / (x - 1.0)", "x - 1.0 = 0", False)]),
    ("tf.where(tf.abs(x) < 0.1, tf.zeros_like(x), 1.0 / (x - 5.0))", []),
    ("tf.where(tf.abs(x) < 1.0, 0.5 * tf.square(x), tf.abs(x) - 0.5)", []),
])
def test_untaken_branch_hazards_are_solved_for_the_condition_subject(expression, expected):
    assert _untaken(expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    # sinc: pi * x is 0 exactly where x is, which the condition takes the other branch at (np.pi is a constant)
    ("tf.where(x == 0, tf.ones_like(x), tf.sin(x * np.pi) / (x * np.pi))",
     [("division", "tf.sin(x * np.pi) / (x * np.pi)", "x = 0", False, False)]),
    # IoU: the condition tests the numerator and fills 0, which i / u already is wherever u is not 0: the guard is
    # there for the 0/0, whichever way round it is written
    ("tf.where(tf.equal(inter, 0.0), tf.zeros_like(inter), tf.truediv(inter, union))",
     [("division", "tf.truediv(inter, union)", "inter = 0", False, True)]),
    ("tf.where(inter > 0, inter / union, 0.0)", [("division", "inter / union", "inter = 0", False, True)]),
    # another fill can be the point of the where (not a 0/0 guard); a divisor kept off 0; a constant divisor; the
    # double where; a numerator that is not 0 at the condition's 0
    ("tf.where(inter > 0, inter / union, -1.0)", []),
    ("tf.where(inter > 0, inter / (union + 1e-7), 0.0)", []),
    ("tf.where(inter > 0, inter / tf.maximum(union, 1e-7), 0.0)", []),
    ("tf.where(inter > 0, inter / 2.0, 0.0)", []),
    ("tf.where(inter > 0, inter / tf.where(inter > 0, union, 1.0), 0.0)", []),
    ("tf.where(inter > 0, (inter + 1.0) / union, 0.0)", []),
    # a condition that lets the 0 through to the branch: the value itself is 0/0 there (NAN002's)
    ("tf.where(inter >= 0, inter / union, 0.0)", []),
])
def test_a_ratio_guarded_at_its_zero_numerator_is_a_guarded_zero_over_zero(expression, expected):
    assert [(found.hazard.value, analysis.code_of(found.operation), found.unsafe, found.taken_too,
             found.zero_over_zero) for analysis, found in _untaken_hazards(expression)] == expected


def test_masked_infinities():
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def f(x, mask, keep):
            mask = tf.cast(mask, tf.float32)
            a = x * mask + (1 - mask) * float('-inf')
            b = tf.multiply(-np.inf, 1.0 - mask)
            c = x * keep + (1 - keep) * -1e9
            d = tf.ones_like(x) * -np.inf
            return a, b, c, d
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    found = [(analysis.position(masked.node).start.line, masked.mask, masked.infinity)
             for masked in analysis.guards.masked_infinities()]
    assert sorted(found) == [(7, "(1 - mask)", "-Inf"), (8, "1.0 - mask", "-Inf")]


def test_masked_infinities_whose_nan_is_replaced_where_they_are_computed():
    # TensorFlowASR's RNN-T loss: -inf * (1 - mask) handed straight to a helper that turns NaN into 0
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        LOG_0 = -np.inf

        def nan_to_zero(t):
            return tf.where(tf.math.is_nan(t), tf.zeros_like(t), t)

        def passthrough(t):
            return tf.where(tf.math.is_nan(t), tf.zeros_like(t), t * 2.0)

        def f(x, mask):
            a = x * mask + nan_to_zero(LOG_0 * (1.0 - mask))
            b = x * mask + tf.where(tf.math.is_nan(LOG_0 * (1 - mask)), 0.0, LOG_0 * (1 - mask))
            c = x * mask + passthrough(LOG_0 * (1.0 - mask))
            d = x * mask + tf.where(tf.math.is_nan(x), 0.0, LOG_0 * (1 - mask))
            return a, b, c, d
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    found = [analysis.position(masked.node).start.line for masked in analysis.guards.masked_infinities()]
    # a helper that keeps something else, or a where testing another value, repairs nothing
    assert sorted(found) == [16, 17]  # c and d


def test_infinite_factors_are_arrays_holding_an_infinity():
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        a = tf.placeholder(tf.float32, [5])
        inf_mask = tf.placeholder(tf.float32, [5])
        finite_mask = tf.placeholder(tf.float32, [5])
        b = tf.multiply(a, inf_mask)
        c = a * finite_mask
        d = a * np.full([5], -np.inf)
        e = a * np.full([5], np.finfo(np.float32).min)
        f = a * float('-inf')
        np_mask = np.ones([5])
        np_mask[1] = -np.inf
        safe = np.ones([5])
        safe[1] = np.finfo(np.float32).min
        sess = tf.Session()
        sess.run([b, c], feed_dict={a: np.ones([5]), inf_mask: np_mask, finite_mask: safe})
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    found = [(analysis.position(held.node).start.line, held.factor, analysis.code_of(held.other), held.infinity,
              analysis.position(held.origin).start.line) for held in analysis.guards.infinite_factors()]
    assert sorted(found) == [(8, "inf_mask", "a", "-Inf", 14), (10, "np.full([5], -np.inf)", "a", "-Inf", 10)]


def test_a_condition_rebound_from_itself_is_read_where_it_was_bound():
    # keras' iou_metrics: `mask = logical_and(mask, ...)` refers to the mask before it, not to itself
    source = textwrap.dedent("""
        import tensorflow as tf

        def f(x, y):
            mask = tf.logical_and(x >= 0, x < 10)
            mask = tf.logical_and(mask, y > 0)
            return tf.where(mask, tf.math.log(x), 0.0)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    where = next(call for call in analysis.calls if call.qualified_name == "tensorflow.where")
    facts = analysis.guards.facts(where.node.args[0].value, where.site)
    assert [(fact.operand, fact.relation, fact.bound) for fact in facts] == [
        ("x", ">=", 0.0), ("x", "<", 10.0), ("y", ">", 0.0)]
    assert analysis.guards.untaken_hazards(where.node, where.site) == []


@pytest.mark.parametrize(("repair", "expected"), [
    # keras' auto_contrast: the NaN of a solid-colour image is replaced, several statements later
    ("result = tf.where(tf.math.is_nan(result), images, result)", True),
    ("result = self.backend.numpy.where(self.backend.numpy.isnan(result), images, result)", True),
    # tensorflow-addons CohenKappa.result: a cond on the NaN returns the fallback instead
    ("result = tf.cond(tf.math.is_nan(result), true_fn=lambda: 0.0, false_fn=lambda: 1 - result)", True),
    # a NaN test on a value the division does not reach repairs nothing
    ("result = tf.where(tf.math.is_nan(images), 0.0, result)", False),
    ("result = tf.cond(tf.math.is_nan(low), lambda: 0.0, lambda: result)", False),
    ("result = tf.where(result > 0, result, 0.0)", False),
])
def test_a_nan_repaired_downstream_guards_the_division(repair, expected):
    source = textwrap.dedent(f"""
        import tensorflow as tf

        def transform(self, images):
            low = tf.reduce_min(images, axis=(1, 2), keepdims=True)
            high = tf.reduce_max(images, axis=(1, 2), keepdims=True)
            scale = 255.0 / (high - low)
            shifted = images * scale - low * scale
            result = tf.clip_by_value(shifted, 0.0, 255.0)
            {repair}
            return result
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    division = next(analysis.divisions())
    assert analysis.guards.repaired_downstream(division.site) is expected


# -- statement guards: Python's own control flow -------------------------------------------------------------------
def _excluded(body: str, domain: Domain = Domain.NONZERO) -> bool:
    """Whether the last division (or log) in `f`'s body is kept off its unsafe point, by `Guards.excluded`."""
    source = "import numpy as np\n\n\ndef f(a, d, x, xs, lo, hi, eps):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    if domain is Domain.NONZERO:
        division = list(analysis.divisions())[-1]
        node, operand, site = division.node, division.denominator, division.site
    else:
        log = [call for call in analysis.calls if call.qualified_name == "numpy.log"][-1]
        node, operand, site = log.node, log.node.args[0].value, log.site
    return analysis.guards.excluded(node, operand, domain, site)


@pytest.mark.parametrize("body", [
    "if d != 0:\n    a /= d\n",
    "if d > 0:\n    return a / d\n",
    "if d == 0:\n    return a\nreturn a / d\n",
    "if d == 0:\n    raise ValueError('empty')\nreturn a / d\n",
    "if not d:\n    return a\nreturn a / d\n",
    "if d:\n    return a / d\n",
    "if d.item() == 0:\n    return a\nreturn a / d\n",  # a 0-d tensor as a Python number (monai)
    "if float(d) > 0:\n    return a / d\n",
    "for v in xs:\n    if v == 0:\n        continue\n    a = a / v\n",
    "for v in xs:\n    if v == 0:\n        break\n    a = a / v\n",
    "if d < 0:\n    return a\nelif d == 0:\n    return x\nreturn a / d\n",  # every branch up to the test exits
    "if d == 0:\n    pass\nelse:\n    return a / d\n",
    "if d == 0:\n    x = 1\nelif x > 0:\n    return a / d\n",  # an elif: the earlier test is false there
    "if d != 0:\n    y = 1\nelse:\n    return a\nreturn a / d\n",
    "assert d > 0\nreturn a / d\n",
    "assert d > 0, 'positive'\nfor v in xs:\n    a = a / d\n",
    "if hi != lo:\n    a = (a - lo) / (hi - lo)\n",  # a difference of the two compared values
    "if lo == hi:\n    return a\nreturn (a - lo) / (hi - lo)\n",
    "if lo < hi:\n    return (a - lo) / (hi - lo)\n",
    "scale = hi - lo\nif hi != lo:\n    a = a / scale\n",  # through the name the difference is bound to
    "if abs(d) > eps:\n    return a / d\n",
    "if d > eps:\n    return a / d\n",
    "return a / d if d != 0 else 0.0\n",
    "return 0.0 if d == 0 else a / d\n",
    "return d != 0 and a / d > 1\n",
    "return d == 0 or a / d > 1\n",
    "return [a / v for v in xs if v != 0]\n",
    "return np.divide(a, d, out=np.zeros_like(a), where=d != 0)\n",
    "d[d == 0] = 1\nreturn a / d\n",  # the components_norm pattern
    "d[d < eps] = eps\nreturn a / d\n",
    "d[d == 0] = 1\nfor v in xs:\n    a = a[x] / d[x]\n",  # entries of a guarded array (skimage's optical flow)
    "return a[d > 0] / d[d > 0]\n",  # boolean-mask selection
    "mask = d > eps\nreturn a[mask] / d[mask]\n",
    "nz = np.nonzero(d)\nreturn a[nz] / d[nz]\n",
    "kept = np.flatnonzero(d > 1e-5)\nreturn a[kept] / d[kept][:, None]\n",  # indices where a test holds
    "d[np.less(d, eps)] = 1.0\nreturn a / d\n",  # a threshold that is a name, replaced by a positive constant
    "kept = d[d > 0][:, None]\nreturn a / kept\n",  # what is selected from a safe selection
    "with np.errstate(divide='ignore', invalid='ignore'):\n    r = a / d\n",
    "while d != 0:\n    a = a / d\n    d = d - 1\n",  # the while test holds in its body, before the change
    "if d == 0: return a\nreturn a / d\n",  # one-line bodies
    "if d != 0: return a / d\n",
    "if x < 0 or d == 0:\n    raise ValueError('empty')\nreturn a / d\n",  # each operand of a false `or` is false
    "if not (x > 0 and d != 0):\n    return a\nreturn a / d\n",
    "if not (x < 0 or d == 0):\n    return a / d\n",
    # a comparison with something >= 0 (a loop index over range, a len) bounds the other side away from 0:
    # tabnet's `for ni in range(n): if ni < (n - 1): ... / tf.cast(n - 1, ...)`, a warm-up's `epoch < warm`
    "for i in range(len(xs)):\n    if i < (d - 1):\n        a = a / (d - 1)\n",
    "for i in range(len(xs)):\n    if d - 1 > i:\n        a = a / (d - 1)\n",
    "for epoch in range(10):\n    if epoch < d:\n        a = a * epoch / d\n",
    "if len(xs) < d:\n    return a / d\n",
    "for i in range(1, 5):\n    if i <= d:\n        a = a / d\n",  # i >= 1: d >= i > 0
])
def test_statement_guards_exclude(body):
    assert _excluded(body)


@pytest.mark.parametrize("body", [
    "return a / d\n",
    "if d == 0:\n    print('zero')\nreturn a / d\n",  # the branch does not leave
    "if d >= 0:\n    return a / d\n",  # lets 0 through
    "if d != 0:\n    d = d - 1\n    return a / d\n",  # rebound between the test and the use
    "if d == 0:\n    return a\nd = x\nreturn a / d\n",
    "if x == 0:\n    return a\nreturn a / d\n",  # tests something else
    "if x.item() == 0:\n    return a\nreturn a / d\n",
    "if d == 0:\n    return a\nfor v in xs:\n    a = a / d\n    d = v\n",  # changed on the next pass of the loop
    "if d == 0 and x == 0:\n    return a\nreturn a / d\n",  # not (a and b) says nothing about a alone
    "if x < 0 or d == 0:\n    y = 1\nelse:\n    y = 2\nif x or d:\n    return a / d\n",  # (x or d) can hold at d = 0
    "if d < 0:\n    y = 1\nelif d == 0:\n    return x\nreturn a / d\n",  # the first branch falls through at any d
    "if d != 0:\n    pass\nreturn a / d\n",  # after the if, not in it
    "return a / d if x != 0 else 0.0\n",
    "return a / d if d == 0 else 0.0\n",
    "return d == 0 and a / d > 1\n",
    "d[d == 0] = 0\nreturn a / d\n",  # replaced by the unsafe value itself
    "d[x == 0] = 1\nreturn a / d\n",  # the mask tests something else
    "d[np.greater(d, eps)] = 1.0\nreturn a / d\n",  # the small entries are the ones left
    "kept = np.flatnonzero(d >= 0)\nreturn a[kept] / d[kept]\n",
    "return a[d >= 0] / d[d >= 0]\n",
    "mask = d > eps\nd = x\nreturn a[mask] / d[mask]\n",  # the mask was computed on another d
    "with np.errstate(over='ignore'):\n    r = a / d\n",
    "def g():\n    return a / d\nif d == 0:\n    return a\n",  # a nested function runs later
    "for i in range(len(xs)):\n    if i <= d:\n        a = a / d\n",  # i may be 0, and so may d
    "for i in range(-3, 3):\n    if i < d:\n        a = a / d\n",  # a negative index says nothing
    "for v in xs:\n    if v < d:\n        a = a / d\n",  # v unknown
    "for i in range(len(xs)):\n    if i > d:\n        a = a / d\n",  # below an index: d may be 0 or negative
])
def test_statement_guards_do_not_exclude(body):
    assert not _excluded(body)


@pytest.mark.parametrize(("body", "expected"), [
    ("if x > 0:\n    return np.log(x)\n", True),
    ("if x <= 0:\n    return a\nreturn np.log(x)\n", True),
    ("if x != 0:\n    return np.log(x)\n", True),  # as for where(): testing x != 0 before a log says x >= 0
    ("if x >= 0:\n    return np.log(x)\n", False),
    ("return np.log(x, out=np.zeros_like(x), where=x > 0)\n", True),
    ("x[np.less(x, eps)] = 1.0\nreturn np.log(x)\n", True),
    ("x[np.less(x, eps)] = -1.0\nreturn np.log(x)\n", False),  # the replacement is itself outside the domain
])
def test_statement_guards_for_logs(body, expected):
    assert _excluded(body, Domain.POSITIVE) is expected


def test_string_formatting_is_not_a_division():
    """`"%d classes" % n` formats a string (scikit-learn's _gb.py was reported as a division by a count)."""
    source = textwrap.dedent("""
        import numpy as np

        def f(y, n, m):
            message = "y contains %d class " "after trimming" % np.count_nonzero(y)
            return message, f"{n}" % n, y % np.count_nonzero(y), n % m
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    assert [analysis.code_of(division.node) for division in analysis.divisions()] == [
        "y % np.count_nonzero(y)", "n % m"]


def test_a_root_only_divide_no_nan_divides_by_gets_a_zero_upstream_gradient():
    # tensorflow-similarity's Barlow loss: columns standardised with divide_no_nan (TF: a finite gradient)
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf

        def standardize(x):
            col_std = tf.math.reduce_std(x, axis=0)
            return tf.math.divide_no_nan(x - tf.reduce_mean(x, axis=0), col_std)

        def direct(x):
            return tf.math.divide_no_nan(x, tf.norm(x))

        def also_used(x):
            s = tf.math.reduce_std(x, axis=0)
            return tf.math.divide_no_nan(x, s) + s

        def plain(x):
            return x / tf.norm(x)
    """)))
    found = {call.site.scope.name: analysis.guards.zero_upstream(call.node, call.site)
             for call in analysis.calls if call.qualified_name in ("tensorflow.math.reduce_std", "tensorflow.norm")}
    assert found == {"standardize": True, "direct": True, "also_used": False, "plain": False}



def test_keras_ops_divide_no_nan_is_the_guard_too():
    """keras-rs's EmbedReduce "sqrtn" combiner, `ops.divide_no_nan(x, ops.sqrt(ops.sum(ops.square(w), axis=-2)))`:
    Keras 3's divide_no_nan is TensorFlow's (measured, TF 2.21: the gradient at w = 0 is 0); an epsilon added
    outside the root with a plain division is still a NaN gradient there."""
    source = textwrap.dedent("""
        import keras
        from keras import ops

        class EmbedReduce(keras.layers.Layer):
            def call(self, x, weights):
                return ops.divide_no_nan(x, ops.sqrt(ops.sum(ops.square(weights), axis=-2)))

        class Plain(keras.layers.Layer):
            def call(self, x, weights):
                return ops.divide(x, ops.sqrt(ops.sum(ops.square(weights), axis=-2)) + 1e-7)
    """)
    findings = lint_text(source, "m.py", Selection(preview=True)).findings
    assert [(f.code, f.line) for f in findings] == [("NAN005", 11)]

VANISHING = """
import tensorflow as tf
from keras import backend as K

def normalise(x):
    x_norm = tf.norm(x, ord=2, axis=1, keepdims=True)
    x_norm = x_norm + 1e-4
    return x / x_norm

def layer_norm(x, gamma):
    mean = K.mean(x, axis=-1, keepdims=True)
    std = K.std(x, axis=-1, keepdims=True)
    return gamma * (x - mean) / (std + 1e-6)

def cosine(a, b):
    a_norm = tf.sqrt(tf.reduce_sum(tf.square(a), axis=1))
    b_norm = tf.sqrt(tf.reduce_sum(tf.square(b), axis=1))
    return tf.reduce_sum(a * b, axis=1) / (a_norm * b_norm + 1e-9)

def inverse(x):
    return 1.0 / (tf.norm(x) + 1e-4)

def also_a_loss(x):
    n = tf.norm(x) + 1e-4
    return x / n + n

def std_over_raw(x):
    return x / (tf.math.reduce_std(x) + 1e-6)

def squash(s):
    squared_norm = tf.reduce_sum(tf.square(s), axis=-1, keepdims=True)
    safe_norm = tf.sqrt(squared_norm)
    squash_factor = safe_norm / (1. + squared_norm)
    return squash_factor * s

def scale(x):
    return tf.multiply(tf.norm(x, axis=-1, keepdims=True), x)

def squash_and_norm(s):
    squared_norm = tf.reduce_sum(tf.square(s), axis=-1, keepdims=True)
    safe_norm = tf.sqrt(squared_norm)
    return safe_norm / (1. + squared_norm) * s + safe_norm

def scaled_weight(x, w):
    return tf.norm(x, axis=-1, keepdims=True) * w

def moments_standardize(values):
    values_mean, values_var = tf.nn.moments(x=values, axes=[-1], keepdims=True)
    return (values - values_mean) / (tf.sqrt(values_var) + 1e-7)

def cosine_named(a, b):
    a_norm = tf.sqrt(tf.reduce_sum(tf.square(a), axis=1))
    b_norm = tf.sqrt(tf.reduce_sum(tf.square(b), axis=1))
    dot = tf.reduce_sum(a * b, axis=1)
    denominator = a_norm * b_norm + 1e-9
    return dot / denominator

def ratio_named(a, b):
    a_norm = tf.sqrt(tf.reduce_sum(tf.square(a), axis=1))
    denominator = a_norm * 2.0 + 1e-9
    return tf.reduce_sum(b, axis=1) / denominator

def squared_loss(x, y):
    return 0.1 * tf.square(tf.norm(x - y))

def squared_pow(x):
    return tf.pow(tf.norm(x, axis=1), 2)

def squared_std(x):
    s = tf.math.reduce_std(x, axis=0)
    return s ** 2

def norm_times_norm(x):
    n = tf.norm(x)
    return n * n

def inverse_square(x):
    return 1.0 / tf.square(tf.norm(x))

def log_square(x):
    squared = tf.square(tf.norm(x)) + 0.0
    return tf.math.log(squared)

def squared_and_plain(x):
    n = tf.norm(x)
    return tf.square(n) + n
"""


def test_a_root_that_only_divides_what_vanishes_with_it_gets_a_zero_upstream_gradient():
    # d(u / D(root)) / d root = -u D' / D², 0 where u is; TF's sqrt gradient of a 0 upstream is 0 (measured in
    # test_precision's TF test). A numerator that does not vanish there (1 / ..., x over a std, which is 0 for a
    # constant row where x is not), or a root also used as a value, keeps its NaN gradient. A root multiplied by
    # what vanishes with it (also after a division by 1 + x²: capsnet's squash) gets d/d root = x * ..., 0 there.
    # A root only squared gets 2·root, 0 there (alibi's `square(norm(ae(x) - x))`), unless the square meets a
    # division, a log or a root (2·0·Inf), or the root is also read alone.
    from nanlint.analysis.roots import roots

    analysis = ModuleAnalysis.build(cst.parse_module(VANISHING), "m.py")
    found: dict[str, list[bool]] = {}
    for root in roots(analysis):
        assert root.base is not None, analysis.code_of(root.node)
        found.setdefault(root.site.scope.name, []).append(
            analysis.guards.squared_only(root.node, root.site)
            or analysis.guards.vanishing_upstream(root.node, root.site, root.base, root.centered))
    assert found == {"normalise": [True], "layer_norm": [True], "cosine": [True, True], "inverse": [False],
                     "also_a_loss": [False], "std_over_raw": [False], "squash": [True], "scale": [True],
                     "squash_and_norm": [False], "scaled_weight": [False], "moments_standardize": [True],
                     "cosine_named": [True, True], "ratio_named": [False], "squared_loss": [True],
                     "squared_pow": [True], "squared_std": [True], "norm_times_norm": [True], "inverse_square": [False],
                     "log_square": [False], "squared_and_plain": [False]}


WRAPPED = """
import tensorflow as tf

def std(val, axis=-1):
    return tf.math.reduce_std(val, axis=axis, keepdims=True)

def spread(val):
    s = tf.math.reduce_std(val, axis=0)
    return s

def spread_also_a_loss(val):
    return tf.math.reduce_std(val, axis=0)

def uncalled(val):
    return tf.math.reduce_std(val)

def of_another_tensor(val):
    return tf.math.reduce_std(val)

def standardize(x):
    mean = tf.reduce_mean(x, axis=-1, keepdims=True)
    return (x - mean) / (std(x) + 1e-5)

def standardize_named(x):
    s = spread(x) + 1e-5
    return (x - tf.reduce_mean(x, axis=0)) / s

def standardize_again(x):
    return (x - tf.reduce_mean(x, axis=0)) / (spread_also_a_loss(x) + 1e-5)

def loss(x):
    return tf.reduce_mean(spread_also_a_loss(x))

def mixed(x, y):
    return (y - tf.reduce_mean(y)) / (of_another_tensor(x) + 1e-5)
"""


def test_a_root_a_wrapper_returns_vanishes_where_every_call_of_the_wrapper_divides_what_vanishes_with_it():
    # probflow's `O.std(val)` returns tf.math.reduce_std(val); its one caller, BatchNormalization, computes
    # (x - mean) / (std + 1e-5) of what it passes: each call is judged where it is made, with the argument for the
    # root's base. One call that reads the std as a value (a loss of the spread), a caller that standardises
    # another tensor, or no call at all (the users are elsewhere) keeps the NaN gradient.
    from nanlint.analysis.roots import roots

    analysis = ModuleAnalysis.build(cst.parse_module(WRAPPED), "m.py")
    found = {root.site.scope.name: analysis.guards.vanishing_upstream(root.node, root.site, root.base, root.centered)
             for root in roots(analysis) if root.base is not None}
    assert found == {"std": True, "spread": True, "spread_also_a_loss": False, "uncalled": False,
                     "of_another_tensor": False}


@pytest.mark.tensorflow
def test_tensorflow_gives_those_roots_a_finite_gradient_and_the_others_a_nan_one():
    pytest.importorskip("tensorflow")
    import subprocess
    import sys

    # keras 3's backend has no K.mean/K.std: the same TensorFlow ops stand in for them
    source = VANISHING.replace("from keras import backend as K", "class K:\n    mean = tf.reduce_mean\n"
                               "    std = tf.math.reduce_std")
    script = source + textwrap.dedent("""
        zero, row = tf.zeros([2, 3]), tf.ones([2, 3])
        for name, args in (("normalise", (zero,)), ("layer_norm", (row, 1.0)), ("cosine", (zero, row)),
                           ("inverse", (zero,)), ("also_a_loss", (zero,)), ("std_over_raw", (row,)),
                           ("squash", (zero,)), ("scale", (zero,)), ("squash_and_norm", (zero,)),
                           ("scaled_weight", (zero, row)), ("moments_standardize", (row,)),
                           ("cosine_named", (zero, row)), ("ratio_named", (zero, row)),
                           ("squared_loss", (row, row)), ("squared_pow", (zero,)), ("squared_std", (row,)),
                           ("norm_times_norm", (zero,)), ("inverse_square", (zero,)), ("log_square", (zero,)),
                           ("squared_and_plain", (zero,))):
            with tf.GradientTape() as tape:
                tape.watch(args[0])
                out = globals()[name](*args)
            print(name, bool(tf.reduce_all(tf.math.is_finite(tape.gradient(out, args[0])))))
    """)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split() == ["normalise", "True", "layer_norm", "True", "cosine", "True", "inverse", "False",
                                  "also_a_loss", "False", "std_over_raw", "False", "squash", "True", "scale", "True",
                                  "squash_and_norm", "False", "scaled_weight", "False", "moments_standardize", "True",
                                  "cosine_named", "True", "ratio_named", "False", "squared_loss", "True",
                                  "squared_pow", "True", "squared_std", "True", "norm_times_norm", "True",
                                  "inverse_square", "False", "log_square", "False", "squared_and_plain", "False"]


@pytest.mark.parametrize("body, capped", [
    # keras.ops' _normalize before keras#23093: the cap rebinds the name the root was bound to
    ("inv = ops.rsqrt(s)\n    inv = ops.minimum(inv, 1.0 / 1e-7)\n    return x * inv\n", True),
    ("return x * ops.minimum(ops.rsqrt(s), 1e7)\n", True),
    ("inv = ops.rsqrt(s)\n    return x * ops.clip(inv, 0.0, 1e7)\n", True),
    # read uncapped as well: the value itself is Inf there
    ("inv = ops.rsqrt(s)\n    capped = ops.minimum(inv, 1e7)\n    return x * capped + inv\n", False),
    ("return x * ops.rsqrt(s)\n", False),
    # a floor is no cap
    ("return x * ops.maximum(ops.rsqrt(s), 1e-7)\n", False),
])
def test_a_root_read_only_through_a_cap(body, capped):
    source = f"from keras import ops\n\n\ndef normalize(x, s):\n    {body}"
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    (call,) = analysis.calls_of(Op.RSQRT)
    assert analysis.guards.capped_only(call.node, call.site) is capped


COMPARED = """
import tensorflow as tf

def start(v, tol, dim):
    if tf.norm(v) < tol:
        v = tf.random.normal((dim, 1))
    return v

def named(v, tol):
    n = tf.sqrt(tf.reduce_sum(tf.square(v)))
    ok = tf.less(n, tol)
    return ok

def compared_and_used(v, tol):
    n = tf.norm(v)
    if n < tol:
        return v
    return v * n
"""


def test_a_root_read_only_by_comparisons_gets_no_gradient_through_them():
    # a comparison (Python's `<` on tensors is tf.math.less, and tf.less itself) has no gradient: nothing comes
    # back to the root through it. A root also used as a value keeps its gradient.
    from nanlint.analysis.roots import roots

    analysis = ModuleAnalysis.build(cst.parse_module(COMPARED), "m.py")
    found = {root.site.scope.name: analysis.guards.compared_only(root.node, root.site) for root in roots(analysis)}
    assert found == {"start": True, "named": True, "compared_and_used": False}


@pytest.mark.tensorflow
def test_tensorflow_gives_no_gradient_through_a_comparison_of_a_root():
    pytest.importorskip("tensorflow")
    import subprocess
    import sys

    script = textwrap.dedent("""
        import tensorflow as tf
        v = tf.Variable(tf.zeros([3]))
        with tf.GradientTape() as tape:
            small = tf.cast(tf.norm(v) < 1e-3, tf.float32)
            loss = tf.reduce_sum(v * 2.0) + small
        print(tape.gradient(loss, v).numpy().tolist())
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[2.0, 2.0, 2.0]"  # finite: the norm's 0/0 never computed


def test_a_function_of_the_module_that_hands_its_arguments_to_where_is_a_where():
    source = textwrap.dedent("""
        import tensorflow as tf

        def where(cond, x, y):
            if x.dtype != y.dtype:
                y = tf.cast(y, x.dtype)
            return tf.where(cond, x, y)

        def other(cond, x, y):
            y = tf.zeros_like(x)
            return tf.where(cond, x, y)

        def update(x, g):
            n = tf.norm(g)
            return where(n > 0.0, x / n, 1.0), other(n > 0.0, x / n, 1.0)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    assert [analysis.code_of(call.node.func) for call in analysis.calls_of(Op.WHERE)] == ["tf.where", "tf.where",
                                                                                             "where"]


@pytest.mark.parametrize(("body", "reported"), [
    # tensorflow_ranking's RestoreList: both operands scattered to the same indices, the divisor counting them
    ("counts = tf.scatter_nd(idx, tf.ones_like(x), shape)\n    x = tf.scatter_nd(idx, x, shape)\n"
     "    return tf.where(counts > 0, x / counts, -10.0)", False),
    ("counts = tf.scatter_nd(idx, tf.ones_like(x), tf.shape(m))\n"
     "    return tf.where(tf.greater(counts, 0.), tf.math.divide(tf.scatter_nd(idx, x, tf.shape(m)), counts), 0.)",
     False),
    # a dense numerator: its gradient reads the positions nothing was scattered to (1/0 times where's 0)
    ("counts = tf.scatter_nd(idx, tf.ones_like(x), shape)\n    return tf.where(counts > 0, d / counts, 0.0)", True),
    # scattered to other indices, or a divisor of updates that can sum to 0 where something was scattered
    ("counts = tf.scatter_nd(idx, tf.ones_like(x), shape)\n    x = tf.scatter_nd(other, x, shape)\n"
     "    return tf.where(counts > 0, x / counts, 0.0)", True),
    ("counts = tf.scatter_nd(idx, d, shape)\n    x = tf.scatter_nd(idx, x, shape)\n"
     "    return tf.where(counts > 0, x / counts, 0.0)", True),
])
def test_a_division_of_two_scatters_of_the_same_indices_is_no_untaken_hazard(body, reported):
    """where(counts > 0, scatter(i, x) / scatter(i, ones), c): the divisor is 0 only where nothing was scattered,
    and a scatter's gradient gathers only the scattered positions, so the NaN the division's gradient holds at
    the others reaches no input (measured finite in TensorFlow, FINDINGS fp16b)."""
    source = textwrap.dedent("""
        import tensorflow as tf

        class Restore(tf.keras.layers.Layer):
            def call(self, x, d, idx, other, shape, m):
                {body}
    """).format(body=body.replace("\n    ", "\n        "))
    findings = [f for f in lint_text(source, "m.py", Selection(select=("ALL",))).findings if f.code == "NAN007"]
    assert bool(findings) is reported, [f.message for f in findings]


@pytest.mark.parametrize(("body", "dropped"), [
    # QKeras' integer bits: a log2 of an EMA range, only taken where it is > 0
    ("r = tf.math.log(m) / np.log(2.0)\n    return tf.math.ceil(tf.where(r > 0, r, 0.0))\n", True),
    ("r = tf.math.log(m) + 3.0\n    return tf.where(r >= -20.0, r, -20.0)\n", True),
    # the finiteness test, rebinding the name it tests, the fill reading only the shape
    ("r = tf.math.log(m)\n    r = tf.where(tf.math.is_finite(r), r, tf.zeros_like(r))\n    return r\n", True),
    # the other branch of a test that holds at -Inf
    ("r = np.log(m)\n    return np.where(r <= -30.0, -30.0, r)\n", True),
    ("r = tf.math.log(m)\n    return tf.where(tf.logical_not(tf.math.is_finite(r)), 0.0, r)\n", True),
    # -Inf passes these tests, or the value is read outside the where()
    ("r = tf.math.log(m)\n    return tf.where(r < 0.0, r, 0.0)\n", False),
    ("r = tf.math.log(m)\n    return tf.where(r >= -np.inf, r, 0.0)\n", False),
    ("r = tf.math.log(m)\n    return tf.where(tf.math.is_nan(r), 0.0, r)\n", False),
    ("r = tf.math.log(m)\n    return tf.where(r > 0, r, 0.0) + r\n", False),
    ("r = tf.math.log(m)\n    return tf.where(r > 0, r * 2.0, 0.0)\n", False),
    # a negative scale turns -Inf into +Inf, which r > 0 keeps
    ("r = tf.math.log(m) / -np.log(2.0)\n    return tf.where(r > 0, r, 0.0)\n", False),
    ("r = tf.math.log(m) * k\n    return tf.where(r > 0, r, 0.0)\n", False),
    ("return tf.where(tf.math.log(m) > 0, m, 0.0)\n", False),
])
def test_a_minus_infinity_that_a_later_where_drops(body, dropped):
    source = f"import numpy as np\nimport tensorflow as tf\n\n\ndef bits(m, k):\n    {body}"
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    (call,) = [c for c in analysis.calls_of(Op.LOG) if analysis.spelled(analysis.operand(c.node)) == "m"]
    where = analysis.guards.infinity_selected_away(call.node, call.site)
    assert (where is not None) is dropped
    if dropped:
        assert analysis.op_of_call(where) is Op.WHERE


def test_a_log_whose_minus_infinity_a_where_drops_is_reported_for_its_gradient_only():
    # forward-only code (a quantizer's integer bits): nothing to report; a loss: the gradient through the dropped
    # entries is NaN (TF 2.21: log of relu([-1, 0, 2]) kept where finite has gradient [nan, nan, 0.5])
    source = textwrap.dedent("""
        import tensorflow as tf

        def integer_bits(m):
            r = tf.math.log(tf.nn.relu(m)) / 0.6931
            return tf.cast(tf.math.ceil(tf.where(r > 0, r, 0.0)), tf.int32)

        def loss(y_true, y_pred):
            r = tf.math.log(tf.nn.relu(y_pred))
            r = tf.where(tf.math.is_finite(r), r, tf.zeros_like(r))
            return -tf.reduce_mean(y_true * r)
    """)
    findings = [f for f in lint_text(source, "m.py", Selection(select=("ALL",))).findings if f.code == "NAN001"]
    assert [f.line for f in findings] == [9]
    assert "keeps only the finite values" in findings[0].message and "0 * Inf" in findings[0].message
