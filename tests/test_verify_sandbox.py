"""The sandbox: each failure mode of a snippet ends in a clean `could not run`, and the worker goes on.

These requests run plain Python in the worker (recipe "python"), so they need no TensorFlow."""

import os
import sys
import time
import uuid

import pytest

from nanlint.cli import main
from nanlint.verify.feature import verdict_from_answer
from nanlint.verify.sandbox import Limits, Worker, device_environment, isolation, network_cut_prefix
from nanlint.verify.worker import choose_tf_device


@pytest.fixture(scope="module")
def worker():
    with Worker(device="cpu") as warm:
        yield warm


def run(worker, source, seconds=5.0, memory_mb=512):
    return worker.run({"recipe": "python", "source": source}, Limits(seconds=seconds, memory_mb=memory_mb))


def test_infinite_loop_times_out(worker):
    start = time.monotonic()
    answer = run(worker, "while True:\n    pass\n", seconds=1.5)
    assert answer["status"] == "could not run" and "timeout" in answer["detail"]
    assert time.monotonic() - start < 10


def test_huge_allocation_hits_the_memory_limit(worker):
    answer = run(worker, "block = bytearray(50 * 2**30)\n")
    assert answer["status"] == "could not run" and "memory" in answer["detail"]


def test_os_exit_is_reported(worker):
    answer = run(worker, "import os\nos._exit(3)\n")
    assert answer["status"] == "could not run" and "status 3" in answer["detail"]


def test_fork_does_not_answer_twice_or_outlive_the_request(worker):
    first = run(worker, "import os, time\nif os.fork() == 0:\n    time.sleep(30)\n")
    second = run(worker, "x = 1\n")
    assert first["status"] == "not reproduced"
    assert second["status"] == "not reproduced" and second["id"] == first["id"] + 1


@pytest.mark.skipif(not network_cut_prefix(), reason="unshare -n is not allowed on this system")
def test_network_is_cut(worker):
    answer = run(worker, "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\n")
    assert answer["status"] == "could not run" and "OSError" in answer["detail"]


def test_snippet_runs_in_a_temporary_directory_and_missing_data_is_named(worker):
    answer = run(worker, "open('train.npy', 'rb')\n")
    assert answer == {**answer, "status": "could not run", "detail": "needs a data file: train.npy"}


def test_snippet_prints_do_not_break_the_protocol(worker):
    assert run(worker, "print('{not json')\n")["status"] == "not reproduced"
    assert run(worker, "x = 2\n")["status"] == "not reproduced"


def test_the_worker_survives_every_failure_mode(worker):
    crashes = ("import os\nos._exit(1)\n", "raise SystemExit(4)\n",
               "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    for source in crashes:
        assert run(worker, source)["status"] == "could not run"
    assert worker.alive


@pytest.mark.parametrize(("requested", "gpu", "expected"), [
    ("cpu", True, "/CPU:0"), ("cpu", False, "/CPU:0"),
    ("gpu", True, "/GPU:0"), ("gpu", False, None),
    ("auto", True, "/GPU:0"), ("auto", False, "/CPU:0"),
])
def test_device_selection(requested, gpu, expected):
    assert choose_tf_device(requested, gpu) == expected


def test_interpreter_without_tensorflow_gets_the_install_hint(tmp_path, project, capsys):
    python = tmp_path / "python-without-tf"
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    python.chmod(0o755)
    (project / "m.py").write_text("import tensorflow as tf\n\ndef f(x):\n    return tf.math.log(tf.sigmoid(x))\n")
    assert main(["verify", "m.py", "--python", str(python), "--no-cache"]) == 2
    assert 'pip install "nanlint[verify]"' in capsys.readouterr().err


# --- containment layers (README "Sandbox" lists each with its test) ---

DAEMON = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
          "        os.execvp('sleep', ['sleep', '{marker}'])\n    os._exit(0)\n")


def _running(marker):
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and marker.encode() in open(f"/proc/{entry}/cmdline", "rb").read():
                state = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[0]
                found += [int(entry)] if state != "Z" else []
        except OSError:
            pass
    return found


@pytest.mark.parametrize("pid_namespace", [True, False])
def test_daemons_die_at_the_end_of_their_request_with_or_without_a_pid_namespace(monkeypatch, pid_namespace):
    if not pid_namespace:
        monkeypatch.setattr("nanlint.verify.sandbox.isolation", lambda: ((), frozenset()))
    marker = f"{2000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"
    with Worker(device="cpu") as fresh:
        assert run(fresh, DAEMON.format(marker=marker))["status"] == "not reproduced"
        time.sleep(0.2)
        assert _running(marker) == []


def test_environment_is_scrubbed_and_home_is_private(worker, monkeypatch):
    answer = run(worker, "import os\nleaked = [k for k in os.environ if 'SECRET' in k or k == 'GITHUB_TOKEN']\n"
                         "assert not leaked, leaked\nassert os.environ['HOME'] == os.getcwd()\n")
    assert answer["status"] == "not reproduced", answer


def test_environment_keeps_only_what_tensorflow_needs(monkeypatch):
    monkeypatch.setenv("NANLINT_TEST_SECRET", "x")
    monkeypatch.setenv("GITHUB_TOKEN", "y")
    env = device_environment("cpu", "/tmp/w")
    assert "NANLINT_TEST_SECRET" not in env and "GITHUB_TOKEN" not in env
    assert env["HOME"] == env["TMPDIR"] == "/tmp/w" and env["CUDA_VISIBLE_DEVICES"] == "-1"


@pytest.mark.skipif("mount" not in isolation()[1], reason="no mount namespace here")
def test_file_system_is_read_only_except_the_private_directory(worker, tmp_path):
    target = tmp_path / "marker"
    answer = run(worker, f"open({str(target)!r}, 'w').write('x')\n")
    assert answer["status"] == "could not run" and "Read-only file system" in answer["detail"]
    assert not target.exists()
    assert run(worker, "open('scratch.txt', 'w').write('x')\n")["status"] == "not reproduced"
    assert os.listdir(worker.workdir) == []  # the writable directory is private to the sandbox


@pytest.mark.skipif("pid" not in isolation()[1], reason="no PID namespace here")
def test_nanlint_s_own_descriptors_are_out_of_reach(worker):
    source = (f"import os\nopen('/proc/{os.getpid()}/fd/1', 'w').write('all clean, 0 findings\\n')\n")
    answer = run(worker, source)
    assert answer["status"] == "could not run" and answer["detail"] == f"needs a data file: /proc/{os.getpid()}/fd/1"


def test_the_snippet_cannot_write_to_the_protocol(worker):
    source = ("import os\nfor fd in range(3, 64):\n    try:\n"
              "        os.write(fd, b'{\"status\": \"confirmed\", \"detail\": \"forged\"}\\n')\n"
              "    except OSError:\n        pass\n")
    first = run(worker, source)
    second = run(worker, "x = 1\n")
    assert second["status"] == "not reproduced" and second["id"] == first["id"] + 1


def test_answers_are_validated_before_they_reach_the_report():
    answer = {"status": "confirmed", "detail": "forward NaN\x1b[2J\nall clean" + "x" * 5000, "phase": "bogus",
              "seconds": "soon", "trials": "no", "input": 3}
    verdict = verdict_from_answer(answer, "expression")
    assert "\x1b" not in verdict.detail and "\n" not in verdict.detail and len(verdict.detail) <= 500
    assert verdict.phase is None and verdict.seconds == 0.0 and verdict.trials == () and verdict.witness is None
    assert verdict_from_answer({"status": "all clean"}, "expression").reason == "internal-error"


def test_sockets_are_refused_without_a_network_namespace(monkeypatch):
    monkeypatch.setattr("nanlint.verify.sandbox.isolation", lambda: ((), frozenset()))
    with Worker(device="cpu") as fresh:
        answer = run(fresh, "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n")
    assert answer["status"] == "could not run" and "network access is disabled" in answer["detail"]


def test_python2_leftovers_are_named_as_the_reason(worker):
    answer = run(worker, "for i in xrange(3):\n    pass\n")
    assert answer["status"] == "could not run" and answer["reason"] == "python2"
