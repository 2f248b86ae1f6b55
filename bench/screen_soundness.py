"""Is the pre-parse screen (nanlint/screen.py) sound on real code? How many files does it spare libcst?

    python bench/screen_soundness.py                     # keras-io, the PyPI corpus, bench/bugs, fixtures
    python bench/screen_soundness.py DIR [DIR ...]        # other corpora (TFP, transformers, keras-cv, ...)

With and without the screen, a file's findings differ only where the screen skips it: a file it keeps goes through
the same code either way. So for every file the screen skips, this lints it again without the screen (libcst
parse, analysis, every check, preview findings included, the project-wide summaries of the same corpus) and
requires nothing to be reported; any finding there is a soundness failure, printed with its file. It also prints
the share of files skipped per corpus and the CPU time the screen costs against the libcst parse it saves.
Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from nanlint import project  # noqa: E402  (after the path set-up)
from nanlint.linter import lint_text, mentions_framework  # noqa: E402
from nanlint.parse import parse_module  # noqa: E402
from nanlint.screen import may_report  # noqa: E402
from nanlint.selection import Selection  # noqa: E402
from nanlint.source import SourceError, decode, read_bytes  # noqa: E402

import corpora  # noqa: E402  (bench/ is not a package)

DEFAULT = [path for path in (corpora.BY_NAME["keras-io"].directory, corpora.BY_NAME["pypi"].directory,
                             HERE / "bugs", HERE.parent / "fixtures", HERE.parent / "tests" / "fixtures_verify")
           if path.is_dir()]
EVERYTHING = Selection(preview=True)


def check(root: Path) -> tuple[int, list[str]]:
    """Lint `root`'s skipped files without the screen; print its line of the table; return (skipped, failures)."""
    paths = sorted(str(path) for path in root.rglob("*.py") if path.is_file())
    project.use(project.Project(paths))
    relevant = outside = skipped = relevant_bytes = skipped_bytes = 0
    screen_cpu = parse_cpu = 0.0
    failures = []
    for path in paths:
        try:
            text = decode(read_bytes(path, None)).text
        except (SourceError, SyntaxError, UnicodeDecodeError, LookupError, ValueError):
            continue
        # files outside TF/Keras are screened too: they get the `Check.outside_frameworks` mechanisms
        outside += not mentions_framework(text)
        relevant += 1
        relevant_bytes += len(text)
        start = time.process_time()
        try:
            tree = compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            continue  # the screen never sees what CPython rejects
        compiled = time.process_time()
        keep = may_report(tree, text)
        screen_cpu += time.process_time() - compiled
        if keep:
            continue
        skipped += 1
        skipped_bytes += len(text)
        start = time.process_time()
        try:
            parse_module(text)
        except Exception:
            pass
        parse_cpu += time.process_time() - start
        findings = lint_text(text, path, EVERYTHING, screen=False).findings
        failures += [f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message[:100]}"
                     for finding in findings]
    share = skipped / relevant if relevant else 0.0
    byte_share = skipped_bytes / relevant_bytes if relevant_bytes else 0.0
    print(f"| {root} | {len(paths)} | {relevant - outside} + {outside} | {skipped} ({share:.0%}) | {byte_share:.0%} | {len(failures)} | {screen_cpu:.2f} s "
          f"| {parse_cpu:.2f} s |", flush=True)
    return skipped, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    print("| corpus | .py files | mention TF/Keras + do not | skipped by the screen | share of their text | findings in skipped files (must be 0) "
          "| screen CPU (all relevant files) | libcst parse CPU of the skipped files |\n|---|---|---|---|---|---|---|---|")
    failures = []
    for root in args.roots:
        failures += check(root)[1]
    for failure in failures:
        print("UNSOUND:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
