from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from nanlint.cli import main

BAD = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
CLEAN = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log_sigmoid(z)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project directory as the current directory (config lookup starts here)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


@pytest.fixture
def run_cli(capsys):
    """Run `nanlint ARGS` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def run_json(run_cli):
    def run(*args: str):
        code, out, err = run_cli(*args, "--output-format", "json")
        return code, json.loads(out), err

    return run


def run_subprocess(*args: str, cwd=None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "nanlint", *args], cwd=cwd, input=stdin, capture_output=True,
                          env=env, timeout=120)
