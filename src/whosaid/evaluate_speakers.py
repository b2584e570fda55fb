"""Who said what, scored as a reader judges it: ``whosaid eval --speakers GOLD``.

The span scores of :mod:`whosaid.evaluate` count a source "he" right whoever it
is resolved to. A speaker gold (``../shared/guides/speaker-gold.md``: one row
per first-annotator attribution, columns ``article, cue_start, cue_end,
speaker, kind``) says who a careful reader takes the source to be; this module
scores the resolved speaker against it.

* A gold statement is *found* when a predicted cue overlaps its cue (shares a
  non-whitespace character); the prediction with the largest overlap is its
  match. It is *right* when that match's speaker names the gold speaker
  (:func:`speaker_matches`).
* found = found / gold; speaker accuracy = right / found; who-said-what
  recall = right / gold; precision = predictions that are the match of a gold
  statement with the right speaker / predictions; F1 of the two.
* Per source form: name, pronoun, description (any other source span) or no
  source span. A gold statement's form comes from its source span in the
  PolNeAR gold file, a prediction's (for precision) from its own source span:
  a lone pronoun is a pronoun; a span whose core ends in a capitalised word is a
  name ("Mr. Grassley and Mr. Leahy", "the campaign manager Robby Mook"; see
  :func:`source_form`); anything else is a description ("the Vermont senator").
* Cross-document identity: the predicted documents are stored in a temporary
  SQLite corpus (:class:`whosaid.store.Corpus`, the real speaker pass). Over
  the statements whose gold kind is person and whose speaker is right, all
  pairs from different articles: precision = pairs under one corpus speaker
  that are one gold person / pairs under one corpus speaker; recall = pairs of
  one gold person under one corpus speaker / pairs of one gold person.

Only the articles named in the gold files are extracted and scored.
"""

from __future__ import annotations

import csv
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from whosaid.brat import BratAttribution, parse_ann, polnear_articles
from whosaid.model import Document
from whosaid.names import unmangled
from whosaid.output import markdown_table
from whosaid.scoring import SummedCounts, f1_score, ratio, solid_chars

COLUMNS = ("article", "cue_start", "cue_end", "speaker", "kind")
KINDS = frozenset({"person", "organisation", "group", "anonymous", "author", "none"})
FORMS = ("name", "pronoun", "description", "none")
PRONOUNS = frozenset("""
i me my we us our you he him his she her they them their it its who whom whose which that
this these those one someone somebody everyone
""".split())
# words that make no phrase on their own: "Some" is not "some Republicans"
QUANTIFIERS = frozenset("""
some many most few several all both each every other others any more much one two three
a an the his her their its our my your this that these those who which
""".split())
TITLES = frozenset("""
mr mrs ms miss dr sen senator rep representative gov governor president pres gen general
lt col maj adm capt sgt rev prof professor judge justice mayor secretary vice former
first lady sir dame lord chairman chairwoman chief
""".split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_HEAD_STOP = frozenset("""
of in at for from with who which that familiar close on to by among about within
""".split())
CLOSE = 85  # rapidfuzz ratio for two spellings of one name or phrase


class SpeakerGoldError(ValueError):
    """A speaker gold file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class GoldRow:
    article: str
    cue_start: int
    cue_end: int
    speaker: str
    kind: str
    where: str  # "file:line", for error messages


def read_gold(paths: Sequence[Path]) -> list[GoldRow]:
    """The rows of one or more speaker gold TSVs (header required, UTF-8)."""
    rows: list[GoldRow] = []
    seen: dict[tuple[str, int, int], str] = {}
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise SpeakerGoldError(f"{path}: speaker gold file does not exist")
        with path.open(encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
        if not lines or tuple(c.strip() for c in lines[0].split("\t")) != COLUMNS:
            raise SpeakerGoldError(f"{path}:1: expected the header {chr(9).join(COLUMNS)!r}")
        for lineno, line in enumerate(lines[1:], 2):
            if not line.strip() or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            where = f"{path}:{lineno}"
            if len(cols) != len(COLUMNS):
                raise SpeakerGoldError(f"{where}: expected {len(COLUMNS)} tab-separated "
                                       f"columns, got {len(cols)}")
            article, start, end, speaker, kind = cols
            if not (start.isdigit() and end.isdigit()) or int(start) >= int(end):
                raise SpeakerGoldError(f"{where}: bad cue offsets {start!r}-{end!r}")
            if kind not in KINDS:
                raise SpeakerGoldError(f"{where}: unknown kind {kind!r} "
                                       f"(one of {', '.join(sorted(KINDS))})")
            if not speaker:
                raise SpeakerGoldError(f"{where}: empty speaker (write '-' for none)")
            key = (article, int(start), int(end))
            if key in seen:
                raise SpeakerGoldError(f"{where}: cue {start}-{end} of {article} "
                                       f"is already labelled at {seen[key]}")
            seen[key] = where
            rows.append(GoldRow(article, int(start), int(end), speaker, kind, where))
    return rows


# --- matching a predicted speaker name to a gold one ------------------------------


def _fold(text: str) -> str:
    # a gold name copied as a feed mangled it ("FranÃ§ois") is the name resolution repairs
    text = unicodedata.normalize("NFKD", unmangled(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"(?<=\b\w)\.", "", text)  # "f.b.i." -> "fbi"
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.split())


def _person_parts(name: str) -> tuple[str | None, str]:
    """(first name or None, surname) with titles, initials and suffixes dropped."""
    words = [w for w in _fold(name).split() if w not in TITLES]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    if not words:
        return None, ""
    first = words[0] if len(words) > 1 and len(words[0]) > 1 else None
    return first, words[-1]


def _person_matches(pred: str, gold: str) -> bool:
    pf, ps = _person_parts(pred)
    gf, gs = _person_parts(gold)
    if not ps or ps != gs:
        return False
    return pf is None or gf is None or pf == gf or fuzz.ratio(pf, gf) >= CLOSE


def _words(phrase: str) -> list[str]:
    words = _fold(phrase).split()
    while len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return words


def _head(words: list[str]) -> str:
    """The last word before a post-modifier: "experts in employment law" -> "experts"."""
    for i, w in enumerate(words):
        if i and w in _HEAD_STOP:
            return words[i - 1]
    return words[-1] if words else ""


def _acronym(words: list[str]) -> list[str]:
    initials = "".join(w[0] for w in words if w not in ("of", "and", "for", "the", "on"))
    return [initials] if len(words) > 1 else []


def _phrase_matches(pred: str, gold: str) -> bool:
    pw, gw = _words(pred), _words(gold)
    if not pw or not gw:
        return False
    if _head(pw) == _head(gw) and fuzz.ratio(" ".join(pw), " ".join(gw)) >= CLOSE:
        return True
    if _acronym(pw) == gw or _acronym(gw) == pw:  # "IMF" is "International Monetary Fund"
        return True
    short, long_ = (pw, gw) if len(pw) <= len(gw) else (gw, pw)
    return set(short) <= set(long_) and any(w not in QUANTIFIERS for w in short)


def _member_matches(pred: str, gold: str, kind: str) -> bool:
    if kind in ("person", "author"):
        return _person_matches(pred, gold)
    if kind == "group":  # a member of "A + B": a person or a body
        return _person_matches(pred, gold) or _phrase_matches(pred, gold)
    return _phrase_matches(pred, gold)


def speaker_matches(pred: str | None, gold: str, kind: str) -> bool:
    """Whether a predicted speaker name names the gold speaker (the guide's rules).

    Persons: same surname, first names equal when both give one (titles,
    initials, suffixes, possessives ignored). Organisations, groups, anonymous
    sources: same head word and close strings, or one phrase's words inside the
    other's, the shorter having a word that is not a quantifier or pronoun, or
    one the acronym of the other ("IMF", "International Monetary Fund").
    "A + B" golds need every member; a single gold wants a single prediction.
    Gold "-" is right only when nothing is predicted.
    """
    if gold == "-" or kind == "none":
        return pred is None or not pred.strip()
    if pred is None or not pred.strip():
        return False
    if kind == "author" and gold.strip("()").lower() == "author":
        return pred.strip("() ").lower() == "author"
    golds = [g.strip() for g in gold.split(" + ") if g.strip()]
    preds = [p.strip() for p in pred.split(" + ") if p.strip()]
    if len(golds) == 1:
        return len(preds) == 1 and _member_matches(preds[0], golds[0], kind)
    left = list(preds)
    for g in golds:
        hit = next((p for p in left if _member_matches(p, g, "group")), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


# --- source forms -----------------------------------------------------------------


_CORE_END = re.compile(r",|\(|—|–| who | which | that | whose ")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“”‘’'(\[—–-])\s*$")


def source_form(text: str, frags: Sequence[tuple[int, int]] | None) -> str:
    """name / pronoun / description / none for a source span of ``text``.

    A name is a phrase whose core (up to a comma, bracket or relative clause)
    ends in a capitalised word: "Mr. Grassley", "the campaign manager Robby Mook",
    "Ban Ki-moon, the secretary general". A lone capitalised word at a sentence
    start must also be capitalised mid-sentence somewhere in the text, so
    "Officials" is a description and "Trump" a name.
    """
    if not frags:
        return "none"
    span = " ".join(text[s:e] for s, e in frags)
    if not span.strip():
        return "none"
    if _fold(span) in PRONOUNS:
        return "pronoun"
    core = _CORE_END.split(" " + " ".join(span.split()) + " ", maxsplit=1)[0]
    core = re.sub(r"['’]s?\s*$", "", core.strip())
    words = [w for w in re.findall(r"[\w][\w.'’&-]*", core)]
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or not words[-1][0].isupper():
        return "description"
    if len(words) == 1 and _SENTENCE_START.search(text[:frags[0][0]]):
        word = re.escape(words[0])
        return "name" if re.search(r"[a-z,]\s+" + word + r"\b", text) else "description"
    return "name"


# --- scoring ----------------------------------------------------------------------


@dataclass
class FormCounts(SummedCounts):
    gold: int = 0
    found: int = 0
    right: int = 0
    pred: int = 0
    pred_right: int = 0

    def figures(self) -> dict[str, float | int]:
        found = ratio(self.found, self.gold)
        recall = ratio(self.right, self.gold)
        precision = ratio(self.pred_right, self.pred)
        return {"gold": self.gold, "found": round(found, 4),
                "accuracy": round(ratio(self.right, self.found), 4),
                "precision": round(precision, 4), "recall": round(recall, 4),
                "f1": round(f1_score(precision, recall), 4), "n_found": self.found,
                "n_right": self.right, "predictions": self.pred}


@dataclass
class Judgement:
    """One gold statement and what was predicted for it (for listing the wrong ones)."""

    row: GoldRow
    form: str
    source: str | None  # the gold source span text
    found: bool
    right: bool
    predicted: str | None  # the matched prediction's speaker name
    pred_source: str | None
    corpus_speaker: int | None = None


@dataclass
class SpeakerScores:
    forms: dict[str, FormCounts] = field(default_factory=lambda: {f: FormCounts() for f in FORMS})
    pairs: dict[str, int] = field(default_factory=lambda: {
        "corpus_pairs": 0, "corpus_pairs_same_person": 0,
        "person_pairs": 0, "person_pairs_same_speaker": 0})
    articles: int = 0
    judgements: list[Judgement] = field(default_factory=list)

    def overall(self) -> FormCounts:
        total = FormCounts()
        for c in self.forms.values():
            total.add(c)
        return total

    def pair_figures(self) -> dict[str, float | int]:
        p = self.pairs
        return {"precision": round(ratio(p["corpus_pairs_same_person"], p["corpus_pairs"]), 4),
                "recall": round(ratio(p["person_pairs_same_speaker"], p["person_pairs"]), 4),
                **p}

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "overall": self.overall().figures(),
                "forms": {f: c.figures() for f, c in self.forms.items()},
                "cross_document_pairs": self.pair_figures()}

    def markdown(self) -> str:
        rows = []
        for label, counts in (("all", self.overall()), *self.forms.items()):
            f = counts.figures()
            rows.append((label, f["gold"], *(float(f[k]) for k in
                                             ("found", "accuracy", "precision", "recall", "f1"))))
        lines = [markdown_table(("source form", "gold", "found", "speaker accuracy",
                                 "who-said-what P", "R", "F1"), rows), ""]
        pf = self.pair_figures()
        lines.append(f"cross-document pairs: precision {pf['precision']:.3f} "
                     f"({pf['corpus_pairs_same_person']}/{pf['corpus_pairs']}), "
                     f"recall {pf['recall']:.3f} "
                     f"({pf['person_pairs_same_speaker']}/{pf['person_pairs']})")
        return "\n".join(lines)


def _gold_attribution(row: GoldRow, ann: list[BratAttribution]) -> BratAttribution:
    for att in ann:
        cue = att.get("Cue")
        if cue and cue[0][0] == row.cue_start and cue[-1][1] == row.cue_end:
            return att
    raise SpeakerGoldError(f"{row.where}: no gold attribution of {row.article} has the cue "
                           f"{row.cue_start}-{row.cue_end}")


def _speaker_name(att: Any) -> str | None:
    src = att.source
    return src.speaker.name if src is not None and src.speaker is not None else None


def score_documents(rows: Sequence[GoldRow], texts: dict[str, str],
                    anns: dict[str, list[BratAttribution]], docs: dict[str, Document],
                    corpus_speakers: dict[tuple[str, int, int], int] | None = None,
                    ) -> SpeakerScores:
    """Score predicted documents against gold rows; see the module docstring.

    ``corpus_speakers`` maps (article, cue start, cue end) of a predicted
    attribution to its corpus speaker id; without it no pair figures are made.
    """
    scores = SpeakerScores(articles=len({r.article for r in rows}))
    gold_atts = [_gold_attribution(r, anns[r.article]) for r in rows]
    gold_sources, gold_forms = [], []
    for r, att in zip(rows, gold_atts, strict=True):
        src = att.get("Source")
        gold_sources.append(" ".join(texts[r.article][s:e] for s, e in src) if src else None)
        gold_forms.append(source_form(texts[r.article], src))
    pred_list = [(name, att) for name, doc in docs.items() for att in doc.attributions]
    pred_forms = [source_form(texts[name], [(a.source.start, a.source.end)] if a.source
                              else None) for name, a in pred_list]
    by_article: dict[str, list[int]] = defaultdict(list)
    for k, (name, _) in enumerate(pred_list):
        by_article[name].append(k)
    right_preds: set[int] = set()
    for r, att, source, form in zip(rows, gold_atts, gold_sources, gold_forms, strict=True):
        text = texts[r.article]
        cue = solid_chars(text, att.get("Cue"))
        best, best_overlap = None, 0
        for k in by_article.get(r.article, []):
            p = pred_list[k][1]
            overlap = len(cue & solid_chars(text, [(p.cue.start, p.cue.end)]))
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        counts = scores.forms[form]
        counts.gold += 1
        predicted = pred_source = None
        right = False
        cs = None
        if best is not None:
            p = pred_list[best][1]
            counts.found += 1
            predicted = _speaker_name(p)
            pred_source = p.source.text if p.source else None
            right = speaker_matches(predicted, r.speaker, r.kind)
            if right:
                counts.right += 1
                right_preds.add(best)
            if corpus_speakers is not None:
                cs = corpus_speakers.get((r.article, p.cue.start, p.cue.end))
        scores.judgements.append(Judgement(r, form, source, best is not None, right,
                                           predicted, pred_source, cs))
    for k, form in enumerate(pred_forms):
        scores.forms[form].pred += 1
        scores.forms[form].pred_right += k in right_preds
    if corpus_speakers is not None:
        scores.pairs = pair_counts(
            (j.row.article, j.row.speaker, j.corpus_speaker) for j in scores.judgements
            if j.right and j.row.kind == "person" and " + " not in j.row.speaker
            and j.corpus_speaker is not None)
    return scores


def _pairs_across(groups: Iterable[Counter[str]]) -> int:
    """Pairs of items from different articles, summed over groups (article -> count)."""
    total = 0
    for per_article in groups:
        n = sum(per_article.values())
        total += n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in per_article.values())
    return total


def pair_counts(statements: Iterable[tuple[str, str, int]]) -> dict[str, int]:
    """Cross-document pair counts from (article, gold person, corpus speaker) triples."""
    by_speaker: dict[int, Counter[str]] = defaultdict(Counter)
    by_person: dict[str, Counter[str]] = defaultdict(Counter)
    by_both: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for article, person, speaker in statements:
        by_speaker[speaker][article] += 1
        by_person[person][article] += 1
        by_both[(person, speaker)][article] += 1
    both = _pairs_across(by_both.values())
    return {"corpus_pairs": _pairs_across(by_speaker.values()),
            "corpus_pairs_same_person": both,
            "person_pairs": _pairs_across(by_person.values()),
            "person_pairs_same_speaker": both}


def corpus_speakers_of(docs: dict[str, Document]) -> dict[tuple[str, int, int], int]:
    """Store the documents in a temporary SQLite corpus; each attribution's corpus speaker.

    The store (and so SQLAlchemy) is imported here only: the core library has
    no database imports.
    """
    from sqlalchemy import select

    from whosaid.store import Corpus
    from whosaid.store.schema import attributions, doc_speakers, documents

    out: dict[tuple[str, int, int], int] = {}
    with tempfile.TemporaryDirectory(prefix="whosaid-speakers-") as tmp:
        corpus = Corpus(Path(tmp) / "corpus.db")
        try:
            for name, doc in docs.items():
                copy = doc.model_copy(update={"name": name})
                corpus.store_document(copy)
            corpus.relink()
            query = select(documents.c.name, attributions.c.cue_start, attributions.c.cue_end,
                           doc_speakers.c.speaker_id).select_from(
                attributions.join(documents, documents.c.id == attributions.c.document_id)
                .join(doc_speakers, doc_speakers.c.id == attributions.c.doc_speaker_id))
            with corpus.engine.connect() as conn:
                for name, start, end, speaker in conn.execute(query):
                    out[(name, start, end)] = int(speaker)
        finally:
            corpus.close()
    return out


def evaluate_speakers(gold_dir: Path, gold_files: Sequence[Path], *, model: str = "fast",
                      progress: Callable[[int, int], None] | None = None,
                      pairs: bool = True) -> SpeakerScores:
    """Extract the gold files' articles from ``gold_dir`` (PolNeAR layout) and score them."""
    rows = read_gold(gold_files)
    if not rows:
        raise SpeakerGoldError(f"{', '.join(map(str, gold_files))}: no gold rows")
    wanted = sorted({r.article for r in rows})
    listed = {name: (txt, ann) for name, txt, ann in polnear_articles(Path(gold_dir))}
    missing = [a for a in wanted if a not in listed or listed[a][1] is None]
    if missing:
        first = next(r for r in rows if r.article == missing[0])
        raise SpeakerGoldError(f"{first.where}: article {missing[0]!r} has no text and gold "
                               f".ann in {gold_dir}")
    texts, anns = {}, {}
    for a in wanted:
        txt, ann = listed[a]
        assert ann is not None
        with txt.open(encoding="utf-8", newline="") as fh:
            texts[a] = fh.read()
        anns[a] = parse_ann(ann.read_text(encoding="utf-8"), str(ann))
    from whosaid.pipeline import extract_many

    docs: dict[str, Document] = {}
    for done, doc in enumerate(extract_many(((a, texts[a], {}) for a in wanted), model=model),
                               1):
        docs[doc.name or wanted[done - 1]] = doc
        if progress is not None:
            progress(done, len(wanted))
    corpus = corpus_speakers_of(docs) if pairs else None
    return score_documents(rows, texts, anns, docs, corpus)


def wrong_rows(scores: SpeakerScores) -> list[dict[str, Any]]:
    """The gold statements not found or with the wrong speaker, for looking at."""
    return [{"where": j.row.where, "article": j.row.article, "cue": [j.row.cue_start,
             j.row.cue_end], "form": j.form, "gold_source": j.source, "gold": j.row.speaker,
             "kind": j.row.kind, "found": j.found, "pred_source": j.pred_source,
             "predicted": j.predicted} for j in scores.judgements if not j.right]


def write_wrong(path: Path, scores: SpeakerScores) -> None:
    """The wrong rows as a TSV (a tuning aid; never run it on the check set)."""
    rows = wrong_rows(scores)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t")
        w.writerow(["where", "form", "gold_source", "gold", "kind", "found", "pred_source",
                    "predicted"])
        for r in rows:
            w.writerow([r["where"], r["form"], r["gold_source"], r["gold"], r["kind"],
                        r["found"], r["pred_source"], r["predicted"]])
