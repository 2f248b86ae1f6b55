"""Counts of 0/1 indicators (analysis/counts.py, values.py): rounded or thresholded predictions and labels summed
over a batch, their sums and products, and the NAN002 findings on the hand-written metrics built from them."""

from __future__ import annotations

import textwrap

import pytest

from nanlint.analysis import counts as counting
from nanlint.analysis.values import Producer
from analysis_support import function_return

PRED = counting.Literal("y_pred", counting.PREDICTIONS)
TRUE = counting.Literal("y_true", counting.LABELS)


def _event(*terms: tuple[counting.Literal, ...]) -> counting.Event:
    return frozenset(frozenset(term) for term in terms)


def test_complementary_terms_merge_and_implied_terms_drop():
    tp = _event((TRUE, PRED))
    fp = _event((TRUE.negated(), PRED))
    assert counting.union(tp, fp) == _event((PRED,))
    assert counting.describe_event(counting.union(tp, fp)) == "predicted positive"
    assert counting.union(_event((PRED,)), tp) == _event((PRED,))
    # tp + tn: the samples classified right, not one literal
    tn = _event((TRUE.negated(), PRED.negated()))
    assert counting.union(tp, tn) == tp | tn
    assert counting.conjunction(PRED, PRED.negated()) is None


def _value(body: str):
    analysis, returned, at = function_return("from keras import backend as K\nimport tensorflow as tf\n"
                                             + textwrap.dedent(body))
    return analysis.values.of(returned, at)


@pytest.mark.parametrize("body, zero", [
    ("def f(y_true, y_pred):\n    return K.sum(K.round(K.clip(y_pred, 0, 1)))\n", "no sample predicted positive"),
    ("def f(y_true, y_pred):\n    y_pos = K.round(K.clip(y_true, 0, 1))\n    return K.sum(y_pos)\n",
     "no sample labelled positive"),
    ("def f(y_true, y_pred):\n    return K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))\n",
     "no sample labelled positive and predicted positive"),
    ("def f(y_true, y_pred):\n    p = K.round(K.clip(y_pred, 0, 1))\n    return K.sum(y_true * (1 - p))\n",
     "no sample labelled positive and predicted negative"),
    # a metric's predictions rounded (no clip): named predictions, a sigmoid output
    ("def f(y_true, y_pred):\n    y_pred = K.round(y_pred)\n    return K.sum((1 - y_true) * y_pred)\n",
     "no sample labelled negative and predicted positive"),
    ("def f(x):\n    return K.sum(K.round(K.sigmoid(x)))\n", "no sample predicted positive"),
    ("def f(y_true, y_pred):\n    return tf.reduce_sum(tf.cast(y_pred < 0.5, tf.float32))\n",
     "no sample predicted negative"),
    ("def f(y_true, y_pred):\n    p = K.round(K.clip(y_pred, 0, 1))\n    tp = K.sum(y_true * p)\n"
     "    fp = K.sum((1 - y_true) * p)\n    return tp + fp\n", "`tp + fp` is 0 (no sample predicted positive)"),
])
def test_a_sum_of_indicators_is_a_count_zero_when_nothing_is_counted(body, zero):
    value = _value(body)
    assert value.producer is Producer.COUNT
    assert zero in (value.zero_when or "")


def test_a_product_of_counts_and_its_root_are_zero_with_any_factor():
    value = _value("""
        def f(y_true, y_pred):
            p = K.round(K.clip(y_pred, 0, 1))
            t = K.round(K.clip(y_true, 0, 1))
            tp, fn = K.sum(t * p), K.sum(t * (1 - p))
            fp, tn = K.sum((1 - t) * p), K.sum((1 - t) * (1 - p))
            return K.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        """)
    assert value.producer is Producer.COUNT and value.rooted and value.describe() == "square root of a product of counts"
    assert [count.text for count in value.counts] == ["tp + fp", "tp + fn", "tn + fp", "tn + fn"]
    for words in ("predicted positive", "labelled positive", "labelled negative", "predicted negative"):
        assert f"(no sample {words})" in (value.zero_when or "")


@pytest.mark.parametrize("body", [
    # guarded
    "def f(y_true, y_pred):\n    return K.sum(K.round(K.clip(y_pred, 0, 1))) + K.epsilon()\n",
    "def f(y_true, y_pred):\n    return K.maximum(K.sum(K.round(K.clip(y_pred, 0, 1))), 1.0)\n",
    # not 0/1: a clip to another range, a round of an unbounded value, a sum of unknown terms
    "def f(y_true, y_pred):\n    return K.sum(K.round(K.clip(y_pred, 0, 5)))\n",
    "def f(x):\n    return K.sum(K.round(x))\n",
    # a comparison of something other than predictions is a mask, read as before (not a count)
    "def f(x):\n    return tf.reduce_sum(tf.cast(x > 0, tf.float32))\n",
    # a sum along an axis: per row, not what a batch count is
    "def f(y_true, y_pred):\n    return K.sum(K.round(K.clip(y_pred, 0, 1)), axis=-1)\n",
])
def test_not_counts(body):
    value = _value(body)
    assert value.producer is not Producer.COUNT or value.zero_when is None


def test_metric_findings_name_the_empty_count_and_claim_no_gradient():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = textwrap.dedent("""
        from keras import backend as K

        def precision(y_true, y_pred):
            true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
            predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
            return true_positives / predicted_positives

        def precision_ok(y_true, y_pred):
            true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
            predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
            return true_positives / (predicted_positives + K.epsilon())

        def guarded(y_true, y_pred):
            predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
            if predicted_positives == 0:
                return 0.0
            return K.sum(y_true * y_pred) / predicted_positives
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert [f.line for f in findings] == [7]
    assert "`predicted_positives` is 0 (no sample predicted positive)" in findings[0].message
    assert "gradient" not in findings[0].message


@pytest.mark.parametrize("body, zero", [
    ("def f(x):\n    return tf.histogram_fixed_width(x, [0.0, 1.0], nbins=10)\n", "an empty bin (no value of `x` in it)"),
    # a normalised histogram keeps its empty bins' zeros
    ("def f(x):\n    return tf.histogram_fixed_width(x, [0.0, 1.0], nbins=100, dtype=tf.float32) / 100\n",
     "an empty bin"),
    ("def f(x):\n    return tf.math.bincount(x)\n", "an integer below the largest that `x` does not contain"),
    # two histograms summed (a chi-square's denominator): 0 where a bin is empty in both
    ("def f(a, b):\n    ha = tf.histogram_fixed_width(a, [0.0, 1.0], nbins=10)\n"
     "    hb = tf.histogram_fixed_width(b, [0.0, 1.0], nbins=10)\n    return ha + hb\n",
     "an entry where every term is 0 (an empty bin (no value of `a` in it) and an empty bin (no value of `b` in it))"),
])
def test_bin_counts_are_zero_for_an_empty_bin(body, zero):
    value = _value(body)
    assert value.producer is Producer.COUNT
    assert value.zero_when == zero or zero in (value.zero_when or "")


@pytest.mark.parametrize("body", [
    "def f(x):\n    return tf.histogram_fixed_width(x, [0.0, 1.0], nbins=10) + 1.0\n",  # smoothed
    "def f(x):\n    return tf.maximum(tf.math.bincount(x), 1)\n",
    "def f(x, y):\n    return tf.histogram_fixed_width(x, [0.0, 1.0], nbins=10) + y\n",  # plus something not a count
    "def f(x, n):\n    return tf.histogram_fixed_width(x, [0.0, 1.0], nbins=10) / n\n",  # over a value not constant
])
def test_guarded_or_mixed_bin_counts_are_not_zero(body):
    assert _value(body).zero_when is None


def test_a_histogram_s_total_is_the_number_of_values_not_a_zero():
    """tfp's expected_calibration_error: `bin_n / tf.reduce_sum(bin_n)` divides by the number of instances."""
    total = _value("def f(x):\n    counts = tf.math.bincount(x)\n    return tf.reduce_sum(counts)\n")
    assert total.zero_when is None
    per_bin = _value("def f(x):\n    counts = tf.math.bincount(x)\n    return tf.reduce_sum(counts, axis=0)\n")
    assert per_bin.producer is Producer.COUNT and "an integer below the largest" in (per_bin.zero_when or "")
