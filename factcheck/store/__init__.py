"""The store: one interface, one module per backend.

``factcheck.store.sqlite``: SQLite + FTS5 + FAISS in an index directory (the embedded
default). ``factcheck.store.postgres``: PostgreSQL + full-text search + pgvector (a shared
store for many writers). ``open_store(index)`` picks the backend from the index: a
``postgresql://`` URL or a directory.
"""

from .sqlite import (
    DB_NAME,
    INDEX_FILES,
    LOCK_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    ArticleRecord,
    Store,
    StoreBusy,
    StoreError,
    article_origin,
)

__all__ = [
    "DB_NAME", "INDEX_FILES", "LOCK_NAME", "MIGRATIONS", "SCHEMA_VERSION", "ArticleRecord",
    "Store", "StoreBusy", "StoreError", "article_origin",
]
