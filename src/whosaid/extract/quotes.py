"""Quotations: where they are, and quotes that continue past their attribution.

News style names the speaker once and lets a quote run on: over several
sentences, and over paragraphs that open with a quotation mark while the
previous one never closed. The tagger sees only a few sentences around each
cue, so this module finds the quotations in the whole text and hands the
continuations to the attribution whose content opened the quote.
"""

from __future__ import annotations

import bisect
import re

from whosaid.model import Attribution, AttributionType, Paragraph, content_of

OPEN = "“«„"
CLOSE = "”»"
STRAIGHT = '"'


_MARKS = re.compile("''|``|[" + re.escape(OPEN + CLOSE + STRAIGHT) + "]")


def quotations(text: str, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Quoted stretches (including the marks) within each paragraph.

    An unclosed quote runs to the end of its paragraph, as in news copy where
    the closing mark is left off before a continuing paragraph. Only the marks
    are visited (one regular-expression scan per paragraph), not every character.
    """
    out: list[tuple[int, int]] = []
    for para in paragraphs:
        start = None
        for m in _MARKS.finditer(text, para.start, para.end):
            mark = m.group()
            straight = mark == STRAIGHT or len(mark) == 2  # '' and `` count as straight
            if start is None and (mark in OPEN or straight):
                start = m.start()
            elif start is not None and (mark in CLOSE or straight):
                out.append((start, m.end()))
                start = None
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
    starts = [qs for qs, _qe in quotes]  # quotations are disjoint and in text order

    def inside(pos: int) -> tuple[int, int] | None:
        """The quotation strictly containing ``pos`` (one bisect, not a scan)."""
        k = bisect.bisect_left(starts, pos) - 1
        return quotes[k] if k >= 0 and pos < quotes[k][1] else None

    for att in attributions:
        if att.content is None:
            continue
        frags = []
        changed = False
        cue = att.cue.start
        for fs, fe in att.content.fragments:
            q = inside(fs)
            if q is not None and not (q[0] <= cue < q[1]):
                fs, changed = q[0], True
            q = inside(fe)
            if q is not None and not (q[0] <= cue < q[1]):
                fe, changed = q[1], True
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


def extend_quotes(text: str, quotes: list[tuple[int, int]],
                  attributions: list[Attribution]) -> None:
    """Append quotations that continue a direct quote to that attribution's content.

    A quotation continues the previous one when it comes next in the text, no
    other attribution's cue lies between them, and it is not itself covered by
    any content. The chain stops at the first unquoted sentence with a cue.
    """
    if not quotes or not attributions:
        return
    # Linear in quotes + fragments: each quote gets the first attribution (in list
    # order) whose content overlaps it, found by walking that fragment's quotes
    # once (a skip pointer jumps over quotes already owned).
    starts = [qs for qs, _qe in quotes]
    owner: dict[int, Attribution] = {}
    skip = list(range(len(quotes) + 1))  # next quote index that may still be unowned

    def next_free(k: int) -> int:
        root = k
        while skip[root] != root:
            root = skip[root]
        while skip[k] != root:
            skip[k], k = root, skip[k]
        return root

    for att in attributions:
        for fs, fe in att.content.fragments if att.content else ():
            k = next_free(max(0, bisect.bisect_right(starts, fs) - 1))
            while k < len(quotes) and quotes[k][0] < fe:
                if fs < quotes[k][1]:
                    owner[k] = att
                    skip[k] = k + 1
                k = next_free(k + 1)
    cues = sorted(a.cue.start for a in attributions)
    appended: dict[int, list[tuple[int, int]]] = {}  # id(att) -> quotes to add, in order
    for qi, q in enumerate(quotes):
        if qi in owner or qi == 0:  # owned by some content: not a continuation
            continue
        prev = qi - 1
        if prev not in owner:
            continue
        att = owner[prev]
        gap_start = quotes[prev][1]
        # another attribution's cue between the two quotes ends the chain
        between = bisect.bisect_left(cues, q[0]) - bisect.bisect_left(cues, gap_start)
        if between - (gap_start <= att.cue.start < q[0]) > 0:
            continue
        if not _only_quote_gap(text, gap_start, q[0]):
            continue
        if "\n" in text[gap_start : q[0]] and not _continues(text, quotes[prev]):
            continue
        appended.setdefault(id(att), []).append((q[0], q[1]))
        if att.type in (AttributionType.INDIRECT, AttributionType.MIXED):
            att.type = AttributionType.DIRECT
        owner[qi] = att
    for att in attributions:  # one rebuild per attribution, however long its chain
        if id(att) in appended and att.content is not None:
            att.content = content_of(text, [*att.content.fragments, *appended[id(att)]])


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
