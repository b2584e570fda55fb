"""Attribution type: direct, indirect or mixed quote, "according to", belief, intention.

Decided from the cue's lexical class and how much of the content sits inside
quotation marks, so the type stays explainable ("why direct?" - because every
content character is quoted).
"""

from __future__ import annotations

import numpy as np

from whosaid.extract.lexicon import cue_class
from whosaid.model import Attribution, AttributionType

# Nominal cues that report a state of mind or a plan rather than speech.
BELIEF_NOUNS = frozenset("""
belief view views perspective opinion idea notion fear hope concern expectation
assessment position stance
""".split())
INTENTION_NOUNS = frozenset("plan plans intention pledge promise vow aim goal".split())
# every code point for which str.isspace() is true (the highest is U+3000)
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


class QuotedCounter:
    """Counts quoted and total non-space characters of any span in O(1).

    Prefix sums over the document, built once (with numpy, over the code points):
    a per-character scan for each attribution made run-on input quadratic in the
    number of cues, and a per-character Python loop cost a few percent of the analysis.
    """

    def __init__(self, text: str, quotes: list[tuple[int, int]]) -> None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        solid = ~np.isin(codes, _SPACES)  # exactly ``not ch.isspace()``
        inside = np.zeros(len(text), dtype=bool)
        for qs, qe in quotes:
            inside[qs:qe] = True
        total = np.zeros(len(text) + 1, dtype=np.int64)
        quoted = np.zeros(len(text) + 1, dtype=np.int64)
        np.cumsum(solid, out=total[1:])
        np.cumsum(solid & inside, out=quoted[1:])
        self.total: list[int] = total.tolist()
        self.quoted: list[int] = quoted.tolist()

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
