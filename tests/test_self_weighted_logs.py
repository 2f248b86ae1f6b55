"""A log weighted by its own argument (analysis/domain.py `SelfWeightedLog`, NAN001): `p * log(p)`, `y_true *
log(y_true / y_pred)`. The formula means 0 * log(0) = 0; floating point computes 0 * -Inf = NaN wherever the weight
is exactly 0 (TF 2.21: a KL loss on one-hot labels is NaN, and so is every gradient through y_pred; Keras'
KLDivergence clips y_true for this reason)."""

from __future__ import annotations

import textwrap

from nanlint.linter import lint_text
from nanlint.selection import Selection


def _findings(source: str, path: str = "m.py", preview: bool = False) -> list[tuple[str, int, str]]:
    result = lint_text(textwrap.dedent(source), path, Selection(preview=preview))
    return [(finding.code, finding.line, finding.message) for finding in result.findings]


def _self_weighted(source: str, path: str = "m.py", preview: bool = False) -> list[tuple[int, str]]:
    return [(line, message) for code, line, message in _findings(source, path, preview)
            if code == "NAN001" and "not the 0 the formula means" in message]


_KL_ON_SOFTMAX = """
    import tensorflow as tf

    def kl(y_true, y_pred):
        return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), -1)

    inputs = tf.keras.Input((10,))
    outputs = tf.keras.layers.Dense(5, activation="softmax")(inputs)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=kl)
"""


def test_a_kl_loss_logs_its_labels_zeros():
    ((line, message),) = _self_weighted(_KL_ON_SOFTMAX)
    assert line == 5
    assert "`y_true` is 0 (labels" in message and "0 * -Inf is NaN" in message
    assert "with a NaN gradient" in message  # the quotient passes it back to y_pred (measured)
    assert "xlogy" in message


def test_the_difference_form_claims_no_gradient():
    # log(y_true) does not depend on the prediction: the loss is NaN, its gradient finite (TF 2.21)
    found = _self_weighted("""
        import tensorflow as tf

        def kl(y_true, y_pred):
            return tf.reduce_sum(y_true * (tf.math.log(y_true) - tf.math.log(y_pred)), -1)
    """)
    ((line, message),) = found
    assert line == 5 and "gradient" not in message.split(";")[0]


def test_an_entropy_of_a_parameter_and_the_function_spellings_are_preview():
    # a parameter's zero is reachable for inputs the code does not show (PLAUSIBLE)
    source = """
        import tensorflow as tf

        def entropy(p):
            return -tf.reduce_sum(p * tf.math.log(p), axis=-1)

        def kl(p, q):
            log_ratio = tf.math.log(p / q)
            return tf.reduce_sum(tf.multiply(p, log_ratio))
    """
    assert _self_weighted(source) == []
    assert [line for line, _ in _self_weighted(source, preview=True)] == [5, 8]


def test_guarded_weights_are_clean():
    assert _self_weighted("""
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def keras_kld(y_true, y_pred):
            y_true = K.clip(y_true, K.epsilon(), 1)
            y_pred = K.clip(y_pred, K.epsilon(), 1)
            return K.sum(y_true * K.log(y_true / y_pred), axis=-1)

        def with_eps(p):
            return -tf.reduce_sum((p + 1e-8) * tf.math.log(p + 1e-8))

        def with_xlogy(y_true, y_pred):
            return tf.reduce_sum(tf.math.xlogy(y_true, y_true / y_pred), -1)

        def constant(smoothing):
            confidence = 1.0 - 0.1
            return confidence * tf.math.log(confidence)
    """) == []


def test_a_where_guard_keeps_the_forward_value_but_not_the_gradient():
    # TF 2.21: where(y > 0, y * log(y / p), 0) is finite, its gradient through p NaN
    found = _self_weighted("""
        import tensorflow as tf

        def kl(y_true, y_pred):
            return tf.where(y_true > 0, y_true * tf.math.log(y_true / y_pred), 0.0)
    """)
    assert [line for line, _ in found] == [5]


def test_a_softmax_weight_keeps_its_own_message_and_a_prediction_is_no_zero_source():
    findings = _findings("""
        import tensorflow as tf

        def entropy(logits):
            p = tf.nn.softmax(logits)
            return -tf.reduce_sum(p * tf.math.log(p), -1)

        def confidence_penalty(y_true, y_pred):
            return tf.reduce_sum(y_pred * tf.math.log(y_pred), -1)
    """)
    assert [(code, line) for code, line, _ in findings] == [("NAN001", 6)]
    assert "softmax output" in findings[0][2]


def test_a_value_computed_here_from_unknown_data_is_not_reported():
    # tfp's Empirical entropy: counts of unique values are >= 1
    assert _self_weighted("""
        import tensorflow as tf

        def entropy(samples, n):
            count = tf.unique_with_counts(samples).count
            prob = tf.cast(count / n, tf.float32)
            return tf.reduce_sum(-prob * tf.math.log(prob))
    """) == []


def test_regression_targets_are_plausible_only():
    source = """
        import tensorflow as tf

        def poisson_deviance(y_true, y_pred):
            return tf.reduce_mean(y_true * tf.math.log(y_true / y_pred) - (y_true - y_pred))

        inputs = tf.keras.Input((10,))
        outputs = tf.keras.layers.Dense(1, activation="softplus")(inputs)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=poisson_deviance)
    """
    assert _self_weighted(source) == []
    ((line, message),) = _self_weighted(source, preview=True)
    assert line == 5 and "regression targets" in message


def test_outside_the_frameworks_a_kl_of_labels_is_reported_and_of_a_parameter_not():
    # measured on NumPy libraries: labels hold; parameters were 5 FALSE of 7 (bench/FINDINGS.md)
    found = _self_weighted("""
        import numpy as np

        def kullback_leibler_divergence(y_true, y_pred):
            return np.sum(y_true * np.log(y_true / y_pred))

        def kl_divergence(pk, qk):
            return pk * np.log(pk / qk)
    """)
    ((line, message),) = found
    assert line == 5 and "scipy.special.xlogy" in message and "tf." not in message


def test_in_a_framework_file_a_kl_of_a_probability_parameter_is_a_preview_finding():
    found = _self_weighted(preview=True, source="""
        import numpy as np
        import tensorflow as tf

        def kl_divergence(pk, qk):
            qk = np.clip(qk, 1e-6, 1 - 1e-6)
            return pk * np.log(pk / qk) + (1 - pk) * np.log((1 - pk) / (1 - qk))
    """)
    assert [line for line, _ in found] == [7, 7]
    assert all("scipy.special.xlogy" in message and "tf." not in message for _, message in found)
    assert "where `pk` is 1, so `(1 - pk)` is 0" in found[1][1]


def test_guarded_numpy_weights_are_clean():
    assert _self_weighted("""
        import numpy as np
        import tensorflow as tf

        def kl_divergence(pk, qk):
            if pk == 0:
                return -np.log(1 - qk)
            elif pk == 1:
                return -np.log(qk)
            return pk * np.log(pk / qk) + (1 - pk) * np.log((1 - pk) / (1 - qk))

        def masked(y_true, y_pred):
            mask = y_true != 0
            return np.sum(y_true[mask] * np.log(y_true[mask] / y_pred[mask]))

        def deviance(endog, mu):
            return np.where(endog == 0, mu, endog * np.log(endog / mu) + (mu - endog))
    """) == []


def test_outside_the_frameworks_test_code_is_not_reported():
    source = """
        import numpy as np

        def kl(y_true, y_pred):
            return np.sum(y_true * np.log(y_true / y_pred))
    """
    assert len(_self_weighted(source)) == 1
    assert _self_weighted(source, path="tests/test_kl.py") == []


def test_a_where_over_the_result_replaces_the_labels_zeros():
    # tf-models' poisson metric: x * (1 - log(x)) replaced by 0 where x == 0 afterwards; labels carry no gradient
    assert _self_weighted("""
        import tensorflow as tf

        def safe_x_minus_xlogx(x):
            values = x * (1.0 - tf.math.log(x))
            return tf.where(tf.equal(x, 0.0), tf.zeros_like(x), values)

        def loss(y_true, y_pred):
            return tf.reduce_mean(safe_x_minus_xlogx(y_true) - y_true * tf.math.log(y_pred))
    """) == []


def test_a_helper_s_weight_is_what_its_callers_pass():
    found = _self_weighted(preview=True, source="""
        import numpy as np
        import tensorflow as tf

        def _entropy(probs):
            return (-probs * np.log(probs)).sum()

        def shannon(counts):
            probs = counts / counts.sum()
            return _entropy(probs)

        class Tree:
            @staticmethod
            def kl_divergence(pk, qk):
                return pk * np.log(pk / qk)

            def evaluate_kl(self, summary, control):
                return sum(self.kl_divergence(summary[group][0], summary[control][0]) for group in summary)
    """)
    # a distribution computed from data is the data's business; the entries of an uncalled method's parameter
    # are the caller's, and a probability of 0 is a legal one
    ((line, message),) = found
    assert line == 15 and "holds entries of the parameter `summary`" in message
