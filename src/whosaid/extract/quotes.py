"""Quotations: where they are, and quotes that continue past their attribution.

News style names the speaker once and lets a quote run on: over several
sentences, and over paragraphs that open with a quotation mark while the
previous one never closed. The tagger sees only a few sentences around each
cue, so this module finds the quotations in the whole text and hands the
continuations to the attribution whose content opened the quote.
"""

from __future__ import annotations

from whosaid.model import Attribution, AttributionType, Paragraph, content_of

OPEN = "“«„"
CLOSE = "”»"
STRAIGHT = '"'


def quotations(text: str, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Quoted stretches (including the marks) within each paragraph.

    An unclosed quote runs to the end of its paragraph, as in news copy where
    the closing mark is left off before a continuing paragraph.
    """
    out: list[tuple[int, int]] = []
    for para in paragraphs:
        start = None
        for i in range(para.start, para.end):
            ch = text[i]
            if start is None and (ch in OPEN or ch == STRAIGHT):
                start = i
            elif start is not None and (ch in CLOSE or ch == STRAIGHT):
                out.append((start, i + 1))
                start = None
        if start is not None:
            out.append((start, para.end))
    return out


def _covered(frags: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    s, e = span
    return any(fs < e and s < fe for fs, fe in frags)


def extend_quotes(text: str, paragraphs: list[Paragraph],
                  attributions: list[Attribution]) -> None:
    """Append quotations that continue a direct quote to that attribution's content.

    A quotation continues the previous one when it comes next in the text, no
    other attribution's cue lies between them, and it is not itself covered by
    any content. The chain stops at the first unquoted sentence with a cue.
    """
    quotes = quotations(text, paragraphs)
    if not quotes or not attributions:
        return
    all_frags = [f for a in attributions if a.content for f in a.content.fragments]
    owner: dict[int, Attribution] = {}
    for qi, q in enumerate(quotes):
        for att in attributions:
            if att.content and _covered(list(att.content.fragments), q):
                owner[qi] = att
                break
    for qi, q in enumerate(quotes):
        if qi in owner or qi == 0 or _covered(all_frags, q):
            continue
        prev = qi - 1
        if prev not in owner:
            continue
        att = owner[prev]
        gap_start = quotes[prev][1]
        if any(gap_start <= a.cue.start < q[0] for a in attributions if a is not att):
            continue
        if not _only_quote_gap(text, gap_start, q[0]):
            continue
        frags = [*list(att.content.fragments), (q[0], q[1])]  # type: ignore[union-attr]
        att.content = content_of(text, frags)
        if att.type in (AttributionType.INDIRECT, AttributionType.MIXED):
            att.type = AttributionType.DIRECT
        owner[qi] = att


def _only_quote_gap(text: str, start: int, end: int) -> bool:
    """Between two pieces of one quote there is only white space or a short attribution tail."""
    gap = text[start:end]
    return len(gap.strip()) <= 60
