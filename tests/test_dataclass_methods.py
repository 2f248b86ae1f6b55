"""The command line compiles the methods `@dataclass` writes once and reads them back on later runs
(nanlint.dataclass_methods). Each run is a fresh interpreter with its own bytecode prefix: the test process has
defined its dataclasses already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BUGGY = "import tensorflow as tf\n\n\ndef loss(x):\n    return tf.math.log(tf.sigmoid(x))\n"

# Lints a file in-process the way `nanlint FILE` does, then prints the report and what the table did.
LINT_AND_REPORT = textwrap.dedent("""\
    import contextlib, dataclasses, io, json, sys
    from nanlint import cli
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["--isolated", "--no-cache", sys.argv[1]])
    methods = dataclasses.exec.__self__
    print(json.dumps({"status": status, "report": out.getvalue(), "compiled": methods.compiled,
                      "from_table": len(methods.used), "table": str(methods.table)}))
    """)


def run(code: str, *arguments: str, prefix: Path, write_bytecode: bool = True) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, timeout=120,
                         env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def buggy(tmp_path: Path) -> Path:
    path = tmp_path / "buggy.py"
    path.write_text(BUGGY)
    return path


def test_a_second_run_compiles_nothing_and_reports_the_same(tmp_path: Path, buggy: Path) -> None:
    first = run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache")
    assert first["compiled"] and Path(first["table"]).is_file()
    assert str(tmp_path / "pycache") in first["table"]  # beside the bytecode, under the prefix
    second = run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache")
    assert not second["compiled"] and second["from_table"] > 500  # libcst's and nanlint's classes
    assert (second["status"], second["report"]) == (first["status"], first["report"])
    assert second["status"] == 1 and "NAN001" in second["report"]


def test_an_unreadable_table_is_ignored_and_replaced(tmp_path: Path, buggy: Path) -> None:
    first = run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache")
    table = Path(first["table"])
    table.write_bytes(b"\x00not marshal")
    again = run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache")
    assert again["compiled"] and again["report"] == first["report"]
    assert not run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache")["compiled"]


def test_no_table_is_written_where_python_writes_no_bytecode(tmp_path: Path, buggy: Path) -> None:
    result = run(LINT_AND_REPORT, str(buggy), prefix=tmp_path / "pycache", write_bytecode=False)
    assert result["compiled"] and not Path(result["table"]).exists()


def test_classes_made_from_the_table_behave_as_dataclasses_do(tmp_path: Path) -> None:
    code = textwrap.dedent("""\
        import dataclasses, json
        from nanlint import dataclass_methods
        dataclass_methods.install()

        @dataclasses.dataclass(frozen=True)
        class Point:
            x: int
            y: int = 2

        p = Point(1)
        try:
            p.x = 3
            frozen = False
        except dataclasses.FrozenInstanceError:
            frozen = True
        print(json.dumps({"repr": repr(p), "eq": p == Point(1, 2), "ne": p != Point(1, 3),
                          "hash": hash(p) == hash(Point(1, 2)), "frozen": frozen,
                          "compiled": dataclasses.exec.__self__.compiled}))
        """)
    for _ in range(2):  # compiled, then read from the table
        result = run(code, prefix=tmp_path / "pycache")
        assert {k: v for k, v in result.items() if k != "compiled"} == {
            "repr": "Point(x=1, y=2)", "eq": True, "ne": True, "hash": True, "frozen": True}
    assert not result["compiled"]
