"""The JSON API under ``/api`` (documented at ``/openapi.json``).

``POST /api/analyse`` returns exactly what ``whosaid extract --format json``
prints for the same text. Lists are paginated with ``limit``/``offset`` and
return ``{"total": N, "items": [...]}``. Writes need ``Authorization: Bearer``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from pydantic import Field

from whosaid.export import write_csv, write_json, write_jsonl
from whosaid.model import Document, SourcingProfile
from whosaid.parse import valid_text
from whosaid.store import CorpusError, text_hash
from whosaid.web.schemas import (
    AuditOut,
    BodyIn,
    CorrectionOut,
    Created,
    Deleted,
    DocumentRow,
    ListPage,
    OutletProfiles,
    ProfileRow,
    SearchOut,
    SourcingOut,
    SpeakerDetail,
    SpeakerOut,
    StatementOut,
    Stored,
    StoredDocumentOut,
)
from whosaid.web.state import WebState, request_token, state

if TYPE_CHECKING:
    from whosaid.audit import SourceDoc
    from whosaid.store import Corpus

router = APIRouter(prefix="/api", tags=["api"])
R = TypeVar("R")
ZIP: dict[int | str, dict[str, Any]] = {200: {"content": {"application/zip": {
    "schema": {"type": "string", "format": "binary"}}}, "description": "a zip file"}}
DOWNLOAD: dict[int | str, dict[str, Any]] = {200: {"description": "a file", "content": {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    "application/x-ndjson": {"schema": {"type": "string"}}}}}
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


class TextIn(BodyIn):
    """A text to analyse or store; metadata values are strings, as in the CLI."""

    text: str = Field(description="The article text (plain text, UTF-8).")
    name: str | None = Field(default=None, max_length=500)
    metadata: dict[str, str] = Field(default_factory=dict)


SpeakerRef = Annotated[int | Annotated[str, Field(min_length=1)],
                       Field(description="A speaker: id (number or string), name or alias.")]


class MergeIn(BodyIn):
    keep: SpeakerRef = Field(description="Speaker kept: id, name or alias.")
    other: SpeakerRef = Field(description="Speaker folded into it.")


class SplitIn(BodyIn):
    speaker: SpeakerRef
    alias: str | None = Field(default=None, min_length=1, max_length=300,
                              description="Mentions with this name leave the speaker.")
    document: int | None = Field(default=None, ge=1,
                                 description="Instead of alias: the mentions in this document "
                                             "leave the speaker (one article out of a group).")


Span = tuple[int, int]


class CorrectionIn(BodyIn):
    """``add`` needs ``cue``; ``edit``/``delete`` name the attribution by ``target_cue``."""

    action: Literal["add", "edit", "delete"]
    target_cue: Span | None = None
    source: Span | None = None
    cue: Span | None = None
    content: list[Span] = Field(default_factory=list, max_length=50)
    type: str | None = None
    speaker: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=2000)


def writer(request: Request) -> WebState:
    """Dependency of every write: checks the token before the body is used."""
    web = state(request)
    web.check_write(request_token(request))
    return web


def check_text(web: WebState, text: str, what: str = "text") -> str:
    """Refuse empty, binary or oversized text (422/413, naming ``what``); normalise newlines."""
    if not text.strip():
        raise HTTPException(422, f"{what}: the text is empty")
    if "\x00" in text:
        raise HTTPException(422, f"{what}: contains NUL bytes (binary data?)")
    if len(text) > web.max_text:
        raise HTTPException(413, f"{what}: {len(text)} characters is over the limit of "
                                 f"{web.max_text}")
    # invalid code points: the one rule (whosaid.parse.valid_text), as in the CLI
    return valid_text(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_fields(name: str | None, metadata: dict[str, str] | None
                 ) -> tuple[str | None, dict[str, str]]:
    """Name and metadata under the same invalid-code-point rule as the text."""
    return (None if name is None else valid_text(name),
            {valid_text(k): valid_text(v) for k, v in (metadata or {}).items()})


def run_analysis(web: WebState, fn: Callable[..., R], *args: Any,
                 scale: float = 1.0) -> R:
    """``fn(*args)`` in the analysis pool (see whosaid.web.pool): 503 when it is busy,
    over the time limit, or the model is missing; in-process when there is no pool."""
    from whosaid.extract.tagger import ModelMissingError
    from whosaid.web.pool import Busy, TimedOut

    pool = getattr(web, "pool", None)
    try:
        if pool is None:
            with web.analyse_lock:
                return fn(*args)
        return pool.run(fn, *args, timeout=pool.timeout * scale)  # type: ignore[no-any-return]
    except Busy as exc:
        raise HTTPException(503, f"busy: {exc}; try again shortly",
                            headers={"Retry-After": "5"}) from None
    except TimedOut as exc:
        raise HTTPException(503, str(exc)) from None
    except ModelMissingError as exc:
        raise HTTPException(503, str(exc)) from None


def analyse_text(web: WebState, text: str, name: str | None = None,
                 metadata: dict[str, str] | None = None) -> Document:
    """Run the pipeline on one text in a worker process (never on the event loop)."""
    from whosaid.web.pool import analyse_job

    name, metadata = clean_fields(name, metadata)
    return run_analysis(web, analyse_job, text, name, metadata, web.model)


def store_text(web: WebState, text: str, name: str | None,
               metadata: dict[str, str]) -> tuple[int, bool]:
    """Analyse and store one text (idempotent); returns (document id, newly stored)."""
    from whosaid.ingest import SourceText

    digest = text_hash(text)
    existing = web.corpus.document_id(digest)
    if existing is not None:
        return existing, False
    if getattr(web, "pool", None) is not None:
        # analysis in the pool (time limit, never on the loop); storing here, one at a time
        doc = analyse_text(web, text, name or "web", metadata)
        with web.write_lock:
            stored = web.corpus.store_document(doc, digest=digest, origin="web")
            web.corpus.relink()
        doc_id = web.corpus.document_id(digest)
        if doc_id is None:  # pragma: no cover - stored, then gone
            raise HTTPException(500, "the document was not stored")
        return doc_id, stored
    with web.analyse_lock, web.write_lock:
        report = web.corpus.ingest([SourceText(name or "web", text, metadata, "web")],
                                   model=web.model)
    if report.errors:
        raise HTTPException(422, report.errors[0][1])
    doc_id = web.corpus.document_id(digest)
    if doc_id is None:  # pragma: no cover - ingest stored nothing without an error
        raise HTTPException(500, "the document was not stored")
    return doc_id, report.stored > 0


@router.post("/analyse", responses={200: {"model": Document}},
             summary="Analyse a text; the same JSON as `whosaid extract -f json`")
def analyse(body: TextIn, request: Request) -> JSONResponse:
    web = state(request)
    text = check_text(web, body.text)
    doc = analyse_text(web, text, body.name, body.metadata)
    return JSONResponse(doc.model_dump(mode="json"))


# --- documents ------------------------------------------------------------------


@router.get("/documents", response_model=ListPage[DocumentRow],
            summary="Stored documents, newest first")
def list_documents(request: Request, limit: Limit = 50, offset: Offset = 0,
                   outlet: str | None = None) -> dict[str, Any]:
    rows, total = state(request).corpus.list_documents(outlet=outlet, limit=limit,
                                                       offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


@router.post("/documents", status_code=201, response_model=Stored,
             summary="Analyse and store a text (token)")
def ingest(body: TextIn, response: Response,
           web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    text = check_text(web, body.text)
    doc_id, stored = store_text(web, text, body.name, body.metadata)
    if not stored:
        response.status_code = 200
    return {"id": doc_id, "stored": stored}


@router.get("/documents/{doc_id}", response_model=StoredDocumentOut,
            summary="A stored document (corrections applied)")
def get_document(doc_id: int, request: Request, corrected: bool = True) -> dict[str, Any]:
    stored = state(request).corpus.stored_document(doc_id, corrected=corrected)
    if stored is None:
        raise HTTPException(404, f"no document {doc_id}")
    return {"id": stored.id, "sha256": stored.sha256, "title": stored.title,
            "url": stored.url, "outlet": stored.outlet, "author": stored.author,
            "published": stored.published, "speaker_ids": stored.speaker_ids,
            "corrections": stored.corrections,
            "document": stored.document.model_dump(mode="json")}


@router.delete("/documents/{doc_id}", response_model=Deleted,
               summary="Remove a document (token); corrections stay")
def delete_document(doc_id: int,
                    web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    with web.write_lock:
        if not web.corpus.delete_document(doc_id):
            raise HTTPException(404, f"no document {doc_id}")
    return {"deleted": doc_id}


@router.get("/documents/{doc_id}/ann", response_class=PlainTextResponse,
            summary="The document's attributions (corrected) as brat standoff")
def document_ann(doc_id: int, request: Request) -> PlainTextResponse:
    from whosaid.brat import to_ann

    stored = state(request).corpus.stored_document(doc_id)
    if stored is None:
        raise HTTPException(404, f"no document {doc_id}")
    return PlainTextResponse(to_ann(stored.document, speakers=True), headers={
        "Content-Disposition": f'attachment; filename="doc{doc_id:06d}.ann"'})


# --- corrections ------------------------------------------------------------------


@router.get("/documents/{doc_id}/corrections", response_model=list[CorrectionOut],
            summary="Corrections of one document")
def list_corrections(doc_id: int, request: Request) -> list[dict[str, Any]]:
    return state(request).corpus.corrections(doc_id)


@router.post("/documents/{doc_id}/corrections", status_code=201, response_model=Created,
             summary="Correct an attribution: add, edit or delete (token)")
def add_correction(doc_id: int, body: CorrectionIn,
                   web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    with web.write_lock:
        try:
            cid = web.corpus.add_correction(
                doc_id, body.action, target_cue=body.target_cue, source=body.source,
                cue=body.cue, fragments=list(body.content) or None, type=body.type,
                speaker=body.speaker, note=body.note)
        except CorpusError as exc:
            status = 404 if str(exc).startswith("no document") else 422
            raise HTTPException(status, str(exc)) from None
    return {"id": cid}


@router.delete("/corrections/{correction_id}", response_model=Deleted,
               summary="Withdraw a correction (token)")
def delete_correction(correction_id: int,
                      web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    with web.write_lock:
        if not web.corpus.delete_correction(correction_id):
            raise HTTPException(404, f"no correction {correction_id}")
    return {"deleted": correction_id}


@router.get("/corrections/export", responses=ZIP, response_class=Response,
            summary="Corrected documents as brat (PolNeAR layout zip)")
def export_corrections(request: Request) -> Response:
    data = state(request).corpus.corrections_brat_zip()
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": 'attachment; filename="whosaid-corrections.zip"'})


# --- speakers and statements ------------------------------------------------------


@router.get("/speakers", response_model=ListPage[SpeakerOut],
            summary="Speakers, most quoted first, with filters")
def list_speakers(request: Request, limit: Limit = 50, offset: Offset = 0,
                  kind: str | None = None, outlet: str | None = None,
                  since: str | None = None, until: str | None = None) -> dict[str, Any]:
    rows, total = state(request).corpus.speaker_directory(
        kind=kind, outlet=outlet, since=since, until=until, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset,
            "items": [r.as_dict() for r in rows]}


def current_speaker(corpus: Corpus, speaker_id: int) -> int:
    """The id a speaker filter means now: the speaker a merged id joined (a link kept
    from before the merge lists the person's statements); 410 for a speaker whose
    documents were deleted; any other id as given (it matches nothing)."""
    if corpus.speaker_name(speaker_id) is not None:
        return speaker_id
    if (moved := corpus.moved_speaker(speaker_id)) is not None:
        return int(moved)
    if corpus.speaker_gone(speaker_id):
        raise HTTPException(410, f"speaker {speaker_id} is no longer in the corpus: the "
                                 "documents that named it were deleted")
    return speaker_id


def moved_or_404(request: Request, corpus: Corpus, speaker_id: int, prefix: str) -> Response:
    """A redirect to the speaker that one merged into, keeping the query (a bookmark of
    a merged speaker opens the person it is now part of); 410 for a speaker whose
    documents were deleted; else 404. Temporary (307): undoing the merge gives the old
    id back, and so does ingesting the deleted documents again."""
    moved = corpus.moved_speaker(speaker_id)
    if moved is None:
        if corpus.speaker_gone(speaker_id):
            raise HTTPException(410, f"speaker {speaker_id} is no longer in the corpus: the "
                                     "documents that named it were deleted")
        raise HTTPException(404, f"no speaker {speaker_id}")
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{prefix}/{moved}{query}", status_code=307)


@router.get("/speakers/{speaker_id}", response_model=SpeakerDetail,
            summary="One speaker and what they said, by date")
def get_speaker(speaker_id: int, request: Request, limit: Limit = 50,
                offset: Offset = 0) -> dict[str, Any] | Response:
    corpus = state(request).corpus
    row = corpus.speaker_by_id(speaker_id)
    if row is None:
        return moved_or_404(request, corpus, speaker_id, "/api/speakers")
    items, total = corpus.speaker_statements(speaker_id, limit=limit, offset=offset)
    return {"speaker": row.as_dict(), "timeline": corpus.timeline(speaker_id),
            "statements": {"total": total, "limit": limit, "offset": offset, "items": items}}


@router.post("/speakers/merge", response_model=SpeakerOut, summary="Merge two speakers (token)")
def merge_speakers(body: MergeIn, web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    with web.write_lock:
        try:
            return web.corpus.merge(body.keep, body.other).as_dict()
        except CorpusError as exc:
            raise HTTPException(422, str(exc)) from None


@router.post("/speakers/split", response_model=SpeakerOut,
             summary="Split mentions off a speaker, by name or by document (token)")
def split_speaker(body: SplitIn, web: Annotated[WebState, Depends(writer)]) -> dict[str, Any]:
    with web.write_lock:
        try:
            return web.corpus.split(body.speaker, body.alias,
                                    document=body.document).as_dict()
        except CorpusError as exc:
            raise HTTPException(422, str(exc)) from None


@router.get("/attributions", response_model=ListPage[StatementOut],
            summary="Statements, filtered by speaker or document")
def list_attributions(request: Request, limit: Limit = 100, offset: Offset = 0,
                      speaker: int | None = None, document: int | None = None
                      ) -> dict[str, Any]:
    corpus = state(request).corpus
    if speaker is not None:
        speaker = current_speaker(corpus, speaker)
    items, total = corpus.statement_rows(
        speaker_id=speaker, document_id=document, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


# --- search, sourcing, export ---------------------------------------------------------


def _claim_key(content: str | None) -> str:
    text = unicodedata.normalize("NFKC", content or "").casefold()
    return " ".join(re.findall(r"\w+", text))


def search_groups(web: WebState, query: str, *, semantic: bool = False,
                  limit: int = 50, min_score: float | None = None) -> list[dict[str, Any]]:
    """Hits grouped by repeated claim, best group first; every hit has its ``score``.

    Full-text hits group by their normalised wording; semantic hits by
    meaning (the embedding's greedy grouping at the duplicate threshold), and
    only those at ``min_score`` cosine or more (default ``search.MIN_SCORE``).
    """
    if not query.strip():
        return []
    if semantic:
        from whosaid.search import (
            DUPLICATE_THRESHOLD,
            MIN_SCORE,
            SemanticUnavailable,
            greedy_groups,
            semantic_search,
            stored_vectors,
        )

        try:
            with web.analyse_lock:
                hits = semantic_search(web.corpus, query, limit=limit,
                                       min_score=MIN_SCORE if min_score is None else min_score)
        except SemanticUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        matrix = stored_vectors(web.corpus, [h["attribution_id"] for h in hits])
        if hits and matrix is not None:
            members = greedy_groups(matrix, DUPLICATE_THRESHOLD)
        else:  # pragma: no cover - every hit has a vector after semantic_search
            members = [[k] for k in range(len(hits))]
        groups = [[hits[k] for k in m] for m in members]
    else:
        hits = web.corpus.search(query, limit=limit)
        by_key: dict[str, list[dict[str, Any]]] = {}
        for hit in hits:
            by_key.setdefault(_claim_key(hit["content"]), []).append(hit)
        groups = list(by_key.values())
    out = []
    for members_ in groups:
        dated = sorted(members_, key=lambda h: (h["published"] is None, h["published"] or ""))
        out.append({"claim": members_[0]["content"], "count": len(members_),
                    "documents": len({(h["document"], h["published"]) for h in members_}),
                    "first": dated[0], "items": members_})
    return out


@router.get("/search", response_model=SearchOut,
            summary="Full-text or semantic search, grouped by repeated claim")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
           semantic: bool = False, limit: Limit = 50,
           min_score: Annotated[float | None, Query(
               ge=-1.0, le=1.0, description="Semantic only: the lowest cosine shown "
                                            "(default 0.3).")] = None) -> dict[str, Any]:
    groups = search_groups(state(request), q, semantic=semantic, limit=limit,
                           min_score=min_score)
    return {"query": q, "mode": "semantic" if semantic else "text",
            "total": sum(g["count"] for g in groups), "groups": groups}


@router.get("/sourcing", response_model=SourcingOut,
            summary="Statements per source class (whosaid.assess.SOURCE_CLASSES)")
def sourcing(request: Request, by: Literal["outlet", "month"] = "outlet") -> dict[str, Any]:
    return {"by": by, "rows": state(request).corpus.sourcing(by)}


@router.get("/export", responses=DOWNLOAD, response_class=Response,
            summary="Export speakers or statements as CSV, JSON or JSONL")
def export(request: Request, what: Literal["speakers", "statements"] = "statements",
           format: Literal["csv", "json", "jsonl"] = "csv", speaker: int | None = None,
           document: int | None = None,
           limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000) -> Response:
    corpus = state(request).corpus
    if what == "speakers":
        rows: list[dict[str, Any]] = []
        for r in corpus.speaker_directory(limit=min(limit, 1000))[0]:
            row = r.as_dict()
            row.pop("key", None)
            rows.append(row)
    else:
        if speaker is not None:
            speaker = current_speaker(corpus, speaker)
        rows = []
        offset = 0
        while len(rows) < limit:
            page, total = corpus.statement_rows(speaker_id=speaker, document_id=document,
                                                limit=min(1000, limit - len(rows)),
                                                offset=offset)
            rows.extend(page)
            offset += len(page)
            if not page or offset >= total:
                break
    buf = io.StringIO()
    if format == "csv":
        write_csv(rows, buf)
        media = "text/csv"
    elif format == "jsonl":
        write_jsonl(rows, buf)
        media = "application/x-ndjson"
    else:
        write_json(rows, buf)
        media = "application/json"
    return Response(buf.getvalue(), media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="whosaid-{what}.{format}"'})


# --- citation audit and sourcing profiles ---------------------------------------------

MAX_SOURCES = 50  # source documents per audit


class SourceIn(BodyIn):
    """A candidate source document; ``Title:``/``URL:`` header lines are read as in the CLI."""

    id: str | None = Field(default=None, max_length=200,
                           description="Id a citation may name; `name` is an alias.")
    name: str | None = Field(default=None, max_length=200)
    text: str = Field(description="The source's text (plain text, UTF-8).")
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=500)


class AuditIn(BodyIn):
    """A report with citations and the documents it may cite."""

    report: str = Field(description="The report's text (plain text, UTF-8).")
    name: str | None = Field(default=None, max_length=500)
    sources: list[SourceIn] = Field(default_factory=list, max_length=MAX_SOURCES)


class ProfileIn(BodyIn):
    text: str = Field(description="The article text (plain text, UTF-8).")
    name: str | None = Field(default=None, max_length=500)


def check_sources(sources: list[SourceDoc]) -> list[SourceDoc]:
    """Refuse two sources with the same id (a citation could not tell them apart)."""
    seen: set[str] = set()
    for src in sources:
        if src.id in seen:
            raise HTTPException(422, f"sources: two sources have the id {src.id!r}")
        seen.add(src.id)
    return sources


def audit_report(web: WebState, text: str, name: str | None,
                 sources: list[SourceDoc]) -> tuple[dict[str, Any], Document]:
    """Analyse the report and audit it (one at a time: the models are shared)."""
    from whosaid.web.pool import audit_job

    name, _ = clean_fields(name, None)
    # twice the limit: the audit loads its evidence models (BM25, MiniLM) on first use
    return run_analysis(web, audit_job, text, name, check_sources(sources), web.model,
                        scale=2.0)


def profile_row(key: str, name: str | None, prof: SourcingProfile) -> dict[str, Any]:
    """One row as ``whosaid profile -f json`` prints it."""
    from whosaid.assess import profile_summary

    return {key: name, **prof.model_dump(), "summary": profile_summary(prof)}


@router.post("/audit", responses={200: {"model": AuditOut}},
             summary="Audit a report's citations; the same JSON as "
                               "`whosaid audit --format json`")
def audit_api(body: AuditIn, request: Request) -> JSONResponse:
    from whosaid.audit import report_text, source_from_text

    web = state(request)
    # a report named *.html (or unnamed markup) keeps its inline links as citations
    text = report_text(check_text(web, body.report, "report"), body.name or "")
    sources = []
    for k, item in enumerate(body.sources):
        stext = check_text(web, item.text, f"sources.{k}.text")
        ident = (item.id or item.name or "").strip() or f"source-{k + 1}"
        sources.append(source_from_text(stext, ident, title=item.title, url=item.url))
    result, _doc = audit_report(web, text, body.name, sources)
    return JSONResponse(result)


@router.post("/profile", response_model=ProfileRow,
             summary="Sourcing profile of a text (as `whosaid profile -f json`)")
def profile_text(body: ProfileIn, request: Request) -> dict[str, Any]:
    from whosaid.assess import profile

    web = state(request)
    doc = analyse_text(web, check_text(web, body.text), body.name)
    return profile_row("document", doc.name, doc.profile or profile([doc]))


@router.get("/profile", response_model=OutletProfiles,
            summary="Sourcing profile per outlet of the stored corpus")
def profile_outlets(request: Request,
                    outlet: Annotated[str | None, Query(max_length=500)] = None
                    ) -> dict[str, Any]:
    profiles = state(request).corpus.sourcing_profiles(outlet=outlet or None)
    if outlet and not profiles:
        raise HTTPException(404, f"no stored documents from outlet {outlet!r}")
    return {"outlet": outlet or None,
            "rows": [profile_row("outlet", name, prof) for name, prof in profiles.items()]}
