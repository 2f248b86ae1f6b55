"""ruff-style `full` output: the location, the source line with a caret under the finding, the fix hint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from nanlint.finding import Finding
from nanlint.formatters import Paint


def write_full(findings: Sequence[Finding], out: TextIO, color: bool = False) -> None:
    paint = Paint(color)
    for finding in findings:
        out.write(f"{paint.location(finding)} {paint.code(finding.code)} {finding.message}\n")
        if finding.source_line:
            gutter = f"{finding.line} | "
            out.write(f"  {gutter}{finding.source_line.rstrip()}\n")
            width = finding.end_col - finding.col if finding.end_line == finding.line else 1
            out.write(f"  {' ' * (len(gutter) - 2)}| {' ' * (finding.col - 1)}{'^' * max(1, width)}\n")
        if finding.fix is not None:
            safety = "safe" if finding.fix.safe else "unsafe"
            out.write(f"  = help: {finding.fix.description} ({safety} fix)\n")
        if finding.verdict is not None:
            out.write(f"  = verify: {finding.verdict.status}: {finding.verdict.detail}\n")
        out.write("\n")
