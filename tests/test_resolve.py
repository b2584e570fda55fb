"""Speaker resolution on sentences written for these tests: real parse, real model."""

from __future__ import annotations

from whosaid import extract
from whosaid.model import Attribution, Document, SpeakerKind


def by_cue(doc: Document, cue: str) -> Attribution:
    found = [a for a in doc.attributions if a.cue.text.lower().endswith(cue.lower())]
    assert found, f"no cue {cue!r}: {[a.cue.text for a in doc.attributions]}"
    return found[0]


def speaker_of(doc: Document, cue: str) -> str | None:
    att = by_cue(doc, cue)
    assert att.source is not None, f"no source for {cue!r}"
    return att.source.speaker.name if att.source.speaker else None


# --- pronouns ----------------------------------------------------------------------


def test_name_inside_a_quotation_is_never_the_antecedent() -> None:
    doc = extract("Mayor Tom Brandt toured the flooded plant on Monday.\n"
                  "“I spoke with Larry Cole this morning, and he is worried,” he said.")
    assert speaker_of(doc, "said") == "Tom Brandt"


def test_honorific_decides_between_two_people() -> None:
    doc = extract("Mrs. Alvarez met Mr. Okafor at the ministry on Monday. "
                  "She said that the agreement was close.")
    assert speaker_of(doc, "said") == "Alvarez"


def test_first_name_lexicon_gives_gender_when_the_text_does_not() -> None:
    doc = extract("Margaret Hale spoke to the council after Robert Finch. "
                  "He said that the budget would be late.")
    assert speaker_of(doc, "said") == "Robert Finch"


def test_pronoun_prefers_the_previous_speaker_over_an_object() -> None:
    doc = extract("“We will win this seat,” said Karen Wolfe, who campaigned with Anna Ruiz "
                  "in the morning.\n“We will not stop now,” she added.")
    assert speaker_of(doc, "added") == "Karen Wolfe"


def test_they_after_two_named_people_is_both_of_them() -> None:
    doc = extract("Dana Ortiz and Paul Greene left the talks early on Friday. "
                  "They said that the offer was an insult.")
    att = by_cue(doc, "said")
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == "Dana Ortiz + Paul Greene"
    assert [m.name for m in att.source.members] == ["Dana Ortiz", "Paul Greene"]


def test_relative_pronoun_takes_its_antecedent() -> None:
    doc = extract("The agency later hired Dana Cole, who said that the rules would change.")
    assert speaker_of(doc, "said") == "Dana Cole"


# --- names inside longer sources ---------------------------------------------------------


def test_possessor_is_not_the_speaker() -> None:
    doc = extract("Maria Lopez’s campaign manager Tom Reyes said the polls were tightening.")
    assert speaker_of(doc, "said") == "Tom Reyes"


def test_name_in_a_relative_clause_is_not_the_speaker() -> None:
    doc = extract("“The plan is sound,” said Victor Lam, who served as an adviser under "
                  "President Alan Grey.")
    assert speaker_of(doc, "said") == "Victor Lam"


# --- descriptions ----------------------------------------------------------------------


def test_role_learnt_from_a_title() -> None:
    doc = extract("Gov. Lena Marsh signed the water bill on Monday in the capital. "
                  "The governor said that it would save the state money.")
    att = by_cue(doc, "said")
    assert speaker_of(doc, "said") == "Lena Marsh"
    assert att.source is not None and att.source.resolved_from is not None


def test_modifier_picks_between_two_people_with_the_role() -> None:
    doc = extract("Republican nominee Carl Benson and Democratic nominee Joan Avery met in a "
                  "debate on Tuesday night.\n"
                  "The Democratic nominee said that the economy was her first concern.")
    assert speaker_of(doc, "said") == "Joan Avery"


def test_role_learnt_from_an_apposition() -> None:
    doc = extract("Ruth Okonkwo, the mayor of Lakeview, opened the new bridge on Saturday. "
                  "The mayor said that traffic would ease.")
    assert speaker_of(doc, "said") == "Ruth Okonkwo"


def test_type_word_of_a_body_name() -> None:
    doc = extract("The International Seed Fund cut its growth forecast on Tuesday. "
                  "The fund said that harvests would shrink.")
    assert speaker_of(doc, "said") == "International Seed Fund"


def test_document_speaks_for_its_issuer() -> None:
    doc = extract("A Harlow Institute poll of 900 voters was published on Monday.\n"
                  "The poll found that most voters want lower rents.")
    assert speaker_of(doc, "found") == "Harlow Institute"


# --- authors, headlines, datelines ----------------------------------------------------------


def test_i_outside_quotes_is_the_author_from_metadata() -> None:
    text = ("I believe the city must act on housing now. "
            "Mayor Tom Brandt has argued that there is no money.")
    doc = extract(text, metadata={"author": "Jane Doe"})
    assert speaker_of(doc, "believe") == "Jane Doe"
    anonymous = extract(text)
    assert speaker_of(anonymous, "believe") == "(author)"


def test_i_of_a_byline_author() -> None:
    doc = extract("Rents Are Too High\nBy Jane Doe\n"
                  "I believe the city must act on housing now, whatever Tom Brandt says.")
    assert speaker_of(doc, "believe") == "Jane Doe"


def test_dateline_is_not_part_of_the_speaker() -> None:
    doc = extract("WELLINGTON, March 3 (Reuters) — Prime Minister Ana Kiri said on Tuesday that "
                  "the border would reopen.")
    att = by_cue(doc, "said")
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == "Ana Kiri"
    assert all("WELLINGTON" not in s.name for s in doc.speakers)


def test_headline_words_are_no_speaker() -> None:
    doc = extract("New Poll Shows Big Gains For Green Party\n"
                  "A Harlow Institute poll shows that the Green Party has doubled its support.")
    names = {s.name for s in doc.speakers}
    assert not any(n.startswith("New Poll") for n in names)
    assert "Harlow Institute" in names


# --- several speakers, kinds ------------------------------------------------------------------


def test_several_speakers_are_each_a_member() -> None:
    doc = extract("Senator Dana Ortiz and Senator Paul Greene said that the vote would be "
                  "delayed.")
    att = by_cue(doc, "said")
    src = att.source
    assert src is not None and src.speaker is not None
    assert src.speaker.kind is SpeakerKind.GROUP
    assert src.speaker.name == "Dana Ortiz + Paul Greene"
    assert [m.name for m in src.members] == ["Dana Ortiz", "Paul Greene"]
    ids = {s.id for s in doc.speakers}
    assert all(m.id in ids for m in src.members)
    assert {"Dana Ortiz", "Paul Greene"} <= {s.name for s in doc.speakers}


def test_one_speaker_has_no_members() -> None:
    att = by_cue(extract("Senator Dana Ortiz said that the vote would be delayed."), "said")
    assert att.source is not None and att.source.members == []


def test_surname_with_a_full_name_in_the_document_is_a_person() -> None:
    doc = extract("Paula Vance, a lawyer for the tenants, arrived late on Monday. "
                  "Vance said that the report was wrong.")
    att = by_cue(doc, "said")
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == "Paula Vance"
    assert att.source.speaker.kind is SpeakerKind.PERSON


def test_we_of_an_op_ed_signed_at_the_end() -> None:
    doc = extract("Housing Must Come First\n"
                  "We believe the city must build more homes this year.\n"
                  "Mayor Tom Brandt has argued that there is no money for it.\n"
                  "Jane Doe is the director of a tenants' union.")
    assert speaker_of(doc, "believe") == "Jane Doe"


def test_names_joined_by_and_are_several_speakers() -> None:
    doc = extract("Mr. Hale and Mr. Finch said that the vote would be delayed.")
    att = by_cue(doc, "said")
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == "Hale + Finch"
    assert [m.name for m in att.source.members] == ["Hale", "Finch"]


def test_two_titles_of_one_name_are_not_several_speakers() -> None:
    att = by_cue(extract("Mr. and Mrs. Smith said that the house was sold."), "said")
    assert att.source is not None and att.source.members == []
    assert att.source.speaker is not None and att.source.speaker.name == "Smith"


def test_a_quote_that_goes_on_keeps_its_speaker() -> None:
    # "Chris" says nothing of gender and Mark Stone is a man, but "he said" after a
    # quotation continues the statement before it
    doc = extract("“We will not raise taxes,” said Chris Hale, who thanked Mark Stone for "
                  "his help.\n“It is time for a fair system,” he said.")
    att = [a for a in doc.attributions if a.source and a.source.text == "he"]
    assert att and att[0].source is not None and att[0].source.speaker is not None
    assert att[0].source.speaker.name == "Chris Hale"


def test_pronoun_may_go_to_a_name_in_reported_content() -> None:
    # a name the writer reports (not a quotation) can be meant: "she" is the senator
    doc = extract("Governor Chris Hale described Senator Ann Cole as reckless after she "
                  "said that the police were to blame.")
    att = by_cue(doc, "said")
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == "Ann Cole"
