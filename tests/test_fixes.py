"""--fix / --unsafe-fixes / --diff / --show-fixes: formatting kept, safety honoured, idempotent, atomic."""

from __future__ import annotations

import argparse

from nanlint.finding import Finding, Fix
from nanlint.fixes import process_results
from nanlint.linter import FileResult

UNSAFE_SOURCE = (
    "import tensorflow as tf\n"
    "from keras import ops\n"
    "\n"
    "def f(z, l):\n"
    "    a = tf.math.log(tf.sigmoid(z))  # keep me\n"
    "    b = tf.math.log(1 - tf.nn.sigmoid(z + 1))\n"
    "    return a + b + ops.log(ops.softmax(l, axis=-1))\n"
)
SAFE_SOURCE = (
    "from tensorflow import keras\n"
    "\n"
    'keras.mixed_precision.set_global_policy("mixed_float16")\n'
    "model = keras.Sequential([\n"
    "    keras.layers.Dense(8, activation='relu'),\n"
    "    keras.layers.Dense(1, activation='sigmoid'),  # output\n"
    "])\n"
    "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
)


def test_unsafe_fixes_rewrite_to_log_space_in_the_files_own_namespaces(project, run_cli):
    path = project / "m.py"
    path.write_text(UNSAFE_SOURCE)
    code, out, err = run_cli("m.py", "--fix")
    assert code == 1 and path.read_text() == UNSAFE_SOURCE and "3 more fix(es) available with --unsafe-fixes" in err
    code, out, err = run_cli("m.py", "--unsafe-fixes", "--show-fixes")
    assert code == 0 and out == ""
    assert path.read_text() == UNSAFE_SOURCE.replace("tf.math.log(tf.sigmoid(z))", "tf.math.log_sigmoid(z)").replace(
        "tf.math.log(1 - tf.nn.sigmoid(z + 1))", "tf.math.log_sigmoid(-(z + 1))").replace(
        "ops.log(ops.softmax(l, axis=-1))", "ops.log_softmax(l, axis=-1)")
    fixed = path.read_text()
    assert run_cli("m.py", "--unsafe-fixes") == (0, "", "")
    assert path.read_text() == fixed  # fixing twice changes nothing


def test_safe_fix_applies_with_fix_alone(project, run_cli):
    path = project / "m.py"
    path.write_text(SAFE_SOURCE)
    code, _, _ = run_cli("m.py", "--fix", "--select", "NAN105")
    assert code == 0
    assert "keras.layers.Dense(1, activation='sigmoid', dtype=\"float32\"),  # output\n" in path.read_text()


def test_diff_prints_and_writes_nothing(project, run_cli):
    path = project / "m.py"
    path.write_text(UNSAFE_SOURCE)
    _, out, _ = run_cli("m.py", "--diff", "--unsafe-fixes")
    assert out.startswith("--- a/m.py\n+++ b/m.py\n") and "+    a = tf.math.log_sigmoid(z)  # keep me" in out
    assert path.read_text() == UNSAFE_SOURCE


def test_a_fix_that_would_not_parse_is_refused(tmp_path, capsys):
    path = tmp_path / "m.py"
    path.write_text("x = compute(1)\n")
    broken = Finding("NAN001", "m", str(path), 1, 5, 1, 15, fix=Fix("bad", "compute(", safe=True))
    args = argparse.Namespace(fix=True, unsafe_fixes=False, diff=False, show_fixes=False)
    [result] = process_results([FileResult(str(path), (broken,), source=path.read_text(), real_path=str(path))],
                               args, None)
    assert result.findings == (broken,) and path.read_text() == "x = compute(1)\n"
    assert "would not parse" in capsys.readouterr().err
