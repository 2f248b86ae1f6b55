"""Counts: sums of 0/1 indicators, and the sums and products of such counts.

An indicator is a value that is 1 for the samples where an event holds and 0 elsewhere: predictions or labels
rounded to 0/1 (`K.round(K.clip(y_pred, 0, 1))`), a comparison of predictions cast to numbers
(`cast(y_pred > 0.5, float)`), its complement `1 - indicator` (the event fails), and a product of indicators (both
events hold). Summed over a batch it counts the samples where the event holds, so it is 0 when no sample does: the
hand-written precision / recall / F1 / Matthews metrics (`true_positives / predicted_positives`, 0/0 for a model
that predicts no positive). Counts are non-negative, so a sum of counts is 0 exactly when every one is, i.e. when no
sample satisfies any of their events (`tp + fp` counts the samples predicted positive, whatever their label), and a
product of counts (or its square root) is 0 when any factor is.

An event is held as a disjunction of conjunctions of literals (an indicator, or its complement), simplified so that
complementary terms merge: (labelled positive and predicted positive) or (labelled negative and predicted positive)
is "predicted positive". This module is the pure logic; values.py recognises the indicators in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


# What an indicator says about a sample: its labels (y_true), the model's predictions, or another quantity.
LABELS = "labels"
PREDICTIONS = "predictions"
OTHER = "other"


@dataclass(frozen=True, order=True)
class Literal:
    """An indicator (`positive`) or its complement: `subject` is what was rounded or compared (`y_pred`,
    `y_pred > 0.5`), `kind` one of LABELS, PREDICTIONS, OTHER; `rounded`: a value rounded to 0/1 (`y_true` rounded
    is the same event as `y_true`, so it does not take part in comparisons)."""

    subject: str
    kind: str
    positive: bool = True
    rounded: bool = field(default=False, compare=False)

    def negated(self) -> Literal:
        return Literal(self.subject, self.kind, not self.positive, self.rounded)

    def describe(self) -> str:
        if self.kind == LABELS:
            return "labelled " + ("positive" if self.positive else "negative")
        if self.kind == PREDICTIONS:
            return "predicted " + ("positive" if self.positive else "negative")
        if self.rounded:
            return f"with `{self.subject}` rounding to " + ("1" if self.positive else "0")
        return f"with `{self.subject}`" if self.positive else f"with not `{self.subject}`"


Conjunction = frozenset[Literal]
Event = frozenset[Conjunction]


def conjunction(*literals: Literal) -> Conjunction | None:
    """The samples where every literal holds; None for a contradiction (an indicator times its complement)."""
    held = frozenset(literals)
    if any(literal.negated() in held for literal in held):
        return None
    return held


def union(first: Event, second: Event) -> Event:
    """The samples where either event holds, simplified: two terms that differ only in one literal's sign merge
    (a and b, a and not b: a), and a term implied by another is dropped (a and b, a: a)."""
    terms = set(first | second)
    changed = True
    while changed:
        changed = False
        for one in list(terms):
            for other in list(terms):
                if one is other or one not in terms or other not in terms:
                    continue
                difference = one ^ other
                if len(difference) == 2 and len({(lit.subject, lit.kind) for lit in difference}) == 1:
                    terms -= {one, other}
                    terms.add(one & other)
                    changed = True
                elif one < other:
                    terms.discard(other)
                    changed = True
    return frozenset(terms)


def describe_event(event: Event) -> str:
    """`predicted positive`, `labelled positive and predicted negative`, for "no sample ..."."""
    def order(literal: Literal) -> tuple[bool, str, bool]:
        return literal.kind != LABELS, literal.subject, not literal.positive  # the labels first: "labelled positive
        # and predicted negative"

    terms = sorted(" and ".join(literal.describe() for literal in sorted(term, key=order)) for term in event if term)
    return " or ".join(terms) if terms else "counted"


def predictive(event: Event) -> bool:
    """The event reads a prediction or a rounded value (not only a labels mask, which a sum of `y_true` already is
    as a mask, nor only a comparison of other values, which a sum reads as a mask)."""
    return any(literal.kind == PREDICTIONS or literal.rounded for term in event for literal in term)


@dataclass(frozen=True)
class Count:
    """One count (`text` as the code writes it) and the event it counts."""

    text: str
    event: Event

    def zero(self) -> str:
        return f"`{self.text}` is 0 (no sample {describe_event(self.event)})"


def zero_when(counts: tuple[Count, ...]) -> str:
    """When a count, or a product of counts, is 0."""
    return "a batch where " + ", or ".join(count.zero() for count in counts)
