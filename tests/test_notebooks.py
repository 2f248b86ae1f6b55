"""Notebooks are linted cell by cell, with names flowing between cells and magics masked."""

from __future__ import annotations

import json

import pytest


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


def _indented_notebook(*sources: str) -> str:
    """As Jupyter writes it: indent 1, a list of lines per cell, non-ASCII kept."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Training — notes\n"]}]
    cells += [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": source.splitlines(keepends=True)} for source in sources]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1, ensure_ascii=False) + "\n"


def test_a_cell_starting_with_a_python_cell_magic_is_linted(project, run_cli):
    (project / "nb.ipynb").write_text(_notebook(
        ("code", "%%time\nimport tensorflow as tf\ny = tf.math.log(tf.sigmoid(x))\n"),
        ("code", "%%bash\necho tf.math.log(tf.sigmoid(x))\n"),
    ))
    code, out, _ = run_cli("nb.ipynb")
    assert code == 1 and [line.split(": NAN")[0] for line in out.splitlines()] == ["nb.ipynb:cell 1:3:5"]


def test_json_and_github_use_the_real_file_plus_the_cell(project, run_cli, run_json):
    text = _indented_notebook("import tensorflow as tf\n", "y = tf.math.log(tf.sigmoid(x))\n")
    (project / "train.ipynb").write_text(text)
    _, data, _ = run_json("train.ipynb")
    assert [(d["filename"], d["cell"], d["location"]) for d in data] == [("train.ipynb", 3, {"row": 1, "column": 5})]
    _, out, _ = run_cli("train.ipynb", "--output-format", "github")
    properties = dict(item.split("=", 1) for item in out.split("::")[1].removeprefix("error ").split(","))
    assert properties["file"] == "train.ipynb" and "cell 3" in properties["title"]
    line = text.splitlines()[int(properties["line"]) - 1]
    assert line[int(properties["col"]) - 1:int(properties["endColumn"]) - 1] == "tf.math.log(tf.sigmoid(x))"


def test_fix_and_diff_work_on_notebooks_keeping_the_rest_of_the_file(project, run_cli):
    text = _indented_notebook("%%time\nimport tensorflow as tf\n", "y = tf.math.log(tf.sigmoid(x))  # é\nz = 1")
    path = project / "train.ipynb"
    path.write_text(text)
    code, out, err = run_cli("train.ipynb", "--diff", "--unsafe-fixes")
    assert code == 1 and out.startswith("--- a/train.ipynb:cell 3\n+++ b/train.ipynb:cell 3\n")
    assert "+y = tf.math.log_sigmoid(x)  # é\n" in out and path.read_text() == text
    code, _, err = run_cli("train.ipynb", "--fix")
    assert code == 1 and path.read_text() == text and "available with --unsafe-fixes" in err
    code, _, err = run_cli("train.ipynb", "--fix", "--unsafe-fixes")
    assert code == 0 and "Found 1 error (1 fixed, 0 remaining)." in err
    assert path.read_text() == text.replace("tf.math.log(tf.sigmoid(x))", "tf.math.log_sigmoid(x)")
    assert run_cli("train.ipynb") == (0, "", "")


def test_add_noqa_works_on_notebooks(project, run_cli):
    text = _indented_notebook("import tensorflow as tf\n",
                              "y = (tf.math.log(tf.sigmoid(x)) +\n     x / tf.math.reduce_std(x))\n")
    path = project / "train.ipynb"
    path.write_text(text)
    code, _, err = run_cli("train.ipynb", "--add-noqa")
    assert code == 0 and "added 1 noqa comment(s) to 1 file(s)" in err
    assert path.read_text() == text.replace("tf.math.log(tf.sigmoid(x)) +\\n", "tf.math.log(tf.sigmoid(x)) +  # noqa: NAN001, NAN002\\n")
    assert run_cli("train.ipynb") == (0, "", "")


def test_the_verifier_can_re_read_a_notebook_cell(project):
    from nanlint.linter import lint_bytes
    from nanlint.notebook import as_module_finding
    from nanlint.verify.snippet import extract

    text = _indented_notebook("import tensorflow as tf\n", "def loss(z):\n    return tf.math.log(tf.sigmoid(z))\n")
    [finding] = lint_bytes(text.encode(), "train.ipynb").findings
    source, module_finding = as_module_finding(text, finding)
    assert source.splitlines()[module_finding.line - 1] == "    return tf.math.log(tf.sigmoid(z))"
    snippet = extract(source, module_finding.line, module_finding.col, (module_finding.end_line, module_finding.end_col))
    assert not snippet.unresolved


@pytest.mark.tensorflow
def test_verify_confirms_a_notebook_finding(project, run_cli):
    pytest.importorskip("tensorflow")
    text = _indented_notebook("import tensorflow as tf\n", "def loss(z):\n    return tf.math.log(tf.sigmoid(z))\n")
    (project / "train.ipynb").write_text(text)
    code, out, err = run_cli("verify", "train.ipynb", "--no-cache", "--device", "cpu")
    assert code == 1, err
    assert out.startswith("train.ipynb:cell 3:2:12: NAN001") and "[verify: confirmed" in out, out


def test_operators_starting_a_continuation_line_are_not_magics(project, run_cli):
    (project / "nb.ipynb").write_text(_notebook(("code", (
        "import tensorflow as tf\n"
        "keep = (x\n"
        "        != 0)\n"
        "z = (a\n"
        "     % 2)\n"
        "y = tf.math.log(tf.sigmoid(x))\n"))))
    code, out, _ = run_cli("nb.ipynb")  # masked, those lines would leave brackets open: NAN900
    assert code == 1 and [line.split(": NAN")[0] for line in out.splitlines()] == ["nb.ipynb:cell 1:6:5"]


def test_a_line_named_in_a_message_is_counted_in_its_cell(project, run_cli):
    (project / "nb.ipynb").write_text(_notebook(
        ("code", "import tensorflow as tf\n"),
        ("code", "def f(z, v):\n    return tf.sqrt(tf.nn.relu(v))\n"),
        ("markdown", "text\n"),
        ("code", "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=f)\n"),
    ))
    _, out, _ = run_cli("nb.ipynb")
    assert out.startswith("nb.ipynb:cell 2:2:12: NAN005") and "compile at line 2 of cell 4)" in out
