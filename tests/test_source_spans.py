"""Source spans of found cues (issues 12 and 13): sentences written for these tests, real parse.

Each test builds the attribution the tagger would hand over (cue and content, source
left for the rules) on spaCy's real parse, or runs the whole pipeline, and checks the
source span the rules give it.
"""

from __future__ import annotations

from spacy.tokens import Doc

from whosaid import extract
from whosaid.extract.rules import according_to_source, inherit_subject, strip_prepositions
from whosaid.extract.tagger import TaggedAttribution
from whosaid.parse import load_nlp


def parse(text: str) -> Doc:
    return load_nlp()(text)


def at(doc: Doc, words: str) -> list[int]:
    """Token indices of the first run of ``words`` in ``doc``."""
    want = words.split()
    for i in range(len(doc) - len(want) + 1):
        if [t.text for t in doc[i:i + len(want)]] == want:
            return list(range(i, i + len(want)))
    raise AssertionError(f"{words!r} not in {doc.text!r}")


def text(doc: Doc, toks: list[int]) -> str:
    return doc[toks[0]:toks[-1] + 1].text if toks else ""


def inherited(doc: Doc, cue: str, content: str, source: str = "") -> TaggedAttribution:
    att = TaggedAttribution(at(doc, cue), at(doc, source) if source else [],
                            [at(doc, content)], 0.5)
    inherit_subject(doc, [att])
    return att


# --- "Asked about X, she said": the one asked is not the asker --------------------------


def test_asked_participle_takes_no_source() -> None:
    doc = parse("Asked about the budget cuts, the mayor said the city would close two libraries.")
    assert inherited(doc, "Asked about", "the budget cuts").source == []
    # the clause it hangs on keeps its own subject
    assert text(doc, inherited(doc, "said", "the city would close two libraries").source) \
        == "the mayor"


def test_when_asked_takes_no_source() -> None:
    doc = parse("When asked whether she would run again, the senator said she had not decided.")
    assert inherited(doc, "asked", "whether she would run again").source == []


def test_pipeline_leaves_the_asked_cue_without_a_speaker() -> None:
    doc = extract("Asked about the budget cuts, the mayor said the city would close two "
                  "libraries.")
    asked = [a for a in doc.attributions if a.cue.text.lower().startswith("asked")]
    said = [a for a in doc.attributions if a.cue.text == "said"]
    assert asked and all(a.source is None for a in asked)
    assert said and said[0].source is not None and said[0].source.text == "the mayor"


def test_having_said_keeps_its_subject() -> None:
    # a participle with an auxiliary is active: its subject is the speaker
    doc = parse("Having told reporters that the vote was rigged, the candidate left the hall.")
    assert text(doc, inherited(doc, "told", "that the vote was rigged").source) \
        == "the candidate"


# --- datelines and kickers are no part of the source -------------------------------------


def test_dateline_is_cut_from_the_source() -> None:
    doc = parse("Farm Aid Expands.\n\nNEW YORK - Republican candidate Jo Marsh tweeted on "
                "Sunday that the polls were rigged.")
    att = TaggedAttribution(at(doc, "tweeted"), at(doc, "NEW YORK - Republican candidate Jo Marsh"),
                            [at(doc, "that the polls were rigged")], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "Republican candidate Jo Marsh"


def test_dateline_with_state_is_cut() -> None:
    doc = parse("Vote Count Begins.\n\nPORTLAND, Maine — Sen. Rita Galvez said Monday that the "
                "count would take a week.")
    att = TaggedAttribution(at(doc, "said"), at(doc, "PORTLAND , Maine — Sen. Rita Galvez"),
                            [at(doc, "that the count would take a week")], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "Sen. Rita Galvez"


def test_kicker_is_cut_from_a_headline_source() -> None:
    doc = parse("The Latest: Governor urges calm after the storm.")
    att = TaggedAttribution(at(doc, "urges"), at(doc, "The Latest : Governor"),
                            [at(doc, "calm after the storm")], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "Governor"


def test_hyphenated_words_are_no_dateline() -> None:
    doc = parse("17-year-old Jared Potts said the town needed jobs.")
    att = TaggedAttribution(at(doc, "said"), at(doc, "17 - year - old Jared Potts"),
                            [at(doc, "the town needed jobs")], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "17-year-old Jared Potts"


def test_dateline_inside_a_paragraph_is_kept() -> None:
    # only a paragraph's opening words can be a dateline
    doc = parse("Mr. Fox spoke twice. NEW YORK - the city he loves - is broke, he said.")
    att = TaggedAttribution(at(doc, "said"), at(doc, "NEW YORK - the city"), [], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "NEW YORK - the city"


# --- the cue's subject where the parse hides it ------------------------------------------


def test_second_verb_of_a_coordination_takes_the_first_verbs_subject() -> None:
    # the tagger's cue is "away convinced"; "convinced" hangs on "met", "away" on "came"
    doc = parse("Gov. Alan Pierce met with the farmers and came away convinced that the drought "
                "aid was working.")
    att = inherited(doc, "away convinced", "that the drought aid was working")
    assert text(doc, att.source) == "Gov. Alan Pierce"


def test_verb_the_parser_leaves_unlabelled_takes_the_subject() -> None:
    doc = parse("Ms. Okafor paused, then revealed why the program mattered to her family.")
    assert text(doc, inherited(doc, "revealed", "why the program mattered to her family").source) \
        == "Ms. Okafor"


def test_subject_swallowed_by_quote_content_is_read_after_the_quotation() -> None:
    # the tagger ran the quotation's content on to the cue, over the subject
    doc = parse("“Nobody wants this plan,” the clerk, Jo Marsh, said on Monday.")
    att = TaggedAttribution(at(doc, "said"), [], [list(range(0, at(doc, "Marsh")[0] + 2))], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "the clerk, Jo Marsh,"
    assert [text(doc, run) for run in att.content] == ["“Nobody wants this plan,”"]


def test_pronoun_subject_that_names_nothing_stays_empty() -> None:
    doc = parse("“It is over,” it said in a statement.")
    assert inherited(doc, "said", "It is over").source == []


# --- "according to X": X without the comment that follows it ---------------------------


def test_according_to_source_drops_a_whose_clause() -> None:
    doc = parse("Wages rose sharply last year, according to the Labor Institute, whose figures "
                "were confirmed by the Treasury.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "Wages rose sharply last year")],
                            0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "the Labor Institute"


def test_according_to_source_drops_a_where_clause_and_its_comma() -> None:
    doc = parse("The mayor leads by ten points, according to the county average of polls, where "
                "most votes will be cast.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "The mayor leads by ten points")],
                            0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "the county average of polls"


def test_according_to_source_keeps_an_apposition() -> None:
    doc = parse("Turnout fell, according to Dana Ruiz, a county election official.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "Turnout fell")], 0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "Dana Ruiz, a county election official"


# --- feeling verbs: the one who feels is the source --------------------------------------


def test_object_of_a_feeling_verb_is_its_source() -> None:
    # the tagger reads the feeler as content and the cause as the source
    doc = parse("That has convinced some activists that the party is ignoring them.")
    att = TaggedAttribution(at(doc, "has convinced"), at(doc, "That"),
                            [at(doc, "some activists that the party is ignoring them")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "some activists"
    assert [text(doc, run) for run in att.content] == ["that the party is ignoring them"]


def test_feeler_named_by_a_cause_with_no_content_left_keeps_the_cause_as_content() -> None:
    doc = parse("The new schedule rattled the coaches.")
    att = TaggedAttribution(at(doc, "rattled"), at(doc, "The new schedule"),
                            [at(doc, "the coaches")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "the coaches"
    assert [text(doc, run) for run in att.content] == ["The new schedule"]


def test_a_person_who_persuades_stays_the_source() -> None:
    doc = parse("Senator Hale has persuaded wealthy donors to back the plan.")
    att = TaggedAttribution(at(doc, "has persuaded"), at(doc, "Senator Hale"),
                            [at(doc, "wealthy donors to back the plan")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "Senator Hale"


def test_subject_of_a_passive_feeling_verb_is_its_source() -> None:
    # the tagger left the subject as a lone piece of content
    doc = parse("Nurses were frustrated that the hospital had cut their overtime pay.")
    clause = "that the hospital had cut their overtime pay"
    att = TaggedAttribution(at(doc, "were frustrated"), [], [at(doc, "Nurses"), at(doc, clause)],
                            0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "Nurses"
    assert [text(doc, run) for run in att.content] == [clause]


def test_passive_with_a_by_phrase_is_left_alone() -> None:
    doc = parse("The nurses were frustrated by the hospital's decision to cut their pay.")
    att = TaggedAttribution(at(doc, "were frustrated"), [],
                            [at(doc, "the hospital 's decision to cut their pay")], 0.5)
    inherit_subject(doc, [att])
    assert att.source == []
