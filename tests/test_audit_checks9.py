"""Audit claim checks, session 9: figures on long texts, "no" before a figure, and two
negative words for one outcome. Every text here is invented for these tests."""

from __future__ import annotations

import time

from whosaid.audit_checks import _NO_FIGURE, _WRAP, _clauses, _words, polarity_flip, quantities


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


def test_no_before_a_figure_counts_it() -> None:
    assert "no" not in _words("YES: 218  NO: 95")
    assert "no" not in _words("Bus No. 14 was late.")
    assert "no" in _words("The contractor is a small firm: no.")
    assert "no" in _words("There were no buses on 3 May.")
    # the determiner "no" before a figure still negates: only a label numbers
    assert "no" in _words("The village has no 24-hour surgery.")
    assert "no" in _words("The guild has no 2034 plan yet.")
    assert "no" in _words("There are no 5 ferries on Mondays.")
    assert polarity_flip("The village has a 24-hour surgery.",
                         "The village has no 24-hour surgery.")[0]
    assert polarity_flip("There are 5 ferries on Mondays.",
                         "There are no 5 ferries on Mondays.")[0]


def test_a_second_predicate_with_its_own_object_does_not_flip() -> None:
    # "and will refuse X": the same subject, another thing decided
    claim = "The trust approved the grant for the museum."
    for tail in (" and is expected to reject the cafe lease.", " and will refuse the cafe lease.",
                 ", and has dismissed the cafe lease."):
        assert not polarity_flip(claim, claim[:-1] + tail)[0], tail


def test_upheld_reads_as_accepted_only_when_the_plea_is_upheld() -> None:
    # the appeal is not what was upheld: the ruling was
    assert polarity_flip("The judge upheld the order against the appeal.",
                         "The judge overturned the order against the appeal.")[0]
    assert "accepted" not in _words("Despite an appeal by the mill the curfew was upheld.")
    assert "accepted" not in _words("They claim that the curfew was upheld.")
    assert "accepted" in _words("The board upheld her overtime grievance.")
    assert "accepted" in _words("The objection by the neighbours was upheld.")


def test_a_wrapped_line_runs_on_as_one_clause() -> None:
    # a hard-wrapped source: the negator governs the verb on the next line
    assert not polarity_flip("The trust accepted the offer for the mill.",
                             "The trust has not\nrejected the offer for the mill.")[0]
    assert not polarity_flip("The panel upheld the complaint about the shifts.",
                             "The panel did not\ndismiss the complaint about the shifts.")[0]
    assert polarity_flip("The trust approved the offer.",
                         "The trust did not\napprove the offer.")[0]
    # lines of a form stay apart
    assert len(_clauses("YES: 318\nNO: 77")) >= 2


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
                 "the appeal is " * 4000, "complaint about the " * 5000 + "was upheld"):
        t0 = time.process_time()
        _words(long)
        assert time.process_time() - t0 < 1.5



def test_no_label_and_line_wrap_patterns_are_linear_on_blank_runs() -> None:
    # 100,000 blanks after "no" or between two words: bounded repeats, no rescan (the
    # patterns alone: other word patterns are timed above)
    def cpu(text: str) -> float:
        t0 = time.process_time()
        _NO_FIGURE.sub(" num ", text)
        _WRAP.sub(" ", text)
        return time.process_time() - t0
    for make in (lambda n: "No" + " " * n + "7", lambda n: "a" + " " * n + "\nb",
                 lambda n: "no" + "\t" * n + ":", lambda n: "no " * (n // 3)):
        t_small = min(cpu(make(50000)) for _ in range(2))
        t_big = min(cpu(make(100000)) for _ in range(2))
        assert t_big < 1.0 and t_big < 3.2 * max(t_small, 0.02)
