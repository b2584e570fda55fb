"""Speaker gender: female, male or unknown, from the document's own evidence first.

Media monitors (the Gender Gap Tracker, for one) count how often women and men
are quoted. whosaid does it carefully, for person speakers only:

1. **the text**: honorifics before the person's name ("Mrs.", "Ms.", "Miss",
   "Mr.", "Dame", "Sir", ...), gendered role nouns describing them in the
   mention, title or apposition ("spokeswoman", "congressman", "his wife"),
   and pronoun sources whosaid's resolver linked to them ("she said");
2. **the first name**, only when the text says nothing: the lexicon in
   :mod:`whosaid.names` (US Social Security name counts, names at least 95%
   one sex; unisex and rare names answer nothing);
3. otherwise, and whenever signals disagree, **unknown**: never a guess.

Every signal is counted in ``Speaker.gender_evidence`` (``{"honorific:female": 1,
"pronoun:female": 2}``) so a reader can see why. Honorifics and role nouns are
strong signals; a resolved pronoun is weaker (resolution can pick the wrong
person), so a pronoun that contradicts the first name gives unknown.
The corpus store combines documents with :func:`aggregate`. Set
``WHOSAID_GENDER=0`` (or ``--no-gender``) to switch it off: genders stay None.
No web or database imports.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from whosaid.model import Document, Gender, Speaker, SpeakerKind
from whosaid.names import first_name_gender

ENV = "WHOSAID_GENDER"
_F, _M = Gender.FEMALE, Gender.MALE
HONORIFICS: dict[str, Gender] = {
    "mrs": _F, "ms": _F, "miss": _F, "madam": _F, "madame": _F, "mme": _F, "dame": _F,
    "lady": _F, "mr": _M, "sir": _M, "lord": _M, "monsieur": _M,
}
# words that say a person's gender in English news; titles used for everyone
# ("chairman", "actor") are left out on purpose
FEMALE_ROLES = frozenset("""
spokeswoman congresswoman chairwoman councilwoman assemblywoman alderwoman
businesswoman anchorwoman policewoman sportswoman stateswoman committeewoman
countrywoman servicewoman saleswoman frontwoman forewoman craftswoman
woman girl lady mother mom mum wife daughter sister aunt niece grandmother
granddaughter widow girlfriend fiancee bride actress waitress hostess heiress
queen princess duchess empress countess baroness matriarch stepmother
""".split())
MALE_ROLES = frozenset("""
spokesman congressman councilman assemblyman alderman businessman anchorman
policeman sportsman statesman committeeman countryman serviceman salesman
frontman foreman craftsman
man boy gentleman father dad husband son brother uncle nephew grandfather
grandson widower boyfriend fiance groom king prince duke emperor baron
patriarch stepfather
""".split())
_HON = re.compile(r"\b(Mrs|Ms|Miss|Madam|Madame|Mme|Dame|Lady|Mr|Sir|Lord|Monsieur)\b\.?\s+",
                  re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_STOP = frozenset({"of", "for", "at", "in", "from", "to", "with", "who", "that", "on", ","})
PRONOUN_GENDER: dict[str, Gender] = {"she": _F, "her": _F, "hers": _F, "herself": _F,
                                     "he": _M, "him": _M, "his": _M, "himself": _M}
STRONG = ("honorific", "role")


def enabled() -> bool:
    """False when ``WHOSAID_GENDER`` is 0/false/no/off."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def role_gender(text: str) -> Gender | None:
    """The gender a role phrase states by its head noun ("the spokeswoman", "his wife")."""
    words = []
    for w in _WORD.findall(text.lower()):
        if w in _STOP:
            break
        words.append(w.removesuffix("'s").removesuffix("’s"))
    for w in reversed(words[-1:]):  # the head: the last word before a modifier starts
        if w in FEMALE_ROLES:
            return _F
        if w in MALE_ROLES:
            return _M
    return None


def title_genders(title: str) -> list[tuple[str, Gender]]:
    """(signal, gender) for each gendered word of a title ("Mrs.", "Congresswoman")."""
    out = []
    for w in _WORD.findall(title.lower()):
        if w in HONORIFICS:
            out.append(("honorific", HONORIFICS[w]))
        elif w in FEMALE_ROLES:
            out.append(("role", _F))
        elif w in MALE_ROLES:
            out.append(("role", _M))
    return out


def document_evidence(doc: Document, speaker: Speaker,
                      others: Iterable[str] = ()) -> Counter[str]:
    """The signals for one person speaker of ``doc``, as ``"signal:gender"`` counts.

    ``others`` are the names of the document's other people: an honorific
    before a bare surname counts only when no other person has that surname
    ("Mr. Clinton" must not make Hillary Clinton male).
    """
    ev: Counter[str] = Counter()
    for signal, g in title_genders(speaker.title or ""):
        if signal == "role" or not speaker.named:  # named: honorifics are read in the text
            ev[f"{signal}:{g}"] += 1
    if speaker.role and (g := role_gender(speaker.role)):
        ev[f"role:{g}"] += 1
    for att in doc.attributions:
        src = att.source
        if src is None or src.speaker is None or not _same(src.speaker, speaker):
            continue
        lower = src.text.strip().lower()
        if lower in PRONOUN_GENDER:
            ev[f"pronoun:{PRONOUN_GENDER[lower]}"] += 1
        elif not speaker.named and (g := role_gender(src.text)):
            ev[f"role:{g}"] += 1
    if speaker.named:
        for g in _honorifics(doc.text, speaker.name, others):
            ev[f"honorific:{g}"] += 1
    return ev


def _same(a: Speaker, b: Speaker) -> bool:
    return a is b or (a.id is not None and a.id == b.id)


def _honorifics(text: str, name: str, others: Iterable[str]) -> list[Gender]:
    """Honorifics written right before the person's full name or (if unshared) surname."""
    words = name.split()
    if not words:
        return []
    surname = words[-1]
    shared = any(o.split() and o.split()[-1] == surname and o != name for o in others)
    targets = [re.escape(name)]
    if len(words) > 1 and not shared:
        targets.append(re.escape(surname))
    pattern = re.compile(_HON.pattern + r"(?:" + "|".join(targets) + r")\b", re.IGNORECASE)
    out = []
    for m in pattern.finditer(text):
        word = m.group(1).lower()
        if m.group(0)[:1].isupper() or word in ("mr", "mrs", "ms"):
            out.append(HONORIFICS[word])
    return out


def decide(evidence: Mapping[str, int], first_name: Gender | None = None) -> Gender:
    """Female, male or unknown from counted signals; unknown on any real conflict."""
    strong = {g: sum(evidence.get(f"{signal}:{g.value}", 0) for signal in STRONG)
              for g in (_F, _M)}
    pron = {g: evidence.get(f"pronoun:{g.value}", 0) for g in (_F, _M)}
    if strong[_F] and strong[_M]:
        return Gender.UNKNOWN
    for g, other in ((_F, _M), (_M, _F)):
        if strong[g]:
            # text says g; pronouns saying the other more often than that is a conflict
            return Gender.UNKNOWN if pron[other] > strong[g] else g
    if pron[_F] and pron[_M]:
        return Gender.UNKNOWN
    for g, other in ((_F, _M), (_M, _F)):
        if pron[g]:
            return Gender.UNKNOWN if first_name is other else g
    return first_name or Gender.UNKNOWN


def speaker_gender(doc: Document, speaker: Speaker,
                   others: Iterable[str] = ()) -> tuple[Gender, dict[str, int]]:
    """(gender, evidence) of one person speaker of ``doc``."""
    ev = document_evidence(doc, speaker, others)
    first = None
    words = speaker.name.split()
    if speaker.named and len(words) > 1 and len(words[0].strip(".")) > 1:
        found = first_name_gender(speaker.name)
        first = Gender(found) if found else None
    elif speaker.named and len(words) == 1:
        first = _first_name_in_text(doc.text, words[0])
    if first is not None:
        ev[f"first_name:{first.value}"] += 1
    return decide(ev, first), dict(sorted(ev.items()))


def _first_name_in_text(text: str, surname: str) -> Gender | None:
    """A bare surname ("Husted said"): the first names the text writes before it.

    Counts only when every first name found there agrees ("Hillary Clinton" and
    "Bill Clinton" in one text give nothing).
    """
    if len(surname) < 2 or not surname[:1].isupper():
        return None
    pattern = re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?" + re.escape(surname) + r"\b")
    seen = {g for m in pattern.finditer(text) if (g := first_name_gender(m.group(1)))}
    return Gender(seen.pop()) if len(seen) == 1 else None


def assign_genders(doc: Document) -> Document:
    """Fill ``gender`` and ``gender_evidence`` of every person speaker of ``doc`` in place.

    Speakers that are not persons keep ``gender=None``; attributions share
    speaker objects by id, so their copies get the same values.
    """
    people = [s for s in doc.speakers if s.kind is SpeakerKind.PERSON]
    names = [s.name for s in people if s.named]
    decided: dict[str, tuple[Gender, dict[str, int]]] = {}
    for sp in people:
        gender, ev = speaker_gender(doc, sp, names)
        sp.gender, sp.gender_evidence = gender, ev
        decided[sp.id or sp.name] = (gender, ev)
    for att in doc.attributions:
        sp = att.source.speaker if att.source is not None else None
        if sp is not None and (sp.id or sp.name) in decided and sp.kind is SpeakerKind.PERSON:
            sp.gender, sp.gender_evidence = decided[sp.id or sp.name]
    return doc


def aggregate(votes: Iterable[Gender | str | None]) -> Gender:
    """One corpus speaker's gender from its documents' genders.

    Unknown documents abstain; the majority wins only when clear: a minority
    of a third or more of the voting documents is a conflict, hence unknown.
    """
    counts = Counter(Gender(v) for v in votes if v)
    f, m = counts[_F], counts[_M]
    if not f and not m:
        return Gender.UNKNOWN
    if f and m and min(f, m) * 3 >= f + m:
        return Gender.UNKNOWN
    return _F if f > m else _M
