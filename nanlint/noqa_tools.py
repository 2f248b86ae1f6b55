"""`--add-noqa`: silence every current finding in place, so a team can adopt nanlint and fix later.

Each statement with findings gets one `# noqa: CODES` comment, on a line of that statement (a noqa on any
line of a statement silences all of it, so one comment per statement is what makes the next run clean
without NAN902). An existing `# noqa: X` comment on the statement is merged (`# noqa: X, CODE`), a bare
`# noqa` is left alone. A line whose end lies inside a multi-line string or after a backslash cannot take a
comment; when no line of the statement can, it is skipped with a message. Notebooks get the comment in the
cell; standard input gets the commented source back on stdout. Files are rewritten through nanlint.source
(encoding, newlines, mode kept; atomic) and only if they still parse; one that cannot be written keeps its
findings plus a NAN904 finding saying why."""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import tokenize
from collections import defaultdict

from nanlint.config import Settings
from nanlint.extensions import no_session as session  # noqa: F401 - nothing to start before linting
from nanlint.extensions import reads_stdin
from nanlint.finding import DECODE_ERROR, INTERNAL_ERROR, SYNTAX_ERROR, WRITE_ERROR, FileResult, Finding
from nanlint.fixes import not_written, parses
from nanlint.source import SourceError, read_source, write_source
from nanlint.suppression import NOQA_INLINE

_NOT_SUPPRESSIBLE = (SYNTAX_ERROR, DECODE_ERROR, INTERNAL_ERROR, WRITE_ERROR)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument_group("suppression").add_argument(
        "--add-noqa", action="store_true", help="add `# noqa: CODE` to every statement with a finding, then exit 0")


class NoqaRefused(Exception):
    """The file cannot take the comments (not tokenizable, would not parse): left unchanged."""


def _lines_that_cannot_end_in_a_comment(text: str) -> set[int]:
    """Lines whose end lies inside a multi-line string, or that continue with a backslash."""
    blocked: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            blocked.update(range(token.start[0], token.end[0]))
    for number, line in enumerate(text.splitlines(), start=1):
        if line.rstrip().endswith("\\"):
            blocked.add(number)
    return blocked


def with_noqa(line: str, codes: list[str]) -> str | None:
    """The line with the codes added to its noqa comment, or None when nothing needs to change."""
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    match = NOQA_INLINE.search(body)
    if match is None:
        return f"{body}  # noqa: {', '.join(codes)}{ending}"
    if match.group("codes") is None:
        return None  # a bare noqa already silences everything
    present = [c.strip().upper() for c in match.group("codes").replace(",", " ").split()]
    missing = [code for code in codes if not any(code.startswith(p) for p in present)]
    if not missing:
        return None
    merged = f"# noqa: {', '.join(present + missing)}"
    return f"{body[:match.start()]}{merged}{body[match.end():].lstrip(', ')}{ending}"


def plan_comments(findings: list[Finding], lines: list[str], blocked: set[int]) -> tuple[dict[int, list[str]], list[int]]:
    """Which line of each finding's statement takes which codes, and the findings' lines that found no place.
    Findings of one statement share one comment: an existing noqa comment if the statement has one, else the
    first finding's own line (or the statement's first line that can take a comment)."""
    chosen: dict[int, list[str]] = defaultdict(list)
    unplaced: list[int] = []
    for finding in sorted(findings, key=lambda f: (f.line, f.col)):
        first, last = finding.noqa_lines or (finding.line, finding.line)
        usable = [n for n in range(first, last + 1) if n not in blocked and 0 < n <= len(lines)]
        place = next((n for n in usable if n in chosen), None)
        if place is None:
            place = next((n for n in usable if NOQA_INLINE.search(lines[n - 1])), None)
        if place is None:
            place = finding.line if finding.line in usable else next(iter(usable), None)
        if place is None:
            unplaced.append(finding.line)
        elif finding.code not in chosen[place]:
            chosen[place].append(finding.code)
    return chosen, unplaced


def noqa_source(source: str, findings: list[Finding], python: str | None = None) -> tuple[str, int, list[int]]:
    """The source with the comments added, how many lines changed, and the lines that could not take one.
    `python` is the source as Python when it differs (a notebook cell with its magics masked)."""
    lines = source.splitlines(keepends=True)
    try:
        blocked = _lines_that_cannot_end_in_a_comment(python if python is not None else source)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        raise NoqaRefused("cannot tokenize") from None
    chosen, unplaced = plan_comments(findings, lines, blocked)
    added = 0
    for number, codes in sorted(chosen.items()):
        changed = with_noqa(lines[number - 1], sorted(codes))
        if changed is not None:
            lines[number - 1] = changed
            added += 1
    return "".join(lines), added, unplaced


def noqa_module(text: str, findings: list[Finding], where: str) -> tuple[str, int, list[str]]:
    new_text, added, unplaced = noqa_source(text, findings)
    if added and not parses(new_text):
        raise NoqaRefused("adding noqa comments would break the file")
    return new_text, added, [_unplaced(where, line) for line in unplaced]


def noqa_notebook(text: str, findings: list[Finding], where: str) -> tuple[str, int, list[str]]:
    from nanlint.notebook import mask, parse_notebook

    notebook = parse_notebook(text)
    if notebook is None:
        raise NoqaRefused("not a valid notebook")
    per_cell: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        per_cell[finding.cell].append(finding)
    sources, added, problems = {}, 0, []
    for cell in notebook.cells:
        if cell.number in per_cell:
            sources[cell.number], count, unplaced = noqa_source(cell.source, per_cell[cell.number], mask(cell.source))
            added += count
            problems += [_unplaced(f"{where}:cell {cell.number}", line) for line in unplaced]
    if added and not parses("\n".join(mask(sources.get(c.number, c.source)) for c in notebook.cells)):
        raise NoqaRefused("adding noqa comments would break the notebook")
    return notebook.with_sources(sources), added, problems


def _unplaced(where: str, line: int) -> str:
    return f"{where}:{line}: every line of the statement ends inside a string or after a backslash; add the noqa by hand"


def process_results(results: list[FileResult], args: argparse.Namespace,
                    settings: Settings) -> list[FileResult]:
    if not getattr(args, "add_noqa", False):
        return results
    stdin = reads_stdin(args)
    total, files = 0, 0
    failed: dict[int, FileResult] = {}  # results whose comments could not be written: they keep their findings + NAN904
    for result in results:
        findings = [f for f in result.findings if f.code not in _NOT_SUPPRESSIBLE]
        if stdin:
            added = _noqa_stdin(result, findings)
        elif findings and result.real_path is not None:
            try:
                added = _noqa_file(result, result.real_path, findings)
            except SourceError as error:
                failed[id(result)] = not_written(result, str(error), "noqa comments")
                continue
        else:
            continue
        total += added
        files += bool(added)
    if not getattr(args, "quiet", False):
        print(f"nanlint: added {total} noqa comment(s) to {files} file(s)", file=sys.stderr)
    return [failed.get(id(r)) or dataclasses.replace(r, findings=tuple(f for f in r.findings
                                                                       if f.code in _NOT_SUPPRESSIBLE))
            for r in results]


def _edit(path: str, text: str, findings: list[Finding]) -> tuple[str, int]:
    edit = noqa_notebook if path.endswith(".ipynb") else noqa_module
    new_text, added, problems = edit(text, findings, path)
    for problem in problems:
        print(f"nanlint: {problem}", file=sys.stderr)
    return new_text, added


def _noqa_file(result: FileResult, real_path: str, findings: list[Finding]) -> int:
    source = read_source(real_path)
    try:
        new_text, added = _edit(result.path, source.text, findings)
    except NoqaRefused as error:
        print(f"nanlint: {result.path}: {error}; left unchanged", file=sys.stderr)
        return 0
    if added:
        write_source(real_path, new_text, source)
    return added


def _noqa_stdin(result: FileResult, findings: list[Finding]) -> int:
    """The commented source goes to stdout (an editor replaces its buffer with it); nothing goes to disk."""
    if result.source is None:
        return 0
    new_text, added = result.source, 0
    if findings:
        try:
            new_text, added = _edit(result.path, result.source, findings)
        except NoqaRefused as error:
            print(f"nanlint: {result.path}: {error}; left unchanged", file=sys.stderr)
    sys.stdout.write(new_text)
    return added
