"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from nanlint.finding import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(findings: Sequence[Finding], out: TextIO) -> None:
    for f in findings:
        message = f.message
        if f.verdict is not None:
            message += f" [verify: {f.verdict.status}: {f.verdict.detail}]"
        title = f"nanlint ({f.code})"
        line, col, end_line, end_col = f.line, f.col, f.end_line, f.end_col
        if f.cell is not None:
            # The annotation must point into the real .ipynb file: its JSON line; the cell goes in the title.
            title += f" {f.location}:{f.line}:{f.col}"
            if f.file_region is not None:
                line, col, end_line, end_col = f.file_region
        properties = ",".join(
            [
                f"title={_escape_property(title)}",
                f"file={_escape_property(f.path)}",
                f"line={line}",
                f"col={col}",
                f"endLine={end_line}",
                f"endColumn={end_col}",
            ]
        )
        out.write(f"::error {properties}::{_escape_data(f'{f.code} {message}')}\n")
