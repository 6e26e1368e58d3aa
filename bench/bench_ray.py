"""Ingest on Ray vs the local engine vs the floor, in one run on the same corpus.

Configurations, each in its own process: the local engine (``--processes 2``, the default on
2 cores), ``--engine ray`` with 1 and 2 analysis actors on a local Ray (``--workers N``), and
the floor — spaCy ``nlp.pipe`` over every text plus one ``encode`` of the texts the pipeline
embedded, in one process, models loaded beforehand (as in ``bench_ingest.py``).

The corpus: the first 60 PolNeAR dev articles read from ../shared/eval/polnear (never copied
here), written as one text file each; without them, articles from ``gen_corpus.py``.

    python bench/bench_ray.py                 # real MiniLM; --model hash for the fake encoder
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

POLNEAR = benchlib.ROOT.parent / "shared" / "eval" / "polnear" / "dev.jsonl"


def write_corpus(dest: Path, n: int) -> str:
    dest.mkdir(parents=True)
    if POLNEAR.is_file():
        recs = [json.loads(x) for x in POLNEAR.open(encoding="utf-8")][:n]
        texts = [r["text"] for r in recs]
        what = f"the first {len(texts)} PolNeAR dev articles (../shared/eval/polnear)"
    else:
        from gen_corpus import Generator

        texts = [a["text"] for a in Generator(seed=3).articles(n * 6)][:n]
        what = f"{len(texts)} generated articles (bench/gen_corpus.py; PolNeAR absent)"
    for i, text in enumerate(texts):
        (dest / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
    return what


def run_one(kind: str, corpus: Path, root: Path, model: str | None) -> dict:
    from factcheck.embeddings import get_encoder
    from factcheck.ingest import ingest
    from factcheck.nlp import load_spacy
    from factcheck.store import Store

    enc = get_encoder(model)
    stamps: list[float] = []

    def on_article(item: object) -> None:
        stamps.append(time.perf_counter())

    if root.exists():
        shutil.rmtree(root)
    if kind == "local":
        enc.encode(["warm up"])  # model loads are not ingest work (as in bench_ingest)
        load_spacy()
        with Store.open(root) as store:
            t = time.perf_counter()
            s = ingest([str(corpus)], store, enc, batch_size=32, n_process=2,
                       on_article=on_article)
            wall = time.perf_counter() - t
        start = 0.0
    else:
        import ray

        from factcheck.rayingest import _start_ray, ingest_ray

        workers = int(kind.split("-")[1])
        t = time.perf_counter()
        _start_ray(ray, None, workers)
        start = time.perf_counter() - t
        with Store.open(root) as store:
            t = time.perf_counter()
            s = ingest_ray([str(corpus)], store, enc, batch_size=32, workers=workers,
                           on_article=on_article)
            wall = time.perf_counter() - t
        ray.shutdown()
    # Steady state: from the first written batch to the end (after actor start-up).
    first = next((i for i, x in enumerate(stamps) if x > stamps[0]), 0) if stamps else 0
    steady = ((len(stamps) - first) / (stamps[-1] - stamps[first])
              if stamps and stamps[-1] > stamps[first] else 0.0)
    return {"wall": wall, "ray_start": start, "articles": s.added, "quotes": s.quotes,
            "claims": s.claims, "errors": len(s.errors), "timings": s.timings,
            "first_write": stamps[0] - t if stamps else 0.0, "steady": steady,
            "rss": benchlib.peak_rss_mib()}


def run_floor(corpus: Path, root: Path, model: str | None) -> dict:
    from bench_ingest import floor  # the same floor as bench_ingest's, on this corpus

    from factcheck.embeddings import get_encoder

    enc = get_encoder(model)
    enc.encode(["warm up"])
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())]
    return floor(texts, root, enc)


def spawn(kind: str, corpus: Path, root: Path, model: str | None) -> dict:
    cmd = [sys.executable, __file__, "--one", kind, "--corpus", str(corpus), "--store",
           str(root)] + (["--model", model] if model else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or "RESULT " not in proc.stdout:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.split("RESULT ", 1)[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--model", default=None, help="Embedding model (default: bundled MiniLM).")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--store", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        corpus, root = Path(args.corpus), Path(args.store)
        out = run_floor(corpus, root, args.model) if args.one == "floor" else \
            run_one(args.one, corpus, root, args.model)
        print("RESULT " + json.dumps(out))
        return 0
    try:
        import ray  # noqa: F401
    except ImportError:
        print("skipped: Ray is not installed (pip install 'factcheck[ray]')")
        return 0
    work = Path(tempfile.mkdtemp(prefix="fc-bench-ray-"))
    corpus = work / "corpus"
    what = write_corpus(corpus, args.articles)
    info = benchlib.machine("numpy", "torch", "spacy", "ray")
    print(info, flush=True)
    runs: dict[str, dict] = {}
    loads: dict[str, float] = {}
    for kind in ("local", "ray-1", "ray-2"):
        loads[kind] = os.getloadavg()[0]
        runs[kind] = r = spawn(kind, corpus, work / f"store-{kind}", args.model)
        print(f"{kind}: {r['wall']:.1f}s (+ Ray start {r['ray_start']:.1f}s), "
              f"{r['articles'] / r['wall']:.2f} articles/s, steady {r['steady']:.2f}/s, "
              f"first write after {r['first_write']:.1f}s, load {loads[kind]:.1f} "
              f"{ {k: round(v, 1) for k, v in r['timings'].items()} }", flush=True)
    loads["floor"] = os.getloadavg()[0]
    floor = spawn("floor", corpus, work / "store-local", args.model)
    base = floor["parse"] + floor["embed"]
    print(f"floor: parse {floor['parse']:.1f}s + embed {floor['embed']:.1f}s = {base:.1f}s, "
          f"{runs['local']['articles'] / base:.2f} articles/s, load {loads['floor']:.1f}")
    same = len({(r["articles"], r["quotes"], r["claims"]) for r in runs.values()}) == 1
    shutil.rmtree(work, ignore_errors=True)
    if args.no_write:
        return 0
    n = runs["local"]["articles"]
    lines = [
        "# Ingest on Ray (`factcheck ingest --engine ray`)",
        "",
        f"Machine: {info}. **The machine is shared with six other developers' tests and "
        "benchmarks**: the load average (1 min) before each configuration is in the table; "
        "figures from a loaded machine are slower than the same code on an idle one, and "
        "the configurations did not all see the same load.",
        "",
        f"Command: `python bench/bench_ray.py{' --model ' + args.model if args.model else ''}`"
        f" — {what}, one .txt file each; {n} articles, {runs['local']['quotes']} quotes, "
        f"{runs['local']['claims']} claims; embedding model "
        f"{args.model or 'all-MiniLM-L6-v2 (bundled)'}. Same counts in every configuration: "
        f"{'yes' if same else 'NO'}.",
        "",
        "| configuration | load avg | wall | articles/s | steady articles/s | first write | "
        "Ray start | ratio to floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"local": "local engine (`--processes 2`, models preloaded)",
             "ray-1": "Ray, 1 analysis actor (`--engine ray --workers 1`)",
             "ray-2": "Ray, 2 analysis actors (`--engine ray --workers 2`)"}
    for kind, r in runs.items():
        lines.append(
            f"| {names[kind]} | {loads[kind]:.1f} | {r['wall']:.1f} s | "
            f"{r['articles'] / r['wall']:.2f} | {r['steady']:.2f} | {r['first_write']:.1f} s | "
            f"{r['ray_start']:.1f} s | {r['wall'] / base:.2f}× |")
    lines.append(f"| floor (parse + embed, one process) | {loads['floor']:.1f} | {base:.1f} s | "
                 f"{n / base:.2f} | | | | 1.00× |")
    lines += [
        "",
        f"Floor: spaCy `nlp.pipe` {floor['parse']:.1f} s + encoding the {floor['unique']} "
        f"distinct embedded texts {floor['embed']:.1f} s. *wall* is the `ingest` call "
        "(for Ray: without `ray.init`, which is the *Ray start* column, but with the actors' "
        "start-up and model loads, which Ray Data does per run); *steady* counts articles "
        "from the first written batch to the end; *first write* is when the first batch "
        "was committed.",
        "",
        "Where the time went (seconds of work in whichever process did it; `wait` is the "
        "driver idle):",
        "",
        "| configuration | " + " | ".join(KEYS) + " |",
        "|---|" + "---:|" * len(KEYS),
    ]
    for kind, r in runs.items():
        lines.append(f"| {kind} | " + " | ".join(f"{r['timings'].get(k, 0.0):.1f}"
                                                 for k in KEYS) + " |")
    out = benchlib.ROOT / "bench" / "RESULTS_ray.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


KEYS = ("read", "parse", "attribute", "claims", "embed", "wait", "store", "index")

if __name__ == "__main__":
    raise SystemExit(main())
