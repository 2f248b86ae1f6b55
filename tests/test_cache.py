"""The result cache: hits give the same results as a fresh lint; anything odd in it is a miss."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import replace

import pytest

from nanlint import cache as cache_module
from nanlint.cache import ResultCache
from nanlint.linter import lint_bytes
from nanlint.project import Dependencies
from nanlint.selection import Selection

BAD = b"import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
SILENCED = b"import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))  # noqa: NAN001\n"


def _stored(tmp_path, data=BAD, path="a.py", selection=Selection()):
    cache = ResultCache(tmp_path / "cache", selection)
    result = lint_bytes(data, path, selection)
    cache.put(path, cache.entry_name(path, data), result)
    return cache, result


def test_hit_round_trips_findings_and_suppressed(tmp_path):
    for data in (BAD, SILENCED):
        cache, result = _stored(tmp_path, data)
        assert result.findings or result.suppressed
        assert cache.get("a.py", data) == result


def test_an_entry_that_used_other_files_is_reused_only_when_they_are_checked_unchanged(tmp_path):
    cache = ResultCache(tmp_path / "cache", Selection())
    result = lint_bytes(BAD, "a.py")
    dependencies = Dependencies(files=(("/p/b.py", "0" * 64),), resolved=(("/p", "b", 0, "/p/b.py"),),
                                callers=(("/p/a.py", "loss", ("/p/run.py",)),),
                                requesting=(("/p/conftest.py", "model", ("/p/test_a.py",)),))
    cache.put("a.py", cache.entry_name("a.py", BAD), result, dependencies)
    assert cache.get("a.py", BAD) is None  # no check: only a result that used no other file is reused
    assert cache.get("a.py", BAD, lambda recorded: recorded == dependencies) == result
    assert cache.get("a.py", BAD, lambda recorded: False) is None


def test_miss_on_changed_content_path_or_selection(tmp_path):
    cache, _ = _stored(tmp_path)
    assert cache.get("a.py", BAD + b"\n") is None
    assert cache.get("b.py", BAD) is None
    assert ResultCache(tmp_path / "cache", Selection(ignore=("NAN001",))).get("a.py", BAD) is None


def test_editing_nanlint_source_invalidates(tmp_path, monkeypatch):
    cache, _ = _stored(tmp_path)
    monkeypatch.setattr(cache_module, "source_hash", lambda: "a different nanlint")
    assert ResultCache(tmp_path / "cache", Selection()).get("a.py", BAD) is None


@pytest.fixture(autouse=True)
def _own_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))


def _entry_file(cache: ResultCache):
    (entry,) = [p for p in cache.directory.rglob("*.json")]
    return entry


def _sign(cache: ResultCache, document: str | bytes) -> bytes:
    """An entry as nanlint itself would write it: whatever is in it passes the MAC, so only the schema stands."""
    payload = document.encode() if isinstance(document, str) else document
    name = _entry_file(cache).stem
    return cache._mac(name, payload) + b"\n" + payload


def test_corrupt_truncated_or_foreign_entries_are_misses(tmp_path):
    cache, result = _stored(tmp_path)
    entry = _entry_file(cache)
    good = entry.read_bytes()
    document = json.loads(good.partition(b"\n")[2])
    finding = document["findings"][0]
    unsigned = [
        good[: len(good) // 2],  # truncated
        b"\x00\xff garbage",
        good.partition(b"\n")[2],  # no MAC line
        good.replace(b'"line":5', b'"line":6'),  # edited after it was written
    ]
    wrong_shapes = [
        "[]",
        json.dumps({**document, "key": "0" * 64}),  # written by another version
        json.dumps({**document, "path": "other.py"}),
        json.dumps({**document, "findings": [{"code": 1}]}),
        json.dumps({**document, "findings": [{**finding, "line": "3"}]}),
        json.dumps({**document, "findings": [{**finding, "line": True}]}),  # printed as m1.py:True:12 before
        json.dumps({**document, "findings": [{**finding, "line": 0}]}),
        json.dumps({**document, "findings": [{**finding, "line": 99}]}),  # past the end of the 5-line file
        json.dumps({**document, "findings": [{**finding, "col": -1}]}),
        json.dumps({**document, "findings": [{**finding, "code": "E501"}]}),
        json.dumps({**document, "findings": [{**finding, "path": "elsewhere.py"}]}),
        json.dumps({**document, "findings": [{**finding, "extra": {"nested": {"deep": []}}}]}),
        json.dumps({**document, "findings": [{**finding, "surprise": 1}]}),
        json.dumps({**document, "suppressed": [[None, 1, None]]}),
        json.dumps({**document, "parsed": 1}),
        json.dumps({**document, "dependencies": {"files": [["b.py"]], "resolved": [], "callers": []}}),
        json.dumps({**document, "dependencies": {"files": [], "resolved": [["/d", "m", "1", None]], "callers": []}}),
        json.dumps({**document, "dependencies": {"files": [], "resolved": [], "callers": [["a.py", "f", "run.py"]]}}),
        json.dumps({**document, "dependencies": {"files": [], "resolved": []}}),
        '{"findings": ' + "[" * 100_000 + "]" * 100_000 + "}",  # RecursionError in json before
    ]
    for raw in unsigned + [_sign(cache, text) for text in wrong_shapes]:
        entry.write_bytes(raw)
        assert cache.get("a.py", BAD) is None, raw[:200]
    entry.write_bytes(good)
    assert cache.get("a.py", BAD) == result


def test_a_forged_well_formed_entry_does_not_hide_a_finding(project, run_cli, tmp_path):
    # Whoever can write the cache directory (a shared or restored CI cache) knows the entry format and can
    # compute any public hash; without this user's secret, a "clean" entry for a bad file is a miss.
    (project / "m.py").write_bytes(BAD)
    assert "NAN001" in run_cli("m.py")[1]
    (entry,) = (project / ".nanlint_cache").rglob("*.json")
    mac, _, payload = entry.read_bytes().partition(b"\n")
    document = json.loads(payload)
    forged = json.dumps({**document, "findings": []}).encode()
    entry.write_bytes(hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    assert "NAN001" in run_cli("m.py")[1]


def test_no_secret_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the key cannot be created
    cache, _ = _stored(tmp_path)
    assert cache.get("a.py", BAD) is None and not (tmp_path / "cache").exists()


def test_unwritable_cache_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = ResultCache(blocker / "cache", Selection())
    cache.put("a.py", cache.entry_name("a.py", BAD), lint_bytes(BAD, "a.py"))  # must not raise
    assert cache.get("a.py", BAD) is None


def test_concurrent_writers_leave_a_valid_entry_and_no_temp_files(tmp_path):
    cache, result = _stored(tmp_path)
    other = replace(result, findings=())

    def write(value):
        for _ in range(50):
            cache.put("a.py", cache.entry_name("a.py", BAD), value)

    threads = [threading.Thread(target=write, args=(value,)) for value in (result, other, result, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("a.py", BAD) in (result, other)
    assert not [p for p in cache.root.rglob("*.tmp")]


def test_cache_root_is_marked_ignored(tmp_path):
    cache, _ = _stored(tmp_path)
    assert (cache.root / ".gitignore").read_text().strip().endswith("*")
    assert (cache.root / "CACHEDIR.TAG").exists()


def test_a_warm_run_with_a_selection_does_not_import_libcst(tmp_path):
    """`nanlint fixtures/ --select NAN001` on a warm cache, with `select`/`ignore` in the config too: validating
    the codes reads the catalog's file names, and every file is a cache hit, so libcst is never imported."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures", project / "fixtures")
    (project / "pyproject.toml").write_text('[tool.nanlint]\nignore = ["NAN005"]\n')
    args = ["fixtures", "--select", "NAN001", "--cache-dir", str(tmp_path / "cache"), "--exit-zero"]
    subprocess.run([sys.executable, "-m", "nanlint", *args], cwd=project, capture_output=True, check=True)
    probe = ("import sys\nfrom nanlint.cli import main\ncode = main(sys.argv[1:])\n"
             "print('LIBCST', 'libcst' in sys.modules, code, file=sys.stderr)")
    warm = subprocess.run([sys.executable, "-c", probe, *args], cwd=project, capture_output=True, text=True)
    assert "LIBCST False 0" in warm.stderr, warm.stderr
    assert "NAN001" in warm.stdout


CLEAN = BAD.replace(b"math.log", b"math.abs")


def test_an_unchanged_run_answers_from_the_last_run_index_and_any_change_is_seen(tmp_path, run_cli, monkeypatch):
    from nanlint import runner

    monkeypatch.setattr(cache_module, "_RACY_NS", 0)  # the files below were written just now
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_bytes(BAD)
    (tmp_path / "clean.py").write_bytes(CLEAN)
    (tmp_path / "silenced.py").write_bytes(SILENCED)
    lint = ("bad.py", "clean.py", "silenced.py", "--isolated", "--cache-dir", "cache", "--output-format", "json")
    first = run_cli(*lint)
    assert "bad.py" in first[1] and "clean.py" not in first[1]
    assert list((tmp_path / "cache").glob("*/last-run.json"))

    looked_up = runner._look_up
    monkeypatch.setattr(runner, "_look_up", lambda *args: pytest.fail("read and hashed the files again"))
    assert run_cli(*lint) == first  # nothing changed: the index answers, with the entry of the file with a finding

    # the same size and the modification time put back: the change time still moves
    clean = tmp_path / "clean.py"
    before = clean.stat()
    clean.write_bytes(BAD)
    os.utime(clean, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert clean.stat().st_size == before.st_size and clean.stat().st_mtime_ns == before.st_mtime_ns
    monkeypatch.setattr(runner, "_look_up", looked_up)
    changed = run_cli(*lint)
    assert "clean.py" in changed[1] and changed != first
    # another set of files is another run: its own results
    assert "bad.py" not in run_cli("clean.py", *lint[3:])[1]


def test_a_file_changed_moments_before_the_run_is_not_vouched_for_by_its_signature(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(BAD)
    assert cache_module.signature(str(path), time.time_ns()) is None
    assert cache_module.signature(str(path), time.time_ns() + 3_000_000_000) is not None
    assert cache_module.signature(str(tmp_path / "missing.py"), time.time_ns()) is None


def test_a_run_without_its_own_index_drops_the_older_one(tmp_path, run_cli, monkeypatch):
    # losses.py's result depends on the other files of its run: keras-retinanet's `backend` module read as TF's
    # only while the run lacks it. A run over another set of files that could not write its index (backend.py was
    # written moments before) rewrites losses.py's entry; the earlier run's index must not answer with it afterwards.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "losses.py").write_text(
        "import keras\nfrom . import backend\n\n\ndef focal(gamma=2.0):\n    def _focal(y_true, y_pred):\n"
        "        w = backend.where(keras.backend.equal(y_true, 1), 1 - y_pred, y_pred)\n"
        "        return keras.backend.sum(w ** gamma)\n    return _focal\n\n\n"
        "def create(model):\n    model.compile(loss=focal(gamma=0.5))\n")
    lint = ("pkg", "--isolated", "--cache-dir", "cache", "--exit-zero")
    racy = cache_module._RACY_NS
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    assert "NAN008" in run_cli(*lint)[1]
    assert list((tmp_path / "cache").glob("*/last-run.json"))
    monkeypatch.setattr(cache_module, "_RACY_NS", max(racy, 10**12))  # every file is too recent to vouch for
    (tmp_path / "pkg" / "backend.py").write_text("def where(*args):\n    return args\n")
    assert "NAN008" not in run_cli(*lint)[1]
    assert not list((tmp_path / "cache").glob("*/last-run.json"))
    (tmp_path / "pkg" / "backend.py").unlink()
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    assert "NAN008" in run_cli(*lint)[1]
