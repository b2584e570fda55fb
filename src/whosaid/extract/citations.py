"""Inline citation markers and the text each one vouches for.

Briefings and generated news text close paragraphs or sentences with markers
such as "(Citation: NATO press release)", "(Sources: A; B)", "[1]" or a bare
"Source: Reuters" line ending. A marker is only useful together with its
*scope*, the stretch it backs up, so :func:`find_citations` returns both:

* a marker that ends its paragraph scopes the whole paragraph before it;
* a marker inside a paragraph scopes the sentence it closes (the previous
  sentence when the parse put the marker at the start of the next one).

A scope never includes the marker, nor the markers it is grouped with
("... end. [1] [2]"), except a link inside its sentence ("The [statement](url) kept
rates on hold."), which vouches for the whole sentence around it. Numeric markers are
resolved against a reference list under a "References"/"Sources"/"Notes" heading at
the end of the text, and the
entries of that list are not themselves reported as citations.

Besides labels and numbers, markdown links ("[the report](https://...)"),
bare URLs (also in brackets), footnotes ("claim.¹", "claim.¹⁷", "claim[^2]"
with "¹⁷ entry" or "[^2]: entry" lines) and, through
:func:`according_to_citations`, "according to a 2023 report by X" or
"according to the coastguard's duty log for 17 November" are citations too.
A marker vouches only for text no earlier marker vouches for: "... 2023.¹ The
judge held ...¹" gives each sentence its own scope even when the parse does
not split after "2023.¹". :func:`grade` says how resolvable each one is: a URL, DOI,
or title with a date or publisher is *resolvable*; some identifying detail is
*partial*; a bare label such as "NATO press release" is *generic*. A style no pattern
knows is found by repetition (:func:`induced_spans`): a bracketed shape ("{DL-4}",
"[Gazette]") closing several sentences of one text, not reading as prose, is its marker.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

from whosaid.audit_sources import DAY_MONTH, MONTH, MONTH_DAY, Taken
from whosaid.extract import lexicon
from whosaid.extract.quotes import quotations
from whosaid.model import Citation, Paragraph, Resolvability, Sentence
from whosaid.parse import paragraphs_of, trimmed

# "(Citation: X)", "(Sources: X; Y)", "(Ref: X)", "(Via: X)", "(Source – X)"; one
# level of nested parentheses is allowed inside the label: "(Source: BBC (UK))". The
# same in square brackets, "[Source: X]", unless it is the text of a markdown link.
_KEYWORDS = r"citations?|sources?|refs?|references?|via"
_SEP = r"\s*(?::|\s[–—])\s*"
_PAREN = re.compile(
    rf"\(\s*(?:{_KEYWORDS}){_SEP}(?P<body>(?:[^()\n]|\([^()\n]*\))+?)\s*\)"
    rf"|\[\s*(?:{_KEYWORDS}){_SEP}(?P<sbody>[^\[\]\n]+?)\s*\](?!\()",
    re.IGNORECASE,
)
# Author-date or publisher-date in parentheses without a keyword: "(Smith et al.,
# 2020)", "(Quillmouth Radio, 4 March 2026)". The name is a few capitalised words (not a
# day of the week: "(Tuesday, 14 October 2031)" is a date, not a source).
_NAME_WORD = r"[A-Z][\w'’.&-]*"
# A case name is a name too ("(Rowntree-Hesk v Brightwell Freight Ltd, 2031)"), and "n.d."
# (no date) stands for the year ("(Anonymous, n.d.)").
# A name may have small words inside ("Letters from the Tollgate"), and a title may stand
# before the year ("(Kelby Canal Board, Canal Yearbook 2026)", "(Quillmouth Radio, March
# 2026)").
_AUTHOR_DATE = re.compile(
    rf"\((?P<body>(?!(?i:mon|tues|wednes|thurs|fri|satur|sun)day\b){_NAME_WORD}"
    rf"(?:\s+(?:{_NAME_WORD}|of|and|the|for|on|from|in|at|to|upon|de|du|van|von|der|v\.?|"
    rf"vs\.?|et al\.?|&)){{0,8}}(?:,\s*"
    rf"(?:(?:\d{{1,2}}\s+[A-Z][a-z]+\s+|[A-Z][a-z]+\s+\d{{1,2}},?\s+|(?:{_NAME_WORD}\s+){{1,4}})?"
    r"(?:19|20)\d{2}[a-z]?|n\.\s?d\.)"
    # "(Calder Statistics 2025)" without the comma, only where a sentence or clause ends
    r"|\s(?:19|20)\d{2}[a-z]?(?=(?:,\s*(?:pp?|paras?|ch|s|§)\.?\s*\d[\d\s,–-]*)?\)\s*[.;,:!?])))"
    # a page after the date is no part of the name and date: "(Bank, May 2025, p. 3)"
    r"(?:,\s*(?:pp?|paras?|ch|s|§)\.?\s*\d+(?:\s*[–-]\s*\d+)?)?\)")
# "(Calder Echo, 12 May)", "(the Calder Echo, 2025-05-12)", "(PWU ballot notice, 12/05/2025)",
# "(Calder Echo, 12 May 2025; Northwire, 13 May 2025)": a name and any written date, where
# the parenthesis closes a clause. The name starts with a capital (after "the") and is
# not a weekday: "(Tuesday, 12 May 2025)" and "(in May 2025)" are dates.
_ANY_DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:{MONTH})(?:,?\s+(?:19|20)\d{{2}})?"
             rf"|(?i:{MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{{2}})?"
             r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})")
_DATED_PART = (r"(?:the\s+)?(?!(?i:mon|tues|wednes|thurs|fri|satur|sun)day\b)[A-Z][\w'’.&-]*"
               rf"(?:\s+[\w'’.&-]+){{0,7}}?,\s*{_ANY_DATE}")
_PAREN_DATED = re.compile(rf"\((?P<body>{_DATED_PART}(?:\s*;\s*{_DATED_PART})*)\)"
                          r"(?=\s*[.;,:!?]|[ \t]*$)", re.MULTILINE)
# In a text that cites in parentheses, "(a ministry adviser, personal communication)", "(trade
# estimates)", "(various sources)" at a sentence end are citations of no document.
# So are "(one tram driver)", "(a junior clerk)" and "(insiders briefed on lock repairs)":
# a person or people described, not named; the words between the determiner and the
# role are its adjectives ("a record for traders" is no person).
_PEOPLE = "|".join(sorted(lexicon.PERSON_ROLE_NOUNS | set(
    "source official insider worker employee resident person driver nurse doctor "
    "teacher officer engineer manager executive member witness campaigner trader".split())))
_PAREN_SOURCE = re.compile(
    r"\((?P<body>[^()\n]{2,60}?,\s*(?:personal\s+communications?|pers\.\s*comm\.)"
    r"|(?:[\w'’.-]+\s+){0,4}(?:sources|estimates|reports|figures|data|documents|interviews|"
    r"briefings|accounts)"
    rf"|(?:one|a|an|two|three|several|some|other)\s+"
    rf"(?:(?!(?:for|of|to|in|on|at|by|with|from|about)\b)[\w'’-]+\s+){{0,3}}?(?:{_PEOPLE})s?"
    r"|(?:people|persons|sources|officials|those|insiders)\s+(?:close\s+to|familiar\s+with|"
    r"with\s+knowledge\s+of|briefed\s+on|involved\s+in)(?:\s+[\w'’-]+){1,4})\)(?=\s*[.;])",
    re.IGNORECASE)

# Any parenthesis closing a clause ("(via Harbour Gazette, 4/17/2025)", "(Pell report,
# supra, ¶ 4)", "(overheard at the depot)"): a citation in a text whose house style is to
# cite so, whatever its wrapper (see :func:`_house_style`). One level of nesting is allowed
# ("(Ferries (Fares) Order 2025, art. 3)"); the two alternatives start with different
# characters, so the match is linear.
_PAREN_END = re.compile(r"\((?P<body>(?:[^()\n]|\([^()\n]*\))+)\)(?=[ \t]*(?:[.;:!?]|$))",
                        re.MULTILINE)
# the same in square brackets, "[via Harbour Gazette, 4/17/2025]." (a link's "[words](url)"
# is followed by its URL, not by a clause end)
_BRACKET_END = re.compile(r"\[(?P<body>[^\[\]\n]{2,300})\](?=[ \t]*(?:[.;:!?]|$))", re.MULTILINE)
# what opens a parenthesis that is no citation: a figure ("(£4m)", "(2019)"), an aside
# ("(e.g. ...)", "(about 300)", "(up 4%)", "(pictured)")
_NOT_CITE_OPEN = re.compile(
    r"[\d£$€¥%+±~≈<>=-]|(?:e\.\s?g|i\.\s?e|cf|viz)\b\.?|(?:about|around|roughly|approximately|"
    r"nearly|almost|over|under|up|down|or|and|but|including|excluding|plus|minus|formerly|"
    r"now|then|pictured|left|right|above|below|previously|sic|if|when|which|who|where|"
    r"not|also|only|just|twice|half|per\s+cent|percent)\b", re.IGNORECASE)
# words that introduce a credit rather than name it: "via X", "see X", "h/t X", "per X"
_LEAD_IN = re.compile(r"^(?:(?:via|see(?:\s+also)?|cf\.?|per|h/t|hat[\s-]tip(?:\s+to)?|"
                      r"courtesy(?:\s+of)?|credit|from|quoted\s+in|cited\s+in|as\s+reported\s+"
                      r"(?:by|in))\s*[:,]?\s+)+", re.IGNORECASE)
# a pinpoint after the document: ", para. 4", ", p. 2", ", pp. 3-4", ", ¶ 12", ", at 7",
# ", s. 3", ", art. 2", ", n. 5", " ¶ 12": where in the document, no part of its name
_PINPOINT = re.compile(r"(?:(?:,\s*|\s+(?=[¶§]))(?:p|pp|paras?|paragraphs?|¶¶?|§§?|s|ss|art|"
                       r"arts|ch|r|rr|n|nn|fn|at|sch|reg|regs|col|cols|line|lines|page|pages)\.?\s*"
                       r"[\dIVXLivxl][\w.()]*(?:\s*[-–,]\s*[\dIVXLivxl][\w.()]*)*)+\s*$")
# a repeat of a citation before it: "id.", "ibid., p. 4", "idem" (the one just before) and
# "Pell report, supra" / "Pell, op. cit." (the last earlier one by those words)
# ("ID", all capitals, is an abbreviation, not "id.")
_INLINE_REPEAT = re.compile(r"^(?:[Ii]bid(?:em)?|IBID|[Ii]d|[Ii]dem)\.?\s*"
                            r"(?:(?:,\s*|(?<=\s)(?=at\s))(?P<rest>.*))?$")
_SUPRA = re.compile(r"^(?P<who>.+?)[\s,]+(?:supra|op\.?\s*cit\.?|loc\.?\s*cit\.?)\b\.?"
                    r"(?:\s*,?\s*(?:note\s+\d+)?)?(?:\s*,\s*(?P<rest>.*))?$", re.IGNORECASE)
_HOUSE_MIN = 3  # clause-end parentheses a text needs before they are its citation style
_HOUSE_SHARE = 0.25  # ... and the share of its sentences they close (else 2 known markers)

# "Source: X" running to the end of its paragraph (checked per paragraph).
_BARE = re.compile(rf"\b(?:{_KEYWORDS})\s*:", re.IGNORECASE)
_BARE_MAX_LABEL = 200  # longer "Source: ..." tails are prose, not a marker

# "[1]", "[1, 2]", "[3–5]": digits, ranges and commas only, so editorial
# insertions such as "[sic]" or "[the agency]" never match.
_NUM = r"\d{1,4}"
_ITEM = rf"{_NUM}(?:\s*[-–—]\s*{_NUM})?"
_NUMERIC = re.compile(rf"\[\s*(?P<body>{_ITEM}(?:\s*,\s*{_ITEM})*)\s*\]")
# "(4)" after a sentence's words, before its punctuation ("... £48 (1)."), counted only
# when a notes list gives "(n) ..." entries for two such numbers or more: "section
# 4(1)" and "(1) the council ..." enumerations are no markers
_PAREN_NUMERIC = re.compile(rf"(?<=\s)\((?P<body>{_ITEM}(?:\s*,\s*{_ITEM})*)\)"
                            r"(?=[.,;:!?]|[ \t]*$)", re.MULTILINE)
_RANGE = re.compile(rf"(?P<lo>{_NUM})\s*[-–—]\s*(?P<hi>{_NUM})")
_MAX_RANGE = 100  # "[1–5000]" is not a citation range worth expanding

# A heading line, markdown "## Sources", emphasised "**Sources**" or "Sources:".
_HEADING = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?[*_]{0,2}[ \t]*(?:reference list|source list|sources cited"
    r"|works cited|(?:references|sources|notes|footnotes|endnotes|bibliography|citations)"
    # "Notes and references", "Sources & notes"
    r"(?:[ \t]+(?:and|&)[ \t]+(?:references|sources|notes|further reading|bibliography))?)"
    r"[ \t]*:?[ \t]*[*_]{0,2}[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "[1] X", "1. X", "1) X", "(1) X", each possibly after a list bullet ("- [1] X")
_ENTRY = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?(?:\[(?P<a>\d{1,4})\]|\((?P<c>\d{1,4})\)"
                    r"|(?P<b>\d{1,4})[.)])[ \t]+(?P<body>\S.*?)\s*$")

# markdown links, bare URLs and DOIs; footnotes as superscripts or "[^n]"
_URL = r"(?i:https?://|www\.)[^\s<>()\[\]\"']+(?:\([^\s()]*\)[^\s<>()\[\]\"']*)*"
# a link's words are bounded: "[" without a "]" on a 50,000-character line is tried from
# every "[" (unbounded, that is quadratic)
_MDLINK = re.compile(rf"\[(?P<title>[^\]\n]{{1,400}})\]\((?P<url>{_URL})\)")
_BARE_URL = re.compile(_URL)
# reference-style markdown links: "[the rate statement][2]" or "[notice][]" with a
# "[2]: https://..." line (optionally with a quoted title) somewhere in the text
_LINKDEF = re.compile(rf"^[ \t]{{0,3}}\[(?P<id>[^\]^\n][^\]\n]{{0,39}})\]:[ \t]*<?(?P<url>{_URL})>?"
                      r"(?:[ \t]+[\"'(][^\n]*)?[ \t]*$", re.MULTILINE)
_REFLINK = re.compile(r"\[(?P<title>[^\]\n]{1,400})\] ?\[(?P<id>[^\]\n]{0,40})\]")
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/[^\s\]);,]+",
                  re.IGNORECASE)
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUP_MAP = str.maketrans(_SUPERSCRIPTS + "⁻", "1234567890-")
# "claim.¹", "claim.¹²", a range "claim.¹⁻³", and "claim. ¹" with one space after punctuation
_SUPER = re.compile(rf"(?:(?<=[\w.,;:!?\"'”’)%])|(?<=[.,;:!?\"'”’)] ))"
                    rf"(?P<body>[{_SUPERSCRIPTS}]+(?:⁻[{_SUPERSCRIPTS}]+)?)")
# "200 m²", "5 km²", "m/s²": an exponent of a unit, not a footnote ("£4m²" is money)
_UNIT_POWER = re.compile(r"(?<![£$€¥\d.,])[\d.,]*(?:\b|(?<=\d))(?:[kcmµnd]?m|ft|in|yd|mi|s)$")
_FOOTREF = re.compile(r"\[\^(?P<body>[\w-]{1,20})\](?!:)")
_FOOTDEF = re.compile(r"^[ \t]*(?:\[\^(?P<a>[\w-]{1,20})\]:|(?P<b>[¹²³⁴⁵⁶⁷⁸⁹⁰]+))[ \t]*"
                      r"(?P<body>\S.*?)\s*$", re.MULTILINE)
_TRAIL = ".,;:!?"

# "according to X" where X is a document or publication, not a person
_ACCORDING = re.compile(r"\baccording to\s+(?P<label>[^,;:\n()]{3,160}?)"
                        r"(?=\s*(?:[,;:\n()]|\.(?:\s|$)|\bthat\b|\bwhich\b|$))",
                        re.IGNORECASE)
# Kinds of document as reports name them. Words that are also common names or
# newspaper titles ("Bill", "Page", "the Post", "the Journal") are left out: with
# them "according to" a person or an outlet would read as a document.
_DOC_WORDS = frozenset("""
report reports study studies survey surveys poll polls polling analysis analyses data
figures statistics numbers results findings research estimates estimate projections
forecast forecasts calculations measurements count tally census index database dataset
memo memorandum filing filings document documents papers files release releases
announcement statement website webpage article paper review audit inquiry investigation
transcript transcripts records minutes agenda log logs logbook register bulletin
newsletter notice notices circular advisory summary summaries brief briefing factsheet
judgment judgement ruling verdict decision complaint lawsuit indictment affidavit
testimony submission submissions petition guidance guidelines consultation dossier
leaflet brochure handbook manual prospectus budget contract agreement treaty
letter letters email emails correspondence recording footage video broadcast podcast
blog tweet abstract preprint book memoir diary story editorial obituary average averages
phone-in response
""".split())
# A document word names the thing cited only as the head of its noun phrase: in
# "the audit office", "one survey firm", "the Tidal Data Agency" or "the study's
# authors" it only qualifies an organisation or a person.
_NOT_HEAD_AFTER = frozenset("""
office offices center centre institute institution firm firms bureau agency agencies
group department ministry committee council company board team unit service services
organisation organization foundation association union commission authority lab
laboratory university school college official officials spokesman spokeswoman
spokesperson analyst analysts expert experts source sources staff staffer aide aides
director chief head manager editor editors reporter reporters researcher researchers
author authors desk project program programme people member members worker workers
person man woman officer officers
""".split())
# where the head noun phrase of a label ends: a preposition, a relative pronoun, a
# conjunction, or the opening quote of a title ("her memoir 'Salt Roads ...'")
_HEAD_END = re.compile(r"\s(?:by|from|of|in|at|for|on|to|with|about|through|into|over|"
                       r"under|after|before|since|during|as|who|whom|whose|and|or|but)\b"
                       r"|[\"“‘]|''|(?<=\s)'", re.IGNORECASE)
_TITLE = re.compile(r"[\"“‘][^\"”’\n]{1,120}[\"”’]|''[^'\n]{1,120}''")
# capitalised words after a document word that do not make it part of a name: a
# day ("a survey issued Monday") or the title opening the next clause ("reports Mr X")
_WHEN = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday "
                  "tonight mr mrs ms dr".split())
_TRANSPARENT = frozenset("copy copies version draft excerpt excerpts extract section chapter "
                         "part portion text".split())
# a day and a month, "3 June", "12th of May", "June 3rd": the date of a document (the
# forms whosaid.audit_sources reads dates with: one definition)
_DAY_MONTH = re.compile(DAY_MONTH, re.IGNORECASE)
_MONTH_DAY = re.compile(MONTH_DAY, re.IGNORECASE)

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

# Fallback sentence split: after . ! ? (plus closing quotes/brackets and footnote
# superscripts) and whitespace, unless the next word starts lower-case; newlines
# always split.
_SENT_BREAK = re.compile(r"(?<=[.!?])(?P<close>[\"'”’)\]¹²³⁴⁵⁶⁷⁸⁹⁰⁻]*)\s+(?=[^\sa-z])|\n")
_SENT_END = ".!?"


@dataclass(frozen=True)
class _Marker:
    """One marker occurrence before scoping; ``labels`` may hold several."""

    start: int
    end: int
    kind: str
    labels: tuple[str, ...]


def find_citations(text: str, paragraphs: list[Paragraph],
                   sentences: list[Sentence],
                   extra: Sequence[tuple[int, int, str]] = (),
                   notes: tuple[int, dict[str, str]] | None = None) -> list[Citation]:
    """All inline citations in ``text``, one per label, in text order.

    ``paragraphs`` and ``sentences`` normally come from the parse; when either is
    empty it is recomputed here so the function also works on raw text. ``extra``
    holds markers found otherwise, as (start, end, label): those the audit discovers
    from the sources' metadata in wrappers no pattern here knows. Each is scoped like
    any marker, where no other marker stands. ``notes`` is a numbered list found so
    (where it starts, entries by number) under a heading no pattern knows: used when the
    text has no list of its own.
    """
    paras = sorted(paragraphs, key=lambda p: p.start) or paragraphs_of(text)
    sents = sorted(sentences, key=lambda s: s.start) or regex_sentences(text)
    ref_start, references = reference_list(text)
    if notes and not references:
        ref_start, references = notes[0], repeats_resolved(notes[1])
    foot_start, footnotes = footnote_definitions(text)
    ref_start = min(ref_start, foot_start)
    references = {**references, **footnotes}
    defined = [(m.start(), m.end()) for m in _FOOTDEF.finditer(text)]
    linkdefs = {m.group("id").strip().lower(): m.group("url") for m in _LINKDEF.finditer(text)}
    defined += [(m.start(), m.end()) for m in _LINKDEF.finditer(text)]

    dated_start, dated = author_date_references(text)
    ref_start = min(ref_start, dated_start)
    found = _markers(text, paras, set(references), linkdefs, ref_start)
    if extra:
        taken = _taken(text, found)
        for start, end, label in sorted(extra):
            if taken.free(start, end):
                found.append(_Marker(start, end, "label", (label,)))
                taken.take(start, end)
    # inside a definition ("[^3]: ..."): the definitions sorted once, each marker bisects
    # them and compares the furthest end so far (overlaps allowed): linear-logarithmic
    defined.sort()
    def_starts = [s for s, _e in defined]
    reach = list(accumulate((e for _s, e in defined), max))
    markers = [m for m in found if m.start < ref_start and not (
        (i := bisect_right(def_starts, m.start) - 1) >= 0 and reach[i] > m.start)]
    markers.sort(key=lambda m: (m.start, m.end))
    out: list[Citation] = []
    ordered, para_ix, sent_ix = _Sorted(markers, text), _Spans(paras), _Spans(sents)
    for i, m in enumerate(markers):
        scope = _scope(text, m, i, ordered, para_ix, sent_ix)
        for label in m.labels:
            reference = (references.get(label) if m.kind in ("numeric", "footnote")
                         else dated.get(_author_date_key(label)) if m.kind == "label" else None)
            if m.kind == "link":
                label, reference = label.split("\x00", 1)
            for ref in _note_sources(reference) if m.kind in ("numeric", "footnote") \
                    else [reference]:
                cit = Citation(text=text[m.start:m.end], label=label, start=m.start,
                               end=m.end, scope=scope, kind=m.kind, reference=ref)
                cit.resolvability = grade(cit)
                out.append(cit)
    _resolve_repeats(out)
    return out


def _note_sources(entry: str | None) -> list[str | None]:
    """The sources one note names: "3. Calder Bank, Statement, 6 March 2025; Calder
    Statistics, Bulletin, May 2025" cites two documents, as "(Sources: A; B)" does. Split
    only where every part reads as a source (a capitalised name and more)."""
    if not entry or ";" not in entry:
        return [entry]
    parts = [p.strip() for p in entry.split(";") if p.strip()]
    if len(parts) >= 2 and all(re.match(r"[\"“‘'*_]?[A-Z]", p) and len(p.split()) >= 2
                               for p in parts):
        return list(parts)
    return [entry]


# "Corrin Water Trust (2031a) Minutes of ...": an author-date reference entry
_DATED_ENTRY = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?(?P<name>[A-Z][^()\n]{1,120}?)\s*\("
                          r"(?P<year>(?:19|20)\d{2}[a-z]?|n\.\s?d\.)\)[.,:]?\s+(?P<body>\S.*?)\s*$")


def _author_date_key(label: str) -> str:
    """"Corrin Water Trust, 2031a" and an entry's name and year as one key."""
    label = re.sub(r"\s+", " ", label.replace("’", "'")).strip().lower()
    return re.sub(r"\s*,\s*(?=(?:19|20)\d{2}[a-z]?$|n\.\s?d\.$)", ", ", label)


def author_date_references(text: str) -> tuple[int, dict[str, str]]:
    """An author-date reference list ("Name (2025a) Title ...") under the last heading
    whose first entry reads so: where it starts and its entries by "name, year" key,
    so "(Corrin Water Trust, 2031a)" gets its entry's title and date. ``(len(text),
    {})`` when there is none."""
    def read(lines: list[str]) -> dict[str, str]:
        entries: dict[str, str] = {}
        for line in lines:
            if not line.strip():
                continue
            m = _DATED_ENTRY.match(line)
            if not m:
                break
            entries[_author_date_key(f"{m.group('name')}, {m.group('year')}")] = line.strip()
        return entries

    return _last_list(text, read)


def _last_list(text: str, read: Callable[[list[str]], dict[str, str]]
               ) -> tuple[int, dict[str, str]]:
    """The last heading ("References", "Notes", ...) whose lines ``read`` makes entries
    of: where it starts and the entries; ``(len(text), {})`` when none does. One heading
    scan for the numbered and the author-date lists."""
    for heading in reversed(list(_HEADING.finditer(text))):
        entries = read(text[heading.end():].splitlines())
        if entries:
            return heading.start(), entries
    return len(text), {}


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
    return first, repeats_resolved(entries)


def according_to_citations(text: str, sentences: list[Sentence]) -> list[Citation]:
    """"according to a 2023 report by X": a citation of a document inside prose.

    Only labels that name a document or publication count: a kind of document
    ("the council's minutes", "the coastguard's duty log"), a URL, a year,
    or a day and month ("the ombudsman's ruling of 22 April"), since a dated
    thing is a document, not a person. "according to officials" is an
    attribution, not a citation. Kept out of :func:`find_citations` because
    citation markers are removed from attributions, and these phrases are
    attributions as well.
    """
    sents = sorted(sentences, key=lambda s: s.start) or regex_sentences(text)
    index = _Spans(sents)
    out: list[Citation] = []
    for m in _ACCORDING.finditer(text):
        label = m.group("label").strip()
        if not _names_document(label):
            continue
        start, end = m.start(), m.start("label") + len(label)
        k = index.containing(start)
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


def _names_document(label: str) -> bool:
    """Whether an "according to" label names a document rather than a person.

    A URL, a year or a day and month anywhere do; otherwise a document word must
    head the label's first noun phrase ("the tribunal's press note of ...",
    "a survey issued Monday", "a copy of the memo") or follow a possessive
    ("the harbourmaster's website"), not qualify an organisation or a
    person ("the audit office", "the Tidal Data Agency", "the study's authors").
    """
    if _BARE_URL.search(label) or re.search(_YEAR, label) or _DAY_MONTH.search(label) \
            or _MONTH_DAY.search(label):
        return True
    label = _TITLE.sub(" ", label)  # a quoted title is a name, not the phrase's head
    tokens = re.findall(r"[\w’'.-]+", label)
    for i in range(1, len(tokens)):
        if re.search(r"\w[’']s$", tokens[i - 1]) and _heads(_words(tokens[i:])):
            return True
    rest = label
    while rest:
        cut = _head_end(rest)
        head, rest = (rest[:cut.start()], rest[cut.end():]) if cut else (rest, "")
        words = _words(re.findall(r"[\w’'.-]+", head))
        if any(_heads(words[i:]) for i in range(len(words))):
            return True
        if not (words and words[-1].lower() in _TRANSPARENT and cut
                and cut.group().strip().lower() == "of"):
            return False  # only "a copy of X" looks on into X
    return False


def _head_end(text: str) -> re.Match[str] | None:
    """Where the first noun phrase of ``text`` ends; "of", "for" and "and" inside a
    name ("the Institute of Coastal Studies", "University of Pembry") do not end it."""
    for m in _HEAD_END.finditer(text):
        word = m.group().strip().lower()
        if word in ("of", "for", "and"):
            before = re.search(r"(\S+)\s*$", text[:m.start()])
            after = re.match(r"\s*(\S+)", text[m.end():])
            if before and after and before.group(1)[0].isupper() and after.group(1)[0].isupper():
                continue
        return m
    return None


def _words(tokens: list[str]) -> list[str]:
    """Tokens without possessive endings and stray full stops."""
    words = [re.sub(r"[’']s?$", "", t).strip(".") for t in tokens]
    return [w for w in words if w]


def _heads(words: list[str]) -> bool:
    """``words[0]`` is a document word that the words after it do not turn into
    the name of an organisation ("Research Center") or a person ("authors")."""
    if not words or words[0].lower() not in _DOC_WORDS:
        return False
    if len(words) > 1 and words[1][0].isupper() and words[1].lower() not in _WHEN:
        return False
    return not any(w.lower() in _NOT_HEAD_AFTER for w in words[1:])


# words said to the writer by someone unnamed ("Phone call with an unnamed adviser",
# "Email from an adviser"): nothing a reader could look up, whatever the date
_UNPUBLISHED = re.compile(r"\s*(?:(?:private|personal|telephone|phone)\s+)?(?:conversations?|"
                          r"interviews?|e-?mails?|calls?|briefings?|communications?|"
                          r"correspondence|messages?)\s+(?:with|from|to)\s+(?:a|an|one|two|"
                          r"three|several|some|senior|unnamed|anonymous)\b", re.I)


# a source described rather than named: a determiner and a common noun ("the village chat
# group", "a reader", "one of our readers"); "the Marlow Gazette" names one
_DESCRIBED = re.compile(r"\s*(?:the|a|an|one|some|several|various|our|my|local)\s+[a-z]")


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
    if _UNPUBLISHED.match(body):
        return Resolvability.GENERIC  # "Phone call with an unnamed adviser, March 2026"
    if cit.kind == "label" and _DESCRIBED.match(body) and not re.search(r"\d|[\"“«]", body):
        return Resolvability.GENERIC  # "the parish noticeboard": described, not named
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


_BACKLINK = re.compile(r"^[\^↑]\s*(?:[a-z]\s+){0,9}")


def reference_list(text: str) -> tuple[int, dict[str, str]]:
    """Where the trailing reference list starts, and its entries by number.

    The list is the last heading line ("References", "Sources", "Notes", ...)
    whose first non-blank following line is a numbered entry ("[1] ..." or
    "1. ..."). Lines that are not entries continue the previous entry. Returns
    ``(len(text), {})`` when there is no such list.
    """
    def read(lines: list[str]) -> dict[str, str]:
        entries: dict[str, str] = {}
        current: str | None = None
        for line in lines:
            if not line.strip() or _LINKDEF.match(line):
                continue  # a "[rs]: url" line is a link's target, not part of an entry
            m = _ENTRY.match(line)
            if m:
                current = m.group("a") or m.group("b") or m.group("c")
                # "1. ^ Author (2025) ...": a web page's jump-back link opens the entry
                entries[current] = _BACKLINK.sub("", m.group("body"))
            elif current is None:
                break  # prose right after the heading: not a reference list
            else:
                entries[current] = f"{entries[current]} {line.strip()}"
        return entries

    start, entries = _last_list(text, read)
    return start, repeats_resolved(entries)


# "Ibid.", "ibid., p. 4", "Id." and "Ibidem" repeat the note before; "Marlow, op. cit., p. 9"
# repeats the last note by that author
_IBID = re.compile(r"^[\s*_]*(?:ibid(?:em)?\b\.?|id\.)(?P<rest>.*)$", re.IGNORECASE)
_OP_CIT = re.compile(r"^\s*(?P<who>\S.*?)[\s,]+(?:op|loc)\.?\s*cit\b\.?(?P<rest>.*)$",
                     re.IGNORECASE)


def repeats_resolved(entries: dict[str, str]) -> dict[str, str]:
    """Notes that repeat an earlier one given the entry they repeat, so the citation
    links where its note points: "2. Ibid." after "1. Pembry Port Board, Levy Statement"
    reads as that statement. A page or other detail after it is kept."""
    out: dict[str, str] = {}
    bases: list[str] = []  # the entry each note repeats, without its page
    for label in sorted(entries, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k)):
        body = base = entries[label]
        ibid, opcit = _IBID.match(body), _OP_CIT.match(body)
        found: str | None = None
        if ibid:
            found, rest = (bases[-1] if bases else None), ibid.group("rest")
        elif opcit:
            who = opcit.group("who").strip(" ,").lower()
            found = next((b for b in reversed(bases) if b.lower().startswith(who)), None)
            rest = opcit.group("rest")
        if found:
            rest = rest.strip(" ,.;")
            base, body = found, f"{found} {rest}".strip()
        out[label] = body
        bases.append(base)
    return out


# a line that starts something of its own: a list item, a markdown heading or quote, a
# "Key: value" line
_OWN_LINE = re.compile(r"[-*•–▪◦·+>#]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s"
                       r"|[A-Z][\w'’ /&-]{0,30}:(?:\s|$)")
# a field line: "Publisher: X" ends where its line does (the audit's _KEY_LINE is another
# thing, the report's key of short forms)
_FIELD_LINE = re.compile(r"[A-Z][\w'’ /&-]{0,30}:\s")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•–▪◦·+]|\(?\d{1,3}[.)])[ \t]+")
_COLUMNS = re.compile(r"\S(?: {2,}|\t)\S")  # a gap of columns: a fixed-width table's row
_WRAP_MAX = 100  # a text wrapped wider than this is not hard-wrapped for reading
_WRAP_SLACK = 20  # a wrapped line is at most this much shorter than the wrap width


def wrapped_breaks(text: str) -> set[int]:
    """The line breaks of hard-wrapped text (plain text cut at about 70 columns) that only
    wrap a sentence: the line before is nearly as wide as the text's wrap width and the
    next line goes on in the same way (not blank, not a list item, heading or "Key:" line,
    same indentation). A text is hard-wrapped when its wide lines (the 90th percentile
    width, 40 to 100 columns) are many; texts whose lines are paragraphs keep every break.
    One pass over the lines: linear."""
    lines = text.split("\n")
    sizes = sorted(len(x.rstrip()) for x in lines if x.strip())
    if len(sizes) < 4:
        return set()
    width = sizes[int(0.9 * (len(sizes) - 1))]
    full = sum(1 for n in sizes if width - _WRAP_SLACK <= n <= width + 5)
    if not 40 <= width <= _WRAP_MAX or full < max(3, 0.3 * len(sizes)):
        return set()
    out: set[int] = set()
    pos = 0
    for line, nxt in pairwise(lines):
        pos += len(line)  # the "\n" after ``line``
        body, after = line.rstrip(), nxt.lstrip()
        indent = len(line) - len(line.lstrip())
        item = _LIST_ITEM.match(line)  # a list item's wrapped text hangs under its words
        if (len(body) >= width - _WRAP_SLACK and after and not _OWN_LINE.match(after)
                and len(nxt) - len(after) in (indent, item.end() if item else -1)
                and not _heading_line(after) and not _FIELD_LINE.match(body.lstrip())
                and not _heading_line(body.lstrip())
                and not _COLUMNS.search(body.lstrip()) and not _COLUMNS.search(after.rstrip())):
            out.add(pos)
        pos += 1
    return out


def _heading_line(line: str) -> bool:
    """A line in capitals ("SECTION 4 FINDINGS"): a heading, never a wrapped sentence."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def regex_sentences(text: str, join_wrapped: bool = True) -> list[Sentence]:
    """A crude sentence split for callers without a parse. A line break ends a sentence
    unless it only wraps one in hard-wrapped text (:func:`wrapped_breaks`), so a sentence
    cut across lines stays whole for evidence and negation scope; ``join_wrapped=False``
    keeps every break (a report whose claim lines end in masked markers, not stops)."""
    joined = wrapped_breaks(text) if join_wrapped and "\n" in text else set()
    out: list[Sentence] = []
    pos = 0
    # a bare line break (not one after a sentence's end) that only wraps is no break
    breaks = (m for m in _SENT_BREAK.finditer(text)
              if not (m.start() in joined and m.group() == "\n"
                      and text[m.start() - 1] not in _SENT_END))
    for m in [*breaks, None]:
        end = m.start() + len(m.group("close") or "") if m else len(text)
        s, e = trimmed(text, pos, end)
        if e > s:
            out.append(Sentence(start=s, end=e))
        pos = m.end() if m else len(text)
    return out


def _markers(text: str, paras: list[Paragraph], defined: set[str],
             linkdefs: dict[str, str] | None = None, limit: int | None = None
             ) -> list[_Marker]:
    """Every marker occurrence, parenthesised, bare and numeric.

    ``defined`` holds the labels of the reference list and footnote lines; it
    says whether "¹²" is footnote 12 or footnotes 1 and 2. ``linkdefs`` maps the ids
    of "[id]: url" lines to their URLs, for reference-style links. ``limit`` is where
    the body ends (a notes list after it does not set the text's citation style).
    """
    limit = len(text) if limit is None else limit
    found: list[_Marker] = []
    for m in _PAREN.finditer(text):
        labels = _split_labels(m.group("body") or m.group("sbody"))
        if labels:
            found.append(_Marker(m.start(), m.end(), "label", labels))
    for m in _AUTHOR_DATE.finditer(text):
        found.append(_Marker(m.start(), m.end(), "label", (m.group("body"),)))
    taken = _taken(text, found)
    for m in _PAREN_DATED.finditer(text):
        if taken.free(m.start(), m.end()):
            labels = _split_labels(m.group("body"))
            found.append(_Marker(m.start(), m.end(), "label", labels))
            taken.take(m.start(), m.end())
    for p in paras:
        bare = _bare_marker(text, p, taken)
        if bare:
            found.append(bare)
    taken = _taken(text, found)
    for m in _MDLINK.finditer(text):
        if taken.free(m.start(), m.end()):
            found.append(_Marker(m.start(), m.end(), "link",
                                 (f"{m.group('title').strip()}\x00{m.group('url')}",)))
    for m in _REFLINK.finditer(text):
        key = (m.group("id").strip() or m.group("title").strip()).lower()
        url = (linkdefs or {}).get(key)
        if url and not _NUMERIC.fullmatch(f"[{m.group('title')}]") and \
                taken.free(m.start(), m.end()):
            found.append(_Marker(m.start(), m.end(), "link",
                                 (f"{m.group('title').strip()}\x00{url}",)))
    taken = _taken(text, found)
    for m in _NUMERIC.finditer(text):
        if not taken.free(m.start(), m.end()):
            continue  # "(Source: Smith [1])": part of a label marker
        labels = _numeric_labels(m.group("body"))
        found.append(_Marker(m.start(), m.end(), "numeric", labels))
    notes = [(m, _numeric_labels(m.group("body"))) for m in _PAREN_NUMERIC.finditer(text)
             if taken.free(m.start(), m.end())]
    if len({lab for _m, labs in notes for lab in labs if lab in defined}) >= 2:
        found += [_Marker(m.start(), m.end(), "numeric", labs) for m, labs in notes]
    described = any(text[m.start] == "(" for m in found)
    if described:
        # the text cites in parentheses: source descriptions there are citations too
        _add_described(text, found)
    taken = _taken(text, found)
    for m in _house_style(text, limit, found):
        if taken.free(m.start(), m.end()):
            labels = tuple(_credit(x) for x in _split_labels(m.group("body")))
            found.append(_Marker(m.start(), m.end(), "label", tuple(x for x in labels if x)))
    if not described and any(text[m.start] == "(" for m in found):
        _add_described(text, found)  # a house style of credits ("(via X)") shows it too
    taken = _taken(text, found)
    for m in _slot_phrases(text, limit, found):
        if taken.free(m.start(), m.end()):
            found.append(_Marker(m.start(), m.end(), "label", (m.group("body"),)))
    taken = _taken(text, found)
    for m in _BARE_URL.finditer(text):
        url = m.group().rstrip(_TRAIL)
        if not taken.free(m.start(), m.start() + len(url)):
            continue
        found.append(_Marker(m.start(), m.start() + len(url), "url", (url,)))
    for m in _SUPER.finditer(text):
        if not taken.free(m.start(), m.end()):
            continue
        if m.group("body") in "²³" and _UNIT_POWER.search(text[max(0, m.start() - 12):m.start()]):
            continue  # "200 m²"
        found.append(_Marker(m.start(), m.end(), "footnote",
                             _superscript_labels(m.group("body").translate(_SUP_MAP), defined)))
    for m in _FOOTREF.finditer(text):
        if taken.free(m.start(), m.end()):
            found.append(_Marker(m.start(), m.end(), "footnote", (m.group("body"),)))
    taken = _taken(text, found)
    for start, end, body in induced_spans(text, limit):
        if taken.free(start, end) and (label := _credit(body)):
            found.append(_Marker(start, end, "label", (label,)))
    return found


def _taken(text: str, found: Sequence[_Marker]) -> Taken:
    """The characters of ``text`` the markers found so far cover (linear checks, where
    scanning a list of spans per match was quadratic in the number of markers)."""
    taken = Taken(len(text))
    for m in found:
        taken.take(m.start, m.end)
    return taken


def _add_described(text: str, found: list[_Marker]) -> None:
    """Add the sources described, not named ("(one tram driver)"), of a text that cites in
    parentheses."""
    taken = _taken(text, found)
    for m in _PAREN_SOURCE.finditer(text):
        if taken.free(m.start(), m.end()):
            found.append(_Marker(m.start(), m.end(), "label", (m.group("body"),)))


_WEEKDAY_OR_MONTH = re.compile(rf"(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|{MONTH})$")
# asides that are never a citation, whatever follows: a party and state tag ("(X-Yorke)"),
# an exchange and ticker ("(LSE: ABCD)"), a picture credit ("(Archive photo)", "(Stock
# Images)"); and, without a credit's lead-in ("h/t our readers" is one), a possessive aside
# ("(their second)")
_ASIDE = re.compile(r"[A-Z]{1,3}-[A-Z][\w.]*\s*$|[A-Z][\w.]*:\s*[A-Z][A-Z.]{0,6}\s*$"
                    r"|.{0,40}\b(?i:photo|photos|photograph|images|pictures|illustration)\s*$")
_POSSESSIVE = re.compile(r"(?i:his|her|hers|its|their|theirs|my|our|your)\b")
# a document number: "no. 14", "#212", "Issue 9", "12/2025", "HC 418", "QX-B-24-007"
_DOC_NUMBER = re.compile(r"(?i:\b(?:no|nos|issue|vol|volume|case|ref|edition)\.?\s*|#)\d"
                         r"|\b\d{1,4}/\d{1,4}\b|\b[A-Z]{1,6}(?:[-/][A-Z]{1,6})*[-/]?\d{2,}")
# a conversation or letter as the source: "(conversation with the ward clerk)", "(email
# to the author)", "(phone interview, 3 June)"
_TALK = re.compile(r"(?i:(?:tele)?phone\s+)?(?i:conversations?|interviews?|e-?mails?|letters?|"
                   r"calls?|messages?|correspondence)\b(?:\s+(?i:with|from|to)\b|\s*$)")


def _citation_like(body: str) -> bool:
    """Whether a clause-end parenthesis could name a source: not a figure or an aside
    ("(£4m)", "(about 300)", "(e.g. ...)"), not only a date ("(Tuesday, 12 May 2025)"), not
    a link or URL (found as such), and one word only when it is a name ("(Northwire)")."""
    body = body.strip()
    if "](" in body or _BARE_URL.search(body):
        return False
    rest = _LEAD_IN.sub("", body)
    if _NOT_CITE_OPEN.match(body) or _NOT_CITE_OPEN.match(rest) or re.match(
            r"(?i:in|on|at|since|until|till|to|for|with|as|of|than)\b", rest):
        return False
    if rest == body and _DESCRIBED.match(rest) and not _names_document(rest) and (
            _head_end(rest) or len(rest.split()) > 4):
        # "(a first for traders)": prose; "(one lock keeper)", a bare noun phrase, or
        # "(via the parish noticeboard)", a credit, describe a source
        return False
    named = _credit(rest)
    undated = _DATE.sub(" ", rest)
    if named[:1].islower() and not _INLINE_REPEAT.match(named) and re.search(
            r"\d", _DATE.sub(" ", named)):
        return False  # "(aged 16 to 21)": a description with figures, not a source
    tokens = [t for t in re.findall(r"[^\W\d_][\w'’./&-]*", undated)
              if not _WEEKDAY_OR_MONTH.match(t.strip("."))]
    if not tokens or _ASIDE.match(rest) or (rest == body and _POSSESSIVE.match(rest)):
        return False
    # a citation's shape, not just a capital: a credit's lead-in word, a date, a document
    # word or number, or a repeat ("ibid."); "(Riverside Ward)" alone is an aside
    return bool(rest != body or _INLINE_REPEAT.match(rest) or _SUPRA.match(rest)
                or _DATE.search(rest) or _DOC_NUMBER.search(rest) or _TALK.match(rest)
                or _names_document(rest) or any(  # "(Harbour Safety Bulletin)"
                    t[0].isupper() and t.lower().strip(".") in _DOC_WORDS for t in tokens))


def _house_style(text: str, limit: int, found: list[_Marker]) -> list[re.Match[str]]:
    """The clause-end parentheses (or square brackets) of a text that cites in them: at
    least three that could name a source, and either two markers in that bracket already
    known or a quarter of the text's sentences closed by one ("- Ferry fares rise (via
    Harbour Gazette, 4/17/2025)."). Then each is a citation, whatever its wrapper; [] for
    any other text."""
    ends = len(re.findall(r"[.!?](?=[\s\"'”’)\]]|$)", text[:limit]))
    out: list[re.Match[str]] = []
    for rx, opener in ((_PAREN_END, "("), (_BRACKET_END, "[")):  # each shape on its own
        ends_here = list(rx.finditer(text, 0, limit))
        cands = [m for m in ends_here if _citation_like(m.group("body"))]
        if len(cands) < _HOUSE_MIN:
            continue
        known = sum(1 for f in found if text[f.start] == opener and f.kind == "label")
        if known >= 2 or len(cands) >= _HOUSE_SHARE * max(ends, 1):
            # then a person described, not named ("(one lock keeper)"), is a credit too;
            # it does not make a house style ("(a Democrat)" three times is none)
            seen = {m.start() for m in cands}
            out += sorted(cands + [m for m in ends_here if m.start() not in seen
                                   and _unnamed_source(m.group("body"))],
                          key=lambda m: m.start())
    return out


# "(one lock keeper)", "(a listener)": someone described in a few lower-case words
_UNNAMED = re.compile(r"(?:one|a|an|some|several|two|three|various|local)\s+[a-z][\w'’-]*"
                      r"(?:\s+[a-z][\w'’-]*){0,2}")
_NOT_SOMEONE = frozenset("first second third last record lot bit few little while time "
                         "day week year month".split())


def _unnamed_source(body: str) -> bool:
    """Whether a clause-end parenthesis only describes a person: "(one lock keeper)", not
    "(a first for traders)" nor "(a record)"."""
    body = body.strip()
    return bool(_UNNAMED.fullmatch(body)) and not _head_end(body) and not any(
        w.removesuffix("s") in _NOT_SOMEONE or w.endswith(("th", "ths"))
        for w in body.lower().split()[1:])


# "[citation needed]" where the text's "[3]" markers stand: a bracketed phrase straight
# after a sentence's end in a text that puts its numbered markers there
_SLOT_PHRASE = re.compile(r"(?<=[.!?\"”’])\[(?P<body>[A-Za-z][\w' ’?-]{2,40})\](?![(\[:])")
_SLOT_NUMERIC = re.compile(rf"(?<=[.!?\"”’])\[{_ITEM}(?:\s*,\s*{_ITEM})*\]")


def _slot_phrases(text: str, limit: int, found: list[_Marker]) -> list[re.Match[str]]:
    """Bracketed phrases in the slot of the text's numbered markers: markers with no entry
    (graded generic), in a text with two such numbered markers at least."""
    if len(_SLOT_NUMERIC.findall(text, 0, limit)) < 2:
        return []
    return list(_SLOT_PHRASE.finditer(text, 0, limit))


def _credit(label: str) -> str:
    """A label without the words that introduce a credit ("via", "see", "h/t") and without
    a pinpoint ("..., para. 4", "..., p. 2"): the document it names."""
    label = _LEAD_IN.sub("", label.strip())
    # a pinpoint is short: looked for in the label's tail only, so a long label costs
    # no more than a short one
    m = _PINPOINT.search(label, max(0, len(label) - 60))
    return (label[:m.start()] if m else label).strip(" ,;")


def _resolve_repeats(cits: list[Citation]) -> None:
    """Give "id." / "ibid." the citation just before, and "X, supra" / "X, op. cit." the
    last earlier one whose label has X's names (its capitalised words) and its other words
    unless no earlier citation has those (half of X's words let "Voss report" take an
    unrelated "Voss v ..." case): the document they repeat. Earlier citations are
    indexed by word, so thousands of repeats cost no more than one scan each of the
    citations that share X's rarest word."""
    earlier: list[Citation] = []
    words: list[set[str]] = []
    index: dict[str, list[int]] = {}
    for cit in cits:
        if cit.kind == "according_to":
            continue
        rep = _INLINE_REPEAT.match(cit.label) if cit.kind == "label" else None
        sup = _SUPRA.match(cit.label) if cit.kind == "label" and not rep else None
        base: Citation | None = None
        if rep and earlier:
            base = earlier[-1]
        elif sup:
            who = sup.group("who")
            want = set(re.findall(r"[a-z0-9]{2,}", who.lower())) - _REPEAT_STOP
            names = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z0-9]+", who)} & want or want
            i = _last_with(want, index, words)  # all of X's words
            if i is None:
                i = _last_with(names, index, words)
                # "Voss report": a citation with "Voss" but no "report" is it only when
                # no other one has "report" (that one may be what is meant)
                if i is not None and all(w in index for w in want - words[i]):
                    i = None
            if i is not None:
                base = earlier[i]
            if base is None:
                cit.label = sup.group("who").strip(" ,")
        if base is not None:
            cit.label, cit.reference = base.label, base.reference
            if cit.kind != base.kind and base.kind in ("numeric", "footnote"):
                cit.label = base.reference or base.label
                cit.reference = None
            cit.resolvability = grade(cit)
        if not rep and not sup:
            have = set(re.findall(r"[a-z0-9]{2,}", _what(cit).lower()))
            for w in have:
                index.setdefault(w, []).append(len(earlier))
            earlier.append(cit)
            words.append(have)


def _last_with(need: set[str], index: dict[str, list[int]], words: list[set[str]]
               ) -> int | None:
    """The last earlier citation whose words include ``need``, looked for among those
    holding its rarest word only."""
    posts = [index.get(w, []) for w in need]
    if not posts or not all(posts):
        return None
    return next((i for i in reversed(min(posts, key=len)) if need <= words[i]), None)


_REPEAT_STOP = frozenset("the a an of and for in on at to".split())


def _what(cit: Citation) -> str:
    """What a citation names, in words: its label and its entry or URL."""
    return " ".join(x for x in (cit.label, cit.reference) if x)


def _superscript_labels(body: str, defined: set[str]) -> tuple[str, ...]:
    """"12" stays footnote 12 unless only 1 and 2 are defined; "1-3" is 1, 2, 3."""
    if "-" in body:
        return _numeric_labels(body)
    if len(body) > 1 and body not in defined and all(d in defined for d in body):
        return tuple(body)
    return (body,)


def _bare_marker(text: str, p: Paragraph, taken: Taken) -> _Marker | None:
    """A "Source: X" ending paragraph ``p`` after a sentence end, if any."""
    para = text[p.start:p.end]
    for kw in _BARE.finditer(para):
        before = para[:kw.start()].rstrip()
        line_start = para.rfind("\n", 0, kw.start()) + 1
        own_line = not para[line_start:kw.start()].strip(" \t-*_•>") and kw.group()[0].isupper()
        # "- Source: X" or "*Source: X*" on a line of its own closes the point above it
        if before and before[-1] not in _SENT_END + "\"'”’)]" and not own_line:
            continue
        start = p.start + (line_start if own_line else kw.start())  # with its bullet
        if not taken.free(start, p.end):
            return None  # "(Source: X)": already a parenthesised marker
        raw = para[kw.end():]
        if own_line:
            raw = raw.rstrip().rstrip("*_").lstrip("*_")  # "*Source:* X", "_Source: X_"
        body = raw.strip().rstrip(".").rstrip()
        if not body or len(body) > _BARE_MAX_LABEL:
            return None
        # the marker text ends with the label; a final full stop stays outside
        end = p.start + kw.end() + (len(raw) - len(raw.lstrip())) + len(body)
        labels = _split_labels(body)
        return _Marker(start, end, "label", labels) if labels else None
    return None


# "X ballot notice and Y statement", "X, 3 May 2025 and Y, 9 May 2025": " and " after a
# kind of document or a date ends one source's name ("Department of Roads and Coastal
# Works" stays one)
_AND_SPLIT = re.compile(r"(?<=\w)\s+(?:and|&)\s+(?=[A-Z\d])")


def _split_labels(body: str) -> tuple[str, ...]:
    """"A; B" names two sources; commas stay inside one label ("Smith, 2020"); " and "
    splits where the words before it end with a kind of document or a year."""
    out: list[str] = []
    for part in body.split(";"):
        start = 0
        for m in _AND_SPLIT.finditer(part):
            before = part[start:m.start()]
            last = re.findall(r"[\w'’]+", before)[-1:]
            if last and (last[0].lower() in _DOC_WORDS or re.fullmatch(_YEAR, last[0])) \
                    and len(before.split()) >= 2:
                out.append(before)
                start = m.end()
        out.append(part[start:])
    return tuple(p.strip() for p in out if p.strip())


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


class _Sorted:
    """Markers sorted by start, with what :func:`_scope` asks of them answered by bisection:
    the markers starting in a stretch, the furthest end of those before it. Scoping a
    marker then costs the markers near it, not all of them (4,000 markers took seconds)."""

    def __init__(self, markers: list[_Marker], text: str) -> None:
        self.items = markers
        self.starts = [m.start for m in markers]
        self.reach: list[int] = []  # furthest end of markers[0..j]
        far = -1
        for m in markers:
            far = max(far, m.end)
            self.reach.append(far)
        # the first marker of the run each marker is in ("[1][2][3]" with only
        # punctuation between): one pass, so a run of n markers is not walked n times
        self.run_first: list[int] = []
        for i, m in enumerate(markers):
            gap = text[markers[i - 1].end:m.start] if i else "\n"
            self.run_first.append(self.run_first[-1] if "\n" not in gap and _only_punct(gap)
                                  else i)
        # the markers' union as disjoint stretches, and how many gaps between them hold
        # words so far: "only punctuation and markers from a to b" is then two bisections
        # and two partial gaps, not a walk over every marker between a and b
        self.u_starts: list[int] = []
        self.u_ends: list[int] = []
        for m in markers:
            if self.u_ends and m.start <= self.u_ends[-1]:
                self.u_ends[-1] = max(self.u_ends[-1], m.end)
            else:
                self.u_starts.append(m.start)
                self.u_ends.append(m.end)
        self.worded = [0]
        for a, b in zip(self.u_ends, self.u_starts[1:], strict=False):
            self.worded.append(self.worded[-1] + (not _only_punct(text[a:b])))

    def first_from(self, pos: int) -> int:
        """Index of the first marker starting at or after ``pos``."""
        return bisect_left(self.starts, pos)

    def reach_before(self, j: int) -> int:
        """The furthest end of the markers before index ``j`` (-1 when none)."""
        return self.reach[j - 1] if j > 0 else -1


class _Spans:
    """Sorted, non-overlapping paragraphs or sentences, looked up by bisection."""

    def __init__(self, items: Sequence[Paragraph] | Sequence[Sentence]) -> None:
        self.items = list(items)
        self.starts = [x.start for x in self.items]
        # bisection needs spans that do not overlap; else (an odd parse) a scan, as before
        apart = all(a.end <= b.start for a, b in pairwise(self.items))
        self.ends = [x.end for x in self.items] if apart else None

    def containing(self, pos: int) -> int | None:
        """Index of the span holding ``pos``."""
        if self.ends is None:  # overlapping spans (an odd parse): the first that holds it
            return next((j for j, x in enumerate(self.items) if x.start <= pos < x.end), None)
        j = bisect_right(self.starts, pos) - 1
        return j if j >= 0 and pos < self.items[j].end else None

    def last_ending_by(self, pos: int) -> int | None:
        """Index of the last span that ends at or before ``pos``."""
        if self.ends is not None:
            j = bisect_right(self.ends, pos) - 1
            return j if j >= 0 else None
        return max((j for j, x in enumerate(self.items) if x.end <= pos), default=None)


def _is_filler(text: str, start: int, end: int, markers: _Sorted) -> bool:
    """True when text[start:end] is only whitespace, punctuation and markers."""
    if start >= end:
        return True
    us, ue = markers.u_starts, markers.u_ends
    t = bisect_right(ue, start)  # the first stretch of markers ending after ``start``
    if t == len(us):
        return _only_punct(text[start:end])
    if us[t] > start and not _only_punct(text[start:min(us[t], end)]):
        return False
    if us[t] >= end:
        return True
    t1 = bisect_left(us, end) - 1  # the last stretch starting before ``end``
    if markers.worded[t1] != markers.worded[t]:
        return False
    return ue[t1] >= end or _only_punct(text[ue[t1]:end])


def _only_punct(s: str) -> bool:
    return all(c.isspace() or unicodedata.category(c).startswith("P") for c in s)


def _scope(text: str, m: _Marker, i: int, markers: _Sorted,
           paras: _Spans, sents: _Spans) -> tuple[int, int]:
    """The paragraph or sentence(s) that marker ``m`` closes, without markers."""
    # A run of markers ("... end. [1] [2]") shares one scope ending before the run.
    items = markers.items
    run_start = items[markers.run_first[i]].start

    pi = paras.containing(m.start)
    para = paras.items[pi] if pi is not None else Paragraph(start=0, end=len(text))
    if _is_filler(text, m.end, para.end, markers):
        start = _after_previous(text, para.start, run_start, markers, sents, in_sentence=False)
        start = _skip_markers(text, start, run_start, markers)
        end = _rstrip(text, start, run_start)
        if end > start:
            return (start, end)
        # the marker stands alone on its line: it closes the paragraph above
        pj = paras.last_ending_by(para.start)
        if pj is None:
            return (m.start, m.start)
        prev = paras.items[pj]
        end = prev.end
        lo, hi = markers.first_from(prev.start), markers.first_from(end)
        for other in reversed(items[lo:hi]):
            if prev.start <= other.start < end and _only_punct(text[other.end:end]):
                end = other.start
        return (prev.start, _rstrip(text, prev.start, end))

    k = sents.containing(m.start)
    if k is None:  # between sentences: take the one before
        k = sents.last_ending_by(m.start)
        if k is None:
            return (run_start, run_start)
        sent = sents.items[k]
        return (sent.start, min(sent.end, _rstrip(text, sent.start, run_start)))
    sent = sents.items[k]
    start = sent.start
    if _is_filler(text, sent.start, run_start, markers) and _in_prose(text, m):
        # "[A study of 9,412 admissions](url) found that ...": the link's words open
        # the sentence it vouches for, the rest of that sentence
        after = m.end
        while after < sent.end and (text[after].isspace() or text[after] in ",;:"):
            after += 1
        return (after, _rstrip(text, after, sent.end)) if after < sent.end else (m.end, m.end)
    if _in_prose(text, m) and not _is_filler(text, m.end, sent.end, markers):
        # "The [rate statement](url) kept rates on hold.": a link inside its sentence
        # vouches for the whole sentence, not the words before it
        start = _after_previous(text, sent.start, run_start, markers, sents, in_sentence=True)
        start = _skip_markers(text, start, run_start, markers)
        return (start, _rstrip(text, start, sent.end))
    if _is_filler(text, sent.start, run_start, markers) and k > 0:
        start = sents.items[k - 1].start  # the marker opens its "sentence": it closes the last one
    start = _after_previous(text, start, run_start, markers, sents, in_sentence=True)
    start = _skip_markers(text, start, run_start, markers)
    if start >= run_start:
        return (run_start, run_start)
    return (start, _rstrip(text, start, run_start))


def _in_prose(text: str, m: _Marker) -> bool:
    """A markdown link whose words are part of the sentence, not one in parentheses
    ("([Courier](url))") that only names where a claim comes from."""
    if m.kind != "link":
        return False
    return not (text[:m.start].rstrip().endswith("(") and text[m.end:].lstrip().startswith(")"))


_CLOSED_BEFORE = re.compile(r"[.!?][\"'”’)\]]*$")
_CLOSED_AFTER = re.compile(r"[\"'”’)\]]*[.!?][\"'”’)\]]*(?:\s|$)")


def _after_previous(text: str, start: int, limit: int, markers: _Sorted,
                    sents: _Spans, in_sentence: bool) -> int:
    """``start`` moved past the last earlier marker before ``limit``: text another
    marker vouches for is not this one's scope.

    A marker that closes a sentence ("... in 2027.¹ The judge ...", which a
    parse may not split) ends the stretch before it. One inside its sentence
    ("prices rose [1] and wages fell [2]") ends only its sentence: a marker closing
    the paragraph starts after that sentence, one in the same sentence keeps it.
    """
    last = _last_before(start, limit, markers)
    if last is None:
        return start
    if _closed_before(text, start, last.start) or _CLOSED_AFTER.match(text, last.end):
        end = last.end  # and past what closes it: "([link](url)). Next"
        while end < limit and (text[end].isspace() or text[end] in ")]}.,;:!?”’"):
            end += 1
        return end
    if in_sentence:
        return start
    k = sents.containing(last.start)
    if k is not None and sents.items[k].end < limit:
        return sents.items[k].end
    return start


def _last_before(start: int, limit: int, markers: _Sorted) -> _Marker | None:
    """The first of the markers starting in [start, limit) and ending by ``limit`` whose
    end is furthest. Walked back from ``limit``, stopping once no earlier marker reaches
    as far: one step for markers that do not overlap, so a paragraph of n markers
    costs n, not n squared."""
    lo, j = markers.first_from(start), markers.first_from(limit)
    items = markers.items
    last: _Marker | None = None
    while j > lo:
        j -= 1
        o = items[j]
        if o.end <= limit and (last is None or o.end >= last.end):
            last = o
        if last is not None and markers.reach_before(j) < last.end:
            break
    return last


def _closed_before(text: str, start: int, end: int) -> bool:
    """``_CLOSED_BEFORE`` on text[start:end].rstrip(), read backwards from ``end`` so that
    the text before is not copied and searched again for every marker."""
    j = end
    while j > start and text[j - 1].isspace():
        j -= 1
    while j > start and text[j - 1] in _CLOSERS:
        j -= 1
    return j > start and text[j - 1] in ".!?"


_CLOSERS = frozenset("\"'”’)]")


def _skip_markers(text: str, start: int, limit: int, markers: _Sorted) -> int:
    """Move ``start`` past markers (and whitespace) that open the scope."""
    moved = True
    while moved:
        moved = False
        while start < limit and text[start].isspace():
            start += 1
        j = markers.first_from(start)
        while j < len(markers.items) and markers.starts[j] == start:
            if markers.items[j].end <= limit:
                start, moved = markers.items[j].end, True
                break
            j += 1
    return start


def _rstrip(text: str, start: int, end: int) -> int:
    """``end`` moved left past trailing whitespace, not before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def credit_of(label: str) -> str:
    """What a credit names: ``label`` without its lead-in ("via", "see", "h/t") and its
    pinpoint ("..., para. 4"); for markers found outside this module (the audit's)."""
    return _credit(label)


def entry_of(line: str) -> tuple[str, str] | None:
    """A numbered reference entry's number and text ("[3] X", "3. X", "(3) X"), if ``line``
    is one; for lists found outside this module (the audit's)."""
    m = _ENTRY.match(line)
    if not m:
        return None
    return m.group("a") or m.group("b") or m.group("c"), _BACKLINK.sub("", m.group("body"))


# --- house style induced by repetition --------------------------------------------------
# A report writes its citations in one or two repeated shapes; a style no pattern above
# knows is found by that repetition: every bracketed span that closes a clause (or follows
# a sentence's end) is abstracted to its shape, its wrapper and the run of word classes,
# digits and separators inside ("[A-3]" -> "[C-d]", "{src 4}" -> "{l d}", "<< Kelby Post,
# note, 3.5.25 >>" -> "<<C, l, d.d.d>>"), and a shape closing several sentences of one text, where
# its spans do not read as prose, is the text's marker style.
# both calibrated leave-one-set-out on the tune sets, prose false markers counted on news
# (docs/sourcing.md)
_INDUCE_MIN = 2  # spans of one shape a text needs before the shape is its style
_INDUCE_PROSE = 0.8  # share of a shape's spans that may read as prose
_INDUCE_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"), ("⟨", "⟩"), ("«", "»"),
                 ("【", "】"), ("〔", "〕"), ("‹", "›"))
# one pattern per bracket pair, its body free of that pair and of line breaks and at most
# 120 characters; a doubled wrapper ("<< X >>", "{{X}}") is one. Bounded repeats: linear.
_INDUCE_SPANS = [re.compile(rf"(?<!{re.escape(o)}){re.escape(o)}{{1,2}}"
                            rf"(?P<body>[^{re.escape(o + c)}\n]{{1,120}}){re.escape(c)}{{1,2}}")
                 for o, c in _INDUCE_PAIRS]
_INDUCE_AFTER = re.compile(r"[ \t]*(?:[.;:,!?]|$)", re.MULTILINE)  # the span closes a clause
_INDUCE_BEFORE = re.compile(r"[.!?][\"'”’]?[ \t]*$")  # ... or stands after a sentence's end
_SHAPE_TOKEN = re.compile(r"(?P<d>\d+)|(?P<w>[^\W\d_]+(?:['’][^\W\d_]+)?)|(?P<s>\s+)|(?P<p>.)")
# an editor's or transcriber's mark ("[sic]", "[Laughter]"), whatever its case
_EDITOR_MARK = frozenset("sic laughter applause inaudible crosstalk emphasis original added "
                         "translated".split())
# words that open a bracketed aside rather than a marker ("(in 2019)", "(see above)",
# "(about 40 km)", "[sic]", "[laughter]"), in lower case: the first-word test of prose
_PROSE_OPEN = frozenset("""a an the in on at of for to from with by as about around over under
see also and or but not now then which who where when while after before since until during
including excluding e g i ie eg cf approximately roughly nearly almost up down some many
more less than its their his her our my your this that these those it he she they we
""".split()) | _EDITOR_MARK


_INDUCE_CLOSERS = frozenset(c for _o, c in _INDUCE_PAIRS)  # "[title][2]": a link's id
# parentheses that hold no marker whatever repeats them: a figure or an aside's opening
# word ("(61 per cent)", "(about 40 km)"), one run of capitalised words ("(Ill.)", "(EU)",
# "(Defendant)": a tag or an acronym), a bare pinpoint ("(pp. 1-4)")
# (the run's words are split at white space only: one way to read it, so linear)
_PAREN_ASIDE = re.compile(rf"(?i:{_NOT_CITE_OPEN.pattern})"
                          r"|[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*\s*$"
                          r"|(?:pp?|paras?|¶¶?|§§?|at|fn|nn?)\.?\s*\d[\d\s,–-]*$")
_TAG = re.compile(r"[/!?]|[a-z][a-z\d]*(?:\s+[\w:-]+=|\s*/?$)")  # "</p>", "<a href=...>"
# a pointer to a part of the text itself, not to a source: "(Table 2)", "[Figure 1a]",
# "(Fig. 3)", "(Chart 4)"; a bounded word and number, so linear
_SELF_PART = re.compile(r"(?i:table|fig(?:ure)?|chart|graph|map|box|panel)s?\.?\s*"
                        r"[\dA-Z][\w.]{0,6}\s*$")


def _shape(opener: str, body: str, closer: str) -> str:
    """A span's shape: its wrapper, then each run of digits as "d", each word as "C"
    (capital) or "l" (lower case), a run of capitalised words as one (a name or title of
    any length), separators kept; a full stop closing the body is the credit's own
    ("[Gazette.]" is "[Gazette]"). Lower-case words each count: a sentence in brackets
    has a shape of its own length, a marker's few fixed words repeat."""
    out: list[str] = []
    for t in _SHAPE_TOKEN.finditer(body.strip().rstrip(".").rstrip()):
        if t.group("d"):
            out.append("d")
        elif t.group("w"):
            cls = "l" if t.group("w")[0].islower() else "C"
            if cls == "C" and len(out) >= 2 and out[-1] == " " and out[-2] == cls:
                out.pop()  # "Final Notice" is one run of capitalised words
                continue
            out.append(cls)
        elif t.group("s"):
            out.append(" ")
        else:
            out.append(t.group("p"))
    return opener + "".join(out) + closer


def _reads_as_prose(body: str, share: float) -> bool:
    """Whether a bracketed span says something rather than marks a source: it opens
    with a function word ("(in 2019)", "(see above)", "(about 40 km)"), is an aside of a
    known kind (a party tag, a ticker, a picture credit), or more than ``share`` of its
    words are lower-case words of three letters or more."""
    words = re.findall(r"[^\W\d_]+", body)
    if not words:
        return False  # "{3}", "<12-4>": a token, no words
    if _ASIDE.match(body.strip()) or (words[0].islower() and words[0] in _PROSE_OPEN) or (
            words[0].lower() in _EDITOR_MARK):  # "[Laughter]", "[Inaudible]" in transcripts
        return True
    plain = [w for w in words if w.islower() and len(w) > 2]
    return len(plain) > share * (len(words) + len(re.findall(r"\d+", body)))


def induced_spans(text: str, limit: int | None = None, *, least: int = _INDUCE_MIN,
                  prose: float = _INDUCE_PROSE) -> list[tuple[int, int, str]]:
    """Bracketed spans in the shapes a text repeats at its clause ends, as (start, end,
    body): each shape that closes at least ``least`` clauses of the body (before
    ``limit``), of which at most ``prose`` read as prose, is the text's marker style, and
    its spans that do not read as prose are markers. A span alone on its line is left to
    the audit (a source line over an item); a figure in parentheses ("(2019)", "(40%)")
    is no marker whatever repeats it."""
    limit = len(text) if limit is None else limit
    # an editor's insertion in a quotation ("misled [Parliament].\"") is the speaker's
    # words, not a marker: spans inside a closed quotation (not the «» span itself) are
    # skipped; an unclosed one (a block quote, a mistyped mark) proves nothing
    quoted = quotations(text, paragraphs_of(text))
    q_starts = [s for s, _e in quoted]
    groups: dict[str, list[tuple[int, int, str, bool]]] = {}
    for (opener, _closer), rx in zip(_INDUCE_PAIRS, _INDUCE_SPANS, strict=True):
        for m in rx.finditer(text, 0, limit):
            body = m.group("body")
            if not body.strip() or text[m.start() - 1:m.start()] in _INDUCE_CLOSERS or (
                    opener == "(" and _PAREN_ASIDE.match(body.strip())) or (
                    opener == "<" and _TAG.match(body)) or _SELF_PART.match(body.strip()):
                continue
            line_start = text.rfind("\n", max(0, m.start() - 200), m.start()) + 1
            head = text[max(line_start, m.start() - 80):m.start()]
            if not re.search(r"[^\W\d_]{2}", head):
                continue  # alone on its line, or a list's label
            if not (_INDUCE_AFTER.match(text, m.end()) or _INDUCE_BEFORE.search(head)):
                continue
            if _only_date(body):
                continue  # "(Tuesday, 14 October 2031)": when, not from where
            q = bisect_left(q_starts, m.start()) - 1
            if q >= 0 and m.end() < quoted[q][1] and text[quoted[q][1] - 1] in "\"”»'":
                continue  # inside a quotation that opens before it and closes after it
            wrap_o = m.group()[:m.start("body") - m.start()]
            wrap_c = m.group()[m.end("body") - m.start():]
            key = _shape(wrap_o, body, wrap_c)
            groups.setdefault(key, []).append(
                (m.start(), m.end(), body, _reads_as_prose(body, prose)))
    out: list[tuple[int, int, str]] = []
    styled: set[str] = set()  # the wrappers of the text's styles
    styles: set[str] = set()
    for key, spans in groups.items():
        marks = [(s, e, b) for s, e, b, p in spans if not p]
        if len(marks) >= least and len(spans) - len(marks) <= prose * len(spans):
            out += marks
            styled.add(key[0] + key[-1])
            styles.add(key)
    for key, spans in groups.items():
        if key[0] + key[-1] in styled and key[0] != "(" and key not in styles:
            # a short note in the style's wrapper, of another shape ("[pilot chat]" among
            # "[Mole notice]", "[Echo report]"): a generic credit; parentheses excepted
            out += [(s, e, b) for s, e, b, p in spans if not p or _short_note(b)]
    return sorted(out)


def _only_date(body: str) -> bool:
    """Whether a bracketed span holds only a date or a weekday (and figures)."""
    words = re.findall(r"[^\W\d_]+", _DATE.sub(" ", body))
    return bool(re.findall(r"[^\W\d_]+", body)) and all(
        _WEEKDAY_OR_MONTH.match(w) for w in words)


def _short_note(body: str) -> bool:
    """Whether a span reads as a short note ("pilot chat", "desk note"): two to four
    words, the first no function word nor an editor's mark ("[sic]", "[laughter]"); one
    lower-case word is a gloss or a euphemism ("[miracle]", "[expletive]")."""
    words = re.findall(r"[^\W\d_]+", body)
    return 1 < len(words) <= 4 and words[0].lower() not in _PROSE_OPEN
