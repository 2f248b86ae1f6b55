"""tanh rounds to exactly ±1 once it saturates (|x| >= 7.91 in float32 with TensorFlow's kernel, 9.01 correctly
rounded; 4.51 in float16): 1 - tanh², 1 - tanh and 1 + tanh are 0 there, and atanh of a tanh output is ±Inf
(values.py TANH_SATURATION; bench/bugs tensorflow/probability#318, tensorflow/agents#166)."""

from __future__ import annotations

import textwrap

import pytest

from nanlint.linter import lint_text


def _findings(source: str) -> list[tuple[str, int, str]]:
    result = lint_text("import numpy as np\nimport tensorflow as tf\n" + textwrap.dedent(source), "m.py")
    return [(finding.code, finding.line - 2, finding.message) for finding in result.findings]


def _codes(source: str) -> list[tuple[str, int]]:
    return [(code, line) for code, line, _ in _findings(source)]


@pytest.mark.parametrize("source, code", [
    # SAC's squashed-Gaussian correction without an epsilon
    ("""
     def log_prob(u, logp):
         a = tf.tanh(u)
         return logp - tf.reduce_sum(tf.math.log(1 - a ** 2), axis=-1)
     """, "NAN001"),
    ("""
     def log_prob(u):
         a = tf.nn.tanh(u)
         return tf.math.log(1.0 - tf.square(a))
     """, "NAN001"),
    ("""
     def log_prob(u):
         a = tf.tanh(u)
         return tf.math.log(1 - a * a)
     """, "NAN001"),
    ("""
     def ildj(y):
         return -tf.math.log1p(-tf.square(y))

     out = ildj(tf.tanh(tf.random.normal([3])))
     """, "NAN001"),
    ("""
     def bounds(h):
         t = tf.tanh(h)
         return tf.math.log(1 + t) + tf.math.log(1 - t)
     """, "NAN001"),
    ("""
     def f(h):
         return tf.math.log1p(tf.tanh(h))
     """, "NAN001"),
    ("""
     def f(h):
         t = tf.tanh(h)
         return 1.0 / (1.0 - t ** 2)
     """, "NAN002"),
    ("""
     def inverse(h):
         return tf.math.atanh(tf.tanh(h))
     """, "NAN006"),
])
def test_a_saturated_tanh_is_a_zero_source(source, code):
    found = _findings(source)
    assert code in [found_code for found_code, _, _ in found], found
    message = next(message for found_code, _, message in found if found_code == code)
    assert "tanh rounds to ±1 at |x| >= 7.91 in float32" in message or code == "NAN002"


@pytest.mark.parametrize("source", [
    # the guards: an epsilon, a clip strictly inside (-1, 1), the stable softplus form
    """
    def log_prob(u):
        a = tf.tanh(u)
        return tf.math.log(1 - a ** 2 + 1e-6)
    """,
    """
    def inverse(h):
        y = tf.clip_by_value(tf.tanh(h), -1 + 1e-6, 1 - 1e-6)
        return tf.math.atanh(y)
    """,
    """
    def log_det(u):
        return 2.0 * (np.log(2.0) - u - tf.nn.softplus(-2.0 * u))
    """,
    # a scaled tanh is no longer 1 at saturation
    """
    def f(h):
        t = 0.5 * tf.tanh(h)
        return tf.math.log(1 - t ** 2)
    """,
    # a square of something else, and a log of 1 plus a square
    """
    def f(h):
        t = tf.tanh(h)
        return tf.math.log(1 + t ** 2) + tf.math.log1p(tf.square(t))
    """,
])
def test_guarded_or_scaled_tanh_is_not_reported(source):
    assert _codes(source) == []


def test_the_bijector_contract_gives_inverse_the_forward_output():
    source = """
    from tensorflow_probability.python.bijectors import bijector

    class Tanh(bijector.Bijector):
        def _forward(self, x):
            return tf.nn.tanh(x)

        def _inverse(self, y):
            return tf.atanh(y)

        def _inverse_log_det_jacobian(self, y):
            return -tf.math.log1p(-tf.square(y))

    class Shift(bijector.Bijector):
        def _forward(self, x):
            return x + 1.0

        def _inverse(self, y):
            return tf.atanh(y)
    """
    assert _codes(source) == [("NAN006", 9), ("NAN001", 12)]


def test_the_bijector_contract_needs_a_bijector_base():
    source = """
    class Codec:
        def _forward(self, x):
            return tf.nn.tanh(x)

        def _inverse(self, y):
            return tf.atanh(y)
    """
    assert _codes(source) == []


def test_atanh_of_a_clip_that_rounds_to_one_is_an_epsilon_finding():
    source = """
    def inverse(h):
        return tf.math.atanh(tf.clip_by_value(tf.tanh(h), -1 + 1e-8, 1 - 1e-8))
    """
    assert [code for code, _ in _codes(source)] == ["NAN003", "NAN003"]  # both bounds round to ±1


def test_float64_modules_get_float64_thresholds():
    source = """
    tf.keras.backend.set_floatx("float64")

    def log_prob(u):
        return tf.math.log(1 - tf.tanh(u) ** 2)
    """
    (message,) = [message for code, _, message in _findings(source) if code == "NAN001"]
    assert "17.72 in float64" in message
