"""Benchmark nanlint against its peers on the same real Keras/TF files, in the same run.

    python bench/corpus.py                       # once: builds bench/corpus/ from PyPI wheels
    python bench/run.py                          # sample of 400 files, 3 rounds each, + whole-corpus checks
    python bench/run.py --sample 0 --rounds 1    # every tool on the whole corpus (slow: pylint, Fixit)

Prints files/s per tool (best of the rounds, median in brackets), the ratios the targets are stated in,
nanlint's parse/analysis/checks split, internal errors over the whole corpus (must be 0), peak RSS and the
wall time of `nanlint one_file.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/ is not a package)


def sample(files: list[Path], size: int) -> list[Path]:
    """Every k-th file: deterministic and spread over all four packages."""
    if size <= 0 or size >= len(files):
        return files
    step = len(files) / size
    return [files[int(i * step)] for i in range(size)]


def timed(command: list[str], rounds: int, env: dict | None = None, before=None) -> list[float]:
    times = []
    for _ in range(rounds):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return times


def in_process(function, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def nanlint_split(texts: list[str]) -> tuple[float, float, float]:
    """Seconds spent in libcst.parse_module, ModuleAnalysis.build and the checks, over the same files."""
    import libcst as cst

    from nanlint.analysis.module import ModuleAnalysis
    from nanlint.linter import check_module
    from nanlint.selection import Selection

    parse = analysis = checks = 0.0
    for text in texts:
        start = time.perf_counter()
        try:
            module = cst.parse_module(text)
        except Exception:
            continue
        parsed = time.perf_counter()
        built = ModuleAnalysis.build(module, "f.py")
        analysed = time.perf_counter()
        check_module(built, text, Selection())
        checked = time.perf_counter()
        parse += parsed - start
        analysis += analysed - parsed
        checks += checked - analysed
    return parse, analysis, checks


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f"{int(memory.split()[1]) / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    return f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM, Python {platform.python_version()}, {platform.system()}"


def row(name: str, count: int, times: list[float]) -> tuple[str, float]:
    best, median = min(times), statistics.median(times)
    print(f"| {name} | {best:.2f} s | {median:.2f} s | {count / best:,.0f} |")
    return name, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=400, help="files timed per tool (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", action="append", default=[], help="tool to skip (pylint, fixit, ...)")
    args = parser.parse_args()

    if not corpus.files():
        print("no corpus: run python bench/corpus.py first", file=sys.stderr)
        return 2
    # Outside the repository: bench/corpus/ is gitignored, and Fixit skips gitignored files.
    copy = Path(tempfile.mkdtemp(prefix="nanlint-bench-corpus-"))
    shutil.copytree(corpus.CORPUS, copy, dirs_exist_ok=True)
    every = sorted(copy.rglob("*.py"))
    files = [str(path) for path in sample(every, args.sample)]
    texts = [Path(path).read_text(encoding="utf-8", errors="replace") for path in files]
    relevant = sum(("tensorflow" in t or "keras" in t) for t in texts)
    python = sys.executable
    print(f"# nanlint benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"timed files: {len(files)} of {len(every)} ({relevant} mention tensorflow/keras), "
          f"{sum(map(len, texts)) / 1e6:.1f} MB; best of {args.rounds} rounds [median]\n")

    cache = Path(tempfile.mkdtemp(prefix="nanlint-bench-cache-"))
    nanlint = [python, "-m", "nanlint", "--isolated", "--exit-zero"]
    tools = {
        "nanlint cold (--no-cache)": (nanlint + ["--no-cache", *files], None),
        "nanlint warm cache": (nanlint + ["--cache-dir", str(cache), *files], None),
        "nanlint cold, --jobs 1": (nanlint + ["--no-cache", "--jobs", "1", *files], None),
        "flake8 (default plugins)": ([python, "-m", "flake8", "--exit-zero", *files], None),
        "pylint -E": ([python, "-m", "pylint", "-E", "--exit-zero", *files], None),
        "fixit lint (default rules)": ([python, "-m", "fixit", "lint", *files], None),
    }
    subprocess.run(tools["nanlint warm cache"][0], stdout=subprocess.DEVNULL, check=False)  # fill the cache
    print("| tool | best | median | files/s |\n|---|---|---|---|")
    best: dict[str, float] = {}
    for name, (command, env) in tools.items():
        if any(skip in name for skip in args.skip):
            continue
        # pylint takes minutes per round here: one round is enough to place it.
        rounds = 1 if name.startswith("pylint") else args.rounds
        best.update([row(name, len(files), timed(command, rounds, env))])

    import libcst as cst

    def parse_all() -> None:
        for text in texts:
            try:
                cst.parse_module(text)
            except Exception:
                pass

    best.update([row("libcst.parse_module alone (in process, 1 core)", len(files), in_process(parse_all, args.rounds))])
    parse, analysis, checks = min((nanlint_split(texts) for _ in range(args.rounds)), key=sum)
    print(f"\nnanlint in process, same files: parse {parse:.2f} s, ModuleAnalysis.build {analysis:.2f} s "
          f"({analysis / parse:.2f}x the parse), checks {checks:.2f} s ({checks / parse:.2f}x the parse)")

    cold = best["nanlint cold (--no-cache)"]
    print("\nratios (target):")
    for name, target in (("flake8 (default plugins)", "> 1"), ("fixit lint (default rules)", ">= 5"),
                         ("nanlint warm cache", None), ("pylint -E", None)):
        if name in best:
            if name == "nanlint warm cache":
                print(f"- cold / warm: {cold / best[name]:.1f}x (>= 20)")
            else:
                print(f"- {name} / nanlint cold: {best[name] / cold:.1f}x" + (f" ({target})" if target else ""))

    one = files[0] if not relevant else next(f for f, t in zip(files, texts) if "tensorflow" in t or "keras" in t)
    one_cold = timed([python, "-m", "nanlint", "--isolated", "--no-cache", "--exit-zero", one], max(5, args.rounds))
    one_warm = timed([python, "-m", "nanlint", "--isolated", "--cache-dir", str(cache), "--exit-zero", one],
                     max(5, args.rounds))
    bare = timed([python, "-c", "pass"], max(5, args.rounds))
    print(f"\n`nanlint one_file.py` ({Path(one).name}): cold {min(one_cold):.3f} s, warm {min(one_warm):.3f} s "
          f"(python -c pass: {min(bare):.3f} s) (target < 0.3 s)")

    print(f"\nwhole corpus ({len(every)} files), nanlint --output-format json, empty cache:")
    # A wrapper process, so ru_maxrss covers nanlint's processes only, not the tools timed above.
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
               "sys.stdout.buffer.write(done.stdout); sys.stderr.buffer.write(done.stderr); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(done.returncode)")
    from nanlint.cache import source_hash

    # Editing nanlint while the bench runs (a shared machine) rightly invalidates the cache: say so.
    code_before = source_hash.__wrapped__()
    start = time.perf_counter()
    done = subprocess.run([python, "-c", measure, *nanlint, "--cache-dir", str(cache / "all"), "--output-format", "json",
                           str(copy)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    *stderr, peak = done.stderr.rstrip("\n").split("\n")
    stderr = "\n".join(stderr)
    try:
        findings = json.loads(done.stdout or "[]")
    except ValueError:
        findings = None
    internal = -1 if findings is None else sum(f.get("code") == "NAN999" for f in findings)
    tracebacks = stderr.count("Traceback")
    codes: dict[str, int] = {}
    for finding in findings or []:
        codes[finding["code"]] = codes.get(finding["code"], 0) + 1
    print(f"- {seconds:.1f} s ({len(every) / seconds:,.0f} files/s), exit {done.returncode}")
    print(f"- internal errors: NAN999 {internal}, tracebacks {tracebacks} (must be 0, 0)")
    print(f"- findings by code: {dict(sorted(codes.items()))}")
    warm = timed(nanlint + ["--cache-dir", str(cache / "all"), str(copy)], args.rounds)
    edited = " (INVALID: nanlint's source changed during the run)" if source_hash.__wrapped__() != code_before else ""
    print(f"- warm re-run of the whole corpus: {min(warm):.2f} s, {seconds / min(warm):.0f}x faster (>= 20){edited}")
    print(f"- peak RSS of the largest nanlint process: {int(peak) / 1024:.0f} MiB")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(copy, ignore_errors=True)
    return 0 if internal == 0 and tracebacks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
