"""Search latency (warm p50/p99) and recall@10 of the vector index at 10k..1M stored quotes.

Vectors are synthetic but structured like sentence embeddings (dim 384, L2-normalised,
clustered around topic centres with low-rank within-topic variation): embedding a million
texts with the real model would take hours on this machine and time nothing about search.
Quote texts are generated sentences (bench/gen_corpus.py), so the FTS5 half of the hybrid
search has realistic words to match. Everything goes through the real code: rows are
written with ``Store.put_article``, the index is built by ``Store.rebuild_indexes`` and
timed queries run ``search_quotes`` (FAISS + FTS5 + SQLite fetch + scoring), with an encoder
that returns the precomputed query vector; the model's own query-encoding time is measured
separately (``--model-encode``).

recall@10 compares ``FaissIndex.search`` (as the store configures it, with exact re-ranking
from SQLite) against brute-force exact inner product over all vectors.

    python bench/bench_search.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import numpy as np

DIM = 384


class FixedEncoder:
    """Returns the vector set for the next query (the search path without a model)."""

    name = "synthetic-384"
    dim = DIM

    def __init__(self) -> None:
        self.next: np.ndarray | None = None

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        assert self.next is not None
        return self.next[None, :].astype(np.float32)


def structured_vectors(n: int, seed: int = 0, topics: int = 5000, rank: int = 64,
                       spread: float = 1.0, noise: float = 0.6, chunk: int = 100_000):
    """Yield float32 (m, DIM) unit-vector chunks shaped like sentence embeddings.

    Each vector is a topic centre (60 broad subjects, 5000 topics) plus rank-64 variation
    and isotropic noise of comparable size: random pairs have cosine ~0, the 10th nearest
    neighbour of a query ~0.4, like quotes on one story in a large archive.
    """
    rng = np.random.default_rng(seed)
    subjects = rng.normal(size=(60, DIM)).astype(np.float32)
    subjects /= np.linalg.norm(subjects, axis=1, keepdims=True)
    centres = rng.normal(size=(topics, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centres += subjects[rng.integers(0, 60, size=topics)] * 0.8
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    basis = rng.normal(size=(rank, DIM)).astype(np.float32)
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    made = 0
    while made < n:
        m = min(chunk, n - made)
        topic = rng.integers(0, topics, size=m)
        x = (centres[topic]
             + (rng.normal(size=(m, rank)).astype(np.float32) * spread / np.sqrt(rank)) @ basis
             + rng.normal(size=(m, DIM)).astype(np.float32) * noise / np.sqrt(DIM))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        made += m
        yield x


def populate(root: Path, n: int, per_article: int = 10) -> tuple[np.ndarray, float, float]:
    """Write ``n`` quotes with vectors through Store.put_article; return all vectors."""
    from gen_corpus import Generator

    from factcheck.records import Article
    from factcheck.store import ArticleRecord, Store

    gen = Generator(seed=1)
    all_vecs = np.zeros((n, DIM), dtype=np.float32)
    t0 = time.perf_counter()
    with Store.open(root) as store:
        store.lock()
        pos = 0
        art_no = 0
        for chunk in structured_vectors(n):
            with store.transaction():
                store.record_model(FixedEncoder.name, DIM)
                for start in range(0, len(chunk), per_article):
                    vecs = chunk[start:start + per_article]
                    quotes = []
                    offset = 0
                    for _ in range(len(vecs)):
                        text = gen.quote_text()
                        quotes.append({"text": text, "start": offset, "end": offset + len(text),
                                       "context": text})
                        offset += len(text) + 2
                    body = "\n\n".join(q["text"] for q in quotes)
                    art = Article(id=f"a{art_no:07d}", text=body, title=f"Article {art_no}",
                                  source="Bench Wire", published=f"{2010 + art_no % 15}-01-01",
                                  content_hash=str(art_no))
                    store.put_article(ArticleRecord(article=art, quotes=quotes,
                                                    quote_vectors=vecs),
                                      [None] * len(vecs), [])
                    art_no += 1
            all_vecs[pos:pos + len(chunk)] = chunk
            pos += len(chunk)
        write_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        store.rebuild_indexes()
        build_s = time.perf_counter() - t1
    return all_vecs, write_s, build_s


def run_size(n: int, queries: int, workdir: Path) -> dict[str, float]:
    from gen_corpus import Generator

    from factcheck.search import search_quotes
    from factcheck.store import Store

    root = workdir / f"store-{n}"
    saved = workdir / f"store-{n}.json"
    if root.exists() and saved.exists() and (workdir / f"store-{n}.npy").exists():
        # --keep from an earlier run: the same deterministic rows; its build times stand.
        meta = json.loads(saved.read_text())
        write_s, build_s = meta["write_s"], meta["build_s"]
        vecs = np.load(workdir / f"store-{n}.npy")
    else:
        if root.exists():
            shutil.rmtree(root)
        vecs, write_s, build_s = populate(root, n)
        np.save(workdir / f"store-{n}.npy", vecs)
        saved.write_text(json.dumps({"write_s": write_s, "build_s": build_s}))
    rng = np.random.default_rng(42)
    picks = rng.choice(n, size=queries, replace=False)
    # A query is a paraphrase of a stored quote: its vector plus noise (cosine ~0.9).
    q = vecs[picks] + rng.normal(size=(queries, DIM)).astype(np.float32) * 0.5 / np.sqrt(DIM)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    texts = [Generator(seed=7).quote_text() for _ in range(queries)]

    t0 = time.perf_counter()
    store = Store.open(root, readonly=True)
    index = store.index("quotes")
    open_s = time.perf_counter() - t0
    # Exact top-10 by brute force, in blocks (1M x 384 floats).
    truth_s = np.full((queries, 10), -np.inf, dtype=np.float32)
    truth_i = np.zeros((queries, 10), dtype=np.int64)
    ids_all = store.vector_ids("quotes")
    for b in range(0, n, 200_000):
        sims = q @ vecs[b:b + 200_000].T
        top = np.argpartition(-sims, 10, axis=1)[:, :10]
        cand_s = np.concatenate([truth_s, np.take_along_axis(sims, top, axis=1)], axis=1)
        cand_i = np.concatenate([truth_i, top + b], axis=1)
        best = np.argsort(-cand_s, axis=1)[:, :10]
        truth_s = np.take_along_axis(cand_s, best, axis=1)
        truth_i = np.take_along_axis(cand_i, best, axis=1)
    truth_ids = ids_all[truth_i]  # rows were written in vector order, ids ascending

    if getattr(index, "exact", None) is None and index.kind != "flat":
        index.exact = lambda ids: store.quote_vectors(ids.tolist())
    hits = 0
    for i in range(queries):
        _, got = index.search(q[i:i + 1], 10)
        hits += len(set(got[0].tolist()) & set(truth_ids[i].tolist()))
    recall = hits / (10 * queries)

    enc = FixedEncoder()
    for i in range(min(20, queries)):  # warm-up: page cache, FAISS and SQLite statements
        enc.next = q[i]
        search_quotes(store, enc, texts[i], k=10)
    lat_ms, idx_ms = [], []
    for i in range(queries):
        enc.next = q[i]
        t = time.perf_counter()
        search_quotes(store, enc, texts[i], k=10)
        lat_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.search(q[i:i + 1], 10)
        idx_ms.append((time.perf_counter() - t) * 1000)
    store.close()
    return {
        "n": n, "kind": index.kind, "nlist": index.nlist, "nprobe": index.nprobe,
        "write_s": write_s, "build_s": build_s, "open_s": open_s, "recall": recall,
        "p50": benchlib.percentile(lat_ms, 50), "p99": benchlib.percentile(lat_ms, 99),
        "idx_p50": benchlib.percentile(idx_ms, 50), "idx_p99": benchlib.percentile(idx_ms, 99),
        "rss": benchlib.peak_rss_mib(),
        "db_mb": sum(p.stat().st_size for p in root.iterdir()) / 2**20,
    }


def model_encode_ms(reps: int = 30) -> tuple[float, float]:
    from factcheck.embeddings import get_encoder

    enc = get_encoder()
    t = time.perf_counter()
    enc.encode(["warm up"])
    load = time.perf_counter() - t
    times = []
    for i in range(reps):
        t = time.perf_counter()
        enc.encode([f"the ceasefire is not on the table, minister {i} said"])
        times.append((time.perf_counter() - t) * 1000)
    return load, benchlib.percentile(times, 50)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", "--size", type=int, nargs="+", default=[10_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--workdir", default=None, help="Where stores are built (default: temp).")
    ap.add_argument("--model-encode", action="store_true",
                    help="Also time the real model's query encoding.")
    ap.add_argument("--no-write", action="store_true", help="Do not update RESULTS.md.")
    ap.add_argument("--keep", action="store_true",
                    help="Keep the stores in --workdir and reuse them on the next run.")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="fc-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.one is not None:  # child run: one size, peak memory of its own
        print("RESULT " + json.dumps(run_size(args.one, args.queries, work)))
        return 0
    info = benchlib.machine("numpy", "faiss")
    rows = []
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--queries", str(args.queries),
             "--workdir", str(work)], check=True, capture_output=True, text=True)
        r = json.loads(proc.stdout.split("RESULT ", 1)[1])
        rows.append(r)
        print(f"{n:>9} {r['kind']:8} recall@10 {r['recall']:.3f}  search_quotes p50 "
              f"{r['p50']:.1f} ms p99 {r['p99']:.1f} ms  index p50 {r['idx_p50']:.2f} ms  "
              f"write {r['write_s']:.0f}s build {r['build_s']:.0f}s open {r['open_s']:.1f}s "
              f"rss {r['rss']:.0f} MiB", flush=True)
        if not args.keep:
            shutil.rmtree(work / f"store-{n}", ignore_errors=True)
            for suffix in (".json", ".npy"):
                (work / f"store-{n}{suffix}").unlink(missing_ok=True)
    enc_line = ""
    if args.model_encode:
        load, p50 = model_encode_ms()
        enc_line = (f"\nReal model (all-MiniLM-L6-v2) query encoding: load {load:.2f} s once, "
                    f"then p50 {p50:.1f} ms per query (add to the search_quotes figures for "
                    "a `factcheck search` with a loaded model).\n")
    if args.no_write:
        return 0
    lines = [
        "## Search latency and recall",
        "",
        f"Machine: {info}.",
        f"Command: `python bench/bench_search.py --sizes {' '.join(map(str, args.sizes))} "
        f"--queries {args.queries}{' --model-encode' if args.model_encode else ''}`.",
        "",
        "Synthetic structured vectors (dim 384, L2-normalised: 5000 topic centres under 60 "
        "subjects, rank-64 within-topic variation and isotropic noise; random pairs cosine "
        "≈ 0, a query's 10th neighbour ≈ 0.4), generated quote texts, the real store, index "
        "and `search_quotes`; queries are noisy copies of stored vectors (cosine ≈ 0.9). "
        "Latency is warm, one query at a time, without query encoding (see the model line "
        "below).",
        "",
        "| quotes | index | nlist/nprobe | recall@10 | search_quotes p50 | p99 | "
        "FaissIndex.search p50 | p99 | write | index build | open+load | store size | "
        "peak RSS |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['kind']} | {r['nlist']}/{r['nprobe'] if r['nlist'] else '-'} "
            f"| {r['recall']:.3f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | "
            f"{r['idx_p50']:.2f} ms | {r['idx_p99']:.2f} ms | {r['write_s']:.0f} s | "
            f"{r['build_s']:.0f} s | {r['open_s']:.2f} s | {r['db_mb']:.0f} MiB | "
            f"{r['rss']:.0f} MiB |")
    lines.append(enc_line)
    benchlib.write_section("search", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
