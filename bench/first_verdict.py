"""Time to the first verdict a user sees: `nanlint verify fixtures/ --no-cache` (the README's main job, cold:
no lint cache, no verdict cache), stderr not a terminal, so each verdict is one `nanlint: verified` line.

Reports, per run: seconds from the process start to the first verdict line, to the last one, and to the end of
the report on stdout. With `--against DIR` (another checkout, e.g. the commit before a change) the two are run
in alternating pairs, so that a shared machine's load falls on both alike.

    python bench/first_verdict.py [--runs 5] [--against /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import selectors
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERDICT = "nanlint: verified "


@dataclass(frozen=True)
class Timing:
    first_verdict: float
    last_verdict: float
    report_done: float
    verdicts: int


def time_run(checkout: Path, paths: list[str]) -> Timing:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "nanlint", "verify", *paths, "--no-cache", "--device", "cpu"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    streams = selectors.DefaultSelector()
    streams.register(process.stdout, selectors.EVENT_READ)
    streams.register(process.stderr, selectors.EVENT_READ)
    verdicts: list[float] = []
    report_done = 0.0
    while streams.get_map():
        for key, _ in streams.select():
            line = key.fileobj.readline()  # type: ignore[union-attr]
            now = time.monotonic() - start
            if not line:
                streams.unregister(key.fileobj)
            elif key.fileobj is process.stderr and line.startswith(VERDICT):
                verdicts.append(now)
            elif key.fileobj is process.stdout:
                report_done = now
    process.wait()
    if not verdicts:
        raise SystemExit(f"no verdict line from {checkout}")
    return Timing(verdicts[0], verdicts[-1], report_done, len(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout, run alternately (its stderr must have "
                                                     "the `nanlint: verified` lines)")
    parser.add_argument("paths", nargs="*", default=["fixtures/"])
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.against] if args.against else [])
    timings: dict[Path, list[Timing]] = {checkout: [] for checkout in checkouts}
    for run in range(args.runs):
        for checkout in checkouts if run % 2 == 0 else checkouts[::-1]:
            timing = time_run(checkout, args.paths)
            timings[checkout].append(timing)
            print(f"{checkout}: first verdict {timing.first_verdict:.2f} s, last {timing.last_verdict:.2f} s, "
                  f"report {timing.report_done:.2f} s ({timing.verdicts} verdicts); load {os.getloadavg()[0]:.1f}",
                  file=sys.stderr)
    for checkout, runs in timings.items():
        firsts = sorted(t.first_verdict for t in runs)
        print(f"{checkout}: first verdict median {statistics.median(firsts):.2f} s (min {firsts[0]:.2f}, "
              f"max {firsts[-1]:.2f}); report median {statistics.median(t.report_done for t in runs):.2f} s")


if __name__ == "__main__":
    main()
