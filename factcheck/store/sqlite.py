"""The store: SQLite as the system of record, FAISS indexes as derived caches beside it.

Layout of an index directory::

    factcheck.sqlite      articles, speakers + aliases + roles, quotes, claims, embeddings
    quotes.faiss          vector index over quote embeddings (ids = quotes.id)
    claims.faiss          vector index over claim embeddings (ids = claims.id)
    .lock                 held by a writer for the length of its run

Every embedding is also kept in SQLite, so the FAISS files can be rebuilt without a model:
``Store.open`` compares each index with the rows it should hold and repairs a mismatch
(a crash between a commit and an index save, a deleted or corrupt file).

Schema changes are numbered migrations; a store written by a newer factcheck is refused
with a clear message rather than misread.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..dates import within
from ..records import Article, Claim, Speaker, StoredQuote
from .conflicts import ConflictTables
from .framerows import FrameRows

log = logging.getLogger(__name__)

DB_NAME = "factcheck.sqlite"
INDEX_FILES = {"quotes": "quotes.faiss", "claims": "claims.faiss"}
LOCK_NAME = ".lock"

MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT, source TEXT, url TEXT, published TEXT,
        published_inferred INTEGER NOT NULL DEFAULT 0,
        path TEXT, text TEXT NOT NULL, content_hash TEXT NOT NULL,
        excluded TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL
    );
    CREATE INDEX speakers_key ON speakers(key);
    CREATE TABLE speaker_aliases (
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        alias TEXT NOT NULL, norm TEXT NOT NULL,
        PRIMARY KEY (speaker_id, norm)
    );
    CREATE INDEX speaker_aliases_norm ON speaker_aliases(norm);
    CREATE TABLE speaker_roles (
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (speaker_id, role)
    );
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        speaker_id INTEGER REFERENCES speakers(id),
        speaker_role TEXT, mention TEXT,
        text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        cue TEXT, partial INTEGER NOT NULL DEFAULT 0,
        context TEXT NOT NULL DEFAULT '', context_start INTEGER, context_end INTEGER,
        confidence REAL, vector BLOB
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker ON quotes(speaker_id);
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        speaker_id INTEGER REFERENCES speakers(id),
        quote_id INTEGER REFERENCES quotes(id) ON DELETE CASCADE,
        text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        claim_time TEXT, data TEXT NOT NULL DEFAULT '{}', vector BLOB
    );
    CREATE INDEX claims_article ON claims(article_id);
    -- Full-text index over quote words: exact words rank well in search, fast at any size.
    CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id');
    CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    """,
    # 2: where each article was read from (resolved file path), so a different file with the
    # same name is refused instead of silently replacing the stored article.
    """
    ALTER TABLE articles ADD COLUMN origin TEXT;
    """,
    # 3: syndicated copies (issue #17): a republication is stored as an article with its own
    # outlet and date, linked to the first one (copy_of) and with no quotes or claims of its
    # own; each original keeps its MinHash signature for finding copies on later ingests.
    """
    ALTER TABLE articles ADD COLUMN copy_of TEXT;
    CREATE INDEX articles_copy_of ON articles(copy_of);
    CREATE TABLE article_minhash (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        sig BLOB NOT NULL
    );
    """,
    # 4: the outlet a quote came through ("X quoted Y as saying", "Y told X") (issue #13)
    """
    ALTER TABLE quotes ADD COLUMN via TEXT;
    """,
    # 5: stored conflicts for the incremental cross-check (issue #16). ``claim_queue`` holds
    # the claims not judged yet (filled by a trigger on insert, so every writer queues its
    # claims); ``claim_terms`` the keys a judged claim is found under and ``term_df`` their
    # claim counts (the corpus statistics the judges read); a deleted claim leaves all of
    # them and marks its stored conflicts stale (a trigger, so cascades are caught too).
    """
    CREATE TABLE conflicts (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, topic TEXT NOT NULL,
        topic_key TEXT NOT NULL DEFAULT '', basis TEXT NOT NULL DEFAULT '',
        score REAL NOT NULL, explanation TEXT NOT NULL, claims TEXT NOT NULL,
        first_seen TEXT NOT NULL, updated TEXT NOT NULL, stale INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX conflicts_first_seen ON conflicts(first_seen);
    CREATE TABLE conflict_claims (
        conflict_id TEXT NOT NULL REFERENCES conflicts(id) ON DELETE CASCADE,
        claim_id INTEGER NOT NULL,
        PRIMARY KEY (conflict_id, claim_id)
    );
    CREATE INDEX conflict_claims_claim ON conflict_claims(claim_id);
    CREATE TABLE claim_queue (claim_id INTEGER PRIMARY KEY);
    CREATE TABLE claim_judged (claim_id INTEGER PRIMARY KEY, judged_at TEXT NOT NULL);
    CREATE TABLE claim_terms (
        term TEXT NOT NULL, t TEXT NOT NULL, claim_id INTEGER NOT NULL,
        PRIMARY KEY (term, t, claim_id)
    );
    CREATE INDEX claim_terms_claim ON claim_terms(claim_id);
    CREATE TABLE term_df (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO claim_queue(claim_id) SELECT id FROM claims;
    CREATE TRIGGER claims_queue_ai AFTER INSERT ON claims BEGIN
        INSERT OR IGNORE INTO claim_queue(claim_id) VALUES (new.id);
    END;
    CREATE TRIGGER claims_judged_ad AFTER DELETE ON claims BEGIN
        DELETE FROM claim_queue WHERE claim_id = old.id;
        DELETE FROM claim_judged WHERE claim_id = old.id;
        UPDATE term_df SET n = n - 1
            WHERE term IN (SELECT term FROM claim_terms WHERE claim_id = old.id);
        DELETE FROM claim_terms WHERE claim_id = old.id;
        UPDATE conflicts SET stale = 1
            WHERE id IN (SELECT conflict_id FROM conflict_claims WHERE claim_id = old.id);
    END;
    """,
    # 6: claim frames read at ingest (issue #12), keyed by the hash of the claim text and
    # the frame code's version (store.framerows); a report without them reads the text.
    """
    CREATE TABLE claim_frames (
        text_key TEXT PRIMARY KEY, version TEXT NOT NULL, frame TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit first)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says why and what to do."""


class StoreBusy(StoreError):
    """Another process is writing to the store."""


@dataclass
class ArticleRecord:
    """What ``Store.put_article`` writes for one article: its quotes and claims."""

    article: Article
    quotes: list[dict[str, Any]] = field(default_factory=list)  # see put_article
    claims: list[Claim] = field(default_factory=list)
    quote_vectors: np.ndarray | None = None
    claim_vectors: np.ndarray | None = None


def article_origin(article: Article) -> str | None:
    """The resolved file an article was read from; None for stdin and JSONL records."""
    if not article.path or not os.path.isfile(article.path):
        return None
    return str(Path(article.path).resolve())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def _blob(vec: np.ndarray | None) -> bytes | None:
    return None if vec is None else np.asarray(vec, dtype=np.float32).tobytes()


class Store(ConflictTables, FrameRows):
    """SQLite quote store plus its vector indexes. Use ``Store.open``."""

    def __init__(self, root: Path, conn: sqlite3.Connection, readonly: bool = False) -> None:
        self.root = root
        self.conn = conn
        self.readonly = readonly
        self._indexes: dict[str, Any] = {}
        self._dirty: set[str] = set()
        self._lock_fd: int | None = None
        self.lock_wait = 0.0  # seconds a writer waits for the lock before StoreBusy
        self._loaded_in_txn: set[str] = set()

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, create: bool = True, readonly: bool = False) -> Store:
        if str(root).startswith(("postgresql://", "postgres://")):  # see store.base.open_store
            from .postgres import PgStore

            return PgStore.open(str(root), create=create, readonly=readonly)  # type: ignore[return-value]
        root = Path(root)
        db = root / DB_NAME
        if not db.exists():
            if not create or readonly:
                raise StoreError(
                    f"no factcheck store in {root} (run `factcheck ingest` first, or pass "
                    "--index DIR)"
                )
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create index directory {root}: {exc}") from exc
        try:
            conn = sqlite3.connect(str(db), timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {db}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        store = cls(root, conn, readonly=readonly)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            store._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{db} is not a readable factcheck store ({exc}); move it aside and re-ingest"
            ) from exc
        return store

    def close(self) -> None:
        self.unlock()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        have = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if not have:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _newer(self, version: int) -> StoreError:
        return StoreError(
            f"the store in {self.root} was written by a newer factcheck (schema {version}, "
            f"this version knows {SCHEMA_VERSION}); upgrade factcheck, or rebuild: move "
            f"{self.root} aside and run `factcheck ingest` again into a fresh --index"
        )

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        if version == SCHEMA_VERSION:
            return
        if self.readonly and version == 0:
            raise StoreError(
                f"the store in {self.root} is empty (an interrupted first ingest?); run "
                "`factcheck ingest` again"
            )
        # A reader upgrades an existing store too: migrations are small schema changes in one
        # SQLite transaction (serialised with writers by SQLite itself), and refusing would
        # make every read command fail after a factcheck upgrade.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # Read the version again under the write lock: two first runs racing on a new
            # store must not both apply migration 1.
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise self._newer(version)
            for number in range(version, SCHEMA_VERSION):
                # Each migration and its version bump commit together: an interrupted
                # migration leaves the previous version intact.
                for statement in _statements(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(number + 1),))
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        if version < SCHEMA_VERSION:
            log.info("store %s migrated to schema %d", self.root, SCHEMA_VERSION)

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def embedding_model(self) -> tuple[str | None, int | None]:
        dim = self.get_meta("embedding_dim")
        return self.get_meta("embedding_model"), (int(dim) if dim else None)

    def check_model(self, name: str, dim: int | None = None) -> None:
        """Refuse to mix vectors of different models in one store."""
        stored, stored_dim = self.embedding_model()
        if stored is None:
            return
        if stored != name or (dim is not None and stored_dim is not None and dim != stored_dim):
            raise StoreError(
                f"the store in {self.root} was built with embedding model {stored!r}, not "
                f"{name!r}; use --model {stored} or rebuild with `factcheck reindex --model "
                f"{name}`"
            )

    def record_model(self, name: str, dim: int) -> None:
        stored, _ = self.embedding_model()
        if stored is None:
            self.set_meta("embedding_model", name)
            self.set_meta("embedding_dim", str(dim))

    # -- locking and transactions --------------------------------------------------------------
    def lock(self, wait: float | None = None) -> None:
        """Take the writer lock; wait up to ``wait`` seconds, then raise ``StoreBusy``.

        One writer at a time: SQLite would serialise the transactions by itself, but each
        writer also holds the FAISS indexes in memory and saves them whole, so two writers
        would each save an index missing the other's vectors.
        """
        if self._lock_fd is not None:
            return
        if self.readonly:
            raise StoreError(f"the store in {self.root} was opened read-only")
        wait = self.lock_wait if wait is None else wait
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusy(
                        f"the store in {self.root} is busy: another factcheck process is "
                        "writing to it (wait for it to finish, or use --wait SECONDS)"
                    ) from None
                time.sleep(0.1)
        self._lock_fd = fd
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._remove_stale_temp_files()
        # Indexes loaded before the lock may predate another writer's last batch; reload
        # them now, while the store cannot change under us.
        for name in list(self._indexes):
            if not self._index_matches_db(name, self._indexes[name]):
                log.info("%s index changed while waiting for the lock; reloading it", name)
                self._indexes.pop(name)
                self._dirty.discard(name)
                self.index(name)

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def locked(self) -> bool:
        return self._lock_fd is not None

    def _remove_stale_temp_files(self) -> list[Path]:
        """Temp files of index saves killed half-way; only safe while holding the lock."""
        removed = []
        for fname in INDEX_FILES.values():
            for tmp in self.root.glob(fname + ".*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed.append(tmp)
        if removed:
            log.info("removed %d temp file(s) left by an interrupted save", len(removed))
        return removed

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; takes the writer lock first if this store does not hold it."""
        if not self.readonly:
            self.lock()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            # The in-memory indexes may hold vectors of rows that no longer exist.
            for name in list(self._indexes):
                if not self._index_matches_db(name, self._indexes[name]):
                    self._indexes.pop(name)
                    self._dirty.discard(name)
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._loaded_in_txn.clear()

    # -- articles ---------------------------------------------------------------------------
    def article_hash(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT content_hash FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def article_origin(self, article_id: str) -> tuple[str, str | None] | None:
        """(content hash, origin file) of a stored article, or None when not stored."""
        row = self.conn.execute(
            "SELECT content_hash, origin FROM articles WHERE id=?", (article_id,)).fetchone()
        return None if row is None else (str(row[0]), row[1])

    def _article_from_row(self, row: sqlite3.Row, with_text: bool = True) -> Article:
        return Article(
            id=row["id"], text=row["text"] if with_text else "", title=row["title"],
            source=row["source"], published=row["published"],
            published_inferred=bool(row["published_inferred"]), url=row["url"],
            path=row["path"], content_hash=row["content_hash"],
            excluded=[tuple(x) for x in json.loads(row["excluded"] or "[]")],
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return None if row is None else self._article_from_row(row)

    def articles(self, with_text: bool = True) -> list[Article]:
        rows = self.conn.execute("SELECT * FROM articles ORDER BY published, id").fetchall()
        return [self._article_from_row(r, with_text) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "speakers", "quotes", "claims"):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out

    def put_article(self, rec: ArticleRecord, speaker_ids: Sequence[int | None],
                    claim_speaker_ids: Sequence[int | None]) -> tuple[list[int], list[int]]:
        """Insert or replace one article with its quotes and claims (caller's transaction).

        ``rec.quotes`` items are dicts with the Quote fields plus ``speaker_role`` and
        ``mention``; ``speaker_ids[i]`` is the canonical speaker of quote i. Returns the new
        quote and claim ids. Replaced rows leave the vector indexes too.
        """
        a = rec.article
        old_q = [r[0] for r in self.conn.execute(
            "SELECT id FROM quotes WHERE article_id=?", (a.id,))]
        old_c = [r[0] for r in self.conn.execute(
            "SELECT id FROM claims WHERE article_id=?", (a.id,))]
        self.conn.execute("DELETE FROM claims WHERE article_id=?", (a.id,))
        self.conn.execute("DELETE FROM quotes WHERE article_id=?", (a.id,))
        self.conn.execute(
            """INSERT OR REPLACE INTO articles(id, title, source, url, published,
               published_inferred, path, text, content_hash, excluded, ingested_at, origin)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            (a.id, a.title, a.source, a.url, a.published, int(a.published_inferred), a.path,
             a.text, a.content_hash, json.dumps(a.excluded), _now(), article_origin(a)),
        )
        qids: list[int] = []
        for i, q in enumerate(rec.quotes):
            vec = rec.quote_vectors[i] if rec.quote_vectors is not None else None
            cur = self.conn.execute(
                """INSERT INTO quotes(article_id, speaker_id, speaker_role, mention, text, start,
                   end, cue, partial, context, context_start, context_end, confidence, vector,
                   via)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (a.id, speaker_ids[i], q.get("speaker_role"), q.get("mention"), q["text"],
                 q["start"], q["end"], q.get("cue"), int(bool(q.get("partial"))),
                 q.get("context", ""), q.get("context_start"), q.get("context_end"),
                 q.get("confidence"), _blob(vec), q.get("via")),
            )
            qids.append(int(cur.lastrowid or 0))
        cids: list[int] = []
        for i, c in enumerate(rec.claims):
            vec = rec.claim_vectors[i] if rec.claim_vectors is not None else None
            qi = c.quote_index
            quote_id = qids[qi] if qi is not None and 0 <= qi < len(qids) else None
            cur = self.conn.execute(
                """INSERT INTO claims(article_id, speaker_id, quote_id, text, start, end,
                   claim_time, data, vector) VALUES (?,?,?,?,?,?,?,?,?)""",
                (a.id, claim_speaker_ids[i], quote_id, c.text, c.start, c.end, c.claim_time,
                 json.dumps(c.data, ensure_ascii=False, default=str), _blob(vec)),
            )
            cids.append(int(cur.lastrowid or 0))
        self._pending_removals("quotes", old_q)
        self._pending_removals("claims", old_c)
        return qids, cids

    # -- syndicated copies (issue #17) --------------------------------------------------------
    def put_copy(self, article: Article, copy_of: str) -> None:
        """Store ``article`` as a republication of ``copy_of``: no quotes or claims of its own
        (caller's transaction)."""
        self.delete_article(article.id)
        self.conn.execute(
            """INSERT INTO articles(id, title, source, url, published, published_inferred,
               path, text, content_hash, excluded, ingested_at, origin, copy_of)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (article.id, article.title, article.source, article.url, article.published,
             int(article.published_inferred), article.path, article.text,
             article.content_hash, json.dumps(article.excluded), _now(),
             article_origin(article), copy_of))

    def set_signature(self, article_id: str, sig: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO article_minhash(article_id, sig) VALUES (?,?)",
                          (article_id, sig))

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        for r in self.conn.execute("SELECT article_id, sig FROM article_minhash"):
            yield str(r[0]), bytes(r[1])

    def copy_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT copy_of FROM articles WHERE id=?",
                                (article_id,)).fetchone()
        return None if row is None else row[0]

    def copies(self, article_ids: Sequence[str] | None = None) -> dict[str, list[Article]]:
        """Republications (without text) of each original article: {original id: copies}."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE copy_of IS NOT NULL ORDER BY published, id")
        out: dict[str, list[Article]] = {}
        wanted = set(article_ids) if article_ids is not None else None
        for r in rows:
            if wanted is None or r["copy_of"] in wanted:
                out.setdefault(r["copy_of"], []).append(self._article_from_row(r, False))
        return out

    # -- managing the store (issue #17) -------------------------------------------------------
    def article_rows(self) -> list[sqlite3.Row]:
        """Every article without its text, with its quote and claim counts."""
        return self.conn.execute(
            """SELECT a.id, a.title, a.source, a.published, a.path, a.url, a.copy_of,
                      length(a.text) AS chars, a.ingested_at,
                      (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
                      (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims,
                      (SELECT count(*) FROM articles b WHERE b.copy_of = a.id) AS copies
               FROM articles a ORDER BY a.published, a.id""").fetchall()

    def article_counts(self, article_id: str) -> tuple[int, int]:
        """(quotes, claims) stored for one article."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM quotes WHERE article_id=?),"
            " (SELECT count(*) FROM claims WHERE article_id=?)",
            (article_id, article_id)).fetchone()
        return int(row[0]), int(row[1])

    def claim_rows(self, speaker_ids: Sequence[int] | None = None,
                   article_id: str | None = None, words: Sequence[str] = (),
                   ids: Sequence[int] | None = None) -> list[sqlite3.Row]:
        """Claims with speaker and article evidence; ``words``: each must occur in the text."""
        sql = """SELECT c.id, c.text, c.start, c.end, c.claim_time, c.quote_id, c.speaker_id,
                        s.name AS speaker, c.data,
                        a.id AS article_id, a.title, a.source, a.published
                 FROM claims c JOIN articles a ON a.id = c.article_id
                 LEFT JOIN speakers s ON s.id = c.speaker_id"""
        where: list[str] = []
        args: list[Any] = []
        if speaker_ids is not None:
            where.append(f"c.speaker_id IN ({','.join('?' * len(speaker_ids))})")
            args += list(speaker_ids)
        if article_id is not None:
            where.append("c.article_id = ?")
            args.append(article_id)
        for w in words:
            where.append("lower(c.text) LIKE ? ESCAPE '\\'")
            esc = w.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args.append(f"%{esc}%")
        if ids is not None:
            where.append(f"c.id IN ({','.join('?' * len(ids))})")
            args += list(ids)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published, a.id, c.start"
        return self.conn.execute(sql, args).fetchall()

    def delete_article(self, article_id: str) -> bool:
        old_q = [r[0] for r in self.conn.execute(
            "SELECT id FROM quotes WHERE article_id=?", (article_id,))]
        old_c = [r[0] for r in self.conn.execute(
            "SELECT id FROM claims WHERE article_id=?", (article_id,))]
        cur = self.conn.execute("DELETE FROM articles WHERE id=?", (article_id,))
        self._pending_removals("quotes", old_q)
        self._pending_removals("claims", old_c)
        return cur.rowcount > 0

    # -- speakers -----------------------------------------------------------------------------
    def speaker_rows(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM speakers ORDER BY id").fetchall()

    def aliases_of(self, speaker_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        if speaker_ids is None:
            rows = list(self.conn.execute(
                "SELECT speaker_id, alias FROM speaker_aliases ORDER BY alias"))
        else:
            ids, rows = [int(i) for i in speaker_ids], []
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                rows += self.conn.execute(
                    f"SELECT speaker_id, alias FROM speaker_aliases WHERE speaker_id IN "
                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
            rows.sort(key=lambda r: str(r[1]))
        for r in rows:
            out.setdefault(int(r[0]), []).append(str(r[1]))
        return out

    def speakers(self) -> list[Speaker]:
        aliases = self.aliases_of()
        roles: dict[int, list[str]] = {}
        for r in self.conn.execute("SELECT speaker_id, role FROM speaker_roles ORDER BY role"):
            roles.setdefault(int(r[0]), []).append(str(r[1]))
        counts = {int(r[0]): int(r[1]) for r in self.conn.execute(
            "SELECT speaker_id, count(*) FROM quotes WHERE speaker_id IS NOT NULL "
            "GROUP BY speaker_id")}
        out = [
            Speaker(id=int(r["id"]), name=r["name"], kind=r["kind"],
                    roles=roles.get(int(r["id"]), []), aliases=aliases.get(int(r["id"]), []),
                    quote_count=counts.get(int(r["id"]), 0))
            for r in self.speaker_rows()
        ]
        return out

    def unused_speakers(self) -> list[tuple[int, str]]:
        """(id, name) of speakers with no quote and no claim left (after re-ingests)."""
        rows = self.conn.execute(
            """SELECT id, name FROM speakers s
               WHERE NOT EXISTS (SELECT 1 FROM quotes q WHERE q.speaker_id = s.id)
                 AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.speaker_id = s.id)
               ORDER BY id""").fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def delete_speakers(self, ids: Sequence[int]) -> None:
        """Delete speakers with their aliases and roles (caller's transaction)."""
        ids = list(ids)
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM speaker_aliases WHERE speaker_id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM speaker_roles WHERE speaker_id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM speakers WHERE id IN ({marks})", chunk)

    def add_speaker(self, name: str, kind: str, key: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO speakers(name, kind, key) VALUES (?,?,?)", (name, kind, key))
        return int(cur.lastrowid or 0)

    def rename_speaker(self, speaker_id: int, name: str, key: str) -> None:
        self.conn.execute("UPDATE speakers SET name=?, key=? WHERE id=?", (name, key, speaker_id))

    def add_alias(self, speaker_id: int, alias: str, norm: str) -> None:
        # One written form per folded alias, the same whatever order the names arrive in
        # (concurrent writers): the smallest in code-point order ("Reuters" < "reuters").
        self.conn.execute(
            "INSERT INTO speaker_aliases(speaker_id, alias, norm) VALUES (?,?,?) "
            "ON CONFLICT(speaker_id, norm) DO UPDATE SET alias = excluded.alias "
            "WHERE excluded.alias < speaker_aliases.alias", (speaker_id, alias, norm))

    def remove_alias(self, speaker_id: int, norm: str) -> None:
        self.conn.execute("DELETE FROM speaker_aliases WHERE speaker_id=? AND norm=?",
                          (speaker_id, norm))

    def set_roles(self, speaker_id: int, roles: Sequence[str]) -> None:
        self.conn.execute("DELETE FROM speaker_roles WHERE speaker_id=?", (speaker_id,))
        for role in roles:
            self.add_role(speaker_id, role)

    def speaker_mentions(self, speaker_ids: Sequence[int]
                         ) -> list[tuple[str, int, int, str | None, str | None]]:
        """(table, row id, speaker id, mention, role) of these speakers' quotes and of their
        claims not tied to a quote (whose mention is kept in the claim's data)."""
        out: list[tuple[str, int, int, str | None, str | None]] = []
        ids = [int(i) for i in speaker_ids]
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                    f"SELECT id, speaker_id, mention, speaker_role FROM quotes "
                    f"WHERE speaker_id IN ({marks})", chunk):
                out.append(("quotes", int(r[0]), int(r[1]), r[2], r[3]))
            for r in self.conn.execute(
                    f"SELECT id, speaker_id, data FROM claims WHERE quote_id IS NULL "
                    f"AND speaker_id IN ({marks})", chunk):
                out.append(("claims", int(r[0]), int(r[1]),
                            json.loads(r[2] or "{}").get("mention"), None))
        return out

    def move_mentions(self, table: str, ids: Sequence[int], speaker_id: int) -> None:
        """Give these quotes (and their claims) or claims to another speaker."""
        assert table in ("quotes", "claims")
        ids = [int(i) for i in ids]
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"UPDATE {table} SET speaker_id=? WHERE id IN ({marks})",
                              [speaker_id, *chunk])
            if table == "quotes":
                self.conn.execute(f"UPDATE claims SET speaker_id=? WHERE quote_id IN ({marks})",
                                  [speaker_id, *chunk])

    def add_role(self, speaker_id: int, role: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO speaker_roles(speaker_id, role) VALUES (?,?)",
            (speaker_id, role))

    # -- quotes -------------------------------------------------------------------------------
    _QUOTE_SELECT = """
        SELECT q.id, q.text, q.start, q.end, q.cue, q.via, q.partial, q.context, q.speaker_role,
               q.speaker_id, q.mention, s.name AS speaker, s.kind AS speaker_kind,
               a.id AS article_id, a.title, a.source, a.published
        FROM quotes q JOIN articles a ON a.id = q.article_id
        LEFT JOIN speakers s ON s.id = q.speaker_id
    """

    @staticmethod
    def _quote_from_row(r: sqlite3.Row, score: float | None = None) -> StoredQuote:
        return StoredQuote(
            id=int(r["id"]), quote=r["text"], speaker=r["speaker"] or r["mention"],
            speaker_id=r["speaker_id"], speaker_role=r["speaker_role"],
            anonymous=(r["speaker_kind"] == "anonymous"), partial=bool(r["partial"]),
            article_id=r["article_id"], title=r["title"], source=r["source"],
            published=r["published"], start=int(r["start"]), end=int(r["end"]),
            context=r["context"], cue=r["cue"], score=score, via=r["via"],
        )

    def quotes(self, speaker_ids: Sequence[int] | None = None, source: str | None = None,
               since: str | None = None, until: str | None = None,
               article_id: str | None = None) -> list[StoredQuote]:
        sql = self._QUOTE_SELECT
        where, args = [], []  # type: ignore[var-annotated]
        if speaker_ids is not None:
            where.append(f"q.speaker_id IN ({','.join('?' * len(speaker_ids))})")
            args += list(speaker_ids)
        if source:
            where.append("lower(a.source) LIKE ?")
            args.append(f"%{source.lower()}%")
        if article_id:
            where.append("a.id = ?")
            args.append(article_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published, a.id, q.start"
        rows = self.conn.execute(sql, args).fetchall()
        return [self._quote_from_row(r) for r in rows if within(r["published"], since, until)]

    def lexical_candidates(self, words: list[str], limit: int = 50) -> list[int]:
        """Quote ids matching any of ``words`` (FTS5, best BM25 first)."""
        terms = [w for w in words if w.isalnum()]
        if not terms:
            return []
        expr = " OR ".join(f'"{w}"' for w in terms)
        rows = self.conn.execute(
            "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? ORDER BY bm25(quotes_fts) "
            "LIMIT ?", (expr, limit)).fetchall()
        return [int(r[0]) for r in rows]

    def get_quotes(self, ids: Sequence[int]) -> dict[int, StoredQuote]:
        out: dict[int, StoredQuote] = {}
        ids = list(ids)
        for i in range(0, len(ids), 900):  # SQLite's default variable limit
            chunk = ids[i:i + 900]
            rows = self.conn.execute(
                self._QUOTE_SELECT + f" WHERE q.id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            out.update({int(r["id"]): self._quote_from_row(r) for r in rows})
        return out

    # -- claims -------------------------------------------------------------------------------
    def claims(self, article_id: str | None = None) -> list[Claim]:
        sql = """SELECT c.*, s.name AS speaker FROM claims c
                 LEFT JOIN speakers s ON s.id = c.speaker_id"""
        args: list[Any] = []
        if article_id is not None:
            sql += " WHERE c.article_id = ?"
            args.append(article_id)
        sql += " ORDER BY c.id"
        return [
            Claim(text=r["text"], start=int(r["start"]), end=int(r["end"]),
                  article_id=r["article_id"], speaker=r["speaker"], speaker_id=r["speaker_id"],
                  quote_id=r["quote_id"], claim_time=r["claim_time"],
                  data=json.loads(r["data"] or "{}"), id=int(r["id"]))
            for r in self.conn.execute(sql, args)
        ]

    # -- what callers used to ask in raw SQL; PgStore has the same methods (issue #15) -------
    backend = "sqlite"
    shared = False  # one writer at a time (the lock): nothing changes between transactions

    def describe(self) -> str:
        return str(self.root)

    def article_with_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash=? LIMIT 1", (content_hash,)).fetchone()
        return None if row is None else str(row[0])

    def roles_of(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for r in self.conn.execute("SELECT speaker_id, role FROM speaker_roles ORDER BY role"):
            out.setdefault(int(r[0]), []).append(str(r[1]))
        return out

    def quote_rows(self, article_id: str) -> list[dict[str, Any]]:
        """Every column of an article's quotes (plus ``speaker_name``), in text order."""
        rows = self.conn.execute(
            """SELECT q.*, s.name AS speaker_name FROM quotes q
               LEFT JOIN speakers s ON s.id = q.speaker_id
               WHERE q.article_id = ? ORDER BY q.start, q.id""", (article_id,)).fetchall()
        return [dict(r) for r in rows]

    def quote_briefs(self, ids: Sequence[int]) -> list[tuple[int, str, str | None, str | None]]:
        """(id, text, source, published) of quotes ``ids``: what search scoring needs."""
        out: list[tuple[int, str, str | None, str | None]] = []
        ids = list(ids)
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            out += [tuple(r) for r in self.conn.execute(  # type: ignore[misc]
                "SELECT q.id, q.text, a.source, a.published FROM quotes q JOIN articles a ON "
                f"a.id = q.article_id WHERE q.id IN ({','.join('?' * len(chunk))})", chunk)]
        return out

    def word_matches(self, terms: Sequence[str], limit: int) -> list[int]:
        """Ids of quotes holding every one of ``terms`` (alphanumeric words), newest first."""
        expr = " AND ".join(f'"{w}"' for w in terms)
        try:
            rows = self.conn.execute(
                "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? ORDER BY rowid DESC "
                "LIMIT ?", (expr, limit)).fetchall()
        except sqlite3.OperationalError:  # a store without the FTS table: vectors only
            return []
        return [int(r[0]) for r in rows]

    def _claims_where(self, where: str, args: Sequence[Any]) -> list[Claim]:
        rows = self.conn.execute(
            f"""SELECT c.*, s.name AS speaker FROM claims c
                LEFT JOIN speakers s ON s.id = c.speaker_id {where} ORDER BY c.id""", args)
        return [
            Claim(text=r["text"], start=int(r["start"]), end=int(r["end"]),
                  article_id=r["article_id"], speaker=r["speaker"], speaker_id=r["speaker_id"],
                  quote_id=r["quote_id"], claim_time=r["claim_time"],
                  data=json.loads(r["data"] or "{}"), id=int(r["id"]))
            for r in rows
        ]

    def get_claims(self, ids: Sequence[int]) -> list[Claim]:
        ids = sorted(set(ids))
        out: list[Claim] = []
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            out += self._claims_where(f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk)
        return out

    def claims_with_entity(self, key: str, limit: int) -> list[int]:
        """Ids of the newest ``limit`` claims whose analysis names entity ``key``."""
        rows = self.conn.execute(
            "SELECT id FROM claims WHERE instr(data, ?) > 0 ORDER BY id DESC LIMIT ?",
            (f'"{key}"', limit)).fetchall()
        return [int(r[0]) for r in rows]

    def embedding_inputs(self, table: str, only_missing: bool) -> list[tuple[Any, ...]]:
        """(id, text[, context]) of ``quotes`` or ``claims`` rows to embed."""
        cols = "id, text, context" if table == "quotes" else "id, text"
        where = " WHERE vector IS NULL" if only_missing else ""
        return [tuple(r) for r in self.conn.execute(f"SELECT {cols} FROM {table}{where}")]

    def set_vectors(self, table: str, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Store embeddings of rows ``ids`` (caller's transaction; indexes rebuilt after)."""
        self.conn.executemany(f"UPDATE {table} SET vector=? WHERE id=?",
                              [(_blob(v), int(i)) for i, v in zip(ids, vectors)])

    def set_model(self, name: str, dim: int) -> None:
        """Record ``name`` as the store's model (re-embedding everything with it)."""
        self.set_meta("embedding_model", name)
        self.set_meta("embedding_dim", str(dim))

    def article_hashes(self) -> Iterator[tuple[str, str, str]]:
        """(id, text, content hash) of every article."""
        for r in self.conn.execute("SELECT id, text, content_hash FROM articles"):
            yield str(r[0]), str(r[1]), str(r[2])

    def misplaced(self, table: str) -> list[dict[str, Any]]:
        """``quotes``/``claims`` rows whose offsets do not point at their text in the article."""
        rows = self.conn.execute(
            f"""SELECT t.id, t.article_id, t.start, t.end, t.text, a.text AS atext FROM {table} t
                JOIN articles a ON a.id = t.article_id
                WHERE t.start < 0 OR t.end < t.start OR t.end > length(a.text)
                   OR substr(a.text, t.start + 1, t.end - t.start) != t.text""").fetchall()
        return [dict(r) for r in rows]

    def set_offsets(self, table: str, row_id: int, start: int, end: int) -> None:
        self.conn.execute(f"UPDATE {table} SET start=?, end=? WHERE id=?", (start, end, row_id))

    def unembedded(self, table: str) -> int:
        return int(self.conn.execute(
            f"SELECT count(*) FROM {table} WHERE vector IS NULL").fetchone()[0])

    # whole-store copy: raw rows, vectors as float32 arrays
    def columns(self, table: str) -> list[str]:
        return [str(r[1]) for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def iter_rows(self, table: str, columns: Sequence[str], batch: int = 1000
                  ) -> Iterator[list[dict[str, Any]]]:
        cols = ", ".join(f'"{c}"' for c in columns)
        order = "rowid"
        cur = self.conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}")
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            out = []
            for r in rows:
                d = dict(zip(columns, tuple(r)))
                if d.get("vector") is not None:
                    d["vector"] = np.frombuffer(d["vector"], dtype=np.float32)
                out.append(d)
            yield out

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[dict[str, Any]]) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ",".join("?" * len(columns))
        self.conn.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})",
            [tuple(_blob(r[c]) if c == "vector" else r[c] for c in columns) for r in rows])

    def begin_bulk(self) -> None:
        """Before a bulk load (``factcheck copy``): nothing to do, FAISS is built after."""

    def finish_copy(self) -> None:
        """After a copy into this store: build the FAISS indexes from the copied vectors."""
        self.rebuild_indexes()

    # -- vectors ------------------------------------------------------------------------------
    def _vectors(self, table: str, ids: Sequence[int] | None) -> tuple[np.ndarray, np.ndarray]:
        _, dim = self.embedding_model()
        if ids is None:
            rows = self.conn.execute(
                f"SELECT id, vector FROM {table} WHERE vector IS NOT NULL ORDER BY id"
            ).fetchall()
        else:
            rows = []
            ids = list(ids)
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                rows += self.conn.execute(
                    f"SELECT id, vector FROM {table} WHERE vector IS NOT NULL AND id IN "
                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
            order = {v: i for i, v in enumerate(ids)}
            rows.sort(key=lambda r: order[r[0]])
        if dim:
            # A blob of the wrong size (a hand edit, a half-finished re-embed) is skipped,
            # not allowed to break every search; ``doctor`` reports and clears it.
            good = [r for r in rows if len(r[1]) == dim * 4]
            if len(good) != len(rows):
                log.warning("%d %s embedding(s) have the wrong size; ignored (run `factcheck "
                            "doctor`)", len(rows) - len(good), table)
                rows = good
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim or 0), dtype=np.float32)
        out_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        return out_ids, mat

    def quote_vectors(self, ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        return self._vectors("quotes", ids)

    def claim_vectors(self, ids: Sequence[int]) -> np.ndarray:
        """Embeddings of the claims ``ids``, in that order (rows without a vector skipped)."""
        return self._vectors("claims", ids)[1]

    def _pending_removals(self, name: str, ids: list[int]) -> None:
        if ids and name in self._indexes:
            self._indexes[name].remove(ids)
            self._dirty.add(name)

    def vector_ids(self, table: str) -> np.ndarray:
        """Ids of the rows of ``table`` that have a usable embedding (what its index holds)."""
        _, dim = self.embedding_model()
        sql = f"SELECT id FROM {table} WHERE vector IS NOT NULL"
        args: tuple[int, ...] = ()
        if dim:
            sql += " AND length(vector) = ?"
            args = (dim * 4,)
        return np.fromiter((r[0] for r in self.conn.execute(sql + " ORDER BY id", args)),
                           dtype=np.int64)

    def index_state(self, name: str) -> dict[str, Any] | None:
        """What the store recorded about the last saved ``name`` index (see ``save_indexes``)."""
        raw = self.get_meta(f"index_{name}")
        try:
            return None if raw is None else dict(json.loads(raw))
        except ValueError:
            return None

    def _index_matches_db(self, name: str, index: Any) -> bool:
        from ..vectors import id_fingerprint

        ids = index.ids()
        return bool(len(np.unique(ids)) == len(ids)
                    and id_fingerprint(ids) == id_fingerprint(self.vector_ids(name)))

    def load_index_file(self, name: str) -> Any:
        """The saved ``name`` index as it is on disk (no repair); None when absent.

        Raises ``ValueError`` when the file is unreadable or has the wrong dimension.
        """
        from ..vectors import FaissIndex

        _, dim = self.embedding_model()
        path = self.root / INDEX_FILES[name]
        if dim is None or not path.exists():
            return None
        return FaissIndex.load(path, dim)

    def index(self, name: str) -> Any:
        """The FAISS index ``quotes`` or ``claims``, loaded and reconciled with SQLite.

        SQLite is the reference. An index file behind the store (a crash after a commit,
        before the save) gets the missing vectors from SQLite and loses rows that are gone;
        a missing, unreadable or duplicated file is rebuilt. A writer saves the repair; a
        read-only store repairs in memory only.
        """
        if name in self._indexes:
            return self._indexes[name]
        from ..vectors import FaissIndex

        _, dim = self.embedding_model()
        if dim is None:  # nothing embedded yet
            return None
        index = None
        try:
            index = self.load_index_file(name)
        except ValueError as exc:
            log.warning("%s; rebuilding it from the store", exc)
        if index is not None and not self._index_matches_db(name, index):
            if self.repair_index(name, index):
                self._dirty.add(name)
            else:
                index = None
        if index is None:
            ids, mat = self._vectors(name, None)
            index = FaissIndex.build(dim, ids, mat)
            self._dirty.add(name)
        if self.conn.in_transaction:
            # Loaded mid-transaction: it already holds this transaction's new rows, which
            # the caller is about to add again (see add_vectors).
            self._loaded_in_txn.add(name)
        self._indexes[name] = index
        return index

    def repair_index(self, name: str, index: Any) -> dict[str, int] | None:
        """Bring ``index`` in line with SQLite in place: drop orphans, add missing vectors.

        Returns the counts, or None when the index cannot be patched (duplicate ids).
        """
        ids = index.ids()
        if len(np.unique(ids)) != len(ids):
            log.warning("%s index holds duplicate ids; rebuilding it", name)
            return None
        have = set(ids.tolist())
        want = set(self.vector_ids(name).tolist())
        orphans = sorted(have - want)
        missing = sorted(want - have)
        if orphans:
            try:
                index.remove(orphans)
            except RuntimeError as exc:  # some FAISS index types cannot remove ids
                log.warning("%s index cannot drop vectors (%s); rebuilding it", name, exc)
                return None
        if missing:
            m_ids, mat = self._vectors(name, missing)
            index.add(m_ids, mat)
        log.warning("%s index disagreed with the store: removed %d orphan vector(s), added %d "
                    "missing one(s)%s", name, len(orphans), len(missing),
                    "" if not self.readonly else " (in memory; run `factcheck doctor --repair`)")
        return {"orphans": len(orphans), "missing": len(missing)}

    def add_vectors(self, name: str, ids: Sequence[int], vectors: np.ndarray) -> None:
        index = self.index(name)
        if index is None:
            return
        ids_arr = np.asarray(ids, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32)
        if name in self._loaded_in_txn:
            fresh = ~np.isin(ids_arr, index.ids())
            ids_arr, vectors = ids_arr[fresh], vectors[fresh]
        index.add(ids_arr, vectors)
        self._dirty.add(name)

    def save_indexes(self) -> None:
        """Write changed indexes atomically, then record what each saved file holds.

        The record (id fingerprint, size, model) follows the file: a crash between the two
        leaves a file that agrees with SQLite but not with the record, which the next
        writer simply re-records; a crash before the file leaves it behind SQLite, which
        ``index`` repairs. Only a writer holding the lock saves.
        """
        if self.readonly:
            return
        if self._dirty:
            self.lock()
        for name in sorted(self._dirty):
            index = self._indexes.get(name)
            if index is not None:
                path = self.root / INDEX_FILES[name]
                index.save(path)
                self._record_index(name, index, path)
        self._dirty.clear()

    def set_index(self, name: str, index: Any) -> None:
        """Adopt ``index`` as the ``name`` index; it is saved by the next ``save_indexes``."""
        self._indexes[name] = index
        self._dirty.add(name)

    def table_vectors(self, name: str, ids: Sequence[int] | None
                      ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of ``quotes`` or ``claims`` rows with an embedding."""
        return self._vectors(name, ids)

    def record_index(self, name: str, index: Any) -> None:
        """Record what the saved ``name`` file holds (after a save, or once verified)."""
        self._record_index(name, index, self.root / INDEX_FILES[name])

    def _record_index(self, name: str, index: Any, path: Path) -> None:
        from ..vectors import id_fingerprint

        count, total, squares = id_fingerprint(index.ids())
        model, dim = self.embedding_model()
        self.set_meta(f"index_{name}", json.dumps({
            "count": count, "sum": total, "sumsq": squares, "bytes": path.stat().st_size,
            "model": model, "dim": dim, "kind": getattr(index, "kind", None),
            "saved_at": _now(),
        }))

    def rebuild_indexes(self) -> dict[str, int]:
        """Build the FAISS indexes again from SQLite and save them (atomically)."""
        from ..vectors import FaissIndex

        out = {}
        _, dim = self.embedding_model()
        for name in INDEX_FILES:
            self._indexes.pop(name, None)
            if dim is None:
                out[name] = 0
                continue
            ids, mat = self._vectors(name, None)
            self._indexes[name] = FaissIndex.build(dim, ids, mat)
            self._dirty.add(name)
            out[name] = len(ids)
        self.save_indexes()
        return out
