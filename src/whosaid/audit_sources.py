"""Source documents for the citation audit: their metadata as people write it, and linking.

A citation names a document the way people do: by its title or a paraphrase of
it, by publisher and date ("Tollen Constabulary, 9 June 2031"), by document type
("council minutes"), by a case name, or by a URL copied from a browser with
tracking parameters. Sources are written just as freely: "Title:" headers,
all-caps letterheads, bylines, "For immediate release: 14 October 2030", or an
HTML page whose ``<title>``, ``<meta>`` tags and canonical link carry it all.

:func:`source_meta` reads those fields from a source (:class:`SourceMeta`),
:func:`citation_fields` reads the same fields from a citation, and
:func:`link` scores every citation against every source on all of them:

* a URL equal after :func:`norm_url` (scheme, ``www.``, host case, trailing
  slash, tracking parameters) or a matching case name links outright;
* otherwise the score is how much of the citation the source's metadata
  explains (IDF-weighted word coverage, or fuzzy title similarity when that
  is higher), plus a bonus for an agreeing date and document type;
* a date, year or document type that disagrees makes the candidate a *near
  miss* instead: the folder has that publisher's document, but not the one cited.

The threshold (:data:`LINK_THRESHOLD`) is calibrated on the tune half of the
dev audit set (``benchmarks/eval_audit.py --calibrate``; method in
docs/sourcing.md). No web or database imports.
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz import fuzz

from whosaid.extract import lexicon

LINK_THRESHOLD = 0.58  # base score a citation needs to link (calibrated: docs/sourcing.md)
URL_WEIGHT = 0.4  # weight of a word read from a URL's host or path, against 1 for a label word
NEAR_MISS_THRESHOLD = 0.6  # word coverage a conflicting candidate needs to be a near miss
TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm")
SOURCE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
HEAD_LINES = 12  # non-blank lines at the top of a source that may hold its metadata

MONTH_NAMES = ("January February March April May June July August September October "
               "November December").split()
MONTHS = {m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
# Month names and abbreviations, and a day with a month in either order ("3 June", "12th
# of May", "June 3rd"): the one definition of these forms, also read by
# whosaid.extract.citations (named groups ``d`` and ``m``; compile with re.IGNORECASE)
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
         r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
ORDINAL = r"(?:st|nd|rd|th)?"
DAY_MONTH = rf"\b(?P<d>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<m>{MONTH})(?!\w)"
MONTH_DAY = rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}}){ORDINAL}\b"
_DATE_FORMS = [
    ("dmy", re.compile(DAY_MONTH + r",?\s+(?P<y>\d{4})\b", re.I)),
    ("mdy", re.compile(MONTH_DAY + r",?\s+(?P<y>\d{4})\b", re.I)),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?!\d)")),
    ("num", re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d{2})\b")),
    # "26-Mar-2025", "26.Mar.2025": a day and a month name joined by dashes or stops
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})[-.](?P<m>{MONTH})-?(?P<y>(?:19|20)\d{{2}})\b", re.I)),
    ("dm", re.compile(DAY_MONTH, re.I)),
    ("md", re.compile(MONTH_DAY + r"(?![:.]\d)", re.I)),  # not "May 10:30", "June 3.5"
    ("my", re.compile(rf"\b(?P<m>{MONTH})\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)),
]
_YEAR = re.compile(r"(?<![\d/.-])(?:19|20)\d{2}(?![\d])")

# document types and the words that name them (first match in a title wins)
DOC_TYPES: dict[str, tuple[str, ...]] = {
    "press release": ("press release", "news release", "media release", "for immediate release"),
    "annual report": ("annual report", "annual review", "yearly report"),
    "minutes": ("minutes",),
    "bulletin": ("bulletin", "newsletter"),
    "judgment": ("judgment", "judgement", "ruling", "in the high court", "in the court",
                 "court of appeal", "supreme court"),
    "transcript": ("transcript",),
    "statement": ("statement",),
    "survey": ("survey", "poll"),
    "memo": ("memo", "memorandum"),
    "speech": ("speech", "address by"),
    "letter": ("letter",),
    "consultation": ("consultation",),
    "budget": ("budget",),
    "report": ("report", "review", "study", "assessment", "evaluation", "audit"),
}
# a citation naming the first type may mean a document of the second
COMPATIBLE_TYPES = frozenset({
    ("statement", "press release"), ("press release", "statement"), ("report", "annual report"),
    ("report", "survey"), ("survey", "report"), ("bulletin", "report"), ("report", "bulletin"),
    ("report", "budget"), ("report", "consultation"), ("report", "memo"),
})
# organisation heads: a short heading line ending in one of these is a publisher. The
# extractor's (extract/lexicon.py) but "white" and "house" (of "White House": a surname
# and a word of names), plus the heads of publishers, outlets and companies
ORG_HEADS = frozenset((lexicon.ORG_HEADS - {"white", "house"}) | set("""
assembly broadcasting chronicle clinic club co college constabulary courier daily
directorate energy express forum gazette guardian health herald hospital inc inspectorate
journal league ltd mail media news observer partnership plc post press radio record review
school secretariat services society standard telegraph television times transport tribune
trust tv unit water weekly
""".split()))
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|"
                       r"igshid|yclid|_ga|_gl|ref|ref_src|ref_url|cmpid|s_cid|spm|"
                       r"share|shared|source|src|from|via|trk|mkt_tok|"
                       # a share button's own keys ("?CMP=share_x", "?s=09", "?at_medium=x")
                       r"cmp|s|at_\w+|ocid|smid|sh|sr_share|share_\w+)$", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'`]+", re.I)
# a unit in parentheses, whose power a superscript after it is: "(people/km)", "(m)"
_UNIT_PAREN = re.compile(r"\((?:[^\W\d_]{1,12}(?:\s?[/·]\s?[^\W\d_]{1,12})+|[a-zµ]{1,3})\)$")
_HEADER = re.compile(
    r"^\W{0,3}(?P<key>title|headline|url|link|web|canonical|id|date|dated|published|"
    r"publication date|release date|issue date|date of issue|date of publication|posted|"
    r"issued|released|updated|broadcast|delivered|publisher|source|"
    r"issued by|organisation|organization|outlet|author|authors|by|byline|reporter|"
    r"written by|type|document type|category|case|case name|subject|from)"
    r"(?:\s+on)?\s*\W{0,2}\s*:\s*\W{0,2}\s*"
    r"(?P<value>\S.*?)\s*$", re.I)
_HEADER_FIELD = {"headline": "title", "link": "url", "web": "url", "canonical": "url",
                 "dated": "date", "published": "date", "publication date": "date",
                 "release date": "date", "issue date": "date", "date of issue": "date",
                 "date of publication": "date", "posted": "date",
                 "issued": "date", "released": "date", "updated": "date",
                 "broadcast": "date", "delivered": "date", "source": "publisher",
                 "issued by": "publisher", "organisation": "publisher",
                 "organization": "publisher", "outlet": "publisher", "authors": "author",
                 "by": "author", "byline": "author", "reporter": "author",
                 "written by": "author", "document type": "type", "category": "type",
                 "case name": "case",
                 # an e-mail's headers: its subject line and its sender
                 "subject": "title", "from": "publisher"}
_CASE = re.compile(
    r"(?P<a>(?:[A-Z][\w'’&.-]*[ \t]+){0,5}[A-Z][\w'’&.-]*)[ \t]+v\.?[ \t]+"
    r"(?P<b>(?:the[ \t]+)?[A-Z][\w'’&.-]*(?:[ \t]+(?:of[ \t]+|and[ \t]+)?[A-Z][\w'’&.-]*){0,5})")
_BYLINE = re.compile(r"^\W{0,3}by\s+(?P<who>[A-Z][^|,\n]{2,80}?)(?:\s*[|,]\s*(?P<rest>.+))?$",
                     re.I)
# "Published 9 October 2030", "Judgment handed down on 19 May 2031": a date line
# without a colon
_DATE_LEAD = re.compile(r"^\W{0,3}(?:[a-z]+\s+)?(?:published|issued|released|updated|dated|"
                        r"delivered|posted|broadcast|handed\s+down)(?:\s+on)?\s+(?=\S)", re.I)
# a date inside a period ("for the year ended 28 February 2029", "April to June
# 2031", "Next release: October 2031") is not the document's own date
_PERIOD = re.compile(r"\b(?:ended|ending|to|until|till|from|between|since|next|covering|"
                     r"dates)\b|\bfor\s+the\s+(?:year|quarter|period|month|week)\b", re.I)
# a list item: the heading ends before it
_BULLET = re.compile(r"^\s*(?:[-•*–▪◦·]\s+|\(?\d{1,2}[.)]\s+)(?!(?:and|v|vs)\b)\w")
# "Pellow Allotment Society    Claimant" / "SALLOWFIELD DISTRICT COUNCIL   Defendant"
_PARTY = re.compile(r"^(?P<name>[A-Z].{2,120}?)\s+\(?(?P<role>claimants?|appellants?|"
                    r"applicants?|petitioners?|plaintiffs?|defendants?|respondents?)\)?\s*$",
                    re.I)
_ON_BEHALF = re.compile(r"^(?:the\s+(?:king|queen|crown)\s+)?(?:\(?on\s+the\s+application\s+of\s+)",
                        re.I)
_R_CASE = re.compile(r"\bR\s*\((?:on\s+the\s+application\s+of\s+)?(?P<p>[^()\n]{3,80})\)",
                     re.I)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# words that say nothing about which document is meant
_CITE_STOP = frozenset("""
a an the and or of to in into on at by for with from as is are was were be been its it this that
their his her our your my via see source sources cited citation ref reference according
reported reports said says say told announced published posted online available here link
page www http https com org net gov co uk example html htm php index en news article also
issue no vol p pp ed eds et al
""".split())
_TLD = frozenset("com org net gov co uk ac edu int eu io info biz example www html htm php".split())


# --- small text helpers --------------------------------------------------------


def fold(text: str) -> str:
    """NFKC, straight quotes and apostrophes, plain hyphens: what comparisons see."""
    text = unicodedata.normalize("NFKC", text)
    return (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            .replace("–", "-").replace("—", "-").replace("‐", "-").replace("‑", "-"))


def stem(word: str) -> str:
    """A light suffix strip, enough for "closures"/"closure", "heating"/"heat"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf, rep, minlen in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5),
                             ("es", "", 6), ("s", "", 4)):
        if w.endswith(suf) and len(w) >= minlen and not w.endswith("ss"):
            return w[: len(w) - len(suf)] + rep
    return w


# "Q3" is the third quarter and "H1" the first half, as a title may write them out
# only next to a year or a results word, or in a slug: "H2 buses" (hydrogen) are no period
_PERIOD_CODE = re.compile(r"\b(?P<k>[QqHh])(?P<n>[1-4])\b"
                          r"(?=[ \t_-]+(?:19|20)\d\d\b|[ \t]*(?i:results|figures|trading|update)\b"
                          # in a slug or file name ("bulletin-q1", "2025_q3")
                          r"|(?<=(?:19|20)\d\d[ \t][QqHh][1-4])|(?<=[_/-][QqHh][1-4]))")
_NTH = {"1": "first", "2": "second", "3": "third", "4": "fourth"}


def words(text: str, stop: frozenset[str] = _CITE_STOP) -> list[str]:
    """Stemmed content words, lower-case, without the words in ``stop``."""
    text = _PERIOD_CODE.sub(lambda m: f"{_NTH[m.group('n')]} "
                            f"{'quarter' if m.group('k') in 'Qq' else 'half'}"
                            if m.group("k") in "Qq" or m.group("n") in "12" else m.group(), text)
    return [stem(w) for w in _WORD.findall(fold(text).lower())
            if w not in stop and not w.isdigit() and w not in MONTHS]


# a name of two capitalised words or more, with "of", "and", "for", "the", "&" between
# (the lookbehind starts a run only at a word's start: "\b" restarts inside "A-A-A-...",
# quadratic in its length)
_NAME_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*"
                       r"(?:\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w'’-]*)+")


def initials(text: str) -> set[str]:
    """The acronyms a name makes ("Guild of River and Canal Boatmen" -> "grcb", "Pellow
    Estuary and Lakes Board" -> "pelb"), three letters or more, with
    and without its small words: a citation may use the short form a source never
    writes."""
    out: set[str] = set()
    for m in _NAME_RUN.finditer(fold(text)):
        ws = m.group().split()
        if sum(w[0].isupper() for w in ws) < 3 and len(ws) < 3:
            continue
        for keep in (ws, [w for w in ws if w.lower() not in ("of", "and", "for", "the")]):
            acro = "".join(w[0] for w in keep if w != "&").lower()
            if len(acro) >= 3:
                out.add(stem(acro))
    return out


# --- dates -----------------------------------------------------------------------


@dataclass(frozen=True)
class DateVal:
    """A date as written: any of year, month, day may be unknown."""

    y: int | None = None
    m: int | None = None
    d: int | None = None

    def iso(self) -> str:
        if self.y and self.m and self.d:
            return f"{self.y:04d}-{self.m:02d}-{self.d:02d}"
        if self.y and self.m:
            return f"{self.y:04d}-{self.m:02d}"
        if self.m and self.d:
            return f"--{self.m:02d}-{self.d:02d}"
        return f"{self.y:04d}" if self.y else ""

    def agrees(self, other: DateVal) -> bool | None:
        """True when every shared part is equal, False on a clash, None if nothing shared."""
        shared = [(a, b) for a, b in ((self.y, other.y), (self.m, other.m), (self.d, other.d))
                  if a is not None and b is not None]
        if not shared:
            return None
        return all(a == b for a, b in shared)

    def words(self) -> str:
        """"3 March 2025", for notes written in words."""
        month = MONTH_NAMES[self.m - 1] if self.m else ""
        return " ".join(str(x) for x in (self.d, month, self.y) if x)


class Taken:
    """The characters of a text already read as one thing (a date, a figure, a citation
    marker), so a shorter form inside it is not read again. One byte per character:
    checking and marking a span cost its length, where a list of spans scanned per match
    made a long table of dates, figures or markers quadratic (seconds)."""

    def __init__(self, length: int) -> None:
        self._used = bytearray(length + 1)

    def free(self, start: int, end: int) -> bool:
        return self._used.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self._used[start:end] = b"\x01" * (end - start)


def find_dates(text: str) -> list[tuple[int, int, DateVal]]:
    """Every written date in ``text``: "3 March 2025", "March 3, 2025", "2025-03-03",
    "03/03/2025" (day first unless that cannot be), "March 2025", "3 March"."""
    out: list[tuple[int, int, DateVal]] = []
    taken = Taken(len(text))  # what a longer form already read
    for kind, rx in _DATE_FORMS:
        for m in rx.finditer(text):
            if not taken.free(m.start(), m.end()):
                continue
            g = m.groupdict()
            y = int(g["y"]) if g.get("y") else None
            if kind == "num":
                a, b = int(g["a"]), int(g["b"])
                d, mo = (b, a) if b > 12 >= a else (a, b)
            else:
                d = int(g["d"]) if g.get("d") else None
                mo = (int(g["m"]) if g["m"].isdigit()
                      else MONTHS.get(g["m"].lower().rstrip(".")))
            if mo is None or not 1 <= mo <= 12 or (d is not None and not 1 <= d <= 31):
                continue
            out.append((m.start(), m.end(), DateVal(y, mo, d)))
            taken.take(m.start(), m.end())
    return sorted(out, key=lambda t: t[0])


def parse_date(text: str) -> DateVal | None:
    """The first date written in ``text`` (or a bare year), if any."""
    found = find_dates(text)
    if found:
        return found[0][2]
    m = _YEAR.search(text)
    return DateVal(int(m.group())) if m else None


def years(text: str, skip: Iterable[tuple[int, int]] = ()) -> set[int]:
    """Years written on their own (not inside a full date or a longer number)."""
    spans = list(skip)
    return {int(m.group()) for m in _YEAR.finditer(text)
            if not any(s <= m.start() < e for s, e in spans)}


# --- URLs ------------------------------------------------------------------------


def norm_url(url: str) -> str:
    """A URL as a comparison key: no scheme, ``www.``, port, fragment or tracking
    parameters; host lower-case; no trailing slash or index page; path lower-case."""
    url = fold(url).strip().strip("<>\"'").rstrip(".,;:!?)]")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"/{2,}", "/", parts.path or "")
    path = re.sub(r"/(?:index|default)\.(?:html?|php|aspx?)$", "", path, flags=re.I)
    path = path.rstrip("/").lower()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    q = urlencode(sorted(query))
    return host + path + (f"?{q}" if q else "")


def find_urls(text: str) -> list[str]:
    """URLs written in ``text`` (with a scheme or starting with ``www.``)."""
    return [m.group().rstrip(".,;:!?") for m in _URL.finditer(text)]


def url_words(url: str) -> list[str]:
    """The words of a URL's host and path, e.g. "night", "bus" from ".../night-buses"."""
    key = norm_url(url)
    host, _, path = key.partition("/")
    host_words = [w for w in host.split(".") if w not in _TLD]
    return words(" ".join(host_words) + " " + re.sub(r"[/_.?=&-]+", " ", path))


# --- HTML ------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """Visible text (blocks on their own lines, links as markdown) and head metadata."""

    BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li tr br section article header footer "
                       "blockquote pre table ul ol nav aside main figure figcaption dt dd"
                       .split())
    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    INLINE = frozenset({"span", "small"})
    _NOTE_CLASS = re.compile(r"(?i:side-?note|margin-?note|foot-?note|end-?note|\bnote\b|"
                             r"annotation|doc-footnote|doc-endnote)")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self._href: list[str | None] = []
        self._ld = False
        self.ld_json: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [ordered?, last number]
        self._anchors: list[bool] = []  # per open <a>: does it jump within the page?
        self._sups: list[tuple[int, bool]] = []  # per open <sup>: where it starts, in a jump?
        self._inline: list[int] = []  # per open <span>/<small>: where its note's " [" is, or -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"].strip())
        elif tag == "title":
            self._in_title = True
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self._ld = True
            self.ld_json.append("")
        if tag in self.SKIP and tag != "head":
            self._skip += 1
        if tag == "h1":
            self._in_h1 = True
        if tag in self.BLOCKS:
            self.out.append("\n\n" if tag not in ("br", "li", "tr") else "\n")
        if tag in ("ol", "ul"):
            start = a.get("start", "")
            self._lists.append([tag == "ol", int(start) - 1 if start.isdigit() else 0])
        elif tag == "li" and self._lists and self._lists[-1][0] and not self._skip:
            self.out.append(f"{self._item_number(a)}. ")
        if tag == "a":
            href = a.get("href", "")
            keep = href if re.match(r"https?://", href, re.I) else None
            self._href.append(keep)
            self._anchors.append(href.startswith("#"))
            if self._sups and href.startswith("#"):
                self._sups[-1] = (self._sups[-1][0], True)
            if keep and not self._skip:
                self.out.append("[")
        if tag == "sup":
            self._sups.append((len(self.out), any(self._anchors)))
        if tag in self.INLINE:
            # a side or margin note set inline ("<span class="sidenote">X</span>") is
            # shown apart from the sentence; in plain text it keeps brackets, as a note
            note = bool(self._NOTE_CLASS.search(f"{a.get('class', '')} {a.get('role', '')}"))
            self._inline.append(len(self.out) if note and not self._skip else -1)
            if note and not self._skip:
                self.out.append(" [")

    def _note_mark(self, start: int, jumps: bool) -> None:
        """A superscript note number ("claim.<sup>3</sup>", "<sup><a href="#fn3">3</a></sup>")
        written as the "[3]" it is; an exponent ("10<sup>6</sup>", "m<sup>2</sup>") stays: a
        note number jumps to its note or follows a sentence's punctuation."""
        body = "".join(self.out[start:]).strip()
        m = re.fullmatch(r"\[?(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]?", body)
        if not m or body.startswith("["):
            return
        before = "".join(self.out[max(0, start - 8):start]).rstrip()
        if not jumps and _UNIT_PAREN.search(before[-60:]):
            return  # "(people/km)<sup>2</sup>", "(m)<sup>3</sup>": a unit's power
        if jumps or before[-1:] in (".", ",", ";", ":", "!", "?", "\"", "”", "’", ")"):
            self.out[start:] = [f"[{m.group(1)}]"]

    def _item_number(self, a: dict[str, str]) -> int:
        """The number a browser shows before an ordered list's item: its ``value``, the
        number its id ends with when the id names a note ("cite_note-4", "fn3"), else
        the one after the last. A reference list's numbers exist only so."""
        top = self._lists[-1]
        note = re.search(r"(?:note|fn|ref|cite|footnote|endnote)\D{0,3}?(\d{1,4})$",
                         a.get("id", ""), re.I)
        value = a.get("value", "")
        top[1] = int(value) if value.isdigit() else int(note.group(1)) if note else top[1] + 1
        return top[1]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._ld = False
        if tag in self.SKIP and tag != "head" and self._skip:
            self._skip -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag == "a" and self._href:
            href = self._href.pop()
            if self._anchors:
                self._anchors.pop()
            if href and not self._skip:
                self.out.append(f"]({href})")
        if tag == "sup" and self._sups:
            self._note_mark(*self._sups.pop())
        if tag in self.INLINE and self._inline:
            at = self._inline.pop()
            if at >= 0 and not self._skip:
                body = "".join(self.out[at + 1:]).strip()
                if not re.search(r"\w", body) or re.fullmatch(
                        r"\[[^\[\]]*\](?:\([^()\s]*\))?|\([^()]*\)", body):
                    # an empty span, or one that only wraps a note mark ("[1]") or a
                    # bracketed aside: it has its brackets, or nothing to bracket
                    self.out[at] = " " if body.startswith("(") else ""
                else:
                    self.out.append("] ")
        if tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._ld:
            self.ld_json[-1] += data
            return
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        if self._in_h1:
            self.h1 += data
        self.out.append(data)

    def text(self) -> str:
        raw = "".join(self.out).replace("\xa0", " ")
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        return re.sub(r"\[\s*\]\([^)]*\)", "", text) + "\n"


def parse_html(page: str) -> tuple[str, dict[str, str]]:
    """The visible text of a page (links kept as ``[text](url)``) and its head metadata:
    ``title``, ``h1``, ``meta:<name>`` for every meta tag, ``canonical``."""
    p = _PageParser()
    p.feed(page)
    p.close()
    meta = {f"meta:{k}": v for k, v in p.meta.items() if k != "canonical"}
    if "canonical" in p.meta:
        meta["canonical"] = p.meta["canonical"]
    if p.title.strip():
        meta["title"] = " ".join(html.unescape(p.title).split())
    if p.h1.strip():
        meta["h1"] = " ".join(p.h1.split())
    for block in p.ld_json:
        for key, value in linked_data(block).items():
            meta.setdefault(f"ld:{key}", value)
    return p.text(), meta


# schema.org types whose "name" is the document's title (an Organization's is not)
_LD_DOCS = ("article", "posting", "report", "webpage", "creativework", "pressrelease",
            "blog", "dataset", "legislation", "event")


def linked_data(block: str) -> dict[str, str]:
    """The title, date, publisher, author and URL a page's JSON-LD gives for itself
    ("headline", "datePublished", "publisher": {"name": ...}), read from the first
    object of a document type (``@graph`` lists included); {} when it is not JSON."""
    try:
        data = json.loads(block)
    except ValueError:
        return {}
    todo = data if isinstance(data, list) else [data]
    items: list[dict[str, Any]] = []
    while todo:
        item = todo.pop(0)
        if isinstance(item, dict):
            items.append(item)
            if isinstance(item.get("@graph"), list):
                todo.extend(item["@graph"])

    def name(v: Any) -> str | None:
        v = v[0] if isinstance(v, list) and v else v
        v = v.get("name") if isinstance(v, dict) else v
        return v.strip() if isinstance(v, str) and v.strip() else None

    out: dict[str, str] = {}
    for item in items:
        kind = " ".join(item["@type"]) if isinstance(item.get("@type"), list) \
            else str(item.get("@type", ""))
        if not any(k in kind.lower() for k in _LD_DOCS) and "headline" not in item:
            continue
        get = item.get
        for key, value in (("title", name(get("headline")) or name(get("name"))),
                           ("date", name(get("datePublished")) or name(get("dateCreated"))),
                           ("publisher", name(get("publisher"))),
                           ("author", name(get("author"))),
                           ("url", name(get("url")) or name(get("mainEntityOfPage")))):
            if value:
                out.setdefault(key, value)
    return out


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<head" in head or "<body" in head


# --- source metadata -------------------------------------------------------------


@dataclass
class SourceMeta:
    """What identifies a source document, each field as found (None when absent)."""

    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None  # ISO: 2025-03-03, 2025-03 or 2025
    type: str | None = None  # one of DOC_TYPES
    urls: list[str] = field(default_factory=list)
    case_names: list[str] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # the lines above the body
    found_in: dict[str, str] = field(default_factory=dict)  # field -> where it was read

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "publisher": self.publisher, "author": self.author,
                "date": self.date, "type": self.type, "urls": self.urls,
                "case_names": self.case_names, "found_in": self.found_in}

    def datevals(self) -> list[DateVal]:
        """The document's date and any other date of its heading ("updated ...")."""
        first = self.dateval()
        out = [first] if first else []
        for line in self.heading:
            out += [d for _s, _e, d in find_dates(line) if d.y and d not in out]
        return out

    def dateval(self) -> DateVal | None:
        if not self.date:
            return None
        parts = [int(p) for p in self.date.split("-") if p]
        if self.date.startswith("--"):  # "--03-04": a day and month, no year
            return DateVal(None, *parts[:2])
        return DateVal(*(parts + [None] * (3 - len(parts))))  # type: ignore[arg-type]


STAMP = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?"  # a transcript turn's "[00:01:19] "
_TURN = re.compile(STAMP + r"(?P<who>[A-Z][A-Z.'’ -]{1,40}?)(?:\s*\([^)\n]{2,60}\))?:\s+\S", re.M)


def _turns(text: str) -> int:
    """Lines that open a speaker's turn ("MAYA RUIZ:", "CALLER (TOWN):") when two
    speakers or more take turns and one comes back (header keys such as "URL:",
    "CONTACT:" come once each); 0 otherwise."""
    who = Counter(m.group("who").strip() for m in _TURN.finditer(text))
    return sum(who.values()) if len(who) >= 2 and max(who.values()) >= 2 else 0


def _named_type(heading: Sequence[str], title: str | None) -> str | None:
    """The type the title names, or a heading line opening with one ("Press release",
    "Statement by ..."): a type word inside another line ("Topic: the ruling on the
    quarry") is what the document is about, not what it is."""
    return doc_type(title or "") or next(
        (t for t in (doc_type(" ".join(ln.split()[:2])) for ln in heading) if t), None)


# each type name as a compiled word pattern, in DOC_TYPES order (compiled once: a citation's
# type is asked for every span the audit scores)
_TYPE_NAMES = [(kind, re.compile(rf"\b{re.escape(name)}\b"))
               for kind, names in DOC_TYPES.items() for name in names]


def doc_type(text: str) -> str | None:
    """The document type a title or citation names ("minutes", "press release"...)."""
    low = fold(text).lower()
    best: tuple[int, str] | None = None
    for kind, rx in _TYPE_NAMES:
        m = rx.search(low)
        if m and (best is None or m.start() < best[0]
                  or (m.start() == best[0] and len(kind) > len(best[1]))):
            best = (m.start(), kind)
    return best[1] if best else None


def case_names(text: str) -> list[str]:
    """Case names written "A v B" / "A v. B" ("Corrin Sand Ltd v Sallowfield Council")."""
    out = []
    text = _R_CASE.sub(lambda m: m.group("p"), fold(text))  # "R (X) v Y" -> "X v Y"
    for m in _CASE.finditer(text):
        a = re.sub(r"^(?:In|The|See|Source|Citation)\s+", "", m.group("a"))
        out.append(f"{a} v {m.group('b')}")
    return out


def party_case_name(text: str) -> str | None:
    """"A v B" from a judgment's party lines ("Between: X  Claimant - and - Y  Defendant"),
    "The King on the application of X" read as X."""
    first = second = None
    for line in text.splitlines()[:40]:
        m = _PARTY.match(fold(line).strip())
        if not m:
            continue
        name = _ON_BEHALF.sub("", m.group("name").strip(" -:")).strip(" )(")
        name = _org_name(name) if name.isupper() else name
        if m.group("role").lower().startswith(("defendant", "respondent")):
            second = second or name
        else:
            first = first or name
    return f"{first} v {second}" if first and second else None


def _case_key(name: str) -> tuple[set[str], set[str]]:
    a, _, b = name.partition(" v ")
    drop = {"ltd", "limited", "inc", "plc", "the", "of", "and", "llc", "co"}
    return ({w for w in words(a) if w not in drop}, {w for w in words(b) if w not in drop})


def same_case(x: str, y: str) -> bool:
    """Two case names for one case: each party shares a word, in the same order."""
    (a1, b1), (a2, b2) = _case_key(x), _case_key(y)
    return bool(a1 & a2) and bool(b1 & b2)


def _org_line(line: str) -> bool:
    """A short heading line that names an organisation ("SALLOWFIELD DISTRICT COUNCIL")."""
    ws = re.findall(r"[A-Za-z'’]+", line)
    if not ws or len(ws) > 7 or line.rstrip().endswith(".") or doc_type(line) or "," in line \
            or find_dates(line) or not line[:1].isupper():
        return False
    low = [w.lower() for w in ws]
    return (low[-1] in ORG_HEADS or (len(low) > 2 and low[-2] in ORG_HEADS)
            or low[0] in ("ministry", "department", "office"))


def _org_name(line: str) -> str:
    """"SALLOWFIELD DISTRICT COUNCIL" -> "Sallowfield District Council"; mixed case is kept."""
    line = re.sub(r"^(?:in|from)\s+the\s+", "", line.strip(), flags=re.I)
    if not line.isupper():
        return line
    small = {"of", "the", "and", "for", "in", "on", "at"}
    return " ".join(w.lower() if w.lower() in small and k else w.capitalize()
                    for k, w in enumerate(line.split()))


_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,30})?),\s*"
                       rf"(?P<date>(?i:{MONTH}\.?\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH})"
                       r"(?:,?\s*(?:19|20)\d{2})?)?\s*"
                       r"\((?P<agency>[A-Z][\w.&'’ -]{1,40})\)\s*[-–—]+\s*\S")


def _is_meta_line(line: str) -> bool:
    low = line.lower().strip()
    return bool(_HEADER.match(line) or _BYLINE.match(line) or find_urls(line)
                or (find_dates(line) and len(words(line)) <= 3 and not _PERIOD.search(line))
                or low in {n for names in DOC_TYPES.values() for n in names}
                or (doc_type(low) is not None and len(words(low)) <= 2)
                or bool(_DATE_LEAD.match(line) and find_dates(line))
                or low.startswith(("for immediate release", "present:", "issued")))


def source_meta(text: str, html_meta: dict[str, str] | None = None) -> SourceMeta:
    """Read a source's metadata from its header lines, first lines and page metadata."""
    meta = SourceMeta()
    hm = html_meta or {}
    lines, bullets = [], []
    for line in text.splitlines():
        if line.strip():
            bullets.append(bool(_BULLET.match(line)))
            lines.append(fold(line.strip()).strip("#*_ ").replace("**", ""))
        if len(lines) >= HEAD_LINES:
            break
    heading: list[str] = []
    for line, bullet in zip(lines, bullets, strict=True):
        # the heading ends at the first line that reads as body text or a list item;
        # "Minutes of the meeting of ... held on 11 September 2030" is a heading line
        n = len(line.split())
        lead_type = doc_type(" ".join(line.split()[:2])) is not None and n <= 40
        if bullet or ((len(line) > 160 or n > 16 or (line.endswith(".") and n >= 7))
                      and not lead_type):
            break
        heading.append(line)
    meta.heading = heading

    def put(name: str, value: str | None, where: str) -> None:
        if value and value.strip() and getattr(meta, name) in (None, []):
            setattr(meta, name, value.strip())
            meta.found_in[name] = where

    # 1. the page's own metadata
    put("title", hm.get("meta:og:title") or hm.get("meta:twitter:title"), "meta og:title")
    put("title", hm.get("ld:title"), "JSON-LD headline")
    put("title", hm.get("h1"), "<h1>")
    put("title", hm.get("title"), "<title>")
    put("publisher", hm.get("meta:og:site_name") or hm.get("meta:publisher")
        or hm.get("meta:application-name"), "meta og:site_name")
    put("publisher", hm.get("ld:publisher"), "JSON-LD publisher")
    put("author", hm.get("meta:author") or hm.get("meta:article:author")
        or hm.get("meta:dc.creator"), "meta author")
    put("author", hm.get("ld:author"), "JSON-LD author")
    for key in ("meta:article:published_time", "meta:date", "meta:dc.date",
                "meta:pubdate", "meta:publish-date", "meta:og:published_time",
                "meta:datepublished", "meta:dcterms.date"):
        if hm.get(key):
            d = parse_date(hm[key])
            put("date", d.iso() if d else None, key.replace("meta:", "meta "))
    if hm.get("ld:date"):
        d = parse_date(hm["ld:date"])
        put("date", d.iso() if d else None, "JSON-LD datePublished")
    for key in ("canonical", "meta:og:url", "ld:url"):
        if hm.get(key):
            meta.urls.append(hm[key])
            meta.found_in.setdefault("urls", key.replace("meta:", "meta "))
    if meta.title and meta.publisher:  # "Annual Report 2030 | Tollen Gas" -> drop the site
        meta.title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(meta.publisher)}\s*$", "", meta.title,
                            flags=re.I) or meta.title
    # 2. "Key: value" header lines anywhere in the first lines
    sender: str | None = None
    for line in lines:
        m = _HEADER.match(line)
        if not m:
            continue
        key = m.group("key").lower()
        name = _HEADER_FIELD.get(key, key)
        value = m.group("value").strip("*_ ")
        # "Lisk Ferries Press Office <news@...>": the sender's name; '"A title"': without quotes
        value = re.sub(r"\s*<[^<>\s]+@[^<>\s]+>\s*$", "", value).strip("\"' ")
        if key == "from":
            # an e-mail's sender names the publisher only when no line says who published
            # it, and "From: 12 March 2025" is when a notice starts, not who issued it
            if sender is None and value and not find_dates(value):
                sender = value
            continue
        if name == "date":
            d = parse_date(value)
            put("date", d.iso() if d else None, f"{m.group('key')}: line")
        elif name == "url":
            meta.urls.append(value)
            meta.found_in.setdefault("urls", f"{m.group('key')}: line")
        elif name == "type":
            put("type", doc_type(value) or value.lower(), f"{m.group('key')}: line")
        elif name == "case":
            meta.case_names.append(value)
        elif name in ("title", "publisher", "author"):
            put(name, value, f"{m.group('key')}: line")
    if sender:
        put("publisher", sender, "From: line")
    # 3. bylines: "By Greta Rowntree | Pembry Courier | October 2, 2030"
    for line in heading:
        m = _BYLINE.match(line)
        if m and not _HEADER.match(line):
            put("author", m.group("who").strip(), "byline")
            for part in re.split(r"\s*[|,]\s*", m.group("rest") or ""):
                if part and not find_dates(part) and len(part.split()) <= 6 \
                        and not re.search(r"\b(?:correspondent|editor|reporter|writer)\b",
                                          part, re.I):
                    put("publisher", part, "byline")
    # 3b. a wire dateline opening the text: "CALDER, March 4 (Northwire) - ..." names the
    # agency that published it, not a place as a letterhead would
    for line in lines[:3]:
        m = _DATELINE.match(line)
        if m:
            put("publisher", m.group("agency"), "dateline")
            d = parse_date(m.group("date") or "")
            put("date", d.iso() if d else None, "dateline")
            break
    # 4. letterheads ("SALLOWFIELD DISTRICT COUNCIL", "IN THE LANDS TRIBUNAL ..."), parts of
    # title lines ("Ministry of Forestry - Annual Report 2030", "Drivetime Talk, Pembry
    # Sound"), "Issued ... by the X"; the title is the first line that is not these
    org_lines = set()
    for line in heading:
        if _is_meta_line(line):
            continue
        if _org_line(line) or re.match(r"^(?:in\s+)?the\s+[\w ]*\bcourt\b", line, re.I):
            put("publisher", _org_name(line), "letterhead")
            org_lines.add(line)
            continue
        parts = [p for p in re.split(r"\s+[-|–—]\s+|:\s+|,\s+", line) if p]
        for part in parts[:1] + parts[-1:] if len(parts) > 1 else []:
            if _org_line(part):
                put("publisher", _org_name(part), "title line")
    for line in heading:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) >= 2 and any(find_dates(p) for p in parts):
            first = next((p for p in parts if not find_dates(p)), "")
            if first[:1].isupper() and 1 <= len(first.split()) <= 6 and not doc_type(first):
                put("publisher", first, "title line")
    cases = case_names("\n".join(heading))
    for line in heading:
        if cases and cases[0].split(" v ")[0] in line:
            put("title", line, "case name line")
    for line in heading:
        if _is_meta_line(line) or line in org_lines:
            continue
        put("title", line, "first line")
        break
    if meta.title is None and heading:
        put("title", " - ".join(heading)[:200], "heading")
    if meta.title is None and lines:
        put("title", lines[0][:200], "first line")
    for line in lines[:HEAD_LINES]:
        m = re.search(r"\b(?:issued|published|released)\b.*?\bby\s+(?:the\s+)?"
                      r"(?P<org>[A-Z][\w'’ -]{3,80}?)\s*[.,]?$", line, re.I)
        if m:
            put("publisher", m.group("org"), "issued by")
    # 5. dates, URLs, type and case names in the heading, then anywhere in the text
    for line in heading:
        if _DATE_LEAD.match(line) and find_dates(line) and not _PERIOD.search(line):
            d = parse_date(_DATE_LEAD.sub("", line))
            put("date", d.iso() if d else None, "date line")
    for period_ok in (False, True):
        for line in heading:
            if not period_ok and _PERIOD.search(line):
                continue
            d = parse_date(line) if find_dates(line) else None
            if d is not None:
                put("date", d.iso(), "first lines")
    if meta.date is None:
        # a sign-off at the foot: "Linnet Coaches, 8 February 2031"
        tail = [ln.strip() for ln in text.splitlines() if ln.strip()][-3:]
        for line in reversed(tail):
            if find_dates(line) and len(words(line)) <= 8 and not _PERIOD.search(line):
                d = parse_date(line)
                put("date", d.iso() if d else None, "last lines")
                who = re.split(r",\s*", line)[0]
                if who != line and not find_dates(who) and 1 <= len(who.split()) <= 6 \
                        and who[:1].isupper():
                    put("publisher", who, "last lines")
                break
    if meta.date is None:
        for line in heading:
            m = _YEAR.search(line)
            if m and re.search(r"\b(?:19|20)\d{2}\b", line) and len(words(line)) <= 2:
                put("date", m.group(), "first lines")
    head_text = "\n".join([*heading, meta.title or ""])
    if doc_type(head_text) not in ("transcript", "minutes") and _turns(text) >= 3 \
            and _named_type(heading, meta.title) is None:
        # a text told in speaker turns ("NAME (ROLE): ...") is a transcript when neither
        # its title nor a line opening with a type names another ("Topic: the ruling
        # on ..." names none; "Statement by the Chief Constable" does, and stays one)
        put("type", "transcript", "speaker turns")
    put("type", doc_type(head_text), "heading")
    party = party_case_name(text)
    for c in case_names(head_text) + ([party] if party else []):
        if c not in meta.case_names:
            meta.case_names.append(c)
    for u in find_urls(text):
        if u not in meta.urls:
            meta.urls.append(u)
            meta.found_in.setdefault("urls", "text")
    return meta


# --- sources -----------------------------------------------------------------------


@dataclass
class SourceDoc:
    """A candidate source document: ``id`` is the file stem, ``text`` what evidence is
    searched in (for HTML, the page's visible text), ``meta`` what identifies it."""

    id: str
    path: str
    text: str
    title: str
    url: str | None = None
    meta: SourceMeta = field(default_factory=SourceMeta)
    analysed: Any = None  # the whosaid Document of ``text``, filled by the audit
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url, "path": self.path,
                "metadata": self.meta.as_dict()}


def load_sources(folder: Path) -> list[SourceDoc]:
    """Every .txt/.md/.html file in ``folder`` as a :class:`SourceDoc`.

    A file that cannot be read as UTF-8 raises ``ValueError`` naming the file.
    """
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text") from None
        out.append(source_from_text(text.replace("\r\n", "\n"), path.stem, path=str(path),
                                    is_html=path.suffix.lower() in HTML_SUFFIXES))
    return out


def source_from_text(text: str, ident: str, *, title: str | None = None,
                     url: str | None = None, path: str = "",
                     is_html: bool | None = None) -> SourceDoc:
    """A source document from its text (plain or HTML), with its metadata read.

    Shared by the folder loader and the web API, so an uploaded source and a file
    on disk are read the same way; explicit ``title``/``url`` win, and an "ID:"
    header line renames the document.
    """
    hm: dict[str, str] = {}
    if is_html or (is_html is None and looks_like_html(text)):
        text, hm = parse_html(text)
    meta = source_meta(text, hm)
    if url:
        meta.urls.insert(0, url)
        meta.found_in["urls"] = "given"
    if title:
        meta.title = title
        meta.found_in["title"] = "given"
    m = re.search(r"^\s*ID\s*:\s*(\S+)\s*$", text[:2000], re.M)
    return SourceDoc(id=m.group(1) if m else ident, path=path or ident, text=text,
                     title=meta.title or ident, url=meta.urls[0] if meta.urls else None,
                     meta=meta)


# --- citations and linking -----------------------------------------------------------


@dataclass
class CitationFields:
    """The identifying fields of one citation (label, reference entry and link URL)."""

    text: str
    urls: list[str]
    dates: list[DateVal]
    years: set[int]
    type: str | None
    cases: list[str]
    words: list[str]
    url_words: list[str] = field(default_factory=list)
    numbers: set[tuple[str, str]] = field(default_factory=set)


# "03.02.24": a day, a month and a two-digit year joined by stops, as a citation may date a
# document (read in citations only: in a source's body "4.2.11" is a section number)
_SHORT_YEAR = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})(?![\w.]|\.\d)")


_POINTER = re.compile(r"(?i:\b(?:paras?|paragraphs?|sections?|sec|ss?|pp?|arts?|rules?|r|"
                      r"clauses?|cl|items?|nos?|chapter|ch|version|v|tables?|tab|figs?|"
                      r"figures?|charts?|annex(?:es)?|appendix|app|schedules?|sch|releases?|"
                      r"steps?|parts?|pt|maps?|exhibits?|box|note|notes|line|lines|row|rows|"
                      r"question|q|standard|reg|regulation|point|level|ver)\.?|[§¶#])\s*$")


def _short_year_dates(text: str) -> list[tuple[int, int, DateVal]]:
    out = []
    for m in _SHORT_YEAR.finditer(text):
        d, mo = int(m.group("d")), int(m.group("m"))
        if _POINTER.search(text[max(0, m.start() - 14):m.start()]):
            continue  # "para. 4.2.11": a place in the document, not its date
        if 1 <= d <= 31 and 1 <= mo <= 12:
            yy = int(m.group("y"))  # the POSIX pivot: "98" is 1998, "25" is 2025
            out.append((m.start(), m.end(), DateVal((1900 if yy >= 69 else 2000) + yy, mo, d)))
    return out


def citation_fields(label: str, reference: str | None = None,
                    month_first: bool | None = None) -> CitationFields:
    """A citation's fields; an all-figure date that reads both ways ("4/3/2025") is read
    month first only when ``month_first`` (the report's convention, see
    :func:`month_first_convention`) or the citation's own other dates say so."""
    body = fold(" ".join(x for x in (label, reference or "") if x))
    urls = find_urls(body)
    plain = _URL.sub(" ", body)
    found = find_dates(plain) + _short_year_dates(plain)
    spans = [(s, e) for s, e, _d in found]
    own = month_first_convention(plain)
    flip = _both_ways(plain) if (own if own is not None else month_first) else {}
    dates = [flip.get(s, d) for s, _e, d in found]
    ys = years(plain, spans)
    ws = words(plain)
    uw: list[str] = []
    for u in urls:
        # dates and words written in a URL path ("/2025/03/05/ferry-cuts") count too
        path = urlsplit(u if "://" in u else "http://" + u).path
        dates += [d for _s, _e, d in find_dates(path.replace("/", "-"))
                  if d.y and d.m and d.d] or [d for _s, _e, d in find_dates(path)]
        ys |= {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path)
               } - {d.y for d in dates if d.y}
        uw += [w for w in url_words(u) if not re.fullmatch(r"\d+", w)]
    return CitationFields(body, urls, dates, ys, doc_type(plain), case_names(plain), ws, uw,
                          doc_numbers(plain))


_NUM_DATE = dict(_DATE_FORMS)["num"]


def _both_ways(text: str) -> dict[int, DateVal]:
    """The month-first reading ("6/3/2025": 3 June) of each slashed all-figure date that
    reads both ways, by its start; a dotted date ("06.03.2025") is always day first."""
    out = {}
    for m in _NUM_DATE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a != b and 1 <= a <= 12 and 1 <= b <= 12 and "." not in m.group():
            out[m.start()] = DateVal(int(m.group("y")), a, b)
    return out


def month_first_convention(text: str) -> bool | None:
    """Whether ``text`` writes all-figure dates month first: True when one of them can only
    be ("4/17/2025") or, with none telling, its dates in words put the month first
    ("April 17, 2025") more often than the day; False for the reverse ("17/4/2025", "17
    April 2025"); None when nothing tells. A report's own dates decide how to read its
    "4/3/2025", not a reading that happens to match a source."""
    slash = [(int(m.group("a")), int(m.group("b"))) for m in _NUM_DATE.finditer(text)
             if "." not in m.group()]
    if any(b > 12 >= a for a, b in slash):
        return not any(a > 12 >= b for a, b in slash) or None
    if any(a > 12 >= b for a, b in slash):
        return False
    kinds = [kind for kind, rx in _DATE_FORMS[:2] for _m in rx.finditer(text)]
    mdy, dmy = kinds.count("mdy"), kinds.count("dmy")
    return True if mdy > dmy else False if dmy > mdy else None


# The number a document is known by: "No. 14 of 2025", "notice 15/2025", "#7", or a
# code of capitals and digits ("FW-2025-031", "CN-0417"). Word matching drops digits, so
# without these "Notice No. 14" and "Notice No. 15" of one office read alike.
_DOC_NUMBER = re.compile(
    r"(?i:\b(?:no|nos|number|num)\.?\s*|#\s?)(?P<n>\d{1,5})(?![\d.,]\d)"
    r"|(?<![\d/.-])(?P<s>\d{1,4})/(?:19|20)\d{2}(?![\d/])"
    r"|\b(?P<k>[A-Z]{1,6})[-/]?(?P<c>\d[\dA-Z]*(?:[-/][\dA-Z]+)*)\b")


def doc_numbers(text: str) -> set[tuple[str, str]]:
    """The numbers and codes ``text`` names documents by, as (kind, value): ("no", "14")
    for "No. 14 of 2025" and "14/2025", ("fw", "2025-31") for "FW-2025-031"."""
    out: set[tuple[str, str]] = set()
    for m in _DOC_NUMBER.finditer(fold(text)):
        if m.group("n") or m.group("s"):
            out.add(("no", str(int(m.group("n") or m.group("s")))))
        elif not re.fullmatch(r"(?:19|20)\d{2}", m.group("c")):
            parts = re.split(r"[-/]", m.group("c"))
            out.add((m.group("k").lower(),
                     "-".join(str(int(x)) if x.isdigit() else x.lower() for x in parts)))
    return out


def _number_conflict(cited: set[tuple[str, str]], src: SourceDoc) -> bool | None:
    """Whether a citation's document numbers disagree with the source's own (its title
    and heading lines): True when they share a kind but no value, False when one
    agrees, None when there is nothing to compare."""
    if not cited:
        return None
    if "numbers" not in src.cache:
        src.cache["numbers"] = doc_numbers("\n".join([src.meta.title or "", *src.meta.heading]))
    own: set[tuple[str, str]] = src.cache["numbers"]
    kinds = {k for k, _v in cited} & {k for k, _v in own}
    if not kinds:
        return None
    return not (cited & own)


# The place of a document in a series, as a citation or a title states it: "Issue 7",
# "Vol. 3", "Part 2", "edition 4", "Q2", "H1 2025", "second quarter". Word matching drops
# figures, so without these "Bulletin, Issue 9" reads as "Bulletin, Issue 7" of one
# publisher. Each alternative is a fixed run of a few tokens: linear.
_STATED = re.compile(
    r"(?i:\b(?P<k>issue|iss|edition|edn|volume|vol|part|pt|series|wave|round|phase|quarter"
    r"|qtr)\.?[ \t_-]*(?:no\.?[ \t]*|number[ \t]+|#[ \t]?)?(?P<n>\d{1,3})\b(?![.,/:]\d))"
    r"|\b(?P<q>Q[1-4]|H[12](?=[ \t_-]*(?:19|20)\d\d\b))\b"
    r"|(?i:\b(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th)[ \t]+(?P<per>quarter|half)\b)")
_STATED_KIND = {"iss": "issue", "edn": "edition", "vol": "volume", "pt": "part",
                "qtr": "quarter", "q": "quarter", "h": "half"}
_NTH_NUMBER = {"first": "1", "second": "2", "third": "3", "fourth": "4",
               "1st": "1", "2nd": "2", "3rd": "3", "4th": "4"}


def stated_numbers(text: str) -> dict[str, set[str]]:
    """The places in a series ``text`` states, by kind: {"issue": {"7"}} for "Issue 7",
    {"quarter": {"2"}} for "Q2 2025" or "second quarter"."""
    out: dict[str, set[str]] = {}
    for m in _STATED.finditer(text):
        if m.group("k"):
            kind, value = m.group("k").lower(), str(int(m.group("n")))
        elif m.group("q"):
            kind, value = m.group("q")[0].lower(), m.group("q")[1]
        else:
            kind, value = m.group("per").lower(), _NTH_NUMBER[m.group("nth").lower()]
        out.setdefault(_STATED_KIND.get(kind, kind), set()).add(value)
    return out


def stated_conflict(cited: str, src: SourceDoc) -> bool:
    """Whether a citation states a place in a series ("Issue 9", "Q2") that the source's
    title, heading lines or file name give otherwise (a kind both state, no value shared):
    the same publisher's other issue is another document."""
    mine = stated_numbers(cited)
    if not mine:
        return False
    if "stated" not in src.cache:
        src.cache["stated"] = stated_numbers("\n".join(
            [src.meta.title or "", *src.meta.heading, re.sub(r"[_-]+", " ", src.id)]))
    own: dict[str, set[str]] = src.cache["stated"]
    return any(kind in own and not values & own[kind] for kind, values in mine.items())


def _idf(sources: Sequence[SourceDoc]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for s in sources:
        df.update(set(_source_words(s)))
    n = len(sources)
    return {w: math.log(1 + (n + 1) / (f + 0.5)) for w, f in df.items()}


def _source_words(src: SourceDoc) -> list[str]:
    if "words" not in src.cache:
        m = src.meta
        parts = [m.title or "", m.publisher or "", m.author or "", " ".join(m.heading),
                 m.type or "", src.id]
        ws = words(" ".join(parts))
        for u in m.urls[:3]:
            ws += url_words(u)
        for name in (m.title, m.publisher, m.author, *m.heading):
            ws += sorted(initials(name or "") - set(ws))
        src.cache["words"] = ws
    return src.cache["words"]


# a heading line that names another document ("Appealed from the Lands Tribunal [2029]
# EWLT 41", "Replaces the guidance of 2027"): its years are that document's
_ELSEWHERE = re.compile(r"\b(?:appeal(?:ed)?\s+from|from\s+the|replac(?:es|ing)|"
                        r"supersed(?:es|ing)|further\s+to|in\s+response\s+to|previous|"
                        r"earlier|see|cf)\b", re.I)
# a heading line that gives the period the document covers ("For the year 2030/31",
# "Period: 1 April 2030 to 31 March 2031", "Year ended 31 March 2031")
_COVERS = re.compile(r"\b(?:period|for\s+(?:the\s+)?(?:year|quarter|month|financial|"
                     r"calendar|academic|season)|year\s+(?:ended|ending|to)|quarter|"
                     r"(?:19|20)\d{2}\s*[/–-]\s*(?:19|20)?\d{2})\b", re.I)


def _joined_words(src: SourceDoc) -> set[str]:
    """Adjacent title, publisher and author words run together, as a site's host writes
    its owner's name ("pembryhealth" for "Pembry Health Board"); matched against the
    words of a citation's URL only."""
    if "joined" not in src.cache:
        out: set[str] = set()
        for name in (src.meta.title, src.meta.publisher, src.meta.author):
            nw = words(name or "")
            out |= {a + b for a, b in pairwise(nw)}
            out |= {a + b + c for a, b, c in zip(nw, nw[1:], nw[2:], strict=False)}
        src.cache["joined"] = out
    return src.cache["joined"]


def _turns_of(src: SourceDoc) -> int:
    """The source's speaker turns (cached): a statement told in turns is also its
    transcript."""
    if "turns" not in src.cache:
        src.cache["turns"] = _turns(src.text)
    return src.cache["turns"]


def _source_years(src: SourceDoc) -> set[int]:
    """The years a source is of: its date's, its title's, and those of heading lines
    that name its type or the period it covers ("Annual Report 2030/31", "For the year
    2030/31"); other heading lines only when it has no date, and never one naming
    another document ("Appealed from ... [2029]" in a judgment of 2031 names an
    earlier ruling, not this one; "Hearing dates: May 2029" is no period covered)."""
    m = src.meta
    d = m.dateval()
    lines = [ln for ln in m.heading if not _ELSEWHERE.search(ln)]
    if d and d.y:
        own = [ln for ln in lines if _COVERS.search(ln) or doc_type(ln)]
        return years(" ".join([m.title or "", *own, src.id])) | {d.y}
    return years(" ".join([m.title or "", *lines, src.id]))


def _own_urls(src: SourceDoc) -> set[str]:
    """The source's own addresses: its page metadata, or URLs in its heading lines (a
    link further down points elsewhere)."""
    m = src.meta
    if m.found_in.get("urls") not in (None, "text"):
        return {norm_url(u) for u in m.urls}
    head = "\n".join(m.heading)
    return {norm_url(u) for u in m.urls if u in head}


def _host(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", norm_url(url)).split("/", 1)[0]


def _page(url: str) -> str:
    """A URL's page: its path without query or file extension ("" for a site's home)."""
    path = norm_url(url).split("?", 1)[0].partition("/")[2]
    return re.sub(r"\.(?:html?|php|aspx?|jsp|pdf)$", "", path)


def _other_page(urls: Sequence[str], own: set[str]) -> bool:
    """Whether a citation URL names another page of a site whose page the source is: both
    name a page (a home page names no document: "www.council.gov.uk" in a letterhead)
    on the same host, with different paths ("/news/x.html" and "/news/x?lang=en" are
    the same page)."""
    pages = {(_host(o), _page(o)) for o in own if _page(o)}
    return any(_page(u) and any(h == _host(u) and p != _page(u) for h, p in pages)
               for u in urls)


def score_source(cf: CitationFields, src: SourceDoc, idf: dict[str, float]
                 ) -> dict[str, Any]:
    """How well one source matches one citation, field by field.

    ``score`` is max(weighted word coverage, title similarity) + 0.25 for an
    agreeing date + 0.1 for an agreeing document type; ``conflicts`` lists the
    fields that disagree (date, year, type).
    """
    m = src.meta
    out: dict[str, Any] = {"document": src.id, "fields": [], "conflicts": []}
    keys = {norm_url(u) for u in m.urls}
    for u in cf.urls:
        if norm_url(u) in keys:
            # a share link's own parameters ("?s=20", "?CMP=share") are dropped by
            # norm_url; any other key ("?id=4", "?page=2") names another page
            # two notices of one agency may share an address: the cited date and number
            # tell them apart, without making a matching URL a miss
            bonus = 0.25 if cf.dates and any(d.agrees(x) is True for d in cf.dates
                                             for x in m.datevals()) else 0.0
            bonus += 0.1 if _number_conflict(cf.numbers, src) is False else 0.0
            out.update(score=2.0 + bonus, base=2.0, method="url", fields=["url"])
            return out
    for c in cf.cases:
        for c2 in m.case_names:
            if same_case(c, c2):
                sy = _source_years(src)
                if cf.years and sy and not cf.years & sy:
                    # the same parties, another year: an earlier or later ruling
                    out.update(score=2.0, base=2.0, coverage=1.0, method="case name",
                               fields=["case name"], conflicts=["year"])
                    return out
                out.update(score=2.0, base=2.0, method="case name", fields=["case name"])
                return out
    if cf.urls and _other_page(cf.urls, _own_urls(src)):
        # another page of the source's own site: a near miss, whatever the words say
        out["conflicts"].append("url")
    have = set(_source_words(src))
    # the words of a URL say less than the words of a label: they weigh less
    weight = {w: URL_WEIGHT for w in cf.url_words}
    weight.update({w: 1.0 for w in cf.words})
    kind = set(words(cf.type or "")) - have
    if kind and not m.type and sum(1 for w in weight if w in have) >= 3 and all(
            w in have or w in kind for w in cf.words):
        # "Coroner's report on the death of ..." of a record that names no kind
        # of document: every other word is the source's, the kind is the writer's word
        for w in kind:
            weight.pop(w, None)
    unseen = math.log(2 + len(idf))
    total = sum(k * idf.get(w, unseen) for w, k in weight.items())
    covered = sum(k * idf.get(w, 0.0) for w, k in weight.items() if w in have)
    # a URL word that is the source's name run together ("fenholthealth") counts in full
    joined = {w for w in cf.url_words if w not in have and w in _joined_words(src)}
    covered += sum(weight[w] * idf.get(w, unseen) for w in joined)
    coverage = covered / total if total else 0.0
    sds = m.datevals()
    shared = [w for w in weight if w in have or w in joined]
    dated = bool(cf.dates and any(d.agrees(x) is True for d in cf.dates for x in sds))
    if len(shared) < 2 and not (shared and (_acronym(shared[0], cf.text) or _own_name(
            shared[0], src)) and (dated or (_own_name(shared[0], src) and not cf.dates
                                           and cf.years & _source_years(src)))):
        # one shared word ("police") does not name a document; an acronym ("GRCB, 3
        # March 2026") or the source's one-word publisher or author's surname
        # ("Northwire, 4 March 2025", "Thornquist 2026") does, with the date or year it has
        coverage = 0.0
    title = fold(m.title or "").lower()
    label = _URL.sub(" ", cf.text).lower()
    title_sim = 0.0
    if title and len(words(label)) >= 2:
        title_sim = _title_similarity(label, title)
    base = max(coverage, title_sim)
    if coverage >= title_sim and coverage:
        out["fields"].append("words")
    elif title_sim:
        out["fields"].append("title")
    score = base + 0.1 * min(coverage, title_sim)
    if cf.dates and sds:
        agree = [d.agrees(x) for d in cf.dates for x in sds]
        if any(a is True for a in agree):
            score += 0.25
            out["fields"].append("date")
        elif any(a is False for a in agree):
            out["conflicts"].append("date")
    if cf.years:
        sy = _source_years(src)
        if sy and not cf.years & sy:
            out["conflicts"].append("year")
        elif cf.years & sy:
            score += 0.05
    numbered = _number_conflict(cf.numbers, src)
    if numbered is True:
        out["conflicts"].append("number")  # "Notice No. 15" is not notice no. 14
    elif numbered is False:
        score += 0.1
        out["fields"].append("number")
    if cf.type and m.type:
        if cf.type == m.type or (cf.type, m.type) in COMPATIBLE_TYPES or (
                cf.type == "transcript" and _turns_of(src) >= 3) or _heading_names(
                cf.type, src):
            score += 0.1
            out["fields"].append("type")
        else:
            out["conflicts"].append("type")
    out.update(score=round(score, 4), base=round(base, 4), coverage=round(coverage, 4),
               title_similarity=round(title_sim, 4), method="fields")
    return out


_QUOTED_TITLE = re.compile(r"[\"“«]([^\"”»\n]{8,200})[\"”»]")


def _title_parts(text: str) -> list[str]:
    """A title and its parts around a colon or dash, two words or more each ("Warm Homes
    Now" of "Warm Homes Now: ...", "the new warden on ..." of "Q&A: the new warden on
    ...")."""
    return [text] + [p for p in re.split(r"\s*[:|–—]\s*|\s+-\s+", text) if len(words(p)) >= 2]


def _title_similarity(label: str, title: str) -> float:
    """How nearly the citation gives the source's title (0 below 0.85): the whole label,
    or a title it quotes ("Smith (2025). "Conversation: a keeper remembers ...". Magazine.")
    against the title or its main part."""
    parts = _title_parts(title)
    best = max(max(fuzz.token_sort_ratio(label, p),
                   fuzz.partial_ratio(label, p)
                   if 0.6 * len(p) <= len(label) <= 1.1 * len(p) else 0)
               for p in parts) / 100
    for q in _QUOTED_TITLE.findall(label):
        for qp in _title_parts(q.strip(" .,")):
            if len(words(qp)) >= 3:
                best = max(best, max(fuzz.token_sort_ratio(qp, p) for p in parts) / 100)
    return best if best >= 0.85 else 0.0


def _heading_names(kind: str, src: SourceDoc) -> bool:
    """Whether the source's title or heading lines call it ``kind`` as well ("Progress
    statement for the dig" under a report's letterhead): a document may be both."""
    # the kind heads the line ("PROGRESS STATEMENT FOR ..."); a "Topic: the ruling on ..." line
    # names what the document is about, not what it is
    return any(not re.match(r"[\w ]{1,24}:\s", line) and any(
        re.match(rf"(?:\S+\s+){{0,2}}{re.escape(w)}\b", fold(line).strip(), re.I)
        for w in DOC_TYPES[kind]) for line in [src.meta.title or "", *src.meta.heading])


def _own_name(word: str, src: SourceDoc) -> bool:
    """Whether ``word`` is the whole of the source's publisher's name ("Northwire") or
    its author's surname: one word that names who issued it."""
    pub = words(src.meta.publisher or "")
    author = words(src.meta.author or "")
    return pub == [word] or (len(author) >= 2 and author[-1] == word)


def _acronym(word: str, text: str) -> bool:
    """Whether ``word`` is written in ``text`` as an acronym (three to six capitals): one
    shared acronym names a body as surely as its full name, where one shared plain word
    ("police") does not."""
    return 3 <= len(word) <= 6 and bool(re.search(rf"\b{re.escape(word.upper())}\b", text))


def link(label: str, reference: str | None, sources: Sequence[SourceDoc],
         idf: dict[str, float] | None = None, month_first: bool | None = None
         ) -> dict[str, Any]:
    """The source a citation names, or the near miss, with every candidate's score.
    ``month_first``: the report's date convention (:func:`month_first_convention`).

    Returns ``{"link": {...} | None, "near_miss": {...} | None, "best": score, "scored": [...]}``.
    """
    if not sources:
        return {"link": None, "near_miss": None, "best": 0.0}
    cf = citation_fields(label, reference, month_first)
    idf = idf if idf is not None else _idf(sources)
    scored = sorted((score_source(cf, s, idf) for s in sources),
                    key=lambda r: (-r["score"], r["document"]))
    ok = [r for r in scored if not r["conflicts"]]
    best = ok[0] if ok else None
    # "scored": every source's score, so a check of the link need not score them again
    out: dict[str, Any] = {"link": None, "near_miss": None,
                           "best": best["score"] if best else 0.0, "scored": scored}
    if best is not None and best.get("base", best["score"]) >= LINK_THRESHOLD:
        out["link"] = {"document": best["document"], "method": best["method"],
                       "score": best["score"], "fields": best["fields"]}
        return out
    near = [r for r in scored if r["conflicts"] and r.get("coverage", 0) >= NEAR_MISS_THRESHOLD
            and (best is None or r["coverage"] > best.get("coverage", 0))]
    if near:
        top = near[0]
        same = [r for r in near if r["coverage"] >= top["coverage"] - 0.05
                and set(r["conflicts"]) == set(top["conflicts"])]
        out["near_miss"] = {"documents": [r["document"] for r in same],
                            "conflicts": top["conflicts"], "cited": _cited_words(cf),
                            "coverage": top["coverage"]}
    return out


def _cited_words(cf: CitationFields) -> dict[str, Any]:
    return {"date": cf.dates[0].words() if cf.dates else None,
            "year": min(cf.years) if cf.years else None, "type": cf.type}


def describe(src: SourceDoc) -> str:
    """"the Tollen Constabulary press release of 9 June 2031", for notes in words."""
    m = src.meta
    who = m.publisher or m.author
    kind = m.type or "document"
    d = m.dateval()
    when = f" of {d.words()}" if d else ""
    if who:
        return f"the {who} {kind}{when}"
    return f"“{src.title}”{when}"


def near_miss_note(near: dict[str, Any], by_id: dict[str, SourceDoc]) -> str:
    """The near miss in words: what the folder has, and what the citation asks for."""
    docs = [describe(by_id[d]) for d in near["documents"] if d in by_id]
    have = docs[0] if len(docs) == 1 else ", ".join(docs[:-1]) + " and " + docs[-1]
    cited = near["cited"]
    if "ambiguous" in near["conflicts"]:
        return f"The folder has {have}; this citation names nothing that tells them apart."
    bits = []
    if "type" in near["conflicts"] and cited.get("type"):
        bits.append(f"a {cited['type']}")
    if "date" in near["conflicts"] and cited.get("date"):
        bits.append(f"one of {cited['date']}")
    elif "year" in near["conflicts"] and cited.get("year"):
        bits.append(f"one for {cited['year']}")
    if "url" in near["conflicts"]:
        bits.append("another page of the same site")
    if "number" in near["conflicts"]:
        bits.append("another number or issue")
    want = " and ".join(bits) or "a different document"
    return f"The folder has {have}; this cites {want}."
