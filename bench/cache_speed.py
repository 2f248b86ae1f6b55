"""The result cache's three runs over one project, as a user meets them, against another checkout.

Per round and checkout, with a fresh cache directory, three `nanlint PROJECT` processes: cold (lints every file and
fills the cache), warm (answered by the last run's index, one stat per file), and warm without the index (its
`last-run.json` removed: every file is read and hashed, its entry read and the project files its analysis consulted
checked; the path a run takes after any edit). Reports CPU (user + system of the process and its workers) and wall
seconds, best and median of the rounds; the checkouts alternate within each round, so the load falls on both alike.
Bytecode as in bench/fastpath.py (a pycache under bench/.work/pycache, warmed by one discarded run per checkout).

    python bench/cache_speed.py [PROJECT] [--against /path/to/other/checkout] [--rounds 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402  (bench/ is not a package)
from fastpath import report, run_timed  # noqa: E402

DEFAULT_PROJECT = corpus.CORPUS / "keras_hub-0.32.0-py3-none-any"
RUNS = ("cold", "warm", "warm, no index")


def timed(checkout: Path, project: Path, cache: Path, jobs: int | None) -> tuple[float, float]:
    """(wall, CPU) seconds of one `nanlint PROJECT` process with its workers."""
    return run_timed(checkout, ["-m", "nanlint", str(project), "--isolated", "--exit-zero", "-q", "--cache-dir",
                                str(cache), *(("--jobs", str(jobs)) if jobs else ())])


def one_round(checkout: Path, project: Path, jobs: int | None) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        cold = timed(checkout, project, cache, jobs)
        warm = timed(checkout, project, cache, jobs)
        for index in cache.rglob("last-run.json"):
            index.unlink()
        return [cold, warm, timed(checkout, project, cache, jobs)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path, nargs="?", default=DEFAULT_PROJECT)
    parser.add_argument("--against", type=Path, help="another checkout, run in alternating order")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="--jobs of each run (default: nanlint's)")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.against.resolve()] if args.against else [])
    project = args.project.resolve()  # each checkout runs in its own directory
    for checkout in checkouts:  # bytecode for both, so that no round pays for compiling
        with tempfile.TemporaryDirectory() as scratch:
            timed(checkout, project, Path(scratch) / "cache", args.jobs)
    times: dict[tuple[Path, str], list[tuple[float, float]]] = {}
    loads = []
    for run in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for checkout in checkouts if run % 2 == 0 else checkouts[::-1]:
            for name, measured in zip(RUNS, one_round(checkout, project, args.jobs)):
                times.setdefault((checkout, name), []).append(measured)
    print(f"{project.name}: load average (1 min) before the rounds: {min(loads):.1f}-{max(loads):.1f}; "
          f"{args.rounds} rounds")
    report(times, digits=2)


if __name__ == "__main__":
    main()
