"""Several writers on one PostgreSQL store, and the errors a shared store can meet.

Four processes ingest the four quarters of a corpus at once into one database; the result
must equal one process ingesting it all: same articles, quotes, claims and vectors, the
same speaker for every quote and claim, the same speakers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.store.base import open_store

ROOT = Path(__file__).resolve().parent.parent


def _corpus(tmp_path: Path, quotes: int = 240) -> list[str]:
    out = tmp_path / "corpus.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--quotes",
                    str(quotes), "--seed", "7", "--out", str(out)], check=True)
    return out.read_text(encoding="utf-8").splitlines()


def _contents(url: str) -> dict:  # type: ignore[type-arg]
    with open_store(url, create=False, readonly=True) as s:
        speakers = {sp.id: sp for sp in s.speakers()}

        def name(sid):  # type: ignore[no-untyped-def]
            return None if sid is None else (speakers[sid].name, speakers[sid].kind)

        return {
            "articles": sorted((a.id, a.content_hash) for a in s.articles()),
            "quotes": sorted((q.article_id, q.start, q.end, q.quote, q.speaker_role)
                             for q in s.quotes()),
            "claims": sorted((c.article_id, c.start, c.end, c.text) for c in s.claims()),
            "who": {("q", q.article_id, q.start): name(q.speaker_id) for q in s.quotes()}
            | {("c", c.article_id, c.start, c.end): name(c.speaker_id) for c in s.claims()},
            "speakers": sorted((sp.name, sp.kind, tuple(sp.aliases), tuple(sp.roles),
                                sp.quote_count) for sp in speakers.values()),
            "vectors": len(s.vector_ids("quotes")) + len(s.vector_ids("claims")),
        }


@pytest.mark.slow
def test_four_concurrent_ingests_equal_one(tmp_path: Path, pg_databases, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.ingest import ingest

    lines = _corpus(tmp_path)
    assert len(lines) >= 20
    whole = tmp_path / "all.jsonl"
    whole.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = []
    for i in range(4):
        p = tmp_path / f"part{i}.jsonl"
        p.write_text("\n".join(lines[i::4]) + "\n", encoding="utf-8")
        parts.append(p)

    single = pg_databases.new("single")
    with open_store(single) as store:
        summary = ingest([str(whole)], store, hash_encoder, batch_size=4)
    assert not summary.errors and summary.added == len(lines)

    shared = pg_databases.new("shared")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FACTCHECK_MODEL": "hash"}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "factcheck", "ingest", str(p), "--index", shared,
         "--processes", "1", "--batch-size", "2", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in parts]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err
    # All four really overlapped: each started before any finished would be too strict to
    # assert on a loaded machine; small batches make their transactions interleave.
    got, want = _contents(shared), _contents(single)
    assert got["articles"] == want["articles"]
    for key in ("quotes", "claims", "vectors"):
        assert got[key] == want[key], key
    # Who said it, and every speaker with its aliases, roles and quote count: the same too.
    # (Bare surnames are settled against the whole store after each batch, and display
    # names and aliases are chosen by an order-free rule, so the commit order of the four
    # writers' batches does not matter; see factcheck/surnames.py.)
    assert got["who"] == want["who"]
    assert got["speakers"] == want["speakers"]
    # Ingesting a quarter again changes nothing (content-hash rule), even into the shared store.
    res = CliRunner().invoke(app, ["ingest", str(parts[0]), "--index", shared, "--model", "hash",
                                   "--processes", "1", "--json"])
    assert res.exit_code == 0 and '"unchanged": ' + str(len(lines[0::4])) in res.stdout


def test_same_articles_from_two_writers_are_stored_once(pg_url: str, seeds_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FACTCHECK_MODEL": "hash"}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "factcheck", "ingest", str(seeds_dir), "--metadata",
         str(seeds_dir / "metadata.json"), "--index", pg_url, "--processes", "1",
         "--batch-size", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    with open_store(pg_url, create=False, readonly=True) as s:
        counts = s.counts()
        assert counts["articles"] == 5
        per_article = {}
        for q in s.quotes():
            per_article[q.article_id] = per_article.get(q.article_id, 0) + 1
        assert sum(per_article.values()) == counts["quotes"]
        assert len({(q.article_id, q.start) for q in s.quotes()}) == counts["quotes"]


# --- one clear line, exit 1, nothing written ----------------------------------------------------


def _dbname(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(url)["dbname"])


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_unreachable_host_is_one_line(tmp_path: Path) -> None:
    res = _cli("quotes", "--index", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "cannot be reached" in lines[0], res.output


def test_wrong_password_is_one_line(pg_server, pg_databases) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    url = pg_databases.new()
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS desk")
        conn.execute("CREATE ROLE desk LOGIN PASSWORD 'right'")
    # The test server trusts everyone on its socket; make it ask this role for a password.
    hba = Path(pg_server.pgdata) / "pg_hba.conf"
    text = hba.read_text()
    rule = "local all desk scram-sha-256"
    if rule not in text:
        hba.write_text(rule + "\n" + text)
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    wrong = url.replace("postgres:@", "desk:wrong@", 1)
    res = _cli("quotes", "--index", wrong)
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "wrong user name or password" in lines[0], res.output
    assert "wrong@" not in res.output  # the password is never echoed


def test_missing_pgvector_is_one_line(pg_server, pg_databases) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    url = pg_databases.new()
    db = _dbname(url)
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS plain")
        conn.execute("CREATE ROLE plain LOGIN")
        conn.execute(f"GRANT ALL ON DATABASE {db} TO plain")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("GRANT ALL ON SCHEMA public TO plain")
    plain = url.replace("postgres:@", "plain@", 1)
    res = _cli("ingest", str(ROOT / "seeds"), "--index", plain, "--model", "hash")
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "CREATE EXTENSION vector" in lines[0], res.output
    with psycopg.connect(url, autocommit=True) as conn:  # nothing was created
        assert conn.execute("SELECT to_regclass('articles')").fetchone()[0] is None


def test_model_mismatch_writes_nothing(seeded_pg: str, pg_url: str, tmp_path: Path) -> None:
    from factcheck.store.copy import copy_store

    with open_store(seeded_pg, readonly=True) as src, open_store(pg_url) as dst:
        copy_store(src, dst)
    before = _contents(pg_url)
    doc = tmp_path / "new.txt"
    doc.write_text('"The tunnel opens in June," the mayor said.', encoding="utf-8")
    res = _cli("ingest", str(doc), "--index", pg_url, "--model", "hash-128")
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "built with embedding model" in lines[0], res.output
    assert _contents(pg_url) == before


def test_readers_never_wait_on_a_writer(pg_url: str, tmp_path: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    """Quotes, search and counts answer while an ingest transaction holds the write lock,
    and see the store as it was before that transaction."""
    import time

    from factcheck.ingest import ingest
    from factcheck.records import Article
    from factcheck.search import search_quotes
    from factcheck.store import ArticleRecord

    doc = tmp_path / "bridge.txt"
    doc.write_text('"The bridge reopens in spring," the transport minister said.',
                   encoding="utf-8")
    with open_store(pg_url) as store:
        assert ingest([str(doc)], store, hash_encoder).added == 1
    with open_store(pg_url) as writer, writer.transaction():
        vec = hash_encoder.encode(["The harbour closes"])
        writer.put_article(ArticleRecord(
            Article(id="w1", text='"The harbour closes," she said.', content_hash="h"),
            quotes=[{"text": "The harbour closes", "start": 1, "end": 19, "context": ""}],
            quote_vectors=vec), [None], [])
        t = time.perf_counter()
        with open_store(pg_url, readonly=True) as reader:  # mid-transaction, lock held
            assert reader.counts()["articles"] == 1  # never half a batch
            assert [q.quote for q in reader.quotes()] == ["The bridge reopens in spring,"]
            hits = search_quotes(reader, hash_encoder, "the harbour closes", k=5)
            assert [h.article_id for h in hits] == ["bridge.txt"]
        assert time.perf_counter() - t < 5
    with open_store(pg_url, readonly=True) as reader:
        assert reader.counts()["articles"] == 2


def test_a_migration_committed_meanwhile_is_seen(pg_url: str) -> None:
    """Two first runs: the second waits for the migration lock while the first migrates,
    then must see the tables the first created (not a stale "no such table")."""
    import psycopg
    from psycopg.rows import dict_row

    from factcheck.store.postgres import SCHEMA_VERSION, PgStore

    with psycopg.connect(pg_url, autocommit=True, row_factory=dict_row) as conn:
        waiting = PgStore(pg_url, conn)
        with conn.transaction():
            assert waiting.schema_version() == 0  # checked before the other run migrates
            open_store(pg_url).close()  # the other run: migrates and commits
            assert waiting.schema_version() == SCHEMA_VERSION
