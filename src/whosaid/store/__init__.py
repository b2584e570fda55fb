"""The corpus store (SQLite or PostgreSQL): ``from whosaid.store import Corpus``.

Kept out of the core package so that ``import whosaid`` needs no database driver.
"""

from whosaid.store.corpus import (
    DEFAULT_DB,
    Corpus,
    CorpusError,
    IngestReport,
    SpeakerRow,
    database_url,
    text_hash,
)

__all__ = ["DEFAULT_DB", "Corpus", "CorpusError", "IngestReport", "SpeakerRow",
           "database_url", "text_hash"]
