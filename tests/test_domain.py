"""Each operation's unsafe inputs (analysis/domain.py): log of a signed value, exp of an unbounded one, logs of sums
of exps, tensors the code treats as logits, cosines under acos, overlap ratios; and the value transfers they read."""

from __future__ import annotations

import math
import textwrap

import libcst as cst
import pytest

from nanlint.analysis.domain import power_normalization, reaches_negative, unbounded_above
from nanlint.analysis.interval import Range
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.numerics import FLOAT16, FLOAT32
from nanlint.analysis.ranges import range_of
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import Guard, Producer, Value
from analysis_support import analysis_of, function_return


@pytest.mark.parametrize("value, negative, unbounded", [
    (Value(Producer.LINEAR), True, True),
    (Value(Producer.TANH), True, False),
    (Value(Producer.SIGMOID), False, False),
    (Value(Producer.EXP), False, False),
    (Value(Producer.LINEAR, guard=Guard.EPSILON_ADDED, epsilon=1e-7), True, True),  # eps does not bound a sign
    (Value(Producer.LINEAR, guard=Guard.CLIPPED, epsilon=1e-7), False, False),
    (Value(Producer.LINEAR, guard=Guard.MAXIMUM, epsilon=1e-7), False, True),  # a floor is not a ceiling
    (Value(), False, False),
])
def test_unsafe_input_queries(value, negative, unbounded):
    assert reaches_negative(value) is negative
    assert unbounded_above(value) is unbounded


def test_exp_overflow_threshold_comes_from_the_dtype_table():
    assert FLOAT32.exp_overflow == pytest.approx(88.7228, abs=1e-3)
    assert FLOAT16.exp_overflow == pytest.approx(11.0898, abs=1e-3)


def _exp_operand_value(source: str) -> Value:
    analysis = ModuleAnalysis.build(cst.parse_module("import tensorflow as tf\nfrom tensorflow.keras import layers\n"
                                                     + textwrap.dedent(source)))
    (call,) = analysis.calls_of(Op.EXP)
    return analysis.values.of(analysis.operand(call.node), call.site)


@pytest.mark.parametrize("source, producer", [
    ("tf.exp(tf.matmul(x, w) + b)", Producer.LINEAR),  # a bias keeps a head linear
    ("tf.exp(0.5 * (x @ w))", Producer.LINEAR),  # so does a constant scale
    ("h = layers.Dense(4)(x)\ntf.exp(h)", Producer.LINEAR),  # Dense without activation
    ("h = layers.Dense(4, activation='tanh')(x)\ntf.exp(h)", Producer.TANH),
    ("tf.exp(tf.matmul(x, w) - tf.reduce_max(x))", None),  # a difference is not followed (max subtraction)
    # a product with an unknown factor takes both signs, but is not known to be unbounded (no NAN009)
    ("tf.exp(tf.matmul(x, w) * scale)", Producer.SIGNED),
    ("tf.exp(x / tf.reduce_sum(x))", None),  # a sum's sign is not known by construction
])
def test_linear_heads_and_their_transfers(source, producer):
    assert _exp_operand_value(source).producer is producer


def test_abs_passes_a_zero_through_but_not_a_sign():
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf
        a = tf.abs(tf.nn.relu(x))
        b = tf.abs(tf.matmul(x, w))
        tf.exp(a) + tf.exp(b)
    """)))
    first, second = analysis.calls_of(Op.EXP)
    assert analysis.values.of(analysis.operand(first.node), first.site).producer is Producer.RELU
    assert analysis.values.of(analysis.operand(second.node), second.site).producer is Producer.ABS


def _denominator_value(source: str) -> Value:
    """The value of the denominator of the one division in `source` (after `import tensorflow as tf` and
    `from tensorflow.keras import backend as K`)."""
    analysis = ModuleAnalysis.build(cst.parse_module("import tensorflow as tf\nfrom tensorflow.keras import backend as K\n"
                                                     + textwrap.dedent(source)))
    (division,) = list(analysis.divisions())
    return analysis.values.of(division.denominator, division.site)


@pytest.mark.parametrize("source, subject", [
    ("h = tf.maximum(y2 - y1, 0.)\nw / h", "y2 - y1"),  # a box side of an empty box
    ("h = tf.maximum(0, y2 - y1)\nw / h", "y2 - y1"),
    ("h = tf.maximum(zero := tf.constant(0., x.dtype), y2 - y1)\nw / h", "y2 - y1"),  # the floor is a named tensor
    ("w / tf.clip_by_value(d, 0., 1.)", "d"),  # a clip whose floor is 0 guards nothing
    ("side = tf.maximum(b - a, 0.0)\narea = side[..., 0] * side[..., 1]\ni / area", "b - a"),  # a product of sides
])
def test_a_floor_of_zero_is_a_structural_zero_not_a_guard(source, subject):
    value = _denominator_value(source)
    assert value.producer is Producer.FLOORED
    assert value.zero_when == f"`{subject}` <= 0"
    assert range_of(value) == Range(0.0, math.inf) and not reaches_negative(value)


@pytest.mark.parametrize("source", [
    "w / tf.maximum(h, 1e-7)",
    "w / tf.clip_by_value(h, 1e-6, 1.)",
    "w / tf.maximum(h, -1.)",  # a negative floor is not known to make 0 either
])
def test_a_positive_floor_stays_a_guard(source):
    assert _denominator_value(source).zero_when is None


@pytest.mark.parametrize("source, producer", [
    ("x / K.batch_dot(x, x, -1)", Producer.SUM_OF_SQUARES),  # a row dotted with itself: 0 for a zero row
    ("x / K.sqrt(K.batch_dot(a, a, 1) * K.batch_dot(b, b, 1))", Producer.NORM),  # Merge(mode='cos')
    ("x / K.batch_dot(a, b, 1)", None),  # a dot product of two rows has no known zero
])
def test_a_dot_product_of_a_row_with_itself_is_a_sum_of_squares(source, producer):
    assert _denominator_value(source).producer is producer


def test_linalg_normalize_is_a_division_by_the_norm():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def unit(x):
            normalized, norm = tf.linalg.normalize(x, axis=-1)
            return normalized

        features = np.zeros([10, 4])
        tf.linalg.normalize(features, ord=1, axis=-1)
        tf.math.l2_normalize(features, axis=-1)
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert [f.line for f in findings] == [6, 10]
    assert "all-zero row" in findings[0].message and "l2_normalize" in findings[0].message


def _overlap(source: str):
    from nanlint.analysis.domain import overlap_ratio

    analysis = ModuleAnalysis.build(cst.parse_module("import tensorflow as tf\n" + textwrap.dedent(source)))
    (division,) = list(analysis.divisions())
    return overlap_ratio(analysis, division.numerator, division.denominator, division.site)


@pytest.mark.parametrize("source, kind, operands", [
    ("i = tf.reduce_sum(a * b)\nd = tf.reduce_sum(a) + tf.reduce_sum(b)\n2 * i / d", "Dice", ("a", "b")),
    ("(2. * tf.reduce_sum(t * p)) / (tf.reduce_sum(t) + tf.reduce_sum(p))", "Dice", ("t", "p")),
    ("inter = w * h\nunion = area1 + area2 - inter\n1.0 * inter / union", "IoU", ("area1", "area2")),
    ("i = tf.reduce_sum(a * b)\ni / (tf.reduce_sum(a) + tf.reduce_sum(b) - i)", "IoU", ("tf.reduce_sum(a)", "tf.reduce_sum(b)")),
    ("float(inter) / (w1 * h1 + w2 * h2 - inter)", "IoU", ("w1 * h1", "w2 * h2")),
])
def test_overlap_ratios_are_recognised(source, kind, operands):
    ratio = _overlap(source)
    assert ratio is not None and ratio.kind == kind and ratio.operands == operands


@pytest.mark.parametrize("source", [
    "i = tf.reduce_sum(a * b)\n(2 * i + 1.) / (tf.reduce_sum(a) + tf.reduce_sum(b) + 1.)",  # smoothed Dice
    "i = tf.reduce_sum(a * b)\n2 * i / (tf.reduce_sum(a) + tf.reduce_sum(b) + eps)",  # an epsilon in the total
    "tf.reduce_sum(a * b) / (tf.reduce_sum(a) + tf.reduce_sum(c))",  # not the same two quantities
    "inter / (area1 + area2 - other)",  # what is taken out is not the overlap
    "x / (a + 1.)",
])
def test_smoothed_or_other_ratios_are_not_overlap_ratios(source):
    assert _overlap(source) is None


def test_max_minus_min_is_a_range_through_names_and_its_subject_decides_the_confidence():
    from nanlint.analysis.reachability import zero_confidence
    from nanlint.finding import Confidence

    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf
        lo, hi = image.min(), image.max()
        a = (image - lo) / (hi - lo)
        noise = tf.random.normal([4])
        n_hi, n_lo = tf.reduce_max(noise), tf.reduce_min(noise)
        b = noise / (n_hi - n_lo)
    """)))
    first, second = analysis.divisions()
    values = [analysis.values.of(d.denominator, d.site) for d in (first, second)]
    assert [v.producer for v in values] == [Producer.RANGE, Producer.RANGE]
    # a constant image is ordinary data; a Gaussian sample is constant with probability 0
    assert zero_confidence(analysis, first.denominator, first.site, values[0]) is Confidence.CONSTRUCTION
    assert zero_confidence(analysis, second.denominator, second.site, values[1]) is Confidence.IMPROBABLE


@pytest.mark.parametrize("source, subject", [
    ("w / boxes2[..., 3]", "boxes2[..., 3]"),  # (x, y, w, h): a padding row has h = 0
    ("h = gt_bbox[:, 3] - gt_bbox[:, 1]\nw / h", "gt_bbox[:, 3] - gt_bbox[:, 1]"),  # (y1, x1, y2, x2)
    ("area = (b[..., 2] - b[..., 0]) * (self.boxes[..., 3] - self.boxes[..., 1])\ni / area",
     "self.boxes[..., 3] - self.boxes[..., 1]"),
    # regions of interest are boxes (Faster R-CNN proposals; a rotated (cx, cy, w, h, theta) box's width)
    ("dx / ex_rois[:, 2]", "ex_rois[:, 2]"),
    ("h = rois[:, 3] - rois[:, 1]\nw / h", "rois[:, 3] - rois[:, 1]"),
])
def test_a_side_of_a_box_tensor_is_0_for_a_padding_box(source, subject):
    value = _denominator_value(source)
    assert value.producer is Producer.BOX_SIDE
    assert subject in value.zero_when and "zero-padded" in value.zero_when


@pytest.mark.parametrize("source", [
    "w / anchor_boxes[..., 3]",  # anchors are generated with a size
    "w / boxes[0]",  # a whole box, not one coordinate
    "w / coords[..., 3]",  # nothing says it is a box
    "w / heroic[..., 3]",  # "roi" only as a word of the name
    "w / (boxes1[..., 3] - boxes2[..., 1])",  # coordinates of two different boxes
    "w / (boxes[..., 3] + 1e-6)",
])
def test_what_is_not_a_box_side(source):
    value = _denominator_value(source)
    assert value.producer is not Producer.BOX_SIDE or value.zero_when is None


def test_a_parameter_default_is_the_constant_that_runs_without_an_argument():
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def log_loss(y_true, y_pred, eps=1e-15):
            return np.clip(y_pred, eps, 1 - eps)

        def unguarded(x, eps=None):
            return np.clip(x, eps, 1 - eps)
    """)))
    first, second = analysis.calls_of(Op.CLIP)
    assert analysis.values.constant(argument(first.node, 2), first.site) == 1 - 1e-15
    assert analysis.values.constant(argument(second.node, 2), second.site) is None


def _logs(source: str) -> list[tuple[str, int]]:
    analysis = analysis_of(source)
    return [(found.form, len(found.overflowing)) for found in analysis.domain.logs_of_exp_sums]


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
    analysis = analysis_of("""
        from keras import backend as K

        def head(feats, anchors):
            feats = K.reshape(feats, [-1, 13, 13, 3, 85])
            xy = K.sigmoid(feats[..., :2])
            wh = K.exp(feats[..., 2:4]) * anchors
            scale = K.exp(anchors)
            return xy, wh, scale
    """)
    exp_wh, exp_anchors = analysis.calls_of(Op.EXP)
    assert analysis.domain.squashed_elsewhere(analysis.operand(exp_wh.node), exp_wh.site) is not None
    assert analysis.domain.squashed_elsewhere(analysis.operand(exp_anchors.node), exp_anchors.site) is None


@pytest.mark.parametrize("expression, cosine", [
    ("tf.reduce_sum(u * v, -1) / (tf.norm(u, axis=-1) * tf.norm(v, axis=-1) + 1e-7)", "dot"),
    ("dot(u, v) / tf.sqrt(kxx)[:, None] / tf.sqrt(kyy)[None, :]", "dot"),  # through the helper's return
    ("(u @ v) / tf.sqrt(kxx)", "dot"),
    # the same quotient in every spelling of its product, sum, norm and division
    ("tf.reduce_sum(tf.multiply(u, v), -1) / (tf.norm(u, axis=-1) * tf.norm(v, axis=-1))", "dot"),
    ("tf.div(tf.reduce_sum(tf.mul(u, v), -1), tf.multiply(tf.norm(u, axis=-1), tf.norm(v, axis=-1)))", "dot"),
    ("np.sum(np.multiply(u, v), 1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))", "dot"),
    ("jnp.divide(jnp.dot(u, v), jnp.linalg.norm(u) * jnp.linalg.norm(v))", "dot"),
    ("tf.matmul(tf.nn.l2_normalize(u, -1), tf.nn.l2_normalize(v, -1), transpose_b=True)", "dot"),
    ("tf.reduce_sum(tf.math.l2_normalize(u, -1) * tf.math.l2_normalize(v, -1), -1)", "dot"),
    ("u[..., 2] / tf.maximum(tf.norm(u, axis=-1), 1e-7)", "component"),
    ("kxx / v", None),
    ("tf.clip_by_value(kxx, -1.0, 1.0)", None),
    # a dot product of vectors nothing normalises here: past ±1 unless both are unit vectors (SELD's DOA metric)
    ("np.dot(u, v)", "product"),
    ("u @ v", "product"),
    ("tf.reduce_sum(u * v, -1)", "product"),
    ("u[0] * v[0] + u[1] * v[1] + u[2] * v[2]", "product"),
    ("np.sin(u) * np.sin(v) + np.cos(u) * np.cos(v) * np.cos(kxx)", "product"),  # the spherical law of cosines
    # written out by coordinates over the norms, a cosine like the reduced one
    ("(u[0] * v[0] + u[1] * v[1]) / (np.linalg.norm(u) * np.linalg.norm(v))", "dot"),
    # vectors divided by their norms first, here or in a helper: a dot product of unit vectors
    ("np.dot(u / np.linalg.norm(u), v / np.linalg.norm(v))", "dot"),
    ("np.dot(unit(u), unit(v))", "dot"),
    ("np.dot(unit(u), v)", "product"),
    # squeezed after the division (magenta's slerp): still unit vectors
    ("np.dot(np.squeeze(u / np.linalg.norm(u)), np.squeeze(v / np.linalg.norm(v)))", "dot"),
    # not dot products: a single product, a constant term, a difference, a product over something else
    ("u * v", None),
    ("1 - 2 * u * v", None),
    ("u * v + kxx", None),
    ("u[0] * v[1] - u[1] * v[0]", None),
    ("np.dot(u, v) / kxx", None),
    # Keras' dot product of l2-normalised inputs, the layer built there, bound to a name, or the functional spelling
    ("tf.keras.layers.Dot(axes=1, normalize=True)([u, v])", "dot"),
    ("COSINE([u, v])", "dot"),
    ("tf.keras.layers.dot([u, v], axes=1, normalize=True)", "dot"),
    ("keras.layers.Dot(1, True)([u, v])", "dot"),
    ("tf.keras.layers.Dot(axes=1)([u, v])", None),
    ("tf.keras.layers.Dot(axes=1, normalize=False)([u, v])", None),
    ("tf.keras.layers.dot([u, v], axes=1)", None),
    ("tf.keras.layers.Dense(1)(u)", None),
])
def test_cosines(expression, cosine):
    analysis, returned, at = function_return(f"""
        import jax.numpy as jnp
        import keras
        import numpy as np
        import tensorflow as tf

        COSINE = tf.keras.layers.Dot(axes=-1, normalize=True)

        def dot(a, b):
            return tf.matmul(a, b, transpose_b=True) + 1.0

        def unit(a):
            return a / np.linalg.norm(a)

        def f(u, v, kxx, kyy):
            return {expression}
    """)
    assert analysis.domain.cosine(returned, at) == cosine


def _exp_difference(body: str):
    analysis, returned, at = function_return("import tensorflow as tf\n\ndef f(a, b, x, w):\n" + textwrap.indent(
        textwrap.dedent(body).strip("\n") + "\n", "    "))
    return analysis.domain.exp_difference(returned, at)


def test_a_difference_with_an_exp_is_zero_where_its_sides_meet():
    found = _exp_difference("""
        d = a - b
        return tf.exp(d) - 1.0
    """)
    assert found is not None and found.construction  # the two operands of d can coincide
    assert (found.zero_where, found.wrong_sign_where) == ("`d` = 0", "`d` < 0")
    assert found.rounding == "0 < `d` < 6e-8 in float32 (4.9e-4 in float16)"
    found = _exp_difference("return 1.0 - tf.exp(tf.nn.log_softmax(tf.matmul(x, w)))")
    assert found is not None and found.construction and found.wrong_sign_where is None  # a log-probability is <= 0
    found = _exp_difference("return tf.subtract(tf.exp(a), tf.exp(b))")
    assert found is not None and found.zero_where == "`a` equals `b`"
    found = _exp_difference("return tf.exp(a) - 2.0")
    assert found is not None and found.zero_where == "`a` = 0.693147" and found.rounding is None
    assert not found.construction  # nothing shows that `a` reaches ln 2: plausible only


def test_a_difference_with_an_exp_whose_argument_stays_clear_is_not_one():
    assert _exp_difference("return tf.exp(tf.square(a) + 1.0) - 1.0") is None
    assert _exp_difference("return 1.0 - tf.exp(-tf.nn.relu(a) - 1.0)") is None
    assert _exp_difference("return tf.exp(a) - 1.0 + 1e-7") is None  # the epsilon is added after: a sum
    assert _exp_difference("return tf.exp(a) - b") is None


@pytest.mark.parametrize("source, found", [
    # NTM's sharpening: the exponent is a tensor the network computes (1 + softplus), the powers divided by their sum
    ("""
     import tensorflow as tf
     def sharpen(w, h):
         gamma = tf.nn.softplus(h) + 1
         powered = tf.pow(w, tf.expand_dims(gamma, 1))
         return powered / tf.expand_dims(tf.reduce_sum(powered, 1), 1)
     """, True),
    ("""
     import tensorflow as tf
     def sharpen(w, gamma):
         gamma = tf.expand_dims(gamma, 1)
         return w ** gamma / tf.reduce_sum(w ** gamma, axis=1, keepdims=True)
     """, True),
    # a temperature the caller passes as a number: a fixed exponent, whose sum stays far from 0
    ("""
     import tensorflow as tf
     def sharpen(y, temperature):
         y = y ** (1 / temperature)
         return y / tf.reshape(tf.reduce_sum(y, axis=-1), (-1, 1))
     """, False),
    # an epsilon added to the sum; an exponent clipped from above; a sum that is not of the same powers
    ("""
     import tensorflow as tf
     def sharpen(w, gamma):
         p = tf.pow(w, tf.expand_dims(gamma, 1))
         return p / (tf.reduce_sum(p, axis=1, keepdims=True) + 1e-8)
     """, False),
    ("""
     import tensorflow as tf
     def sharpen(w, h):
         gamma = tf.clip_by_value(tf.nn.softplus(h), 1.0, 5.0)
         p = tf.pow(w, gamma)
         return p / tf.reduce_sum(p, axis=1, keepdims=True)
     """, False),
    ("""
     import tensorflow as tf
     def sharpen(w, v, h):
         gamma = tf.nn.softplus(h)
         return tf.pow(w, gamma) / tf.reduce_sum(tf.pow(v, gamma), axis=1, keepdims=True)
     """, False),
])
def test_power_normalization_with_a_computed_exponent(source, found):
    analysis = analysis_of(source)
    divisions = list(analysis.divisions())
    assert divisions
    results = [power_normalization(analysis, d.numerator, d.denominator, d.site) for d in divisions]
    assert any(result is not None for result in results) is found


def test_exp_of_a_log_ratio_code_scaled_back_is_a_decoding():
    analysis = analysis_of("""
        import tensorflow as tf

        def encode(boxes, anchor_x, anchor_w, anchor_h):
            tx = (boxes[..., 0] - anchor_x) / anchor_w
            tw = tf.math.log(boxes[..., 2] / anchor_w)
            return tx, tw, tf.math.log(boxes[..., 3] / anchor_h), tf.math.log(boxes[..., 3] / 16.0)

        def decode(tw, th, anchor_w, anchor_h):
            return tf.exp(tw) * anchor_w, anchor_h * tf.exp(th), tf.exp(tw) * 16.0
    """)
    exp_w, exp_h, exp_constant = analysis.calls_of(Op.EXP)
    decoded = analysis.domain.decoded_log_ratio(exp_w.node)
    assert decoded is not None and decoded.scale == "anchor_w"
    assert analysis.code_of(decoded.encoding) == "tf.math.log(boxes[..., 2] / anchor_w)"
    # no center offset is taken over anchor_h (a log ratio alone is no box code); a constant scale is no anchor
    assert analysis.domain.decoded_log_ratio(exp_h.node) is None
    assert analysis.domain.decoded_log_ratio(exp_constant.node) is None


def test_a_distribution_s_log_quantile_and_exp_cdf_are_no_box_code():
    analysis = analysis_of("""
        import tensorflow as tf

        def quantile(y, rate):
            return tf.math.log(y / rate)

        def cdf(x, rate):
            return tf.math.igamma(2.0, tf.math.exp(x) * rate)
    """)
    (exp,) = analysis.calls_of(Op.EXP)
    assert analysis.domain.decoded_log_ratio(exp.node) is None


def test_logits_given_to_a_sigmoid_in_an_exclusive_branch_say_nothing_about_an_exp():
    # edward2 RandomFeatureCovariance: sigmoid(logits) for a logistic likelihood, exp(logits) (a Poisson log-rate) in
    # the elif; a YOLO head's sigmoid and exp of slices of one tensor, in one block, still say logits
    from nanlint.linter import lint_text
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        class Head(tf.keras.layers.Layer):
            def update(self, feature, logits):
                if self.likelihood == "binary_logistic":
                    prob = tf.sigmoid(logits)
                    multiplier = prob * (1. - prob)
                elif self.likelihood == "poisson":
                    multiplier = tf.exp(logits)
                else:
                    multiplier = 1.
                return multiplier * feature

        def yolo(feats):
            return tf.sigmoid(feats[..., :2]), tf.exp(feats[..., 2:4])
    """), "m.py").findings
    assert [(finding.code, finding.line) for finding in findings] == [("NAN009", 16)]


@pytest.mark.parametrize("source, ratio", [
    # keras-yolo3's preprocess_true_boxes against a literal anchor table: the anchor's area is > 0, so is the union
    ("anchors = np.array([[10, 13], [16, 30], [33, 23]])\nanchor_area = anchors[..., 0] * anchors[..., 1]\n"
     "inter = tf.minimum(wh, anchors)\ni = inter[..., 0] * inter[..., 1]\n"
     "i / (wh[..., 0] * wh[..., 1] + anchor_area - i)", None),
    # corners built in NumPy from literal scales, `center -/+ half`: no range shows the side > 0 (it is a difference
    # of two columns), but the areas are fixed, the same on every run
    ("scales = np.array([1.0, 2.0]) * 8\nprior = np.stack([scales * -0.5, scales * 0.5], -1)\n"
     "prior_area = (prior[:, 1] - prior[:, 0]) ** 2\n"
     "i / (box_area + prior_area - i)", None),
    # a prior read from data may be 0: still an IoU
    ("anchors = np.loadtxt(path)\nanchor_area = anchors[..., 0] * anchors[..., 1]\n"
     "i / (wh[..., 0] * wh[..., 1] + anchor_area - i)", "IoU"),
    ("i / (box_area + tf.maximum(other_area, 0.0) - i)", "IoU"),  # >= 0 is not > 0
    # deepface CenterFace.nms: areas in inclusive pixels, `(x2 - x1 + 1) * (y2 - y1 + 1)`, one of them an element of
    # the array: a degenerate or zero-padded box has area 1
    ("areas = (x2 - x1 + 1) * (y2 - y1 + 1)\niarea = areas[i]\ninter / (iarea + areas[j] - inter)", None),
    ("area_a = (1 + (ax2 - ax1)) * (ay2 - ay1 + 1.0)\ni / (area_a + area_b - i)", None),
    # without the constant, or with it on one side only, a zero-area box is 0: still an IoU
    ("areas = (x2 - x1) * (y2 - y1)\ninter / (areas[i] + areas[j] - inter)", "IoU"),
    ("areas = (x2 - x1 + 1) * (y2 - y1)\ninter / (areas[i] + areas[j] - inter)", "IoU"),
])
def test_an_overlap_ratio_with_one_quantity_never_zero_is_never_zero_over_zero(source, ratio):
    found = _overlap("import numpy as np\n" + source)
    assert (found.kind if found is not None else None) == ratio


def test_an_overlap_ratio_follows_a_parameter_to_what_every_call_of_the_module_passes():
    source = """
        import numpy as np
        import tensorflow as tf

        def best_anchor(wh, anchors):
            anchor_area = anchors[..., 0] * anchors[..., 1]
            i = tf.minimum(wh[..., 0], anchors[..., 0]) * tf.minimum(wh[..., 1], anchors[..., 1])
            return i / (wh[..., 0] * wh[..., 1] + anchor_area - i)

        def targets(boxes):
            return best_anchor(boxes, np.array([[10.0, 13.0], [16.0, 30.0]]))
    """
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent(source)))
    from nanlint.analysis.domain import overlap_ratio

    (division,) = list(analysis.divisions())
    assert overlap_ratio(analysis, division.numerator, division.denominator, division.site) is None
    # a second call passing anchors of unknown size: the hull of what the calls pass has no positive bound
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent(source) + "\nbest_anchor(b, learned)\n"))
    (division,) = list(analysis.divisions())
    assert overlap_ratio(analysis, division.numerator, division.denominator, division.site) is not None


@pytest.mark.parametrize("body, cross_entropy", [
    ("return y * tf.math.log(p) + (1.0 - y) * tf.math.log(1.0 - p)", True),  # target and complement
    ("return y * tf.math.log(p) + (n - y) * tf.math.log(1.0 - p)", True),  # a binomial count and its rest
    ("neg = 1.0 - y\n    return y * tf.math.log(p) + neg * tf.math.log(1.0 - p)", True),  # through a binding
    ("return 0.9 * tf.math.log(p) + 0.1 * tf.math.log(1.0 - p)", True),  # fixed targets
    ("return tf.math.log(p) + w * tf.math.log(1.0 - p)", True),  # one log unweighted
    ("return (a - 1.0) * tf.math.log(p) + (b - 1.0) * tf.math.log(1.0 - p)", False),  # the Beta density's kernel
])
def test_log_and_log_of_the_complement_weighted_as_a_cross_entropy(body, cross_entropy):
    analysis = analysis_of(f"import tensorflow as tf\ndef f(y, p, n, w, a, b):\n    {body}\n")
    logs = [call for call in analysis.calls if call.op is Op.LOG]
    plain, complement = logs
    assert analysis.domain.weighted_as_cross_entropy(plain.node, complement.node, plain.site) is cross_entropy


@pytest.mark.parametrize(("exponent", "scaled"), [
    # keras-gym's logistic loss: the logit clipped to ±15, the label's scale not shown
    ("-y_true * tf.clip_by_value(z_pred, -15.0, 15.0)", True),
    ("tf.sigmoid(z_pred) * scale", True),
    ("tf.clip_by_value(z_pred, -10.0, 10.0) / tau", True),
    # nothing bounded, or everything: the overflow is the code's own (or none)
    ("-y_true * z_pred", False),
    ("2.0 * tf.clip_by_value(z_pred, -15.0, 15.0)", False),
    # a sign is a constant, no bound on a value (PSGNets' ranking loss without its clip)
    ("-1.0 * sign * y_true * z_pred", False),
    # a factor known to be unbounded: a Dense head
    ("tf.clip_by_value(z_pred, -15.0, 15.0) * head", False),
    # not a product
    ("tf.clip_by_value(z_pred, -15.0, 15.0) + y_true", False),
])
def test_an_exponent_bounded_but_for_a_scale_the_code_does_not_show(exponent, scaled):
    analysis = analysis_of(f"""
        import tensorflow as tf

        def loss(y_true, z_pred, scale, tau, x, invert=False):
            head = tf.keras.layers.Dense(1)(x)
            sign = -1.0 if invert else 1.0
            return tf.math.log(1.0 + tf.exp({exponent}))
    """)
    (exp,) = analysis.calls_of(Op.EXP)
    operand = analysis.operand(exp.node)
    assert operand is not None
    assert analysis.domain.bounded_but_for_a_scale(operand, exp.site, exp.site) is scaled


@pytest.mark.parametrize("call, overflows", [
    ("tf.math.expm1(h)", True),  # where exp does: 88.72 in float32
    ("tf.math.cosh(h)", True),
    ("tf.math.sinh(h)", True),
    ("tf.math.cosh(tf.clip_by_value(h, -20.0, 20.0))", False),
    ("tf.math.cosh(tf.clip_by_value(h, -89.0, 89.0))", False),  # cosh is finite to 89.42 (the table), exp is not
    ("tf.exp(tf.clip_by_value(h, -89.0, 89.0))", True),
    ("tf.math.cosh(tf.nn.relu(h))", True),
    ("tf.math.cosh(-tf.nn.relu(h))", True),  # cosh overflows on the negative side as well
    ("tf.math.expm1(-tf.nn.relu(h))", False),  # expm1 only above
    ("tf.math.sinh(tf.tanh(h))", False),
])
def test_an_exp_like_operation_overflows_at_its_own_point_of_the_numerics_table(call, overflows):
    """exp, expm1, sinh and cosh overflow past their OVERFLOWS point of the table, sinh and cosh on either side."""
    analysis = ModuleAnalysis.build(cst.parse_module(f"import tensorflow as tf\n\ndef f(x, w):\n    h = tf.matmul(x, w)\n"
                                                     f"    return {call}\n"))
    (found,) = [c for c in analysis.calls if c.op in (Op.EXP, Op.EXPM1, Op.SINH, Op.COSH) and c.node is
                analysis.functions["f"].returns[-1]]
    operand = analysis.operand(found.node)
    assert operand is not None
    assert analysis.domain.overflows(found.node, operand, found.site) is overflows
