"""Citation audit: does each cited claim hold up against the documents it cites?

``whosaid audit REPORT --sources DIR`` runs :func:`audit`. The report is
analysed like any text (citations with their scope and a resolvability grade,
attributions with speakers); each citation is then linked to a document in
``DIR`` (an explicit URL or id first, else the best fuzzy match of its label
against the documents' titles, with the rapidfuzz score), its scope is split
into claims (one per sentence), and each claim gets the best supporting passage
of the linked document: BM25 over sentences and sentence pairs, fused with
MiniLM cosine similarity (the packaged model :mod:`whosaid.search` loads; BM25
alone when the ``semantic`` extra is missing), with character offsets.

Flags, per claim (a claim with none is supported):

* ``unresolvable_citation`` - a generic label ("NATO press release") that
  matches none of the sources, so nobody could check it;
* ``source_not_provided`` - a specific citation that matches none of the sources;
* ``claim_not_found`` - nothing in the linked document supports the claim;
* ``speaker_mismatch`` - the report attributes the statement to someone other
  than the person the source attributes it to;
* ``unsupported_detail`` - a name, number or date of the claim is not in the evidence;
* ``negation_flip`` - the claim negates what the evidence asserts, or the reverse.

No database or web imports: the CLI (``cli_audit``) and any front end call this.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from whosaid.assess import profile_summary
from whosaid.extract.citations import regex_sentences
from whosaid.model import Attribution, Citation, Document, Resolvability

FLAGS = ("unresolvable_citation", "source_not_provided", "claim_not_found",
         "speaker_mismatch", "unsupported_detail", "negation_flip")
LINK_THRESHOLD = 72.0  # fuzzy title score (0-100) below which a label links nothing
FOUND_SUM = 0.95  # MiniLM cosine + word overlap at or above which the evidence supports
FOUND_OVERLAP = 0.6  # share of the claim's content words in the evidence (BM25-only mode)
SOURCE_SUFFIXES = (".txt", ".md", ".text")
_HEADER = re.compile(r"^(?P<key>title|url|id|date|publisher|author)\s*:\s*(?P<value>.+?)\s*$",
                     re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?")
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being
it its this that these those he she they we you i his her their our your them him us
said says say told tell according also has have had do does did will would could should
may might can which who whom whose what when where while than then there here so such
into about over after before under again more most some any each other only own same
very just not no nor never
""".split()) - {"not", "no", "nor", "never"}
NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
                      "without", "cannot", "n't", "refused", "refuses", "denied", "denies",
                      "rejected", "rejects", "failed", "fails"})
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "thousand": 1000, "dozen": 12, "half": 0.5}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MONTHS = ("january february march april may june july august september october november "
          "december monday tuesday wednesday thursday friday saturday sunday").split()
_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|per cent))?"
                  r"(?:\s+(thousand|million|billion|trillion))?", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\b")


# --- sources -----------------------------------------------------------------


@dataclass
class SourceDoc:
    """A candidate source document: ``id`` is the file stem; headers give title/url."""

    id: str
    path: str
    text: str
    title: str
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    analysed: Document | None = None
    _index: tuple[list[tuple[int, int]], BM25, Any] | None = field(default=None, repr=False)

    def index(self) -> tuple[list[tuple[int, int]], BM25, Any]:
        """Passages, their BM25 index and embeddings, built once per source."""
        if self._index is None:
            spans = passages(self.text)
            texts = [self.text[s:e] for s, e in spans]
            self._index = (spans, BM25([tokens(t) for t in texts]),
                           _encode(texts) if texts else None)
        return self._index


def load_sources(folder: Path) -> list[SourceDoc]:
    """Every text file in ``folder``; "Title: ...", "URL: ..." header lines are read.

    Without a Title header the first non-blank line is the title. Header lines
    are kept out of the text that evidence is searched in, but offsets are into
    the file as read, so ``text[start:end]`` of the evidence is the file's text.
    """
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        out.append(source_from_text(text, path.stem, path=str(path)))
    return out


def source_from_text(text: str, ident: str, *, title: str | None = None,
                     url: str | None = None, path: str = "") -> SourceDoc:
    """A source document from its text, reading "Title:", "URL:", "ID:" header lines.

    Shared by the folder loader and the web API, so an uploaded source and a file
    on disk are read the same way; explicit ``title``/``url`` win over headers.
    """
    meta: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            break
        meta[m.group("key").lower()] = m.group("value")
    title = title or meta.get("title") or next(
        (ln.strip() for ln in text.splitlines() if ln.strip() and not _HEADER.match(ln)), ident)
    return SourceDoc(id=meta.get("id", ident), path=path or ident, text=text, title=title,
                     url=url or meta.get("url"), meta=meta)


def _norm_url(url: str) -> str:
    url = re.sub(r"^https?://", "", url.strip().lower())
    return url.removeprefix("www.").rstrip("/.")


def link(cit: Citation, sources: Sequence[SourceDoc]) -> dict[str, Any] | None:
    """The source a citation names: by URL, by id, else by fuzzy title match."""
    body = " ".join(x for x in (cit.label, cit.reference or "") if x)
    urls = [_norm_url(u) for u in re.findall(r"(?:https?://|www\.)\S+", body)]
    for src in sources:
        if src.url and _norm_url(src.url) in urls:
            return {"document": src.id, "method": "url", "score": 100.0}
    ids = {w.lower() for w in re.findall(r"[\w.-]+", body)}
    for src in sources:
        if src.id.lower() in ids or cit.label.strip().lower() == src.id.lower():
            return {"document": src.id, "method": "id", "score": 100.0}
    query = _strip_dates(cit.reference or cit.label)
    best: tuple[float, SourceDoc] | None = None
    for src in sources:
        title = _strip_dates(src.title)
        score = max(0.5 * fuzz.token_set_ratio(query, title)
                    + 0.5 * fuzz.token_sort_ratio(query, title),
                    fuzz.ratio(query.lower(), title.lower()))
        if best is None or score > best[0]:
            best = (score, src)
    if best is not None and best[0] >= LINK_THRESHOLD:
        return {"document": best[1].id, "method": "title", "score": round(best[0], 1)}
    return None


def _strip_dates(text: str) -> str:
    return re.sub(r"\b(?:19|20)\d{2}\b|[\"“”]", " ", text).strip()


# --- retrieval ---------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lower-cased content words with a light plural strip, for BM25 and overlap."""
    out = []
    for t in _TOKEN.findall(text.lower().replace("’", "'").replace("n't", " not")):
        if t in STOPWORDS:
            continue
        out.append(t[:-1] if len(t) > 4 and t.endswith("s") and not t.endswith("ss") else t)
    return out


class BM25:
    """Okapi BM25 (k1 1.5, b 0.75) over a handful of passages; no index needed."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.docs, self.k1, self.b = docs, k1, b
        self.avg = sum(map(len, docs)) / len(docs) if docs else 0.0
        df: Counter[str] = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.tf = [Counter(d) for d in docs]

    def scores(self, query: list[str]) -> list[float]:
        out = []
        for d, tf in zip(self.docs, self.tf, strict=True):
            s = 0.0
            for t in query:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (
                        f + self.k1 * (1 - self.b + self.b * len(d) / (self.avg or 1)))
            out.append(s)
        return out


def passages(text: str) -> list[tuple[int, int]]:
    """Sentences and pairs of adjacent sentences of a source, as (start, end)."""
    sents = [(s.start, s.end) for s in regex_sentences(text)
             if not _HEADER.match(text[s.start:s.end])]
    pairs = [(a[0], b[1]) for a, b in itertools.pairwise(sents)
             if "\n\n" not in text[a[1]:b[0]]]
    return sents + pairs


def _encode(texts: list[str]) -> Any:
    try:
        from whosaid.search import SemanticUnavailable, encode
    except ImportError:  # pragma: no cover - numpy is a core dependency
        return None
    try:
        return encode(texts)
    except SemanticUnavailable:
        return None


def best_passage(claim: str, src: SourceDoc) -> dict[str, Any] | None:
    """The passage of ``src`` that best supports ``claim``: BM25 fused with MiniLM."""
    spans, index, vectors = src.index()
    if not spans:
        return None
    texts = [src.text[s:e] for s, e in spans]
    q = tokens(claim)
    bm = index.scores(q)
    top = max(bm) or 1.0
    query = _encode([claim]) if vectors is not None else None
    cos = [float(query[0] @ v) for v in vectors] if query is not None else None
    fused = []
    for i, text in enumerate(texts):
        overlap = _overlap(q, text)
        lexical = 0.5 * bm[i] / top + 0.5 * overlap
        score = 0.5 * lexical + 0.5 * cos[i] if cos is not None else lexical
        # a pair must beat its best sentence clearly, or the shorter evidence wins
        fused.append(score - (0.03 if src.text[spans[i][0]:spans[i][1]].count(". ") else 0.0))
    i = max(range(len(spans)), key=lambda k: fused[k])
    s, e = spans[i]
    return {"document": src.id, "start": s, "end": e, "text": src.text[s:e],
            "score": round(fused[i], 4), "bm25": round(bm[i], 4),
            "cosine": round(cos[i], 4) if cos is not None else None,
            "overlap": round(_overlap(q, texts[i]), 4)}


def _overlap(q: list[str], text: str) -> float:
    """Share of the claim's content words present in ``text``."""
    if not q:
        return 0.0
    have = set(tokens(text))
    return sum(1 for t in q if t in have) / len(q)


def supported(ev: dict[str, Any]) -> bool:
    """Calibrated on tests/data/audit (see docs/sourcing.md): meaning and words together."""
    if ev.get("cosine") is not None:
        return ev["cosine"] + ev["overlap"] >= FOUND_SUM
    return ev["overlap"] >= FOUND_OVERLAP


# --- checks --------------------------------------------------------------------


def negated(text: str) -> bool:
    """Whether a clause is negated (an odd number of negators: "not unlike" is not)."""
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'").replace("n't", " n't"))
    return sum(1 for w in words if w in NEGATORS) % 2 == 1


def numbers(text: str) -> set[float]:
    """Numeric values in text: "4.5%", "1,200", "3 million", "two"."""
    out: set[float] = set()
    for m in _NUM.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(3):
            value *= SCALES[m.group(3).lower()]
        out.add(round(value, 4))
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in NUMBER_WORDS:
            out.add(float(NUMBER_WORDS[w]))
    return out


def dates(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w in MONTHS}


def names(text: str, skip: set[str]) -> set[str]:
    """Capitalised words that are not sentence-initial, not stopwords, not in ``skip``."""
    out = set()
    for m in _NAME.finditer(text):
        before = text[:m.start()].rstrip()
        if not before or before[-1] in ".!?:\"“(":
            continue
        word = m.group()
        if word.lower() in STOPWORDS or word.lower() in MONTHS or word in skip:
            continue
        out.add(word)
    return out


def unsupported_details(claim: str, evidence: str, skip: set[str]) -> list[str]:
    """Names, numbers and dates of the claim that the evidence does not contain."""
    missing: list[str] = []
    ev_nums = numbers(evidence)
    for n in sorted(numbers(claim) - ev_nums):
        if n >= 1900 and n <= 2100 and str(int(n)) in evidence:
            continue
        missing.append(f"{n:g}")
    missing += sorted(dates(claim) - dates(evidence))
    ev_words = {w.lower() for w in re.findall(r"[\w'’-]+", evidence)}
    missing += sorted(w for w in names(claim, skip) if w.lower() not in ev_words)
    return missing


def _speaker_words(att: Attribution, *, named_only: bool = True) -> set[str]:
    """The words naming an attribution's speaker ("Helen Ortiz" -> Helen, Ortiz)."""
    src = att.source
    if src is None or src.speaker is None:
        return set()
    if src.speaker.named:
        return {w for w in re.findall(r"[A-Z][\w'’-]+", src.speaker.name)}
    if named_only:
        return set()
    return {w for w in re.findall(r"[\w'’-]+", src.speaker.name.lower()) if w not in STOPWORDS}


def claim_speakers(doc: Document, start: int, end: int) -> list[Attribution]:
    """Attributions of ``doc`` whose cue or content lies in [start, end)."""
    out = []
    for att in doc.attributions:
        spans = [(att.cue.start, att.cue.end)]
        if att.content is not None:
            spans += att.content.fragments
        if any(s < end and start < e for s, e in spans):
            out.append(att)
    return out


def speaker_mismatch(report: Document, claim: tuple[int, int], src: SourceDoc,
                     ev: dict[str, Any]) -> tuple[bool, str | None, str | None]:
    """(mismatch, report speaker, source speaker) for one claim and its evidence."""
    mine = [w for a in claim_speakers(report, *claim) for w in _speaker_words(a)]
    if not mine or src.analysed is None:
        return False, None, None
    # the speaker of the sentence that matches, not of its neighbour in a pair
    best = _closest_sentence(claim_text := report.text[claim[0]:claim[1]], ev["text"])
    offset = ev["start"] + ev["text"].find(best)
    theirs_atts = claim_speakers(src.analysed, offset, offset + len(best)) or \
        claim_speakers(src.analysed, ev["start"], ev["end"])
    theirs = {w for a in theirs_atts for w in _speaker_words(a, named_only=False)}
    del claim_text
    said_by = " ".join(sorted(theirs)) or None
    if not theirs:
        return False, " ".join(mine), None
    mismatch = not ({w.lower() for w in mine} & {w.lower() for w in theirs})
    return mismatch, " ".join(mine), said_by


# --- the audit ------------------------------------------------------------------


def split_claims(text: str, scope: tuple[int, int]) -> list[tuple[int, int]]:
    """The sentences of a citation's scope: each is one claim the citation covers."""
    s0, e0 = scope
    out = []
    for sent in regex_sentences(text[s0:e0]):
        s, e = s0 + sent.start, s0 + sent.end
        if len(re.findall(r"\w+", text[s:e])) >= 3:
            out.append((s, e))
    return out


def audit(report: Document, sources: Sequence[SourceDoc] = ()) -> dict[str, Any]:
    """Audit an analysed report against candidate sources; JSON-ready result.

    ``sources`` that have no ``analysed`` document are analysed here (for their
    speakers), in one batch.
    """
    from whosaid.pipeline import extract_many

    todo = [s for s in sources if s.analysed is None]
    if todo:
        for src, doc in zip(todo, extract_many((s.id, s.text, {}) for s in todo), strict=True):
            src.analysed = doc
    by_id = {s.id: s for s in sources}
    text = report.text
    citations: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for i, cit in enumerate(report.citations):
        grade = cit.resolvability or Resolvability.GENERIC
        linked = link(cit, sources) if sources else None
        cflags: list[str] = []
        if linked is None:
            cflags.append("unresolvable_citation" if grade is Resolvability.GENERIC
                          else "source_not_provided")
        citations.append({
            "index": i, "text": cit.text, "label": cit.label, "kind": cit.kind,
            "start": cit.start, "end": cit.end, "scope": list(cit.scope),
            "reference": cit.reference, "resolvability": grade.value, "link": linked,
            "flags": cflags, "note": _citation_note(cit, grade, linked),
        })
        for s, e in split_claims(text, cit.scope):
            claims.append(_audit_claim(report, (s, e), i, linked and by_id[linked["document"]],
                                       cflags))
    paragraphs = _paragraphs(report, citations, claims)
    counts = Counter(f for c in claims for f in c["flags"])
    return {
        "report": report.name,
        "sources": [{"id": s.id, "title": s.title, "url": s.url, "path": s.path}
                    for s in sources],
        "semantic": _encode(["probe"]) is not None,
        "citations": citations,
        "claims": claims,
        "paragraphs": paragraphs,
        "summary": {"citations": len(citations), "claims": len(claims),
                    "supported": sum(1 for c in claims if not c["flags"]),
                    "flags": {f: counts.get(f, 0) for f in FLAGS}},
        "profile": report.profile.model_dump() if report.profile else None,
        "profile_summary": profile_summary(report.profile) if report.profile else None,
    }


def _citation_note(cit: Citation, grade: Resolvability, linked: dict[str, Any] | None) -> str:
    if linked is not None:
        how = {"url": "its URL", "id": "its id"}.get(linked["method"],
                                                    f"title match, score {linked['score']:g}")
        return f"“{cit.label}” is linked to {linked['document']} ({how})."
    if grade is Resolvability.GENERIC:
        return (f"“{cit.label}” is a generic label (no title, date, URL or publisher "
                "detail) and cannot be resolved.")
    return f"“{cit.label}” ({grade.value}) does not match any of the sources provided."


def _audit_claim(report: Document, span: tuple[int, int], index: int,
                 src: SourceDoc | None, cflags: list[str]) -> dict[str, Any]:
    s, e = span
    claim_text = report.text[s:e]
    out: dict[str, Any] = {"text": claim_text, "start": s, "end": e, "citation": index,
                           "evidence": None, "flags": list(cflags), "details": []}
    if src is None:
        return out
    ev = best_passage(claim_text, src)
    if ev is None or not supported(ev):
        out["flags"].append("claim_not_found")
        out["candidate"] = ev
        return out
    out["evidence"] = {k: ev[k] for k in ("document", "start", "end", "text", "score")}
    out["evidence"]["cosine"] = ev["cosine"]
    mismatch, mine, theirs = speaker_mismatch(report, span, src, ev)
    if mismatch:
        out["flags"].append("speaker_mismatch")
        out["speakers"] = {"report": mine, "source": theirs}
    # when both sides name a speaker, the name is speaker_mismatch's business
    skip = {w for a in claim_speakers(report, s, e) for w in _speaker_words(a)} \
        if mine and theirs else set()
    missing = unsupported_details(claim_text, ev["text"], skip)
    if missing:
        out["flags"].append("unsupported_detail")
        out["details"] = missing
    if negated(_closest_sentence(claim_text, ev["text"])) != negated(claim_text):
        out["flags"].append("negation_flip")
    return out


def _closest_sentence(claim: str, evidence: str) -> str:
    sents = [evidence[s.start:s.end] for s in regex_sentences(evidence)] or [evidence]
    q = tokens(claim)
    return max(sents, key=lambda t: _overlap(q, t))


def _paragraphs(report: Document, citations: list[dict[str, Any]],
                claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per paragraph: its citations, its claims and a one-line verdict."""
    out = []
    for k, p in enumerate(report.paragraphs):
        cits = [c for c in citations if p.start <= c["start"] < p.end]
        its = [c for c in claims if p.start <= c["start"] < p.end]
        notes = [c["note"] for c in cits]
        flagged = Counter(f for c in its for f in c["flags"])
        verdict = "; ".join(notes) or "No citation."
        if its:
            ok = sum(1 for c in its if not c["flags"])
            verdict += f" {ok}/{len(its)} claims supported"
            if flagged:
                verdict += " (" + ", ".join(f"{n} {f}" for f, n in flagged.items()) + ")"
            verdict += "."
        out.append({"index": k, "start": p.start, "end": p.end,
                    "citations": [c["index"] for c in cits],
                    "claims": [claims.index(c) for c in its], "verdict": verdict})
    return out


# --- HTML -----------------------------------------------------------------------

_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
mark{border-radius:3px;padding:0 2px}.ok{background:#d7f5dd}.bad{background:#fde2e1}
.cit{background:#e8e8ff;font-size:90%}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
.flag{display:inline-block;background:#c0392b;color:#fff;border-radius:3px;padding:0 4px;
margin:1px;font-size:85%}.para{margin:1rem 0;padding:.5rem;border-left:3px solid #999}"""


def to_html(result: dict[str, Any], report: Document) -> str:
    """A self-contained readable page: the report with claims marked, then tables."""
    esc = html.escape
    text = report.text
    marks: list[tuple[int, int, str, str]] = []
    for n, c in enumerate(result["claims"]):
        cls = "ok" if not c["flags"] else "bad"
        marks.append((c["start"], c["end"], cls, f"claim {n}: " + (", ".join(c["flags"])
                                                                  or "supported")))
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
        ev = c["evidence"]
        evs = (f"{esc(ev['document'])} [{ev['start']}:{ev['end']}] "
               f"({ev['score']:.2f}): {esc(ev['text'])}") if ev else "—"
        flags = "".join(f'<span class="flag">{esc(f)}</span>' for f in c["flags"]) or "supported"
        detail = esc(", ".join(c.get("details") or []))
        rows.append(f"<tr><td>{n}</td><td>{esc(c['text'])}</td><td>{c['citation']}</td>"
                    f"<td>{evs}</td><td>{flags} {detail}</td></tr>")
    cits = "".join(
        f"<tr><td>{c['index']}</td><td>{esc(c['label'])}</td><td>{c['resolvability']}</td>"
        f"<td>{esc(c['note'])}</td></tr>" for c in result["citations"])
    paras = "".join(f'<div class="para"><b>Paragraph {p["index"] + 1}</b>: '
                    f'{esc(p["verdict"])}</div>' for p in result["paragraphs"])
    prof = esc(result.get("profile_summary") or "")
    title = esc(result.get("report") or "report")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Audit: {title}</title>"
            f"<style>{_CSS}</style></head><body><h1>Citation audit: {title}</h1>"
            f"<p>{prof}</p><h2>Paragraphs</h2>{paras}<h2>Report</h2>"
            f"<div style='white-space:pre-wrap'>{''.join(body)}</div>"
            f"<h2>Citations</h2><table><tr><th>#</th><th>label</th><th>grade</th>"
            f"<th>link</th></tr>{cits}</table><h2>Claims</h2><table><tr><th>#</th>"
            f"<th>claim</th><th>cit.</th><th>evidence</th><th>flags</th></tr>"
            f"{''.join(rows)}</table></body></html>\n")
