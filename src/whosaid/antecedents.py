"""A learned ranker over the candidate antecedents of a pronoun or description source.

The hand-written rules of :mod:`whosaid.resolve` pick an antecedent by costs fitted to a
few dozen articles; they scored 0.94-0.96 on those and 0.77-0.87 on every new sample.
This module scores the same candidate set with weights learnt from speaker gold
(``scripts/train_ranker.py``): a conditional-logit (softmax) model over the candidates
of one source, linear in generic features (the rules' own pick, distance, salience,
agreement, quotation and paragraph boundaries, role fit, frequency). No feature names a
word of any article. The rules still decide; the ranker overrides them only where its
own pick differs and beats the rules' pick by a probability margin chosen by
cross-validation, and
only for the source forms it was shown to help on held-out articles.

Weights ship as JSON next to the other models (``models/ranker.json``); loading is
offline and scoring is a dot product per candidate, so resolution stays cheap.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

# Candidate features. Binary unless noted; all are generic facts of the text around the
# source, never words of an article.
FEATURES: tuple[str, ...] = (
    "rule_pick",          # the rules chose this candidate
    "rule_considered",    # the pronoun rules scored it (it passed their hard filters)
    "rule_gap",           # its rule cost minus the best rule cost, clipped to 0..6
    "null",               # no entity: the rules' own non-entity reading of the source
    "null_pronoun",       # ... for a pronoun source
    "dist",               # narrative sentences back to its nearest mention, clipped to 0..8
    "same_sentence",
    "ahead",              # only mentioned after the source (a newcomer named next)
    "recency_rank0",      # the latest-mentioned candidate
    "recency_rank1",
    "nearest_source",     # its nearest mention is a statement's source
    "nearest_subject",    # ... a grammatical subject
    "any_source",         # it was the source of a statement in the window
    "any_subject",
    "last_source",        # the speaker of the latest statement in the narration
    "went_on",            # that speaker, and the source opens a later sentence
    "last_person",        # the latest person named outside quotations
    "person", "anonymous", "body", "place", "group",
    "want_person_person",      # he/she and a person (or an unnamed individual)
    "want_person_other",       # he/she and a body or group
    "they_plural",             # they and a group, several people or a body named as plural
    "they_person",
    "it_body",
    "it_other",
    "gender_agree",       # pronoun or role noun gender equals the candidate's
    "gender_clash",
    "gender_unknown",     # a gender is wanted and the candidate has none
    "gender_strong",      # the candidate's gender comes from an honorific or role noun
    "in_quote",           # nearest mention inside a quotation the source is not in
    "in_content",         # nearest mention inside a reported content the source is not in
    "source_in_quote",    # the source itself is inside a quotation (x candidate is person)
    "quoting",            # the candidate is the speaker of the quotation the source is in
    "para_crossed",       # a paragraph break between its nearest mention and the source
    "log_count",          # log(1 + mentions before the source)
    "modifier",           # its nearest mention only names a noun's kind ("the U.S. senator")
    "role_match",         # a description's head noun is one of its roles
    "mod_match",          # a description's modifiers are among its roles or name words
    "role_conflict",      # the text gives it another office or rank than the description's
    "type_match",         # a body whose type word fits the description's head ("the bank")
    "desc_person_person",  # a description of a person (role noun) and a person
    "desc_body_body",      # a description of a body and a body
    "desc_document",       # a document noun ("the poll") and a body or person (its issuer)
    "fit_first",           # the latest candidate that agrees (pronoun) or fits (description)
    "fit_first_subject",   # the latest agreeing or fitting one whose mention is a subject/source
    "fit_second",          # the next agreeing or fitting one
    "dist1", "dist2", "dist3_plus",  # distance buckets (with "same_sentence": not linear)
    "content_same_sentence",  # named inside a reported content of the source's own sentence
    "subject_dist1",       # the subject or source of the sentence just before
)
INDEX = {name: k for k, name in enumerate(FEATURES)}
# what the rules themselves said: a ranker may be trained without them ("independent"),
# since on the articles the rules were fitted to their pick is right far more often than
# on new text, and a ranker trained there learns to trust it too much
RULE_FEATURES = ("rule_pick", "rule_considered", "rule_gap")
FORMS = ("pronoun", "description")
MODEL_PATH = Path(__file__).parent / "models" / "ranker.json"


def vector(values: dict[str, float]) -> list[float]:
    """A feature dict as a row in :data:`FEATURES` order (unknown names are an error)."""
    row = [0.0] * len(FEATURES)
    for name, v in values.items():
        row[INDEX[name]] = float(v)
    return row


@dataclass
class Ranker:
    """Softmax weights, the forms the ranker decides, and its override margin."""

    weights: list[float]
    forms: tuple[str, ...] = FORMS
    margin: float = 0.2  # its own pick must be this much more probable than the rules' pick
    features: tuple[str, ...] = FEATURES
    meta: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            raise ValueError("ranker weights were trained on other features; re-train "
                             "with scripts/train_ranker.py")
        self._w = np.asarray(self.weights, dtype=np.float64)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Softmax over one source's candidates."""
        s = np.asarray(rows, dtype=np.float64) @ self._w
        s = np.exp(s - s.max())
        return s / s.sum()

    def choose(self, form: str, rows: Sequence[Sequence[float]], rule: int | None) -> int | None:
        """The candidate to take instead of the rules' pick ``rule``, or None to keep it."""
        if form not in self.forms or len(rows) < 2:
            return None
        p = self.probabilities(rows)
        best = int(np.argmax(p))
        if best == rule or p[best] - (p[rule] if rule is not None else 0.0) < self.margin:
            return None
        return best

    def to_json(self) -> str:
        return json.dumps({"features": list(self.features), "weights": [round(w, 6) for w in
                                                                         self.weights],
                           "forms": list(self.forms), "margin": self.margin,
                           "meta": self.meta}, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Ranker:
        data = json.loads(text)
        return cls(weights=[float(w) for w in data["weights"]], forms=tuple(data["forms"]),
                   margin=float(data["margin"]), features=tuple(data["features"]),
                   meta=dict(data.get("meta", {})))


@cache
def default_ranker() -> Ranker | None:
    """The shipped ranker, or None when no weights ship (then the rules alone decide)."""
    if not MODEL_PATH.exists():
        return None
    return Ranker.from_json(MODEL_PATH.read_text(encoding="utf-8"))


def fit(groups: Sequence[tuple[Sequence[Sequence[float]], Sequence[int]]], *,
        l2: float = 1.0, iterations: int = 400, drop: Sequence[str] = ()) -> list[float]:
    """Weights of a conditional-logit ranker: each group is one source's candidate rows and
    the indices of the right ones (the probability of any right one is maximised).

    Newton's method on the mean negative log-likelihood plus ``l2 / n`` * |w|^2 / 2:
    deterministic (no random start, no shuffling) and a few dozen iterations at most.
    Features named in ``drop`` get weight 0.
    """
    keep = np.ones(len(FEATURES))
    keep[[INDEX[name] for name in drop]] = 0.0
    usable = [(np.asarray(x, dtype=np.float64) * keep,
               np.asarray(sorted(set(y)), dtype=np.int64))
              for x, y in groups if len(y) and len(x)]
    d = len(FEATURES)
    w = np.zeros(d)
    if not usable:
        return w.tolist()
    reg = l2 / len(usable)
    loss, grad, hess = _objective(usable, w, reg)
    for _ in range(iterations):
        # the Hessian of a mixture likelihood may be indefinite: keep its PSD part
        vals, vecs = np.linalg.eigh(hess)
        step = vecs @ ((vecs.T @ grad) / np.maximum(vals, reg))
        size = 1.0
        while size > 1e-4:  # backtrack until the objective falls
            new = _objective(usable, w - size * step, reg)
            if new[0] <= loss:
                break
            size /= 2
        else:
            break
        w = w - size * step
        done = loss - new[0] < 1e-10
        loss, grad, hess = new
        if done:
            break
    return w.tolist()


def _objective(usable: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray, reg: float
               ) -> tuple[float, np.ndarray, np.ndarray]:
    """Mean negative log-likelihood + L2, its gradient and (Gauss-Newton-like) Hessian."""
    n = len(usable)
    d = len(w)
    grad = reg * w
    hess = reg * np.eye(d)
    loss = 0.5 * reg * float(w @ w)
    for x, y in usable:
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        q = np.zeros_like(p)  # the posterior over the right candidates
        q[y] = p[y] / p[y].sum()
        loss -= math.log(max(float(p[y].sum()), 1e-300)) / n
        mean_p, mean_q = x.T @ p, x.T @ q
        grad += (mean_p - mean_q) / n
        hess += ((x.T * p) @ x - np.outer(mean_p, mean_p)
                 - (x.T * q) @ x + np.outer(mean_q, mean_q)) / n
    return loss, grad, hess
