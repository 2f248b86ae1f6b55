"""The flake8 plugin, run through real flake8: same codes and messages, columns exactly nanlint's."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("flake8") is None, reason="flake8 is not installed")

SOURCE = (
    "import tensorflow as tf\n"
    "\n"
    "\n"
    "def f(z):\n"
    "    a = tf.math.log(tf.sigmoid(z))\n"
    "    b = tf.math.log(tf.nn.softmax(z))  # noqa: NAN001\n"
    "    return a + b\n"
)


def test_flake8_reports_nanlint_findings_at_the_same_columns(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(SOURCE)
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "NAN", str(target)], capture_output=True,
                            text=True, timeout=120)
    nanlint = subprocess.run([sys.executable, "-m", "nanlint", str(target)], capture_output=True, text=True, timeout=120)
    assert flake8.returncode == 1, flake8.stderr
    assert flake8.stdout == nanlint.stdout
    assert flake8.stdout.startswith(f"{target}:5:9: NAN001 ")


def test_flake8_skips_files_that_never_mention_the_frameworks(tmp_path):
    target = tmp_path / "plain.py"
    target.write_text("import math\ny = math.log(0.5)\n")
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "NAN", str(target)], capture_output=True,
                            text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "")
