"""Editing one helper re-lints only the files that can use it (issue 10): a warm cache, one edit, a second run.

Copies a project to a scratch directory, lints it once (filling the cache), appends a comment to HELPER, lints it
again and counts the files whose cache entry missed (`ResultCache.get_entry` returned None) in the second run. A
file's entry holds what its analysis consulted of the other files (nanlint/project.py `Dependencies`: the summaries
it read, directly or through another summary, the module names it resolved, the callers of its functions it read),
so the expected re-lints are the helper and the files whose analysis read its summary (a subset of the files that
import it, at any depth) or read it as a caller of one of their functions; every other file must hit. Also prints
the size of the entries' dependency records.

    python bench/relint.py [PROJECT_DIR] [HELPER_RELATIVE_PATH ...] [--summary-edit [EXPR]] [--jobs N]

--summary-edit [EXPR] checks soundness on real code: every function of each helper returns EXPR first (a softmax
by default; a change of its summary), and the re-run's report (with the cache) must equal a --no-cache run's.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nanlint import cache, cli
from nanlint.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (bench/ is not a package)

DEFAULT_PROJECT = corpus.CORPUS / "keras_hub-0.32.0-py3-none-any"
DEFAULT_HELPER = "keras_hub/src/layers/modeling/transformer_encoder.py"


def _run(project: Path, jobs: int, *args: str) -> tuple[list[str], float]:
    """The files whose cache entry missed, and the CPU seconds of the run (of this process: all of it with --jobs
    1)."""
    missed: list[str] = []
    # the runner asks the cache by entry name (`get_entry`, with the check of the entry's dependencies)
    original = cache.ResultCache.get_entry

    def counting_get(self: cache.ResultCache, path: str, name: str, data: bytes, *check: Any) -> object:
        result = original(self, path, name, data, *check)
        if result is None:
            missed.append(path)
        return result

    cache.ResultCache.get_entry = counting_get  # type: ignore[method-assign, assignment]
    start = time.process_time()
    try:
        cli.main([str(project), "--isolated", "--exit-zero", "-q", "--jobs", str(jobs),
                  "--cache-dir", str(project / ".nanlint_cache"), *(args or ("--output-file", os.devnull))])
    finally:
        cache.ResultCache.get_entry = original  # type: ignore[method-assign]
    return missed, time.process_time() - start


def _summary_edit(path: Path, returned: str) -> None:
    """Make every function of the file return `returned` first (`keras` is the keras module): its summary changes
    for every caller, unlike a comment's."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    inserts = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body[0].lineno > node.lineno:
            first = node.body[0]
            inserts[first.lineno - 1] = " " * first.col_offset + "return " + returned.replace("keras.", "_relint_keras.") + "\n"
    # the import goes before the first statement that is not the docstring or a `from __future__` import
    body = [statement for statement in tree.body if not (
        isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
        or isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
    if body:
        inserts[body[0].lineno - 1] = "import keras as _relint_keras\n" + inserts.get(body[0].lineno - 1, "")
    path.write_text("".join(inserts.get(index, "") + line for index, line in enumerate(lines)), encoding="utf-8")


def _transitive_importers(project: Project, path: str) -> set[str]:
    found: set[str] = set()
    pending = [path]
    while pending:
        for importer in project.importers(pending.pop()):
            if importer not in found and importer != path:
                found.add(importer)
                pending.append(importer)
    return found


def _recorded(project: Path) -> str:
    """What the entries record of the other files: dependencies per entry (files, resolutions, callers) and the
    entries' size."""
    counts = []
    size = 0
    for entry in (project / ".nanlint_cache").rglob("*.json"):
        if entry.name == "last-run.json":
            continue
        raw = entry.read_bytes()
        size += len(raw)
        recorded = json.loads(raw.partition(b"\n")[2])["dependencies"]
        counts.append([len(recorded[kind]) for kind in ("files", "resolved", "callers")])
    means = [statistics.mean(column) for column in zip(*counts)]
    most = [max(column) for column in zip(*counts)]
    return (f"{len(counts)} entries, {size / 2**20:.1f} MiB; per entry: {means[0]:.1f} files (most {most[0]}), "
            f"{means[1]:.1f} resolutions (most {most[1]}), {means[2]:.1f} callers (most {most[2]})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path, nargs="?", default=DEFAULT_PROJECT)
    parser.add_argument("helpers", nargs="*", default=[DEFAULT_HELPER], help="paths relative to the project")
    parser.add_argument("--summary-edit", metavar="EXPR", nargs="?", const="keras.ops.softmax(keras.ops.zeros((1,)))",
                        help="edit each helper's functions (every one returns EXPR, default a softmax) rather than "
                             "append a comment, and compare the re-run's report with a --no-cache run's")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    source: Path = args.project
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / source.name
        shutil.copytree(source, project, ignore=shutil.ignore_patterns(".nanlint_cache"))
        reports = [Path(scratch) / name for name in ("before.txt", "cached.txt", "uncached.txt")]
        first, cold = _run(project, args.jobs, "--output-file", str(reports[0]))
        recorded = _recorded(project)
        edited = [project / helper for helper in args.helpers]
        for path in edited:
            if args.summary_edit:
                _summary_edit(path, args.summary_edit)
            else:
                with path.open("a", encoding="utf-8") as handle:
                    handle.write("\n# edited by bench/relint.py\n")
        second, warm = _run(project, args.jobs, "--output-file", str(reports[1]))
        files = sorted(str(p) for p in project.rglob("*.py"))
        summaries = Project(files)
        users = set().union(*(_transitive_importers(summaries, str(path)) for path in edited))
        relinted = {os.path.abspath(p) for p in second}
        others = relinted - users - {str(path) for path in edited}
        print(f"{source.name}: {len(files)} files, {len(first)} linted cold ({cold:.1f} s CPU)")
        print(f"recorded: {recorded}")
        print(f"edit {', '.join(args.helpers)}: {len(relinted)} re-linted ({warm:.1f} s CPU): the helpers, "
              f"{len(relinted & users)} of the {len(users)} files that import them (at any depth), {len(others)} "
              "others (files whose functions a helper calls: their parameters can take values from those calls)")
        for path in sorted(others)[:10]:
            print(f"  re-linted, not an importer: {os.path.relpath(path, project)}")
        if args.summary_edit:
            _run(project, args.jobs, "--no-cache", "--output-file", str(reports[2]))
            before, cached, uncached = (report.read_text().splitlines() for report in reports)
            changed = set(cached) ^ set(before)
            elsewhere = {line for line in changed if not any(line.startswith(f"{path}:") for path in edited)}
            print(f"report lines: {len(before)} before the edit, {len(cached)} after it with the cache "
                  f"({len(changed)} changed, {len(elsewhere)} of them in files not edited), {len(uncached)} with "
                  "--no-cache: " + ("identical" if cached == uncached else "DIFFERENT"))
            for line in sorted(elsewhere)[:5]:
                print(f"  changed by the edit: {os.path.relpath(line, project)}")
            for line in sorted(set(cached) ^ set(uncached))[:10]:
                print(f"  {'only cached' if line in cached else 'only uncached'}: {os.path.relpath(line, project)}")


if __name__ == "__main__":
    main()
