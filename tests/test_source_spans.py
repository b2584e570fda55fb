"""Source spans of found cues (issues 12 and 13): sentences written for these tests, real parse.

Each test builds the attribution the tagger would hand over (cue and content, source
left for the rules) on spaCy's real parse and checks the source span the rules give it.
"""

from __future__ import annotations

from spacy.tokens import Doc

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


# --- participles ("Asked about X, she said": the one asked stays a mention; test_asked11.py)


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
    doc = parse("Vote Count Begins.\n\nRIVERTON, Ohio — Sen. Rita Galvez said Monday that the "
                "count would take a week.")
    att = TaggedAttribution(at(doc, "said"), at(doc, "RIVERTON , Ohio — Sen. Rita Galvez"),
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
    # an unspaced hyphen after capitals joins a word, it opens no sentence
    doc = parse("Budget Talks Stall.\n\nFBI-led investigators said the town needed jobs.")
    src = [t.i for t in doc if t.i >= at(doc, "FBI")[0] and t.i < at(doc, "said")[0]]
    att = TaggedAttribution(at(doc, "said"), src, [at(doc, "the town needed jobs")], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "FBI-led investigators"


def _stripped(opening: str) -> str:
    """The source the rules keep for a paragraph-opening subject before "said"."""
    doc = parse("Budget Talks Stall.\n\n" + opening + " said the budget was late.")
    src = list(range(at(doc, opening.split()[0])[0], at(doc, "said")[0]))
    att = TaggedAttribution(at(doc, "said"), src, [at(doc, "the budget was late")], 0.5)
    strip_prepositions(doc, [att])
    return text(doc, att.source)


def test_title_and_name_before_an_apposition_are_no_dateline() -> None:
    # capitals that open a title or a name, and a pair of dashes around an apposition
    assert _stripped("GOP Sen. Rita Galvez -- a critic of the plan --") \
        == "GOP Sen. Rita Galvez -- a critic of the plan --"
    assert _stripped("FBI Director Jo Marsh — a veteran agent —") \
        == "FBI Director Jo Marsh — a veteran agent —"
    assert _stripped("NASA - the space agency -") == "NASA - the space agency -"


def test_spaced_hyphen_in_a_compound_is_no_dateline() -> None:
    # no place has points in it, and a sentence after a dateline opens with a capital
    assert _stripped("U.S. - Mexican officials") == "U.S. - Mexican officials"
    assert _stripped("UN - backed investigators") == "UN - backed investigators"


def test_dateline_with_agency_is_cut() -> None:
    assert _stripped("BOSTON (AP) — Mayor Jo Marsh") == "Mayor Jo Marsh"


def test_dateline_before_a_party_label_is_cut() -> None:
    # the hyphen inside "(D-Vt.)" is unspaced: no second dash of an apposition
    assert _stripped("BOSTON — Sen. Jo Marsh (D-Vt.)") == "Sen. Jo Marsh (D-Vt.)"


def test_dateline_inside_a_paragraph_is_kept() -> None:
    # only a paragraph's opening words can be a dateline
    doc = parse("Mr. Fox spoke twice. NEW YORK - the city he loves - is broke, he said.")
    att = TaggedAttribution(at(doc, "said"), at(doc, "NEW YORK - the city"), [], 0.5)
    strip_prepositions(doc, [att])
    assert text(doc, att.source) == "NEW YORK - the city"


# --- the cue's subject where the parse hides it ------------------------------------------


def test_second_verb_of_a_coordination_takes_the_first_verbs_subject() -> None:
    # the tagger's cue is "away convinced"; "convinced" hangs on "toured", "away" on "walked"
    doc = parse("Gov. Alan Pierce toured the farms and walked away convinced that the drought "
                "aid was working.")
    att = inherited(doc, "away convinced", "that the drought aid was working")
    assert text(doc, att.source) == "Gov. Alan Pierce"


def test_verb_the_parser_leaves_unlabelled_takes_the_subject() -> None:
    doc = parse("Ms. Okafor hesitated, then explained how the program had helped her family.")
    assert text(doc, inherited(doc, "explained", "how the program had helped her family").source) \
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


def test_a_verb_labelled_subject_is_no_source() -> None:
    # the parser makes the gerund the subject of "has shown": a clause names no speaker
    doc = parse("Voting early has shown that the system works.")
    assert inherited(doc, "has shown", "that the system works").source == []


# --- "according to X": X without the comment that follows it ---------------------------


def test_according_to_source_drops_a_whose_clause() -> None:
    doc = parse("Wages rose sharply last year, according to the Labor Institute, whose figures "
                "were confirmed by the Treasury.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "Wages rose sharply last year")],
                            0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "the Labor Institute"


def test_according_to_source_drops_a_where_clause_and_its_comma() -> None:
    doc = parse("The mayor leads by ten points, according to the county tally of ballots, where "
                "most votes will be cast.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "The mayor leads by ten points")],
                            0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "the county tally of ballots"


def test_according_to_source_keeps_a_restrictive_clause() -> None:
    # without a comma the clause says which workers are meant
    doc = parse("The plant will close in May, according to workers whose jobs will be cut.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "The plant will close in May")],
                            0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "workers whose jobs will be cut"


def test_dropped_clause_leaves_the_content() -> None:
    # the tagger ran the content on over the source's clause
    doc = parse("The plant will close in May, according to the union, whose members voted on "
                "Monday.")
    att = TaggedAttribution(at(doc, "according to"), [],
                            [at(doc, "The plant will close in May"),
                             at(doc, "whose members voted on Monday")], 0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "the union"
    assert [text(doc, run) for run in att.content] == ["The plant will close in May"]


def test_according_to_source_keeps_an_apposition() -> None:
    doc = parse("Turnout fell, according to Dana Ruiz, a county election official.")
    att = TaggedAttribution(at(doc, "according to"), [], [at(doc, "Turnout fell")], 0.5)
    according_to_source(doc, [att])
    assert text(doc, att.source) == "Dana Ruiz, a county election official"


# --- feeling verbs: the one who feels is the source --------------------------------------


def test_object_of_a_feeling_verb_is_its_source() -> None:
    # the tagger reads the feeler as content and the cause as the source
    doc = parse("This has convinced several tenants that the landlord cheated them.")
    att = TaggedAttribution(at(doc, "has convinced"), at(doc, "This"),
                            [at(doc, "several tenants that the landlord cheated them")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "several tenants"
    assert [text(doc, run) for run in att.content] == ["that the landlord cheated them"]


def test_feeler_named_by_a_cause_with_no_content_left_keeps_the_cause_as_content() -> None:
    doc = parse("The new regulation rattled the coaches.")
    att = TaggedAttribution(at(doc, "rattled"), at(doc, "The new regulation"),
                            [at(doc, "the coaches")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "the coaches"
    assert [text(doc, run) for run in att.content] == ["The new regulation"]


def test_a_person_who_persuades_stays_the_source() -> None:
    doc = parse("Senator Hale convinced the bankers that the bridge would pay.")
    att = TaggedAttribution(at(doc, "convinced"), at(doc, "Senator Hale"),
                            [at(doc, "the bankers that the bridge would pay")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "Senator Hale"


def test_a_common_noun_person_who_persuades_stays_the_source() -> None:
    # no list of person nouns is complete: only a cause that is plainly a thing swaps
    doc = parse("His lawyer convinced the jury that the witness had lied.")
    att = TaggedAttribution(at(doc, "convinced"), at(doc, "His lawyer"),
                            [at(doc, "the jury that the witness had lied")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "His lawyer"
    doc = parse("The governor surprised reporters when she said that she would not run again.")
    att = TaggedAttribution(at(doc, "surprised"), at(doc, "The governor"), [at(doc, "reporters")],
                            0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "The governor"


def test_persuaded_to_act_keeps_the_persuader() -> None:
    # "persuaded X to ..." tells X's later act, not what X holds
    doc = parse("The new regulation persuaded the growers to sell their land.")
    att = TaggedAttribution(at(doc, "persuaded"), at(doc, "The new regulation"),
                            [at(doc, "the growers to sell their land")], 0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "The new regulation"


def test_subject_of_a_passive_feeling_verb_is_its_source() -> None:
    # the tagger left the subject as a lone piece of content
    doc = parse("Nurses were dismayed that their overtime pay had been cut.")
    clause = "that their overtime pay had been cut"
    att = TaggedAttribution(at(doc, "were dismayed"), [], [at(doc, "Nurses"), at(doc, clause)],
                            0.5)
    inherit_subject(doc, [att])
    assert text(doc, att.source) == "Nurses"
    assert [text(doc, run) for run in att.content] == [clause]


def test_passive_with_a_by_phrase_is_left_alone() -> None:
    doc = parse("The nurses were dismayed by the hospital's decision to cut their pay.")
    att = TaggedAttribution(at(doc, "were dismayed"), [],
                            [at(doc, "the hospital 's decision to cut their pay")], 0.5)
    inherit_subject(doc, [att])
    assert att.source == []
