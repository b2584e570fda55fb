"""The corpus store: documents, attributions, speakers and citations in SQL.

:class:`Corpus` is the Python API behind ``whosaid ingest``, ``speakers``,
``said`` and ``search``. SQLite (a file, the default) and PostgreSQL (a
``postgresql://`` URL) go through the same SQLAlchemy Core code.

Guarantees, and how they are kept:

* idempotent: a document is identified by the SHA-256 of its normalised text
  (Unicode NFC, ``\\n`` newlines, outer whitespace stripped); one that is
  already stored is skipped before it is even analysed;
* transactional per document: a document, its attributions, citations and
  speaker links are written in one transaction, so a crash (even ``kill -9``)
  leaves either all of it or none of it;
* resumable: a rerun skips what is stored and finishes the rest; the
  corpus-wide speaker pass (:meth:`Corpus.relink`) runs at the end of every
  ingest, so a run killed before it is completed by the next one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from rapidfuzz import process
from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    Select,
    column,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from whosaid import speakers as names
from whosaid.model import Document, SpeakerKind
from whosaid.store.browse import BrowseMixin
from whosaid.store.schema import (
    attributions,
    citations,
    doc_speakers,
    documents,
    embeddings,
    migrate,
    overrides,
)
from whosaid.store.schema import (
    speakers as speakers_t,
)

DEFAULT_DB = "whosaid.db"
DATE_KEYS = ("published", "date", "published_date", "pubdate", "datePublished", "captured")
PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me", "they", "them", "we", "us", "it"})


class CorpusError(Exception):
    """A query or command that cannot be carried out (unknown speaker, ambiguous name)."""


def database_url(db: str | Path) -> str:
    """A file path becomes a SQLite URL; ``postgresql://`` is routed to psycopg 3."""
    value = str(db)
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL keeps readers working during an ingest and survives kill -9 cleanly
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def normalise_text(text: str) -> str:
    """The form a document is hashed in: NFC, ``\\n`` newlines, no outer whitespace."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def parse_date(value: str) -> str | None:
    """An ISO ``YYYY-MM-DD`` from ISO 8601, RFC 822 (feeds) or a date inside a string."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if match:
        try:
            return datetime(*map(int, match.groups())).date().isoformat()
        except ValueError:
            return None
    return None


def published_of(metadata: dict[str, str]) -> str | None:
    for key in DATE_KEYS:
        if metadata.get(key):
            date = parse_date(metadata[key])
            if date:
                return date
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class IngestReport:
    """What one ingest run did; ``errors`` holds ``(where, problem)`` pairs."""

    stored: int = 0
    skipped: int = 0  # already in the database (same normalised text)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SpeakerRow:
    """One corpus speaker as the queries return it."""

    id: int
    name: str
    kind: str
    aliases: list[str]
    titles: list[str]
    roles: list[str]
    count: int  # statements attributed to the speaker
    documents: int
    first: str | None  # earliest and latest published date of those statements
    last: str | None
    key: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


STATEMENT_COLUMNS = ("attribution_id", "published", "document", "title", "outlet", "url",
                     "speaker_id", "speaker", "source", "cue", "content", "type",
                     "confidence")


class Corpus(BrowseMixin):
    """A whosaid corpus database (``Corpus("whosaid.db")``, ``Corpus("postgresql://...")``).

    Opening it creates or upgrades the schema. Use as a context manager or call
    :meth:`close` to release connections.
    """

    def __init__(self, db: str | Path = DEFAULT_DB) -> None:
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name != "postgresql":
            raise CorpusError(f"unsupported database {self.engine.dialect.name!r}: "
                              "use a SQLite file or a postgresql:// URL")
        migrate(self.engine)
        self._surnames: dict[str, set[str]] | None = None

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # --- ingest -------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256))
            return found.first() is not None

    def ingest(self, items: Iterable[Any], *, model: str = "fast",
               on_progress: Callable[[str, str], None] | None = None,
               batch_size: int = 16, workers: int = 1) -> IngestReport:
        """Analyse and store ``SourceText``/``InputError`` items (from ``read_inputs``).

        ``on_progress(name, outcome)`` is called once per item with outcome
        ``stored``, ``skipped`` or ``error``. The speaker pass runs at the end.
        With ``workers`` > 1 the analysis runs in that many processes
        (:func:`whosaid.parallel.extract_parallel`); storing stays in this one,
        so each document is still one transaction.
        """
        from whosaid.ingest import InputError

        report = IngestReport()
        seen: set[str] = set()

        def note(name: str, outcome: str) -> None:
            if on_progress is not None:
                on_progress(name, outcome)

        def fresh() -> Iterator[tuple[str, Any]]:
            for item in items:
                if isinstance(item, InputError):
                    report.errors.append((str(item).split(": ", 1)[0], item.problem))
                    note(item.path, "error")
                    continue
                digest = text_hash(item.text)
                if digest in seen or self.has_document(digest):
                    report.skipped += 1
                    note(item.name, "skipped")
                    continue
                seen.add(digest)
                yield digest, item

        for digest, item, doc, problem in _analysed(fresh(), model, batch_size, workers):
            if doc is None:
                report.errors.append((item.origin or item.name, problem))
                note(item.name, "error")
                continue
            try:
                stored = self.store_document(doc, digest=digest, origin=item.origin)
            except Exception as exc:  # one bad document must not end the run
                report.errors.append((item.origin or item.name, f"not stored: {exc}"))
                note(item.name, "error")
                continue
            if stored:
                report.stored += 1
                note(item.name, "stored")
            else:
                report.skipped += 1
                note(item.name, "skipped")
        self.relink()
        return report

    def store_document(self, doc: Document, *, digest: str | None = None,
                       origin: str | None = None) -> bool:
        """Write one analysed document in one transaction; False if it was already there."""
        digest = digest or text_hash(doc.text)
        meta = doc.metadata
        try:
            with self.engine.begin() as conn:
                doc_id = conn.execute(insert(documents).values(
                    sha256=digest, name=doc.name, origin=origin, title=meta.get("title"),
                    url=meta.get("url"), outlet=meta.get("outlet"), author=meta.get("author"),
                    published=published_of(meta), metadata=json.dumps(meta, sort_keys=True),
                    text=doc.text, model=doc.model, ingested_at=_now(),
                ).returning(documents.c.id)).scalar_one()
                local = self._store_speakers(conn, doc, doc_id, digest)
                self._store_attributions(conn, doc, doc_id, local)
                if doc.citations:
                    conn.execute(insert(citations), [
                        {"document_id": doc_id, "text": c.text, "label": c.label,
                         "start": c.start, "end": c.end, "scope_start": c.scope[0],
                         "scope_end": c.scope[1], "kind": c.kind, "reference": c.reference}
                        for c in doc.citations])
        except IntegrityError:
            # the same text stored meanwhile by another process: that is a skip
            if self.has_document(digest):
                self._surnames = None
                return False
            raise
        except BaseException:
            self._surnames = None  # the cache may hold keys of the rolled-back document
            raise
        return True

    def _store_speakers(self, conn: Connection, doc: Document, doc_id: int,
                        digest: str) -> dict[str, int]:
        local: dict[str, int] = {}
        rules = _Overrides.load(conn)
        for sp in doc.speakers:
            mention = names.Mention(sp.name, sp.kind, sp.named, sp.title, sp.role, digest)
            if names.is_personal(mention) and len(names.name_tokens(sp.name)) == 1:
                mention.evidence = names.full_names_in_text(doc.text, sp.name.split()[-1])
            natural = self._natural_key(conn, names.mention_key(mention))
            speaker_id = self._speaker_for(conn, rules.apply(natural, sp.name), mention)
            local[sp.id or sp.name] = conn.execute(insert(doc_speakers).values(
                document_id=doc_id, local_id=sp.id, name=sp.name, kind=sp.kind.value,
                named=sp.named, title=sp.title, role=sp.role,
                evidence=json.dumps(mention.evidence), natural_key=natural,
                speaker_id=speaker_id,
            ).returning(doc_speakers.c.id)).scalar_one()
        return local

    def _store_attributions(self, conn: Connection, doc: Document, doc_id: int,
                            local: dict[str, int]) -> None:
        for position, att in enumerate(doc.attributions):
            src, content = att.source, att.content
            speaker = src.speaker if src is not None else None
            ds = local.get(speaker.id or speaker.name) if speaker is not None else None
            att_id = conn.execute(insert(attributions).values(
                document_id=doc_id, position=position, doc_speaker_id=ds,
                source_text=src.text if src else None, source_start=src.start if src else None,
                source_end=src.end if src else None,
                resolved_from=src.resolved_from.text if src and src.resolved_from else None,
                cue_text=att.cue.text, cue_start=att.cue.start, cue_end=att.cue.end,
                content_text=content.text if content else None,
                fragments=json.dumps(content.fragments) if content else None,
                type=att.type.value, confidence=att.confidence, method=att.method,
            ).returning(attributions.c.id)).scalar_one()
            if self.dialect == "sqlite" and content is not None:
                conn.execute(text("INSERT INTO attribution_fts (rowid, content) VALUES (:i, :c)"),
                             {"i": att_id, "c": content.text})

    # --- speaker identity ---------------------------------------------------

    def _surname_index(self, conn: Connection) -> dict[str, set[str]]:
        """Person keys by surname, loaded once per Corpus and kept up to date."""
        if self._surnames is None:
            index: dict[str, set[str]] = defaultdict(set)
            rows = conn.execute(select(doc_speakers.c.natural_key).distinct().where(
                doc_speakers.c.natural_key.like("person:%")))
            for (key,) in rows:
                index[key.split()[-1]].add(key)
            self._surnames = index
        return self._surnames

    def _natural_key(self, conn: Connection, key: str) -> str:
        """Join a full name to a known spelling of the same person (rapidfuzz)."""
        if not key.startswith("person:"):
            return key
        index = self._surname_index(conn)
        last = key.split()[-1]
        candidates = set(index.get(last, ()))
        if key not in candidates and len(last) >= 5:
            for other, _score, _ in process.extract(
                    last, list(index), scorer=names.fuzz.ratio,
                    score_cutoff=names.NAME_MATCH, limit=5):
                candidates |= index[other]
        matched = names.match_full_name(key, candidates) or key
        index[matched.split()[-1]].add(matched)
        return matched

    def _speaker_for(self, conn: Connection, key: str, mention: names.Mention) -> int:
        """The id of the speaker with ``key``, created on first sight."""
        row = conn.execute(select(speakers_t.c.id).where(speakers_t.c.key == key)).first()
        if row is not None:
            return int(row[0])
        kind = _kind_of_key(key, mention.kind)
        surname = names.surname_of_key(key) if key.startswith(("person:", "person?:")) else None
        return int(conn.execute(insert(speakers_t).values(
            key=key, name=names.display_name(mention), kind=kind, surname=surname,
        ).returning(speakers_t.c.id)).scalar_one())

    def relink(self) -> None:
        """The corpus-wide speaker pass, in one transaction; cheap and order-independent.

        Bare surnames are attached to a full-name person with the same surname
        when a title or role is shared and only one person fits; then user
        overrides are applied to every mention, and speakers left without
        mentions are dropped. Running it twice changes nothing.
        """
        with self.engine.begin() as conn:
            rules = _Overrides.load(conn)
            people: dict[str, names.PersonProfile] = {}
            rows = conn.execute(select(doc_speakers.c.natural_key, doc_speakers.c.title,
                                       doc_speakers.c.role).where(
                doc_speakers.c.natural_key.like("person:%")))
            for key, title, role in rows:
                profile = people.setdefault(key, names.PersonProfile(key))
                if title:
                    profile.titles.add(names.norm_title(title))
                if role:
                    profile.roles.add(names.fold(role))
            by_surname: dict[str, list[names.PersonProfile]] = defaultdict(list)
            for profile in people.values():
                by_surname[profile.key.split()[-1]].append(profile)
            current = {k: i for k, i in conn.execute(select(speakers_t.c.key, speakers_t.c.id))}
            mentions = conn.execute(select(
                doc_speakers.c.id, doc_speakers.c.name, doc_speakers.c.kind,
                doc_speakers.c.named, doc_speakers.c.title, doc_speakers.c.role,
                doc_speakers.c.natural_key, doc_speakers.c.speaker_id)).all()
            id_to_key = {i: k for k, i in current.items()}
            for ds_id, name, kind, named, title, role, natural, speaker_id in mentions:
                key = natural
                if names.is_surname_only(natural):
                    surname = names.surname_of_key(natural)
                    m = names.Mention(name, SpeakerKind(kind), named, title, role)
                    key = names.surname_evidence(m, surname, by_surname.get(surname, [])) or key
                key = rules.apply(key, name)
                if id_to_key.get(speaker_id) == key:
                    continue
                if key not in current:
                    m = names.Mention(name, SpeakerKind(kind), named, title, role)
                    current[key] = self._speaker_for(conn, key, m)
                    id_to_key[current[key]] = key
                conn.execute(update(doc_speakers).where(doc_speakers.c.id == ds_id)
                             .values(speaker_id=current[key]))
            used = select(doc_speakers.c.speaker_id).distinct()
            conn.execute(speakers_t.delete().where(speakers_t.c.id.not_in(used)))

    def merge(self, keep: str, other: str) -> SpeakerRow:
        """Fold speaker ``other`` into ``keep`` (ids or names); kept across re-ingests."""
        a, b = self.find_speaker(keep), self.find_speaker(other)
        if a.id == b.id:
            raise CorpusError(f"{keep!r} and {other!r} are already one speaker")
        with self.engine.begin() as conn:
            conn.execute(overrides.delete().where(
                (overrides.c.action == "merge") & (overrides.c.target == b.key)
                & (overrides.c.other == a.key)))
            conn.execute(insert(overrides).values(action="merge", target=a.key, other=b.key,
                                                  created=_now()))
        self.relink()
        return self.find_speaker(str(a.id))

    def split(self, speaker: str, alias: str) -> SpeakerRow:
        """Move the mentions named ``alias`` out of ``speaker`` into a speaker of their own."""
        row = self.find_speaker(speaker)
        folded = names.fold(alias)
        with self.engine.begin() as conn:
            mentions = conn.execute(select(doc_speakers.c.id, doc_speakers.c.name).where(
                doc_speakers.c.speaker_id == row.id)).all()
            mention_names = {n for _, n in mentions}
            moved = [i for i, n in mentions if names.fold(n) == folded]
            if folded not in {names.fold(n) for n in mention_names}:
                raise CorpusError(f"{row.name!r} has no mentions named {alias!r}; "
                                  f"names: {', '.join(sorted(mention_names))}")
            if {names.fold(n) for n in mention_names} == {folded}:
                raise CorpusError(f"every mention of {row.name!r} is named {alias!r}: "
                                  "nothing to split off")
            conn.execute(insert(overrides).values(action="split", target=row.key, other=folded,
                                                  created=_now()))
        self.relink()
        with self.engine.connect() as conn:
            new_id = conn.execute(select(doc_speakers.c.speaker_id).where(
                doc_speakers.c.id == moved[0])).scalar_one()
        return self.find_speaker(str(new_id))

    def overrides(self) -> list[dict[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(overrides.c.action, overrides.c.target,
                                       overrides.c.other, overrides.c.created)
                                .order_by(overrides.c.id))
            return [dict(r._mapping) for r in rows]

    # --- queries ------------------------------------------------------------

    def speakers(self, *, kind: str | None = None, limit: int | None = None,
                 min_count: int = 1) -> list[SpeakerRow]:
        """Speakers by number of statements (most quoted first), with aliases and dates."""
        with self.engine.connect() as conn:
            stats = speaker_stats().group_by(doc_speakers.c.speaker_id).subquery()
            query = select(speakers_t, stats.c.n, stats.c.docs, stats.c.first, stats.c.last
                           ).join(stats, stats.c.sid == speakers_t.c.id
                                  ).where(stats.c.n >= min_count)
            if kind:
                query = query.where(speakers_t.c.kind == kind)
            query = query.order_by(stats.c.n.desc(), speakers_t.c.name, speakers_t.c.id)
            if limit:
                query = query.limit(limit)
            rows = conn.execute(query).all()
            details = self._details(conn, [r.id for r in rows])
        return [_speaker_row(r, details.get(r.id)) for r in rows]

    def _details(self, conn: Connection, ids: list[int]) -> dict[int, dict[str, Counter[str]]]:
        """Names, surface forms, titles and roles of each speaker's mentions."""
        out: dict[int, dict[str, Counter[str]]] = {}
        for chunk in _chunks(ids, 500):
            rows = conn.execute(select(
                doc_speakers.c.speaker_id, doc_speakers.c.name, doc_speakers.c.title,
                doc_speakers.c.role, attributions.c.source_text, attributions.c.resolved_from,
            ).select_from(doc_speakers.outerjoin(
                attributions, attributions.c.doc_speaker_id == doc_speakers.c.id)
            ).where(doc_speakers.c.speaker_id.in_(chunk)))
            for sid, name, title, role, surface, resolved in rows:
                d = out.setdefault(sid, {"names": Counter(), "aliases": Counter(),
                                         "titles": Counter(), "roles": Counter()})
                d["names"][name] += 1
                d["aliases"][name] += 1
                if surface and not resolved and surface.lower() not in PRONOUNS:
                    d["aliases"][surface] += 1
                if title:
                    d["titles"][title] += 1
                if role:
                    d["roles"][role] += 1
        return out

    def find_speaker(self, query: str) -> SpeakerRow:
        """A speaker by id, key, name or alias (case-insensitive); ambiguity is an error."""
        if query.isdigit():  # by id: one row, not the whole speaker list
            row = self.speaker_by_id(int(query))  # type: ignore[attr-defined]
            if row is not None:
                return row
        everyone = self.speakers(min_count=0)
        folded = names.fold(query)
        for pick in (lambda s: s.key == query,
                     lambda s: names.fold(s.name) == folded,
                     lambda s: folded in {names.fold(a) for a in s.aliases}):
            hits = [s for s in everyone if pick(s)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                listed = "; ".join(f"{s.id} {s.name} ({s.kind}, {s.count})" for s in hits[:10])
                raise CorpusError(f"{query!r} names {len(hits)} speakers: {listed}; "
                                  "use the id")
        close = process.extract(query, {s.id: s.name for s in everyone}, limit=3,
                                score_cutoff=60)
        hint = f"; did you mean {', '.join(repr(c[0]) for c in close)}?" if close else ""
        raise CorpusError(f"no speaker {query!r}{hint}")

    def _statements(self) -> Any:
        return select(
            attributions.c.id.label("attribution_id"), documents.c.published,
            documents.c.name.label("document"), documents.c.title, documents.c.outlet,
            documents.c.url, speakers_t.c.id.label("speaker_id"),
            speakers_t.c.name.label("speaker"), attributions.c.source_text.label("source"),
            attributions.c.cue_text.label("cue"), attributions.c.content_text.label("content"),
            attributions.c.type, attributions.c.confidence,
        ).select_from(attributions.join(documents, documents.c.id == attributions.c.document_id)
                      .outerjoin(doc_speakers,
                                 doc_speakers.c.id == attributions.c.doc_speaker_id)
                      .outerjoin(speakers_t, speakers_t.c.id == doc_speakers.c.speaker_id))

    def said(self, speaker: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Everything one speaker said, oldest first (undated documents last)."""
        row = self.find_speaker(speaker)
        query = self._statements().where(speakers_t.c.id == row.id).order_by(
            documents.c.published.is_(None), documents.c.published, documents.c.id,
            attributions.c.position)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def search(self, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search over attribution content, best match first (stemmed, all terms)."""
        terms = re.findall(r"\w+", query)
        if not terms:
            return []
        base = self._statements()
        if self.dialect == "sqlite":
            match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
            fts = text("SELECT rowid AS id, bm25(attribution_fts) AS score FROM attribution_fts "
                       "WHERE attribution_fts MATCH :q").columns(
                       column("id", Integer), column("score", Float)).subquery()
            stmt = base.add_columns((-fts.c.score).label("score")).join(
                fts, fts.c.id == attributions.c.id).order_by(fts.c.score, attributions.c.id)
            params = {"q": match}
        else:
            tsq = func.plainto_tsquery("english", " ".join(terms))
            tsv = text("attributions.content_tsv")
            stmt = base.add_columns(func.ts_rank(tsv, tsq).label("score")).where(
                text("attributions.content_tsv @@ plainto_tsquery('english', :q)")
            ).order_by(func.ts_rank(tsv, tsq).desc(), attributions.c.id)
            params = {"q": " ".join(terms)}
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.limit(limit), params)
            return [dict(r._mapping) for r in rows]

    def statements(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Statement rows by attribution id (for semantic search results)."""
        out: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids, 500):
                rows = conn.execute(self._statements().where(attributions.c.id.in_(chunk)))
                out.update({r.attribution_id: dict(r._mapping) for r in rows})
        return out

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (documents, attributions, speakers_t, citations)}

    def sourcing_profiles(self, *, outlet: str | None = None) -> dict[str, Any]:
        """Sourcing profile (``whosaid.assess``) per outlet, from the stored rows.

        Specificity is recomputed from each source's words and speaker kind (the
        parse is not stored); documents without an outlet are under "(none)".
        """
        from whosaid.assess import outlet_profiles

        att_q = (select(documents.c.id, documents.c.outlet, attributions.c.source_text,
                        attributions.c.cue_text, doc_speakers.c.kind, doc_speakers.c.named)
                 .select_from(attributions.join(documents,
                                                attributions.c.document_id == documents.c.id)
                              .outerjoin(doc_speakers,
                                         attributions.c.doc_speaker_id == doc_speakers.c.id)))
        cit_q = (select(documents.c.id, documents.c.outlet, citations.c.label,
                        citations.c.kind, citations.c.reference)
                 .select_from(citations.join(documents,
                                             citations.c.document_id == documents.c.id)))
        doc_q = select(documents.c.id, documents.c.outlet)
        if outlet is not None:
            att_q, cit_q, doc_q = (q.where(documents.c.outlet == outlet)
                                   for q in (att_q, cit_q, doc_q))
        with self.engine.connect() as conn:
            return outlet_profiles(conn.execute(doc_q).all(), conn.execute(att_q).all(),
                                   conn.execute(cit_q).all())

    # --- embeddings (vectors are computed by whosaid.search) -------------------

    def unembedded(self, model: str, *, min_words: int = 1) -> list[tuple[int, str]]:
        """(id, content) of attributions with content and no vector from ``model`` yet."""
        with self.engine.connect() as conn:
            have = select(embeddings.c.attribution_id).where(embeddings.c.model == model)
            rows = conn.execute(select(attributions.c.id, attributions.c.content_text).where(
                attributions.c.content_text.is_not(None), attributions.c.id.not_in(have)
            ).order_by(attributions.c.id))
            return [(i, c) for i, c in rows if len(c.split()) >= min_words]

    def save_embeddings(self, model: str, vectors: list[tuple[int, bytes]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(embeddings.delete().where(
                embeddings.c.attribution_id.in_([i for i, _ in vectors])))
            conn.execute(insert(embeddings), [
                {"attribution_id": i, "model": model, "vector": v} for i, v in vectors])

    def load_embeddings(self, model: str) -> Iterator[tuple[int, str | None, int, bytes]]:
        """(attribution id, published, document id, vector) in order of first appearance."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(
                embeddings.c.attribution_id, documents.c.published, documents.c.id,
                embeddings.c.vector,
            ).select_from(embeddings.join(
                attributions, attributions.c.id == embeddings.c.attribution_id).join(
                documents, documents.c.id == attributions.c.document_id)
            ).where(embeddings.c.model == model).order_by(
                documents.c.published.is_(None), documents.c.published, documents.c.id,
                attributions.c.position))
            for row in rows:
                yield int(row[0]), row[1], int(row[2]), bytes(row[3])


class _Overrides:
    """User merges and splits, applied to a mention's natural key."""

    def __init__(self, merges: dict[str, str], splits: set[tuple[str, str]]) -> None:
        self.merges, self.splits = merges, splits

    @classmethod
    def load(cls, conn: Connection) -> _Overrides:
        merges: dict[str, str] = {}
        splits: set[tuple[str, str]] = set()
        for action, target, other in conn.execute(select(
                overrides.c.action, overrides.c.target, overrides.c.other
        ).order_by(overrides.c.id)):
            if action == "merge":
                merges[other] = target
                merges.pop(target, None)  # a later merge the other way round wins
            else:
                splits.add((target, other))
        return cls(merges, splits)

    def apply(self, key: str, name: str) -> str:
        natural = key
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        alias = names.fold(name)
        if (key, alias) in self.splits:
            # undo a user merge, or carve an automatic one into its own speaker
            return natural if natural != key else f"{key}#split:{alias}"
        return key


def _kind_of_key(key: str, fallback: SpeakerKind) -> str:
    prefix = key.split(":", 1)[0].rstrip("?")
    try:
        return SpeakerKind(prefix).value
    except ValueError:
        return fallback.value


def speaker_stats(speaker_id: int | None = None) -> Select[Any]:
    """Statements, documents and date range per speaker, before grouping.

    Callers add their filters (outlet, dates) and then group by speaker, so the
    speaker list and the filtered web directory count the same way. With
    ``speaker_id`` it is one speaker's totals, ungrouped (zero counts when the
    speaker has no statements).
    """
    totals = (
        func.count(attributions.c.id).label("n"),
        func.count(func.distinct(attributions.c.document_id)).label("docs"),
        func.min(documents.c.published).label("first"),
        func.max(documents.c.published).label("last"),
    )
    columns = totals if speaker_id is not None else (
        doc_speakers.c.speaker_id.label("sid"), *totals)
    query = select(*columns).select_from(attributions.join(
        doc_speakers, attributions.c.doc_speaker_id == doc_speakers.c.id).join(
        documents, documents.c.id == attributions.c.document_id))
    if speaker_id is not None:
        query = query.where(doc_speakers.c.speaker_id == speaker_id)
    return query


def _speaker_row(row: Any, details: dict[str, Counter[str]] | None) -> SpeakerRow:
    d = details or {"names": Counter(), "aliases": Counter(), "titles": Counter(),
                    "roles": Counter()}
    name = row.name
    if d["names"] and not row.key.startswith("person?:"):
        # the most used name, fuller names first on ties ("Jens Stoltenberg")
        name = max(d["names"].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
    if row.key.startswith("person:"):
        full = Counter({names.person_name(n): c for n, c in d["names"].items()
                        if len(names.name_tokens(n)) >= 2})
        # after a user merge, the kept speaker's own spelling names the result
        own = [n for n in full if names.full_name_key(names.name_tokens(n)) == row.key]
        if own or full:
            name = max(own or full, key=lambda n: (full[n], len(n), n))
    return SpeakerRow(
        id=row.id, name=name, kind=row.kind,
        aliases=sorted(a for a in d["aliases"] if a != name),
        titles=[t for t, _ in d["titles"].most_common()],
        roles=[r for r, _ in d["roles"].most_common()],
        count=int(row.n), documents=int(row.docs), first=row.first, last=row.last,
        key=row.key,
    )


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _analysed(pending: Iterator[tuple[str, Any]], model: str, batch_size: int,
              workers: int = 1) -> Iterator[tuple[str, Any, Document | None, str]]:
    """Run the pipeline over the fresh items, lazily, in input order.

    If the batched pipeline raises, the documents in flight are retried one at
    a time, so only the document that fails is reported and the rest stored.
    """
    from whosaid import pipeline
    from whosaid.extract.tagger import ModelMissingError

    queue: list[tuple[str, Any]] = []

    def feed() -> Iterator[tuple[str | None, str, dict[str, str]]]:
        for digest, item in pending:
            queue.append((digest, item))
            yield item.name, item.text, item.metadata

    def analyse(stream: Iterator[tuple[str | None, str, dict[str, str]]]) -> Iterator[Document]:
        if workers > 1:
            from whosaid.parallel import extract_parallel

            return extract_parallel(stream, workers, model=model)
        return pipeline.extract_many(stream, model=model, batch_size=batch_size)

    stream = feed()
    while True:
        try:
            for doc in analyse(stream):
                digest, item = queue.pop(0)
                yield digest, item, doc, ""
            return
        except ModelMissingError:
            raise
        except Exception:
            failed, queue[:] = list(queue), []
            for digest, item in failed:
                try:
                    doc = pipeline.extract(item.text, name=item.name, metadata=item.metadata,
                                           model=model)
                except Exception as exc:
                    yield digest, item, None, f"analysis failed: {exc}"
                else:
                    yield digest, item, doc, ""
