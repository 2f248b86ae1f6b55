"""`--verify`: after linting, run each finding that has a recipe in the sandboxed worker and attach its
Verdict. Importing this module never imports TensorFlow: only the worker process does."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from nanlint.extensions import FatalError
from nanlint.finding import IMPROBABLE_NOT_RUN, Confidence, Finding, Trial, Verdict, Witness, promote

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType
    from typing import Any, NoReturn

    from nanlint.config import Settings
    from nanlint.verify.recipes.expression import Recipe
    from nanlint.verify.snippet import Snippet

    # what signal.signal() returns and takes: a handler, SIG_DFL / SIG_IGN, or None (not set from Python)
    _SignalHandler = Callable[[int, FrameType | None], Any] | int | None
    from nanlint.finding import FileResult
    from nanlint.verify.sandbox import Worker, WorkerUnavailable

INSTALL_HINT = 'TensorFlow is not importable by {python}; install it with: pip install "nanlint[verify]"'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("runtime verification (needs TensorFlow)")
    group.add_argument("--verify", action="store_true", help="run flagged code with TensorFlow to confirm NaN/Inf")
    group.add_argument("--repro-dir", metavar="DIR", help="write a standalone reproducer per confirmed finding")
    group.add_argument("--report", metavar="FILE.html",
                       help="also write a self-contained HTML page of the verdicts, with loss curves (implies --verify)")
    group.add_argument("--device", choices=("cpu", "gpu", "auto"), default="auto",
                       help="where the verifier runs TensorFlow (auto: GPU when TensorFlow sees one)")
    group.add_argument("--python", metavar="PATH", help="interpreter for the verifier worker (your project's, with TF)")
    group.add_argument("--verify-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="wall-clock limit per finding (default 60)")
    group.add_argument("--verify-total-timeout", type=float, default=900.0, metavar="SECONDS",
                       help="wall-clock limit for the whole verification run (default 900)")
    group.add_argument("--verify-memory", type=int, default=4096, metavar="MB",
                       help="memory limit per finding, on top of the worker's own (default 4096)")
    group.add_argument("--verify-module-code", action="store_true",
                       help="also run module-level code the flagged code needs (decorators, default arguments, "
                            "class bodies, calls outside TensorFlow/Keras/NumPy); off by default")
    group.add_argument("--verify-verbose", action="store_true",
                       help="say how the sandbox is set up; show the worker's stderr")


def _requested(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "verify", False) or getattr(args, "report", None))


@contextlib.contextmanager
def session(args: argparse.Namespace, settings: Settings) -> Iterator[Settings]:
    """A verify run starts its worker before linting, and the worker imports TensorFlow while the files are
    linted (the import is most of the wait for the first verdict). Unless the run writes or lists edits (fixes,
    noqa comments, a baseline), it also lints preview findings: the ones verify confirms are then reported
    like any other (`promote`), the rest only under preview."""
    if not _requested(args):
        yield settings
        return
    global _early
    previous = _terminate_on_sigterm()  # a SIGTERM while linting ends the worker too
    _early = _start_worker(args)
    try:
        widen = not settings.selection.preview and not _edits_files(args)
        yield dataclasses.replace(settings, selection=dataclasses.replace(settings.selection, preview=True)) \
            if widen else settings
    finally:
        _close_early()  # linting failed, or verify never took it
        _restore(previous)


# The worker `session` started (or why it could not), for the verification of the same run to take.
_early: Worker | WorkerUnavailable | None = None


def _start_worker(args: argparse.Namespace) -> Worker | WorkerUnavailable:
    from nanlint.verify.sandbox import Worker, WorkerUnavailable

    try:
        return Worker(args.python, args.device, verbose=args.verify_verbose, preload=True)
    except WorkerUnavailable as error:
        return error  # said only if a finding needs the worker


def _edits_files(args: argparse.Namespace) -> bool:
    """Runs that write (fixes, noqa comments, a baseline) or list edits act on findings before verify judges
    them: they get only the findings the user selected."""
    return bool(args.fix or args.diff or args.show_fixes or args.add_noqa or args.write_baseline)


def process_results(results: list[FileResult], args: argparse.Namespace, settings: Settings) -> list[FileResult]:
    if getattr(args, "report", None):
        from nanlint.verify.report import verify_with_report

        return verify_with_report(results, args, settings, _verify)
    if not getattr(args, "verify", False):
        return results
    return _verify(results, args, settings)


def _verify(results: list[FileResult], args: argparse.Namespace, settings: Settings) -> list[FileResult]:
    # Imported only when verifying: libcst and the sandbox would cost every plain lint ~150 ms of startup.
    from nanlint.verify.recipes import recipe_for_finding

    judged = [f for result in results for f in result.findings if _has_rule(f.code)]
    worker = None
    if any(recipe_for_finding(f) is not None for f in judged):
        worker = _worker(args)
    else:
        _close_early()
    verifier = _Verifier(worker, args, total=len(judged), root=getattr(settings, "root", Path.cwd()))
    previous = _terminate_on_sigterm()
    try:
        verifier.sources.update((r.path, r.source) for r in results if r.source is not None)
        return [dataclasses.replace(result, findings=verifier.judge(result.findings, settings.selection.preview))
                for result in results]
    finally:
        verifier.progress.close()
        if verifier.worker is not None:
            verifier.worker.close()
        _restore(previous)


def _worker(args: argparse.Namespace) -> Worker:
    """The worker `session` started, else a new one; FatalError when it cannot run TensorFlow."""
    from nanlint.verify.sandbox import Worker, WorkerUnavailable

    global _early
    started, _early = _early, None
    if started is None:
        try:
            started = Worker(args.python, args.device, verbose=args.verify_verbose)
        except WorkerUnavailable as error:
            started = error
    if isinstance(started, WorkerUnavailable):
        raise FatalError(str(started))
    if not started.tensorflow:
        started.close()
        raise FatalError(INSTALL_HINT.format(python=started.python))
    if started.missing_layers:
        print(f"nanlint: verify: sandbox without {', '.join(MISSING_LAYER[m] for m in started.missing_layers)}"
              " (this kernel does not allow it); verify executes your code", file=sys.stderr)
    return started


def _close_early() -> None:
    """No finding needs TensorFlow: the worker started before linting goes now, not at the end of the run."""
    from nanlint.verify.sandbox import Worker

    global _early
    early, _early = _early, None
    if isinstance(early, Worker):
        early.close()


def _reported(finding: Finding, shows_preview: bool) -> Finding | None:
    """A preview finding that verify confirmed is reported like a by-construction one; one it did not confirm
    only under preview."""
    if not finding.preview:
        return finding
    if finding.verdict is not None and finding.verdict.status == "confirmed":
        return promote(finding, finding.verdict)
    return finding if shows_preview else None


# What a missing sandbox layer means for the user, said once at the top of the run.
MISSING_LAYER = {"net": "a network namespace (snippets can reach the network; sockets are only guarded)",
                 "pid": "a PID namespace (processes are ended by the worker, which a snippet can evade)",
                 "mount": "a mount namespace", "readonly": "a read-only file system (snippets can write files)"}


def _terminate_on_sigterm() -> dict[int, _SignalHandler] | None:
    """SIGTERM (and SIGHUP) unwind like Ctrl-C, through the `finally` that ends the worker and its processes;
    exit status 128 + signal. Only the main thread may set handlers (an embedding caller keeps its own)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        raise SystemExit(128 + signum)

    return {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}


def _restore(previous: dict[int, _SignalHandler] | None) -> None:
    import signal

    for sig, handler in (previous or {}).items():
        signal.signal(sig, handler)


def _has_rule(code: str) -> bool:
    """A rule of the catalog, not a meta code (syntax error, unused noqa): its findings all get a verdict."""
    from nanlint.catalog import load_catalog

    rule = load_catalog().get(code)
    return rule is not None and not rule.meta


def _no_runtime_check(finding: Finding) -> str:
    from nanlint.catalog import load_catalog

    if finding.confidence is Confidence.IMPROBABLE:
        return IMPROBABLE_NOT_RUN
    code, mechanism = finding.code, finding.extra.get("mechanism")
    rule = load_catalog()[code]
    why = " ".join(rule.why_no_runtime_check(mechanism).split())  # one line of the report
    what = "this finding's mechanism" if rule.runtime_check != "none" else "this rule"
    return f"no runtime check for {what}" + (f" ({why})" if why else "")


def verdict_from_answer(answer: dict, recipe_kind: str) -> Verdict:
    """The worker's JSON answer as a Verdict. The answer is untrusted (the snippet ran in that process): only
    the fields the protocol defines are read, with their types checked."""
    from nanlint.verify.reasons import checked

    status = answer.get("status")
    if status not in ("confirmed", "not reproduced", "could not run"):
        return Verdict("could not run", "the worker's answer was malformed", recipe=recipe_kind,
                       reason="internal-error")
    witness = _witness(answer.get("input"))
    trials = tuple(_trial(t) for t in answer.get("trials") or () if isinstance(t, dict))
    return Verdict(
        status, _text(answer.get("detail")), _number(answer.get("seconds")) or 0.0, recipe=recipe_kind,
        phase=answer.get("phase") if answer.get("phase") in ("forward", "gradient", "training") else None,
        op=_text(answer["op"]) if isinstance(answer.get("op"), str) else None, witness=witness, trials=trials,
        reason=checked(answer.get("reason")) if status == "could not run" else None)


# Reasons after which the expression slice is tried (the enclosing function as a whole could not run).
RETRY_WITH_SLICE = frozenset({"module-level", "no-entry-point", "no-witness", "snippet-error", "import-failed",
                              "unresolved-name"})

# A verdict's detail is one line of the report: bounded, and no control characters a snippet could use to
# forge lines or move the terminal's cursor.
MAX_DETAIL = 500


def _text(value: object) -> str:
    text = "".join(c if c.isprintable() else " " for c in str(value if value is not None else ""))
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 3] + "..."


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _witness(data: object) -> Witness | None:
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        return None
    # the parameters fed their role's value (an axis, an index), not a row
    structural = data["structural"] if isinstance(data.get("structural"), dict) else {}
    rows = ", ".join([*(f"{name}={_row(row)}" for name, row in data["values"].items()),
                      *(f"{name}={value!r}" for name, value in structural.items())])
    shape = data.get("shape")
    where = f", shape {'x'.join(map(str, shape))}" if isinstance(shape, list) and len(shape) > 2 else ""
    return Witness(_text(f"{rows} ({data.get('dtype', '?')}{where})"), {"shape": shape,"dtype": data.get("dtype"), "values": data["values"],
                                                          "description": data.get("description"),
                                                          **({"structural": structural} if structural else {})})


def _row(row: object) -> str:
    if isinstance(row, list) and row and all(value == row[0] for value in row):
        return f"[{row[0]:g}]*{len(row)}"
    return "[" + ", ".join(f"{value:g}" for value in row) + "]" if isinstance(row, list) else repr(row)


def _trial(data: dict) -> Trial:
    def curve(key: str) -> tuple[float | None, ...]:
        return tuple(_number(v) for v in data.get(key) or ())

    step = data.get("nonfinite_step")
    return Trial(_text(data.get("setup", "")), "fixed" if data.get("variant") == "fixed" else "as written",
                 curve("loss"), curve("grad_norm"), step if isinstance(step, int) else None)


class _Verifier:
    def __init__(self, worker: Worker | None, args: argparse.Namespace, total: int, root: Path) -> None:
        from nanlint.verify.sandbox import Limits

        self.worker = worker
        self.limits = Limits(seconds=args.verify_timeout, memory_mb=args.verify_memory)
        self.deadline = time.monotonic() + args.verify_total_timeout
        self.repro_dir = Path(args.repro_dir) if args.repro_dir else None
        self.progress = _Progress(total, quiet=bool(getattr(args, "quiet", False)))
        self.sources: dict[str, str | None] = {}
        self.reproducers: set[Path] = set()
        self.module_code = bool(getattr(args, "verify_module_code", False))
        self.cache = None
        if not getattr(args, "no_cache", False):
            from nanlint.cache import DEFAULT_CACHE_DIR
            from nanlint.verify.cache import VerdictCache

            self.cache = VerdictCache(Path(getattr(args, "cache_dir", None) or root / DEFAULT_CACHE_DIR))

    def judge(self, findings: tuple[Finding, ...], shows_preview: bool) -> tuple[Finding, ...]:
        """The findings with their verdicts, as they will be reported (see _reported)."""
        kept = []
        for finding in findings:
            judged = self.verdict(finding)
            reported = _reported(judged, shows_preview)
            self.progress.finished(judged, reported)
            if reported is not None:
                kept.append(reported)
        return tuple(kept)

    def verdict(self, finding: Finding) -> Finding:
        from nanlint.verify.recipes import recipe_for_finding

        if not _has_rule(finding.code):
            return finding
        self.progress.step(finding)
        recipe = recipe_for_finding(finding)
        start = time.monotonic()
        if recipe is None:
            verdict = Verdict("could not run", _no_runtime_check(finding), reason="no-runtime-check")
        else:
            kind = "training" if recipe.name == "training" else "expression"
            try:
                verdict = self._judge(finding, recipe, kind)
            except Exception as error:  # noqa: BLE001 - one finding's failure must not lose the report
                verdict = Verdict("could not run", f"verifier error: {type(error).__name__}: {error}"[:300],
                                  recipe=kind, reason="internal-error")
        if verdict.seconds == 0.0:
            verdict = dataclasses.replace(verdict, seconds=time.monotonic() - start)
        return dataclasses.replace(finding, verdict=verdict)

    def _judge(self, finding: Finding, recipe: Recipe, kind: str) -> Verdict:
        from nanlint.verify.sandbox import Worker
        from nanlint.verify.snippet import SnippetError

        if time.monotonic() >= self.deadline:
            return Verdict("could not run", "the run's total time limit was reached", recipe=kind,
                           reason="total-timeout")
        view = self._module_view(finding)
        if view is None:
            return Verdict("could not run", f"cannot re-read {finding.location}", recipe=kind, reason="unreadable-source")
        source, finding = view
        verdict: Verdict | None = None
        snippet: Snippet | None = None
        answer: dict | None = None
        worker = self.worker
        assert worker is not None  # _verify starts one whenever a finding has a recipe
        for extractor in self._extractors(recipe):
            try:
                candidate = extractor(source, finding)
                problem = None if not candidate.unresolved else Verdict(
                    "could not run", f"unresolved name(s): {', '.join(candidate.unresolved)}", recipe=kind,
                    reason="unresolved-name")
            except SnippetError as error:
                problem = Verdict("could not run", str(error), recipe=kind, reason=error.reason)
            if problem is not None:
                # A run's answer says more than a later extractor's refusal; else the latest refusal does.
                verdict = verdict if answer is not None else problem
                continue
            seconds = min(self.limits.seconds, max(1.0, self.deadline - time.monotonic()))
            if not worker.alive:
                worker.close()  # removes its temporary directory too
                worker = self.worker = Worker(worker.python, worker.device)
            answer = self._run(worker, recipe.request(candidate, finding.extra), seconds)
            verdict, snippet = verdict_from_answer(answer, kind), candidate
            # The whole function could not run (an initializer, a shape, an import it does not need): the
            # expression slice may still run the flagged op from its cut points.
            if verdict.status != "could not run" or verdict.reason not in RETRY_WITH_SLICE:
                break
        assert verdict is not None  # every extractor either refuses or runs
        if verdict.status == "confirmed" and self.repro_dir is not None and snippet is not None and answer is not None:
            verdict = self._reproducer(self.repro_dir, verdict, finding, snippet, answer, recipe)
        return verdict

    def _module_view(self, finding: Finding) -> tuple[str, Finding] | None:
        """The module the finding is in, and the finding positioned in it: a notebook's code cells are joined
        as one module. None when the file cannot be read again."""
        source = self._source(finding.path)
        if source is None or finding.cell is None:
            return None if source is None else (source, finding)
        from nanlint.notebook import as_module_finding

        return as_module_finding(source, finding)

    def _run(self, worker: Worker, request: dict, seconds: float) -> dict:
        """The worker's answer, from the verdict cache when the same request ran under the same TensorFlow."""
        from nanlint.verify.cache import key

        entry = key({**request, "device": worker.device}, worker.tensorflow_version)
        if self.cache is not None:
            cached = self.cache.get(entry)
            if cached is not None:
                return {**cached, "seconds": 0.0, "cached": True}
        answer = worker.run(request, dataclasses.replace(self.limits, seconds=seconds))
        if self.cache is not None:
            self.cache.put(entry, answer)
        return answer

    def _extractors(self, recipe: Recipe) -> list[Callable[[str, Finding], Snippet]]:
        """How to cut a runnable snippet for the recipe, in order of preference."""
        from nanlint.verify.snippet import extract, extract_expression, extract_model

        allowed = self.module_code
        if recipe.name == "training":
            return [lambda source, f: extract_model(source, f.line, allowed)]
        if recipe.name in ("keras-loss", "keras-call"):  # the loss function itself, called whole: no slice
            return [lambda source, f: extract(source, f.line, f.col, (f.end_line, f.end_col), allowed)]
        return [lambda source, f: extract(source, f.line, f.col, (f.end_line, f.end_col), allowed),
                lambda source, f: extract_expression(source, f.line, f.col, (f.end_line, f.end_col))]

    def _reproducer(self, directory: Path, verdict: Verdict, finding: Finding, snippet: Snippet, answer: dict,
                    recipe: Recipe) -> Verdict:
        """Writes the reproducer; a failure keeps the confirmation and says the script is missing."""
        from nanlint.verify.repro import write_reproducer

        try:
            path = write_reproducer(directory, finding, snippet, answer, recipe, taken=self.reproducers)
        except (OSError, ValueError, KeyError, TypeError) as error:
            return dataclasses.replace(verdict, detail=f"{verdict.detail} (reproducer not written: {error})")
        self.reproducers.add(path)
        return dataclasses.replace(verdict, reproducer=str(path))

    def _source(self, path: str) -> str | None:
        """The linted text when the run has it, else the file through the shared reader (any PEP 263 encoding,
        a BOM, regular files only): the same text cold or warm."""
        from nanlint.source import SourceError, read_source

        if self.sources.get(path) is None:
            try:
                self.sources[path] = read_source(path).text
            except (OSError, SourceError):
                self.sources[path] = None
        return self.sources[path]


class _Progress:
    """Each verdict as it arrives, one line on stderr (stdout keeps the report, in its usual order, at the end):
    `nanlint: verified 3/12 path:line CODE: confirmed: DETAIL (2.1 s)`. On a terminal a status line below them,
    redrawn in place, names the finding being run; elsewhere (CI logs, editors, pipes), where a carriage return
    redraws nothing, the run says once how many findings it will judge. `--quiet` prints none of it."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.count = 0
        self.quiet = quiet
        self.terminal = sys.stderr.isatty()
        self.drawn = False
        if total and not quiet and not self.terminal:
            self._write(f"nanlint: verifying {total} finding{'s' if total != 1 else ''}\n")

    def step(self, finding: Finding) -> None:
        self.count += 1
        if self.terminal and not self.quiet:
            self._write(f"\r\033[Kverifying {self.count}/{self.total} {finding.location}:{finding.line} "
                        f"{finding.code}")
            self.drawn = True

    def finished(self, judged: Finding, reported: Finding | None) -> None:
        """`judged` carries the verdict; `reported` is what the report will show (None: a preview finding
        verify did not confirm, left out)."""
        verdict = judged.verdict
        if self.quiet or verdict is None:
            return
        preview = ""
        if judged.preview:
            preview = (" (preview; not reported, --preview shows it)" if reported is None
                       else " (preview)" if reported.preview else " (preview, promoted to a default finding)")
        line = (f"nanlint: verified {self.count}/{self.total} {judged.location}:{judged.line} {judged.code}{preview}: "
                f"{verdict.status}: {verdict.detail} ({verdict.seconds:.1f} s)\n")
        self._write(("\r\033[K" if self.drawn else "") + line)
        self.drawn = False

    def close(self) -> None:
        if self.drawn:
            self._write("\r\033[K")
            self.drawn = False

    @staticmethod
    def _write(text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()
