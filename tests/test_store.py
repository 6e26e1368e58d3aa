"""The store: schema versions, the writer lock, atomic index saves and repair on open."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from factcheck.records import Article
from factcheck.store import (
    DB_NAME,
    INDEX_FILES,
    LOCK_NAME,
    SCHEMA_VERSION,
    ArticleRecord,
    Store,
    StoreBusy,
    StoreError,
)
from factcheck.vectors import FaissIndex, id_fingerprint

DIM = 8


def vec(n: int, seed: int = 0) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def put(store: Store, aid: str, n_quotes: int, seed: int = 0) -> list[int]:
    """One article with ``n_quotes`` quotes and their vectors, committed, indexes saved."""
    text = " ".join(f'"quote {aid} {i}"' for i in range(n_quotes)) or "no quotes"
    quotes = []
    for i in range(n_quotes):
        start = text.index(f"quote {aid} {i}")
        quotes.append({"text": f"quote {aid} {i}", "start": start,
                       "end": start + len(f"quote {aid} {i}")})
    rec = ArticleRecord(article=Article(id=aid, text=text, content_hash=aid), quotes=quotes,
                        quote_vectors=vec(n_quotes, seed))
    with store.transaction():
        store.record_model("test", DIM)
        qids, _ = store.put_article(rec, [None] * n_quotes, [])
        store.add_vectors("quotes", qids, rec.quote_vectors)
    store.save_indexes()
    return qids


def db_ids(store: Store) -> list[int]:
    return store.vector_ids("quotes").tolist()


# -- schema ------------------------------------------------------------------------------------

def test_new_store_has_current_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)


def test_newer_store_refused_with_a_way_out(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        s.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    for readonly in (True, False):
        with pytest.raises(StoreError, match="newer factcheck") as exc:
            Store.open(root, readonly=readonly)
        assert "move" in str(exc.value) and "factcheck ingest" in str(exc.value)


def test_missing_store_readonly(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no factcheck store"):
        Store.open(tmp_path / "nothing", readonly=True)


def test_empty_database_file_from_an_interrupted_first_run(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    root.mkdir()
    sqlite3.connect(root / DB_NAME).close()  # created, never migrated
    with pytest.raises(StoreError, match="interrupted first ingest"):
        Store.open(root, readonly=True)
    with Store.open(root) as s:  # a writer completes it
        assert s.schema_version() == SCHEMA_VERSION


def test_not_a_database(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    root.mkdir()
    (root / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a readable factcheck store"):
        Store.open(root)


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def opener() -> None:
        try:
            start.wait()
            Store.open(root).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assert below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store.open(root, readonly=True) as s:
        assert s.schema_version() == SCHEMA_VERSION


def test_model_mismatch_message(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as s:
        put(s, "a", 2)
        with pytest.raises(StoreError, match="reindex --model"):
            s.check_model("other-model")
        s.check_model("test")


# -- writer lock -------------------------------------------------------------------------------

def test_second_writer_is_told_the_store_is_busy(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as a, Store.open(root) as b:
        a.lock()
        with pytest.raises(StoreBusy, match="busy"):
            b.lock()
        with pytest.raises(StoreBusy):
            with b.transaction():  # writes take the lock implicitly
                pass
        a.unlock()
        b.lock()
        assert b.locked


def test_second_writer_waits(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as a, Store.open(root) as b:
        a.lock()
        threading.Timer(0.3, a.unlock).start()
        b.lock(wait=5)
        assert b.locked
        assert (root / LOCK_NAME).read_text().strip().isdigit()  # holder's pid, for humans


def test_readers_do_not_need_the_lock(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as w:
        put(w, "a", 3)
        w.lock()
        with Store.open(root, readonly=True) as r:
            assert r.counts()["quotes"] == 3
            assert len(r.index("quotes")) == 3


def test_index_reloaded_when_another_writer_committed_first(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as a:
        put(a, "a", 2)
    a = Store.open(root)
    b = Store.open(root)
    a.index("quotes")  # loaded before the lock...
    put(b, "b", 3, seed=1)  # ...then another writer adds rows and releases
    b.close()
    ids = put(a, "c", 1, seed=2)
    assert sorted(a.index("quotes").ids().tolist()) == db_ids(a)
    assert ids[0] in a.index("quotes").ids()
    a.close()


# -- index saves and repair --------------------------------------------------------------------

def test_save_records_what_the_file_holds(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as s:
        put(s, "a", 4)
        state = s.index_state("quotes")
        assert state is not None
        assert (state["count"], state["sum"], state["sumsq"]) == id_fingerprint(
            np.array(db_ids(s)))
        assert state["bytes"] == (s.root / INDEX_FILES["quotes"]).stat().st_size
        assert state["model"] == "test"


def test_first_batch_does_not_duplicate_vectors(tmp_path: Path) -> None:
    # The index is first built inside the transaction that inserts the rows it is built
    # from; adding the same rows again must not make duplicates.
    with Store.open(tmp_path / "idx") as s:
        put(s, "a", 5)
        ids = s.load_index_file("quotes").ids()
        assert len(ids) == len(set(ids.tolist())) == 5


def test_index_behind_the_store_is_patched_on_open(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        put(s, "a", 3)
    saved = (root / INDEX_FILES["quotes"]).read_bytes()
    with Store.open(root) as s:
        put(s, "b", 2, seed=1)
    # A crash after the commit, before the save: the old file is back.
    (root / INDEX_FILES["quotes"]).write_bytes(saved)
    with Store.open(root, readonly=True) as r:  # repaired in memory for a reader
        assert sorted(r.index("quotes").ids().tolist()) == db_ids(r)
        assert len(r.index("quotes")) == 5
    with Store.open(root) as w:  # and for good by a writer
        w.index("quotes")
        w.save_indexes()
        assert sorted(w.load_index_file("quotes").ids().tolist()) == db_ids(w)


def test_orphan_vectors_removed_on_open(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        put(s, "a", 3)
        put(s, "b", 2, seed=1)
        saved = (root / INDEX_FILES["quotes"]).read_bytes()
        with s.transaction():
            s.delete_article("b")
        s.save_indexes()
    (root / INDEX_FILES["quotes"]).write_bytes(saved)  # still holds b's vectors
    with Store.open(root, readonly=True) as r:
        assert sorted(r.index("quotes").ids().tolist()) == db_ids(r)
        assert len(db_ids(r)) == 3


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "wrong-dim"])
def test_damaged_index_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        put(s, "a", 4)
    path = root / INDEX_FILES["quotes"]
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00garbage" * 50)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:
        FaissIndex.build(DIM * 2, np.arange(4), np.ones((4, DIM * 2), np.float32)).save(path)
    with Store.open(root) as s:
        index = s.index("quotes")
        assert sorted(index.ids().tolist()) == db_ids(s)
        s.save_indexes()
        assert sorted(s.load_index_file("quotes").ids().tolist()) == db_ids(s)


def test_stale_temp_files_removed_by_the_next_writer(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        put(s, "a", 1)
    stale = root / (INDEX_FILES["quotes"] + ".abc123.tmp")
    stale.write_bytes(b"half a save")
    with Store.open(root, readonly=True):
        assert stale.exists()  # a reader never touches it: a writer may be mid-save
    with Store.open(root) as s:
        s.lock()
        assert not stale.exists()


def test_rolled_back_transaction_leaves_index_consistent(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    with Store.open(root) as s:
        put(s, "a", 2)
        with pytest.raises(RuntimeError):
            with s.transaction():
                rec = ArticleRecord(article=Article(id="b", text='"x y"', content_hash="b"),
                                    quotes=[{"text": "x y", "start": 1, "end": 4}],
                                    quote_vectors=vec(1, 3))
                qids, _ = s.put_article(rec, [None], [])
                s.add_vectors("quotes", qids, rec.quote_vectors)
                raise RuntimeError("crash mid-batch")
        assert sorted(s.index("quotes").ids().tolist()) == db_ids(s)
        assert len(db_ids(s)) == 2


def test_replacing_an_article_updates_vectors(tmp_path: Path) -> None:
    with Store.open(tmp_path / "idx") as s:
        put(s, "a", 3)
        put(s, "a", 1, seed=5)  # same id: replaced
        assert s.counts()["quotes"] == 1
        assert sorted(s.load_index_file("quotes").ids().tolist()) == db_ids(s)


def test_a_reader_upgrades_an_older_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from factcheck.store import SCHEMA_VERSION, Store

    root = tmp_path / "idx"
    Store.open(root).close()
    # Turn it back into a schema-1 store, as an older factcheck wrote it.
    conn = sqlite3.connect(str(root / "factcheck.sqlite"))
    conn.execute("ALTER TABLE articles DROP COLUMN origin")
    conn.execute("DROP TABLE article_minhash")  # and what later migrations added
    conn.execute("DROP INDEX articles_copy_of")
    conn.execute("ALTER TABLE articles DROP COLUMN copy_of")
    conn.execute("ALTER TABLE quotes DROP COLUMN via")  # migration 4 (issue #13)
    for trigger in ("claims_queue_ai", "claims_judged_ad"):  # migration 5 (issue #16)
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("conflict_claims", "conflicts", "claim_queue", "claim_judged",
                  "claim_terms", "term_df"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE claim_frames")  # migration 6 (issue #12)
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with Store.open(root, readonly=True) as store:
        assert store.schema_version() == SCHEMA_VERSION
        cols = {r[1] for r in store.conn.execute("PRAGMA table_info(articles)")}
        assert "origin" in cols
        assert "via" in {r[1] for r in store.conn.execute("PRAGMA table_info(quotes)")}
        assert store.frame_records("any version") == {}  # migration 6: the table is back
