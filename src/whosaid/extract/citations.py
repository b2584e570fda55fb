"""Inline citation markers and the text each one vouches for.

Briefings and generated news text close paragraphs or sentences with markers
such as "(Citation: NATO press release)", "(Sources: A; B)", "[1]" or a bare
"Source: Reuters" line ending. A marker is only useful together with its
*scope*, the stretch it backs up, so :func:`find_citations` returns both:

* a marker that ends its paragraph scopes the whole paragraph before it;
* a marker inside a paragraph scopes the sentence it closes (the previous
  sentence when the parse put the marker at the start of the next one).

A scope never includes the marker, nor the markers it is grouped with
("... end. [1] [2]"). Numeric markers are resolved against a reference list
under a "References"/"Sources"/"Notes" heading at the end of the text, and the
entries of that list are not themselves reported as citations.

Besides labels and numbers, markdown links ("[the report](https://...)"),
bare URLs, footnotes ("claim.¹", "claim[^2]" with "[^2]: entry" lines) and,
through :func:`according_to_citations`, "according to a 2023 report by X"
are citations too. :func:`grade` says how resolvable each one is: a URL, DOI,
or title with a date or publisher is *resolvable*; some identifying detail is
*partial*; a bare label such as "NATO press release" is *generic*.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whosaid.model import Citation, Paragraph, Resolvability, Sentence
from whosaid.parse import paragraphs_of

# "(Citation: X)", "(Sources: X; Y)", "(Ref: X)", "(Via: X)"; one level of
# nested parentheses is allowed inside the label: "(Source: BBC (UK))".
_KEYWORDS = r"citations?|sources?|refs?|references?|via"
_PAREN = re.compile(
    rf"\(\s*(?:{_KEYWORDS})\s*:\s*(?P<body>(?:[^()\n]|\([^()\n]*\))+?)\s*\)",
    re.IGNORECASE,
)
# "Source: X" running to the end of its paragraph (checked per paragraph).
_BARE = re.compile(rf"\b(?:{_KEYWORDS})\s*:", re.IGNORECASE)
_BARE_MAX_LABEL = 200  # longer "Source: ..." tails are prose, not a marker

# "[1]", "[1, 2]", "[3–5]": digits, ranges and commas only, so editorial
# insertions such as "[sic]" or "[the agency]" never match.
_NUM = r"\d{1,4}"
_ITEM = rf"{_NUM}(?:\s*[-–—]\s*{_NUM})?"
_NUMERIC = re.compile(rf"\[\s*(?P<body>{_ITEM}(?:\s*,\s*{_ITEM})*)\s*\]")
_RANGE = re.compile(rf"(?P<lo>{_NUM})\s*[-–—]\s*(?P<hi>{_NUM})")
_MAX_RANGE = 100  # "[1–5000]" is not a citation range worth expanding

_HEADING = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:references|sources|notes|footnotes|endnotes|bibliography"
    r"|works cited)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ENTRY = re.compile(r"^[ \t]*(?:\[(?P<a>\d{1,4})\]|(?P<b>\d{1,4})[.)])[ \t]+(?P<body>\S.*?)\s*$")

# markdown links, bare URLs and DOIs; footnotes as superscripts or "[^n]"
_URL = r"(?:https?://|www\.)[^\s<>()\[\]\"']+(?:\([^\s()]*\)[^\s<>()\[\]\"']*)*"
_MDLINK = re.compile(rf"\[(?P<title>[^\]\n]+)\]\((?P<url>{_URL})\)")
_BARE_URL = re.compile(_URL)
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/[^\s\]);,]+",
                  re.IGNORECASE)
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUP_MAP = str.maketrans(_SUPERSCRIPTS, "1234567890")
_SUPER = re.compile(rf"(?<=[\w.,;:!?\"'”’)%])(?P<body>[{_SUPERSCRIPTS}]+)")
_FOOTREF = re.compile(r"\[\^(?P<body>[\w-]{1,20})\](?!:)")
_FOOTDEF = re.compile(r"^[ \t]*(?:\[\^(?P<a>[\w-]{1,20})\]:|(?P<b>[¹²³⁴⁵⁶⁷⁸⁹⁰]+))[ \t]*"
                      r"(?P<body>\S.*?)\s*$", re.MULTILINE)
_TRAIL = ".,;:!?"

# "according to X" where X is a document or publication, not a person
_ACCORDING = re.compile(r"\baccording to\s+(?P<label>[^,;:\n()]{3,160}?)"
                        r"(?=\s*(?:[,;:\n()]|\.(?:\s|$)|\bthat\b|\bwhich\b|$))",
                        re.IGNORECASE)
_DOC_WORDS = frozenset("""
report reports study studies survey surveys poll polls analysis data figures statistics
memo filing filings document documents release website article paper review audit
transcript records database census estimates projections brief briefing index
""".split())

# Resolvability: dates, quoted titles, publishers
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"\b{_YEAR}-\d{{2}}(?:-\d{{2}})?\b|\b\d{{1,2}}/\d{{1,2}}/{_YEAR}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    rf"|\b\d{{1,2}}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    rf"|\b{_YEAR}\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“«'‘](?P<t>[^\"”»'’]{4,})[\"”»'’]|\*(?P<i>[^*]{4,})\*|_(?P<u>[^_]{4,})_")
_GENERIC_WORDS = frozenset("""
press release statement report briefing notes note brief paper white communications team
official officials analysis legal defense defence policy council data document documents
memo website site news article update sources source internal records the a an of and
agency ministry department government office interview interviews spokesperson
spokesman spokeswoman research analysts survey study figures public comments remarks
""".split())

# Fallback sentence split: after . ! ? (plus closing quotes/brackets) and
# whitespace, unless the next word starts lower-case; newlines always split.
_SENT_BREAK = re.compile(r"(?<=[.!?])(?P<close>[\"'”’)\]]*)\s+(?=[^\sa-z])|\n")
_SENT_END = ".!?"


@dataclass(frozen=True)
class _Marker:
    """One marker occurrence before scoping; ``labels`` may hold several."""

    start: int
    end: int
    kind: str
    labels: tuple[str, ...]


def find_citations(text: str, paragraphs: list[Paragraph],
                   sentences: list[Sentence]) -> list[Citation]:
    """All inline citations in ``text``, one per label, in text order.

    ``paragraphs`` and ``sentences`` normally come from the parse; when either is
    empty it is recomputed here so the function also works on raw text.
    """
    paras = sorted(paragraphs, key=lambda p: p.start) or paragraphs_of(text)
    sents = sorted(sentences, key=lambda s: s.start) or regex_sentences(text)
    ref_start, references = reference_list(text)
    foot_start, footnotes = footnote_definitions(text)
    ref_start = min(ref_start, foot_start)
    references = {**references, **footnotes}
    defined = [(m.start(), m.end()) for m in _FOOTDEF.finditer(text)]

    markers = [m for m in _markers(text, paras) if m.start < ref_start
               and not any(s <= m.start < e for s, e in defined)]
    markers.sort(key=lambda m: (m.start, m.end))
    out: list[Citation] = []
    for i, m in enumerate(markers):
        scope = _scope(text, m, i, markers, paras, sents)
        for label in m.labels:
            reference = references.get(label) if m.kind in ("numeric", "footnote") else None
            if m.kind == "link":
                label, reference = label.split("\x00", 1)
            cit = Citation(text=text[m.start:m.end], label=label, start=m.start, end=m.end,
                           scope=scope, kind=m.kind, reference=reference)
            cit.resolvability = grade(cit)
            out.append(cit)
    return out


def footnote_definitions(text: str) -> tuple[int, dict[str, str]]:
    """Markdown ("[^1]: entry") and superscript ("¹ entry") footnote lines.

    Returns where the first definition line starts (when the definitions close
    the text) and the entries by label; ``(len(text), {})`` when there are none.
    """
    entries: dict[str, str] = {}
    first = len(text)
    for m in _FOOTDEF.finditer(text):
        label = (m.group("a") or m.group("b") or "").translate(_SUP_MAP)
        entries[label] = m.group("body")
        first = min(first, m.start())
    if entries and text[first:].count("\n") > 50 * len(entries):
        first = len(text)  # definitions mid-text: keep markers after them
    return first, entries


def according_to_citations(text: str, sentences: list[Sentence]) -> list[Citation]:
    """"according to a 2023 report by X": a citation of a document inside prose.

    Only labels that name a document or publication (a report, a poll, data, a
    URL, a year) count; "according to officials" is an attribution, not a
    citation. Kept out of :func:`find_citations` because citation markers are
    removed from attributions, and these phrases are attributions as well.
    """
    sents = sorted(sentences, key=lambda s: s.start) or regex_sentences(text)
    out: list[Citation] = []
    for m in _ACCORDING.finditer(text):
        label = m.group("label").strip()
        words = {w.lower().strip(".’'s") for w in re.findall(r"[\w.’']+", label)}
        words |= {w.lower() for w in re.findall(r"\w+", label)}
        if not (words & _DOC_WORDS or _BARE_URL.search(label) or re.search(_YEAR, label)):
            continue
        start, end = m.start(), m.start("label") + len(label)
        k = _containing_index(sents, start)
        sent = sents[k] if k is not None else Sentence(start=start, end=end)
        before = text[sent.start:start].rstrip(" ,;:—–-")
        after_start = end
        while after_start < sent.end and text[after_start] in " ,;:—–-":
            after_start += 1
        after = text[after_start:sent.end]
        if len(before.strip()) >= len(after.strip(" .")):
            scope = (sent.start, sent.start + len(before))
        else:
            scope = (after_start, sent.end)
        cit = Citation(text=text[start:end], label=label, start=start, end=end, scope=scope,
                       kind="according_to")
        cit.resolvability = grade(cit)
        out.append(cit)
    return out


def grade(cit: Citation) -> Resolvability:
    """How resolvable a citation is, from its label and reference entry.

    resolvable: a URL or DOI, or a title together with a date or a publisher;
    partial: one identifying detail (a date, a specific title, an author and
    year); generic: only a label a reader cannot look up ("NATO press
    release", "official briefing notes", an unresolved "[4]").
    """
    body = " ".join(x for x in (cit.label, cit.reference or "") if x)
    if cit.kind in ("url", "link") or _BARE_URL.search(body) or _DOI.search(body):
        return Resolvability.RESOLVABLE
    if cit.kind in ("numeric", "footnote") and not cit.reference:
        return Resolvability.GENERIC
    if cit.kind in ("numeric", "footnote"):
        body = cit.reference or ""
    if not re.search(r"[A-Z\d\"“«]", body[1:]):
        return Resolvability.GENERIC  # "official briefing notes": a description, no name
    has_date = bool(_DATE.search(body))
    undated = _DATE.sub(" ", body)
    quoted = bool(_QUOTED.search(body))
    parts = [p.strip() for p in re.split(r"[,;]|\.\s|\s[-–—]\s|:\s", undated)
             if re.search(r"[A-Za-z]{2}", p)]
    specific = [p for p in parts if _specific(p)]
    has_title = quoted or (bool(specific) and len(parts) >= 2) or \
        any(len(p.split()) >= 4 for p in specific)
    has_publisher = len(parts) >= 2 or bool(specific)
    if has_title and (has_date or (quoted and has_publisher) or len(specific) >= 3):
        return Resolvability.RESOLVABLE
    if has_title or specific or (has_date and parts):
        return Resolvability.PARTIAL
    return Resolvability.GENERIC


def _specific(part: str) -> bool:
    """A label part with words beyond generic source descriptions and organisations."""
    words = re.findall(r"[A-Za-z][\w'’.-]*", part)
    rest = [w for w in words if w.lower().strip(".") not in _GENERIC_WORDS]
    if not rest:
        return False
    # a short run of capitalised words alone ("NATO", "Reuters") is a publisher
    return len(rest) >= 2 or len(words) >= 4


def reference_list(text: str) -> tuple[int, dict[str, str]]:
    """Where the trailing reference list starts, and its entries by number.

    The list is the last heading line ("References", "Sources", "Notes", ...)
    whose first non-blank following line is a numbered entry ("[1] ..." or
    "1. ..."). Lines that are not entries continue the previous entry. Returns
    ``(len(text), {})`` when there is no such list.
    """
    for heading in reversed(list(_HEADING.finditer(text))):
        lines = text[heading.end():].splitlines()
        entries: dict[str, str] = {}
        current: str | None = None
        for line in lines:
            if not line.strip():
                continue
            m = _ENTRY.match(line)
            if m:
                current = m.group("a") or m.group("b")
                entries[current] = m.group("body")
            elif current is None:
                break  # prose right after the heading: not a reference list
            else:
                entries[current] = f"{entries[current]} {line.strip()}"
        if entries:
            return heading.start(), entries
    return len(text), {}


def regex_sentences(text: str) -> list[Sentence]:
    """A crude sentence split for callers without a parse."""
    out: list[Sentence] = []
    pos = 0
    for m in [*_SENT_BREAK.finditer(text), None]:
        end = m.start() + len(m.group("close") or "") if m else len(text)
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Sentence(start=s, end=e))
        pos = m.end() if m else len(text)
    return out


def _markers(text: str, paras: list[Paragraph]) -> list[_Marker]:
    """Every marker occurrence, parenthesised, bare and numeric."""
    found: list[_Marker] = []
    for m in _PAREN.finditer(text):
        labels = _split_labels(m.group("body"))
        if labels:
            found.append(_Marker(m.start(), m.end(), "label", labels))
    taken = [(m.start, m.end) for m in found]
    for p in paras:
        bare = _bare_marker(text, p, taken)
        if bare:
            found.append(bare)
    taken = [(m.start, m.end) for m in found]
    for m in _MDLINK.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(_Marker(m.start(), m.end(), "link",
                                 (f"{m.group('title').strip()}\x00{m.group('url')}",)))
    taken = [(m.start, m.end) for m in found]
    for m in _NUMERIC.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue  # "(Source: Smith [1])": part of a label marker
        labels = _numeric_labels(m.group("body"))
        found.append(_Marker(m.start(), m.end(), "numeric", labels))
    taken = [(m.start, m.end) for m in found]
    for m in _BARE_URL.finditer(text):
        url = m.group().rstrip(_TRAIL)
        if any(s < m.start() + len(url) and m.start() < e for s, e in taken):
            continue
        found.append(_Marker(m.start(), m.start() + len(url), "url", (url,)))
    for rx in (_SUPER, _FOOTREF):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            label = m.group("body").translate(_SUP_MAP)
            found.append(_Marker(m.start(), m.end(), "footnote", (label,)))
    return found


def _bare_marker(text: str, p: Paragraph, taken: list[tuple[int, int]]) -> _Marker | None:
    """A "Source: X" ending paragraph ``p`` after a sentence end, if any."""
    para = text[p.start:p.end]
    for kw in _BARE.finditer(para):
        before = para[:kw.start()].rstrip()
        if before and before[-1] not in _SENT_END + "\"'”’)]":
            continue
        start = p.start + kw.start()
        if any(s < p.end and start < e for s, e in taken):
            return None  # "(Source: X)": already a parenthesised marker
        raw = para[kw.end():]
        body = raw.strip().rstrip(".").rstrip()
        if not body or len(body) > _BARE_MAX_LABEL:
            return None
        # the marker text ends with the label; a final full stop stays outside
        end = p.start + kw.end() + (len(raw) - len(raw.lstrip())) + len(body)
        labels = _split_labels(body)
        return _Marker(start, end, "label", labels) if labels else None
    return None


def _split_labels(body: str) -> tuple[str, ...]:
    """"A; B" names two sources; commas stay inside one label ("Smith, 2020")."""
    return tuple(part.strip() for part in body.split(";") if part.strip())


def _numeric_labels(body: str) -> tuple[str, ...]:
    """"1, 3–5" -> ("1", "3", "4", "5"); an implausible range stays as written."""
    labels: list[str] = []
    for item in body.split(","):
        item = item.strip()
        r = _RANGE.fullmatch(item)
        if r:
            lo, hi = int(r.group("lo")), int(r.group("hi"))
            if lo <= hi and hi - lo <= _MAX_RANGE:
                labels.extend(str(n) for n in range(lo, hi + 1))
                continue
        labels.append(item)
    return tuple(labels)


def _is_filler(text: str, start: int, end: int, markers: list[_Marker]) -> bool:
    """True when text[start:end] is only whitespace, punctuation and markers."""
    pos = start
    for m in markers:
        if m.end <= pos or m.start >= end:
            continue
        if not _only_punct(text[pos:m.start]):
            return False
        pos = max(pos, m.end)
    return _only_punct(text[pos:end])


def _only_punct(s: str) -> bool:
    return all(c.isspace() or unicodedata.category(c).startswith("P") for c in s)


def _scope(text: str, m: _Marker, i: int, markers: list[_Marker],
           paras: list[Paragraph], sents: list[Sentence]) -> tuple[int, int]:
    """The paragraph or sentence(s) that marker ``m`` closes, without markers."""
    # A run of markers ("... end. [1] [2]") shares one scope ending before the run.
    first = i
    while first > 0:
        gap = text[markers[first - 1].end:markers[first].start]
        if "\n" in gap or not _only_punct(gap):
            break
        first -= 1
    run_start = markers[first].start

    para = _containing(paras, m.start)
    if para is None:
        para = Paragraph(start=0, end=len(text))
    if _is_filler(text, m.end, para.end, markers):
        end = _rstrip(text, para.start, run_start)
        if end > para.start:
            return (para.start, end)
        # the marker stands alone on its line: it closes the paragraph above
        prev = [p for p in paras if p.end <= para.start]
        if not prev:
            return (m.start, m.start)
        end = prev[-1].end
        for other in reversed(markers):
            if prev[-1].start <= other.start < end and _only_punct(text[other.end:end]):
                end = other.start
        return (prev[-1].start, _rstrip(text, prev[-1].start, end))

    k = _containing_index(sents, m.start)
    if k is None:  # between sentences: take the one before
        k = max((j for j, s in enumerate(sents) if s.end <= m.start), default=None)
        if k is None:
            return (run_start, run_start)
        sent = sents[k]
        return (sent.start, min(sent.end, _rstrip(text, sent.start, run_start)))
    sent = sents[k]
    start = sent.start
    if _is_filler(text, sent.start, run_start, markers) and k > 0:
        start = sents[k - 1].start  # the marker opens its "sentence": it closes the last one
    start = _skip_markers(text, start, run_start, markers)
    if start >= run_start:
        return (run_start, run_start)
    return (start, _rstrip(text, start, run_start))


def _skip_markers(text: str, start: int, limit: int, markers: list[_Marker]) -> int:
    """Move ``start`` past markers (and whitespace) that open the scope."""
    moved = True
    while moved:
        moved = False
        while start < limit and text[start].isspace():
            start += 1
        for other in markers:
            if other.start == start and other.end <= limit:
                start, moved = other.end, True
                break
    return start


def _containing(items: list[Paragraph], pos: int) -> Paragraph | None:
    for p in items:
        if p.start <= pos < p.end:
            return p
    return None


def _containing_index(items: list[Sentence], pos: int) -> int | None:
    for j, s in enumerate(items):
        if s.start <= pos < s.end:
            return j
    return None


def _rstrip(text: str, start: int, end: int) -> int:
    """``end`` moved left past trailing whitespace, not before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
