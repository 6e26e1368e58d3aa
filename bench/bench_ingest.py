"""Ingest throughput, where the time goes, and our total as a ratio to the floor.

The floor is what spaCy parsing plus embedding alone take on the same input: ``nlp.pipe``
over every article text, then one ``encode`` of the texts the pipeline embedded (read back
from the store), models loaded beforehand as for the pipeline. Each configuration runs in
its own process (peak memory is per run).

    python bench/bench_ingest.py --quotes 300 --processes 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

POLNEAR_DEV = benchlib.ROOT.parent / "shared" / "eval" / "polnear" / "dev.jsonl"


def run_ingest(corpus: Path, root: Path, n_process: int, model: str | None,
               backend: str | None) -> dict:
    from factcheck.embeddings import get_encoder
    from factcheck.ingest import ingest
    from factcheck.nlp import load_spacy
    from factcheck.store import Store

    enc = get_encoder(model, backend)
    enc.encode(["warm up"])  # model loads are not ingest work: timed by bench_cli
    load_spacy()
    if root.exists():
        shutil.rmtree(root)
    with Store.open(root) as store:
        t = time.perf_counter()
        s = ingest([str(corpus)], store, enc, batch_size=32, n_process=n_process)
        wall = time.perf_counter() - t
    return {"wall": wall, "articles": s.added, "quotes": s.quotes, "claims": s.claims,
            "timings": s.timings, "rss": benchlib.peak_rss_mib(), "cpu": _cpu_seconds(),
            "rss_children": benchlib.peak_rss_children_mib(), "errors": len(s.errors)}


def run_floor(corpus: Path, root: Path, model: str | None, backend: str | None) -> dict:
    from factcheck.embeddings import get_encoder

    enc = get_encoder(model, backend)
    enc.encode(["warm up"])
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    return floor(texts, root, enc)


def floor(texts: list[str], root: Path, enc) -> dict:  # type: ignore[no-untyped-def]
    """The floor of an ingest of ``texts`` into ``root``: spaCy over every text, and the
    encoder over the distinct texts the ingest embedded, at its best torch thread count."""
    from factcheck.ingest import embedding_text
    from factcheck.nlp import load_spacy
    from factcheck.records import Quote
    from factcheck.store import Store

    nlp = load_spacy()
    with Store.open(root, readonly=True) as store:
        q = store.conn.execute("SELECT text, context FROM quotes ORDER BY id").fetchall()
        c = store.conn.execute("SELECT text FROM claims ORDER BY id").fetchall()
    emb = [embedding_text(Quote(text=r[0], start=0, end=0, speaker=None, context=r[1]))
           for r in q] + [r[0] for r in c]
    unique = list(dict.fromkeys(emb))
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    parse = time.perf_counter() - t
    # The floor gets its best thread setting: on this shared 2-vCPU machine one torch
    # thread is often faster than two (OpenMP contention), so both are timed.
    embeds = {}
    for threads in _thread_settings(enc):
        t = time.perf_counter()
        enc.encode(unique)
        embeds[threads] = time.perf_counter() - t
    best = min(embeds, key=lambda k: embeds[k])
    return {"parse": parse, "embed": embeds[best], "embed_threads": best, "cpu": _cpu_seconds(),
            "embed_all": embeds, "texts": len(emb), "unique": len(unique),
            "rss": benchlib.peak_rss_mib()}


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _thread_settings(enc):  # type: ignore[no-untyped-def]
    """Yield torch thread counts to time (just "default" for non-torch encoders)."""
    from factcheck.embeddings import SentenceTransformerEncoder

    if not isinstance(enc, SentenceTransformerEncoder):
        yield "default"
        return
    import torch

    default = torch.get_num_threads()
    for n in sorted({1, default}):
        torch.set_num_threads(n)
        yield str(n)
    torch.set_num_threads(default)


def child(args: argparse.Namespace) -> int:
    if args.code:  # another checkout of the code ("before"), imported instead of this one
        sys.path.insert(0, args.code)
    corpus, root = Path(args.corpus), Path(args.store)
    if args.one == "floor":
        out = run_floor(corpus, root, args.model, args.backend)
    else:
        out = run_ingest(corpus, root, int(args.one), args.model, args.backend)
    print("RESULT " + json.dumps(out))
    return 0


def spawn(kind: str, corpus: Path, root: Path, model: str | None, backend: str,
          code: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--one", kind, "--corpus", str(corpus), "--store", str(root),
           "--backend", backend]
    if model:
        cmd += ["--model", model]
    if code:
        cmd += ["--code", code]
    load = os.getloadavg()[0]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    out = json.loads(proc.stdout.split("RESULT ", 1)[1])
    out["load"] = load
    return out


def write_corpus(path: Path, polnear: int, quotes: int) -> str:
    """The input: the first ``polnear`` PolNeAR dev articles, or generated ones."""
    with path.open("w", encoding="utf-8") as fh:
        if polnear:
            with POLNEAR_DEV.open(encoding="utf-8") as src:
                for line in list(src)[:polnear]:
                    rec = json.loads(line)
                    fh.write(json.dumps({"id": rec["doc_id"], "text": rec["text"]},
                                        ensure_ascii=False) + "\n")
            return f"the first {polnear} PolNeAR dev articles (../shared/eval/polnear)"
        from gen_corpus import Generator

        for art in Generator(seed=3).articles(quotes):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return "generated articles (bench/gen_corpus.py)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quotes", "--size", type=int, default=300)
    ap.add_argument("--polnear", type=int, default=0,
                    help="Ingest the first N PolNeAR dev articles instead of generated ones.")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=1,
                    help="Repeat each configuration, the floor interleaved with the runs.")
    ap.add_argument("--before", default=None,
                    help="Another checkout of the code, run as 'before' in the same rounds.")
    ap.add_argument("--model", default=None, help="Embedding model (default: the bundled one).")
    ap.add_argument("--backend", default="torch", help="Embedding backend: torch, onnx, ...")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--store", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--code", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        return child(args)
    if args.polnear and not POLNEAR_DEV.exists():
        print(f"skipped: {POLNEAR_DEV} not found", file=sys.stderr)
        return 0
    work = Path(tempfile.mkdtemp(prefix="fc-bench-ingest-"))
    corpus = work / "corpus.jsonl"
    what = write_corpus(corpus, args.polnear, args.quotes)
    info = benchlib.machine("numpy", "torch", "spacy", "sentence_transformers")
    configs: list[tuple[str, int, str | None]] = [(str(n), n, None) for n in args.processes]
    if args.before:
        n = args.processes[0]  # one "before" configuration: the first --processes
        configs = [(f"before, {n}", n, args.before)] + configs
    runs: dict[str, list[dict]] = {label: [] for label, _, _ in configs}
    floors: list[dict] = []
    floor_store = work / "store-floor"
    for rnd in range(args.rounds):
        for label, n, code in configs:
            root = work / "store-run"
            r = spawn(str(n), corpus, root, args.model, args.backend, code)
            if not floor_store.exists() and code is None:
                shutil.copytree(root, floor_store)  # the floor embeds what ingest embedded
            r["round"] = rnd
            runs[label].append(r)
            print(f"round {rnd + 1} [{label}]: {r['wall']:.1f}s, cpu {r['cpu']:.1f}s, load "
                  f"{r['load']:.1f}, {r['articles'] / r['wall']:.2f} articles/s "
                  f"{ {k: round(v, 1) for k, v in r['timings'].items()} }", flush=True)
        f = spawn("floor", corpus, floor_store, args.model, args.backend)
        f["round"] = rnd
        floors.append(f)
        print(f"round {rnd + 1} floor: parse {f['parse']:.1f}s + embed {f['embed']:.1f}s = "
              f"{f['parse'] + f['embed']:.1f}s, load {f['load']:.1f} ({f['unique']} distinct of "
              f"{f['texts']} texts); ratios "
              + ", ".join(f"{label} {runs[label][-1]['wall'] / (f['parse'] + f['embed']):.2f}x"
                          for label, _, _ in configs), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    if args.no_write:
        return 0
    base = {f["round"]: f["parse"] + f["embed"] for f in floors}
    any_run = runs[configs[-1][0]][0]
    cmd = ("python bench/bench_ingest.py "
           + (f"--polnear {args.polnear}" if args.polnear else f"--quotes {args.quotes}")
           + f" --processes {' '.join(map(str, args.processes))} --rounds {args.rounds}"
           + (" --before DIR" if args.before else "") + f" --backend {args.backend}")
    name = "polnear" if args.polnear else args.backend
    lines = [
        f"## Ingest throughput ({what}, {args.backend} embedding backend)",
        "",
        f"Machine: {info}.",
        f"Command: `{cmd}` — {any_run['articles']} articles, {any_run['quotes']} quotes, "
        f"{any_run['claims']} claims, model {args.model or 'all-MiniLM-L6-v2 (bundled)'}; "
        "models loaded before timing." + (" `before` is the code before issue #16's floor "
                                          "work, run in the same rounds." if args.before
                                          else ""),
        "",
        "| run | round | load | wall | CPU | articles/s | quotes/s | ratio to floor | read | "
        "parse | attribute | claims | wait | embed | embed wait | store | index | "
        "peak RSS (main / worker) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _, _ in configs:
        for r in runs[label]:
            t = r["timings"]
            lines.append(
                f"| {label} | {r['round'] + 1} | {r['load']:.1f} | {r['wall']:.1f} s | "
                f"{r['cpu']:.1f} s | {r['articles'] / r['wall']:.2f} | "
                f"{r['quotes'] / r['wall']:.1f} | {r['wall'] / base[r['round']]:.2f}× | "
                + " | ".join(f"{t.get(k, 0.0):.1f}" for k in
                             ("read", "parse", "attribute", "claims", "wait", "embed",
                              "embed_wait", "store", "index"))
                + f" | {r['rss']:.0f} / {r['rss_children']:.0f} MiB |")
    lines += ["", "| floor | round | load | parse | embed (best threads) | total | CPU |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for f in floors:
        lines.append(f"| floor | {f['round'] + 1} | {f['load']:.1f} | {f['parse']:.1f} s | "
                     f"{f['embed']:.1f} s ({f['embed_threads']}; all "
                     f"{ {k: round(v, 1) for k, v in f['embed_all'].items()} }) | "
                     f"**{f['parse'] + f['embed']:.1f} s** | {f['cpu']:.1f} s |")
    lines += [""]
    for label, _, _ in configs:
        ratios = [r["wall"] / base[r["round"]] for r in runs[label]]
        lines.append(f"- {label}: ratio to floor median **{statistics.median(ratios):.2f}×** "
                     f"(runs {', '.join(f'{x:.2f}' for x in ratios)}), "
                     f"{statistics.median(r['articles'] / r['wall'] for r in runs[label]):.2f} "
                     "articles/s median.")
    lines += [
        "",
        f"Floor (same input, one process): spaCy `nlp.pipe` over every text + encoding the "
        f"{floors[0]['unique']} distinct embedded texts once, best torch thread count; "
        "peak RSS "
        f"{floors[0]['rss']:.0f} MiB. Stage columns are seconds of work; with 2 processes "
        "parse/attribute/claims run in the worker, overlapped with embed/store here, so they "
        "do not add up to the wall time. `wait` is this process idle waiting for analysis "
        "workers, `embed wait` this thread idle waiting for the encoding thread (one "
        "process: batch k is encoded in "
        "a thread while batch k+1 is analysed). "
        "CPU is user + system seconds of the run's process and its workers.",
    ]
    benchlib.write_section(f"ingest-{name}", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
