"""Claim checks for the citation audit: what a claim says against what its evidence says.

Everything here compares two short texts after :func:`normalise` has removed the
differences that carry no meaning (curly against straight quotes and
apostrophes, dashes, non-breaking spaces, thousands separators, "per cent"
against "%", number words against digits, "a fortnight" against "two weeks"):

* :func:`quantities` reads numbers with their unit (%, currency, fraction,
  ordinal) and scale ("$2.6 million", "4,300", "a quarter", "thousands of");
  :func:`detail_mismatches` lists those of a claim, and the months, weekdays
  and dates, that the evidence does not give;
* :func:`polarity_flip` says whether the claim asserts the opposite of its
  evidence: negation ("will" / "will not") and a general antonym list, either
  as opposite values ("rose" / "fell", "temporary" / "permanent") or as
  decisions that negate what they govern ("approved" / "rejected a proposal
  to allow");
* :func:`content_tokens` gives the words used to align a claim with the best
  source sentence (antonyms map to one key, so a flipped claim still finds
  the sentence it contradicts).

The word lists are general English, not taken from any evaluation text.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import math
import re
from dataclasses import dataclass

from whosaid.audit_sources import MONTHS, Taken, find_dates, fold, stem

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being
it its this that these those he she they we you i his her their our your them him us me my
said says say told tell telling according also has have had do does did will would could
should may might can shall must which who whom whose what when where while than then there
here so such into about over after before under again some any each other own same very
just only even still yet already per a's it's that's there's s t re ve ll d
roughly broadly largely mostly nearly almost approximately around
""".split())
NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
                      "cannot", "n't", "unable"})
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
UNITS = {"zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
             "quarters": 0.25, "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
MAGNITUDES = {"dozens": 12.0, "scores": 20.0, "hundreds": 1e2, "thousands": 1e3,
              "millions": 1e6, "billions": 1e9}
CURRENCY = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD",
            "dollar": "USD", "dollars": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP",
            "pounds": "GBP", "¥": "JPY", "yen": "JPY", "crown": "CRN", "crowns": "CRN",
            "francs": "CHF", "franc": "CHF",
            # hundredths: a sum in cents is no sum in pence
            "cent": "cent", "cents": "cent", "pence": "penny", "p": "penny"}

# Antonyms. VALUE pairs are opposite values of one quantity or state: a claim with
# only one side against evidence with only the other contradicts it. DECISION
# words on the negative side negate what they govern ("rejected a plan to allow").
VALUE_PAIRS: list[tuple[frozenset[str], frozenset[str]]] = [
    (frozenset(p.split()), frozenset(n.split())) for p, n in [
        ("rise increase grow climb gain jump soar surge up raise boost higher",
         "fall decrease decline drop shrink sink slump plunge dip down reduce lower cut ease"),
        ("improve better strengthen recover", "worsen deteriorate weaken worse"),
        ("temporary", "permanent"), ("open reopen", "close shut"),
        ("start begin resume continue", "stop end halt suspend discontinue"),
        ("win", "lose"),
        ("profit surplus", "loss deficit"), ("majority", "minority"),
        ("legal lawful", "illegal unlawful"), ("guilty convict", "innocent acquit"),
        ("easy easily simple", "hard difficult"), ("cheap cheaper", "expensive dearer"),
        ("safe safer", "unsafe dangerous"), ("public", "private"),
        ("maximum", "minimum"), ("high", "low"), ("early earlier", "late later"),
        ("best", "worst"), ("largest biggest", "smallest"), ("most", "least"),
        ("hire recruit", "fire sack dismiss"), ("expand widen", "narrow"),
        ("include", "exclude"), ("add", "remove"), ("import", "export"), ("buy", "sell"),
        ("uphold", "overturn quash"), ("lift", "impose"),
        ("extend lengthen longer", "shorten shorter"),
        ("enough plenty", "shortage lack shortfall"), ("ontrack", "delay overdue"),
        ("present", "absent"), ("full", "empty"), ("positive", "negative"),
        ("ahead", "behind"), ("likely", "unlikely"), ("possible", "impossible"),
        ("strong", "weak"), ("success succeed", "failure"), ("accurate", "inaccurate"),
        ("above", "below"), ("true", "false"), ("fast quick rapid speedup", "slow"),
        ("free", "payable"),
        # more verb and adjective pairs of WordNet 3.0's direct antonyms, those with one
        # news sense ("encourage" / "discourage", "overstate" / "understate")
        ("encourage", "discourage"), ("promote", "demote"), ("prove", "disprove"),
        ("obey", "disobey"), ("qualify", "disqualify"),
        ("regulate", "deregulate"), ("upgrade", "downgrade"), ("emigrate", "immigrate"),
        ("centralise centralize", "decentralise decentralize"),
        ("nationalise nationalize", "privatise privatize"),
        ("satisfy satisfied", "dissatisfy dissatisfied"),
        ("overestimate", "underestimate"), ("overstate", "understate"),
        ("overpay", "underpay"), ("overspend", "underspend"), ("overvalue", "undervalue"),
        ("overcharge", "undercharge"), ("maximise maximize", "minimise minimize"),
        ("accelerate", "decelerate"), ("voluntary optional", "compulsory mandatory"),
        # adjectives and their negative prefix forms
        *[(w, f"{pre}{w}") for pre, ws in (
            ("un", "certain clear fair popular necessary reasonable acceptable affordable "
                   "sustainable successful available profitable authorised "
                   "authorized paid"),
            ("in", "sufficient adequate effective complete correct consistent appropriate"),
            ("ir", "regular responsible"), ("im", "proper practical"))
          for w in ws.split()],
    ]]
# no change: "unchanged" / "held steady" against "rose" or "fell" (the first pair) is a
# third value of the same quantity, opposite to both
STABLE = frozenset("unchanged steady stable".split())
DECISION_POS = frozenset("""approve accept agree allow permit let back support endorse grant
adopt welcome favour favor confirm admit pass authorise authorize sanction""".split())
DECISION_NEG = frozenset("""reject refuse decline oppose deny ban block veto prohibit forbid
bar scrap cancel abandon withdraw dismiss fail disagree dispute criticise criticize condemn
dissent disapprove""".split())
IRREGULAR = {"rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "grew": "grow",
             "grown": "grow", "shrank": "shrink", "shrunk": "shrink", "sank": "sink",
             "won": "win", "lost": "lose", "began": "begin", "begun": "begin", "sold": "sell",
             "bought": "buy", "let": "let", "cut": "cut", "shut": "shut", "upheld": "uphold",
             "forbade": "forbid", "forbidden": "forbid", "banned": "ban", "barred": "bar",
             "vetoed": "veto", "dropped": "drop", "dipped": "dip", "slumped": "slump",
             "better": "better", "worse": "worse", "higher": "higher", "lower": "lower",
             "fewer": "fewer", "less": "less", "more": "more", "increasingly": "increase",
             "permanently": "permanent", "temporarily": "temporary", "closure": "close",
             "closures": "close", "opening": "open", "approval": "approve",
             "rejection": "reject", "refusal": "refuse", "denial": "deny",
             "opposition": "oppose", "support": "support", "hires": "hire"}
# past forms that no suffix rule takes back to the verb ("met" is "meet")
VERB_FORMS = {"met": "meet", "paid": "pay", "made": "make", "took": "take", "taken": "take",
              "gave": "give", "given": "give", "held": "hold", "kept": "keep", "left": "leave",
              "found": "find", "built": "build", "sent": "send", "spent": "spend",
              "brought": "bring", "ran": "run", "saw": "see", "seen": "see", "went": "go",
              "gone": "go", "came": "come", "knew": "know", "known": "know", "thought": "think",
              "chose": "choose", "chosen": "choose", "wrote": "write", "written": "write",
              "spoke": "speak", "spoken": "speak", "broke": "break", "broken": "break",
              "led": "lead", "laid": "lay", "sought": "seek", "struck": "strike", "drew": "draw",
              "drawn": "draw", "hit": "hit", "set": "set", "put": "put", "rebuilt": "rebuild",
              # the other common strong verbs of English (a general table, so "withdrawn"
              # finds "withdraw" in the antonym lexicon as "rejected" finds "reject")
              **{form: verb for verb, forms in (
                  ("withdraw", "withdrew withdrawn"), ("withhold", "withheld"),
                  ("arise", "arose arisen"), ("beat", "beaten"), ("become", "became"),
                  ("blow", "blew blown"), ("breed", "bred"), ("catch", "caught"),
                  ("deal", "dealt"), ("dig", "dug"), ("drive", "drove driven"),
                  ("eat", "ate eaten"),
                  ("feel", "felt"), ("fight", "fought"), ("flee", "fled"),
                  ("fly", "flew flown"), ("forget", "forgot forgotten"),
                  ("forgive", "forgave forgiven"), ("freeze", "froze frozen"),
                  ("get", "got gotten"), ("hide", "hid hidden"), ("hear", "heard"),
                  ("mean", "meant"), ("overcome", "overcame"),
                  ("overtake", "overtook overtaken"), ("override", "overrode overridden"),
                  ("overthrow", "overthrew overthrown"), ("mislead", "misled"),
                  ("mistake", "mistook mistaken"), ("foresee", "foresaw foreseen"),
                  ("ride", "rode ridden"), ("ring", "rang rung"), ("sing", "sang sung"),
                  ("shake", "shook shaken"), ("shoot", "shot"), ("show", "shown"),
                  ("stand", "stood"), ("steal", "stole stolen"), ("stick", "stuck"),
                  ("swear", "swore sworn"), ("sweep", "swept"), ("teach", "taught"),
                  ("tear", "tore torn"), ("throw", "threw thrown"),
                  ("understand", "understood"), ("undertake", "undertook undertaken"),
                  ("undo", "undid undone"), ("wake", "woke woken"), ("wear", "wore worn"),
                  ("withstand", "withstood"), ("forsake", "forsook forsaken"),
                  # also in IRREGULAR, which lemma_key reads first; kept here because
                  # _keys maps a word with no lexicon key through VERB_FORMS alone
                  # ("sold" -> "sell" as a content word)
                  ("seek", "sought"), ("sell", "sold"), ("buy", "bought"), ("lose", "lost"),
                  ("win", "won"), ("begin", "began begun"), ("fall", "fell fallen"),
                  ("rise", "rose risen"), ("grow", "grew grown"), ("shrink", "shrank shrunk"),
                  ("uphold", "upheld"), ("forbid", "forbade forbidden"))
                 for form in forms.split()}}
_LEXICON: dict[str, str] = {}
for _k, (_pos, _neg) in enumerate(VALUE_PAIRS):
    _LEXICON.update({w: f"v{_k}+" for w in _pos})
    _LEXICON.update({w: f"v{_k}-" for w in _neg})
_LEXICON.update({w: "v0=" for w in STABLE})
_LEXICON.update({w: "d+" for w in DECISION_POS})
_LEXICON.update({w: "d-" for w in DECISION_NEG})
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|n't|\d+(?:\.\d+)?%?|[€$£¥]")
_WRAP = re.compile(r"(?<=[a-z,])[^\S\n]*\n[^\S\n]*(?=[a-z])")
# a line break ends a clause too: lines of a form or a list ("Item 2: ...?" over
# "YES: 218  NO: 95") are not one clause
# ... but a word inside a hyphenated compound ("all-or-nothing", "hit-and-run": a hyphen
# on both sides) joins none; "the budget-but it ..." (an unspaced dash before it) splits
_CONJ = r"\b(?:but|while|whereas|although|though|and|or|however|because|which|who|that)\b"
_CLAUSE = re.compile(rf"[,;:()\"\n]|\.\s|\s-\s|(?<!-){_CONJ}|(?<=-){_CONJ}(?!-)")
# an em or en dash, or "--", between words is a break of the sentence ("approved the
# budget—but rejected ..."), not the hyphen of a compound, which fold() makes it
_DASH = re.compile(r"(?<=[^\W\d_])[ \t]*(?:\u2014|\u2013|--)[ \t]*(?=[^\W\d_])")
# verbs that negate what follows: "failed to consider" says "did not consider",
# "ruled out new outfalls" says "no new outfalls"
# "missed its target" says "did not meet its target"
# "rejected claims that the pier was sold", "dismissed reports that ...": a statement the
# speaker says is not so, as "denied that" (not the decision of "rejected the claim for
# damages"); a "that" before a verb starts a relative clause ("claims that were late")
_REJECTED_CLAIM = (r"(?:reject\w{0,3}|dismiss\w{0,3}|den(?:y|ies|ied|ying)|disput\w{0,3}|"
                   r"refut\w{0,3}|rebut\w{0,4})\s+(?:(?:the|all|any|such|those|these)\s+)?"
                   r"(?:[a-z]+\s+)?(?:claims?|reports?|suggestions?|allegations?|accusations?|"
                   r"rumou?rs?|speculation|assertions?)")
# ... and only a "that" whose clause has a subject of its own and a finite auxiliary ("that
# the fees were raised", "that there was fraud") opens what is denied: "claims that the
# council made" and "reports that appeared" are relative clauses naming the claims
_NOT_RELATIVE = (r"(?=there\b|(?!(?:was|were|is|are|had|has|have|would|will|could|can|"
                 r"should|may|might|did|do|does|must)\b)(?:[\w'-]+[ \t]+){1,4}?"
                 r"(?:was|were|is|are|had|has|have|would|will|could|can|should|may|might|"
                 r"did|do|does|must)\b)")
_CLAIM_DENIED = re.compile(_REJECTED_CLAIM + r"[ \t]*$", re.I)
_THAT_SUBJECT = re.compile(r"\s*" + _NOT_RELATIVE, re.I)
_IMPLICIT_NEG = re.compile(r"\b(?:fail(?:s|ed|ing|ure)?\s+to|rul(?:e|es|ed|ing)\s+out|"
                           rf"{_REJECTED_CLAIM}(?=\s+that\s+{_NOT_RELATIVE})|"
                           # "denied that it broke the rules", "denies breaking the rules":
                           # the speaker says the reported clause is not so (a denial of a
                           # statement, not the decision "denied the permit"); a passive
                           # ("was denied funding") is always the decision: one cannot "be
                           # denied that X"; an -ing word is a verb only with an object
                           # after it ("denied boarding" is the decision)
                           r"(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )(?<!\bis )"
                           r"(?<!\bare )(?<!\bbeing )(?<!\bget )(?<!\bgot )"
                           r"den(?:y|ies|ied|ying)(?=\s+(?:that|having|ever|\w+ing\s+(?:the|a|an|"
                           r"his|her|its|their|any|it|them|him)\b))|"
                           # "has yet to be signed" = "has not been signed"
                           r"(?:ha(?:s|ve|d)|is|are|was|were|remains?|remained)\s+yet\s+to|"
                           # "(fell) short of / below the standard" = "did not meet it"
                           r"(?:f[ae]ll(?:s|ing|en)?\s+)?(?:short\s+of|below)(?=\s+(?:the\s+|its\s+|"
                           r"their\s+|a\s+|an\s+)?(?:[\w%-]+\s+){0,4}?(?:target|standard|goal|"
                           r"threshold)s?\b)|"
                           r"miss(?:es|ed|ing)?(?=\s+(?:its|their|the|a|an|his|her|our|this|that|every)\s+\w+))\b",
                           re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")


# --- normalisation -------------------------------------------------------------


def normalise(text: str) -> str:
    """One spelling for what is written many ways: typography, separators, number words.

    "Russia’s" == "Russia's"; "1,200" == "1 200" == "1200"; "5 per cent" == "5%";
    "twenty-five" == "25"; "a fortnight" == "two weeks" == "2 weeks"; "€2.6m" ==
    "€2.6 million". Cased text in, cased text out (offsets are not kept).
    """
    t = fold(text).replace("\xa0", " ").replace("\u202f", " ").replace("\u2009", " ")
    t = re.sub(r"(?<=\d)[,  ](?=\d{3}(?!\d))", "", t)
    t = re.sub(r"(?<=\d)[,  ](?=\d{3}(?!\d))", "", t)  # twice: 1,234,567
    # the blanks before "per cent" go with it; starting only where a run of blanks starts
    # keeps this linear ("no" followed by 20,000 blanks was quadratic)
    t = re.sub(r"(?<!\s)\s*(?:per\s*cent|percent|pct|pc)\b", "%", t, flags=re.I)
    t = re.sub(r"\b(?:a|one)\s+fortnight\b", "two weeks", t, flags=re.I)
    t = re.sub(r"\bfortnight\b", "two weeks", t, flags=re.I)
    t = re.sub(r"(?<=\d)\s*(m|mn|bn|k|tn)\b", lambda m: " " + {
        "m": "million", "mn": "million", "bn": "billion", "k": "thousand",
        "tn": "trillion"}[m.group(1).lower()], t, flags=re.I)
    t = _number_words(t)
    # "three and a half hours" = "3.5 hours", "an hour and a half" = "1.5 hours", "half a
    # day" = "0.5 day": lengths of time written with a half
    t = _AND_HALF.sub(lambda m: f"{1 if m.group('n').isalpha() else m.group('n')}.5 "
                      f"{m.group('u')}s", t)
    t = _UNIT_HALF.sub(lambda m: f"1.5 {m.group('u')}s", t)
    return _HALF_UNIT.sub(lambda m: f"0.5 {m.group('u')}", t)


_TIME_UNIT = r"(?P<u>minute|hour|day|week|month|year)"
_AND_HALF = re.compile(rf"\b(?P<n>\d+|one)\s+and\s+a\s+half\s+{_TIME_UNIT}s?\b", re.I)
_UNIT_HALF = re.compile(rf"\b(?:an?|one)\s+{_TIME_UNIT}\s+and\s+a\s+half\b", re.I)
_HALF_UNIT = re.compile(rf"\bhalf\s+an?\s+{_TIME_UNIT}\b", re.I)
# a line broken after a word that cannot end a line of its own ("... sent the dispute to
# the\n    Review Panel", "between 12 January 2027 and\n 20 August"): one line
_JOIN_LINE = re.compile(r"\b(?P<w>the|a|an|of|to|and|or|in|on|for|by|with|at|from|between|"
                        r"than|its|their|his|her)[^\S\n]*\n[^\S\n]*(?=[A-Za-z0-9\u00a3$\u20ac])")


def _join_lines(t: str) -> str:
    """``t`` with a line broken after a function word joined to the next line."""
    return _JOIN_LINE.sub(lambda m: m.group("w") + " ", t)


def _number_words_pattern() -> re.Pattern[str]:
    word = r"(?:" + "|".join(list(UNITS) + list(TENS)) + r")"
    # "one" counts only after a tens word ("seventy-one"): alone it is a pronoun too
    tens = "|".join(TENS)
    first = rf"(?:(?:{tens})[- ]one\b|{word}(?:[- ]{word})*)"
    rest = rf"(?:(?:{tens})[- ]one\b|{word}(?:[- ]{word})?)"
    return re.compile(rf"\b{first}(?:\s+hundred(?:\s+(?:and\s+)?{rest})?)?\b", re.I)


_NUMBER_WORDS = _number_words_pattern()  # built once: normalise runs on every sentence


def _number_words(text: str) -> str:
    """"twenty-five" -> "25", "three hundred" -> "300", "a million" -> "1 million"."""

    def value(m: re.Match[str]) -> str:
        total, current = 0, 0
        for w in re.findall(r"[a-z]+", m.group().lower()):
            if w in UNITS:
                current += UNITS[w]
            elif w in TENS:
                current += TENS[w]
            elif w == "one":
                current += 1
            elif w == "hundred":
                current = (current or 1) * 100
        return str(total + current)

    text = _NUMBER_WORDS.sub(value, text)
    return re.sub(r"\b(?:a|one)\s+(hundred|thousand|million|billion)\b", r"1 \1", text,
                  flags=re.I)


# --- quantities ------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number as the text means it: ``unit`` is "", "%", a currency code, "frac",
    "ord", "mag" (a vague magnitude: "thousands of") or "year"."""

    value: float
    unit: str
    text: str
    approx: bool = False  # "nearly a third", "about 30%": a hedged figure
    bound: str = ""  # ">" for "more than 2,000", "<" for "fewer than 300", "" otherwise
    hours: float | None = None  # a length of time in hours: "48-hour" and "two-day" are one
    counted: bool = False  # a count of things ("12,000 visitors"): no sum of money
    lean: str = ""  # "<" for "nearly 2,000" (the figure is below), ">" for "just over"

    def show(self) -> str:
        return self.text.strip()


_QTY = re.compile(
    r"(?P<cur>[€$£¥]|\b(?:eur|usd|gbp)\b)?\s?(?P<num>\d+(?:\.\d+)?)(?P<pct>%)?"
    r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"(?:\s+(?P<curw>euros?|dollars?|pounds?|yen|crowns?|francs?|cents?|pence)\b"
    # "7.5p a litre": pence written on the number
    r"|(?P<minor>p)(?![a-z]|\.m))?", re.I)
# a number that counts units of time ("48-hour", "two days", "six months")
# ("four decades" is "forty years")
_DURATION = re.compile(r"[- ]?(?:(?P<u>minute|hour|day|week|fortnight|month|year|decade)s?|"
                       r"(?P<c>centur)(?:y|ies))\b", re.I)
_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "fortnight": 336.0,
          "month": 730.0, "year": 8760.0, "decade": 87600.0, "centur": 876000.0}
# "two quarters in a row", "three quarters running": periods, not fractions
# "an hour and a half" is a length of time, not a share
_FRAC = re.compile(r"(?<!\band )\b(?P<n>a|an|one|1|2|3|two|three|four|nine)[ -]"
                   r"(?P<f>half|halves|thirds?|"
                   r"quarters?(?!\s+(?:in\s+a\s+row|running|of\s+(?:growth|decline|"
                   r"contraction|rising|falling)))|fifths?|tenths?)\b"
                   # "the first half of 2024" is a period, not a share
                   r"|(?<!first )(?<!second )(?<!last )(?<!final )\b(?P<h>half)\b"
                   r"(?=\s+(?:of|the|a|an|its|"
                   r"their|his|her))", re.I)
_FRAC_COUNT = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0,
               "nine": 9.0}
# "one in three", "1 in 5": a fraction written as a ratio
_RATIO = re.compile(r"\b(?P<a>one|a|\d{1,2})\s+in\s+(?P<b>\d{1,3}|every\s+\d{1,3})\b"
                    r"(?!\s*(?:19|20)\d\d)", re.I)
_HEDGE = re.compile(r"(?:\b(?:nearly|almost|about|around|roughly|approximately|some|"
                    r"close\s+to|just\s+(?:over|under)|more\s+than|less\s+than|over|under)\s+"
                    r"(?:a\s+|an\s+)?)$", re.I)
# "nearly 2,000" is below 2,000 (1,960, not 2,140); "just over 2,000" above it
_LEAN = re.compile(r"(?:\b(?:(?P<over>just\s+over)|nearly|almost|close\s+to|just\s+under|"
                   r"not\s+quite)\s+(?:a\s+|an\s+)?)$", re.I)
# "more than 2,000" is a lower bound, "fewer than 300" an upper one
_BOUND = re.compile(r"(?:\b(?:(?P<up>more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of)|"
                    r"(?P<down>fewer\s+than|less\s+than|under|below|up\s+to|at\s+most))\s+)$",
                    re.I)
# clock times ("6.45am", "9 pm", "18:30"): the time of day, in hours
_CLOCK = re.compile(r"\b(?P<h>\d{1,2})(?:[.:](?P<m>[0-5]\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)"
                    r"(?![a-z])|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b", re.I)
# a unit of measure written on its number ("3km", "20mph", "40kg") is no code: the figure
# counts as "3 km" does
_GLUED_UNIT = re.compile(r"(?:km2?|cm|mm|kg|mg|mph|kph|kmh|ml|kwh?|mwh?|gwh?|ha|ft|lbs?|oz|mi|m2)"
                         r"(?![a-z])", re.I)
# a figure before a plural noun counts things ("12,000 visitors", "40 staff")
_COUNTED = re.compile(r"[ \t]+(?P<w>[a-z]{2,}s|people|children|staff|men|women)\b")
# words in -s that are no plural noun ("40,000 plus VAT", "40,000 this year")
_NOT_PLURAL = frozenset("""plus thanks towards across less unless thus always perhaps
besides whereas afterwards sometimes nowadays is was has does its his hers ours yours
theirs this us yes as""".split())


def _counted(t: str, end: int) -> bool:
    """Whether the figure ending at ``end`` of ``t`` counts things: a plural noun follows
    ("12,000 visitors"), not a function word in -s ("12,000 this year", "12,000 plus")."""
    m = _COUNTED.match(t, end)
    if not m:
        return False
    w = m.group("w")
    return w in ("people", "children", "staff", "men", "women") or (
        w not in STOPWORDS and w not in _NOT_PLURAL and not w.endswith(("ss", "us", "is"))
        and stem(w) != w)
_MONEY = frozenset(CURRENCY.values()) | {"CUR"}
_ORD_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![a-z])", re.I)
_ORDW = re.compile(r"\b(?P<o>" + "|".join(ORDINALS) + r")\b", re.I)
_MAGW = re.compile(r"\b(?P<tens>tens of |hundreds of )?(?P<m>dozens|scores|hundreds|thousands|"
                   r"millions|billions)\b(?!\s+of\s+(?:dollars|euros|pounds)\b\s*\d)", re.I)


def quantities(text: str) -> list[Quantity]:
    """The quantities of ``text`` (normalised first), dates left out."""
    t = normalise(text)
    used = Taken(len(t))  # characters already read as part of a date or a figure
    free, take = used.free, used.take
    for s, e, _d in find_dates(t):
        take(s, e)
    out: list[Quantity] = []
    for m in _CLOCK.finditer(t):
        if not free(m.start(), m.end()):
            continue
        if m.group("h24"):
            hours = int(m.group("h24")) + int(m.group("m24")) / 60
        else:
            h = int(m.group("h")) % 12 + (12 if m.group("ap").lower().startswith("p") else 0)
            hours = h + int(m.group("m") or 0) / 60
        out.append(Quantity(round(hours, 4), "time", m.group()))
        take(m.start(), m.end())

    def hedged(start: int) -> bool:
        return bool(_HEDGE.search(t[max(0, start - 30):start]))

    def lean(start: int) -> str:
        m = _LEAN.search(t[max(0, start - 30):start])
        return "" if not m else ">" if m.group("over") else "<"

    def bound(start: int) -> str:
        m = _BOUND.search(t[max(0, start - 30):start])
        return "" if not m else ">" if m.group("up") else "<"

    for m in _RATIO.finditer(t):
        if not free(m.start(), m.end()):
            continue
        a = 1.0 if m.group("a").lower() in ("one", "a") else float(m.group("a"))
        b = float(m.group("b").split()[-1])
        if b > a > 0:
            out.append(Quantity(round(a / b, 4), "frac", m.group(), hedged(m.start())))
            take(m.start(), m.end())
    for m in _FRAC.finditer(t):
        if not free(m.start(), m.end()):
            continue
        if m.group("h"):
            value = 0.5
        else:
            word = m.group("n").lower()
            n = _FRAC_COUNT[word] if word in _FRAC_COUNT else float(word)
            value = n * FRACTIONS[m.group("f").lower()]
        out.append(Quantity(round(value, 4), "frac", m.group(), hedged(m.start()),
                            bound(m.start())))
        take(m.start(), m.end())
    for m in _MAGW.finditer(t):
        if not free(m.start(), m.end()):
            continue
        base = MAGNITUDES[m.group("m").lower()]
        if m.group("tens"):
            base *= 10 if m.group("tens").lower().startswith("tens") else 100
        out.append(Quantity(base, "mag", m.group()))
        take(m.start(), m.end())
    for m in _QTY.finditer(t):
        s, e = m.start("num"), m.end()
        if not free(s, m.end("num")):
            continue
        before = t[max(0, s - 1):s]
        if not before.isalpha() and (s == 0 or t[s - 1] not in "./") \
                and _ORD_SUFFIX.match(t, m.end("num")):
            # "finished 3rd" is "finished third": an ordinal, not a code
            out.append(Quantity(float(m.group("num")), "ord", t[s:m.end("num") + 2]))
            take(s, m.end("num") + 2)
            continue
        if before.isalpha() or (s > 0 and t[s - 1] in "./") or (
                t[m.end("num"):m.end("num") + 1].isalpha() and not m.group("pct")
                and not m.group("scale") and not m.group("minor")
                and not _GLUED_UNIT.match(t, m.end("num"))):
            continue  # "A9", "2025/26", "3rd"; "3km" is "3 km"
        value = float(m.group("num"))
        if m.group("scale"):
            value *= SCALES[m.group("scale").lower()]
        unit = "%" if m.group("pct") else ""
        cur = m.group("cur") or m.group("curw") or m.group("minor")
        if cur:
            unit = CURRENCY.get(cur.lower(), CURRENCY.get(cur.lower().rstrip("s"), "CUR"))
        at = m.start() + len(m.group()) - len(m.group().lstrip())
        if not unit and value.is_integer() and 1900 <= value <= 2100 and not m.group("scale") \
                and not bound(at):  # "more than 2,000 people" is a count
            unit = "year"
        dur = _DURATION.match(t, e) if not unit or unit == "year" else None
        hours = value * _HOURS[(dur.group("u") or dur.group("c")).lower()] if dur else None
        out.append(Quantity(value, "" if dur else unit, t[m.start():e], hedged(at), bound(at),
                            hours, unit in ("", "year") and not dur and _counted(t, e), lean(at)))
        take(s, e)
    for m in _ORDW.finditer(t):
        if free(m.start(), m.end()):
            out.append(Quantity(float(ORDINALS[m.group("o").lower()]), "ord", m.group()))
    return out


def changes(text: str) -> list[Quantity]:
    """The changes ``text`` gives as "from A to B" (of one unit): the difference, in
    points between two percentages ("from 40% to 45%" is 5 points), and the relative
    change in per cent ("from 40 to 50" is 25%), for evidence: a claim's "rose by 5
    percentage points" or "fell by a tenth" is that change."""
    out = []
    for m in _FROM_TO.finditer(normalise(text)):
        a, b = _amount(m.group("a")), _amount(m.group("b"))
        if not a or not b or a.unit != b.unit or a.value <= 0 or _same(a.value, b.value):
            continue
        diff = abs(b.value - a.value)
        out.append(Quantity(round(diff, 6), "" if a.unit == "%" else a.unit, f"{diff:.6g}"))
        rel = 100 * diff / a.value
        out.append(Quantity(round(rel, 6), "%", f"{rel:.6f}%"))
    return out


_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|risen|rises?|fell|fallen|falls?|up|down|grew|grown|grows?|cut|dropped|"
    r"drops?|climbed|jumped|slipped|increased|decreased|reduced|raised|lowered|gained|"
    r"shrank|shrunk)\s+(?:by\s+)?(?:some\s+|about\s+|around\s+|roughly\s+|nearly\s+|"
    r"almost\s+|just\s+)?$", re.I)


def _is_change(q: Quantity, nclaim: str) -> bool:
    """Whether a figure of the (normalised) claim is a change: a verb of change just
    before it ("rose by 5%", "fell by a quarter", "dropped 12 points"); "stood at 5
    points" or "won by 5" is a level or a margin, not the evidence's change."""
    text = q.text.strip()
    at = nclaim.find(text) if text else -1
    if at < 0:
        return False
    return bool(_CHANGE_BEFORE.search(nclaim[max(0, at - 30):at]))


def numbers(text: str) -> set[float]:
    """The numeric values of ``text`` ("4.5%", "1,200", "3 million", "two")."""
    return {q.value for q in quantities(text) if q.unit not in ("ord", "mag")}


def figures(text: str) -> set[str]:
    """The figures that pin a claim to a sentence: its numbers, and the years and months
    of its dates ("until November", "in December 2028"), which :func:`numbers` leaves
    out."""
    t = normalise(text)
    out = {f"{v:g}" for v in numbers(text)}
    spans = []
    for s, e, d in find_dates(t):
        spans.append((s, e))
        out |= {f"{d.y}"} if d.y else set()  # the same key as a bare year "in 2028"
        out |= {f"m{d.m}"} if d.m else set()
    for m in re.finditer(r"\b[A-Z][a-z]+\b", t):
        low = m.group().lower()
        if low in MONTHS and len(low) > 3 and not any(a <= m.start() < b for a, b in spans):
            out.add(f"m{MONTHS[low]}")
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _magnitude_fits(mag: float, value: float) -> bool:
    """Whether an exact value is what "thousands" (or "hundreds"...) describes."""
    if mag == 12.0:
        return 24 <= value < 100
    if mag == 20.0:
        return 40 <= value < 200
    return mag <= value < mag * 1000 if mag >= 1e3 else mag <= value < mag * 10


def _within(q: Quantity, h: Quantity) -> bool:
    """Whether a bounded claim figure covers the evidence's ("more than 2,000" and
    2,140; "fewer than 300" and 310 does not): within a quarter of the bound, on the
    side it names."""
    if not q.bound or q.unit != h.unit or q.value <= 0:
        return False
    if q.bound == ">":
        return q.value <= h.value <= 1.25 * q.value
    return 0.75 * q.value <= h.value <= q.value


_SCALED = re.compile(r"(?P<i>\d+)(?:\.(?P<d>\d+))?\s*(?P<s>thousand|million|billion|trillion)\b",
                     re.I)


def _rounded(q: Quantity, h: Quantity) -> bool:
    """Whether the claim's scaled figure is the evidence's exact one rounded to the digits
    it writes ("4.27 million" for 4,268,300; "2.6 million" is not 2,900,000): two
    significant digits at least, and the evidence gives more."""
    m = _SCALED.search(q.text)
    if not m or q.bound or h.unit in ("year", "time", "ord", "mag"):
        return False
    # a written decimal counts, zeros too ("1.0 million" gives two digits); "40 million"
    # gives one
    mine = (m.group("i") + m.group("d")).lstrip("0") if m.group("d") else \
        m.group("i").lstrip("0").rstrip("0")
    theirs = f"{h.value:f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0").rstrip("0")
    if len(mine) < 2 or len(theirs) <= len(mine):
        return False
    step = SCALES[m.group("s").lower()] / 10 ** len(m.group("d") or "")
    return abs(h.value - q.value) <= step / 2 + 1e-9 * step


_WRITTEN = re.compile(r"\d+(?:\.(?P<d>\d+))?")


def _decimals(q: Quantity) -> int | None:
    """How many decimals a figure is written with ("46.8%" 1, "47%" 0); None when it
    is not written in digits."""
    m = _WRITTEN.search(q.text)
    return len(m.group("d") or "") if m else None


def _round_of(q: Quantity, h: Quantity) -> bool:
    """Whether the claim's figure is the evidence's written with fewer decimals ("47%"
    for 46.8%, "£2.5" for £2.46; strictly less than half a step off, so "47%" for 46.5%
    is flagged: a fact-checker rather flags a tie than passes it), or, hedged ("about
    2,000", "nearly £4 million"), the evidence's rounded to the claim's last non-zero
    digit and within a tenth of it (2,140 and 1,960 are "about 2,000"; 2,600 is not).
    A hedge with a direction keeps it: "nearly 2,000" is below (1,960, not 2,140),
    "just over" above. A year rounds to ten years at most ("around 1800" is no 1849); a
    hedged percentage that is a multiple of five rounds to five points ("about 50%" is
    47.5% to 52.5%, no 46% nor 54%), another to its last digit ("about 47%" is no 46%),
    a share against another unit one point at most. Unhedged, only a figure of two or
    more significant digits rounds ("3%" for 3.4% is flagged)."""
    if q.bound or h.unit in ("time", "ord", "mag", "frac") or q.value <= 0 \
            or (h.unit == "year" and not (q.approx and q.unit == "year")):
        return False  # "nearly 2,000" and 1,960 read as years: hedged, they may round
    if (q.lean == "<" and h.value > q.value) or (q.lean == ">" and h.value < q.value):
        return False
    mine, theirs = _decimals(q), _decimals(h)
    if mine is None or theirs is None:
        return False
    if theirs > mine and abs(h.value - q.value) < 0.5 * 10 ** -mine - 1e-9 \
            and q.value >= 10 ** (1 - mine) and not _SCALED.search(q.text):
        return True
    # a hedged share may always be the evidence rounded to the whole point ("about 3%"
    # for 3.4%): a tenth of a small share is less than the digit the writer wrote
    off = max(0.1 * q.value, 0.5) if q.unit == h.unit == "%" else 0.1 * q.value
    if not q.approx or abs(h.value - q.value) > off + 1e-9:
        return False
    # the claim's precision: its last non-zero digit ("2,000" in thousands, "£4 million"
    # in millions, "4.5" in tenths)
    step = 10.0 ** -mine if mine else 1.0
    while step * 10 <= q.value and _same(round(q.value / (step * 10)) * step * 10, q.value):
        step *= 10
    if q.unit == "%" or h.unit == "%":
        # a writer rounds a share to the nearest five points ("about 50%" for 48.9%, "about
        # 45%" for 43.6%) or to its last digit ("about 47%" for 46.8%), never further
        step = 5.0 if q.unit == h.unit == "%" and mine == 0 and q.value >= 5 \
            and q.value % 5 == 0 else min(step, 1.0)
    elif q.unit in ("", "year") and 1000 <= q.value <= 2100 and not q.counted:
        step = min(step, 10.0)  # a year ("around 1800"), not a count ("nearly 2,000 pupils")
    return step > 1e-9 and abs(h.value - q.value) <= step / 2 + 1e-9 * step


def _share(q: Quantity) -> float | None:
    """A fraction or percentage as a share of one (None for other units)."""
    return q.value if q.unit == "frac" else q.value / 100 if q.unit == "%" else None


def _supported(q: Quantity, have: list[Quantity]) -> bool:
    if q.hours is not None and any(h.hours is not None and _same(h.hours, q.hours)
                                   for h in have):
        return True  # "a two-day stoppage" against "the 48-hour stoppage"
    mine = _share(q)
    if mine is not None:
        # "three quarters" = "75%"; "nearly a third" fits "31%" and "one in three"
        for h in have:
            theirs = _share(h)
            if theirs is None:
                continue
            if q.unit == h.unit == "%" and not (q.approx or h.approx):
                continue  # two exact percentages: compared as values below
            if q.unit == h.unit == "%" and q.approx:
                # "about 50%" against 46%: a hedged percentage is the evidence rounded
                # as a writer rounds (:func:`_round_of`), or a bound; not any figure
                # within five points
                continue
            tol = 0.05 if (q.approx or h.approx) else 0.015
            if abs(mine - theirs) <= tol:
                return True
        # "roughly a quarter of the grant" against "£240 of it" and "a grant of £950": a share
        # the evidence gives as two amounts of one unit
        # the evidence, amounts with a currency or measure (bare counts of different
        # things, "40 staff" and "10 offices", make no share), and only a few of them
        amounts = [h for h in have if h.unit and h.unit not in ("%", "frac", "ord", "mag",
                                                                 "year", "time")
                   and h.value > 0]
        tol = 0.05 if q.approx else 0.015

        def fits(ratio: float) -> bool:  # "more than half": from a half to a quarter over
            if q.bound == ">":
                return mine <= ratio <= 1.25 * mine
            if q.bound == "<":
                return 0.75 * mine <= ratio <= mine
            return abs(ratio - mine) <= tol
        if len(amounts) <= 3 and any(a.unit == b.unit and a.value < b.value
                                     and fits(a.value / b.value)
                                     for a in amounts for b in amounts):
            return True
    if q.unit == "mag":
        return any((h.unit == "mag" and _same(h.value, q.value))
                   or (h.unit not in ("mag", "%", "frac", "ord", "year")
                       and _magnitude_fits(q.value, h.value)) for h in have)
    for h in have:
        if not _same(h.value, q.value) and not _within(q, h) and not _rounded(q, h) \
                and not _round_of(q, h):
            continue
        units = {h.unit, q.unit}
        if (q.counted and h.unit in _MONEY) or (h.counted and q.unit in _MONEY):
            continue  # "12,000 visitors" is not "£12,000"
        if len(units) == 1 or ("" in units and not units & {"%", "frac"}) \
                or units <= {"", "ord"} or units <= {"", "year"}:
            return True
    return False


_PERIODS = {"hour": 1 / 24, "day": 1.0, "night": 1.0, "week": 7.0, "fortnight": 14.0,
            "month": 30.4, "quarter": 91.3, "year": 365.0}
_ADVERB_RATES = {"hourly": 1 / 24, "daily": 1.0, "nightly": 1.0, "weekly": 7.0,
                 "fortnightly": 14.0, "monthly": 30.4, "quarterly": 91.3, "yearly": 365.0,
                 "annually": 365.0}
_PER = r"(?P<{}>hour|day|night|week|fortnight|month|quarter|year)s?"
_RATE = re.compile(r"\bevery\s+(?:(?P<n>\d+|other)\s+)?" + _PER.format("p") + r"\b"
                   r"|\b(?P<k>once|twice|\d+\s+times)\s+(?:a|an|per|each|every)\s+"
                   + _PER.format("q") + r"\b"
                   r"|\b(?P<adv>" + "|".join(_ADVERB_RATES) + r")\b", re.I)


_REPLACED = re.compile(r"\b(?:instead\s+of|rather\s+than|replacing|down\s+from|up\s+from)"
                       r"(?:\s+the\s+(?:current|present|old))?\s*$", re.I)


def rates(text: str, *, replaced: bool = True) -> list[tuple[float, str]]:
    """How often something happens, as events per day ("every two hours" = 12,
    "twice a year" = 2/365), with the words that say it; without ``replaced``, a rate
    named as the one replaced ("instead of every hour") is left out."""
    out = []
    t = normalise(text)
    for m in _RATE.finditer(t):
        if not replaced and _REPLACED.search(t[max(0, m.start() - 30):m.start()]):
            continue
        if m.group("adv"):
            out.append((1 / _ADVERB_RATES[m.group("adv").lower()], m.group()))
            continue
        days = _PERIODS[(m.group("p") or m.group("q")).lower()]
        if m.group("k"):
            k = m.group("k").lower()
            n = 1.0 if k == "once" else 2.0 if k == "twice" else float(k.split()[0])
            out.append((n / days, m.group()))
        else:
            n = m.group("n")
            step = 2.0 if n == "other" else float(n) if n else 1.0
            out.append((1 / (step * days), m.group()))
    return out


_RELATIVE = re.compile(r"\b(?P<w>this|next|last|coming|previous|past)\s+(?P<u>year|month|week|"
                       r"quarter|spring|summer|autumn|winter|weekend)\b"
                       r"|\b(?P<d>today|tomorrow|yesterday)\b", re.I)
_WHEN = {"this": 0, "next": 1, "coming": 1, "last": -1, "previous": -1, "past": -1,
         "today": 0, "tomorrow": 1, "yesterday": -1}


_DAYS = re.compile(r"\b(?:(?P<all>every\s+day(?:\s+of\s+the\s+week)?|seven\s+days\s+a\s+week|"
                   r"daily)|(?:at|on|over)\s+(?:the\s+)?(?P<we>weekends?)|(?:on\s+)?(?P<wd>weekdays))\b",
                   re.I)


def day_scopes(text: str) -> list[tuple[str, str]]:
    """Which days something happens on: ("all", "every day"), ("weekend", "at weekends"),
    ("weekday", "on weekdays")."""
    return [("all" if m.group("all") else "weekend" if m.group("we") else "weekday",
             m.group()) for m in _DAYS.finditer(text)]


_PLACE = re.compile(r"\b(?P<p>in|at|near)\s+(?P<n>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2})\b")
_SEASON = re.compile(r"\b(spring|summer|autumn|winter)\b", re.I)
# a proper name ending in a head noun that says what kind of place or body it is
_NAMED_HEAD = re.compile(r"\b(?:[A-Z][a-z'’-]+\s+){1,3}(?P<head>Hospital|School|Academy|College|"
                         r"University|Station|Street|Road|Lane|Bridge|Park|Harbour|Port|Airport|"
                         r"Council|Court|Prison|Library|Museum|Stadium|Centre|Center|Estate|"
                         r"Quay|Square)\b")


def relative_times(text: str) -> list[tuple[str, int, str]]:
    """Times said relative to now ("next year", "last month", "tomorrow") as (unit,
    offset, words): "this year" and "next year" name different years."""
    out = []
    for m in _RELATIVE.finditer(text):
        if m.group("d"):
            out.append(("day", _WHEN[m.group("d").lower()], m.group()))
        else:
            out.append((m.group("u").lower(), _WHEN[m.group("w").lower()], m.group()))
    return out


# "Papers returned: 512 (61%)": a line of a key-value block (a notice, a table, a form)
_KV = re.compile(r"^[ \t]*(?:[-*\u2022][ \t]+)?\**(?P<k>[A-Za-z][^:\n]{0,60}?)\**[ \t]*:[ \t]*"
                 r"(?P<v>[^\n]{1,200})$", re.M)
# the labels of a count ("Yes: 398", "Against: 110") name no topic: which side a claim's
# figure is on is not read from them
_VOTE_LABEL = re.compile(r"\b(?:yes|no|ayes?|noes|nays?|for|against|abstain(?:ed|s)?|"
                         r"abstentions?)\b", re.I)
_PIECE = re.compile(r"[,;:()]|\s(?:and|but|while|whereas)\s|\s-\s")


# a value that is a sentence ("Agreed: the depot will hire 14 drivers", "CHAIR: We employ
# 40 staff"): a minute line or a speaker's turn, not a key's value
_SENTENCE_VALUE = re.compile(r"\b(?:is|are|was|were|be|been|will|would|shall|should|can|could|"
                             r"may|might|must|has|have|had|do|does|did)\b", re.I)


def _is_key(key: str, value: str) -> bool:
    """Whether ``key: value`` is a key and its value, not a speaker's turn ("MAYOR: We
    hired 40 staff") or a minute line ("Agreed: the board will ...")."""
    n = len(value.split())
    speaker = key.isupper() and len(key.strip()) > 1 and n >= 3
    return not speaker and n <= 6 and not _SENTENCE_VALUE.search(value)


def _keyed_lines(evidence: str) -> list[tuple[set[str], list[Quantity], str]]:
    """The key-value lines of ``evidence`` that give a figure, as (key words, figures,
    other text): empty unless there are two at least, so a lone "Note: ..." line is
    prose."""
    t = normalise(evidence)
    lines = [(set(content_tokens(_VOTE_LABEL.sub(" ", m.group("k")))), quantities(m.group("v")),
              m.group()) for m in _KV.finditer(t) if _is_key(m.group("k"), m.group("v"))]
    lines = [x for x in lines if x[1]]
    if len(lines) < 2:
        return []
    rest = _KV.sub(" ", t)
    return [(k, qs, rest) for k, qs, _line in lines]


def _under_its_key(q: Quantity, claim: str, keyed: list[tuple[set[str], list[Quantity], str]]
                   ) -> bool:
    """Whether a claim figure that a key-value block gives may stand under the key the
    claim puts it under: it fails only on positive evidence of another key, i.e. the
    claim's words around it name a key of the block whose value does not hold it and
    none whose value does ("840 papers were returned" against "Roll: 840 / Papers
    returned: 512"). A key in other words ("40 employees" under "Staff: 40"), a key of no
    content words ("Yes: 398") or a figure the evidence's prose gives too passes."""
    lines = [keys for keys, qs, _rest in keyed if _supported(q, qs)]
    if not lines or any(not keys for keys in lines) or _supported(q, quantities(keyed[0][2])):
        return True
    # another key names the claim's words only if its value is a figure of the same kind
    # ("61% of members" against "Members: 840" is a share of them, not their number)
    others = [keys for keys, qs, _rest in keyed
              if not _supported(q, qs) and any(x.unit == q.unit for x in qs)]
    at = claim.find(q.text)
    piece = claim
    if at >= 0:
        starts = [m.end() for m in _PIECE.finditer(claim, 0, at)]
        end = _PIECE.search(claim, at + len(q.text))
        lo = starts[-1] if starts else 0
        hi = end.start() if end else len(claim)
        # ... and the words between it and the claim's next or last figure ("40 people
        # at 3 sites": "sites" is the 3's)
        before = [m.end() for m in _DIGITS.finditer(claim, lo, at)]
        after = _DIGITS.search(claim, at + len(q.text), hi)
        piece = claim[(before[-1] if before else lo):(after.start() if after else hi)]
    local = set(content_tokens(piece))
    # antonyms share a key ("Wins" and "Losses"): they name no one key of the two
    return any(_names_key(keys, local) for keys in lines) or not any(
        _names_key({k for k in keys if not k.startswith("@")}, local) for keys in others)


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _names_key(keys: set[str], words: set[str]) -> bool:
    """Whether ``words`` name one of a key's words, a form of it too ("papers" the key
    "Paper", "returned" "Returns": the same first four letters)."""
    return bool(keys & words) or any(
        len(k) >= 4 and len(w) >= 4 and k[:4] == w[:4] and "@" not in k + w
        for k in keys for w in words)


_MONTH_NAMES = "|".join(sorted((m for m in MONTHS if len(m) > 3 or m == "may"), key=len,
                               reverse=True))
_TO = r"\s*(?:-|to|and|until|till|through)\s*"
# "from 1987 to 2004", "between February and June 2031": a period whose length a claim
# may give ("for 17 years", "in four months")
_YEAR = r"(?:19|20)\d\d"
_SPAN_YEARS = re.compile(rf"\b(?:(?:from|between)\s+(?P<a>{_YEAR}){_TO}|(?P<c>{_YEAR})-)"
                         rf"(?P<b>{_YEAR})\b", re.I)
_ORD = r"(?:st|nd|rd|th)?"
# "from 30 April to 1 May", "between May 3 and June 13, 2031": a day on each end or none
_DAY1 = rf"(?:(?P<d1>\d{{1,2}}){_ORD}\s+)?"
_DAY2 = rf"(?:(?P<d2>\d{{1,2}}){_ORD}\s+)?"
_SPAN_MONTHS = re.compile(rf"\b(?:from|between)\s+{_DAY1}(?P<m1>{_MONTH_NAMES})"
                          rf"(?:\s+(?P<e1>\d{{1,2}}){_ORD}\b)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
                          rf"{_TO}{_DAY2}(?P<m2>{_MONTH_NAMES})"
                          rf"(?:\s+(?P<e2>\d{{1,2}}){_ORD}\b)?(?:,?\s+(?P<y2>(?:19|20)\d\d))?\b",
                          re.I)
# "from 3 to 13 May": days of one month
_SPAN_DAYS = re.compile(rf"\b(?:from|between)\s+(?P<d1>\d{{1,2}}){_ORD}{_TO}(?P<d2>\d{{1,2}}){_ORD}"
                        rf"\s+(?P<m>{_MONTH_NAMES})\b", re.I)


def _days_between(y1: int, m1: int, d1: int, y2: int, m2: int, d2: int) -> int | None:
    """Days from one date to another (None for a date that does not exist)."""
    try:
        return (datetime.date(y2, m2, d2) - datetime.date(y1, m1, d1)).days
    except ValueError:
        return None


def _spans(hours: float, text: str) -> bool:
    """Whether ``text`` (normalised) names a period of about ``hours``: from the
    difference of its ends to one unit more, as a range may count both ends ("from 1987
    to 2004" is 17 or 18 years: a "2030-2031" season is one year or two; "between
    February and June" 4 to 5 months). Ends that give days are counted in days ("from
    30 April to 1 May" is 1 or 2 days, not a month), within a twentieth for rounding
    ("for six weeks" is 41 days)."""
    found: list[tuple[float, float]] = []
    day = _HOURS["day"]
    for m in _SPAN_YEARS.finditer(text):
        n = int(m.group("b")) - int(m.group("a") or m.group("c"))
        if n > 0:
            found.append((n * _HOURS["year"], (n + 1) * _HOURS["year"]))
    for m in _SPAN_MONTHS.finditer(text):
        m1, m2 = MONTHS[m.group("m1").lower()], MONTHS[m.group("m2").lower()]
        y2 = int(m.group("y2")) if m.group("y2") else None
        y1 = int(m.group("y1")) if m.group("y1") else (y2 - (m1 > m2) if y2 else None)
        d1, d2 = m.group("d1") or m.group("e1"), m.group("d2") or m.group("e2")
        if d1 and d2:
            # a year with no 29 February when none is given; the end after the start
            a, b = int(d1), int(d2)
            ya = y1 if y1 is not None else 2001
            yb = y2 if y2 is not None else ya + ((m1, a) > (m2, b))
            n = _days_between(ya, m1, a, yb, m2, b)
            if n is not None and n > 0:
                found.append((n * day * 0.95 - day, (n + 1) * day * 1.05))
            continue
        n = (y2 - y1) * 12 + m2 - m1 if y1 is not None and y2 is not None else (m2 - m1) % 12
        if n > 0:
            found.append((n * _HOURS["month"], (n + 1) * _HOURS["month"]))
    for m in _SPAN_DAYS.finditer(text):
        n = int(m.group("d2")) - int(m.group("d1"))
        if n > 0:
            found.append((n * day * 0.95 - day, (n + 1) * day * 1.05))
    return any(lo * 0.98 <= hours <= hi * 1.02 for lo, hi in found)


_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+|\n")


def _closest_sentences(claim: str, evidence: str) -> str:
    """The sentences of ``evidence`` (normalised) that share most content words with
    ``claim``: a span another sentence gives ("The bridge shut in 2030. Works ran from
    2031 to 2034") is about something else."""
    sents = [x for x in _SENT_SPLIT.split(_join_lines(normalise(evidence))) if x.strip()]
    if len(sents) < 2:
        return " ".join(sents)
    mine = set(content_tokens(claim))
    shared = [len(mine & set(content_tokens(x))) for x in sents]
    top = max(shared)
    return "\n".join(x for x, n in zip(sents, shared, strict=True) if n == top)


# a weekday just before a date ("Tuesday 4 March", "Tuesday, the 4th of March")
_WEEKDAY_BEFORE = re.compile(r"\b(?P<w>monday|tuesday|wednesday|thursday|friday|saturday|"
                             r"sunday),?\s+(?:the\s+)?$", re.I)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                  "sunday")


def _real_date(y: int, m: int, d: int) -> datetime.date | None:
    """The date, or None where it does not exist (31 April)."""
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def detail_mismatches(claim: str, evidence: str, context: str = "",
                      known_dates: list[str] | None = None, *,
                      any_rate: bool = False) -> list[str]:
    """Numbers, dates, months and weekdays of ``claim`` that ``evidence`` does not give.

    ``context`` (e.g. the source's title and date line) may vouch for years and
    dates only; ``known_dates`` are ISO dates the source is known by; frequencies
    ("every month") count only against evidence that gives one, or always with
    ``any_rate``.
    """
    missing: list[str] = []
    have = quantities(evidence)
    # a "from A to B" change answers only a claim figure that is itself a change ("rose
    # by 5 points"): "Half of the pupils" is no 50% rise
    deltas = changes(evidence) if "from" in evidence.lower() else []
    nclaim_c = normalise(claim) if deltas else ""
    ctx = quantities(context)
    # a key-value block only where a colon is (most evidence is one sentence without)
    keyed = _keyed_lines(evidence) if ":" in evidence else []
    nclaim_q = normalise(claim) if keyed else claim
    for q in quantities(claim):
        if _supported(q, have) or (deltas and _is_change(q, nclaim_c)
                                   and _supported(q, have + deltas)):
            if keyed and not _under_its_key(q, nclaim_q, keyed):
                missing.append(q.show())
            continue
        if q.hours is not None and _spans(q.hours, _closest_sentences(claim, evidence)):
            continue  # "for 17 years" against "from 1987 to 2004"
        if q.unit == "year" and (_supported(q, ctx) or any(
                d.y == q.value for _s, _e, d in find_dates(normalise(f"{evidence}\n{context}")))):
            continue  # "in 2024" of results "for the year ended 31 December 2024"
        if q.unit == "ord" and not any(h.unit == "ord" for h in have):
            continue  # "for the third year" against evidence that counts another way
        missing.append(q.show())
    # "every two hours, instead of every hour": the replaced rate is not the evidence's
    have_rates = rates(evidence, replaced=False)
    # "every month" against "twice a year"; evidence that gives no frequency at all
    # says nothing against one, unless ``any_rate`` (the claim's rate must be given)
    if have_rates or any_rate:
        for value, words in rates(claim):
            if not any(abs(value - h) <= 0.01 * max(value, h) for h, _w in have_rates):
                missing.append(words)
    # "every day of the week" against "at weekends": which days, when the evidence says
    ev_days = {k for k, _w in day_scopes(evidence)}
    for k, words in day_scopes(claim):
        if ev_days and k not in ev_days:
            missing.append(words)
    # "this year" against "next year": a relative time the evidence puts elsewhere
    have_rel = relative_times(evidence)
    for unit, when, words in relative_times(claim):
        theirs = {w for u, w, _x in have_rel if u == unit}
        if theirs and when not in theirs:
            missing.append(words)
    # "this autumn" against "in spring 2026": a season the evidence puts elsewhere
    ev_seasons = {w.lower() for w in _SEASON.findall(evidence)}
    for w in _SEASON.findall(claim):
        if ev_seasons and w.lower() not in ev_seasons:
            missing.append(w)
    # "Ashby Community Hospital" against "Kirton Memorial Hospital": a named place or
    # body of the same kind that the evidence names otherwise
    ev_named = {fold(m.group()).lower() for m in _NAMED_HEAD.finditer(evidence)}
    for m in _NAMED_HEAD.finditer(claim):
        head = m.group("head").lower()
        mine = fold(m.group()).lower()
        others = {x for x in ev_named if x.split()[-1] == head}
        if others and mine not in others and not any(x in mine or mine in x for x in others):
            missing.append(m.group())
    # "most were in Hexley" against "most were in Calderby": a place after the same kind
    # of preposition that the evidence names otherwise
    ev_places = {(m.group("p").lower(), fold(m.group("n")).lower())
                 for m in _PLACE.finditer(evidence)}
    ev_low = fold(evidence).lower()
    for m in _PLACE.finditer(claim):
        name = fold(m.group("n"))
        if name.lower() in MONTHS or name.lower() in WEEKDAYS or name.lower() in ev_low:
            continue
        others = {n for p, n in ev_places if p == m.group("p").lower()}
        if others and not any(n in fold(claim).lower() for n in others):
            missing.append(name)
    nclaim, nev = normalise(claim), normalise(evidence + "\n" + context)
    ev_dates = [d for _s, _e, d in find_dates(nev)]
    for kd in known_dates or []:
        parts = [int(p) for p in kd.split("-") if p]
        if len(parts) == 3:
            from whosaid.audit_sources import DateVal
            ev_dates.append(DateVal(*parts))
    claim_spans = []
    named_days: dict[str, set[tuple[int, int]]] = {}  # "Tuesday 4 March": its day and month
    for s, e, d in find_dates(nclaim):
        claim_spans.append((s, e))
        wd = _WEEKDAY_BEFORE.search(nclaim[max(0, s - 16):s])
        if wd and d.m and d.d:
            named_days.setdefault(wd.group("w").lower(), set()).add((d.m, d.d))
        if not any(d.agrees(x) for x in ev_dates):
            missing.append(nclaim[s:e])
    rest = "".join(c if not any(s <= i < e for s, e in claim_spans) else " "
                   for i, c in enumerate(nclaim))
    ev_words = set(re.findall(r"[a-z]+", nev.lower()))
    ev_months = {d.m for d in ev_dates if d.m}
    # "Tuesday 4 March" against "4 March 2031": the weekday the evidence's full date of
    # the claim's own day and month falls on (another date of the evidence says nothing
    # of it), where the evidence names no weekday of its own
    ev_weekdays = set() if ev_words & WEEKDAYS else {
        _WEEKDAY_NAMES[x.weekday()] for x in (
            _real_date(d.y, d.m, d.d) for d in ev_dates if d.y and d.m and d.d) if x
        and (x.month, x.day) in named_days.get(_WEEKDAY_NAMES[x.weekday()], set())}
    for w in re.findall(r"[A-Za-z]+", rest):
        low = w.lower()
        if (low in MONTHS and len(low) > 3 and w[0].isupper() and low not in ev_words
                and MONTHS[low] not in ev_months) or (low in WEEKDAYS and low not in ev_words
                                                      and low not in ev_weekdays):
            missing.append(w)
    return list(dict.fromkeys(missing))


# --- words for alignment -----------------------------------------------------------


# the adjectives of the lexicon that compare with "-er" ("stronger", "slower"); a verb with
# "-er" is an agent noun
_GRADABLE = frozenset("hard strong weak fast quick rapid slow full narrow high low early late "
                      "safe cheap wide".split())


def lemma_key(word: str, comparative: bool = False) -> str | None:
    """The antonym-lexicon key of a word form ("rejected" -> "d-"), if it has one;
    ``comparative``: the context reads an "-er" form as a comparison ("is fairer", "far
    clearer than"), so any lexicon adjective's comparative keeps its key."""
    w = IRREGULAR.get(word) or VERB_FORMS.get(word, word)
    cands = [w]
    for suf, rep in (("s", ""), ("es", ""), ("ed", ""), ("d", ""), ("ing", ""), ("ing", "e"),
                     ("est", ""), ("iest", "y"),
                     ("ied", "y"), ("ies", "y"), ("ly", ""), ("er", ""), ("r", ""),
                     ("ning", ""), ("ped", ""), ("ted", ""), ("ned", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 2:
            base = w[: len(w) - len(suf)] + rep
            if suf in ("er", "r") and base not in _GRADABLE and not comparative:
                continue  # "buyer", "backer", "opener" are who does it, not a comparison
            cands.append(base)
    for c in cands:
        c = IRREGULAR.get(c, c)
        if c in _LEXICON:
            return _LEXICON[c]
    return None


# what a tribunal or an appeal body decides on: upheld, it is accepted
_PLEA = r"(?:complaint|appeal|claim|objection|grievance|challenge|petition|application)"
_DET = r"(?:the|a|an|his|her|their|its|our|this|these|those|my|your)"
_PREP = r"(?:against|of|by|to|despite|on|in|for|from|with|after|over|about|under|at|into)"
# phrases that say one lexicon word: "stayed the same" = "unchanged", "voted against" =
# "opposed", "voted for" = "supported"
_PHRASES = [
    (re.compile(r"\b(?:stay|stays|stayed|staying|remain|remains|remained|remaining|keep|"
                r"keeps|kept|held|hold|holds|holding)\s+(?:at\s+)?(?:the\s+same|level|flat)\b",
                re.I), "unchanged"),
    (re.compile(r"\bno\s+change\b", re.I), "unchanged"),
    # "on schedule" / "behind schedule": on time against late; "short of staff" = lacks
    (re.compile(r"\bon\s+(?:schedule|track|time|course)\b", re.I), "ontrack"),
    (re.compile(r"\bbehind\s+(?:schedule|time)\b", re.I), "delayed"),
    (re.compile(r"\bshort\s+of\b", re.I), "lacking"),
    # "free of charge" / "at no cost" is one word, "free"
    (re.compile(r"\b(?:free\s+of\s+charge|at\s+no\s+(?:cost|charge)|without\s+charge)\b",
                re.I), "free"),
    # "was not charged (for)": the negated form of the one below, so that "was charged"
    # and "was not charged" still share their word
    (re.compile(r"\b(?:be|been|are|is|was|were|being)(?:\s+not|n't)\s+charged(?:\s+for)?\b",
                re.I), " not payable"),
    # "will have to pay for", "will be charged for": the opposite of "free"
    (re.compile(r"\b(?:(?:ha(?:ve|s|d)|having)\s+to\s+pay|(?:be|been|are|is|was|were|being)\s+"
                r"charged)(?:\s+for)?\b", re.I), "payable"),
    # "gave the council permission" = "granted permission"
    (re.compile(r"\b(?:give|gives|gave|given|giving)(?=\s+(?:\w+\s+){0,4}?(?:permission|"
                r"approval|consent|go-ahead|green\s+light)\b)", re.I), "granted"),
    (re.compile(r"\bvot(?:e|es|ed|ing)\s+against\b", re.I), "opposed"),
    # "will speed up" = "faster" (against "slow")
    (re.compile(r"\bspeed(?:s|ed|ing)?\s+up\b", re.I), "speedup"),
    # "decided against renewing", "turned down the offer", "threw out the appeal": rejected
    (re.compile(r"\b(?:decid(?:e|es|ed|ing)\s+against|turn(?:s|ed|ing)?\s+down|"
                r"(?:throw|throws|threw|thrown|throwing)\s+out)\b(?!\s+of\b)", re.I), "rejected"),
    (re.compile(r"\bvot(?:e|es|ed|ing)\s+(?:for|in\s+favour\s+of|in\s+favor\s+of)\b", re.I),
     "supported"),
    # upholding a complaint or an appeal accepts it (dismissing one rejects
    # it), while upholding a ruling or a fine keeps it (against "overturned")
    # The plea must be what is upheld: the head of the object ("upheld her pay complaint",
    # not "upheld the ruling against the appeal") or the subject of "was upheld" (not
    # "an appeal by the port the ban was upheld": a second noun phrase comes between)
    (re.compile(rf"\buph(?:old|olds|eld|olding)\b(?=\s+(?:{_DET}\s+)?(?:(?!{_PREP}\b|{_DET}\b)"
                rf"[\w'’-]+\s+){{0,2}}{_PLEA}s?\b)", re.I), "accepted"),
    (re.compile(rf"\b(?P<n>{_PLEA}s?\b(?:\s+{_PREP}\s+{_DET}\b|\s+"
                rf"(?!{_DET}\b|that\b)[\w'’-]+){{0,6}}?\s+(?:is|are|was|were|be|been|being)"
                r"(?:\s+not)?\s+)upheld\b", re.I), r"\g<n>accepted"),
]


# "back" after a verb of motion or return is a particle ("come back", "cut back",
# "was brought back", "paid back"): it says no support, unlike "backed the plan"
_PARTICLE_BACK = re.compile(
    r"\b(?P<pre>(?:com|go|bring|get|cut|scal|pay|giv|tak|win|hold|call|set|fight|look|put|"
    r"turn|roll|step|send|mov|sw(?:i|u)ng|fall|bounc|hit|push|claw|wind|dial|wr(?:i|o)t|"
    r"be|is|are|was|were|been|being|came|went|gone|brought|got|paid|gave|took|won|held|"
    r"fought|sent|fell|wound|pull|draw|drew|hand)(?:e|es|s|ed|ing|en|n|ten|ting|ped|ping)?)"
    r"\s+back\b", re.I)


# "no" as a label, not a determiner: "No. 14", "NO: 95", "Bus No 14" (capitalised after
# a word); "has no 24-hour pharmacy" and "no 3 buses" still negate. Bounded blanks keep it
# linear on a long run of spaces
_NO_FIGURE = re.compile(r"\b(?:[Nn][Oo]\.(?=[ \t]{0,3}\d)|[Nn][Oo](?=[ \t]{0,3}:[ \t]{0,3}\d)"
                        r"|(?<=[A-Za-z0-9] )N[Oo](?=[ \t]{1,3}\d))")
# "No, the club did not agree": an answer word opening a sentence says the negation
# that follows again, it does not cancel it ("did not agree" read twice negated)
_ANSWER_NO = re.compile(r"(?:^|(?<=[.!?:;\"'(\n]))[ \t\"']{0,3}\bno\b(?=[ \t]{0,3}(?:,|!|-[ \t]))",
                        re.I)
# ... unless it answers a question ("Has the board agreed? No, the vote is next week"):
# then it is the negation, unless a verb negator follows in its sentence ("No, it has not")
_ASKED = re.compile(r"\?|\basked\s+(?:whether|if)\b", re.I)
_LATER_NEG = re.compile(r"\b(?:not|never|cannot)\b|n't", re.I)
_STOP = re.compile(r"[.!?\n]")
# "Without consent, the mill cannot be rebuilt": a fronted "without" is the sentence's
# negation only where nothing else in the sentence negates
_LEAD_WITHOUT = re.compile(r"(?:^|(?<=[.!?\n]))[ \t\"']{0,3}(?P<w>without)\b", re.I)
_ANY_NEG = re.compile(r"\b(?:" + "|".join(sorted(w for w in NEGATORS if w != "n't")) + r")\b|n't",
                      re.I)


def _after(starts: list[int], at: int, stops: list[int]) -> int | None:
    """The first of ``starts`` at or after ``at`` in the same sentence (``stops``: the
    offsets of sentence ends), or None."""
    k = bisect.bisect_left(starts, at)
    j = bisect.bisect_left(stops, at)
    end = stops[j] if j < len(stops) else math.inf
    return starts[k] if k < len(starts) and starts[k] < end else None


def _sentence_negators(t: str) -> str:
    """``t`` with each answer word "No" that repeats a negation dropped and each one that
    answers a question written "not"; and a fronted "without" that another negator of its
    sentence says again written "with". Offsets are looked up by bisection: linear-log."""
    answers = list(_ANSWER_NO.finditer(t))
    fronted = list(_LEAD_WITHOUT.finditer(t))
    if not answers and not fronted:
        return t
    stops = [m.start() for m in _STOP.finditer(t)]
    edits: list[tuple[int, int, str]] = []
    if answers:
        q = _ASKED.search(t)
        asked = q.start() if q else len(t)
        negs = [m.start() for m in _LATER_NEG.finditer(t)]
        for m in answers:
            nxt = _after(negs, m.end(), stops) if asked < m.start() else None
            if nxt is not None and not t[m.end():nxt].strip(" \t,!-\"'"):
                # "No, not yet": the answer said again, no verb of its own
                nxt = _after(negs, nxt + 1, stops)
            answered = asked < m.start() and nxt is None
            edits.append((m.start(), m.end(), " not" if answered else " "))
    if fronted:
        anyneg = [m.start() for m in _ANY_NEG.finditer(t)]
        for m in fronted:
            if _after(anyneg, m.end("w"), stops) is not None:
                edits.append((m.start("w"), m.end("w"), "with"))
    out, at = [], 0
    for a, b, new in sorted(edits):
        out += [t[at:a], new]
        at = b
    out.append(t[at:])
    return "".join(out)


_COMPOUND = re.compile(r"\b([A-Za-z]+)-([A-Za-z]+)\b")
# the second part of a compound adjective: a participle ("county-supported", "well-known")
# or "non-stop", "start-up"; a noun such as "cut" or "rise" ("a tax-cut") keeps its sense
_COMPOUND_TAIL = re.compile(r"(?:ed|en|wn)$|^(?:stop|up)$")


def _words(text: str) -> list[str]:
    """The words of ``text`` as the polarity checks read them (a fresh list each call);
    clause-sized texts are kept, a long text is read afresh (the cache stays small)."""
    return list(_words_of(text) if len(text) <= 2000 else _words_of.__wrapped__(text))


@functools.lru_cache(maxsize=8192)
def _words_of(text: str) -> tuple[str, ...]:
    """:func:`_words`, kept per text: one clause is read many times (against each
    evidence clause, for negations, keys and scope), and a clause said again in a long
    text costs nothing more."""
    # codes that mix letters and digits ("NO2", "A9") are no words: "NO2" is not "no"
    t = re.sub(r"\b[A-Za-z]+\d[A-Za-z\d]*\b", " ", normalise(text))
    t = _PARTICLE_BACK.sub(lambda m: f"{m.group('pre')} again", t)
    # a compound ending in a lexicon word is one adjective: "county-supported buses",
    # "non-stop", "a start-up" say no support, stop or rise
    t = _COMPOUND.sub(lambda m: m.group(1) + m.group(2)
                      if _COMPOUND_TAIL.search(m.group(2).lower())
                      and lemma_key(m.group(2).lower()) else m.group(), t)
    t = _IMPLICIT_NEG.sub(" not ", t)
    # "No 14", "No. 3", "YES: 218  NO: 95": "no" before a figure numbers or counts, it
    # does not negate
    t = _NO_FIGURE.sub(" num ", t)
    t = _ANSWER_NO.sub(" ", t)
    for rx, word in _PHRASES:
        t = rx.sub(word, t)
    return tuple(_TOKEN.findall(t.lower().replace("n't", " n't")))


def conflate(w: str) -> str:
    """One key for a word's inflected and derived forms after :func:`stem`: "value" and
    "valued", "study" and "studied", "payment" and "pay" ("-ment" off a stem of three
    letters or more, a final "e" off, "y" as "i")."""
    if w.endswith("ment") and len(w) >= 8:
        w = w[:-4]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    if w.endswith("y") and len(w) >= 4:
        w = w[:-1] + "i"
    return w


def content_tokens(text: str) -> list[str]:
    """Stemmed content words for alignment: no stopwords, numbers, months or negators;
    antonyms share one key, so "approved" and "rejected" align."""
    out = []
    for w in _words(text):
        if w in STOPWORDS or w in NEGATORS or w in MONTHS or w in WEEKDAYS \
                or w[0].isdigit() or w in CURRENCY or len(w) < 2:
            continue
        key = lemma_key(w)
        out.append(f"@{key[:-1]}" if key else conflate(stem(VERB_FORMS.get(w, w))))
    return out


def coverage(claim_tokens: list[str], text_tokens: set[str]) -> float:
    """Share of the claim's content tokens present in a candidate's tokens; an antonym
    key ("@v0": rise or fall) weighs half a word, so a shared direction alone does not
    make a sentence say the claim."""
    if not claim_tokens:
        return 0.0
    weight = [0.5 if t.startswith("@") else 1.0 for t in claim_tokens]
    return sum(w for t, w in zip(claim_tokens, weight, strict=True)
               if t in text_tokens) / sum(weight)


# --- negation and antonyms ------------------------------------------------------------


def negated(text: str) -> bool:
    """Whether a clause is negated (an odd number of negators: "not unlike" is not)."""
    return _negations(_words(text)) % 2 == 1


_TIME_WORDS = frozenset("""spring summer autumn fall winter next end then later after now
today tomorrow year month week weekend morning evening night early late mid""".split())


def _until_time(ws: list[str]) -> bool:
    """"until" followed by a time ("until May", "until next year"), not a condition
    ("until the pay is fair")."""
    for k, w in enumerate(ws):
        if w in ("until", "till"):
            rest = [x for x in ws[k + 1:k + 4] if x not in ("the", "at", "least", "a")]
            return bool(rest) and (rest[0] in MONTHS or rest[0] in WEEKDAYS
                                   or rest[0][0].isdigit() or rest[0] in _TIME_WORDS)
    return False


# "without a permit" says "no permit": a negator of the clause (still a word for
# alignment, unlike NEGATORS)
_CLAUSE_NEG = NEGATORS | {"without"}


def _negations(ws: list[str], without: bool = True) -> int:
    """Negators of one clause; "not only" is none, and "not ... until <time>" limits
    when, it does not deny ("not expected until January" = "expected in January").
    ``without``: whether "without" may count."""
    n = 0
    # "without" negates the clause only where nothing else does: "cannot open the ward
    # without more nurses" is one negation, not two that cancel
    neg = _CLAUSE_NEG if without and not any(w in NEGATORS for w in ws) else NEGATORS
    alone = sum(w in neg for w in ws) == 1  # the clause has one negator
    # whether the first "until" after each position names a time, found in one pass (a
    # scan of the rest of the clause per "not" is quadratic on a long clause)
    timed = [False] * (len(ws) + 1)
    for j in range(len(ws) - 1, -1, -1):
        timed[j] = _until_time(ws[j:j + 4]) if ws[j] in ("until", "till") else timed[j + 1]
    for i, w in enumerate(ws):
        if w in neg and not (w == "not" and i + 1 < len(ws) and ws[i + 1] in ("only", "just")):
            if w in ("not", "n't") and timed[i + 1]:
                continue
            if w in ("not", "n't") and i + 1 < len(ws) and alone and _unprefixed(ws[i + 1]):
                # "not impossible": a double negative, read as "possible" (only where it is
                # the clause's one negator: with another, the parity reading stays)
                continue
            n += 1
    return n


_NEG_PREFIXES = ("un", "im", "in", "il", "ir", "dis", "non")


def _unprefixed(word: str) -> str | None:
    """The positive key of a word that is a lexicon word with a negative prefix
    ("impossible" -> "v36+", as "possible"; "unlikely" -> "v35+"), else None."""
    key = lemma_key(word)
    if not key or key[-1] != "-":
        return None
    for pre in _NEG_PREFIXES:
        if word.startswith(pre) and lemma_key(word[len(pre):]) == key[:-1] + "+":
            return key[:-1] + "+"
    return None


# a clause ending in a denial verb: "denied | that X" keeps X with the denial that negates it
_DENIED = re.compile(r"\bden(?:y|ies|ied|ying)[ \t]*$", re.I)


def _clauses(text: str) -> list[str]:
    """Clauses of ``text``; "saw no sign that X" stays one clause (the negation
    governs X), and a contrast after a comma (", not by the tenants") is no clause of
    its own: it says who, not whether."""
    # a line break ends a clause only where a line ends a form or list item: a wrapped
    # line ("has not\nrejected the bid") runs on, lower case to lower case
    t = _sentence_negators(_join_lines(_WRAP.sub(" ", normalise(_DASH.sub(" - ", text)))))
    out: list[str] = []
    begins: list[int] = []  # where each clause starts in t
    cur, at, start = "", 0, 0
    for m in _CLAUSE.finditer(t):
        piece = t[at:m.start()]
        at = m.end()
        if m.group().lower() == "that" and (_DENIED.search(piece[-12:]) or (
                _CLAIM_DENIED.search(piece[-60:]) and _THAT_SUBJECT.match(t, m.end()))):
            cur += piece + " that "  # the denial reads its "that"
            continue
        if m.group().lower() == "that" and _negations(_words(cur + piece)) % 2:
            cur += piece + " "
            continue
        if m.group().lower() == "or" and any(w in NEGATORS for w in _words(piece)[-3:]):
            # "no lamp or cone had been put out": the negation governs both
            cur += piece + " or "
            continue
        cur += piece
        out.append(cur)
        begins.append(start)
        cur, start = "", at
    out.append(cur + t[at:])
    begins.append(start)
    keep = []
    for k, c in enumerate(out):
        ws = _words(c)
        # where the clause stands in t, from the offsets (no search of the text for it)
        first = begins[k] if c and t.startswith(c, begins[k]) else -1
        if ws and ws[0] == "not" and len(ws) <= 5 and k and out[k - 1].rstrip() \
                and first > 0 and t[max(0, first - 200):first].rstrip().endswith(","):
            continue
        keep.append(c)
    return [c for c in keep if c and c.strip()]


def _merged_groups(text: str) -> list[tuple[str, list[str]]]:
    """Clauses of a claim, a clause of fewer than two content words joined to the one
    before ("... closed early because of the storm" is one clause), each with
    the :func:`_clauses` pieces it is made of (in order, so all pieces are the
    :func:`_clauses` split)."""
    out: list[tuple[str, list[str]]] = []
    last = 0  # content words of the clause before
    for c in _clauses(text):
        n = len(content_tokens(c))
        if out and (n < 2 or last < 2):
            out[-1][1].append(c)
            out[-1] = (out[-1][0] + " " + c, out[-1][1])
            last += n  # counted by piece: no count of the growing clause (quadratic)
        else:
            out.append((c, [c]))
            last = n
    return out


def _merged_clauses(text: str) -> list[str]:
    """The clauses of :func:`_merged_groups`, without their pieces."""
    return [c for c, _pieces in _merged_groups(text)]


_FILLER = frozenset("one single any longer more yet always even ever really able".split())


def _scope(text: str, width: int = 8) -> list[str]:
    """The content tokens in the ``width`` words after the first negator of ``text``, in
    order: what the negation is about ("no plans to lease the depot" -> plan, lease,
    depot; the first is the negated word: "not consulted" -> "consult"); empty
    without a negator."""
    ws = _words(text)
    for i, w in enumerate(ws):
        if w in _CLAUSE_NEG:
            return [t for t in content_tokens(" ".join(ws[i + 1:i + 1 + width]))
                    if t not in _FILLER]
    return []


def _negated_word(text: str) -> str | None:
    """The word a clause's first negator negates ("no one was injured" -> "injur")."""
    return next(iter(_scope(text, 7)), None)


def _speaks_to(claim: str, clause: str) -> bool:
    """Whether a polarity difference between a claim clause and an evidence clause is
    about the same thing: a word of what the negated side negates is on the other side
    ("was not proper consultation" says nothing against "raised charges from April")."""
    for neg, other in ((claim, clause), (clause, claim)):
        if negated(neg):
            words = set(_scope(neg))
            return not words or bool(words & set(content_tokens(other)))
    return True


_REFUSE_TO = re.compile(r"\b(?:refus|declin)(?:e|es|ed|ing)\s+to\b", re.I)


def _has_neg_decision(text: str) -> bool:
    return any(lemma_key(w) == "d-" for w in _words(text))


# "was denied funding", "were refused a loan": the subject did not get what was asked for;
# against a text that names no decision ("did not get funding", "received funding") it is
# read as that ("did not get"), against one that does ("the bank granted", "refused the
# loan") the decision check compares the two as before
_PASSIVE_DENIAL = re.compile(r"\b(?:was|were|is|are|be|been|being|get|gets|got)\s+"
                             r"(?:denied|refused)\b", re.I)


def _decision_signs(text: str) -> set[str]:
    """The signs of the decision words of ``text`` ("+" approve, "-" refuse)."""
    return {k[-1] for w in _words(text) if (k := lemma_key(w)) and k[:-1] == "d"}


def refusal(cue: str) -> bool:
    """Whether a reporting cue refuses or denies what it reports ("refused", "denied")."""
    return _has_neg_decision(cue) or bool(re.search(r"\bden(?:y|ies|ied|ying)\b", cue, re.I))


_COMPARE = {"more": "+", "fewer": "-", "less": "-"}
# words after which an "-er" form compares ("the rules are clearer", "much fairer"); after
# a determiner it is more often who does it ("a buyer", "every backer")
_BEFORE_COMPARATIVE = frozenset("is are was were be been being am seem seems seemed look "
                                "looks looked become becomes became remain remains remained "
                                "much far even still slightly somewhat rather no any".split())
# a clause opening with one of these has no subject of its own: the clause before's
_AUX = frozenset("is are was were has have had will would shall be been can could may might "
                 "must should".split())
_BOUND_WORDS = frozenset("a an half twice double triple one".split())
_POINTS = frozenset("start end beginning close middle turn".split())


def _keys(ws: list[str]) -> list[str]:
    """Antonym keys of a word list; "the start of the season" and "the end of June" name
    points in time, not a beginning or an ending, and carry no key."""
    out = []
    for i, w in enumerate(ws):
        if w in _POINTS and 0 < i < len(ws) - 1 and ws[i - 1] in ("the", "its", "their") \
                and ws[i + 1] == "of":
            continue
        if w in _COMPARE:
            # "ran fewer trips than in 2021" against "more than in the whole of 2021";
            # "more than 2,000" / "more than a third" is a bound, not a comparison
            rest = ws[i + 1:i + 6]
            if "than" in rest:
                after = rest[rest.index("than") + 1:][:1]
                if after and not (after[0][0].isdigit() or after[0] in _BOUND_WORDS):
                    out.append(f"vc{_COMPARE[w]}")
            elif rest and rest[0].isalpha() and rest[0] not in STOPWORDS \
                    and rest[0] not in _BOUND_WORDS and (i == 0 or ws[i - 1] not in (
                        "no", "any", "once", "the", "much", "far", "even", "or")):
                # "We carried fewer passengers": a comparison with the time before
                out.append(f"vc{_COMPARE[w]}")
            continue
        k = lemma_key(w, w.endswith("r") and (
            (i and ws[i - 1] in _BEFORE_COMPARATIVE) or ws[i + 1:i + 2] == ["than"]))
        if k and i and ws[i - 1] in ("not", "n't"):
            k = _unprefixed(w) or k  # "not impossible" says "possible"
        if k:
            out.append(k)
    return out


_AMOUNT = r"[€$£¥]?\d+(?:\.\d+)?%?(?:\s+(?:thousand|million|billion))?"
# "from 37% to 52%", "from £7.3 million in 2021 to £6.9 million"
_FROM_TO = re.compile(rf"\bfrom\s+(?:about\s+|around\s+)?(?P<a>{_AMOUNT})(?:\s+in\s+[\w/]+)?"
                      rf"\s+to\s+(?:about\s+|around\s+)?(?P<b>{_AMOUNT})")
# "2021/22: 37%; 2022/23: 52%": values labelled by successive periods
_BY_PERIOD = re.compile(rf"\b(?P<y>(?:19|20)\d\d)(?:[/-]\d{{2,4}})?\s*[:=]\s*(?P<v>{_AMOUNT})")


def _amount(text: str) -> Quantity | None:
    """The one amount of a "from A to B" side or a period's value; None when there are
    several, so a side that is not one figure makes no trend."""
    qs = [q for q in quantities(text) if q.unit not in ("year", "time", "ord", "mag")]
    return qs[0] if len(qs) == 1 else None


def trend(text: str) -> str | None:
    """The direction the figures of ``text`` move when no word says it: "+" or "-" for
    one "from A to B" of one unit, or for values of one unit labelled by successive
    years ("2021/22: 37%; 2022/23: 52%"); None when there is none, or more than one."""
    t = normalise(text)
    moves: list[str] = []
    for m in _FROM_TO.finditer(t):
        a, b = _amount(m.group("a")), _amount(m.group("b"))
        if a and b and a.unit == b.unit and not _same(a.value, b.value):
            moves.append("+" if b.value > a.value else "-")
    series = [(int(m.group("y")), _amount(m.group("v"))) for m in _BY_PERIOD.finditer(t)]
    if len(series) >= 2 and all(q for _y, q in series):
        years = [y for y, _q in series]
        vals = [q for _y, q in series if q]
        if years == sorted(set(years)) and len({q.unit for q in vals}) == 1 \
                and not _same(vals[0].value, vals[-1].value):
            moves.append("+" if vals[-1].value > vals[0].value else "-")
    return moves[0] if len(set(moves)) == 1 else None


def _stops(ws: list[str]) -> bool:
    """Whether a clause stops doing something ("stopped paying", "has ceased trading"):
    a word of stopping before an "-ing" verb (not "the ferry stops at the pier")."""
    return any(w.endswith("ing") and len(w) > 4 and (lemma_key(ws[i - 1]) == "v4-"
                                                     or ws[i - 1].startswith("ceas"))
               for i, w in enumerate(ws) if i)


def _keys_of(clause: str, group: str) -> bool:
    """Whether a clause has a word of an antonym group ("v4": start / stop)."""
    return any(k[:-1] == group for k in _keys(_words(clause)))


_CONDITION = frozenset({"if", "unless"})


def _asserts(clause: str) -> bool:
    """Whether a clause states something: a condition ("if the board does not approve
    it") does not. Questions are kept: their answer often follows in a form that shares
    no word with the claim ("Will it cut fares? No, it will not."), and the question is
    what carries the negation over to it."""
    ws = _words(clause)
    return not (ws and ws[0] in _CONDITION)


def polarity_flip(claim: str, evidence: str) -> tuple[bool, str]:
    """Whether ``claim`` asserts the opposite of ``evidence``, and why in a few words.

    Negation is compared clause by clause: each clause of the claim against the
    evidence clause(s) sharing most of its words, so a negation elsewhere in the
    sentence ("No one was injured") or two negated clauses of one evidence
    ("not yet agreed ... will not sign") do not cancel or count. Antonyms and
    decisions are compared between the whole claim and the evidence clauses that
    share its words ("a motion to double charges was approved" against "... proposed
    doubling charges. The motion was rejected").
    """
    # "refused to open" against "to open" with no decision word on the other side reads
    # "did not open"; against "rejected a plan to open" the decision check compares them
    signs: dict[str, set[str]] = {}

    def decides(text: str) -> set[str]:  # the decision signs of a text, read once
        if text not in signs:
            signs[text] = _decision_signs(text)
        return signs[text]
    if "-" not in decides(evidence):
        claim = _REFUSE_TO.sub("did not", claim)
    if "-" not in decides(claim):
        evidence = _REFUSE_TO.sub("did not", evidence)
    if not decides(evidence):
        claim = _PASSIVE_DENIAL.sub("did not get", claim)
    if not decides(claim):
        evidence = _PASSIVE_DENIAL.sub("did not get", evidence)
    # the evidence's clauses are merged as the claim's are: "... than those who did not"
    # keeps its "did not" with the clause it completes on both sides
    egroups = _merged_groups(evidence)
    cgroups = _merged_groups(claim)
    if all(_asserts(p) for _c, ps in cgroups for p in ps):
        # a condition states nothing: "If the board does not approve the
        # scheme, ..." says nothing against "The board backed the scheme"
        # (a merged clause keeps its pieces that state: "If it rains | the fair will not
        # open" states the second)
        kept = [[p for p in ps if _asserts(p)] for _c, ps in egroups]
        egroups = [(" ".join(ps), ps) for ps in kept if ps]
        if not egroups:
            return False, ""
    parts = [c for c, _p in egroups]
    ptoks = [set(content_tokens(c)) for c in parts]
    ctoks = {t for t in content_tokens(claim) if not t.startswith("@")}
    scored = [len(ctoks & pt) for pt in ptoks]
    best = max(scored, default=0)
    need = 1 if best <= 2 else 2
    chosen = [c for c, n in zip(parts, scored, strict=True) if n >= need and best] or [evidence]
    picked = set(chosen)  # membership by set: a list search per clause is quadratic
    # a clause with an antonym or decision word of the claim's kind, sharing a word,
    # is compared too ("... proposed doubling charges. The motion was rejected")
    groups_c = {k[:-1] for k in _keys(_words(claim))}
    # ... and a comparison right after a chosen clause (", more than in 2021"), or the
    # verb a chosen relative clause hangs on ("agreed to ease the speed at | which it shuts
    # branches")
    # ... or a predicate that shares a chosen clause's subject ("The appeal is not made
    # out | and is therefore rejected")
    chosen += [c for k, (c, n) in enumerate(zip(parts, scored, strict=True))
               if c not in picked and any(x[:-1] in groups_c and ((
                   n and not (x[:-1] == "d" and _own_object(c, ctoks))) or (
                   x[:-1] in ("vc", "d") and k and parts[k - 1] in picked
                   and (x[:-1] == "vc" or ((_words(c) or [""])[0] in _AUX
                                           and not _own_object(c, ctoks)))) or (
                   k + 1 < len(parts) and parts[k + 1] in picked))
                   for x in _keys(_words(c)))]
    flips = 0
    reasons: list[str] = []
    negated_sides: list[str] = []  # the negated clause of each negation difference
    # each evidence clause's negation parity and negated word, worked out once for all
    # the claim's clauses
    pws: dict[int, list[str]] = {}

    def pwords(k: int) -> list[str]:  # an evidence clause's words, once
        if k not in pws:
            pws[k] = _words(parts[k])
        return pws[k]
    pneg = [_negations(pwords(k)) % 2 for k in range(len(parts))]
    pscope: dict[int, str | None] = {}

    def scope(k: int) -> str | None:  # an evidence clause's negated word, once
        if k not in pscope:
            pscope[k] = _negated_word(parts[k])
        return pscope[k]
    cmerged = [c for c, _p in cgroups]

    stop_go: dict[int, tuple[bool, bool]] = {}  # each evidence clause's, worked out once

    def stop_go_of(k: int) -> tuple[bool, bool]:  # (stops doing, has a start/stop word)
        if k not in stop_go:
            stop_go[k] = (_stops(_words(parts[k])), _keys_of(parts[k], "v4"))
        return stop_go[k]
    # a claim clause said again ("one and a half ... one and a half") reads as it did the
    # first time: its outcome is kept, so repeated clauses cost one pass over the evidence
    # each, not one per repeat (that was quadratic on a long run of one phrase)
    outcome: dict[str, str | None] = {}
    for cc in cmerged:
        if cc in outcome:
            side = outcome[cc]
            if side is not None:
                negated_sides.append(side)
            continue
        outcome[cc] = None
        ct = {t for t in content_tokens(cc) if not t.startswith("@")}
        # a shared verb with an antonym key ("lose") breaks a tie between clauses
        ca = {t for t in content_tokens(cc) if t.startswith("@")}
        sc = [len(ct & pt) + (0.5 * len(ca & pt) if ct & pt else 0.0) for pt in ptoks]
        top = max(sc, default=0)
        if not ct or not top:
            continue
        cws = _words(cc)
        mine = _negations(cws) % 2
        tied = [k for k, n in enumerate(sc) if n == top]
        pn = pneg
        if cws[:1] == ["without"] and any("without" in pwords(k) for k in tied):
            # a fronted "Without a licence," is the condition alone, which the evidence
            # names too: its verb clause decides, the fragment is no second difference
            continue
        if "without" in cws and any("without" in pwords(k) for k in tied):
            # "without" on both sides names the same condition: the verbs' negations
            # decide ("can renew it without a new permit" against "may not renew it
            # without a new permit" is a flip, though each side has one negator)
            mine = _negations(cws, without=False) % 2
            pn = [_negations(pwords(k), without=False) % 2 for k in range(len(parts))]
        if len(tied) > 1:
            # clauses sharing as many words: the one where the negated word is shared
            # ("fishermen were not consulted" against "Fishermen's man said ..." and
            # "We were not consulted") is the one that speaks to the claim's negation
            word = _negated_word(cc)
            scoped = [k for k in tied if (word is not None and word in ptoks[k])
                      or scope(k) in ct]
            tied = scoped or tied
        if not mine:
            # a negated clause whose negated word is the claim clause's own, sharing
            # another word too, speaks to it even when a clause about something else
            # shares more ("expects a verdict on an aqueduct" against "... an aqueduct
            # over the moor. We do not expect a verdict ... until 2029")
            # ("... expect the ferry to sail in 2027; they do not expect the barge to
            # sail before 2031": a best clause that has the word itself answers)
            for k, n in enumerate(sc):
                if k not in tied and pn[k] and n >= 2:
                    word = scope(k)
                    if word in ct and not any(word in ptoks[j] for j in tied):
                        tied.append(k)
        if mine and any(pn[k] for k, n in enumerate(sc) if n >= 1):
            # a negated claim with a negated clause among those sharing its words ("not
            # one panel ... since the order" against "Nine months after the order, not a
            # single panel has come off"): the source says it negated too
            continue
        # "stopped paying" agrees with "no longer pays" / "does not pay" where the other
        # side has no word of stopping or going on ("continued paying" is antonyms); it
        # makes no negation against a plain clause ("stopped selling" / "was taken off sale")
        cstop, cgo = _stops(_words(cc)), _keys_of(cc, "v4")
        # the first tied clause that differs and speaks to the claim is the side: the
        # rest are not read (each costs a pass over both clauses' words)
        flipped = next((k for k in tied if pn[k] != mine
                        and not ((mine and stop_go_of(k)[0] and not cgo)
                                 or (pn[k] and cstop and not stop_go_of(k)[1]))
                        and _speaks_to(cc, parts[k])), None)
        if flipped is not None:
            outcome[cc] = cc if mine else parts[flipped]
            negated_sides.append(outcome[cc])
    cpieces = [p for _c, ps in cgroups for p in ps]
    epieces = [p for _c, ps in egroups for p in ps]
    pieces = cpieces + epieces
    # the decision each side states, a negator turning the decision word it governs ("did
    # not approve" is a refusal): compared once, so "did not approve the plan and rejected
    # it" is one refusal, not a refusal and a negation that cancel
    cdec = _decisions(cmerged, cpieces, dict(cgroups))
    edec = _decisions(chosen, epieces, dict(egroups))
    governs_d: dict[str, bool] = {}  # each distinct side once (a side may repeat)
    if cdec and edec:
        # a negation difference whose negator governs a decision word is that decision's
        in_parts, in_chosen = set(parts), set(chosen)
        for side in dict.fromkeys(negated_sides):
            governs_d[side] = (side not in in_parts or side in in_chosen) \
                and _governs(side, {"d"}, pieces, _VERB_NEG)
        negated_sides = [side for side in negated_sides if not governs_d[side]]
    neg_flips = len(negated_sides)
    if neg_flips % 2:
        flips += 1
        reasons.append("negation")
    cw, ew = _words(claim), [w for c in chosen for w in _words(c)]
    ckeys, ekeys = _keys(cw), _keys(ew)
    if "+" in cdec + edec and cdec and edec and cdec.count("-") % 2 != edec.count("-") % 2:
        flips += 1
        reasons.append("decision")
    if any(k[:-1] == "v0" for k in ckeys) and not any(k[:-1] == "v0" for k in ekeys):
        # "the share fell" against "2021/22: 37%; 2022/23: 52%": the figures say which way
        # ... in the sentences of the clauses about the claim (as ekeys), whole: a series
        # "2022/23: 40%; 2023/24: 47%" spans clauses, "Complaints went from 40 to 20"
        # after "Satisfaction stayed high." is about something else
        sents = re.split(r"(?<=[.!?])\s+", evidence)
        about = [s for s in sents if any(c.strip() and (c.strip()[:40] in s or s.strip() in c)
                                         for c in chosen)]
        move = trend(" ".join(about) or evidence)
        if move:
            ekeys.append(f"v0{move}")
    groups = {k[:-1] for k in ckeys + ekeys if k.startswith("v")}
    for g in sorted(groups):
        cs = {k[-1] for k in ckeys if k[:-1] == g}
        es = {k[-1] for k in ekeys if k[:-1] == g}
        if cs and es and not cs & es:
            flips += 1
            reasons.append("antonym")
    if "negation" in reasons and flips % 2 == 0 and not any(
            _governs(side, groups_c | {"d"}, pieces) for side in dict.fromkeys(negated_sides)):
        # "is not proven and is dismissed" against "upheld": the negator does not
        # govern the decision ("not ... rejected" would); two negative words for one
        # outcome say it twice, they do not cancel out
        flips += 1
    why = " and ".join(dict.fromkeys("negation" if r == "decision" else r for r in reasons))
    return flips % 2 == 1, why if flips % 2 else ""


# negators of a verb: "did not reject" accepts, while "nobody rejected" or "nothing
# ... backs" says who or what, and is left to the clause comparison
_VERB_NEG = frozenset({"not", "n't", "never", "cannot", "unable"})


def _decisions(clauses: list[str], pieces: list[str],
               own: dict[str, list[str]] | None = None) -> list[str]:
    """The decisions ``clauses`` state, "+" or "-" each: a decision word after a verb's
    negator in its piece (``pieces``: the :func:`_clauses` split) turns ("did not reject"
    is "+"), and a clause that states one outcome twice ("did not approve the plan and
    rejected it") states it once. ``own`` gives a merged clause's pieces directly, so
    no clause is searched for every piece (that was quadratic on long evidence)."""
    out: list[str] = []
    seen: dict[str, list[str]] = {}  # each piece's words, once
    for clause in clauses:
        signs: set[str] = set()
        mine = (own or {}).get(clause)
        if mine is None:
            mine = [p for p in pieces if p.strip() and p in clause]
        for piece in [p for p in mine if p.strip()] or [clause]:
            if piece not in seen:
                seen[piece] = _words(piece)
            ws = seen[piece]
            at = next((i for i, w in enumerate(ws) if w in _VERB_NEG), len(ws))
            turn = at < len(ws) and _negations(ws) % 2 == 1
            # the second part keeps its negator, so that "did not disagree" is read as
            # _negations reads it ("agree", no turn), not as "disagree" turned
            for part, flip in ((ws[:at + 1], False), (ws[at:], turn)):
                for k in _keys(part):
                    if k[:-1] == "d":
                        signs.add(("+" if k[-1] == "-" else "-") if flip else k[-1])
        out += sorted(signs)
    return out


_DETERMINERS = frozenset("the a an its their his her our this that these those".split())


def _own_object(clause: str, ctoks: set[str]) -> bool:
    """Whether ``clause`` names, after its decision word, a thing the claim does not
    ("... and will refuse the pool plan"): it shares the subject, not the topic, so it
    says nothing of the claim's decision ("and is therefore rejected" names none)."""
    ws = _words(clause)
    at = next((i for i, w in enumerate(ws) if (lemma_key(w) or " ")[:-1] == "d"), None)
    if at is None:
        return False
    # the object is the noun phrase right after the verb: "was refused by a show of
    # hands" has none, "will refuse the pool plan" has one
    rest = ws[at + 1:]
    while rest and rest[0] in _DETERMINERS:
        rest = rest[1:]
    obj = []
    for w in rest:
        if w in STOPWORDS or w in NEGATORS:
            break
        obj.append(w)
    return any(not t.startswith("@") and t not in ctoks for t in content_tokens(" ".join(obj)))


def _governs(clause: str, groups: set[str], pieces: list[str],
             negators: frozenset[str] = NEGATORS) -> bool:
    """Whether a negator of ``clause`` (a merged clause) stands in the same piece
    (``pieces``: the :func:`_clauses` split at "and", "or", commas) as an antonym or
    decision word of one of ``groups``: "did not formally reject" negates "reject"; in
    "is not proven and is dismissed" the negation ends before "dismissed"."""
    for c in [p for p in pieces if p.strip() and p in clause] or [clause]:
        ws = _words(c)
        at = next((i for i, w in enumerate(ws) if w in negators), None)
        # the word it governs comes after it: "unpaid overtime is not made out" does not
        # negate "unpaid"
        if at is not None and _negations(ws) % 2 \
                and any(k[:-1] in groups for k in _keys(ws[at + 1:])):
            return True
    return False


# --- names ------------------------------------------------------------------------------


# a list marker ("- ", "* ", "2. ", "3) "): a figure alone ("12 Tarrow divers ...") is none
_BULLET = re.compile(r"\s{0,6}(?:[-*+>\u2022\u2013\u2014]|\d{1,3}[.)])")


def names(text: str, skip: set[str]) -> set[str]:
    """Capitalised words that are not sentence-initial, stopwords, months or in ``skip``."""
    out = set()
    t = normalise(text)
    for m in _NAME.finditer(t):
        # the last character before the word, blanks skipped (no copy of the text before)
        j = m.start() - 1
        while j >= 0 and t[j].isspace():
            j -= 1
        if j < 0 or t[j] in ".!?:\"(" or (m.start() < 12 and _BULLET.fullmatch(t[:j + 1])):
            continue  # the first word of a sentence or of a list item ("- Divers found ...")
        word = m.group()
        low = word.lower()
        if low in STOPWORDS or low in MONTHS or low in WEEKDAYS or word in skip:
            continue
        out.add(word)
    return out


def missing_names(claim: str, source_text: str, skip: set[str]) -> list[str]:
    """Names of the claim that appear nowhere in the source."""
    have = {stem(w) for w in re.findall(r"[a-z]+", normalise(source_text).lower())}
    def bare(w: str) -> str:  # "Ashby's" is the name "Ashby"
        return re.sub(r"'s?$", "", w.lower())

    # "Okonkwo-Thornquist" is in a source that has "okonkwo" and "thornquist"
    return sorted(w for w in names(claim, skip)
                  if stem(bare(w).replace("'", "")) not in have and bare(w) not in have
                  and not all(p in have or stem(p) in have for p in bare(w).split("-")))


def idf_weight(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


# --- sentences a report sets out without asserting them ---------------------------------

# Verdict words: what a report says of a claim it quotes in order to judge it ("That is
# false.", "..., but that is wrong", "Posts falsely claimed ..."). Plain alternations, no
# nested quantifiers, so linear.
_VERDICT_WORDS = (r"false|untrue|not\s+true|wrong|incorrect|inaccurate|misleading|debunked|"
                  r"baseless|unfounded|unsubstantiated|unproven|fabricated|mistaken|"
                  r"erroneous|a\s+myth|a\s+hoax|not\s+the\s+case|no\s+(?:evidence|basis|truth)")
_VERDICT = re.compile(rf"\b(?:{_VERDICT_WORDS})\b", re.I)
# a flat denial standing as the whole reply to a claim ("It did not.", "He has not.", "It
# will not happen."): a sentence that goes on ("She would not overrule them.") is a new claim
# ("Funding did not change.", "He was not contradicted." go on: they say something new)
_DENIAL = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:did|does|do|has|have|had|is|was|were|are|will|"
                     r"would)(?:\s+not|n[’']t)(?:\s+(?:happen|so|exist|occur))?\W*$"
                     r"|^\W*(?:no|never)\W*$", re.I)
# a verdict reply opens on what it judges (a pronoun, "the claim", "there is") or with the
# verdict itself: "The old estimate was wrong." judges something else
_REPLY_OPEN = re.compile(rf"^\W*(?:that|this|it|which|these|those|there|none|neither|not|no|but|"
                         rf"the\s+(?:claim|rumou?r|allegation|post|suggestion)s?|such\s+claims|"
                         rf"{_VERDICT_WORDS})\b", re.I)
# the same judgement written as an adverb of the reporting verb: "falsely claimed"
_VERDICT_ADVERB = re.compile(r"\b(?:falsely|wrongly|wrongfully|incorrectly|inaccurately|"
                             r"misleadingly|mistakenly|erroneously|baselessly)\b", re.I)
# "..., but that is wrong" / "; this was untrue": a clause that judges what came before it
_JUDGING_CLAUSE = re.compile(rf"(?:[,;:]|\s[—–-])\s*(?:but\s+|and\s+|yet\s+)?(?:that|this|it|"
                             rf"which|the\s+claim|such\s+claims)\s+(?:is|was|has\s+been|"
                             rf"proved|turned\s+out\s+to\s+be)\s+(?:\w+\s+){{0,2}}?"
                             rf"(?:{_VERDICT_WORDS})\b", re.I)
# a sentence that names a claim as false before stating it ("The false claim that ...",
# "A misleading post about ...") or labels it as a claim set out for judging ("Claim: ...").
# ("It is not true that ...", "There is no evidence that ..." are the report's own denials:
# the polarity check reads their negation, so they stay claims.)
_REJECTING_OPEN = re.compile(
    rf"^\W*(?:the|a|an)\s+(?:{_VERDICT_WORDS}|viral)\s+(?:claims?|rumou?rs?|posts?|stor(?:y|ies)|"
    r"suggestions?|allegations?)\s+(?:that|about)\b"
    r"|^\W*(?:claim|myth|rumou?r|viral\s+claim|the\s+claim)\s*:", re.I)


def verdict_reply(sentence: str, words: int = 12, lead: int = 6) -> bool:
    """Whether a sentence reads as a verdict on the one before it: a short sentence (at most
    ``words`` words) with a verdict word among its first ``lead`` words ("That is false.",
    "There is no evidence for this.") or a flat denial and nothing more ("She did not.")."""
    ws = re.findall(r"[\w’']+", sentence)
    if not ws or len(ws) > words or re.match(r"\W*\w+(?:\s+\w+)?\s*:", sentence):
        return False  # "Verdict: False." judges the item a fact check set out, not this line
    head = " ".join(ws[:lead])
    return bool((_VERDICT.search(head) and _REPLY_OPEN.match(sentence))
                or _DENIAL.search(sentence))


def judged_in_place(sentence: str, cue_end: int = 0, content_start: int | None = None) -> bool:
    """Whether a sentence judges a claim it reports in its own words: a verdict adverb
    before the reported content ("falsely claimed that ...") or a judging clause after the
    reporting verb at ``cue_end`` (", but that is wrong")."""
    head = sentence if content_start is None else sentence[:content_start]
    return bool(_VERDICT_ADVERB.search(head) or _JUDGING_CLAUSE.search(sentence, cue_end))


# a claim named as such ("A rumour spread online that ...", "the claim that ..."): reported,
# whoever made it
_CLAIM_NOUN = re.compile(r"\b(?:claims?|rumou?rs?|allegations?|suggestions?|assertions?)\s+"
                         r"(?:\w+\s+){0,3}?(?:that|about)\b", re.I)


def names_a_claim(sentence: str) -> bool:
    """Whether a sentence reports a claim by naming it ("A rumour spread online that ...")
    rather than through a speaker and a reporting verb."""
    return bool(_CLAIM_NOUN.search(sentence))


def rejecting_open(sentence: str) -> bool:
    """Whether a sentence opens by naming what follows as a false claim ("The false claim
    that ...") or labelling it as a claim to be judged ("Claim: ...")."""
    return bool(_REJECTING_OPEN.search(sentence))


_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}
_LEAD_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]\s+|[-*•]\s+)?[*_]{0,2}\s*")


def wholly_quoted(sentence: str) -> bool:
    """Whether a sentence is one quotation and nothing else ("1. “Crime has doubled”"): a
    claim someone made, set out by the report to examine, with nobody named in it to check
    it against. A list number, bullet or emphasis around it is allowed."""
    body = _LEAD_MARK.sub("", sentence).rstrip(" \t\n.!?,*_")
    if len(body) < 3 or body[0] not in _QUOTES:
        return False
    close = _QUOTES[body[0]]
    inner = body[1:]
    return inner.endswith(close) and close not in inner[:-1] and body[0] not in inner[:-1]


# lines about the report itself, not the world: a disclaimer, a credit, a contact line,
# a note on rounding, a copyright line
_META = re.compile(
    r"\bnot\s+(?:intended\s+as\s+|to\s+be\s+taken\s+as\s+|a\s+substitute\s+for\s+)?"
    r"(?:legal|financial|medical|professional|investment|tax)\s+advice\b"
    r"|\b(?:figures|numbers|totals|percentages|amounts)\b[^.\n]{0,40}?\b(?:are|have\s+been|"
    r"were|may\s+be)\s+rounded\b|\bmay\s+not\s+(?:add|sum)\s+up\b"
    r"|\b(?:contact|e-?mail|enquiries|tel|telephone|phone)\s*:|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}"
    r"|©|\bcopyright\s+(?:\(c\)\s*)?\d{4}\b|\ball\s+rights\s+reserved\b"
    r"|^[^\w\n]{0,8}(?:prepared|written|compiled|produced|published|edited|researched)\s+(?:by|for)\b"
    r"|\bviews\s+expressed\b|\bdo(?:es)?\s+not\s+necessarily\s+(?:reflect|represent)\b"
    r"|\bfor\s+information\s+(?:only|purposes)\b|\berrors\s+(?:and|or)\s+omissions\b"
    r"|^[^\w\n]{0,8}corrections?\s*(?::|$|and\s+clarifications)|^[^\w\n]{0,8}(?:subscribe|sign\s+up)\b"
    , re.I | re.M)
_SELF = re.compile(
    r"\b(?:this|the\s+present)\s+(?:report|briefing|brief|note|article|story|page|document|"
    r"paper|analysis|fact[\s-]?check|summary|publication|newsletter|bulletin|memo|website|"
    r"factsheet|guide)\s+(?:is|was|has|does|should|may|cannot|can\s*not|aims|sets|draws|"
    r"reflects|represents|contains|uses|relies)\b", re.I)
# "This report has found that ...", "This briefing is clear: ...": the report's own finding
_FINDING = re.compile(r"\s+(?:\w+\s+){0,2}?(?:that\b|[^\W\d_]+\s*:)", re.I)


def about_itself(sentence: str) -> bool:
    """Whether a sentence is about the report itself rather than the world (a disclaimer,
    a credit or contact line, a note on rounding): it makes no claim to check."""
    if _META.search(sentence):
        return True
    m = _SELF.search(sentence)
    return bool(m and not _FINDING.match(sentence, m.end()))


# headings of a section that lists documents rather than saying anything: its lines name
# sources ("Tab 3  X Ltd, statement, 23 July 2024") and are no claims
# ("Sources of funding", "Index of prices", "Sources say ..." open prose, not a list)
_LIST_WORDS = (r"(?:references|sources|bibliography|index|bundle|works\s+cited|further\s+reading|"
               r"reading\s+list|documents|citations|endnotes)")
_LIST_HEADING = re.compile(rf"^\W*(?:[A-Z]\.?\s+|\d{{1,2}}\.?\s+)?(?:(?:list\s+of|index\s+to|"
                           rf"table\s+of)\s+(?:the\s+)?(?:\w+\s+){{0,2}}?)?(?:the\s+)?"
                           rf"{_LIST_WORDS}(?:\s+(?:and|&)\s+{_LIST_WORDS})?(?:\s+(?:cited|"
                           rf"consulted|used|quoted|mentioned|referred\s+to|relied\s+on))?\W*$",
                           re.I)


def list_heading(line: str) -> bool:
    """Whether a heading line opens a section that lists documents (references, sources,
    an index to a bundle): at most 8 words, no full stop, the listing phrase and nothing
    more ("Sources", "Index to the bundle", "References and sources", not "Sources of
    funding")."""
    text = line.strip().strip("#*_ ")
    return (0 < len(text.split()) <= 8 and not text.endswith((".", "!", "?"))
            and bool(_LIST_HEADING.match(text)))
