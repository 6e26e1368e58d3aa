"""One long article (a transcript, a report): ingest time and peak memory at 0.1, 1, 10 MB.

The text is real news prose: PolNeAR's articles (read from ../shared at run time, never
copied into the repo) joined with blank lines and repeated to the size wanted, written to a
temporary .txt file and ingested as ONE article by ``factcheck.ingest.ingest`` in its own
process (so peak RSS is per size). Targets (issue #17): peak RSS < 1.5 GB at every size,
time growing no faster than linearly (exponent of a least-squares fit of log time on log
size ≤ 1.1).

    python bench/bench_long.py --sizes 0.1 1 10 [--model hash]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

POLNEAR = benchlib.ROOT.parent / "shared" / "eval" / "polnear"


def prose(n_bytes: int) -> str:
    texts: list[str] = []
    for name in ("dev.jsonl", "train.jsonl"):
        path = POLNEAR / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
    if not texts:
        raise SystemExit(f"no PolNeAR text under {POLNEAR}; this benchmark needs real prose")
    out: list[str] = []
    size = 0
    i = 0
    while size < n_bytes:
        t = texts[i % len(texts)]
        out.append(t)
        size += len(t.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)[:n_bytes]


def child(path: str, model: str, claims: bool) -> None:
    from factcheck.embeddings import get_encoder
    from factcheck.ingest import ingest
    from factcheck.nlp import load_spacy
    from factcheck.store import Store

    enc = get_encoder(model)
    enc.encode(["warm up"])
    load_spacy()
    base = benchlib.peak_rss_mib()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "idx") as store:
        t = time.perf_counter()
        s = ingest([path], store, enc, n_process=1, with_claims=claims)
        wall = time.perf_counter() - t
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": wall, "peak_mib": benchlib.peak_rss_mib(),
                      "cpu_s": ru.ru_utime + ru.ru_stime,
                      "base_mib": base, "quotes": s.quotes, "claims": s.claims,
                      "errors": [str(e) for e in s.errors],
                      "timings": {k: round(v, 1) for k, v in s.timings.items()}}))


def fit_exponent(xs: list[float], ys: list[float]) -> float:
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly))
    den = sum((a - mx) ** 2 for a in lx)
    return num / den if den else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 10.0],
                    help="article sizes in MB (10^6 bytes)")
    ap.add_argument("--model", default="hash",
                    help="embedding model ('hash': no model, the pipeline's own cost)")
    ap.add_argument("--no-claims", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.model, not args.no_claims)
        return
    header = benchlib.machine("spacy")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"long_{mb}MB.txt"
            path.write_text(prose(int(mb * 1_000_000)), encoding="utf-8")
            cmd = [sys.executable, __file__, "--child", str(path), "--model", args.model]
            if args.no_claims:
                cmd.append("--no-claims")
            # The machine is shared: the load average says how much of the wall time was ours.
            load0 = os.getloadavg()[0]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                raise SystemExit(f"{mb} MB run failed (exit {done.returncode})")
            r = json.loads(done.stdout.strip().splitlines()[-1])
            r["mb"] = mb
            r["load"] = (load0, os.getloadavg()[0])
            rows.append(r)
            print(f"{mb:>5} MB: {r['seconds']:.1f} s (cpu {r['cpu_s']:.0f} s, load "
                  f"{r['load'][0]:.1f} -> {r['load'][1]:.1f}), peak {r['peak_mib']:.0f} MiB, "
                  f"{r['quotes']} quotes, {r['claims']} claims {r['timings']} {r['errors']}",
                  flush=True)
    exp = fit_exponent([r["mb"] for r in rows], [r["seconds"] for r in rows]) \
        if len(rows) > 1 else float("nan")
    print(f"fitted time exponent {exp:.2f}")
    if args.no_write:
        return
    lines = [
        "## One long article (bench_long.py, issue #17)",
        "",
        f"`python bench/bench_long.py --sizes {' '.join(str(s) for s in args.sizes)} "
        f"--model {args.model}`{' --no-claims' if args.no_claims else ''}; one process "
        "per size, ingest of one .txt article of real prose (PolNeAR articles repeated), "
        f"claims {'not extracted' if args.no_claims else 'included'}, models loaded "
        "before timing.",
        "",
        f"Machine: {header}",
        "",
        "| size | ingest time | s per MB | peak RSS | quotes | claims | parse / attribute / "
        "claims / embed s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        t = r["timings"]
        lines.append(
            f"| {r['mb']} MB | {r['seconds']:.1f} s | {r['seconds'] / r['mb']:.0f} | "
            f"{r['peak_mib']:.0f} MiB | {r['quotes']} | {r['claims']} | "
            f"{t.get('parse', 0)} / {t.get('attribute', 0)} / {t.get('claims', 0)} / "
            f"{t.get('embed', 0)} |")
    lines += ["", f"Fitted time exponent (log time on log size): **{exp:.2f}** (target ≤ 1.1); "
              f"largest peak RSS {max(r['peak_mib'] for r in rows):.0f} MiB (target < 1536)."]
    benchlib.write_section("long-noclaims" if args.no_claims else "long", "\n".join(lines))


if __name__ == "__main__":
    main()
