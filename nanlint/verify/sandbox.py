"""The parent side of the sandbox: starts the worker (worker.py, a fork server) in its own session, with the
network cut where `unshare` allows it, in a temporary directory, and talks to it in JSON lines.

The worker enforces the per-finding limits itself (timeout, RLIMIT_DATA, killing the child's process group);
this side enforces a backstop deadline on the worker as a whole, so a wedged worker cannot hang the run."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORKER = Path(__file__).with_name("worker.py")
# How much longer than the finding's own limit the worker may take to answer before it is killed.
BACKSTOP_SECONDS = 30.0


class WorkerUnavailable(Exception):
    """The worker's interpreter cannot be started, or has no TensorFlow; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0
    memory_mb: int = 4096


@lru_cache(maxsize=1)
def network_cut_prefix() -> tuple[str, ...]:
    """`unshare -n` (root) or `unshare -rn` (unprivileged user namespaces) when the system allows it."""
    if shutil.which("unshare") is None:
        return ()
    for prefix in (("unshare", "-n"), ("unshare", "-rn")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return ()


def device_environment(device: str) -> dict[str, str]:
    """cpu hides every GPU from TensorFlow; gpu and auto leave them visible (the worker picks)."""
    env = dict(os.environ)
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = "-1"
    return env


class Worker:
    """One warm worker process, reused for every finding of a run."""

    def __init__(self, python: str | None = None, device: str = "cpu", verbose: bool = False) -> None:
        self.python = python or sys.executable
        self.device = device
        self.workdir = tempfile.mkdtemp(prefix="nanlint-verify-")
        self.network_cut = bool(network_cut_prefix())
        if verbose and not self.network_cut:
            print("nanlint: verify: `unshare -n` is not allowed here; snippets run with the network", file=sys.stderr)
        try:
            self.process = subprocess.Popen(
                [*network_cut_prefix(), self.python, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL if not verbose else None, cwd=self.workdir, env=device_environment(device),
                start_new_session=True, text=True)
        except OSError as error:
            raise WorkerUnavailable(f"cannot start {self.python}: {error.strerror}") from None
        hello = self._read(deadline=time.monotonic() + BACKSTOP_SECONDS)
        if hello is None:
            self.close()
            raise WorkerUnavailable(f"{self.python} did not start the verifier worker")
        self.tensorflow = bool(hello.get("tensorflow"))
        self._next_id = 0

    def run(self, request: dict, limits: Limits) -> dict:
        """Send one request; always returns a response dict (a dead worker answers `could not run`)."""
        self._next_id += 1
        request = {**request, "id": self._next_id, "device": self.device, "timeout": limits.seconds,
                   "memory_mb": limits.memory_mb, "workdir": self.workdir}
        start = time.monotonic()
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return {"status": "could not run", "detail": "the verifier worker died", "seconds": 0.0}
        answer = self._read(deadline=start + limits.seconds + BACKSTOP_SECONDS)
        if answer is None:
            self.close()
            return {"status": "could not run", "detail": "the verifier worker stopped answering",
                    "seconds": time.monotonic() - start}
        return answer

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self, deadline: float) -> dict | None:
        stdout = self.process.stdout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stdout], [], [], remaining)
            if ready:
                line = stdout.readline()
                if not line:
                    return None
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    continue

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
