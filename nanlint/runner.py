"""The speed layer: replaces the CLI's serial file loop with cache look-ups plus worker processes.

Workers get paths, not bytes: the process that lints a file reads it (regular files only, at most
`max-file-size` bytes, see nanlint.source). With the cache on, the parent reads each file once to hash it
(cache hits are answered from `.nanlint_cache/`) and keeps only the entry's name, never the bytes; misses are
linted serially when there are few (a pre-commit run on 3 files must not pay for workers) and by worker
processes otherwise. Every file yields
exactly one FileResult, in input order: an unreadable or oversized file becomes NAN901, an exception while
linting becomes NAN999 for that file alone, and so does a worker that dies (a crash in native code, killed for
memory): the parent knows which file each worker holds, reports that file, starts a fresh worker for the rest
and never lints the fatal file itself. Workers die with nanlint, however it ends (see `die_with_parent`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from nanlint.cache import DEFAULT_CACHE_DIR, LastRun, ResultCache, signature
from nanlint.project import Dependencies, Project
from nanlint.project import current as current_project
from nanlint.project import use as use_project
from nanlint.config import Settings, parse_size
from nanlint.finding import DECODE_ERROR, INTERNAL_ERROR, FileResult, Finding
from nanlint.selection import Selection
from nanlint.source import SourceError, decode, read_bytes

if TYPE_CHECKING:  # ForkContext does not exist on Windows
    from multiprocessing.connection import Connection
    from multiprocessing.context import DefaultContext, ForkContext

# Below this many files to lint, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    speed = parser.add_argument_group("speed")
    speed.add_argument("--cache-dir", metavar="DIR", default=None,
                       help=f"where to keep the result cache (default: {DEFAULT_CACHE_DIR})")
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    speed.add_argument("--jobs", "-j", type=_jobs, metavar="N", default=None,
                       help="worker processes (default and most: the number of CPUs; 1 lints in this process)")
    speed.add_argument("--force-jobs", action="store_true",
                       help="start --jobs workers even when that is more than the number of CPUs")
    speed.add_argument("--max-file-size", type=_size, metavar="SIZE", default=None,
                       help="skip larger files with a NAN901 finding (e.g. 500KB, 4MB; 0: no limit; default 1MB)")


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def _size(value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Job(NamedTuple):
    """One file to lint: its display path (the findings' path), its path on disk and the most bytes to read."""

    display: str
    real: str
    max_size: int | None


class Linted(NamedTuple):
    """A job's result, a digest of the bytes it was linted from (None when they could not be read): the parent
    caches a result only when those are the bytes it hashed for the entry's name; and what its analysis consulted
    of the other project files (recorded in the process that linted it), stored with the result."""

    result: FileResult
    content: bytes | None
    dependencies: Dependencies = Dependencies()


def lint_files(files: list[tuple[str, str]], settings: Settings, args: argparse.Namespace) -> list[FileResult]:
    """Lint (real path, display path) pairs, in order."""
    selection = settings.selection
    cache = None
    if not getattr(args, "no_cache", False):
        cache = ResultCache(getattr(args, "cache_dir", None) or settings.root / DEFAULT_CACHE_DIR, selection)
    run = _run_name(files, settings)
    unchanged = _unchanged_since_last_run(cache, run, files) if cache is not None else None
    if unchanged is not None:
        return unchanged
    # Values cross the files of this run (nanlint/project.py); workers fork after this and inherit it.
    linted = Project((real for real, _ in files), max_size=settings.max_file_size)
    use_project(linted)
    if cache is None:
        looked_up = _Lookup([None] * len(files), [(index, Job(display, real, settings.max_file_size))
                                                   for index, (real, display) in enumerate(files)], {}, {})
    else:
        looked_up = _look_up(files, cache, linted, settings)
    results, pending, entries, seen = looked_up
    jobs = getattr(args, "jobs", None) or default_jobs()
    if not getattr(args, "force_jobs", False):
        # more workers than CPUs only add memory (64 workers on 2 cores held 1.9 GB, issue 17)
        jobs = min(jobs, default_jobs())
    for (index, _), (result, content, dependencies) in zip(pending, lint_many(pending, selection, jobs)):
        results[index] = result
        if cache is not None and index in entries and not _has_internal_error(result):
            name, hashed = entries[index]
            if content == hashed:  # the file did not change between the parent's read and the worker's
                cache.put(result.path, name, result, dependencies)
            else:
                seen.pop(index, None)
        else:
            seen.pop(index, None)
    if cache is not None and len(seen) == len(files):  # every file has an entry and a signature to check
        cache.put_last_run(run, [LastRun(*seen[index], not (result.findings or result.suppressed), result.parsed)
                                 for index, result in enumerate(results) if result is not None])
    elif cache is not None:
        # no index of this run; an older run's would vouch for entries this one may have rewritten
        cache.forget_last_run()
    return [dataclasses.replace(result, real_path=real)  # type: ignore[type-var, misc]  # every index is set
            for result, (real, _) in zip(results, files)]


class _Lookup(NamedTuple):
    results: list[FileResult | None]  # the cache's answers (and unreadable files), by index
    pending: list[tuple[int, Job]]  # the files left to lint
    entries: dict[int, tuple[str, bytes]]  # index -> (cache entry name, digest of the bytes it names)
    # index -> the file's signature before it was read and its entry's name, for the next run's index
    seen: dict[int, tuple[tuple[int, ...], str]]


def _look_up(files: list[tuple[str, str]], cache: ResultCache, linted: Project, settings: Settings) -> _Lookup:
    looked_up = _Lookup([None] * len(files), [], {}, {})
    now = time.time_ns()
    for index, (real, display) in enumerate(files):
        status = signature(real, now)
        try:
            data = read_bytes(real, settings.max_file_size)
        except SourceError as error:
            looked_up.results[index] = unreadable(display, str(error), settings.selection)
            continue
        # reused only while what its analysis consulted of the other files is unchanged (nanlint/project.py)
        name = cache.entry_name(display, data)
        cached = cache.get_entry(display, name, data, linted.unchanged)
        if status is not None:
            looked_up.seen[index] = (status, name)
        if cached is not None:
            looked_up.results[index] = _with_text(cached, data)
        else:
            looked_up.entries[index] = (name, _digest(data))
            looked_up.pending.append((index, Job(display, real, settings.max_file_size)))
    return looked_up


def _run_name(files: list[tuple[str, str]], settings: Settings) -> str:
    """What a run's results depend on besides the selection (the cache's key) and the files' bytes: the files,
    in order (the project-wide summaries read them all), the directory display paths are relative to, the
    size limit."""
    return hashlib.sha256(repr((os.getcwd(), settings.max_file_size, files)).encode("utf-8", "surrogateescape")
                          ).hexdigest()


def _unchanged_since_last_run(cache: ResultCache, run: str, files: list[tuple[str, str]]) -> list[FileResult] | None:
    """The results of the last run over the same files when none of them changed since (their signatures are
    those the last run recorded before reading them); None otherwise: the run then reads and hashes every file."""
    last = cache.last_run(run)
    if last is None or len(last) != len(files):
        return None
    now = time.time_ns()
    results = []
    for (real, display), file in zip(files, last):
        if signature(real, now) != file.signature:
            return None
        if file.empty:
            results.append(FileResult(display, (), parsed=file.parsed, real_path=real))
            continue
        try:
            data = read_bytes(real)
        except SourceError:
            return None
        # every file of the run is unchanged, and a file's dependencies are files of the run (and their names)
        cached = cache.get_entry(display, file.entry, data, _unchanged_run)
        if cached is None:
            return None
        results.append(dataclasses.replace(_with_text(cached, data), real_path=real))
    return results


def _unchanged_run(dependencies: Dependencies) -> bool:
    return True


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _with_text(result: FileResult, data: bytes) -> FileResult:
    """A cached result with the text it was linted from, where something may use it (see `_reply`)."""
    if not result.findings:
        return result
    try:
        return dataclasses.replace(result, source=decode(data).text)
    except (SyntaxError, UnicodeDecodeError, LookupError, ValueError):
        return result


def _reply(result: FileResult) -> FileResult:
    """What a result keeps of the file's text: only a file with findings needs it (--fix and --add-noqa apply
    positions to the text that was linted, never to a file edited since; the verifier cuts its snippets from
    it), so a run over many clean files does not hold them all."""
    return result if result.findings or result.source is None else dataclasses.replace(result, source=None)


def read_and_lint(path: str, display_path: str | None = None, selection: Selection = Selection(),
                  max_size: int | None = None) -> FileResult:
    """One file from disk through the same reader as a run (bench/findings.py)."""
    return lint_safely(Job(display_path or path, path, max_size), selection).result


def lint_many(pending: list[tuple[int, Job]], selection: Selection, jobs: int) -> list[Linted]:
    items = [job for _, job in pending]
    if items:
        _load_the_linter()
    if jobs == 1 or len(items) < PARALLEL_THRESHOLD:
        return [lint_safely(job, selection) for job in items]
    return WorkerPool(min(jobs, len(items)), selection).map(items)


def _load_the_linter() -> None:
    """Import the linter and build the checks (libcst's node classes, the analysis, every check), then hand what
    exists so far to the garbage collector's permanent generation (`gc.freeze`): modules, classes and functions live
    as long as the process, and the first collection after a file would otherwise pass over all of them again, only
    to find them alive (10 ms of `nanlint one_file.py`, issue 17). Workers fork after this and inherit the built
    checks, and the collector does not touch (copy) their pages."""
    with _collector_paused():
        from nanlint.checks import all_checks

        all_checks()
        gc.freeze()  # before the collector runs again


def lint_safely(job: Job, selection: Selection) -> Linted:
    """Read and lint one file: an unreadable file becomes NAN901, an undecodable one NAN902 (lint_bytes), and a
    bug anywhere in the pipeline a NAN999 finding instead of a traceback."""
    try:
        data = read_bytes(job.real, job.max_size)
    except SourceError as error:
        return Linted(unreadable(job.display, str(error), selection), None)
    with _collector_paused():
        from nanlint.linter import lint_bytes  # libcst is imported only when a file must really be linted

        def lint() -> FileResult:
            try:
                with _time_limit(FILE_TIME_LIMIT_S):
                    return lint_bytes(data, job.display, selection)
            except Exception as error:
                return internal_error(job.display, f"internal error: {type(error).__name__}: {error}")

        project = current_project()
        # recorded here, in the process that lints the file: its summaries and their records are this process's
        result, dependencies = project.recorded(lint) if project is not None else (lint(), Dependencies())
    return Linted(_reply(result), _digest(data), dependencies)


# One file's analysis normally takes well under a second (bench/RESULTS.md). A file that takes this long has hit a
# bug in nanlint (a cycle followed without end: doctr's `loss_numel += n` in a loop, session 14); it becomes a
# NAN999 finding for that file, so that a pre-commit hook or a CI run ends and the other files are reported.
FILE_TIME_LIMIT_S = 60.0


class AnalysisTimeout(Exception):
    """Raised in the linting process when one file's analysis runs past FILE_TIME_LIMIT_S."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the analysis of one file after `seconds` with AnalysisTimeout. Needs a real-time interval timer and
    the main thread (the CLI and its workers; a language server's worker thread runs without a limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise AnalysisTimeout(f"the analysis of this file ran past {seconds:g} s and was stopped; this is a bug in "
                              "nanlint, please report it with the file")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector waits while one file is linted. The file's tree and analysis stay alive
    until its result is returned, so the collector's passes over them (each over every object allocated since,
    tens of thousands of nodes) free nothing: they were 15% of a finding-dense file's time (130 ms of 820, issue
    17) and 7 ms of the imports. The cycles the analysis leaves are collected by the first pass after the file,
    so memory still peaks at one file's analysis (bench/RESULTS.md)."""
    if not gc.isenabled():  # the caller's choice (or a nested call): leave it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class WorkerPool:
    """Worker processes that each lint one file at a time, so that when one dies the parent knows the file."""

    def __init__(self, size: int, selection: Selection) -> None:
        self.size = size
        self.selection = selection
        # Imported here: a run that needs no workers (one file, a warm cache) does not pay for multiprocessing.
        import multiprocessing

        # fork: workers inherit the imported modules and built checks instead of importing them again.
        self.context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)

    def map(self, items: list[Job]) -> list[Linted]:
        from multiprocessing.connection import wait

        results: list[Linted | None] = [None] * len(items)
        queue = iter(range(len(items)))
        busy: dict[object, tuple[_Worker, int]] = {}  # connection -> (worker, index of the file it holds)
        workers: list[_Worker] = []

        def hand_out(worker: _Worker) -> None:
            index = next(queue, None)
            if index is None:
                worker.stop()
                return
            worker.connection.send(items[index])
            busy[worker.connection] = (worker, index)

        try:
            for _ in range(self.size):
                workers.append(_Worker(self.context, self.selection, workers))
                hand_out(workers[-1])
            while busy:
                for connection in wait([worker.connection for worker, _ in busy.values()]):
                    worker, index = busy.pop(connection)
                    try:
                        results[index] = worker.connection.recv()
                    except (EOFError, OSError):  # the worker died holding this file: report it, replace the worker
                        results[index] = Linted(internal_error(items[index].display, worker.death()), None)
                        worker = _Worker(self.context, self.selection, workers)
                        workers.append(worker)
                    hand_out(worker)
        finally:
            for worker in workers:
                worker.kill()
        return results  # type: ignore[return-value]  # every index was handed out and answered


class _Worker:
    def __init__(self, context: ForkContext | DefaultContext, selection: Selection, siblings: list[_Worker]) -> None:
        self.connection, child = context.Pipe()
        # A forked child inherits its siblings' pipe ends; it closes them, so that each worker sees EOF when
        # nanlint goes away. (Other start methods inherit nothing, and would duplicate what they are given.)
        forked = context.get_start_method() == "fork"
        inherited = [sibling.connection for sibling in siblings] if forked else []
        self.process = context.Process(target=_serve, args=(child, selection, os.getpid(), inherited), daemon=True)
        self.process.start()
        child.close()

    def death(self) -> str:
        self.process.join(5)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        return (f"internal error: the worker process linting this file died ({how}: a crash in native code or "
                "out of memory); the other files were linted")

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection: Connection, selection: Selection, parent: int, inherited: list[Connection]) -> None:
    """A worker's life: read and lint the file named, send back its result, stop on None or EOF."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent stops the workers
    for other in inherited:
        other.close()
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        connection.send(lint_safely(item, selection))


def die_with_parent(parent: int) -> None:
    """Make this process die when `parent` does, even by SIGKILL: Linux's PR_SET_PDEATHSIG. Elsewhere (no such
    call) the pipe to the parent closes instead, and the worker exits at its next read."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)


def unreadable(display: str, reason: str, selection: Selection) -> FileResult:
    finding = Finding(DECODE_ERROR, f"cannot read file: {reason}", display, 1, 1, 1, 1)
    return FileResult(display, (finding,) if selection.enabled(DECODE_ERROR, display) else (), parsed=False)


def internal_error(display: str, message: str) -> FileResult:
    return FileResult(display, (Finding(INTERNAL_ERROR, message, display, 1, 1, 1, 1),), parsed=False)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _has_internal_error(result: FileResult) -> bool:
    # An internal error is a bug to be fixed, not an answer to remember.
    return any(finding.code == INTERNAL_ERROR for finding in result.findings)
