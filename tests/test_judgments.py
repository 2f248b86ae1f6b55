"""bench/precision.py: baselines joined with the judgments ledger (bench/judgments/), no corpus needed."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str, module_name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


precision = _load("precision", "bench_precision")

BASELINE = """\
pkg/a.py:10:5: NAN002 division by a sum, which is 0 for an empty mask
pkg/a.py:10:5: NAN005 sqrt of a sum of squares is 0 for an all-zero input
pkg/b.py:3:1: NAN001 log of a softmax output quoting `f(
        x, y
    )` over two lines
nb/demo.ipynb:cell 4:7:9: NAN009 exp of a linear output: 1:2: NAN004 inside the message is not a finding
pkg/a.py:10:5: NAN002 division by a sum, which is 0 for an empty mask
"""

LEDGER = """\
finding\tcode\tverdict\tsource\treason
# a comment
pkg/a.py:10:5\tNAN002\tTRUE\tFINDINGS.md:12\ta batch that is all padding
pkg/a.py:10:5\tNAN005\tDEBATABLE\tledger15\tequal operands are unlikely
nb/demo.ipynb:cell 4:7:9\tNAN009\tFALSE\tledger15\tthe head is clipped two lines up
gone.py:1:1\tNAN002\tFALSE\tFINDINGS.md:40\ta finding fixed since
"""


def test_a_baseline_finding_is_its_first_line_and_continuation_lines_belong_to_it():
    findings = precision.parse_baseline(BASELINE)
    assert [finding.key for finding in findings] == [
        ("pkg/a.py:10:5", "NAN002"), ("pkg/a.py:10:5", "NAN005"), ("pkg/b.py:3:1", "NAN001"),
        ("nb/demo.ipynb:cell 4:7:9", "NAN009"), ("pkg/a.py:10:5", "NAN002")]
    assert findings[2].line.endswith("quoting `f(")


def test_the_join_counts_each_finding_once_per_line_and_lists_unjudged_findings_and_stale_rows():
    result = precision.join(precision.parse_baseline(BASELINE), precision.parse_ledger(LEDGER))
    assert result.findings == 5
    assert result.verdicts == {"TRUE": 2, "DEBATABLE": 1, "FALSE": 1}  # the NAN002 reported twice counts twice
    assert [finding.key for finding in result.unjudged] == [("pkg/b.py:3:1", "NAN001")]
    assert [judgment.where for judgment in result.stale] == ["gone.py:1:1"]
    assert result.true_or_debatable == 3 / 4  # over the judged findings


def test_the_key_is_position_and_code_so_a_reworded_message_keeps_its_judgment_and_another_rule_does_not():
    reworded = "pkg/a.py:10:5: NAN002 division by the count of `mask`, 0 when it selects nothing\n"
    other_rule = "pkg/a.py:10:5: NAN003 the epsilon is 0 in float16\n"
    judgments = precision.parse_ledger(LEDGER)
    assert precision.join(precision.parse_baseline(reworded), judgments).verdicts["TRUE"] == 1
    assert len(precision.join(precision.parse_baseline(other_rule), judgments).unjudged) == 1


def test_preview_rows_may_judge_with_the_default_ones_and_only_their_own_are_stale():
    findings = precision.parse_baseline("pkg/a.py:10:5: NAN002 m\npkg/c.py:1:1: NAN005 m\n")
    default = precision.parse_ledger(LEDGER)
    own = precision.parse_ledger("pkg/c.py:1:1\tNAN005\tFALSE\tledger15\tno gradient reaches it\n"
                                 "pkg/d.py:2:2\tNAN005\tTRUE\tledger15\tgone since\n")
    result = precision.join(findings, default + own, own)
    assert result.verdicts == {"TRUE": 1, "DEBATABLE": 0, "FALSE": 1}
    assert [judgment.where for judgment in result.stale] == ["pkg/d.py:2:2"]


@pytest.mark.parametrize("row, problem", [
    ("a.py:1:1\tNAN002\tTRUE\tsource\n", "columns"),
    ("a.py:1:1\tNAN002\tMAYBE\tsource\treason\n", "verdict"),
    ("a.py:1:1\tNAN002\tTRUE\tsource\t \n", "no reason"),
    ("a.py:1:1\tNAN002\tTRUE\ts\tr\na.py:1:1\tNAN002\tFALSE\ts\tr\n", "twice"),
])
def test_a_malformed_ledger_is_an_error_that_names_the_row(row, problem):
    with pytest.raises(precision.LedgerError, match=problem):
        precision.parse_ledger(row, "x.tsv")


def test_the_table_totals_over_corpora_and_the_check_fails_on_an_unjudged_finding(tmp_path, monkeypatch, capsys):
    (tmp_path / "baselines").mkdir()
    (tmp_path / "judgments").mkdir()
    (tmp_path / "baselines" / "demo.txt").write_text(BASELINE)
    (tmp_path / "judgments" / "demo.tsv").write_text(LEDGER)
    (tmp_path / "baselines" / "demo.preview.txt").write_text("")  # preview baselines are not default corpora
    monkeypatch.setattr(precision, "BASELINES", tmp_path / "baselines")
    monkeypatch.setattr(precision, "JUDGMENTS", tmp_path / "judgments")
    assert precision.corpus_names(preview=False) == ["demo"]
    for name in ("set10", "set6"):
        (tmp_path / "baselines" / f"{name}.txt").write_text("")
    assert precision.corpus_names(preview=False) == ["demo", "set6", "set10"]  # natural order
    (tmp_path / "judgments" / "gone.tsv").write_text("a.py:1:1\tNAN002\tTRUE\tledger15\tr\n")
    assert precision.corpus_names(preview=False) == ["demo", "gone", "set6", "set10"]  # a ledger with no baseline
    assert [row.where for row in precision.load("gone", preview=False).stale] == ["a.py:1:1"]
    for name in ("set10", "set6", "gone"):
        (tmp_path / "baselines" / f"{name}.txt").unlink(missing_ok=True)
    (tmp_path / "judgments" / "gone.tsv").unlink()
    assert precision.main([]) == 1
    out = capsys.readouterr().out
    assert "| demo | 5 | 2 | 1 | 1 | 1 | 75% |" in out
    assert "UNJUDGED (1)" in out and "pkg/b.py:3:1: NAN001" in out
    assert "STALE (1)" in out and "gone.py:1:1" in out
    (tmp_path / "judgments" / "demo.tsv").write_text(
        LEDGER + "pkg/b.py:3:1\tNAN001\tTRUE\tledger15\ta logit gap of 87\n")
    assert precision.main([]) == 0  # stale rows are listed, not failed on
    assert precision.main(["--strict"]) == 1


@pytest.mark.parametrize("preview", [False, True], ids=["default", "preview"])
def test_every_committed_baseline_finding_is_judged_and_no_row_is_stale(preview):
    # The issues ask that every finding on the corpora be read and recorded: a change that moves a baseline line
    # adds or deletes its ledger row in the same commit (bench/judgments/README.md).
    for name in precision.corpus_names(preview):
        joined = precision.load(name, preview)
        assert not joined.unjudged, f"{name}: unjudged {[f.key for f in joined.unjudged][:5]}"
        assert not joined.stale, f"{name}: stale {[j.key for j in joined.stale][:5]}"
