"""The recall-issue rules on sentences written for these tests (real parse, real model)."""

from __future__ import annotations

from whosaid import extract
from whosaid.extract.lexicon import noun_predicate_class, predicate_class
from whosaid.extract.rules import _after_quotation, drop_nested, inherit_subject
from whosaid.extract.tagger import TaggedAttribution
from whosaid.parse import load_nlp


def tok(doc, word: str, nth: int = 0) -> int:  # type: ignore[no-untyped-def]
    return [t.i for t in doc if t.text == word][nth]


def test_nested_attribution_is_dropped_outer_kept() -> None:
    doc = load_nlp()("Aides said Smith told them he would run again.")
    said, told = tok(doc, "said"), tok(doc, "told")
    outer = TaggedAttribution([said], [0], [list(range(said + 1, len(doc) - 1))], 0.9)
    inner = TaggedAttribution([told], [told - 1], [list(range(told + 2, len(doc) - 1))], 0.9)
    assert drop_nested([outer, inner]) == [outer]
    # side by side, neither inside the other's content: both stay
    apart = TaggedAttribution([told], [told - 1], [[told + 1]], 0.9)
    outer.content = [[said + 1]]
    assert drop_nested([outer, apart]) == [outer, apart]


def test_pipeline_output_has_no_cue_inside_another_content() -> None:
    # the CRFs alone nest "announced" inside the content of "said" here
    doc = extract("Officials said Smith had announced that the bridge would reopen in May.")
    assert [a.cue.text for a in doc.attributions] == ["said"]
    for a in doc.attributions:
        for b in doc.attributions:
            if a is b or b.content is None:
                continue
            assert not any(s <= a.cue.start and a.cue.end <= e for s, e in b.content.fragments), (
                a.cue.text, b.content.text)


def test_participle_cue_takes_the_subject_of_its_verb() -> None:
    text = "Dean, a medical doctor, spoke on Monday, saying the plan would fail."
    doc = load_nlp()(text)
    saying = tok(doc, "saying")
    att = TaggedAttribution([saying], [], [list(range(saying + 1, len(doc) - 1))], 0.9)
    inherit_subject(doc, [att])
    assert doc[att.source[0]:att.source[-1] + 1].text.startswith("Dean, a medical doctor")


def test_inherit_subject_keeps_a_found_source_and_skips_expletives() -> None:
    doc = load_nlp()("It rained all day, prompting officials to warn that roads would flood.")
    warn = tok(doc, "warn")
    att = TaggedAttribution([warn], [], [[warn + 1]], 0.9)
    inherit_subject(doc, [att])
    assert att.source == []  # "It" is no source
    found = TaggedAttribution([warn], [tok(doc, "officials")], [[warn + 1]], 0.9)
    inherit_subject(doc, [found])
    assert found.source == [tok(doc, "officials")]


def test_cue_after_a_preposition_takes_the_main_clause_subject() -> None:
    """ "After saying X, she left": the participle hangs from "After", not from a verb."""
    text = "After saying his left knee was hurt, the striker was taken to a clinic."
    doc = load_nlp()(text)
    saying = tok(doc, "saying")
    att = TaggedAttribution([saying], [], [list(range(saying + 1, tok(doc, ",")))], 0.9)
    inherit_subject(doc, [att])
    assert doc[att.source[0]:att.source[-1] + 1].text == "the striker"
    assert [a.source.text for a in extract(text).attributions if a.source] == ["the striker"]


def test_cue_with_its_own_subject_takes_it_but_a_passive_one_does_not() -> None:
    doc = load_nlp()("“The plan is sound,” Berg, a longtime ally of the mayor, said on Thursday.")
    said = tok(doc, "said")
    att = TaggedAttribution([said], [], [list(range(0, tok(doc, "”") + 1))], 0.9)
    inherit_subject(doc, [att])
    assert doc[att.source[0]:att.source[-1] + 1].text == "Berg, a longtime ally of the mayor,"
    doc = load_nlp()("The residents were told that the water was safe to drink.")
    told = tok(doc, "told")
    att = TaggedAttribution([told], [], [list(range(told + 1, len(doc) - 1))], 0.9)
    inherit_subject(doc, [att])
    assert att.source == []  # the one told is not the teller

def test_name_between_closing_quote_and_cue_is_the_source() -> None:
    """ "“…,” county fire Chief Ana Ruiz said": the tagger ran the content on to the cue."""
    doc = load_nlp()("“We will rebuild the bridge,” county fire Chief Ana Ruiz said Monday.")
    said, close = tok(doc, "said"), tok(doc, "”")
    att = TaggedAttribution([said], [], [list(range(0, said))], 0.9)
    source = _after_quotation(doc, att)
    assert source is not None and doc[source[0]:source[-1] + 1].text == "county fire Chief Ana Ruiz"
    assert att.content == [list(range(0, close + 1))]  # the quotation ends at its mark
    # a clause after the quotation is no name; "according to" has its source after it
    doc = load_nlp()("“It works,” she said at a briefing announcing that the plan would go on.")
    announcing = tok(doc, "announcing")
    att = TaggedAttribution([announcing], [], [[announcing + 1]], 0.9)
    assert _after_quotation(doc, att) is None
    doc = load_nlp()("“It was a mess,” the crew said, according to two witnesses.")
    according = tok(doc, "according")
    assert _after_quotation(doc, TaggedAttribution([according], [], [[0]], 0.9)) is None

def test_predicate_classes_are_general() -> None:
    assert predicate_class("say") == "speech"
    assert predicate_class("release") == "show"
    assert predicate_class("plan") == "want"
    assert predicate_class("lobby") == "propose"
    assert predicate_class("decide") == "decide"
    assert predicate_class("embarrass") == "feel"
    assert predicate_class("table") == "none"
    assert noun_predicate_class("decision") == "decide"
    assert noun_predicate_class("proposal") == "propose"
    assert noun_predicate_class("announcement") == "speech"
    assert noun_predicate_class("furniture") == "none"
