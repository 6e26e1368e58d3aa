"""Copy a whole store to another, on any backend: SQLite → PostgreSQL and back.

Lossless: every row of every record table with its id, its embedding and the model it
belongs to, so quote ids cited in reports stay valid and nothing is re-embedded. The
target must be empty. The copy is one transaction on the target: an interrupted or failed
copy leaves it empty, never half-filled. Columns are matched by name (both stores at the
same schema version have the same ones).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .base import COPY_TABLES
from .sqlite import StoreError

COPY_META = ("embedding_model", "embedding_dim")


@dataclass
class CopySummary:
    rows: dict[str, int] = field(default_factory=dict)
    model: str | None = None
    dim: int | None = None


def table_sizes(src: Any) -> dict[str, int]:
    counts = src.counts()
    out = {}
    for table in COPY_TABLES:
        out[table] = counts[table] if table in counts else sum(
            len(b) for b in src.iter_rows(table, src.columns(table)[:1]))
    return out


def copy_store(src: Any, dst: Any, on_rows: Callable[[str, int], None] | None = None,
               batch: int = 1000) -> CopySummary:
    """Copy everything in ``src`` into the empty ``dst``; ``on_rows(table, n)`` per batch."""
    if src.schema_version() != dst.schema_version():
        raise StoreError(
            f"{src.describe()} is at schema {src.schema_version()} and {dst.describe()} at "
            f"{dst.schema_version()}; open both with this factcheck first so they match")
    if any(dst.counts().values()):
        raise StoreError(f"{dst.describe()} is not empty; copy into a new store (a fresh "
                         "directory or an empty database)")
    summary = CopySummary()
    model, dim = src.embedding_model()
    summary.model, summary.dim = model, dim
    with dst.transaction():
        if model is not None and dim is not None:
            dst.set_model(model, dim)
        dst.begin_bulk()
        for table in COPY_TABLES:
            have = set(dst.columns(table))
            cols = [c for c in src.columns(table) if c in have]
            missing = set(src.columns(table)) - have
            if missing:
                raise StoreError(f"{dst.describe()} has no column(s) {', '.join(sorted(missing))}"
                                 f" in {table}; upgrade factcheck")
            n = 0
            for rows in src.iter_rows(table, cols, batch):
                dst.insert_rows(table, cols, rows)
                n += len(rows)
                if on_rows:
                    on_rows(table, len(rows))
            summary.rows[table] = n
    dst.finish_copy()  # after the commit: FAISS files are built from committed rows
    return summary
