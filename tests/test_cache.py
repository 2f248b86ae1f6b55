"""The result cache: hits give the same results as a fresh lint; anything odd in it is a miss."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

from nanlint import cache as cache_module
from nanlint.cache import ResultCache
from nanlint.linter import lint_bytes
from nanlint.selection import Selection

BAD = b"import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
SILENCED = b"import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))  # noqa: NAN001\n"


def _stored(tmp_path, data=BAD, path="a.py", selection=Selection()):
    cache = ResultCache(tmp_path / "cache", selection)
    result = lint_bytes(data, path, selection)
    cache.put(path, data, result)
    return cache, result


def test_hit_round_trips_findings_and_suppressed(tmp_path):
    for data in (BAD, SILENCED):
        cache, result = _stored(tmp_path, data)
        assert result.findings or result.suppressed
        assert cache.get("a.py", data) == result


def test_miss_on_changed_content_path_or_selection(tmp_path):
    cache, _ = _stored(tmp_path)
    assert cache.get("a.py", BAD + b"\n") is None
    assert cache.get("b.py", BAD) is None
    assert ResultCache(tmp_path / "cache", Selection(ignore=("NAN001",))).get("a.py", BAD) is None


def test_editing_nanlint_source_invalidates(tmp_path, monkeypatch):
    cache, _ = _stored(tmp_path)
    monkeypatch.setattr(cache_module, "source_hash", lambda: "a different nanlint")
    assert ResultCache(tmp_path / "cache", Selection()).get("a.py", BAD) is None


def _entry_file(cache: ResultCache):
    (entry,) = [p for p in cache.directory.rglob("*.json")]
    return entry


def test_corrupt_truncated_or_foreign_entries_are_misses(tmp_path):
    cache, result = _stored(tmp_path)
    entry = _entry_file(cache)
    good = entry.read_text()
    document = json.loads(good)
    bad_versions = [
        good[: len(good) // 2],  # truncated
        "\x00\xff garbage",
        "[]",
        json.dumps({**document, "key": "0" * 64}),  # written by another version
        json.dumps({**document, "path": "other.py"}),
        json.dumps({**document, "findings": [{"code": 1}]}),
        json.dumps({**document, "findings": [{**document["findings"][0], "line": "3"}]}),
        json.dumps({**document, "suppressed": [[None, 1, None]]}),
    ]
    for text in bad_versions:
        entry.write_text(text)
        assert cache.get("a.py", BAD) is None, text
    entry.write_text(good)
    assert cache.get("a.py", BAD) == result


def test_unwritable_cache_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = ResultCache(blocker / "cache", Selection())
    cache.put("a.py", BAD, lint_bytes(BAD, "a.py"))  # must not raise
    assert cache.get("a.py", BAD) is None


def test_concurrent_writers_leave_a_valid_entry_and_no_temp_files(tmp_path):
    cache, result = _stored(tmp_path)
    other = replace(result, findings=())

    def write(value):
        for _ in range(50):
            cache.put("a.py", BAD, value)

    threads = [threading.Thread(target=write, args=(value,)) for value in (result, other, result, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("a.py", BAD) in (result, other)
    assert not [p for p in cache.root.rglob(".tmp-*")]


def test_cache_root_is_marked_ignored(tmp_path):
    cache, _ = _stored(tmp_path)
    assert (cache.root / ".gitignore").read_text().strip().endswith("*")
    assert (cache.root / "CACHEDIR.TAG").exists()
