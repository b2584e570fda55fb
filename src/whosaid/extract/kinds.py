"""Attribution type: direct, indirect or mixed quote, "according to", belief, intention.

Decided from the cue's lexical class and how much of the content sits inside
quotation marks, so the type stays explainable ("why direct?" - because every
content character is quoted).
"""

from __future__ import annotations

from whosaid.extract.lexicon import cue_class
from whosaid.extract.quotes import quotations
from whosaid.model import Attribution, AttributionType, Paragraph


def quoted_share(fragments: list[tuple[int, int]], quotes: list[tuple[int, int]],
                 text: str) -> float:
    """Share of the content's non-space characters that lie inside quotation marks."""
    total = inside = 0
    for s, e in fragments:
        for i in range(s, e):
            if text[i].isspace():
                continue
            total += 1
            if any(qs <= i < qe for qs, qe in quotes):
                inside += 1
    return inside / total if total else 0.0


def classify_types(text: str, paragraphs: list[Paragraph],
                   attributions: list[Attribution], cue_lemmas: list[str]) -> None:
    quotes = quotations(text, paragraphs)
    for att, lemma in zip(attributions, cue_lemmas, strict=True):
        share = 0.0
        if att.content is not None:
            share = quoted_share(list(att.content.fragments), quotes, text)
        cls = cue_class(lemma)
        if share >= 0.9:
            att.type = AttributionType.DIRECT
        elif share > 0.0:
            att.type = AttributionType.MIXED
        elif cls == "according" or att.cue.text.lower().startswith("according"):
            att.type = AttributionType.ACCORDING_TO
        elif cls == "belief":
            att.type = AttributionType.BELIEF
        elif cls == "intention":
            att.type = AttributionType.INTENTION
        else:
            att.type = AttributionType.INDIRECT
