"""Formatters turn findings into text; they never decide anything about them."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from nanlint.finding import Finding

Formatter = Callable[[Sequence[Finding], TextIO], None]


def _concise(findings: Sequence[Finding], out: TextIO, color: bool = False) -> None:
    paint = Paint(color)
    for f in findings:
        out.write(f"{paint.location(f)} {paint.code(f.code)} {f.message}{_verdict_suffix(f)}\n")


def _verdict_suffix(finding: Finding) -> str:
    if finding.verdict is None:
        return ""
    return f" [verify: {finding.verdict.status}: {finding.verdict.detail}]"


class Paint:
    """ruff's colours: bold path, cyan separators, bold red code; plain text when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, text: str, style: str) -> str:
        return f"\033[{style}m{text}\033[0m" if self.enabled else text

    def location(self, f: Finding) -> str:
        colon = self._wrap(":", "36")
        return f"{self._wrap(f.location, '1')}{colon}{f.line}{colon}{f.col}{colon}"

    def code(self, code: str) -> str:
        return self._wrap(code, "1;31")


def _lazy(module: str, name: str) -> Formatter:
    def formatter(findings: Sequence[Finding], out: TextIO, **options: object) -> None:
        import importlib

        getattr(importlib.import_module(module), name)(findings, out, **options)

    return formatter


FORMATTERS: dict[str, Formatter] = {
    "concise": _concise,
    "full": _lazy("nanlint.formatters.full", "write_full"),
    "json": _lazy("nanlint.formatters.structured", "write_json"),
    "json-lines": _lazy("nanlint.formatters.structured", "write_json_lines"),
    "github": _lazy("nanlint.formatters.github", "write_github"),
    "sarif": _lazy("nanlint.formatters.sarif", "write_sarif"),
}
FORMATS = tuple(FORMATTERS)
# Formats written for people: they take `color=` and are followed by the CLI's summary.
HUMAN_FORMATS = ("concise", "full")


def write_statistics(findings: Sequence[Finding], out: TextIO) -> None:
    counts = Counter(f.code for f in findings)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>5}\t{code}\n")


def write_report(findings: Sequence[Finding], output_format: str, output_file: str | None, statistics: bool = False,
                 stream: TextIO | None = None, color: bool = False) -> None:
    out = open(output_file, "w", encoding="utf-8") if output_file else (stream or sys.stdout)
    options = {"color": color} if output_format in HUMAN_FORMATS else {}
    try:
        if statistics and output_format == "concise":
            write_statistics(findings, out)
        else:
            FORMATTERS[output_format](findings, out, **options)
            if statistics:
                write_statistics(findings, sys.stderr if not output_file else out)
    finally:
        if output_file:
            out.close()
        else:
            out.flush()
