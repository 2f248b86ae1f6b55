"""SARIF 2.1.0 for GitHub code scanning.

`partialFingerprints.primaryLocationLineHash` is nanlint's fingerprint (code + normalized statement +
enclosing function), so an alert keeps its identity when unrelated lines above it move.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from nanlint import __version__
from nanlint.catalog import Rule, load_catalog
from nanlint.finding import Finding, fingerprint

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """Repository-relative (to the current directory) POSIX path, as code scanning expects."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return Path(os.path.normpath(candidate)).as_posix()


def _rule_entry(rule: Rule) -> dict:
    help_text = f"{rule.what}\n\nWhy is this bad?\n{rule.why}\n\nUse instead:\n{rule.use_instead}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": _LEVELS.get(rule.severity, "error")},
        "properties": {"fails": rule.fails, "trigger": rule.trigger},
    }


def build_sarif(findings: Sequence[Finding]) -> dict:
    catalog = load_catalog()
    rules = [_rule_entry(rule) for rule in catalog.values()]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for f in findings:
        rule = catalog.get(f.code)
        line, col, end_line, end_col = f.file_region or (f.line, f.col, f.end_line, f.end_col)
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": index.get(f.code, -1),
            "level": _LEVELS.get(rule.severity if rule else "error", "error"),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        },
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint(f)},
        }
        if f.code not in index:  # a code outside the catalog has no rule entry to point at
            del result["ruleIndex"]
        properties: dict[str, object] = {}
        if f.cell is not None:
            # The region is in the .ipynb file's JSON text (what code scanning shows); the cell and the
            # position inside it are kept here (ruff's `notebook.ipynb:cell N:line:col`).
            properties.update(cell=f.cell, cellLine=f.line, cellColumn=f.col, cellEndLine=f.end_line,
                              cellEndColumn=f.end_col)
        if f.verdict is not None:
            properties.update({
                "verdict": f.verdict.status,
                "verdictDetail": f.verdict.detail,
                "verdictSeconds": round(f.verdict.seconds, 3),
            })
            if f.verdict.reproducer:
                properties["reproducer"] = f.verdict.reproducer
        if properties:
            result["properties"] = properties
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nanlint",
                        "version": __version__,
                        "informationUri": "https://github.com/nanlint/nanlint",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def write_sarif(findings: Sequence[Finding], out: TextIO) -> None:
    json.dump(build_sarif(findings), out, indent=2)
    out.write("\n")
