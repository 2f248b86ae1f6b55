"""The everyday interface ruff and flake8 users expect: help, summary, quiet, colour, warnings, flags, names."""

from __future__ import annotations

import pytest
from conftest import BAD, CLEAN, run_subprocess

from nanlint.cli import main


def test_help_lists_the_subcommands_and_verify_help_is_verifys(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert "nanlint rule CODE|NAME" in out and "nanlint verify [PATHS]" in out
    assert main(["verify", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: nanlint verify") and "--verify-timeout" in out and "--repro-dir" in out
    assert "--output-format" not in out.split("options:")[0]


def test_summary_line_on_stderr_keeps_stdout_a_list_of_findings(project, run_cli):
    (project / "model.py").write_text(BAD + "y = tf.math.log(tf.nn.softmax(q))\n")
    code, out, err = run_cli("model.py")
    assert code == 1 and len(out.splitlines()) == 2
    assert "Found 2 errors." in err
    assert "[*] 2 fixable with --fix --unsafe-fixes." not in err and "2 more fix(es) available with --unsafe-fixes" in err
    assert run_cli("model.py", "--output-format", "json")[2] == ""  # machine formats: no summary


def test_quiet_prints_findings_and_nothing_else(project, run_cli):
    (project / "model.py").write_text(BAD)
    code, out, err = run_cli("model.py", "-q")
    assert code == 1 and out.startswith("model.py:5:12: NAN001") and err == ""
    (project / "empty").mkdir()
    assert run_cli("empty", "--quiet") == (0, "", "")


def test_show_source_is_the_full_format(project, run_cli):
    (project / "model.py").write_text(BAD)
    _, out, _ = run_cli("model.py", "--show-source")
    assert out.splitlines()[1].endswith("| " + "    return tf.math.log(tf.sigmoid(z))")
    assert "^^^^" in out.splitlines()[2]


@pytest.mark.parametrize(("flags", "env", "coloured"), [
    ((), {}, False),                                   # not a terminal
    (("--color", "always"), {}, True),
    (("--color", "always"), {"NO_COLOR": "1"}, True),  # an explicit flag wins over the environment
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
])
def test_colour_follows_the_flag_then_no_color_then_force_color(project, run_cli, monkeypatch, flags, env, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (project / "model.py").write_text(BAD)
    _, out, _ = run_cli("model.py", *flags)
    assert ("\033[1;31mNAN001\033[0m" in out) is coloured
    assert ("\033[" in out) is coloured


def test_colour_on_a_terminal_by_default(project):
    import os
    import pty
    import subprocess
    import sys

    (project / "model.py").write_text(BAD)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    process = subprocess.run([sys.executable, "-m", "nanlint", "model.py"], stdout=follower, stderr=subprocess.DEVNULL,
                             env=env, timeout=120)
    os.close(follower)
    output = os.read(leader, 65536).decode()
    os.close(leader)
    assert process.returncode == 1 and "\033[1;31mNAN001" in output


def test_no_python_files_found_warns_and_exits_0_like_ruff(project, run_cli):
    (project / "empty").mkdir()
    (project / "venv").mkdir()
    (project / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (project / "venv" / "lib.py").write_text(BAD)
    (project / "README.md").write_text("# tensorflow\n")
    for target in ("empty", "venv", "README.md"):
        code, out, err = run_cli(target)
        assert (code, out) == (0, ""), target
        assert "No Python files found under the given path(s)" in err, target
    assert "README.md: not a Python file or notebook" in run_cli("README.md")[2]


def test_a_named_script_without_extension_is_still_linted(project, run_cli):
    (project / "train").write_text(BAD)
    code, out, err = run_cli("train")
    assert code == 1 and out.startswith("train:5:12: NAN001") and "No Python files" not in err


def test_extend_ignore_and_extend_select_on_the_command_line(project, run_cli):
    (project / "pyproject.toml").write_text("[tool.nanlint]\nignore = ['NAN002']\n")
    (project / "model.py").write_text(BAD + "w = x / tf.math.reduce_std(x)\n")
    codes = lambda out: sorted({line.split()[1] for line in out.splitlines()})  # noqa: E731
    assert codes(run_cli("model.py")[1]) == ["NAN001"]
    assert codes(run_cli("model.py", "--extend-ignore", "NAN001")[1]) == []
    assert codes(run_cli("model.py", "--isolated", "--select", "NAN002", "--extend-select", "NAN001")[1]) == [
        "NAN001", "NAN002"]


def test_rule_by_name_and_did_you_mean(run_cli):
    code, out, _ = run_cli("rule", "log-of-zero")
    assert code == 0 and out.startswith("# log-of-zero (NAN001)")
    code, out, err = run_cli("rule", "log-of-zeros")
    assert code == 2 and "did you mean 'log-of-zero'?" in err


def test_did_you_mean_for_a_config_key_and_a_code(project, run_cli):
    (project / "pyproject.toml").write_text("[tool.nanlint]\nextend-selct = ['NAN0']\n")
    code, _, err = run_cli(".")
    assert code == 2 and "did you mean 'extend-select'?" in err
    (project / "pyproject.toml").write_text("[tool.nanlint]\nignore = ['NAN0001']\n")
    code, _, err = run_cli(".")
    assert code == 2 and "did you mean 'NAN001'?" in err
    code, _, err = run_cli(".", "--isolated", "--select", "NAN10O")
    assert code == 2 and "did you mean" in err


def test_per_file_ignores_match_the_path_relative_to_the_config(project, run_cli, monkeypatch):
    (project / "pyproject.toml").write_text("[tool.nanlint]\nper-file-ignores = { 'tests/*' = ['NAN001'] }\n")
    (project / "tests").mkdir()
    (project / "tests" / "test_x.py").write_text(BAD)
    (project / "src").mkdir()
    (project / "src" / "test_x.py").write_text(BAD)
    assert run_cli("tests/test_x.py")[0] == 0
    monkeypatch.chdir(project / "tests")
    assert run_cli("test_x.py") == (0, "", "")
    monkeypatch.chdir(project / "src")  # same name, not under tests/: reported (and not mixed up by the cache)
    assert run_cli("test_x.py")[0] == 1


def test_clean_run_stays_silent(project, run_cli):
    (project / "model.py").write_text(CLEAN)
    assert run_cli("model.py") == (0, "", "")


def test_readme_first_command_says_exit_1_is_expected():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    assert "exit status 1" in first_block and "expected" in first_block


def test_readme_pre_commit_rev_is_a_tag_that_exists_or_explained():
    import re
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    section = readme.split("## pre-commit", 1)[1].split("\n## ", 1)[0]
    rev = re.search(r"rev: (\S+)", section).group(1)
    tags = subprocess.run(["git", "tag", "--list"], cwd=root, capture_output=True, text=True).stdout.split()
    if rev not in tags:  # no release is tagged: the README must say to pin a commit instead
        assert rev.startswith("<") and "commit" in section and "no release tags" in section


def test_subprocess_exit_codes_and_streams(project):
    (project / "model.py").write_text(BAD)
    result = run_subprocess("model.py", "--diff", cwd=project)
    assert result.returncode == 1 and result.stdout == b"" and b"NAN001" in result.stderr
