"""The command line: exit codes, stdin, bad input, selection flags, output destinations."""

from __future__ import annotations

import pytest

from conftest import BAD, CLEAN, run_subprocess


def test_findings_exit_1_and_print_path_line_col_code(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, out, _ = run_cli("model.py")
    assert code == 1
    assert out.startswith("model.py:5:12: NAN001 log of a sigmoid output is -Inf where that is 0 (x <= -87.5 in float32")


def test_a_message_quoting_code_written_over_several_lines_is_one_line(project, run_cli):
    """The selection quoted by the mean-of-an-empty-selection message spans three lines; the report stays one line
    per finding (a tool reading `path:line:col: CODE message` lines must not get a cut finding)."""
    (project / "loss.py").write_text(
        "import tensorflow as tf\n\n\ndef loss(targets, logits, pad):\n    mask = targets != pad\n"
        "    return tf.reduce_mean(\n        tf.nn.sparse_softmax_cross_entropy_with_logits(\n"
        "            labels=tf.boolean_mask(targets, mask), logits=tf.boolean_mask(logits, mask)\n"
        "        )\n    )\n")
    code, out, _ = run_cli("loss.py", "--preview", "-q")
    assert code == 1
    assert out.splitlines() == [out.rstrip("\n")]
    assert out.startswith("loss.py:6:12: NAN002 mean of an empty selection: `tf.nn.sparse_softmax_cross_entropy_with_logits("
                          " labels=tf.boolean_mask(targets, mask), logits=tf.boolean_mask(logits, mask) )` holds")


def test_clean_file_exits_0_and_prints_nothing(project, run_cli):
    (project / "model.py").write_text(CLEAN)
    assert run_cli("model.py") == (0, "", "")


def test_exit_zero_forces_success_but_still_reports(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, out, _ = run_cli("model.py", "--exit-zero")
    assert code == 0 and "NAN001" in out


def test_directory_is_walked_and_default_is_current_directory(project, run_cli):
    (project / "pkg").mkdir()
    (project / "pkg" / "a.py").write_text(BAD)
    (project / "pkg" / "b.py").write_text(CLEAN)
    code, out, _ = run_cli()
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/a.py"]


def test_missing_path_is_a_clear_error_and_other_files_are_still_linted(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, out, err = run_cli("nope.py", "model.py")
    assert code == 2
    assert "nope.py: no such file or directory" in err
    assert "model.py:5:12: NAN001" in out


def test_syntax_error_is_a_finding_at_the_parsers_position(project, run_cli):
    (project / "broken.py").write_text("import tensorflow as tf\n\nx = tf.math.log(\n")
    (project / "model.py").write_text(BAD)
    code, out, err = run_cli("broken.py", "model.py")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("broken.py:") and " NAN900 syntax error" in lines[0]
    assert lines[1].startswith("model.py:5:12: NAN001")
    assert "Traceback" not in err


def test_non_utf8_file_is_a_finding_not_a_traceback(project, run_cli):
    (project / "latin.py").write_bytes(b"import tensorflow as tf\nname = '\xe9t\xe9'\n")
    code, out, err = run_cli("latin.py")
    assert code == 1
    assert out.startswith("latin.py:2:1: NAN901 cannot decode file")
    assert "Traceback" not in err


def test_declared_encoding_and_bom_are_honoured(project, run_cli):
    (project / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + BAD.encode() + b"name = '\xe9'\n")
    (project / "bom.py").write_bytes(b"\xef\xbb\xbf" + BAD.encode())
    code, out, _ = run_cli("latin.py", "bom.py")
    assert code == 1
    assert [line.split(": ")[0] for line in out.splitlines()] == ["bom.py:5:12", "latin.py:6:12"]


def test_crlf_line_endings_report_the_same_positions(project, run_cli):
    (project / "crlf.py").write_bytes(BAD.replace("\n", "\r\n").encode())
    _, out, _ = run_cli("crlf.py")
    assert out.startswith("crlf.py:5:12: NAN001")


def test_binary_file_is_reported_as_unreadable(project, run_cli):
    (project / "blob.py").write_bytes(b"tensorflow\x00\x01\x02")
    code, out, _ = run_cli("blob.py")
    assert code == 1 and "NAN901" in out


def test_stdin_with_stdin_filename(project):
    result = run_subprocess("-", "--stdin-filename", "src/model.py", cwd=project, stdin=BAD.encode())
    assert result.returncode == 1
    assert result.stdout.decode().startswith("src/model.py:5:12: NAN001")


def test_stdin_honours_force_exclude_for_the_stdin_filename(project):
    (project / "pyproject.toml").write_text("[tool.nanlint]\nextend-exclude = ['generated']\n")
    result = run_subprocess("-", "--stdin-filename", "generated/model.py", "--force-exclude", cwd=project,
                            stdin=BAD.encode())
    assert (result.returncode, result.stdout) == (0, b"")


def test_select_and_ignore_flags(project, run_cli):
    (project / "model.py").write_text(BAD)
    assert run_cli("model.py", "--ignore", "NAN001")[0] == 0
    assert run_cli("model.py", "--ignore", "NAN0")[0] == 0
    assert run_cli("model.py", "--select", "NAN9")[0] == 0
    assert run_cli("model.py", "--select", "NAN0", "--ignore", "NAN")[0] == 1  # the more specific prefix wins


def test_unknown_code_on_the_command_line_is_exit_2(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, _, err = run_cli("model.py", "--select", "NAN777")
    assert code == 2 and "NAN777" in err


def test_per_file_ignores_flag(project, run_cli):
    (project / "tests").mkdir()
    (project / "tests" / "test_model.py").write_text(BAD)
    (project / "model.py").write_text(BAD)
    code, out, _ = run_cli(".", "--per-file-ignores", "tests/*:NAN001")
    assert [line.split(":")[0] for line in out.splitlines()] == ["model.py"]


def test_output_file(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, out, _ = run_cli("model.py", "--output-file", "report.txt")
    assert code == 1 and out == ""
    assert (project / "report.txt").read_text().startswith("model.py:5:12: NAN001")


def test_statistics_counts_per_code(project, run_cli):
    (project / "a.py").write_text(BAD)
    (project / "b.py").write_text(BAD + "y = tf.math.log(tf.nn.softmax(q))\n")
    code, out, _ = run_cli(".", "--statistics")
    assert code == 1
    assert out.split() == ["3", "NAN001"]


def test_version_flag(run_cli, capsys):
    from nanlint import __version__

    with pytest.raises(SystemExit) as exit_info:
        run_cli("--version")
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_python_dash_m_entry_point_and_no_traceback_on_usage_error(project):
    result = run_subprocess("--output-format", "xml", ".", cwd=project)
    assert result.returncode == 2
    assert b"invalid choice" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("command", [("--no-cache", "many.py"), ("rule", "--all", "--output-format", "json")])
def test_a_reader_that_stops_early_ends_the_run_quietly(project, command):
    """`nanlint src | head`: a closed stdout is not an error of nanlint's and gets no traceback or message.
    (Both outputs are larger than a pipe's buffer, so the write after the close always fails.)"""
    import subprocess
    import sys

    (project / "many.py").write_text("import tensorflow as tf\n" + "".join(
        f"def f{i}(z):\n    return tf.math.log(tf.sigmoid(z))\n" for i in range(3000)))
    run = subprocess.Popen([sys.executable, "-m", "nanlint", *command], cwd=project,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.read(100)
    run.stdout.close()
    _, err = run.communicate(timeout=120)
    assert b"Traceback" not in err and b"cannot write" not in err, err

