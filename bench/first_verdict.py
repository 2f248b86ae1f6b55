"""Time to the first verdict a user sees: `nanlint verify fixtures/ --no-cache` (the README's main job, cold:
no lint cache, no verdict cache), stderr not a terminal, so each verdict is one `nanlint: verified` line.

Reports, per run: seconds from the process start to the first verdict line, to the last one, and to the end of
the report on stdout. With `--against DIR` (another checkout, e.g. the commit before a change) the two are run
in alternating pairs, so that a shared machine's load falls on both alike.

On a loaded machine wall time says little (with more runnable processes than cores nothing overlaps), so
`--critical-path` measures the CPU seconds of each step the first verdict waits for, which do not depend on the
load: the nanlint process until it sends the first request (start, lint, snippet), the worker's Python start
and TensorFlow import, and the forked child that judges the first findings. Since the worker is started before
linting, the first two overlap on an idle machine of two or more cores.

`--timeline` runs the same command with marks (seconds since the process was started): when the worker's
hello arrived, when linting ended, when the first request was sent and when its verdict came back, with the
load average: where the wall time of the first verdict goes on the machine as it is.

    python bench/first_verdict.py [--runs 5] [--against /path/to/other/checkout] [--critical-path] [--timeline]
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
    # cwd is the checkout: `python -m` puts the working directory first on sys.path, ahead of PYTHONPATH (run from
    # ROOT, both sides of --against ran ROOT's nanlint)
    process = subprocess.Popen([sys.executable, "-m", "nanlint", "verify", *(str(ROOT / path) for path in paths),
                                "--no-cache", "--device", "cpu"],
                               cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


PARENT = """
import resource, sys, time
from nanlint.verify import sandbox
run = sandbox.Worker.run
def first(self, request, limits):
    sandbox.Worker.run = run
    print(f"CPU {time.process_time():.3f}", file=sys.__stderr__, flush=True)
    raise SystemExit(0)
sandbox.Worker.run = first
from nanlint.cli import main
main(["verify", *sys.argv[1:], "--no-cache", "--device", "cpu", "-q"])
"""
TIMELINE = """
import sys, time
from nanlint import runner
from nanlint.verify import sandbox
def mark(name):
    print(f"MARK {name} {time.monotonic():.3f}", file=sys.__stderr__, flush=True)
def marked(function, before, after):
    calls = []
    def wrapped(*args, **kwargs):
        first = not calls
        calls.append(1)
        if first and before:
            mark(before)
        result = function(*args, **kwargs)
        if first:
            mark(after)
        return result
    return wrapped
sandbox.Worker.__init__ = marked(sandbox.Worker.__init__, None, "worker said hello (started before linting)")
runner.lint_files = marked(runner.lint_files, None, "linting done")
sandbox.Worker.run = marked(sandbox.Worker.run, "first request sent", "first verdict back")
from nanlint.cli import main
main(["verify", *sys.argv[1:], "--no-cache", "--device", "cpu", "-q"])
"""
IMPORT = """
import resource
import tensorflow as tf
tf.config.list_physical_devices("GPU")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"CPU {usage.ru_utime + usage.ru_stime:.3f}")
"""
CHILDREN = """
import json, os, sys
from pathlib import Path
from nanlint.config import Settings
from nanlint.linter import lint_bytes
from nanlint.verify import worker
from nanlint.verify.recipes import recipe_for
from nanlint.verify.snippet import extract
requests = []
for path in sorted(Path(sys.argv[1]).rglob("*.py")):
    source = path.read_text()
    for f in lint_bytes(source.encode(), str(path), Settings().selection).findings:
        recipe = recipe_for(f.code)
        if recipe is not None and recipe.name != "training":
            requests.append(recipe.request(extract(source, f.line, f.col, (f.end_line, f.end_col))))
server = worker._Server(protocol_fd=os.open(os.devnull, os.O_WRONLY))
server.gpu = worker._gpu_visible()
for request in requests[:5]:
    request.update(device="cpu", timeout=60, memory_mb=4096, workdir="/tmp", network_cut=True)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        worker._child(request, write_fd, "/CPU:0", server.protocol_fd)
    os.close(write_fd)
    _, _, usage = os.wait4(pid, 0)
    status = json.loads(os.read(read_fd, 1 << 20))["status"]
    print(f"CPU {usage.ru_utime + usage.ru_stime:.3f} {status}")
"""


def critical_path(runs: int, paths: list[str]) -> None:
    """The CPU seconds of each step before the first verdict (see the module's docstring)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "-1"}

    def cpu(code: str, *args: str, stream: str = "stdout") -> list[float]:
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        lines = (done.stderr if stream == "stderr" else done.stdout).splitlines()
        return [float(line.split()[1]) for line in lines if line.startswith("CPU ")]

    parent = [cpu(PARENT, *paths, stream="stderr")[0] for _ in range(runs)]
    imports = [cpu(IMPORT)[0] for _ in range(runs)]
    children = cpu(CHILDREN, paths[0])
    print(f"nanlint until the first request: {_spread(parent)} s CPU")
    print(f"worker: Python start + TensorFlow import: {_spread(imports)} s CPU")
    print(f"forked child per finding (first {len(children)}): {_spread(children)} s CPU")
    first = statistics.median(children)
    print(f"first verdict on an idle machine of 2+ cores, started before linting: about "
          f"{max(statistics.median(parent), statistics.median(imports)) + first:.2f} s of CPU on the critical path; "
          f"started after linting: {statistics.median(parent) + statistics.median(imports) + first:.2f} s")


def timeline(runs: int, paths: list[str]) -> None:
    """Marks of `nanlint verify` on this machine as it is (see the module's docstring)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(runs):
        load = os.getloadavg()[0]
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-c", TIMELINE, *paths], cwd=ROOT, env=env, capture_output=True,
                              text=True)
        marks = [line[5:].rsplit(" ", 1) for line in done.stderr.splitlines() if line.startswith("MARK ")]
        shown = ", ".join(f"{name} {float(at) - start:.2f} s" for name, at in marks)
        print(f"load {load:.1f}: {shown}")


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout, run alternately (its stderr must have "
                                                     "the `nanlint: verified` lines)")
    parser.add_argument("--critical-path", action="store_true", help="CPU seconds per step instead of wall times")
    parser.add_argument("--timeline", action="store_true", help="marks of one run each (see the docstring)")
    parser.add_argument("paths", nargs="*", default=["fixtures/"])
    args = parser.parse_args()
    if args.timeline:
        timeline(args.runs, args.paths)
        return
    if args.critical_path:
        critical_path(args.runs, args.paths)
        return
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
