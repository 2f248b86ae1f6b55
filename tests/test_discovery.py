"""Which files a directory walk lints."""

from __future__ import annotations

import os

from conftest import BAD


def _files(run_cli, *args):
    _, out, _ = run_cli(*args)
    return sorted({line.split(":")[0] for line in out.splitlines()})


def _write(project, *names):
    for name in names:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BAD)


def test_skips_git_virtualenvs_and_default_excludes(project, run_cli):
    _write(project, "src/a.py", ".git/hooks/b.py", "env/lib/c.py", "build/d.py", "__pycache__/e.py", "stubs/f.pyi")
    (project / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    assert _files(run_cli, ".") == ["src/a.py", "stubs/f.pyi"]


def test_gitignore_is_respected_including_nested_and_negation(project, run_cli):
    _write(project, "src/a.py", "gen/b.py", "src/tmp_c.py", "src/keep_tmp.py", "src/inner/x.py", "src/inner/y.py")
    (project / ".gitignore").write_text("gen/\ntmp_*.py\n")
    (project / "src" / "inner" / ".gitignore").write_text("*.py\n!y.py\n")
    assert _files(run_cli, ".") == ["src/a.py", "src/inner/y.py", "src/keep_tmp.py"]


def test_explicit_files_bypass_excludes_unless_force_exclude(project, run_cli):
    _write(project, "build/gen.py")
    assert _files(run_cli, "build/gen.py") == ["build/gen.py"]
    assert _files(run_cli, "build/gen.py", "--force-exclude") == []


def test_symlink_loop_and_duplicate_paths_are_linted_once(project, run_cli):
    _write(project, "pkg/a.py")
    os.symlink(project / "pkg", project / "pkg" / "loop")
    assert _files(run_cli, ".", "pkg", "pkg/a.py") == ["pkg/a.py"]


def test_directory_named_like_a_python_file_is_walked_not_read(project, run_cli):
    _write(project, "weird.py/inner.py")
    code, out, err = run_cli(".")
    assert _files(run_cli, ".") == ["weird.py/inner.py"] and "Traceback" not in err


def test_non_utf8_file_name(project, run_cli):
    name = os.fsencode(str(project)) + b"/caf\xe9.py"
    with open(name, "wb") as handle:
        handle.write(BAD.encode())
    code, out, err = run_cli(".")
    assert code == 1 and "NAN001" in out and "Traceback" not in err


def test_dangling_symlink_is_reported_as_unreadable(project, run_cli):
    os.symlink(project / "missing.py", project / "dangling.py")
    code, out, err = run_cli(".")
    assert "Traceback" not in err
    assert code in (0, 1)
