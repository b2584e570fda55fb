"""Citation audit: does each cited claim hold up against the documents it cites?

``whosaid audit REPORT --sources DIR`` runs :func:`audit`. The report is
analysed like any text (citations with their scope and a resolvability grade,
attributions with speakers). Then:

1. every source's metadata is read as people write it (title, publisher or
   author, date, URLs, document type, case names; an HTML page's own
   metadata), see :mod:`whosaid.audit_sources`;
2. each citation is scored against every source on all those fields and
   linked to the best one above a calibrated threshold; a citation whose
   publisher matches but whose date or type does not is a *near miss*, said in
   words; an unlinked citation whose claims all match one source closely gets
   that source as an *inferred* suggestion (never as a link);
3. each citation's claims (the sentences it vouches for) are aligned with the
   best sentence of the linked source (or that sentence and its neighbour),
   by content-word coverage, BM25 and MiniLM cosine;
4. each claim is checked against that evidence (:mod:`whosaid.audit_checks`):
   is it there at all, said by the same person, with the same numbers and
   dates, and not the opposite?

Flags, per claim (a claim with none is supported):

* ``unresolvable_citation`` - a generic label ("official figures") that
  matches none of the sources, so nobody could check it;
* ``source_not_provided`` - a specific citation (or a near miss) that matches
  none of the sources;
* ``claim_not_found`` - the best-aligned source sentence does not say it;
* ``speaker_mismatch`` - the report gives the words to someone other than
  the person the source gives them to (whosaid's own extraction on both);
* ``unsupported_detail`` - a number, scale, date, month or name of the claim
  is not in the evidence;
* ``negation_flip`` - the claim negates or reverses what the evidence asserts.

No database or web imports: the CLI (``cli_audit``) and the web UI call this.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from whosaid.assess import profile_summary, stance_of
from whosaid.audit_checks import (
    VERB_FORMS,
    about_itself,
    content_tokens,
    coverage,
    detail_mismatches,
    figures,
    judged_in_place,
    lemma_key,
    list_heading,
    missing_names,
    names_a_claim,
    negated,
    normalise,
    numbers,
    polarity_flip,
    quantities,
    refusal,
    rejecting_open,
    stem,
    verdict_reply,
    wholly_quoted,
)
from whosaid.audit_sources import (
    DOC_TYPES,
    HTML_SUFFIXES,
    LINK_THRESHOLD,
    ORG_HEADS,
    SOURCE_SUFFIXES,
    STAMP,
    SourceDoc,
    _cited_words,
    _idf,
    _source_words,
    citation_fields,
    describe,
    find_urls,
    fold,
    link,
    load_sources,
    looks_like_html,
    month_first_convention,
    near_miss_note,
    norm_url,
    parse_html,
    score_source,
    source_from_text,
    stated_conflict,
)
from whosaid.audit_sources import words as key_words
from whosaid.extract import lexicon
from whosaid.extract.citations import (
    credit_of,
    entry_of,
    find_citations,
    grade,
    reference_list,
    regex_sentences,
)
from whosaid.model import Attribution, Citation, Document, Resolvability, SpeakerKind, Stance
from whosaid.names import first_name_gender

__all__ = ["FLAGS", "SOURCE_SUFFIXES", "SourceDoc", "audit", "load_sources", "negated",
           "numbers", "report_text", "source_from_text", "to_html"]

FLAGS = ("unresolvable_citation", "source_not_provided", "claim_not_found",
         "speaker_mismatch", "unsupported_detail", "negation_flip")
FOUND_SUM = 0.784  # found score (below) at or above which the evidence says the claim
FIGURE_WEIGHT = 0.3  # found score a claim gains per share of its figures the evidence gives
NOVEL_WEIGHT = 0.5  # found score it loses per share of its words the whole source never uses
FOUND_COVERAGE = 0.6  # coverage alone, when the semantic extra is not installed
FLIP_FOUND = 0.48  # found score from which evidence that contradicts the claim counts
PAIR_GAIN = 0.12  # coverage a neighbouring sentence must add to join the evidence
INFER_COVERAGE = 0.75  # mean coverage at which an unlinked citation's source is suggested
DETAIL_SUM = 1.06  # coverage + cosine below which a claim whose figure differs is not found
DETAIL_COVERAGE = 0.5  # the same, on coverage alone, without MiniLM
SPEAKER_BONUS = 0.15  # fused score a sentence of the claim's own speaker gains
SPEAKER_POOL = 8  # best candidates looked at for it (and for the figures)
NUMBER_BONUS = 0.08  # fused score a sentence giving all of the claim's figures gains
CACHE_SIZE = 256  # analysed sources and sentence vectors kept between audits (by text hash)
WORDS = {
    "unresolvable_citation": "the citation does not say which document it means",
    "source_not_provided": "the cited document is not among the sources",
    "claim_not_found": "the source does not say this",
    "speaker_mismatch": "the source gives these words to someone else",
    "unsupported_detail": "the source gives a different number or detail",
    "negation_flip": "the source says the opposite",
}
_CACHE: OrderedDict[str, Any] = OrderedDict()
# a markdown link, inline "[words](url)" or reference-style "[words][2]": its words are
# part of the sentence, only the address is a marker
_MD_LINK = re.compile(r"\[(?P<t>[^\]\n]+)\](?:\((?P<u>[^)\s]+)\)|\[[^\]\n]{0,40}\])")
# a wire dateline opening a claim: "KELBY, May 2 (Portwire) - ", "BRYNJA TOLL - "
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?"
                       r"(?:\s*\([^()\n]{2,40}\))?\s*[-–—]+\s+(?=[A-Z])")


def undateline(text: str) -> str:
    """The claim without a wire dateline (its date is the report's, not the claim's)."""
    return _DATELINE.sub("", text)


def report_text(raw: str, filename: str = "") -> str:
    """The text of a report to audit. An HTML report (by its file name, or by its
    markup when there is no name) becomes its visible text with every link kept as
    "[text](url)": its inline links are its citations, and a main-text extractor
    (trafilatura, used when a page is analysed) drops them."""
    suffix = filename[filename.rfind("."):].lower() if "." in filename else ""
    if suffix in HTML_SUFFIXES or (not suffix and looks_like_html(raw)):
        return parse_html(raw)[0]
    return raw


def _cached(key: str, make: Any) -> Any:
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    value = make()
    _CACHE[key] = value
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --- claims -----------------------------------------------------------------------


def masked(text: str, citations: Sequence[Citation]) -> str:
    """The report with every citation marker blanked out (same length, same offsets);
    a markdown link keeps its words: "[the report](https://...)" -> " the report  ..."."""
    chars = list(text)
    for cit in citations:
        s, e = cit.start, cit.end
        m = _MD_LINK.fullmatch(text[s:e])
        # a link that is the whole of a parenthesis "([Courier](url))" is a citation,
        # not part of the sentence; one in running text keeps its words
        alone = text[:s].rstrip().endswith("(") and text[e:].lstrip().startswith(")")
        if m and not alone:
            keep = range(s + m.start("t"), s + m.end("t"))
            for i in range(s, e):
                if i not in keep:
                    chars[i] = " "
            continue
        for i in range(s, e):
            chars[i] = " "
    out = "".join(chars)
    # "(see )" and "()" left behind by a blanked URL
    return re.sub(r"\((?:\s*(?:see|via|source|sources|at)\s*:?)?\s*\)",
                  lambda m: " " * len(m.group()), out, flags=re.I)


def clean(text: str) -> str:
    """A claim as a reader says it: markers gone, spaces collapsed."""
    t = re.sub(r"\s+", " ", text).strip()
    t = re.sub(r"\s+([.,;:!?])", r"\1", t)
    t = re.sub(r"[,;:]+([.!?])", r"\1", t)  # "deep, according to X." -> "deep."
    return re.sub(r"[,;:]+$", "", t)


def claim_spans(report: Document) -> list[list[tuple[int, int]]]:
    """Per citation, the sentences it vouches for.

    A marker vouches for the sentence it stands in or right after, and for the
    sentences before it in its scope that have no marker of their own (a
    marker ending a paragraph covers the paragraph's unmarked sentences).
    """
    text = report.text
    blank = masked(text, report.citations)
    # the report's own lines are not joined as hard-wrapped text: a claim line ending in a
    # (masked) marker and no full stop is a sentence of its own
    sents = [(s.start, s.end) for s in regex_sentences(blank, join_wrapped=False)
             if len(re.findall(r"\w+", blank[s.start:s.end])) >= 3]
    owner: dict[int, list[int]] = {}
    own_sentence: list[int | None] = []
    # the sentences are sorted and apart: each marker finds its own by bisection, so
    # thousands of markers cost no more than a scan each of the sentences near them
    starts = [s for s, _e in sents]
    ends = [e for _s, e in sents]
    for ci, cit in enumerate(report.citations):
        # "[An earlier report](url) said ...": the link's kept words open the sentence,
        # one character after the marker's "["
        k = None
        i = bisect.bisect_right(starts, cit.start)
        while i < len(sents) and sents[i][0] < cit.end:
            if not blank[cit.start:sents[i][0]].strip():
                k = i
                break
            i += 1
        j = bisect.bisect_right(starts, cit.start) - 1
        if k is None and j >= 0:
            s, e = sents[j]
            nxt = sents[j + 1][0] if j + 1 < len(sents) else len(text)
            # the sentence it stands in, or the one it follows across blanks (or 2 chars)
            if s <= cit.start < e or (e <= cit.start < nxt and (
                    not blank[e:cit.start].strip() or cit.start - e < 3)):
                k = j
        if k is None:  # a marker on its own: the last sentence that ends before it
            last = bisect.bisect_right(ends, cit.start) - 1
            k = last if last >= 0 else None
            if k is not None and not (cit.scope[0] <= sents[k][0] < cit.scope[1] + 1
                                      or sents[k][1] >= cit.scope[0]):
                k = None
        own_sentence.append(k)
        if k is not None:
            owner.setdefault(k, []).append(ci)
    out: list[list[tuple[int, int]]] = []
    over: list[tuple[int, int, int]] = []  # source lines over text: (index, first, last)
    for ci, cit in enumerate(report.citations):
        lo, hi = cit.scope
        if lo > cit.end and "\n" in text[cit.end:lo] and not text[cit.end:lo].strip():
            # a source line over the text it vouches for: the sentences under it, once
            # the markers of their own have taken theirs (below)
            first = bisect.bisect_left(starts, lo)
            over.append((ci, first, max(first, bisect.bisect_right(ends, hi))))
            out.append([])
            continue
        k = own_sentence[ci]
        if k is None:
            out.append([])
            continue
        spans = [sents[k]]
        j = k - 1
        while j >= 0 and j not in owner and sents[j][0] >= cit.scope[0] \
                and "\n\n" not in text[sents[j][1]:sents[j + 1][0]]:
            spans.insert(0, sents[j])
            j -= 1
        out.append(spans)
    # an item under a source line that carries a citation of its own is that citation's:
    # checked against the source line's document it would get that document's verdicts
    # (a generic one, "according to the report", points back at the source line's document)
    claimed = {span for cit, spans in zip(report.citations, out, strict=True)
               if cit.resolvability is not Resolvability.GENERIC for span in spans}
    for ci, first, last in over:
        out[ci] = [sp for sp in sents[first:last] if sp not in claimed]
    return out


# --- sources: sentences, vectors, speakers -------------------------------------------


def _encode(texts: list[str]) -> Any:
    try:
        from whosaid.search import SemanticUnavailable, encode
    except ImportError:  # pragma: no cover - numpy is a core dependency
        return None
    try:
        return encode(texts)
    except SemanticUnavailable:
        return None


@functools.cache
def _semantic() -> bool:
    """Whether MiniLM is available (one probe per process)."""
    return _encode(["probe"]) is not None


def _index(src: SourceDoc, vectors: bool = True) -> dict[str, Any]:
    """Sentences of a source (headings left out), their tokens and vectors; cached."""
    def make() -> dict[str, Any]:
        heading = {fold(h).strip() for h in src.meta.heading}
        spans = []
        for s in regex_sentences(src.text):
            t = src.text[s.start:s.end]
            line = fold(t).strip("#*_ ").replace("**", "")
            if line in heading and len(re.findall(r"\w+", t)) < 15:
                continue
            if len(re.findall(r"[A-Za-z]\w*", t)) < 3:
                continue
            spans.append((s.start, s.end))
        texts = [src.text[s:e] for s, e in spans]
        toks = [set(content_tokens(t)) for t in texts]
        return {"spans": spans, "texts": texts, "tokens": toks, "vectors": None}
    if "index" not in src.cache:
        src.cache["index"] = _cached("index:" + _hash(src.text), make)
    return src.cache["index"]


def _prepare(sources: Sequence[SourceDoc]) -> None:
    """Index the sources and embed all their sentences in one batch (MiniLM calls are
    costly one by one)."""
    todo = [s for s in sources if _index(s)["vectors"] is None and _index(s)["texts"]]
    texts = [t for s in todo for t in _index(s)["texts"]]
    if not texts:
        return
    vecs = _encode(texts)
    if vecs is None:
        return
    k = 0
    for s in todo:
        n = len(_index(s)["texts"])
        _index(s)["vectors"] = vecs[k:k + n]
        k += n


def _analyse_sources(sources: Sequence[SourceDoc]) -> None:
    """whosaid's own extraction on the sources that need it (cached by text)."""
    from whosaid.pipeline import extract_many

    todo = []
    for src in sources:
        if src.analysed is None:
            hit = _CACHE.get("doc:" + _hash(src.text))
            if hit is not None:
                src.analysed = hit
            else:
                todo.append(src)
    if todo:
        for src, doc in zip(todo, extract_many((s.id, s.text, {}) for s in todo), strict=True):
            src.analysed = _cached("doc:" + _hash(src.text), lambda d=doc: d)


def best_evidence(claim: str, src: SourceDoc, qvec: Any = None,
                  speaker: set[str] | None = None) -> dict[str, Any] | None:
    """The source sentence (or sentence and neighbour) that best matches ``claim``;
    ``qvec`` is the claim's MiniLM vector when the caller has it. ``speaker``: the
    claim's speaker's name words; a sentence is not evidence for mentioning them (the
    speaker check says who), but among close candidates their own words win."""
    ix = _index(src)
    if not ix["spans"]:
        return None
    names = (speaker or set()) - TITLE_WORDS
    drop = set(content_tokens(" ".join(names)))
    q = [t for t in content_tokens(claim) if t not in drop] or content_tokens(claim)
    n = len(ix["spans"])
    if "idf" not in ix:  # once per source text: claims by content look it up thousands of times
        df = Counter(t for toks in ix["tokens"] for t in toks)
        ix["idf"] = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    idf = ix["idf"]
    bm = [sum(idf.get(t, 0.0) for t in set(q) if t in toks) for toks in ix["tokens"]]
    top = max(bm) or 1.0
    cov = [coverage(q, toks) for toks in ix["tokens"]]
    if qvec is None and ix["vectors"] is not None:
        enc = _encode([claim])
        qvec = enc[0] if enc is not None else None
    cos = ([float(qvec @ v) for v in ix["vectors"]]
           if qvec is not None and ix["vectors"] is not None else None)
    fused = [0.45 * cov[i] + 0.2 * bm[i] / top + (0.35 * cos[i] if cos else 0.0)
             for i in range(n)]
    figs = figures(claim)
    if figs:
        # a claim's own figures and dates point at the sentence that gives them
        for k in sorted(range(n), key=lambda k: -fused[k])[:SPEAKER_POOL]:
            have = _sentence_figures(ix, k)
            fused[k] += NUMBER_BONUS * len(figs & have) / len(figs)
    if names and src.analysed is not None:
        for k in sorted(range(n), key=lambda k: -fused[k])[:SPEAKER_POOL]:
            theirs = _sentence_speaker(src, *ix["spans"][k])[2]
            if theirs and _same_speaker(names, theirs):
                fused[k] += SPEAKER_BONUS
    i = max(range(n), key=lambda k: fused[k])
    s, e = ix["spans"][i]
    ev = {"document": src.id, "start": s, "end": e, "text": src.text[s:e],
          "sentence": [s, e], "coverage": round(cov[i], 4),
          "novel": round(_novel(claim, ix), 4),
          "cosine": round(cos[i], 4) if cos else None, "score": round(fused[i], 4)}
    # a claim that joins two adjacent sentences: take the neighbour that adds the most
    best_pair = None
    for j in (i - 1, i + 1):
        if not 0 <= j < n:
            continue
        a, b = sorted((i, j))
        gap = src.text[ix["spans"][a][1]:ix["spans"][b][0]]
        if "\n\n" in gap:
            continue
        both = coverage(q, ix["tokens"][a] | ix["tokens"][b])
        # the neighbour must add words of the claim, not just a direction ("@...")
        plain = [t for t in q if not t.startswith("@")]
        gain = coverage(plain, ix["tokens"][a] | ix["tokens"][b]) - coverage(
            plain, ix["tokens"][i])
        if gain >= PAIR_GAIN and (best_pair is None or both > best_pair[0]):
            best_pair = (both, a, b)
    if best_pair is not None:
        both, a, b = best_pair
        s, e = ix["spans"][a][0], ix["spans"][b][1]
        pcos = None
        if cos is not None:
            pv = ix["vectors"][a] + ix["vectors"][b]
            pcos = float(qvec @ pv) / (float((pv @ pv) ** 0.5) or 1.0)
        ev.update(start=s, end=e, text=src.text[s:e], coverage=round(both, 4),
                  cosine=round(max(pcos, ev["cosine"]), 4) if pcos is not None else None)
        # whose words these are: the sentence of the two that says more of the claim
        k = max((a, b), key=lambda k: (cov[k], k == i))
        ev["sentence"] = list(ix["spans"][k])
    ev["figures"] = round(len(figs & figures(ev["text"])) / len(figs), 4) if figs else 0.0
    return ev


def _novel(claim: str, ix: dict[str, Any]) -> float:
    """Share of the claim's words and figures that the source uses nowhere: a claim
    that brings its own terms ("a new ferry", "pensioners") is about something the
    source does not discuss, however well its other words align."""
    _vocab(ix)
    words = {t for t in content_tokens(claim) if not t.startswith("@")}
    figs = figures(claim)
    if not words and not figs:
        return 0.0
    gone = len(words - ix["vocab"]) + len(figs - ix["figures"])
    return gone / (len(words) + len(figs))


def _sentence_figures(ix: dict[str, Any], k: int) -> set[str]:
    """The figures of a source's sentence ``k``, cached in its index: a long sentence is
    read once, not once per claim that meets it."""
    cache = ix.setdefault("sentence_figures", {})
    if k not in cache:
        cache[k] = figures(ix["texts"][k])
    return cache[k]


def _vocab(ix: dict[str, Any]) -> set[str]:
    """Every content word of a source's sentences (and, beside it, every figure); cached
    in the source's index."""
    if "vocab" not in ix:
        ix["vocab"] = set().union(*ix["tokens"]) if ix["tokens"] else set()
        ix["figures"] = set().union(*(figures(t) for t in ix["texts"])) if ix["texts"] else set()
    return ix["vocab"]


def found_score(ev: dict[str, Any], cosine: float = 1.0, figure: float = FIGURE_WEIGHT,
                novel: float = NOVEL_WEIGHT) -> float:
    """How surely the evidence says the claim: word coverage + MiniLM cosine, plus the
    share of the claim's figures the evidence gives, minus the share of its words
    absent from the source (weights and threshold calibrated on the tune sets together;
    the weights are arguments so the calibration scores other weights with this formula)."""
    return (ev["coverage"] + cosine * (ev["cosine"] or 0.0)
            + figure * ev.get("figures", 0.0) - novel * ev.get("novel", 0.0))


def _contradicts(claim: str, ev: dict[str, Any]) -> bool:
    """Whether evidence that falls short of the found score still says the opposite of
    the claim: a contradiction shares fewer words than an agreement ("permanent"
    against "temporary", "Not for the village centre"), so it is judged from a lower
    score (FLIP_FOUND, docs/sourcing.md)."""
    return (ev.get("cosine") is not None and found_score(ev) >= FLIP_FOUND
            and polarity_flip(claim, ev["text"])[0])


def found(ev: dict[str, Any]) -> bool:
    """Whether the evidence says the claim (thresholds calibrated on the tune half)."""
    if ev.get("cosine") is not None:
        return found_score(ev) >= FOUND_SUM
    return ev["coverage"] >= FOUND_COVERAGE


# --- speakers --------------------------------------------------------------------------


_ATT_INDEX: OrderedDict[int, tuple[Any, ...]] = OrderedDict()  # id(doc) -> its index


def _attribution_index(doc: Document) -> tuple[list[int], list[int], int]:
    """The attributions' first offsets, sorted, with their positions in ``doc`` and the
    longest reach of one: a claim meets only those starting a reach before it, so a report
    of thousands of sentences is not scanned whole for each (kept for the last few docs)."""
    hit = _ATT_INDEX.get(id(doc))
    if hit is not None and hit[0] is doc and hit[1] == len(doc.attributions):
        return hit[2]
    rows = []
    for k, att in enumerate(doc.attributions):
        spans = [(att.cue.start, att.cue.end)]
        if att.content is not None:
            spans += att.content.fragments
        rows.append((min(s for s, _e in spans), max(e for _s, e in spans), k))
    rows.sort()
    index = ([r[0] for r in rows], [r[2] for r in rows],
             max((e - s for s, e, _k in rows), default=0))
    _ATT_INDEX[id(doc)] = (doc, len(doc.attributions), index)
    while len(_ATT_INDEX) > 8:
        _ATT_INDEX.popitem(last=False)
    return index


def claim_speakers(doc: Document, start: int, end: int) -> list[Attribution]:
    """Attributions of ``doc`` whose cue or content lies in [start, end), in ``doc``'s
    order."""
    firsts, order, reach = _attribution_index(doc)
    lo = bisect.bisect_left(firsts, start - reach)
    hi = bisect.bisect_left(firsts, end)
    picked = []
    for k in sorted(order[lo:hi]):
        att = doc.attributions[k]
        spans = [(att.cue.start, att.cue.end)]
        if att.content is not None:
            spans += att.content.fragments
        if any(s < end and start < e for s, e in spans):
            picked.append(att)
    return picked


_CAPS_NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,3}\b")


def _person_name(att: Attribution) -> str | None:
    """The name of an attribution's speaker: whosaid's when it found one, else a
    personal name standing in the speaker's words or role ("The board's chair, Ada
    Brett, said" may come out as the role "board's chair" with "Ada Brett" beside
    it): two to four capitalised words, none a title or an organisation's head."""
    src = att.source
    if src is None or src.speaker is None:
        return None
    sp = src.speaker
    if sp.named:
        return sp.name
    for text in (sp.role or "", src.text):
        for m in _CAPS_NAME.finditer(text):
            ws = [w for w in m.group().split() if w.lower() not in TITLE_WORDS]
            if len(ws) >= 2 and not any(w.lower() in ORG_HEADS for w in ws):
                return " ".join(ws)
    return None


def _speaker_words(att: Attribution, *, named_only: bool = True) -> set[str]:
    """Lower-case words naming an attribution's speaker, with title and role."""
    src = att.source
    if src is None or src.speaker is None:
        return set()
    sp = src.speaker
    name = _person_name(att)
    if name:
        found_words = _name_words(name)
        if not named_only:
            found_words += _name_words(f"{sp.title or ''} {sp.role or ''}")
        return {w.lower() for w in found_words if len(w) > 1}
    if named_only:
        return set()
    return {w for w in re.findall(r"[a-z][\w'’-]+", f"{sp.name} {src.text}".lower())
            if w not in {"the", "a", "an", "of", "its", "his", "her", "their", "he", "she",
                         "they", "it", "we", "i"}}


# a turn may open with a time stamp (STAMP): "[00:01:19] INES:", "(12:04) Chair:"
_LABEL = re.compile(rf"^{STAMP}(?P<who>[A-Z][A-Z.'’ -]{{2,60}}?)"
                    r"(?:\s*\((?P<also>[^)\n]{2,80})\))?\s*:", re.M)
# "Ottoline Vance:", "Q2 Pim Hask:" (committee evidence): a turn label in mixed case
# counts only when it opens two turns or more, so "Witnesses:" or "Note:" do not; or
# once when a quotation follows it ('Skipper **Oskar Lemmy** (Kelby): "..."', the
# markdown emphasis read through)
_MIXED_LABEL = re.compile(rf"^{STAMP}(?:Q\d{{1,3}}\s+)?[*_]{{0,2}}(?P<who>[A-Z][a-z'’-]+"
                          r"(?:[*_]{0,2}\s+[*_]{0,2}[A-Z][a-z'’.-]+){0,3})[*_]{0,2}"
                          r"(?:\s*\((?P<also>[^)\n]{2,80})\))?\s*:(?P<quote>\s*[\"“])?", re.M)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _mixed_labels(text: str) -> frozenset[str]:
    """The mixed-case turn labels of a text (see _MIXED_LABEL); one scan per source
    text, not one per claim (cached by text, like _full_name)."""
    found_labels = list(_MIXED_LABEL.finditer(text))
    seen = Counter(m.group("who") for m in found_labels)
    quoted = {m.group("who") for m in found_labels if m.group("quote")}
    return frozenset(w for w, n in seen.items() if n >= 2 or w in quoted)


def _who(m: re.Match[str]) -> str:
    return re.sub(r"[*_]", "", m.group("who")).strip()


# a name alone on the line that opens a paragraph, the turn on the next line (earnings
# calls, hearings: "Tamsin Okafor\nThanks, Ysolde. ..."); counted when three
# paragraphs open so and one name opens two of them, so a letterhead is no turn
_LINE_LABEL = re.compile(r"(?:^|(?<=\n\n))(?P<who>[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3})"
                         r"(?:\s*\((?P<also>[^)\n]{2,80})\))?[ \t]*\n(?=[ \t]*\S)")


@functools.lru_cache(maxsize=CACHE_SIZE)
def _line_labels(text: str) -> frozenset[str]:
    """The names that open turns on a line of their own (see _LINE_LABEL). Three such
    paragraphs, one name opening two, make a transcript: a letterhead or a signature
    opens one or two. A label is a name of two to four words or a role ("Operator"):
    one capitalised word ("Decision", "Actions") is a section heading of minutes, which
    repeat too."""
    seen = Counter(m.group("who") for m in _LINE_LABEL.finditer(text)
                   if " " in m.group("who") or m.group("who").lower() in _TURN_ROLES)
    if sum(seen.values()) >= 3 and max(seen.values(), default=0) >= 2:
        return frozenset(seen)
    return frozenset()


# roles that head a transcript's turns on their own
_TURN_ROLES = lexicon.PERSON_ROLE_NOUNS | frozenset(
    "operator chair chairman chairwoman moderator presenter host interviewer caller".split())


def _turn_label(text: str, start: int) -> re.Match[str] | None:
    m = _LABEL.match(text, start)
    if m:
        return m
    m = _MIXED_LABEL.match(text, start)
    if m and m.group("who") in _mixed_labels(text):
        return m
    m = _LINE_LABEL.match(text, start)
    return m if m and m.group("who") in _line_labels(text) else None


def _speaker_label(text: str, pos: int) -> str | None:
    """The transcript speaker label ("RAVI DUNSTAN:", "Q2 Pim Hask:") of the turn
    holding ``pos``."""
    start = text.rfind("\n\n", 0, pos)
    start = 0 if start < 0 else start + 2
    m = _turn_label(text, start)
    if not m or m.start() > pos:
        return None
    who = _who(m)
    if m.group("also"):
        who = f"{who} ({m.group('also').strip()})"
    elif who.lower() in _role_names(text):
        # "Chair:" turns of a record whose heading says "Chair: Dame Ada Brett"
        who = f"{who} ({_role_names(text)[who.lower()]})"
    elif " " not in who and _full_name(text, who):
        # "RAVI:" turns of a transcript whose heading names "Cllr Ravi Dunstan"
        who = f"{who} ({_full_name(text, who)})"
    return who.title() if who.isupper() else who


@functools.lru_cache(maxsize=256)
def _full_name(text: str, first: str) -> str | None:
    """The one full name the top of a text gives a first name ("Ravi" -> "Ravi
    Dunstan" of "Guests: Cllr Ravi Dunstan (...)"), None when none or several."""
    # [ \t]: a name stays on its line ("Decision\nThe ..." is no "Decision The")
    found = set(re.findall(rf"\b{re.escape(first.title())}[ \t]+(?:[A-Z]\.?[ \t]+)?([A-Z][a-z'’-]+"
                           r"(?:-[A-Z][a-z'’-]+)?)\b", text[:2000]))
    return f"{first.title()} {found.pop()}" if len(found) == 1 else None


# a name's title: the extractor's titles (extract/lexicon.py) and the British "Cllr"
_HONORIFIC = "|".join(sorted({re.escape(t.rstrip(".")) for t in lexicon.TITLES} | {"Cllr"},
                             key=lambda t: (-len(t), t)))
_ROLE_LINE = re.compile(r"^(?P<role>[A-Z][A-Za-z]+(?:\s+[a-z]+)?)\s*:\s*(?P<name>(?:(?:"
                        rf"{_HONORIFIC})\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){{1,3}})\s*$",
                        re.M)


@functools.lru_cache(maxsize=64)
def _role_names(text: str) -> dict[str, str]:
    """Roles named once in a heading line ("Chair: Dame Ada Brett", "Presenter: Sam
    Cole"): the name of whoever speaks in that role's turns."""
    out: dict[str, str] = {}
    for m in _ROLE_LINE.finditer(text[:2000]):
        out.setdefault(m.group("role").lower(), m.group("name"))
    return out


# titles and roles two different people share ("Councillor X" / "Councillor Y"): never
# the words that say two speakers are one. The extractor's titles and person roles
# (extract/lexicon.py), plus the British and meeting roles of audited sources
TITLE_WORDS = frozenset(
    {w.lower().rstrip(".") for w in lexicon.TITLES} | lexicon.PERSON_ROLE_NOUNS
    | set("""
mx baroness councillor cllr constable detective inspector cabinet head member the of for
and shareholder presenter caller interviewer witness clerk moderator guest
""".split()))


def _is_person(att: Attribution) -> bool:
    """A person speaker, or a named one that reads as a person's name ("Ottoline Vance",
    typed an organisation for her "union representative") rather than a body's."""
    sp = att.source.speaker if att.source else None
    if sp is None:
        return False
    if sp.kind is SpeakerKind.PERSON:
        return True
    ws = sp.name.split()
    return bool(sp.named and sp.kind is SpeakerKind.ORGANISATION and 2 <= len(ws) <= 4
                and all(w[:1].isupper() and w.isalpha() for w in ws)
                and not any(w.lower() in ORG_HEADS for w in ws))


def _evidence_speakers(src: SourceDoc, s: int, e: int) -> tuple[list[Attribution], str | None]:
    """The person attributions of a source sentence and its transcript label; a "he
    said" whose speaker whosaid left unnamed is the last named person quoted before
    it in the same paragraph."""
    label = _speaker_label(src.text, s)
    if label or src.analysed is None:
        return [], label
    atts = [a for a in claim_speakers(src.analysed, s, e) if a.source and a.source.speaker]
    if atts and all(a.source.speaker.name.lower() in ("he", "she", "they")
                    for a in atts if a.source and a.source.speaker):
        para = src.text.rfind("\n\n", 0, s)
        before = [a for a in src.analysed.attributions if _is_person(a)
                  and _person_name(a) and para < a.cue.start < s]
        if before:
            atts = [max(before, key=lambda a: a.cue.start)]
    return atts, None


def _same_speaker(mine: set[str], theirs: set[str]) -> bool:
    a, b = mine - TITLE_WORDS, theirs - TITLE_WORDS
    if a and b:
        return bool(a & b)
    return bool(mine & theirs)


def check_speaker(report: Document, span: tuple[int, int], src: SourceDoc,
                  ev: dict[str, Any]) -> tuple[bool, str | None, str | None]:
    """(mismatch, report's speaker, source's speaker) for one claim and its evidence."""
    if src.analysed is None:
        return False, None, None
    s, e = ev["sentence"]
    theirs_atts, label, theirs = _sentence_speaker(src, s, e)
    mine_atts, mine = claim_speaker(report, span, src)
    names_theirs = label or " ".join(sorted({_person_name(a) or a.source.speaker.name
                                             for a in theirs_atts
                                             if a.source and a.source.speaker})) or None
    names_mine = " ".join(sorted({n for a in mine_atts if (n := _person_name(a))}
                                 )) or (" ".join(sorted(mine)) if mine else None)
    if mine and not theirs and not theirs_atts and not _evidence_speakers(src, s, e)[0] \
            and _unnamed_in(src, mine):
        # a person the source never names cannot be who says its words when no one
        # else is quoted there: they are its author's or publisher's ("a minister's
        # written statement" credited to a chief executive it does not mention); a
        # role the sentence quotes ("the minister said") may be that person
        return True, names_mine, src.meta.author or src.meta.publisher or "its author"
    if not mine or not theirs:
        return False, names_mine, names_theirs
    return not _same_speaker(mine, theirs), names_mine, names_theirs


def _unnamed_in(src: SourceDoc, mine: set[str]) -> bool:
    """Whether a speaker with a first and last name (two name words or more, titles
    aside) is named nowhere in the source, not even by one of those words."""
    names = {w for w in mine - TITLE_WORDS if w.isalpha()}
    if len(names) < 2:
        return False
    if "vocab_lower" not in src.cache:
        src.cache["vocab_lower"] = set(re.findall(r"[a-z]+", fold(src.text).lower()))
    return not names & src.cache["vocab_lower"]


# a defined term: 'Pellingham Tramways plc ("the Carrier")', "The Board of Canal
# Rates for Corvast (the Board)", "Quillby Estates Ltd (the lessor)"
# (the lookbehind starts a name only at a word's start: without it a long capital token,
# a hash or "A-A-A-..." is retried from each of its characters, quadratic in its length)
_DEFINED = re.compile(r"(?<![\w&'’.-])"
                      r"(?P<name>[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|&|the|[A-Z][\w&'’.-]*)){0,7})"
                      r"\s*\(\s*[\"“']?the\s+(?P<alias>[A-Za-z]+(?:\s+[A-Za-z]+)?)[\"”']?\s*\)")


_AND = re.compile(r"\s+(?:and|&)\s+")
# the last word of a body's legal name ("Kelby Council", "Marlow Rail Limited")
_BODY_ENDS = frozenset("limited ltd plc llp llc inc co trust council board".split())


def _name_words(text: str) -> list[str]:
    """The words of a name or label, apostrophes and hyphens kept inside words ("O'Neill",
    "Varga-Holm"), as every speaker-word comparison splits them."""
    return re.findall(r"[A-Za-z][\w'’-]+", text)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _defined_terms(text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """(alias words, name words) of every term a source defines: a legal or regulatory
    text calls the body it names once "the Company" or "the Office" from then on, so
    words it gives "the Company" are that body's."""
    out: list[tuple[frozenset[str], frozenset[str]]] = []
    for m in _DEFINED.finditer(text):
        # "between Kelby Council and Marlow Rail Limited (the Operator)": the term is the
        # body after the last "and" that closes another body's name, not both
        full = m.group("name")
        cut = [j.end() for j in _AND.finditer(full)
               if full[:j.start()].split()[-1].lower().strip(".,") in ORG_HEADS | _BODY_ENDS]
        name = {w.lower() for w in _name_words(full[cut[-1]:] if cut else full)}
        alias = {w.lower() for w in m.group("alias").split()}
        if name - TITLE_WORDS and not name <= alias:
            out.append((frozenset(alias), frozenset(name - TITLE_WORDS)))
    return tuple(out)


def _sentence_speaker(src: SourceDoc, s: int, e: int
                      ) -> tuple[list[Attribution], str | None, set[str]]:
    atts, label = _evidence_speakers(src, s, e)
    # a role alone ("the minister said", "a spokesman said") may be the claim's person:
    # it never makes a mismatch; an unnamed body ("the association said") does
    atts = [a for a in atts if not (a.source and a.source.speaker
                                    and not _person_name(a)
                                    and a.source.speaker.kind is SpeakerKind.PERSON)]
    words = {w for a in atts for w in _speaker_words(a, named_only=False)}
    if label:
        words = {w.lower() for w in _name_words(label)}
    for alias, name in _defined_terms(src.text):
        if alias <= words:
            words |= name
    return atts, label, words


def claim_speaker(report: Document, span: tuple[int, int], src: SourceDoc
                  ) -> tuple[list[Attribution], set[str]]:
    """The claim's speaker (its attributions and name words): a person whosaid finds
    in the claim, or failing that a person the source quotes who is named in it."""
    if src.analysed is None:
        return [], set()
    source_people = {w for a in src.analysed.attributions if _is_person(a)
                     for w in _speaker_words(a)}
    source_people |= {w.lower() for m in _LABEL.finditer(src.text)
                      for w in _name_words(m.group("who"))}
    source_people |= {w.lower() for m in _MIXED_LABEL.finditer(src.text)
                      if m.group("who") in _mixed_labels(src.text)
                      for w in _name_words(f"{_who(m)} {m.group('also') or ''}")}
    source_people |= {w.lower() for who in _line_labels(src.text)
                      for w in _name_words(who)}
    # the claim's speaker: a person, not a cited document ("according to a report by X")
    cited = [(c.start, c.end) for c in report.citations]
    mine_atts = [a for a in claim_speakers(report, *span) if a.cue.start >= span[0]
                 and a.cue.end <= span[1] and a.source and a.source.speaker
                 and _is_person(a)
                 and not any(max(a.source.start, span[0]) < ce and cs < a.source.end
                             for cs, ce in cited)]
    # only a speaker the claim names: "he told" resolved to someone two sentences back
    # is too weak to call a mismatch on
    mine_atts = [a for a in mine_atts if a.source is not None and any(
        w in a.source.text.lower() for w in _speaker_words(a))]
    # "Dunford said" of the source "Dunford Dairies Ltd" is the company speaking: a
    # name the source uses only as its publisher's or title's is no person there
    m = src.meta
    org = {w.lower() for w in _name_words(f"{m.publisher or ''} {m.title or ''}")}
    mine_atts = [a for a in mine_atts if not (_speaker_words(a) and _speaker_words(a) <= org
                                              and not _speaker_words(a) & source_people)
                 and not _own_host(src, _speaker_words(a))]
    mine = {w for a in mine_atts for w in _speaker_words(a)}
    if not mine_atts or not mine:
        # no attribution found in the claim: the name in its own frame ("X said",
        # ", X told the meeting"): a person the source quotes, or a personal name
        # the source never gives (the words are then someone else's, if anyone's)
        mine = set()
        if not mine_atts:
            for f in _FRAME.finditer(report.text[span[0]:span[1]]):
                words = f.group("who").split()
                who = [w for w in words if w.lower() not in TITLE_WORDS]
                known = {w.lower() for w in who} & source_people
                # a personal name: a known first name or a title ("Dr", "Professor")
                # before it; "Harbury Ferries reported" is a company
                titled = len(who) < len(words)
                if known:
                    mine = known
                elif len(who) >= 2 and not any(w.lower() in ORG_HEADS for w in who) \
                        and _CAPS_NAME.fullmatch(" ".join(who)) \
                        and (titled or first_name_gender(" ".join(who)) is not None):
                    mine = {w.lower() for w in who}
                if mine:
                    break
    if mine and not mine_atts and ((mine <= org and not mine & source_people)
                                   or _own_host(src, mine)):
        # "Lanternfold Bugle reported that ..." of a story on lanternfoldbugle.example: the
        # document speaking, not a person it quotes
        return [], set()
    return mine_atts, mine


def _own_host(src: SourceDoc, name: set[str]) -> bool:
    """Whether ``name``'s words run together are a label of the web host the source
    sits on ("lanternfold" + "bugle" and lanternfoldbugle.example)."""
    for url in src.meta.urls:
        host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
        for label in host.split(".")[:-1]:
            if label != "www" and sum(len(w) for w in name) == len(label) \
                    and all(w in label for w in name):
                return True
    return False


# --- the audit ---------------------------------------------------------------------------


def audit(report: Document, sources: Sequence[SourceDoc] = ()) -> dict[str, Any]:
    """Audit an analysed report against candidate sources; JSON-ready result."""
    by_id = {s.id: s for s in sources}
    idf = _idf(sources) if sources else {}
    text = report.text
    convention = month_first_convention(text)  # how this report writes 4/3/2025
    report, _new = discovered(report, sources, idf, convention)
    blank = masked(text, report.citations)
    spans_per_cit = claim_spans(report)
    links = [link(c.label, c.reference, sources, idf, convention) for c in report.citations]
    for c, lk in zip(report.citations, links, strict=True):
        # the report's own pattern markers too: a margin and a stated series tell two
        # bulletins of one publisher apart whoever found the marker
        guard_link(lk, c.label, c.reference, sources, idf, convention)
    _share_links(report.citations, links)
    linked_ids = {lk["link"]["document"] for lk in links if lk["link"]}
    linked_srcs = [by_id[i] for i in sorted(linked_ids)]
    _analyse_sources(linked_srcs)
    _prepare(linked_srcs)
    todo = [(s, e) for lk, sp in zip(links, spans_per_cit, strict=True) if lk["link"]
            for s, e in sp]
    cores = {span: _core(report, span, blank) for span in todo}
    queries = {span: _query(core, blank, span) for span, core in cores.items()}
    vecs = _encode(list(queries.values())) if queries and any(
        _index(x)["vectors"] is not None for x in linked_srcs) else None
    qvecs = dict(zip(queries, vecs, strict=True)) if vecs is not None else {}
    # found markers that link nowhere, with no near miss: the source their claims say
    rarity = _rarity(sources) if sources else ({}, {})
    by_content = _unlinked_by_content(report, blank, report.citations, links, spans_per_cit,
                                      sources, rarity)
    citations: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for i, (cit, lk, spans) in enumerate(zip(report.citations, links, spans_per_cit,
                                             strict=True)):
        grade = cit.resolvability or Resolvability.GENERIC
        linked = lk["link"]
        inferred = by_content.get(i)
        cflags: list[str] = []
        if linked is None and inferred is None:
            cflags.append("unresolvable_citation" if grade is Resolvability.GENERIC
                          and lk["near_miss"] is None else "source_not_provided")
        entry: dict[str, Any] = {
            "index": i, "text": cit.text, "label": cit.label, "kind": cit.kind,
            "start": cit.start, "end": cit.end, "scope": list(cit.scope),
            "reference": cit.reference, "resolvability": grade.value, "link": linked,
            "near_miss": lk["near_miss"], "suggested": None, "inferred": False,
            "flags": cflags,
        }
        src = by_id[linked["document"]] if linked else None
        if inferred is not None:  # checked against the source its claims say, not linked
            src, info, work = inferred
            entry["suggested"] = {"document": src.id, "inferred": True, **info}
            entry["inferred"] = True
            for s, e in spans:
                core, query, qvec, strong = work.get((s, e), (None, None, None, False))
                claim = _audit_claim(report, blank, (s, e), i, src, cflags, core, qvec,
                                     cit.label, query)
                # said of this claim only when it is one the source says strongly; the
                # others are checked against it because their citation's claims pick it
                why = ("says this strongly" if strong else
                       f"says {_claims_words(info['strong_claims'])} under the same citation "
                       "strongly, not this one")
                claim["inferred"] = {
                    "document": src.id, **info, "strong": strong,
                    "words": f"its citation names no provided source; the folder's "
                             f"{_named(src)} {why}, so the claim is checked against it "
                             "(inferred from content)"}
                claims.append(claim)
        else:
            for s, e in spans:
                claims.append(_audit_claim(report, blank, (s, e), i, src, cflags,
                                           cores.get((s, e)), qvecs.get((s, e)), cit.label,
                                           queries.get((s, e))))
            if linked is None and lk["near_miss"] is None and sources and spans:
                entry["suggested"] = _infer(
                    [clean(blank[s:e]) for s, e in spans], sources)
        entry["note"] = _citation_note(cit, grade, entry, by_id)
        citations.append(entry)
    claims = _merge(claims, inferred_claims(report, blank, spans_per_cit, sources, rarity))
    paragraphs = _paragraphs(report, citations, claims)
    counts = Counter(f for c in claims for f in c["flags"])
    return {
        "report": report.name,
        "sources": [s.as_dict() for s in sources],
        "semantic": _semantic(),
        "citations": citations,
        "claims": claims,
        "paragraphs": paragraphs,
        "summary": {"citations": len(citations), "claims": len(claims),
                    "supported": sum(1 for c in claims if not c["flags"]),
                    "inferred": sum(1 for c in claims if c.get("inferred")),
                    "flags": {f: counts.get(f, 0) for f in FLAGS}},
        "profile": report.profile.model_dump() if report.profile else None,
        "profile_summary": profile_summary(report.profile) if report.profile else None,
    }


# --- markers discovered from the sources' metadata ---------------------------------------

DISCOVER_THRESHOLD = 0.41  # match strength a wrapped span needs to be a marker (calibrated, notes)
SHARING_TOP = 8  # sources a span is scored against at most: those sharing its rarest words
PROSE_SHARE = 0.5  # share of plain lower-case words above which a wrapped span is prose
# any bracket pair's contents, one line of at most 300 characters; the body excludes every
# opener, so each character is read from the nearest opener before it only: linear
# one pattern per bracket pair, its body free of that pair only ("[X (Y).]" is one span); a
# doubled or tripled bracket ("<< X >>") is one wrapper. Bounded repeats: linear.
_WRAPPERS = [re.compile(rf"{re.escape(o)}{{1,3}}(?P<body>[^{re.escape(o + c)}\n]{{3,300}})"
                        rf"{re.escape(c)}{{1,3}}")
             for o, c in ("()", "[]", "{}", "⟨⟩", "«»", "【】", "〔〕", "<>")]
# a credit after a dash, running to the end of its line: "... rose. — Kelby Gazette, 3 May"
_DASHED = re.compile(r"(?:[ \t][—–][ \t]?|[ \t]--?[ \t])(?P<body>[^\n—–]{3,200})$",
                     re.MULTILINE)
# a line of its own under a sentence, opened by any short lead-in: a symbol or one to
# three words and a separator ("↳ X", "Drawn from: X", "Ref -> X", "Filed under | X")
_LINE_CREDIT = re.compile(r"^[ \t]*(?P<lead>[^\w\s(\[{<]{1,3}[ \t]*|[A-Za-z][\w'’]{0,20}"
                          r"(?:[ \t][A-Za-z][\w'’]{0,20}){0,2}[ \t]*(?:[:|»›→]|->|=>|[—–])"
                          r"[ \t]*)?(?P<body>[^\n]{3,300})$", re.MULTILINE)
# the rest of a line after a sentence's end: "... rose by a fifth. Tellwick Echo, 2 May 2025"
# a dash aside about a source rather than a credit naming it: "— the agency's third such
# report of 2025", "— a point its own figures make"
_ASIDE = re.compile(r"[ \t]*(?:(?:the|a|an|its|their|his|her|our|this|that|which|who|as|and|"
                    r"but|not|one|another)\b|[^\W\d_][\w.&-]*(?:[ \t][A-Z][\w.&-]*)*['’]s\b)")
# dash-led credit parts between a sentence's end and the last dash of its line:
# ". — Q2 2025 " before "— Harnwick Rail, Quarterly Report" (a bounded look-back: linear)
_CREDIT_CHAIN = re.compile(r"[.!?][\"'”’)]?[ \t]+(?P<c>(?:[—–]|--?)[ \t]?[^\n—–.!?]{1,60})$")
_DASH_RUN = re.compile(r"[ \t]*(?:[—–]|(?<=[ \t])--?(?=[ \t]))[ \t]*")
_TRAILING = re.compile(r"(?<=[.!?])[\"'”’)]?[ \t]+(?P<body>[^\W\d_][^\n.!?]{2,150}?)[ \t.]*$",
                       re.MULTILINE)
# words a citation may have in lower case: small words, kinds of document, pinpoints
_CITE_LOWER = frozenset((
    "the a an of and for in on at to by from with its their his her our as per via see also "
    "cf or de du la le von van der no nos p pp para paras vol issue ed eds art s sec "
    "press release news media notice statement report minutes bulletin newsletter judgment "
    "ruling transcript survey poll memo memorandum speech letter consultation budget review "
    "study assessment evaluation audit decision order notes note reasons interview update "
    "annual interim final draft written oral evidence hearing summary briefing agenda "
    "paper papers page post blog thread episode programme broadcast").split())
# a list item or notes entry opening a line: "3. X", "(5) X", "[^4]: X", "- X", "[2] X"
_ENTRY_START = re.compile(r"[ \t]*(?:[-*•+]\s|\(?\d{1,4}[.):]|\[[^\]\n]{1,8}\]|[^\w\s\"“‘'])")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_LOOK_BACK = 80  # characters before a wrapper in which the clause it closes is looked for
_CLOSES_CLAUSE = re.compile(r"[ \t]*(?:[.;:,!?]|$)", re.MULTILINE)
_ENDS_SENTENCE = re.compile(r"[.!?][^\w\s]{0,3}[ \t]*$")
_PLAIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MONTH_WORD = re.compile(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*")
_URL_TEXT = re.compile(r"(?i:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
# what a clause says rather than what a document is called
_SAYING = frozenset("said says told tells added adds announced warned stated claimed argued "
                    "insisted confirmed denied believes believed thinks thought wants wanted "
                    "would will could should might must is are was were has have had".split())
_FUNCTION = frozenset("the a an of and for in on at to by from with its their his her our "
                      "as per via see also cf or de du la le von van der".split())


def wrapped_candidates(text: str) -> list[tuple[int, int, str]]:
    """Spans where a citation can stand, as (start, end, body), whatever its wrapper: the
    contents of any bracket pair that closes a clause or follows a sentence's end, a dash
    credit ending its line, a line of its own under a sentence with any short lead-in. Each
    must close something: three words before it on its line, or a sentence line above."""
    def before(pos: int) -> str:
        # the line before ``pos``, its last _LOOK_BACK characters only: a long line with
        # many wrappers costs no more than a short one
        lo = max(0, pos - _LOOK_BACK)
        return text[text.rfind("\n", lo, pos) + 1 or lo:pos]

    out: list[tuple[int, int, str]] = []
    for rx in _WRAPPERS:
        for m in rx.finditer(text):
            head = before(m.start())
            if not head.strip() and _LINE_END.match(text, m.end()) and m.start() > 0:
                # the whole line: a source line over or under the text it vouches for
                out.append((m.start(), m.end(), m.group("body")))
                continue
            if len(_PLAIN_WORD.findall(head)) < 3:
                continue
            if _CLOSES_CLAUSE.match(text, m.end()) or _ENDS_SENTENCE.search(head[-12:]):
                out.append((m.start(), m.end(), m.group("body")))
    for m in _DASHED.finditer(text):
        head = before(m.start())
        if len(_PLAIN_WORD.findall(head)) >= 3 and not _ASIDE.match(m.group("body")):
            body = m.group("body").rstrip(" \t.")
            lead = len(m.group()) - len(m.group().lstrip())
            start = m.start() + lead
            # the whole credit, not its last part: "— Q2 2025 — Harnwick Rail, Quarterly
            # Report" states its quarter before the last dash (a fragment would link
            # to the publisher's other quarter)
            chain = _CREDIT_CHAIN.search(head)
            if chain and _shaped(_DASH_RUN.sub(" ", chain.group("c"))):
                start = m.start() - len(head) + chain.start("c")
                body = _DASH_RUN.sub(", ", text[start:m.start("body") + len(body)]
                                     ).strip(" ,")
            out.append((start, start + len(text[start:m.start("body")])
                        + len(m.group("body").rstrip(" \t.")), body))
    for m in _LINE_CREDIT.finditer(text):
        above_end = text.rfind("\n", 0, m.start())
        if above_end <= 0:
            continue
        above = text[text.rfind("\n", 0, above_end) + 1:above_end]
        body = m.group("body").rstrip(" \t.")
        if not m.group("lead") and (not _shaped(body) or _ENTRY_START.match(body)
                                    or _ENTRY_START.match(above)):
            # a line of its own without a lead-in: only a citation's shape, under prose
            # (not an entry of a list under another)
            continue
        if _ENDS_SENTENCE.search(above) and len(_PLAIN_WORD.findall(above)) >= 4:
            out.append((m.start() + len(m.group()) - len(m.group().lstrip()),
                        m.start("body") + len(body), body))
    for m in _TRAILING.finditer(text):
        body = m.group("body").rstrip(" \t")
        head = before(m.start())
        if len(head) < _LOOK_BACK and _ENTRY_START.match(head):
            continue  # the tail of a list entry ("[3] X. Tellwick Echo, 2 May 2025")
        if _shaped(body) and len(_PLAIN_WORD.findall(head)) >= 3:
            out.append((m.start("body"), m.start("body") + len(body), body))
    return out


def _shaped(body: str) -> bool:
    """Whether a span without a wrapper has a citation's shape: names, dates, numbers and
    kinds of document only ("Tellwick Echo, 2 May 2025", "BHA notice no. 12, p. 4"); a
    clause ("Tellwick Echo readers voted in May 2025") has other lower-case words."""
    tokens = _PLAIN_WORD.findall(_URL_TEXT.sub(" ", body))
    return bool(tokens) and sum(1 for t in tokens if t[0].isupper()) >= 1 and all(
        not t[0].islower() or t.lower().strip(".") in _CITE_LOWER
        or _MONTH_WORD.fullmatch(t.strip(".")) for t in tokens)


def _prose(body: str) -> bool:
    """Whether a wrapped span says something rather than names a document: a saying verb
    outside quotes, or mostly plain lower-case words ("the ministry said it would ...")."""
    bare = re.sub(r"[\"“”«»][^\"“”«»]*[\"“”«»]", " ", _URL_TEXT.sub(" ", body))
    tokens = _PLAIN_WORD.findall(bare)
    if any(t in _SAYING for t in tokens):
        return True
    plain = [t for t in tokens if t.islower() and t not in _FUNCTION and len(t) > 2]
    return len(tokens) > 4 and len(plain) > PROSE_SHARE * len(tokens)


class SourceKeys:
    """The sources' identifying words (title, publisher, author, heading, URL words, the
    acronyms of their names) indexed once, word -> sources: a span is scored only against
    the sources it shares a word with, so discovery costs the spans, not spans x sources."""

    def __init__(self, sources: Sequence[SourceDoc]) -> None:
        self.sources = list(sources)
        self.index: dict[str, list[int]] = {}
        for i, src in enumerate(self.sources):
            for w in set(_source_words(src)):
                self.index.setdefault(w, []).append(i)

    def sharing(self, ws: Sequence[str], idf: dict[str, float] | None = None,
                top: int = SHARING_TOP) -> list[SourceDoc]:
        """The sources sharing a word with ``ws``; with ``idf``, only the ``top`` sharing
        the rarest words (most weight): a word every source has ("report", "ministry")
        would otherwise make each span cost all the sources' scores."""
        weight: Counter[int] = Counter()
        for w in set(ws):
            for i in self.index.get(w, ()):
                weight[i] += idf.get(w, 0.0) if idf is not None else 1.0
        hit = sorted(weight) if idf is None or len(weight) <= top else sorted(
            i for i, _w in sorted(weight.items(), key=lambda x: (-x[1], x[0]))[:top])
        return [self.sources[i] for i in hit]


def match_strength(body: str, keys: SourceKeys, idf: dict[str, float],
                   month_first: bool | None = None) -> tuple[float, str | None]:
    """How strongly a span names one of the sources, and which: the linker's base score
    (:func:`whosaid.audit_sources.score_source`; a URL or case name counts 2) of the best
    source sharing a word with it, 0 when the span gives nothing that identifies one
    document (a date or year, a document number or kind, a URL, a case, the title itself)
    or reads as prose. A date that disagrees still counts: a near miss is a citation."""
    label = credit_of(body)
    if not label or _prose(label):
        return 0.0, None
    if not _URL_TEXT.search(label) and not any(w in keys.index for w in key_words(label)):
        return 0.0, None  # no word of any source's: not worth scoring
    cf = citation_fields(label, None, month_first)
    best: tuple[float, str | None] = (0.0, None)
    for src in keys.sharing([*cf.words, *cf.url_words], idf):
        r = score_source(cf, src, idf)
        base = float(r.get("base", 0.0))
        detail = bool(cf.dates or cf.years or cf.numbers or cf.type or cf.urls or cf.cases
                      or "title" in r["fields"])
        if r.get("method") in ("url", "case name") or (detail and base > best[0]):
            best = max(best, (base, src.id), key=lambda x: x[0])
    return best


# a notes line at the foot of a text: a short token and its entry ("† Tellwick Echo, 2 May
# 2025", "{3} ...", "[a] ...", "<2> ...", "⁽⁴⁾ ..."); a bare number is left to the notes
# lists citations.py reads (it would match every figure of the body), and quotes, dashes
# and "#" to prose, lists and markdown; "*" only among other tokens ("*", "**", "†"): one
# token alone is a bulleted list
_NOTE_LINE = re.compile(r"^[ \t]*(?P<tok>[†‡§¶※◊°∗⁂♦◆▪‖]{1,3}|\*{1,3}(?=[ \t])|"
                        r"[\[{(<⟨][ \t]?[\w*†‡§]{1,4}"
                        r"[ \t]?[\]})>⟩]|[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾]{1,5}|\^[\w]{1,4})[.:]?[ \t]+"
                        r"(?P<body>\S[^\n]{2,400})$", re.MULTILINE)
_NOTES_MAX = 200  # notes lines read at the foot of a text
_WRAPPED_MAX = 3  # indented lines that continue one notes entry
_SYMBOL_TOKEN = re.compile(r"[†‡§¶※◊°∗⁂♦◆▪‖*]{1,3}")


def note_markers(text: str, keys: SourceKeys, idf: dict[str, float],
                 month_first: bool | None = None) -> tuple[int, list[tuple[int, int, str]]]:
    """Footnotes in a style no pattern knows, found from the sources: the notes lines that
    close the text (blank lines and one short heading line aside), when one entry at least
    names a provided source; then each token in the body ("...rose.†", "...rose{3}") is a
    marker whose label is its entry. Returns where the notes start (len(text) when there
    are none) and the markers. One pass over the lines and one regex over the body."""
    lines = text.split("\n")
    pos = len(text)
    entries: dict[str, str] = {}
    first = len(text)
    pending: list[str] = []  # indented lines under an entry: its wrapped rest, read backwards
    attach = False  # a pending line that ends the notes unless an entry takes it
    for line in reversed(lines[-_NOTES_MAX:]):
        pos -= len(line) + 1
        m = _NOTE_LINE.match(line)
        if m:
            entries.setdefault(m.group("tok"), " ".join(
                [m.group("body").strip(), *reversed(pending)]))
            first = max(pos + 1, 0)
            pending, attach = [], False
        elif line[:1] in " \t" and line.strip() and len(pending) < _WRAPPED_MAX:
            pending.append(line.strip())  # "   (revised 4 March 2025)." under its entry
            attach = attach or not (len(line.split()) <= 4 and entries)
        elif attach or (line.strip() and not (len(line.split()) <= 4 and entries)):
            break
        else:
            pending = []
    if "*" in entries and len(entries) == 1:
        entries = {}  # "* X" lines alone are bullets, not notes
    if not entries or not any(
            match_strength(body, keys, idf, month_first)[0] >= DISCOVER_THRESHOLD
            for body in entries.values()):
        return len(text), []
    tokens = sorted(entries, key=len, reverse=True)
    # the style's own symbols: a mark of them the notes lack ("‡‡" among "*", "**", "‡",
    # "††") is a note of that style too, one naming nothing the reader can find
    marks = "".join(sorted({ch for t in tokens if _SYMBOL_TOKEN.fullmatch(t) for ch in t}))
    more = rf"|[{re.escape(marks)}]{{1,3}}" if marks else ""
    rx = re.compile(r"(?<=[\w.,;:!?\"'”’)%])(?:" + "|".join(re.escape(t) for t in tokens)
                    + more + r")(?![\w\]})>⟩" + re.escape(marks) + "])"
                    + r"(?<![A-Za-z]\*)(?<![A-Za-z]\*\*)(?<![A-Za-z]\*\*\*)")
    # notes lines above the closing block (a section's own notes): a token takes the
    # entry of the first notes line after it that has the token, so "†" in part one is
    # part one's "†", not the last part's; one bisection per token found
    earlier: dict[str, tuple[list[int], list[str]]] = {}
    for m in _NOTE_LINE.finditer(text, 0, first):
        at, bodies = earlier.setdefault(m.group("tok"), ([], []))
        at.append(m.start())
        bodies.append(m.group("body").strip())
    found = []
    for m in rx.finditer(text, 0, first):
        at, bodies = earlier.get(m.group(), ([], []))
        i = bisect.bisect_right(at, m.start())
        found.append((m.start(), m.end(), bodies[i] if i < len(at)
                      else entries.get(m.group(), m.group())))
    # tokens the body never uses make no notes: "↳ X" under a paragraph is a credit line
    return (first, found) if found else (len(text), [])


def numbered_notes(text: str, keys: SourceKeys, idf: dict[str, float],
                   month_first: bool | None = None) -> tuple[int, dict[str, str]] | None:
    """A numbered reference list closing the text under a heading no pattern knows
    ("Where these figures come from", or none), found from the sources: two entries or
    more ("[1] X", "1. X", "(1) X", wrapped lines joined), one of which names a provided
    source. Returns where it starts and its entries by number; None when the text has a
    list the usual patterns read, or no such list. One backward pass over the lines."""
    if reference_list(text)[1]:
        return None
    lines = text.split("\n")
    pos = len(text)
    entries: dict[str, str] = {}
    pending: list[str] = []  # lines after an entry's first line, read backwards
    start = len(text)
    for line in reversed(lines[-_NOTES_MAX:]):
        pos -= len(line) + 1
        got = entry_of(line)
        if got:
            entries.setdefault(got[0], " ".join([got[1], *reversed(pending)]).strip())
            pending, start = [], max(pos + 1, 0)
        elif line.strip() and not (entries and not pending and len(line.split()) <= 8
                                   and line.strip()[-1:] not in ".!?"):
            pending.append(line.strip())
            if len(pending) > 3:
                break
        elif not line.strip() and pending:
            break
        elif line.strip():
            break  # the heading above the list
    if len(entries) < 2 or not any(
            match_strength(body, keys, idf, month_first)[0] >= DISCOVER_THRESHOLD
            for body in entries.values()):
        return None
    return start, entries


# the report's own key of short forms: "KPA = Kelmar Port Authority", "TDC: Tarrow District Council"
# (a capitalised short form), or a markdown table row "| short title | document | ... |"
_KEY_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?(?P<k>[A-Z][\w&/.-]{0,11})[ \t]*"
                       r"(?:=|:(?=[ \t]+[A-Z]))[ \t]*(?P<v>\S[^\n]{2,160})$", re.MULTILINE)
_KEY_ROW = re.compile(r"^[ \t]*\|(?P<k>[^|\n]{2,60})\|(?P<v>[^\n]{3,600})\|[ \t]*$",
                      re.MULTILINE)
_WRAP_OPENERS = "([{⟨«【〔<"


def report_key(text: str) -> dict[str, str]:
    """The short forms a report defines for itself, lower-cased, with what they stand for:
    "KPA = Kelmar Port Authority" lines (the short form in capitals with "=" or ":") and the
    rows of a markdown table whose first cell is the short title. A citation in short form
    names what its key says."""
    lines, rows = report_keys(text)
    return {**rows, **lines}


# a period or figure, not a short name: "Q2", "H1", "FY25", "2024"
_NOT_SHORT_FORM = re.compile(r"[QH][1-4]|FY[\d/-]*|\d[\w/.-]*")


def report_keys(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`report_key` in two parts: the key lines, whose short forms are spelt out
    inside a citation, and the table rows, which name a document only as a citation's
    whole label (a row of figures keyed "Q2" is a table of data, not a key: spelling its
    "Q2" out of "Bulletin, Q2" would drop the quarter the citation states). A value
    without a word, or a short form that is a period or a figure, is no key."""
    lines: dict[str, str] = {}
    rows: dict[str, str] = {}
    for m in _KEY_LINE.finditer(text):
        k = m.group("k").strip()
        v = m.group("v").strip()
        if ("=" in m.group() or k.isupper()) and not _NOT_SHORT_FORM.fullmatch(k) \
                and _PLAIN_WORD.search(v) and not _ENDS_SENTENCE.search(v) \
                and not _prose(re.sub(r"\([^()\n]*\)", " ", v)):
            # a name (its gloss in brackets aside), not a remark ("NOTE: All figures are
            # provisional.")
            lines.setdefault(k.lower(), v)
    for m in _KEY_ROW.finditer(text):
        k = m.group("k").strip(" *_")
        cells = [c.strip(" *_") for c in m.group("v").split("|")]
        cells = [c for c in cells if c and c not in ("-", "–", "—")]
        if k and cells and not re.fullmatch(r"[-:\s]+", k + "".join(cells)) \
                and not _NOT_SHORT_FORM.fullmatch(k) and _PLAIN_WORD.search(" ".join(cells)):
            rows.setdefault(k.lower(), ", ".join(cells))
    return lines, rows


def expand(label: str, key: dict[str, str], rows: dict[str, str] | None = None
           ) -> str | None:
    """What a citation in short form stands for by the report's key: the whole label as a
    short title (a key line or a table row), else the label with the key lines' short
    forms spelt out ("KPA, berth notice" -> "Kelmar Port Authority, berth notice");
    None when the key says nothing of it."""
    if not key and not rows:
        return None
    name = re.sub(r"\s+", " ", label).strip(" .,;").lower()
    whole = key.get(name) or (rows or {}).get(name)
    if whole:
        return whole
    hits = 0

    def spell(m: re.Match[str]) -> str:
        nonlocal hits
        w = m.group()
        if w.lower() in key and (w.isupper() or "&" in w):
            hits += 1
            return key[w.lower()]
        return w

    out = re.sub(r"(?<![\w&/.-])[A-Z][\w&/.-]{0,11}", spell, label)
    return out if hits else None


# an entry of the report's own index of documents: "Folder 3  Harbour Board, notice, 2 May
# 2025", "Exhibit 12: ...", "Doc 4 - ..."; one word and a number, then the entry (each run
# of blanks is read by one quantifier or a group that fails at once: linear)
_INDEX_LINE = re.compile(r"^[ \t]*(?P<w>[A-Z][A-Za-z.]{0,11})[ \t]+(?P<n>\d{1,3})"
                         r"(?:[.:)]|[ \t]+[–—-])?[ \t]+(?P<body>[^\s\d][^\n]{2,400})$")
INDEX_MIN = 3  # entries with one key word an index needs


_INDEX_DATE = re.compile(r"\b(?:19|20)\d\d\b|\d\.\d\d?\.\d\d")


def report_index(text: str, keys: SourceKeys, idf: dict[str, float],
                 month_first: bool | None = None) -> dict[str, str]:
    """The report's own index of the documents it cites, by number: a block of three lines
    or more opened by one key word and a number ("Folder 1  X", "Folder 2  Y"; an indented line
    under an entry continues it), most of whose entries carry a date and one of which names a
    provided source. Citations that name only a place in a bundle ("[B/2/14]") are read
    through it. The last such block counts. One pass over the lines."""
    best: dict[str, str] = {}
    block: dict[str, str] = {}
    word = ""
    last: str | None = None
    for line in [*text.split("\n"), ""]:
        m = _INDEX_LINE.match(line)
        if m and (not block or m.group("w") == word) and str(int(m.group("n"))) not in block:
            word, last = m.group("w"), str(int(m.group("n")))
            block[last] = m.group("body").strip()
        elif block and last and line[:1] in " \t" and line.strip():
            block[last] += " " + line.strip()
        else:
            dated = sum(bool(_INDEX_DATE.search(b)) for b in block.values())
            # most entries dated: documents, not a table of contents ("Part 2  Scope")
            if len(block) >= INDEX_MIN and 2 * dated > len(block) and any(
                    match_strength(b, keys, idf, month_first)[0] >= DISCOVER_THRESHOLD
                    for b in block.values()):
                best = block
            block, word, last = {}, "", None
            m = _INDEX_LINE.match(line)
            if m:
                word, last = m.group("w"), str(int(m.group("n")))
                block[last] = m.group("body").strip()
    return best


def index_place(labels: Sequence[str], index: dict[str, str]) -> int | None:
    """Which number of a bundle reference picks the index entry ("B/2/14": the second, its
    folder): the place whose numbers are index entries for most of ``labels``, when that is at
    least two of them and half of those with numbers; None otherwise."""
    numbered = [re.findall(r"\d+", x) for x in labels]
    numbered = [n for n in numbered if n]
    if not index or not numbered:
        return None
    hits = Counter(i for n in numbered for i, v in enumerate(n) if str(int(v)) in index)
    if not hits:
        return None
    place, count = max(hits.items(), key=lambda kv: (kv[1], -kv[0]))
    return place if count >= 2 and 2 * count >= len(numbered) else None


def discover_markers(text: str, sources: Sequence[SourceDoc], idf: dict[str, float],
                     month_first: bool | None = None,
                     taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Citation markers found from the sources' metadata, as (start, end, label): spans in
    a citation's place (:func:`wrapped_candidates`) that name a provided source strongly
    (:func:`match_strength` at least ``DISCOVER_THRESHOLD``, a short form read through the
    report's own key), outside the markers already ``taken``. A house style nobody described
    is found when it names what was provided; and once two spans of one bracket shape in
    one place (closing a clause, or a line of their own) are found so, every span of that
    shape there is a citation too ("[Staff reporting.]" among sourced side notes): the
    sources confirm the style, the rest of it cites what was not provided."""
    if not sources:
        return []
    keys = SourceKeys(sources)
    key, rows = report_keys(text)
    used = bytearray(len(text) + 1)
    for s, e in taken:
        used[s:e] = b"\x01" * max(0, e - s)
    notes_start, notes = note_markers(text, keys, idf, month_first)
    out: list[tuple[int, int, str]] = []
    for start, end, label in notes:
        if used.find(1, start, end) < 0:
            out.append((start, end, label))
            used[start:end] = b"\x01" * (end - start)
    seen: dict[str, float] = {}  # a house style repeats its credits: each is scored once
    confirmed: Counter[tuple[str, str, bool]] = Counter()
    rest: list[tuple[int, int, str, tuple[str, str, bool]]] = []
    for start, end, body in sorted(wrapped_candidates(text), key=lambda c: (c[0], -c[1])):
        if start >= notes_start or used.find(1, start, end) >= 0:
            continue
        if body not in seen:
            full = expand(credit_of(body), key, rows)
            seen[body] = max(match_strength(body, keys, idf, month_first)[0],
                             match_strength(full, keys, idf, month_first)[0] if full else 0.0)
        shape = (text[start], text[end - 1], _whole_line(text, start, end))
        if seen[body] >= DISCOVER_THRESHOLD:
            out.append((start, end, credit_of(body)))
            used[start:end] = b"\x01" * (end - start)
            confirmed[shape] += 1
        elif text[start] in _WRAP_OPENERS:
            rest.append((start, end, body, shape))
    for start, end, body, shape in rest:
        if confirmed[shape] >= 2 and used.find(1, start, end) < 0 and not any(
                t in _SAYING for t in _PLAIN_WORD.findall(body)) and not (
                body.lstrip()[:1].islower() and _prose(body)):
            # an aside of the same shape running on from the sentence ("[not for the first
            # time]") says something: no credit of the house style, which opens as a
            # note does ("[Interviews with two traders.]", "[pilot chat]")
            out.append((start, end, credit_of(body)))
            used[start:end] = b"\x01" * (end - start)
    return sorted(out)


def _whole_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is all of its line (blanks aside)."""
    return not text[text.rfind("\n", max(0, start - _LOOK_BACK), start) + 1 or start:start
                     ].strip() and bool(_LINE_END.match(text, end))


def _opening(text: str, cit: Citation, stacked: bool = False) -> tuple[int, int] | None:
    """The stretch a source line opens: a marker that is its whole line, with a blank line
    (or a heading) above and text right under it, vouches for the text under it up to the
    paragraph's end ("<< X, notice, 03.02.24 >>" over the item it sources)."""
    if not _whole_line(text, cit.start, cit.end):
        return None
    nl = text.find("\n", cit.end)
    if nl < 0 or nl + 1 >= len(text) or not text[nl + 1:nl + 2].strip():
        return None
    above = text[:cit.start].rstrip(" \t")
    prev_line = above[above.rfind("\n", 0, len(above) - 1) + 1:].strip() if above else ""
    if prev_line and not (stacked or above.endswith("\n\n") or prev_line.isupper()):
        return None
    end = text.find("\n\n", nl + 1)
    end = len(text) if end < 0 else end
    return nl + 1, end


def with_discovered(report: Document, sources: Sequence[SourceDoc], idf: dict[str, float],
                    month_first: bool | None = None) -> Document:
    """``report`` with the markers :func:`discover_markers` finds added to its citations
    and every citation scoped again (a copy; the report passed in is left as it is). A
    citation in a short form the report's key defines gets the key's words as its label;
    a discovered source line over a paragraph vouches for that paragraph."""
    return discovered(report, sources, idf, month_first)[0]


def discovered(report: Document, sources: Sequence[SourceDoc], idf: dict[str, float],
               month_first: bool | None = None
               ) -> tuple[Document, set[tuple[int, int, str, str | None]]]:
    """:func:`with_discovered`, and the citations it made or changed as (start, end,
    label, reference): those the report's own patterns did not give as they stand, whose
    links :func:`guard_link` checks."""
    known = [(c.start, c.end) for c in report.citations]
    extra = discover_markers(report.text, sources, idf, month_first, known)
    notes = numbered_notes(report.text, SourceKeys(sources), idf, month_first) if any(
        c.kind in ("numeric", "footnote") and not c.reference for c in report.citations) \
        else None
    key, rows = report_keys(report.text) if sources else ({}, {})
    # labels that name nothing but a place in the report's own bundle ("[B/2/14]")
    bare = [c.label for c in report.citations if c.kind == "label" and not c.reference
            and c.resolvability is Resolvability.GENERIC and re.search(r"\d", c.label)]
    index = report_index(report.text, SourceKeys(sources), idf, month_first) \
        if sources and bare else {}
    place = index_place(bare, index)
    if not extra and not notes and not key and not rows and place is None:
        return report, set()
    cits = find_citations(report.text, report.paragraphs, report.sentences, extra, notes) \
        if extra or notes else [c.model_copy() for c in report.citations
                                if c.kind != "according_to"]
    found = {(s, e) for s, e, _lab in extra}
    opened: list[Citation] = []
    lines: list[int] = []  # starts of the markers that are lines of their own
    for c in sorted(cits, key=lambda c: (c.start, c.end)):
        if c.kind == "label" and not c.reference:
            full = expand(c.label, key, rows)
            if not full and place is not None and c.label in bare:
                n = re.findall(r"\d+", c.label)
                full = index.get(str(int(n[place]))) if place < len(n) else None
            if full:  # what it cites, spelt out ("text" keeps the marker as written)
                c.label = full
                c.resolvability = grade(c)
        if _whole_line(report.text, c.start, c.end):
            lines.append(c.start)
        if (c.start, c.end) in found:
            # a source line right under an item another source line of its shape opened
            # opens the next item too (a block of items without blank lines between)
            last = opened[-1] if opened else None
            span = _opening(report.text, c, stacked=bool(
                last and last.scope[0] <= c.start < last.scope[1]
                and report.text[last.start] == report.text[c.start]
                and report.text[last.end - 1] == report.text[c.end - 1]))
            if span:
                c.scope = span
                opened.append(c)
    for c in opened:
        # an item's source line vouches up to the next source line, not over its items
        i = bisect.bisect_right(lines, c.start)
        if i < len(lines) and lines[i] < c.scope[1]:
            c.scope = (c.scope[0], lines[i])
    have = bytearray(len(report.text) + 1)
    for c in cits:
        have[c.start:c.end] = b"\x01" * max(0, c.end - c.start)
    kept = [c for c in report.citations if c.kind == "according_to"
            and have.find(1, c.start, max(c.end, c.start + 1)) < 0]
    merged = sorted([*cits, *kept], key=lambda c: (c.start, c.end))
    before = {(c.start, c.end, c.label, c.reference) for c in report.citations}
    new = {(c.start, c.end, c.label, c.reference) for c in merged} - before
    return report.model_copy(update={"citations": merged}), new


LINK_MARGIN = 0.1  # score by which a found citation's source must beat any other (notes)


def guard_link(lk: dict[str, Any], label: str, reference: str | None,
               sources: Sequence[SourceDoc], idf: dict[str, float],
               month_first: bool | None = None) -> None:
    """Keep a link (of any citation: the report's own pattern markers too, since session
    11) only when it names one source: no place in a series it states ("Issue 9", "Q2")
    disagrees with the source's, and no other source without a conflict scores within
    ``LINK_MARGIN`` of it (two bulletins of one publisher, a citation giving neither's
    date). Otherwise the link becomes a near miss: a missed link is flagged, a wrong one
    gives wrong verdicts on every claim under it. A URL or case name match is kept as it
    is."""
    linked = lk["link"]
    if not linked or linked.get("method") in ("url", "case name", "same URL"):
        return
    whole = " ".join(x for x in (label, reference or "") if x)
    cf = citation_fields(label, reference, month_first)
    by_id = {s.id: s for s in sources}
    scored = lk.get("scored") or sorted((score_source(cf, s, idf) for s in sources),
                                        key=lambda r: (-r["score"], r["document"]))
    fit = [r for r in scored if not r["conflicts"]
           and not stated_conflict(whole, by_id[r["document"]])]
    if fit:  # one document given twice (a page and its text) is no rival of itself
        top_src = by_id[fit[0]["document"]]
        fit = [fit[0], *(r for r in fit[1:]
                         if not same_document(top_src, by_id[r["document"]]))]
    if fit and fit[0].get("base", 0.0) >= LINK_THRESHOLD and (
            len(fit) == 1 or fit[1]["score"] < fit[0]["score"] - LINK_MARGIN):
        top = fit[0]
        if top["document"] != linked["document"]:
            lk["link"] = {"document": top["document"], "method": top["method"],
                          "score": top["score"], "fields": top["fields"]}
        return
    ok = bool(fit) and fit[0].get("base", 0.0) >= LINK_THRESHOLD
    # two or more that could be it, or the one it states otherwise (its issue, quarter)
    rivals = [r["document"] for r in fit if fit[0]["score"] - r["score"] <= LINK_MARGIN] \
        if ok else [linked["document"]]
    lk["link"] = None
    lk["near_miss"] = {"documents": rivals,
                       "conflicts": ["ambiguous"] if len(rivals) > 1 else ["number"],
                       "cited": _cited_words(cf),
                       "coverage": next((r.get("coverage", 0.0) for r in scored
                                         if r["document"] == rivals[0]), 0.0)}


SAME_DOCUMENT = 0.7  # share of the shorter text's word 4-grams two copies of one document share


def same_document(a: SourceDoc, b: SourceDoc) -> bool:
    """Whether two provided files are one document (a page saved as HTML and as text, a
    file given twice): the same name, or most of the shorter one's running text in the
    other, with no date or place in a series that tells them apart. Two issues of one
    bulletin share a template but differ in their figures, dates and numbers."""
    if a.id == b.id:
        return True
    if a.meta.date and b.meta.date and a.meta.date != b.meta.date:
        return False
    if stated_conflict(" ".join([b.meta.title or "", *b.meta.heading, b.id]), a):
        return False
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return False
    if len(ga & gb) < SAME_DOCUMENT * min(len(ga), len(gb)):
        return False
    # every line of running text of each is in the other: two releases sharing an "About
    # us" block, or a story reprinting a release, each have a line the other lacks
    return _lines_in(a, gb) and _lines_in(b, ga)


def _lines_in(src: SourceDoc, grams: frozenset[tuple[str, ...]]) -> bool:
    """Whether every line of six or more words of ``src`` has most of its 4-grams in
    ``grams`` (the other text's): shared boilerplate alone does not make one document."""
    for line in src.text.split("\n"):
        w = re.findall(r"\w+", line.lower())
        own = _four_grams(w)
        if len(w) >= 6 and 2 * len(own & grams) < len(own):
            return False
    return True


def _grams(src: SourceDoc) -> frozenset[tuple[str, ...]]:
    """The word 4-grams of a source's text (figures kept: they tell issues apart)."""
    if "grams" not in src.cache:
        src.cache["grams"] = _four_grams(re.findall(r"\w+", src.text.lower()))
    return src.cache["grams"]


def _four_grams(words: list[str]) -> frozenset[tuple[str, ...]]:
    """The word 4-grams of a run of words (one text's, or one line's)."""
    return frozenset(zip(words, words[1:], words[2:], words[3:], strict=False))


def _share_links(cits: Sequence[Citation], links: list[dict[str, Any]]) -> None:
    """A citation that points where a linked one points (the same URL, after
    normalisation) names the same document: "[listen](url)" after
    "[Radio X's programme](url)". The report itself says so, whatever its words."""
    def keys(c: Citation) -> set[str]:
        return {norm_url(u) for u in find_urls(f"{c.label} {c.reference or ''}")}

    target: dict[str, dict[str, Any]] = {}
    for c, lk in zip(cits, links, strict=True):
        if lk["link"] is not None:
            for k in keys(c):
                target.setdefault(k, lk["link"])
    for c, lk in zip(cits, links, strict=True):
        if lk["link"] is None and lk["near_miss"] is None:
            hit = next((target[k] for k in sorted(keys(c)) if k in target), None)
            if hit is not None:
                lk["link"] = {**hit, "method": "same URL", "fields": ["url"]}


def _infer(claim_texts: list[str], sources: Sequence[SourceDoc]) -> dict[str, Any] | None:
    """The one source every claim matches closely, by content-word coverage alone."""
    picks: list[tuple[str, float]] = []
    for claim in claim_texts:
        q = content_tokens(claim)
        if len(q) < 3:
            return None
        best = ("", 0.0)
        for src in sources:
            toks = _cheap_tokens(src)
            score = max((coverage(q, t) for t in toks), default=0.0)
            if score > best[1]:
                best = (src.id, score)
        picks.append(best)
    ids = {p[0] for p in picks}
    mean = sum(p[1] for p in picks) / len(picks)
    if len(ids) == 1 and mean >= INFER_COVERAGE:
        return {"document": picks[0][0], "inferred": True, "coverage": round(mean, 4)}
    return None


# --- found citations that link nowhere: checked by content -------------------------------

# A marker found (by the report's pattern, by discovery or by the induced house style) that
# names nothing the linker reads links to no source; its claims were flagged
# source_not_provided although, unfound, they would have been checked as claims by content.
# When no field of the citation agrees with any source (no near miss), the citation is not
# generic, its claims that one source says strongly (the claims-by-content decision: found
# score INFER_FOUND, margin INFER_MARGIN over every other source, not a reference line) all
# name that source, and the citation states nothing that conflicts with it (a date, a type,
# a number), every claim under the citation is checked against that source and marked
# inferred; the citation stays unlinked. Calibration: with every marker found but none
# linked (`benchmarks/eval_audit.py --no-links`), leave-one-set-out over tune..tune9 for
# (found score, margin, claims that must pick the source: 1, 2 or half) - fitted on eight
# sets, scored on the ninth, right claims minus claims under a wrong or trap citation -
# the claims-by-content constants (0.9, 0.25) with one claim did as well as the folds' own
# fits (603 right, 6 wrong, 17 trap claims against 607, 8, 20), so they are reused.
UNLINKED_STRONG = 1  # claims of a citation that must pick its source that strongly


def _claims_words(n: int) -> str:
    """"1 other claim" / "2 other claims": how many of a citation's claims picked its
    source, said of one that did not."""
    return f"{n} other claim" if n == 1 else f"{n} other claims"


def _rarity(sources: Sequence[SourceDoc]
            ) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """Each source's index (its vocabulary filled) and how rare each word is across the
    folder (log inverse document frequency): what a sentence is looked up by, in
    :func:`_near_sources`. Computed once per audit."""
    ixs = {src.id: _index(src) for src in sources}
    df = Counter(t for src in sources for t in _vocab(ixs[src.id]))
    return ixs, {t: math.log(1 + len(sources) / f) for t, f in df.items()}


def _near_sources(query: str, sources: Sequence[SourceDoc], ixs: dict[str, dict[str, Any]],
                  rare: dict[str, float]) -> list[SourceDoc]:
    """The few sources worth scoring ``query`` against, as :func:`inferred_claims` picks
    them: the INFER_SOURCES sharing most of its rarer words, with a sentence covering
    INFER_PREFILTER of its words (cheap: no MiniLM)."""
    q = content_tokens(query)
    if len(q) < INFER_WORDS:
        return []
    qs = set(q)
    ranked = sorted(sources, key=lambda x: -sum(rare.get(t, 0.0) for t in qs
                                                 if t in ixs[x.id]["vocab"]))
    return [x for x in ranked[:INFER_SOURCES] if _closest_cover(q, ixs[x.id]) >= INFER_PREFILTER]


def _content_pick(query: str, qvec: Any, near: Sequence[SourceDoc]
                  ) -> tuple[SourceDoc, dict[str, Any]] | None:
    """The one source of ``near`` that says ``query`` strongly by the claims-by-content
    decision (:func:`inferred_claims` and :func:`_unlinked_by_content` both use it), with
    its score and runner-up."""
    q = content_tokens(query)
    scored = []
    for src in near:
        ev = best_evidence(query, src, qvec)
        if ev is not None:
            value = found_score(ev) if ev.get("cosine") is not None else ev["coverage"]
            scored.append((value, src, ev))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    best, src, ev = scored[0]
    if coverage(q, _naming(src)) >= INFER_NAMING:
        return None  # a reference entry or source line: it names the document
    # the runner-up: the best other source that is not another copy of the same document
    second = next((v for v, other, _e in scored[1:] if not same_document(src, other)), 0.0)
    need = INFER_FOUND if ev.get("cosine") is not None else INFER_FOUND_PLAIN
    if best < need or best - second < INFER_MARGIN:
        return None
    return src, {"score": round(best, 4), "runner_up": round(second, 4),
                 "coverage": ev["coverage"]}


_NAME_RUN = re.compile(r"(?<![\w'’-])[A-Z][a-z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]+)+")
# words a citation points inside or at a document with, not words that name one
_POINTER_WORDS = frozenset("""see source sources citation cited quoted ref reference note notes
table figure fig annex annexe appendix page para paragraph section chapter part volume item tab
bundle exhibit schedule ibid""".split())
_TYPE_WORDS = frozenset(w for names in DOC_TYPES.values() for name in names for w in name.split())


def _foreign_names(stated: str, src: SourceDoc, ix: dict[str, Any]) -> list[str]:
    """Names of two or more capitalised words in a citation with a word the source never
    uses, neither in its text nor in what names it. A citation naming a publisher or a
    title the source does not know ("Carrowby Evening Star") cites another document (a
    newspaper repeating a press release, say): the source its claims say is then only
    suggested, never checked as the one cited (review 13b). One capitalised word is a key
    the report may coin for a bundle or a file, so it does not count."""
    if "known" not in src.cache:  # every line counts, a short one too (a signature)
        src.cache["known"] = set().union(*_cheap_tokens(src), _vocab(ix), _naming(src))
    known = src.cache["known"]
    out = []
    for m in _NAME_RUN.finditer(stated):
        words = [w for w in m.group().split()
                 if w.lower() not in _POINTER_WORDS and w.lower() not in _TYPE_WORDS]
        toks = [t for w in words for t in content_tokens(w)]  # no stopwords, months, weekdays
        if len(toks) >= 2 and any(t not in known for t in toks):
            out.append(" ".join(words))
    return out


def _unlinked_by_content(report: Document, blank: str, cits: Sequence[Citation],
                         links: list[dict[str, Any]], spans_per_cit: list[list[tuple[int, int]]],
                         sources: Sequence[SourceDoc], rarity: tuple[dict[str, dict[str, Any]],
                                                                     dict[str, float]]
                         ) -> dict[int, tuple[SourceDoc, dict[str, Any], dict[Any, Any]]]:
    """Citation index -> (the source its claims say, how sure, {span: (core, query,
    vector, whether that claim picked the source)}) for each found citation that links
    nowhere, has no near miss and is not generic, whose claims one source says strongly
    and that states nothing against it."""
    want = [i for i, (c, lk, spans) in enumerate(zip(cits, links, spans_per_cit, strict=True))
            if lk["link"] is None and lk["near_miss"] is None and spans
            and (c.resolvability or Resolvability.GENERIC) is not Resolvability.GENERIC]
    if not want or not sources:
        return {}
    ixs, rare = rarity
    work: dict[tuple[int, int], tuple[str, str]] = {}
    near: dict[tuple[int, int], list[SourceDoc]] = {}
    for i in want:
        for span in spans_per_cit[i]:
            core = _core(report, span, blank)
            work[span] = (core, _query(core, blank, span))
            near[span] = _near_sources(work[span][1], sources, ixs, rare)
    wanted = {x.id: x for xs in near.values() for x in xs}
    if not wanted:
        return {}
    _prepare(list(wanted.values()))
    semantic = any(ixs[k]["vectors"] is not None for k in wanted)
    vecs = _encode([q for _c, q in work.values()]) if semantic else None
    qvecs = dict(zip(work, vecs, strict=True)) if vecs is not None else {}
    by_id = {s.id: s for s in sources}
    out: dict[int, tuple[SourceDoc, dict[str, Any], dict[Any, Any]]] = {}
    for i in want:
        spans = spans_per_cit[i]
        chosen = {sp: p for sp in spans if near[sp] and (
            p := _content_pick(work[sp][1], qvecs.get(sp), near[sp])) is not None}
        picks = list(chosen.values())
        if len(picks) < UNLINKED_STRONG:
            continue
        src = picks[0][0]
        if any(p[0].id != src.id and not same_document(src, p[0]) for p in picks):
            continue  # its claims say two documents: which one it names is not known
        # the citation states a date, type or number the source does not have: another
        # document of the same kind, which is not in the folder
        row = next((r for r in links[i].get("scored") or [] if r["document"] == src.id), None)
        if row is not None and row["conflicts"]:
            continue
        stated = " ".join(x for x in (cits[i].label, cits[i].reference or "") if x)
        if stated_conflict(stated, by_id[src.id]) or _foreign_names(stated, src, ixs[src.id]):
            continue
        best = max(picks, key=lambda p: p[1]["score"])[1]
        out[i] = (src, {**best, "strong_claims": len(picks), "claims": len(spans)},
                  {sp: (*work[sp], qvecs.get(sp), sp in chosen) for sp in spans})
    if out:
        _analyse_sources(list({v[0].id: v[0] for v in out.values()}.values()))
    return out


def _cheap_tokens(src: SourceDoc) -> list[set[str]]:
    if "cheap" not in src.cache:
        src.cache["cheap"] = [set(content_tokens(src.text[s.start:s.end]))
                              for s in regex_sentences(src.text)]
    return src.cache["cheap"]


# --- claims by content: sentences no found citation vouches for -------------------------

# A report in a citation style nobody described loses its claims with its markers: the
# claims under a marker that is never found are never checked. A sentence outside the scope
# of every found citation that one provided source says strongly (and clearly better than
# any other source) is checked against it all the same, marked inferred, never linked: this
# reads the sentence and the sources only, not how the report writes its citations.
INFER_FOUND = 0.9  # found score (found_score) a sentence's best source sentence needs (LOSO, notes)
INFER_MARGIN = 0.25  # found score by which that source must beat the runner-up (LOSO, notes)
INFER_FOUND_PLAIN = 0.6  # word coverage instead, without MiniLM (LOSO with no markers, notes)
INFER_WORDS = 3  # content words a sentence needs to be looked up at all (as `_query` asks)
INFER_SOURCES = 3  # sources it is looked up in: those sharing most of its rarer words
INFER_SHORTLIST = 16  # source sentences scored exactly, from the rarer words' postings
INFER_PREFILTER = 0.5  # word coverage one of them must reach for MiniLM to be asked

INFER_LINE_WORDS = 8  # words a line needs to be read as a statement without a full stop
# a sentence a reader reads as a statement ends like one, or is long: headings, titles and
# bylines are short lines without a full stop (a mark in an unknown style may stand where
# the full stop would)
_STATEMENT_END = re.compile(r"[.!?][\"'”’)\]*_]*\s*$")
_HAS_URL = re.compile(r"(?i:https?://|www\.)")


INFER_TAIL = 80  # characters of a sentence's end in which a mark of an unknown style is sought
# a symbol that opens no prose (brackets, braces, daggers, carets, pipes...): what follows
# it at the end of a sentence no found citation covers is read as its unfound mark, whatever
# the style (a closing aside in brackets is read so too: its figure is then not checked)
_OPENER = re.compile(r"[^\w\s.,;:!?'\"’‘“”%$£€¥&/+\-—–]|[⁰¹²³⁴-⁹]")  # "2024/25", "+5%" are prose
# a note token in any bracket ("[^3]", "(12)", "{a}"), or superscript figures: no prose has
# a bracket without a space in it that short, so it is blanked in sentences no found
# citation covers (which also lets "...year.[^1] Only ..." split into two sentences)
_NOTE_TOKEN = re.compile(r"[\[({]\^?[^\s\[\](){}]{1,8}[\])}]|[⁰¹²³⁴-⁹]+")
# a figure with a unit ("£4.5m", "25%", "3.1") is prose, never a note number
_UNIT = re.compile(r"[%£$€¥]|\d[.,]\d|\d\s?(?:m|bn|k|km|kg|per cent)\b")


def _mark_shape(text: str) -> str:
    """A mark's shape: runs of letters and of digits abstracted ("⟪qh 31⟫" and
    "⟪bl 7⟫" -> "⟪a 9⟫"), so the marks of one style count together. Not
    ``extract.citations._shape``, which keeps wrappers, capitals and lower case apart to
    induce a house style; this one only groups unfound marks."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", text.strip()))


INFER_NAMING = 0.5  # share of a sentence's words naming its source (title, publisher...):
# from it on the sentence cites the source rather than says what it says


def _unmarked_tail(blank: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where a sentence outside every citation ends in what reads as an unfound marker:
    from the first symbol that opens no prose in its last INFER_TAIL characters to its end
    (a final full stop kept); None when there is none. Blanked like a found marker, so a
    note number or a date inside it is no detail of the claim."""
    s, e = span
    text = blank[s:e].rstrip()
    end = s + len(text)
    if text and text[-1] in ".!?":
        end -= 1
    lo = max(s, end - INFER_TAIL)
    m = _OPENER.search(blank, lo, end)
    if m is None or m.start() - s < 12:
        return None
    return m.start(), end


def _postings(ix: dict[str, Any]) -> dict[str, list[int]]:
    """Content word -> the source sentences holding it; cached in the source's index."""
    if "postings" not in ix:
        post: dict[str, list[int]] = {}
        for k, toks in enumerate(ix["tokens"]):
            for t in toks:
                post.setdefault(t, []).append(k)
        ix["postings"] = post
    return ix["postings"]


def _closest_cover(q: list[str], ix: dict[str, Any]) -> float:
    """The best word coverage of ``q`` by one source sentence, found through the postings
    of the rarer half of its words (a sentence holding half of them holds one of those),
    so the cost follows the words' postings, not the source's length x the report's."""
    post = _postings(ix)
    words = sorted(set(q), key=lambda t: (len(post.get(t, ())), t))
    rare = words[:len(words) // 2 + 1]
    hits: Counter[int] = Counter()
    for t in rare:
        hits.update(post.get(t, ()))
    return max((coverage(q, ix["tokens"][k]) for k, _n in hits.most_common(INFER_SHORTLIST)),
               default=0.0)


def _uncited_statements(report: Document, blank: str, spans_per_cit: list[list[tuple[int, int]]]
             ) -> list[tuple[int, int]]:
    """The report's sentences that no found citation vouches for and that hold none of
    its markers, and read as statements (a full stop at the end or INFER_LINE_WORDS words,
    no URL)."""
    # the found citations' claims and markers, as sorted runs: a sentence meeting one is
    # theirs (even where it is cut otherwise than they cut it)
    runs: list[tuple[int, int]] = []
    for a, b in sorted([sp for spans in spans_per_cit for sp in spans]
                       + [(c.start, c.end) for c in report.citations]):
        if runs and a <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], b))
        else:
            runs.append((a, b))
    ends = [b for _a, b in runs]
    out = []
    for sent in regex_sentences(blank, join_wrapped=False):
        s, e = sent.start, sent.end
        k = bisect.bisect_right(ends, s)
        if k < len(runs) and runs[k][0] < e:
            continue
        text = blank[s:e]
        if _HAS_URL.search(text) or not (_STATEMENT_END.search(text) or len(
                re.findall(r"\w+", text)) >= INFER_LINE_WORDS):
            continue
        out.append((s, e))
    return out


def _listing_sections(blank: str) -> list[tuple[int, int]]:
    """The stretches of the report under a heading that lists documents (references,
    sources, an index to a bundle), each up to the next heading: a heading line after a
    blank line that is a markdown heading, in capitals, or at most 8 words with no figure,
    comma or full stop. One pass over the lines."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    pos, blank_before = 0, True
    for line in blank.splitlines(keepends=True):
        text = line.strip()
        if start is not None and blank_before and text and (
                text.startswith("#") or (text.isupper() and len(text.split()) <= 8) or (
                len(text.split()) <= 8 and not re.search(r"[\d,.;:]", text))):
            out.append((start, pos))
            start = None
        if start is None and blank_before and list_heading(text):
            start = pos + len(line)
        blank_before = not text
        pos += len(line)
    if start is not None:
        out.append((start, len(blank)))
    return out


def _not_asserted(report: Document, blank: str, spans: list[tuple[int, int]]
                  ) -> set[tuple[int, int]]:
    """The sentences among ``spans`` that the report sets out without asserting them, so
    they are no claims of its own to check by content: a quotation standing alone (a claim
    put up for examination), a claim reported in order to be rejected (an attribution with
    a source and a cue that does not present it as true, or a claim named as such, and a
    verdict: "falsely claimed", "..., but that is wrong", a next sentence "That is false."
    or "It did not."; "The false claim that ...", "Claim: ..."), a line about the report
    itself (a disclaimer, a credit or contact line, and the rest of a short paragraph
    holding one), and the lines of a section that lists documents. The checks cannot
    read such framing: they found "X claimed P. That is false." supported by a source
    saying P, and by one saying not-P. Linear: one sentence split, bisection."""
    sents = [(x.start, x.end) for x in regex_sentences(blank, join_wrapped=False)]
    starts = [a for a, _b in sents]
    listed = _listing_sections(blank)
    # short paragraphs (at most 3 sentences) holding a line about the report itself
    meta: list[tuple[int, int]] = []
    para_breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", blank)] + [len(blank)]
    lo = 0
    for hi in para_breaks:
        inside = sents[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]
        if inside and len(inside) <= 3 and any(about_itself(blank[a:b]) for a, b in inside):
            # its other sentences go with it (a credit line, "X is an independent
            # magazine"), but not one that holds a figure or a date: that is a claim
            meta += [(a, b) for a, b in inside if about_itself(blank[a:b]) or not figures(
                blank[a:b])]
        lo = hi
    # the two merged into sorted runs that do not overlap: a sentence finds its run by
    # bisection
    runs: list[tuple[int, int]] = []
    for a, b in sorted(listed + meta):
        if runs and a <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], b))
        else:
            runs.append((a, b))
    run_starts = [a for a, _b in runs]
    out: set[tuple[int, int]] = set()
    for span in spans:
        s, e = span
        text = blank[s:e]
        r = bisect.bisect_right(run_starts, s) - 1
        if (r >= 0 and s < runs[r][1]) or wholly_quoted(text) or rejecting_open(text) \
                or about_itself(text):
            out.add(span)
            continue
        k = bisect.bisect_left(starts, e)
        reply = k < len(sents) and verdict_reply(blank[sents[k][0]:sents[k][1]])
        if reply and names_a_claim(text):
            out.add(span)
            continue
        for att in claim_speakers(report, s, e):
            if att.source is None or not s <= att.cue.start < e or stance_of(
                    report.text[att.cue.start:att.cue.end]) is Stance.FACTIVE:
                continue  # "revealed", "confirmed": the report takes it as true
            c0 = min((a for a, _b in att.content.fragments), default=att.cue.end) \
                if att.content is not None else e
            if reply or judged_in_place(text, max(0, att.cue.end - s), max(0, c0 - s)):
                out.add(span)
                break
    return out


def inferred_claims(report: Document, blank: str, spans_per_cit: list[list[tuple[int, int]]],
                    sources: Sequence[SourceDoc],
                    rarity: tuple[dict[str, dict[str, Any]], dict[str, float]] | None = None
                    ) -> list[dict[str, Any]]:
    """Claims by content: each sentence outside every found citation's scope whose best
    sentence in one provided source scores at least INFER_FOUND and beats the best of
    every other source by INFER_MARGIN is audited against that source like a linked
    claim, with ``citation`` None and ``inferred`` saying which source and how sure. One
    that the checks then find unsaid is dropped: only strong matches become claims.
    Linear in the report: a sentence meets INFER_SOURCES sources and, in each, the
    sentences its rarer words index."""
    if not sources:
        return []
    ixs, rare = rarity or _rarity(sources)
    todo: list[tuple[tuple[int, int], str, str, list[SourceDoc]]] = []
    # a mark of a style recurs: a token or tail is blanked only when its shape closes
    # another spot of the report too and it holds no figure with a unit, so a one-off
    # "(£4.5m)" or "(up from 290 a year earlier)" stays a detail of the claim
    notes = [m for m in _NOTE_TOKEN.finditer(blank) if not _UNIT.search(m.group())]
    seen = Counter(_mark_shape(m.group()) for m in notes)
    chars = list(blank)
    for m in notes:
        if seen[_mark_shape(m.group())] >= 2:
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    plain = "".join(chars)
    outside = _uncited_statements(report, plain, spans_per_cit)
    # a tail is a mark when it reads as a citation (names, dates, kinds of document:
    # `_shaped`) or when its shape recurs and it holds no figure with a unit
    tails = [t for t in (_unmarked_tail(plain, span) for span in outside) if t is not None]
    seen = Counter(_mark_shape(plain[a:b]) for a, b in tails)
    chars = list(plain)
    for a, b in tails:
        if _shaped(plain[a:b].strip(" ([{⟪⟨<†*|")) or (
                seen[_mark_shape(plain[a:b])] >= 2 and not _UNIT.search(plain, a, b)):
            chars[a:b] = " " * (b - a)
    plain = "".join(chars)  # the report with those tails blanked too
    framed = _not_asserted(report, plain, outside)
    for span in outside:
        if span in framed:
            continue  # quoted to be judged, about the report itself, or a list of documents
        if _shaped(plain[span[0]:span[1]].strip(" \t\n^*•.-")):
            continue  # a reference entry ("^ Author (2 May 2031).") names a source, says nothing
        core = _core(report, span, plain)
        query = _query(core, plain, span)
        near = _near_sources(query, sources, ixs, rare)
        if near:
            todo.append((span, core, query, near))
    if not todo:
        return []
    wanted = {x.id: x for _sp, _c, _q, near in todo for x in near}
    _prepare(list(wanted.values()))
    semantic = any(ixs[i]["vectors"] is not None for i in wanted)
    vecs = _encode([query for _sp, _c, query, _n in todo]) if semantic else None
    picks: list[tuple[tuple[int, int], str, str, Any, SourceDoc, dict[str, Any]]] = []
    for k, (span, core, query, near) in enumerate(todo):
        qvec = vecs[k] if vecs is not None else None
        pick = _content_pick(query, qvec, near)
        if pick is not None:
            picks.append((span, core, query, qvec, *pick))
    _analyse_sources(list({src.id: src for *_r, src, _i in picks}.values()))
    out = []
    for span, core, query, qvec, src, info in picks:
        claim = _audit_claim(report, plain, span, None, src, [], core, qvec, "", query)
        if "claim_not_found" in claim["flags"]:
            continue
        said = "says this" if not claim["flags"] else "is the closest match"
        claim["inferred"] = {
            "document": src.id, **info,
            "words": f"no citation found for this; the folder's {_named(src)} {said} "
                     "(inferred from content)"}
        out.append(claim)
    return out


def _naming(src: SourceDoc) -> set[str]:
    """The content words that name a source: its title, publisher, author, type and
    heading lines; cached."""
    if "naming" not in src.cache:
        m = src.meta
        src.cache["naming"] = set(content_tokens(" ".join(
            [src.title or "", m.title or "", m.publisher or "", m.author or "", m.type or "",
             *m.heading])))
    return src.cache["naming"]


def _named(src: SourceDoc) -> str:
    """A source as a reader knows it: its title, else what it is and who issued it."""
    return f"“{src.title}”" if src.title and src.title != src.id else describe(src)


def _merge(claims: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cited claims in their order, with each claim by content placed before the first
    cited claim that starts after it (report order, so a reader and an aligner meet them
    where the report has them)."""
    if not extra:
        return claims
    extra = sorted(extra, key=lambda c: c["start"])
    out, k = [], 0
    for c in claims:
        while k < len(extra) and extra[k]["start"] < c["start"]:
            out.append(extra[k])
            k += 1
        out.append(c)
    return out + extra[k:]


def _query(core: str, blank: str, span: tuple[int, int]) -> str:
    """What to look a claim up by: its core, or the whole claim when the core has fewer
    than three content words ("Half of the firms reported a shortage" -> "a shortage"
    leaves out what the claim is about; the speaker's name is left out of the lookup
    anyway, see :func:`best_evidence`)."""
    if len(content_tokens(core)) >= 3:
        return core
    whole = undateline(clean(blank[span[0]:span[1]]))
    rest = _TRAIL_ATT.sub("", whole).strip(" ,")  # ", X told the meeting." is who
    return rest if len(content_tokens(rest)) >= 2 else whole


def _core(report: Document, span: tuple[int, int], blank: str) -> str:
    """What a claim asserts, without its attribution ("X said that ..." -> "..."),
    when whosaid found the attribution; else the whole claim."""
    s, e = span
    cited = [(c.start, c.end) for c in report.citations]
    for att in claim_speakers(report, s, e):
        if att.content is None or not (s <= att.cue.start < e) or att.source is None \
                or att.source.speaker is None:
            continue
        if any(att.source.start < ce and cs < att.source.end for cs, ce in cited):
            continue  # "according to the X report": a citation, its content is no core
        frags = [(max(a, s), min(b, e)) for a, b in att.content.fragments if a < e and s < b]
        if frags and att.cue.end <= frags[-1][0]:
            # content the extraction cut short ("... fewer trips this year" without
            # "than in 2023"): the rest of the claim after a leading cue is content too
            frags[-1] = (frags[-1][0], e)
        core = " ".join(blank[a:b] for a, b in frags)
        if len(re.findall(r"\w+", core)) >= 3:
            # "the council refused to open a shelter": a cue that denies ("refused",
            # "denied", "did not say") stays with what it reports, so the polarity
            # check reads it (against "dismissed" in the source it is no flip)
            cue = report.text[att.cue.start:att.cue.end]
            # a decision cue before an infinitive ("agreed to widen", "voted to merge") is
            # what was decided, not who said it
            if negated(cue) or refusal(cue) or _attitude(cue) or (
                    core.lstrip().lower().startswith("to ")
                    and any((lemma_key(w) or "").startswith("d")
                            for w in re.findall(r"[a-z]+", cue.lower()))):
                core = f"{cue} {core}"
            return undateline(clean(core))
    return strip_attribution(undateline(clean(blank[s:e])))


# verbs of belief and intention ("expects", "plans", "hopes"): a cue that states the
# speaker's own attitude is part of what the claim says ("X believes the pier will reopen"
# against "I do not believe it will reopen this year"), unlike a verb of saying
_ATTITUDES = (lexicon.BELIEF_VERBS | lexicon.INTENTION_VERBS) - {"see", "view", "regard",
                                                                 "consider", "mean", "try"}


def _attitude(cue: str) -> bool:
    """Whether a cue is a verb of belief or intention, in any inflection: the claim then
    asserts the attitude itself, so it must keep the cue ("thought", "knew" are taken
    back through the strong-verb table, which no suffix rule reaches)."""
    for w in re.findall(r"[a-z]+", cue.lower()):
        w = VERB_FORMS.get(w, w)
        forms = {w, w[:-1], w[:-2], w[:-3], w[:-4], w[:-3] + "e", w[:-2] + "e", w[:-3] + "y"}
        if forms & _ATTITUDES:
            return True
    return False


_SAY = (r"(?:said|says|announced|warned|added|explained|promised|insisted|argued|estimated|"
        r"claimed|confirmed|stated|reported|wrote)")
# a speaker named in a claim's own frame: "Dr Ada Brett said", "Ada Brett told", "asked"
_FRAME = re.compile(rf"(?P<who>(?:[A-Z][\w'’-]+\s+){{1,5}})(?:has\s+|had\s+|also\s+)?"
                    rf"(?:{_SAY}|told|asked)\b")
# "..., medical director Oskar Lemmy said." / "..., its director X told the committee."
_TRAIL_ATT = re.compile(rf",\s+(?:[\w'’.-]+\s+){{0,8}}?(?:{_SAY}|told)\b"
                        rf"(?:\s+[\w'’.-]+){{0,6}}\.?$", re.I)
# "X, who chairs Y, said that ..." / "The trust said in a statement that ..."
_LEAD_ATT = re.compile(rf"^[^,;]{{0,80}}?(?:,\s+who\s+[^,]{{1,80}},\s+)?\b(?:{_SAY}"
                       rf"(?:\s+in\s+a\s+statement)?|told\s+[^,]{{1,60}}?(?=\s+that\b))"
                       rf"\s+(?:that\s+)?", re.I)


def strip_attribution(text: str) -> str:
    """What a claim asserts when whosaid found no attribution in it: a leading "X said
    (that)" or a trailing ", X said." is who, not what; the speaker check reads it."""
    for rx in (_TRAIL_ATT, _LEAD_ATT):
        rest = rx.sub("", text).strip(" ,")
        # "promised to light every stop": the promise is the claim, not a frame
        if len(re.findall(r"\w+", rest)) >= 4 and not rest.lower().startswith("to "):
            text = rest
    return text


def _audit_claim(report: Document, blank: str, span: tuple[int, int], index: int | None,
                 src: SourceDoc | None, cflags: list[str], core: str | None = None,
                 qvec: Any = None, cit_label: str = "", query: str | None = None
                 ) -> dict[str, Any]:
    """One claim against its linked source (``core``, ``query`` and ``qvec``: what
    :func:`audit` already worked out for it in one batch; made here when missing)."""
    s, e = span
    claim_text = clean(blank[s:e])
    out: dict[str, Any] = {"text": claim_text, "start": s, "end": e, "citation": index,
                           "evidence": None, "flags": list(cflags), "details": [],
                           "explanations": []}
    if src is None:
        out["explanations"] = [{"flag": f, "words": WORDS[f]} for f in cflags]
        return out
    core = core or _core(report, span, blank)
    query = query or _query(core, blank, span)
    speaker = claim_speaker(report, span, src)[1]
    ev = best_evidence(query, src, qvec, speaker)
    if (ev is None or not found(ev)) and _ANAPHOR.match(core):
        # "That was 9% more than a year earlier": the sentence before says what "that"
        # is; the two are looked up together
        before = _previous_sentence(report, blank, s)
        if before:
            ev2 = best_evidence(f"{before} {core}", src, None, speaker)
            if ev2 is not None and found(ev2):
                ev = ev2
    if ev is None or (not found(ev) and not _contradicts(core, ev)):
        out["flags"].append("claim_not_found")
        out["candidate"] = ev
        out["explanations"] = [{"flag": "claim_not_found", "words": WORDS["claim_not_found"]}]
        return out
    out["evidence"] = {k: ev[k] for k in ("document", "start", "end", "text", "score",
                                          "coverage", "cosine", "figures", "novel")}
    explain: list[dict[str, str]] = []
    mismatch, mine, theirs = check_speaker(report, span, src, ev)
    if mine or theirs:
        out["speakers"] = {"report": mine, "source": theirs}
    if mismatch:
        out["flags"].append("speaker_mismatch")
        explain.append({"flag": "speaker_mismatch",
                        "words": f"{WORDS['speaker_mismatch']}: {theirs}, not {mine}"})
    # the speaker as the claim names them, title included ("Chief Superintendent X")
    skip = {w for a in claim_speakers(report, s, e) for w in
            re.findall(r"[A-Z][\w'’-]+", f"{a.source.speaker.name} {a.source.text}"
                       if a.source and a.source.speaker else "")} if mine and theirs else set()
    if mine and theirs:  # the claim's speaker, however found, is who, not a detail
        skip |= {w for w in re.findall(r"[A-Z][\w'’-]+", claim_text) if w.lower() in speaker}
    # names in the citation itself ("[the Pollard Echo](...)") are not the claim's
    skip |= set(re.findall(r"[A-Z][\w'’-]+", cit_label))
    m = src.meta
    context = " ".join(x for x in (m.title or "", " ".join(m.heading), m.date or "",
                                   m.publisher or "", m.author or "") if x)
    bare = undateline(claim_text)
    missing = detail_mismatches(bare, ev["text"], context, [m.date] if m.date else None)
    missing = _elsewhere(missing, bare, src)
    weak = (ev["coverage"] + ev["cosine"] < DETAIL_SUM if ev.get("cosine") is not None
            else ev["coverage"] < DETAIL_COVERAGE)
    if missing and weak and not mismatch and not _miscopied(bare, ev["text"]):
        # a figure next to words the evidence barely shares: the claim is about
        # something the source does not say, not a wrong figure for what it says
        out["flags"] = [*cflags, "claim_not_found"]
        out["candidate"], out["evidence"] = out["evidence"], None
        out["details"] = missing
        out["explanations"] = [{"flag": "claim_not_found",
                                "words": WORDS["claim_not_found"]}]
        return out
    missing += [n for n in missing_names(bare, src.text + "\n" + context, skip)
                if n not in missing]
    if missing:
        out["flags"].append("unsupported_detail")
        out["details"] = missing
        explain.append({"flag": "unsupported_detail",
                        "words": f"{WORDS['unsupported_detail']}: the claim's "
                                 f"{', '.join(missing)} is not in it"})
    flip, why = polarity_flip(core, ev["text"])
    if flip:
        out["flags"].append("negation_flip")
        explain.append({"flag": "negation_flip", "words": f"{WORDS['negation_flip']} ({why})"
                        if why else WORDS["negation_flip"]})
    out["explanations"] = explain
    return out


def _miscopied(claim: str, evidence: str) -> bool:
    """Whether a figure of the claim is one of the evidence's miscopied: the same unit and
    number of digits, with two digits swapped or one digit changed ("GBP 736,900" for
    "GBP 763,900", "1,364 members" for "1,384 members"): a wrong figure for what the
    source says, however few words the two share. Two bare counts must count the same
    thing (the word after both figures): "125 staff" is no miscopy of "152 beds"."""
    theirs = [q for q in quantities(evidence) if q.unit not in ("year", "time")]
    nouns_c, nouns_e = _counted(claim), _counted(evidence)
    for q in quantities(claim):
        a = _digits(q.value)
        for h in theirs:
            b = _digits(h.value)
            if h.unit != q.unit or len(a) != len(b) or a == b or len(a.strip("0.")) < 3:
                continue
            if not q.unit and not nouns_c.get(a, set()) & nouns_e.get(b, set()):
                continue
            diff = [k for k in range(len(a)) if a[k] != b[k]]
            if len(diff) == 1 or (len(diff) == 2 and sorted(a) == sorted(b)):
                return True
    return False


def _digits(value: float) -> str:
    """A figure's digits as written, no trailing zeros: so "1364" and "1384" compare
    digit by digit whatever float formatting does."""
    return f"{value:f}".rstrip("0").rstrip(".")


def _counted(text: str) -> dict[str, set[str]]:
    """The word after each bare number of ``text`` ("1,364 members" -> {"1364":
    {"member"}}), the thing it counts, thousands separators dropped as quantities()
    drops them."""
    out: dict[str, set[str]] = {}
    flat = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    for m in re.finditer(r"(?<![\d.,])(\d+(?:\.\d+)?)\s+([A-Za-z]+)", flat):
        out.setdefault(_digits(float(m.group(1))), set()).add(stem(m.group(2).lower()))
    return out


_ANAPHOR = re.compile(r"^(?:that|this|these|those|it|they|the\s+(?:figure|number|total|"
                     r"rise|increase|fall|drop|change|move|decision|plan))\b", re.I)


def _previous_sentence(report: Document, blank: str, start: int) -> str | None:
    """The sentence before ``start`` in the same paragraph, markers blanked."""
    prev = [x for x in regex_sentences(blank, join_wrapped=False) if x.end <= start]
    if not prev or "\n\n" in report.text[prev[-1].end:start]:
        return None
    return clean(blank[prev[-1].start:prev[-1].end])


def _elsewhere(missing: list[str], claim: str, src: SourceDoc) -> list[str]:
    """The details still missing once the rest of the source is read: a figure the
    best sentence lacks but another sentence gives, next to at least two (and a
    third) of the claim's words ("the youngest is 24" against "The men, aged 24,
    31 and 45")."""
    if not missing:
        return missing
    ix = _index(src, vectors=False)
    want = set(content_tokens(claim))
    need = max(2, math.ceil(len(want) / 3))
    # the detail's own words are not what puts it next to the claim's ("Fenwold
    # Cottage Hospital" named in another sentence does not make it the hospital the
    # best sentence gives another name)
    own = {m: set(content_tokens(m)) for m in missing}
    keep = list(missing)
    for text, toks in zip(ix["texts"], ix["tokens"], strict=True):
        if len(want & toks) < need:
            continue
        there = set(detail_mismatches(claim, text, any_rate=True))
        keep = [m for m in keep if m in there or len((want - own[m]) & toks) < need]
    # a figure in its own clause ("..., leaving 40 posts empty"): a sentence that
    # gives it next to two of that clause's words ("Some 40 posts are left empty")
    for m in list(keep):
        clause = next((c for c in re.split(r"[,;:]\s|\s[-–—]\s|\s(?:and|but)\s", normalise(claim))
                       if m in c), None)
        local = set(content_tokens(clause)) if clause else set()
        if len(local) < 2 or len(local) > len(want) - 2:
            continue
        for text, toks in zip(ix["texts"], ix["tokens"], strict=True):
            if len(local & toks) >= 2 and m not in detail_mismatches(clause, text):
                keep.remove(m)
                break
    return keep


def _citation_note(cit: Citation, grade: Resolvability, entry: dict[str, Any],
                   by_id: dict[str, SourceDoc]) -> str:
    linked = entry["link"]
    if linked is not None:
        src = by_id[linked["document"]]
        how = {"url": "its URL", "case name": "the case name",
               "same URL": "the URL of another citation linked to it"}.get(
            linked["method"], "its " + ", ".join(
                {"words": "words", "title": "title", "date": "date", "type": "document type"
                 }.get(f, f) for f in linked["fields"]) + f" (score {linked['score']:g})")
        return f"“{cit.label}” is linked to {describe(src)} ({src.id}) by {how}."
    if entry["near_miss"] is not None:
        return f"“{cit.label}”: {near_miss_note(entry['near_miss'], by_id)}"
    tail = ""
    if entry.get("inferred"):
        sug = by_id[entry["suggested"]["document"]]
        strong, total = entry["suggested"]["strong_claims"], entry["suggested"]["claims"]
        said = ("Its claims are" if strong >= total else
                f"{strong} of its {total} claims {'is' if strong == 1 else 'are'}")
        tail = (f" {said} said by {describe(sug)} ({sug.id}) and no other source: "
                f"{'they' if strong >= total else 'all'} are checked against it (inferred "
                "from content, not linked).")
    elif entry.get("suggested"):
        sug = by_id[entry["suggested"]["document"]]
        tail = (f" Its claims closely match {describe(sug)} ({sug.id}): perhaps that is "
                "the source (inferred, not linked).")
    if grade is Resolvability.GENERIC:
        return (f"“{cit.label}” is a generic label (no title, date, URL or publisher "
                f"detail) and cannot be resolved.{tail}")
    return f"“{cit.label}” ({grade.value}) does not match any of the sources provided.{tail}"


def _paragraphs(report: Document, citations: list[dict[str, Any]],
                claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per paragraph: its citations, its claims and a one-line verdict."""
    out = []
    for k, p in enumerate(report.paragraphs):
        cits = [c for c in citations if p.start <= c["start"] < p.end]
        its = [n for n, c in enumerate(claims) if p.start <= c["start"] < p.end]
        notes = [c["note"] for c in cits]
        flagged = Counter(f for n in its for f in claims[n]["flags"])
        verdict = " ".join(notes) or "No citation."
        if its:
            ok = sum(1 for n in its if not claims[n]["flags"])
            verdict += f" {ok}/{len(its)} claims supported"
            if flagged:
                verdict += " (" + ", ".join(f"{n} {f}" for f, n in flagged.items()) + ")"
            verdict += "."
            guessed = sum(1 for n in its if claims[n].get("inferred")
                          and claims[n]["citation"] is None)
            if guessed:  # said in words: checked by content, no citation linked
                verdict += (f" {guessed} of them: no citation found, checked against the "
                            "source that says most of it (inferred from content).")
            unlinked = sum(1 for n in its if claims[n].get("inferred")
                           and claims[n]["citation"] is not None)
            if unlinked:  # a citation found that names no provided source
                verdict += (f" {unlinked} of them: their citation names no provided source, "
                            "checked against the one source its claims pick (inferred from "
                            "content).")
        out.append({"index": k, "start": p.start, "end": p.end,
                    "citations": [c["index"] for c in cits], "claims": its,
                    "verdict": verdict})
    return out


# --- HTML ------------------------------------------------------------------------------

_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}
mark{border-radius:3px;padding:0 2px}.ok{background:#d7f5dd}.bad{background:#fde2e1}
.cit{background:#e8e8ff;font-size:90%}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
.flag{display:inline-block;background:#c0392b;color:#fff;border-radius:3px;padding:0 4px;
margin:1px;font-size:85%}.para{margin:1rem 0;padding:.5rem;border-left:3px solid #999}
blockquote{margin:0;padding-left:.5rem;border-left:3px solid #ccc;color:#333}
small{color:#555}"""


def verdict_words(claim: dict[str, Any]) -> list[str]:
    """The claim's flags in plain words ("the source does not say this")."""
    # a claim by content says first that no citation was found for it, and which source
    inferred = [claim["inferred"]["words"]] if claim.get("inferred") else []
    if not claim["flags"]:
        return inferred or ["the source says this"]
    said = {e["flag"]: e["words"] for e in claim.get("explanations") or []}
    return inferred + [said.get(f, WORDS[f]) for f in claim["flags"]]


def to_html(result: dict[str, Any], report: Document) -> str:
    """A self-contained page: the report with claims marked, each claim in plain words
    beside its evidence, the citations and the sources with their metadata."""
    esc = html.escape
    text = report.text
    marks: list[tuple[int, int, str, str]] = []
    for n, c in enumerate(result["claims"]):
        cls = "ok" if not c["flags"] else "bad"
        marks.append((c["start"], c["end"], cls, f"claim {n + 1}: "
                      + "; ".join(verdict_words(c))))
    for c in result["citations"]:
        marks.append((c["start"], c["end"], "cit", f"{c['resolvability']}: {c['label']}"))
    marks.sort()
    body, pos = [], 0
    for s, e, cls, title in marks:
        if s < pos:
            continue
        body.append(esc(text[pos:s]))
        body.append(f'<mark class="{cls}" title="{esc(title)}">{esc(text[s:e])}</mark>')
        pos = e
    body.append(esc(text[pos:]))
    rows = []
    for n, c in enumerate(result["claims"]):
        ev = c["evidence"] or c.get("candidate")
        if ev:
            label = "evidence" if c["evidence"] else "closest sentence (does not say it)"
            evs = (f"<small>{label}: {esc(ev['document'])} [{ev['start']}:{ev['end']}]"
                   f"</small><blockquote>{esc(ev['text'])}</blockquote>")
        else:
            evs = "—"
        words = "<br>".join(esc(w) for w in verdict_words(c))
        flags = "".join(f'<span class="flag">{esc(f)}</span>' for f in c["flags"])
        where = (f"citation {c['citation'] + 1}" if c.get("citation") is not None
                 else "no citation found (inferred from content)")
        rows.append(f"<tr><td>{n + 1}</td><td>{esc(c['text'])}<br><small>{where}"
                    f"</small></td><td>{words}<br>{flags}</td><td>{evs}</td></tr>")
    cits = "".join(
        f"<tr><td>{c['index'] + 1}</td><td>{esc(c['label'])}</td><td>{c['resolvability']}</td>"
        f"<td>{esc(c['note'])}</td></tr>" for c in result["citations"])
    srcs = "".join(
        f"<tr><td>{esc(s['id'])}</td><td>{esc(s['title'] or '')}</td>"
        f"<td>{esc(s['metadata'].get('publisher') or s['metadata'].get('author') or '')}</td>"
        f"<td>{esc(s['metadata'].get('date') or '')}</td>"
        f"<td>{esc(s['metadata'].get('type') or '')}</td>"
        f"<td>{esc(' '.join(s['metadata'].get('urls') or []))}</td></tr>"
        for s in result["sources"])
    paras = "".join(f'<div class="para"><b>Paragraph {p["index"] + 1}</b>: '
                    f'{esc(p["verdict"])}</div>' for p in result["paragraphs"]
                    if p["citations"] or p["claims"])
    prof = esc(result.get("profile_summary") or "")
    title = esc(result.get("report") or "report")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Audit: {title}</title>"
            f"<style>{_CSS}</style></head><body><h1>Citation audit: {title}</h1>"
            f"<p>{prof}</p><h2>Claims</h2><table><tr><th>#</th><th>claim</th>"
            f"<th>verdict</th><th>evidence</th></tr>{''.join(rows)}</table>"
            f"<h2>Paragraphs</h2>{paras}<h2>Report</h2>"
            f"<div style='white-space:pre-wrap'>{''.join(body)}</div>"
            f"<h2>Citations</h2><table><tr><th>#</th><th>label</th><th>grade</th>"
            f"<th>link</th></tr>{cits}</table><h2>Sources</h2><table><tr><th>id</th>"
            f"<th>title</th><th>publisher / author</th><th>date</th><th>type</th>"
            f"<th>URLs</th></tr>{srcs}</table></body></html>\n")
