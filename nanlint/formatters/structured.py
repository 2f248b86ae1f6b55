"""JSON and JSON-lines: one object per finding, stable field names for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from nanlint.finding import Finding, fingerprint


def finding_to_dict(finding: Finding) -> dict:
    data = {
        "code": finding.code,
        "message": finding.message,
        "filename": finding.path,
        "location": {"row": finding.line, "column": finding.col},
        "end_location": {"row": finding.end_line, "column": finding.end_col},
        "fingerprint": fingerprint(finding),
        "fix": None,
        "verdict": None,
        "preview": finding.preview,
    }
    if finding.fix is not None:
        data["fix"] = {"message": finding.fix.description, "replacement": finding.fix.replacement,
                       "applicability": "safe" if finding.fix.safe else "unsafe"}
    if finding.verdict is not None:
        data["verdict"] = {"status": finding.verdict.status, "detail": finding.verdict.detail,
                           "seconds": round(finding.verdict.seconds, 3), "reproducer": finding.verdict.reproducer}
    return data


def write_json(findings: Sequence[Finding], out: TextIO) -> None:
    json.dump([finding_to_dict(f) for f in findings], out, indent=2)
    out.write("\n")


def write_json_lines(findings: Sequence[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding_to_dict(finding)) + "\n")
