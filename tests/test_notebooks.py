"""Notebooks are linted cell by cell, with names flowing between cells and magics masked."""

from __future__ import annotations

import json


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "source": source.splitlines(keepends=True), "metadata": {}}
                                 for kind, source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_findings_are_reported_per_cell_with_cell_relative_lines(project, run_cli):
    (project / "train.ipynb").write_text(_notebook(
        ("markdown", "# Training\n"),
        ("code", "%matplotlib inline\n!pip install tensorflow\nimport tensorflow as tf\n"),
        ("code", "def loss(z):\n    p = tf.sigmoid(z)\n    return tf.math.log(p)  # in cell 3\n"),
        ("code", "%%bash\necho hi\n"),
        ("code", "y = tf.math.log(tf.nn.softmax(q))\nz = tf.math.log(tf.sigmoid(q))  # noqa: NAN001\n"),
    ))
    code, out, _ = run_cli(".")
    assert code == 1
    assert [line.split(": NAN")[0] + ": NAN" + line.split(": NAN")[1][:3] for line in out.splitlines()] == [
        "train.ipynb:cell 3:3:12: NAN001",
        "train.ipynb:cell 5:1:5: NAN001",
    ]


def test_invalid_notebook_is_a_finding_not_a_crash(project, run_cli):
    (project / "broken.ipynb").write_text("{ not json")
    code, out, err = run_cli("broken.ipynb")
    assert code == 1 and out.startswith("broken.ipynb:1:1: NAN903 not a valid notebook") and "Traceback" not in err


def test_syntax_error_in_a_cell_points_at_the_cell(project, run_cli):
    (project / "nb.ipynb").write_text(_notebook(("code", "import tensorflow as tf\n"), ("code", "x = (\n")))
    _, out, _ = run_cli("nb.ipynb")
    assert out.startswith("nb.ipynb:cell 2:") and "NAN900" in out
