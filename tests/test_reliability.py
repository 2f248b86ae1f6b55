"""Never lose a report: unreadable directories, special files, huge files, dying workers, unwritable outputs and
bugs of ours each get a clear message and the right exit status, and the rest of the run still happens."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from nanlint import cli, linter, runner
from nanlint.config import Settings

BAD = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions hold. These tests may run as root, who reads and writes
    everything: drop the capabilities that let root ignore permissions (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _nanlint(cwd, *args, prefix=(), timeout=120):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([*prefix, sys.executable, "-m", "nanlint", "--isolated", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def tree(tmp_path):
    tmp_path.chmod(0o755)
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text(BAD)
    yield tmp_path
    for directory, _, _ in os.walk(tmp_path):  # let pytest clean up what a test locked
        os.chmod(directory, 0o755)


# Item 6: directories that cannot be read.

def test_unreadable_subdirectory_is_reported_and_the_walk_goes_on(tree):
    locked = tree / "locked"
    locked.mkdir()
    (locked / "c.py").write_text(BAD)
    (tree / "zz").mkdir()
    (tree / "zz" / "d.py").write_text(BAD)  # walked after the locked one
    locked.chmod(0)
    done = _nanlint(tree, "--output-format", "json", ".", prefix=_unprivileged())
    assert "Traceback" not in done.stderr
    assert sorted(f["filename"] for f in json.loads(done.stdout)) == ["a.py", "sub/b.py", "zz/d.py"]
    assert "locked: cannot read directory: permission denied" in done.stderr
    assert done.returncode == 2


def test_unreadable_directory_on_the_command_line(tree):
    (tree / "sub").chmod(0)
    done = _nanlint(tree, "sub", prefix=_unprivileged())
    assert done.returncode == 2 and done.stdout == ""
    assert "sub: cannot read directory: permission denied" in done.stderr


def test_permission_error_says_permission_not_missing(tree):
    (tree / "sub").chmod(0)
    done = _nanlint(tree, "sub/b.py", "a.py", prefix=_unprivileged())
    assert "sub/b.py: cannot read: permission denied" in done.stderr and "no such file" not in done.stderr
    assert "a.py:5:12: NAN001" in done.stdout and done.returncode == 2


# Item 10: only regular files are read.

def test_fifo_and_device_named_py_are_findings_not_hangs(tree):
    os.mkfifo(tree / "pipe.py")
    (tree / "zero.py").symlink_to("/dev/zero")
    for args in ((".",), ("pipe.py", "zero.py", "a.py")):
        done = _nanlint(tree, "--output-format", "json", *args, timeout=60)
        findings = {(f["filename"], f["code"]): f["message"] for f in json.loads(done.stdout)}
        assert "not a regular file (a FIFO)" in findings["pipe.py", "NAN901"]
        assert "not a regular file (a character device)" in findings["zero.py", "NAN901"]
        assert ("a.py", "NAN001") in findings and done.returncode == 1


# Item 7: a size limit before the parser, and a dying worker costs only its file.

def test_file_over_max_file_size_is_nan901_and_never_parsed(project, run_cli, monkeypatch):
    (project / "big.py").write_text(BAD + "# padding\n" * 200)
    (project / "small.py").write_text(BAD)
    parsed = []
    real_lint_bytes = linter.lint_bytes

    def record(data, path, *rest, **options):
        parsed.append(path)
        return real_lint_bytes(data, path, *rest, **options)

    monkeypatch.setattr(linter, "lint_bytes", record)
    code, out, _ = run_cli("--no-cache", "--max-file-size", "1KB", "big.py", "small.py")
    assert code == 1 and parsed == ["small.py"]
    assert out.startswith("big.py:1:1: NAN901 cannot read file: 2.0 KB is over max-file-size (1 KB)")
    (project / "pyproject.toml").write_text("[tool.nanlint]\nmax-file-size = \"4KB\"\n")
    code, out, _ = run_cli("--no-cache", "big.py")
    assert code == 1 and "NAN901" not in out and "NAN001" in out
    assert run_cli("--no-cache", "--max-file-size", "0", "big.py")[0] == 1  # 0: no limit
    (project / "pyproject.toml").write_text("[tool.nanlint]\nmax-file-size = \"huge\"\n")
    code, _, err = run_cli("--no-cache", "big.py")
    assert code == 2 and "max-file-size" in err


def test_default_size_limit_is_one_megabyte(project, run_cli):
    (project / "generated.py").write_text(BAD + "x = 1\n" * 200_000)  # 1.2 MB
    code, out, _ = run_cli("--no-cache", "generated.py")
    assert code == 1 and "NAN901 cannot read file: 1.1 MB is over max-file-size (1 MB)" in out


def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    files = []
    for index in range(runner.PARALLEL_THRESHOLD + 4):
        path = tmp_path / f"m{index:02d}.py"
        path.write_text(BAD)
        files.append((str(path), path.name))
    parent = os.getpid()
    linted_in_parent = []
    real_lint_safely = runner.lint_safely

    def crash_on_m03(item, selection):
        if os.getpid() == parent:
            linted_in_parent.append(item[0])
        elif item[0] == "m03.py":
            os.kill(os.getpid(), signal.SIGKILL)  # what a native crash or the OOM killer does
        return real_lint_safely(item, selection)

    monkeypatch.setattr(runner, "lint_safely", crash_on_m03)
    args = type("Args", (), {"no_cache": True, "cache_dir": None, "jobs": 2})()
    results = runner.lint_files(files, Settings(root=tmp_path), args)
    assert linted_in_parent == []  # the fatal file is never re-run in nanlint's own process
    assert [r.path for r in results] == [display for _, display in files]
    codes = {r.path: [f.code for f in r.findings] for r in results}
    assert codes.pop("m03.py") == ["NAN999"]
    assert set(map(tuple, codes.values())) == {("NAN001",)}
    crash = results[3].findings[0].message
    assert "worker process linting this file died (killed by SIGKILL" in crash


# Item 11: workers die with nanlint.

def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_workers_die_with_nanlint(tmp_path, how):
    line = "y = tf.nn.relu(x) + tf.math.log(tf.sigmoid(x)) * tf.reduce_mean(w, axis=-1)\n"
    for index in range(runner.PARALLEL_THRESHOLD + 4):  # about a second of parsing each: the run is mid-way
        (tmp_path / f"m{index:02d}.py").write_text("import tensorflow as tf\n" + line * 1500)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen([sys.executable, "-m", "nanlint", "--isolated", "--no-cache", "-j", "2", "."],
                               cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = _children(process.pid)
            time.sleep(0.05)
        assert len(workers) == 2, "the run never started its workers"
        process.send_signal(how)
        process.wait(30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], f"workers outlived nanlint ({how.name})"
    finally:
        process.kill()
        process.wait()
        for pid in workers:  # on failure, leave nothing running
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# Item 8: outputs that cannot be written, and bugs of ours.

def test_output_file_in_a_missing_directory_prints_the_report_and_exits_2(project, run_cli):
    (project / "m.py").write_text(BAD)
    code, out, err = run_cli("m.py", "-o", "missing/report.txt")
    assert code == 2 and "m.py:5:12: NAN001" in out
    assert "cannot write the report to missing/report.txt" in err and "Traceback" not in err


def test_baseline_in_a_missing_directory_keeps_the_findings_and_exits_2(project, run_cli):
    (project / "m.py").write_text(BAD)
    code, out, err = run_cli("m.py", "--write-baseline", "missing/baseline.json")
    assert code == 2 and "Traceback" not in err
    assert "m.py:5:12: NAN001" in out
    assert "missing/baseline.json:1:1: NAN904 cannot write the baseline" in out


def test_fix_in_a_directory_that_is_not_writable(tree):
    (tree / "sub").chmod(0o555)
    done = _nanlint(tree, "--fix", "--unsafe-fixes", "sub/b.py", prefix=_unprivileged())
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "sub/b.py:1:1: NAN904 fixes not written: cannot create a file in" in done.stdout
    assert "permission denied" in done.stdout and "sub/b.py:5:12: NAN001" in done.stdout
    assert (tree / "sub" / "b.py").read_text() == BAD


def test_an_internal_error_exits_2_not_1(project, run_cli, monkeypatch):
    (project / "m.py").write_text(BAD)

    def bug(*args, **kwargs):
        raise RuntimeError("a bug in nanlint")

    monkeypatch.setattr(cli, "discover", bug)
    code, out, err = run_cli("m.py")
    assert code == 2 and "RuntimeError: a bug in nanlint" in err and "internal error" in err


def test_a_file_whose_analysis_runs_past_the_time_limit_is_nan999_and_the_others_are_reported(tmp_path, monkeypatch):
    slow, fine = tmp_path / "slow.py", tmp_path / "fine.py"
    slow.write_text("x = 1\n")
    fine.write_text(BAD)
    real_lint_bytes = linter.lint_bytes

    def never_ends_on_slow(data, display, selection):
        while display == "slow.py":
            pass
        return real_lint_bytes(data, display, selection)

    monkeypatch.setattr(linter, "lint_bytes", never_ends_on_slow)
    monkeypatch.setattr(runner, "FILE_TIME_LIMIT_S", 0.2)
    args = type("Args", (), {"no_cache": True, "cache_dir": None, "jobs": 1})()
    started = time.monotonic()
    results = runner.lint_files([(str(slow), "slow.py"), (str(fine), "fine.py")], Settings(root=tmp_path), args)
    assert time.monotonic() - started < 30
    assert [[f.code for f in r.findings] for r in results] == [["NAN999"], ["NAN001"]]
    assert "ran past 0.2 s and was stopped" in results[0].findings[0].message
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # disarmed afterwards


def test_a_denominator_accumulated_in_a_loop_is_followed_once(project, run_cli):
    # doctr's PARSeq loss: `numel += n` defines numel by itself; following it without end hung nanlint
    (project / "m.py").write_text(
        "import tensorflow as tf\n"
        "def loss_fn(targets, logits_list):\n"
        "    loss = 0.0\n"
        "    numel = 0.0\n"
        "    for logits in logits_list:\n"
        "        n = tf.reduce_sum(tf.cast(tf.not_equal(targets, 0), tf.float32))\n"
        "        loss += n * tf.reduce_mean(logits)\n"
        "        numel += n\n"
        "    loss /= numel\n"
        "    return loss\n")
    code, out, err = run_cli("m.py", "--no-cache")
    assert code == 1 and "m.py:9:5: NAN002 division by a sum, which is 0 for an empty mask" in out, out + err
