"""The two small-input speed targets of issue 17, measured as a user meets them: `nanlint one_file.py` cold
(target < 0.25 s) and a file with 3,000 findings (target < 1 s), each a fresh process with `--no-cache`.

Reports CPU seconds (user + system of the nanlint process; what a shared machine's load changes least) and wall
seconds, best and median of `--runs`, with the load average before each round. With `--against DIR` (another
checkout, e.g. main before a change) the two are run in alternating rounds, so the load falls on both alike.

Bytecode: the child processes get PYTHONDONTWRITEBYTECODE removed and a pycache under `bench/.work/pycache`
(warmed by one discarded run per checkout), because an installed nanlint has its bytecode; a machine-wide
PYTHONDONTWRITEBYTECODE=1 makes every run recompile nanlint's ~60 modules (twice the CPU of one file).

    python bench/fastpath.py [--runs 7] [--against /path/to/other/checkout] [--file F] [--only one|dense]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
ONE_FILE = Path("/work/shared/corpora/keras-io/examples/generative/vae.py")  # one finding (NAN009)
DENSE_LINE = "    a{i} = tf.math.log(tf.nn.softmax(x))\n"  # NAN001 on each line


def dense_file(findings: int = 3000) -> Path:
    path = WORK / f"dense_{findings}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("import tensorflow as tf\n\n\ndef f(x):\n"
                    + "".join(DENSE_LINE.format(i=i) for i in range(findings)) + "    return x\n")
    return path


def run_timed(checkout: Path, arguments: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one `python ARGUMENTS` process, with its workers, run from `checkout`'s code."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(checkout), PYTHONPYCACHEPREFIX=str(WORK / "pycache"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # cwd: `python -m` puts the working directory first on sys.path, ahead of PYTHONPATH
    subprocess.run([sys.executable, *arguments], cwd=checkout, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(checkout: Path, target: Path | None) -> tuple[float, float]:
    """(wall, CPU) seconds of one `nanlint TARGET` process; without a target, of `python -c "import libcst"`
    (the floor: the interpreter and the parser's import)."""
    return run_timed(checkout, ["-c", "import libcst"] if target is None else [
        "-m", "nanlint", str(target), "--isolated", "--no-cache", "--exit-zero", "-q"])


def report(times: dict[tuple[Path, str], list[tuple[float, float]]], digits: int) -> None:
    """Best and median CPU and wall seconds per (checkout, run)."""
    for (checkout, name), runs in times.items():
        cpu = [c for _, c in runs]
        wall = [w for w, _ in runs]
        print(f"{checkout} | {name}: CPU best {min(cpu):.{digits}f} s, median {statistics.median(cpu):.{digits}f} s; "
              f"wall best {min(wall):.{digits}f} s, median {statistics.median(wall):.{digits}f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout, run in alternating rounds")
    parser.add_argument("--file", type=Path, default=ONE_FILE, help="the one file (default: keras-io's vae.py)")
    parser.add_argument("--only", choices=("one", "dense"))
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.against.resolve()] if args.against else [])
    targets: dict[str, Path | None] = {"one file": args.file, "dense 3,000": dense_file(), "floor": None}
    if args.only:
        targets = {name: path for name, path in targets.items() if name.startswith(args.only)}
    for checkout in checkouts:  # bytecode for both, so that no round pays for compiling
        for target in targets.values():
            timed(checkout, target)
    times: dict[tuple[Path, str], list[tuple[float, float]]] = {}
    loads = []
    for run in range(args.runs):
        loads.append(os.getloadavg()[0])
        for checkout in checkouts if run % 2 == 0 else checkouts[::-1]:
            for name, target in targets.items():
                times.setdefault((checkout, name), []).append(timed(checkout, target))
    print(f"load average (1 min) before the rounds: {min(loads):.1f}-{max(loads):.1f}; {args.runs} rounds")
    report(times, digits=3)


if __name__ == "__main__":
    main()
