"""`--add-noqa`: silence every current finding in place, so a team can adopt nanlint and fix later.

Each finding's first line gets `# noqa: CODE`; an existing `# noqa: X` comment is merged (`# noqa: X, CODE`),
a bare `# noqa` is left alone. A line whose end lies inside a multi-line string cannot take a comment and is
skipped with a message. Files are rewritten atomically and only if they still parse."""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import tokenize
from collections import defaultdict

from nanlint.finding import DECODE_ERROR, INTERNAL_ERROR, SYNTAX_ERROR, WRITE_ERROR
from nanlint.fixes import not_written
from nanlint.source import SourceError, read_source, write_source
from nanlint.suppression import NOQA_INLINE

_NOT_SUPPRESSIBLE = (SYNTAX_ERROR, DECODE_ERROR, INTERNAL_ERROR, WRITE_ERROR)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument_group("suppression").add_argument(
        "--add-noqa", action="store_true", help="add `# noqa: CODE` to every line with a finding, then exit 0")


def _lines_ending_in_strings(text: str) -> set[int]:
    inside: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            inside.update(range(token.start[0], token.end[0]))
    return inside


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


def add_noqa(path: str, display: str, lines_to_codes: dict[int, list[str]]) -> tuple[int, list[str]]:
    """Rewrite one file (its real path; `display` for messages); returns (comments added, problems).
    Raises SourceError when the file cannot be read or written."""
    source = read_source(path)
    text = source.text
    lines = text.splitlines(keepends=True)
    try:
        in_strings = _lines_ending_in_strings(text)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return 0, [f"{display}: cannot tokenize, left unchanged"]
    added, problems = 0, []
    for number, codes in sorted(lines_to_codes.items()):
        if number in in_strings:
            problems.append(f"{display}:{number}: the line ends inside a string; add the noqa by hand")
            continue
        changed = with_noqa(lines[number - 1], sorted(set(codes)))
        if changed is not None:
            lines[number - 1] = changed
            added += 1
    if not added:
        return 0, problems
    new_text = "".join(lines)
    import libcst as cst

    try:
        cst.parse_module(new_text)
    except cst.ParserSyntaxError:
        return 0, [*problems, f"{display}: adding noqa comments would break the file; left unchanged"]
    write_source(path, new_text, source)
    return added, problems


def process_results(results, args, settings):
    if not getattr(args, "add_noqa", False):
        return results
    total, files = 0, 0
    failed: dict[int, object] = {}  # results whose comments could not be written: they keep their findings + NAN904
    for result in results:
        lines_to_codes: dict[int, list[str]] = defaultdict(list)
        for finding in result.findings:
            if finding.code not in _NOT_SUPPRESSIBLE:
                lines_to_codes[finding.line].append(finding.code)
        if not lines_to_codes or result.real_path is None:  # standard input has no file to edit
            continue
        if result.path.endswith(".ipynb"):  # findings are positioned in cells ("nb.ipynb:cell 3")
            print(f"nanlint: {result.path}: --add-noqa does not edit notebooks; add the comment in the cell",
                  file=sys.stderr)
            continue
        try:
            added, problems = add_noqa(result.real_path, result.path, lines_to_codes)
        except SourceError as error:
            failed[id(result)] = not_written(result, str(error), "noqa comments")
            continue
        for problem in problems:
            print(f"nanlint: {problem}", file=sys.stderr)
        total += added
        files += bool(added)
    print(f"nanlint: added {total} noqa comment(s) to {files} file(s)", file=sys.stderr)
    return [failed.get(id(r)) or dataclasses.replace(r, findings=tuple(f for f in r.findings
                                                                       if f.code in _NOT_SUPPRESSIBLE))
            for r in results]
