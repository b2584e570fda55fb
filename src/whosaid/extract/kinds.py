"""Attribution type: direct, indirect or mixed quote, "according to", belief, intention.

Decided from the cue's lexical class and how much of the content sits inside
quotation marks, so the type stays explainable ("why direct?" - because every
content character is quoted).
"""

from __future__ import annotations

from whosaid.extract.lexicon import cue_class
from whosaid.model import Attribution, AttributionType

# Nominal cues that report a state of mind or a plan rather than speech.
BELIEF_NOUNS = frozenset("""
belief view views perspective opinion idea notion fear hope concern expectation
assessment position stance
""".split())
INTENTION_NOUNS = frozenset("plan plans intention pledge promise vow aim goal".split())


class QuotedCounter:
    """Counts quoted and total non-space characters of any span in O(1).

    Prefix sums over the document, built once: a per-character scan for each
    attribution made run-on input quadratic in the number of cues.
    """

    def __init__(self, text: str, quotes: list[tuple[int, int]]) -> None:
        inside = bytearray(len(text) + 1)
        for qs, qe in quotes:
            inside[qs:qe] = b"\x01" * (qe - qs)
        self.total = [0] * (len(text) + 1)
        self.quoted = [0] * (len(text) + 1)
        for i, ch in enumerate(text):
            solid = not ch.isspace()
            self.total[i + 1] = self.total[i] + solid
            self.quoted[i + 1] = self.quoted[i] + (solid and inside[i])

    def share(self, fragments: list[tuple[int, int]]) -> float:
        """Share of the content's non-space characters that lie inside quotation marks."""
        total = sum(self.total[e] - self.total[s] for s, e in fragments)
        quoted = sum(self.quoted[e] - self.quoted[s] for s, e in fragments)
        return quoted / total if total else 0.0


def classify_types(text: str, quotes: list[tuple[int, int]],
                   attributions: list[Attribution], cue_lemmas: list[str]) -> None:
    counter = QuotedCounter(text, quotes)
    for att, lemma in zip(attributions, cue_lemmas, strict=True):
        share = 0.0
        if att.content is not None:
            share = counter.share(list(att.content.fragments))
        cls = cue_class(lemma)
        if share >= 0.9:
            att.type = AttributionType.DIRECT
        elif share > 0.0:
            att.type = AttributionType.MIXED
        elif cls == "according" or att.cue.text.lower().startswith("according"):
            att.type = AttributionType.ACCORDING_TO
        elif cls == "belief" or lemma.lower() in BELIEF_NOUNS:
            att.type = AttributionType.BELIEF
        elif cls == "intention" or lemma.lower() in INTENTION_NOUNS:
            att.type = AttributionType.INTENTION
        else:
            att.type = AttributionType.INDIRECT
