"""Editing one helper re-lints only the files that can use it (issue 10): a warm cache, one edit, a second run.

Copies a project to a scratch directory, lints it once (filling the cache), appends a comment to HELPER, lints it
again and counts the files whose cache entry missed (`ResultCache.get_entry` returned None) in the second run. The
cache key of a file covers the project files whose summaries it reads (nanlint/project.py `dependency_digest`:
the files it imports, transitively, and the files that import it, whose calls give its parameters values), so
the expected re-lints are the helper, its importers and the files it imports; every other file must hit.

    python bench/relint.py [PROJECT_DIR] [HELPER_RELATIVE_PATH]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nanlint import cache, cli
from nanlint.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (bench/ is not a package)

DEFAULT_PROJECT = corpus.CORPUS / "keras_hub-0.32.0-py3-none-any"
DEFAULT_HELPER = "keras_hub/src/layers/modeling/transformer_encoder.py"


def _run(project: Path) -> tuple[list[str], float]:
    """The files whose cache entry missed, and the CPU seconds of the run (one process: --jobs 1)."""
    missed: list[str] = []
    # the runner asks the cache by entry name (`get_entry`, the name computed with the file's dependencies)
    original = cache.ResultCache.get_entry

    def counting_get(self: cache.ResultCache, path: str, name: str, data: bytes) -> object:
        result = original(self, path, name, data)
        if result is None:
            missed.append(path)
        return result

    cache.ResultCache.get_entry = counting_get  # type: ignore[method-assign]
    start = time.process_time()
    try:
        cli.main([str(project), "--isolated", "--exit-zero", "-q", "--jobs", "1",
                  "--cache-dir", str(project / ".nanlint_cache"), "--output-file", os.devnull])
    finally:
        cache.ResultCache.get_entry = original  # type: ignore[method-assign]
    return missed, time.process_time() - start


def _transitive_importers(project: Project, path: str) -> set[str]:
    found: set[str] = set()
    pending = [path]
    while pending:
        for importer in project.importers(pending.pop()):
            if importer not in found and importer != path:
                found.add(importer)
                pending.append(importer)
    return found


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PROJECT
    helper = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_HELPER
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / source.name
        shutil.copytree(source, project, ignore=shutil.ignore_patterns(".nanlint_cache"))
        first, cold = _run(project)
        edited = project / helper
        with edited.open("a", encoding="utf-8") as handle:
            handle.write("\n# edited by bench/relint.py\n")
        second, warm = _run(project)
        files = sorted(str(p) for p in project.rglob("*.py"))
        summaries = Project(files)
        users = _transitive_importers(summaries, str(edited))  # files that import the helper, at any depth
        relinted = {os.path.abspath(p) for p in second}
        others = relinted - users - {str(edited)}
        print(f"{source.name}: {len(files)} files, {len(first)} linted cold ({cold:.1f} s CPU)")
        print(f"edit {helper}: {len(relinted)} re-linted ({warm:.1f} s CPU): the helper, {len(relinted & users)} of "
              f"the {len(users)} files that import it (at any depth), {len(others)} others (files the helper or "
              f"its users import and call: their parameters can take values from those calls)")
        for path in sorted(others)[:10]:
            print(f"  re-linted, not a user: {os.path.relpath(path, project)}")


if __name__ == "__main__":
    main()
