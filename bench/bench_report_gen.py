"""Report CPU time per claim on the generated ingest corpus, this code against another tree.

The corpus is ``bench/gen_corpus.py --quotes 1500`` (243 articles, about 5,300 claims),
ingested once with the hash encoder; its claims, articles and claim vectors are dumped, and
``find_conflicts`` runs on them in a fresh process per run, so frames are read cold as in a
CLI run and an older tree (whose store schema may not open this store) judges exactly the
same input. The kNN search is a flat FAISS index in every tree. The frames ingest stored
(issue #12) are dumped as the store gives them and passed to a tree that reads them. Runs
alternate between the trees; the figure is CPU time (``time.process_time``: the machine is
shared, wall time is not comparable), best and median per tree, with the load average.

    python bench/bench_report_gen.py [--old DIR] [--rounds 3] [--work DIR] [--warm-imports]

``--old DIR``: a checkout of another version (``git worktree add /tmp/old6f 6f173cb``);
``--warm-imports`` imports FAISS and the judges before the timer, in every tree (module
import is a fixed cost of the process, not of the claims).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child process, with PYTHONPATH set to the tree under test; written for any
# version of the records (fields a version does not know are left out).
CHILD = r"""
import inspect, json, pickle, sys, time
from factcheck.records import Article, Claim
from factcheck.crosscheck import find_conflicts
claims_d, arts_d, vec, *rest = pickle.load(open(sys.argv[1], "rb"))
# Frames stored at ingest (issue #12), given as the store returns them (JSON text) to a tree
# whose report reads them; decoding them is timed with the report.
kw = {"frame_records": rest[0]} if rest and "frame_records" in inspect.signature(
    find_conflicts).parameters else {}
cf = set(inspect.signature(Claim).parameters); af = set(inspect.signature(Article).parameters)
claims = [Claim(**{k: v for k, v in c.items() if k in cf}) for c in claims_d]
arts = {a["id"]: Article(**{k: v for k, v in a.items() if k in af}) for a in arts_d}
if sys.argv[2] == "warm":
    import faiss  # noqa: F401
    from factcheck.judges import default_judges
    default_judges()
c0, t0 = time.process_time(), time.perf_counter()
found = find_conflicts(claims, vec, arts, **kw)
cpu, wall = time.process_time() - c0, time.perf_counter() - t0
print(json.dumps({"cpu": cpu, "wall": wall, "claims": len(claims), "conflicts": len(found)}))
"""


def build_dump(work: Path) -> Path:
    """The generated corpus, ingested once (hash encoder) and dumped; reused when present."""
    dump = work / "gen.pkl"
    if dump.exists():
        return dump
    from dataclasses import asdict

    import numpy as np

    from factcheck.embeddings import HashEncoder
    from factcheck.ingest import ingest
    from factcheck.store import Store

    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--quotes", "1500",
                    "--out", str(corpus)], check=True)
    store_dir = work / "store"
    with Store.open(store_dir) as store:
        ingest([str(corpus)], store, HashEncoder(384))
    with Store.open(store_dir, create=False, readonly=True) as store:
        claims = store.claims()
        ids = [c.id for c in claims]
        got, mat = store.table_vectors("claims", ids)
        pos = {int(c): i for i, c in enumerate(ids)}
        vec = np.zeros((len(claims), mat.shape[1]), np.float32)
        for cid, row in zip(got.tolist(), mat):
            vec[pos[int(cid)]] = row
        arts = [asdict(a) for a in store.articles()]
        from factcheck.crosscheck import stored_frames

        frames = stored_frames(store)
    with open(dump, "wb") as fh:
        pickle.dump(([asdict(c) for c in claims], arts, vec, frames), fh)
    return dump


def run_once(tree: Path, dump: Path, warm: bool) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree), HF_HUB_OFFLINE="1")
    # cwd outside every tree: ``python -c`` puts the working directory first on sys.path.
    out = subprocess.run([sys.executable, "-c", CHILD, str(dump), "warm" if warm else "cold"],
                         env=env, check=True, capture_output=True, text=True,
                         cwd=dump.parent).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", type=Path, help="another tree to compare (e.g. 6f173cb)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, help="keep the corpus, store and dump here")
    ap.add_argument("--warm-imports", action="store_true")
    ap.add_argument("--json", action="store_true", help="JSON on stdout")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_report_gen_"))
    dump = build_dump(work)
    trees = [("this tree", ROOT)] + ([("other tree", args.old.resolve())] if args.old else [])
    load_before = os.getloadavg()[0]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
    for r in range(args.rounds):
        for name, tree in trees if r % 2 == 0 else trees[::-1]:
            got = run_once(tree, dump, args.warm_imports)
            runs[name].append(got)
            print(f"round {r + 1} {name}: cpu {got['cpu']:.2f} s, wall {got['wall']:.2f} s, "
                  f"{1000 * got['cpu'] / got['claims']:.3f} ms/claim, "
                  f"{got['conflicts']} conflicts", file=sys.stderr)
    load_after = os.getloadavg()[0]
    result = {"load_before": load_before, "load_after": load_after, "trees": {}}
    for name, tree in trees:
        cpus = [x["cpu"] for x in runs[name]]
        n = runs[name][0]["claims"]
        result["trees"][name] = {
            "path": str(tree), "cpu_s": [round(c, 2) for c in cpus],
            "best_ms_per_claim": round(1000 * min(cpus) / n, 3),
            "median_ms_per_claim": round(1000 * statistics.median(cpus) / n, 3),
            "claims": n, "conflicts": runs[name][0]["conflicts"]}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"load average {load_before:.2f} -> {load_after:.2f}")
        print("| code | CPU s per run | ms / claim (best, median) | conflicts |")
        print("|---|---:|---:|---:|")
        for name, t in result["trees"].items():
            print(f"| {name} ({t['path']}) | {', '.join(f'{c:.2f}' for c in t['cpu_s'])} | "
                  f"{t['best_ms_per_claim']:.3f}, {t['median_ms_per_claim']:.3f} | "
                  f"{t['conflicts']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
