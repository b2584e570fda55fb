"""The CRF tagger's own filter on what the two CRFs return: real parse, real models."""

from __future__ import annotations

from pathlib import Path

from whosaid.extract.features import DocInfo, RoleFeaturizer
from whosaid.extract.tagger import CRFTagger
from whosaid.parse import load_nlp

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def words(info: DocInfo, toks: list[int]) -> str:
    return " ".join(info.attrs.texts[i] for i in toks)


def test_the_subject_of_a_by_passive_is_no_source() -> None:
    """The demo's "the town hit hardest by last winter's floods": the CRF tags "hit hardest
    by" with the town as its source; the town undergoes the floods, it says nothing."""
    text = (EXAMPLES / "river-defences.txt").read_text(encoding="utf-8")
    para = next(p for p in text.split("\n\n") if "hit hardest" in p)
    info = DocInfo.build(load_nlp()(para))
    tagger = CRFTagger()
    feats = RoleFeaturizer(info)
    raw = {words(info, t.cue): t for t in (tagger.attribute(info, feats, c, p)
                                           for c, p in tagger.find_cues(info))}
    assert words(info, raw["hit hardest by"].source) == "the town"  # what the CRFs say
    kept = [words(info, t.cue) for t in tagger(info)]
    assert "hit hardest by" not in kept
    assert {"say", "said"} <= set(kept)  # the real speakers of the paragraph stay
