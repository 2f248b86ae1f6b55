"""`nanlint rule CODE`, `nanlint rule --all`, and their JSON form."""

from __future__ import annotations

import json

from nanlint.catalog import load_catalog


def test_rule_page_has_ruff_sections(run_cli):
    code, out, _ = run_cli("rule", "NAN001")
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## What it does", "## Why is this bad?"]
    for heading in ("## Example", "## Use instead", "## Fix safety"):
        assert heading in headings
    assert "-87.5" in out  # the measured trigger


def test_rule_code_is_case_insensitive_and_unknown_is_exit_2(run_cli):
    assert run_cli("rule", "nan001")[0] == 0
    code, out, err = run_cli("rule", "NAN777")
    assert code == 2 and "NAN777" in err and out == ""


def test_rule_all_lists_every_catalog_entry(run_cli):
    _, out, _ = run_cli("rule", "--all")
    for code in load_catalog():
        assert f"({code})" in out


def test_rule_markdown_table_has_one_row_per_catalog_entry(run_cli):
    _, out, _ = run_cli("rule", "--all", "--output-format", "markdown")
    lines = out.splitlines()
    assert lines[0] == "| Code | Name | What it flags | Fails in | Fix | Runtime check |"
    rows = [line.split(" | ")[:2] for line in lines[2:]]
    assert rows == [[f"| {code}", rule.name] for code, rule in load_catalog().items()]
    first = load_catalog()["NAN001"]  # a rule with fixes and a runtime check: both columns say which
    assert lines[2].endswith(f"| {first.fix_availability} ({first.fix_applicability}) | {first.runtime_check} |")


def test_rule_json_for_tools(run_cli):
    _, out, _ = run_cli("rule", "--all", "--output-format", "json")
    rules = json.loads(out)
    assert {rule["code"] for rule in rules} == set(load_catalog())
    single = json.loads(run_cli("rule", "NAN001", "--output-format", "json")[1])
    assert single["code"] == "NAN001" and single["bad"][0]["lines"]


def test_rule_page_names_the_mechanisms_checked_their_own_way(run_cli):
    code, out, _ = run_cli("rule", "NAN002")
    assert code == 0
    assert "Mechanisms checked their own way:\n- trainable-divisor: none (the variable reaches 0 only if" in out
