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


def _documented_examples() -> tuple[str, list[tuple[str, str]]]:
    """docs/editors.md: the model.py it lints, and each `$ command` with the output shown under it."""
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "editors.md").read_text()
    blocks = text.split("```")[1::2]
    model = next(b for b in blocks if b.startswith("python\n")).removeprefix("python\n")
    examples = []
    for block in blocks:
        if block.startswith("console\n"):
            command, *output = block.removeprefix("console\n").splitlines()
            examples.append((command.removeprefix("$ "), "".join(line + "\n" for line in output)))
    return model, examples


def test_the_documented_editor_commands_print_what_the_docs_show(tmp_path):
    model, examples = _documented_examples()
    (tmp_path / "model.py").write_text(model)
    assert len(examples) == 3
    for command, shown in examples:
        status = 0 if "--fix" in command else 1  # fixed: nothing remains; linted: findings
        command = command.replace("flake8 ", f"{sys.executable} -m flake8 ", 1).replace(
            "nanlint ", f"{sys.executable} -m nanlint ", 1)
        result = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert (result.returncode, result.stdout) == (status, shown), (command, result.stderr)
    assert (tmp_path / "model.py").read_text() == model  # the fix went to stdout, never to the file


def test_flake8_and_nanlint_agree_on_lowercase_noqa_codes(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(
        "import tensorflow as tf\n\n\n"
        "def f(z):\n"
        "    a = tf.math.log(tf.sigmoid(z))  # NOQA:nan0\n"
        "    b = tf.math.log(tf.nn.softmax(z))  # noqa: nan001,E501\n"
        "    return (a + tf.math.log(tf.sigmoid(z)) +  # noqa:NAN002\n"
        "            b)\n"
    )
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "NAN", str(target)], capture_output=True,
                            text=True, timeout=120)
    nanlint = subprocess.run([sys.executable, "-m", "nanlint", str(target), "--ignore", "NAN902"],
                             capture_output=True, text=True, timeout=120)
    assert flake8.stdout == nanlint.stdout
    assert [line.split(": ")[0] for line in flake8.stdout.splitlines()] == [f"{target}:7:17"]
