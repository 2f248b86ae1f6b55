"""Lint every precision corpus (bench/corpora.py) and diff the findings against the committed baselines.

    python bench/lint_corpora.py                    # build what is missing, lint all, diff with bench/baselines/
    python bench/lint_corpora.py unseen7 pypi       # only these
    python bench/lint_corpora.py --preview          # the --preview findings, against NAME.preview.txt
    python bench/lint_corpora.py --update           # rewrite the baselines with this run's findings

Each corpus is linted as one project, from its root (`python -m nanlint . --no-cache -q --exit-zero --isolated`,
this checkout's nanlint), so the paths in the output are relative to the corpus and the same on every machine. The
output goes to bench/.work/lint/NAME.txt; the lines added and removed against bench/baselines/NAME.txt are printed
per corpus. The exit status is 0 whatever the diff (it is for reading: every added line is a finding to read and
record in bench/FINDINGS.md); 2 when nanlint itself fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402  (bench/ is not a package)

BASELINES = HERE / "baselines"
OUTPUT = HERE / ".work" / "lint"


def lint(directory: Path, preview: bool) -> list[str]:
    """nanlint's findings on one corpus, one line each, paths relative to the corpus root."""
    command = [sys.executable, "-m", "nanlint", ".", "--no-cache", "-q", "--exit-zero", "--isolated"]
    # this checkout's nanlint, whatever is installed in the environment
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent),
                                                                              os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([*command, "--preview"] if preview else command, cwd=directory, env=environment,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nanlint failed on {directory} (exit {result.returncode}):\n{result.stderr}")
    return result.stdout.splitlines()


def difference(now: list[str], before: list[str]) -> tuple[list[str], list[str]]:
    """The lines added and removed (as multisets: a finding reported twice on one line counts twice)."""
    added = Counter(now) - Counter(before)
    removed = Counter(before) - Counter(now)
    return sorted(added.elements()), sorted(removed.elements())


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora to lint (default: all; bench/corpora.py --list)")
    parser.add_argument("--preview", action="store_true", help="lint with --preview, against NAME.preview.txt")
    parser.add_argument("--update", action="store_true", help="write this run's findings as the baselines")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where NAME.txt goes (default {OUTPUT})")
    args = parser.parse_args()
    suffix = ".preview.txt" if args.preview else ".txt"
    args.output.mkdir(parents=True, exist_ok=True)
    for corpus in corpora.selected(args.names):
        try:
            findings = lint(corpora.build(corpus), args.preview)
        except (RuntimeError, FileNotFoundError, subprocess.CalledProcessError) as error:
            print(f"{corpus.name}: {error}", file=sys.stderr)
            return 2
        text = "".join(line + "\n" for line in findings)
        (args.output / (corpus.name + suffix)).write_text(text)
        baseline = BASELINES / (corpus.name + suffix)
        before = baseline.read_text().splitlines() if baseline.exists() else []
        added, removed = difference(findings, before)
        known = "" if baseline.exists() else ", no baseline"
        print(f"{corpus.name}: {len(findings)} findings (baseline {len(before)}{known}): "
              f"+{len(added)} -{len(removed)}")
        for line in added:
            print(f"  + {line}")
        for line in removed:
            print(f"  - {line}")
        if args.update:
            BASELINES.mkdir(exist_ok=True)
            baseline.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
