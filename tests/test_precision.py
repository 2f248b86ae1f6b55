"""Which float precision code runs in, and the float16 overflows read from it (analysis/precision.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from nanlint.analysis.binder import END, At
from nanlint.analysis.numerics import FLOAT16, FLOAT32
from nanlint.analysis.precision import float16_min_adders, float32_array
from nanlint.linter import lint_text
from analysis_support import analysis_of


def _added(source: str) -> list[tuple[int, str]]:
    analysis = analysis_of(source)
    return [(analysis.position(found.addition).start.line, analysis.spelled(found.minimum))
            for found in float16_min_adders(analysis)]


def test_float16_minimum_added_as_a_mask_value_through_names_products_and_returns():
    assert _added("""
        import numpy as np
        import tensorflow as tf

        def adder(dtype):
            return tf.float16.min if dtype == tf.float16 else -1e9

        def f(scores, mask):
            a = scores + (1.0 - mask) * adder(scores.dtype)
            b = tf.add(scores, tf.fill(tf.shape(scores), np.finfo(np.float16).min))
            scores += tf.cast(1 - mask, tf.float16) * tf.dtypes.float16.min
            return a, b, scores
    """) == [(9, "tf.float16.min"), (11, "tf.dtypes.float16.min"), (10, "np.finfo(np.float16).min")]


def test_float16_minimum_scaled_down_replaced_or_in_float32_code_is_not_an_adder():
    assert _added("""
        import tensorflow as tf

        def f(scores, mask):
            a = scores + (1.0 - mask) * (tf.float16.min / 2)
            b = tf.where(mask, scores, tf.float16.min)
            c = scores + (1.0 - mask) * scores.dtype.min
            d = scores + (1.0 - mask) * tf.float32.min
            return a, b, c, d
    """) == []
    assert _added("""
        import tensorflow as tf

        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        def f(scores, mask):
            return scores + (1.0 - mask) * scores.dtype.min
    """) == [(7, "scores.dtype.min")]


def test_a_function_runs_in_its_inputs_float_type_only_when_it_computes_with_that_input():
    analysis = analysis_of("""
        import gym
        import tensorflow as tf

        def layer_norm(inputs):
            dtype = inputs.dtype.base_dtype
            mean, variance = tf.nn.moments(inputs, [1], keepdims=True)
            return variance

        def scaled(x):
            kind = x.dtype
            return x * 2.0

        class Classifier:
            def __init__(self, observation_space, action_space):
                if not isinstance(action_space, gym.spaces.Discrete):
                    raise ValueError("not supported: {}".format(action_space))
                self.obs = tf.placeholder(observation_space.dtype, (None,) + observation_space.shape)
                self.acs = tf.placeholder(action_space.dtype, (None,))
    """)
    dtypes = {name: analysis.precision.input_dtype(At(analysis.functions[name], END))
              for name in ("layer_norm", "scaled", "Classifier.__init__")}
    # a gym space is read for its dtype and shape (and tested, and printed): it describes data, it is not data
    assert dtypes == {"layer_norm": "inputs.dtype", "scaled": "x.dtype", "Classifier.__init__": None}


def test_the_hand_written_softmax_message_gives_the_measured_underflow_of_exp():
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        def softmax(logits):
            e = tf.exp(logits)
            return e / tf.reduce_sum(e, axis=-1, keepdims=True)
    """), "m.py").findings
    assert [finding.code for finding in findings] == ["NAN004"]
    assert "below -87.34 in float32 (-17.34 in float16" in findings[0].message


def test_a_numpy_array_is_float32_through_the_cast_names_scalar_arithmetic_and_clips():
    analysis = analysis_of("""
        import numpy as np

        def policy(q, tau, w):
            a = q.astype("float32")
            b = np.clip(-a / tau, -500, 500)
            c = np.asarray(q, dtype=np.float32) * 2.0
            d = np.float32(q) - 1
            e = q / tau
            f = q.astype("float64")
            g = np.asarray(q)
            return b, c, d, e, f, g
    """)
    returned = analysis.functions["policy"].node.body.body[-1].body[0].value
    cast = {analysis.code_of(element.value): float32_array(analysis, element.value, At(analysis.functions["policy"], END))
            for element in returned.elements}
    assert {name: analysis.code_of(found) if found is not None else None for name, found in cast.items()} == {
        "b": 'q.astype("float32")', "c": "np.asarray(q, dtype=np.float32)", "d": "np.float32(q)",
        "e": None, "f": None, "g": None}


def test_a_clip_bound_of_float64_does_not_guard_the_exp_of_a_float32_array():
    """openai_lab's Boltzmann policy (kengz/openai_lab#131): the Q-values cast to float32, exp of a clip to +-500;
    float32's exp overflows above 88.72, so the clip guards nothing and the softmax is Inf/Inf = NaN."""
    source = textwrap.dedent("""
        import numpy as np

        class BoltzmannPolicy:
            def __init__(self):
                self.clip_val = 500

            def select_action(self, q, tau):
                q = q.astype("{dtype}")
                e = np.exp(np.clip(q / tau, -self.clip_val, self.clip_val))
                return e / np.sum(e)
    """)
    findings = lint_text(source.format(dtype="float32"), "m.py").findings
    assert [finding.code for finding in findings] == ["NAN004"]
    assert "88.72 (the clip to 500 is a float64 bound)" in findings[0].message
    assert "`q.astype(\"float32\")` at line 9" in findings[0].message
    assert not lint_text(source.format(dtype="float64"), "m.py").findings  # keras-rl's later fix
    # openai_lab's later policies subtract the max before the clip: every exponent is <= 0
    shifted = source.replace("        e = np.exp", "        q = q - np.amax(q)\n        e = np.exp")
    assert not lint_text(shifted.format(dtype="float32"), "m.py").findings


@pytest.mark.tensorflow
def test_the_exp_limits_of_the_float_table_are_where_tensorflow_overflows_and_underflows():
    pytest.importorskip("tensorflow")
    script = textwrap.dedent(f"""
        import tensorflow as tf
        for name, dtype, over, under in (("float32", tf.float32, {FLOAT32.exp_overflow}, {FLOAT32.exp_underflow}),
                                         ("float16", tf.float16, {FLOAT16.exp_overflow}, {FLOAT16.exp_underflow})):
            e = tf.exp(tf.constant([over - 0.01, over + 0.01, under + 0.01, under - 0.01], dtype)).numpy()
            print(name, float(e[0]) < float("inf"), float(e[1]) == float("inf"), float(e[2]) > 0, float(e[3]) == 0)
    """)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split("\n")[:2] == ["float32 True True True True", "float16 True True True True"]


def test_an_epsilon_guarding_a_value_cast_to_float32_is_a_float32_one():
    """doctr's DBNet loss runs in `out_map.dtype`, but its dice and L1 denominators are sums of products with masks
    cast to tf.float32: TensorFlow does not promote, so those sums are float32 and 1e-8 is not 0 there. The same
    sum with the mask cast to the input's dtype is still reported."""
    source = textwrap.dedent("""
        import tensorflow as tf

        def loss(out_map, seg_target, seg_mask, thresh_map, thresh_target, thresh_mask, eps=1e-8):
            prob_map = tf.math.sigmoid(out_map)
            seg_target = tf.convert_to_tensor(seg_target, dtype=out_map.dtype)
            mask = tf.cast(seg_mask, tf.float32)
            inter = tf.reduce_sum(mask * prob_map * seg_target, axis=[0, 1, 2])
            cardinality = tf.reduce_sum(mask * (prob_map + seg_target), axis=[0, 1, 2])
            dice = tf.reduce_mean(1 - 2 * inter / (cardinality + eps))
            thresh_mask = tf.cast(thresh_mask, tf.float32)
            l1 = tf.reduce_sum(tf.abs(thresh_map - thresh_target) * thresh_mask) / (tf.reduce_sum(thresh_mask) + eps)
            same = tf.cast(seg_mask > 0, out_map.dtype)
            card2 = tf.reduce_sum(same * (prob_map + seg_target), axis=[0, 1, 2])
            plain = tf.reduce_mean(1 - 2 * inter / (card2 + eps))
            return dice + l1 + plain
    """)
    findings = [(f.code, f.line) for f in lint_text(source, "m.py").findings if f.code == "NAN003"]
    assert findings == [("NAN003", 15)]


def test_a_hand_written_sigmoid_of_a_value_bounded_below_the_overflow_is_not_reported():
    """doctr's DBNet binarisation, `1 / (1 + exp(-50 * (prob_map - thresh_map)))` of two sigmoid outputs: at most
    exp(50), finite in float32 (measured, TF 2.21: finite gradient). The same of a linear output, or of the two maps
    in float16 (exp(50) overflows there), is still reported."""
    source = textwrap.dedent("""
        import tensorflow as tf


        class Net(tf.keras.Model):
            def compute_loss(self, out_map, thresh_map):
                prob_map = tf.math.sigmoid(out_map)
                thresh_map = tf.math.sigmoid(thresh_map)
                bounded = 1.0 / (1.0 + tf.exp(-50 * (prob_map - thresh_map)))
                unbounded = 1.0 / (1.0 + tf.exp(-50 * (out_map - thresh_map)))
                return tf.reduce_mean(bounded + unbounded)


        class Half(tf.keras.Model):
            def compute_loss(self, out_map, thresh_map):
                prob_map = tf.cast(tf.math.sigmoid(out_map), tf.float16)
                thresh_map = tf.cast(tf.math.sigmoid(thresh_map), tf.float16)
                return tf.reduce_mean(1.0 / (1.0 + tf.exp(-50 * (prob_map - thresh_map))))
    """)
    assert [(f.code, f.line) for f in lint_text(source, "m.py").findings] == [("NAN004", 10), ("NAN004", 18)]


def test_a_softmax_centred_on_its_row_mean_is_reported_for_overflow_only():
    # chrombpnet's evaluation softmax (unseen19): centred on the mean, a term of each row is >= exp(0), so the
    # 0/0 of an all-underflowing row cannot happen; a logit far above its row's mean still overflows
    findings = lint_text(textwrap.dedent("""
        import numpy as np
        import tensorflow as tf

        def numpy_softmax(x, temp=1):
            norm_x = x - np.mean(x, axis=1, keepdims=True)
            return np.exp(temp * norm_x) / np.sum(np.exp(temp * norm_x), axis=1, keepdims=True)

        def method_softmax(x):
            z = (x - x.mean(axis=-1, keepdims=True)) / 2.0
            return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

        def tf_softmax(logits):
            e = tf.exp(logits - tf.reduce_mean(logits, axis=-1, keepdims=True))
            return e / tf.reduce_sum(e, axis=-1, keepdims=True)

        def global_mean(x):
            z = x - np.mean(x)
            return np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)

        def weighted(x, w):
            z = w * (x - np.mean(x, axis=1, keepdims=True))
            return np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    """), "m.py").findings
    centred = {finding.line: "cannot underflow" in finding.message and "0/0" not in finding.message
               for finding in findings if finding.code == "NAN004"}
    # a global mean leaves a row far below it all-underflowing; an array weight can flip the signs of a row
    assert centred == {7: True, 11: True, 15: True, 19: False, 23: False}
    assert "more than 709.78 above its row's mean in float64" in findings[0].message
    assert "more than 88.72 above its row's mean in float32" in findings[2].message
