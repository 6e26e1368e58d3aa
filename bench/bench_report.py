"""How `factcheck report` scales: report time at 1k / 5k / 20k claims, and the fitted exponent.

The claims are made here by recombining the seeds' own claims (extracted once with the real
spaCy model): copy g of the seeds gets its entity keys renamed per pair of copies (so each
topic has a bounded number of claims, as in a real corpus), its figures scaled and its
dates moved by whole years. Countries and quantities ("the death toll of the conflict") are
left alone, so their blocking buckets grow with the corpus and exercise the time windows.
Vectors come from the hash encoder (no model), the claims go through a real Store, and the
report is `build_report(store)` on a freshly opened store, as the CLI runs it.

    python bench/bench_report.py [--sizes 1000,5000,20000] [--out bench/RESULTS_report.md]

Prints a table and the exponent b of time ~ n^b (1.0 is linear); writes them to --out.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from factcheck.records import Article, Claim  # noqa: E402


def seed_claims() -> tuple[list[Claim], dict[str, Article]]:
    from factcheck.attribution import attribute
    from factcheck.claims import extract_claims
    from factcheck.corpus import read_inputs
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    articles = {a.id: a for a in read_inputs([str(ROOT / "seeds")]) if isinstance(a, Article)}
    claims: list[Claim] = []
    for art in articles.values():
        doc = nlp(art.text)
        claims += extract_claims(art, attribute(art, doc), doc)
    return claims, articles


def _shift_year(iso: str | None, years: int) -> str | None:
    if not iso or not re.match(r"\d{4}", iso):
        return iso
    return f"{int(iso[:4]) + years:04d}{iso[4:]}"


def synthesize(n: int, base: list[Claim], articles: dict[str, Article]
               ) -> dict[str, tuple[Article, list[Claim]]]:
    """``n`` claims: copies of the seed claims with renamed entities, figures and dates."""
    from factcheck.lexicons import COUNTRY_NAMES

    out: dict[str, tuple[Article, list[Claim]]] = {}
    for i in range(n):
        g, c = divmod(i, len(base))
        c = base[c]
        tag = f"x{g // 2}"  # two copies share a topic: cross-article updates and series
        data = dict(c.data)
        rename = {e: (e if e in COUNTRY_NAMES else e + tag) for e in data.get("entities", [])}
        data["entities"] = sorted(rename.values())
        data["labels"] = {rename.get(k, k): f"{v} {tag}" for k, v in data.get("labels", {}).items()}
        data["events"] = [{**e, "agent": rename.get(e.get("agent"), e.get("agent"))}
                          for e in data.get("events", [])]
        factor = 1 + 0.15 * (g % 7)
        data["numbers"] = [{**m, "value": m["value"] * factor,
                            "low": m["low"] * factor,
                            "high": m["high"] * factor if m["high"] != float("inf")
                            else float("inf")} for m in data.get("numbers", [])]
        years = g % 5
        aid = f"syn{g:05d}_{c.article_id}"
        if aid not in out:
            src = articles[c.article_id]
            out[aid] = (replace(src, id=aid, published=_shift_year(src.published, years),
                                content_hash=f"{src.content_hash}:{aid}"), [])
        out[aid][1].append(replace(c, article_id=aid, data=data, id=None,
                                   claim_time=_shift_year(c.claim_time, years),
                                   text=c.text))
    return out


def build_store(root: Path, corpus: dict[str, tuple[Article, list[Claim]]]) -> int:
    from factcheck.embeddings import HashEncoder
    from factcheck.store import ArticleRecord, Store

    enc = HashEncoder(384)
    total = 0
    with Store.open(root) as store:
        with store.transaction():
            store.record_model(enc.name, enc.dim)
            for aid, (art, claims) in corpus.items():
                # The copy tag in the text keeps copies apart in vector space too.
                vecs = enc.encode([f"{c.text} {aid[:8]}" for c in claims])
                rec = ArticleRecord(article=art, claims=claims, claim_vectors=vecs)
                _, cids = store.put_article(rec, [], [None] * len(claims))
                store.add_vectors("claims", cids, vecs)
                total += len(claims)
        store.save_indexes()
    return total


def run_one(n: int, base: list[Claim], articles: dict[str, Article], workdir: Path
            ) -> dict[str, float]:
    from factcheck.crosscheck import build_report
    from factcheck.store import Store

    root = workdir / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    count = build_store(root, synthesize(n, base, articles))
    pairs: list[int] = []

    class _Pairs(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "candidate pairs" in record.getMessage():
                pairs.append(int(record.args[1]))  # type: ignore[index]

    log = logging.getLogger("factcheck.crosscheck")
    handler = _Pairs()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        knn: list[float] = []
        t = time.perf_counter()
        with Store.open(root, create=False, readonly=True) as store:
            index = store.index("claims")
            real = index.search

            def timed(q, k):  # type: ignore[no-untyped-def]
                t0 = time.perf_counter()
                try:
                    return real(q, k)
                finally:
                    knn.append(time.perf_counter() - t0)

            index.search = timed
            conflicts = build_report(store)
        secs = time.perf_counter() - t
    finally:
        log.removeHandler(handler)
    return {"n": count, "seconds": secs, "knn": sum(knn), "searches": len(knn),
            "pairs": pairs[-1] if pairs else -1, "conflicts": len(conflicts)}


def fit_exponent(rows: list[dict[str, float]], field: str = "seconds") -> float:
    xs = [math.log(r["n"]) for r in rows]
    ys = [math.log(max(r[field], 1e-6)) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def render(rows: list[dict[str, float]], exponent: float, n_seed: int) -> str:
    try:  # the shared machine line, when the benchmark helpers are there
        from benchlib import machine  # type: ignore[import-not-found]

        where = machine("numpy", "faiss")
    except Exception:  # noqa: BLE001 - only a description
        where = f"{platform.machine()}, {os.cpu_count()} cores, Python " \
                f"{platform.python_version()}"
    lines = [
        "# `factcheck report` scaling",
        "",
        f"Machine: {where}.",
        "",
        f"Claims: {n_seed} seed claims recombined (renamed "
        "entities, scaled figures, shifted years), hash-encoder vectors, real Store; time is "
        "`build_report(store)` on a freshly opened store (load claims, vectors and the claim "
        "index, one batched kNN search, blocking, judging, merging).",
        "",
        "| claims | report s | kNN search s (calls) | rest s | candidate pairs | pairs / claim "
        "| conflicts |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {int(r['n']):,} | {r['seconds']:.2f} | {r['knn']:.2f} "
                     f"({int(r['searches'])}) | {r['seconds'] - r['knn']:.2f} | "
                     f"{int(r['pairs']):,} | {r['pairs'] / r['n']:.1f} | "
                     f"{int(r['conflicts']):,} |")
    for r in rows:
        r["rest"] = max(r["seconds"] - r["knn"], 1e-6)
    rest_b = fit_exponent(rows, "rest") if len(rows) > 1 else float("nan")
    knn_b = fit_exponent(rows, "knn") if len(rows) > 1 else float("nan")
    lines += ["", f"Fitted exponent (time ~ n^b): **b = {exponent:.2f}** overall; "
              f"{rest_b:.2f} for everything but the kNN search (blocking, judging, merging, "
              f"loading), {knn_b:.2f} for the kNN search itself.", "",
              "The kNN search is one batched call on the store's claim index. Below the "
              "store's IVF threshold (50,000 vectors) that index is flat, so all-claims kNN is "
              "O(n²·d) in FAISS's BLAS kernel; above it the IVF index makes it sub-quadratic. "
              "Candidate pairs per claim stay constant (blocking buckets capped, oversized "
              "ones paired within a time window), so judging is linear.", "",
              "Produced by `python bench/bench_report.py`; timings are wall-clock on a shared "
              "machine (other jobs running), so treat single figures as ±30%.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS_report.md"))
    ap.add_argument("--workdir", default=None, help="where the stores go (default: a temp dir)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    base, articles = seed_claims()
    tmp = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench_report_"))
    rows = []
    try:
        for n in sizes:
            row = run_one(n, base, articles, tmp)
            rows.append(row)
            print(f"{int(row['n']):>7,} claims  {row['seconds']:7.2f} s  (kNN {row['knn']:.2f} s)  "
                  f"{int(row['pairs']):>9,} pairs  {int(row['conflicts']):>6,} conflicts",
                  flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)
    exponent = fit_exponent(rows) if len(rows) > 1 else float("nan")
    print(f"fitted exponent b = {exponent:.2f}  (time ~ n^b; kNN search "
          f"{sum(r['knn'] for r in rows):.1f} s of {sum(r['seconds'] for r in rows):.1f} s)")
    text = render(rows, exponent, len(base))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
