"""The cue classifier's second look at predicates (extract/cueclass.py): real parse, real models."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.extract import cueclass
from whosaid.extract.features import DocInfo, RoleFeaturizer
from whosaid.extract.tagger import CUE_MODEL, EXTRA_MODEL, MODEL_DIR, ROLE_MODEL, CRFTagger
from whosaid.parse import load_nlp


def info_of(text: str) -> DocInfo:
    return DocInfo.build(load_nlp()(text))


def token(info: DocInfo, word: str) -> int:
    return info.attrs.texts.index(word)


def test_candidates_are_predicates_outside_the_crf_cues_above_the_gate() -> None:
    info = info_of("The governor unveiled a plan to cut taxes for families.")
    s, e = info.sent_bounds[0]
    labels = ["O"] * (e - s)
    cands = dict(cueclass.candidates(info, s, e, labels, lambda k: 0.2))
    words = {info.attrs.texts[i] for i in cands}
    assert {"unveiled", "plan"} <= words
    assert not words & {"The", "a", "to", "for", "."}  # no determiners, particles, punctuation
    assert cands[token(info, "unveiled")]["m"] == pytest.approx(0.2)
    # a token of a CRF cue is no candidate, and neither is one under the gate
    labels[token(info, "unveiled") - s] = "B-CUE"
    assert token(info, "unveiled") not in dict(cueclass.candidates(info, s, e, labels,
                                                                   lambda k: 0.2))
    assert cueclass.candidates(info, s, e, ["O"] * (e - s), lambda k: cueclass.GATE / 2) == []


def test_relation_to_the_crf_cue_is_a_feature() -> None:
    info = info_of("Officials said the council approved the budget.")
    s, e = info.sent_bounds[0]
    said, approved = token(info, "said"), token(info, "approved")
    labels = ["O"] * (e - s)
    labels[said - s] = "B-CUE"
    feats = dict(cueclass.candidates(info, s, e, labels, lambda k: 0.3))
    assert feats[approved]["rel=under"] == 1.0  # inside the said-clause: likely its content


@pytest.mark.parametrize(
    ("sentence", "head", "cue"),
    [
        ("The senator has also pushed for a vote on the bill.", "pushed", "has also pushed"),
        ("The company did not comment on the report.", "comment", "did not comment"),
        ("The decision to close the plant angered workers.", "decision", "The decision"),
        # a possessor is the source, not part of the cue
        ("Her criticism of the plan drew a reply.", "criticism", "criticism of"),
    ],
)
def test_added_cue_takes_the_children_train_puts_in_cues(sentence: str, head: str,
                                                          cue: str) -> None:
    info = info_of(sentence)
    toks = cueclass.expand(info, token(info, head))
    assert " ".join(info.attrs.texts[i] for i in toks) == cue


def test_without_the_classifier_file_nothing_is_added(tmp_path: Path) -> None:
    for name in (CUE_MODEL, ROLE_MODEL):
        (tmp_path / name).write_bytes((MODEL_DIR / name).read_bytes())
    info = info_of("The senator unveiled a proposal on Tuesday that would cut taxes for "
                   "families, and critics pushed back.")
    bare = CRFTagger(tmp_path)
    assert bare.extra is None
    full = CRFTagger()
    assert full.extra is not None, f"{EXTRA_MODEL} missing from the package"
    plain = [(t.cue, t.source, t.content) for t in bare(info)]
    with_extra = [(t.cue, t.source, t.content) for t in full(info)]
    assert with_extra[:len(plain)] == plain  # the CRF's own attributions are untouched


FRAMING = "The party is framing the election as a choice between order and chaos."


def words(info: DocInfo, toks: list[int]) -> str:
    return " ".join(info.attrs.texts[i] for i in toks)


def test_a_passed_over_predicate_becomes_an_attribution(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CRF finds no cue here; the classifier scores "framing" between 0.4 and 0.5."""
    info = info_of(FRAMING)
    tagger = CRFTagger()
    assert tagger.find_cues(info) == []
    assert tagger(info) == []  # under the shipped threshold
    monkeypatch.setattr(cueclass, "THRESHOLD", 0.4)
    (att,) = tagger(info)
    assert words(info, att.cue) == "is framing"
    assert words(info, att.source) == "The party"
    assert [words(info, run) for run in att.content] == [
        "the election as a choice between order and chaos"]
    assert 0.4 * 0.5 < att.confidence < 1


def test_an_addition_inside_a_found_content_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """PolNeAR train never nests attributions: "framing" inside the said-content stays out."""
    monkeypatch.setattr(cueclass, "THRESHOLD", 0.4)
    info = info_of("Officials said the talks would resume. " + FRAMING)
    atts = CRFTagger()(info)
    assert [words(info, a.cue) for a in atts] == ["said"]
    assert "framing" in words(info, atts[0].content[0])


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_subject_of_a_by_passive_is_no_source() -> None:
    """The demo's "the town hit hardest by last winter's floods": the CRF tags "hit hardest
    by" with the town as its source; the town undergoes the floods, it says nothing."""
    text = (EXAMPLES / "river-defences.txt").read_text(encoding="utf-8")
    para = next(p for p in text.split("\n\n") if "hit hardest" in p)
    info = info_of(para)
    tagger = CRFTagger()
    feats = RoleFeaturizer(info)
    raw = {words(info, t.cue): t for t in (tagger.attribute(info, feats, c, p)
                                           for c, p in tagger.find_cues(info))}
    assert words(info, raw["hit hardest by"].source) == "the town"  # what the CRFs say
    kept = [words(info, t.cue) for t in tagger(info)]
    assert "hit hardest by" not in kept
    assert {"say", "said"} <= set(kept)  # the real speakers of the paragraph stay
