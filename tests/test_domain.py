"""The numeric domain: ranges per producer, their transfers, and the unsafe-input queries rules ask."""

from __future__ import annotations

import math
import textwrap

import libcst as cst
import pytest

from nanlint.analysis.domain import Range, range_of, reaches_negative, unbounded_above
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.precision import FLOAT16, FLOAT32
from nanlint.analysis.values import Guard, Producer, Value


def test_ranges_of_producers_and_the_complement_transfer():
    assert range_of(Value(Producer.SIGMOID)) == Range(0.0, 1.0)
    assert range_of(Value(Producer.TANH)) == Range(-1.0, 1.0)
    assert range_of(Value(Producer.RELU)) == Range(0.0, math.inf)
    assert range_of(Value(Producer.SIGMOID, complement=True)) == Range(0.0, 1.0)
    assert range_of(Value()) is None


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
