"""Time the runtime verifier per finding on fixtures/: a cold worker (start + TensorFlow import + first
finding) and warm findings (the same worker reused, one forked child each), by recipe.

    python bench/verify_bench.py            # prints a markdown table; --append adds it to bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nanlint.config import Settings  # noqa: E402
from nanlint.discovery import discover  # noqa: E402
from nanlint.linter import lint_bytes  # noqa: E402
from nanlint.verify.recipes import recipe_for  # noqa: E402
from nanlint.verify.sandbox import Limits, Worker  # noqa: E402
from nanlint.verify.snippet import SnippetError, extract, extract_model  # noqa: E402


def fixture_requests() -> list[tuple[str, dict]]:
    settings = Settings()
    files, _ = discover([str(ROOT / "fixtures")], settings)
    requests = []
    for real, _display in files:
        source = Path(real).read_text(encoding="utf-8")
        for finding in lint_bytes(source.encode(), real, settings.selection).findings:
            recipe = recipe_for(finding.code, finding.extra.get("mechanism"))
            if recipe is None:
                continue
            try:
                snippet = (extract_model(source, finding.line) if recipe.name == "training" else
                           extract(source, finding.line, finding.col, (finding.end_line, finding.end_col)))
            except SnippetError:
                continue
            if not snippet.unresolved:
                requests.append((f"{finding.code} {Path(real).name}:{finding.line}", recipe.request(snippet)))
    return requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--bugs", nargs="*", metavar="SUBSTRING",
                        help="score verdicts on bench/bugs (optionally only cases whose name contains one)")
    args = parser.parse_args()
    if args.bugs is not None:
        print(bugs_report(args.bugs))
        return
    requests = fixture_requests()
    start = time.monotonic()
    worker = Worker(device="cpu")
    started = time.monotonic() - start
    timings: dict[str, list[float]] = {}
    cold = None
    with worker:
        for label, request in requests:
            t0 = time.monotonic()
            answer = worker.run(request, Limits(seconds=120))
            elapsed = time.monotonic() - t0
            if cold is None:
                cold = started + elapsed
                continue  # the first one pays the TensorFlow import: reported as cold
            timings.setdefault(request["recipe"], []).append(elapsed)
            print(f"{elapsed:7.3f} s  {label}: {answer['status']}", file=sys.stderr)
    lines = ["", "## Verifier", "",
             f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, CPU only, "
             f"{len(requests)} verifiable findings on fixtures/ (`python bench/verify_bench.py`).", "",
             "| measure | seconds |", "|---|---|",
             f"| worker start (process, no TF yet) | {started:.3f} |",
             f"| cold: worker start + TF import + first finding | {cold:.2f} |"]
    for recipe, values in sorted(timings.items()):
        lines.append(f"| warm per finding, `{recipe}` recipe (n={len(values)}): median / max | "
                     f"{statistics.median(values):.3f} / {max(values):.3f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.append:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as handle:
            handle.write(table)



# --- the development set: `python bench/verify_bench.py --bugs` ---

def bugs_report(selected: list[str] | None = None) -> str:
    """Verify every bench/bugs case (bug and fixed) in one nanlint run each, and score the verdicts."""
    import json
    import subprocess
    import tomllib
    from collections import Counter

    sys.path.insert(0, str(ROOT / "bench"))
    from recall import BLIND  # a batch still waiting for its one blind scoring is never verified here

    cases = sorted(p for p in (ROOT / "bench" / "bugs").iterdir() if (p / "case.toml").is_file()
                   and tomllib.loads((p / "case.toml").read_text()).get("heldout", "") not in BLIND)
    if selected:
        cases = [c for c in cases if any(s in c.name for s in selected)]

    def verify(paths: list[Path]) -> tuple[list[dict], float]:
        start = time.monotonic()
        ran = subprocess.run([sys.executable, "-m", "nanlint", "verify", *map(str, paths), "--no-cache",
                              "--device", "cpu", "--output-format", "json", "--verify-timeout", "60",
                              "--verify-total-timeout", "5400", "--isolated"],
                             capture_output=True, text=True, cwd=ROOT, env={**__import__("os").environ,
                                                                          "PYTHONPATH": str(ROOT)})
        try:
            return json.loads(ran.stdout or "[]"), time.monotonic() - start
        except ValueError:
            sys.stderr.write(ran.stderr[-3000:])
            raise

    def target(case: Path, name: str) -> Path:
        return case / f"{name}.py" if (case / f"{name}.py").exists() else case / name

    bugs, bug_wall = verify([target(c, "bug").relative_to(ROOT) for c in cases])
    fixed, fixed_wall = verify([target(c, "fixed").relative_to(ROOT) for c in cases if target(c, "fixed").exists()])
    dump = __import__("os").environ.get("NANLINT_BENCH_DUMP")
    if dump:  # the raw verdicts, for reading them one by one
        Path(dump).write_text(json.dumps({"bugs": bugs, "fixed": fixed}, indent=1))
    labels = {c.name: tomllib.loads((c / "case.toml").read_text()) for c in cases}

    def case_of(finding: dict) -> str:
        return (ROOT / finding["filename"]).resolve().relative_to(ROOT / "bench" / "bugs").parts[0]

    def on_label(finding: dict) -> bool:
        label = labels[case_of(finding)]
        where = Path(finding["filename"])
        lines = {str(x) for x in label.get("lines", [])}
        row = finding["location"]["row"]
        return finding["code"] in label.get("codes", []) and (
            str(row) in lines or f"{where.name}:{row}" in lines)

    true_expr = [f for f in bugs if f["verdict"] and labels[case_of(f)].get("kind") == "expression"
                 and on_label(f)]
    status = Counter(f["verdict"]["status"] for f in true_expr)
    cases_expr = {case_of(f) for f in true_expr}
    confirmed_cases = {case_of(f) for f in true_expr if f["verdict"]["status"] == "confirmed"}
    tf1 = [f for f in true_expr if labels[case_of(f)].get("tf1")]
    reasons = Counter(f["verdict"]["reason"] for f in bugs if f["verdict"] and f["verdict"]["status"] == "could not run")
    model = [f for f in bugs if f["verdict"] and labels[case_of(f)].get("kind") == "model" and on_label(f)]
    def on_fixed_label(finding: dict) -> bool:
        label = labels[case_of(finding)]
        lines = {str(x) for x in label.get("fixed_lines", [])}
        row = finding["location"]["row"]
        return str(row) in lines or f"{Path(finding['filename']).name}:{row}" in lines

    fixed_confirmed = [f for f in fixed if f["verdict"] and f["verdict"]["status"] == "confirmed"
                       and on_fixed_label(f)]
    elsewhere = [f for f in fixed if f["verdict"] and f["verdict"]["status"] == "confirmed" and not on_fixed_label(f)]
    ran = [f["verdict"]["seconds"] for f in true_expr if f["verdict"]["status"] != "could not run"]
    lines = ["", "### Verifier on the development set (bench/bugs)", "",
             f"{len(cases)} cases, `python bench/verify_bench.py --bugs` (CPU, one nanlint run for the bug files: "
             f"{bug_wall:.0f} s, one for the fixed files: {fixed_wall:.0f} s).", "",
             f"- True expression-level findings (a labelled code on a labelled line): {len(true_expr)} in "
             f"{len(cases_expr)} cases; confirmed {status['confirmed']}, not reproduced {status['not reproduced']}, "
             f"could not run {status['could not run']} "
             f"({100 * status['confirmed'] / max(1, len(true_expr)):.0f}% confirmed; cases with a confirmation: "
             f"{len(confirmed_cases)}/{len(cases_expr)}).",
             f"- TF1 graph cases among them: {len(tf1)} findings, "
             f"{sum(f['verdict']['status'] == 'confirmed' for f in tf1)} confirmed, "
             f"{sum(f['verdict']['status'] != 'could not run' for f in tf1)} with a verdict that ran.",
             f"- Model-level true findings: {len(model)}; " + ", ".join(
                 f"{k} {v}" for k, v in Counter(f['verdict']['status'] for f in model).items()) + ".",
             f"- Confirmations on the fixed lines of the fixed files: {len(fixed_confirmed)} "
             + (f"({', '.join(sorted({case_of(f) for f in fixed_confirmed}))})" if fixed_confirmed else "")
             + f"; elsewhere in the fixed files (hazards the fix left, read one by one): {len(elsewhere)}.",
             f"- Median seconds per verified expression finding (worker warm, TF imported): "
             f"{statistics.median(ran) if ran else float('nan'):.2f} (n={len(ran)}).",
             "- \"could not run\" reasons over every finding of the bug files: " + ", ".join(
                 f"{reason} {count}" for reason, count in reasons.most_common()) + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
