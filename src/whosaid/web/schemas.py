"""Response models of the JSON API, so ``/openapi.json`` says what each route returns,
and ``BodyIn``, the base of every request body.

They describe what the store's queries return; ``extra="allow"`` keeps any
field a query adds later (the API never drops data a newer store returns),
while the named fields are documented and checked.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from whosaid.model import Document
from whosaid.parse import valid_text

T = TypeVar("T")


def _valid_strings(value: Any) -> Any:
    """``valid_text`` on every string in a decoded JSON body, keys included."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, dict):
        return {_valid_strings(k): _valid_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid_strings(v) for v in value]
    return value


class BodyIn(BaseModel):
    """Base of every request body: the one invalid-code-point rule (lone surrogates ->
    U+FFFD, offsets kept) is applied to every string before validation, so a lone
    surrogate in a name, a metadata value or a speaker is treated as in the text,
    as the CLI and Spark treat it, instead of failing pydantic's string checks."""

    @model_validator(mode="before")
    @classmethod
    def _replace_invalid_code_points(cls, data: Any) -> Any:
        return _valid_strings(data)



class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ListPage(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``, of ``total``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class DocumentRow(Open):
    id: int
    name: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO date")
    url: str | None = None
    ingested_at: str | None = None
    attributions: int = Field(description="statements in the document")


class Stored(BaseModel):
    id: int
    stored: bool = Field(description="false when the same text was already stored")


class StoredDocumentOut(Open):
    id: int
    sha256: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    speaker_ids: dict[str, int] = Field(description="document speaker id -> corpus speaker id")
    corrections: list[dict[str, Any]]
    document: Document


class Deleted(BaseModel):
    deleted: int


class Created(BaseModel):
    id: int


class CorrectionOut(Open):
    id: int
    action: str = Field(description="add | edit | delete")


class SpeakerOut(Open):
    id: int
    name: str
    kind: str
    aliases: list[str]
    titles: list[str]
    roles: list[str]
    count: int = Field(description="statements attributed to the speaker")
    documents: int
    first: str | None = None
    last: str | None = None


class StatementOut(Open):
    attribution_id: int
    published: str | None = None
    document: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    speaker_id: int | None = None
    speaker: str | None = None
    source: str | None = None
    cue: str
    content: str | None = None
    type: str
    confidence: float
    corrected: bool = Field(default=False, description="a user's correction made it")


class SpeakerDetail(BaseModel):
    speaker: SpeakerOut
    timeline: list[tuple[str, int]] = Field(description="(YYYY-MM, statements)")
    statements: ListPage[StatementOut]


class SearchHit(StatementOut):
    score: float | None = Field(default=None, description="cosine (semantic) or BM25 rank")


class SearchGroup(BaseModel):
    claim: str | None
    count: int
    documents: int
    first: SearchHit
    items: list[SearchHit]


class SearchOut(BaseModel):
    query: str
    mode: str
    total: int
    groups: list[SearchGroup]


class SourcingOut(Open):
    by: str
    rows: list[dict[str, Any]]


class ProfileRow(Open):
    summary: str


class OutletProfiles(BaseModel):
    outlet: str | None
    rows: list[ProfileRow]


class AuditOut(Open):
    """The citation audit (``whosaid audit --format json``); see docs/sourcing.md."""

    citations: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    sources: list[dict[str, Any]]
