"""Read-side queries for browsing a corpus, and user corrections of attributions.

A mixin of :class:`whosaid.store.Corpus`, kept in its own module so the ingest
and speaker-identity code stays readable. Every query here is built with
SQLAlchemy Core expressions and bound parameters: no SQL is assembled from
user strings. Used by the web UI (``whosaid serve``) but free of web imports.

Corrections are stored by the document's text hash and the original cue span,
not by row ids, so they apply again when the same text is re-ingested (after
the database was rebuilt, or the model retrained), and export as brat .ann.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, func, insert, literal, select

from whosaid.model import (
    Attribution,
    AttributionType,
    Citation,
    Document,
    Source,
    Speaker,
    SpeakerKind,
    content_of,
    span_of,
)
from whosaid.store.schema import (
    attributions,
    citations,
    corrections,
    doc_speakers,
    documents,
)
from whosaid.store.schema import (
    speakers as speakers_t,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from whosaid.store.corpus import SpeakerRow

ACTIONS = ("add", "edit", "delete")
SOURCING = ("named", "anonymous", "vague", "unattributed")


@dataclass
class StoredDocument:
    """A stored document rebuilt as a :class:`Document`, plus what the store adds."""

    id: int
    sha256: str
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None
    document: Document
    speaker_ids: dict[str, int] = field(default_factory=dict)  # local id -> corpus speaker
    corrections: list[dict[str, Any]] = field(default_factory=list)


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), 1000)), max(0, int(offset))


class BrowseMixin:
    """Documents, filtered speaker directory, statements, sourcing shares, corrections."""

    engine: Engine

    # --- documents ------------------------------------------------------------

    def list_documents(self, *, outlet: str | None = None, limit: int = 50,
                       offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Documents, newest published first, with their attribution counts; and the total."""
        limit, offset = _page(limit, offset)
        n_att = (select(func.count()).where(attributions.c.document_id == documents.c.id)
                 .correlate(documents).scalar_subquery())
        query = select(documents.c.id, documents.c.name, documents.c.title, documents.c.outlet,
                       documents.c.published, documents.c.url, documents.c.ingested_at,
                       n_att.label("attributions"))
        total = select(func.count()).select_from(documents)
        if outlet:
            query = query.where(documents.c.outlet == outlet)
            total = total.where(documents.c.outlet == outlet)
        query = query.order_by(documents.c.published.is_(None), documents.c.published.desc(),
                               documents.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
            return rows, int(conn.execute(total).scalar_one())

    def delete_document(self, doc_id: int) -> bool:
        """Remove one document with its attributions, citations and index rows.

        Its corrections stay (they are keyed by the text), so ingesting the
        same text again brings them back. Speakers left without mentions go.
        """
        from sqlalchemy import text as sql

        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.execute(sql("DELETE FROM attribution_fts WHERE rowid IN "
                                 "(SELECT id FROM attributions WHERE document_id = :d)"),
                             {"d": doc_id})
            done = conn.execute(documents.delete().where(documents.c.id == doc_id))
        if not done.rowcount:
            return False
        self._surnames = None  # the speaker-key cache may name keys of this document
        self.relink()  # type: ignore[attr-defined]
        return True

    def outlets(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.outlet).distinct().where(
                documents.c.outlet.is_not(None)).order_by(documents.c.outlet))
            return [r[0] for r in rows]

    def document_id(self, sha256: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(
                documents.c.sha256 == sha256)).scalar()

    def stored_document(self, doc_id: int, *, corrected: bool = True) -> StoredDocument | None:
        """One stored document as a ``Document`` (corrections applied unless told not to)."""
        from whosaid.parse import paragraphs_of

        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
            if row is None:
                return None
            speakers_rows = conn.execute(select(doc_speakers).where(
                doc_speakers.c.document_id == doc_id).order_by(doc_speakers.c.id)).all()
            att_rows = conn.execute(select(attributions).where(
                attributions.c.document_id == doc_id).order_by(attributions.c.position)).all()
            cit_rows = conn.execute(select(citations).where(
                citations.c.document_id == doc_id).order_by(citations.c.start)).all()
            fixes = _corrections(conn, row.sha256)
        text = row.text
        local: dict[int, Speaker] = {}
        links: dict[str, int] = {}
        for n, ds in enumerate(speakers_rows, 1):
            sid = ds.local_id or f"s{n}"
            local[ds.id] = Speaker(name=ds.name, kind=SpeakerKind(ds.kind), named=ds.named,
                                   title=ds.title, role=ds.role, id=sid)
            links[sid] = int(ds.speaker_id)
        atts = []
        for a in att_rows:
            source = None
            if a.source_start is not None and a.source_end is not None:
                source = Source(text=text[a.source_start:a.source_end], start=a.source_start,
                                end=a.source_end, speaker=local.get(a.doc_speaker_id))
            content = content_of(text, [tuple(f) for f in json.loads(a.fragments)]) \
                if a.fragments else None
            atts.append(Attribution(source=source, cue=span_of(text, a.cue_start, a.cue_end),
                                    content=content, type=AttributionType(a.type),
                                    confidence=a.confidence, method=a.method))
        doc = Document(
            name=row.name, text=text, metadata=json.loads(row.metadata),
            paragraphs=paragraphs_of(text), attributions=atts,
            speakers=list(local.values()), model=row.model,
            citations=[Citation(text=c.text, label=c.label, start=c.start, end=c.end,
                                scope=(c.scope_start, c.scope_end), kind=c.kind,
                                reference=c.reference) for c in cit_rows],
        )
        if corrected and fixes:
            doc = apply_corrections(doc, fixes)
        return StoredDocument(id=row.id, sha256=row.sha256, title=row.title, url=row.url,
                              outlet=row.outlet, author=row.author, published=row.published,
                              document=doc, speaker_ids=links, corrections=fixes)

    # --- speakers and statements ------------------------------------------------

    def speaker_directory(self, *, kind: str | None = None, outlet: str | None = None,
                          since: str | None = None, until: str | None = None,
                          limit: int = 50, offset: int = 0) -> tuple[list[SpeakerRow], int]:
        """Speakers counted over the statements that pass the filters; and the total."""
        from whosaid.store.corpus import _speaker_row, speaker_stats

        limit, offset = _page(limit, offset)
        stats = speaker_stats()
        if outlet:
            stats = stats.where(documents.c.outlet == outlet)
        if since:
            stats = stats.where(documents.c.published >= since)
        if until:
            stats = stats.where(documents.c.published <= until)
        stats = stats.group_by(doc_speakers.c.speaker_id).subquery()
        base = select(speakers_t, stats.c.n, stats.c.docs, stats.c.first, stats.c.last
                      ).join(stats, stats.c.sid == speakers_t.c.id)
        if kind:
            base = base.where(speakers_t.c.kind == kind)
        query = base.order_by(stats.c.n.desc(), speakers_t.c.name, speakers_t.c.id
                              ).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(base.subquery()))
                        .scalar_one())
            rows = conn.execute(query).all()
            details = self._details(conn, [r.id for r in rows])  # type: ignore[attr-defined]
        return [_speaker_row(r, details.get(r.id)) for r in rows], total

    def speaker_by_id(self, speaker_id: int) -> SpeakerRow | None:
        from whosaid.store.corpus import _speaker_row, speaker_stats

        stats = speaker_stats(speaker_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(speakers_t).where(speakers_t.c.id == speaker_id)).first()
            if row is None:
                return None
            n = conn.execute(stats).first()
            merged = {**row._mapping, **n._mapping}  # type: ignore[union-attr]
            details = self._details(conn, [speaker_id])  # type: ignore[attr-defined]
        return _speaker_row(_Row(merged), details.get(speaker_id))

    def speaker_statements(self, speaker_id: int, *, limit: int = 50,
                           offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """What one speaker said, oldest first, one page of it; and the total."""
        return self.statement_rows(speaker_id=speaker_id, limit=limit, offset=offset)

    def statement_rows(self, *, speaker_id: int | None = None, document_id: int | None = None,
                       limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Statements (attributions with speaker and document), filtered; and the total."""
        limit, offset = _page(limit, offset)
        query = self._statements().add_columns(  # type: ignore[attr-defined]
            documents.c.id.label("document_id"))
        if speaker_id is not None:
            query = query.where(speakers_t.c.id == speaker_id)
        if document_id is not None:
            query = query.where(documents.c.id == document_id)
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(query.subquery()))
                        .scalar_one())
            rows = conn.execute(query.order_by(
                documents.c.published.is_(None), documents.c.published, documents.c.id,
                attributions.c.position).limit(limit).offset(offset))
            return [dict(r._mapping) for r in rows], total

    def timeline(self, speaker_id: int) -> list[tuple[str, int]]:
        """Statements per month (``YYYY-MM``) for one speaker; undated ones are left out."""
        month = func.substr(documents.c.published, 1, 7)
        query = select(month.label("month"), func.count(attributions.c.id)).select_from(
            attributions.join(documents, documents.c.id == attributions.c.document_id).join(
                doc_speakers, doc_speakers.c.id == attributions.c.doc_speaker_id)
        ).where(doc_speakers.c.speaker_id == speaker_id,
                documents.c.published.is_not(None)).group_by(month).order_by(month)
        with self.engine.connect() as conn:
            return [(m, int(n)) for m, n in conn.execute(query)]

    def sourcing(self, by: str = "outlet") -> list[dict[str, Any]]:
        """Statements by source category (named, anonymous, vague, unattributed) per group.

        ``by`` is ``outlet`` or ``month``. Named: a speaker the text names
        (including pronouns resolved to one); anonymous: deliberately unnamed
        ("a source familiar with"); vague: collectives and unnamed others
        ("critics", "officials"); unattributed: no source at all.
        """
        if by not in ("outlet", "month"):
            raise ValueError("by must be 'outlet' or 'month'")
        category = case(
            (attributions.c.doc_speaker_id.is_(None), literal("unattributed")),
            (doc_speakers.c.kind == "anonymous", literal("anonymous")),
            (doc_speakers.c.kind == "group", literal("vague")),
            (doc_speakers.c.named.is_(True), literal("named")),
            else_=literal("vague"),
        ).label("category")
        group = (func.coalesce(documents.c.outlet, "(no outlet)") if by == "outlet"
                 else func.substr(documents.c.published, 1, 7)).label("grp")
        query = select(group, category, func.count()).select_from(
            attributions.join(documents, documents.c.id == attributions.c.document_id)
            .outerjoin(doc_speakers, doc_speakers.c.id == attributions.c.doc_speaker_id)
        ).group_by(group, category)
        if by == "month":
            query = query.where(documents.c.published.is_not(None))
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for grp, cat, n in conn.execute(query):
                row = out.setdefault(grp, {"group": grp, **dict.fromkeys(SOURCING, 0)})
                row[cat] += int(n)
        rows = list(out.values())
        for row in rows:
            row["total"] = sum(row[c] for c in SOURCING)
        if by == "month":
            rows.sort(key=lambda r: r["group"])
        else:
            rows.sort(key=lambda r: (-r["total"], r["group"]))
        return rows

    # --- corrections ------------------------------------------------------------

    def add_correction(self, doc_id: int, action: str, *,
                       target_cue: tuple[int, int] | None = None,
                       source: tuple[int, int] | None = None,
                       cue: tuple[int, int] | None = None,
                       fragments: list[tuple[int, int]] | None = None,
                       type: str | None = None, speaker: str | None = None,
                       note: str | None = None) -> int:
        """Record one correction of a stored document; returns its id.

        ``add`` needs ``cue``; ``edit`` and ``delete`` name the attribution by
        its current cue span (``target_cue``); ``edit`` replaces its spans
        with the ones given (``source=None`` removes the source).
        """
        from whosaid.store.corpus import CorpusError, _now

        if action not in ACTIONS:
            raise CorpusError(f"unknown correction {action!r}: use add, edit or delete")
        with self.engine.begin() as conn:
            row = conn.execute(select(documents.c.sha256, documents.c.text).where(
                documents.c.id == doc_id)).first()
            if row is None:
                raise CorpusError(f"no document {doc_id}")
            n = len(row.text)

            def check(name: str, span: tuple[int, int] | None) -> None:
                if span is not None and not (0 <= span[0] < span[1] <= n):
                    raise CorpusError(f"{name} span {span[0]}-{span[1]} is not inside the "
                                      f"text (0-{n}) or is empty")

            if action in ("edit", "delete"):
                if target_cue is None:
                    raise CorpusError(f"{action} needs the cue of the attribution to change")
                if self._current_cue(doc_id, target_cue) is None:
                    raise CorpusError(f"document {doc_id} has no attribution with cue "
                                      f"{target_cue[0]}-{target_cue[1]}")
            if action in ("add", "edit") and cue is None:
                raise CorpusError(f"{action} needs a cue span")
            if type is not None and type not in {t.value for t in AttributionType}:
                raise CorpusError(f"unknown type {type!r}: use "
                                  f"{', '.join(t.value for t in AttributionType)}")
            check("cue", cue)
            check("source", source)
            for frag in fragments or []:
                check("content", frag)
            return int(conn.execute(insert(corrections).values(
                document_sha256=row.sha256, action=action,
                target_cue_start=target_cue[0] if target_cue else None,
                target_cue_end=target_cue[1] if target_cue else None,
                source_start=source[0] if source else None,
                source_end=source[1] if source else None,
                cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None,
                fragments=json.dumps(sorted(fragments)) if fragments else None,
                type=type, speaker=(speaker or "").strip() or None,
                note=(note or "").strip() or None, created=_now(),
            ).returning(corrections.c.id)).scalar_one())

    def _current_cue(self, doc_id: int, cue: tuple[int, int]) -> Attribution | None:
        stored = self.stored_document(doc_id)
        if stored is None:
            return None
        return next((a for a in stored.document.attributions
                     if (a.cue.start, a.cue.end) == tuple(cue)), None)

    def corrections(self, doc_id: int | None = None) -> list[dict[str, Any]]:
        """Corrections of one document (or all), oldest first."""
        query = select(corrections).order_by(corrections.c.id)
        with self.engine.connect() as conn:
            if doc_id is not None:
                sha = conn.execute(select(documents.c.sha256).where(
                    documents.c.id == doc_id)).scalar()
                if sha is None:
                    return []
                return _corrections(conn, sha)
            return [_correction_dict(r) for r in conn.execute(query)]

    def delete_correction(self, correction_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(corrections.delete().where(corrections.c.id == correction_id))
            return bool(done.rowcount)

    def corrected_documents(self) -> Iterator[StoredDocument]:
        """Every stored document that has corrections, with them applied."""
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(documents.c.id).where(
                documents.c.sha256.in_(select(corrections.c.document_sha256)))
                .order_by(documents.c.id))]
        for doc_id in ids:
            stored = self.stored_document(doc_id)
            if stored is not None:
                yield stored

    def corrections_brat_zip(self) -> bytes:
        """Corrected documents in PolNeAR's layout (text/*.txt, attributions/*.ann), zipped.

        ``whosaid train --corpus`` and ``whosaid eval --gold`` read this layout.
        """
        from whosaid.brat import to_ann

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for stored in self.corrected_documents():
                stem = f"doc{stored.id:06d}"
                zf.writestr(f"text/{stem}.txt", stored.document.text)
                zf.writestr(f"attributions/{stem}.ann", to_ann(stored.document))
        return buf.getvalue()


class _Row:
    """Attribute access over a mapping, as ``_speaker_row`` expects of a result row."""

    def __init__(self, mapping: dict[str, Any]) -> None:
        self.__dict__.update(mapping)


def _correction_dict(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    d["fragments"] = [tuple(f) for f in json.loads(d["fragments"])] if d["fragments"] else None
    return d


def _corrections(conn: Connection, sha256: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(corrections).where(corrections.c.document_sha256 == sha256)
                        .order_by(corrections.c.id))
    return [_correction_dict(r) for r in rows]


def apply_corrections(doc: Document, fixes: list[dict[str, Any]]) -> Document:
    """The document with the user's corrections applied in order (a new object).

    A correction whose target no longer exists (the attribution was deleted or
    its cue moved) is skipped; corrected attributions get ``method="correction"``.
    """
    text = doc.text
    atts = [a.model_copy(deep=True) for a in doc.attributions]
    speakers = list(doc.speakers)
    by_name = {s.name.casefold(): s for s in speakers}

    def speaker_for(fix: dict[str, Any], old: Attribution | None,
                    span: tuple[int, int]) -> Speaker | None:
        if fix["speaker"]:
            found = by_name.get(fix["speaker"].casefold())
            if found is None:
                found = Speaker(name=fix["speaker"], id=f"u{len(speakers) + 1}")
                speakers.append(found)
                by_name[found.name.casefold()] = found
            return found
        if old is not None and old.source is not None and \
                (old.source.start, old.source.end) == span:
            return old.source.speaker
        same = next((a.source.speaker for a in atts if a.source is not None
                     and (a.source.start, a.source.end) == span and a.source.speaker), None)
        return same

    for fix in fixes:
        target = (fix["target_cue_start"], fix["target_cue_end"])
        index = next((i for i, a in enumerate(atts) if (a.cue.start, a.cue.end) == target), None)
        if fix["action"] == "delete":
            if index is not None:
                atts.pop(index)
            continue
        if fix["action"] == "edit" and index is None:
            continue
        old = atts[index] if index is not None else None
        source = None
        if fix["source_start"] is not None:
            span = (fix["source_start"], fix["source_end"])
            source = Source(text=text[span[0]:span[1]], start=span[0], end=span[1],
                            speaker=speaker_for(fix, old, span))
        kind = AttributionType(fix["type"]) if fix["type"] else (
            old.type if old is not None else AttributionType.INDIRECT)
        new = Attribution(
            source=source, cue=span_of(text, fix["cue_start"], fix["cue_end"]),
            content=content_of(text, list(fix["fragments"])) if fix["fragments"] else None,
            type=kind, confidence=1.0, method="correction")
        if index is not None:
            atts[index] = new
        else:
            atts.append(new)
    atts.sort(key=lambda a: a.cue.start)
    return doc.model_copy(update={"attributions": atts, "speakers": speakers})
