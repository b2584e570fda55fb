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


def all_speakers(doc: Document) -> list[str]:
    """The speaker names of every statement that has one, in text order."""
    return [a.source.speaker.name for a in doc.attributions
            if a.source is not None and a.source.speaker is not None]


def assert_group(doc: Document, cue: str, members: list[str]) -> None:
    """The statement at ``cue`` is said by a group: one speaker named "A + B" whose
    members are A and B, in that order."""
    att = by_cue(doc, cue)
    assert att.source is not None and att.source.speaker is not None
    assert att.source.speaker.name == " + ".join(members)
    assert [m.name for m in att.source.members] == members


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
    assert_group(doc, "said", ["Dana Ortiz", "Paul Greene"])


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
    assert_group(doc, "said", ["Hale", "Finch"])


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


# --- widened on a second tune sample (issue 12) -------------------------------------


def speakers_of(doc: Document, cue: str) -> list[str | None]:
    """The speakers of every attribution whose cue ends with ``cue``, in text order."""
    atts = [a for a in doc.attributions if a.cue.text.lower().endswith(cue.lower())]
    assert atts, f"no cue {cue!r}: {[a.cue.text for a in doc.attributions]}"
    return [a.source.speaker.name if a.source and a.source.speaker else None for a in atts]


def test_quote_that_goes_on_keeps_a_speaker_of_unknown_gender() -> None:
    # "Robin" is given to both sexes: the quote going on still decides, not the man
    # named inside the reported content
    doc = extract("Robin Castellano said Victor Osei's speech should help the party.\n"
                  "“I thought he was very effective tonight,” he said.")
    assert speakers_of(doc, "said") == ["Robin Castellano", "Robin Castellano"]


def test_two_first_names_share_one_surname() -> None:
    doc = extract("The estate is disputed by Gerald and Martha Quinlan, who married in 1970.\n"
                  "Martha Quinlan's lawyers filed papers on Monday. Her ex-husband "
                  "contended that the house was his.")
    assert speaker_of(doc, "contended") == "Gerald Quinlan"


def test_kin_noun_of_an_op_ed_author_is_the_relative_the_text_names() -> None:
    doc = extract("What my family taught me\n\n"
                  "My parents, Walter and Edith Brennan, ran a farm in Ohio.\n\n"
                  "“We never lock the door,” my mother often said.\n\n"
                  "I still believe her.\n\n"
                  "Nora Brennan is a teacher in Columbus.")
    assert speaker_of(doc, "often said") == "Edith Brennan"
    assert speaker_of(doc, "believe") == "Nora Brennan"


def test_op_ed_author_from_a_bio_line_without_article() -> None:
    doc = extract("A view from the stage\n\nI have worked in theatre for thirty years, "
                  "and I think the new tax will close small venues.\n\n"
                  "Dana Whitcombe is playwright-in-residence at Lakeside College.")
    assert speaker_of(doc, "think") == "Dana Whitcombe"


def test_letters_are_signed_by_the_name_that_follows_them() -> None:
    doc = extract("Letters to the editor\n\nLETTERS.\n\n"
                  "I think the council wasted the money on the bridge.\n\n"
                  "Harold Pemberton.\n\n"
                  "I hope the mayor listens to the voters this time.\n\n"
                  "Lucille Danvers.")
    assert speaker_of(doc, "think") == "Harold Pemberton"
    assert speaker_of(doc, "hope") == "Lucille Danvers"


def test_possessed_role_is_the_person_the_text_gives_that_role_for_the_owner() -> None:
    doc = extract("The committee voted to hold Ray Delgado in contempt despite warnings from "
                  "his attorney that he would not testify.\n"
                  "An attorney for Delgado, Susan Whitfield, said that her client was ready to "
                  "talk in private.\n"
                  "Delgado's lawyer has said he will refuse to answer any questions.")
    assert speakers_of(doc, "said") == ["Susan Whitfield", "Susan Whitfield"]
    assert speaker_of(doc, "warnings") == "Susan Whitfield"


def test_possessed_role_of_someone_else_is_not_taken() -> None:
    # the only lawyer named is another person's: "his lawyer" stays undecided
    doc = extract("Senator Paul Hanley questioned Mark Ridley on Monday. Hanley's lawyer Joan "
                  "Pike was present.\nLater Ridley left the room. His lawyer said that he "
                  "would not return.")
    assert speaker_of(doc, "said") != "Joan Pike"


def test_possessed_statement_is_the_possessor() -> None:
    doc = extract("Dr. Irene Vasquez treated the senator in 1998.\n"
                  "According to her account, the senator refused to stay in the hospital.")
    assert speaker_of(doc, "according to") == "Irene Vasquez"


def test_indefinite_role_is_the_person_named_next_with_that_role() -> None:
    doc = extract("A Chicago judge has rejected a request to unseal the files, saying the "
                  "courts should stay out of politics.\n"
                  "The newspaper had asked for the records in May.\n"
                  "Cook County Justice Helen Marsh wrote that the files would stay sealed.")
    assert speaker_of(doc, "has rejected") == "Helen Marsh"


def test_definite_role_synonym_finds_its_person() -> None:
    doc = extract("On Friday, Cook County Justice Helen Marsh ruled that the old divorce files "
                  "would stay sealed.\nMr. Weller's wife welcomed the ruling.\n"
                  "The judge agreed with Mrs. Weller that there was no reason to publish.")
    assert speaker_of(doc, "agreed with") == "Helen Marsh"


def test_headline_role_is_the_one_person_the_article_gives_it() -> None:
    doc = extract("Judge Says Divorce File Stays Sealed\n\n"
                  "Cook County Justice Helen Marsh ruled on Friday that the file stays "
                  "sealed.")
    assert speaker_of(doc, "Says") == "Helen Marsh"


def test_slash_joined_poll_issuers_are_each_a_member() -> None:
    doc = extract("The latest Gallup/Ipsos opinion poll released Friday shows that the "
                  "mayor leads by five points.")
    assert_group(doc, "shows", ["Gallup", "Ipsos"])


def test_unnamed_poll_is_the_one_whose_issuer_follows() -> None:
    doc = extract("A new poll shows that the race is tight.\n"
                  "The latest Gallup survey released Friday shows the mayor ahead by two "
                  "points.")
    assert speakers_of(doc, "shows")[0] == "Gallup"


def test_data_with_no_issuer_is_the_body_that_just_spoke() -> None:
    doc = extract("The State Department Refugee Office said that most of the refugees are "
                  "children. According to the data, few of them are over sixty.")
    assert speaker_of(doc, "according to") == "State Department Refugee Office"


def test_a_surname_the_ner_model_missed_carries_the_pronoun_chain() -> None:
    doc = extract("Television doctor Mehmet Oz has a large audience.\n"
                  "Donald Trump likes the show.\n"
                  "For years, Oz has faced criticism from other doctors.\n"
                  "He said that the therapies work.")
    assert speaker_of(doc, "said") == "Mehmet Oz"


def test_possessive_pronoun_in_the_clause_tells_two_people_of_one_surname_apart() -> None:
    doc = extract("Ruth Calder and her husband, former Governor Ben Calder, visited the "
                  "hospital in 1998.\nIn 1998, Calder allowed her staff to say that the "
                  "injury was a pulled muscle.")
    assert speaker_of(doc, "allowed") == "Ruth Calder"


def test_a_kin_subject_carries_the_pronoun_chain() -> None:
    doc = extract("What my family taught me\n\n"
                  "My parents, Walter and Edith Brennan, ran a farm in Ohio. President "
                  "Obama visited the county once.\n\n"
                  "My mother has softened with age, but even now she still says that "
                  "nobody is equal.\n\n"
                  "Nora Brennan is a teacher in Columbus.")
    assert speaker_of(doc, "still says") == "Edith Brennan"


def test_possessed_role_nobody_holds_is_who_the_last_sentence_is_about() -> None:
    doc = extract("Daniel Ferro on Wednesday called on Ruth Oakes to apologize to the "
                  "governor.\n“That was outrageous,” Mayor Lyle's former campaign strategist "
                  "said in an interview.")
    assert speaker_of(doc, "said") == "Daniel Ferro"


def test_a_lone_role_word_is_a_description() -> None:
    doc = extract("Judge rejects request to unseal divorce file.\n\n"
                  "A Chicago judge has rejected a request to unseal the files.\n"
                  "Cook County Justice Helen Marsh wrote that the files would stay sealed.")
    assert speaker_of(doc, "rejects") == "Helen Marsh"
    assert speaker_of(doc, "has rejected") == "Helen Marsh"


def test_bare_surname_goes_by_the_mentions_before_it_not_after() -> None:
    # Bill is named last before "Clinton said"; Hillary is named later on, and the
    # clause before says "her": the bare surname is Hillary's
    doc = extract("Questions about Hillary Clinton's health are not new, and neither are "
                  "questions about Bill Clinton.\n"
                  "In 1998, Clinton let her staff blame a pulled muscle.\n"
                  "Clinton said that the clot was nothing.\n"
                  "Hillary Clinton later wrote about the clot in her book.")
    assert speakers_of(doc, "said")[0] == "Hillary Clinton"


def test_a_body_named_by_a_modifier_in_a_pair() -> None:
    doc = extract("The Boston Globe and the Hearst newspaper chain filed a motion to unseal "
                  "the records, arguing that voters deserve to see them.")
    att = by_cue(doc, "arguing")
    assert att.source is not None and att.source.speaker is not None
    names = att.source.speaker.name.split(" + ")
    assert len(names) == 2 and names[0] == "Boston Globe" and "Hearst" in names[1]


def test_the_agency_is_the_government_department_the_article_names() -> None:
    doc = extract("The Department of Housing Affairs released new figures on Monday about "
                  "homeless veterans in the region.\n"
                  "The agency said that the numbers had fallen by a third.")
    assert speaker_of(doc, "said") == "Department of Housing Affairs"


def test_an_indefinite_body_is_the_one_of_its_type_named_next() -> None:
    doc = extract("A federal appeals court said on Friday that the new voting rules are "
                  "legal.\nThe U.S. Court of Appeals for the Ninth Circuit found that the "
                  "state had acted within its rights.")
    assert (speaker_of(doc, "said") or "").startswith("U.S. Court")


def test_it_goes_back_to_the_body_that_spoke_over_a_place_modifier() -> None:
    doc = extract("In the spring, the Boston Herald said that Governor Dana Voss deserved a "
                  "second term.\nShe has long fought for small farms. She knows the budget "
                  "well. She served in the state senate. The former U.S. senator is a "
                  "planner. She is careful.\n"
                  "Meanwhile, it said that her rival is unfit for office.")
    assert speakers_of(doc, "said") == ["Boston Herald", "Boston Herald"]


def test_a_union_is_the_association_named_next() -> None:
    doc = extract("A union representing school nurses said on Thursday that it backs the "
                  "mayor.\nThe Association of School Nurses called her a champion of "
                  "public health.")
    assert speaker_of(doc, "said") == "Association of School Nurses"


def test_a_title_or_a_list_keeps_first_names_apart() -> None:
    doc = extract("The studio named two buildings for Mr. Gable and Jimmy Stewart, and the "
                  "show starred Brandy, Monica and Lauryn Hill.\n"
                  "Stewart said that he was pleased. Hill said that she was too.")
    assert speakers_of(doc, "said") == ["Jimmy Stewart", "Lauryn Hill"]


def test_a_last_paragraph_about_a_named_man_is_no_signature() -> None:
    doc = extract("A rush for books\n\nI think the new memoirs will sell well this summer, "
                  "and publishers agree.\n\nShops are ordering more copies.\n\n"
                  "Mr. Hurt is expected to speak at the fair on Monday.")
    assert speaker_of(doc, "think") == "(author)"
