"""`--verify`: after linting, run each finding that has a recipe in the sandboxed worker and attach its
Verdict. Importing this module never imports TensorFlow: only the worker process does."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from typing import TYPE_CHECKING

from nanlint.finding import Finding, Verdict

if TYPE_CHECKING:
    from nanlint.verify.sandbox import Worker

INSTALL_HINT = 'TensorFlow is not importable by {python}; install it with: pip install "nanlint[verify]"'
# A progress line appears only once a run has taken this long (short runs stay quiet).
PROGRESS_AFTER_SECONDS = 3.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("runtime verification (needs TensorFlow)")
    group.add_argument("--verify", action="store_true", help="run flagged code with TensorFlow to confirm NaN/Inf")
    group.add_argument("--repro-dir", metavar="DIR", help="write a standalone reproducer per confirmed finding")
    group.add_argument("--device", choices=("cpu", "gpu", "auto"), default="auto",
                       help="where the verifier runs TensorFlow (auto: GPU when TensorFlow sees one)")
    group.add_argument("--python", metavar="PATH", help="interpreter for the verifier worker (your project's, with TF)")
    group.add_argument("--verify-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="wall-clock limit per finding (default 60)")
    group.add_argument("--verify-total-timeout", type=float, default=900.0, metavar="SECONDS",
                       help="wall-clock limit for the whole verification run (default 900)")
    group.add_argument("--verify-memory", type=int, default=4096, metavar="MB",
                       help="memory limit per finding, on top of the worker's own (default 4096)")
    group.add_argument("--verify-verbose", action="store_true",
                       help="say how the sandbox is set up; show the worker's stderr")


def process_results(results, args, settings):
    if not getattr(args, "verify", False):
        return results
    # Imported only when verifying: libcst and the sandbox would cost every plain lint ~150 ms of startup.
    from nanlint.verify.recipes import recipe_for
    from nanlint.verify.sandbox import Worker, WorkerUnavailable
    pending = [f for result in results for f in result.findings if recipe_for(f.code) is not None]
    worker = None
    if pending:
        try:
            worker = Worker(args.python, args.device, verbose=args.verify_verbose)
        except WorkerUnavailable as error:
            print(f"nanlint: error: {error}", file=sys.stderr)
            sys.exit(2)
        if not worker.tensorflow:
            worker.close()
            print(f"nanlint: error: {INSTALL_HINT.format(python=worker.python)}", file=sys.stderr)
            sys.exit(2)
    try:
        verifier = _Verifier(worker, args, total=len(pending))
        verifier.sources.update((r.path, r.source) for r in results if r.source is not None)
        return [dataclasses.replace(result, findings=tuple(verifier.verdict(f) for f in result.findings))
                for result in results]
    finally:
        if worker is not None:
            worker.close()


class _Verifier:
    def __init__(self, worker: Worker | None, args: argparse.Namespace, total: int) -> None:
        from nanlint.verify.sandbox import Limits

        self.worker = worker
        self.limits = Limits(seconds=args.verify_timeout, memory_mb=args.verify_memory)
        self.deadline = time.monotonic() + args.verify_total_timeout
        self.repro_dir = Path(args.repro_dir) if args.repro_dir else None
        self.progress = _Progress(total)
        self.sources: dict[str, str | None] = {}

    def verdict(self, finding: Finding) -> Finding:
        from nanlint.verify.recipes import recipe_for

        recipe = recipe_for(finding.code)
        if recipe is None:
            return finding
        self.progress.step(finding)
        start = time.monotonic()
        verdict = self._judge(finding, recipe)
        if verdict.seconds == 0.0:
            verdict = dataclasses.replace(verdict, seconds=time.monotonic() - start)
        self.progress.done_if_last()
        return dataclasses.replace(finding, verdict=verdict)

    def _judge(self, finding: Finding, recipe) -> Verdict:
        from nanlint.verify.sandbox import Worker
        from nanlint.verify.snippet import SnippetError, extract, extract_model

        if time.monotonic() >= self.deadline:
            return Verdict("could not run", "the run's total time limit was reached")
        source = self._source(finding.path)
        if source is None:
            return Verdict("could not run", f"cannot re-read {finding.path}")
        try:
            if recipe.name == "training":
                snippet = extract_model(source, finding.line)
            else:
                snippet = extract(source, finding.line, finding.col, (finding.end_line, finding.end_col))
        except SnippetError as error:
            return Verdict("could not run", str(error))
        if snippet.unresolved:
            return Verdict("could not run", f"unresolved name(s): {', '.join(snippet.unresolved)}")
        seconds = min(self.limits.seconds, max(1.0, self.deadline - time.monotonic()))
        if not self.worker.alive:
            self.worker = Worker(self.worker.python, self.worker.device)
        answer = self.worker.run(recipe.request(snippet), dataclasses.replace(self.limits, seconds=seconds))
        reproducer = None
        if answer["status"] == "confirmed" and self.repro_dir is not None:
            from nanlint.verify.repro import write_reproducer

            reproducer = str(write_reproducer(self.repro_dir, finding, snippet, answer, recipe.op_level))
        return Verdict(answer["status"], answer["detail"], answer.get("seconds", 0.0), reproducer)

    def _source(self, path: str) -> str | None:
        if path not in self.sources:
            try:
                self.sources[path] = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self.sources[path] = None
        return self.sources[path]


class _Progress:
    """`verifying 3/12 path:line CODE` on stderr, on a terminal only, once the run is slow enough to need it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.start = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def step(self, finding: Finding) -> None:
        self.count += 1
        if self.enabled and time.monotonic() - self.start > PROGRESS_AFTER_SECONDS:
            where = f"{finding.path}:{finding.line} {finding.code}"
            sys.stderr.write(f"\r\033[Kverifying {self.count}/{self.total} {where}")
            sys.stderr.flush()
            self.shown = True

    def done_if_last(self) -> None:
        if self.shown and self.count == self.total:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
