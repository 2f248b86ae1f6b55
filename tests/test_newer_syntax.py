"""Files in newer Python than the one running nanlint are screened with libcst's grammar, not only the running
interpreter's: their findings are not lost to NAN900, and deep nesting in them is still refused before libcst's
native parser could overflow its stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nanlint.linter import lint_bytes
from nanlint.nesting import MAX_BRACKETS, too_deep

HEADER = "import tensorflow as tf\n"
HAZARD = "def loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"

NEWER = {
    "PEP 695 type statement (3.12)": "type Vector = list[float]\n",
    "PEP 695 generic function (3.12)": "def first[T](xs: list[T]) -> T:\n    return xs[0]\n",
    "PEP 695 generic class (3.12)": "class Box[T]:\n    item: T\n",
    "PEP 696 type parameter default (3.13)": "def f[T = int](x: T) -> T:\n    return x\n",
    "PEP 701 quotes inside an f-string (3.12)": 'label = f"{names["loss"]}"\n',
    "PEP 758 except without parentheses (3.14)": "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
}


@pytest.mark.parametrize("name", list(NEWER))
def test_newer_syntax_is_linted(name):
    source = HEADER + NEWER[name] + HAZARD
    result = lint_bytes(source.encode(), "m.py")
    assert [finding.code for finding in result.findings] == ["NAN001"], result.findings
    assert result.findings[0].line == source.count("\n")  # the last line


def test_a_real_syntax_error_keeps_pythons_message():
    result = lint_bytes((HEADER + "x = (1,\n" + HAZARD).encode(), "m.py")
    expected = [("NAN900", 2, "syntax error: '(' was never closed")]
    assert [(f.code, f.line, f.message) for f in result.findings] == expected


# Newer syntax first (CPython stops there), then nesting that would overflow or stall libcst's parser.
DEEP_AFTER_NEWER = {
    "1500 parentheses": "y = " + "(" * 1500 + "1" + ")" * 1500,
    "closers hidden in PEP 701 f-strings": "y = " + 'f"{")"}" + ' * 300 + "(" * 1500 + "1" + ")" * 1500,
    "f-string replacement fields": "y = " + 'f"{' * 250 + "1" + '}"' * 250,
    "20000 unary minus": "y = " + "-" * 20000 + "1",
    "unary minus over continued lines": "y = " + "- \\\n" * 5000 + "1",
    "3000 subscripts": "y = a" + "[1]" * 3000,
    "5000 lambdas": "y = " + "lambda: " * 5000 + "1",
}


@pytest.mark.parametrize("name", list(DEEP_AFTER_NEWER))
def test_deep_nesting_after_newer_syntax_is_refused_before_libcst(tmp_path, name):
    path = tmp_path / "deep.py"
    path.write_text(HEADER + "type X = int\n" + DEEP_AFTER_NEWER[name] + "\n" + HAZARD)
    # A subprocess: without the screen, the first of these kills the interpreter.
    done = subprocess.run([sys.executable, "-m", "nanlint", "--isolated", "--no-cache", "--output-format", "json",
                           str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    [finding] = json.loads(done.stdout)
    assert finding["code"] == "NAN900" and "too many" in finding["message"], finding


def test_the_screen_accepts_what_python_accepts():
    assert too_deep("y = " + "(" * MAX_BRACKETS + "1" + ")" * MAX_BRACKETS) is None
    assert too_deep("y = " + "(" * (MAX_BRACKETS + 1) + "1" + ")" * (MAX_BRACKETS + 1)).line == 1
    # brackets in strings and comments are not nesting
    assert too_deep("s = '" + "(" * 500 + "'\n# " + "[" * 500 + "\nt = '''\n" + "{" * 500 + "'''\n") is None
    assert too_deep("x = [" + ", ".join(["1.5"] * 5000) + "]\n") is None  # a long flat literal is fine
