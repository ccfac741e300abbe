"""Precision, recall and F1 of predicted character spans against gold spans, exact and overlapping."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass
class Counts:
    """Matched predictions and gold spans, and their totals, summed over documents."""

    tp_pred: int = 0
    tp_gold: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, predicted: list[Span], gold: list[Span], match: str) -> None:
        matched_pred, matched_gold = _match(predicted, gold, match)
        self.tp_pred += matched_pred
        self.tp_gold += matched_gold
        self.n_pred += len(predicted)
        self.n_gold += len(gold)

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _same(a: Span, b: Span, match: str) -> bool:
    if match == "exact":
        return a == b
    return a[0] < b[1] and b[0] < a[1]


def _match(predicted: list[Span], gold: list[Span], match: str) -> tuple[int, int]:
    """One-to-one greedy matching in text order; returns (matched predictions, matched gold)."""
    free = sorted(set(gold))
    matched = 0
    for p in sorted(predicted):
        hit = next((g for g in free if _same(p, g, match)), None)
        if hit is not None:
            free.remove(hit)
            matched += 1
    return matched, matched
