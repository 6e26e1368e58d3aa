"""CPU seconds per article for each ingest stage, store size per article, judging per claim.

The inputs of the cost model in docs/scale.md. Everything runs in one thread (torch and
FAISS limited to one thread, no analysis workers, no encoding thread) and each stage is
timed with ``time.thread_time``, so the figures are CPU seconds of work, much less moved by
the load of a shared machine than wall times (a loaded machine still inflates them a little:
caches and hyper-threads are shared).

    python bench/bench_costs.py --polnear 40
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib

POLNEAR_DEV = benchlib.ROOT.parent / "shared" / "eval" / "polnear" / "dev.jsonl"


def dir_size(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=int, default=40, help="First N PolNeAR dev articles.")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if not POLNEAR_DEV.exists():
        print(f"skipped: {POLNEAR_DEV} not found", file=sys.stderr)
        return 0
    import faiss
    import torch

    from factcheck import ingest as ingest_mod
    from factcheck.corpus import read_inputs
    from factcheck.crosscheck import build_report
    from factcheck.embeddings import get_encoder
    from factcheck.nlp import load_spacy
    from factcheck.store import Store

    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)
    work = Path(tempfile.mkdtemp(prefix="fc-bench-costs-"))
    corpus = work / "corpus.jsonl"
    chars = 0
    with corpus.open("w", encoding="utf-8") as fh, POLNEAR_DEV.open(encoding="utf-8") as src:
        for line in list(src)[:args.polnear]:
            rec = json.loads(line)
            chars += len(rec["text"])
            fh.write(json.dumps({"id": rec["doc_id"], "text": rec["text"]}) + "\n")
    info = benchlib.machine("numpy", "torch", "spacy", "faiss")
    enc = get_encoder(None, None)
    enc.encode(["warm up"])
    load_spacy()
    ingest_mod._now = time.thread_time  # CPU of this thread, stage by stage
    root = work / "store"
    with Store.open(root) as store:
        s = ingest_mod.ingest_articles(read_inputs([str(corpus)]), store, enc, batch_size=32,
                                       n_process=1, overlap=False)
    ingest_mod._now = time.perf_counter
    size = dir_size(root)
    with Store.open(root, readonly=True) as store:
        t = time.thread_time()
        report = build_report(store)
        judge = time.thread_time() - t
        n_conflicts = len(report)
    shutil.rmtree(work, ignore_errors=True)
    n = s.added
    stages = ("read", "parse", "attribute", "claims", "embed", "store", "index")
    per = {k: s.timings.get(k, 0.0) / n for k in stages}
    total = sum(per.values())
    print(f"{n} articles, {s.quotes} quotes, {s.claims} claims; CPU s/article "
          f"{ {k: round(v, 4) for k, v in per.items()} } total {total:.3f}; store "
          f"{size / n / 1024:.1f} KiB/article; report {judge:.2f} s CPU "
          f"({judge / max(1, s.claims) * 1000:.2f} ms/claim, {n_conflicts} conflicts)")
    if args.no_write:
        return 0
    lines = [
        "## Cost per article (CPU seconds, one thread)",
        "",
        f"Machine: {info}.",
        f"Command: `python bench/bench_costs.py --polnear {args.polnear}` — the first {n} "
        f"PolNeAR dev articles ({chars / n / 1000:.1f} k characters each on average), "
        f"{s.quotes / n:.1f} quotes and {s.claims / n:.1f} claims per article, the bundled "
        "MiniLM encoder, SQLite store; one thread (torch and FAISS set to 1), each stage "
        "timed with `time.thread_time`.",
        "",
        "| stage | CPU s per article | share |",
        "|---|---:|---:|",
    ]
    for k in stages:
        lines.append(f"| {k} | {per[k]:.4f} | {per[k] / total:.0%} |")
    lines += [
        f"| **ingest total** | **{total:.3f}** | 100% |",
        "",
        f"Store on disk (SQLite + FTS5 + FAISS files): **{size / n / 1024:.0f} KiB per "
        f"article** ({size / 1024 / 1024:.1f} MiB for {n}). Cross-check of the whole store "
        f"(`build_report`, {s.claims} claims, {n_conflicts} conflicts): {judge:.2f} s CPU, "
        f"{judge / max(1, s.claims) * 1000:.2f} ms per claim.",
    ]
    benchlib.write_section("costs", "\n".join(lines))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    raise SystemExit(main())
