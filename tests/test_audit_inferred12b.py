"""Claims by content, follow-up (session 12): the word-coverage threshold a sentence needs
when MiniLM is unavailable (INFER_FOUND_PLAIN, fitted leave-one-set-out with no markers).

Invented bodies, places and figures throughout (the sources of test_audit_inferred12).
MiniLM is switched off where a test is about the word-coverage fallback, the way a machine
without it runs (``whosaid.search.encode`` raises ``SemanticUnavailable``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import whosaid.search as search_mod
from test_audit_inferred12 import HARBOUR, LIBRARY  # the same invented sources
from whosaid import extract
from whosaid.audit import audit, load_sources


def _audit(tmp_path: Path, report: str) -> dict:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    return audit(extract(report, name="r"), load_sources(folder))


def _claim(result: dict, start: str) -> dict | None:
    return next((c for c in result["claims"] if c["text"].startswith(start)), None)


@pytest.fixture
def no_minilm(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without MiniLM: every encode call says it is unavailable."""
    def unavailable(texts: object) -> object:
        raise search_mod.SemanticUnavailable("MiniLM is not installed here")
    monkeypatch.setattr(search_mod, "encode", unavailable)


def test_without_minilm_a_reworded_sentence_is_still_checked(tmp_path: Path, no_minilm: None
                                                             ) -> None:
    """Without MiniLM a claim by content is decided by word coverage; a sentence that
    rewords one source sentence (about two thirds of its words there, none in any other
    source) is checked against it (the 0.85 used before left it unread)."""
    report = ("Port review\n\nEngineers will deepen the eastern fairway to nine metres under "
              "a plan the board approved last week.\n")
    claim = _claim(_audit(tmp_path, report), "Engineers will deepen")
    assert claim is not None
    assert claim["citation"] is None
    assert claim["inferred"]["document"] == "harbour"
    assert claim["inferred"]["coverage"] < 0.85
    assert claim["flags"] == []


def test_without_minilm_a_sentence_sharing_a_few_words_is_no_claim(tmp_path: Path,
                                                                   no_minilm: None) -> None:
    """GUARD (passes before the change too): a sentence that shares only a few topic words
    with a source sentence is no claim by content without MiniLM either."""
    report = ("Port review\n\nVisitors to the eastern quay complained about parking, noise "
              "and the price of coffee at the kiosk last week.\n")
    result = _audit(tmp_path, report)
    assert not [c for c in result["claims"] if c.get("inferred")]
