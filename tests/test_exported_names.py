"""The names TensorFlow, Keras and NumPy export an operation's function object under, generated from the libraries
(bench/exported_names.py -> nanlint/analysis/exported_names.py) and read by `operation_of` beside the hand-written
spellings."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from nanlint.analysis.exported_names import EXPORTED_NAMES
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import SPELLINGS, Op, normalize, operation_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("qualified, op", [
    # TF1 spellings through tf.compat.v1 (normalized onto the hand-written table)
    ("tensorflow.compat.v1.div", Op.DIVIDE),
    ("tensorflow.compat.v1.math.truediv", Op.DIVIDE),
    ("tensorflow.compat.v1.to_float", Op.CAST),
    # read from the libraries' exports only
    ("tensorflow.debugging.is_nan", Op.IS_NAN),
    ("tensorflow.compat.v1.debugging.is_finite", Op.IS_FINITE),
    ("tensorflow.manip.reshape", Op.RESHAPE),
    ("tensorflow.compat.v1.manip.gather_nd", Op.GATHER),
    ("tensorflow.dtypes.cast", Op.CAST),
    ("tensorflow.floor_mod", Op.MOD),
    ("tensorflow.python.ops.gen_math_ops.real_div", Op.DIVIDE),  # the op behind tf.realdiv, in its defining module
    ("tensorflow.python.ops.gen_math_ops.log", Op.LOG),
    ("tensorflow.python.ops.gen_nn_ops.relu", Op.RELU),
    ("tensorflow.python.ops.standard_ops.log", Op.LOG),
    ("tensorflow.python.ops.numpy_ops.np_math_ops.arccos", Op.ACOS),
    ("keras.src.legacy.backend.switch", Op.WHERE),  # the module behind Keras 3's tf.keras.backend
    ("numpy.acos", Op.ACOS),  # NumPy 2's array-API names are the same ufuncs
    ("numpy.pow", Op.POW),
    ("jax.numpy.permute_dims", Op.TRANSPOSE),
])
def test_exported_aliases_are_their_operation(qualified, op):
    assert operation_of(qualified) is op


def test_the_generated_table_only_adds_names_and_the_hand_written_spellings_win():
    hand = {name for names in SPELLINGS.values() for name in names}
    assert EXPORTED_NAMES and not set(EXPORTED_NAMES) & hand
    assert list(EXPORTED_NAMES) == sorted(EXPORTED_NAMES)
    assert all(normalize(name) == name for name in EXPORTED_NAMES)  # keys are looked up after normalize
    assert {Op(value) for value in EXPORTED_NAMES.values()} <= set(Op)
    assert operation_of("tensorflow.python.ops.gen_math_ops.frobnicate") is None


def test_an_internal_module_spelling_is_read_as_the_operation_and_its_operator():
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""\
        from tensorflow.python.ops import gen_math_ops
        from tensorflow.python.ops import gen_nn_ops

        r = gen_math_ops.real_div(a, b)
        h = gen_nn_ops.relu(x)
        """)))
    ops = {analysis.code_of(call.node): call.op for call in analysis.calls}
    assert ops == {"gen_math_ops.real_div(a, b)": Op.DIVIDE, "gen_nn_ops.relu(x)": Op.RELU}
    division = analysis.module.body[2].body[0].value
    form = analysis.operator_form(division)
    assert form is not None and cst.Module([]).code_for_node(form) == "a / b"


@pytest.mark.tensorflow
@pytest.mark.slow
def test_the_committed_table_is_what_the_installed_libraries_export():
    if importlib.util.find_spec("tensorflow") is None or importlib.util.find_spec("keras") is None:
        pytest.skip("TensorFlow and Keras are needed to regenerate the table")
    # in a subprocess: this process never imports TensorFlow
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "exported_names.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
