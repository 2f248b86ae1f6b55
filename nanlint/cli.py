"""Command line: `nanlint [PATHS]`, `nanlint rule CODE`, `nanlint verify PATHS`, `nanlint server`.

The CLI wires the pipeline together: settings -> discovery -> lint each file -> report. It is the only
place that turns problems into exit codes: 0 clean, 1 findings, 2 usage/config/internal error.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence

from nanlint import __version__, extensions
from nanlint.config import ConfigError, Settings, load_settings
from nanlint.discovery import discover
from nanlint.formatters import FORMATS, write_report
from nanlint.finding import INTERNAL_ERROR, WRITE_ERROR, FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nanlint",
        description="Find Keras/TensorFlow code that turns training into NaN or Inf.",
    )
    parser.add_argument("--version", action="version", version=f"nanlint {__version__}")
    parser.add_argument("paths", nargs="*", help="files or directories to lint; '-' reads standard input")
    output = parser.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, default=None, help="report format (default: concise)")
    output.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    output.add_argument("--statistics", action="store_true", help="print the number of findings per code")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    selection = parser.add_argument_group("rule selection")
    selection.add_argument("--select", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to enable")
    selection.add_argument("--extend-select", type=_codes, metavar="CODES", help="codes to enable on top of select")
    selection.add_argument("--ignore", type=_codes, metavar="CODES", help="codes or prefixes to disable")
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
    except Exception:  # a bug of ours: say so, and exit 2 so that CI never reads it as "findings" (1)
        import traceback

        traceback.print_exc()
        print("nanlint: internal error (a bug in nanlint; please report it with the traceback above)",
              file=sys.stderr)
        return EXIT_ERROR


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "rule":
        from nanlint.rule_command import main as rule_main

        return rule_main(argv[1:])
    if argv and argv[0] == "server":
        from nanlint.server import main as server_main

        return server_main(argv[1:])
    if argv and argv[0] == "verify":
        argv = ["--verify", *argv[1:]]
    parser = build_parser()
    _add_extension_arguments(parser)
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args)
    except ConfigError as error:
        print(f"nanlint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return run(args, settings)
    except SystemExit as stop:  # a feature that cannot go on (missing TensorFlow, broken baseline) says why and stops
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (`nanlint src | head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR


def _add_extension_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags owned by the optional subsystems (verifier, fixes, baseline, cache) live with them."""
    for feature in extensions.features():
        if hasattr(feature, "add_arguments"):
            feature.add_arguments(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or ["."]
    results: list[FileResult] = []
    errors: list[str] = []
    if paths == ["-"]:
        data = sys.stdin.buffer.read()
        display = args.stdin_filename or "-"
        if args.stdin_filename and settings.force_exclude and settings.is_excluded(args.stdin_filename):
            return EXIT_CLEAN
        from nanlint.linter import lint_bytes

        results.append(lint_bytes(data, display, settings.selection))
    else:
        files, errors = discover(paths, settings)
        results.extend(lint_files(files, settings, args))
    for message in errors:
        print(f"nanlint: error: {message}", file=sys.stderr)
    for feature in extensions.features():
        if hasattr(feature, "process_results"):
            results = feature.process_results(results, args, settings)
    findings = sorted((f for result in results for f in result.findings), key=lambda f: f.sort_key)
    output_format = args.output_format or settings.output_format
    try:
        write_report(findings, output_format, args.output_file, statistics=args.statistics)
    except OSError as error:  # -o into a missing or read-only directory: the report must not be lost
        print(f"nanlint: error: cannot write the report to {args.output_file}: {error.strerror or error}; "
              "printing it here instead", file=sys.stderr)
        write_report(findings, output_format, None, statistics=args.statistics)
        return EXIT_ERROR
    if errors or any(f.code in (INTERNAL_ERROR, WRITE_ERROR) for f in findings):
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def lint_files(files: list[tuple[str, str]], settings: Settings, args: argparse.Namespace) -> list[FileResult]:
    """Lint (real path, display path) pairs. The speed layer (cache, process pool) may replace this."""
    for feature in extensions.features():
        if hasattr(feature, "lint_files"):
            return feature.lint_files(files, settings, args)
    from nanlint.runner import read_and_lint

    return [dataclasses.replace(read_and_lint(real, display, settings.selection, settings.max_file_size),
                                real_path=real) for real, display in files]
