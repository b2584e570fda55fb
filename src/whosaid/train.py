"""Train the fast model's two CRFs from PolNeAR train (``whosaid train``).

Deterministic: the corpus is read in sorted order, spaCy's parse is
deterministic on CPU and crfsuite's L-BFGS has no random state. Dev is never
read here; it is for ``whosaid eval`` only.
"""

from __future__ import annotations

import bisect
import multiprocessing
from collections.abc import Callable, Iterator
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc

from whosaid.brat import BratAttribution, polnear_articles, read_ann
from whosaid.extract.features import DocInfo, RoleFeaturizer, cue_features, role_window
from whosaid.extract.tagger import CUE_MODEL, MODEL_DIR, ROLE_MODEL
from whosaid.parse import load_nlp

CUE_PARAMS = {"c1": 2.0, "c2": 0.005, "max_iterations": 150, "feature.possible_transitions": True}
ROLE_PARAMS = {"c1": 3.0, "c2": 0.005, "max_iterations": 150, "feature.possible_transitions": True}


def tokens_in(doc: Doc, starts: list[int], frags: list[tuple[int, int]]) -> list[int]:
    """Tokens whose characters overlap the fragments (gold spans rarely split tokens)."""
    out: list[int] = []
    for s, e in frags:
        i = max(0, bisect.bisect_right(starts, s) - 1)
        while i < len(doc) and doc[i].idx < e:
            tok = doc[i]
            if tok.idx + len(tok.text) > s and not tok.is_space:
                out.append(i)
            i += 1
    return sorted(set(out))


def bio(n: int, lo: int, spans: list[tuple[list[int], str]]) -> list[str]:
    labels = ["O"] * n
    for toks, tag in spans:
        prev = None
        for i in toks:
            if not lo <= i < lo + n:
                continue
            labels[i - lo] = ("I-" if prev == i - 1 else "B-") + tag
            prev = i
    return labels


def training_sequences(doc: Doc, gold: list[BratAttribution]
                       ) -> Iterator[tuple[str, list[list[str]], list[str]]]:
    """Yield ("cue"|"role", features, labels) sequences for one article."""
    info = DocInfo.build(doc)
    starts = [t.idx for t in doc]
    cues = []
    for att in gold:
        cue = tokens_in(doc, starts, att.get("Cue"))
        if cue:
            cues.append((att, cue))
    for s, e in info.sent_bounds:
        if e - s < 2:
            continue
        labels = bio(e - s, s, [(c, "CUE") for _, c in cues])
        yield "cue", cue_features(info, s, e), labels
    feats = RoleFeaturizer(info)
    for att, cue in cues:
        lo, hi = role_window(info, cue)
        spans = [(tokens_in(doc, starts, att.get("Source")), "S")]
        spans += [(tokens_in(doc, starts, [f]), "C") for f in att.get("Content")]
        # Adjacent content fragments are one run for the tagger (B only at a gap).
        spans = [(t, tag) for t, tag in spans if t]
        yield "role", feats.features(lo, hi, cue), bio(hi - lo, lo, _merge_content(spans))


def _merge_content(spans: list[tuple[list[int], str]]) -> list[tuple[list[int], str]]:
    content = sorted(i for t, tag in spans if tag == "C" for i in t)
    return [(t, tag) for t, tag in spans if tag != "C"] + [(content, "C")]


def training_corpus(corpus: Path, limit: int | None = None,
                    progress: Callable[[str, int, int], None] | None = None,
                    docs: list[Doc] | None = None
                    ) -> tuple[list[tuple[str, Path, Path | None]], list[Doc]]:
    """The annotated articles of a split (sorted, first ``limit``) and their parses."""
    articles = [(n, t, g) for n, t, g in polnear_articles(corpus) if g is not None][:limit]
    if not articles:
        raise ValueError(f"{corpus}: no annotated articles found")
    if docs is None:
        nlp = load_nlp()
        texts = (t.read_text(encoding="utf-8") for _, t, _ in articles)
        docs = []
        for i, d in enumerate(nlp.pipe(texts, batch_size=16), 1):
            docs.append(d)
            if progress:
                progress("parse", i, len(articles))
    return articles, docs


def train(corpus: Path, out_dir: Path = MODEL_DIR, *,
          progress: Callable[[str, int, int], None] | None = None,
          docs: list[Doc] | None = None, limit: int | None = None) -> dict[str, Path]:
    """Train both CRFs on ``corpus`` (a PolNeAR-layout split) and write them to ``out_dir``."""
    articles, docs = training_corpus(corpus, limit, progress, docs)
    trainers = {k: pycrfsuite.Trainer(verbose=False) for k in ("cue", "role")}
    for i, (doc, (_, _, gold)) in enumerate(zip(docs, articles, strict=True), 1):
        for kind, x, y in training_sequences(doc, read_ann(gold)):
            trainers[kind].append(x, y)
        if progress:
            progress("features", i, len(articles))
    trainers["cue"].set_params(CUE_PARAMS)
    trainers["role"].set_params(ROLE_PARAMS)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"cue": out_dir / CUE_MODEL, "role": out_dir / ROLE_MODEL}
    # The two CRFs are independent: train them in two forked processes (one
    # per core); the children inherit the appended data copy-on-write.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=trainers[k].train, args=(str(paths[k]),)) for k in trainers]
    if progress:
        progress("train", 0, len(procs))
    for p in procs:
        p.start()
    for done, p in enumerate(procs, 1):
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"training the {list(trainers)[done - 1]} tagger failed")
        if progress:
            progress("train", done, len(procs))
    return paths
