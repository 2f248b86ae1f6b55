"""The README stays true: the codes it names exist, its commands work."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_subprocess

from nanlint.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_newcomer_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    commands = [line for line in blocks[0].splitlines() if line and not line.startswith("#")]
    assert commands == ['pip install -e ".[verify]" && nanlint verify fixtures/',
                        'pip install ".[test,verify]" && pytest']
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install --quiet ".[test,verify]"' in ci and "\npytest -q" in ci
    # the type checker and the complexity limit run in CI, before the tests
    assert ci.index("python -m mypy") < ci.index("ruff check .") < ci.index("\npytest -q")


def test_every_rule_code_and_name_the_docs_mention_exists():
    """The README and docs/ carry no copy of the catalog (`nanlint rule --all` prints it), so adding a rule edits
    none of them; what they do mention (codes in examples, rule names) must still be real."""
    catalog = load_catalog()
    names = {rule.name for rule in catalog.values()}
    for path in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        codes = set(re.findall(r"\bNAN\d{3}\b", text))
        assert codes and codes <= set(catalog), f"{path.name} names codes not in the catalog: {codes - set(catalog)}"
        for name in re.findall(r"`nanlint rule ([a-z][a-z0-9-]+)", text):
            assert name in names, f"{path.name}: `nanlint rule {name}` names no rule"


def test_demo_command_reports_the_bad_fixtures_only():
    result = run_subprocess("fixtures/", cwd=ROOT)
    assert result.returncode == 1
    paths = {line.split(":")[0] for line in result.stdout.decode().splitlines()}
    assert paths and all(path.endswith("_bad.py") for path in paths)
