"""The sandbox: each failure mode of a snippet ends in a clean `could not run`, and the worker goes on.

These requests run plain Python in the worker (recipe "python"), so they need no TensorFlow."""

import sys
import time

import pytest

from nanlint.cli import main
from nanlint.verify.sandbox import Limits, Worker, network_cut_prefix
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
