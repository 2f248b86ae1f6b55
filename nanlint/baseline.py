"""`--baseline FILE` / `--write-baseline FILE`: adopt nanlint on a large codebase without fixing everything
first. A baseline records the fingerprints of accepted findings (rule + normalized statement + enclosing
function, not the line number, so unrelated edits keep them matched); with `--baseline`, only findings
beyond those are reported. Duplicates are counted: a second copy of a baselined hazard is new."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from nanlint.finding import fingerprint

FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("baseline")
    group.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline")
    group.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same directory, then rename it into place: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported baseline version {data.get('version')!r}")
        return Counter(entry["fingerprint"] for entry in data["findings"])
    except FileNotFoundError:
        raise SystemExit(_error(f"baseline file not found: {path}")) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise SystemExit(_error(f"cannot read baseline {path}: {error}")) from None


def _error(message: str) -> int:
    print(f"nanlint: error: {message}", file=sys.stderr)
    return 2


def process_results(results, args, settings):
    if getattr(args, "write_baseline", None):
        findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
        entries = [{"fingerprint": fingerprint(f), "code": f.code, "path": f.path, "line": f.line,
                    "message": f.message} for f in findings]
        target = Path(args.write_baseline)
        write_atomically(target, json.dumps({"version": FORMAT_VERSION, "tool": "nanlint", "findings": entries},
                                            indent=2, sort_keys=True) + "\n")
        print(f"nanlint: wrote {len(entries)} finding(s) to {target}", file=sys.stderr)
        return [dataclasses.replace(r, findings=()) for r in results]
    if getattr(args, "baseline", None):
        accepted = load(Path(args.baseline))
        kept_results = []
        for result in results:
            kept = []
            for finding in result.findings:
                key = fingerprint(finding)
                if accepted[key] > 0:
                    accepted[key] -= 1
                else:
                    kept.append(finding)
            kept_results.append(dataclasses.replace(result, findings=tuple(kept)))
        return kept_results
    return results
