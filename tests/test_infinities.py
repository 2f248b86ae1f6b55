"""The -Inf row domain on its own: which -Inf fills reach a softmax, through what, and which masks can leave a row
with nothing kept."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.infinities import InfiniteRow
from nanlint.analysis.module import ModuleAnalysis


def _rows(body: str) -> list[InfiniteRow]:
    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        from keras import ops

    """) + textwrap.dedent(body)
    return ModuleAnalysis.build(cst.parse_module(source), "m.py").infinite_rows.found


@pytest.mark.parametrize("fill", ['float("-inf")', "-np.inf", "-float('inf')", "tf.fill(tf.shape(x), -np.inf)",
                                  "-np.inf * tf.ones_like(x)", "tf.ones_like(x) * float('-inf')",
                                  "tf.cast(-np.inf, tf.float32)"])
def test_fill_spellings_into_softmax(fill: str) -> None:
    rows = _rows(f"""
        def f(x, lengths):
            mask = tf.sequence_mask(lengths, tf.shape(x)[-1])
            return tf.nn.softmax(tf.where(mask, x, {fill}))
    """)
    assert [row.empty_when for row in rows] == ["a row whose length in `lengths` is 0"]


@pytest.mark.parametrize("fill", ["-1e9", "tf.float32.min", "x.dtype.min", "-np.inf * mask", "np.inf"])
def test_finite_fills_and_products_are_not_rows(fill: str) -> None:
    assert _rows(f"""
        def f(x, mask):
            return tf.nn.softmax(tf.where(mask, x, {fill}))
    """) == []


def test_followed_through_a_helper_parameter_and_return() -> None:
    rows = _rows("""
        def mask_3d(values, sizes, mask_value):
            pad = mask_value * tf.cast(tf.ones_like(values, dtype=tf.int32), tf.float32)
            mask = tf.tile(tf.expand_dims(tf.sequence_mask(sizes), 1), (1, 4, 1))
            return tf.where(mask, values, pad)

        def attend(scores, sizes):
            masked = mask_3d(scores, sizes, -np.inf)
            return tf.nn.softmax(tf.reshape(masked, (-1, 8)) / 2.0)
    """)
    assert len(rows) == 1
    assert rows[0].mask == "mask" and "sizes" in rows[0].empty_when
    assert isinstance(rows[0].origin, cst.UnaryOperation)  # the -np.inf the caller passes


def test_a_finite_value_passed_for_the_parameter_is_not_a_row() -> None:
    assert _rows("""
        def mask_3d(values, sizes, mask_value):
            return tf.where(tf.sequence_mask(sizes), values, mask_value * tf.ones_like(values))

        def attend(scores, sizes):
            return tf.nn.softmax(mask_3d(scores, sizes, -1e18))
    """) == []


def test_condition_selecting_the_fill() -> None:
    rows = _rows("""
        def f(x, padding):
            return ops.log_softmax(ops.where(padding, float("-inf"), x))
    """)
    assert [(row.mask, row.dropping, row.operation) for row in rows] == [("padding", True, "log_softmax")]


@pytest.mark.parametrize("mask", ["tf.linalg.band_part(tf.ones_like(x), -1, 0) > 0",
                                  "ops.tril(ops.ones((4, 4), dtype='bool'))"])
def test_banded_masks_keep_the_diagonal(mask: str) -> None:
    assert _rows(f"""
        def f(x):
            causal = {mask}
            return tf.nn.softmax(tf.where(causal, x, float("-inf")))
    """) == []


@pytest.mark.parametrize("made, found", [
    ("1 - tf.linalg.band_part(tf.ones([n, n]), -1, 0)", False),  # Informer's ProbMask: causal, keeps column 0
    ("tf.cast(tf.math.equal(keys, 0), tf.float32)", True),  # a padding mask: an all-padding row keeps nothing
])
def test_a_mask_objects_attribute_is_read_where_the_class_makes_it(made: str, found: bool) -> None:
    rows = _rows(f"""
        class Mask:
            def __init__(self, n, keys):
                self._mask = tf.cast({made}, tf.bool)

            @property
            def mask(self):
                return self._mask

        def f(x, n, keys):
            attn_mask = Mask(n, keys).mask
            return tf.nn.softmax(tf.where(attn_mask, -np.inf, x))
    """)
    assert bool(rows) is found


def test_result_replaced_after_the_softmax() -> None:
    assert _rows("""
        def f(inputs, mask):
            rmask = tf.logical_not(tf.cast(mask, tf.bool))
            output = tf.where(rmask, float("-inf"), inputs)
            output = tf.nn.softmax(output)
            return tf.where(rmask, 0.0, output)
    """) == []


def test_logsumexp_of_an_empty_row_is_not_reported() -> None:
    # -Inf is the log of an empty sum, and code absorbs it (softplus(-Inf) = 0)
    assert _rows("""
        def f(x, mask):
            return tf.nn.softplus(tf.reduce_logsumexp(tf.where(mask, x, float("-inf")), axis=1))
    """) == []


@pytest.mark.parametrize("call", ["mask_scores(scores, lengths)",
                                  "mask_scores(scores, lengths, mask_value=float('-inf'))"])
def test_a_default_or_keyword_infinity(call: str) -> None:
    rows = _rows(f"""
        def mask_scores(values, lengths, mask_value=-np.inf):
            return tf.where(tf.sequence_mask(lengths), values, mask_value * tf.ones_like(values))

        def attend(scores, lengths):
            return tf.nn.softmax({call})
    """)
    assert len(rows) == 1


def test_an_additive_bias_of_minus_infinity() -> None:
    rows = _rows("""
        def attend(scores, lengths):
            bias = tf.where(tf.sequence_mask(lengths), 0.0, -np.inf)
            return tf.nn.softmax(scores + bias)
    """)
    assert [row.mask for row in rows] == ["tf.sequence_mask(lengths)"]


@pytest.mark.parametrize(("mask", "found"), [("tf.cast(tf.sequence_mask(lengths), scores.dtype)", True),
                                             ("attention_mask", True), ("tf.nn.sigmoid(scores)", False)])
def test_the_log_of_a_mask_added_to_scores(mask: str, found: bool) -> None:
    rows = _rows(f"""
        def attend(scores, lengths, attention_mask):
            m = {mask}
            return tf.nn.softmax(scores + tf.math.log(m))
    """)
    assert bool(rows) is found
