"""Audit claim checks, session 9: figures on long texts, key-value notices, and two
negative words for one outcome. Every text here is invented for these tests."""

from __future__ import annotations

import time
from pathlib import Path

from whosaid import extract
from whosaid.audit import _KV_LINE, _kv_blocks, audit, load_sources
from whosaid.audit_checks import _words, polarity_flip, quantities
from whosaid.extract.citations import regex_sentences


def _cpu(fn: object, *args: object) -> float:
    t0 = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - t0


def test_quantities_is_linear_in_the_number_of_figures() -> None:
    # a long table of figures: each figure used to be checked against every one before
    # it (15-21 s for 25,000 figures)
    text = "1 " * 25000
    assert len(quantities(text)) == 25000
    assert _cpu(quantities, text) < 4.0
    # twice the figures, about twice the time (a quadratic scan takes four times)
    small, big = "£3.5 million, 12% and 4 in 10; " * 1500, "£3.5 million, 12% and 4 in 10; " * 3000
    assert len(quantities(big)) == 2 * len(quantities(small)) == 9000
    t_small = min(_cpu(quantities, small) for _ in range(2))
    t_big = min(_cpu(quantities, big) for _ in range(2))
    assert t_big < 3.2 * max(t_small, 0.02)


def test_overlapping_figures_are_read_once() -> None:
    qs = quantities("At 7.30pm on 3 May 2031 about one in four of the 2,400 seats (25%) "
                    "were empty.")
    shown = sorted(q.show() for q in qs)
    # the date and the clock time are not read again as bare numbers
    assert shown == ["2400", "25%", "7.30pm", "one in 4"]


NOTICE = ("GUILD OF LIGHTHOUSE KEEPERS\nNOTICE OF POLL RESULT\n\n"
          "Poll: merger with the Coastal Wardens Association\n"
          "Poll opened: 2 June 2031\nPoll closed: 30 June 2031\n\n"
          "Members on the roll: 840\nPapers returned: 512 (61% of the roll)\nBlank papers: 4\n\n"
          "Question: Do you support the merger?\nYES: 398    NO: 110\n\n"
          "The general secretary thanked members for taking part in the poll.\n")
CITE = " (Source: Guild of Lighthouse Keepers, notice of poll result)"


def test_a_claim_built_from_key_value_lines_is_found_in_the_block(tmp_path: Path) -> None:
    (tmp_path / "poll.txt").write_text(NOTICE, encoding="utf-8")
    report = ("Lighthouse keepers backed the merger with the wardens by 398 votes to 110, on "
              "61 per cent of the roll taking part." + CITE + "\n\n"
              "Of 840 members on the roll, 521 returned a paper." + CITE + "\n\n"
              "The Coastal Wardens Association has left the guild." + CITE + "\n")
    claims = audit(extract(report, name="r"), load_sources(tmp_path))["claims"]
    assert [c["flags"] for c in claims][:2] == [[], ["unsupported_detail"]]
    # a claim that takes no figure from the block is not built from it, however many of
    # its names the block's labels give
    assert "Papers returned" not in (claims[2].get("evidence") or {}).get("text", "")
    ev = claims[0]["evidence"]["text"]
    assert "YES: 398" in ev and "512 (61%" in ev  # lines of the notice, as one unit
    assert claims[1]["details"] == ["521"]


def test_key_value_blocks_need_figures_and_more_than_metadata() -> None:
    def blocks(text: str) -> list[str]:
        return [text[a:b] for a, b in _kv_blocks(text, regex_sentences(text))]
    assert blocks(NOTICE) and "Papers returned: 512" in blocks(NOTICE)[0]
    # a plain header is no block, nor are a transcript's turns
    assert blocks("Title: Harbour dues\nDate: 4 May 2031\nAuthor: Ola Berg\n\nText.\n") == []
    turns = ("CHAIR: Item 4 is the budget for 2032, members.\n\nCLLR DUNN: I move that we "
             "approve 3 of the 5 bids today.\n\nCHAIR: Then we vote on 12 May as planned.\n")
    assert blocks(turns) == []
    # the line pattern stays linear on a long line without a colon, and on many colons
    for long in ("a" * 50000, "a:" * 25000, ("x " * 30 + ":") * 800):
        t0 = time.process_time()
        _KV_LINE.fullmatch(long)
        _kv_blocks(long, regex_sentences(long))
        assert time.process_time() - t0 < 1.0


def test_no_before_a_figure_counts_it() -> None:
    assert "no" not in _words("YES: 218  NO: 95")
    assert "no" not in _words("Bus No. 14 was late.")
    assert "no" in _words("The contractor is a small firm: no.")
    assert "no" in _words("There were no buses on 3 May.")


def test_two_negative_words_for_one_outcome_do_not_cancel() -> None:
    # the negation governs "made out", not the decision: both say the grievance failed
    assert polarity_flip("The panel upheld the grievance about unpaid overtime.",
                         "The grievance about unpaid overtime is not made out and is "
                         "dismissed.")[0]
    assert polarity_flip("The tribunal upheld the complaint about the rota.",
                         "The complaint about the rota is not proven and is "
                         "dismissed.")[0]
    assert polarity_flip("The panel upheld the appeal over the fence.",
                         "The appeal over the fence is not made out and is therefore "
                         "rejected.")[0]
    # a negator that governs the decision still cancels it
    assert not polarity_flip("The council approved the plan for the quay.",
                             "The council did not reject the plan for the quay.")[0]
    assert not polarity_flip("The tribunal did not uphold the complaint about pay.",
                             "The complaint about pay was dismissed.")[0]
    # upholding a ruling keeps it: dismissing the appeal against it agrees
    assert not polarity_flip("The court upheld the fine for the quarry.",
                             "The appeal against the fine for the quarry was dismissed.")[0]
    assert polarity_flip("The ombudsman upheld the complaint about the bins.",
                         "The complaint about the bins was not upheld.")[0]


def test_decision_patterns_are_linear() -> None:
    for long in ("complaint " * 5000 + "was upheld", "upheld " * 8000, "no " * 20000,
                 "the appeal is " * 4000):
        t0 = time.process_time()
        _words(long)
        assert time.process_time() - t0 < 1.5

