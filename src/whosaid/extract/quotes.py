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
        i = para.start
        while i < para.end:
            ch = text[i]
            width = 2 if text[i : i + 2] in ("''", "``") else 1
            straight = ch == STRAIGHT or width == 2
            if width == 1 and ch not in OPEN and ch not in CLOSE and not straight:
                i += 1
                continue
            if start is None and (ch in OPEN or straight):
                start = i
            elif start is not None and (ch in CLOSE or straight):
                out.append((start, i + width))
                start = None
            i += width
        if start is not None:
            out.append((start, para.end))
    return out


def snap_to_quotations(text: str, quotes: list[tuple[int, int]],
                       attributions: list[Attribution]) -> None:
    """Widen content that starts or ends inside a quotation to the whole quotation.

    The tagger only sees a few sentences around the cue, so a long quote that
    opens three sentences before "he said" comes back cut; a quotation is a
    unit, and PolNeAR annotates it whole.
    """
    for att in attributions:
        if att.content is None:
            continue
        frags = []
        changed = False
        for fs, fe in att.content.fragments:
            for qs, qe in quotes:
                if qs < fs < qe and not (qs <= att.cue.start < qe):
                    fs, changed = qs, True
                if qs < fe < qe and not (qs <= att.cue.start < qe):
                    fe, changed = qe, True
            frags.append((fs, fe))
        if changed:
            att.content = content_of(text, _merge(frags))


def _merge(frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(frags):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _covered(frags: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    s, e = span
    return any(fs < e and s < fe for fs, fe in frags)


def extend_quotes(text: str, quotes: list[tuple[int, int]],
                  attributions: list[Attribution]) -> None:
    """Append quotations that continue a direct quote to that attribution's content.

    A quotation continues the previous one when it comes next in the text, no
    other attribution's cue lies between them, and it is not itself covered by
    any content. The chain stops at the first unquoted sentence with a cue.
    """
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
        if "\n" in text[gap_start : q[0]] and not _continues(text, quotes[prev]):
            continue
        frags = [*list(att.content.fragments), (q[0], q[1])]  # type: ignore[union-attr]
        att.content = content_of(text, frags)
        if att.type in (AttributionType.INDIRECT, AttributionType.MIXED):
            att.type = AttributionType.DIRECT
        owner[qi] = att


def _continues(text: str, prev: tuple[int, int]) -> bool:
    """A quote continues into the next paragraph only when the previous one never closed.

    News convention: an unclosed quotation at the end of a paragraph, then a
    paragraph that opens with a quotation mark, is one continuing quote.
    """
    closing = text[prev[1] - 1]
    return closing not in CLOSE and closing != STRAIGHT and not text.startswith("''", prev[1] - 2)


def _only_quote_gap(text: str, start: int, end: int) -> bool:
    """Between two pieces of one quote there is only white space or a short attribution tail."""
    gap = text[start:end]
    return len(gap.strip()) <= 150
