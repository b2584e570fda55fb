"""Name matching across documents (whosaid.speakers), without a database."""

from __future__ import annotations

from whosaid.model import SpeakerKind
from whosaid.speakers import (
    Mention,
    PersonProfile,
    full_names_in_text,
    match_full_name,
    mention_key,
    name_tokens,
    norm_title,
    person_name,
    surname_evidence,
)

PERSON = SpeakerKind.PERSON


def person(name: str, **kw: object) -> Mention:
    return Mention(name, PERSON, True, document="doc1", **kw)  # type: ignore[arg-type]


def test_titles_initials_and_possessives_do_not_split_a_person() -> None:
    key = mention_key(person("Jens Stoltenberg"))
    for variant in ("NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg's",
                    "Mr. Jens Stoltenberg", "Jens J. Stoltenberg"):
        assert mention_key(person(variant)) == key
    assert name_tokens("Hillary Rodham Clinton") == ["hillary", "clinton"]
    assert person_name("Astronaut Scott Kelly") == "Scott Kelly"


def test_different_first_names_never_match() -> None:
    known = ["person:mark kelly"]
    assert match_full_name("person:scott kelly", known) is None
    assert match_full_name("person:m kelly", known) == "person:mark kelly"  # an initial
    assert match_full_name("person:mark kelley", known) == "person:mark kelly"  # spelling
    # two candidates for one initial: refused rather than guessed
    assert match_full_name("person:m kelly", [*known, "person:martin kelly"]) is None


def test_bare_surname_is_scoped_to_its_document_without_evidence() -> None:
    a = mention_key(Mention("Stringer", PERSON, True, document="aaaa"))
    b = mention_key(Mention("Stringer", PERSON, True, document="bbbb"))
    assert a != b and a.startswith("person?:stringer@")


def test_full_name_in_the_same_text_is_evidence() -> None:
    text = "Lt. Gen. Johnny Stringer arrived on Monday. Stringer said the drill went well."
    evidence = full_names_in_text(text, "Stringer")
    assert evidence == ["Johnny Stringer"]
    m = Mention("Stringer", PERSON, True, document="d", evidence=evidence)
    assert mention_key(m) == "person:johnny stringer"
    # two different first names in the text: ambiguous, stays in its document
    m.evidence = ["Johnny Stringer", "Alice Stringer"]
    assert mention_key(m).startswith("person?:")


def test_sentence_starts_and_dates_are_not_first_names() -> None:
    assert full_names_in_text("On Monday Stringer said. But Stringer left.", "Stringer") == []


def test_title_and_role_evidence() -> None:
    assert norm_title("Lt. Gen.") == norm_title("Lieutenant General")
    johnny = PersonProfile("person:johnny stringer", {norm_title("Lieutenant General")},
                           {"the alliance s deputy supreme allied commander"})
    alice = PersonProfile("person:alice stringer", {norm_title("Dr.")}, set())
    people = [johnny, alice]
    assert surname_evidence(person("Stringer", title="Gen."), "stringer", people) == johnny.key
    assert surname_evidence(person("Stringer", title="Dr."), "stringer", people) == alice.key
    assert surname_evidence(person("Stringer"), "stringer", people) is None
    both = PersonProfile("person:bob stringer", {norm_title("General")}, set())
    assert surname_evidence(person("Stringer", title="Gen."), "stringer",
                            [*people, both]) is None


def test_unnamed_speakers_are_per_document_and_orgs_are_shared() -> None:
    critics = [mention_key(Mention("Critics", SpeakerKind.GROUP, False, document=d))
               for d in ("a", "b")]
    assert critics[0] != critics[1]
    nato = {mention_key(Mention("NATO", SpeakerKind.ORGANISATION, True, document=d))
            for d in ("a", "b")}
    assert nato == {"organisation:nato"}


def test_aliases_are_names_not_phrases() -> None:
    from whosaid.speakers import is_name_alias

    for name in ("Jens Stoltenberg", "Mr. Obama", "NATO", "Secretary of State John Kerry",
                 "the Bank of England", "Mr. Trump's"):
        assert is_name_alias(name), name
    for phrase in ("several hundred guests, Scott (D-Va.)", "Donald Trump and Hillary Clinton",
                   "he", "critics", "a senior official", "Trump + Clinton", "2016 Trump"):
        assert not is_name_alias(phrase), phrase


def test_keys_are_built_from_name_words_only() -> None:
    from whosaid.speakers import common_words

    assert name_tokens("President Obama, dedicating the museum") == ["obama"]
    assert name_tokens("Did Trump") == ["trump"] and name_tokens("Will Smith") == ["will", "smith"]
    assert name_tokens("G. K. Butterfield") == ["g", "butterfield"]  # initials only: the first
    assert full_names_in_text("Rep. G. K. Butterfield spoke.", "Butterfield") == \
        ["G. K. Butterfield"]
    text = "Barack Obama spoke. Derelict Obama said the deal was weak."
    derelict = person("Derelict Obama", evidence=full_names_in_text(text, "Obama"))
    assert mention_key(derelict) == "person:barack obama"
    text = "The speech was long. Obama Speech said the plan works."
    speech = person("Obama Speech", evidence=full_names_in_text(text, "Speech"))
    speech.common = common_words(text, speech)
    assert speech.common == ["speech"] and mention_key(speech).startswith("person?:obama@")
    assert mention_key(person("<")).endswith("@doc1")  # no name at all: its document's own
    group = Mention("Donald Trump + Hillary Clinton", PERSON, True, document="d1")
    assert mention_key(group).startswith("group:")
    # a surname the NER called an organisation is a person when the text gives the name
    org = Mention("Stoltenberg", SpeakerKind.ORGANISATION, True, document="d",
                  evidence=["Jens Stoltenberg"])
    assert mention_key(org) == "person:jens stoltenberg"


def test_a_bare_surname_attaches_only_when_one_person_fits() -> None:
    from whosaid.speakers import attach_surname, cluster_full_names, honorific_gender

    assert attach_surname("trump", ["person:donald trump"]) == "person:donald trump"
    both = ["person:donald trump", "person:ivanka trump"]
    assert attach_surname("trump", both) is None
    assert attach_surname("trump", both, gender=honorific_gender(["Mr. Trump"])) == \
        "person:donald trump"
    assert attach_surname("trump", both, gender=honorific_gender(["Ms. Trump"])) == \
        "person:ivanka trump"
    # the honorific contradicts the only candidate: no attachment
    assert attach_surname("kelly", ["person:mark kelly"], gender="female") is None
    assert honorific_gender(["Mr. Smith", "Mrs. Smith"]) is None  # conflicting: unclear
    # the gender the document's pronouns give only breaks a tie, never refuses
    clintons = ["person:hillary clinton", "person:bill clinton"]
    assert attach_surname("clinton", clintons, hint="female") == "person:hillary clinton"
    assert attach_surname("kelly", ["person:mark kelly"], hint="female") == "person:mark kelly"
    # spellings join the most used one, whatever the order they came in
    groups = cluster_full_names({"person:jens stoltenbreg": 1, "person:jens stoltenberg": 5,
                                 "person:scott kelly": 1, "person:mark kelly": 2})
    assert groups["person:jens stoltenbreg"] == "person:jens stoltenberg"
    assert groups["person:scott kelly"] == "person:scott kelly"


def test_titles_written_before_a_bare_surname() -> None:
    from whosaid.speakers import title_evidence_for, titles_in_text

    text = ("Harmon Plans Return\n\nPresident Harmon spoke on Monday. Mr. Harmon left early;"
            " Lt. Gen. Harmon stayed, and former Secretary of State Harmon wrote. the harmon"
            " valley flooded. Harmon's aides said so.\nSenator\nHarmon")
    assert titles_in_text(text, "Harmon") == ["President", "Lt. Gen.",
                                              "former Secretary of State"]
    # only a bare surname is looked for; the surname as its text spells it
    assert title_evidence_for(text, person("Harmon's")) == titles_in_text(text, "Harmon")
    assert title_evidence_for(text, person("Ada Harmon")) is None
    assert title_evidence_for("Mr. Harmon said so.", person("Harmon")) == []


def test_headline_words_are_not_first_names() -> None:
    text = ("Weary Harmon Returns Home to Cheers\n\nHarmon said he was glad to be back, and "
            "Weary, a farmer, agreed.")
    assert full_names_in_text(text, "Harmon") == []
    # a first name the lexicon knows counts in a headline too, and any name in a sentence
    assert full_names_in_text("Mary Harmon Returns Home\n\nShe said so.", "Harmon") == \
        ["Mary Harmon"]
    assert full_names_in_text("On Friday Zorvan Harmon said he was glad to be back home "
                              "after a long trip abroad.", "Harmon") == ["Zorvan Harmon"]


def test_bare_surnames_with_one_title_are_one_person_across_documents() -> None:
    from whosaid.speakers import BareUnit, group_by_title, text_title

    president = text_title(["President", "Mr.", None])
    assert president == norm_title("President")
    assert text_title(["President", "Governor"]) == frozenset()  # two titles: no evidence
    a = BareUnit("person?:harmon@a", "harmon", president)
    b = BareUnit("person?:harmon@b", "harmon", president, {"male"})
    c = BareUnit("person?:harmon@c", "harmon", norm_title("Governor"))
    joined = group_by_title([a, b, c])
    assert joined == {a.key: "person?:harmon@title:president",
                      b.key: "person?:harmon@title:president"}  # the governor stays apart
    assert group_by_title([a]) == {}  # one document: nothing to join
    # honorifics or pronouns that disagree: refused
    d = BareUnit("person?:harmon@d", "harmon", president, {"female"})
    assert group_by_title([a, b, d]) == {}
    # a full-name Harmon of the corpus has that title: the title no longer tells them apart
    ada = PersonProfile("person:ada harmon", {norm_title("Pres.")})
    assert group_by_title([a, b], [ada]) == {}
    assert group_by_title([a, b], [PersonProfile("person:ada harmon")]) == joined


def test_two_known_first_names_are_two_people_however_close() -> None:
    from whosaid.speakers import cluster_full_names

    assert match_full_name("person:daniela harmon", ["person:daniel harmon"]) is None
    assert match_full_name("person:ivanka harmon", ["person:ivana harmon"]) is None
    # a misspelt first name that no lexicon knows is still the same person
    assert match_full_name("person:jonathn harmon", ["person:jonathan harmon"]) == \
        "person:jonathan harmon"
    groups = cluster_full_names({"person:ivana harmon": 3, "person:ivanka harmon": 2})
    assert groups["person:ivanka harmon"] == "person:ivanka harmon"
    assert full_names_in_text("Maybe Harmon is right. Perhaps Harmon is not.", "Harmon") == []
    assert full_names_in_text("He flew to Mexico. Harmon said so.", "Harmon") == []


def test_an_organisation_is_a_person_only_by_a_known_first_name() -> None:
    text = "The Republican Congress passed the bill. Congress said it would act."
    body = Mention("Congress", SpeakerKind.ORGANISATION, True, document="d",
                   evidence=full_names_in_text(text, "Congress"))
    assert body.evidence == ["Republican Congress"]
    assert mention_key(body) == "organisation:congress"
    unknown = Mention("Congress", SpeakerKind.UNKNOWN, True, document="d",
                      evidence=body.evidence)
    assert mention_key(unknown) == "unknown:congress"
    # a surname the NER called an organisation, with a given name in the text
    org = Mention("Harmon", SpeakerKind.ORGANISATION, True, document="d",
                  evidence=["Mary Harmon"])
    assert mention_key(org) == "person:mary harmon"


def test_a_nickname_is_the_same_given_name_when_the_gender_agrees() -> None:
    from whosaid.speakers import cluster_full_names, is_nickname

    assert is_nickname("joe", "joseph") and is_nickname("william", "bill")
    assert not is_nickname("chris", "christopher")  # Christopher or Christine: unclear
    assert not is_nickname("bill", "hillary")
    assert match_full_name("person:len harmon", ["person:leonard harmon"]) == \
        "person:leonard harmon"
    assert match_full_name("person:bill harmon", ["person:hillary harmon"]) is None
    groups = cluster_full_names({"person:bill harmon": 3, "person:william harmon": 1,
                                 "person:wilma harmon": 1})
    assert groups["person:william harmon"] == "person:bill harmon"
    assert groups["person:wilma harmon"] == "person:wilma harmon"


def test_a_given_name_of_either_sex_is_still_a_given_name() -> None:
    from whosaid.speakers import known_first_name

    # "Bernie" is no sure man's or woman's name, but a name: it does not give way to
    # the other full name of its text
    assert known_first_name("Bernie") and not known_first_name("Derelict")
    both = person("Bernie Harmon", evidence=["Bernie Harmon", "Jane Harmon"])
    assert mention_key(both) == "person:bernie harmon"


def test_a_title_the_only_candidate_never_has_refuses_it() -> None:
    from whosaid.speakers import attach_surname

    ada = PersonProfile("person:ada harmon", {norm_title("First Lady")})
    people = {ada.key: ada}
    assert attach_surname("harmon", [ada.key], title="President", people=people) is None
    assert attach_surname("harmon", [ada.key], title="Lady", people=people) == ada.key
    assert attach_surname("harmon", [ada.key], people=people) == ada.key  # no title: taken
    # a person the corpus knows no title for is no evidence against
    assert attach_surname("harmon", [ada.key], title="President",
                          people={ada.key: PersonProfile(ada.key)}) == ada.key


def test_a_generational_suffix_is_part_of_the_name() -> None:
    from whosaid.speakers import attach_surname, cluster_full_names, read_evidence

    junior = mention_key(person("Edward Harmon Jr."))
    assert junior == mention_key(person("Edward Harmon, Jr.")) == "person:edward harmon_jr"
    assert junior != mention_key(person("Edward Harmon"))
    assert mention_key(person("Edward J. Harmon")) == "person:edward harmon"
    assert mention_key(person("Edward Harmon III")) == "person:edward harmon_iii"
    # spelling clusters never join two suffixes, however close the surnames
    keys = {"person:edward harmon": 4, "person:edward harmon_jr": 2,
            "person:edward harmonn": 1, "person:edward schwarzenegger": 3,
            "person:edward schwarzenegger_jr": 1}
    canon = cluster_full_names(keys)
    assert canon["person:edward harmonn"] == "person:edward harmon"
    assert canon["person:edward harmon_jr"] == "person:edward harmon_jr"
    assert canon["person:edward schwarzenegger_jr"] == "person:edward schwarzenegger_jr"
    assert match_full_name("person:edward schwarzenegger_jr",
                           ["person:edward schwarzenegger"]) is None
    # a bare surname of the corpus: the plain name, not the son ("Harmon" is unambiguous)
    assert attach_surname("harmon", ["person:edward harmon"]) == "person:edward harmon"
    # in a text that names the son, a bare "Harmon" may be him: his own text's name
    text = "Edward Harmon Jr. opened the plant. Harmon said it would hire 300 workers."
    assert full_names_in_text(text, "Harmon") == ["Edward Harmon Jr."]
    bare = read_evidence(text, person("Harmon"))
    assert mention_key(bare) == "person:edward harmon_jr"
    both = read_evidence(text + " His father, Edward Harmon, agreed.", person("Harmon"))
    assert mention_key(both).startswith("person?:harmon@")  # father or son: no guess
    assert mention_key(read_evidence(text, person("Harmon Jr."))) == junior



def test_a_suffix_splits_a_name_only_on_evidence_of_two_people() -> None:
    """join_suffixes: a suffixed key is keyed as the plain name unless a document names
    both forms as two speakers, the corpus writes two suffixes of the name, or the
    middle initials conflict; the evidence covers the spellings of the first name."""
    from whosaid.speakers import cluster_full_names, join_suffixes, middle_initial

    junior = "person:joseph harmon_jr"
    # one outlet's "Joseph R. Harmon Jr.", another's "Joe Harmon": one person
    joined = join_suffixes([{junior}, {"person:joe harmon"}])
    assert joined == {junior: "person:joseph harmon"}
    canon = cluster_full_names({"person:joe harmon": 3, "person:joseph harmon": 1})
    assert canon["person:joseph harmon"] == canon["person:joe harmon"]
    # alone in the corpus, the suffixed name is still the plain name's person
    assert join_suffixes([{junior}]) == {junior: "person:joseph harmon"}
    # a document with both as two speakers: apart everywhere, "Joe ... Jr." too
    docs = [{"person:edward harmon_jr", "person:edward harmon"}, {"person:ed harmon_jr"},
            {"person:edward harmon"}]
    apart = join_suffixes(docs)
    assert apart == {"person:edward harmon_jr": "person:edward harmon_jr",
                     "person:ed harmon_jr": "person:ed harmon_jr"}
    assert join_suffixes(list(reversed(docs))) == apart  # order-free
    # another first name in that document is no evidence ("Lisa Harmon" and "Edward Jr.")
    assert join_suffixes([{"person:edward harmon_jr", "person:lisa harmon"}]) == {
        "person:edward harmon_jr": "person:edward harmon"}
    # a text writing both forms with one first name ("Edward Harmon Jr., son of Edward
    # Harmon"), even when only the son speaks; a nickname there is no such evidence
    assert join_suffixes([{"person:edward harmon_jr"}, {"person:edward harmon"}], texts=[
        {"person:edward harmon_jr", "person:edward harmon"}]) == {
        "person:edward harmon_jr": "person:edward harmon_jr"}
    assert join_suffixes([{junior}], texts=[{junior, "person:joe harmon"}]) == {
        junior: "person:joseph harmon"}
    # two suffixes of one name anywhere in the corpus ("Sr." and "Jr."): both apart
    pair = join_suffixes([{"person:brent harmon_iii"}], ["person:brent harmon_jr"])
    assert pair == {"person:brent harmon_iii": "person:brent harmon_iii",
                    "person:brent harmon_jr": "person:brent harmon_jr"}
    # conflicting middle initials: "Joseph P. Harmon" is not "Joseph R. Harmon Jr."
    assert middle_initial("Joseph R. Harmon Jr.") == "r"
    assert middle_initial("Sen. Joseph Patrick Harmon") == "p"
    assert middle_initial("Joseph Harmon, Jr.") is None
    conflict = {junior: {"r"}, "person:joseph harmon": {"p"}}
    assert join_suffixes([{junior}, {"person:joseph harmon"}], middles=conflict) == {junior: junior}
    same = {junior: {"r"}, "person:joseph harmon": {"r"}}
    assert join_suffixes([{junior}, {"person:joseph harmon"}], middles=same) == {
        junior: "person:joseph harmon"}

def test_one_headline_rule() -> None:
    from whosaid.speakers import is_headline

    for line in ("Weary Harmon Returns Home", "Harmon Will Go on Offense in Ohio",
                 "New Poll: Harmon Leads With Women"):
        assert is_headline(line), line
    for line in ("Mayor Ed Harmon and Governor Lee met on Friday.",  # a lower-case verb
                 "Harmon Speech Draws a Crowd of thousands",
                 "The Latest: Harmon urges voters to turn out",
                 " ".join(["Word"] * 21), "", "2024"):
        assert not is_headline(line), line
    # "Weary" is no first name on a headline line, and still one in a sentence
    assert full_names_in_text("Weary Harmon Returns Home\n\nHe spoke.", "Harmon") == []
    assert full_names_in_text("Weary Harmon, a farmer, said no.", "Harmon") == [
        "Weary Harmon"]
