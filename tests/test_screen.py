"""The screen before libcst (nanlint/screen.py) skips only files in which no check can report anything."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from nanlint.analysis.module import ModuleAnalysis
from nanlint.catalog import load_catalog
from nanlint.checks import Check, Report
from nanlint.finding import SYNTAX_ERROR, UNUSED_NOQA
from nanlint.linter import lint_text, mentions_framework
from nanlint.screen import may_report
from nanlint.selection import Selection

ROOT = Path(__file__).resolve().parent.parent
EVERYTHING = Selection(preview=True)


def _skipped(text: str) -> bool:
    return not may_report(ast.parse(text), text)


def _rules_examples() -> Iterator[tuple[str, str, str]]:
    for code, rule in sorted(load_catalog().items()):
        if rule.meta:
            continue
        for index, example in enumerate(rule.bad):
            yield f"{code}-bad{index}", "bad", example.code
        for index, example in enumerate(rule.good):
            yield f"{code}-good{index}", "good", example.code


@pytest.mark.parametrize(("name", "kind", "code"), list(_rules_examples()), ids=lambda value: str(value)[:30])
def test_catalog_examples(name: str, kind: str, code: str) -> None:
    if kind == "bad":
        assert not _skipped(code), f"{name}: the screen skips a bad example of its rule"
    elif _skipped(code):
        assert lint_text(code, "example.py", EVERYTHING, screen=False).findings == ()


def _real_files() -> list[Path]:
    return sorted([*ROOT.glob("bench/bugs/*/*.py"), *ROOT.glob("fixtures/**/*.py"),
                   *ROOT.glob("tests/fixtures_verify/*.py")])


def test_real_cases_skipped_only_without_findings() -> None:
    """Every bench/bugs case (bug and fix) and fixture the screen skips yields nothing when linted without it."""
    files = _real_files()
    assert len(files) > 300
    skipped = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        if mentions_framework(text) and not may_report(tree, text):
            skipped += 1
            assert lint_text(text, str(path), EVERYTHING, screen=False).findings == (), path
    assert skipped < len(files) / 10  # these are NaN bugs: nearly all have something to look at


def test_file_without_anchors_is_not_parsed() -> None:
    text = "import tensorflow as tf\n\n\ndef scale(x):\n    return tf.reshape(x, [-1]) + 1\n"
    assert not _skipped(text)  # reshape is an operation of the table
    plain = "import tensorflow as tf\n\n\ndef config(x):\n    return {'size': x * 2, 'name': str(x)}\n"
    result = lint_text(plain, "m.py")
    assert result.findings == () and result.parsed is False
    assert lint_text(plain, "m.py", screen=False).parsed is True


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\nloss = tf.math.log(p)\n",
    "from tensorflow.math import log as L\ny = L(p)\n",
    "import tensorflow as tf\ny = a / b\n",
    "import tensorflow as tf\na /= b\n",
    "import tensorflow as tf\ny = a ** 0.5\n",
    "import numpy as np\nimport keras\ny = x.std()\n",
    "from tensorflow import keras\nm = keras.Sequential([])\n",
    "import tensorflow as tf\nclass M(tf.keras.Model):\n    pass\n",
    "class M(keras.Model):  # tensorflow, no import: the analysis reads the base as written\n    pass\n",
    "import tensorflow as tf\nopt = tf.train.AdamOptimizer(1e-3)\n",
    "import tensorflow as tf\nl = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)\n",
    "import keras\ndef loss(y_pred, y_true):\n    return y_pred\n",
    "import keras\ndef f(fn, y_pred, y_true):\n    return fn(y_pred, y_true)\n",
    "import tensorflow as tf\nimport numpy as np\nmasked = mask * -np.inf\n",
    "import tensorflow as tf\nx = 1  # noqa: NAN001\n",
])
def test_anchors_keep_the_file(text: str) -> None:
    assert not _skipped(text)


def test_an_import_after_the_call_still_counts() -> None:
    """The analysis resolves a call with the imports above it; a name imported twice may mean either."""
    text = "import tensorflow as tf\n\n\ndef f(p):\n    return log(p)\n\n\nfrom tensorflow.math import log\n"
    assert not _skipped(text)


def test_unused_noqa_is_still_reported() -> None:
    text = "import tensorflow as tf\nx = 1  # noqa: NAN001\n"
    findings = lint_text(text, "m.py").findings
    assert [finding.code for finding in findings] == [UNUSED_NOQA]
    assert findings == lint_text(text, "m.py", screen=False).findings


class _EveryCall(Check):
    code = "NAN001"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls:
            yield Report(call.node, "a call")


def test_callers_own_checks_see_every_file() -> None:
    """The screen knows the built-in checks only: given other checks, the linter parses every file."""
    text = "import tensorflow as tf\n\n\ndef config(x):\n    return str(x)\n"
    assert _skipped(text)
    assert len(lint_text(text, "m.py", checks=(_EveryCall(),)).findings) == 1


def test_unparsable_file_is_reported_not_screened() -> None:
    text = "import tensorflow as tf\ndef f(:\n"
    assert [finding.code for finding in lint_text(text, "m.py").findings] == [SYNTAX_ERROR]
