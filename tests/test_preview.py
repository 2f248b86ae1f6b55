"""Preview (ruff's name): plausible findings are hidden by default and shown under `--preview` /
`preview = true`; their noqa comments are not stale; their confidence survives the cache; the verifier's
promotion turns them into default findings."""

from __future__ import annotations

import argparse

import libcst as cst
import pytest

from nanlint.cache import ResultCache
from nanlint.checks.base import Check, Report
from nanlint.cli import build_parser
from nanlint.config import ConfigError, apply_flags, settings_from_table
from nanlint.finding import Confidence, Verdict, promote
from nanlint.linter import lint_text
from nanlint.selection import Selection

SOURCE = "import tensorflow as tf\n\nsafe = 1 / 3\nrisky = 2 / tf.norm(w)\n"


class _DivisionsByCall(Check):
    """NAN002 stand-in: every division is reported, by construction unless the denominator is a call."""

    code = "NAN002"

    def run(self, analysis):
        for division in analysis.divisions():
            plausible = isinstance(division.denominator, cst.Call)
            confidence = Confidence.PLAUSIBLE if plausible else Confidence.CONSTRUCTION
            yield Report(division.node, "division", confidence=confidence)


def _lines(text: str, selection: Selection) -> list[tuple[int, str]]:
    result = lint_text(text, "m.py", selection, checks=(_DivisionsByCall(),))
    return [(finding.line, finding.code) for finding in result.findings]


def test_plausible_findings_need_preview():
    assert _lines(SOURCE, Selection()) == [(3, "NAN002")]
    assert _lines(SOURCE, Selection(preview=True)) == [(3, "NAN002"), (4, "NAN002")]
    shown = lint_text(SOURCE, "m.py", Selection(preview=True), checks=(_DivisionsByCall(),)).findings
    assert [finding.preview for finding in shown] == [False, True]


def test_noqa_on_a_hidden_preview_finding_is_not_unused():
    text = SOURCE.replace("tf.norm(w)\n", "tf.norm(w)  # noqa: NAN002\n")
    selection = Selection(select=("NAN002", "NAN902"))
    assert _lines(text, selection) == [(3, "NAN002")]
    stale = "import tensorflow as tf\n\nx = 1  # noqa: NAN002\n"
    assert _lines(stale, selection) == [(3, "NAN902")]


def test_preview_from_config_and_flags(tmp_path):
    assert settings_from_table({}, "cfg", tmp_path).selection.preview is False
    configured = settings_from_table({"preview": True}, "cfg", tmp_path)
    assert configured.selection.preview is True
    parser = build_parser()
    assert apply_flags(configured, parser.parse_args(["x.py"])).selection.preview is True
    assert apply_flags(configured, parser.parse_args(["--no-preview", "x.py"])).selection.preview is False
    default = settings_from_table({}, "cfg", tmp_path)
    assert apply_flags(default, parser.parse_args(["--preview", "x.py"])).selection.preview is True


def test_preview_must_be_a_boolean(tmp_path):
    with pytest.raises(ConfigError, match="'preview' must be true or false"):
        settings_from_table({"preview": "yes"}, "cfg", tmp_path)


def test_confidence_survives_the_cache_and_preview_is_part_of_its_key(tmp_path):
    selection = Selection(preview=True)
    result = lint_text(SOURCE, "m.py", selection, checks=(_DivisionsByCall(),))
    cache = ResultCache(tmp_path, selection)
    cache.put("m.py", cache.entry_name("m.py", SOURCE.encode()), result)
    restored = cache.get("m.py", SOURCE.encode())
    assert [f.confidence for f in restored.findings] == [Confidence.CONSTRUCTION, Confidence.PLAUSIBLE]
    assert ResultCache(tmp_path, Selection()).get("m.py", SOURCE.encode()) is None


def test_a_finding_is_as_sure_as_its_least_sure_fact():
    assert Confidence.weakest(Confidence.CONSTRUCTION, Confidence.PLAUSIBLE) is Confidence.PLAUSIBLE
    assert Confidence.weakest(Confidence.PLAUSIBLE, Confidence.IMPROBABLE) is Confidence.IMPROBABLE
    assert Confidence.weakest(Confidence.CONSTRUCTION) is Confidence.CONSTRUCTION
    assert not Selection().shows(Confidence.IMPROBABLE) and Selection(preview=True).shows(Confidence.IMPROBABLE)


def test_promote_makes_a_confirmed_preview_finding_a_default_one():
    plausible = lint_text(SOURCE, "m.py", Selection(preview=True), checks=(_DivisionsByCall(),)).findings[1]
    promoted = promote(plausible, Verdict("confirmed", "NaN gradient at w = 0"))
    assert Selection().shows(promoted.confidence) and not Selection().shows(plausible.confidence)
    assert promoted.verdict.status == "confirmed" and promoted.extra["promoted_from"] == "plausible"


def test_parser_default_leaves_the_config_alone():
    args = build_parser().parse_args([])
    assert isinstance(args, argparse.Namespace) and args.preview is None
