"""The README stays true: its rule table lists the catalog, its demo command works."""

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


def test_rule_table_lists_every_catalog_code_with_its_name():
    rows = dict(re.findall(r"^\| (NAN\d{3}) \| ([a-z0-9-]+) \|", README, re.M))
    assert rows == {code: rule.name for code, rule in load_catalog().items()}


def test_demo_command_reports_the_bad_fixtures_only():
    result = run_subprocess("fixtures/", cwd=ROOT)
    assert result.returncode == 1
    paths = {line.split(":")[0] for line in result.stdout.decode().splitlines()}
    assert paths and all(path.endswith("_bad.py") for path in paths)
