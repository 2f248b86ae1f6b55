"""Cached verdicts: a worker answer keyed by what decides it (the snippet's source and entry, the recipe's
request, the device, the TensorFlow version and nanlint's own code), so an unchanged finding is not run again.
Only deterministic answers are kept (not a timeout, a crash or the memory limit). Each entry carries an HMAC
under the lint cache's per-user secret (nanlint.cache), so a forged or edited entry is ignored and recomputed;
what is read back still goes through `verdict_from_answer`, which type-checks every field."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path

# Answers that depend on the machine's load or limits, not on the code: never cached.
_UNSTABLE_REASONS = frozenset({"timeout", "total-timeout", "memory", "crashed", "internal-error", "no-device"})
_VOLATILE_KEYS = ("id", "timeout", "memory_mb", "workdir", "network_cut")
_MAX_ENTRY_BYTES = 1 << 20


def key(request: dict, tensorflow: str) -> str:
    from nanlint.cache import source_hash

    stable = {k: v for k, v in request.items() if k not in _VOLATILE_KEYS}
    basis = json.dumps([stable, tensorflow, source_hash()], sort_keys=True, default=str)
    return hashlib.sha256(basis.encode("utf-8", "surrogateescape")).hexdigest()


class VerdictCache:
    def __init__(self, directory: Path) -> None:
        from nanlint.cache import _secret, secret_path

        self.directory = directory / "verify"
        self.secret = _secret(secret_path())  # None: no usable secret, the verdict cache is off

    @staticmethod
    def _mac(secret: bytes, entry: str, payload: bytes) -> bytes:
        return hmac.new(secret, entry.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()

    def get(self, entry: str) -> dict | None:
        secret = self.secret
        if secret is None:
            return None
        path = self.directory / f"{entry}.json"
        try:
            if path.stat().st_size > _MAX_ENTRY_BYTES:
                return None
            mac, _, payload = path.read_bytes().partition(b"\n")
            if not hmac.compare_digest(mac, self._mac(secret, entry, payload)):
                return None
            answer = json.loads(payload.decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        return answer if isinstance(answer, dict) else None

    def put(self, entry: str, answer: dict) -> None:
        if answer.get("status") not in ("confirmed", "not reproduced", "could not run"):
            return
        if answer.get("status") == "could not run" and answer.get("reason") in _UNSTABLE_REASONS | {None}:
            return
        secret = self.secret
        if secret is None:
            return
        payload = json.dumps(answer, default=str).encode("utf-8")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(self._mac(secret, entry, payload) + b"\n" + payload)
            os.replace(temporary, self.directory / f"{entry}.json")
        except OSError:
            pass  # a cache that cannot be written costs time, never a verdict
