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
            recipe = recipe_for(finding.code)
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
