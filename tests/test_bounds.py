"""Bounds (analysis/bounds.py) and the value transfers exp/pow/acos rules rest on: upper and lower bounds through
clips, caps, shifts and negations; sums of exps under a log; tensors the code treats as logits; cosines; and the
values of clamps, weights and exponents (values.py)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.binder import END, At
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer


def _analysis(source: str) -> ModuleAnalysis:
    return ModuleAnalysis.build(cst.parse_module(textwrap.dedent(source)))


def _returned(source: str, function: str = "f") -> tuple[ModuleAnalysis, cst.BaseExpression, At]:
    """The analysis, the expression `function` returns, and the point at its end."""
    analysis = _analysis(source)
    scope = analysis.functions[function]
    return analysis, scope.returns[-1], At(scope, END)


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
])
def test_upper_and_lower_bounds(expression, upper, lower):
    analysis, returned, at = _returned(f"""
        import math
        import tensorflow as tf

        def f(x, s, h, w):
            return {expression}
    """)
    assert analysis.bounds.upper(returned, at) == upper
    if lower is not None:
        assert analysis.bounds.lower(returned, at) == lower


def _logs(source: str) -> list[tuple[str, int]]:
    analysis = _analysis(source)
    return [(found.form, len(found.overflowing)) for found in analysis.bounds.logs_of_exp_sums]


@pytest.mark.parametrize("expression, expected", [
    ("tf.math.log(1.0 + tf.exp(x))", [("softplus", 1)]),
    ("tf.math.log(tf.exp(x) + 1.0)", [("softplus", 1)]),
    ("tf.math.log1p(tf.exp(x))", [("softplus", 1)]),
    ("tf.math.log1p(tf.exp(-tf.abs(x)))", [("softplus", 0)]),  # the stable form: -|x| <= 0
    ("tf.math.log(tf.exp(tf.clip_by_value(x, -13.8, 13.8)) + 1.0)", [("softplus", 0)]),
    ("tf.math.log((tf.exp(x) + tf.exp(-x)) / 2)", [("log-cosh", 2)]),
    ("tf.math.log(tf.math.cosh(x))", [("log-cosh", 1)]),
    ("tf.math.log(tf.reduce_sum(tf.exp(x), axis=-1))", [("log-sum-exp", 1)]),
    ("tf.math.log(tf.reduce_sum(tf.exp(x - tf.reduce_max(x, -1, keepdims=True)), -1))", [("log-sum-exp", 0)]),
    ("tf.math.log(tf.exp(x))", []),  # log(exp(x)) is x: no sum
    ("tf.math.log(1.0 - tf.exp(x))", []),  # a difference, not a sum
])
def test_logs_of_exp_sums(expression, expected):
    assert _logs(f"""
        import tensorflow as tf

        def f(x):
            return {expression}
    """) == expected


def test_exp_sum_is_followed_into_a_nested_helper():
    assert _logs("""
        from keras import backend as K

        def logcosh(y_true, y_pred):
            def cosh(x):
                return (K.exp(x) + K.exp(-x)) / 2
            return K.mean(K.log(cosh(y_pred - y_true)), axis=-1)
    """) == [("log-cosh", 2)]


def test_a_tensor_given_to_sigmoid_elsewhere_is_logits():
    analysis = _analysis("""
        from keras import backend as K

        def head(feats, anchors):
            feats = K.reshape(feats, [-1, 13, 13, 3, 85])
            xy = K.sigmoid(feats[..., :2])
            wh = K.exp(feats[..., 2:4]) * anchors
            scale = K.exp(anchors)
            return xy, wh, scale
    """)
    exp_wh, exp_anchors = analysis.calls_of(Op.EXP)
    assert analysis.bounds.squashed_elsewhere(analysis.operand(exp_wh.node), exp_wh.site) is not None
    assert analysis.bounds.squashed_elsewhere(analysis.operand(exp_anchors.node), exp_anchors.site) is None


@pytest.mark.parametrize("expression, cosine", [
    ("tf.reduce_sum(u * v, -1) / (tf.norm(u, axis=-1) * tf.norm(v, axis=-1) + 1e-7)", "dot"),
    ("dot(u, v) / tf.sqrt(kxx)[:, None] / tf.sqrt(kyy)[None, :]", "dot"),  # through the helper's return
    ("(u @ v) / tf.sqrt(kxx)", "dot"),
    ("tf.reduce_sum(tf.math.l2_normalize(u, -1) * tf.math.l2_normalize(v, -1), -1)", "dot"),
    ("u[..., 2] / tf.maximum(tf.norm(u, axis=-1), 1e-7)", "component"),
    ("kxx / v", None),
    ("tf.clip_by_value(kxx, -1.0, 1.0)", None),
])
def test_cosines(expression, cosine):
    analysis, returned, at = _returned(f"""
        import tensorflow as tf

        def dot(a, b):
            return tf.matmul(a, b, transpose_b=True) + 1.0

        def f(u, v, kxx, kyy):
            return {expression}
    """)
    assert analysis.bounds.cosine(returned, at) == cosine


@pytest.mark.parametrize("expression, producer", [
    ("tf.maximum(y, 0.0)", Producer.FLOORED),
    ("tf.clip_by_value(y, 0.0, 1.0)", Producer.FLOORED),
    ("tf.minimum(tf.maximum(y, 0.0), 1.0)", Producer.FLOORED),
    ("tf.minimum(tf.nn.relu(y), 6.0)", Producer.RELU),  # a cap keeps the zeros of what it caps
    ("tf.maximum(y, 1e-7)", None),  # a positive floor guards
    ("w * y", Producer.LINEAR),
    ("tf.add(tf.multiply(w, y), b)", Producer.LINEAR),
    ("w * 2.0", None),  # a constant multiple of a weight is no function of the input
])
def test_value_transfers_of_clamps_and_weights(expression, producer):
    analysis, returned, at = _returned(f"""
        import tensorflow as tf

        w = tf.Variable(0.5)
        b = tf.Variable(0.0)

        def f(y):
            return {expression}
    """)
    value = analysis.values.of(returned, at)
    assert value.producer is producer
    if producer is not None:
        assert value.zero_when is not None or producer is Producer.LINEAR


def test_numbers_through_constants_attributes_and_callers():
    analysis = _analysis("""
        import math
        import tensorflow as tf

        gamma = tf.constant(1.0 / 2.4, tf.float32)
        log_eps = math.log(1e-6)

        class Focal:
            def __init__(self, gamma=2.0):
                self._gamma = gamma

            def loss(self, p):
                return tf.pow(1.0 - p, self._gamma), tf.pow(p, gamma), -log_eps

        focal = Focal(gamma=0.5)
    """)
    scope = analysis.functions["Focal.loss"]
    first, second, third = (element.value for element in scope.returns[-1].elements)
    at = At(scope, END)
    assert analysis.values.number(first.args[1].value, at) == 0.5
    assert analysis.values.constant(second.args[1].value, at) == pytest.approx(1 / 2.4)
    assert analysis.values.constant(third, at) == pytest.approx(13.8155, abs=1e-3)


def test_trainable_weights_through_attributes_and_wrappers():
    analysis = _analysis("""
        import tensorflow as tf

        exponents = tf.Variable(tf.ones([8, 1]))

        class Gem(tf.keras.layers.Layer):
            def build(self, shape):
                self.p = self.add_weight(shape=(1,))

            def call(self, x):
                return tf.pow(x, self.p), tf.pow(x, tf.transpose(exponents)), tf.pow(x, 3.0)
    """)
    scope = analysis.functions["Gem.call"]
    calls = [element.value for element in scope.returns[-1].elements]
    at = At(scope, END)
    assert [analysis.values.is_weight(call.args[1].value, at) for call in calls] == [True, True, False]
