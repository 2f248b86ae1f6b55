"""JSON and JSON-lines: one object per finding, stable field names for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from nanlint.finding import Finding, Verdict, fingerprint


def finding_to_dict(finding: Finding) -> dict:
    data: dict[str, object] = {
        "code": finding.code,
        "message": finding.message,
        "filename": finding.path,
        "cell": finding.cell,  # notebooks: the cell that `location` counts in (ruff's field); else null
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
        data["verdict"] = verdict_to_dict(finding.verdict)
    return data


def verdict_to_dict(verdict: Verdict) -> dict:
    """Expression verdicts carry phase/op/witness, training verdicts their trials (loss curves); every key is
    present in every verdict (null / empty when it does not apply) so that readers need no guessing."""
    return {
        "status": verdict.status, "detail": verdict.detail, "seconds": round(verdict.seconds, 3),
        "reproducer": verdict.reproducer, "recipe": verdict.recipe, "reason": verdict.reason,
        "phase": verdict.phase, "op": verdict.op,
        "witness": None if verdict.witness is None else {"repr": verdict.witness.repr, "data": verdict.witness.data},
        "trials": [{"setup": t.setup, "variant": t.variant, "loss": list(t.loss), "grad_norm": list(t.grad_norm),
                    "nonfinite_step": t.nonfinite_step} for t in verdict.trials],
    }


def write_json(findings: Sequence[Finding], out: TextIO) -> None:
    json.dump([finding_to_dict(f) for f in findings], out, indent=2)
    out.write("\n")


def write_json_lines(findings: Sequence[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding_to_dict(finding)) + "\n")
