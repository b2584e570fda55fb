"""Claim checks, session 11: negation forms (a denial, a condition, "not charged", a double
negative, "without" on both sides), figures a source writes differently (decimals, a
hedged round figure, "three and a half hours", "3rd", a change from A to B, the weekday
of a date), and lines a source breaks after a function word; with guards against
reading too much into them (a passive "was denied", a question answered on the next
line, "page 3 of 12"). All sentences are invented for these tests."""

from __future__ import annotations

import time

from whosaid.audit_checks import detail_mismatches, normalise, polarity_flip, quantities


def _cpu(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t = time.process_time()
    fn(*args)
    return time.process_time() - t


def test_a_denial_negates_what_it_reports() -> None:
    """"denied that X" / "denies doing X" says X is not so: it is no decision word that
    agrees with a refusal in X ("denied that ... had rejected" is not "rejected")."""
    assert polarity_flip("The warden said the lock trust had rejected the mooring plan.",
                         "The warden denied that the lock trust had rejected the mooring "
                         "plan.")[0]
    assert polarity_flip("The quarry firm admitted that it had blocked the footpath.",
                         "The quarry firm denied that it had blocked the footpath.")[0]
    assert polarity_flip("The quarry firm blocked the footpath.",
                         "The quarry firm denies blocking the footpath.")[0]
    # guards: a denial agrees with a negation, and "denied the permit" is still a refusal
    assert not polarity_flip("The quarry firm denied blocking the footpath.",
                             "The quarry firm said it had not blocked the footpath.")[0]
    assert polarity_flip("The lock trust granted the mooring permit.",
                         "The lock trust denied the mooring permit.")[0]


def test_a_passive_or_nominal_denial_is_the_decision() -> None:
    """"was denied funding", "denied boarding", "denied any extension" are refusals (one
    cannot "be denied that X"): they agree with "refused", they negate nothing."""
    assert not polarity_flip("The bowls league was refused funding.",
                             "The bowls league was denied funding.")[0]
    assert not polarity_flip("Walkers were refused entry to the weir path.",
                             "Walkers were denied entry to the weir path.")[0]
    assert not polarity_flip("Ferry passengers were refused boarding.",
                             "Ferry passengers were denied boarding.")[0]
    assert not polarity_flip("The parish refused any extension of the lease.",
                             "The parish denied any extension of the lease.")[0]
    # guard: an active denial of an act with its object still negates it
    assert polarity_flip("The quarry firm closed the towpath.",
                         "The quarry firm denies closing the towpath.")[0]


def test_a_condition_states_nothing() -> None:
    """"If the panel does not back the bid, ..." says nothing against "The panel backed
    the bid"; a plain negation still does."""
    claim = "The orchard panel backed the cider bid."
    assert not polarity_flip(claim, "If the orchard panel does not back the cider bid, "
                                    "the festival will move.")[0]
    assert not polarity_flip(claim, "Unless the orchard panel backs the cider bid, the "
                                    "festival will not go ahead.")[0]
    # guards: a statement after the condition, and a plain negation, still count
    assert polarity_flip(claim, "The orchard panel did not back the cider bid.")[0]
    assert polarity_flip("The festival will go ahead.",
                         "If it rains, the festival will not go ahead.")[0]


def test_a_question_answered_next_still_counts() -> None:
    """A question whose answer follows ("Will it cut fares? No, it will not.") carries the
    negation of its answer, which shares no word with the claim: it must not be left out.
    A guard: it passes on the code before session 11, fails on a248871's rules (B6)."""
    assert polarity_flip("The toll plan will cut ferry fares.",
                         "Will the toll plan cut ferry fares? No, it will not.")[0]
    assert polarity_flip("Mooring fees will rise.",
                         "Q: Will mooring fees rise?\nA: No, they will not.")[0]
    # guard: a "yes" answer agrees
    assert not polarity_flip("The toll plan will cut ferry fares.",
                             "Will the toll plan cut ferry fares? Yes, it will.")[0]


def test_not_charged_is_the_negation_of_charged() -> None:
    """"was charged" is read as "payable"; "was not charged" must stay its negation."""
    assert polarity_flip("The cyclist was charged.", "The cyclist was not charged.")[0]
    assert polarity_flip("The cyclist was not charged.", "The cyclist was charged.")[0]
    # guard: the same words on both sides
    assert not polarity_flip("The cyclist was not charged after the collision.",
                             "The cyclist was not charged after the collision.")[0]


def test_a_figure_with_fewer_decimals_is_the_evidence_rounded() -> None:
    """"47%" for 46.8% is the same figure written with fewer decimals; a figure with
    more decimals than the evidence, or another figure, is not."""
    ev = "Turnout in the ward was 46.8% and the levy is £2.46 a week."
    assert detail_mismatches("Turnout in the ward was 47%.", ev) == []
    assert detail_mismatches("The levy is £2.5 a week.", ev) == []
    # guards
    assert detail_mismatches("Turnout in the ward was 48%.", ev) == ["48%"]
    assert detail_mismatches("Turnout was 47.2%.", "Turnout was 47%.") == ["47.2%"]
    assert detail_mismatches("The fee is £3.", "The fee is £2.50.") == ["£3"]


def test_a_hedged_figure_may_round_the_evidence() -> None:
    """"about £7 million" for £6,850,000 and "roughly 3,000" for 3,120: the hedge says
    the figure is rounded (to its last non-zero digit, within a tenth)."""
    assert detail_mismatches("The dredging cost about £7 million.",
                             "The dredging cost £6,850,000.") == []
    assert detail_mismatches("Roughly 300 swimmers took part.",
                             "In all 312 swimmers took part.") == []
    # a hedged count in the years' range ("nearly 2,000") rounds too
    assert detail_mismatches("Nearly 2,000 pupils sat the test.",
                             "In all 1,960 pupils sat the test.") == []
    # guards: too far off, or no hedge
    assert detail_mismatches("Nearly 2,000 pupils sat the test.",
                             "In all 1,700 pupils sat the test.") == ["2000"]
    assert detail_mismatches("About 300 swimmers took part.",
                             "In all 370 swimmers took part.") == ["300"]
    assert detail_mismatches("The dredging cost £7 million.",
                             "The dredging cost £6,850,000.") == ["£7 million"]


def test_a_hedge_keeps_its_direction_and_a_year_its_decade() -> None:
    """"nearly 2,000" and "almost 300" say the figure is below (2,140 and 320 are not
    them); "around 1800" is a year of that decade at most (1849 is not it)."""
    assert detail_mismatches("Nearly 2,000 walkers signed up.",
                             "In all 2,140 walkers signed up.") == ["2000"]
    assert detail_mismatches("Almost 300 kayaks were sold.",
                             "In all 320 kayaks were sold.") == ["300"]
    assert detail_mismatches("The mill was built around 1800.",
                             "The mill was built in 1849.") == ["1800"]
    # guards: the right side of the hedge, and a year within its decade, still pass
    assert detail_mismatches("Almost 300 kayaks were sold.",
                             "In all 291 kayaks were sold.") == []
    assert detail_mismatches("The mill was built around 1790.",
                             "The mill was built in 1793.") == []


def test_lengths_of_time_with_a_half() -> None:
    """"three and a half hours" is 210 minutes, "an hour and a half" 90 minutes, "half a
    day" 12 hours."""
    assert detail_mismatches("The survey ran for 210 minutes.",
                             "The survey ran for three and a half hours.") == []
    assert detail_mismatches("The meeting lasted 90 minutes.",
                             "The meeting lasted an hour and a half.") == []
    assert detail_mismatches("The crossing was shut for 12 hours.",
                             "The crossing was shut for half a day.") == []
    # guard: another length
    assert detail_mismatches("The survey ran for 200 minutes.",
                             "The survey ran for three and a half hours.") == ["200"]
    assert [q.hours for q in quantities("for one and a half weeks")] == [252.0]
    # decades and centuries are lengths of time too
    assert detail_mismatches("The pier stood for four decades.",
                             "The pier stood for forty years.") == []
    assert detail_mismatches("The pier stood for two decades.",
                             "The pier stood for forty years.") == ["2"]


def test_an_ordinal_in_digits_is_an_ordinal() -> None:
    """"2nd" is "second", not a code to skip: "came 4th" against "came second" differs."""
    ev = "The Tarrow crew came second in the regatta."
    assert detail_mismatches("The Tarrow crew came 2nd in the regatta.", ev) == []
    assert detail_mismatches("The Tarrow crew came 4th in the regatta.", ev) == ["4th"]
    assert detail_mismatches("The Tarrow crew came fourth.",
                             "The Tarrow crew came 2nd in the regatta.") == ["fourth"]


def test_an_a_of_b_reference_is_no_share() -> None:
    """A guard kept from a dropped rule ("A of B" counts read as a share): "page 3 of 12"
    or "1 of 10 towns" says nothing of the share a claim gives.
    A guard: it passes on the code before session 11, fails on a248871's rules (B8)."""
    assert detail_mismatches("A quarter of the dinghies sank.",
                             "Dinghies sank in the gale (page 3 of 12).") == ["A quarter"]
    assert detail_mismatches("A tenth of the village schools closed.",
                             "Village schools closed in 1 of 10 towns.") == ["A tenth"]


def test_the_weekday_of_a_full_date() -> None:
    """A weekday the evidence does not name is given by a full date it names."""
    ev = "The ferry terminal reopened on 4 March 2031."
    assert detail_mismatches("The ferry terminal reopened on Tuesday 4 March.", ev) == []
    assert detail_mismatches("The ferry terminal reopened on Monday 4 March.",
                             ev) == ["Monday"]


def test_a_weekday_needs_the_claims_own_date() -> None:
    """Another date of the evidence says nothing of the claim's weekday, nor does a date
    where the evidence names another weekday.
    A guard: it passes on the code before session 11, fails on a248871's rules (B3)."""
    assert detail_mismatches("The slipway reopened on Tuesday.",
                             "The slipway closed on 4 March 2031 and reopened on 9 March "
                             "2031.") == ["Tuesday"]
    assert detail_mismatches("The slipway reopened on Tuesday 4 March.",
                             "The slipway reopened on Wednesday 5 March 2031; the notice "
                             "was dated 4 March 2031.") == ["Tuesday"]


def test_a_line_broken_after_a_function_word_is_one_line() -> None:
    """A hard-wrapped source ("... to the\\n    Ferry Tribunal") keeps its clause and its
    span whole across the break."""
    assert polarity_flip("K&T has taken the ruling to the Ferry Tribunal.",
                         "K&T did not take its case to the\n    Ferry Tribunal.")[0]
    assert detail_mismatches("The mill failed, for 43 months, to file its returns.",
                             "The mill failed, between 12 January 2027 and\n    20 August "
                             "2030, to file its returns.") == []
    # guard: a heading line ending in a noun is not joined
    assert normalise("Summary\nThe mill").count("\n") == 1


def test_without_on_both_sides_leaves_the_verbs_to_decide() -> None:
    """"can renew it without a hull survey" against "may not be renewed without a hull
    survey": the same condition on both sides, so the verbs' negations decide."""
    assert polarity_flip("The canal office can renew the berth licence without a hull survey.",
                         "The berth licence may not be renewed without a hull survey.")[0]
    assert polarity_flip("Anglers can fish the lake without a rod licence.",
                         "Anglers may not fish the lake without a rod licence.")[0]
    # guards: the same words agree, and one "without" against a requirement still flips
    assert not polarity_flip("The canal office can renew the berth licence without a hull "
                             "survey.",
                             "The berth licence can be renewed without a hull survey.")[0]
    assert polarity_flip("Boats may be moored at the quay without a permit.",
                         "Boats need a permit to be moored at the quay.")[0]


def test_a_fronted_without_is_no_second_difference() -> None:
    """"Without a rod licence, anglers can fish the lake." against "Anglers may not fish
    the lake without a rod licence.": the fronted condition is named on both sides; the
    verb clause alone differs, so it is a flip.
    A guard: it passes on the code before session 11, fails on a248871's rules (B11)."""
    assert polarity_flip("Without a rod licence, anglers can fish the lake.",
                         "Anglers may not fish the lake without a rod licence.")[0]
    # guards: the same on both sides
    assert not polarity_flip("Without a licence, anglers may not fish.",
                             "Anglers may not fish without a licence.")[0]
    assert not polarity_flip("Without a rod licence, anglers can fish the lake.",
                             "Anglers can fish the lake without a rod licence.")[0]


def test_a_double_negative_of_a_prefixed_word() -> None:
    """"not impossible" says "possible", "not unclear" says "clear": the negator and the
    prefix cancel, they do not negate the clause."""
    assert not polarity_flip("The quay trust sold the crane.",
                             "It is not impossible that the quay trust sold the crane.")[0]
    assert not polarity_flip("The tide tables are clear.", "The tide tables are not unclear.")[0]
    # guards: one negative still opposes
    assert polarity_flip("The tide tables are clear.", "The tide tables are unclear.")[0]
    assert polarity_flip("The tide tables are clear.", "The tide tables are not clear.")[0]
    assert polarity_flip("The tide tables are unclear.",
                         "The tide tables are not unclear.")[0]


def test_not_disagree_is_read_alike_by_the_decision_check() -> None:
    """"did not disagree" says "agreed" in the decision check as in the negation count:
    no flip against "agreed", a flip against "disagreed".
    A guard: it passes on the code before session 11, fails on a248871's rules (B5)."""
    assert not polarity_flip("The bowls league agreed to the new moorings.",
                             "The bowls league did not disagree with the new moorings.")[0]
    assert not polarity_flip("The parish approved the new moorings.",
                             "The parish did not disapprove of the new moorings.")[0]
    assert polarity_flip("The bowls league disagreed with the new moorings.",
                         "The bowls league did not disagree with the new moorings.")[0]


def test_stopping_agrees_with_a_negation() -> None:
    """"stopped selling" says "no longer sells": no flip against a negation of selling."""
    assert not polarity_flip("The bakery no longer sells bread.",
                             "The bakery stopped selling bread.")[0]
    assert not polarity_flip("The bakery stopped selling bread.",
                             "The bakery does not sell bread any more.")[0]
    # guards: going on is the opposite, and stopping makes no negation of its own
    assert polarity_flip("The bakery stopped selling bread.",
                         "The bakery continued selling bread.")[0]
    assert not polarity_flip("The bakery stopped selling bread in May.",
                             "The bread counter was withdrawn in May.")[0]


def test_a_count_is_no_sum_of_money() -> None:
    """"12,000 visitors" counts people: "£12,000" does not give it, nor the reverse."""
    assert detail_mismatches("The fair drew 12,000 visitors.",
                             "The fair made £12,000.") == ["12000"]
    assert detail_mismatches("The fair made £12,000.",
                             "The fair drew 12,000 visitors.") == ["£12000"]
    # guards: a sum written without its currency is still that sum
    assert detail_mismatches("The fair made 12,000.", "The fair made £12,000.") == []
    assert detail_mismatches("The lock scheme cost 40 million.",
                             "The lock scheme cost £40 million.") == []


def test_a_function_word_in_s_is_no_counted_noun() -> None:
    """"40,000 this year", "40,000 plus VAT": the word after the figure is no plural noun,
    so the figure is still the sum "£40,000".
    A guard: it passes on the code before session 11, fails on a248871's rules (B7)."""
    assert detail_mismatches("The mooring levy raised £40,000.",
                             "The mooring levy raised 40,000 plus VAT.") == []
    assert detail_mismatches("The mooring levy raised 40,000 this year.",
                             "The mooring levy raised £40,000 this year.") == []
    assert detail_mismatches("The regatta cost £12,000.",
                             "The regatta cost 12,000 thanks to grants.") == []


def test_a_change_given_as_from_and_to() -> None:
    """"from 40% to 45%" is a rise of 5 percentage points and of 12.5 per cent; "from £4
    to £5" a rise of £1 and of a quarter. Points are not per cent."""
    ev = "Backing for the tram rose from 40% to 45% and the fare from £4 to £5."
    assert detail_mismatches("Backing for the tram rose by 5 percentage points.", ev) == []
    assert detail_mismatches("Backing for the tram rose by 12.5%.", ev) == []
    assert detail_mismatches("The tram fare rose by a quarter.", ev) == []
    assert detail_mismatches("The tram fare rose by £1.", ev) == []
    # guards: per cent for points, and another change
    assert detail_mismatches("Backing for the tram rose by 5%.", ev) == ["5%"]
    assert detail_mismatches("The tram fare rose by £2.", ev) == ["£2"]


def test_a_change_answers_only_a_change() -> None:
    """The size of a "from A to B" change is no figure of anything else: "Half of the
    members" is no 50% rise, "The fare was £1" no £1 rise.
    A guard: it passes on the code before session 11, fails on a248871's rules (B1)."""
    assert detail_mismatches("Half of the bowls league's members joined this year.",
                             "The bowls league's members rose from 10 to 15 this year.") \
        == ["Half"]
    assert detail_mismatches("The tram fare was £1.",
                             "The tram fare rose from £4 to £5.") == ["£1"]
    assert detail_mismatches("Backing for the tram was 12.5%.",
                             "Backing for the tram rose from 40% to 45%.") == ["12.5%"]


def test_new_patterns_are_linear() -> None:
    """The patterns added here run on whole evidence texts, so 50,000 characters of
    input built to make them backtrack must still take a few seconds at most. Mostly a
    guard; "not " x 12,500 fails on the code before (each "not" scanned the rest of its
    clause for "until": quadratic)."""
    n = 50_000
    for evidence in (("the" + " " * 100 + "\n") * (n // 104), "1 and a half " * (n // 13),
                     "from 4% to 5% " * (n // 14), "from 4% " * (n // 8),
                     "1 of the " * (n // 9), ("denied " + " " * 60 + "that ") * (n // 72),
                     "3rd " * (n // 4), ("If not, " * (n // 8)), "? " * (n // 2),
                     "not unclear " * (n // 12), "not " * (n // 4),
                     "denied that " * (n // 12), "nearly 2,000 " * (n // 13),
                     "Tuesday 4 March 2031 " * (n // 21), "40,000 plus " * (n // 12),
                     "was denied funding " * (n // 19),
                     "x" * n + "?"):
        assert _cpu(detail_mismatches, "Some 40 of the 80 boats left on Tuesday.",
                    evidence) < 5.0, evidence[:20]
        assert _cpu(polarity_flip, "The panel denied that it backed the bid.",
                    evidence) < 8.0, evidence[:20]
    # a long claim of changes: each figure is looked up in the claim once
    claim = " ".join(f"by {i}" for i in range(1, 9000))[:n]
    assert _cpu(detail_mismatches, claim, "The fare rose from 4 to 5 and from 6 to 9.") < 5.0


def test_a_margin_or_level_is_no_change_of_the_evidence() -> None:
    """A claim figure answers a "from A to B" change only after a verb of change: a lead,
    a margin or a level that equals the difference is another figure (review of the
    mended checks)."""
    assert detail_mismatches("The Reds lead by 5 points.",
                             "The Reds' score rose from 40 to 45.") == ["5"]
    assert detail_mismatches("Backing stood at 5 points.", "Backing rose from 40 to 45.") == ["5"]
    # guard: a change that says so
    assert detail_mismatches("Backing rose by 5 points.", "Backing rose from 40 to 45.") == []


def test_a_one_digit_figure_is_no_rounding_without_a_hedge() -> None:
    """Unhedged, only a figure of two or more significant digits may round the evidence:
    "48%" for 47.9% is the same figure, "3%" for 3.4% and "£2" for £1.51 are not."""
    assert detail_mismatches("The fee is £2.", "The fee is £1.51.") == ["£2"]
    assert detail_mismatches("Inflation was 3%.", "Inflation was 3.4%.") == ["3%"]
    # guard
    assert detail_mismatches("Turnout was 48%.", "Turnout was 47.9%.") == []
