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
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    and_,
    case,
    column,
    func,
    insert,
    literal,
    or_,
    select,
)

from whosaid import speakers as names
from whosaid.brat import to_ann
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
    bump_version,
    citations,
    corpus_version,
    corrections,
    doc_speakers,
    documents,
    embeddings,
    overrides,
    speaker_keys,
    statement_speakers,
)
from whosaid.store.schema import (
    speakers as speakers_t,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from whosaid.store.corpus import SpeakerRow

ACTIONS = ("add", "edit", "delete")
# the source classes of whosaid.assess.SOURCE_CLASSES, in their order
SOURCING = ("named_person", "named_organisation", "role_only", "anonymous", "vague_collective",
            "unattributed")


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
        n_att = (select(func.count()).where(attributions.c.document_id == documents.c.id,
                                            attributions.c.active)
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

        from whosaid.store.corpus import _hold_writes

        with self.engine.begin() as conn:
            _hold_writes(conn, shared=True)  # not while a speaker pass reads the corpus
            if self.engine.dialect.name == "sqlite":
                conn.execute(sql("DELETE FROM attribution_fts WHERE rowid IN "
                                 "(SELECT id FROM attributions WHERE document_id = :d)"),
                             {"d": doc_id})
            done = conn.execute(documents.delete().where(documents.c.id == doc_id))
            bump_version(conn)
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
        with self.engine.connect() as conn:
            return _load_document(conn, doc_id, corrected=corrected)

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
        query = base.order_by(stats.c.n.desc(), speakers_t.c.name, speakers_t.c.id)
        with self.engine.connect() as conn:
            # every speaker counted once per filter and corpus version (a pass over
            # every statement), then pages are slices
            every = self.memo(conn, ("directory", kind, outlet, since, until),
                              lambda c: c.execute(query).all(), big=True)
            rows = every[offset:offset + limit]
            details = self._details(conn, [r.id for r in rows])  # type: ignore[attr-defined]
        return [_speaker_row(r, details.get(r.id)) for r in rows], len(every)

    def speaker_by_id(self, speaker_id: int) -> SpeakerRow | None:
        """One speaker with its totals over :meth:`statements_of` (a group's too)."""
        from whosaid.store.corpus import _speaker_row

        stats = select(
            func.count(func.distinct(attributions.c.id)).label("n"),
            func.count(func.distinct(attributions.c.document_id)).label("docs"),
            func.min(documents.c.published).label("first"),
            func.max(documents.c.published).label("last"),
        ).select_from(attributions.join(documents, documents.c.id == attributions.c.document_id)
                      ).where(func.coalesce(attributions.c.active, False),
                              attributions.c.id.in_(
                                  self.statements_of(speaker_id)))  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            row = conn.execute(select(speakers_t).where(speakers_t.c.id == speaker_id)).first()
            if row is None:
                return None
            n = self.memo(conn, ("speaker-totals", speaker_id),
                          lambda c: dict(c.execute(stats).one()._mapping))
            merged = {**row._mapping, **n}
            details = self._details(conn, [speaker_id])  # type: ignore[attr-defined]
        return _speaker_row(_Row(merged), details.get(speaker_id))

    def moved_speaker(self, speaker_id: int) -> int | None:
        """The live speaker a speaker that is no more went into (its mentions joined it:
        a merge, or the corpus pass), followed through later moves; None when the id
        is live, or its mentions are gone (their documents deleted)."""
        seen = {speaker_id}
        with self.engine.connect() as conn:
            sid = speaker_id
            while conn.execute(select(speakers_t.c.id).where(
                    speakers_t.c.id == sid)).first() is None:
                nxt = conn.execute(select(speaker_keys.c.moved_to).where(
                    speaker_keys.c.speaker_id == sid, speaker_keys.c.moved_to.is_not(None))
                    .limit(1)).scalar()
                if nxt is None or nxt in seen:
                    return None
                seen.add(sid := int(nxt))
        return sid if sid != speaker_id else None

    def speaker_gone(self, speaker_id: int) -> bool:
        """Whether the id was a speaker's that is no more (its documents were deleted):
        a bookmark to it gets "gone", not "never was"."""
        with self.engine.connect() as conn:
            had = conn.execute(select(speaker_keys.c.key).where(
                speaker_keys.c.speaker_id == speaker_id).limit(1)).first()
            live = conn.execute(select(speakers_t.c.id).where(
                speakers_t.c.id == speaker_id)).first()
        return had is not None and live is None

    def speaker_statements(self, speaker_id: int, *, limit: int = 50,
                           offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """What one speaker said, oldest first, one page of it; and the total."""
        return self.statement_rows(speaker_id=speaker_id, limit=limit, offset=offset)

    def speaker_documents(self, speaker_id: int, *, limit: int = 200) -> list[dict[str, Any]]:
        """The documents of a speaker's mentions with its active statements in each, most
        first: what a split by document offers (one article out of a group)."""
        said = select(doc_speakers.c.document_id, func.count(
            func.distinct(attributions.c.id)).label("n")).select_from(
            doc_speakers.join(statement_speakers,
                              statement_speakers.c.doc_speaker_id == doc_speakers.c.id)
            .join(attributions, attributions.c.id == statement_speakers.c.attribution_id)
        ).where(doc_speakers.c.speaker_id == speaker_id,
                func.coalesce(attributions.c.active, False)
                ).group_by(doc_speakers.c.document_id).subquery()
        n = func.coalesce(func.max(said.c.n), 0)
        # sorted and cut in SQL: a speaker of thousands of documents sends 200 rows
        query = select(documents.c.id, documents.c.title, documents.c.name,
                       documents.c.published, n).select_from(
            doc_speakers.join(documents, documents.c.id == doc_speakers.c.document_id)
            .outerjoin(said, said.c.document_id == documents.c.id)
        ).where(doc_speakers.c.speaker_id == speaker_id).group_by(
            documents.c.id, documents.c.title, documents.c.name, documents.c.published
        ).order_by(n.desc(), documents.c.id).limit(max(0, int(limit)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [{"id": i, "title": t or name or f"document {i}", "published": p,
                 "statements": int(c)} for i, t, name, p, c in rows]

    def speaker_decisions(self, speaker_id: int) -> list[dict[str, Any]]:
        """The user's stored decisions about a speaker (merges into it, splits out of it,
        its rename), in words, oldest first: what the speaker page shows."""
        with self.engine.connect() as conn:
            key = conn.execute(select(speakers_t.c.key).where(
                speakers_t.c.id == speaker_id)).scalar()
            if key is None:
                return []
            rows = conn.execute(select(overrides.c.action, overrides.c.other,
                                       overrides.c.created).where(overrides.c.target == key)
                                .order_by(overrides.c.id)).all()
            # splits of another speaker that made this one: "split off from ..."
            own_docs = select(literal("doc:").concat(documents.c.sha256)).join(
                doc_speakers, doc_speakers.c.document_id == documents.c.id).where(
                doc_speakers.c.speaker_id == speaker_id)
            origins = conn.execute(select(
                overrides.c.created, speakers_t.c.id,
                func.coalesce(speakers_t.c.custom_name, speakers_t.c.name)).join(
                speakers_t, speakers_t.c.key == overrides.c.target).where(
                overrides.c.action == "split", overrides.c.target != key,
                overrides.c.other.in_(own_docs)).order_by(overrides.c.id)).all()
            merged = [o for a, o, _ in rows if a == "merge"]
            merged_names: dict[str, list[str]] = {}
            for nk, name in (conn.execute(select(doc_speakers.c.natural_key, doc_speakers.c.name)
                                          .distinct().where(doc_speakers.c.natural_key.in_(merged))
                                          .order_by(doc_speakers.c.name)) if merged else ()):
                merged_names.setdefault(nk, []).append(name)
            shas = [o.removeprefix("doc:") for a, o, _ in rows
                    if a == "split" and o.startswith("doc:")]
            docs = {h: (i, t or n) for h, i, t, n in conn.execute(select(
                documents.c.sha256, documents.c.id, documents.c.title, documents.c.name).where(
                documents.c.sha256.in_(shas)))} if shas else {}
            # a split by name is stored folded ("maria lindqvist"): shown as a text wrote it.
            # The mentions it moved keep this key (or a key merged into it) as their
            # natural key (indexed); their names are folded here, by the rule that
            # folded the alias, not by the database's lower() (ASCII only on SQLite)
            folded = {o for a, o, _ in rows if a == "split" and not o.startswith("doc:")}
            written: dict[str, str] = {}
            for (name,) in (conn.execute(select(doc_speakers.c.name).distinct().where(
                    doc_speakers.c.natural_key.in_([key, *merged]))) if folded else ()):
                alias = names.fold(name)
                if alias in folded and (alias not in written or name < written[alias]):
                    written[alias] = name
        out: list[dict[str, Any]] = [
            {"action": "split", "created": created, "document_id": None, "speaker_id": sid,
             "text": f"split off from {name}"} for created, sid, name in origins]
        for action, other, created in rows:
            item: dict[str, Any] = {"action": action, "created": created, "document_id": None,
                                    "speaker_id": None}
            if action == "split" and other.startswith("doc:"):
                doc = docs.get(other.removeprefix("doc:"))
                item["document_id"] = doc[0] if doc else None
                item["text"] = (f"split off its mentions in {doc[1] or 'document'!s}" if doc
                                else "split off the mentions of a document no longer stored")
            elif action == "split":
                item["text"] = f"split off the mentions named {written.get(other, other)!r}"
            elif action == "merge":
                shown = merged_names.get(other)
                item["text"] = (f"merged in {'; '.join(shown[:3])}" if shown
                                else f"merged in the speaker keyed {other!r}")
            else:
                item["text"] = f"renamed to {other!r}"
            out.append(item)
        return out

    def statement_rows(self, *, speaker_id: int | None = None, document_id: int | None = None,
                       limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Statements (attributions with speaker and document), filtered; and the total."""
        limit, offset = _page(limit, offset)
        query = self._statements().add_columns(  # type: ignore[attr-defined]
            documents.c.id.label("document_id"))
        if speaker_id is not None:
            query = query.where(attributions.c.id.in_(
                self.statements_of(speaker_id)))  # type: ignore[attr-defined]
        if document_id is not None:
            query = query.where(documents.c.id == document_id)
        with self.engine.connect() as conn:
            total = self.memo(conn, ("statement-rows", speaker_id, document_id), lambda c: int(
                c.execute(select(func.count()).select_from(query.subquery())).scalar_one()))
            rows = conn.execute(query.order_by(
                documents.c.published.is_(None), documents.c.published, documents.c.id,
                attributions.c.position, attributions.c.id).limit(limit).offset(offset))
            return self._with_speakers(conn, rows, first=speaker_id), total  # type: ignore[attr-defined]

    def timeline(self, speaker_id: int) -> list[tuple[str, int]]:
        """Statements per month (``YYYY-MM``) for one speaker; undated ones are left out."""
        month = func.substr(documents.c.published, 1, 7)
        query = select(month.label("month"), func.count(attributions.c.id)).select_from(
            attributions.join(documents, documents.c.id == attributions.c.document_id)
        ).where(attributions.c.id.in_(self.statements_of(speaker_id)),  # type: ignore[attr-defined]
                attributions.c.active,
                documents.c.published.is_not(None)).group_by(month).order_by(month)
        with self.engine.connect() as conn:
            return self.memo(conn, ("timeline", speaker_id),
                             lambda c: [(m, int(n)) for m, n in c.execute(query)])

    def sourcing(self, by: str = "outlet") -> list[dict[str, Any]]:
        """Statements per source class (``whosaid.assess.SOURCE_CLASSES``) per group.

        ``by`` is ``outlet`` or ``month``. The classes are the ones the
        pipeline stored with each statement, the same as ``whosaid profile``,
        the dashboard and docs/sourcing.md use.
        """
        if by not in ("outlet", "month"):
            raise ValueError("by must be 'outlet' or 'month'")
        category = func.coalesce(attributions.c.specificity, case(
            (attributions.c.doc_speaker_id.is_(None), literal("unattributed")),
            else_=literal("vague_collective"))).label("category")
        group = (func.coalesce(documents.c.outlet, "(no outlet)") if by == "outlet"
                 else func.substr(documents.c.published, 1, 7)).label("grp")
        query = select(group, category, func.count()).select_from(
            attributions.join(documents, (documents.c.id == attributions.c.document_id)
                              & attributions.c.active)
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
        from whosaid.store.corpus import CorpusError, _hold_writes, _now

        if action not in ACTIONS:
            raise CorpusError(f"unknown correction {action!r}: use add, edit or delete")
        with self.engine.begin() as conn:
            _hold_writes(conn)  # its speaker pass follows: the lock before the first write
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
            cid = int(conn.execute(insert(corrections).values(
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
            self._sync_corrections(conn, doc_id)
            self._relink(conn)  # type: ignore[attr-defined]
            return cid

    def correct_speaker(self, doc_id: int, cue: tuple[int, int], speaker: str, *,
                        note: str | None = None) -> int:
        """Give one statement another speaker: a document speaker's name (picked) or any
        name (typed; "A + B" names several). Its spans and type stay as they are.

        A statement without a source span gets the speaker anchored at its cue.
        """
        from whosaid.store.corpus import CorpusError

        speaker = " ".join((speaker or "").split())
        if not speaker:
            raise CorpusError("speaker: pick a speaker or type a name")
        att = self._current_cue(doc_id, cue)
        if att is None:
            raise CorpusError(f"document {doc_id} has no attribution with cue "
                              f"{cue[0]}-{cue[1]}")
        source = (att.source.start, att.source.end) if att.source is not None else cue
        return self.add_correction(
            doc_id, "edit", target_cue=cue, cue=cue, source=source,
            fragments=list(att.content.fragments) if att.content else None,
            type=att.type.value, speaker=speaker, note=note)

    def correct_statement(self, attribution_id: int, speaker: str, *,
                          note: str | None = None) -> int:
        """:meth:`correct_speaker` for a statement by its id (as ``said`` and search list it).

        An id that a correction has since replaced still names its statement (its
        document and cue), so correcting twice with the id first listed works.
        """
        from whosaid.store.corpus import CorpusError

        if not " ".join((speaker or "").split()):
            raise CorpusError("speaker: pick a speaker or type a name")
        with self.engine.connect() as conn:
            row = conn.execute(select(attributions.c.document_id, attributions.c.cue_start,
                                      attributions.c.cue_end).where(
                attributions.c.id == attribution_id)).first()
        if row is None:
            raise CorpusError(f"no statement {attribution_id}")
        return self.correct_speaker(row.document_id, (row.cue_start, row.cue_end), speaker,
                                    note=note)

    def document_speakers(self, doc_id: int) -> list[dict[str, Any]]:
        """The speakers a statement of this document can be given (the UI's pick list)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(
                doc_speakers.c.local_id, doc_speakers.c.name, doc_speakers.c.kind,
                doc_speakers.c.speaker_id).where(doc_speakers.c.document_id == doc_id)
                .order_by(doc_speakers.c.name, doc_speakers.c.id)).all()
        seen: set[str] = set()
        out = []
        for r in rows:
            if r.name.casefold() in seen:
                continue
            seen.add(r.name.casefold())
            out.append({"local_id": r.local_id, "name": r.name, "kind": r.kind,
                        "speaker_id": r.speaker_id})
        return out

    def _sync_corrections(self, conn: Connection, doc_id: int) -> None:
        """Make a document's stored rows say what its corrections say.

        The analysis rows stay (a withdrawn correction brings them back); the
        ones a correction replaced or deleted become inactive, and each
        corrected statement gets a row of its own (``correction_id``) linked to
        its speakers, so every reader (speaker pages, ``said``, ``speakers``,
        search, exports, dashboard) counts the corrected version.
        """
        from sqlalchemy import text as sql
        from sqlalchemy import update

        made = select(attributions.c.id).where(attributions.c.document_id == doc_id,
                                               attributions.c.correction_id.is_not(None))
        if self.engine.dialect.name == "sqlite":
            conn.execute(sql("DELETE FROM attribution_fts WHERE rowid IN (SELECT id FROM "
                             "attributions WHERE document_id = :d AND correction_id IS NOT "
                             "NULL)"), {"d": doc_id})
        conn.execute(attributions.delete().where(attributions.c.id.in_(made)))
        conn.execute(doc_speakers.delete().where(doc_speakers.c.document_id == doc_id,
                                                 doc_speakers.c.origin == "correction"))
        conn.execute(update(attributions).where(attributions.c.document_id == doc_id,
                                                attributions.c.active.is_(False))
                     .values(active=True))
        raw = _load_document(conn, doc_id, corrected=False, with_rows=True)
        if raw is None or not raw.corrections:
            return
        doc, origins = _apply(raw.document, raw.corrections)
        row_ids = raw.row_ids
        kept = {o[1] for o in origins if o[0] == "raw"}
        gone = [row_ids[i] for i in range(len(row_ids)) if i not in kept]
        if gone:
            conn.execute(update(attributions).where(attributions.c.id.in_(gone))
                         .values(active=False))
        fresh = [(n, att, o[1]) for n, (att, o) in enumerate(zip(doc.attributions, origins,
                                                                 strict=True)) if o[0] == "fix"]
        if not fresh:
            return
        known = {s.id or s.name for s in raw.document.speakers}
        new_refs = {s.id or s.name for s in doc.speakers} - known
        local = dict(raw.local_rows)
        if new_refs:
            local.update(self._store_speakers(  # type: ignore[attr-defined]
                conn, doc, doc_id, raw.sha256, origin="correction", only=new_refs))
        positions, last = [], 0
        for o in origins:
            if o[0] == "raw":
                last = raw.positions[o[1]]
            positions.append(last)
        from whosaid.assess import stored_class

        classed = []
        for _, att, _ in fresh:  # the source class of the corrected source and speaker
            src = att.source
            who = src.speaker if src is not None else None
            named = bool(who and (who.named or src.members)) if src is not None else None
            classed.append(att.model_copy(update={"specificity": stored_class(
                src.text if src else None, who.kind.value if who else None, named)}))
        sub = doc.model_copy(update={"attributions": classed})
        self._store_attributions(  # type: ignore[attr-defined]
            conn, sub, doc_id, local, positions=[positions[n] for n, _, _ in fresh],
            corrections=[fix for _, _, fix in fresh])

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
        """Withdraw a correction; the document's rows and counts follow."""
        from whosaid.store.corpus import _hold_writes

        with self.engine.begin() as conn:
            _hold_writes(conn)  # its speaker pass follows: the lock before the first write
            sha = conn.execute(select(corrections.c.document_sha256).where(
                corrections.c.id == correction_id)).scalar()
            done = conn.execute(corrections.delete().where(corrections.c.id == correction_id))
            doc_id = conn.execute(select(documents.c.id).where(
                documents.c.sha256 == sha)).scalar() if sha else None
            if doc_id is not None:
                self._sync_corrections(conn, doc_id)
                self._relink(conn)  # type: ignore[attr-defined]
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
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for stored in self.corrected_documents():
                stem = f"doc{stored.id:06d}"
                zf.writestr(f"text/{stem}.txt", stored.document.text)
                zf.writestr(f"attributions/{stem}.ann", to_ann(stored.document, speakers=True))
        return buf.getvalue()

    def embedding_state(self, model: str) -> tuple[int, int, int]:
        """(count, largest id, id sum) of the active statements' vectors from ``model``.

        One cheap aggregate that changes whenever a vector is added or removed
        or its statement is corrected away, so semantic search can keep the
        vectors in memory between queries (:mod:`whosaid.search`).
        """
        query = select(func.count(), func.max(embeddings.c.attribution_id),
                       func.sum(embeddings.c.attribution_id)).select_from(
            embeddings.join(attributions, attributions.c.id == embeddings.c.attribution_id)
        ).where(embeddings.c.model == model,
                # coalesce: a bare flag test sends SQLite to the flag's index
                func.coalesce(attributions.c.active, False))
        with self.engine.connect() as conn:
            n, top, total = conn.execute(query).one()
        return int(n), int(top or 0), int(total or 0)

    # --- tables: sortable, filterable documents / speakers / statements ------------
    # (the web UI's /documents, /speakers, /statements and their CSV/JSON exports)

    def table_documents(self, f: TableFilters, *, sort: str = "published",
                        order: str = "desc", limit: int = 25,
                        offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Documents passing ``f``, sorted by any column; and how many pass.

        Statement filters (speaker, kind, gender, type, specificity) keep the
        documents with at least one statement that passes all of them. The
        total is counted once per filter and corpus version (:meth:`memo`).
        """
        query, total, sorts = self._documents_query(f, page=True)
        query = query.order_by(*_order(sorts, sort, order, documents.c.id))
        with self.engine.connect() as conn:
            if sort in INDEXED_SORTS["documents"]:
                rows = [dict(r._mapping) for r in conn.execute(
                    query.limit(limit).offset(offset))]
            else:  # a count or an unindexed column: sort every id once per version
                ids = self.memo(conn, ("document-ids", repr(f), sort, order), lambda c: [
                    r[0] for r in c.execute(query.with_only_columns(documents.c.id))],
                    big=True)[offset:offset + limit]
                found = {r.id: dict(r._mapping) for r in conn.execute(
                    query.order_by(None).where(documents.c.id.in_(ids)))}
                rows = [found[i] for i in ids if i in found]
            n = self.memo(conn, ("documents", repr(f)),
                          lambda c: int(c.execute(total).scalar_one()))
            return rows, n

    def table_speakers(self, f: TableFilters, *, sort: str = "count", order: str = "desc",
                       limit: int = 25, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Speakers counted over the statements passing ``f``, sorted; and how many.

        Counting means grouping every statement that passes ``f`` (about a
        second on 100,000 statements in SQLite), so the sorted result is kept
        in memory, per filter and sort, until the corpus changes
        (:meth:`version`): paging, re-sorting back and reloading cost a page's
        worth; the page's aliases, titles and roles are kept too (``_details``).
        """
        query, _total, sorts = self._speakers_query(f)
        query = query.order_by(*_order(sorts, sort, order, speakers_t.c.id))
        with self.engine.connect() as conn:
            every = self.memo(conn, ("speakers", repr(f), sort, order),
                              lambda c: c.execute(query).all(), big=True)
            rows = every[offset:offset + limit]
            details = self._details(conn, [r.id for r in rows])  # type: ignore[attr-defined]
            return self._speaker_dicts(rows, details), len(every)

    def memo(self, conn: Connection, key: tuple[Any, ...],
             compute: Callable[[Connection], Any], *, big: bool = False) -> Any:
        """``compute(conn)``, kept in memory until the corpus changes (:func:`corpus_version`).

        For counts and sorted lists that take a pass over every statement; a
        page then pays one indexed read of the version. ``big`` values (whole
        sorted tables) are kept for at most 16 keys, small ones for 512, the
        least recently used going first; :meth:`refresh` recomputes the most
        recently used after a change.
        """
        version = corpus_version(conn)
        store = _BIG if big else _SMALL
        full = (self.engine.url.render_as_string(), *key)
        hit = store.pop(full, None)
        if hit is not None and hit[0] == version:
            store[full] = hit  # the most recently used last
            return hit[1]
        value = compute(conn)
        store[full] = (version, value, compute)
        while len(store) > (16 if big else 512):
            store.pop(next(iter(store)), None)
        return value

    def refresh(self, *, big: int = 4, small: int = 32) -> int:
        """Recompute the kept values (:meth:`memo`) of an older corpus version, the most
        recently used first (``big`` whole tables, ``small`` counts), and the aliases
        of the first page of each recomputed speaker table; returns how many.

        A background thread of the web app calls this when the version moves, so
        the pages in use find their figures ready after an ingest or a merge. It
        stops early when the version moves again meanwhile (the work would be
        stale: the next call starts over), so a stream of writes cannot keep it
        recomputing without end.
        """
        url = self.engine.url.render_as_string()
        done = 0
        with self.engine.connect() as conn:
            version = corpus_version(conn)
            for store, cap in ((_BIG, big), (_SMALL, small)):
                stale = [(k, e) for k, e in reversed(list(store.items()))
                         if k[0] == url and e[0] != version][:cap]
                for key, (_old, _value, compute) in stale:
                    if corpus_version(conn) != version:
                        return done
                    value = compute(conn)
                    store[key] = (version, value, compute)
                    done += 1
                    if key[1] in ("speakers", "directory"):  # sorted speaker rows
                        self._details(conn, [r.id for r in value[:25]])  # type: ignore[attr-defined]
        return done

    def speaker_name(self, speaker_id: int) -> str | None:
        """A corpus speaker's shown name, in one indexed look-up (a filter chip's label)."""
        with self.engine.connect() as conn:
            return conn.execute(select(_speaker_name()).where(
                speakers_t.c.id == speaker_id)).scalar()

    def table_statements(self, f: TableFilters, *, sort: str = "published",
                         order: str = "desc", limit: int = 25,
                         offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Statements (attributions with speaker and document) passing ``f``; and how many.

        The page is found first as bare keys (statement id, speaker link), so
        a deep page skips rows without reading their text; then its rows are
        read whole. Sorted by an indexed column (date, id) the database finds
        the keys; sorted by any other (content, speaker, ...) every key is
        sorted once and kept until the corpus changes, so later pages and
        reloads are a slice. The total is counted once per filter and version.
        """
        query, total, sorts = self._statements_query(f)
        link = statement_speakers.c.doc_speaker_id
        ordering = [*_order(sorts, sort, order, attributions.c.id), link]
        keys_q = query.with_only_columns(attributions.c.id, link).order_by(*ordering)

        def every_key(c: Connection) -> tuple[array, array]:  # compact: 16 bytes a row
            ids, links = array("q"), array("q")
            for aid, dsid in c.execute(keys_q):
                ids.append(aid)
                links.append(-1 if dsid is None else dsid)
            return ids, links

        with self.engine.connect() as conn:
            if sort in INDEXED_SORTS["statements"] and offset < DEEP:
                keys = [tuple(k) for k in conn.execute(keys_q.limit(limit).offset(offset))]
            else:  # an unindexed sort or a deep page: every key sorted once per version
                ids, links = self.memo(conn, ("statement-keys", repr(f), sort, order),
                                       every_key, big=True)
                keys = [(i, None if d < 0 else d) for i, d in
                        zip(ids[offset:offset + limit], links[offset:offset + limit],
                            strict=True)]
            found = {(r.attribution_id, r.link_id): r._mapping for r in conn.execute(
                query.add_columns(link.label("link_id")).where(
                    attributions.c.id.in_({k[0] for k in keys})))}
            rows = []
            for k in keys:  # (a row deleted since the keys were read is left out)
                if (k[0], k[1]) in found:
                    row = dict(found[(k[0], k[1])])
                    row.pop("link_id")
                    rows.append(row)
            n = self.memo(conn, ("statements", repr(f)),
                          lambda c: int(c.execute(total).scalar_one()))
            return rows, n

    def table_rows(self, view: str, f: TableFilters, *, sort: str, order: str,
                   chunk: int = 1000) -> Iterator[dict[str, Any]]:
        """Every row of a table view, in its sort order, streamed (for CSV/JSON export)."""
        build, tie = {"documents": (self._documents_query, documents.c.id),
                      "speakers": (self._speakers_query, speakers_t.c.id),
                      "statements": (self._statements_query, attributions.c.id)}[view]
        query, _total, sorts = build(f)
        query = query.order_by(*_order(sorts, sort, order, tie))
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=chunk).execute(query)
            for part in result.partitions():
                if view == "speakers":
                    details = self._details(conn, [r.id for r in part])  # type: ignore[attr-defined]
                    yield from self._speaker_dicts(part, details)
                else:
                    yield from (dict(r._mapping) for r in part)

    def _documents_query(self, f: TableFilters, *, page: bool = False
                         ) -> tuple[Select[Any], Select[Any], Sorts]:
        # active rows counted, not filtered: a WHERE on ``active`` leads SQLite (without
        # ANALYZE statistics) to the index on that flag, read whole for every document
        n_att = (select(func.count(case((attributions.c.active, 1))))
                 .where(attributions.c.document_id == documents.c.id)
                 .correlate(documents).scalar_subquery())
        n_sp = (select(func.count(func.distinct(doc_speakers.c.speaker_id)))
                .where(doc_speakers.c.document_id == documents.c.id)
                .correlate(documents).scalar_subquery())
        n_att, n_sp = n_att.label("attributions"), n_sp.label("speakers")
        query = select(documents.c.id, documents.c.name, documents.c.title,
                       documents.c.outlet, documents.c.author, documents.c.published,
                       documents.c.url, documents.c.ingested_at, n_att, n_sp)
        sorts = {"id": documents.c.id,
                 "title": func.coalesce(documents.c.title, documents.c.name),
                 "outlet": documents.c.outlet, "author": documents.c.author,
                 "published": documents.c.published, "ingested": documents.c.ingested_at,
                 "attributions": n_att, "speakers": n_sp}
        conds = _document_conditions(f)
        if f.q:
            like = _like(f.q)
            conds.append(or_(documents.c.title.ilike(like, escape="\\"),
                             documents.c.name.ilike(like, escape="\\"),
                             documents.c.author.ilike(like, escape="\\"),
                             documents.c.text.ilike(like, escape="\\")))
        inner = _statement_conditions(self, f, content_q=False)
        passing = select(attributions.c.document_id).select_from(
            _statement_joins(minimal=False, with_documents=False)).where(
            func.coalesce(attributions.c.active, False), *inner)
        total = select(func.count()).select_from(documents).where(*conds)
        if inner:
            # the count: the documents with a passing statement, found once (not a
            # subquery per document); coalesce keeps SQLite off an index on the flag
            total = total.where(documents.c.id.in_(passing))
            # a page: documents in sort order, each checked until 25 pass (finding all
            # of them first reads every passing statement: 7,000 documents for one gender)
            conds.append(passing.where(attributions.c.document_id == documents.c.id)
                         .correlate(documents).exists() if page
                         else documents.c.id.in_(passing))
        query = query.where(*conds)
        return query, total, sorts

    def _speakers_query(self, f: TableFilters) -> tuple[Select[Any], Select[Any], Sorts]:
        from whosaid.store.corpus import speaker_stats

        stats = speaker_stats().where(*_document_conditions(f),
                                      *_statement_conditions(self, f, speaker_level=False,
                                                             content_q=False))
        stats = stats.group_by(doc_speakers.c.speaker_id).subquery()
        gender = _column(speakers_t, "gender")
        sorts: Sorts = {"id": speakers_t.c.id, "name": _speaker_name(),
                        "kind": speakers_t.c.kind, "count": stats.c.n,
                        "documents": stats.c.docs, "first": stats.c.first,
                        "last": stats.c.last}
        if gender is not None:
            sorts["gender"] = gender
        base = select(speakers_t, stats.c.n, stats.c.docs, stats.c.first, stats.c.last
                      ).join(stats, stats.c.sid == speakers_t.c.id)
        conds = []
        if f.speaker is not None:
            conds.append(speakers_t.c.id == f.speaker)
        if f.kind:
            conds.append(speakers_t.c.kind == f.kind)
        if f.gender:
            conds.append(_gender_condition(f.gender))
        if f.q:
            conds.append(_speaker_name().ilike(_like(f.q), escape="\\"))
        base = base.where(*conds)
        total = select(func.count()).select_from(base.subquery())
        return base, total, sorts

    def _statements_query(self, f: TableFilters) -> tuple[Select[Any], Select[Any], Sorts]:
        cols: list[Any] = [
            attributions.c.id.label("attribution_id"), documents.c.published,
            documents.c.id.label("document_id"), documents.c.name.label("document"),
            documents.c.title, documents.c.outlet, documents.c.url,
            speakers_t.c.id.label("speaker_id"), _speaker_name().label("speaker"),
            speakers_t.c.kind.label("kind")]
        gender = _column(speakers_t, "gender")
        if gender is not None:
            cols.append(gender.label("gender"))
        cols += [attributions.c.source_text.label("source"),
                 attributions.c.cue_text.label("cue"),
                 attributions.c.content_text.label("content"), attributions.c.type]
        spec = _column(attributions, "specificity")
        if spec is not None:
            cols.append(spec.label("specificity"))
        cols += [attributions.c.confidence,
                 attributions.c.correction_id.is_not(None).label("corrected")]
        conds = [*_document_conditions(f), *_statement_conditions(self, f)]
        query = select(*cols).select_from(_statement_joins(minimal=False)).where(*conds)
        # the count needs the speaker tables only when a condition reads them
        needs_speakers = bool(f.kind) or bool(f.gender) or f.speaker is not None
        # a row per statement and speaker ("X and Y said" is two rows): count the links
        # too, so "60 rows" is what the pages and the download hold
        total = select(func.count()).select_from(
            _statement_joins(minimal=False) if needs_speakers else
            _statement_joins(minimal=True).outerjoin(
                statement_speakers, statement_speakers.c.attribution_id == attributions.c.id)
        ).where(*conds)
        return query, total, _statement_sorts()

    def _speaker_dicts(self, rows: Any, details: dict[int, Any]) -> list[dict[str, Any]]:
        from whosaid.store.corpus import _speaker_row

        out = []
        for r in rows:
            d = _speaker_row(r, details.get(r.id)).as_dict()
            d.pop("key", None)
            d["gender"] = getattr(r, "gender", None)
            out.append(d)
        return out


# BrowseMixin.memo: (database, key...) -> (corpus version, value, compute), least
# recently used first
Kept = tuple[tuple[str, int], Any, Callable[[Connection], Any]]
_BIG: dict[tuple[Any, ...], Kept] = {}
_SMALL: dict[tuple[Any, ...], Kept] = {}


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


def corrected_document_ids(conn: Connection) -> list[int]:
    """Ids of the stored documents that have corrections."""
    return [r[0] for r in conn.execute(select(documents.c.id).where(
        documents.c.sha256.in_(select(corrections.c.document_sha256)))
        .order_by(documents.c.id))]


@dataclass
class _Loaded(StoredDocument):
    """A stored document plus the row ids the correction sync needs."""

    row_ids: list[int] = field(default_factory=list)  # attribution rows, in document order
    positions: list[int] = field(default_factory=list)
    local_rows: dict[str, int] = field(default_factory=dict)  # local id -> doc_speakers id


def _load_document(conn: Connection, doc_id: int, *, corrected: bool = True,
                   with_rows: bool = False) -> _Loaded | None:
    """A stored document rebuilt from its analysis rows, corrections applied on request.

    Rows a correction made (``correction_id``, ``origin = 'correction'``) are
    not read: the corrected view is always the analysis plus the corrections,
    so withdrawing one gives back exactly what was there.
    """
    from whosaid.parse import paragraphs_of

    row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
    if row is None:
        return None
    speakers_rows = conn.execute(select(doc_speakers).where(
        doc_speakers.c.document_id == doc_id).order_by(doc_speakers.c.id)).all()
    att_rows = conn.execute(select(attributions).where(
        attributions.c.document_id == doc_id, attributions.c.correction_id.is_(None))
        .order_by(attributions.c.position, attributions.c.id)).all()
    cit_rows = conn.execute(select(citations).where(
        citations.c.document_id == doc_id).order_by(citations.c.start)).all()
    fixes = _corrections(conn, row.sha256)
    text = row.text
    local: dict[int, Speaker] = {}
    links: dict[str, int] = {}
    local_rows: dict[str, int] = {}
    analysed = []
    for n, ds in enumerate(speakers_rows, 1):
        sid = ds.local_id or f"s{n}"
        links[sid] = int(ds.speaker_id)
        if ds.origin == "correction":
            continue
        local[ds.id] = Speaker(name=ds.name, kind=SpeakerKind(ds.kind), named=ds.named,
                               title=ds.title, role=ds.role, id=sid,
                               gender=getattr(ds, "gender", None),  # v4: whosaid.gender
                               gender_evidence=json.loads(getattr(ds, "gender_evidence", None)
                                                          or "{}"))
        local_rows[sid] = ds.id
        analysed.append(ds)
    by_local = {sp.id: sp for sp in local.values()}
    group_members = {ds.id: [by_local[m] for m in json.loads(ds.members) if m in by_local]
                     for ds in analysed if ds.members}
    atts = []
    for a in att_rows:
        source = None
        if a.source_start is not None and a.source_end is not None:
            source = Source(text=text[a.source_start:a.source_end], start=a.source_start,
                            end=a.source_end, speaker=local.get(a.doc_speaker_id),
                            members=group_members.get(a.doc_speaker_id, []))
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
    return _Loaded(id=row.id, sha256=row.sha256, title=row.title, url=row.url,
                   outlet=row.outlet, author=row.author, published=row.published,
                   document=doc, speaker_ids=links, corrections=fixes,
                   row_ids=[a.id for a in att_rows] if with_rows else [],
                   positions=[a.position for a in att_rows] if with_rows else [],
                   local_rows=local_rows)


def apply_corrections(doc: Document, fixes: list[dict[str, Any]]) -> Document:
    """The document with the user's corrections applied in order (a new object).

    A correction whose target no longer exists (the attribution was deleted or
    its cue moved) is skipped; corrected attributions get ``method="correction"``.
    """
    return _apply(doc, fixes)[0]


Origin = tuple[str, int]  # ("raw", index in the analysis) or ("fix", correction id)


def _apply(doc: Document, fixes: list[dict[str, Any]]) -> tuple[Document, list[Origin]]:
    """:func:`apply_corrections`, also saying where each resulting attribution comes from.

    A speaker named by a correction is the document speaker of that name when
    there is one (picked), else a new speaker (typed); "A + B" is a group whose
    members are A and B, and a picked group brings its members along.
    """
    text = doc.text
    atts = [a.model_copy(deep=True) for a in doc.attributions]
    origins: list[Origin] = [("raw", i) for i in range(len(atts))]
    speakers = list(doc.speakers)
    by_name = {s.name.casefold(): s for s in speakers}
    members: dict[str, list[Speaker]] = {}
    for a in atts:
        if a.source is not None and a.source.speaker is not None and a.source.members:
            members[a.source.speaker.id or a.source.speaker.name] = list(a.source.members)

    def named(name: str, kind: SpeakerKind = SpeakerKind.UNKNOWN) -> Speaker:
        found = by_name.get(name.casefold())
        if found is None:
            found = Speaker(name=name, kind=kind, named=kind is not SpeakerKind.UNKNOWN
                            or name[:1].isupper(), id=f"u{len(speakers) + 1}")
            speakers.append(found)
            by_name[found.name.casefold()] = found
        return found

    def speaker_for(fix: dict[str, Any], old: Attribution | None,
                    span: tuple[int, int]) -> tuple[Speaker | None, list[Speaker]]:
        if fix["speaker"]:
            parts = [p.strip() for p in fix["speaker"].split(" + ") if p.strip()]
            if len(parts) > 1 and fix["speaker"].casefold() not in by_name:
                group = named(" + ".join(parts), SpeakerKind.GROUP)
                members[group.id or group.name] = [named(p) for p in parts]
            found = named(fix["speaker"] if len(parts) < 2 else " + ".join(parts))
            return found, list(members.get(found.id or found.name, []))
        if old is not None and old.source is not None and \
                (old.source.start, old.source.end) == span:
            return old.source.speaker, list(old.source.members)
        same = next((a.source for a in atts if a.source is not None
                     and (a.source.start, a.source.end) == span and a.source.speaker), None)
        return (same.speaker, list(same.members)) if same is not None else (None, [])

    for fix in fixes:
        target = (fix["target_cue_start"], fix["target_cue_end"])
        index = next((i for i, a in enumerate(atts) if (a.cue.start, a.cue.end) == target), None)
        if fix["action"] == "delete":
            if index is not None:
                atts.pop(index)
                origins.pop(index)
            continue
        if fix["action"] == "edit" and index is None:
            continue
        old = atts[index] if index is not None else None
        source = None
        if fix["source_start"] is not None:
            span = (fix["source_start"], fix["source_end"])
            who, group = speaker_for(fix, old, span)
            source = Source(text=text[span[0]:span[1]], start=span[0], end=span[1],
                            speaker=who, members=group)
        kind = AttributionType(fix["type"]) if fix["type"] else (
            old.type if old is not None else AttributionType.INDIRECT)
        new = Attribution(
            source=source, cue=span_of(text, fix["cue_start"], fix["cue_end"]),
            content=content_of(text, list(fix["fragments"])) if fix["fragments"] else None,
            type=kind, confidence=1.0, method="correction")
        if index is not None:
            atts[index] = new
            origins[index] = ("fix", int(fix["id"]))
        else:
            atts.append(new)
            origins.append(("fix", int(fix["id"])))
    order = sorted(range(len(atts)), key=lambda i: atts[i].cue.start)
    return (doc.model_copy(update={"attributions": [atts[i] for i in order],
                                   "speakers": speakers}),
            [origins[i] for i in order])


# --- table filters and sorting ----------------------------------------------------------


@dataclass
class TableFilters:
    """The filters of the table views, one per query parameter of the same name.

    ``date_from``/``date_to`` are the ``from``/``to`` parameters (ISO dates,
    inclusive, on the document's published date); ``q`` is a text search (on
    documents: title, name, author and text; on statements: the content's
    full-text index; on speakers: the name).
    """

    outlet: str | None = None
    outlets: tuple[str, ...] = ()  # several outlets (the dashboard's comparison links)
    speaker: int | None = None
    kind: str | None = None
    gender: str | None = None
    specificity: str | None = None
    type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    document: int | None = None


Sorts = dict[str, Any]  # sort key -> SQL expression
# sorts an index serves, so the database finds any page itself; the other sorts are
# done once per filter and corpus version and kept (BrowseMixin.memo)
INDEXED_SORTS = {"documents": ("published", "id"), "statements": ("published", "id")}
DEEP = 1000  # from this offset on, even an indexed sort pages from the kept keys
DOCUMENT_SORTS = ("id", "title", "outlet", "author", "published", "ingested", "attributions",
                  "speakers")
SPEAKER_SORTS = ("id", "name", "kind", "gender", "count", "documents", "first", "last")


def _statement_sorts() -> dict[str, Any]:
    sorts: dict[str, Any] = {
        "id": attributions.c.id, "published": documents.c.published,
        "outlet": documents.c.outlet,
        "document": func.coalesce(documents.c.title, documents.c.name),
        "speaker": _speaker_name(), "kind": speakers_t.c.kind,
        "source": attributions.c.source_text, "cue": attributions.c.cue_text,
        "content": attributions.c.content_text, "type": attributions.c.type,
        "confidence": attributions.c.confidence}
    if (gender := _column(speakers_t, "gender")) is not None:
        sorts["gender"] = gender
    if (spec := _column(attributions, "specificity")) is not None:
        sorts["specificity"] = spec
    return sorts


def table_sorts(view: str) -> list[str]:
    """The columns a table view can be sorted by (every column it shows)."""
    if view == "statements":
        return list(_statement_sorts())
    keys = DOCUMENT_SORTS if view == "documents" else SPEAKER_SORTS
    return [k for k in keys if k != "gender" or _column(speakers_t, "gender") is not None]


def stored_columns() -> dict[str, bool]:
    """Whether this schema stores speaker gender and statement specificity."""
    return {"gender": _column(speakers_t, "gender") is not None,
            "specificity": _column(attributions, "specificity") is not None}


def _speaker_name() -> Any:
    """A corpus speaker's shown name: the user's rename, else the stored name."""
    custom = _column(speakers_t, "custom_name")
    return speakers_t.c.name if custom is None else func.coalesce(custom, speakers_t.c.name)


def _column(table: Any, name: str) -> Any:
    return table.c.get(name)


def _order(sorts: dict[str, Any], sort: str, order: str, tie: Any) -> list[Any]:
    """ORDER BY for ``sort`` (unknown: ValueError) ``order``; empty values always last."""
    if sort not in sorts:
        raise ValueError(f"sort: choose one of {', '.join(sorts)}")
    col = sorts[sort]
    # NULLS LAST (SQLite 3.30+, PostgreSQL) rather than "col IS NULL" first: a descending
    # sort on an indexed column (the default, newest first) then reads the index in order
    # and stops after one page, instead of sorting every row
    return [col.desc().nulls_last() if order == "desc" else col.asc().nulls_last(),
            tie.desc() if order == "desc" else tie.asc()]


def _like(q: str) -> str:
    """A LIKE pattern matching ``q`` anywhere, its own % and _ taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _document_conditions(f: TableFilters) -> list[Any]:
    conds: list[Any] = []
    if f.outlet:
        conds.append(documents.c.outlet == f.outlet)
    if f.outlets:
        conds.append(documents.c.outlet.in_(f.outlets))
    if f.date_from:
        conds.append(documents.c.published >= f.date_from)
    if f.date_to:
        conds.append(documents.c.published <= f.date_to)
    if f.document is not None:
        conds.append(documents.c.id == f.document)
    return conds


def _gender_condition(gender: str) -> Any:
    col = _column(speakers_t, "gender")
    if col is None:
        from whosaid.store.corpus import CorpusError

        raise CorpusError("gender: this database stores no speaker gender")
    if gender == "unknown":  # not decided is unknown too, but only for a speaker
        return or_(col == "unknown", and_(col.is_(None), speakers_t.c.id.is_not(None)))
    return col == gender


def _statement_conditions(corpus: Any, f: TableFilters, *, content_q: bool = True,
                          speaker_level: bool = True) -> list[Any]:
    """Conditions on a statement: its type, specificity, content (``q``, unless
    ``content_q`` is off) and, with ``speaker_level``, its speaker's id, kind and
    gender (the speaker table filters those on its own rows)."""
    conds: list[Any] = []
    if speaker_level:
        if f.speaker is not None:
            # every statement of the speaker, also those it shares ("X and Y said"),
            # each once: under its link to the speaker, or (a group's statement, linked
            # to its members) under its first link, so the rows are the speaker's count
            of = getattr(corpus, "statements_of", None)
            if of is None:
                conds.append(speakers_t.c.id == f.speaker)
            else:
                conds += [attributions.c.id.in_(of(f.speaker)), _one_row_of(f.speaker)]
        if f.kind:
            conds.append(speakers_t.c.kind == f.kind)
        if f.gender:
            conds.append(_gender_condition(f.gender))
    if f.type:
        conds.append(attributions.c.type == f.type)
    if f.specificity:
        spec = _column(attributions, "specificity")
        if spec is None:
            from whosaid.store.corpus import CorpusError

            raise CorpusError("specificity: this database stores no statement specificity")
        conds.append(spec == f.specificity)
    if f.q and content_q:
        conds.append(_content_match(corpus, f.q))
    return conds


def _one_row_of(speaker_id: int) -> Any:
    """The condition that keeps one row per statement of a speaker in the statement
    joins (a statement of several speakers is a row for each)."""
    linked = select(statement_speakers.c.attribution_id).join(
        doc_speakers, doc_speakers.c.id == statement_speakers.c.doc_speaker_id).where(
        doc_speakers.c.speaker_id == speaker_id)
    other = statement_speakers.alias("first_link")
    first = select(func.min(other.c.doc_speaker_id)).where(
        other.c.attribution_id == attributions.c.id).scalar_subquery()
    return or_(speakers_t.c.id == speaker_id,
               and_(attributions.c.id.not_in(linked),
                    or_(statement_speakers.c.doc_speaker_id.is_(None),
                        statement_speakers.c.doc_speaker_id == first)))


def _content_match(corpus: Any, q: str) -> Any:
    """Statements whose content matches all words of ``q`` (the store's full-text index)."""
    import re

    from sqlalchemy import text as sql

    terms = re.findall(r"\w+", q)
    if not terms:
        return literal(True)
    if corpus.engine.dialect.name == "sqlite":
        match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
        hits = sql("SELECT rowid FROM attribution_fts WHERE attribution_fts MATCH :fts_q"
                   ).bindparams(fts_q=match).columns(column("rowid", Integer))
        return attributions.c.id.in_(hits)
    return sql("attributions.content_tsv @@ plainto_tsquery('english', :fts_q)").bindparams(
        fts_q=" ".join(terms))


def _statement_joins(*, minimal: bool, with_documents: bool = True) -> Any:
    """Active attributions + documents (+ the speaker tables unless ``minimal``).

    Speakers come through ``statement_speakers``: a statement of several
    speakers ("X and Y said") is a row for each, as it counts for each.
    Without ``with_documents`` the documents table is left out, for a
    subquery correlated with an outer one.
    """
    joined = attributions.join(documents, (documents.c.id == attributions.c.document_id)
                               & attributions.c.active) if with_documents else attributions
    if minimal:
        return joined
    return (joined.outerjoin(statement_speakers,
                             statement_speakers.c.attribution_id == attributions.c.id)
            .outerjoin(doc_speakers, doc_speakers.c.id == statement_speakers.c.doc_speaker_id)
            .outerjoin(speakers_t, speakers_t.c.id == doc_speakers.c.speaker_id))
