"""The bundled fixtures carry their expectations as `# expect: CODE[, CODE]` comments.

For every code that exists in the catalog, the findings on a fixture are exactly its annotations;
`*_fixed.py` files have no findings at all. `# hazard:` comments mark hazards no rule covers yet.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from nanlint.catalog import load_catalog
from nanlint.linter import lint_text
from nanlint.selection import Selection

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
ALL = Selection(select=("ALL",))


def _expected(text: str) -> Counter:
    expected: Counter = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group("codes").split(","):
                expected[(number, code.strip())] += 1
    return expected


FILES = sorted(FIXTURES.rglob("*.py"))


def test_there_are_bad_and_fixed_fixtures():
    assert any(p.name.endswith("_bad.py") for p in FILES) and any(p.name.endswith("_fixed.py") for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_annotations(path):
    text = path.read_text(encoding="utf-8")
    known = set(load_catalog())
    reported = Counter((f.line, f.code) for f in lint_text(text, str(path), ALL).findings)
    expected = Counter({key: n for key, n in _expected(text).items() if key[1] in known})
    if path.name.endswith("_fixed.py"):
        assert not expected, "a fixed fixture must not expect findings"
    assert reported == expected
