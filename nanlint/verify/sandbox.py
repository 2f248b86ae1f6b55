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
from typing import IO

WORKER = Path(__file__).with_name("worker.py")
# How much longer than the finding's own limit the worker may take to answer before it is killed.
BACKSTOP_SECONDS = 30.0
# The worker imports TensorFlow on its first request, before that request's own time limit starts: 2-5 s on an
# idle machine, several times that on a loaded one. The first answer is awaited that much longer.
IMPORT_ALLOWANCE_SECONDS = 120.0


class WorkerUnavailable(Exception):
    """The worker's interpreter cannot be started, or has no TensorFlow; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0
    memory_mb: int = 4096


# Namespaces tried in order (found at run time: what works depends on the kernel and its settings).
# --kill-child: the worker (PID 1 of the new PID namespace) dies with `unshare`, and with it every process
# the snippet started. -r maps the caller to root inside a user namespace, so no privilege is needed.
_ISOLATIONS = (
    (("unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
      "--net"), frozenset({"user", "mount", "pid", "net"})),
    (("unshare", "--user", "--map-root-user", "--net"), frozenset({"user", "net"})),
    (("unshare", "--net"), frozenset({"net"})),
)
# Every layer a full sandbox has; the ones missing are named once at the top of the run.
LAYERS = ("net", "pid", "mount", "readonly")
# Only what TensorFlow and the user's interpreter need; everything else (tokens, CI secrets) stays out.
_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "LD_LIBRARY_PATH", "PYTHONPATH", "CUDA_VISIBLE_DEVICES",
             "CUDA_HOME", "CUDA_PATH", "XLA_FLAGS", "TF_FORCE_GPU_ALLOW_GROWTH", "TF_ENABLE_ONEDNN_OPTS")
# An answer longer than this is not one the worker writes: the run treats the worker as broken.
MAX_ANSWER_BYTES = 1 << 20


@lru_cache(maxsize=1)
def isolation() -> tuple[tuple[str, ...], frozenset[str]]:
    """The strongest `unshare` prefix that starts a process here, and the namespaces it gives."""
    if shutil.which("unshare") is None:
        return (), frozenset()
    for prefix, layers in _ISOLATIONS:
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix, layers
        except (OSError, subprocess.TimeoutExpired):
            continue
    return (), frozenset()


def network_cut_prefix() -> tuple[str, ...]:
    prefix, layers = isolation()
    return prefix if "net" in layers else ()


def device_environment(device: str, workdir: str) -> dict[str, str]:
    """The scrubbed environment: the kept variables, HOME and TMPDIR in the private directory; cpu hides every
    GPU from TensorFlow, gpu and auto leave them visible (the worker picks)."""
    env = {key: os.environ[key] for key in _KEPT_ENV if key in os.environ}
    env.update(HOME=workdir, TMPDIR=workdir, TF_CPP_MIN_LOG_LEVEL="3", PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("PATH", "/usr/bin:/bin")
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = "-1"
    return env


class Worker:
    """One warm worker process, reused for every finding of a run."""

    def __init__(self, python: str | None = None, device: str = "cpu", verbose: bool = False,
                 preload: bool = False) -> None:
        """`preload`: the worker imports TensorFlow as soon as it has said hello, instead of on the first request,
        so that the import (2-5 s) overlaps whatever the caller does meanwhile (linting)."""
        self.python = python or sys.executable
        self.device = device
        self.workdir = tempfile.mkdtemp(prefix="nanlint-verify-")
        prefix, namespaces = isolation()
        self.network_cut = "net" in namespaces
        extra = (["--readonly", self.workdir] if "mount" in namespaces else []) + (["--preload"] if preload else [])
        try:
            self.process = subprocess.Popen(
                [*prefix, self.python, str(WORKER), *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL if not verbose else None, cwd=self.workdir,
                env=device_environment(device, self.workdir), start_new_session=True)
        except OSError as error:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise WorkerUnavailable(f"cannot start {self.python}: {error.strerror}") from None
        requests, answers = self.process.stdin, self.process.stdout
        assert requests is not None and answers is not None  # both are pipes (PIPE above)
        self._requests: IO[bytes] = requests
        self._answers: IO[bytes] = answers
        hello = self._read(deadline=time.monotonic() + BACKSTOP_SECONDS)
        if hello is None:
            self.close()
            raise WorkerUnavailable(f"{self.python} did not start the verifier worker")
        self.tensorflow = bool(hello.get("tensorflow"))
        version = hello.get("tensorflow_version")
        self.tensorflow_version = version if isinstance(version, str) else ""
        self.layers = frozenset(namespaces & set(LAYERS)) | ({"readonly"} if hello.get("readonly") is True else set())
        self._next_id = 0
        self._answered = False

    @property
    def missing_layers(self) -> tuple[str, ...]:
        return tuple(layer for layer in LAYERS if layer not in self.layers)

    def run(self, request: dict, limits: Limits) -> dict:
        """Send one request; always returns a response dict (a dead worker answers `could not run`)."""
        self._next_id += 1
        request = {**request, "id": self._next_id, "device": self.device, "timeout": limits.seconds,
                   "memory_mb": limits.memory_mb, "workdir": self.workdir, "network_cut": self.network_cut}
        start = time.monotonic()
        try:
            self._requests.write((json.dumps(request) + "\n").encode())
            self._requests.flush()
        except (BrokenPipeError, OSError):
            return {"status": "could not run", "detail": "the verifier worker died", "seconds": 0.0}
        allowance = BACKSTOP_SECONDS + (0.0 if self._answered else IMPORT_ALLOWANCE_SECONDS)
        answer = self._read(deadline=start + limits.seconds + allowance)
        if answer is None:
            self.close()
            return {"status": "could not run", "detail": "the verifier worker stopped answering",
                    "seconds": time.monotonic() - start}
        self._answered = True
        return answer

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self, deadline: float) -> dict | None:
        """One JSON object line, at most MAX_ANSWER_BYTES; anything else means the worker is not ours to trust."""
        stdout = self._answers
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stdout], [], [], remaining)
            if ready:
                line = stdout.readline(MAX_ANSWER_BYTES + 1)
                if not line or not line.endswith(b"\n"):
                    return None
                try:
                    answer = json.loads(line.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    continue
                return answer if isinstance(answer, dict) else None

    def close(self) -> None:
        """Every process of the worker is gone when this returns: SIGKILL to its process group (`unshare`
        and the worker; with a PID namespace the kernel then kills every process inside), after a SIGTERM
        that lets a worker without a PID namespace kill its descendants (it is their subreaper)."""
        if self.process.poll() is None:
            try:
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(timeout=0.3)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for stream in (self._requests, self._answers):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
