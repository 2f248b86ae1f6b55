"""Odd paths through the CLI: each gets a clear answer and never a traceback, and the other files still get linted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

BAD = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"


def _lint(cwd, *paths):
    done = subprocess.run([sys.executable, "-m", "nanlint", "--isolated", "--output-format", "json", *paths],
                          cwd=cwd, capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done.returncode, json.loads(done.stdout or b"[]"), done.stderr.decode(errors="replace")


@pytest.fixture
def good(tmp_path):
    (tmp_path / "good.py").write_text(BAD)
    return tmp_path


def _codes(findings):
    return sorted((f["filename"].replace(os.sep, "/"), f["code"]) for f in findings)


def test_symlink_loop(good):
    (good / "loop").mkdir()
    os.symlink(good / "loop", good / "loop" / "again")
    os.symlink("self.py", good / "self.py")  # a file link to itself
    code, findings, _ = _lint(good, ".")
    assert ("good.py", "NAN001") in _codes(findings)
    assert code in (1, 2)


def test_directory_named_like_a_module(good):
    (good / "pkg.py").mkdir()
    (good / "pkg.py" / "inner.py").write_text(BAD)
    code, findings, _ = _lint(good, ".")
    assert _codes(findings) == [("good.py", "NAN001"), ("pkg.py/inner.py", "NAN001")]
    assert code == 1


def test_non_utf8_file_name(good):
    name = os.fsdecode(b"caf\xe9.py")  # latin-1 bytes: not valid UTF-8
    try:
        (good / name).write_text(BAD)
    except (UnicodeEncodeError, OSError) as error:
        pytest.skip(f"file system refuses non-UTF-8 names: {error}")
    code, findings, _ = _lint(good, ".")
    assert code == 1
    assert len(findings) == 2 and {f["code"] for f in findings} == {"NAN001"}


def test_unreadable_file_is_nan901_and_others_still_lint(good):
    # chmod 000 does not stop root (these tests may run as root): a dangling link cannot be read by anyone.
    os.symlink(good / "missing-target.py", good / "dangling.py")
    code, findings, stderr = _lint(good, "good.py", "dangling.py")
    assert ("good.py", "NAN001") in _codes(findings)
    assert code in (1, 2)
    assert "dangling.py" in stderr or ("dangling.py", "NAN901") in _codes(findings)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file regardless of mode")
def test_permission_denied(good):
    locked = good / "locked.py"
    locked.write_text(BAD)
    locked.chmod(0)
    code, findings, _ = _lint(good, "good.py", "locked.py")
    assert ("locked.py", "NAN901") in _codes(findings)
    assert code == 1
