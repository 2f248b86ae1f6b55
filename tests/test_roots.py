"""Roots on their own: which spellings hide a square root, what is under it, and how it reaches 0."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.roots import other_backend, roots
from nanlint.finding import Confidence


def _roots(body: str) -> dict[int, tuple[str, str, str, Confidence, bool]]:
    """Each root of `body` (a function's statements) by its line in the body (1 = first statement):
    (spelling, zero condition, gradient at 0, confidence, part of a denominator)."""
    source = "import numpy as np\nimport tensorflow as tf\nfrom keras import backend as K\n\ndef f(a, b, x, W):\n" \
        + textwrap.indent(textwrap.dedent(body).strip("\n") + "\n", "    ")
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    return {analysis.position(root.node).start.line - 5: (root.spelled, root.zero_when, root.outcome,
                                                            root.confidence, root.divides)
            for root in roots(analysis)}


def test_norms_stds_and_global_norms_are_roots_with_their_mechanism():
    found = _roots("""
        d = tf.norm(a - b, axis=-1)
        s = K.std(x, axis=-1)
        g = tf.linalg.global_norm([a - b, x - W])
        n = tf.norm(x, ord=1)
        m = np.linalg.norm(x)
        e = tf.norm(tf.matmul(x, W), ord="euclidean")
    """)
    assert found[1] == ("norm", "when `a` equals `b`", "NaN", Confidence.CONSTRUCTION, False)
    assert found[2] == ("std", "for a constant row", "NaN", Confidence.CONSTRUCTION, False)
    assert found[3][:2] == ("global_norm", "when `a` equals `b` and `x` equals `W`")
    assert 4 not in found and 5 not in found  # an L1 norm's gradient at 0 is finite; NumPy has none
    assert found[6][3] is Confidence.IMPROBABLE  # a learned projection is 0 with probability 0


def test_a_spread_without_an_axis_is_zero_only_for_a_tensor_of_equal_entries():
    # ydata-synthetic's DRAGAN perturbation `0.5 * reduce_std(a) * beta` (unseen16): no axis, one spread of every entry
    found = _roots("""
        s = tf.math.reduce_std(x)
        t = K.std(x, 0)
        u = tf.math.reduce_std(x, 1)
    """)
    assert found[1][1] == "for a tensor whose entries are all equal"
    assert found[2][1] == found[3][1] == "for a constant row"


def test_hand_written_roots_of_squares_sums_and_sines():
    found = _roots("""
        h = tf.sqrt(tf.square(x))
        p = tf.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)
        c = tf.sqrt(tf.square(a - b) + tf.square(1e-3))
        s = tf.sqrt(tf.subtract(1.0, tf.square(x)))
        k = tf.sqrt(x * x + 1e-7)
    """)
    assert found[1][:3] == ("sqrt", "where `x` is 0", "NaN")
    assert found[2][1] == "when `a[0]` equals `b[0]` and `a[1]` equals `b[1]`"
    assert 3 not in found  # the Charbonnier epsilon: square(1e-3) keeps the sum above 0
    assert found[4][:3] == ("sqrt", "where |x| = 1", "Inf")
    assert 5 not in found


def test_function_spellings_of_sums_and_differences_are_read_as_the_operators():
    found = _roots("""
        s = tf.sqrt(tf.add(tf.square(a[:, 0] - b[:, 0]), tf.square(a[:, 1] - b[:, 1])))
        n = tf.sqrt(tf.add_n([tf.square(a), tf.math.pow(tf.subtract(x, W), 2), tf.square(b)]))
        d = tf.sqrt(tf.reduce_sum(tf.math.squared_difference(a, b), axis=-1))
        e = tf.sqrt(tf.math.add(tf.square(a - b), 1e-7))
        c = tf.sqrt(tf.add_n([tf.square(a - b), tf.square(1e-3)]))
    """)
    assert found[1][:3] == ("sqrt", "when `a[:, 0]` equals `b[:, 0]` and `a[:, 1]` equals `b[:, 1]`", "NaN")
    assert found[2][:3] == ("sqrt", "when every squared term is 0", "NaN")  # `a` and `b` are not differences
    assert found[3][1] == "for an all-zero input, when `a` equals `b`"
    assert 4 not in found and 5 not in found  # an epsilon added by tf.add; add_n's constant term


def test_a_root_of_a_mean_of_squares_over_an_axis_or_a_pooling_window():
    found = _roots("""
        r = tf.sqrt(tf.reduce_mean(tf.square(x), axis=[1, 2]))
        p = tf.sqrt(tf.nn.avg_pool2d(tf.square(x), 2, 2, "VALID"))
        q = K.sqrt(K.pool2d(K.square(x), (2, 2), pool_mode="avg"))
        m = tf.sqrt(tf.nn.avg_pool(tf.math.multiply(x, x), 2, 2, "VALID"))
        e = tf.sqrt(tf.nn.avg_pool2d(tf.square(x), 2, 2, "VALID") + 1e-7)
    """)
    assert found[1][:3] == found[2][:3] == ("sqrt", "for an all-zero input", "NaN")
    assert 3 not in found  # K.pool2d's mode is an argument: not read
    assert found[4][:3] == ("sqrt", "for an all-zero input", "NaN")
    assert 5 not in found


def test_a_root_in_a_denominator_that_can_be_zero_is_marked_as_dividing():
    found = _roots("""
        u = x / tf.norm(x)
        n = tf.norm(a - b)
        v = a / n
        w = tf.norm(a - b) / 2.0
    """)
    assert found[1][4] and found[2][4]  # the division by the same 0 owns the hazard
    assert not found[4][4]


def test_a_root_named_inside_a_product_denominator_is_part_of_that_denominator():
    # spektral's LaPool: `sum(a * b) / (a_norm * b_norm)` is 0/0 in the forward value at a = 0, the division's
    # hazard (NAN002), not a finite value with a NaN gradient
    found = _roots("""
        a_norm = tf.norm(a, axis=-1)
        b_norm = tf.norm(b, axis=-1)
        cosine = tf.reduce_sum(a * b, -1) / (a_norm * b_norm)
        x_norm = tf.norm(x, axis=-1)
        scaled = x / (x_norm * 2.0 + 1e-7)
    """)
    assert found[1][4] and found[2][4]
    assert not found[4][4]  # the epsilon keeps that denominator off 0


def test_a_cosine_clipped_strictly_inside_one_leaves_a_positive_sine():
    # edward2 DenseDVI: rho clipped to +-1/(1 + eps) keeps 1 - rho**2 >= 1.2e-7 in float32 (measured: the root is
    # 4.9e-4 and its gradient finite at rho fed 1.0); a clip to +-1, or the same clip under float16, where the bound
    # rounds to 1, does not
    found = _roots("""
        c = tf.clip_by_value(a, -1. / (1. + K.epsilon()), 1. / (1. + K.epsilon()))
        s = tf.sqrt(1. - c ** 2)
        d = tf.clip_by_value(b, -1., 1.)
        t = tf.sqrt(1. - d ** 2)
        e = tf.clip_by_value(x, -0.999, 0.999)
        u = tf.sqrt(1. - tf.square(e))
    """)
    assert sorted(found) == [4]
    assert found[4][0:2] == ("sqrt", "where |d| = 1")
    half = "from keras import mixed_precision\nmixed_precision.set_global_policy('mixed_float16')\n"
    source = half + "import tensorflow as tf\n\ndef f(a):\n    c = tf.clip_by_value(a, -1. / (1. + 1e-7), " \
        "1. / (1. + 1e-7))\n    return tf.sqrt(1. - c ** 2)\n"
    assert len(roots(ModuleAnalysis.build(cst.parse_module(source), "m.py"))) == 1


def test_the_norm_of_a_vector_shifted_by_an_epsilon_is_not_zero_at_the_zero_vector():
    # acme's AIL gradient penalty: jnp.linalg.norm(gradients + 1e-8), finite (and a finite gradient) at 0 gradients
    found = _roots("""
        shifted = a + 1e-8
        n = tf.norm(shifted)
        m = tf.norm(1e-6 + x)
        t = tf.norm(tf.tanh(x) + 1.0)
        z = tf.norm(x + 0.0)
    """)
    assert 2 not in found and 3 not in found
    assert found[4][1] == "for an all-zero vector"  # 1 is no epsilon: tanh saturates at -1
    assert found[5][1] == "for an all-zero vector"


@pytest.mark.parametrize("imports, spelled, backend", [
    # standalone Keras' backend module: Keras 3's has no std or sqrt, so this is Keras 1/2 code, which runs on Theano
    ("from keras import backend as K", "K.std(x, axis=-1)", "Theano"),
    ("import keras.backend as K", "K.sqrt(K.var(x, axis=-1))", "Theano"),
    ("from keras import ops", "ops.std(x, axis=-1)", "JAX and PyTorch"),
    ("import jax.numpy as jnp", "jnp.std(x, axis=-1)", "JAX"),
    # tf.keras' backend and TensorFlow itself run only on TensorFlow
    ("from tensorflow.keras import backend as K", "K.std(x, axis=-1)", None),
    ("from tensorflow.keras import backend as K", "K.sqrt(K.var(x, axis=-1))", None),
    ("import tensorflow as tf", "tf.math.reduce_std(x, axis=-1)", None),
])
def test_the_backends_other_than_tensorflow_a_root_may_run_on(imports, spelled, backend):
    analysis = ModuleAnalysis.build(cst.parse_module(f"{imports}\n\ndef f(x):\n    return {spelled}\n"), "m.py")
    (root,) = roots(analysis)
    found = other_backend(analysis, root)
    assert (found.split(" (")[0] if found else None) == backend


def test_the_norm_of_a_vector_with_a_component_that_is_never_zero_is_no_root_at_zero():
    # homogeneous coordinates (a constant 1 appended) and barycentric coordinates (summing to 1) are never all zero
    # along the axis they are assembled on, so neither their norm nor the root of their summed squares is 0 there
    found = _roots("""
        h = tf.concat([a, tf.ones_like(a[..., :1])], axis=-1)
        n = tf.norm(h, axis=-1)
        r = tf.sqrt(tf.reduce_sum(tf.square(h), axis=-1))
        c = 1.0 - (a + b)
        bary = tf.stack((a, b, c), axis=-1)
        m = tf.norm(bary, axis=-1)
        o = tf.norm(h, axis=0)
        p = tf.sqrt(tf.reduce_sum(tf.square(tf.stack((a, b), axis=-1)), axis=-1))
    """)
    assert 2 not in found and 3 not in found and 6 not in found
    assert found[7][1] == "for an all-zero vector"  # along another axis a slice holds no constant 1
    assert found[8][1] == "for an all-zero input"


def test_the_pairwise_difference_of_a_tensor_with_itself_is_zero_on_its_diagonal():
    found = _roots("""
        d = tf.expand_dims(x, 1) - tf.expand_dims(x, 2)
        d = tf.reduce_sum(tf.square(d), axis=-1)
        r = tf.sqrt(d)
        n = tf.norm(a[:, None, :] - a[None, :, :], axis=-1)
        m = tf.norm(a[:, None, :] - b[None, :, :], axis=-1)
    """)
    # the square is read where it is written: the later `d` names the sum, the squared `d` the difference
    assert found[3][1] == ("on the diagonal, where `tf.expand_dims(x, 1) - tf.expand_dims(x, 2)` subtracts each entry "
                           "of `x` from itself (for every input)")
    assert found[3][3] is Confidence.CONSTRUCTION
    assert found[4][1].startswith("on the diagonal, where `a[:, None, :] - a[None, :, :]`")
    # two different tensors: 0 only where they meet
    assert found[5][1] == "when `a[:, None, :]` equals `b[None, :, :]`"
