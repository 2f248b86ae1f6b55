"""The parallel + cached file loop gives exactly the serial results, in order, through the CLI too."""

from __future__ import annotations

import argparse
import json
import os

import pytest

from nanlint import cli, linter, runner
from nanlint.config import Settings
from nanlint.linter import lint_bytes

BAD = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
CLEAN = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log_sigmoid(z)\n"
BROKEN = "import tensorflow as tf\ndef f(:\n"


def _args(**overrides):
    values = {"no_cache": False, "cache_dir": None, "jobs": None, **overrides}
    return argparse.Namespace(**values)


@pytest.fixture
def tree(tmp_path):
    files = []
    for index in range(40):
        path = tmp_path / f"m{index:02d}.py"
        path.write_text((BAD, CLEAN, BROKEN, "x = 1\n")[index % 4])
        files.append((str(path), path.name))
    return tmp_path, files


def _serial(files):
    return [lint_bytes(open(real, "rb").read(), display) for real, display in files]


@pytest.mark.parametrize("jobs", [1, 2])
def test_same_results_as_serial_in_input_order(tree, jobs):
    root, files = tree
    settings = Settings(root=root)
    results = runner.lint_files(files, settings, _args(no_cache=True, jobs=jobs))
    assert [(r.path, r.findings, r.suppressed) for r in results] == [
        (r.path, r.findings, r.suppressed) for r in _serial(files)
    ]


def test_warm_run_answers_from_cache_without_linting(tree, monkeypatch):
    root, files = tree
    settings = Settings(root=root)
    cold = runner.lint_files(files, settings, _args(jobs=2))
    assert (root / ".nanlint_cache").is_dir()

    def lint_nothing(pending, *_):
        assert pending == [], "a warm run must not lint"
        return []

    monkeypatch.setattr(runner, "lint_many", lint_nothing)
    warm = runner.lint_files(files, settings, _args(jobs=2))
    assert [(r.path, r.findings, r.suppressed, r.parsed) for r in warm] == [
        (r.path, r.findings, r.suppressed, r.parsed) for r in cold
    ]


def test_edit_relints_only_the_edited_file(tree, monkeypatch):
    root, files = tree
    settings = Settings(root=root)
    runner.lint_files(files, settings, _args(jobs=1))
    real, display = files[1]
    with open(real, "w") as handle:
        handle.write(BAD)
    linted = []
    original = runner.lint_many

    def record(pending, *rest):
        linted.extend(job.display for _, job in pending)
        return original(pending, *rest)

    monkeypatch.setattr(runner, "lint_many", record)
    results = runner.lint_files(files, settings, _args(jobs=1))
    assert linted == [display]
    assert [f.code for f in results[1].findings] == ["NAN001"]


def test_few_files_never_start_a_pool(tree, monkeypatch):
    root, files = tree
    monkeypatch.setattr(runner, "WorkerPool", None)  # calling it would raise TypeError
    results = runner.lint_files(files[:3], Settings(root=root), _args(no_cache=True, jobs=8))
    assert len(results) == 3


def test_internal_error_is_reported_per_file_and_not_cached(tree, monkeypatch):
    root, files = tree

    def explode(data, path, selection):
        if path == files[0][1]:
            raise RecursionError("boom")
        return lint_bytes(data, path, selection)

    monkeypatch.setattr(linter, "lint_bytes", explode)
    results = runner.lint_files(files[:4], Settings(root=root), _args(jobs=1))
    assert [f.code for f in results[0].findings] == ["NAN999"]
    assert "RecursionError: boom" in results[0].findings[0].message
    assert results[1].findings == ()  # the other files still get linted
    monkeypatch.setattr(linter, "lint_bytes", lint_bytes)
    again = runner.lint_files(files[:1], Settings(root=root), _args(jobs=1))
    assert [f.code for f in again[0].findings] == ["NAN001"]


def test_unreadable_path_becomes_nan901(tmp_path):
    results = runner.lint_files([(str(tmp_path / "gone.py"), "gone.py")], Settings(root=tmp_path), _args())
    assert [f.code for f in results[0].findings] == ["NAN901"]


def test_cli_flags(project, run_cli):
    (project / "a.py").write_text(BAD)
    code, out, _ = run_cli("--output-format", "json", "--cache-dir", "elsewhere", "a.py")
    assert code == 1 and [f["code"] for f in json.loads(out)] == ["NAN001"]
    assert (project / "elsewhere").is_dir() and not (project / ".nanlint_cache").exists()
    code, out, _ = run_cli("--no-cache", "--jobs", "1", "a.py")
    assert code == 1 and "NAN001" in out
    assert not (project / ".nanlint_cache").exists()
    # the cached answer is the same answer
    assert run_cli("--cache-dir", "elsewhere", "a.py")[1] == out


def test_bad_jobs_value_is_a_usage_error(project, run_cli):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--jobs", "zero", "a.py"])
    assert exit_info.value.code == 2


def test_workers_read_their_files_the_parent_does_not(tree, monkeypatch):
    """Workers get paths, not bytes: without the cache the parent never reads a file it lints, and only files
    with findings bring their text back (what --fix, --add-noqa and the verifier use)."""
    root, files = tree
    parent = os.getpid()
    real_read = runner.read_bytes

    def read_in_workers_only(path, max_size=None):
        assert os.getpid() != parent, f"the parent read {path}"
        return real_read(path, max_size)

    monkeypatch.setattr(runner, "read_bytes", read_in_workers_only)
    results = runner.lint_files(files, Settings(root=root), _args(no_cache=True, jobs=2))
    assert [(r.path, r.findings) for r in results] == [(r.path, r.findings) for r in _serial(files)]
    assert {r.path: r.source is not None for r in results} == {r.path: bool(r.findings) for r in results}
    assert all(r.source == open(r.real_path).read() for r in results if r.source is not None)


def test_a_file_edited_while_linted_is_not_cached_under_its_old_content(tree, monkeypatch):
    root, files = tree
    real, display = files[1]  # CLEAN when the parent hashes it, BAD when it is linted
    original = runner.lint_safely

    def edit_first(job, selection):
        if job.display == display:
            with open(real, "w") as handle:
                handle.write(BAD)
        return original(job, selection)

    monkeypatch.setattr(runner, "lint_safely", edit_first)
    runner.lint_files(files, Settings(root=root), _args(jobs=1))
    monkeypatch.setattr(runner, "lint_safely", original)
    with open(real, "w") as handle:
        handle.write(CLEAN)
    again = runner.lint_files(files, Settings(root=root), _args(jobs=1))
    assert again[1].findings == ()  # not the BAD answer stored under CLEAN's entry
