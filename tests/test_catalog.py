"""Every example in the rule catalog runs as a test: bad ones are reported on exactly their lines,
good ones are not reported at all."""

from __future__ import annotations

import pytest

from nanlint.catalog import REQUIRED_KEYS, load_catalog
from nanlint.checks import all_checks
from nanlint.linter import lint_text
from nanlint.selection import Selection

CATALOG = load_catalog()
ALL = Selection(select=("ALL",))


def _cases(kind: str):
    for rule in CATALOG.values():
        for index, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule.code, example, id=f"{rule.code}-{kind}-{index}")


@pytest.mark.parametrize(("code", "example"), list(_cases("bad")))
def test_bad_example_is_reported_on_its_lines(code, example):
    result = lint_text(example.code, "example.py", ALL)
    lines = sorted(f.line for f in result.findings if f.code == code)
    assert lines == sorted(example.lines), [f"{f.line}: {f.code} {f.message}" for f in result.findings]


@pytest.mark.parametrize(("code", "example"), list(_cases("good")))
def test_good_example_is_not_reported(code, example):
    result = lint_text(example.code, "example.py", ALL)
    assert [f for f in result.findings if f.code == code] == []


def test_every_check_has_a_catalog_entry_with_examples():
    for check in all_checks():
        assert check.code in CATALOG, f"{check.code} has no rules/{check.code}.yaml"
        rule = CATALOG[check.code]
        assert rule.bad and rule.good, f"{check.code} needs bad and good examples"
        assert all(example.lines for example in rule.bad), f"{check.code}: every bad example names its lines"


def test_every_catalog_entry_is_complete_and_named_after_its_file():
    from importlib import resources

    names = {entry.name for entry in resources.files("nanlint.rules").iterdir() if entry.name.endswith(".yaml")}
    assert names == {f"{code}.yaml" for code in CATALOG}
    for rule in CATALOG.values():
        for key in REQUIRED_KEYS:
            assert getattr(rule, key if key != "examples" else "bad") is not None


def test_a_name_reassigned_from_itself_keeps_its_earlier_value():
    source = "import tensorflow as tf\np = tf.sigmoid(z)\np = tf.gather(p, indices)\nq = tf.math.log(p)\n"
    # tf.gather keeps the sigmoid's zeros (it selects entries), through the self-referencing assignment...
    assert [f.line for f in lint_text(source, "x.py", ALL).findings] == [4]
    source = "import tensorflow as tf\np = tf.sigmoid(z)\np = p[:, 0]\nq = tf.math.log(p)\n"
    # ...and so does a subscript.
    assert [f.line for f in lint_text(source, "x.py", ALL).findings] == [4]
    source = "import tensorflow as tf\np = tf.sigmoid(z)\np = tf.math.softplus(p)\nq = tf.math.log(p)\n"
    # an operation that is not followed leaves the value unknown: nothing is claimed.
    assert lint_text(source, "x.py", ALL).findings == ()


def _fixed_cases():
    for rule in CATALOG.values():
        for index, example in enumerate(rule.bad):
            if example.fixed is not None:
                yield pytest.param(rule.code, example, id=f"{rule.code}-fixed-{index}")


@pytest.mark.parametrize(("code", "example"), list(_fixed_cases()))
def test_applying_the_rules_fixes_to_a_bad_example_gives_its_fixed_code(code, example):
    from nanlint.fixes import apply_fixes

    fixable = [f for f in lint_text(example.code, "example.py", ALL).findings if f.code == code and f.fix]
    fixed, applied = apply_fixes(example.code, fixable)
    assert len(applied) == len(fixable) > 0
    assert fixed == example.fixed
    assert [f for f in lint_text(fixed, "example.py", ALL).findings if f.code == code] == []


# -- the catalog is the one source of a rule's facts: the code is held to it ----------------------------------


def test_known_codes_are_the_catalog_entries_and_need_no_check_import():
    import subprocess
    import sys

    from nanlint.catalog import known_codes

    assert known_codes() == set(CATALOG)
    probe = "import sys\nfrom nanlint.catalog import known_codes\nknown_codes()\nprint('libcst' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "False"


def test_meta_codes_are_exactly_the_codes_no_check_emits():
    from nanlint import finding, notebook
    from nanlint.catalog import meta_codes

    emitted_by_pipeline = {finding.SYNTAX_ERROR, finding.DECODE_ERROR, finding.UNUSED_NOQA, finding.INTERNAL_ERROR,
                           finding.WRITE_ERROR,
                           notebook.INVALID_NOTEBOOK}
    assert meta_codes() == emitted_by_pipeline
    assert {check.code for check in all_checks()} == set(CATALOG) - emitted_by_pipeline


def _findings_of_bad_examples(rule):
    for example in rule.bad:
        yield example, [f for f in lint_text(example.code, "example.py", ALL).findings if f.code == rule.code]


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_fix_availability_and_applicability_match_what_the_check_emits(code):
    rule = CATALOG[code]
    fixes = [f.fix for _, findings in _findings_of_bad_examples(rule) for f in findings if f.fix is not None]
    if rule.fix_availability == "never":
        assert fixes == [], f"{code} says it never fixes, but emits: {[fix.description for fix in fixes]}"
        return
    assert any(example.fixed is not None for example in rule.bad), f"{code} has fixes but no `fixed:` example"
    assert fixes, f"{code} says its fixes are available {rule.fix_availability}, but no bad example gets one"
    assert {fix.safe for fix in fixes} == {rule.fix_applicability == "safe"}, f"{code}: fix safety differs"
    if rule.fix_availability == "always":
        assert all(f.fix for _, findings in _findings_of_bad_examples(rule) for f in findings)


def test_every_runtime_check_named_in_the_catalog_exists():
    from nanlint.verify.recipes import NAMED, recipe_for

    for rule in CATALOG.values():
        if rule.runtime_check == "none":
            assert rule.runtime_check_why_not, f"{rule.code} has no runtime check and does not say why"
            assert recipe_for(rule.code) is None
        else:
            assert rule.runtime_check in NAMED, f"{rule.code}: no recipe named {rule.runtime_check!r}"
            assert recipe_for(rule.code) is NAMED[rule.runtime_check]
        for mechanism, recipe in rule.runtime_check_mechanisms:
            if recipe == "none":
                assert rule.why_no_runtime_check(mechanism) != rule.runtime_check_why_not
                assert recipe_for(rule.code, mechanism) is None
                continue
            assert recipe in NAMED, f"{rule.code} ({mechanism}): no recipe named {recipe!r}"
            assert recipe_for(rule.code, mechanism) is NAMED[recipe]


def test_each_check_lives_in_its_family_folder_under_its_catalog_name():
    """`ls nanlint/checks/operations` finds a rule by the name `nanlint rule` gives it."""
    from nanlint.checks import FAMILIES

    for check in all_checks():
        family, name = type(check).__module__.split(".")[-2:]
        rule = CATALOG[check.code]
        assert family == FAMILIES[check.code[3]], f"{check.code} belongs in nanlint/checks/{FAMILIES[check.code[3]]}/"
        assert name == rule.name.replace("-", "_"), f"{check.code}'s file should be {rule.name.replace('-', '_')}.py"


@pytest.mark.parametrize(("change", "complaint"), [
    ({"fix_availability": "often"}, "fix_availability must be one of"),
    ({"fix_availability": "sometimes"}, "fix_applicability"),
    ({"runtime_check": "none"}, "runtime_check_why_not"),
    ({"runtime_check": "expression", "runtime_check_why_not": "", "runtime_check_mechanisms": {"m": "none"}},
     "runtime_check_why_not_mechanisms"),
    ({"runtime_check": "expression", "runtime_check_why_not": "", "runtime_check_why_not_mechanisms": {"m": "because"}},
     "runtime_check_why_not_mechanisms"),
])
def test_a_catalog_entry_that_breaks_the_contract_is_a_clear_error(change, complaint):
    from nanlint.catalog import CatalogError, parse_rule

    data = {key: "x" for key in REQUIRED_KEYS} | {"code": "NAN998", "examples": {}} | change
    with pytest.raises(CatalogError, match=complaint):
        parse_rule(data, "NAN998.yaml")
