"""Precision per corpus now: the committed baselines joined with the judgments ledger (bench/judgments/).

    python bench/precision.py                 # default findings: bench/baselines/NAME.txt x bench/judgments/NAME.tsv
    python bench/precision.py --preview       # NAME.preview.txt x (NAME.tsv + NAME.preview.tsv)
    python bench/precision.py keras-io pypi   # only these corpora
    python bench/precision.py --show FALSE    # also list the findings judged FALSE, with their reasons

Every finding of a baseline (a line `path:line:col: NANxxx message`; a message may continue on the next lines) is
looked up in the ledger by its key, `path:line:col` and the rule's code, so a reworded message keeps its judgment
and a moved line does not. The ledger is one tab-separated file per corpus (bench/judgments/README.md):

    finding	code	verdict	source	reason

Printed per corpus: findings, TRUE, DEBATABLE, FALSE, the share TRUE or DEBATABLE (over the judged findings), and
then every UNJUDGED baseline finding (no ledger row) and every STALE ledger row (no such finding in the baseline any
more). Exit status 1 when a finding is unjudged or a ledger file is malformed (so it can serve as a check), 0
otherwise; stale rows only make it fail with --strict. Standard library only: no nanlint, no TensorFlow.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
JUDGMENTS = HERE / "judgments"
VERDICTS = ("TRUE", "DEBATABLE", "FALSE")
COLUMNS = ("finding", "code", "verdict", "source", "reason")
# `path:line:col: NAN123 message`; a notebook's path carries its cell (`a.ipynb:cell 14:60:27`), so the path runs up
# to the first `:line:col: CODE ` on the line.
_FINDING = re.compile(r"^(?P<where>\S.*?:\d+:\d+): (?P<code>NAN\d{3}) ")


@dataclass(frozen=True)
class Finding:
    where: str  # path:line:col, as the baseline spells it
    code: str
    line: str  # the baseline's first line of the finding, for listing

    @property
    def key(self) -> tuple[str, str]:
        return self.where, self.code


@dataclass(frozen=True)
class Judgment:
    where: str
    code: str
    verdict: str
    source: str
    reason: str

    @property
    def key(self) -> tuple[str, str]:
        return self.where, self.code


@dataclass(frozen=True)
class Join:
    """One corpus: how many findings got each verdict, and what does not match."""
    findings: int
    verdicts: dict[str, int]
    unjudged: tuple[Finding, ...]
    stale: tuple[Judgment, ...]
    judged: tuple[tuple[Finding, Judgment], ...]

    @property
    def true_or_debatable(self) -> float | None:
        judged = sum(self.verdicts.values())
        return None if judged == 0 else (self.verdicts["TRUE"] + self.verdicts["DEBATABLE"]) / judged


class LedgerError(ValueError):
    """A malformed ledger file: a row without its five columns, an unknown verdict, a key given twice."""


def parse_baseline(text: str) -> list[Finding]:
    """The findings of a baseline file, one per `path:line:col: CODE` line; continuation lines belong to the one
    above (a message that quotes multi-line source)."""
    findings = []
    for line in text.splitlines():
        match = _FINDING.match(line)
        if match:
            findings.append(Finding(match["where"], match["code"], line))
    return findings


def parse_ledger(text: str, name: str = "<ledger>") -> list[Judgment]:
    """The rows of a ledger file: tab-separated, the header row and `#` comments and blank lines skipped."""
    judgments = []
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or tuple(line.split("\t")) == COLUMNS:
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise LedgerError(f"{name}:{number}: {len(cells)} columns, expected {len(COLUMNS)} ({', '.join(COLUMNS)})")
        judgment = Judgment(*(cell.strip() for cell in cells))
        if judgment.verdict not in VERDICTS:
            raise LedgerError(f"{name}:{number}: verdict {judgment.verdict!r}, expected one of {', '.join(VERDICTS)}")
        if not judgment.reason:
            raise LedgerError(f"{name}:{number}: no reason")
        if judgment.key in seen:
            raise LedgerError(f"{name}:{number}: {judgment.where} {judgment.code} judged twice")
        seen.add(judgment.key)
        judgments.append(judgment)
    return judgments


def join(findings: list[Finding], judgments: list[Judgment], own: list[Judgment] | None = None) -> Join:
    """Each finding with its judgment. `judgments` are every row that may judge these findings; `own` (default: all
    of them) the rows of this ledger file, reported STALE when no finding has their key. A finding reported twice on
    one line (a multiset baseline) counts twice under its one row."""
    by_key = {judgment.key: judgment for judgment in judgments}
    verdicts: Counter[str] = Counter({verdict: 0 for verdict in VERDICTS})
    unjudged = []
    judged = []
    for finding in findings:
        judgment = by_key.get(finding.key)
        if judgment is None:
            unjudged.append(finding)
        else:
            verdicts[judgment.verdict] += 1
            judged.append((finding, judgment))
    present = {finding.key for finding in findings}
    stale = tuple(judgment for judgment in (judgments if own is None else own) if judgment.key not in present)
    return Join(len(findings), dict(verdicts), tuple(unjudged), stale, tuple(judged))


def corpus_names(preview: bool) -> list[str]:
    """Every corpus with a baseline or a ledger (bench/baselines/NAME.txt, bench/judgments/NAME.tsv; their
    .preview files with preview): a ledger left without its baseline shows all its rows stale."""
    names = set()
    for directory, suffix in ((BASELINES, ".txt"), (JUDGMENTS, ".tsv")):
        for path in directory.glob("*" + suffix):
            stem = path.name.removesuffix(suffix)
            if stem.endswith(".preview") == preview:
                names.add(stem.removesuffix(".preview"))
    # in natural order: unseen6 before unseen10
    return sorted(names, key=lambda name: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)])


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def load(name: str, preview: bool) -> Join:
    """Join one corpus's baseline with its ledger; in preview mode the default rows judge the preview baseline's
    findings too, and only NAME.preview.tsv's rows can be stale."""
    suffix = ".preview" if preview else ""
    findings = parse_baseline(_read(BASELINES / f"{name}{suffix}.txt"))
    default_path = JUDGMENTS / f"{name}.tsv"
    default = parse_ledger(_read(default_path), str(default_path))
    if not preview:
        return join(findings, default)
    preview_path = JUDGMENTS / f"{name}.preview.tsv"
    own = parse_ledger(_read(preview_path), str(preview_path))
    clash = {judgment.key for judgment in own} & {judgment.key for judgment in default}
    if clash:
        where, code = sorted(clash)[0]
        raise LedgerError(f"{preview_path}: {where} {code} is judged in {default_path.name} already")
    return join(findings, default + own, own)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def table(joins: dict[str, Join]) -> list[str]:
    """The per-corpus table, markdown, with a total row."""
    lines = ["| corpus | findings | TRUE | DEBATABLE | FALSE | unjudged | TRUE or DEBATABLE |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for name, result in joins.items():
        total.update(result.verdicts)
        total["findings"] += result.findings
        total["unjudged"] += len(result.unjudged)
        lines.append(f"| {name} | {result.findings} | {result.verdicts['TRUE']} | {result.verdicts['DEBATABLE']} | "
                     f"{result.verdicts['FALSE']} | {len(result.unjudged)} | {_percent(result.true_or_debatable)} |")
    judged = sum(total[verdict] for verdict in VERDICTS)
    share = None if judged == 0 else (total["TRUE"] + total["DEBATABLE"]) / judged
    lines.append(f"| all | {total['findings']} | {total['TRUE']} | {total['DEBATABLE']} | {total['FALSE']} | "
                 f"{total['unjudged']} | {_percent(share)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora (default: every one with a baseline)")
    parser.add_argument("--preview", action="store_true", help="the --preview baselines")
    parser.add_argument("--show", choices=VERDICTS, action="append", default=[],
                        help="also list the findings with this verdict (repeatable)")
    parser.add_argument("--strict", action="store_true", help="fail on stale ledger rows too")
    args = parser.parse_args(argv)
    names = args.names or corpus_names(args.preview)
    try:
        joins = {name: load(name, args.preview) for name in names}
    except LedgerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("\n".join(table(joins)))
    for verdict in args.show:
        print(f"\n{verdict}:")
        for name, result in joins.items():
            for finding, judgment in result.judged:
                if judgment.verdict == verdict:
                    print(f"  {name} {finding.where} {finding.code}: {judgment.reason} [{judgment.source}]")
    unjudged = [(name, finding) for name, result in joins.items() for finding in result.unjudged]
    stale = [(name, judgment) for name, result in joins.items() for judgment in result.stale]
    if unjudged:
        print(f"\nUNJUDGED ({len(unjudged)}): baseline findings with no ledger row")
        for name, finding in unjudged:
            print(f"  {name}: {finding.line}")
    if stale:
        print(f"\nSTALE ({len(stale)}): ledger rows with no such finding in the baseline")
        for name, judgment in stale:
            print(f"  {name}: {judgment.where}\t{judgment.code}\t{judgment.verdict}")
    return 1 if unjudged or (stale and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
