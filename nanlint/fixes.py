"""`--fix` (safe fixes), `--unsafe-fixes` (also fixes that change results), `--diff` (print, write nothing),
`--show-fixes`. A check attaches a `Fix` (replacement text for the finding's source range) to its report;
this module applies them from the end of each file backwards, refuses a result that does not parse, and
writes atomically. Applying twice changes nothing: a fixed line no longer produces the finding."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import sys
from pathlib import Path

from nanlint.baseline import write_atomically
from nanlint.finding import Finding


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true", help="apply safe fixes")
    group.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that can change results")
    group.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    group.add_argument("--show-fixes", action="store_true", help="list the fixes that were applied")


def _offset(lines: list[str], line: int, col: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + col - 1


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """The text with non-overlapping fixes applied (last first), and the findings that were fixed."""
    lines = text.splitlines(keepends=True)
    applied: list[Finding] = []
    end_of_previous = len(text) + 1
    for finding in sorted(findings, key=lambda f: (f.line, f.col), reverse=True):
        start = _offset(lines, finding.line, finding.col)
        end = _offset(lines, finding.end_line, finding.end_col)
        if end > end_of_previous:  # overlaps a fix already applied further down: leave it for the next run
            continue
        text = text[:start] + finding.fix.replacement + text[end:]
        end_of_previous = start
        applied.append(finding)
    return text, applied


def process_results(results, args, settings):
    if not (args.fix or args.unsafe_fixes or args.diff):
        return results
    import libcst as cst

    from nanlint.linter import decode

    allowed = (lambda fix: True) if args.unsafe_fixes else (lambda fix: fix.safe)
    out = []
    for result in results:
        fixable = [f for f in result.findings if f.fix is not None and allowed(f.fix)]
        path = Path(result.path)
        if not fixable or not path.is_file():
            out.append(result)
            continue
        source = result.source if result.source is not None else decode(path.read_bytes())  # a cache hit
        fixed_text, applied = apply_fixes(source, fixable)
        try:
            cst.parse_module(fixed_text)
        except cst.ParserSyntaxError:
            print(f"nanlint: {result.path}: the fixes would not parse; nothing applied", file=sys.stderr)
            out.append(result)
            continue
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                source.splitlines(keepends=True), fixed_text.splitlines(keepends=True),
                fromfile=f"a/{result.path}", tofile=f"b/{result.path}"))
        else:
            write_atomically(path, fixed_text)
        if args.show_fixes or not args.diff:
            for finding in sorted(applied, key=lambda f: f.sort_key):
                verb = "would fix" if args.diff else "fixed"
                print(f"nanlint: {verb} {finding.path}:{finding.line}:{finding.col}: {finding.code} "
                      f"({finding.fix.description})", file=sys.stderr)
        remaining = tuple(f for f in result.findings if f not in applied) if not args.diff else ()
        out.append(dataclasses.replace(result, findings=remaining))
    hidden = sum(1 for r in results for f in r.findings if f.fix is not None and not f.fix.safe) if not args.unsafe_fixes else 0
    if hidden:
        print(f"nanlint: {hidden} more fix(es) available with --unsafe-fixes", file=sys.stderr)
    return out
