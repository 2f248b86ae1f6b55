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
    # The statement's first two lines end inside the string; its last line can take the comment.
    path.write_text(HEADER + 'a = (tf.math.log(tf.sigmoid(x)), """\ntext\n""")\n')
    run_cli("model.py", "--add-noqa")
    assert path.read_text() == HEADER + 'a = (tf.math.log(tf.sigmoid(x)), """\ntext\n""")  # noqa: NAN001\n'
    assert run_cli("model.py") == (0, "", "")
    path.write_text(HEADER + 'a = tf.math.log(tf.sigmoid(x)) + \\\n    len("""\ntext""")\n')
    run_cli("model.py", "--add-noqa")  # not after the backslash: on the line where the string ends
    assert path.read_text() == HEADER + 'a = tf.math.log(tf.sigmoid(x)) + \\\n    len("""\ntext""")  # noqa: NAN001\n'
    assert run_cli("model.py") == (0, "", "")


def test_one_comment_per_multi_line_statement_makes_the_run_clean_and_is_idempotent(project, run_cli):
    path = project / "model.py"
    path.write_text(HEADER + "y = (tf.math.log(tf.sigmoid(x)) +\n     x / tf.math.reduce_std(x))\n")
    code, _, err = run_cli("model.py", "--add-noqa")
    assert code == 0 and "added 1 noqa comment(s)" in err
    assert path.read_text() == HEADER + "y = (tf.math.log(tf.sigmoid(x)) +  # noqa: NAN001, NAN002\n     x / tf.math.reduce_std(x))\n"
    assert run_cli("model.py") == (0, "", "")  # no NAN902 for its own comment
    assert run_cli("model.py", "--add-noqa")[0] == 0
    assert path.read_text().count("noqa") == 1


def test_a_new_finding_joins_the_statements_existing_noqa(project, run_cli):
    path = project / "model.py"
    path.write_text(HEADER + "y = (tf.math.log(tf.sigmoid(x)) +\n     x / tf.math.reduce_std(x))  # noqa: NAN002\n")
    run_cli("model.py", "--add-noqa")
    assert path.read_text().endswith("x / tf.math.reduce_std(x))  # noqa: NAN002, NAN001\n")
    assert run_cli("model.py") == (0, "", "")


def test_add_noqa_on_stdin_prints_and_never_writes_the_named_file(project):
    from conftest import run_subprocess

    other = project / "other.py"
    other.write_text("keep = 1\n")
    source = HEADER + "a = tf.math.log(tf.sigmoid(x))\n"
    result = run_subprocess("-", "--stdin-filename", "other.py", "--add-noqa", cwd=project, stdin=source.encode())
    assert result.returncode == 0
    assert result.stdout.decode() == HEADER + "a = tf.math.log(tf.sigmoid(x))  # noqa: NAN001\n"
    assert other.read_text() == "keep = 1\n"
