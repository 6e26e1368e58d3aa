"""Incremental cross-check: time to judge 1k new claims against stores of growing size.

Embedding a million real texts is out of reach on this machine, so the stores hold
*synthetic* claims written through the real store interface (``put_article`` + the claim
vector index): short news-like sentences from templates (figures, denials, states, stances)
over a large vocabulary of places, bodies and topics, each with its analysis (entities,
figures) and a *structured* vector — its topic's centroid plus noise, so nearest neighbours
share a topic as real embeddings do. The judges, frames, keys, FAISS index and SQLite are
the real ones.

Per size: write N claims, judge them all once (``report --rebuild``: timed for sizes up to
``--rebuild-max``; above it the claims are inserted as rows in bulk and marked judged with
their keys, which is what a rebuild writes, without judging them), then store 1k new claims and time
``incremental.update`` (what ``report`` / ``report --new`` run). Usage::

    python bench/bench_incremental.py --sizes 10000 100000 1000000 --out results.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIM = 64
PER_ARTICLE = 20
TOPICS = 5000  # distinct stories; a store of N claims has N/TOPICS claims per story

WORDS = ("harbour bridge reservoir pipeline refinery clinic school convoy airport railway "
         "border crossing dam mine factory port market council tribunal ministry agency "
         "union league party coalition army police navy court bank fund").split()
PLACES = [f"{a}{b}" for a in ("Nor", "Val", "Kest", "Mar", "Ost", "Bel", "Tor", "Lind", "Sar",
                              "Dun") for b in ("mark", "ford", "vik", "holm", "grad", "stad",
                                               "burg", "dale", "mouth", "wick")]
MEASURES = [("people", "killed"), ("people", "injured"), ("people", "evacuated"),
            ("workers", "laid off"), ("tonnes", "delivered")]


def topic_of(i: int, rng: random.Random) -> dict[str, str]:
    r = random.Random(i)
    return {"place": r.choice(PLACES) + str(i % 997), "thing": r.choice(WORDS),
            "body": r.choice(WORDS).title() + " " + r.choice(("Authority", "Council", "Group")),
            "noun": r.choice(MEASURES)[0], "verb": r.choice(MEASURES)[1]}


def claim_text(t: dict[str, str], rng: random.Random) -> tuple[str, dict]:  # type: ignore[type-arg]
    kind = rng.randrange(5)
    n = rng.choice((12, 40, 75, 120, 300, 1200))
    place, thing = t["place"], t["thing"]
    ent = place.lower()
    if kind == 0:
        text = f"{n} {t['noun']} were {t['verb']} near the {thing} in {place} on Monday"
        data = {"entities": [ent], "numbers": [{"key": f"{t['verb']}|{ent}", "value": n}]}
    elif kind == 1:
        text = f"The {t['body']} denied that the {thing} in {place} had been closed"
        data = {"entities": [ent], "denial": {"target_start": None}}
    elif kind == 2:
        text = f"The {thing} in {place} was closed to all traffic after the incident"
        data = {"entities": [ent]}
    elif kind == 3:
        text = f"The {thing} in {place} reopened to traffic on Thursday"
        data = {"entities": [ent]}
    else:
        text = f"The plan for the {thing} in {place} is reckless and should be cut by half"
        data = {"entities": [ent]}
    return text, data


def write_claims(store, n: int, start_topic: int, seed: int, centroids: np.ndarray,  # type: ignore[no-untyped-def]
                 prefix: str) -> int:
    from factcheck.records import Article, Claim
    from factcheck.store.sqlite import ArticleRecord

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    written = 0
    a = 0
    with store.transaction():
        while written < n:
            topic = (start_topic + a) % TOPICS
            t = topic_of(topic, rng)
            parts, claims, vecs = [], [], []
            pos = 0
            day = 1 + a % 28
            for _ in range(min(PER_ARTICLE, n - written)):
                text, data = claim_text(t, rng)
                sentence = f"{text}, officials said. "
                claims.append(Claim(text=text, start=pos, end=pos + len(text),
                                    article_id=f"{prefix}{a}", speaker=None,
                                    claim_time=f"2025-{1 + a % 12:02d}-{day:02d}", data=data))
                parts.append(sentence)
                pos += len(sentence)
                v = centroids[topic] + 0.35 * nrng.standard_normal(DIM).astype(np.float32)
                vecs.append(v / np.linalg.norm(v))
            body = "".join(parts)
            art = Article(id=f"{prefix}{a}", text=body, title=f"{t['thing']} in {t['place']}",
                          source="Synthetic Wire", published=f"2025-{1 + a % 12:02d}-{day:02d}",
                          content_hash=f"h{prefix}{a}")
            mat = np.asarray(vecs, np.float32)
            rec = ArticleRecord(article=art, claims=claims, claim_vectors=mat)
            _, cids = store.put_article(rec, [], [None] * len(claims))
            store.add_vectors("claims", cids, mat)
            written += len(claims)
            a += 1
    store.save_indexes()
    return written


def bulk_claims(store, n: int, centroids: np.ndarray, seed: int = 1) -> None:  # type: ignore[no-untyped-def]
    """The same synthetic articles as ``write_claims``, inserted as rows in bulk (the
    store's copy interface, ``insert_rows``) and indexed once: ``put_article`` per article
    is too slow for a million claims on a shared machine. The insert trigger queues them."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    acols = ["id", "title", "source", "published", "text", "content_hash", "excluded",
             "ingested_at"]
    ccols = ["id", "article_id", "text", "start", "end", "claim_time", "data", "vector"]
    cid = 0
    a = 0
    while cid < n:
        arts, rows = [], []
        for _ in range(500):
            if cid >= n:
                break
            t = topic_of(a % TOPICS, rng)
            day = 1 + a % 28
            when = f"2025-{1 + a % 12:02d}-{day:02d}"
            parts, pos = [], 0
            for _ in range(min(PER_ARTICLE, n - cid)):
                text, data = claim_text(t, rng)
                v = centroids[a % TOPICS] + 0.35 * nrng.standard_normal(DIM).astype(np.float32)
                v = (v / np.linalg.norm(v)).astype(np.float32)
                cid += 1
                rows.append({"id": cid, "article_id": f"a{a}", "text": text, "start": pos,
                             "end": pos + len(text), "claim_time": when,
                             "data": json.dumps(data), "vector": v})
                sentence = f"{text}, officials said. "
                parts.append(sentence)
                pos += len(sentence)
            arts.append({"id": f"a{a}", "title": f"{t['thing']} in {t['place']}",
                         "source": "Synthetic Wire", "published": when, "text": "".join(parts),
                         "content_hash": f"ha{a}", "excluded": "[]",
                         "ingested_at": "2026-01-01T00:00:00"})
            a += 1
        with store.transaction():
            store.insert_rows("articles", acols, arts)
            store.insert_rows("claims", ccols, rows)
    store.rebuild_indexes()


def mark_judged(store) -> float:  # type: ignore[no-untyped-def]
    """What a rebuild writes besides conflicts: every claim's keys, the queue emptied."""
    from factcheck.crosscheck import _with_speaker
    from factcheck.incremental import _articles, _frames, _now, _t, claim_terms

    t0 = time.perf_counter()
    ids = store.queued_claims()
    cache: dict[str, set[str]] = {}  # the templates repeat: keys by text, article put back
    for i in range(0, len(ids), 20000):
        chunk = store.get_claims(ids[i:i + 20000])
        frames = _frames(chunk, {})
        terms = []
        for c in map(_with_speaker, chunk):
            got = cache.get(c.text)
            if got is None:
                frames.articles = _articles(store, [c.article_id])
                got = {x.replace(f":{c.article_id}", ":{A}") for x in claim_terms(c, frames)}
                cache[c.text] = got
            terms += [(x.replace(":{A}", f":{c.article_id}"), _t(c), int(c.id or 0))
                      for x in got]
        with store.transaction():
            store.record_judged([int(c.id or 0) for c in chunk], terms, _now())
    return time.perf_counter() - t0


def run_size(n: int, rebuild_max: int, new: int, workdir: Path) -> dict:  # type: ignore[type-arg]
    from factcheck import incremental
    from factcheck.store import Store

    centroids = np.random.default_rng(7).standard_normal((TOPICS, DIM)).astype(np.float32)
    root = workdir / f"store{n}"
    store = Store.open(root)
    store.lock()
    with store.transaction():
        store.set_model("synthetic-structured", DIM)
    t0 = time.perf_counter()
    if n <= rebuild_max:
        write_claims(store, n, 0, 1, centroids, "a")
    else:
        bulk_claims(store, n, centroids)
    out: dict = {"claims": n, "write_s": round(time.perf_counter() - t0, 1)}  # type: ignore[type-arg]
    if n <= rebuild_max:
        up = incremental.rebuild(store)
        out["rebuild_s"] = round(up.seconds, 1)
        out["conflicts"] = len(incremental.stored(store))
    else:
        with store.transaction():
            store.set_meta(incremental.BASIS_KEY, incremental.basis(store))
        out["mark_judged_s"] = round(mark_judged(store), 1)
    # 1k new claims, on topics the store already holds (so they meet stored claims).
    write_claims(store, new, 17, 99, centroids, "n")
    up = incremental.update(store)
    out.update(new_claims=up.judged, update_s=round(up.seconds, 2), region=up.region,
               added=len(up.added), removed=len(up.removed), rebuilt=up.rebuilt)
    out["db_mb"] = round(sum(p.stat().st_size for p in root.iterdir()) / 1e6, 1)
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--rebuild-max", type=int, default=100_000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-inc-"))
    results = []
    for n in args.sizes:
        r = run_size(n, args.rebuild_max, args.new, workdir)
        r["load_after"] = round(os.getloadavg()[0], 1)
        print(json.dumps(r), flush=True)
        results.append(r)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
