"""Command line: `nanlint [PATHS]`, `nanlint rule CODE`, `nanlint verify PATHS`, `nanlint server`.

The CLI wires the pipeline together: settings -> discovery -> lint each file -> report. It is the only
place that turns problems into exit codes: 0 clean, 1 findings (or, with --diff, a diff), 2 usage/config/
internal error. Findings go to stdout; everything meant for a person (summary, hints, warnings) to stderr, so
stdout stays a list of findings a problem matcher or `wc -l` can read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from nanlint import dataclass_methods

# Before the imports below and the lint path define their dataclasses (nanlint.dataclass_methods: a third of the CPU
# of one file is spent compiling the methods @dataclass writes).
dataclass_methods.install()

from nanlint import __version__, extensions, lazy_libcst, runner
from nanlint.config import Settings, load_settings
from nanlint.discovery import discover
from nanlint.extensions import FatalError, reads_stdin
from nanlint.formatters import FORMATS, HUMAN_FORMATS, write_report
from nanlint.finding import INTERNAL_ERROR, WRITE_ERROR, FileResult, Finding

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_SUBCOMMANDS = """subcommands:
  nanlint rule CODE|NAME      print a rule's page (`nanlint rule --all`, `--output-format json`)
  nanlint verify [PATHS]      lint, then run each finding with TensorFlow to confirm it (see `nanlint verify --help`)

exit status: 0 nothing reported, 1 findings reported (with --diff: a diff or a finding remains),
2 usage error, bad configuration, missing path or internal error"""


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nanlint",
        description="Find Keras/TensorFlow code that turns training into NaN or Inf.",
        epilog=_SUBCOMMANDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nanlint {__version__}")
    parser.add_argument("paths", nargs="*", help="files or directories to lint; '-' reads standard input")
    output = parser.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, default=None, help="report format (default: concise)")
    output.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    output.add_argument("--statistics", action="store_true", help="print the number of findings per code")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    output.add_argument("--show-source", action="store_true",
                        help="show the source line under each finding (flake8's name for --output-format full)")
    output.add_argument("--quiet", "-q", action="store_true",
                        help="print the findings and nothing else (no summary, hints or warnings)")
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the concise and full output (auto: on a terminal, unless NO_COLOR is set; "
                             "FORCE_COLOR forces it)")
    selection = parser.add_argument_group("rule selection")
    selection.add_argument("--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to enable")
    selection.add_argument("--extend-select", type=_codes, metavar="CODES", help="codes to enable on top of select")
    selection.add_argument("--ignore", type=_codes, metavar="CODES", help="codes or prefixes to disable")
    selection.add_argument("--extend-ignore", type=_codes, metavar="CODES",
                           help="codes or prefixes to disable on top of the configuration's ignore")
    selection.add_argument("--per-file-ignores", action="append", metavar="GLOB:CODES",
                           help="disable codes for files matching GLOB (repeatable)")
    selection.add_argument("--preview", action="store_true", default=None,
                           help="also report plausible findings, not only unsafe values reachable by construction")
    selection.add_argument("--no-preview", action="store_false", dest="preview", help="override preview = true")
    files = parser.add_argument_group("file selection")
    files.add_argument("--exclude", action="append", metavar="PATTERN", help="replace the default excludes")
    files.add_argument("--extend-exclude", action="append", metavar="PATTERN", help="exclude more paths")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply excludes to paths named on the command line too (for pre-commit)")
    files.add_argument("--stdin-filename", metavar="PATH", help="the path to report for '-' (standard input)")
    files.add_argument("--config", metavar="PYPROJECT", help="use this pyproject.toml (or nanlint.toml)")
    files.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # stdout closed early (`nanlint src | head`, `nanlint rule --all | head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except Exception:  # a bug of ours: say so, and exit 2 so that CI never reads it as "findings" (1)
        import traceback

        traceback.print_exc()
        print("nanlint: internal error (a bug in nanlint; please report it with the traceback above)",
              file=sys.stderr)
        return EXIT_ERROR


def _main(argv: Sequence[str] | None) -> int:
    lazy_libcst.install()  # before anything imports libcst: the lint path needs its node classes only
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "rule":
        from nanlint.rule_command import main as rule_main

        return rule_main(argv[1:])
    if argv and argv[0] == "server":
        from nanlint.server import main as server_main

        return server_main(argv[1:])
    if argv and argv[0] == "verify":
        if "-h" in argv[1:] or "--help" in argv[1:]:
            verify_parser().print_help()
            return EXIT_CLEAN
        argv = ["--verify", *argv[1:]]
    parser = build_parser()
    runner.add_arguments(parser)
    for feature in extensions.features():  # flags owned by the optional subsystems live with them
        feature.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args, load_settings(args))
    except FatalError as error:  # bad configuration, or a feature that cannot go on (broken baseline, no TensorFlow)
        print(f"nanlint: error: {error.message}", file=sys.stderr)
        return error.exit_code
    except SystemExit as stop:  # the verifier's SIGTERM/SIGHUP handler unwinds with SystemExit(128 + signal)
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def verify_parser() -> argparse.ArgumentParser:
    """`nanlint verify --help`: the verifier's own options (every option of `nanlint` applies too)."""
    from nanlint.verify import feature

    parser = argparse.ArgumentParser(
        prog="nanlint verify",
        description="Lint PATHS, then run each finding's function, layer or model with real TensorFlow in a "
                    "sandboxed worker and append a verdict (confirmed / not reproduced / could not run). "
                    "Needs TensorFlow: pip install \"nanlint[verify]\". Every option of `nanlint --help` "
                    "applies too.",
    )
    parser.add_argument("paths", nargs="*", help="files or directories to lint and verify")
    feature.add_arguments(parser)
    return parser


def run(args: argparse.Namespace, settings: Settings) -> int:
    with contextlib.ExitStack() as sessions:
        # Features start their work before linting (the verifier's TensorFlow import overlaps it) and may lint
        # more widely than the user asked (the verifier lints preview findings, to promote those it confirms).
        lint_settings = settings
        for feature in extensions.features():
            lint_settings = sessions.enter_context(feature.session(args, lint_settings))
        errors: list[str] = []
        if reads_stdin(args):
            stdin_result = _lint_stdin(args, lint_settings)
            if stdin_result is None:
                return EXIT_CLEAN
            results = [stdin_result]
        else:
            results, errors = _lint_paths(args, lint_settings)
        for message in errors:
            print(f"nanlint: error: {message}", file=sys.stderr)
        for feature in extensions.features():
            results = feature.process_results(results, args, settings)
    findings = sorted((f for result in results for f in result.findings), key=lambda f: f.sort_key)
    output_format, stream = _destination(args, settings)
    color = not args.output_file and _use_color(args.color, stream)
    try:
        write_report(findings, output_format, args.output_file, statistics=args.statistics, stream=stream,
                     color=color)
    except OSError as error:  # -o into a missing or read-only directory: the report must not be lost
        if isinstance(error, BrokenPipeError) and not args.output_file:
            raise  # stdout closed early (`nanlint src | head`): main ends quietly
        print(f"nanlint: error: cannot write the report to {args.output_file}: {error.strerror or error}; "
              "printing it here instead", file=sys.stderr)
        write_report(findings, output_format, None, statistics=args.statistics)
        return EXIT_ERROR
    if not args.quiet and output_format in HUMAN_FORMATS:
        _summary(results, findings, args)
    return _exit_status(results, findings, errors, args)


def _lint_stdin(args: argparse.Namespace, settings: Settings) -> FileResult | None:
    """Standard input's result; None when `--stdin-filename` names an excluded file under --force-exclude."""
    data = sys.stdin.buffer.read()
    if args.stdin_filename and settings.force_exclude and settings.is_excluded(args.stdin_filename):
        if args.fix:  # the editor replaces its buffer with what we print: give it back unchanged
            sys.stdout.buffer.write(data)
        return None
    from nanlint.linter import lint_bytes

    return lint_bytes(data, args.stdin_filename or "-", settings.selection)


def _lint_paths(args: argparse.Namespace, settings: Settings) -> tuple[list[FileResult], list[str]]:
    """The results of the files under the paths named (default: the current directory), and the paths that
    could not be read."""
    paths = [path for path in args.paths or ["."] if not _skipped_non_python(path, args.quiet)]
    files, errors = discover(paths, settings) if paths else ([], [])
    if not files and not errors and not args.quiet:
        # ruff's warning and ruff's exit status (0): nothing was wrong, but nothing was checked either
        print("nanlint: warning: No Python files found under the given path(s)", file=sys.stderr)
    return runner.lint_files(files, settings, args), errors


def _destination(args: argparse.Namespace, settings: Settings) -> tuple[str, TextIO]:
    """The report's format and stream. With --diff, stdout holds the diff (so it can be applied); with fixes of
    standard input, the fixed source. The findings then go to stderr (ruff does the same with `--fix` on stdin)."""
    output_format = "full" if args.show_source else (args.output_format or settings.output_format)
    to_stderr = not args.output_file and (args.diff or (reads_stdin(args) and (args.fix or args.add_noqa)))
    if to_stderr and output_format not in HUMAN_FORMATS:
        output_format = "concise"
    return output_format, sys.stderr if to_stderr else sys.stdout


def _exit_status(results: list[FileResult], findings: list[Finding], errors: list[str],
                 args: argparse.Namespace) -> int:
    if errors or any(f.code in (INTERNAL_ERROR, WRITE_ERROR) for f in findings):
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if findings or (args.diff and any(result.fixed for result in results)):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _skipped_non_python(path: str, quiet: bool) -> bool:
    """A file named on the command line with another extension (README.md) is skipped, with a warning;
    a file without an extension (a script) is linted."""
    from pathlib import Path

    from nanlint.discovery import SOURCE_SUFFIXES

    named = Path(path)
    if not named.suffix or named.suffix in SOURCE_SUFFIXES or not named.is_file():
        return False
    if not quiet:
        print(f"nanlint: warning: {path}: not a Python file or notebook ({', '.join(SOURCE_SUFFIXES)}); skipped",
              file=sys.stderr)
    return True


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _errors(count: int) -> str:
    return f"{count} error{'' if count == 1 else 's'}"


def _summary(results: list[FileResult], findings: list[Finding], args: argparse.Namespace) -> None:
    """ruff's closing lines, on stderr: how many findings, how many fixed, which fixes are available."""
    fixed = sum(len(result.fixed) for result in results)
    if args.diff:
        if fixed or findings:
            print(f"Would fix {_errors(fixed)} ({len(findings)} remaining"
                  f"{', listed above' if findings else ''}).", file=sys.stderr)
    elif args.fix and (fixed or findings):
        print(f"Found {_errors(fixed + len(findings))} ({fixed} fixed, {len(findings)} remaining).", file=sys.stderr)
    elif findings:
        print(f"Found {_errors(len(findings))}.", file=sys.stderr)
    fixes = [f.fix for f in findings if f.fix is not None]
    safe = len([fix for fix in fixes if fix.safe or args.unsafe_fixes])
    if safe and not (args.fix or args.diff):
        print(f"[*] {safe} fixable with --fix{' --unsafe-fixes' if args.unsafe_fixes else ''}.", file=sys.stderr)
    hidden = len(fixes) - safe
    if hidden:
        print(f"nanlint: {hidden} more fix(es) available with --unsafe-fixes", file=sys.stderr)
