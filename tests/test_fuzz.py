"""Robustness: whatever bytes come in, the linter answers with one of its defined outcomes.

A defined outcome is a FileResult whose findings carry known codes, NAN900/NAN901 for input it cannot
read or parse, and never NAN999 or an exception. CI runs a small sample (few examples, no deadline);
bench/fuzz.py runs the same properties with many more examples.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanlint.catalog import known_codes, load_catalog
from nanlint.linter import INTERNAL_ERROR, FileResult, lint_bytes

# bench/fuzz.py sets NANLINT_FUZZ_EXAMPLES for the large, randomized run.
_EXAMPLES = int(os.environ.get("NANLINT_FUZZ_EXAMPLES", "0"))
CI = settings(max_examples=_EXAMPLES or 25, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=not _EXAMPLES)
HEADER = b"import tensorflow as tf\nfrom tensorflow import keras\n"


def real_sources() -> list[bytes]:
    """Real Keras/TF snippets (every catalog example) and real Python (nanlint's own modules)."""
    examples = [
        HEADER + example.code.encode()
        for rule in load_catalog().values()
        for example in (*rule.bad, *rule.good)
    ]
    package = Path(__file__).resolve().parents[1] / "nanlint"
    return examples + [HEADER + path.read_bytes() for path in sorted(package.rglob("*.py"))[:20]]


SOURCES = real_sources()


def assert_defined_outcome(data: bytes, path: str = "fuzz.py") -> FileResult:
    result = lint_bytes(data, path)  # an exception here fails the test
    codes = {finding.code for finding in result.findings}
    assert INTERNAL_ERROR not in codes, [f.message for f in result.findings]
    assert codes <= known_codes(), codes
    for finding in result.findings:
        assert finding.line >= 1 and finding.col >= 1 and finding.path == path
    return result


def mutate(data: bytes, kind: str, position: float, blob: bytes) -> bytes:
    cut = int(len(data) * position)
    return {
        "truncate": data[:cut],
        "insert": data[:cut] + blob + data[cut:],
        "overwrite": data[:cut] + blob + data[cut + len(blob):],
        "nul": data[:cut] + b"\x00" + data[cut:],
        "crlf": data.replace(b"\n", b"\r\n"),
        "cr": data.replace(b"\n", b"\r"),
        "bom": b"\xef\xbb\xbf" + data,
        "tabs": data.replace(b"    ", b"\t"),
        "mixed-tabs": data.replace(b"    ", b"  \t", 1),
        "form-feed": data.replace(b"\n", b"\n\x0c"),
        "latin1-cookie": b"# -*- coding: latin-1 -*-\n" + data + b"\n# caf\xe9\n",
        "bogus-cookie": b"# -*- coding: nonexistent -*-\n" + data,
        "no-final-newline": data.rstrip(b"\n"),
    }[kind]


KINDS = ["truncate", "insert", "overwrite", "nul", "crlf", "cr", "bom", "tabs", "mixed-tabs", "form-feed",
         "latin1-cookie", "bogus-cookie", "no-final-newline"]


@CI
@given(
    source=st.sampled_from(SOURCES),
    kind=st.sampled_from(KINDS),
    position=st.floats(0, 1),
    blob=st.binary(max_size=16) | st.sampled_from([b"(", b")", b"\\", b'"""', b":", b"\n    ", b"\xff", b"lambda"]),
)
def test_mutated_real_files(source, kind, position, blob):
    assert_defined_outcome(mutate(source, kind, position, blob))


@CI
@given(st.binary(max_size=512))
def test_random_bytes(data):
    assert_defined_outcome(data)
    assert_defined_outcome(HEADER + data)


@CI
@given(hypothesmith.from_grammar())
def test_generated_valid_python(code):
    result = assert_defined_outcome(HEADER + code.encode("utf-8", "surrogatepass"))
    # hypothesmith's grammar is a superset of what compiles, so NAN900 is allowed; nothing else is.
    assert all(f.code != "NAN901" for f in result.findings)


@CI
@given(hypothesmith.from_node())
def test_generated_module_trees(code):
    assert_defined_outcome(HEADER + code.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("kind", ["crlf", "cr", "bom", "tabs", "form-feed"])
def test_layout_changes_keep_the_findings(kind):
    source = HEADER + b"def f(z):\n    return tf.math.log(tf.sigmoid(z))\n"
    original = [(f.code, f.line) for f in assert_defined_outcome(source).findings]
    assert original == [("NAN001", 4)]
    assert [(f.code, f.line) for f in assert_defined_outcome(mutate(source, kind, 0, b"")).findings] == original


def test_nul_byte_and_undecodable_file_are_nan901():
    assert [f.code for f in assert_defined_outcome(HEADER + b"x = 1\x00\n").findings] == ["NAN901"]
    assert [f.code for f in assert_defined_outcome(HEADER + b"x = '\xff'\n").findings] == ["NAN901"]


def test_ten_megabyte_file():
    # 10 MB mostly in one string literal: the size path, at CI speed (bench/fuzz.py lints 10 MB of code).
    data = HEADER + b'DOC = """' + b"x" * 10_000_000 + b'"""\ny = tf.math.log(tf.sigmoid(x))\n'
    result = assert_defined_outcome(data)
    assert [(f.code, f.line) for f in result.findings] == [("NAN001", 4)]


# Inputs that Python itself rejects or accepts but that nest deeper than nanlint's layers can follow.
# Run in a subprocess: the first one kills the interpreter (a stack overflow in libcst's native parser).
DEEP = {
    "parentheses (CPython: SyntaxError)": "x = " + "(" * 5000 + "1" + ")" * 5000,
    "lambdas (CPython: MemoryError)": "x = " + "lambda: " * 4000 + "1",
    "1000-term sum (valid Python)": "x = " + "+".join(["a"] * 1000),
    "1000 nested calls (CPython: SyntaxError)": "x = " + "f(" * 1000 + ")" * 1000,
    "1000 unary minus (valid Python)": "x = " + "-" * 1000 + "1",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_a_defined_outcome(tmp_path, name):
    path = tmp_path / "deep.py"
    path.write_text("import tensorflow as tf\n" + DEEP[name] + "\n")
    done = subprocess.run([sys.executable, "-m", "nanlint", "--isolated", "--no-cache", "--output-format", "json",
                           str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), (done.returncode, done.stderr[-500:])
    assert "NAN999" not in done.stdout and "Traceback" not in done.stderr
