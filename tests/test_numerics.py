"""The table of measured numerics (nanlint/analysis/numerics.py): what it says, that its readers read it, and (with
TensorFlow installed) that it is what TensorFlow 2.21 and NumPy compute."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nanlint.analysis import numerics
from nanlint.analysis.numerics import (FLOAT16, FLOAT32, FLOAT64, NUMPY_FLOAT32, Event, Outcome, domain, point,
                                       when)

ROOT = Path(__file__).resolve().parent.parent


def test_every_event_has_a_point_in_each_tensorflow_float_type():
    for event in Event:
        for dtype in numerics.TF_DTYPES:
            found = point(event, dtype)
            assert found.at * event.side > 0 or event.symmetric, (event, dtype)


def test_a_point_lies_on_its_own_grid_and_says_where_the_event_holds():
    for found in numerics.POINTS.values():
        assert abs(found.at / found.step - round(found.at / found.step)) < 1e-6, found
        assert found.earliest * found.event.side <= found.at * found.event.side
    assert point(Event.SIGMOID_ZERO, "float32").condition() == "x <= -87.5"
    assert point(Event.TANH_ONE, "float32").condition(decimals=2) == "|x| >= 7.91"
    assert when(Event.SIGMOID_ONE) == "x >= 16.75 in float32, x >= 8 in float16"
    assert when(Event.SOFTMAX_ZERO, variable="") == ">= 86.75 in float32, >= 17.5 in float16"


def test_a_kernel_that_is_not_monotone_keeps_where_the_event_first_holds():
    """TensorFlow's float64 sigmoid is exactly 1 at 36.9, not at 37.4, and from 37.5 on: a message says 37.5 (true
    for every input it names), and a reader asking where a 1 can first appear gets 36.9."""
    sigmoid = point(Event.SIGMOID_ONE, "float64")
    assert (sigmoid.at, sigmoid.first, sigmoid.earliest) == (37.5, 36.9, 36.9)
    assert point(Event.SIGMOID_ONE, "float32").earliest == 16.75


def test_the_float_types_read_their_exp_limits_from_the_table():
    assert FLOAT32.exp_overflow == point(Event.EXP_INF, "float32").at and f"{FLOAT32.exp_overflow:.2f}" == "88.72"
    assert f"{FLOAT16.exp_overflow:.2f}" == "11.09"
    # TensorFlow flushes float32 subnormals, NumPy keeps them: one float type, two underflow points
    assert f"{FLOAT32.exp_underflow:.2f}" == "-87.34" and f"{NUMPY_FLOAT32.exp_underflow:.2f}" == "-103.97"
    assert f"{FLOAT64.exp_underflow:.2f}" == "-745.13" and f"{FLOAT64.exp_overflow:.2f}" == "709.78"
    assert numerics.correctly_rounded_tanh_one(FLOAT32) == pytest.approx(9.01, abs=0.005)


def test_value_and_gradient_are_told_apart_in_the_unsafe_domains():
    assert (domain("sqrt", 0.0).value, domain("sqrt", 0.0).gradient) == (Outcome.FINITE, Outcome.INF)
    assert (domain("acos", 1.0).value, domain("acos", 1.0).gradient) == (Outcome.FINITE, Outcome.MINUS_INF)
    assert domain("lgamma", -2.0).value is Outcome.INF
    with pytest.raises(KeyError):
        domain("sqrt", 5.0)


def test_no_reader_keeps_its_own_copy_of_a_measured_number():
    """One source of truth: outside the table, no number the analysis computes with is one of its thresholds, and
    no message text states one of them as a literal ("... 16.75 in float32"): they are read from the table."""
    shown = {text for found in numerics.POINTS.values() for value in (found.at, -found.at)
             for text in (f"{value:g}", f"{value:.2f}", f"{value:.1f}")}
    numbers = {float(text) for text in shown if abs(float(text)) > 2 and not float(text).is_integer()}
    offenders = []
    for path in sorted((ROOT / "nanlint").rglob("*.py")):
        if path.name == "numerics.py":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {id(scope.body[0].value) for scope in ast.walk(tree)
                      if isinstance(scope, (ast.Module, ast.ClassDef, ast.FunctionDef)) and scope.body
                      and isinstance(scope.body[0], ast.Expr) and isinstance(scope.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue  # documentation quoting a threshold, not a number a rule computes or prints
            if isinstance(node, ast.Constant) and type(node.value) is float and abs(node.value) in numbers:
                offenders.append(f"{path.name}:{node.lineno}: {node.value}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for text in shown:
                    if re.search(rf"(?<![\d.e-]){re.escape(text)} in (float|NumPy)", node.value):
                        offenders.append(f"{path.name}:{node.lineno}: {text} in {node.value[:60]!r}")
    assert offenders == [], "\n".join(offenders)


@pytest.mark.tensorflow
def test_the_table_is_what_tensorflow_computes():
    """bench/measure_numerics.py re-measures every point, domain and float limit of the table with TensorFlow on
    CPU (and NumPy for NumPy's points) and fails when one differs."""
    pytest.importorskip("tensorflow")
    ran = subprocess.run([sys.executable, str(ROOT / "bench" / "measure_numerics.py"), "--check"],
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
    assert ran.stdout.strip().endswith("0 difference(s)")


def test_the_operations_the_table_measures_are_operations_of_the_table_of_spellings():
    """expm1, sinh, erfinv, lgamma and digamma are read as operations (their limits are the table's), under TF's,
    TF1's and keras.ops' spellings."""
    from nanlint.analysis.operations import Op, operation_of

    assert operation_of("tensorflow.math.expm1") is Op.EXPM1 and operation_of("keras.ops.expm1") is Op.EXPM1
    assert operation_of("tensorflow.math.sinh") is Op.SINH and operation_of("numpy.sinh") is Op.SINH
    assert operation_of("tensorflow.math.erfinv") is Op.ERFINV and operation_of("keras.ops.erfinv") is Op.ERFINV
    assert operation_of("tensorflow.lgamma") is Op.LGAMMA and operation_of("tensorflow.math.digamma") is Op.DIGAMMA
    for op in (Op.EXP, Op.EXPM1, Op.SINH, Op.COSH):
        assert op.value in numerics.OVERFLOWS
    assert FLOAT32.overflow("cosh") > FLOAT32.overflow("exp") == FLOAT32.exp_overflow
