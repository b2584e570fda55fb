"""The content-boundary model (extract/bounds.py) on real parses with the packaged models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.tokens import Doc

from whosaid.extract import bounds
from whosaid.extract.features import DocInfo, RoleFeaturizer
from whosaid.extract.tagger import CUE_MODEL, MODEL_DIR, ROLE_MODEL, CRFTagger
from whosaid.parse import load_nlp

PRAISE = "The governor praised the teachers as heroes in a speech to the legislature."


def _parse(text: str) -> Doc:
    return load_nlp()(text)


def _content_texts(doc: Doc, tagger: CRFTagger) -> dict[str, list[str]]:
    """Cue text -> content run texts of the tagger's attributions."""
    out = {}
    for att in tagger(DocInfo.build(doc)):
        cue = doc[att.cue[0]:att.cue[-1] + 1].text
        out[cue] = [doc[r[0]:r[-1] + 1].text for r in att.content]
    return out


def test_packaged_model_is_loaded() -> None:
    assert (MODEL_DIR / bounds.BOUNDS_MODEL).is_file()
    assert CRFTagger().bounds is not None


def test_adjunct_of_the_cue_verb_leaves_the_content() -> None:
    """"praised X as Y in a speech": the speech is where the praise happened, not what
    was said; the role CRF runs the content on to the sentence end, the model cuts it."""
    doc = _parse(PRAISE)
    tagger = CRFTagger()
    assert _content_texts(doc, tagger)["praised"] == ["the teachers as heroes"]
    info = DocInfo.build(doc)
    cue = [t.i for t in doc if t.text == "praised"]
    _, crf_only, _ = tagger.find_roles(info, RoleFeaturizer(info), cue)  # redraw off
    assert [doc[r[0]:r[-1] + 1].text for r in crf_only] == [
        "the teachers as heroes in a speech to the legislature"]


def test_without_the_model_file_contents_stay_the_crfs(tmp_path: Path) -> None:
    for name in (CUE_MODEL, ROLE_MODEL):
        shutil.copyfile(MODEL_DIR / name, tmp_path / name)
    tagger = CRFTagger(tmp_path)
    assert tagger.bounds is None
    assert _content_texts(_parse(PRAISE), tagger)["praised"] == [
        "the teachers as heroes in a speech to the legislature"]


def test_end_candidates_are_clause_and_sentence_edges() -> None:
    doc = _parse("The mayor said the bridge, which opened in May, was unsafe. Engineers agreed.")
    s = next(t.i for t in doc if t.text == "the")
    e = next(t.i for t in doc if t.text == "unsafe")
    cands = bounds.end_candidates(DocInfo.build(doc), s, e, len(doc), [1])
    words = [doc[c].text for c in cands]
    # before each comma, before the full stop, the sentence's last token, the next sentence's
    assert {"bridge", "May", "unsafe", "."} <= set(words)
    assert doc[cands[-1]].text == "."
    assert all(s <= c < len(doc) for c in cands)


def test_start_candidates_stay_inside_the_window() -> None:
    doc = _parse('"We will rebuild," the minister said, "and we will do it fast."')
    s = next(t.i for t in doc if t.text == "and")
    e = next(t.i for t in doc if t.text == "fast")
    cands = bounds.start_candidates(DocInfo.build(doc), s, e, 2, [])
    assert s in cands and min(cands) >= 2
    # the opening quotation mark of the second part is a start candidate
    assert any(doc[c].text == '"' or doc[c - 1].text == '"' for c in cands)


def test_training_items_mark_the_gold_edge_only() -> None:
    doc = _parse(PRAISE)
    info = DocInfo.build(doc)
    cue = [next(t.i for t in doc if t.text == "praised")]
    run = list(range(cue[0] + 1, len(doc) - 1))  # "the teachers ... legislature"
    gold = list(range(cue[0] + 1, next(t.i for t in doc if t.text == "heroes") + 1))
    probs = [0.5] * len(doc)
    items = bounds.training_items(info, cue, [0, 1], [run], gold, 0, len(doc), probs)
    assert items and sum(y == "y" for _, y in items) == 1
    assert all(f[0] == "bias" for f, _ in items)
    # a content in two runs, or one that does not overlap gold, teaches nothing
    assert bounds.training_items(info, cue, [], [run[:2], run[3:]], gold, 0, len(doc),
                                 probs) == []
    assert bounds.training_items(info, cue, [], [[0, 1]], gold, 0, len(doc), probs) == []


@pytest.mark.parametrize("text", [
    "Officials said the airport would reopen on Sunday.",
    '"We are ready," the minister told reporters on Monday.',
])
def test_redrawn_contents_are_valid_runs(text: str) -> None:
    doc = _parse(text)
    for att in CRFTagger()(DocInfo.build(doc)):
        flat = [i for r in att.content for i in r]
        assert flat == sorted(set(flat))
        assert not set(flat) & set(att.cue) and not set(flat) & set(att.source)
