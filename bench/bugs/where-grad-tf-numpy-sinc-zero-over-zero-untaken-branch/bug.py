"""Mathematical operations (excerpt of tensorflow/python/ops/numpy_ops/np_math_ops.py).

The module's helper `_scalar` (dtype promotion, then the op) is imported here; in
the library it is defined in the same file.
"""
import numpy as np

from tensorflow.python.ops import array_ops
from tensorflow.python.ops import math_ops
from tensorflow.python.ops.numpy_ops import np_utils
from tensorflow.python.ops.numpy_ops.np_math_ops import _scalar
from tensorflow.python.util import tf_export


@tf_export.tf_export('experimental.numpy.log1p', v1=[])
@np_utils.np_doc('log1p')
def log1p(x):
  return _scalar(math_ops.log1p, x, True)


@tf_export.tf_export('experimental.numpy.positive', v1=[])
@np_utils.np_doc('positive')
def positive(x):
  return _scalar(lambda x: x, x)


@tf_export.tf_export('experimental.numpy.sinc', v1=[])
@np_utils.np_doc('sinc')
def sinc(x):
  def f(x):
    pi_x = x * np.pi
    return array_ops.where_v2(
        x == 0, array_ops.ones_like(x), math_ops.sin(pi_x) / pi_x
    )

  return _scalar(f, x, True)


@tf_export.tf_export('experimental.numpy.square', v1=[])
@np_utils.np_doc('square')
def square(x):
  return _scalar(math_ops.square, x)
