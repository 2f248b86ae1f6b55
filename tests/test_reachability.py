"""Reachability on its own: a 0 the code constructs (equal operands, a relu, a mask, saturation) is a default
finding; the 0 of a learned projection, a gradient or a Gaussian sample is only plausible (preview)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.reachability import zero_confidence
from nanlint.analysis.roots import roots
from nanlint.finding import Confidence
from nanlint.linter import lint_text
from nanlint.selection import Selection


def _confidence(body: str) -> Confidence:
    """The confidence of the denominator of the (single) division in `body`, a function of a, b, x, grads."""
    source = "import numpy as np\nimport tensorflow as tf\n\n" \
             "class L(tf.keras.layers.Layer):\n    def call(self, a, b, x, embedding):\n" \
             + textwrap.indent(textwrap.dedent(body), "        ")
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    division = next(analysis.divisions())
    value = analysis.values.of(division.denominator, division.site)
    assert value.zero_when is not None, "the test needs a denominator known to reach 0"
    return zero_confidence(analysis, division.denominator, division.site, value)


@pytest.mark.parametrize(("body", "expected"), [
    ("return x / tf.norm(a - b)", Confidence.CONSTRUCTION),  # equal operands
    ("d = a - b\nreturn x / tf.sqrt(tf.reduce_sum(tf.square(d)))", Confidence.CONSTRUCTION),
    ("return x / tf.norm(x)", Confidence.CONSTRUCTION),  # data of unknown origin: a zero row is reachable
    ("return x / tf.math.reduce_std(x)", Confidence.CONSTRUCTION),
    ("h = tf.nn.relu(x)\nreturn x / tf.norm(h)", Confidence.CONSTRUCTION),
    ("e = self.projection(x)\nreturn e / tf.norm(e)", Confidence.IMPROBABLE),  # a learned projection
    ("e = tf.matmul(x, self.w)\nreturn e / tf.norm(e)", Confidence.IMPROBABLE),
    ("return embedding / tf.norm(embedding)", Confidence.IMPROBABLE),
    ("z = tf.random.normal([3])\nreturn z / tf.norm(z)", Confidence.IMPROBABLE),  # a Gaussian sample
    ("z = tf.random_normal([3])\nreturn z / tf.norm(z)", Confidence.IMPROBABLE),  # TF1's spelling (cleverhans)
    ("z = tf.random_uniform([3])\nreturn z / tf.norm(z)", Confidence.IMPROBABLE),
    # tensorflow-graphics' asserts_test: a NumPy Gaussian sample made a tensor with `value=` spelled out
    ("v = tf.convert_to_tensor(value=np.random.normal(size=[4]), dtype=tf.float32)\n"
     "return v / tf.norm(tensor=v, axis=-1)", Confidence.IMPROBABLE),
    # the spread of one element is 0 whatever draws it (tensorflow#56830); its norm is not
    ("z = tf.random.normal([1])\nreturn z / tf.math.reduce_std(z)", Confidence.CONSTRUCTION),
    ("z = tf.random.normal([3])\nreturn z / tf.math.reduce_std(z)", Confidence.IMPROBABLE),
    ("z = tf.random.normal([1])\nreturn z / tf.norm(z)", Confidence.IMPROBABLE),
    ("v = np.random.random((4, 4)).astype('float32')\nreturn v / np.linalg.norm(v)", Confidence.IMPROBABLE),
    # a copy of a slice of a uniform draw (the relative-error case's target): all-zero with probability 0
    ("d = np.random.uniform(-1, 1, size=(100, 2))\ny = d[:, 1:].copy()\n"
     "return x / tf.reduce_sum(tf.square(y))", Confidence.IMPROBABLE),
    ("y = a.copy()\nreturn x / tf.reduce_sum(tf.square(y))", Confidence.CONSTRUCTION),  # a copy of data
    # a gradient is exactly 0 wherever a relu network is flat: WGAN-GP penalties really go NaN
    ("g = tape.gradient(a, x)[0]\nreturn x / tf.sqrt(tf.reduce_sum(tf.square(g)))", Confidence.CONSTRUCTION),
    ("return x / tf.sigmoid(a)", Confidence.CONSTRUCTION),  # saturation
    # sciann's loss-landscape directions: pieces of Gaussian draws, normed through a lambda and a comprehension
    ("norm = lambda xs: np.linalg.norm(xs, 2)\n"
     "n0 = np.split(np.random.standard_normal(30), [10, 20])\n"
     "n1 = np.split(np.random.standard_normal(30), [10, 20])\n"
     "n0 = [ni / norm(ni) for ni in n0]\n"
     "n0_norm, n1_norm = [norm(np.concatenate(ni)) for ni in [n0, n1]]\n"
     "return x / n0_norm", Confidence.IMPROBABLE),
    # the same walk reaches data of unknown origin: a zero row is reachable
    ("norm = lambda xs: np.linalg.norm(xs, 2)\n"
     "a_norm, b_norm = [norm(np.concatenate(v)) for v in [a, b]]\n"
     "return x / a_norm", Confidence.CONSTRUCTION),
    ("norm = lambda xs: np.linalg.norm(xs, 2)\n"
     "n0 = np.split(np.random.standard_normal(30), [10, 20])\n"
     "n0_norm, a_norm = [norm(np.concatenate(v)) for v in [n0, a]]\n"
     "return x / n0_norm", Confidence.CONSTRUCTION),  # one of the sequence is data
    # data plus a noise draw of its own (keras-io's noisy spiral, min-max normalised): constant with probability 0
    ("v = a + np.random.normal(scale=0.2, size=[100, 2])\nreturn v / (np.max(v) - np.min(v))", Confidence.IMPROBABLE),
    ("noise = tf.random.normal(tf.shape(a))\nv = a - noise\nreturn v / tf.norm(v)", Confidence.IMPROBABLE),
    # data plus data, or the draw minus itself, stays reachable
    ("v = a + b\nreturn v / (np.max(v) - np.min(v))", Confidence.CONSTRUCTION),
    ("n = np.random.normal(size=[3])\nv = n - n\nreturn v / tf.norm(v)", Confidence.CONSTRUCTION),
])
def test_zero_confidence(body, expected):
    assert _confidence(body) is expected


def test_plausible_findings_are_preview_in_the_pipeline():
    source = textwrap.dedent("""
        import tensorflow as tf

        class Head(tf.keras.layers.Layer):
            def call(self, image, text):
                image_embeds = self.visual_projection(image)
                return image_embeds / tf.norm(image_embeds, axis=-1, keepdims=True)
    """)
    assert lint_text(source, "m.py", Selection()).findings == ()
    shown = lint_text(source, "m.py", Selection(preview=True)).findings
    assert [(f.code, f.line, f.preview) for f in shown] == [("NAN002", 7, True)]


def test_a_parameter_every_caller_passes_a_weight_is_learned():
    """Weight normalisation of an attention vector (tensorflow-addons' `_bahdanau_score(q, k, self.attention_v)`):
    the norm of a trained weight is 0 only with probability 0; the same helper given data stays by construction."""
    def confidence(passed: str) -> Confidence:
        source = textwrap.dedent(f"""\
            import tensorflow as tf

            def score(q, v):
                return q * v / tf.norm(v)

            class A(tf.keras.layers.Layer):
                def build(self, shape):
                    self.v = self.add_weight("v", [4])

                def call(self, q):
                    return score(q, {passed})
            """)
        analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
        division = next(analysis.divisions())
        value = analysis.values.of(division.denominator, division.site)
        return zero_confidence(analysis, division.denominator, division.site, value)

    assert confidence("self.v") is Confidence.IMPROBABLE
    assert confidence("q") is Confidence.CONSTRUCTION
    # a variable made from values the code writes holds them, 0 included (tensorflow#42602's tf.Variable([[1., 0.]]))
    assert confidence("tf.Variable([[1.0, 0.0]])") is Confidence.CONSTRUCTION
    assert confidence("tf.Variable(0.0)") is Confidence.CONSTRUCTION
    assert confidence("tf.Variable(tf.random.normal([4]))") is Confidence.IMPROBABLE


def test_a_parameter_every_caller_passes_a_learned_product_or_a_random_draw_is_learned():
    """Spectral normalisation's power iteration (taki0112's, copied into most TF SN-GANs): `l2_norm` is given
    `u Wᵀ` and `v W` for a random non-trainable u, 0 only if the weights are orthogonal to it; given data in one
    call, or through a chain of helpers deeper than the analysis follows, it stays by construction."""
    def confidence(calls: str) -> Confidence:
        source = textwrap.dedent("""\
            import tensorflow as tf

            def l2_norm(v, eps=1e-12):
                return v / (tf.reduce_sum(v ** 2) ** 0.5 + eps)

            def spectral_norm(w, x):
                u = tf.get_variable("u", [1, 8], initializer=tf.truncated_normal_initializer(), trainable=False)
                v_ = tf.matmul(u, tf.transpose(w))
            """) + textwrap.indent(textwrap.dedent(calls), "    ")
        analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
        (root,) = [root for root in roots(analysis) if root.spelled == "x ** 0.5"]
        return root.confidence

    assert confidence("v_hat = l2_norm(v_)\nu_hat = l2_norm(tf.matmul(v_hat, w))\n") is Confidence.IMPROBABLE
    assert confidence("z = l2_norm(tf.random.normal([8]))\n") is Confidence.IMPROBABLE
    assert confidence("v_hat = l2_norm(v_)\nx_hat = l2_norm(x)\n") is Confidence.CONSTRUCTION  # data in one call
    assert confidence("x_hat = l2_norm(x - v_)\n") is Confidence.CONSTRUCTION  # a difference: equal operands


def test_what_a_caller_passes_from_a_self_attribute_is_learned_only_when_that_attribute_is_a_layer():
    """keras-hub's gemma3n `_gaussian_topk(self.gate_proj(h))`: a Dense projection, 0 with probability 0; tf-agents'
    `_standard_normalize(self._advantage_fn(returns, values))`: a function handed to the constructor, which may be
    a difference of equal operands."""
    def confidence(attribute: str) -> Confidence:
        source = textwrap.dedent(f"""\
            import tensorflow as tf

            def normalize(values):
                mean, var = tf.nn.moments(values, axes=[0])
                return (values - mean) / (tf.sqrt(var) + 1e-8)

            class Agent(tf.keras.layers.Layer):
                def __init__(self, advantage_fn):
                    super().__init__()
                    self._advantage_fn = advantage_fn
                    self.proj = tf.keras.layers.Dense(8)

                def call(self, returns, values):
                    return normalize({attribute})
            """)
        analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
        (root,) = [root for root in roots(analysis) if root.spelled == "sqrt"]
        return root.confidence

    assert confidence("self.proj(returns)") is Confidence.IMPROBABLE
    assert confidence("self._advantage_fn(returns, values)") is Confidence.CONSTRUCTION


def test_a_keras_initializer_subclass_draws_random_weights():
    # kgcnn's GlorotOrthogonal: an Orthogonal draw rescaled by its own variance, 0 only with probability 0
    source = textwrap.dedent("""\
        import keras as ks
        from keras import ops

        class GlorotOrthogonal(ks.initializers.Orthogonal):
            def __call__(self, shape, dtype="float32"):
                w = super().__call__(shape, dtype=dtype)
                return w * ops.sqrt(2.0 / ops.var(w))

        class Scaled:
            def __call__(self, shape, dtype="float32"):
                w = super().__call__(shape, dtype=dtype)
                return w * ops.sqrt(2.0 / ops.var(w))
        """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    confidences = []
    for division in analysis.divisions():
        value = analysis.values.of(division.denominator, division.site)
        confidences.append(zero_confidence(analysis, division.denominator, division.site, value))
    assert confidences == [Confidence.IMPROBABLE, Confidence.CONSTRUCTION]  # a class that is no initializer: data
