"""Relative-pronoun sources and inverted cues (issue 12, extraction side): sentences written
for these tests, real spaCy parse.

A participle or second verb that shares its subject with a relative clause ("the mayor,
who opened the fair and then left, saying ...") has the relative pronoun for its source, as
PolNeAR marks it; resolution reads the pronoun as the noun the clause modifies. An inverted
cue ("“…,” added a city engineer") whose speaker the parser made an object has that
object for its source. Each test hands :func:`inherit_subject` the attribution the tagger
would give (cue and content, no source) on the real parse and checks the source span the
rules find.
"""

from __future__ import annotations

import time

from test_source_spans import at, parse  # the same token helpers
from whosaid.extract.rules import inherit_subject
from whosaid.extract.tagger import TaggedAttribution


def source_of(text: str, cue: str, content: str) -> str:
    doc = parse(text)
    att = TaggedAttribution(at(doc, cue), [], [at(doc, content)], 0.5)
    inherit_subject(doc, [att])
    return doc[att.source[0]:att.source[-1] + 1].text if att.source else ""


# --- a cue that shares its subject with a relative clause ------------------------------


def test_second_verb_of_a_relative_clause_takes_the_pronoun() -> None:
    text = ("Ms. Okafor, who has both praised the new budget and criticized its cuts to "
            "libraries, spoke at the council meeting on Monday.")
    assert source_of(text, "criticized", "its cuts to libraries") == "who"


def test_participle_on_a_relative_clause_takes_the_pronoun() -> None:
    text = "He was a tired man who left his job in March hoping the pension would cover the debts."
    assert source_of(text, "hoping", "the pension would cover the debts") == "who"


def test_gerund_after_a_preposition_in_a_relative_clause_takes_the_pronoun() -> None:
    text = ("Reporters followed the treasurer, who opened the session by declaring that the "
            "city had no debt left.")
    assert source_of(text, "declaring", "that the city had no debt left") == "who"


# --- an inverted cue whose speaker the parser made its object --------------------------


def test_speaker_after_an_inverted_cue_parsed_as_object() -> None:
    text = "“We will rebuild the bridge by spring,” added a city engineer."
    assert source_of(text, "added", "We will rebuild the bridge by spring") == "a city engineer"


def test_inverted_cue_with_a_time_after_it_takes_no_time() -> None:
    # guard: a date after the verb is no speaker
    text = "“The count is final,” announced Tuesday."
    assert source_of(text, "announced", "The count is final") == ""


# --- guards: what the rules must leave alone ---------------------------------------------


def test_raising_verb_in_a_relative_clause_takes_no_source() -> None:
    # guard: "seemed to" reports no one's statement; its subject is no holder
    text = ("Students cheered the coach, who had trained the team for years and seemed to "
            "expect the win.")
    assert source_of(text, "seemed", "to expect the win") == ""


def test_subject_of_a_main_clause_is_still_taken_whole() -> None:
    # guard: an ordinary shared subject keeps its whole phrase (the old path)
    text = "The governor left the hall early, saying the vote could wait."
    assert source_of(text, "saying", "the vote could wait") == "The governor"


def test_relative_rule_is_linear_on_a_long_chain_of_clauses() -> None:
    # guard: the rule adds one check per cue; a long text of relative clauses stays fast
    text = " ".join(["Voters booed the clerk, who ended the count by announcing that the polls "
                     "had closed."] * 600)
    doc = parse(text[:50_000])
    cues = [TaggedAttribution([t.i], [], [], 0.5) for t in doc if t.lower_ == "announcing"]
    start = time.process_time()
    inherit_subject(doc, cues)
    assert time.process_time() - start < 2.0
    assert sum(1 for c in cues if c.source and doc[c.source[0]].lower_ == "who") >= len(cues) // 2


def test_hearer_of_an_inverted_tell_is_no_speaker() -> None:
    # "told X" never inverts: after a quotation its object is the one told, not the teller
    text = "“The ferry will run again in May,” told reporters at the pier on Friday."
    assert source_of(text, "told", "The ferry will run again in May") == ""


def test_hearer_of_an_inverted_tell_is_no_speaker_after_resolution() -> None:
    from whosaid import extract
    doc = extract("Ferry back in May.\n\n“The ferry will run again in May,” told reporters "
                  "at the pier on Friday.")
    speakers = [a.source.speaker.name for a in doc.attributions
                if a.source is not None and a.source.speaker is not None]
    assert "reporters" not in speakers


def test_thing_pronoun_after_an_inverted_cue_is_no_speaker() -> None:
    # "said nothing": an object that names a thing is what was (not) said, not who said it
    text = "“The ferry will run again in May,” said nothing about the fares."
    assert source_of(text, "said", "The ferry will run again in May") == ""


def test_bare_plural_after_an_inverted_cue_is_the_hearer() -> None:
    # "warned voters": the ones warned; an inverted speaker has a determiner or a name
    text = "“The ferry will run again in May,” warned passengers at the pier."
    assert source_of(text, "warned", "The ferry will run again in May") == ""


def test_inverted_speaker_with_a_determiner_is_still_taken() -> None:
    # guard: the fix above leaves "warned a harbor official" to the rule
    text = "“The ferry will run again in May,” warned a harbor official."
    assert source_of(text, "warned", "The ferry will run again in May") == "a harbor official"
