"""Which files are linted, and with what: a file that never mentions TensorFlow or Keras gets only the mechanisms
measured to hold in any array code (README, "Which files are linted"; bench/FINDINGS.md)."""

from __future__ import annotations

import textwrap

from nanlint.linter import lint_text


def _codes_and_lines(source: str) -> list[tuple[str, int]]:
    result = lint_text(textwrap.dedent(source), "m.py")
    return [(finding.code, finding.line) for finding in result.findings]


def test_outside_the_frameworks_a_masked_mean_and_an_overlap_ratio_are_reported():
    found = _codes_and_lines("""
        import numpy as np

        def masked_mse(pred, target, mask):
            loss = ((pred - target) ** 2).mean(axis=-1)
            return (loss * mask).sum() / mask.sum()

        def iou(w1, h1, w2, h2, inter):
            return float(inter) / (w1 * h1 + w2 * h2 - inter)
    """)
    assert found == [("NAN002", 6), ("NAN002", 9)]


def test_outside_the_frameworks_the_other_mechanisms_are_not():
    # a norm, a count, a sum of squares and a log: in NumPy library code these are mostly non-zero by construction
    assert _codes_and_lines("""
        import numpy as np

        def f(v, cond, p):
            unit = v / np.linalg.norm(v)
            share = 1 / np.count_nonzero(cond)
            return unit, share, v / (v ** 2).sum(), np.log(p) - np.log(1 - p)
    """) == []


SPREADS = """
    import numpy as np

    def normalize(image, signals, x):
        scaled = (image - image.min()) / (image.max() - image.min())
        z = (signals - signals.mean(axis=-1, keepdims=True)) / signals.std(axis=-1, keepdims=True)
        return scaled, z, x / np.var(x, axis=1)
"""


def test_outside_the_frameworks_a_spread_of_a_constant_input_is_reported():
    result = lint_text(textwrap.dedent(SPREADS), "preprocess.py")
    assert [(finding.code, finding.line) for finding in result.findings] == [("NAN002", 5), ("NAN002", 6),
                                                                             ("NAN002", 7)]
    assert "0 for a constant input" in result.findings[0].message


def test_outside_the_frameworks_a_spread_in_test_code_is_not():
    # a test normalizes its own fixtures and random draws
    for path in ("tests/helpers.py", "pkg/test_scaling.py", "scaling_test.py"):
        assert lint_text(textwrap.dedent(SPREADS), path).findings == ()


def test_outside_the_frameworks_a_guarded_spread_is_clean():
    assert _codes_and_lines("""
        import numpy as np

        def normalize(image):
            lo, hi = image.min(), image.max()
            if hi == lo:
                return np.zeros_like(image)
            return (image - lo) / (hi - lo)

        def zscore(a, threshold):
            std = np.std(a, axis=0)
            std[np.less(std, threshold)] = 1.0
            return (a - a.mean(axis=0)) / std
    """) == []


def test_the_readme_names_every_mechanism_reported_outside_the_frameworks():
    # one source of truth: the checks' `outside_frameworks` facts, which the README's paragraph must name
    from pathlib import Path

    from nanlint.checks import outside_framework_checks

    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    for check in outside_framework_checks():
        for mechanism in check.outside_frameworks:
            assert mechanism in readme, mechanism


def test_outside_the_frameworks_the_message_says_what_a_python_number_does():
    result = lint_text("def iou(a1, a2, inter):\n    return inter / (a1 + a2 - inter)\n", "m.py")
    (finding,) = result.findings
    assert "ZeroDivisionError for Python numbers" in finding.message
    assert "tf." not in finding.message


def test_outside_the_frameworks_a_noqa_for_a_check_that_does_not_run_there_is_not_unused():
    source = "import numpy as np\n\ndef f(p):\n    return np.sqrt(p)  # noqa: NAN005\n"
    assert lint_text(source, "m.py").findings == ()


def test_a_guarded_masked_mean_outside_the_frameworks_is_clean():
    assert _codes_and_lines("""
        def masked_mse(loss, mask):
            count = mask.sum()
            if count == 0:
                return 0.0
            return (loss * mask).sum() / count
    """) == []


def test_framework_files_keep_every_mechanism():
    found = _codes_and_lines("""
        import numpy as np
        import tensorflow as tf

        def f(v):
            return v / np.linalg.norm(v)
    """)
    assert found == [("NAN002", 6)]


def test_a_deepxde_script_on_its_tensorflow_backend_is_a_framework_file():
    # DeepXDE's scripts import TensorFlow through its backend without naming it; `tf.log` is TensorFlow's log
    found = _codes_and_lines("""
        import deepxde as dde
        from deepxde.backend import tf

        def pde(x, y):
            return tf.log(tf.nn.relu(y))
    """)
    assert found == [("NAN001", 6)]
    assert _codes_and_lines("import deepxde as dde\n\ndef pde(x, y):\n    return y ** 0.5 + 1 / (x - x)\n") == []


def test_outside_the_frameworks_an_unparsable_file_is_skipped_as_before():
    assert lint_text("keep me\n", "notes.py").findings == ()
    assert [finding.code for finding in lint_text("import keras\nkeep me\n", "m.py").findings] == ["NAN900"]


def test_a_metric_handed_in_is_read_in_keras_order_only_in_keras_code():
    # tflearn's forest estimator: TF1 code whose own metric ops take (predictions, targets), no Keras in the file
    body = "\ndef evaluate(metric, pred, Y):\n    return metric(pred, Y)\n"
    assert _codes_and_lines("import tensorflow.compat.v1 as tf\n" + body) == []
    keras_code = "import tensorflow as tf\nlayer = tf.keras.layers.Dense(1)\n" + body
    assert _codes_and_lines(keras_code) == [("NAN104", 5)]


def test_outside_the_frameworks_acos_of_a_normalised_dot_product_is_reported_and_nothing_else_of_nan006():
    # rounding puts x·x / (|x| |x|) past 1 in any float type: a forward NaN, no gradient needed
    found = _codes_and_lines("""
        import numpy as np

        def angle(a, b):
            return np.arccos(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))

        def clipped(a, b):
            return np.arccos(np.clip(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0))

        def polar(p):
            return np.arccos(p[2] / np.linalg.norm(p))
    """)
    assert found == [("NAN006", 5)]


def test_outside_the_frameworks_acos_of_a_dot_product_of_vectors_not_normalised_is_reported():
    # SELD DCASE2020's DOA metric (seld-dcase2020#3): regressed directions are not unit vectors, and unit ones
    # round past 1 (measured, NumPy 2: 18% of unit vectors dotted with themselves exceed 1 in float64)
    found = _codes_and_lines("""
        import numpy as np

        def distance(x1, y1, z1, x2, y2, z2):
            return np.arccos(x1*x2 + y1*y2 + z1*z2) * 180 / np.pi

        def angle(a, b):
            return np.arccos(np.dot(a, b))

        def clipped(x1, y1, z1, x2, y2, z2):
            return np.arccos(np.clip(x1*x2 + y1*y2 + z1*z2, -1, 1))

        def bounded(p, q):
            return np.arcsin(0.5 * np.tanh(p) * np.tanh(q) + 0.5 * np.tanh(q) * np.tanh(p))
    """)
    assert found == [("NAN006", 5), ("NAN006", 8)]


def test_outside_the_frameworks_an_angle_tested_for_nan_afterwards_is_repaired():
    # deepchem's angle_between: `if np.isnan(angle):` returns 0 or pi, the NaN is the author's signal
    found = _codes_and_lines("""
        import numpy as np

        def unit_vector(vector):
            return vector / np.linalg.norm(vector)

        def angle_between(vector_i, vector_j):
            angle = np.arccos(np.dot(unit_vector(vector_i), unit_vector(vector_j)))
            if np.isnan(angle):
                return 0.0
            return angle

        def angle_unrepaired(vector_i, vector_j):
            angle = np.arccos(np.dot(unit_vector(vector_i), unit_vector(vector_j)))
            return angle
    """)
    assert found == [("NAN006", 14)]


def test_outside_the_frameworks_a_norm_summed_over_a_comprehension_is_a_norm():
    # Stack Overflow 48235232: [1, 1, 1] against [-1, -1, -1] gives -1.0000000000000002 and arccos NaN (NumPy 2.x,
    # measured, with the list comprehension and with the builtin sum of a generator)
    found = _codes_and_lines("""
        import numpy as np

        def mag(x):
            return np.sqrt(sum(i ** 2 for i in x))

        def mag_list(x):
            return np.sqrt(np.sum([i * i for i in x]))

        def angle(u, v):
            return np.arccos(np.dot(u, v) / (mag(u) * mag(v)))

        def angle_list(u, v):
            return np.arccos(np.dot(u, v) / (mag_list(u) * mag_list(v)))

        def unrooted(u, v):
            return np.arccos(np.dot(u, v) / sum(i ** 2 for i in u))
    """)
    assert found == [("NAN006", 11), ("NAN006", 14)]


SOFTMAXES = """
    import numpy as np

    def policy(logits):
        return np.exp(logits) / np.sum(np.exp(logits))

    def rows(x):
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)

    def shifted(x):
        e = np.exp(x - np.max(x))
        return e / e.sum()

    def normed(q):
        e = np.exp(q / np.max(np.abs(q)))
        return e / np.sum(e)

    def gate(x):
        return np.exp(x) / (1 + np.exp(x))

    def softplus(x):
        return np.log(1 + np.exp(x))

    def boltzmann(q_values, tau, clip):
        exp_values = np.exp(np.clip(q_values / tau, clip[0], clip[1]))
        return exp_values / np.sum(exp_values)

    def sample(preds, temperature):
        preds = np.log(preds) / temperature
        return np.exp(preds) / np.sum(np.exp(preds))
"""


def test_outside_the_frameworks_a_numpy_softmax_without_the_max_subtracted_is_reported():
    # Inf/Inf once a logit exceeds float64's 709.78 (real reports: RL agents, genetic algorithms); a max-shifted or
    # scaled exponent cannot overflow; the other hand-written squashes stay framework-only
    result = lint_text(textwrap.dedent(SOFTMAXES), "agent.py")
    assert [(finding.code, finding.line) for finding in result.findings] == [("NAN004", 5), ("NAN004", 9)]
    assert "709.78 in float64" in result.findings[0].message and "tf." not in result.findings[0].message
    assert lint_text(textwrap.dedent(SOFTMAXES), "tests/test_agent.py").findings == ()


def test_a_numpy_softmax_in_a_tensorflow_file_is_reported_with_numpys_thresholds():
    source = "import tensorflow as tf\n" + textwrap.dedent(SOFTMAXES)
    findings = lint_text(source, "agent.py").findings
    assert [(f.code, f.line) for f in findings] == [("NAN004", 6), ("NAN004", 10), ("NAN004", 21)]
    # NumPy's sigmoid: float64's threshold, and no TensorFlow op offered as its fix
    assert "709.78 in float64" in findings[2].message and findings[2].fix is None


CRF_UNARY = """
    import numpy as np

    def unary(feat):
        feat = feat.astype(np.float32)
        feat = np.exp(feat - np.max(feat, axis=2, keepdims=True))
        feat /= np.sum(feat, axis=2, keepdims=True)
        return -np.log(feat)

    def unary_guarded(feat):
        feat = np.exp(feat - np.max(feat, axis=2, keepdims=True))
        feat /= np.sum(feat, axis=2, keepdims=True)
        return -np.log(feat + 1e-5)
"""


def test_outside_the_frameworks_the_log_of_a_numpy_softmax_is_reported_with_numpys_thresholds():
    # DSRG's CRF unary (crf.py imports only NumPy): a max-shifted softmax entry is exactly 0 once its logit trails
    # the largest by 745.13 in float64, 103.97 in a float32 array (NumPy keeps subnormals; measured)
    result = lint_text(textwrap.dedent(CRF_UNARY), "crf.py")
    ((code, line, message),) = [(f.code, f.line, f.message) for f in result.findings]
    assert (code, line) == ("NAN001", 8)
    assert "745.13 in float64" in message and "103.97 for a float32 array" in message and "86.75" not in message
    assert lint_text(textwrap.dedent(CRF_UNARY), "tests/test_crf.py").findings == ()


def test_a_numpy_softmax_logged_in_a_tensorflow_file_states_numpys_thresholds():
    findings = lint_text("import tensorflow as tf\n" + textwrap.dedent(CRF_UNARY), "crf.py").findings
    assert [(f.code, f.line) for f in findings] == [("NAN001", 9)]
    assert "745.13 in float64" in findings[0].message and "86.75" not in findings[0].message


def test_a_keras_softmax_logged_in_numpy_keeps_tensorflows_threshold():
    # the probabilities were computed by the Keras layer in float32 (denormals flushed), then handed to NumPy
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(5, activation="softmax")])

        def beam(x):
            probs = model.predict(x)
            return np.log(probs)
    """)
    (finding,) = lint_text(source, "m.py").findings
    assert finding.code == "NAN001" and "86.75 in float32" in finding.message


TF_NORMALIZE = """
import tensorflow as tf

def _normalize(x):
    mean = tf.math.reduce_mean(x, axis=-1, keepdims=True)
    stddev = tf.math.reduce_std(x, axis=-1, keepdims=True)
    return tf.math.divide(tf.math.subtract(x, mean), stddev)

def _scale(x):
    return x / tf.norm(x, axis=-1, keepdims=True)
"""


def test_in_framework_test_code_a_spread_is_not_reported_and_other_divisors_still_are():
    # tensorflow_gnn's mt_albis/layers_test.py `_normalize` of an expected row: a test's own data, as outside the
    # frameworks; the same helper in library code is reported, and a norm in a test still is (not a spread)
    assert [(f.code, f.line) for f in lint_text(TF_NORMALIZE, "layers.py").findings] == [("NAN002", 7),
                                                                                         ("NAN002", 10)]
    assert [(f.code, f.line) for f in lint_text(TF_NORMALIZE, "mt_albis/layers_test.py").findings] == [
        ("NAN002", 10)]
