"""`--fix` (safe fixes), `--unsafe-fixes` (also fixes that change results), `--diff` (print, write nothing),
`--show-fixes`. A check attaches a `Fix` (replacement text for the finding's source range) to its report;
this module applies them from the end of each file backwards, refuses a result that does not parse, and
writes through nanlint.source (encoding, BOM, newlines, mode and symlinks kept; atomic). A file that cannot
be written keeps its findings and gets a NAN904 finding saying why. Applying twice changes nothing: a fixed
line no longer produces the finding."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import sys

from nanlint.finding import WRITE_ERROR, FileResult, Finding
from nanlint.source import SourceError, read_source, write_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true", help="apply safe fixes")
    group.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that can change results")
    group.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    group.add_argument("--show-fixes", action="store_true", help="list the fixes that were applied")


def _offset(lines: list[str], line: int, col: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + col - 1


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """The text with non-overlapping fixes applied (last first), and the findings that were fixed. A line break
    in a replacement takes the file's own newline (CRLF stays CRLF)."""
    lines = text.splitlines(keepends=True)
    newline = next((line[len(line.rstrip("\r\n")):] for line in lines if line.endswith(("\n", "\r"))), "\n")
    applied: list[Finding] = []
    end_of_previous = len(text) + 1
    for finding in sorted(findings, key=lambda f: (f.line, f.col), reverse=True):
        start = _offset(lines, finding.line, finding.col)
        end = _offset(lines, finding.end_line, finding.end_col)
        if end > end_of_previous:  # overlaps a fix already applied further down: leave it for the next run
            continue
        text = text[:start] + finding.fix.replacement.replace("\n", newline) + text[end:]
        end_of_previous = start
        applied.append(finding)
    return text, applied


def process_results(results, args, settings):
    if not (args.fix or args.unsafe_fixes or args.diff):
        return results
    import libcst as cst

    allowed = (lambda fix: True) if args.unsafe_fixes else (lambda fix: fix.safe)
    out = []
    for result in results:
        fixable = [f for f in result.findings if f.fix is not None and allowed(f.fix)]
        # Only files: text that came from stdin has no file to write (real_path None), and a notebook's
        # findings are positioned in its cells, not in the JSON on disk.
        if not fixable or result.real_path is None or result.path.endswith(".ipynb"):
            out.append(result)
            continue
        try:
            current = read_source(result.real_path)
        except SourceError as error:
            out.append(not_written(result, str(error)))
            continue
        if result.source is not None and current.text != result.source:  # None: answered from the cache
            out.append(not_written(result, "the file changed on disk since it was linted; left unchanged"))
            continue
        fixed_text, applied = apply_fixes(current.text, fixable)
        try:
            cst.parse_module(fixed_text)
        except cst.ParserSyntaxError:
            print(f"nanlint: {result.path}: the fixes would not parse; nothing applied", file=sys.stderr)
            out.append(result)
            continue
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                current.text.splitlines(keepends=True), fixed_text.splitlines(keepends=True),
                fromfile=f"a/{result.path}", tofile=f"b/{result.path}"))
        else:
            try:
                write_source(result.real_path, fixed_text, current)
            except SourceError as error:
                out.append(not_written(result, str(error)))
                continue
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


def not_written(result: FileResult, reason: str, what: str = "fixes") -> FileResult:
    """The result with its findings kept (nothing was changed) and a NAN904 finding saying why."""
    finding = Finding(WRITE_ERROR, f"{what} not written: {reason}", result.path, 1, 1, 1, 1)
    return dataclasses.replace(result, findings=(finding, *result.findings))
