"""Source metadata and citation linking (``whosaid.audit_sources``) on texts written for it."""

from __future__ import annotations

import pytest

from whosaid.audit_sources import (
    citation_fields,
    find_dates,
    link,
    norm_url,
    source_from_text,
)


@pytest.mark.parametrize(("written", "iso"), [
    ("3 March 2025", "2025-03-03"), ("March 3, 2025", "2025-03-03"),
    ("2025-03-03", "2025-03-03"), ("03/03/2025", "2025-03-03"),
    ("3rd of March 2025", "2025-03-03"), ("Mar. 3, 2025", "2025-03-03"),
    ("13/03/2025", "2025-03-13"), ("03/13/2025", "2025-03-13"), ("12.03.2025", "2025-03-12"),
    ("2025-04-02T09:00:00Z", "2025-04-02"), ("February 2025", "2025-02"), ("6 March", "--03-06"),
])
def test_date_forms(written: str, iso: str) -> None:
    assert [d.iso() for _s, _e, d in find_dates(f"Issued {written} by the board")] == [iso]


def test_no_date_in_ordinary_words() -> None:
    assert find_dates("5 market stalls and 3 mayors met in the A9 lay-by") == []


def test_url_normalisation() -> None:
    key = "dunmereferries.example/notices/winter-timetable"
    for url in ("HTTP://WWW.DunmereFerries.example/notices/winter-timetable/",
                "https://dunmereferries.example/notices/winter-timetable?utm_source=x&fbclid=1",
                "www.dunmereferries.example/notices/winter-timetable#top",
                "https://dunmereferries.example:443/notices/winter-timetable/index.html"):
        assert norm_url(url) == key, url
    assert norm_url("https://a.example/p?id=3&utm_medium=mail") == "a.example/p?id=3"


def test_metadata_from_a_letterhead_and_a_byline() -> None:
    release = source_from_text(
        "MINISTRY OF WATERWAYS\nPRESS RELEASE\n\nFor immediate release: 3 March 2025\n\n"
        "Canal locks to reopen in spring\n\nThe ministry said the locks would reopen in "
        "April after repairs costing €3 million.\n", "locks")
    m = release.meta
    assert (m.publisher, m.date, m.type, m.title) == (
        "Ministry of Waterways", "2025-03-03", "press release", "Canal locks to reopen in spring")
    news = source_from_text(
        "Ferry fares frozen for islanders\nBy Ada Brook | Coast Gazette | March 5, 2025\n\n"
        "The ferry operator said fares would not rise this winter, and that the timetable "
        "is online.\nhttps://ferries.example/fares\n", "fares")
    assert (news.meta.author, news.meta.publisher, news.meta.date) == (
        "Ada Brook", "Coast Gazette", "2025-03-05")
    assert news.meta.urls == ["https://ferries.example/fares"]  # a URL in the body counts


def test_metadata_from_an_html_page() -> None:
    page = ("<html><head><title>Tide report 2024 | Harbour Trust</title>"
            '<meta property="og:site_name" content="Harbour Trust">'
            '<meta name="author" content="Rhea Cole">'
            '<meta property="article:published_time" content="2025-01-09T08:00:00Z">'
            '<link rel="canonical" href="https://harbour.example/tides/2024/">'
            "<script>var x = 1;</script></head><body><h1>Tide report 2024</h1>"
            "<p>High tides rose by 4 cm on average, see "
            '<a href="https://harbour.example/data">the data</a>.</p></body></html>')
    src = source_from_text(page, "tides")
    m = src.meta
    assert (m.title, m.publisher, m.author, m.date) == (
        "Tide report 2024", "Harbour Trust", "Rhea Cole", "2025-01-09")
    assert m.urls[0] == "https://harbour.example/tides/2024/"
    assert "var x" not in src.text and "[the data](https://harbour.example/data)" in src.text
    assert m.found_in["date"] == "meta article:published_time"


def _folder() -> list:
    return [
        source_from_text("Title: Arrests after warehouse fire\nPublisher: Fenland Police\n"
                         "Date: 17 February 2025\nType: Press release\n\nTwo men were "
                         "arrested after a fire on Mill Lane.\n", "arson"),
        source_from_text("Title: Speed cameras on the coast road\nPublisher: Fenland Police\n"
                         "Date: 24 February 2025\nType: Press release\n\nSix cameras will be "
                         "switched on in March.\n", "cameras"),
        source_from_text("IN THE HIGH COURT\n\nMarsh Quarry Ltd v Fenland District Council\n\n"
                         "Judgment of 4 February 2025\n\nThe appeal is dismissed.\n", "quarry"),
        source_from_text("FENLAND DISTRICT COUNCIL\nMinutes of the meeting of 11 February 2025"
                         "\n\nThe council voted to close the pool for repairs.\n", "minutes"),
    ]


@pytest.mark.parametrize(("label", "doc"), [
    ("Fenland Police, 24 February 2025", "cameras"),  # publisher + date
    ("Fenland Police press release, 17/02/2025", "arson"),  # + type, numeric date
    ("Arrests after warehouse fire", "arson"),  # exact title
    ("Marsh Quarry v Fenland", "quarry"),  # a shortened case name
    ("Fenland District Council minutes", "minutes"),  # document type
])
def test_linking_on_every_field(label: str, doc: str) -> None:
    got = link(label, None, _folder())
    assert got["link"] is not None and got["link"]["document"] == doc, got


def test_near_miss_and_generic_labels() -> None:
    srcs = _folder()
    near = link("Fenland Police press release, 3 March 2025", None, srcs)
    assert near["link"] is None
    assert near["near_miss"]["documents"] == ["arson", "cameras"]
    assert near["near_miss"]["conflicts"] == ["date"]
    assert link("police sources", None, srcs)["link"] is None  # one shared word is not enough
    assert link("official figures", None, srcs)["near_miss"] is None


def test_citation_fields_read_urls() -> None:
    cf = citation_fields("Vale Radio", "https://radio.example/morning-line/2025-03-06?utm_x=1")
    assert [d.iso() for d in cf.dates] == ["2025-03-06"]
    assert "morn" in cf.url_words or "morning" in cf.url_words


def test_judgment_party_lines_give_the_case_name_and_year_decides() -> None:
    """"Between: X Claimant - and - Y Defendant" is the case "X v Y"; a citation of the
    same parties in another year is a near miss, not a link."""
    text = ("IN THE HIGH COURT OF EASTLAND\n\nNeutral citation: [2024] EHC 7\n\nBetween:\n"
            "THE KING on the application of RIVERSIDE TENANTS UNION    Claimant\n- and -\n"
            "EASTLAND CITY COUNCIL    Defendant\n\nJudgment handed down on 3 May 2024\n\n"
            "1. The claim succeeds.\n")
    src = source_from_text(text, "judgment")
    assert src.meta.case_names[-1] == "Riverside Tenants Union v Eastland City Council"
    assert src.meta.date == "2024-05-03"
    same = link("R (Riverside Tenants Union) v Eastland City Council [2024] EHC 7", None, [src])
    assert same["link"] and same["link"]["method"] == "case name"
    other = link("R (Riverside Tenants Union) v Eastland City Council [2021] EHC 40", None,
                 [src])
    assert other["link"] is None and other["near_miss"]["conflicts"] == ["year"]


def test_publication_date_wins_over_a_period_and_bullets_end_the_heading() -> None:
    text = ("Northfield Mills plc\nResults for the year ended 31 December 2024\n"
            "Published 4 March 2025\n\n• Revenue of £80 million\n• Profit up 3%\n")
    m = source_from_text(text, "results").meta
    assert m.date == "2025-03-04" and m.publisher == "Northfield Mills plc"
    assert not any("Revenue" in h for h in m.heading)
    bulletin = ("Eastland Statistics Office\nStatistical bulletin\n"
                "Jobs in Eastland: April to June 2025\nRelease date: 14/08/2025\n"
                "Next release: November 2025\n")
    m = source_from_text(bulletin, "jobs").meta
    assert m.date == "2025-08-14" and m.title == "Jobs in Eastland: April to June 2025"


def test_pipe_line_and_sign_off_give_publisher_and_date() -> None:
    m = source_from_text("Eastland Constabulary | News | 2 June 2025\n\nTwo men were "
                         "arrested on Monday after a burglary.\n", "police").meta
    assert m.publisher == "Eastland Constabulary" and m.date == "2025-06-02"
    m = source_from_text("Statement on the ferry timetable\n\nThe ferry will run twice a "
                         "day from July.\n\nBlue Line Ferries, 9 June 2025\n", "ferry").meta
    assert m.date == "2025-06-09" and m.publisher == "Blue Line Ferries"


def test_transcript_by_turns_years_of_date_and_url_of_another_page() -> None:
    """A text told in speaker turns is a transcript whatever its heading mentions; a
    judgment's years are its date's and title's, not the earlier ruling its heading
    names; a URL on the source's own site with another path is a near miss."""
    phone_in = source_from_text(
        "Radio Kelby - Open Line\nBroadcast: 19 June 2025\nTopic: the bus lane ruling\n"
        "Listen again: https://radiokelby.example/open-line/2025-06-19\n\n"
        "ANN MOSS: Good morning. Lines are open.\n\nRAY (ASHBY): Morning, Ann. The fares are "
        "too high.\n\nANN MOSS: Thank you, Ray.\n", "phone-in")
    assert phone_in.meta.type == "transcript"
    keys = source_from_text("KELBY BUSES\nURL: https://kelbybuses.example/news\nCONTACT: Sam Cole"
                            "\nDATE: 3 May 2025\n\nFares will rise in June.\n", "keys")
    assert keys.meta.type != "transcript"  # header keys, each once, are no turns
    assert link("Radio Kelby, 19 June 2025, phone-in transcript", None,
                [phone_in])["link"]["document"] == "phone-in"
    other = link("[Radio Kelby Open Line](https://radiokelby.example/open-line/2025-05-02)",
                 None, [phone_in])
    assert other["link"] is None and "url" in other["near_miss"]["conflicts"]
    assert link("[Radio Kelby Open Line](https://radiokelby.example/open-line/2025-06-19)",
                None, [phone_in])["link"]["method"] == "url"
    appeal = source_from_text(
        "IN THE COURT OF APPEAL\nPRESS SUMMARY\n\nAshby Traders Ltd v Kelby Council [2025] "
        "CA 12\nOn appeal from the High Court, [2024] HC 88\nJudgment handed down on 17 June "
        "2025\n\nThe Court allowed the appeal.\n", "appeal")
    assert link("Ashby Traders Ltd v Kelby Council, 2025", None,
                [appeal])["link"]["document"] == "appeal"
    assert link("High Court, 2024, judgment", None, [appeal])["link"] is None
    assert link("the 2024 judgment in Ashby Traders Ltd v Kelby Council", None,
                [appeal])["link"] is None


_BODY = ("The council will cut the evening ferry service from May, the leader said. Fares will "
         "rise by 5 per cent.\n")


def test_a_home_page_in_a_letterhead_or_another_spelling_of_the_page_still_links() -> None:
    """Only another *page* of the source's own site is a near miss: a letterhead's home
    page names no document, and ".html", a query or the site's root are the same page
    or none."""
    letterhead = source_from_text(
        "MERROW COUNTY COUNCIL | www.merrowcouncil.gov.uk\nPress release\nFerry timetable to "
        "change\n3 March 2025\n\n" + _BODY, "letterhead")
    got = link("[council press release](https://www.merrowcouncil.gov.uk/news/ferry-change)",
               None, [letterhead])
    assert got["link"] and got["link"]["document"] == "letterhead"
    page = source_from_text(
        "Title: Ferry timetable to change\nPublisher: Merrow County Council\nDate: 3 March "
        "2025\nURL: https://www.merrowcouncil.gov.uk/news/ferry-timetable\n\n" + _BODY, "page")
    for url in ("https://www.merrowcouncil.gov.uk/news/ferry-timetable.html",
                "https://www.merrowcouncil.gov.uk/news/ferry-timetable?lang=en",
                "https://www.merrowcouncil.gov.uk/"):
        got = link(f"[Ferry timetable to change]({url})", None, [page])
        assert got["link"] and got["link"]["document"] == "page", url
    other = link("[Ferry timetable to change](https://merrowcouncil.gov.uk/news/ferry-2024)",
                 None, [page])
    assert other["link"] is None and "url" in other["near_miss"]["conflicts"]


def test_years_of_the_period_a_source_covers_count_those_of_another_document_do_not() -> None:
    """An annual report published in 2025 "for the year 2024/25" is the 2024/25 report, and
    last year's is a near miss; a judgment's hearing dates and the ruling it is an appeal
    from give it no year."""
    report = source_from_text(
        "Greyholm Hospitals NHS Trust\nAnnual Report and Accounts\nFor the year 2024/25\n"
        "Published 30 June 2025\n\nThe trust treated 41,000 patients in the year.\n", "ar")
    assert link("the trust's annual report for 2024/25", None, [report])["link"]
    last = link("Greyholm Hospitals NHS Trust, Annual Report 2023/24", None, [report])
    assert last["link"] is None and last["near_miss"]["conflicts"] == ["year"]
    ruling = source_from_text(
        "IN THE COURT OF APPEAL\nHarlan Quarry Ltd v Ostmoor Town Council\nOn appeal from the "
        "High Court [2024] EWHC 77 (KB)\nHearing dates: 3 and 4 March 2024\nJudgment date: 14 "
        "May 2025\n\n1. This appeal concerns the quarry permit.\n", "ruling")
    assert link("Harlan Quarry Ltd v Ostmoor Town Council [2025] EWCA Civ 12", None,
                [ruling])["link"]
    high = link("Harlan Quarry Ltd v Ostmoor Town Council [2024] EWHC 77 (KB)", None, [ruling])
    assert high["link"] is None and high["near_miss"]["conflicts"] == ["year"]


def test_a_statement_told_in_turns_keeps_its_type_and_is_its_transcript_too() -> None:
    """Turns make a transcript only when no title or opening line names another type: a
    chief constable's statement with questions is cited as a statement or a transcript,
    a committee report quoting oral evidence as a report; a phone-in whose topic line
    mentions a ruling is no judgment."""
    statement = source_from_text(
        "Statement by the Chief Constable on the Dunmere protest\nMerrow Constabulary\n"
        "4 April 2025\n\nCHIEF CONSTABLE: We will review every arrest.\nREPORTER: Will officers "
        "be disciplined?\nCHIEF CONSTABLE: If the review finds fault, yes.\n"
        "REPORTER: When?\nCHIEF CONSTABLE: By May.\n", "statement")
    assert statement.meta.type == "statement"
    for label in ("Merrow Constabulary, statement by the Chief Constable, 4 April 2025",
                  "transcript of the Chief Constable's statement on the Dunmere protest, 4 "
                  "April 2025"):
        assert link(label, None, [statement])["link"], label
    assert link("Merrow Constabulary, Chief Constable letter, 4 April 2025", None,
                [statement])["link"] is None
    committee = source_from_text(
        "Transport Committee report: Ferry services\nMerrow Assembly\nPublished 2 June 2025\n\n"
        "CHAIR: Why were sailings cut?\nDIRECTOR: Demand fell.\nCHAIR: Will they return?\n"
        "DIRECTOR: Not this year.\n", "committee")
    assert committee.meta.type == "report"
    assert link("Merrow Assembly Transport Committee report on ferry services, June 2025",
                None, [committee])["link"]
    phone_in = source_from_text(
        "Radio Merrow: Coastline Tonight\nTopic: the ruling on the quarry\nBroadcast 15 May "
        "2025\n\nJONAS BRIEL (PRESENTER): Good evening.\nRAY (SALTCOTE): It is a disgrace.\n"
        "JONAS BRIEL (PRESENTER): Thanks, Ray.\n", "phone-in")
    assert phone_in.meta.type == "transcript"
    assert link("Radio Merrow, Coastline Tonight ruling, 15 May 2025", None,
                [phone_in])["link"] is None


def test_org_heads_are_the_extractors_and_a_surname_is_no_body() -> None:
    """One list of organisation heads: the extractor's, without the words of "White
    House" that are surnames ("Jack White"), plus publishers' heads ("Gazette", "Ltd")."""
    from whosaid.audit_sources import ORG_HEADS
    from whosaid.extract import lexicon

    assert lexicon.ORG_HEADS - {"white", "house"} <= ORG_HEADS
    assert {"gazette", "ltd", "constabulary"} <= ORG_HEADS
    assert not {"white", "house"} & ORG_HEADS
    white = source_from_text("By Jack White\nKelby Gazette\n4 May 2025\n\nThe ferry will stop "
                             "running in June, the council said on Friday.\n", "w")
    assert white.meta.author == "Jack White" and white.meta.publisher == "Kelby Gazette"


def test_a_host_that_runs_the_owners_words_together_names_it() -> None:
    """"fenholthealth.example" is "Fenholt Health (Board)": joined name words count as
    URL words, so a link to the board's minutes finds the minutes that carry no URL."""
    minutes = source_from_text(
        "Fenholt Health Board\nMinutes of the Board Meeting held in Public\n1 October 2025\n\n"
        "The board approved the plan.\n", "minutes")
    other = source_from_text("Tollmouth City Council\nPress release\n1 October 2025\n\nRoads "
                             "will be resurfaced.\n", "council")
    for label in ("[minutes](https://fenholthealth.example/board/2025-10-01-minutes)",
                  "[the October meeting](https://fenholthealth.example/2025-10-01-meeting)"):
        got = link(label, None, [minutes, other])
        assert got["link"] and got["link"]["document"] == "minutes", label
    assert link("[the council's October notice](https://kelbyroads.example/notice)", None,
                [minutes, other])["link"] is None


def test_find_dates_is_linear_in_the_number_of_dates() -> None:
    # each date used to be checked against every date read before it: 6,000 dates took
    # 7 s of CPU; the quantities of a dated table read them all
    import time

    def cpu(text: str) -> float:
        t0 = time.process_time()
        find_dates(text)
        return time.process_time() - t0

    row = "14 June 2029, 8.15am; "
    # four times the dates: linear is x4, quadratic x16; the sizes keep each run well
    # above the timer's noise (a 2x step of tens of milliseconds failed once under load)
    small, big = row * 4000, row * 16000
    assert len(find_dates(big)) == 4 * len(find_dates(small)) == 16000
    t_small = min(cpu(small) for _ in range(3))
    t_big = min(cpu(big) for _ in range(3))
    assert t_big < 8 * max(t_small, 0.02)
    assert t_big < 6.0
