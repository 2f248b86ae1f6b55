"""bench/recall.py: case validation and the scoring of findings against labelled lines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("recall", Path(__file__).resolve().parents[1] / "bench" / "recall.py")
recall = importlib.util.module_from_spec(_SPEC)
sys.modules["recall"] = recall  # dataclasses resolve their module by name
_SPEC.loader.exec_module(recall)

BUG = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
FIXED = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log_sigmoid(z)\n"
LABELS = """title = "t"
source = "https://example.org/issue/1"
category = "log-prob"
kind = "expression"
codes = ["NAN001"]
lines = [5]
fixed_lines = [5]
tf1 = false
"""


def make_case(root: Path, name: str = "log-prob-demo", labels: str = LABELS, files: dict | None = None) -> Path:
    directory = root / name
    directory.mkdir()
    (directory / "case.toml").write_text(labels)
    for relative, text in (files or {"bug.py": BUG, "fixed.py": FIXED}).items():
        (directory / relative).parent.mkdir(parents=True, exist_ok=True)
        (directory / relative).write_text(text)
    return directory


def test_a_valid_single_file_case_loads(tmp_path):
    case = recall.load_case(make_case(tmp_path))
    assert case.codes == ("NAN001",)
    assert case.bug_lines == (recall.Location((tmp_path / "log-prob-demo" / "bug.py").resolve(), 5),)


@pytest.mark.parametrize(
    "labels, files, reason",
    [
        (LABELS.replace('tf1 = false\n', ''), None, "missing key 'tf1'"),
        (LABELS.replace('"log-prob"', '"log-probability"'), None, "unknown category"),
        (LABELS.replace('kind = "expression"', 'kind = "model"'), None, "is kind 'expression'"),
        (LABELS.replace("lines = [5]\n", "lines = [9]\n"), None, "outside bug.py"),
        (LABELS.replace('["NAN001"]', '["E501"]'), None, "codes must be"),
        (LABELS.replace("https://example.org/issue/1", "stackoverflow"), None, "source must be"),
        (LABELS, {"bug.py": "print x\n", "fixed.py": FIXED}, "not valid Python 3"),
        (LABELS, {"bug.py": BUG}, "exactly one of fixed.py and fixed/"),
        (LABELS + "x = [", None, "case.toml"),
        (LABELS + "heldout = 5\n", None, "'heldout' must be a str"),
    ],
)
def test_bad_cases_are_reported_with_the_reason(tmp_path, labels, files, reason):
    with pytest.raises(recall.CaseError, match=reason):
        recall.load_case(make_case(tmp_path, labels=labels, files=files))


def test_a_held_out_case_carries_the_session_that_labelled_it(tmp_path):
    assert recall.load_case(make_case(tmp_path)).heldout == ""
    case = recall.load_case(make_case(tmp_path, "log-prob-held", labels=LABELS + 'heldout = "session5"\n'))
    assert case.heldout == "session5"


def test_a_blind_batch_is_scored_only_on_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(recall, "BLIND", frozenset({"session5b"}))
    dev = recall.load_case(make_case(tmp_path))
    first = recall.load_case(make_case(tmp_path, "log-prob-first", labels=LABELS + 'heldout = "session5"\n'))
    blind = recall.load_case(make_case(tmp_path, "log-prob-blind", labels=LABELS + 'heldout = "session5b"\n'))

    def chosen(categories, heldout):
        return [c.id for c in (dev, first, blind) if recall.selected(c, categories, heldout)]

    assert chosen(set(), None) == ["log-prob-demo", "log-prob-first"]
    assert chosen(set(), "session5b") == ["log-prob-blind"]
    assert chosen(set(), "session5") == ["log-prob-first"]
    assert chosen(set(), recall.ALL_HELDOUT) == ["log-prob-first"]  # a blind batch only by its name
    assert chosen({"div-zero"}, "session5b") == []


def test_folder_cases_label_lines_inside_files(tmp_path):
    labels = LABELS.replace("lines = [5]\nfixed_lines = [5]", 'lines = ["train.py:5"]\nfixed_lines = ["train.py:5"]')
    files = {"bug/train.py": BUG, "bug/model.py": "x = 1\n", "fixed/train.py": FIXED, "fixed/model.py": "x = 1\n"}
    case = recall.load_case(make_case(tmp_path, labels=labels, files=files))
    assert case.bug.is_dir() and case.bug_lines[0].path.name == "train.py"

    bad = LABELS.replace("lines = [5]\nfixed_lines = [5]", 'lines = [5]\nfixed_lines = ["train.py:5"]')
    with pytest.raises(recall.CaseError, match="file.py:LINE"):
        recall.load_case(make_case(tmp_path, "log-prob-bad", labels=bad, files=files))


def test_score_counts_a_case_found_only_for_a_labelled_code_on_a_labelled_line(tmp_path):
    case = recall.load_case(make_case(tmp_path))
    bug, fixed = case.bug.resolve(), case.fixed.resolve()
    wrong_code = recall.Reported("NAN002", bug, 5, "m")
    wrong_line = recall.Reported("NAN001", bug, 4, "m")
    right = recall.Reported("NAN001", bug, 5, "m")
    dirty = recall.Reported("NAN002", fixed, 5, "m")
    meta = recall.Reported("NAN902", fixed, 5, "unused noqa")

    (miss,) = recall.score([case], [wrong_code, wrong_line, meta])
    assert not miss.found and not miss.dirty and miss.on_bug_lines == (wrong_code,)
    (hit,) = recall.score([case], [right, dirty])
    assert hit.found and hit.dirty == (dirty,)
    assert recall.tally([miss, hit]) == recall.Tally(cases=2, found=1, clean=1)


def test_summary_groups_by_category_and_kind(tmp_path):
    case = recall.load_case(make_case(tmp_path))
    outcome = recall.Outcome(case, True, (), ())
    result = recall.summary([outcome])
    assert result["category"] == {"log-prob": recall.Tally(1, 1, 1).as_dict()}
    assert set(result["kind"]) == {"expression"} and result["overall"]["recall"] == 1.0


def test_meta_findings_mark_a_case_bad(tmp_path):
    case = recall.load_case(make_case(tmp_path))
    crash = recall.Reported("NAN999", case.fixed.resolve(), 1, "internal error")
    assert recall.meta_findings([case], [crash]) == {"log-prob-demo": [crash]}


def test_end_to_end_on_a_tiny_set(tmp_path, capsys):
    make_case(tmp_path)
    assert recall.main(["--bugs", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"recall": 1.0' in out and '"dirty_fixed": []' in out


WHERE_BUG = ("import tensorflow as tf\n\n\ndef masked_log(v):\n"
             "    return tf.where(tf.not_equal(v, 0.0), tf.math.log(v), tf.zeros_like(v))\n")
WHERE_FIXED = ("import tensorflow as tf\n\n\ndef masked_log(v):\n    nonzero = tf.not_equal(v, 0.0)\n"
               "    return tf.where(nonzero, tf.math.log(tf.where(nonzero, v, 1.0)), tf.zeros_like(v))\n")
WHERE_LABELS = LABELS.replace('"log-prob"', '"where-grad"').replace('"NAN001"', '"NAN007"').replace(
    "fixed_lines = [5]", "fixed_lines = [6]")


@pytest.mark.tensorflow
@pytest.mark.slow
def test_verify_scores_a_preview_finding_the_verifier_confirms(tmp_path, capsys):
    # a gradient-only finding in a function nothing shows differentiated: preview by default, confirmed at run time
    make_case(tmp_path, "where-grad-demo", WHERE_LABELS, {"bug.py": WHERE_BUG, "fixed.py": WHERE_FIXED})
    recall.main(["--bugs", str(tmp_path), "--json"])
    assert '"recall": 0.0' in capsys.readouterr().out
    recall.main(["--bugs", str(tmp_path), "--json", "--verify"])
    out = capsys.readouterr().out
    assert '"recall": 1.0' in out and '"dirty_fixed": []' in out
