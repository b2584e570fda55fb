"""Deterministic patterns that complement the tagger.

The CRF learns PolNeAR's verb-centred attributions well but rarely fires on
nominal ones ("Stoltenberg's perspective that ...", "a belief among alliance
leaders that ...", "the remarks from the leadership centred on the idea
that ..."), which briefings and reports use constantly. These rules add such
attributions only where the tagger found no cue, so they cannot undo what it
got right. They also keep citation markers out of every role.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from whosaid.extract.lexicon import CUE_NOUNS, PERSON_ROLE_NOUNS
from whosaid.extract.tagger import TaggedAttribution

NOMINAL_CUES = CUE_NOUNS - {"told", "report", "reports", "idea", "notion", "letter", "post",
                            "memo", "message", "note", "interview", "speech", "tweet"}
# Verbs that report speech or belief whatever the context, for the fallback rule.
CORE_VERBS = frozenset("""
say state argue claim warn assert note stress emphasise emphasize believe insist
contend maintain allege announce declare discuss acknowledge admit
""".split())
SOURCE_PREPS = frozenset({"from", "by", "among", "of"})
HOLDER_KINDS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _subtree(tok: Token) -> list[int]:
    return list(range(tok.left_edge.i, tok.right_edge.i + 1))


def _np(tok: Token) -> list[int]:
    """A noun phrase without its trailing relative or prepositional clauses."""
    left = tok.left_edge.i
    right = tok.i
    return list(range(left, right + 1))


def _holder(noun: Token) -> Token | None:
    """Who holds the view or made the remarks: possessor or from/by/among-phrase."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in SOURCE_PREPS:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                obj = objs[0]
                if child.lower_ == "of" and obj.ent_type_ not in HOLDER_KINDS:
                    continue
                return obj
    return None


def _clause(noun: Token) -> list[int] | None:
    """The content of a nominal cue: its that-clause, or what the cue noun is about."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children
        ):
            return _subtree(child)
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and child.pos_ in ("VERB", "AUX"):
            return _subtree(child)
    after = noun.right_edge.i + 1
    doc = noun.doc
    if after < len(doc) and doc[after].lower_ == "that" and doc[after].sent == noun.sent:
        # The parser often misattaches "a belief among X that ..."; the surface
        # order is reliable: the that-clause runs to the end of the sentence.
        end = noun.sent.end
        while end > after + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return list(range(after, end))
    if noun.dep_ in ("nsubj", "nsubjpass"):
        verb = noun.head
        for child in verb.children:
            if child.dep_ == "dobj":
                return _subtree(child)
            if child.dep_ == "prep" and child.lower_ in ("on", "to", "about"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _subtree(objs[0])
    return None


def _nominal(tok: Token) -> tuple[list[int], list[int]] | None:
    """(source, content) of a cue noun with a holder and a content clause."""
    holder = _holder(tok)
    content = _clause(tok)
    if holder is None or not content:
        return None
    source = _np(holder)
    if set(source) & set(content) or tok.i in content:
        return None
    return source, content


def nominal_attributions(doc: Doc, found: list[TaggedAttribution]) -> list[TaggedAttribution]:
    """Attributions headed by a cue noun; completes tagger cues on such nouns too."""
    by_token = {i: att for att in found for i in att.cue}
    out = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOMINAL_CUES:
            continue
        roles = _nominal(tok)
        if roles is None:
            continue
        att = by_token.get(tok.i)
        if att is None:
            out.append(TaggedAttribution([tok.i], roles[0], [roles[1]], 0.5, "rule:nominal"))
        elif not att.content:
            att.source, att.content = roles[0], [roles[1]]
    return out


def verb_attributions(doc: Doc, found: list[TaggedAttribution]) -> list[TaggedAttribution]:
    """A reporting verb with a subject and a clause or object the tagger passed over."""
    taken = {i for att in found for i in att.cue}
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.i in taken:
            continue
        if tok.lemma_.lower() not in CORE_VERBS:
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj" and c.lower_ not in ("it", "this")]
        if not subj:
            continue
        clause = [c for c in tok.children if c.dep_ == "ccomp"
                  and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if clause:
            content = _subtree(clause[0])
        elif tok.dep_ in ("relcl", "acl") and tok.head.pos_ == "NOUN":
            content = _np(tok.head)
        else:
            continue
        source = _subtree(subj[0])
        if set(source) & set(content):
            continue
        out.append(TaggedAttribution([tok.i], source, [content], 0.5, "rule:verb"))
    return out


def according_to_source(doc: Doc, found: list[TaggedAttribution]) -> None:
    """In "according to X", X is the source: the object of "to" is never content."""
    for att in found:
        cue = [doc[i] for i in att.cue]
        if len(cue) < 2 or cue[0].lower_ != "according" or cue[-1].lower_ != "to":
            continue
        objs = [c for c in cue[-1].children if c.dep_ == "pobj"]
        if not objs:
            continue
        source = _according_object(doc, objs[0])
        if not source or att.source == source:
            continue
        att.source = source
        taken = set(_subtree(objs[0]))  # a dropped clause is no content either
        kept = [[i for i in run if i not in taken] for run in att.content]
        att.content = [r for run in kept for r in _split(run) if r]


def _according_object(doc: Doc, obj: Token) -> list[int]:
    """The object of "according to" without a comma-set relative clause of place or
    possession ("the bureau, whose staff ...") and without the punctuation that closes
    it: such a clause comments on the source. Without the comma the clause says which
    one is meant ("parents whose children ...") and stays."""
    drop: set[int] = set()
    for tok in obj.subtree:
        for child in tok.children:
            start = child.left_edge.i
            if (child.dep_ == "relcl" and child.left_edge.lower_ in ("where", "whose", "when")
                    and start > 0 and doc[start - 1].text == ","):
                drop.update(range(start - 1, child.right_edge.i + 1))
    source = [i for i in _subtree(obj) if i not in drop]
    while source and doc[source[-1]].is_punct and doc[source[-1]].text not in (")", "”", "’", "''"):
        source.pop()
    return source


def strip_prepositions(doc: Doc, found: list[TaggedAttribution]) -> None:
    """ "among alliance leaders" -> "alliance leaders": a source is a noun phrase."""
    for att in found:
        while len(att.source) > 1 and doc[att.source[0]].pos_ == "ADP":
            att.source = att.source[1:]
        att.source = strip_dateline(doc, att.source)


def relative_clause_content(doc: Doc, found: list[TaggedAttribution]) -> None:
    """ "a paradox that observers discuss": the noun a reporting clause modifies is its content."""
    for att in found:
        if att.content:
            continue
        cue = doc[att.cue[-1]]
        if cue.dep_ in ("relcl", "acl") and cue.head.pos_ in ("NOUN", "PROPN"):
            content = _np(cue.head)
            if not set(content) & set(att.source):
                att.content = [content]


def drop_markers(found: list[TaggedAttribution], markers: list[tuple[int, int]],
                 doc: Doc) -> list[TaggedAttribution]:
    """Citation markers are metadata, not speech: no role may use their tokens."""
    if not markers:
        return found
    inside = {t.i for t in doc for s, e in markers if s <= t.idx < e}
    out = []
    for att in found:
        if inside & set(att.cue):
            continue
        if inside & set(att.source):
            att.source = []
        kept = [[i for i in run if i not in inside] for run in att.content]
        att.content = [r for run in kept for r in _split(run)]
        out.append(att)
    return out


def _split(tokens: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in tokens:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


DASHES = frozenset("―—–")


def _next_word(doc: Doc, i: int, step: int) -> int | None:
    """The nearest non-space token from i in direction step, on the same line."""
    i += step
    while 0 <= i < len(doc) and doc[i].is_space:
        if "\n" in doc[i].text:
            return None
        i += step
    return i if 0 <= i < len(doc) else None


def _name_after(doc: Doc, i: int | None) -> list[int]:
    """A capitalised name starting at token i, up to the end of its line ("Edwin G. Monroy")."""
    name: list[int] = []
    while i is not None and (doc[i].pos_ == "PROPN" or doc[i].text[:1].isupper()):
        name.append(i)
        i = _next_word(doc, i, 1)
    return name


def dash_attributions(doc: Doc, quote_id: list[int], found: list[TaggedAttribution]
                      ) -> list[TaggedAttribution]:
    """Pull-quote style: “...” ― Sonya Herridge. The dash is the cue.

    A no-break space often sits on either side of the dash in pasted text.
    """
    taken = {i for att in found for i in att.cue}
    out = []
    for tok in doc[1:]:
        if tok.text not in DASHES or tok.i in taken:
            continue
        mark = _next_word(doc, tok.i, -1)
        if mark is None or doc[mark].text not in ("”", '"', "''") or quote_id[mark] < 0:
            continue
        name = _name_after(doc, _next_word(doc, tok.i, 1))
        if not name:
            continue
        content = [i for i in range(tok.i) if quote_id[i] == quote_id[mark]]
        out.append(TaggedAttribution([tok.i], name, [content], 0.6, "rule:dash"))
    return out


def speaker_label_attributions(doc: Doc, found: list[TaggedAttribution]
                               ) -> list[TaggedAttribution]:
    """Transcript lines: "WALLACE: Let's start with ..." The colon is the cue.

    Only a paragraph that opens (after an optional quotation mark) with one to
    three all-capital words and a colon, and only in a text with at least two
    such paragraphs: a lone "UPDATE:" or "BYLINE:" is a kicker, not a speaker.
    """
    taken = {i for att in found for i in att.cue}
    out: list[TaggedAttribution] = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        starts_line = sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws
        if not toks or not starts_line:
            continue
        k = 1 if toks[0].text in ('"', "“", "''") else 0
        name = []
        while k < len(toks) and len(name) < 4 and toks[k].text.isupper() and len(toks[k]) > 1 \
                and toks[k].text.rstrip(".").isalpha():
            name.append(toks[k].i)
            k += 1
        if not name or len(name) > 3 or k >= len(toks) - 1 or toks[k].text != ":":
            continue
        colon = toks[k].i
        if colon in taken:
            continue
        end = _paragraph_end(doc, colon)
        content = [i for i in range(colon + 1, end) if not doc[i].is_space]
        if content:
            out.append(TaggedAttribution([colon], name, [list(range(content[0], content[-1] + 1))],
                                         0.6, "rule:speaker-label"))
    return out if len(out) >= 2 else []  # one label is a kicker ("UPDATE:"), not a transcript


def _paragraph_end(doc: Doc, i: int) -> int:
    while i < len(doc) and "\n" not in doc[i].text:
        i += 1
    return i


HEADLINE_SOURCES = frozenset("""
poll polls report survey study newspaper insider insiders historian historians analyst
analysts expert experts editorial aide aides official officials sources
""".split())
HEADLINE_KICKERS = frozenset("""
latest breaking exclusive update updates watch look wow revealed busted boom bombshell
leaked video photos live analysis opinion byline email
""".split())


def headline_attributions(doc: Doc, found: list[TaggedAttribution]
                          ) -> list[TaggedAttribution]:
    """A headline "Pence: Gennifer Flowers Won't Be at Debate." The colon is the cue.

    Only the first line, and only when what precedes the colon names someone:
    an entity (person, organisation, group, place), up to three proper nouns
    (a surname alone is rarely tagged as a person in a headline) or a source
    noun ("Poll:"),
    with no verb or preposition in it ("Obama on Climate Change:" is a topic)
    and no kicker word ("The Latest:", "Breaking:").
    """
    toks = [t for t in doc if not t.is_space]
    if not toks:
        return []
    end = _paragraph_end(doc, toks[0].i)
    colon = next((t.i for t in doc[toks[0].i:end] if t.text == ":"), None)
    if colon is None or colon == toks[0].i or colon in {i for a in found for i in a.cue}:
        return []
    name = [t for t in doc[toks[0].i:colon] if not t.is_space]
    lowers = {t.lower_ for t in name}
    if (len(name) > 5 or lowers & HEADLINE_KICKERS
            or any(t.pos_ in ("VERB", "ADP", "AUX", "PRON") for t in name)
            or not (any(t.ent_type_ in HOLDER_KINDS for t in name)
                    or name[-1].lower_ in HEADLINE_SOURCES
                    or (len(name) <= 3 and all(t.pos_ == "PROPN" for t in name)))):
        return []
    content = [t.i for t in doc[colon + 1:end] if not t.is_space]
    if content and doc[content[-1]].text == "." and len(content) > 1:
        content.pop()  # PolNeAR leaves the full stop it appends to headlines out
    if not content:
        return []
    return [TaggedAttribution([colon], [t.i for t in name],
                              [list(range(content[0], content[-1] + 1))], 0.6, "rule:headline")]


NESTED_DROPPABLE = {"tagger", "minilm", "rule:verb"}  # methods drop_nested may drop


def drop_nested(found: list[TaggedAttribution]) -> list[TaggedAttribution]:
    """Drop an attribution whose cue lies inside another attribution's content.

    Learned from PolNeAR train: across its 840 articles no gold cue, source or
    content overlaps another attribution's span (a shared source excepted), so
    "Aides said Smith told them he would run" is one attribution whose content
    holds the reported report, not two nested ones. Taggers that look at one
    cue at a time nest freely; keeping the outer one matches the annotation.
    Attributions made by the structural rules above stay: each is a pattern
    precise enough to stand ("Stoltenberg's perspective that ..." inside a
    longer remark is still his perspective); the fallback verb rule's do not.
    """
    runs_at: dict[int, set[tuple[int, int]]] = {}  # token -> (attribution, content run)
    for j, other in enumerate(found):
        for k, run in enumerate(other.content):
            for t in run:
                runs_at.setdefault(t, set()).add((j, k))
    inner = set()
    for i, att in enumerate(found):
        if not att.cue or att.method not in NESTED_DROPPABLE:
            continue
        common = set.intersection(*(runs_at.get(t, set()) for t in att.cue))
        if any(j != i for j, _ in common):
            inner.add(i)
    return [att for i, att in enumerate(found) if i not in inner]


# "dep": the parser's label of last resort, often a second verb ("X hesitated, then explained")
SUBJECT_LINKS = frozenset({"advcl", "conj", "xcomp", "pcomp", "prep", "dep"})
NOT_SOURCES = frozenset({"it", "this", "that", "which", "who", "there", "what"})
# "The decision angered X": X holds the feeling the cue reports
EXPERIENCER_VERBS = frozenset("""
anger annoy frustrate upset concern disturb bother please surprise shock disappoint excite
thrill delight outrage offend alarm scare frighten terrify trouble puzzle baffle amaze
astonish stun impress hurt sadden worry embarrass rattle convince persuade miff irritate
dismay infuriate enrage
""".split())
# a cause that is plainly no person: a pronoun for a thing or a fact ...
THING_PRONOUNS = frozenset({"it", "this", "that", "these", "those", "what", "which"})
# ... or a noun made from a verb or an adjective ("the decision", "its harshness")
THING_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ity", "ness", "ism", "ing")


def _free_subject(doc: Doc, subj: Token, att: TaggedAttribution) -> list[int] | None:
    """The subject's whole subtree (appositions included, as PolNeAR marks sources),
    unless it is a pronoun that names nothing or overlaps the cue or the content."""
    if subj.lower_ in NOT_SOURCES:
        return None
    source = _subtree(subj)
    taken = {i for run in att.content for i in run} | set(att.cue)
    while source and (doc[source[0]].is_punct or source[0] in taken):
        source = source[1:]  # a closing quotation mark the parser hung on the subject
    # a verb with dependents of its own labelled subject is a clause, not a speaker
    clause = subj.tag_.startswith("VB") and any(c.dep_ not in ("punct", "cc")
                                                 for c in subj.children)
    if not source or set(source) & taken or clause:
        return None
    return strip_dateline(doc, source)


QUOTE_CLOSERS = frozenset({"”", "»", '"', "''", "’’"})
MAX_INVERTED = 12  # tokens of a "“…,” NAME, TITLE, said" source between quote and cue
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _after_quotation(doc: Doc, att: TaggedAttribution) -> list[int] | None:
    """ "“…,” city police Chief Jo Doe said Monday": the words between a closing
    quotation mark and the cue, when the parse gives the cue no subject there
    (a title before a name is often parsed as a verb). A short run that starts
    like a noun phrase and holds a noun or pronoun; never past the sentence."""
    c0 = min(att.cue)
    if doc[c0].lower_ == "according":
        return None  # its source follows it (according_to_source)
    start = doc[c0].sent.start
    j = c0 - 1
    while j >= start and c0 - j <= MAX_INVERTED + 1 and doc[j].text not in QUOTE_CLOSERS:
        j -= 1
    if j < start or doc[j].text not in QUOTE_CLOSERS:
        return None
    span = [i for i in range(j + 1, c0)]
    while span and doc[span[0]].is_punct:
        span = span[1:]
    if not span or len(span) > MAX_INVERTED:
        return None
    first = doc[span[0]]
    if not (first.is_title or first.pos_ in ("PRON", "DET", "PROPN", "NOUN", "ADJ")):
        return None
    if not any(doc[i].pos_ in ("PROPN", "NOUN", "PRON") for i in span):
        return None
    if any(doc[i].text in (".", "!", "?", ";") for i in span):
        return None
    if any(doc[i].tag_ in FINITE and not doc[i].is_title for i in span):
        return None  # "“…,” she said at a briefing announcing ...": a clause, not a name
    if set(span) & set(att.cue):
        return None
    # the tagger often runs the content on past the closing mark up to the cue:
    # the quotation ends at its closing mark, the words after it are the speaker's
    runs = [[i for i in run if i <= j] if run and run[0] <= j < run[-1] else run
            for run in att.content]
    if set(span) & {i for run in runs for i in run}:
        return None
    att.content = [run for run in runs if run]
    return span


def _depth(tok: Token) -> int:
    """Steps from ``tok`` to its sentence root (the parse is a tree; the bound guards a cycle)."""
    n = 0
    while tok.head.i != tok.i and n < 200:
        tok, n = tok.head, n + 1
    return n


def cue_head(doc: Doc, cue: list[int]) -> Token:
    """The cue's governing word: of the cue tokens whose head lies outside the cue, the
    verb highest in the tree ("walked away convinced": the parser hangs "away" on "walked"
    and "convinced" on the first verb of the sentence). A cue at the root of its sentence
    ("has said") is its own head, so it takes the root's subject, never a verb's
    (:func:`_free_subject`)."""
    inside = set(cue)
    tops = [doc[i] for i in cue if doc[i].head.i not in inside or doc[i].head.i == i]
    first = tops[0] if tops else doc[cue[0]]
    verbs = [t for t in tops if t.pos_ in ("VERB", "AUX")]
    return min(verbs, key=_depth) if verbs else first


def _cue_head(doc: Doc, att: TaggedAttribution) -> Token:
    """:func:`cue_head` of an attribution (the rules below read it from one)."""
    return cue_head(doc, att.cue)


# verbs of asking: the subject a bare past participle of them shares is the one asked
ASKING_VERBS = frozenset("ask question press quiz query".split())


def asked_participle(head: Token) -> bool:
    """ "Asked about X, she said", "When pressed, he said": a bare past participle of
    asking shares its subject with the clause it hangs on, and that subject is the one
    asked, not the asker, so it is no source of the asking cue. "She was asked"
    (auxiliary), "She asked" (finite), "having asked", "asked by a reporter" (the asker
    named) and "the question asked" (a participle on a noun) keep theirs."""
    return (_asking_past_participle(head) and head.dep_ == "advcl"
            and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent")
                        for c in head.children))


def _asking_past_participle(head: Token) -> bool:
    """ "asked", "pressed", "questioned" as a past participle (VBN): the shape both
    :func:`asked_participle` and :func:`_asking_agent` start from."""
    return head.tag_ == "VBN" and head.lemma_.lower() in ASKING_VERBS


def _asking_agent(head: Token) -> list[int] | None:
    """ "Asked by a reporter whether ...": the "by" agent of an asking participle is the
    asker, so its phrase is the source (PolNeAR train gold: 13 of 13 such shapes)."""
    if not (_asking_past_participle(head) and head.dep_ in ("advcl", "acl")):
        return None
    for c in head.children:
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return [t.i for t in objs[0].subtree]
    return None


def asked_person(doc: Doc, cue: list[int]) -> Token | None:
    """The one asked by an asking participle (:func:`asked_participle`): the subject of
    the clause the participle hangs on ("Asked ..., Cole smiled" -> Cole). Resolution
    keeps it as a mention, since the asking cue no longer has it for its source."""
    tok = cue_head(doc, cue)
    if not asked_participle(tok):
        return None
    subj = _shared_subject(tok)[1]
    return None if subj is None or subj.lower_ in NOT_SOURCES else subj


def _shared_subject(tok: Token) -> tuple[Token, Token | None]:
    """The subject a participle or dependent verb shares with the clause it hangs on: up
    to three ``SUBJECT_LINKS`` steps up to the first word with a subject. Returns the word
    reached and that subject (None when the climb found none)."""
    steps = 0
    while tok.dep_ in SUBJECT_LINKS and tok.head.i != tok.i and steps < 3:
        tok, steps = tok.head, steps + 1
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return tok, subj[0]
    return tok, None


def _experiencer(doc: Doc, head: Token, att: TaggedAttribution) -> list[int] | None:
    """ "This has alarmed X", "Tenants were angry that ...": the one who feels is the
    source of a feeling verb, whatever the tagger took for it.

    Active, the feeler is the object and the subject the cause; the tagger reads the
    feeler as content and the cause as source, so the two change places, but only
    where the cause is plainly no person (:func:`_thing`): a person who persuades or
    surprises others acts, and "persuaded X to ..." tells X's later act. Passive
    without a by-phrase, the feeler is the subject, which the tagger often leaves as a
    lone piece of content.
    """
    if head.lemma_.lower() not in EXPERIENCER_VERBS:
        return None
    kids = list(head.children)
    if any(c.dep_ == "agent" for c in kids):
        return None
    cue = set(att.cue)
    passive = next((c for c in kids if c.dep_ == "nsubjpass"), None)
    if passive is not None:
        if passive.lower_ in NOT_SOURCES:
            return None
        source = [i for i in _subtree(passive) if i not in cue]
        rest = [run for run in att.content if not set(run) <= set(source)]
        if not source or {i for run in rest for i in run} & set(source):
            return None
        att.content = rest
        return source
    if any(c.dep_ == "auxpass" for c in kids):
        return None
    cause = next((c for c in kids if c.dep_ == "nsubj"), None)
    felt = next((c for c in kids if c.dep_ == "dobj"), None)
    if (cause is None or felt is None or felt.lower_ in NOT_SOURCES or not _thing(cause)
            or any(c.dep_ == "xcomp" for c in kids)):
        return None
    clauses = {i for c in felt.children if c.dep_ in ("ccomp", "relcl", "acl", "advcl")
               for i in range(c.left_edge.i, c.right_edge.i + 1)}
    source = [i for i in _subtree(felt) if i not in clauses]
    while source and doc[source[-1]].is_punct:
        source.pop()
    if not source or set(source) & cue:
        return None
    held = set(source)
    content = [r for run in att.content for r in _split([i for i in run if i not in held]) if r]
    att.content = content or ([att.source] if att.source else [])
    return source


def _thing(tok: Token) -> bool:
    """A subject that cannot be a person: a pronoun for a thing or a fact, or a common
    noun made from a verb or adjective. A list of person nouns is never complete
    ("donors", "the jury"), so anything else counts as possibly a person."""
    if tok.lower_ in THING_PRONOUNS:
        return True
    lemma = tok.lemma_.lower()
    return (tok.pos_ == "NOUN" and not tok.ent_type_ and lemma not in PERSON_ROLE_NOUNS
            and (lemma in CUE_NOUNS or (len(lemma) > 5 and lemma.endswith(THING_SUFFIXES))))


DATELINE_DASHES = frozenset({"-", "--", "—", "–", "―"})


def _place(doc: Doc, toks: list[int]) -> bool:
    """A dateline's place: words in capitals ("NEW YORK"), then at most a state after a
    comma ("RIVERTON, Ohio", "X, S.C.") and an agency in brackets ("(AP)"). A title, a
    name in ordinary case or an abbreviation with points ("U.S.") is no place."""
    words = [doc[j] for j in toks]
    if words and words[-1].text == ")":
        close = len(words) - 1
        if close < 3 or words[close - 2].text != "(" or not words[close - 1].is_upper:
            return False
        words = words[:close - 2]
    comma = next((n for n, t in enumerate(words) if t.text == ","), len(words))
    place, state = words[:comma], words[comma + 1:]
    return (bool(place) and all(t.is_alpha and t.is_upper for t in place)
            and any(len(t) > 1 for t in place) and len(state) <= 3
            and all(t.text[:1].isupper() and (t.is_alpha or t.text.endswith(".")) for t in state)
            and (comma == len(words) or bool(state)))


def strip_dateline(doc: Doc, source: list[int]) -> list[int]:
    """ "WASHINGTON -- Sen. X" -> "Sen. X", "The Latest: X" -> "X": a dateline or kicker
    that opens the paragraph is no part of the subject it precedes."""
    if len(source) < 3:
        return source
    first = doc[source[0]]
    if first.i > 0 and "\n" not in doc[first.i - 1].text_with_ws and not doc[first.i - 1].is_space:
        return source
    for k, i in enumerate(source[:8]):
        tok = doc[i]
        if tok.text in DATELINE_DASHES and k > 0:
            rest = source[k + 1:]
            if (doc[i - 1].whitespace_ and tok.whitespace_ and rest
                    and doc[rest[0]].text[:1].isupper()
                    and not any(doc[j].text in DATELINE_DASHES and doc[j - 1].whitespace_
                                and doc[j].whitespace_ for j in rest)
                    and _place(doc, source[:k])):
                return rest
            return source
        if tok.text == ":" and 0 < k <= 3:
            if {doc[j].lower_ for j in source[:k]} & HEADLINE_KICKERS:
                return source[k + 1:] or source
            return source
    return source


def _outside(att: TaggedAttribution, source: list[int]) -> list[int] | None:
    """``source``, or None where it is empty or meets the cue or the content."""
    taken = {i for run in att.content for i in run} | set(att.cue)
    if not source or set(source) & taken:
        return None
    return source


# events are no speakers: "a rally in the capital demanding ..." (PolNeAR train gold never
# makes the gathering the source of such a participle)
GATHERINGS = frozenset({"rally", "protest", "march", "hearing", "meeting", "conference", "event",
                        "debate", "vigil", "reception", "session", "ceremony", "summit"})
NOT_HOLDERS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"})


def _participle_holder(doc: Doc, verb: Token, att: TaggedAttribution) -> list[int] | None:
    """ "The clip shows nurses holding signs and warning about ...": an -ing participle
    that modifies a noun (``acl``) has that noun for its subject, so the noun phrase
    before the participle is the source; "a choir of miners singing about ..." keeps
    its whole "choir of" phrase. A time or a measure ("ten minutes of tape showing")
    and an adverbial phrase ("in the second hour shouting") speak for no one."""
    if verb.dep_ != "acl" or verb.tag_ != "VBG":
        return None
    noun = verb.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lower_ in NOT_SOURCES or _thing(noun):
        return None
    while (noun.dep_ == "pobj" and noun.head.dep_ == "prep"
           and noun.head.head.pos_ in ("NOUN", "PROPN") and noun.head.head.i < noun.i):
        noun = noun.head.head
    if (noun.ent_type_ in NOT_HOLDERS or noun.dep_ in ("pobj", "npadvmod")
            or noun.lemma_.lower() in GATHERINGS):
        return None
    if noun.i == verb.head.i:  # "a video of the senator saying": the senator speaks
        for prep in noun.children:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if (prep.lower_ == "of" and obj is not None and obj.right_edge.i == verb.left_edge.i - 1
                    and (obj.ent_type_ == "PERSON" or obj.lemma_.lower() in PERSON_ROLE_NOUNS)
                    and (obj.pos_ == "PROPN"
                         or any(c.dep_ in ("det", "poss") for c in obj.children))):
                noun = obj
    source = [i for i in _subtree(noun) if i < verb.left_edge.i]
    while source and doc[source[-1]].is_punct:
        source.pop()
    return _outside(att, strip_dateline(doc, source))


def _set_off_subject(doc: Doc, verb: Token, att: TaggedAttribution) -> list[int] | None:
    """ "Over a week of meetings with parents, the principal's deputy told ...": a finite
    verb the parser left without a subject, where a noun phrase set off by a comma ends
    right before it (adverbs and time phrases aside); the parser hung that phrase on a
    noun of the opening phrase as a conjunct or apposition. The phrase is the subject."""
    c0 = min(att.cue)
    j = c0 - 1
    start = verb.sent.start
    while j >= start and doc[j].head.i != j and (
            doc[j].dep_ in ("advmod", "npadvmod")  # "bluntly told", "Monday"
            or (doc[j].head.dep_ == "npadvmod" and doc[j].head.i < c0)):  # "this month said"
        j -= 1
    if j <= start:
        return None
    tok = doc[j]
    if tok.text == ",":  # the comma closing the phrase, hung on the phrase or on the verb
        if tok.head.i > j:
            j -= 1
        tok = doc[j] if tok.head.i > j else tok.head
    cut, comma = start - 1, False  # the last "and"/"or" with a comma after it: a list ends there
    for k in range(j - 1, start - 1, -1):
        if doc[k].dep_ == "cc" and comma:
            cut = k
            break
        comma = comma or doc[k].text == ","
    best = None
    for _ in range(200):  # up the words whose phrase ends at ``j`` (bounded: a tree's height)
        if tok.right_edge.i != j or tok.i >= c0:
            break
        left = tok.left_edge.i
        if left <= cut:
            break  # "with A, B, and C, the chief, Name,": the phrase would take in the list
        if (tok.dep_ in ("conj", "appos") and tok.pos_ in ("NOUN", "PROPN") and left > start
                and doc[left - 1].text == ","):
            best = tok  # the highest such phrase: "Jo Park, the head of the board,"
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if (best is None or best.lower_ in NOT_SOURCES or _thing(best)
            or best.ent_type_ in NOT_HOLDERS):  # "On Monday, May 5, announced"
        return None
    return _outside(att, strip_dateline(doc, _subtree(best)))


# raising verbs: their subject is no holder ("X, who seemed to waver"); PolNeAR train gold gives
# a cue of "seem"/"appear" no source 182 times in 232
RAISING_VERBS = frozenset({"seem", "appear"})


def _relative_subject(head: Token, clause: Token, subj: Token,
                      att: TaggedAttribution) -> list[int] | None:
    """ "the senator, who spoke for an hour and then walked out, saying ...": a cue that
    shares its subject with a relative clause (``clause``), where that subject is the
    clause's relative pronoun, has the pronoun for its source, as PolNeAR marks it;
    resolution reads it as the noun the clause modifies. On 705 PolNeAR train articles,
    where the tagger left such a cue without a source, the pronoun is the gold source 9
    times, another phrase 2, and 2 cues are not in the gold; "who ... appeared to" (a
    raising verb) is refused. Only "who": on the same articles "that" was right 2 times in 6
    (its antecedent is often a thing: "a theme that ..."), "which" never fired."""
    if (subj.lower_ != "who" or subj.tag_ not in ("WP", "WDT")
            or clause.dep_ != "relcl" or head.lemma_.lower() in RAISING_VERBS):
        return None
    return _outside(att, [subj.i])


# verbs whose object is the one addressed ("told reporters"): English does not invert them
# after a quotation, so "“…,” told X" has lost its subject and X is the hearer
ADDRESSEE_VERBS = frozenset({"tell", "inform", "notify", "assure", "brief"})


def _inverted_object(doc: Doc, head: Token, att: TaggedAttribution) -> list[int] | None:
    """ "“…,” added a city official.": a finite verb that opens its clause right after a
    closing quotation mark, with no subject, where the parser made the speaker after it an
    object. That noun phrase is the source. On 705 PolNeAR train articles, where the tagger
    left such a cue without a source: the gold source 8 times, overlapping it once, another
    phrase once, never a cue without a source. A time ("said Tuesday") is no speaker."""
    c0 = min(att.cue)
    if (head.i != c0 or c0 == 0 or doc[c0 - 1].text not in QUOTE_CLOSERS
            or head.lemma_.lower() in ADDRESSEE_VERBS):
        return None
    obj = next((c for c in head.children
                if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > max(att.cue)), None)
    if (obj is None or obj.lower_ in NOT_SOURCES or obj.ent_type_ in NOT_HOLDERS
            or (obj.pos_ == "PRON" and obj.lower_.endswith("thing"))  # "said nothing"
            # a bare plural ("warned voters", "urged supporters") is the one addressed; an
            # inverted speaker comes with a determiner or a name ("added a city engineer")
            or (obj.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod")
                                              for c in obj.children))):
        return None
    source = _subtree(obj)
    while source and doc[source[-1]].is_punct:
        source.pop()
    return _outside(att, source)


def inherit_subject(doc: Doc, found: list[TaggedAttribution]) -> None:
    """Where the role tagger found no source, the cue verb's subject is it.

    Its own active subject first ("“…,” the city's police chief, Jo Doe, said": the
    tagger often loses a subject that stands after the quotation or carries a long
    title); else the words between a closing quotation mark and the cue, where the
    parse gave the cue no subject (:func:`_after_quotation`); else, for a verb
    without a subject of its own (participle, second conjunct, infinitive, "after
    saying ..."), the subject of the verb it hangs from: "Dean, a doctor, spoke on
    Monday, saying ...". A passive cue's subject is the one told, not the teller,
    so it is never taken. The cue's governing word is its highest verb
    (:func:`_cue_head`); an own subject the tagger's content swallowed falls back to
    the words after the quotation; a feeling verb's feeler is its source even where the
    tagger gave another (:func:`_experiencer`). Where the parse hides the subject: a
    phrase set off before a subjectless finite verb (:func:`_set_off_subject`), and the
    noun an -ing participle modifies (:func:`_participle_holder`). A shared subject that
    is a relative pronoun is the source itself (:func:`_relative_subject`); a speaker the
    parser made the object of an inverted cue ("“…,” added X") is the source
    (:func:`_inverted_object`).
    """
    for att in found:
        head = _cue_head(doc, att)
        if asked_participle(head):
            att.source = []  # the one asked: a mention for resolution, no source
            continue
        asker = _asking_agent(head)
        if asker is not None:
            att.source = asker
            continue
        if head.pos_ in ("VERB", "AUX"):
            felt = _experiencer(doc, head, att)
            if felt:
                att.source = felt
                continue
        if att.source:
            continue
        if head.pos_ not in ("VERB", "AUX"):
            continue
        kids = [c.dep_ for c in head.children]
        if "nsubjpass" in kids or "expl" in kids or "auxpass" in kids:
            continue
        own = [c for c in head.children if c.dep_ == "nsubj"]
        if own:
            att.source = _free_subject(doc, own[0], att) or []
            if not att.source and own[0].lower_ not in NOT_SOURCES:
                att.source = _after_quotation(doc, att) or []
            continue
        att.source = _after_quotation(doc, att) or []
        if att.source:
            continue
        if head.tag_ in FINITE and head.dep_ == "ROOT":
            att.source = (_inverted_object(doc, head, att)
                          or _set_off_subject(doc, head, att) or [])
            if att.source:
                continue
        top, subj = _shared_subject(head)
        if subj is not None:
            att.source = (_free_subject(doc, subj, att)
                          or _relative_subject(head, top, subj, att) or [])
        else:
            att.source = _participle_holder(doc, top, att) or []
