"""Writing fixes never loses a byte: encoding, BOM, newlines, mode, symlinks and odd file names survive, a file
that must not be rewritten is left alone with a NAN904 finding, and no temporary file is left behind."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap

import pytest

from nanlint import source
from nanlint.source import SourceError, decode, read_bytes, write_source

BAD = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
FIXED = BAD.replace("tf.math.log(tf.sigmoid(z))", "tf.math.log_sigmoid(z)")


def _fix(run_cli, *paths):
    return run_cli("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--output-format", "json", *paths)


def _temporaries(directory):
    return [name for name in os.listdir(directory) if name.endswith(".tmp")]


@pytest.mark.parametrize("encoding, text", [("latin-1", "caf\u00e9"), ("cp1252", "\u20ac 5 \u2013 caf\u00e9")])
def test_fix_keeps_a_declared_encoding(project, run_cli, encoding, text):
    path = project / "m.py"
    original = f"# -*- coding: {encoding} -*-\n{BAD}NAME = '{text}'\n"
    path.write_bytes(original.encode(encoding))
    code, out, _ = _fix(run_cli, "m.py")
    assert code == 0, out
    after = path.read_bytes()
    assert after == f"# -*- coding: {encoding} -*-\n{FIXED}NAME = '{text}'\n".encode(encoding)
    compile(after, "m.py", "exec")  # still valid Python in its declared encoding


def test_fix_keeps_a_utf8_bom_and_crlf(project, run_cli):
    path = project / "m.py"
    path.write_bytes(b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode())
    assert _fix(run_cli, "m.py")[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()


def test_fix_keeps_the_mode(project, run_cli):
    path = project / "script.py"
    path.write_text(BAD)
    path.chmod(0o751)
    assert _fix(run_cli, "script.py")[0] == 0
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o751


def test_read_only_file_is_refused_with_a_finding(project, run_cli):
    path = project / "m.py"
    path.write_text(BAD)
    path.chmod(0o444)  # even root, who could write it, leaves a read-only file alone
    code, out, err = _fix(run_cli, "m.py")
    findings = json.loads(out)
    assert code == 2 and "Traceback" not in err
    assert [f["code"] for f in findings] == ["NAN904", "NAN001"]  # the finding it could not fix is still reported
    assert "read-only" in findings[0]["message"]
    assert path.read_text() == BAD and _temporaries(project) == []


def test_symlink_target_is_fixed_and_the_link_stays_a_link(project, run_cli):
    (project / "real").mkdir()
    target = project / "real" / "m.py"
    target.write_text(BAD)
    (project / "link.py").symlink_to(target)
    assert _fix(run_cli, "link.py")[0] == 0
    assert (project / "link.py").is_symlink() and os.readlink(project / "link.py") == str(target)
    assert target.read_text() == FIXED
    assert _temporaries(project) == [] and _temporaries(project / "real") == []


def test_non_utf8_file_name_is_fixed_at_its_real_path(project, run_cli):
    real = os.fsdecode(b"caf\xe9.py")  # latin-1 bytes: not valid UTF-8; displayed as "caf\ufffd.py"
    try:
        (project / real).write_text(BAD)
    except (UnicodeEncodeError, OSError) as error:
        pytest.skip(f"file system refuses non-UTF-8 names: {error}")
    lookalike = project / "caf\ufffd.py"  # the display name exists too, and must not be touched
    lookalike.write_text("keep me\n")
    code, out, _ = _fix(run_cli, ".")
    assert code == 0, out
    assert (project / real).read_text() == FIXED
    assert lookalike.read_text() == "keep me\n"


def test_unwritable_directory_is_a_finding_and_exit_2(project, run_cli, monkeypatch):
    path = project / "m.py"
    path.write_text(BAD)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # what a directory without write permission does
    code, out, _ = _fix(run_cli, "m.py")
    findings = json.loads(out)
    assert code == 2 and [f["code"] for f in findings] == ["NAN904", "NAN001"]
    assert "permission denied" in findings[0]["message"] and path.read_text() == BAD


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_text(BAD)
    original = decode(path.read_bytes())

    def disk_full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(source.os, "fsync", disk_full)
    with pytest.raises(SourceError, match="no space left"):
        write_source(str(path), FIXED, original)
    assert path.read_text() == BAD and _temporaries(tmp_path) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BAD)
    original = decode(path.read_bytes())
    path.write_text(BAD + "# edited in the editor meanwhile\n")
    with pytest.raises(SourceError, match="changed on disk"):
        write_source(str(path), FIXED, original)
    assert path.read_text().endswith("meanwhile\n")


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs POSIX signal masks")
def test_sigterm_during_the_write_leaves_no_temporary(tmp_path):
    # SIGTERM arrives while the temporary file exists (just before the rename): the process still dies of
    # it, but only once the file is complete and the temporary is gone.
    (tmp_path / "m.py").write_text(BAD)
    script = textwrap.dedent("""
        import os, signal, sys
        from nanlint.cli import main
        real_replace = os.replace
        def replace(source, target):
            os.kill(os.getpid(), signal.SIGTERM)
            real_replace(source, target)
        os.replace = replace
        sys.exit(main(["--isolated", "--no-cache", "--fix", "--unsafe-fixes", "m.py"]))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert _temporaries(tmp_path) == []
    assert (tmp_path / "m.py").read_text() == FIXED


def test_a_stale_temporary_from_a_killed_run_is_not_linted(project, run_cli):
    (project / "m.py").write_text(FIXED)
    (project / ".m.py.nanlint-k3j2x1.tmp").write_text(BAD)  # what SIGKILL mid-write can leave
    assert run_cli("--isolated", "--no-cache", ".") == (0, "", "")


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="FIFO"):
        read_bytes(str(fifo))  # would block forever waiting for a writer
    with pytest.raises(SourceError, match="character device"):
        read_bytes("/dev/zero")  # would never end
    big = tmp_path / "big.py"
    big.write_bytes(b"x = 1\n" * 1000)
    with pytest.raises(SourceError, match="over max-file-size"):
        read_bytes(str(big), max_size=1000)
    assert read_bytes(str(big), max_size=6000) == b"x = 1\n" * 1000


@pytest.mark.parametrize("jobs, cached", [(2, False), (1, True)])
def test_fix_refuses_a_file_edited_after_it_was_linted(tmp_path, jobs, cached):
    # The fix positions belong to the text that was linted. Workers and the cache do not send that text back;
    # the run still knows it, and a file edited meanwhile (an editor saving) is left alone.
    import argparse

    from nanlint import fixes, runner
    from nanlint.config import Settings

    files = []
    for index in range(runner.PARALLEL_THRESHOLD + 1):
        path = tmp_path / f"m{index:02d}.py"
        path.write_text(BAD)
        files.append((str(path), path.name))
    args = argparse.Namespace(no_cache=not cached, cache_dir=str(tmp_path / "cache"), jobs=jobs, fix=True,
                              unsafe_fixes=True, diff=False, show_fixes=False)
    settings = Settings(root=tmp_path)
    if cached:
        runner.lint_files(files, settings, args)  # fill the cache: the run below answers from it
    results = runner.lint_files(files, settings, args)
    edited = "# a comment typed meanwhile\n" + BAD
    (tmp_path / "m00.py").write_text(edited)
    fixed = fixes.process_results(results, args, settings)
    assert [f.code for f in fixed[0].findings] == ["NAN904", "NAN001"]
    assert "changed on disk since it was linted" in fixed[0].findings[0].message
    assert (tmp_path / "m00.py").read_text() == edited
    assert (tmp_path / "m01.py").read_text() == FIXED
