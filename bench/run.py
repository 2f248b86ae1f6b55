"""Benchmark nanlint against its peers on the same real Keras/TF files, in the same run.

    python bench/corpus.py                       # once: builds the PyPI corpus from pinned wheels
    python bench/run.py                          # user-style code: keras-io + tf-models-official, 400 files
    python bench/run.py --corpus library         # keras, tf-keras, keras-hub, tf-models-official
    python bench/run.py --corpus keras-io+pypi   # keras-io and every wheel of the PyPI corpus (issue 17's target)
    python bench/run.py --sample 0 --rounds 1    # every tool on the whole corpus (slow: pylint, Fixit)

Fairness: each peer runs from a virtualenv of its own (bench/.work/peers/TOOL, made on first use), so flake8
loads only its default plugins and never nanlint's own flake8 plugin (which doubled its cost in an earlier
version of this bench). Rounds alternate between tools (A B C A B C ...), so a change of machine load hits every
tool alike. Wall and CPU time (user + system of the tool's processes) are both reported; ratios use the best
round of each.
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
import resource
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


PEERS = HERE / ".work" / "peers"
SHARED_CORPUS = corpus.corpora.BY_NAME["keras-io"].directory
# The peers and what their virtualenvs install; each runs with the defaults its users get.
PEER_PACKAGES = {"flake8": ["flake8"], "ruff": ["ruff"], "fixit": ["fixit"], "pylint": ["pylint"]}


def peer(tool: str) -> Path:
    """The `bin/` of the tool's own virtualenv, made on first use."""
    env = PEERS / tool
    if not (env / "bin" / tool).exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", *PEER_PACKAGES[tool]],
                       check=True)
    return env / "bin"


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run: CPU is user + system time of the command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # A peer runs without this process' PYTHONPATH: with the checkout on it, flake8 finds nanlint's metadata and
    # its flake8 plugin, fails to load it (no libcst in flake8's env) and exits at once, which reads as 0.1 s.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"} \
        if command[0].startswith(str(PEERS)) else None
    start = time.perf_counter()
    ran = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=environment)
    if b"Traceback" in ran.stderr:  # a crashed tool is not a fast one (Fixit exits 1 on findings: not a crash)
        raise SystemExit(f"{Path(command[0]).name} crashed: {ran.stderr.decode(errors='replace')[-400:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternating(tools: dict[str, list[str]], rounds: dict[str, int]) -> dict[str, list[tuple[float, float]]]:
    """Each tool's (wall, CPU) per round, the rounds interleaved across tools."""
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
    for round_ in range(max(rounds.values())):
        for name, command in tools.items():
            if round_ < rounds[name]:
                results[name].append(timed(command))
    return results


def in_process(function, rounds: int) -> list[float]:
    """CPU seconds of each round (this process only: on a shared machine, wall time is mostly other work)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return times


def nanlint_split(texts: list[str]) -> tuple[float, float, float]:
    """CPU seconds spent in nanlint's parse (the syntax pre-check's CPython AST, the screen and the AST's conversion
    to libcst nodes, as a run does it), ModuleAnalysis.build and the checks, over the files of `texts` that mention
    the frameworks (the others get NAN002's two outside-framework mechanisms only: about 1% of a cold run on the
    PyPI corpus, bench/FINDINGS.md)."""
    from nanlint import linter
    from nanlint.analysis.module import ModuleAnalysis
    from nanlint.selection import Selection

    parse = analysis = checks = 0.0
    for text in filter(linter.mentions_framework, texts):
        start = time.process_time()
        try:
            module, source = linter._parse(text, "f.py", screen=True)
        except Exception:  # not parsed (the screen, a syntax error): its time is the parse's
            parse += time.process_time() - start
            continue
        parsed = time.process_time()
        built = ModuleAnalysis.build(module, "f.py", source)
        analysed = time.process_time()
        linter.check_module(built, text, Selection())
        checked = time.process_time()
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


def row(name: str, count: int, times: list[tuple[float, float]]) -> tuple[str, tuple[float, float]]:
    wall, cpu = min(t[0] for t in times), min(t[1] for t in times)
    median = statistics.median(t[0] for t in times)
    print(f"| {name} | {wall:.2f} s | {median:.2f} s | {cpu:.2f} s | {count / wall:,.0f} |")
    return name, (wall, cpu)


def corpus_files(which: str) -> list[Path]:
    """User-style code (the keras-io examples and tf-models-official), library code (every wheel), or both kinds
    as issue 17 asks: keras-io and the whole PyPI corpus."""
    if which == "library":
        return corpus.files()
    if which == "keras-io+pypi":
        return sorted(SHARED_CORPUS.rglob("*.py")) + corpus.files()
    models = [path for path in corpus.files() if "tf_models_official" in str(path)]
    return sorted(SHARED_CORPUS.rglob("*.py")) + models


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=400, help="files timed per tool (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", action="append", default=[], help="tool to skip (pylint, fixit, ...)")
    parser.add_argument("--corpus", choices=("user", "library", "keras-io+pypi"), default="user")
    args = parser.parse_args()

    if not corpus.files():
        print("no corpus: run python bench/corpus.py first", file=sys.stderr)
        return 2
    # Outside the repository: bench/.work/ is gitignored, and Fixit skips gitignored files.
    copy = Path(tempfile.mkdtemp(prefix="nanlint-bench-corpus-"))
    for index, path in enumerate(corpus_files(args.corpus)):
        target = copy / f"{index // 500:02d}" / f"{index:05d}_{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    every = sorted(copy.rglob("*.py"))
    files = [str(path) for path in sample(every, args.sample)]
    texts = [Path(path).read_text(encoding="utf-8", errors="replace") for path in files]
    relevant = sum(("tensorflow" in t or "keras" in t) for t in texts)
    python = sys.executable
    print(f"# nanlint benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"corpus: {args.corpus}; timed files: {len(files)} of {len(every)} ({relevant} mention tensorflow/keras), "
          f"{sum(map(len, texts)) / 1e6:.1f} MB; best of {args.rounds} alternating rounds [median]\n")

    cache = Path(tempfile.mkdtemp(prefix="nanlint-bench-cache-"))
    nanlint = [python, "-m", "nanlint", "--isolated", "--exit-zero"]
    tools = {
        "nanlint cold (--no-cache)": nanlint + ["--no-cache", *files],
        "nanlint warm cache": nanlint + ["--cache-dir", str(cache), *files],
        "nanlint cold, --jobs 1": nanlint + ["--no-cache", "--jobs", "1", *files],
        "flake8 (own env, default plugins)": [str(peer("flake8") / "flake8"), "--exit-zero", *files],
        "ruff check --select ALL (own env)": [str(peer("ruff") / "ruff"), "check", "--select", "ALL", "--no-cache",
                                              "--exit-zero", "--isolated", *files],
        "fixit lint (own env, default rules)": [str(peer("fixit") / "fixit"), "lint", *files],
        "pylint -E (own env)": [str(peer("pylint") / "pylint"), "-E", "--exit-zero", *files],
    }
    tools = {name: command for name, command in tools.items() if not any(skip in name for skip in args.skip)}
    subprocess.run(tools["nanlint warm cache"], stdout=subprocess.DEVNULL, check=False)  # fill the cache
    # pylint takes minutes per round here: one round is enough to place it.
    rounds = {name: 1 if name.startswith("pylint") else args.rounds for name in tools}
    print("| tool | best wall | median wall | best CPU | files/s |\n|---|---|---|---|---|")
    best: dict[str, tuple[float, float]] = {}
    for name, times in alternating(tools, rounds).items():
        best.update([row(name, len(files), times)])

    import libcst as cst

    def parse_all() -> None:
        for text in texts:
            try:
                cst.parse_module(text)
            except Exception:
                pass

    parse_times = in_process(parse_all, args.rounds)
    best.update([row("libcst.parse_module alone (in process, CPU)", len(files), [(t, t) for t in parse_times])])
    parse, analysis, checks = min((nanlint_split(texts) for _ in range(args.rounds)), key=sum)
    print(f"\nnanlint in process, the files it parses: parse (pre-check, screen, AST conversion) {parse:.2f} s, ModuleAnalysis.build "
          f"{analysis:.2f} s ({analysis / parse:.2f}x the parse), checks {checks:.2f} s ({checks / parse:.2f}x the parse)")
    if "flake8 (own env, default plugins)" in best:
        # what a nanlint that did nothing but parse the same files would reach against flake8
        print(f"ceiling set by the parse: flake8 CPU / nanlint's parse alone = "
              f"{best['flake8 (own env, default plugins)'][1] / parse:.2f}x")

    cold_wall, cold_cpu = best["nanlint cold (--no-cache)"]
    print("\nratios, wall and CPU (target):")
    for name, target in (("flake8 (own env, default plugins)", ">= 2"), ("fixit lint (own env, default rules)", ">= 20"),
                         ("ruff check --select ALL (own env)", None), ("pylint -E (own env)", None),
                         ("nanlint warm cache", None)):
        if name not in best:
            continue
        wall, cpu = best[name]
        if name == "nanlint warm cache":
            print(f"- cold / warm: {cold_wall / wall:.1f}x wall (>= 50)")
        else:
            print(f"- {name} / nanlint cold: {wall / cold_wall:.2f}x wall, {cpu / cold_cpu:.2f}x CPU"
                  + (f" ({target})" if target else ""))

    one = files[0] if not relevant else next(f for f, t in zip(files, texts) if "tensorflow" in t or "keras" in t)
    repeats = max(5, args.rounds)
    one_runs = [timed([python, "-m", "nanlint", "--isolated", "--no-cache", "--exit-zero", one]) for _ in range(repeats)]
    one_cold = [wall for wall, _ in one_runs]
    one_warm = [timed([python, "-m", "nanlint", "--isolated", "--cache-dir", str(cache), "--exit-zero", one])[0]
                for _ in range(repeats)]
    bare = [timed([python, "-c", "pass"])[0] for _ in range(repeats)]
    print(f"\n`nanlint one_file.py` ({Path(one).name}): cold {min(one_cold):.3f} s, warm {min(one_warm):.3f} s "
          f"(python -c pass: {min(bare):.3f} s) (target < 0.25 s); cold CPU {min(cpu for _, cpu in one_runs):.3f} s")

    dense = copy / "dense_3000.py"  # 3,000 findings in one file: positions and reporting, not parsing, dominate
    dense.write_text("import tensorflow as tf\n\n\ndef f(x):\n"
                     + "".join(f"    a{i} = tf.math.log(tf.nn.softmax(x))\n" for i in range(3000)) + "    return x\n")
    dense_runs = [timed([python, "-m", "nanlint", "--isolated", "--no-cache", "--exit-zero", str(dense)])
                  for _ in range(args.rounds)]
    print(f"`nanlint dense_3000.py` (3,000 findings), cold: {min(w for w, _ in dense_runs):.2f} s wall, "
          f"{min(c for _, c in dense_runs):.2f} s CPU (target < 1 s)")
    dense.unlink()

    print(f"\nwhole corpus ({len(every)} files), nanlint --output-format json, empty cache:")
    # A wrapper process, so ru_maxrss covers nanlint's processes only, not the tools timed above.
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
               "sys.stdout.buffer.write(done.stdout); sys.stderr.buffer.write(done.stderr); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(done.returncode)")
    from nanlint.cache import source_hash

    # Editing nanlint while the bench runs (a shared machine) rightly invalidates the cache: say so.
    code_before = source_hash.__wrapped__()
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([python, "-c", measure, *nanlint, "--cache-dir", str(cache / "all"), "--output-format", "json",
                           str(copy)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
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
    print(f"- {seconds:.1f} s wall, {cpu:.1f} s CPU ({len(every) / seconds:,.0f} files/s), exit {done.returncode}")
    print(f"- internal errors: NAN999 {internal}, tracebacks {tracebacks} (must be 0, 0)")
    print(f"- findings by code: {dict(sorted(codes.items()))}")
    warm_runs = [timed(nanlint + ["--cache-dir", str(cache / "all"), str(copy)]) for _ in range(args.rounds)]
    warm = [wall for wall, _ in warm_runs]
    warm_cpu = min(cpu_time for _, cpu_time in warm_runs)
    edited = " (INVALID: nanlint's source changed during the run)" if source_hash.__wrapped__() != code_before else ""
    print(f"- warm re-run of the whole corpus: {min(warm):.2f} s wall, {warm_cpu:.2f} s CPU; {seconds / min(warm):.0f}x "
          f"faster in wall time, {cpu / warm_cpu:.0f}x in CPU (>= 50){edited}")
    print(f"- peak RSS of the largest nanlint process: {int(peak) / 1024:.0f} MiB")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(copy, ignore_errors=True)
    return 0 if internal == 0 and tracebacks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
