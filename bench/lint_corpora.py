"""Lint every precision corpus (bench/corpora.py) and diff the findings against the committed baselines.

    python bench/lint_corpora.py                    # build what is missing, lint all, diff with bench/baselines/
    python bench/lint_corpora.py unseen7 pypi       # only these
    python bench/lint_corpora.py --preview          # the --preview findings, against NAME.preview.txt
    python bench/lint_corpora.py --both             # both at once: one --preview run, the default findings read off it
    python bench/lint_corpora.py --update           # rewrite the baselines with this run's findings

Each corpus is linted as one project, from its root (`python -m nanlint . --no-cache -q --exit-zero --isolated`,
this checkout's nanlint), so the paths in the output are relative to the corpus and the same on every machine. The
output goes to bench/.work/lint/NAME.txt; the lines added and removed against bench/baselines/NAME.txt are printed
per corpus. The exit status is 0 whatever the diff (it is for reading: every added line is a finding to read and
record in bench/FINDINGS.md); 2 when nanlint itself fails.

`--both` lints each corpus once, with `--preview` and JSON lines, and reads the default report off it: the default
report is the preview report less its preview findings (preview only filters by a finding's confidence, after every
check has run), so the two baselines cost one analysis instead of two.
"""

from __future__ import annotations

import argparse
import json
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


def _run_nanlint(directory: Path, options: list[str]) -> str:
    """nanlint's report on one corpus, linted from its root (paths relative to it)."""
    command = [sys.executable, "-m", "nanlint", ".", "--no-cache", "-q", "--exit-zero", "--isolated", *options]
    # this checkout's nanlint, whatever is installed in the environment
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent),
                                                                              os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(command, cwd=directory, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nanlint failed on {directory} (exit {result.returncode}):\n{result.stderr}")
    return result.stdout


def lint(directory: Path, preview: bool) -> list[str]:
    """nanlint's findings on one corpus, one line each (the concise format)."""
    return _run_nanlint(directory, ["--preview"] if preview else []).splitlines()


def lint_both(directory: Path) -> tuple[list[str], list[str]]:
    """The default and the --preview findings on one corpus from one --preview run, as `lint` prints them."""
    default: list[str] = []
    preview: list[str] = []
    for record in _run_nanlint(directory, ["--preview", "--output-format", "json-lines"]).splitlines():
        finding = json.loads(record)
        where = finding["filename"] if finding["cell"] is None else f"{finding['filename']}:cell {finding['cell']}"
        line = (f"{where}:{finding['location']['row']}:{finding['location']['column']}: {finding['code']} "
                f"{finding['message']}")
        preview.append(line)
        if not finding["preview"]:
            default.append(line)
    return default, preview


def difference(now: list[str], before: list[str]) -> tuple[list[str], list[str]]:
    """The lines added and removed (as multisets: a finding reported twice on one line counts twice)."""
    added = Counter(now) - Counter(before)
    removed = Counter(before) - Counter(now)
    return sorted(added.elements()), sorted(removed.elements())


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora to lint (default: all; bench/corpora.py --list)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--preview", action="store_true", help="lint with --preview, against NAME.preview.txt")
    mode.add_argument("--both", action="store_true",
                      help="the default and the --preview findings from one run, against both baselines")
    parser.add_argument("--update", action="store_true", help="write this run's findings as the baselines")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where NAME.txt goes (default {OUTPUT})")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for corpus in corpora.selected(args.names):
        try:
            directory = corpora.build(corpus)
            if args.both:
                reports = dict(zip((".txt", ".preview.txt"), lint_both(directory)))
            else:
                suffix = ".preview.txt" if args.preview else ".txt"
                reports = {suffix: lint(directory, args.preview)}
        except (RuntimeError, FileNotFoundError, subprocess.CalledProcessError) as error:
            print(f"{corpus.name}: {error}", file=sys.stderr)
            return 2
        for suffix, findings in reports.items():
            label = f"{corpus.name} --preview" if args.both and suffix == ".preview.txt" else corpus.name
            _report(corpus.name + suffix, label, findings, args.output, args.update)
    return 0


def _report(name: str, label: str, findings: list[str], output: Path, update: bool) -> None:
    """Write one report, print its diff against its baseline (NAME.txt or NAME.preview.txt), update it if asked."""
    text = "".join(line + "\n" for line in findings)
    (output / name).write_text(text)
    baseline = BASELINES / name
    before = baseline.read_text().splitlines() if baseline.exists() else []
    added, removed = difference(findings, before)
    known = "" if baseline.exists() else ", no baseline"
    print(f"{label}: {len(findings)} findings (baseline {len(before)}{known}): +{len(added)} -{len(removed)}")
    for line in added:
        print(f"  + {line}")
    for line in removed:
        print(f"  - {line}")
    if update:
        BASELINES.mkdir(exist_ok=True)
        baseline.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
