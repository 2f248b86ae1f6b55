"""The operation table: every spelling of an operation is that one operation, and an operation Python also writes
as an operator is read as that operator."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op, operation_of

_IMPORTS = """
import numpy as np
import jax.numpy as jnp
import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.keras import backend as K
from keras import ops
"""


def _calls(source: str) -> ModuleAnalysis:
    return ModuleAnalysis.build(cst.parse_module(_IMPORTS + textwrap.dedent(source)))


@pytest.mark.parametrize("op, spellings", [
    (Op.MULTIPLY, ["tf.multiply(a, b)", "tf.math.multiply(a, b)", "tf.mul(a, b)", "tf1.multiply(a, b)",
                   "np.multiply(a, b)", "jnp.multiply(a, b)", "ops.multiply(a, b)"]),
    (Op.DIVIDE, ["tf.divide(a, b)", "tf.math.divide(a, b)", "tf.truediv(a, b)", "tf.div(a, b)", "tf.realdiv(a, b)",
                 "np.divide(a, b)", "np.true_divide(a, b)", "ops.divide(a, b)", "ops.true_divide(a, b)"]),
    (Op.SUBTRACT, ["tf.subtract(a, b)", "tf.sub(a, b)", "np.subtract(a, b)", "ops.subtract(a, b)"]),
    (Op.NEGATIVE, ["tf.negative(a)", "tf.neg(a)", "tf.math.negative(a)", "np.negative(a)", "ops.negative(a)"]),
    (Op.WHERE, ["tf.where(c, a, b)", "tf.select(c, a, b)", "tf1.where_v2(c, a, b)", "np.where(c, a, b)",
                "K.switch(c, a, b)", "ops.where(c, a, b)", "jnp.where(c, a, b)"]),
    (Op.LOG, ["tf.log(a)", "tf.math.log(a)", "tf1.log(a)", "K.log(a)", "np.log(a)", "ops.log(a)", "a.log()"]),
    (Op.REDUCE_SUM, ["tf.reduce_sum(a, 1)", "tf.math.reduce_sum(a)", "K.sum(a)", "np.sum(a, 1)", "ops.sum(a)",
                     "a.sum(axis=1)"]),
    (Op.REDUCE_MEAN, ["tf.reduce_mean(a)", "K.mean(a)", "np.mean(a)", "ops.mean(a)", "a.mean()"]),
    (Op.NORM, ["tf.norm(a)", "tf.linalg.norm(a)", "np.linalg.norm(a, axis=1)", "jnp.linalg.norm(a)",
               "ops.norm(a)", "a.norm()"]),
    (Op.MATMUL, ["tf.matmul(a, b)", "tf.linalg.matmul(a, b)", "tf.batch_matmul(a, b)", "K.dot(a, b)",
                 "np.dot(a, b)", "np.matmul(a, b)", "ops.matmul(a, b)"]),
    (Op.AVG_POOL, ["tf.nn.avg_pool(a, 2, 2, 'SAME')", "tf.nn.avg_pool2d(a, 2, 2, 'SAME')",
                   "tf1.layers.average_pooling2d(a, 2, 2)", "ops.average_pool(a, 2)"]),
    (Op.RANGE, ["np.arange(10)", "np.linspace(-1, 20, 101)", "tf.range(10)", "tf.linspace(0.0, 1.0, 5)",
                "tf1.lin_space(0.0, 1.0, 5)", "ops.arange(10)", "jnp.linspace(0, 1)"]),
    (Op.POW, ["tf.pow(a, 3)", "tf.math.pow(a, 3)", "K.pow(a, 3)", "np.power(a, 3)", "ops.power(a, 3)"]),
])
def test_every_spelling_is_the_one_operation(op, spellings):
    analysis = _calls("\n".join(spellings) + "\n")
    outermost = [call for call in analysis.calls if call.node in {
        statement.body[0].value for statement in analysis.module.body[-len(spellings):]}]
    assert [(analysis.code_of(call.node), call.op) for call in outermost] == [(spelled, op) for spelled in spellings]


@pytest.mark.parametrize("qualified, op", [
    # Keras 3's own backend modules implement keras.ops one for one (a `cast` imported from the TF backend's core)
    ("keras.src.backend.tensorflow.core.cast", Op.CAST),
    ("keras.src.backend.tensorflow.core.convert_to_tensor", Op.IDENTITY),
    ("keras.src.backend.jax.numpy.sum", Op.REDUCE_SUM),
    ("keras.src.backend.torch.math.rsqrt", Op.RSQRT),
    ("keras.backend.tensorflow.nn.softmax", Op.SOFTMAX),
])
def test_keras_backend_implementations_are_the_ops_they_implement(qualified, op):
    assert operation_of(qualified) is op


def test_a_name_no_import_resolves_is_read_by_its_last_part():
    from nanlint.analysis.operations import operation_named

    assert operation_named("self.backend.numpy.where") is Op.WHERE
    assert operation_named("F.select") is Op.WHERE
    assert operation_named("logical_and") is Op.LOGICAL_AND
    assert operation_named("isnan") is operation_named("is_nan") is Op.IS_NAN
    assert operation_named("normalize") is None  # l2_normalize (keras.ops) or linalg.normalize (TF): ambiguous
    assert operation_named("frobnicate") is None


def test_lookalike_names_are_not_operations():
    assert operation_of("mylib.multiply") is None
    assert operation_of("tensorflow.selector") is None
    assert operation_of("numpy.random.normal") is None


@pytest.mark.parametrize("spelled, operator", [
    ("a * b", "a * b"),
    ("tf.multiply(a, b)", "a * b"),
    ("tf.mul(a, b)", "a * b"),
    ("np.multiply(x1=a, x2=b)", "a * b"),
    ("tf.math.truediv(a, b)", "a / b"),
    ("np.divide(a, b)", "a / b"),
    ("tf.add(a, b)", "a + b"),
    ("tf.subtract(a, b)", "a - b"),
    ("np.power(a, 3)", "a ** 3"),
    ("tf.square(a)", "a ** 2"),
    ("np.square(a)", "a ** 2"),
    ("tf.matmul(a, b)", "a @ b"),
    ("tf.negative(a)", "-a"),
    ("tf.nn.bias_add(a, b)", "a + b"),  # a bias added along the channel axis
    ("tf.nn.bias_add(value=a, bias=b)", "a + b"),
    ("K.bias_add(a, b)", "a + b"),
    ("-a", "-a"),
    ("tf.log(a)", None),
    ("tf.multiply(a)", None),  # an argument missing: no operator
])
def test_operator_form(spelled, operator):
    analysis = _calls(f"{spelled}\n")
    expr = analysis.module.body[-1].body[0].value
    form = analysis.operator_form(expr)
    assert (cst.Module([]).code_for_node(form) if form is not None else None) == operator
    if form is not None and form is not expr:
        # one node per call, and messages quote the call as it is written
        assert analysis.operator_form(expr) is form
        assert analysis.code_of(form) == spelled
