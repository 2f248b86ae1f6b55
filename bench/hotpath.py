"""Where a cold lint's CPU goes, stage by stage and check by check, in one process (no profiler overhead).

    python bench/hotpath.py FILE_OR_DIR... [--files LIST] [--rounds 2] [--no-project]

Each file goes through the CLI's own steps (decode, the syntax pre-check and screen, the parse,
ModuleAnalysis.build, every check, positions and contexts of the findings) with the run's Project registered, as
the runner does; CPU seconds per stage are summed over the files, best of `--rounds` per stage. The checks share
lazily built engines (values, guards, gradients): a check's time includes whichever engine it is the first to
ask for, so the per-check split depends on the order of the checks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanlint import linter  # noqa: E402
from nanlint.analysis.module import ModuleAnalysis  # noqa: E402
from nanlint.checks import all_checks  # noqa: E402
from nanlint.project import Project, use  # noqa: E402
from nanlint.source import decode  # noqa: E402


def files_of(paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(str(p) for p in sorted(Path(path).rglob("*.py")))
        else:
            found.append(path)
    return found


def one_round(files: list[str], project: bool) -> dict[str, float]:
    times: dict[str, float] = defaultdict(float)
    clock = time.process_time
    start = clock()
    if project:
        use(Project(files))
    times["project (registration)"] += clock() - start
    checks = all_checks()
    for path in files:
        start = clock()
        text = decode(Path(path).read_bytes()).text
        times["read + decode"] += clock() - start
        if not linter.mentions_framework(text):
            continue
        start = clock()
        try:
            module, source = linter._parse(text, path, screen=True)
        except (linter._NothingToReport, linter._Unparsable):
            times["pre-check + screen + parse"] += clock() - start
            continue
        times["pre-check + screen + parse"] += clock() - start
        start = clock()
        analysis = ModuleAnalysis.build(module, path, source)
        times["ModuleAnalysis.build"] += clock() - start
        for check in checks:
            start = clock()
            reports = list(check.run(analysis))
            times[f"check {check.code}"] += clock() - start
            start = clock()
            for report in reports:
                analysis.position(report.node)
                analysis.code_of(report.node)
            times["positions + code of findings"] += clock() - start
    use(None)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--files", help="a file listing the paths, one a line")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-project", action="store_true", help="without the project-wide summaries")
    args = parser.parse_args()
    files = files_of(args.paths)
    if args.files:
        files += [line for line in Path(args.files).read_text().splitlines() if line.strip()]
    rounds = [one_round(files, not args.no_project) for _ in range(args.rounds)]
    best = {stage: min(r.get(stage, 0.0) for r in rounds) for stage in rounds[0]}
    total = min(sum(r.values()) for r in rounds)
    print(f"{len(files)} files, load average {os.getloadavg()[0]:.2f}; CPU seconds, best of {args.rounds} rounds")
    for stage, seconds in sorted(best.items(), key=lambda item: -item[1]):
        if seconds >= 0.005:
            print(f"  {seconds:7.3f}  {stage}")
    print(f"  {total:7.3f}  total (best round)")


if __name__ == "__main__":
    main()
