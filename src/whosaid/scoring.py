"""Arithmetic every scorer shares (:mod:`whosaid.evaluate`,
:mod:`whosaid.evaluate_paragraph`, :mod:`whosaid.evaluate_speakers`): one definition, so
the three reports cannot drift apart on what an empty denominator or F1 means."""

from __future__ import annotations

from dataclasses import fields
from typing import Self


def ratio(num: float, den: float) -> float:
    """``num / den``; 0.0 for an empty denominator (no prediction, no gold)."""
    return num / den if den else 0.0


def f1_score(p: float, r: float) -> float:
    """The harmonic mean of precision and recall; 0.0 when both are 0."""
    return 2 * p * r / (p + r) if p + r else 0.0


def prf_fields(p: float, r: float, f: float) -> dict[str, float]:
    """A (precision, recall, F1) triple as the JSON reports write it: rounded to four
    places, keys ``p``, ``r``, ``f1``."""
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def solid_chars(text: str, frags: list[tuple[int, int]]) -> frozenset[int]:
    """The offsets the fragments cover that are not whitespace: a span that differs only
    by a trailing space or a line break is the same span."""
    return frozenset(i for s, e in frags for i in range(s, e) if not text[i].isspace())


class SummedCounts:
    """A dataclass of raw counts kept raw so that articles can be summed: ``add`` adds
    another's counts field by field, in place, and returns self."""

    def add(self, other: Self) -> Self:
        for f in fields(self):  # type: ignore[arg-type]  # subclasses are dataclasses
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self
