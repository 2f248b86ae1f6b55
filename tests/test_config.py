"""[tool.nanlint] configuration: discovery of the file, every key, and a clear exit 2 for every mistake."""

from __future__ import annotations

import pytest
from conftest import BAD


def _config(project, body: str) -> None:
    (project / "pyproject.toml").write_text(f"[project]\nname = 'demo'\n\n[tool.nanlint]\n{body}\n")


def test_closest_pyproject_from_the_current_directory_is_used(project, run_cli, monkeypatch):
    _config(project, "ignore = ['NAN001']")
    (project / "sub").mkdir()
    (project / "sub" / "model.py").write_text(BAD)
    monkeypatch.chdir(project / "sub")
    assert run_cli("model.py")[0] == 0


def test_pyproject_without_a_nanlint_table_is_skipped_for_one_further_up(project, run_cli, monkeypatch):
    _config(project, "ignore = ['NAN001']")
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    (project / "sub" / "model.py").write_text(BAD)
    monkeypatch.chdir(project / "sub")
    assert run_cli("model.py")[0] == 0


def test_explicit_config_flag_and_isolated(project, run_cli, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "pyproject.toml"
    other.write_text("[tool.nanlint]\nselect = ['NAN9']\n")
    (project / "model.py").write_text(BAD)
    assert run_cli("model.py", "--config", str(other))[0] == 0
    _config(project, "ignore = ['NAN001']")
    assert run_cli("model.py")[0] == 0
    assert run_cli("model.py", "--isolated")[0] == 1


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("selct = ['NAN']", "selct"),
        ("select = 'NAN001'", "'select' must be a list"),
        ("ignore = ['NAN7']", "NAN7"),
        ("ignore = ['E501']", "E501"),
        ("extend-select = [1]", "extend-select"),
        ("force-exclude = 'yes'", "force-exclude"),
        ("output-format = 'xml'", "output-format"),
        ("per-file-ignores = ['tests/*']", "per-file-ignores"),
        ("per-file-ignores = { 'tests/*' = ['BOGUS'] }", "BOGUS"),
        ("select = [", "invalid TOML"),
    ],
)
def test_config_mistakes_exit_2_with_a_message_naming_them(project, run_cli, body, named):
    _config(project, body)
    (project / "model.py").write_text(BAD)
    code, out, err = run_cli("model.py")
    assert code == 2 and out == ""
    assert named in err and "Traceback" not in err


def test_missing_config_file_is_exit_2(project, run_cli):
    code, _, err = run_cli(".", "--config", "missing.toml")
    assert code == 2 and "missing.toml" in err


def test_prefixes_and_per_file_ignores_from_config(project, run_cli):
    _config(project, "per-file-ignores = { 'legacy/*' = ['NAN0'] }")
    (project / "legacy").mkdir()
    (project / "legacy" / "old.py").write_text(BAD)
    (project / "new.py").write_text(BAD)
    _, out, _ = run_cli(".")
    assert [line.split(":")[0] for line in out.splitlines()] == ["new.py"]


def test_exclude_and_extend_exclude_from_config(project, run_cli):
    _config(project, "extend-exclude = ['generated', 'scripts/*.py']")
    for name in ("generated/a.py", "scripts/b.py", "src/c.py"):
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(BAD)
    _, out, _ = run_cli(".")
    assert [line.split(":")[0] for line in out.splitlines()] == ["src/c.py"]


def test_exclude_replaces_the_defaults(project, run_cli):
    _config(project, "exclude = ['only_this']")
    (project / "build").mkdir()
    (project / "build" / "a.py").write_text(BAD)
    _, out, _ = run_cli(".")
    assert out.startswith("build/a.py")


def test_output_format_from_config(project, run_cli):
    _config(project, "output-format = 'github'")
    (project / "model.py").write_text(BAD)
    _, out, _ = run_cli("model.py")
    assert out.startswith("::error title=nanlint (NAN001),file=model.py,line=5,col=12")
