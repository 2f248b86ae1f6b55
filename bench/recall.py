"""Recall on the development set of real NaN/Inf bugs (bench/bugs), and how clean their fixes lint.

    python bench/recall.py [--show] [--category log-prob,div-zero] [--preview] [--verify] [--heldout [BATCH]] [--json]

Every case's bug and fixed version are linted by ONE nanlint process (folder cases as folders, so that
cross-file flow can work). A case is found when nanlint reports one of its `codes` on one of its `lines`; a
fixed version is clean when nanlint reports nothing on its `fixed_lines`. Cases whose case.toml or files are
malformed are listed and left out of the scores (exit status 1). `--heldout` scores only the held-out cases (those
whose case.toml names the batch that labelled them blind, `heldout = "session5"`), `--heldout session5b` one batch.
A batch in BLIND is still waiting for its one blind scoring run: the default run and `--heldout` (all batches) leave it
out, so that nobody tunes nanlint on it by reading its misses; only naming it (`--heldout session6`) scores it.
`--verify` scores what `nanlint verify` reports: the default findings plus the preview findings the runtime verifier
confirms with TensorFlow (promoted); a finding it does not confirm is scored as the default run scores it.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BUGS = Path(__file__).resolve().parent / "bugs"

CATEGORIES: dict[str, str] = {
    "log-prob": "expression",
    "log-domain": "expression",
    "div-zero": "expression",
    "exp-overflow": "expression",
    "sqrt-grad": "expression",
    "where-grad": "expression",
    "epsilon": "expression",
    "pow-acos": "expression",
    "logits-mismatch": "model",
    "clipping": "model",
    "lr-scale": "model",
    "precision": "model",
    "timedistributed": "model",
    "loss-signature": "model",
}
REQUIRED_KEYS: dict[str, type] = {
    "title": str,
    "source": str,
    "category": str,
    "kind": str,
    "codes": list,
    "lines": list,
    "fixed_lines": list,
    "tf1": bool,
}
# Optional labels: the session that labelled a held-out case before nanlint was run on it.
OPTIONAL_KEYS: dict[str, type] = {"heldout": str}
# Held-out batches labelled blind and not yet scored (empty between batches): the default run leaves them out.
BLIND: frozenset[str] = frozenset()
ALL_HELDOUT = "all"
CODE = re.compile(r"NAN\d{3}")
# Meta findings (syntax error, unreadable file, unused noqa, internal error) say nothing about numerics.
META_PREFIX = "NAN9"


class CaseError(ValueError):
    """A case directory that cannot be scored, with the reason."""


@dataclass(frozen=True)
class Location:
    """One labelled line: a file of the case and a 1-based line number in it."""

    path: Path
    line: int


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    source: str
    category: str
    kind: str
    codes: tuple[str, ...]
    bug: Path  # bug.py, or the bug/ folder
    fixed: Path  # fixed.py, or the fixed/ folder
    bug_lines: tuple[Location, ...]
    fixed_lines: tuple[Location, ...]
    tf1: bool
    heldout: str  # "" for a development case, else the session that labelled it blind


@dataclass(frozen=True)
class Reported:
    """A finding as recall needs it."""

    code: str
    path: Path
    line: int
    message: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    found: bool
    on_bug_lines: tuple[Reported, ...]  # everything reported on the labelled lines (to read a miss)
    dirty: tuple[Reported, ...]  # findings on the fixed version's labelled lines


def _version(directory: Path, stem: str) -> Path:
    """bug.py or bug/ (fixed.py or fixed/): exactly one must exist."""
    single, folder = directory / f"{stem}.py", directory / stem
    if single.is_file() == folder.is_dir():
        raise CaseError(f"needs exactly one of {stem}.py and {stem}/")
    return single if single.is_file() else folder


def _python_files(version: Path) -> list[Path]:
    return [version] if version.is_file() else sorted(version.rglob("*.py"))


def _locations(version: Path, labels: list, key: str) -> tuple[Location, ...]:
    """`lines = [14]` for a single file, `lines = ["train.py:14"]` inside a folder; each checked against the file."""
    locations = []
    for label in labels:
        if version.is_file():
            if not isinstance(label, int) or isinstance(label, bool):
                raise CaseError(f"{key}: {label!r} must be a line number of {version.name}")
            path, line = version, label
        else:
            if not isinstance(label, str) or not re.fullmatch(r"[\w./-]+\.py:\d+", label):
                raise CaseError(f"{key}: {label!r} must be 'file.py:LINE' inside {version.name}/")
            name, _, number = label.rpartition(":")
            path, line = version / name, int(number)
            if not path.is_file():
                raise CaseError(f"{key}: {label!r}: no file {name} in {version.name}/")
        count = len(path.read_text(encoding="utf-8").splitlines())
        if not 1 <= line <= count:
            raise CaseError(f"{key}: line {line} is outside {path.name} ({count} lines)")
        locations.append(Location(path.resolve(), line))
    return tuple(locations)


def load_case(directory: Path) -> Case:
    """Read and validate one case directory; raises CaseError saying what is wrong."""
    try:
        labels = tomllib.loads((directory / "case.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseError("no case.toml") from None
    except tomllib.TOMLDecodeError as error:
        raise CaseError(f"case.toml: {error}") from None
    for key, expected in REQUIRED_KEYS.items():
        if key not in labels:
            raise CaseError(f"case.toml: missing key {key!r}")
        if not isinstance(labels[key], expected):
            raise CaseError(f"case.toml: {key!r} must be a {expected.__name__}")
    for key, expected in OPTIONAL_KEYS.items():
        if key in labels and not isinstance(labels[key], expected):
            raise CaseError(f"case.toml: {key!r} must be a {expected.__name__}")
    category, kind = labels["category"], labels["kind"]
    if category not in CATEGORIES:
        raise CaseError(f"unknown category {category!r} (known: {', '.join(CATEGORIES)})")
    if kind != CATEGORIES[category]:
        raise CaseError(f"category {category!r} is kind {CATEGORIES[category]!r}, not {kind!r}")
    if not directory.name.startswith(f"{category}-"):
        raise CaseError(f"the directory name must start with '{category}-'")
    codes = labels["codes"]
    if not codes or not all(isinstance(code, str) and CODE.fullmatch(code) for code in codes):
        raise CaseError(f"codes must be a non-empty list like ['NAN001'], not {codes!r}")
    if not labels["lines"]:
        raise CaseError("lines must name at least one line of the bug")
    if not labels["source"].startswith(("http://", "https://")):
        raise CaseError("source must be the address of the report or fix")
    bug, fixed = _version(directory, "bug"), _version(directory, "fixed")
    if bug.is_dir() and {p.relative_to(bug) for p in _python_files(bug)} != {
        p.relative_to(fixed) for p in _python_files(fixed)
    }:
        raise CaseError("bug/ and fixed/ must hold the same file names")
    for path in _python_files(bug) + _python_files(fixed):
        try:
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError as error:
            raise CaseError(f"{path.relative_to(directory)}:{error.lineno}: not valid Python 3: {error.msg}") from None
    return Case(
        id=directory.name,
        title=labels["title"],
        source=labels["source"],
        category=category,
        kind=kind,
        codes=tuple(codes),
        bug=bug,
        fixed=fixed,
        bug_lines=_locations(bug, labels["lines"], "lines"),
        fixed_lines=_locations(fixed, labels["fixed_lines"], "fixed_lines"),
        tf1=labels["tf1"],
        heldout=labels.get("heldout", ""),
    )


def load_cases(root: Path) -> tuple[list[Case], dict[str, str]]:
    """All valid cases under root, and the reason for each invalid one."""
    cases, errors = [], {}
    for directory in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            cases.append(load_case(directory))
        except CaseError as error:
            errors[directory.name] = str(error)
    return cases, errors


def selected(case: Case, categories: set[str], heldout: str | None) -> bool:
    """Whether a run scores this case: `heldout` is None (default run), ALL_HELDOUT or one batch's label."""
    if categories and case.category not in categories:
        return False
    if heldout is None:
        return case.heldout not in BLIND
    if heldout == ALL_HELDOUT:
        return bool(case.heldout) and case.heldout not in BLIND
    return case.heldout == heldout


def nanlint_supports(flag: str) -> bool:
    helptext = subprocess.run([sys.executable, "-m", "nanlint", "--help"], capture_output=True, text=True).stdout
    return flag in helptext


def run_nanlint(paths: list[Path], extra_args: list[str]) -> list[Reported]:
    """One nanlint process over every path, default rule selection, no configuration and no cache."""
    command = [sys.executable, "-m", "nanlint", "--output-format", "json", "--isolated", "--no-cache",
               "--exit-zero", *extra_args, *map(str, paths)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"nanlint exited {completed.returncode}:\n{completed.stderr.strip()}")
    return [
        Reported(item["code"], Path(item["filename"]).resolve(), item["location"]["row"], item["message"])
        for item in json.loads(completed.stdout)
    ]


def score(cases: list[Case], reported: list[Reported]) -> list[Outcome]:
    """Match findings to the labelled lines of each case."""
    at: dict[tuple[Path, int], list[Reported]] = defaultdict(list)
    for finding in reported:
        if not finding.code.startswith(META_PREFIX):
            at[finding.path, finding.line].append(finding)
    outcomes = []
    for case in cases:
        on_bug_lines = tuple(f for loc in case.bug_lines for f in at[loc.path, loc.line])
        dirty = tuple(f for loc in case.fixed_lines for f in at[loc.path, loc.line])
        found = any(f.code in case.codes for f in on_bug_lines)
        outcomes.append(Outcome(case, found, on_bug_lines, dirty))
    return outcomes


def meta_findings(cases: list[Case], reported: list[Reported]) -> dict[str, list[Reported]]:
    """Syntax errors, unreadable files and internal errors, per case: they make a score meaningless."""
    owner = {}
    for case in cases:
        for version in (case.bug, case.fixed):
            for path in _python_files(version):
                owner[path.resolve()] = case.id
    meta: dict[str, list[Reported]] = defaultdict(list)
    for finding in reported:
        if finding.code.startswith(META_PREFIX) and finding.code != "NAN902" and finding.path in owner:
            meta[owner[finding.path]].append(finding)
    return dict(meta)


@dataclass(frozen=True)
class Tally:
    cases: int
    found: int
    clean: int

    @property
    def recall(self) -> float:
        return self.found / self.cases if self.cases else 0.0

    @property
    def clean_share(self) -> float:
        return self.clean / self.cases if self.cases else 0.0

    def as_dict(self) -> dict:
        return {"cases": self.cases, "found": self.found, "recall": round(self.recall, 3),
                "fixed_clean": self.clean, "fixed_clean_share": round(self.clean_share, 3)}


def tally(outcomes: list[Outcome]) -> Tally:
    return Tally(len(outcomes), sum(o.found for o in outcomes), sum(not o.dirty for o in outcomes))


def summary(outcomes: list[Outcome]) -> dict:
    by_category = {c: [o for o in outcomes if o.case.category == c] for c in CATEGORIES}
    by_kind = {k: [o for o in outcomes if o.case.kind == k] for k in ("expression", "model")}
    return {
        "overall": tally(outcomes).as_dict(),
        "kind": {k: tally(group).as_dict() for k, group in by_kind.items() if group},
        "category": {c: tally(group).as_dict() for c, group in by_category.items() if group},
    }


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(BUGS.parent.parent))
    except ValueError:
        return str(path)


def print_report(outcomes: list[Outcome], show: bool) -> None:
    result = summary(outcomes)
    print(f"{'category':<18}{'kind':<12}{'cases':>6}{'found':>7}{'recall':>8}{'fixed clean':>13}")
    rows = [(c, CATEGORIES[c], t) for c, t in result["category"].items()]
    rows += [(f"[{k}]", "", t) for k, t in result["kind"].items()] + [("[overall]", "", result["overall"])]
    for name, kind, t in rows:
        print(f"{name:<18}{kind:<12}{t['cases']:>6}{t['found']:>7}{t['recall']:>8.2f}"
              f"{t['fixed_clean_share']:>12.0%}")
    if not show:
        return
    print("\nmisses:")
    for o in outcomes:
        if not o.found:
            near = ", ".join(sorted({f"{f.code}@{f.line}" for f in o.on_bug_lines})) or "nothing on the lines"
            lines = ", ".join(f"{_relative(loc.path)}:{loc.line}" for loc in o.case.bug_lines)
            print(f"  {o.case.id}: want {'/'.join(o.case.codes)} on {lines}; got {near}")
    print("\ndirty fixed versions:")
    for o in outcomes:
        for f in o.dirty:
            print(f"  {o.case.id}: {f.code} {_relative(f.path)}:{f.line}: {f.message[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bugs", type=Path, default=BUGS, help="the development set (default: bench/bugs)")
    parser.add_argument("--category", default="", help="comma-separated categories to score")
    parser.add_argument("--preview", action="store_true", help="pass --preview to nanlint (if it has the flag)")
    parser.add_argument("--verify", action="store_true",
                        help="run nanlint's runtime verifier too: a preview finding it confirms is promoted to the default "
                             "report, as `nanlint verify` does for a user (needs TensorFlow; minutes)")
    parser.add_argument(
        "--heldout",
        nargs="?",
        const=ALL_HELDOUT,
        metavar="BATCH",
        help="score only the held-out cases (case.toml has heldout), or only one batch (e.g. session5b)",
    )
    parser.add_argument("--show", action="store_true", help="list misses and dirty fixed versions")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)

    wanted = {c for c in args.category.split(",") if c}
    unknown = wanted - CATEGORIES.keys()
    if unknown:
        parser.error(f"unknown categories: {', '.join(sorted(unknown))}")
    cases, errors = load_cases(args.bugs)
    cases = [c for c in cases if selected(c, wanted, args.heldout)]
    extra = []
    if args.preview:
        if nanlint_supports("--preview"):
            extra.append("--preview")
        else:
            print("note: this nanlint has no --preview; scoring the default findings", file=sys.stderr)
    if args.verify:
        # the whole set in one run: the per-finding limit stays nanlint's default, the total one is lifted
        extra += ["--verify", "--verify-total-timeout", "7200"]
    reported = run_nanlint([path for c in cases for path in (c.bug, c.fixed)], extra) if cases else []
    for case_id, findings in meta_findings(cases, reported).items():
        errors[case_id] = "; ".join(f"{f.code} {_relative(f.path)}:{f.line}: {f.message}" for f in findings)
    outcomes = [o for o in score(cases, reported) if o.case.id not in errors]

    if args.json:
        result = summary(outcomes)
        result["misses"] = [o.case.id for o in outcomes if not o.found]
        result["dirty_fixed"] = [o.case.id for o in outcomes if o.dirty]
        result["bad_cases"] = errors
        print(json.dumps(result, indent=2))
    else:
        print_report(outcomes, args.show)
        if errors:
            print(f"\n{len(errors)} bad case(s), left out of the scores:", file=sys.stderr)
            for case_id, reason in sorted(errors.items()):
                print(f"  {case_id}: {reason}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
