"""Tables of the corpus store and the ordered migrations that create and upgrade them.

One SQLAlchemy Core schema serves SQLite and PostgreSQL. The version lives in
a one-row ``schema_version`` table; :func:`migrate` runs every migration newer
than it, all in one transaction (DDL is transactional in both databases), so a
database made by an older whosaid is upgraded in place, a new one is built by
the same steps, and a crash mid-upgrade leaves the old version intact. Add a migration by
appending a function to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    inspect,
    select,
    text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),  # of the normalised text
    Column("name", Text),
    Column("origin", Text),  # path or path:line it was first read from
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("published", String(32)),  # ISO date when the metadata gave a parseable one
    Column("metadata", Text, nullable=False),  # JSON object, everything the input had
    Column("text", Text, nullable=False),
    Column("model", String(32), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_documents_published", "published"),
)

speakers = Table(
    "speakers", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),  # see whosaid.speakers.mention_key
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("surname", Text),  # for person keys: candidates for bare-surname mentions
    Column("custom_name", Text),  # v3: the name a user gave it (rename), shown first
    Index("ix_speakers_surname", "surname"),
)

doc_speakers = Table(
    "doc_speakers", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False),
    Column("local_id", String(16)),  # the document's "s1", "s2", ...
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("named", Boolean, nullable=False),
    Column("title", Text),
    Column("role", Text),
    Column("evidence", Text, nullable=False),  # JSON list: full names in the text
    Column("natural_key", Text, nullable=False),  # key before user overrides
    Column("speaker_id", Integer, ForeignKey("speakers.id"), nullable=False),
    # v3: JSON list of the local ids of a group source's members ("X + Y"), and
    # "correction" for a speaker that only a user correction named
    Column("members", Text),
    Column("origin", String(16)),
    Index("ix_doc_speakers_document", "document_id"),
    Index("ix_doc_speakers_speaker", "speaker_id"),
    Index("ix_doc_speakers_natural", "natural_key"),
)

attributions = Table(
    "attributions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("doc_speaker_id", Integer, ForeignKey("doc_speakers.id", ondelete="CASCADE")),
    Column("source_text", Text),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("resolved_from", Text),  # the antecedent's text for pronoun sources
    Column("cue_text", Text, nullable=False),
    Column("cue_start", Integer, nullable=False),
    Column("cue_end", Integer, nullable=False),
    Column("content_text", Text),
    Column("fragments", Text),  # JSON [[start, end], ...]
    Column("type", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("method", String(32), nullable=False),
    # v3: False once a user correction replaced or deleted it; rows a correction
    # made carry its id. Every reader counts only active rows.
    Column("active", Boolean, nullable=False, server_default=text("TRUE")),
    Column("correction_id", Integer),
    Index("ix_attributions_document", "document_id"),
    Index("ix_attributions_doc_speaker", "doc_speaker_id"),
)

citations = Table(
    "citations", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False),
    Column("text", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("scope_start", Integer, nullable=False),
    Column("scope_end", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("reference", Text),
    Index("ix_citations_document", "document_id"),
)

overrides = Table(
    "overrides", metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # merge | split
    Column("target", Text, nullable=False),  # merge: the key kept; split: the key split
    Column("other", Text, nullable=False),  # merge: the key folded in; split: the alias
    Column("created", String(32), nullable=False),
    UniqueConstraint("action", "target", "other", name="uq_overrides"),
)

embeddings = Table(
    "embeddings", metadata,
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("model", String(64), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32, L2-normalised
)

V1_TABLES = [schema_version, documents, speakers, doc_speakers, attributions, citations,
             overrides, embeddings]


def _v1(conn: Connection) -> None:
    """The first schema: every table plus full-text search over attribution content."""
    metadata.create_all(conn, tables=V1_TABLES)
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE attribution_fts USING fts5("
            "content, tokenize = 'porter unicode61')"))
    else:
        conn.execute(text(
            "ALTER TABLE attributions ADD COLUMN content_tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(content_text, ''))) STORED"))
        conn.execute(text(
            "CREATE INDEX ix_attributions_fts ON attributions USING gin (content_tsv)"))


corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),
    # keyed by the document's text hash, not its id, and with no foreign key, so a
    # correction outlives the document row and applies again when the text is re-ingested
    Column("document_sha256", String(64), nullable=False),
    Column("action", String(8), nullable=False),  # add | edit | delete
    Column("target_cue_start", Integer),  # edit/delete: the cue of the attribution corrected
    Column("target_cue_end", Integer),
    Column("source_start", Integer),  # add/edit: the corrected spans (source optional)
    Column("source_end", Integer),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("fragments", Text),  # JSON [[start, end], ...] of the content
    Column("type", String(16)),
    Column("speaker", Text),  # the speaker's name when the user gave one
    Column("note", Text),
    Column("created", String(32), nullable=False),
    Index("ix_corrections_document", "document_sha256"),
)


def _v2(conn: Connection) -> None:
    """User corrections of attributions (the web UI's document view)."""
    corrections.create(conn)


statement_speakers = Table(
    "statement_speakers", metadata,
    Column("attribution_id", Integer, ForeignKey("attributions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("doc_speaker_id", Integer, ForeignKey("doc_speakers.id", ondelete="CASCADE"),
           primary_key=True),
    Index("ix_statement_speakers_doc_speaker", "doc_speaker_id"),
)

# columns v3 adds to tables of v1; a database created from these Table objects
# already has them, so the step adds only what is missing
V3_COLUMNS = {
    "doc_speakers": [("members", "TEXT"), ("origin", "VARCHAR(16)")],
    "attributions": [("active", "BOOLEAN NOT NULL DEFAULT TRUE"),
                     ("correction_id", "INTEGER")],
    "speakers": [("custom_name", "TEXT")],
}


def _v3(conn: Connection) -> None:
    """Several speakers per statement, corrections in every count, renames.

    ``statement_speakers`` links a statement to each of its speakers (each
    member of "X and Y said"); it starts as a copy of ``attributions.doc_speaker_id``.
    The corpus then re-keys every speaker and applies stored corrections when
    it opens the database (``Corpus`` sees ``upgraded_from`` < 3).
    """
    have = {t: {c["name"] for c in inspect(conn).get_columns(t)} for t in V3_COLUMNS}
    for table, columns in V3_COLUMNS.items():
        for name, ddl in columns:
            if name not in have[table]:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))
    statement_speakers.create(conn)
    conn.execute(text(
        "INSERT INTO statement_speakers (attribution_id, doc_speaker_id) "
        "SELECT id, doc_speaker_id FROM attributions WHERE doc_speaker_id IS NOT NULL"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_attributions_active "
                      "ON attributions (active)"))


# v4 (whosaid.gender and the one source taxonomy of whosaid.assess): appended to
# the tables here so a new database gets them from _v1 and v4 adds what is missing
V4_COLUMNS: dict[Table, list[Column[Any]]] = {
    doc_speakers: [Column("gender", String(8)),  # female | male | unknown; NULL: not decided
                   Column("gender_evidence", Text)],  # JSON {"pronoun:female": 2, ...}
    speakers: [Column("gender", String(8))],  # aggregated over its documents
    attributions: [Column("specificity", String(24)),  # whosaid.assess source class
                   Column("stance", String(16))],
    documents: [Column("profile", Text)],  # JSON SourcingProfile of the document
}
for _table, _columns in V4_COLUMNS.items():
    for _col in _columns:
        _table.append_column(_col)


def _v4(conn: Connection) -> None:
    """Speaker gender, each statement's source class and stance, each document's profile.

    Rows stored before v4 get their source class from the stored words and
    speaker kind (``whosaid.assess.stored_class``; the parse is gone); their
    gender and profile stay NULL until the documents are ingested again.
    """
    from whosaid.assess import stored_class

    for table, columns in V4_COLUMNS.items():
        have = {c["name"] for c in inspect(conn).get_columns(table.name)}
        for col in columns:
            if col.name not in have:
                ddl = col.type.compile(dialect=conn.dialect)
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {ddl}"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_attributions_specificity "
                      "ON attributions (specificity)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_outlet ON documents (outlet)"))
    rows = conn.execute(text(
        "SELECT a.id, a.source_text, s.kind, s.named FROM attributions a "
        "LEFT JOIN doc_speakers s ON s.id = a.doc_speaker_id "
        "WHERE a.specificity IS NULL")).all()
    if rows:
        conn.execute(text("UPDATE attributions SET specificity = :c WHERE id = :i"),
                     [{"i": i, "c": stored_class(src, kind, named).value}
                      for i, src, kind, named in rows])


def refresh_speaker_genders(conn: Connection) -> None:
    """Set each corpus speaker's gender from its documents' (``whosaid.gender.aggregate``)."""
    from whosaid.gender import aggregate

    votes: dict[int, list[str]] = {}
    for sid, gender, n in conn.execute(
            select(doc_speakers.c.speaker_id, doc_speakers.c.gender, func.count())
            .where(doc_speakers.c.gender.is_not(None))
            .group_by(doc_speakers.c.speaker_id, doc_speakers.c.gender)):
        votes.setdefault(int(sid), []).extend([gender] * int(n))
    current = dict(conn.execute(select(speakers.c.id, speakers.c.gender)).all())
    changes = [{"i": sid, "g": g} for sid, old in current.items()
               if (g := aggregate(votes[sid]).value if sid in votes else None) != old]
    if changes:
        conn.execute(text("UPDATE speakers SET gender = :g WHERE id = :i"), changes)


corpus_state = Table(
    "corpus_state", metadata,
    Column("id", Integer, primary_key=True),
    # moved by every write that can change what a page shows (see bump_version), so
    # readers can keep counts and aggregates in memory until it moves
    Column("version", Integer, nullable=False),
    # random, set once: a database deleted and made again at the same path or URL
    # starts its version at 0 again, and must not meet the old one's caches
    Column("instance", String(32), nullable=False),
)


def _v5(conn: Connection) -> None:
    """Indexes for the pages and a change counter for their caches.

    ``ix_attributions_active`` (v3) is dropped: nearly every row is active, so
    it selects nothing, yet without statistics SQLite's planner started from
    it and read it whole (a speaker's totals took 125 ms instead of 24 ms).
    ``statement_speakers`` gets a covering index from speaker mention to
    statement, ``doc_speakers`` one from speaker to its names, titles and
    roles. Then the planner's statistics are gathered (:func:`analyze`).
    """
    conn.execute(text("DROP INDEX IF EXISTS ix_attributions_active"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_statement_speakers_mention "
                      "ON statement_speakers (doc_speaker_id, attribution_id)"))
    # a speaker's names, titles and roles without reading the mention rows (their
    # evidence JSON makes them wide): 45 ms -> 2 ms for the most quoted speakers
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_doc_speakers_names "
                      "ON doc_speakers (speaker_id, name, title, role)"))
    corpus_state.create(conn, checkfirst=True)
    if conn.execute(select(corpus_state.c.id)).first() is None:
        conn.execute(corpus_state.insert().values(id=1, version=0,
                                                  instance=secrets.token_hex(16)))
    analyze(conn)


def analyze(conn: Connection) -> None:
    """Refresh the query planner's statistics (after a migration, an ingest, a relink).

    SQLite keeps none until ``ANALYZE`` runs, and then picks poor indexes on
    large corpora; ``analysis_limit`` samples each index, so this takes
    milliseconds on 10,000 documents. PostgreSQL's autovacuum does the same
    on its own; there it runs only from a migration.
    """
    if conn.dialect.name == "sqlite":
        conn.execute(text("PRAGMA analysis_limit = 1000"))
    conn.execute(text("ANALYZE"))


def bump_version(conn: Connection) -> None:
    """Mark the corpus changed; the last statement of every write transaction.

    Last, so that on PostgreSQL the row lock it takes is held only until the
    commit and concurrent writers cannot deadlock on it.
    """
    conn.execute(text("UPDATE corpus_state SET version = version + 1"))


def corpus_version(conn: Connection) -> tuple[str, int]:
    """This database's instance and change counter (a one-row read): equal values mean
    nothing a page shows has changed."""
    row = conn.execute(select(corpus_state.c.instance, corpus_state.c.version)).first()
    return ("", 0) if row is None else (str(row[0]), int(row[1]))


speaker_keys = Table(
    "speaker_keys", metadata,
    # every key a speaker id was ever given, so that ids are never handed to someone
    # else and a key that comes back (a deleted text ingested again) gets its old id
    Column("key", Text, primary_key=True),
    Column("speaker_id", Integer, nullable=False),
    # a speaker gone because its mentions joined another (a merge, the corpus pass):
    # the id its old links lead to
    Column("moved_to", Integer),
    Index("ix_speaker_keys_speaker", "speaker_id"),
)


def _v6(conn: Connection) -> None:
    """Stable speaker ids: the keys each id was given (``speaker_keys``).

    Seeded with the speakers of the database; ids of speakers removed before
    this version are unknown, so SQLite may hand those out once more.
    """
    speaker_keys.create(conn, checkfirst=True)  # and seeded with what it lacks
    conn.execute(text("INSERT INTO speaker_keys (key, speaker_id) SELECT key, id FROM speakers "
                      "WHERE key NOT IN (SELECT key FROM speaker_keys)"))


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6]
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """0 for an empty database, else the version recorded by the last migration."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(select(schema_version.c.version)).scalar()
    return int(value or 0)


def migrate(engine: Engine) -> int:
    """Bring the database to ``LATEST``; returns the version it had before (0: new)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # two processes opening a new database at once: one migrates, one waits
            conn.execute(text("SELECT pg_advisory_xact_lock(4704)"))
        version = current_version(conn)
        if version > LATEST:
            raise RuntimeError(
                f"database schema version {version} is newer than this whosaid "
                f"understands ({LATEST}); upgrade whosaid")
        for number in range(version + 1, LATEST + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema_version.delete())
            conn.execute(schema_version.insert().values(version=number))
    return version
