"""Which float precision code runs in, and the float16 overflows read from it (analysis/precision.py)."""

from __future__ import annotations

from nanlint.analysis.binder import END, At
from nanlint.analysis.precision import float16_min_adders
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
