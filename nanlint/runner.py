"""The speed layer: replaces the CLI's serial file loop with cache look-ups plus a process pool.

Files are read and hashed in the parent; cache hits are answered from `.nanlint_cache/`; misses are linted
serially when there are few (a pre-commit run on 3 files must not pay for a pool) and in a forked process
pool otherwise. Every file yields exactly one FileResult, in input order: an unreadable file becomes NAN901,
a crash while linting becomes NAN999 for that file alone.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from nanlint.cache import DEFAULT_CACHE_DIR, ResultCache
from nanlint.config import Settings
from nanlint.finding import DECODE_ERROR, INTERNAL_ERROR, FileResult, Finding
from nanlint.selection import Selection

# Below this many files to lint, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    speed = parser.add_argument_group("speed")
    speed.add_argument("--cache-dir", metavar="DIR", default=None,
                       help=f"where to keep the result cache (default: {DEFAULT_CACHE_DIR})")
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    speed.add_argument("--jobs", "-j", type=_jobs, metavar="N", default=None,
                       help="worker processes (default: the number of CPUs; 1 lints in this process)")


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def lint_files(files: list[tuple[str, str]], settings: Settings, args: argparse.Namespace) -> list[FileResult]:
    """Lint (real path, display path) pairs, in order."""
    selection = settings.selection
    cache = None
    if not getattr(args, "no_cache", False):
        cache = ResultCache(getattr(args, "cache_dir", None) or settings.root / DEFAULT_CACHE_DIR, selection)
    results: list[FileResult | None] = [None] * len(files)
    pending: list[tuple[int, str, bytes]] = []
    for index, (real, display) in enumerate(files):
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError as error:
            results[index] = unreadable(display, error, selection)
            continue
        cached = cache.get(display, data) if cache is not None else None
        if cached is not None:
            results[index] = cached
        else:
            pending.append((index, display, data))
    jobs = getattr(args, "jobs", None) or default_jobs()
    for (index, display, data), result in zip(pending, lint_many(pending, selection, jobs)):
        results[index] = result
        if cache is not None and not _has_internal_error(result):
            cache.put(display, data, result)
    return results  # type: ignore[return-value]  # every slot was filled above


def lint_many(pending: list[tuple[int, str, bytes]], selection: Selection, jobs: int) -> list[FileResult]:
    items = [(display, data) for _, display, data in pending]
    if jobs == 1 or len(items) < PARALLEL_THRESHOLD:
        return [lint_safely(item, selection) for item in items]
    from nanlint.checks import all_checks

    all_checks()  # build the check instances before forking, so workers inherit them
    jobs = min(jobs, len(items))
    chunksize = max(1, min(32, len(items) // (jobs * 8)))
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    results: list[FileResult] = []
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(selection,)) as pool:
            for result in pool.map(_lint_in_worker, items, chunksize=chunksize):
                results.append(result)
    except BrokenProcessPool:
        # A worker died (killed for memory, a crash in native code): finish the rest here, one by one.
        results.extend(lint_safely(item, selection) for item in items[len(results):])
    return results


def lint_safely(item: tuple[str, bytes], selection: Selection) -> FileResult:
    """lint_bytes, but a bug anywhere in the pipeline becomes a NAN999 finding instead of a traceback."""
    from nanlint.linter import lint_bytes  # libcst is imported only when a file must really be linted

    display, data = item
    try:
        return lint_bytes(data, display, selection)
    except Exception as error:
        message = f"internal error: {type(error).__name__}: {error}"
        return FileResult(display, (Finding(INTERNAL_ERROR, message, display, 1, 1, 1, 1),), parsed=False)


_worker_selection = Selection()


def _start_worker(selection: Selection) -> None:
    global _worker_selection
    _worker_selection = selection


def _lint_in_worker(item: tuple[str, bytes]) -> FileResult:
    # The source text stays in the worker: sending it back would double the traffic for nothing.
    result = lint_safely(item, _worker_selection)
    return FileResult(result.path, result.findings, result.suppressed, result.parsed)


def unreadable(display: str, error: OSError, selection: Selection) -> FileResult:
    reason = error.strerror or type(error).__name__
    finding = Finding(DECODE_ERROR, f"cannot read file: {reason}", display, 1, 1, 1, 1)
    return FileResult(display, (finding,) if selection.enabled(DECODE_ERROR, display) else (), parsed=False)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _has_internal_error(result: FileResult) -> bool:
    # An internal error is a bug to be fixed, not an answer to remember.
    return any(finding.code == INTERNAL_ERROR for finding in result.findings)
