"""Where a value lies (analysis/interval.py, analysis/ranges.py): interval arithmetic, producer ranges, range
propagation through clips, caps, shifts, negations and guards, and the facts that prove a value safe."""

from __future__ import annotations

import math
import textwrap

import pytest

from nanlint.analysis.interval import INF, POSITIVE_TINY, Range
from nanlint.analysis.ranges import excludes_zero, nonnegative, positive, range_of
from nanlint.analysis.values import Producer, Value, mask_named
from nanlint.analysis.roots import roots
from nanlint.selection import Selection
from nanlint.linter import lint_text
from analysis_support import analysis_of, function_return


def test_interval_arithmetic_is_sound_at_the_edges():
    nonnegative_span = Range(0.0, INF)
    assert nonnegative_span.times(nonnegative_span) == Range(0.0, INF)  # 0 * Inf is a bound of 0, not NaN
    assert Range(-2.0, 3.0).squared() == Range(0.0, 9.0)
    assert Range(2.0, 3.0).squared() == Range(4.0, 9.0)
    assert Range(-3.0, -2.0).magnitude() == Range(2.0, 3.0)
    assert Range(0.0, INF).negated().times(Range(0.5, 0.5)) == Range(-INF, 0.0)  # -0.5 * x**2 <= 0
    assert Range(-INF, 0.0).exp() == Range(0.0, 1.0)
    assert Range(0.0, INF).plus(Range.point(2.0)) == Range(2.0, INF)
    assert Range(1.0, 1.0).divided_by(Range(0.0, INF)) == Range(0.0, INF)  # over a divisor that can be 0: a sign
    assert Range(-INF, 0.0).divided_by(Range(0.0, INF)) == Range(-INF, 0.0)
    assert Range(1.0, 1.0).divided_by(Range(-1.0, 1.0)) is None  # a divisor of either sign: nothing
    assert Range(1.0, 1.0).divided_by(Range(2.0, 4.0)) == Range(0.25, 0.5)
    assert Range(-INF, INF).plus(Range(-INF, INF)) == Range(-INF, INF)  # Inf - Inf is no bound
    # a sum of elements keeps their sign, not their size
    assert Range(0.5, 1.0).summed() == Range(0.5, INF)
    assert Range(-1.0, 1.0).summed() == Range(-INF, INF)
    assert Range(-INF, 5.0).clamped(0.0, None) == Range(0.0, 5.0)
    assert Range.hull([Range(0.0, 1.0), Range(-1.0, 0.5)]) == Range(-1.0, 1.0)
    assert Range(POSITIVE_TINY, INF).excludes_zero


def test_ranges_of_producers_and_the_complement_transfer():
    assert range_of(Value(Producer.SIGMOID)) == Range(0.0, 1.0)
    assert range_of(Value(Producer.TANH)) == Range(-1.0, 1.0)
    assert range_of(Value(Producer.RELU)) == Range(0.0, math.inf)
    assert range_of(Value(Producer.SIGMOID, complement=True)) == Range(0.0, 1.0)
    assert range_of(Value()) is None


@pytest.mark.parametrize("expression, upper, lower", [
    ("tf.clip_by_value(x, -20.0, 20.0)", 20.0, -20.0),
    ("tf.minimum(x, 10.0)", 10.0, None),
    ("tf.maximum(x, -5.0)", None, -5.0),
    ("x - tf.reduce_max(x, axis=-1, keepdims=True)", 0.0, None),
    ("x - tf.stop_gradient(tf.reduce_max(x))", 0.0, None),
    ("-tf.abs(x)", 0.0, None),
    ("-x ** 2 / (2 * s ** 2)", 0.0, None),
    ("-0.5 * tf.square(x)", 0.0, None),
    ("tf.math.log_sigmoid(x)", 0.0, None),
    ("tf.sigmoid(x)", 1.0, 0.0),
    ("2.0 * tf.tanh(x) + 1.0", 3.0, -1.0),
    ("-tf.clip_by_value(x, -3.0, 13.8)", 3.0, -13.8),
    ("tf.clip_by_value(x, math.log(1e-6), -math.log(1e-6))[..., 0]", pytest.approx(13.8155, abs=1e-3), None),
    ("x", None, None),
    ("tf.matmul(h, w)", None, None),
    # uniform draws: [0, 1) by default, or their constant bounds (tensorflow-graphics' test constants)
    ("tf.constant(np.random.uniform(size=[3]).astype(np.float32))", 1.0, 0.0),
    ("np.random.uniform(-2.0, 5.0, size=3)", 5.0, -2.0),
    ("tf.random.uniform([3], minval=-1.0, maxval=4.0)", 4.0, -1.0),
    ("np.random.rand(3)", 1.0, 0.0),
    ("np.random.uniform(x, 1.0)", None, None),
])
def test_upper_and_lower_bounds(expression, upper, lower):
    analysis, returned, at = function_return(f"""
        import math
        import numpy as np
        import tensorflow as tf

        def f(x, s, h, w):
            return {expression}
    """)
    assert analysis.ranges.upper(returned, at) == upper
    if lower is not None:
        assert analysis.ranges.lower(returned, at) == lower


def _range_of_last_log_operand(source: str) -> Range | None:
    analysis = analysis_of(source)
    call = [c for c in analysis.calls if (analysis.qualified_name(c.node.func) or "").endswith("log")][-1]
    return analysis.ranges.of(analysis.operand(call.node), call.site)


@pytest.mark.parametrize("source, expected", [
    # casts of positions: a sum of a 0/1 one-hot times tf.range is >= 0 (tf-models NeuMF's NDCG)
    ("""
     import tensorflow as tf
     hit = tf.cast(tf.equal(idx, 3), tf.int32)
     position = tf.reduce_sum(tf.multiply(hit, tf.range(n)[tf.newaxis, :]), axis=1)
     tf.math.log(tf.cast(position, tf.float32) + 2)
     """, Range(2.0, INF)),
    # squares and negated squares: a Gaussian's exponent is <= 0, its exp in (0, 1]
    ("""
     import tensorflow as tf
     x = tf.range(size, dtype=tf.float32) - (size - 1) / 2
     tf.math.log(tf.exp(-0.5 * (x / sigma) ** 2))
     """, Range(0.0, 1.0)),
    # a comprehension's elements, read where its target is bound: deepreg's Gaussian kernel (exponents <= 0), and
    # one whose element is unknown
    ("import tensorflow as tf\ntf.math.log(tf.exp([-0.5 * x ** 2 / s ** 2 for x in range(-3, 4)]))", Range(0.0, 1.0)),
    ("import tensorflow as tf\ntf.math.log(tf.exp([2.0 * v for v in scores]))", Range(0.0, INF)),
    # a product of non-negative factors: magnitudes @ a filter bank floored at 0 (a method's return, via self.)
    ("""
     import numpy as np
     from keras import ops
     class Converter:
         def build(self):
             self.filters = self._filters()
         def _filters(self):
             return np.maximum(0.0, np.minimum(lower, upper)).astype(np.float32)
         def call(self, real, imag):
             magnitudes = ops.sqrt(ops.square(real) + ops.square(imag))
             return ops.log(ops.matmul(magnitudes, ops.cast(self.filters, "float32")) + 1e-6)
     """, Range(1e-6, INF)),
    ("""
     import numpy as np
     from keras import ops
     magnitudes = ops.sqrt(ops.square(real) + ops.square(imag))
     ops.log(ops.matmul(magnitudes, np.maximum(0.0, w)))
     """, Range(0.0, INF)),
    # a magnitude spectrogram times a library filterbank (TF's MFCC recipe; the matrix kept on self in __init__)
    ("""
     import tensorflow as tf
     class LogMel(tf.keras.layers.Layer):
         def __init__(self):
             super().__init__()
             self.mel = tf.signal.linear_to_mel_weight_matrix(80, 513, 16000, 80.0, 7600.0)
         def call(self, signals):
             magnitudes = tf.abs(tf.signal.stft(signals, 1024, 256))
             return tf.math.log(tf.tensordot(magnitudes, self.mel, 1) + 1e-6)
     """, Range(1e-6, INF)),
    ("""
     import librosa
     import numpy as np
     np.log(np.dot(librosa.filters.mel(sr=22050, n_fft=1024), np.abs(spectrum)))
     """, Range(0.0, INF)),
    # a filterbank times a signed input is still signed: nothing known
    ("""
     import tensorflow as tf
     tf.math.log(tf.tensordot(features, tf.signal.linear_to_mel_weight_matrix(80, 513), 1))
     """, Range(-INF, INF)),
    # literal arrays, Gauss quadrature weights, sizes from a shape, a module function's returned tuple
    ("import numpy as np\nnp.log(np.linalg.norm(np.array([50.0, 100.0])))", Range(50.0, INF)),
    ("import numpy as np\n_, w = np.polynomial.hermite.hermgauss(deg=n)\nnp.log(np.sum(w))", Range(POSITIVE_TINY, INF)),
    ("import numpy as np\n_, h, w = masks.shape\nnp.log(1.0 * w)", Range(0.0, INF)),
    ("""
     import tensorflow as tf
     def stats(x):
         return tf.math.bincount(x), tf.reduce_mean(x)
     counts, _ = stats(x)
     tf.math.log(tf.reduce_sum(tf.cast(counts, tf.float32), axis=0))
     """, Range(0.0, INF)),
    # a product chain holding a read twice is its square times the rest: NiftyNet's Gaussian kernel
    # `exp([(-0.5 * x * x) / sigma_square ...])` (exponents <= 0) and an RBF's -gamma * d * d; two draws are no square
    ("import tensorflow as tf\ns2 = sigma * sigma\ntf.math.log(tf.exp([(-0.5 * x * x) / s2 for x in range(-t, t + 1)]))",
     Range(0.0, 1.0)),
    ("import numpy as np\nnp.log(np.exp(-0.1 * d * 3.0 * d))", Range(0.0, 1.0)),
    ("import numpy as np\nnp.log(np.exp(-0.1 * np.random.randn(3) * np.random.randn(3)))", Range(0.0, INF)),
    # how often each distinct value occurs is >= 1: NumPy's counts come last (after the indices asked for),
    # TensorFlow's third; a reciprocal of them is > 0 (bounded by 0 below: a huge count's reciprocal)
    ("import numpy as np\n_, counts = np.unique(y, return_counts=True)\nnp.log(np.sum(counts[1:]))", Range(1.0, INF)),
    ("import numpy as np\n_, first, n = np.unique(y, True, return_counts=True)\nnp.log(np.reciprocal(n))",
     Range(0.0, 1.0)),
    ("import tensorflow as tf\n_, _, count = tf.unique_with_counts(y)\ntf.math.log(tf.cast(count, tf.float32))",
     Range(1.0, INF)),
    ("import numpy as np\n_, first = np.unique(y, return_index=True)\nnp.log(first)", None),  # indices: 0 is one
    ("import numpy as np\n_, n = np.unique(y, return_counts=flag)\nnp.log(n)", None),  # which part: unknown
    # a loop target takes the elements of what it iterates
    ("import numpy as np\nfor i in range(n):\n    np.log(i + 1)", Range(1.0, INF)),
    ("import numpy as np\nfor w in [0.5, 2.0]:\n    np.log(w)", Range(0.5, 2.0)),
    ("import numpy as np\nfor i, w in enumerate(ws):\n    np.log(i + 1)", None),  # a part of each element: not read
    # unknown stays unknown
    ("import tensorflow as tf\ntf.math.log(x + 1.0)", None),
    ("import tensorflow as tf\ntf.math.log(tf.matmul(h, w))", Range(-INF, INF)),  # a linear head, its producer
])
def test_range_propagation(source, expected):
    assert _range_of_last_log_operand(source) == expected


def test_queries_on_unknown_ranges_claim_nothing():
    assert not positive(None) and not excludes_zero(None) and not nonnegative(None)
    assert nonnegative(Range(0.0, INF)) and not positive(Range(0.0, INF))


@pytest.mark.parametrize("name, is_mask", [
    ("mask", True), ("ques_mask", True), ("mask3d", True), ("mask_value", True), ("attention_mask", True),
    ("mask_width", False), ("mask_height", False), ("num_masks", False), ("mask_ratio", False), ("weights", False),
    # the actions a step allows (pysc2's available_actions, SMAC's avail_actions, OpenSpiel's legal_actions)
    ("available_actions", True), ("avail_actions", True), ("legal_actions", True), ("valid_moves", True),
    ("num_avail_actions", False), ("avail_actions_ind", False), ("valid_data", False), ("actions", False),
    ("available_memory", False),
])
def test_mask_names_are_selections_not_quantities_about_masks(name, is_mask):
    assert mask_named(name) is is_mask


def _codes(source: str) -> list[tuple[str, int]]:
    return [(finding.code, finding.line) for finding in lint_text(textwrap.dedent(source), "m.py").findings]


def test_rules_ask_the_ranges_before_reporting():
    source = """
        import numpy as np
        import tensorflow as tf

        def ndcg(ranked, n):
            hit = tf.cast(tf.equal(ranked, 3), tf.int32)
            position = tf.reduce_sum(tf.multiply(hit, tf.range(n)), axis=1)
            return tf.math.log(2.0) / tf.math.log(tf.cast(position, tf.float32) + 2)

        def spectrum(real, imag, filters):
            magnitudes = tf.sqrt(tf.square(real) + tf.square(imag))
            return tf.math.log(tf.matmul(magnitudes, tf.maximum(filters, 0.0)) + 1e-6)

        def quadrature():
            grid, probs = np.polynomial.hermite.hermgauss(deg=8)
            return probs / np.linalg.norm(probs, ord=1)

        def calibration(labels, predictions):
            cm = tf.math.confusion_matrix(labels, predictions)
            rows = tf.reduce_sum(cm, axis=-1)
            return rows / tf.reduce_sum(rows, axis=-1)

        def paste(box, masks):
            _, mask_height, mask_width = masks.shape
            return box[2] / (1.0 * mask_width)

        def still_found(h, w, x, mask):
            y = tf.matmul(h, w)
            return tf.math.log(y), tf.reduce_sum(x * mask) / tf.reduce_sum(mask)
    """
    assert _codes(source) == [("NAN001", 29), ("NAN002", 29)]


def test_a_gaussian_exponent_is_nonpositive_whatever_sigma():
    # -(x**2) / (2 * s**2): a non-positive over a non-negative (s unknown, possibly 0) keeps its sign
    span = _range_of_last_log_operand("import tensorflow as tf\ntf.math.log(tf.exp(-(x ** 2) / (2.0 * s ** 2)))")
    assert span == Range(0.0, 1.0)


def test_an_if_test_bounds_its_branches():
    # the stable sigmoid's other half: `z = exp(x)` only where x < 0, so exp(x) <= 1
    source = """
        import numpy as np
        def ref_sigmoid(x):
            if x >= 0:
                return np.log(x + 1)
            else:
                return np.log(np.exp(x))
    """
    analysis = analysis_of(source)
    first, second = [c for c in analysis.calls if (analysis.qualified_name(c.node.func) or "").endswith("log")]
    assert analysis.ranges.of(analysis.operand(first.node), first.site) == Range(1.0, INF)
    assert analysis.ranges.of(analysis.operand(second.node), second.site) == Range(0.0, 1.0)


def _fixed_denominators(source: str) -> list[bool]:
    analysis = analysis_of(source)
    return [analysis.ranges.fixed(division.denominator, division.site) for division in analysis.divisions()]


def test_fixed_values_are_computed_from_literals_alone():
    assert _fixed_denominators("""
        import numpy as np
        import scipy.signal
        import tensorflow as tf

        window = scipy.signal.windows.get_window("tukey", 256, False).astype("float32").reshape((-1, 1, 1))
        a = window / np.sqrt(np.sum(window ** 2))

        def test_pooling(data_format):
            def reference(x, mask=None):
                axis = 1 if data_format == "channels_last" else 2
                return np.sum(x * mask, axis=axis) / np.sum(mask, axis=axis)
            inputs = np.arange(24, dtype="float32").reshape((2, 3, 4))
            reference(inputs, np.array([[1, 1, 0], [0, 1, 0]]))

        noise = np.random.random((3, 4))
        b = noise / np.linalg.norm(noise)
        data = np.load("x.npy")
        c = data / data.std(axis=0)
        x = tf.placeholder("float", [None, 784])
        d = x / tf.reduce_sum(x)

        def public(mask):
            return 1.0 / np.sum(mask)
        public(np.array([1, 0]))
    """) == [True, True, False, False, False, False]


def test_a_list_literal_grown_afterwards_holds_what_is_appended():
    """`velocities = []`, then `velocities.append(data[2])` for each MIDI message: data, not a literal."""
    assert _fixed_denominators("""
        import numpy as np

        read, constant = [], []
        for record in open("notes.txt"):
            read.append(float(record.split()[2]))
            constant.append(3.0)
        constant.extend([1.0, 2.0])
        a = 1.0 / (np.max(read) - np.min(read))
        b = 1.0 / (np.max(constant) - np.min(constant))
    """) == [False, True]


def test_stable_forms_of_exp_squashes_are_not_reported():
    source = """
        import numpy as np
        import tensorflow as tf

        def gaussian_kernel(size, sigma):
            x = tf.range(size, dtype=tf.float32) - (size - 1) / 2
            kernel = tf.exp(-0.5 * (x / sigma) ** 2)
            return kernel / tf.reduce_sum(kernel)

        def stable_sigmoid(x):
            if x >= 0:
                return 1 / (1 + np.exp(-x))
            else:
                z = np.exp(x)
                return z / (1 + z)

        def softmax(logits):
            e = tf.exp(logits)
            return e / tf.reduce_sum(e, axis=-1, keepdims=True)
    """
    assert _codes(source) == [("NAN004", 19)]


def _fixed_log_operands(source: str) -> list[bool]:
    analysis = analysis_of(source)
    logs = [c for c in analysis.calls if (analysis.qualified_name(c.node.func) or "").endswith(".log")]
    return [analysis.ranges.fixed(analysis.operand(call.node), call.site) for call in logs]


def test_a_module_function_given_fixed_arguments_returns_a_fixed_value():
    # tensorflow-recommenders retrieval_test.py: the expected loss of a test, from a helper and literals
    assert _fixed_log_operands("""
        import numpy as np

        def _sigmoid(x):
            return 1. / (1 + np.exp(-x))

        def _scaled(x, scale=2.0):
            return scale * _sigmoid(x)

        def _noisy(x):
            return x + np.random.normal()

        class Reference:
            def sigmoid(self, x):
                return _sigmoid(x)

        expected = -np.log(_sigmoid(3.0)) - np.log(1 - _sigmoid(4.0))
        np.log(_scaled(3.0))
        np.log(_scaled(3.0, scale=s))   # a default overridden by data
        np.log(_sigmoid(logits))        # data
        np.log(_noisy(3.0))             # a random draw inside
        np.log(Reference().sigmoid(3.0))
    """) == [True, True, True, False, False, False, False]


def _last_divisor_range(source: str) -> Range | None:
    analysis = analysis_of(source)
    division = list(analysis.divisions())[-1]
    return analysis.ranges.of(division.denominator, division.site)


@pytest.mark.parametrize("source", [
    # tensorflow-addons npairs_loss: the same-class mask holds each label's own 1
    """
    import tensorflow as tf
    y_true = tf.expand_dims(y_true, -1)
    y_true = tf.cast(tf.equal(y_true, tf.transpose(y_true)), y_pred.dtype)
    y_true /= tf.math.reduce_sum(y_true, 1, keepdims=True)
    """,
    """
    import tensorflow as tf
    same = tf.cast(labels[:, None] == labels[None, :], tf.float32)
    x / tf.reduce_sum(same, axis=1)
    """,
    # spektral mincut_pool: an identity over its norm; deepchem: torch.eye(n).to(device).sum()
    "import tensorflow as tf\ni_s = tf.eye(k, dtype=ss.dtype)\ni_s / tf.norm(i_s)",
    "import torch\npos_mask = torch.eye(num_graphs).to(device)\nx / pos_mask.sum()",
])
def test_a_matrix_with_a_unit_diagonal_has_sums_and_norms_of_at_least_one(source):
    assert _last_divisor_range(source) == Range(1.0, INF)


@pytest.mark.parametrize("source", [
    # the diagonal taken out (tensorflow-addons triplet loss): empty when every label in the batch differs
    """
    import tensorflow as tf
    adjacency = tf.math.equal(labels, tf.transpose(labels))
    positives = tf.cast(adjacency, tf.float32) - tf.linalg.diag(tf.ones([batch_size]))
    x / tf.math.reduce_sum(positives)
    """,
    "import tensorflow as tf\nx / tf.reduce_sum(tf.eye(n, m), axis=1)",  # rows past m are all 0
    "import tensorflow as tf\nx / tf.reduce_sum(tf.cast(a[0] == a[1], tf.float32))",  # two entries, not a diagonal
    "import tensorflow as tf\nx / tf.reduce_sum(tf.cast(tf.equal(a, tf.transpose(b)), tf.float32))",
    "import torch\nx / (1 - torch.eye(n)).sum()",  # a batch of one has no off-diagonal entry
])
def test_no_diagonal_is_assumed_where_the_construction_does_not_give_one(source):
    span = _last_divisor_range(source)
    assert span is None or not span.excludes_zero


@pytest.mark.parametrize("source, span", [
    # TFP's CorrelationCholesky: the diagonal set to ones, then each row over its norm
    ("import tensorflow as tf\ny = tf.linalg.set_diag(y, tf.ones([n]))\ny /= tf.norm(y, axis=-1)[..., tf.newaxis]",
     Range(1.0, INF)),
    ("import tensorflow as tf\nd = tf.ones_like(tf.linalg.diag_part(y))\ny = tf.linalg.set_diag(y, d)\n"
     "x / tf.norm(y)", Range(1.0, INF)),
    # a diagonal of zeros or of data, or a norm along a batch axis: nothing known
    ("import tensorflow as tf\ny = tf.linalg.set_diag(y, tf.zeros([n]))\nx / tf.norm(y, axis=-1)", None),
    ("import tensorflow as tf\ny = tf.linalg.set_diag(y, v)\nx / tf.norm(y, axis=-1)", None),
    ("import tensorflow as tf\ny = tf.linalg.set_diag(y, tf.ones([n]))\nx / tf.norm(y, axis=0)", None),
])
def test_a_matrix_whose_diagonal_is_set_to_ones_has_row_and_column_norms_of_at_least_one(source, span):
    found = _last_divisor_range(source)
    if span is None:
        assert found is None or not found.excludes_zero
    else:
        assert found == span


def test_function_spellings_of_sums_and_squared_differences_have_the_operators_ranges():
    analysis, returned, at = function_return("""
        import tensorflow as tf

        def f(a, b):
            return tf.add_n([tf.square(a), tf.math.squared_difference(a, b), 1.0])
    """)
    assert analysis.ranges.of(returned, at) == Range(1.0, INF)
    analysis, returned, at = function_return("""
        import tensorflow as tf

        def f(a, b):
            return tf.math.squared_difference(a, b)
    """)
    assert analysis.ranges.of(returned, at) == Range(0.0, INF)


@pytest.mark.parametrize("source, at_least_one", [
    # trfl epsilon_greedy: the ties of each row's maximum, normalised over the row
    ("""
    import tensorflow as tf
    max_value = tf.reduce_max(action_values, axis=-1, keepdims=True)
    greedy_probs = tf.cast(tf.equal(action_values, max_value), action_values.dtype)
    greedy_probs /= tf.reduce_sum(greedy_probs, axis=-1, keepdims=True)
    """, True),
    ("import tensorflow as tf\nx / tf.reduce_sum(tf.cast(tf.equal(tf.reduce_min(q, 1, keepdims=True), q), tf.float32))",
     True),  # over all axes, the minimum on either side
    # the maximum of each row, counted down a column: a column may hold no row's maximum
    ("""
    import tensorflow as tf
    hits = tf.cast(tf.equal(q, tf.reduce_max(q, axis=1, keepdims=True)), tf.float32)
    x / tf.reduce_sum(hits, axis=0)
    """, False),
    ("import tensorflow as tf\nx / tf.reduce_sum(tf.cast(tf.equal(p, tf.reduce_max(q, axis=1, keepdims=True)), "
     "tf.float32), axis=1)", False),  # another tensor's maximum
])
def test_the_indicator_of_a_row_maximum_has_a_one_along_that_axis(source, at_least_one):
    span = _last_divisor_range(source)
    assert (span == Range(1.0, INF)) is at_least_one
    assert at_least_one or span is None or not span.excludes_zero


def test_fixed_values_pass_through_a_transpose_attribute():
    # neural-structured-learning's test: the expected gradient direction, from literal arrays
    assert _fixed_denominators("""
        import numpy as np

        def test_adversarial(step):
            weight = np.array([[4.0], [3.0]], dtype=np.float32)
            x0, y0 = np.array([[1.0, 1.0]]), np.array([8.0])
            grad_x = 2 * (np.dot(x0, weight) - y0) * weight.T
            step * grad_x / np.linalg.norm(grad_x)
            step / np.linalg.norm(step.T)
    """) == [True, False]


def test_numpy_expected_values_in_test_modules_are_not_reported():
    # trfl vtrace_ops_test: np.log of a NumPy softmax of the test's own logits; the same code outside a test reports
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def _softmax(logits):
            return np.exp(logits) / np.sum(np.exp(logits), axis=-1, keepdims=True)

        def test_log_probs(batch_size):
            logits = np.arange(3 * batch_size).reshape(batch_size, 3) + 10
            expected = np.log(_softmax(logits))
            centred = logits - logits.mean(axis=-1, keepdims=True)
            unit = centred / centred.std(axis=-1, keepdims=True)
            got = tf.math.log(tf.nn.softmax(tf.constant(logits, tf.float32)))
            return expected, unit, got
    """)
    codes = {path: sorted({(f.code, f.line) for f in lint_text(source, path).findings})
             for path in ("ops/vtrace_test.py", "ops/vtrace.py")}
    assert codes["ops/vtrace_test.py"] == [("NAN001", 13)]  # the TensorFlow log of softmax stays
    assert {("NAN001", 10), ("NAN002", 12), ("NAN001", 13)} <= set(codes["ops/vtrace.py"])


@pytest.mark.parametrize("selection, nonnegative_expected", [
    ("tf.where(p <= zeros, -p, p)", True),  # TFCO's stable softplus
    ("tf.where(p < 0, -p, p)", True),
    ("tf.where(p > 0.0, p, tf.negative(p))", True),
    ("tf.where(tf.greater_equal(p, 0), p, -p)", True),
    ("tf.where(0 >= p, -p, p)", True),
    ("tf.where(p > 0, -p, p)", False),  # -|p|
    ("tf.where(p <= 0, -q, p)", False),  # another tensor's negation
    ("tf.where(p <= 1, -p, p)", False),  # not the sign of p
])
def test_a_where_that_picks_x_or_minus_x_by_the_sign_of_x_is_its_magnitude(selection, nonnegative_expected):
    analysis, returned, at = function_return(f"""
        import tensorflow as tf

        def f(p, q):
            zeros = tf.zeros_like(p)
            return {selection}
    """)
    span = analysis.ranges.of(returned, at)
    assert (span is not None and span.nonnegative) is nonnegative_expected


def test_a_hand_written_softplus_of_minus_a_where_written_magnitude_is_stable():
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        def softplus_loss(predictions):
            condition = predictions <= tf.zeros_like(predictions)
            absolute = tf.where(condition, -predictions, predictions)
            return tf.math.log(1 + tf.exp(-absolute))

        def unstable(predictions):
            negative = tf.where(predictions > 0, -predictions, predictions)
            return tf.math.log(1 + tf.exp(-negative))
    """), "m.py").findings
    assert [(finding.code, finding.line) for finding in findings] == [("NAN004", 11)]


def test_a_numpy_hand_written_sigmoid_in_a_test_module_is_an_expected_value():
    # TFCO loss_test: the expected loss, exp(p) / (1 + exp(p)) in NumPy on the test's own fixture; the same code
    # outside a test, and the TensorFlow form in the test, are reported
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def binary_softmax_loss(predictions):
            numerator = np.exp(predictions)
            return numerator / (1 + numerator)

        def tf_form(predictions):
            numerator = tf.exp(predictions)
            return numerator / (1 + numerator)
    """)
    lines = {path: [(f.code, f.line) for f in lint_text(source, path).findings]
             for path in ("rates/loss_test.py", "rates/loss.py")}
    assert lines["rates/loss_test.py"] == [("NAN004", 11)]
    assert lines["rates/loss.py"] == [("NAN004", 7), ("NAN004", 11)]


HELPER_RETURNS = """
    import tensorflow as tf

    LOW, HIGH = -75.0, 75.0

    def clip_before_exp(value):
        return tf.clip_by_value(value, clip_value_min=LOW, clip_value_max=HIGH)

    def broadcast(scores, eta, scale=1.0):
        scores = tf.reshape(tf.tile(scores, [eta]), [eta, -1])
        return scores * scale

    class NLLLoss:
        def _broadcast_score_pos(self, scores_pos, eta):
            return tf.reshape(tf.tile(scores_pos, [eta]), [eta, tf.shape(scores_pos)[0]])

        def loss(self, scores_pos, scores_neg):
            scores_neg = clip_before_exp(scores_neg)
            scores_pos = self._broadcast_score_pos(clip_before_exp(scores_pos), scores_neg.shape[0])
            scores = tf.concat([-scores_pos, scores_neg], 0)
            return tf.reduce_mean(tf.math.log(1 + tf.exp(scores)))

        def by_function(self, scores_pos):
            return tf.math.log(1 + tf.exp(broadcast(clip_before_exp(scores_pos), 3)))

        def scaled(self, scores_pos, w):
            return tf.math.log(1 + tf.exp(broadcast(clip_before_exp(scores_pos), 3, scale=w)))

        def unclipped(self, scores_pos):
            return tf.math.log(1 + tf.exp(broadcast(scores_pos, 3)))

        def nested(self, scores_pos):
            return tf.math.log(1 + tf.exp(broadcast(broadcast(clip_before_exp(scores_pos), 2), 3)))
"""


def test_a_helper_returns_what_its_parameter_holds_at_each_call():
    # ampligraph's NLL loss: the scores are clipped to [-75, 75] by one helper, then tiled and reshaped by another
    # (a method); what the helper returns is the clipped argument of that call, so exp(75) is no overflow. A helper
    # given an unclipped value, or one scaling by an unknown weight, still is.
    assert _codes(HELPER_RETURNS) == [("NAN004", 30), ("NAN004", 33)]


def test_attributes_written_only_with_fixed_values_are_fixed():
    """keras-cv-attention-models' DDIM sampler: a schedule computed in NumPy from the constructor's settings in one
    method, stored on `self`, read in another. Not an attribute also written with data, one whose items a method
    changes, nor another object's attribute."""
    assert _fixed_denominators("""
        import numpy as np

        class Sampler:
            def __init__(self, num_steps=50, linear_start=0.00085, linear_end=0.012):
                self.init_schedule(num_steps, linear_start, linear_end)
                self.table = np.ones(4)
                self.seen = np.ones(4)
                self.history = np.ones(4)
                self.rewards = []

            def init_schedule(self, num_steps=50, linear_start=0.00085, linear_end=0.012):
                beta = np.linspace(linear_start ** 0.5, linear_end ** 0.5, 1000, dtype="float64") ** 2
                alpha_bar = np.cumprod(1.0 - beta, axis=0).astype("float32")
                self.alpha, self.alpha_prev = alpha_bar[1:], alpha_bar[:-1]
                self.steps = np.arange(0, 1000, 1000 // num_steps).astype(int)

            def observe(self, x, i):
                self.seen = x
                self.history[i] = x

            def step(self, t, other):
                1.0 / (self.alpha[t] - self.alpha_prev[t])
                1.0 / self.steps[t]
                1.0 / self.table
                1.0 / self.seen
                1.0 / self.history
                1.0 / other.alpha
                1.0 / np.std(self.rewards)  # a list the instance holds: whoever holds the instance fills it
                returns = np.zeros(4)
                returns[t] = self.seen
                1.0 / np.std(returns)  # written in part, with data
    """) == [True, True, True, True, False, False, False, False, False]  # the first: `1000 // num_steps`


def test_a_fractional_power_of_a_fixed_difference_is_not_reported():
    """DDIM's `(1.0 - alpha_prev - sigma ** 2) ** 0.5` of a schedule computed from the sampler's settings: the same
    on every run, no input makes it negative. The same power of a difference with a network output is reported."""
    source = """
        import numpy as np
        import tensorflow as tf

        class Sampler:
            def __init__(self, linear_start=0.00085, linear_end=0.012, eta=0.0):
                beta = np.linspace(linear_start ** 0.5, linear_end ** 0.5, 1000, dtype="float64") ** 2
                alpha_bar = np.cumprod(1.0 - beta, axis=0).astype("float32")
                alpha, alpha_prev = alpha_bar[1:], alpha_bar[:-1]
                self.alpha_prev = alpha_prev
                self.sigma = eta * ((1 - alpha_prev) / (1 - alpha) * (1 - alpha / alpha_prev)) ** 0.5

            def __call__(self, e_t, step, model, x):
                alpha_prev, sigma = self.alpha_prev[step], self.sigma[step]
                direction = e_t * (1.0 - alpha_prev - sigma ** 2) ** 0.5
                return direction + (1.0 - alpha_prev - model(x)) ** 0.5
    """
    assert _codes(source) == [("NAN008", 16)]


@pytest.mark.parametrize("vector, axis", [
    ("v = tf.concat([xy, tf.ones_like(xy[..., :1])], axis=-1)", "-1"),  # homogeneous coordinates
    ("v = tf.linalg.set_diag(y, tf.ones([n]))", "-1"),  # a diagonal set to ones: each row holds a 1
    ("v = tf.abs(h) + 1.0", "None"),  # every entry >= 1
])
def test_a_norm_is_one_range_whichever_spelling_reads_it(vector, axis):
    """`tf.norm(v)`, the norm written out (`sqrt(reduce_sum(square(v)))`) and `tf.linalg.normalize(v)` read the
    norm's range from `Ranges.norm`: a vector that is never all zero gives no root at 0 (NAN005) and no 0/0 in the
    normalization (NAN002), in all three; the same spellings of a vector that can be all zero give all three."""
    source = (f"import tensorflow as tf\n{vector}\na = tf.norm(v, axis={axis})\n"
              f"b = tf.sqrt(tf.reduce_sum(tf.square(v), axis={axis}))\nc = tf.linalg.normalize(v, axis={axis})\n")
    analysis = analysis_of(source)
    call = next(call for call in analysis.calls if analysis.qualified_name(call.node.func) == "tensorflow.norm")
    assert excludes_zero(analysis.ranges.of(call.node, call.site))
    assert excludes_zero(analysis.ranges.norm(call.node.args[0].value, call.site, call.node.args[1].value))

    def hazards(text: str) -> set[int]:
        found = lint_text(text, "m.py", Selection(preview=True)).findings
        parsed = analysis_of(text)
        return {parsed.position(root.node).start.line for root in roots(parsed)} | {
            finding.line for finding in found if finding.code == "NAN002"}

    assert hazards(source) == set()
    assert hazards(source.replace(vector, "v = tf.concat([xy, tf.zeros_like(xy[..., :1])], axis=-1)")) == {3, 4, 5}
    # entries that are never 0 but whose float32 squares flush to 0 (1e-60): the norm can be 0
    assert hazards(source.replace(vector, "x = tf.constant(1e-30)\nv = x * x")) == {4, 5, 6}
