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
        properties = ",".join(
            [
                f"title={_escape_property(f'nanlint ({f.code})')}",
                f"file={_escape_property(f.path)}",
                f"line={f.line}",
                f"col={f.col}",
                f"endLine={f.end_line}",
                f"endColumn={f.end_col}",
            ]
        )
        out.write(f"::error {properties}::{_escape_data(f'{f.code} {message}')}\n")
