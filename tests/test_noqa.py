"""`# noqa` with flake8's meaning."""

from __future__ import annotations

import pytest

from nanlint.linter import lint_text
from nanlint.suppression import parse_noqa

HEADER = "import tensorflow as tf\n"


def _lines(body: str) -> list[int]:
    return [f.line for f in lint_text(HEADER + body, "m.py").findings if f.code == "NAN001"]


@pytest.mark.parametrize(
    "comment",
    ["# noqa", "# NOQA", "# noqa: NAN001", "# noqa:NAN001", "# noqa: NAN", "# noqa: E501, NAN001",
     "# noqa: nan001", "# noqa: E501 NAN0"],
)
def test_noqa_forms_that_silence(comment):
    assert _lines(f"y = tf.math.log(tf.sigmoid(x))  {comment}\n") == []


@pytest.mark.parametrize("comment", ["# noqa: E501", "# noqa: NAN002", "# no qa", "#noqa", "# noqa: NAN0011"])
def test_noqa_forms_that_do_not_silence(comment):
    assert _lines(f"y = tf.math.log(tf.sigmoid(x))  {comment}\n") == [2]


def test_noqa_on_any_line_of_a_multi_line_statement():
    body = "y = tf.math.log(\n    tf.sigmoid(x)\n)  # noqa: NAN001\n"
    assert _lines(body) == []
    body = "y = tf.math.log(  # noqa\n    tf.sigmoid(x)\n)\n"
    assert _lines(body) == []


def test_noqa_on_another_statement_does_not_leak():
    body = "a = 1  # noqa\ny = tf.math.log(tf.sigmoid(x))\n"
    assert _lines(body) == [3]


def test_suppressed_findings_are_kept_with_their_comment():
    result = lint_text(HEADER + "y = tf.math.log(tf.sigmoid(x))  # noqa: NAN001\n", "m.py")
    [(finding, noqa)] = result.suppressed
    assert finding.code == "NAN001" and noqa.line == 2 and noqa.codes == ("NAN001",)


def test_parse_noqa():
    assert parse_noqa("x = 1", 1) is None
    assert parse_noqa("x = 1  # noqa", 1).codes is None
    assert parse_noqa("x = 1  # noqa: NAN001,NAN002", 1).codes == ("NAN001", "NAN002")


def test_unused_noqa_is_reported_for_nanlint_codes_only():
    body = ("a = tf.math.log_sigmoid(x)  # noqa: NAN001, E501\n"
            "b = tf.math.log(tf.sigmoid(x))  # noqa: NAN001, NAN002\n"
            "c = 1  # noqa\n")
    unused = [(f.line, f.message) for f in lint_text(HEADER + body, "m.py").findings if f.code == "NAN902"]
    assert unused == [(2, "unused noqa: nothing on this line is reported as NAN001"),
                      (3, "unused noqa: nothing on this line is reported as NAN002")]


def test_unused_noqa_ignores_codes_that_are_not_selected():
    from nanlint.selection import Selection

    body = "a = tf.math.log_sigmoid(x)  # noqa: NAN001\n"
    result = lint_text(HEADER + body, "m.py", Selection(select=("NAN9",)))
    assert [f.code for f in result.findings] == []
