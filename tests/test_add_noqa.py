"""--add-noqa silences every finding in place, merging with existing comments, and is idempotent."""

from __future__ import annotations

HEADER = "import tensorflow as tf\n"


def test_add_noqa_inserts_merges_and_then_the_file_is_clean(project, run_cli):
    path = project / "model.py"
    path.write_text(
        HEADER
        + "a = tf.math.log(tf.sigmoid(x))\n"
        + "b = tf.math.log(tf.nn.softmax(x))  # noqa: E501\n"
        + "c = tf.math.log(tf.sigmoid(x))  # noqa\n"
        + "d = x / tf.math.reduce_std(x)  # keep this comment\n"
    )
    code, out, err = run_cli("model.py", "--add-noqa")
    assert code == 0 and "added 3 noqa comment(s) to 1 file(s)" in err
    assert path.read_text() == (
        HEADER
        + "a = tf.math.log(tf.sigmoid(x))  # noqa: NAN001\n"
        + "b = tf.math.log(tf.nn.softmax(x))  # noqa: E501, NAN001\n"
        + "c = tf.math.log(tf.sigmoid(x))  # noqa\n"
        + "d = x / tf.math.reduce_std(x)  # keep this comment  # noqa: NAN002\n"
    )
    assert run_cli("model.py") == (0, "", "")
    before = path.read_text()
    assert run_cli("model.py", "--add-noqa")[0] == 0
    assert path.read_text() == before


def test_add_noqa_keeps_crlf_and_skips_lines_ending_inside_strings(project, run_cli):
    path = project / "model.py"
    path.write_bytes((HEADER + "a = tf.math.log(tf.sigmoid(x))\n").replace("\n", "\r\n").encode())
    run_cli("model.py", "--add-noqa")
    assert path.read_bytes().endswith(b"a = tf.math.log(tf.sigmoid(x))  # noqa: NAN001\r\n")
    path.write_text(HEADER + 'a = (tf.math.log(tf.sigmoid(x)), """\ntext\n""")\n')
    code, _, err = run_cli("model.py", "--add-noqa")
    assert "ends inside a string" in err and "noqa" not in path.read_text()
