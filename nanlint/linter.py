"""The static pipeline for one file: decode -> parse once -> analyse -> checks -> noqa/config filter.

Discovery and reporting live in the CLI; everything here is pure computation on text, so the same
function serves the CLI, the flake8 plugin, the cache and the verifier.
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from libcst._position import CodeRange

from nanlint import project
from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks import Check, Report, all_checks, outside_framework_checks
from nanlint.frontend import SourceMap, convert_or_none
from nanlint.parser_choice import converting
from nanlint.finding import DECODE_ERROR, INTERNAL_ERROR, SYNTAX_ERROR, UNUSED_NOQA, FileResult, Finding
from nanlint.nesting import too_deep
from nanlint.parse import parse_module
from nanlint.screen import may_report
from nanlint.selection import Selection
from nanlint.source import decode
from nanlint.suppression import Noqa, NoqaIndex


# Files that never mention the frameworks get only the mechanisms measured to hold in any array code (masked means
# over a mask that can be empty, overlap ratios of empty boxes: `Check.outside_frameworks`); on NumPy-only and JAX
# library code the other findings are mostly FALSE (non-zero by construction); see bench/FINDINGS.md, "Which files
# are linted" and its statement-guards re-run.
# DeepXDE's scripts take TensorFlow from its backend module (`from deepxde.backend import tf`) without naming it.
_RELEVANT = re.compile(r"tensorflow|keras|tf_keras|from deepxde\.backend import tf\b")


def mentions_framework(text: str) -> bool:
    """Whether nanlint parses `text` at all (bench/run.py times the same files)."""
    return _RELEVANT.search(text) is not None


def lint_bytes(data: bytes, path: str, selection: Selection = Selection(), checks: tuple[Check, ...] | None = None) -> FileResult:
    try:
        text = decode(data).text
    except (SyntaxError, UnicodeDecodeError, LookupError, ValueError) as error:
        reason = error.reason if isinstance(error, UnicodeDecodeError) else str(error)
        line = data.count(b"\n", 0, error.start) + 1 if isinstance(error, UnicodeDecodeError) else 1
        finding = Finding(DECODE_ERROR, f"cannot decode file: {reason}", path, line, 1, line, 1)
        return FileResult(path, (finding,) if selection.enabled(DECODE_ERROR, path) else (), parsed=False)
    if path.endswith(".ipynb"):
        return _lint_notebook(text, path, selection)
    return lint_text(text, path, selection, checks)


def _lint_notebook(text: str, path: str, selection: Selection) -> FileResult:
    from nanlint.notebook import INVALID_NOTEBOOK, invalid, lint_notebook

    findings = lint_notebook(text, path, selection, lint_text)
    if findings is None:
        bad = invalid(path, "not JSON with a 'cells' list")
        return FileResult(path, (bad,) if selection.enabled(INVALID_NOTEBOOK, path) else (), parsed=False)
    return FileResult(path, findings, source=text)


def lint_text(
    text: str,
    path: str,
    selection: Selection = Selection(),
    checks: tuple[Check, ...] | None = None,
    honour_noqa: bool = True,
    screen: bool = True,
) -> FileResult:
    """`screen=False` parses every file the screen would skip (bench/screen_soundness.py compares). A file that
    never mentions the frameworks gets the `outside_framework_checks` only (a caller's own checks: nothing)."""
    framework = mentions_framework(text)
    if not framework and checks is not None:
        return FileResult(path, (), parsed=False, source=text)
    try:
        # The screen knows the built-in checks' anchors only: a caller's own checks see every file.
        module, source = _parse(text, path, screen and checks is None)
    except _NothingToReport:
        return FileResult(path, (), parsed=False, source=text)
    except _Unparsable as problem:
        # outside the frameworks nanlint only looks for two mechanisms: it does not judge what it cannot parse there
        return _only_if_enabled(problem.finding, selection, text) if framework else FileResult(
            path, (), parsed=False, source=text)
    try:
        analysis = ModuleAnalysis.build(module, path, source)
        analysis.outside_frameworks = not framework
        return check_module(analysis, text, selection, checks if framework else outside_framework_checks(),
                            honour_noqa)
    except RecursionError:  # libcst's Python side (positions, codegen) recurses once per level of a long chain
        finding = Finding(SYNTAX_ERROR, "cannot analyse file: nested too deeply (RecursionError)", path, 1, 1, 1, 1)
        return _only_if_enabled(finding, selection, text)


class _Unparsable(Exception):
    """The file is not Python nanlint can parse; `finding` (NAN900) says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


class _NothingToReport(Exception):
    """The screen (nanlint.screen) found nothing any check could report on: libcst need not parse the file."""


def _parse(text: str, path: str, screen: bool = False) -> tuple[cst.Module, SourceMap | None]:
    # CPython's own parser first: it is fast, its messages and positions are Python's, and it refuses nesting so
    # deep that libcst's native parser would overflow its stack and kill us. What it rejects may still be newer
    # Python than the one running nanlint (PEP 695 generics, PEP 701 f-strings on 3.11): libcst's grammar
    # decides, once nanlint.nesting has screened the nesting that CPython's parser stopped before reaching.
    rejected: SyntaxError | None = None
    try:
        tree = compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        if screen and not may_report(tree, text):
            raise _NothingToReport
        if converting():
            converted = _converted(tree, text)  # type: ignore[arg-type]  # compile() with PyCF_ONLY_AST
            if converted is not None:
                return converted
    except SyntaxError as error:
        rejected = error
    except (RecursionError, MemoryError):
        raise _Unparsable(Finding(SYNTAX_ERROR, "cannot parse file: nested too deeply for Python's parser",
                                  path, 1, 1, 1, 1)) from None
    if rejected is not None:
        _screen_rejected(text, path, rejected)
    try:
        return parse_module(text), None
    except cst.ParserSyntaxError as error:
        if rejected is not None:  # both refuse it: Python's message says more
            raise _Unparsable(_python_syntax_error(rejected, path)) from None
        raise _Unparsable(Finding(
            SYNTAX_ERROR, f"syntax error: {error.message}", path,
            error.raw_line, error.raw_column + 1, error.raw_line, error.raw_column + 1,
        )) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise _Unparsable(Finding(SYNTAX_ERROR, f"cannot parse file: {type(error).__name__}",
                                  path, 1, 1, 1, 1)) from None


def _converted(tree: ast.Module, text: str) -> tuple[cst.Module, SourceMap] | None:
    """The converted tree: the one this process built the file's project-wide summary from, if it did
    (nanlint/project.py), else a new one."""
    linted = project.current()
    shared = linted.converted(text) if linted is not None else None
    return shared or convert_or_none(tree, text)


def _screen_rejected(text: str, path: str, rejected: SyntaxError) -> None:
    """Before libcst sees what CPython rejected: CPython's own nesting limits ("too many nested parentheses")
    and the nesting CPython stopped before reaching (nanlint.nesting) are NAN900 at once."""
    if rejected.msg.startswith("too many"):
        raise _Unparsable(_python_syntax_error(rejected, path))
    deep = too_deep(text)
    if deep is not None:
        raise _Unparsable(Finding(SYNTAX_ERROR, f"cannot parse file: {deep.message}", path, deep.line, 1,
                                  deep.line, 1))


def _python_syntax_error(error: SyntaxError, path: str) -> Finding:
    line, col = error.lineno or 1, error.offset or 1
    return Finding(SYNTAX_ERROR, f"syntax error: {error.msg}", path, line, col, line, col)


def _only_if_enabled(finding: Finding, selection: Selection, text: str) -> FileResult:
    enabled = selection.enabled(finding.code, finding.path)
    return FileResult(finding.path, (finding,) if enabled else (), parsed=False, source=text)


def check_module(
    analysis: ModuleAnalysis,
    text: str,
    selection: Selection,
    checks: tuple[Check, ...] | None = None,
    honour_noqa: bool = True,
) -> FileResult:
    lines = text.splitlines()
    noqa = NoqaIndex(lines)
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, Noqa]] = []
    # noqa comments that silence a finding hidden because preview is off: used, not stale.
    hidden: list[tuple[Finding, Noqa]] = []
    ran = checks if checks is not None else all_checks()
    for check in ran:
        if not selection.enabled(check.code, analysis.path):
            continue
        try:
            reports = list(check.run(analysis))
        except Exception as error:  # a bug in one check must not hide the others' findings
            kept.append(Finding(INTERNAL_ERROR, f"internal error in {check.code}: {type(error).__name__}: {error}",
                                analysis.path, 1, 1, 1, 1))
            continue
        for report in reports:
            site = analysis.sites.get(report.node)
            if site is not None and analysis.never_called(site.scope):
                continue  # dead code: a nested function nothing calls
            finding, first, last = _locate(analysis, check.code, report, lines)
            silencer = noqa.find(finding.code, first, last) if honour_noqa else None
            if not selection.shows(finding.confidence):
                if silencer is not None:
                    hidden.append((finding, silencer))
            elif silencer is None:
                kept.append(finding)
            else:
                suppressed.append((finding, silencer))
    if honour_noqa and selection.enabled(UNUSED_NOQA, analysis.path):
        # a file outside the frameworks runs a few checks: a noqa for the others is not judged there
        judged = {check.code for check in ran} if analysis.outside_frameworks else None
        kept.extend(_unused_noqa(noqa, suppressed + hidden, selection, analysis.path, lines, judged))
    # Two routes to the same hazard (e.g. one model reached twice) report it once.
    kept = list(dict.fromkeys(kept))
    kept.sort(key=lambda f: f.sort_key)
    return FileResult(analysis.path, tuple(kept), tuple(suppressed), source=text)


def _unused_noqa(noqa: NoqaIndex, suppressed: list[tuple[Finding, Noqa]], selection: Selection, path: str,
                 lines: list[str], judged: set[str] | None = None) -> list[Finding]:
    """`# noqa: NAN001` comments that silenced nothing. Only nanlint's own, enabled codes are judged (and only
    `judged` ones, when given): other codes belong to other tools, and a bare `# noqa` belongs to everyone."""
    used = {(comment.line, code) for finding, comment in suppressed
            for code in (comment.codes or ()) if finding.code.startswith(code)}
    unused = []
    for comment in noqa.all():
        stale = [code for code in comment.codes or () if code.startswith("NAN") and (comment.line, code) not in used
                 and code != UNUSED_NOQA and any(selection.enabled(known, path) and (judged is None or known in judged)
                                                 for known in _codes_under(code))]
        if stale:
            column = lines[comment.line - 1].lower().find("# noqa") + 1
            unused.append(Finding(UNUSED_NOQA, f"unused noqa: nothing on this line is reported as {', '.join(stale)}",
                                  path, comment.line, column, comment.line, column,
                                  context=f"noqa|{lines[comment.line - 1].strip()}",
                                  source_line=lines[comment.line - 1]))
    return unused


def _codes_under(prefix: str) -> list[str]:
    from nanlint.catalog import known_codes

    return [code for code in known_codes() if code.startswith(prefix)]


def _locate(analysis: ModuleAnalysis, code: str, report: Report, lines: list[str]) -> tuple[Finding, int, int]:
    """Position a report; also return the line range a noqa may sit on (its whole statement)."""
    where = analysis.position(report.node)
    site = analysis.sites.get(report.node)
    first, last = where.start.line, where.end.line
    context_node = report.node
    function = ""
    if site is not None:
        function = site.scope.name
        statement = site.statement
        if isinstance(statement, cst.SimpleStatementLine):
            span = analysis.position(statement)
            first, last = min(first, span.start.line), max(last, span.end.line)
            context_node = statement
        elif not isinstance(statement, cst.Module):
            first = min(first, analysis.position(statement).start.line)
    context = f"{function}|{' '.join(_source_of(lines, analysis.position(context_node)).split())}"
    source_line = lines[where.start.line - 1] if 0 < where.start.line <= len(lines) else ""
    finding = Finding(
        code=code,
        # one line, whatever code the message quotes (a call written over three lines): every report format is one
        # line per finding (flake8's, GitHub's annotations), and a reader splitting on lines must not cut one
        message=" ".join(report.message.split()),
        path=analysis.path,
        line=where.start.line,
        col=where.start.column + 1,
        end_line=where.end.line,
        end_col=where.end.column + 1,
        context=context,
        source_line=source_line,
        fix=report.fix,
        confidence=report.confidence,
        extra=dict(report.extra),
        noqa_lines=(first, last),
    )
    return finding, first, last


def _source_of(lines: list[str], where: CodeRange) -> str:
    """The text a range covers. A fingerprint is made from it rather than from the node's printed code, which
    depends on the parse (libcst prints a statement with the comments around it; the converted tree does not)."""
    first, last = where.start.line - 1, where.end.line - 1
    if not 0 <= first <= last < len(lines):
        return ""
    if first == last:
        return lines[first][where.start.column:where.end.column]
    return "\n".join([lines[first][where.start.column:], *lines[first + 1:last], lines[last][:where.end.column]])


__all__ = ["FileResult", "lint_bytes", "lint_text", "check_module"]
