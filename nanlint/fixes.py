"""`--fix` (safe fixes), `--unsafe-fixes` (lets `--fix`/`--diff` also apply fixes that change results), `--diff`
(print, write nothing), `--show-fixes`. A check attaches a `Fix` (replacement text for the finding's source
range) to its report; this module applies them from the end of each file backwards, refuses a result that
does not parse, and writes through nanlint.source (encoding, BOM, newlines, mode and symlinks kept; atomic). A
file that cannot be written keeps its findings and gets a NAN904 finding saying why. Applying twice changes
nothing: a fixed line no longer produces the finding. Notebooks are fixed cell by cell; with standard input the
fixed source goes to stdout (as ruff does), never to the file named by `--stdin-filename`."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence

from nanlint.config import Settings
from nanlint.extensions import reads_stdin
from nanlint.finding import WRITE_ERROR, FileResult, Finding
from nanlint.source import SourceError, read_source, write_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true", help="apply safe fixes")
    group.add_argument("--unsafe-fixes", action="store_true",
                       help="let --fix and --diff also apply fixes that can change results")
    group.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff and write nothing; exit 1 if a diff or a finding remains")
    group.add_argument("--show-fixes", action="store_true",
                       help="list the fixes applied (with --fix/--diff) or available (without)")


@contextlib.contextmanager
def session(args: argparse.Namespace, settings: Settings) -> Iterator[Settings]:
    """Fixes printed or applied: files are parsed by libcst, whose tree prints a fix with the file's spacing
    (nanlint.parser_choice.libcst_parse)."""
    from nanlint.parser_choice import libcst_parse

    with libcst_parse(bool(args.fix or args.diff or args.show_fixes)):
        yield settings


class FixRefused(Exception):
    """The fixed text would not parse: nothing of the file is applied."""


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
        assert finding.fix is not None, "only findings with a fix are applied"
        text = text[:start] + finding.fix.replacement.replace("\n", newline) + text[end:]
        end_of_previous = start
        applied.append(finding)
    return text, applied


def parses(module_text: str) -> bool:
    """Whether an edited module still parses: no edit may leave a file that does not."""
    import libcst as cst

    try:
        cst.parse_module(module_text)
    except cst.ParserSyntaxError:
        return False
    return True


def fix_module(source: str, fixable: list[Finding]) -> tuple[str, list[Finding]]:
    fixed, applied = apply_fixes(source, fixable)
    if not parses(fixed):
        raise FixRefused
    return fixed, applied


def fix_notebook(text: str, fixable: list[Finding]) -> tuple[str, list[Finding], list[tuple[int, str, str]]]:
    """The notebook's new text, the findings fixed, and (cell, old source, new source) per changed cell."""
    from nanlint.notebook import mask, parse_notebook

    notebook = parse_notebook(text)
    if notebook is None:
        raise FixRefused
    per_cell: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in fixable:
        per_cell[finding.cell].append(finding)
    sources, applied, changes = {}, [], []
    for cell in notebook.cells:
        if cell.number in per_cell:
            sources[cell.number], done = apply_fixes(cell.source, per_cell[cell.number])
            applied.extend(done)
            changes.append((cell.number, cell.source, sources[cell.number]))
    if not parses("\n".join(mask(sources.get(cell.number, cell.source)) for cell in notebook.cells)):
        raise FixRefused
    return notebook.with_sources(sources), applied, changes


def _diff(old: str, new: str, name: str) -> list[str]:
    import difflib  # only --diff needs it; the CLI imports this module for its flags on every run

    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    # A last line without a newline (common in notebook cells) gets diff's marker, so the patch applies.
    return [line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines]


def _describe(finding: Finding) -> str:
    assert finding.fix is not None, "only findings with a fix are described"
    return f"{finding.location}:{finding.line}:{finding.col}: {finding.code} ({finding.fix.description})"


def process_results(results: list[FileResult], args: argparse.Namespace,
                    settings: Settings) -> list[FileResult]:
    if not (args.fix or args.diff):
        if getattr(args, "show_fixes", False):
            _list_available(results)
        return results
    stdin = reads_stdin(args)
    out = []
    for result in results:
        fixable = [f for f in result.findings if f.fix is not None and (f.fix.safe or args.unsafe_fixes)]
        if stdin:
            out.append(_fix_stdin(result, fixable, args))
        elif not fixable or result.real_path is None:
            out.append(result)
        else:
            out.append(_fix_file(result, result.real_path, fixable, args))
    return out


def _list_available(results: list[FileResult]) -> None:
    for finding in sorted((f for r in results for f in r.findings if f.fix is not None), key=lambda f: f.sort_key):
        needs = "--fix" if finding.fix and finding.fix.safe else "--fix --unsafe-fixes"
        print(f"nanlint: fix available with {needs}: {_describe(finding)}", file=sys.stderr)


def _fix_file(result: FileResult, real_path: str, fixable: list[Finding], args: argparse.Namespace) -> FileResult:
    """Apply (or with --diff, print) the fixes of one file on disk; a file that cannot be read or written, or
    that changed since it was linted, keeps its findings plus a NAN904 finding."""
    try:
        current = read_source(real_path)
    except SourceError as error:
        return not_written(result, str(error))
    if result.source is not None and current.text != result.source:  # the text the positions belong to
        return not_written(result, "the file changed on disk since it was linted; left unchanged")
    try:
        fixed_text, applied, changes = _fix(result.path, current.text, fixable)
    except FixRefused:
        print(f"nanlint: {result.path}: the fixes would not parse; nothing applied", file=sys.stderr)
        return result
    if args.diff:
        _print_diffs(result.path, changes)
    else:
        try:
            write_source(real_path, fixed_text, current)
        except SourceError as error:
            return not_written(result, str(error))
    _show(applied, args)
    return _after(result, applied)


def _fix(path: str, text: str, fixable: list[Finding]) -> tuple[str, list[Finding], Sequence[tuple[int | None, str, str]]]:
    if path.endswith(".ipynb"):
        return fix_notebook(text, fixable)
    fixed, applied = fix_module(text, fixable)
    return fixed, applied, [(None, text, fixed)]


def _fix_stdin(result: FileResult, fixable: list[Finding], args: argparse.Namespace) -> FileResult:
    """Standard input: the fixed source (or, with nothing to fix, the source as it came) goes to stdout, where
    an editor takes it to replace its buffer; with --diff, only the diff. Nothing is ever written to disk."""
    source = result.source
    if source is None:  # undecodable input: nothing we can print back as text
        return result
    try:
        fixed_text, applied, changes = _fix(result.path, source, fixable) if fixable else (source, [], [])
    except FixRefused:
        print(f"nanlint: {result.path}: the fixes would not parse; nothing applied", file=sys.stderr)
        fixed_text, applied, changes = source, [], []
    if args.diff:
        _print_diffs(result.path, changes)
    else:
        sys.stdout.write(fixed_text)
    _show(applied, args)
    return _after(result, applied)


def _print_diffs(path: str, changes: Sequence[tuple[int | None, str, str]]) -> None:
    for cell, old, new in changes:
        sys.stdout.writelines(_diff(old, new, path if cell is None else f"{path}:cell {cell}"))


def _show(applied: list[Finding], args: argparse.Namespace) -> None:
    if args.show_fixes:
        verb = "would fix" if args.diff else "fixed"
        for finding in sorted(applied, key=lambda f: f.sort_key):
            print(f"nanlint: {verb} {_describe(finding)}", file=sys.stderr)


def _after(result: FileResult, applied: list[Finding]) -> FileResult:
    if not applied:
        return result
    return dataclasses.replace(result, findings=tuple(f for f in result.findings if f not in applied),
                               fixed=tuple(applied))


def not_written(result: FileResult, reason: str, what: str = "fixes") -> FileResult:
    """The result with its findings kept (nothing was changed) and a NAN904 finding saying why."""
    finding = Finding(WRITE_ERROR, f"{what} not written: {reason}", result.path, 1, 1, 1, 1)
    return dataclasses.replace(result, findings=(finding, *result.findings))
