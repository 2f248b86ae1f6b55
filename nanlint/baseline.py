"""`--baseline FILE` / `--write-baseline FILE`: adopt nanlint on a large codebase without fixing everything
first. A baseline records the fingerprints of accepted findings (rule + normalized statement + enclosing
function, not the line number, so unrelated edits keep them matched); with `--baseline`, only findings
beyond those are reported. Duplicates are counted: a second copy of a baselined hazard is new."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

from nanlint.config import Settings
from nanlint.extensions import FatalError
from nanlint.extensions import no_session as session  # noqa: F401 - nothing to start before linting
from nanlint.finding import WRITE_ERROR, FileResult, Finding, fingerprint
from nanlint.source import SourceError, write_text

FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("baseline")
    group.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline")
    group.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")


def load(path: Path) -> Counter[str]:
    """How many times each fingerprint was accepted. A missing or unreadable baseline stops the run (exit 2):
    reporting everything instead would bury a team's new findings under the accepted ones."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported baseline version {data.get('version')!r}")
        return Counter(entry["fingerprint"] for entry in data["findings"])
    except FileNotFoundError:
        raise FatalError(f"baseline file not found: {path}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise FatalError(f"cannot read baseline {path}: {error}") from None


def process_results(results: list[FileResult], args: argparse.Namespace,
                    settings: Settings) -> list[FileResult]:
    if getattr(args, "write_baseline", None):
        findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
        entries = [{"fingerprint": fingerprint(f), "code": f.code, "path": f.path, "line": f.line,
                    "message": f.message} for f in findings]
        target = args.write_baseline
        try:
            write_text(target, json.dumps({"version": FORMAT_VERSION, "tool": "nanlint", "findings": entries},
                                          indent=2, sort_keys=True) + "\n")
        except SourceError as error:  # report every finding (nothing was accepted) and why: exit 2
            problem = Finding(WRITE_ERROR, f"cannot write the baseline: {error}", target, 1, 1, 1, 1)
            return [*results, FileResult(target, (problem,), parsed=False)]
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
