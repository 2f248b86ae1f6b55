"""Findings per rule on the real-code corpus, and every crash: the input to bench/FINDINGS.md.

    python bench/corpus.py && python bench/findings.py [--show NAN002]

Prints the number of findings per rule, the internal errors (NAN999, must be 0) and, with --show, each
finding of the given code prefixes with its source line, for reading one by one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from nanlint.finding import INTERNAL_ERROR
from nanlint.runner import read_and_lint
from nanlint.selection import Selection

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (bench/ is not a package)

CORPUS = corpus.CORPUS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", default="", help="comma-separated code prefixes whose findings to print")
    args = parser.parse_args()
    files = sorted(args.corpus.rglob("*.py"))
    if not files:
        print(f"no corpus in {args.corpus}: run bench/corpus.py first", file=sys.stderr)
        return 2
    show = tuple(code for code in args.show.split(",") if code)
    counts: Counter = Counter()
    crashes = 0
    everything = Selection(select=("ALL",))
    for path in files:
        try:
            result = read_and_lint(str(path), selection=everything)
        except Exception as error:  # the linter itself must never raise: count it
            crashes += 1
            print(f"CRASH {path}: {type(error).__name__}: {error}")
            continue
        for finding in result.findings:
            counts[finding.code] += 1
            if finding.code == INTERNAL_ERROR or (show and finding.code.startswith(show)):
                print(f"{finding.code} {finding.path}:{finding.line}: {finding.source_line.strip()[:120]}")
    print(f"\n{len(files)} files")
    for code, count in sorted(counts.items()):
        print(f"{code}\t{count}")
    print(f"internal errors: {counts[INTERNAL_ERROR]}, crashes: {crashes} (must be 0, 0)")
    return 0 if counts[INTERNAL_ERROR] == 0 and crashes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
