"""``whosaid audit``: linking, claims, evidence and flags on small real documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whosaid import extract
from whosaid.audit import FLAGS, audit, load_sources, masked, negated, numbers, to_html
from whosaid.cli import app
from whosaid.extract.citations import find_citations

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = ROOT.parent / "shared" / "examples" / "nato-briefing.txt"

# three small sources written for these tests: a page with a title and URL, a title-only
# notice, and one cited by its file name
SOURCES = {
    "town-budget": (
        "Title: Corrow Council Adopts 2031 Budget\n"
        "URL: https://corrow.example.gov/news/budget-2031\n\n"
        "On Wednesday the Corrow town council approved a budget of 36 million dollars, up 2 "
        "percent on last year. Most of the extra spending will pay for pavement "
        "repairs and park lighting, Mayor Ruth Galloway said. \"We will not raise parking fees "
        "this year,\" Galloway told journalists once the vote was over. Councillor Dev Anand "
        "opposed the plan because, he said, it ignored the swimming baths. Spending comes back "
        "to the council in November.\n"),
    "river-warning": (
        "Title: Wendle River High Water Notice Issued\n\n"
        "The county water agency put out a high water notice for the Wendle River on Sunday, after "
        "three days of heavy rain pushed the level at Northford to 3.8 metres, its peak since "
        "2024. About 250 homes are at risk, agency spokesperson Lena Holt said, and people in "
        "riverside streets have been told to carry belongings upstairs. Nobody has been ordered "
        "to leave yet.\n"),
    "school-meals": (
        "Title: Free School Breakfast Scheme Widened\n\n"
        "Every infant pupil will get a free school breakfast from September under plans "
        "Education Minister Hana Petrov set out on Thursday. The plan costs 85 million annually "
        "and reaches about 140,000 children. Petrov said the scheme would be paid for from the "
        "existing schools budget. Joe Marr, who leads a teachers' union, praised the move but "
        "asked for older pupils to be included.\n"),
}

REPORT = "\n\n".join([
    "Council and river news",
    "The Corrow council approved a 36 million dollar budget on Wednesday."
    " (Source: https://corrow.example.gov/news/budget-2031)",
    "The budget rose by 6 percent compared with last year."
    " (Source: Corrow Council Adopts 2031 Budget)",
    "Councillor Dev Anand told journalists that the council would not raise parking fees this"
    " year. (Source: Corrow Council Adopts 2031 Budget)",
    "Residents of several streets have been ordered to leave."
    " (Source: High water notice for the Wendle river)",
    "Education Minister Hana Petrov said the scheme would be paid for from the existing"
    " schools budget."
    " (Source: school-meals)",
    "The city aquarium will double its entry fee in autumn."
    " (Source: Free School Breakfast Scheme Widened)",
    "Youth employment climbed for a sixth month running. (Source: agency figures)",
    "Tram reliability improved for a fourth year in a row."
    " (Source: Tram Service Review, Metro Transit Office, 9 August 2030)",
]) + "\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("sources")
    for name, body in SOURCES.items():
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    return audit(extract(REPORT, name="report"), load_sources(folder))


def claim(result: dict, start: str) -> dict:
    return next(c for c in result["claims"] if c["text"].startswith(start))


def test_citations_are_linked_by_url_id_and_title(result: dict) -> None:
    links = [c["link"] for c in result["citations"]]
    assert links[0] == {"document": "town-budget", "method": "url", "score": 2.0,
                        "fields": ["url"]}
    assert links[1]["document"] == "town-budget" and links[1]["method"] == "fields"
    assert links[3]["document"] == "river-warning" and links[3]["score"] >= 0.595
    assert links[4]["document"] == "school-meals"  # the file name is the id
    assert links[6] is None and links[7] is None
    for c in result["citations"]:
        assert set(c) >= {"label", "scope", "resolvability"}
        assert c["resolvability"] in {"resolvable", "partial", "generic"}


def test_supported_claim_has_evidence_with_offsets(result: dict) -> None:
    c = claim(result, "The Corrow council approved")
    assert c["flags"] == []
    ev = c["evidence"]
    text = SOURCES["town-budget"]
    assert text[ev["start"]:ev["end"]] == ev["text"]
    assert "36 million dollars" in ev["text"]
    assert REPORT[c["start"]:c["end"]] == c["text"]


@pytest.mark.parametrize(("start", "flag"), [
    ("The budget rose by 6 percent", "unsupported_detail"),
    ("Councillor Dev Anand told", "speaker_mismatch"),
    ("Residents of several streets", "negation_flip"),
    ("The city aquarium will double", "claim_not_found"),
    ("Youth employment climbed", "unresolvable_citation"),
    ("Tram reliability improved", "source_not_provided"),
])
def test_flags(result: dict, start: str, flag: str) -> None:
    c = claim(result, start)
    assert flag in c["flags"], c
    assert set(c["flags"]) <= set(FLAGS)


def test_correct_speaker_is_not_flagged(result: dict) -> None:
    c = claim(result, "Education Minister Hana Petrov said")
    assert "speaker_mismatch" not in c["flags"] and c["evidence"] is not None


def test_html_report_is_self_contained(result: dict) -> None:
    page = to_html(result, extract(REPORT, name="report"))
    assert page.startswith("<!doctype html>") and "speaker_mismatch" in page
    assert "<script" not in page


def test_helpers() -> None:
    assert negated("No closures have been announced") and not negated("Closures announced")
    assert not negated("It is not unlikely that he never came")  # two negators cancel
    assert numbers("about 1,200 people, 4.5% more, 3 million and two cars") >= {
        1200.0, 4.5, 3e6, 2.0}


def test_cli_audit_json_and_html(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Turnout rose sharply. (Source: election office note)\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["audit", str(report), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["citations"][0]["resolvability"] == "generic"
    assert data["claims"][0]["flags"] == ["unresolvable_citation"]
    page = tmp_path / "a.html"
    out = runner.invoke(app, ["audit", str(report), "-f", "html", "-o", str(page)])
    assert out.exit_code == 0 and "<html>" in page.read_text("utf-8")


def test_cli_profile(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Critics said the plan failed. Anna Lindell said it worked.\n", "utf-8")
    out = CliRunner().invoke(app, ["profile", str(f), "--format", "json"])
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)
    assert row["attributions"] == 2 and row["specificity"]["vague_collective"] == 1


def test_briefing_per_paragraph_audit() -> None:
    if not BRIEFING.exists():
        pytest.skip(f"{BRIEFING} not found (../shared is not beside the checkout)")
    text = BRIEFING.read_text(encoding="utf-8")
    r = audit(extract(text, name="nato-briefing"))
    assert len(r["citations"]) == 6 and len(r["paragraphs"]) == 6
    for cit, para in zip(r["citations"], r["paragraphs"], strict=True):
        assert cit["resolvability"] == "generic"
        assert cit["flags"] == ["unresolvable_citation"]
        assert para["citations"] == [cit["index"]]
        assert "generic label" in para["verdict"] and "cannot be resolved" in para["verdict"]
    assert r["claims"] and all(c["flags"] == ["unresolvable_citation"] for c in r["claims"])
    assert "name a person" in r["profile_summary"]


# --- claim checks on small texts written for these tests ---------------------------------

MINUTES = """HARLOW VALLEY PARISH COUNCIL
Minutes of the meeting of 4 June 2024

The council approved a grant of £12,500 to the village hall for a new roof.
Councillor Dana Pike said the hall’s roof had leaked for “three winters”.
A plan to shut the Ferry Road car park overnight was rejected by five votes to two.
Thousands of people came to the spring show, the clerk reported.
"""
TRANSCRIPT = """TRANSCRIPT
Evening Desk, Harlow Valley Radio, 5 June 2024

HOST: With me is the council leader, Omar Reyes.

OMAR REYES: We will not raise the parish precept this year.

LINA FROST: The ferry will run until midnight in August.
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("checks")
    (folder / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "radio.txt").write_text(TRANSCRIPT, encoding="utf-8")
    report = "\n\n".join([
        "The council approved a grant of £12,500 to the village hall for a new roof."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Councillor Dana Pike said the hall's roof had leaked for \"three winters\"."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "The council approved a grant of £21,500 to the village hall."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "A plan to shut the Ferry Road car park overnight was approved."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Hundreds of people came to the spring show."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Omar Reyes said the council would raise the parish precept this year."
        " (Source: Evening Desk, Harlow Valley Radio, 5 June 2024)",
        "Omar Reyes said the ferry would run until midnight in August."
        " (Source: Evening Desk, Harlow Valley Radio, 5 June 2024)",
        "The council will open a climbing wall by the river."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "The council cut the mayor's allowance."
        " (Source: Harlow Valley Parish Council minutes, 11 June 2024)",
    ]) + "\n"
    return audit(extract(report, name="checks"), load_sources(folder))


def test_typography_does_not_raise_a_flag(checked: dict) -> None:
    # curly apostrophe and quotes in the source, straight ones in the report
    c = claim(checked, "Councillor Dana Pike said")
    assert c["flags"] == [], c
    assert claim(checked, "The council approved a grant of £12,500")["flags"] == []


def test_wrong_number_and_scale_word(checked: dict) -> None:
    wrong = claim(checked, "The council approved a grant of £21,500")
    assert wrong["flags"] == ["unsupported_detail"] and "£21500" in wrong["details"]
    scale = claim(checked, "Hundreds of people")
    assert scale["flags"] == ["unsupported_detail"], scale
    assert "different number" in scale["explanations"][0]["words"]


def test_antonym_and_negation_flip(checked: dict) -> None:
    assert claim(checked, "A plan to shut the Ferry Road")["flags"] == ["negation_flip"]
    c = claim(checked, "Omar Reyes said the council would raise")
    assert c["flags"] == ["negation_flip"]
    assert c["explanations"][0]["words"].startswith("the source says the opposite")


def test_speaker_mismatch_from_a_transcript_label(checked: dict) -> None:
    c = claim(checked, "Omar Reyes said the ferry")
    assert c["flags"] == ["speaker_mismatch"], c
    assert c["speakers"]["source"] == "Lina Frost"


def test_claim_not_found_and_near_miss(checked: dict) -> None:
    c = claim(checked, "The council will open a climbing wall")
    assert c["flags"] == ["claim_not_found"] and c["evidence"] is None
    near = claim(checked, "The council cut the mayor")
    assert near["flags"] == ["source_not_provided"]
    cit = checked["citations"][near["citation"]]
    assert cit["near_miss"]["documents"] == ["minutes"]
    assert cit["note"].endswith("The folder has the Harlow Valley Parish Council minutes of "
                                "4 June 2024; this cites one of 11 June 2024.")


def test_checks_helpers() -> None:
    from whosaid.audit_checks import normalise, polarity_flip, quantities

    assert normalise("Russia’s “plan” – 1,200 or 1 200 at 5 per cent") == \
        "Russia's \"plan\" - 1200 or 1200 at 5%"
    q = {(x.value, x.unit) for x in quantities("$2.6 million, twenty-five, a quarter, 40%")}
    assert q >= {(2.6e6, "USD"), (25.0, ""), (0.25, "frac"), (40.0, "%")}
    assert (2.9e6, "USD") not in q
    assert polarity_flip("Profits rose last year.", "Profits fell last year.")[0]
    assert not polarity_flip("Profits dropped last year.", "Profits fell last year.")[0]
    assert polarity_flip("The plan will work.", "The plan will not work.")[0]
    # a negation in another clause of the evidence does not count
    assert not polarity_flip("Two women were detained after the blaze.",
                             "Two women were detained after the blaze, and no one was hurt.")[0]


def test_checks_fractions_clauses_and_until() -> None:
    """Shares in any form; negations of two clauses do not cancel; "not ... until"."""
    from whosaid.audit_checks import detail_mismatches, polarity_flip

    assert detail_mismatches("They cover three quarters of the cost.",
                             "They cover 75 per cent of the cost.") == []
    assert detail_mismatches("Nearly a third of flats were damp.",
                             "Almost one in three flats (31%) were damp.") == []
    assert detail_mismatches("About two thirds of flats were damp.",
                             "Just over a third of flats were damp.") != []
    flip, _ = polarity_flip("The cleaners have signed a deal on wages.",
                            "The firm has not yet agreed wages with the cleaners. \"We will "
                            "not sign a deal until the wages are fair,\" their leader said.")
    assert flip
    assert not polarity_flip("The tunnel is not due to reopen until June.",
                             "The tunnel is now due to reopen in June.")[0]
    assert polarity_flip("The inspector had considered the impact on the heath.",
                         "The inspector failed to consider the impact on the heath.")[0]
    assert polarity_flip("Prices were lowest in the north.",
                         "Prices were highest in the north.")[0]


CLINIC = ("HILLTOWN CLINICS\nTranscript of the trustees' meeting, 4 June 2025\n\n"
          "Anna Brook: The new clinic will open in November with twelve nurses.\n\n"
          "Tom Ruiz: We will close the old clinic on Quarry Row in October.\n\n"
          "Anna Brook: Thank you, Tom.\n\n"
          "Tom Ruiz: Waiting times fell by a sixth this winter.\n")


def test_same_url_links_and_mixed_case_transcript_labels(tmp_path: Path) -> None:
    """A bare "[listen](url)" links where an earlier citation with that URL links; a
    "Name:" turn label in mixed case gives the speaker of the turn."""
    (tmp_path / "clinic.txt").write_text(CLINIC, encoding="utf-8")
    url = "https://hilltown.example/board/2025-06-04"
    report = (f"Anna Brook told the [Hilltown Clinics trustees' meeting]({url}) that the new "
              f"clinic would open in November. Anna Brook said the old clinic on Quarry Row "
              f"would close in October ([listen]({url})).\n")
    result = audit(extract(report, name="r"), load_sources(tmp_path))
    assert [c["link"]["document"] if c["link"] else None for c in result["citations"]] == \
        ["clinic", "clinic"]
    assert result["citations"][1]["link"]["method"] == "same URL"
    first, second = result["claims"]
    assert first["flags"] == []
    assert second["flags"] == ["speaker_mismatch"]


def test_frequencies_are_details() -> None:
    from whosaid.audit_checks import detail_mismatches

    assert detail_mismatches("The pool will be cleaned every month.",
                             "The pool will be cleaned twice a year.") == ["every month"]
    assert detail_mismatches("Ferries sail every 3 hours.", "Ferries sail every three hours.") == []
    assert detail_mismatches("The board meets monthly.", "The board meets every month.") == []
    assert detail_mismatches("The board meets monthly.", "The board met on Tuesday.") == []


def test_bounds_exact_percentages_and_clock_times() -> None:
    """"more than 2,000" covers 2,150 (and is no year); two exact percentages are
    compared as values, not as shares; a time of day is a detail."""
    from whosaid.audit_checks import detail_mismatches, figures

    assert detail_mismatches("The petition drew more than 2,000 signatures.",
                             "The petition was signed by 2,150 people.") == []
    assert detail_mismatches("Fewer than 500 people came.", "Some 520 people came.") != []
    assert detail_mismatches("Inflation reached 6.1 per cent.", "Inflation was 5.2%.") == \
        ["6.1%"]
    assert detail_mismatches("About 30% agreed.", "31 per cent agreed.") == []
    assert detail_mismatches("The gates open at 6.30am.", "Gates open at 7am daily.") == \
        ["6.30am"]
    assert detail_mismatches("The gates open at 7 a.m.", "Gates open at 7am daily.") == []
    assert figures("The line reopens in March 2027 at a cost of £12m.") >= {"2027", "m3"}


def test_negation_scope_contrast_and_refusals() -> None:
    """"no evidence that X" denies X; ", not by the teachers" names who, it negates
    nothing; "the start of" is a point in time; "refused to" denies what follows
    unless the other side also refuses; "missed its target" = "failed to meet"."""
    from whosaid.audit_checks import polarity_flip

    assert polarity_flip("The audit found the treasurer had hidden the loss.",
                         "The audit found no evidence that the treasurer had hidden the "
                         "loss.")[0]
    assert not polarity_flip("Parents, not teachers, will pay for the trip.",
                             "The trip will be paid for by parents and may not be charged "
                             "to the teachers.")[0]
    assert not polarity_flip("Queues fell to 40 from 70 at the start of the year.",
                             "Queues stood at 40 at the end of May, down from 70 in "
                             "January.")[0]
    assert polarity_flip("The board refused to publish the report.",
                         "Campaigners asked the board to publish the report.")[0]
    assert not polarity_flip("The board refused to publish the report.",
                             "The board rejected calls to publish the report.")[0]
    assert not polarity_flip("The airline missed its punctuality target.",
                             "The airline failed to meet its punctuality target.")[0]
    # a comparison, not a bound: "fewer ... than in 2022" against ", more than in 2022"
    assert polarity_flip("The crews cleared fewer drains this year than in 2022.",
                         "The crews have cleared 640 drains since March, more than in the "
                         "whole of 2022.")[0]
    assert not polarity_flip("More than 600 drains were cleared.", "Crews cleared 640 drains.")[0]
    # two clauses tie on shared words: the one that also shares the verb decides
    assert not polarity_flip("No family would lose its allotment.",
                             "Nobody will lose an allotment. We have found land for every "
                             "family that moves.")[0]


DEPOT = ("Title: Depot plan approved\nDate: 2 May 2025\n\n"
         "The county has approved a bus depot on Fenn Road at a cost of £8.5 million. "
         "The depot will hold 60 buses and open in autumn 2026.\n\n"
         "Transport lead Mara Voss said the depot would cut empty running by a third.\n")


def test_found_score_figures_and_novel_words(tmp_path: Path) -> None:
    """A paraphrase sharing few words but the figures is found; a claim whose terms the
    source never uses is not, however well its other words align."""
    (tmp_path / "depot.txt").write_text(DEPOT, encoding="utf-8")
    report = ("Fenn Road is to get an £8.5m garage for the county's buses. "
              "(Source: Depot plan approved, 2 May 2025)\n\n"
              "The county will also sell its old tram sheds to a housing developer. "
              "(Source: Depot plan approved, 2 May 2025)\n")
    result = audit(extract(report, name="r"), load_sources(tmp_path))
    found, novel = result["claims"]
    assert found["flags"] == [] and found["evidence"]["figures"] == 1.0
    assert novel["flags"] == ["claim_not_found"]
    assert novel["candidate"]["novel"] > 0.5


HARBOUR = (
    "Title: Harbour board approves new cruise berth\nPublisher: Pellow Harbour Board\n"
    "Date: 4 May 2025\n\n"
    "The Pellow Harbour Board yesterday approved plans for a new cruise berth on the west "
    "jetty.\n\n"
    "The board's chair, Imogen Vasquez, said the berth would open in 2028. \"It will bring "
    "hundreds of jobs,\" she said.\n\n"
    "Fishermen's representative Piet Ansbach said the plans would push boats out of the outer "
    "moorings. \"We were not consulted at any stage,\" he said.\n\n"
    "The board said ticket prices would stay the same for residents.\n")
AGM = """Kelby Allotment Society
Annual meeting, 12 June 2025
Chair: Ruth Alder

Chair: Welcome, everyone. The committee proposes a plot rent of 40 pounds a year.

Member (Mr Owen Pike): Why should new members wait two years for a plot?

Member (Ms Gail Rook): Will the water charge go up in March?

Chair: Thank you. The committee will look at the waiting list this summer.
"""


def test_speaker_names_from_roles_headings_and_claim_frames(tmp_path: Path) -> None:
    """A name whosaid reads as a role's apposition, a "Role (Name):" turn, a role
    named in a heading line, and a speaker named only in the claim's own frame."""
    (tmp_path / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (tmp_path / "agm.txt").write_text(AGM, encoding="utf-8")
    cite_h = " (Source: Harbour board approves new cruise berth)"
    cite_a = " (Source: Kelby Allotment Society annual meeting, 12 June 2025)"
    report = "\n\n".join([
        "Imogen Vasquez said the berth would open in 2028." + cite_h,
        "Piet Ansbach said the berth would open in 2028." + cite_h,
        "Piet Ansbach said fishermen had never been consulted." + cite_h,
        "Member Gail Rook asked why new members should wait two years for a plot." + cite_a,
        "Ruth Alder said the committee proposes a plot rent of 40 pounds a year." + cite_a,
    ]) + "\n"
    claims = audit(extract(report, name="r"), load_sources(tmp_path))["claims"]
    assert [c["flags"] for c in claims] == [[], ["speaker_mismatch"], [],
                                            ["speaker_mismatch"], []]
    assert claims[1]["speakers"]["source"] == "Imogen Vasquez"
    assert "Owen Pike" in claims[3]["speakers"]["source"]


def test_negation_needs_the_same_predicate() -> None:
    """A flip needs the negated words on the other side; a tie between clauses goes to
    the one holding the negated word; a negated claim agrees with a negated clause."""
    from whosaid.audit_checks import polarity_flip

    ev = ("Fishermen's representative Piet Ansbach said the plans would push boats out. "
          '"We were not consulted at any stage," he said.')
    assert polarity_flip("fishermen had never been consulted", ev) == (False, "")
    assert polarity_flip("the board had consulted fishermen at every stage", ev)[0]
    # "not proper notice" says nothing against a sentence about fees
    assert not polarity_flip("a sign on the quay gate was not proper notice",
                             "The quay trust raised berthing fees at the quay gate "
                             "by 40 per cent.")[0]
    assert not polarity_flip("no road had been resurfaced in the year since the vote",
                             '"A year after the vote, not a single road has been resurfaced,"'
                             ' she said.')[0]
    assert polarity_flip("No one was hurt.", "Two people were hurt in the blaze.")[0]
    assert polarity_flip("Two lifeguards were hurt.", "No lifeguards were hurt.")[0]
    assert polarity_flip("The firms met their targets.", "The firms failed to meet their "
                                                         "targets.")[0]
    assert not polarity_flip("CO2 and NO2 readings rose.", "NO2 and CO2 readings rose.")[0]
    assert not polarity_flip("Failing to register a dog brings a penalty.",
                             "Failure to register a dog carries a penalty.")[0]


def test_other_predicates_that_flip() -> None:
    """"Unchanged" against a rise, "voted against" against support, "gave permission"
    against "refused permission", "agreed" against "dissented", "short of the standard"
    as "did not meet" it."""
    from whosaid.audit_checks import polarity_flip

    assert polarity_flip("Ticket prices will go up.", "Ticket prices will stay the same.")[0]
    assert polarity_flip("Prices rose.", "Prices were unchanged.")[0]
    assert not polarity_flip("Prices held steady.", "Prices were unchanged.")[0]
    assert polarity_flip("The union voted against the merger.",
                         "The union supported the merger.")[0]
    assert polarity_flip("The tribunal gave the landlord permission to build.",
                         "The tribunal refused the landlord permission to build.")[0]
    assert polarity_flip("Judge Amos backed the ruling.", "Judge Amos dissented.")[0]
    assert polarity_flip("Growth was the slowest since 2019.",
                         "Growth was the fastest since 2019.")[0]
    assert not polarity_flip("Just 61% of calls were answered in time, short of the target.",
                             "The service did not meet its target: 61% of calls were answered "
                             "in time.")[0]
    assert not polarity_flip("Just 61% of calls were answered in time, below the target.",
                             "Call answering fell short of the target: 61% were answered in "
                             "time.")[0]
    assert polarity_flip("Tenants will be charged for the new bins.",
                         "Tenants will get the new bins free of charge.")[0]
    assert polarity_flip("Students will have to pay for the course.",
                         "The course is free for students.")[0]
    assert not polarity_flip("Entry to the gallery is free.", "Entry stays free of charge.")[0]
    assert polarity_flip("The survey found the homes affordable.",
                         "The survey found the homes unaffordable.")[0]
    assert polarity_flip("The trade was legal.", "The trade was unlawful.")[0]


def test_details_times_seasons_places_and_number_words() -> None:
    from whosaid.audit_checks import detail_mismatches, missing_names, normalise

    assert detail_mismatches("The agency will release the data this year.",
                             "The agency will not release the data until next year.") == \
        ["this year"]
    assert detail_mismatches("The new library opens this autumn.",
                             "The new library opens in spring 2027.") == ["autumn"]
    assert detail_mismatches("The clinic moves to Dunmore High Street.",
                             "The clinic moves to Farley High Street.") == \
        ["Dunmore High Street"]
    assert detail_mismatches("A ward at Farley General Hospital.",
                             "A new ward at Farley General Hospital.") == []
    assert detail_mismatches("The museum opens every day of the week.",
                             "The museum opens at weekends.") == ["every day of the week"]
    assert detail_mismatches("Trams run twice an hour after dark.",
                             "Two trams an hour after dark, one an hour at dawn.") == []
    assert detail_mismatches("The ferry will sail every day from May.",
                             "The ferry will sail every two days, instead of every day.") == \
        ["every day"]
    assert normalise("Seventy-one per cent") == "71%"
    assert detail_mismatches("Seven in ten voters backed the plan.",
                             "Seventy-one per cent of voters backed the plan.") == []
    assert missing_names("Repairs to Pellow's harbour wall start soon.",
                         "Repairs to the harbour wall at Pellow start soon.", set()) == []


def test_titles_the_extractor_knows_never_make_two_people_one() -> None:
    """The audit's title words are the extractor's titles and person roles (one list) plus
    meeting roles: two sheriffs, two governors or two callers are not one speaker."""
    from whosaid.audit import TITLE_WORDS, _same_speaker
    from whosaid.extract import lexicon

    assert {w.lower().rstrip(".") for w in lexicon.TITLES} <= TITLE_WORDS
    assert lexicon.PERSON_ROLE_NOUNS <= TITLE_WORDS and "caller" in TITLE_WORDS
    assert not _same_speaker({"sheriff", "ann", "lee"}, {"sheriff", "tom", "marsh"})
    assert not _same_speaker({"governor", "ann", "lee"}, {"governor", "tom", "marsh"})
    assert _same_speaker({"sheriff", "ann", "lee"}, {"lee"})
    assert _same_speaker({"sheriff"}, {"sheriff", "tom", "marsh"})  # a role alone may be him


@pytest.mark.parametrize(("claim", "evidence", "flip"), [
    ("The deal was signed on Monday.", "The deal has yet to be signed.", True),
    ("The deal has yet to be signed.", "The deal has not been signed.", False),
    ("Inflation increased in May.", "Inflation eased in May.", True),
    ("Waiting times have got shorter.", "Waiting times have got longer.", True),
    ("The school has enough teachers.", "The school is short of teachers.", True),
    ("The project is on schedule.", "The project is behind schedule.", True),
    ("The project is behind schedule.", "The project has been delayed.", False),
    ("The depot fell short of its safety target.", "The depot did not meet its safety target.",
     False),
    ("It sold more tickets than last year.", "We sold fewer tickets this year.",
     True),
    ("The firm sold fewer tickets.", "We sold fewer tickets this year.", False),
    ("The firm carried more freight.", "The firm carried more freight than before.", False),
])
def test_general_opposites_yet_to_short_of_and_schedule(claim: str, evidence: str,
                                                        flip: bool) -> None:
    """General English opposites beyond negators: "has yet to" denies, "eased" is a fall,
    "shorter"/"longer", "enough"/"short of", "on schedule"/"behind schedule", "more
    tickets" against "fewer tickets" without a "than"."""
    from whosaid.audit_checks import polarity_flip

    assert polarity_flip(claim, evidence)[0] is flip


def test_word_forms_share_a_key_and_a_swapped_place_is_a_detail() -> None:
    """Inflected and derived forms align ("valued"/"value", "studied"/"study",
    "employment"/"employ"); a place after "in"/"at" that the evidence names otherwise is
    a wrong detail, not when the evidence also gives it."""
    from whosaid.audit_checks import content_tokens, detail_mismatches

    assert content_tokens("they valued the study") == content_tokens("they value the studies")
    assert content_tokens("employment") == content_tokens("employ")
    assert detail_mismatches("Most were in Dunsby.", "Most of those counted were in "
                             "Ravensholt.") == ["Dunsby"]
    assert detail_mismatches("The leak started in Kelby.", "The leak started at Ashby "
                             "Mill in Kelby on Friday.") == []
    assert detail_mismatches("The shop in Kelby will close.", "The Kelby shop will close, "
                             "and the shop in Ashby stays open.") == []


def test_time_stamped_first_name_turns_and_quoted_name_labels_say_who_speaks() -> None:
    """"[00:01:47] ELIN:" is a turn of the Elin the heading names in full; a name label
    opening a quotation ('Coxswain **Ada Brennock** (Kelby): "..."') says whose
    words follow even once."""
    from whosaid.audit import _speaker_label
    from whosaid.audit_sources import source_from_text

    podcast = ("THE SHORELINE - a podcast\nGuests: Cllr Tom Marsh (Kelby Council), Dr Elin "
               "Fenner (ecologist)\n\n[00:00:31] TOM: The works will take two summers.\n\n"
               "[00:01:47] ELIN: The dunes were planted for storms we no longer see.\n\n"
               "[00:02:40] TOM: That is not my view.\n")
    assert source_from_text(podcast, "p").meta.type == "transcript"
    assert _speaker_label(podcast, podcast.find("The dunes")) == "ELIN (Elin Fenner)"
    review = ("# Station Yearbook 2030\n\nVolunteers went out 288 times.\n\nCoxswain **Ada "
              "Brennock** (Kelby station): \"Our new boat cuts the trip to 32 minutes.\"\n")
    assert _speaker_label(review, review.find("Our new boat")) == \
        "Coxswain Ada Brennock (Kelby station)"
    assert _speaker_label(review, review.find("Volunteers went out")) is None


def test_a_speaker_the_source_never_names_is_a_mismatch(tmp_path: Path) -> None:
    """Words of a first-person statement credited to a person the statement never
    names are its author's, not theirs: a speaker mismatch, and the name is no missing
    detail; a person the source does name is checked as before."""
    (tmp_path / "statement.txt").write_text(
        "Written statement: tram services\nMade by: the Minister for Light Rail\nPublished 3 "
        "March 2031\n\nCrowding was the complaint heard most often in the survey. I "
        "have asked the operator to publish its loading figures every month. Depot manager "
        "Owen Pike will chair the new riders' panel.\n", encoding="utf-8")
    cite = " (Source: Written statement: tram services, 3 March 2031)"
    report = "\n\n".join([
        "Tramlink's chief executive, Henrike Solvang, said crowding was the complaint heard most "
        "often in the survey." + cite,
        "The minister said crowding was the complaint heard most often in the survey."
        + cite,
    ]) + "\n"
    claims = audit(extract(report, name="r"), load_sources(tmp_path))["claims"]
    assert claims[0]["flags"] == ["speaker_mismatch"] and not claims[0]["details"]
    assert claims[1]["flags"] == []


def test_a_contradiction_counts_from_a_lower_found_score(tmp_path: Path) -> None:
    """Evidence that says the opposite shares fewer words than agreement: a claim whose
    best sentence contradicts it is a negation flip, not "not found", once its found
    score reaches FLIP_FOUND; a claim about something else stays not found."""
    from whosaid.audit import FLIP_FOUND, found, found_score

    (tmp_path / "log.txt").write_text(
        "Kelby Fire Brigade call record\nDate: 12 March 2031\n\n"
        "Crews were called to a barn fire on Quarry Row at 03:40. The blaze is not being "
        "treated as deliberate for now. One lane was shut until dawn.\n",
        encoding="utf-8")
    cite = " (Source: Kelby Fire Brigade call record, 12 March 2031)"
    report = "\n\n".join(["The fire brigade is treating the blaze as sabotage." + cite,
                          "The farm owner has offered a reward." + cite]) + "\n"
    claims = audit(extract(report, name="r"), load_sources(tmp_path))["claims"]
    evidence = claims[0]["evidence"]
    # the premise: the contradicting sentence is not found outright, only close enough
    assert evidence and not found(evidence) and found_score(evidence) >= FLIP_FOUND
    assert claims[0]["flags"] == ["negation_flip"]
    assert claims[1]["flags"] == ["claim_not_found"]


def test_a_link_that_opens_its_sentence_vouches_for_that_sentence() -> None:
    """"[An earlier Gazette report](url) said ...": the link's words open the sentence it
    vouches for, not the sentence before it, also when a paragraph opens with it."""
    from whosaid.audit import claim_spans

    text = ("Parking charges will go up in May. [An earlier Gazette report](https://gazette."
            "example/fares) said charges would go up by 5 per cent.\n\n[The Gazette reported]"
            "(https://gazette.example/pier) that the pier will close. It will reopen in June.\n")
    doc = extract(text, name="r")
    spans = claim_spans(doc)
    assert [text[s:e].split("]")[0] for s, e in (sp[0] for sp in spans)] == [
        "An earlier Gazette report", "The Gazette reported"]
    assert [len(sp) for sp in spans] == [1, 1]


def test_a_role_the_source_quotes_may_be_the_named_speaker(tmp_path: Path) -> None:
    """"..., the minister said" in a source that never names the minister: a claim naming
    the minister is no speaker mismatch (the role may be that person); the name the
    source lacks stays a missing detail."""
    (tmp_path / "release.txt").write_text(
        "HALDEN LIGHT RAIL DEPARTMENT\nPress release\n7 March 2031\n\nCrowding was the "
        "complaint heard most often in the survey, the minister said on Monday.\n",
        encoding="utf-8")
    report = ("Light Rail Minister Kasimir Ravensholt said crowding was the complaint heard most "
              "often in the survey. (Source: Halden Light Rail Department press release, "
              "7 March 2031)\n")
    claim = audit(extract(report, name="r"), load_sources(tmp_path))["claims"][0]
    assert claim["flags"] == ["unsupported_detail"]
    assert claim["details"] == ["Kasimir", "Ravensholt"]


def test_strong_verb_forms_particles_and_figure_trends_flip() -> None:
    """A past participle no suffix rule undoes ("withdrawn") is its verb, so a
    withdrawal contradicts a confirmation; "come back" is no "back" (support); figures
    that move the other way ("from 72% to 58%", "2022/23: 40%; 2023/24: 47%")
    contradict a "rose" / "fell" that no word of the evidence says."""
    from whosaid.audit_checks import polarity_flip, trend

    assert polarity_flip("The trust had withdrawn the scheme.",
                         "The scheme will start in May, the trust has confirmed.")[0]
    assert not polarity_flip("The trust had withdrawn the scheme.",
                             "The trust withdrew the scheme in March.")[0]
    assert not polarity_flip(
        "The evening bus, cut in March, should come back by June.",
        "The evening bus, withdrawn in March, will be restored by June.")[0]
    assert trend("Satisfaction went from 72 per cent in 2023 to 58 per cent.") == "-"
    assert trend("Share recycled: 2022/23: 40 per cent; 2023/24: 47 per cent.") == "+"
    assert trend("The office is open from 9am to 5pm.") is None
    assert polarity_flip("Satisfaction with the service rose.",
                         "Satisfaction with the service went from 72 per cent to 58 per cent.")[0]
    assert not polarity_flip("Satisfaction with the service fell.",
                             "Satisfaction with the service went from 72 per cent to 58 per cent."
                             )[0]
    assert polarity_flip("The share recycled fell in 2023/24.",
                         "Share recycled: 2022/23: 40 per cent; 2023/24: 47 per cent.")[0]


def test_a_negated_attitude_flips_the_claim_that_holds_it(tmp_path: Path) -> None:
    """"X expects a verdict before 2034" against "I do not expect a verdict ... before
    2034": the attitude verb is part of what the claim says, and the negated clause
    about it counts even when a clause on the same subject shares more words; a clause
    that has the verb itself answers instead."""
    from whosaid.audit_checks import polarity_flip

    ev = ("Ministers will pay for a survey of a new aqueduct over the Wenlow "
          "moor. I do not expect a verdict on building an aqueduct before 2034.")
    assert polarity_flip("expects a verdict on a new aqueduct over the Wenlow moor "
                         "before 2034.", ev)[0]
    assert not polarity_flip("Officials expect the ferry to sail in 2027.",
                             "Officials expect the ferry to sail in 2027; they do not expect "
                             "the barge to sail before 2031.")[0]
    (tmp_path / "statement.txt").write_text(
        "Written statement: waterways\nMade by: Minister for Inland Waterways, Ruth Danvers\n"
        "Made on: 9 April 2026\n\n" + ev + "\n", encoding="utf-8")
    report = ("Ms Danvers expects a verdict on a new aqueduct over the Wenlow moor before "
              "2034. (Source: Written statement: waterways, 9 April 2026)\n")
    claim = audit(extract(report, name="r"), load_sources(tmp_path))["claims"][0]
    assert "negation_flip" in claim["flags"]


def test_a_defined_term_speaks_for_the_body_it_defines(tmp_path: Path) -> None:
    """'Marlow Rail Services Limited ("the Operator")': what a sentence gives "the
    Operator" is Marlow Rail's, so a claim crediting Marlow Rail is no speaker
    mismatch; one crediting another body still is."""
    from whosaid.audit import _defined_terms

    text = ('1. The Transport Standards Board ("the Board") has fined Marlow Rail Services '
            'Limited ("the Operator") £250,000. She lives in Kelby (Drisk).')
    assert dict(_defined_terms(text)) == {
        frozenset({"board"}): frozenset({"transport", "standards", "board"}),
        frozenset({"operator"}): frozenset({"marlow", "rail", "services", "limited"})}
    (tmp_path / "notice.txt").write_text(
        "Notice of penalty\n12 May 2025\n\n" + text.rsplit(" She", 1)[0] + "\n\n"
        "2. The Operator said that it accepted the findings in full.\n", encoding="utf-8")
    cite = " (Source: Notice of penalty, 12 May 2025)"
    report = "\n\n".join(["Marlow Rail said it accepted the findings in full." + cite,
                          "Harlow Coaches said it accepted the findings in full." + cite]) + "\n"
    claims = audit(extract(report, name="r"), load_sources(tmp_path))["claims"]
    assert "speaker_mismatch" not in claims[0]["flags"]
    assert "speaker_mismatch" in claims[1]["flags"]


def test_a_defined_term_takes_one_body_and_scans_in_linear_time() -> None:
    """A defined term names the body just before it, not a council the sentence joins to
    it with "and"; and the scan starts names only at word starts, so a 50,000-character
    capital token or "A-A-..." run (a hash, a rule line) takes well under two CPU
    seconds (the unanchored pattern took over a minute)."""
    import time

    from whosaid.audit import _defined_terms

    text = ("The deal between Kelby Borough Council and Marlow Rail Services Limited (the "
            "Operator) runs to 2031.")
    assert dict(_defined_terms(text)) == {
        frozenset({"operator"}): frozenset({"marlow", "rail", "services", "limited"})}
    for big in ("Q" * 50000, "A-" * 25000, "Kelby Quay (the Quay) " + "F0" * 25000):
        _defined_terms.cache_clear()
        t0 = time.process_time()
        _defined_terms(big)
        assert time.process_time() - t0 < 2.0


def test_a_name_given_elsewhere_is_no_evidence_for_the_wrong_one() -> None:
    """"a unit for Fenwold Cottage Hospital" against "a unit at Pellow Street Hospital":
    another sentence naming Fenwold Cottage Hospital (about something
    else) does not vouch for it, its own words aside; a figure another sentence gives
    next to the claim's words still does."""
    from whosaid.audit import _elsewhere, source_from_text
    from whosaid.audit_checks import detail_mismatches

    src = source_from_text("Yearbook 2026\n\nThe board will order a second dialysis "
                           "unit at Pellow Street Hospital.\n\nFenwold Cottage "
                           "Hospital is to get a bigger garden.\n", "yearbook")
    claim = "The board will order a second dialysis unit for Fenwold Cottage Hospital."
    ev = "The board will order a second dialysis unit at Pellow Street Hospital."
    missing = detail_mismatches(claim, ev)
    assert missing == ["Fenwold Cottage Hospital"]
    assert _elsewhere(missing, claim, src) == ["Fenwold Cottage Hospital"]
    src2 = source_from_text("Release\n\nThe board will order a dialysis unit.\n\nThe "
                            "board's dialysis unit is priced at £3 million.\n", "release")
    claim2 = "The board will order a dialysis unit priced at £3 million."
    assert _elsewhere(detail_mismatches(claim2, "The board will order a dialysis unit."),
                      claim2, src2) == []


def test_acronyms_quarters_and_small_words_in_names_link(tmp_path: Path) -> None:
    """A citation may name its source by an acronym of the source's name ("KDRA" for the
    Kelby Docks and Rivers Authority, "LWU" spelled out in a heading), write "Q2" for
    "second quarter", or cite a publisher whose name has small words ("(Letters from the
    Quay, 3 May 2025)"); a lone acronym links only with a date that agrees."""
    from whosaid.audit_sources import initials, link, load_sources, words

    assert "kdra" in initials("Kelby Docks and Rivers Authority")
    assert "lwu" in initials("LIGHTHOUSE WORKERS UNION (LWU)")
    # fewer than three letters without the small words: only the long form counts
    assert initials("Friends of the Harbour") == {"foth"}
    assert words("Q2 2026 results call") == ["second", "quarter", "result", "call"]
    (tmp_path / "bulletin.txt").write_text(
        "Kelby Docks and Rivers Authority\nRiver level bulletin\nIssued: 12.03.2025\n\n"
        "The Lune at Kelby Bridge rose by 40 cm overnight.\n", encoding="utf-8")
    (tmp_path / "call.txt").write_text(
        "Marrow Freight plc\nSecond Quarter 2026 Results Call Transcript\nJuly 29, 2026\n\n"
        "Operator: Hello and welcome.\n", encoding="utf-8")
    (tmp_path / "blog.md").write_text(
        "---\ntitle: Why the quay matters\nauthor: Tove Lindgren\nblog: Letters from the Quay\n"
        "date: 2025-05-03\n---\n\nThe quay employs 300 people.\n", encoding="utf-8")
    srcs = load_sources(tmp_path)
    assert link("KDRA, 12/03/2025", None, srcs)["link"]["document"] == "bulletin"
    assert link("KDRA", None, srcs)["link"] is None  # no date: an acronym alone names none
    assert link("KDRA, 19 March 2025", None, srcs)["link"] is None
    assert link("Marrow Freight, Q2 results call, 29/07/2026", None, srcs)["link"][
        "document"] == "call"
    doc = extract("The quay employs 300 people (Letters from the Quay, 3 May 2025). Staff "
                  "morale is low (one crane driver). Talks stalled (insiders briefed on "
                  "lock repairs).\n", name="r")
    assert [c.label for c in doc.citations] == [
        "Letters from the Quay, 3 May 2025", "one crane driver",
        "insiders briefed on lock repairs"]


def test_minor_units_durations_shares_of_two_amounts_and_decisions() -> None:
    """Pence are not cents; "a two-day strike" is "the 48-hour strike" and "an hour and a
    half" no share; "more than half" is two amounts of one unit; "decided against" and
    "turned down" reject, "continuing" is the opposite of "stopped", and a decision word
    at the end of a hyphen compound ("council-backed") decides nothing."""
    from whosaid.audit_checks import detail_mismatches, missing_names, polarity_flip

    assert detail_mismatches("a levy of 7.5p a litre", "a levy of 7.5 cents a litre"
                             ) == ["7.5p"]
    assert detail_mismatches("a levy of 7.5p a litre", "a levy of 7.5 pence") == []
    assert detail_mismatches("A two-day strike starts on 3 May.",
                             "The 48-hour strike starts on 3 May.") == []
    assert detail_mismatches("A three-day strike starts on 3 May.",
                             "The 48-hour strike starts on 3 May.") == ["3"]
    assert detail_mismatches("Rain fell for an hour and a half.", "Rain fell for 90 minutes."
                             ) == []
    assert detail_mismatches("Rent takes more than half of his pay.",
                             "His pay is £1,800. Rent takes £1,000 of it.") == []
    assert detail_mismatches("Rent takes a third of his pay.",
                             "His pay is £1,800. Rent takes £1,000 of it.") == ["a third"]
    assert missing_names("The post by Ines Varga-Holm said so.", "Ines Varga-Holm wrote",
                         set()) == []
    assert polarity_flip("The wardens agreed to fit a second lift in the library.",
                         "The wardens decided against fitting a second lift in the library.")[0]
    assert polarity_flip("The council turned down the hotel plan.",
                         "The council approved the hotel plan.")[0]
    assert polarity_flip("Work on the site was continuing.", "Work on the site has stopped.")[0]
    assert not polarity_flip("The council turned down a scheme to lift fares on council-backed "
                             "trams.", "The council considered a scheme to lift fares on "
                             "council-backed trams. It rejected the scheme.")[0]


def test_decided_infinitives_intentions_and_negated_alternatives(tmp_path: Path) -> None:
    """"decided against renewing" contradicts "agreed to renew"; an intention is no
    approval, so "intends to contest" against "rejected the challenge" is no flip; a
    decision cue before an infinitive ("agreed to build") stays with what was decided;
    "no lamp or cone had been put out" denies the cone as well as the lamp."""
    from whosaid.audit_checks import polarity_flip

    assert polarity_flip("The museum decided against renewing the lease on the annexe.",
                         "The museum agreed to renew the lease on the annexe.")[0]
    assert not polarity_flip("The club intends to contest the fine.",
                             "The league rejected the club's challenge.")[0]
    assert polarity_flip("A cone had been put out beside the trench.",
                         "The foreman told the hearing that no lamp or cone had been put out "
                         "beside the trench.")[0]
    (tmp_path / "plan.txt").write_text(
        "Kelby Estuary Guild\nLayout plan review\n14 August 2026\n\nAfter a public "
        "meeting, the estuary guild decided against building a slipway in its layout plan "
        "for the foreshore.\n", encoding="utf-8")
    report = ("The estuary guild has agreed to build a slipway in its layout plan for the "
              "foreshore. (Source: Kelby Estuary Guild layout plan review, 14 August 2026)\n")
    claim = audit(extract(report, name="r"), load_sources(tmp_path))["claims"][0]
    assert claim["flags"] == ["negation_flip"]


def test_names_alone_on_a_line_open_transcript_turns() -> None:
    """An earnings call or hearing writes each turn under the speaker's name on a line of
    its own: the name is the turn's speaker when three paragraphs open so and one name
    opens two; a letterhead's name line is no turn."""
    from whosaid.audit import _line_labels, _speaker_label

    call = ("Marrow Freight plc\nSecond quarter results call\n\nOperator\nWelcome to the "
            "call.\n\nIrma Castell\nThank you. Volumes rose by 3 per cent.\n\nTeodor Lund\n"
            "Thanks, Irma. Net debt fell to €90 million.\n\nOperator\nNext on the line "
            "is Ana Ruiz.\n\nAna Ruiz\nIs the Kelby line closing?\n\nIrma Castell\n"
            "No, we will keep it open.\n")
    assert {"Operator", "Irma Castell", "Teodor Lund", "Ana Ruiz"} <= _line_labels(call)
    assert _speaker_label(call, call.index("Net debt")) == "Teodor Lund"
    assert _speaker_label(call, call.index("keep it open")) == "Irma Castell"
    letter = ("Kelby Port Authority\nHarbour Office, Kelby\n\nDear resident,\nThe slipway "
              "will shut in May.\n\nYours,\nAda Brett\n")
    assert _line_labels(letter) == frozenset()
    assert _speaker_label(letter, letter.index("slipway")) is None


def test_the_cited_outlet_reporting_is_no_speaker(tmp_path: Path) -> None:
    """"Lanternfold Bugle reported that ..." of a story published on lanternfoldbugle.example is the
    document speaking: no speaker mismatch with the union the story quotes."""
    from whosaid.audit import _own_host, source_from_text

    src = source_from_text("Tram drivers back a walkout\nBy Ines Varga\n\nTram drivers in "
                           "Kelby have backed a walkout, a union official confirmed.\n\n"
                           "https://lanternfoldbugle.example/2026/02/11/tram-walkout\n", "post")
    assert _own_host(src, {"lanternfold", "bugle"}) and not _own_host(src, {"lanternfold"})
    (tmp_path / "post.txt").write_text(src.text, encoding="utf-8")
    report = ("Lanternfold Bugle reported that tram drivers in Kelby had backed a walkout. "
              "(Source: https://lanternfoldbugle.example/2026/02/11/tram-walkout)\n")
    claim = audit(extract(report, name="r"), load_sources(tmp_path))["claims"][0]
    assert "speaker_mismatch" not in claim["flags"]


def test_more_general_opposites_and_the_verb_a_relative_clause_hangs_on() -> None:
    """Pairs of one news sense from WordNet's direct antonyms ("overstated" /
    "understated", "speed up" / "slow", "discontinued" / "continues", "compulsory" /
    "voluntary"), also when the opposite is the verb a relative clause hangs on ("agreed
    to slow the rate at which it hires staff")."""
    from whosaid.audit_checks import polarity_flip

    assert polarity_flip("The audit overstated the cost.", "The audit understated the cost.")[0]
    assert polarity_flip("The night tram route was discontinued.",
                         "The night tram route continues.")[0]
    assert polarity_flip("The scheme is compulsory for landlords.",
                         "The scheme is voluntary for landlords.")[0]
    assert polarity_flip("The firm chose to speed up its hiring of staff.",
                         "The panel agreed to slow the rate at which it hires staff.")[0]
    assert not polarity_flip("The firm decided to slow its hiring of staff.",
                             "The panel agreed to slow the rate at which it hires staff.")[0]


def test_a_miscopied_figure_is_a_wrong_detail_not_a_missing_claim() -> None:
    """"GBP 736,900" for "GBP 763,900" (two digits swapped) or "1,364 members" for "1,384
    members" (one digit changed) is a wrong figure for what the source says; two-digit
    numbers, other units, other sizes and bare counts of different things ("125 staff",
    "152 beds") are not read as miscopies."""
    from whosaid.audit import _miscopied

    assert _miscopied("She spent €736,900 on the roof.", "She spent €763,900 on the roof.")
    assert _miscopied("Of 1,907 members, 1,364 members voted.", "1,384 members voted.")
    assert not _miscopied("The 125 staff moved.", "The ward has 152 beds.")
    assert not _miscopied("She spent £736,900.", "She spent €763,900.")
    assert not _miscopied("37 cars were towed.", "73 cars were towed.")
    assert not _miscopied("£3 million was spent.", "£2 million was spent.")
    assert not _miscopied("It opened in 2024.", "It opened in 2025.")


def test_headings_trends_shares_compounds_and_strong_attitude_verbs() -> None:
    """Repeated one-word section headings of minutes are no transcript turns; a trend is
    read from the clauses about the claim only; a share needs two amounts with a unit,
    not bare counts of different things; "a tax-cut" keeps its "cut" (only a participle
    ends a compound adjective); "thought", "knew" are attitude cues like "believes"."""
    from whosaid.audit import _attitude, _line_labels, _speaker_label
    from whosaid.audit_checks import detail_mismatches, polarity_flip, trend

    minutes = ("Kelby Harbour Committee\nMinutes of 4 May\n\nDecision\nThe committee "
               "approved the new berth.\n\nDecision\nThe committee refused the rent rise.\n\n"
               "Actions\nThe clerk will write to tenants.\n")
    assert _line_labels(minutes) == frozenset()
    assert _speaker_label(minutes, minutes.index("rent rise")) is None
    ev = "Attendance at the library stayed high. Overdue fines went from 90 to 30."
    assert trend(ev) == "-"
    assert not polarity_flip("Attendance at the library rose.", ev)[0]
    assert polarity_flip("Attendance at the library rose.",
                         "Attendance at the library went from 90 to 30 a day.")[0]
    assert detail_mismatches("A quarter of the 40 wardens moved.",
                             "The 40 wardens work from 10 new depots.") == ["A quarter"]
    assert detail_mismatches("More than half of the riders came back.",
                             "The club has 300 riders, 12 coaches and 20 helpers.") == ["half"]
    assert polarity_flip("The budget brings a tax-cut for drivers.",
                         "The budget brings a tax rise for drivers.")[0]
    assert all(_attitude(w) for w in ("thought", "knew", "felt", "understood", "believes"))
    assert not _attitude("said")


def test_a_reference_style_link_keeps_its_words_in_the_claim() -> None:
    text = ("The [tariff review][3] kept the ferry fares flat for a second year.\n\n"
            "[3]: https://ferries.example/tariff-review\n")
    cits = find_citations(text, [], [])
    assert [c.text for c in cits] == ["[tariff review][3]"]
    claim = " ".join(masked(text, cits).split("\n")[0].split())
    assert claim == "The tariff review kept the ferry fares flat for a second year."
