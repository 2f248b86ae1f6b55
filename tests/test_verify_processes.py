"""Process hygiene: however a verify run ends (Ctrl-C, SIGTERM, a time limit), no process it started is left,
daemons included, and its temporary directories are gone."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.tensorflow
pytest.importorskip("tensorflow")

ROOT = Path(__file__).resolve().parent.parent


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command line) for every process visible here."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[0], cmdline)
    return table


def _tree(root: int) -> set[int]:
    table = _processes()
    found, pending = set(), [root]
    while pending:
        parent = pending.pop()
        children = [pid for pid, (ppid, _, _) in table.items() if ppid == parent]
        found.update(children)
        pending.extend(children)
    return found


def _alive(pids) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def _marked(marker: str) -> set[int]:
    return {pid for pid, (_, state, cmd) in _processes().items() if marker in cmd and state != "Z"}




def _interruptible() -> None:
    # A shell that starts a command in the background without job control (`cmd &` in a script, nohup) sets SIGINT
    # to "ignored", and Python keeps an inherited "ignored": nanlint would then rightly not stop on Ctrl-C. The run
    # under test starts with SIGINT at its default, as from a terminal, whatever the test itself inherited.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("ending", ["SIGINT", "SIGTERM", "timeout"])
def test_no_process_of_the_run_is_left(tmp_path, ending):
    marker = f"{1000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"  # a unique `sleep` duration
    (tmp_path / "m.py").write_text(
        "import subprocess\nimport time\n\nimport tensorflow as tf\n\n\ndef f(x):\n"
        f"    subprocess.Popen(['sleep', '{marker}'], start_new_session=True)  # a daemon\n"
        "    time.sleep(300)\n    return tf.math.log(tf.sigmoid(x))\n")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    limit = ["--verify-timeout", "10"] if ending == "timeout" else []
    run = subprocess.Popen([sys.executable, "-m", "nanlint", "verify", "m.py", "--no-cache", "--device", "cpu",
                            *limit], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=_interruptible)
    try:
        deadline = time.monotonic() + 120
        while not _marked(marker):
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "the snippet never started"
            time.sleep(0.1)
        started = _tree(run.pid) | _marked(marker)
        assert started
        if ending == "timeout":
            out, _ = run.communicate(timeout=60)
            assert b"could not run: timeout after 10 s" in out
        else:
            run.send_signal(getattr(signal, ending))
            run.wait(timeout=10)
            assert run.returncode == 128 + getattr(signal, ending)
        time.sleep(1.0)
        assert _alive(started) == set() and _marked(marker) == set()
        assert list(temp.iterdir()) == []
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
