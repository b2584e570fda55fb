"""The one data model every layer shares.

The JSON output of ``whosaid extract --format json`` is ``Document`` serialised
with pydantic, and ``docs/schema.json`` is generated from these classes, so the
schema can never drift from the code. All offsets are character offsets into
``Document.text`` and ``text[start:end]`` is always the span's text.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"


class AttributionType(StrEnum):
    """How the content is reported: the distinctions quote extractors blur."""

    DIRECT = "direct"  # the whole content is inside quotation marks
    INDIRECT = "indirect"  # reported speech, no quotation marks
    MIXED = "mixed"  # paraphrase with a quoted fragment inside
    ACCORDING_TO = "according_to"  # "according to X", "X's statement"
    BELIEF = "belief"  # believes, thinks, fears, "the view that"
    INTENTION = "intention"  # plans, intends, vows, wants


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"  # a vague collective: "critics", "some", "political observers"
    ANONYMOUS = "anonymous"  # deliberately unnamed: "a source", "people familiar with"
    UNKNOWN = "unknown"


class Gender(StrEnum):
    """A person speaker's gender as the text (or, failing it, the first name) shows it.

    ``whosaid.gender`` decides; unknown whenever the evidence is absent, weak or
    conflicting. Not a statement about anyone's identity: see docs/gender.md.
    """

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Specificity(StrEnum):
    """How identifiable a source is to the reader (``whosaid.assess``)."""

    NAMED_PERSON = "named_person"  # "Jens Stoltenberg", or "he" resolved to him
    NAMED_ORGANISATION = "named_organisation"  # "NATO", "the Pentagon", "Reuters"
    ROLE_ONLY = "role_only"  # "a senior official", "the spokesman"
    ANONYMOUS = "anonymous"  # "a source", "people familiar with the talks"
    VAGUE_COLLECTIVE = "vague_collective"  # "some argue", "critics", "political observers"
    UNATTRIBUTED = "unattributed"  # no source at all: "It was reported that ..."


class Stance(StrEnum):
    """The reporting stance a cue carries; the table lives in ``whosaid.assess``."""

    NEUTRAL = "neutral"  # said, told, according to
    EMPHATIC = "emphatic"  # warned, asserted, insisted
    HEDGED = "hedged"  # suggested, believes, claimed
    FACTIVE = "factive"  # revealed, confirmed, acknowledged


class Resolvability(StrEnum):
    """Whether a reader could find what a citation cites."""

    RESOLVABLE = "resolvable"  # a URL, a DOI, or a title plus a date or publisher
    PARTIAL = "partial"  # some identifying detail (a date, a title, an author)
    GENERIC = "generic"  # a generic label only: "NATO press release"


class Span(BaseModel):
    """A contiguous stretch of the input text."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Speaker(BaseModel):
    """The person, organisation or group behind a source mention.

    ``name`` is the canonical form within the document (the fullest name seen,
    titles removed), so "Stoltenberg" and "Jens Stoltenberg" share one speaker.
    """

    name: str
    kind: SpeakerKind = SpeakerKind.UNKNOWN
    named: bool = False  # True when the text names them (a proper name)
    title: str | None = None  # "Lieutenant General", "Secretary General"
    role: str | None = None  # from an apposition: "the alliance's deputy ..."
    id: str | None = None  # document-local identifier, "s1", "s2", ...
    # persons only, filled by whosaid.gender (None when it is off or not a person);
    # the evidence counts each signal, e.g. {"pronoun:female": 2, "first_name:female": 1}
    gender: Gender | None = None
    gender_evidence: dict[str, int] = Field(default_factory=dict)


class Source(Span):
    """The source mention as written, plus the speaker it resolves to.

    For a pronoun ("He noted") the span is the pronoun and ``speaker`` is the
    person it refers to; ``resolved_from`` keeps the span of that antecedent.
    """

    model_config = ConfigDict(frozen=False)  # resolution fills in the speaker later

    speaker: Speaker | None = None
    resolved_from: Span | None = None
    # "Mr. X and Mr. Y said": each individual speaker, with its document-local id;
    # ``speaker`` is then one group Speaker named "X + Y". Empty when the source names one.
    members: list[Speaker] = Field(default_factory=list)


class Content(BaseModel):
    """What was said; may be discontinuous ("We will", she said, "win.")."""

    model_config = ConfigDict(frozen=True)

    text: str  # fragments joined by a single space
    fragments: list[tuple[int, int]]


class Attribution(BaseModel):
    source: Source | None = None  # None for "It was reported that ..."
    cue: Span
    content: Content | None = None
    type: AttributionType = AttributionType.INDIRECT
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # which component made it: tagger (CRF), minilm (accurate model) or a rule name
    method: str = "tagger"
    specificity: Specificity | None = None  # filled by whosaid.assess; None before
    stance: Stance | None = None  # the cue's reporting stance, from whosaid.assess


class Citation(BaseModel):
    """An inline citation marker and the stretch of text it vouches for."""

    text: str  # the marker as written: "(Citation: NATO press release)"
    label: str  # what it cites: "NATO press release", "1", a URL
    start: int
    end: int
    scope: tuple[int, int]  # the sentences or paragraph the marker closes
    kind: str = "label"  # label | numeric | url | link | according_to | footnote
    reference: str | None = None  # the reference-list entry for "[1]" markers, a link's URL
    resolvability: Resolvability | None = None  # graded by extract.citations.grade


class Sentence(BaseModel):
    start: int
    end: int


class Paragraph(BaseModel):
    start: int
    end: int


class SourcingProfile(BaseModel):
    """How a document (or an outlet's documents) is sourced, from ``whosaid.assess``."""

    documents: int = 1
    attributions: int = 0
    specificity: dict[str, int] = Field(default_factory=dict)  # class -> count
    specificity_share: dict[str, float] = Field(default_factory=dict)  # class -> share
    stance: dict[str, int] = Field(default_factory=dict)  # stance -> count
    sentences: int = 0
    unattributed_sentences: int = 0  # sentences no attribution touches: the writer's own
    unattributed_share: float = 0.0  # of sentences
    unsourced_sentences: int = 0  # unattributed and outside every citation's scope
    citations: int = 0
    resolvability: dict[str, int] = Field(default_factory=dict)  # grade -> count


class Document(BaseModel):
    """One analysed text: the unit every layer reads and writes."""

    schema_version: str = SCHEMA_VERSION
    name: str | None = None  # file name or id the text came from
    text: str
    metadata: dict[str, str] = Field(default_factory=dict)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    model: str = "fast"
    profile: SourcingProfile | None = None  # filled by whosaid.assess


def span_of(text: str, start: int, end: int) -> Span:
    """Build a span whose text is guaranteed to be ``text[start:end]``."""
    return Span(text=text[start:end], start=start, end=end)


def content_of(text: str, fragments: list[tuple[int, int]]) -> Content:
    fragments = sorted(fragments)
    return Content(text=" ".join(text[s:e] for s, e in fragments), fragments=fragments)
