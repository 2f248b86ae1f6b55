"""--fix / --unsafe-fixes / --diff / --show-fixes: formatting kept, safety honoured, idempotent, atomic."""

from __future__ import annotations

import argparse

from conftest import run_subprocess

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
    code, out, err = run_cli("m.py", "--unsafe-fixes")  # ruff: --unsafe-fixes alone only enables, never writes
    assert code == 1 and path.read_text() == UNSAFE_SOURCE and "[*] 3 fixable with --fix --unsafe-fixes." in err
    code, out, err = run_cli("m.py", "--fix", "--unsafe-fixes", "--show-fixes")
    assert code == 0 and out == ""
    assert "Found 3 errors (3 fixed, 0 remaining)." in err and err.count("nanlint: fixed m.py:") == 3
    assert path.read_text() == UNSAFE_SOURCE.replace("tf.math.log(tf.sigmoid(z))", "tf.math.log_sigmoid(z)").replace(
        "tf.math.log(1 - tf.nn.sigmoid(z + 1))", "tf.math.log_sigmoid(-(z + 1))").replace(
        "ops.log(ops.softmax(l, axis=-1))", "ops.log_softmax(l, axis=-1)")
    fixed = path.read_text()
    assert run_cli("m.py", "--fix", "--unsafe-fixes") == (0, "", "")
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


MIXED_SOURCE = (  # one safe-by-unsafe fix (NAN001) and one finding no fix exists for (NAN005)
    "import tensorflow as tf\n"
    "\n"
    "def f(z, v):\n"
    "    a = tf.math.log(tf.sigmoid(z))\n"
    "    return a + tf.sqrt(tf.nn.relu(v))\n"
    "\n\n"
    "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss=f)  # differentiated: NAN005 applies\n"
)


def test_diff_exit_codes_and_streams_follow_the_readme_table(project, run_cli):
    path = project / "m.py"
    path.write_text(MIXED_SOURCE)
    # a fix and a finding without one: the diff on stdout, the rest on stderr, exit 1
    code, out, err = run_cli("m.py", "--diff", "--unsafe-fixes")
    assert code == 1 and out.startswith("--- a/m.py\n+++ b/m.py\n") and "NAN001" not in out
    assert "m.py:5:" in err and "NAN005" in err and "Would fix 1 error (1 remaining, listed above)." in err
    # only a finding without a fix: no diff, the finding on stderr, exit 1 (ruff: silent, exit 0)
    code, out, err = run_cli("m.py", "--diff", "--select", "NAN005")
    assert (code, out) == (1, "") and "NAN005" in err
    # a fix that needs --unsafe-fixes: no diff, the finding and the hint on stderr, exit 1
    code, out, err = run_cli("m.py", "--diff", "--select", "NAN001")
    assert (code, out) == (1, "") and "NAN001" in err and "available with --unsafe-fixes" in err
    # only a fix: the diff, exit 1; nothing at all: exit 0; --exit-zero: exit 0
    code, out, err = run_cli("m.py", "--diff", "--unsafe-fixes", "--select", "NAN001")
    assert code == 1 and out.startswith("--- a/m.py") and "Would fix 1 error (0 remaining)." in err
    assert run_cli("m.py", "--diff", "--select", "NAN002")[:2] == (0, "")
    assert run_cli("m.py", "--diff", "--unsafe-fixes", "--exit-zero")[0] == 0
    assert path.read_text() == MIXED_SOURCE


def test_fix_prints_found_fixed_remaining_and_unsafe_fixes_alone_writes_nothing(project, run_cli):
    path = project / "m.py"
    path.write_text(MIXED_SOURCE)
    code, _, err = run_cli("m.py", "--unsafe-fixes")
    assert code == 1 and path.read_text() == MIXED_SOURCE
    code, out, err = run_cli("m.py", "--fix", "--unsafe-fixes")
    assert code == 1 and "Found 2 errors (1 fixed, 1 remaining)." in err
    assert out.startswith("m.py:5:") and "NAN005" in out and "log_sigmoid" in path.read_text()


def test_show_fixes_without_fix_lists_the_available_fixes(project, run_cli):
    (project / "m.py").write_text(MIXED_SOURCE)
    code, _, err = run_cli("m.py", "--show-fixes")
    assert code == 1
    assert "fix available with --fix --unsafe-fixes: m.py:4:9: NAN001 (rewrite as log_sigmoid)" in err


def test_fix_on_stdin_prints_the_fixed_source_and_never_writes_the_named_file(project):
    other = project / "other.py"
    other.write_text("keep = 1\n")
    result = run_subprocess("-", "--stdin-filename", "other.py", "--fix", "--unsafe-fixes", cwd=project,
                            stdin=MIXED_SOURCE.encode())
    assert result.returncode == 1
    assert result.stdout.decode() == MIXED_SOURCE.replace("tf.math.log(tf.sigmoid(z))", "tf.math.log_sigmoid(z)")
    assert b"other.py:5:" in result.stderr and b"NAN005" in result.stderr
    assert other.read_text() == "keep = 1\n"
    # nothing to fix: the source comes back unchanged (an editor replaces its buffer with stdout)
    result = run_subprocess("-", "--stdin-filename", "other.py", "--fix", cwd=project, stdin=MIXED_SOURCE.encode())
    assert result.stdout.decode() == MIXED_SOURCE and other.read_text() == "keep = 1\n"
