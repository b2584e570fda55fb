"""Speaker management over the web: merge, split, rename, and a statement's speaker.

Every route calls the one implementation in the store (``Corpus.merge``,
``split``, ``rename``, ``correct_speaker``, ``correct_statement``), the same
methods ``whosaid speakers merge|split|rename|correct`` calls, so the web UI,
the API and the CLI follow the same rules. Writes need the server's token:
``Authorization: Bearer`` for the JSON routes, a ``token`` form field for the
HTML forms (a cross-site form cannot write without knowing it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from whosaid.store import CorpusError
from whosaid.web.schemas import BodyIn
from whosaid.web.state import WebState, request_token, state

T = TypeVar("T")

router = APIRouter()


def _writer(request: Request) -> WebState:
    web = state(request)
    web.check_write(request_token(request))
    return web


def _form_writer(request: Request, token: str) -> WebState:
    web = state(request)
    web.check_write(token)
    return web


def _unprocessable(exc: CorpusError) -> HTTPException:
    status = 404 if str(exc).startswith(("no speaker", "no document", "no statement")) else 422
    return HTTPException(status, str(exc))


def _write(web: WebState, change: Callable[[], T]) -> T:
    """One store decision under the write lock; the store's refusal becomes a 404/422."""
    with web.write_lock:
        try:
            return change()
        except CorpusError as exc:
            raise _unprocessable(exc) from None


class RenameIn(BodyIn):
    name: str = Field(min_length=1, max_length=300, description="The speaker's new name.")


class SpeakerIn(BodyIn):
    speaker: str = Field(min_length=1, max_length=300,
                         description="A speaker of the statement's document (picked by name) "
                                     "or any name; 'A + B' names several.")
    note: str | None = Field(default=None, max_length=2000)


# --- JSON API ---------------------------------------------------------------------------


@router.post("/api/speakers/{speaker_id}/rename", tags=["api"],
             summary="Rename a speaker (token); kept across re-ingests")
def rename_api(speaker_id: int, body: RenameIn,
               web: Annotated[WebState, Depends(_writer)]) -> dict[str, Any]:
    return _write(web, lambda: web.corpus.rename(speaker_id, body.name).as_dict())


@router.get("/api/documents/{doc_id}/speakers", tags=["api"],
            summary="The speakers a statement of this document can be given")
def document_speakers_api(doc_id: int, request: Request) -> list[dict[str, Any]]:
    corpus = state(request).corpus
    if corpus.stored_document(doc_id, corrected=False) is None:
        raise HTTPException(404, f"no document {doc_id}")
    return corpus.document_speakers(doc_id)  # type: ignore[no-any-return]


@router.post("/api/statements/{attribution_id}/speaker", tags=["api"], status_code=201,
             summary="Correct a statement's speaker (token); counts everywhere")
def correct_api(attribution_id: int, body: SpeakerIn,
                web: Annotated[WebState, Depends(_writer)]) -> dict[str, Any]:
    cid = _write(web, lambda: web.corpus.correct_statement(attribution_id, body.speaker,
                                                          note=body.note))
    return {"id": cid}


# --- HTML forms (speaker.html, document.html) -----------------------------------------------


@router.post("/speakers/{speaker_id}/merge", include_in_schema=False)
def merge_form(request: Request, speaker_id: int,
               other: Annotated[str, Form(max_length=300)] = "",
               token: Annotated[str, Form()] = "") -> Response:
    web = _form_writer(request, token)
    if not other.strip():
        raise HTTPException(422, "other: name the speaker to merge in (name or id)")
    row = _write(web, lambda: web.corpus.merge(speaker_id, other.strip()))
    return RedirectResponse(f"/speakers/{row.id}", status_code=303)


@router.post("/speakers/{speaker_id}/split", include_in_schema=False)
def split_form(request: Request, speaker_id: int,
               alias: Annotated[str, Form(max_length=300)] = "",
               document: Annotated[str, Form(max_length=20)] = "",
               token: Annotated[str, Form()] = "") -> Response:
    """Split off the mentions named ``alias`` or, from the other form, those in one
    ``document`` (picked from the speaker's documents)."""
    web = _form_writer(request, token)
    if document.strip():
        if not document.strip().isdigit():
            raise HTTPException(422, "document: pick one of the speaker's documents")
        doc_id = int(document)
        row = _write(web, lambda: web.corpus.split(speaker_id, document=doc_id))
        return RedirectResponse(f"/speakers/{row.id}", status_code=303)
    if not alias.strip():
        raise HTTPException(422, "alias: pick the name whose mentions leave this speaker")
    row = _write(web, lambda: web.corpus.split(speaker_id, alias))
    return RedirectResponse(f"/speakers/{row.id}", status_code=303)


@router.post("/speakers/{speaker_id}/rename", include_in_schema=False)
def rename_form(request: Request, speaker_id: int,
                name: Annotated[str, Form(max_length=300)] = "",
                token: Annotated[str, Form()] = "") -> Response:
    web = _form_writer(request, token)
    row = _write(web, lambda: web.corpus.rename(speaker_id, name))
    return RedirectResponse(f"/speakers/{row.id}", status_code=303)


@router.post("/documents/{doc_id}/speaker", include_in_schema=False)
def correct_form(request: Request, doc_id: int,
                 statement: Annotated[str, Form(max_length=40)] = "",
                 picked: Annotated[str, Form(max_length=300)] = "",
                 typed: Annotated[str, Form(max_length=300)] = "",
                 token: Annotated[str, Form()] = "") -> Response:
    """A statement (picked from the list) gets a speaker picked from the document's
    speakers, or a typed name when one is given."""
    web = _form_writer(request, token)
    try:
        start, end = (int(v) for v in statement.split("-"))
    except ValueError:
        raise HTTPException(422, "statement: pick a statement from the list") from None
    speaker = typed.strip() or picked.strip()
    _write(web, lambda: web.corpus.correct_speaker(doc_id, (start, end), speaker))
    return RedirectResponse(f"/documents/{doc_id}?corrected={quote(statement)}#who-said-what",
                            status_code=303)
