"""Formatters turn findings into text; they never decide anything about them."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from nanlint.finding import Finding

Formatter = Callable[[Sequence[Finding], TextIO], None]


def _concise(findings: Sequence[Finding], out: TextIO) -> None:
    for f in findings:
        out.write(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}{_verdict_suffix(f)}\n")


def _verdict_suffix(finding: Finding) -> str:
    if finding.verdict is None:
        return ""
    return f" [verify: {finding.verdict.status}: {finding.verdict.detail}]"




def _lazy(module: str, name: str) -> Formatter:
    def formatter(findings: Sequence[Finding], out: TextIO) -> None:
        import importlib

        getattr(importlib.import_module(module), name)(findings, out)

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


def write_statistics(findings: Sequence[Finding], out: TextIO) -> None:
    counts = Counter(f.code for f in findings)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>5}\t{code}\n")


def write_report(findings: Sequence[Finding], output_format: str, output_file: str | None, statistics: bool = False) -> None:
    out = open(output_file, "w", encoding="utf-8") if output_file else sys.stdout
    try:
        if statistics and output_format == "concise":
            write_statistics(findings, out)
        else:
            FORMATTERS[output_format](findings, out)
            if statistics:
                write_statistics(findings, sys.stderr if not output_file else out)
    finally:
        if output_file:
            out.close()
        else:
            out.flush()
