"""Cold start of the command line: `factcheck quotes --speaker X` and `factcheck search`.

Builds a store from ``seeds/`` with the real model (or reuses ``--index``), then runs each
command ``--runs`` times as a fresh process and reports the median and best wall time, the
peak memory of the process, and which heavy modules the model-free command imported (it
must import none of torch, faiss, spacy, sentence_transformers). ``factcheck search --json``
reports its own model-load and search times, shown separately.

    python bench/bench_cli.py --runs 10
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

HEAVY = ("torch", "faiss", "spacy", "sentence_transformers", "transformers", "thinc")
FACTCHECK = [sys.executable, "-m", "factcheck"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str, str]:
    """Wall seconds, peak RSS (MiB), stdout, stderr of one fresh process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=benchlib.ROOT)
        _, status, usage = os.wait4(proc.pid, 0)  # reaps it, with its own peak memory
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {stderr}")
    return wall, usage.ru_maxrss / 1024, stdout, stderr


def heavy_imports(cmd: list[str], env: dict[str, str]) -> list[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], env=env,
                          cwd=benchlib.ROOT, capture_output=True, text=True)
    loaded = {line.split("|")[-1].strip().split(".")[0]
              for line in proc.stderr.splitlines() if line.startswith("import time:")}
    return sorted(m for m in HEAVY if m in loaded)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--index", default=None, help="Existing store (default: ingest the seeds).")
    ap.add_argument("--speaker", default="kerry")
    ap.add_argument("--query", default="missiles destabilizing for Israel")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    info = benchlib.machine("numpy")
    index = args.index
    if index is None:
        index = str(Path(tempfile.mkdtemp(prefix="fc-bench-cli-")) / "index")
        subprocess.run([*FACTCHECK, "ingest", "seeds", "--metadata", "seeds/metadata.json",
                        "--index", index], env=env, cwd=benchlib.ROOT, check=True,
                       capture_output=True)
    quotes_cmd = [*FACTCHECK, "quotes", "--speaker", args.speaker, "--index", index, "--json"]
    search_cmd = [*FACTCHECK, "search", args.query, "--index", index, "--json"]
    timed(quotes_cmd, env)  # page cache warm: "cold" is a fresh process, not a cold disk
    q_runs = [timed(quotes_cmd, env) for _ in range(args.runs)]
    s_runs = [timed(search_cmd, env) for _ in range(args.runs)]
    o_runs = []
    if importlib.util.find_spec("onnxruntime") is not None:
        o_env = dict(env, FACTCHECK_BACKEND="onnx")
        timed(search_cmd, o_env)  # the one-off ONNX export, if not cached yet
        o_runs = [timed(search_cmd, o_env) for _ in range(args.runs)]
    q_heavy = heavy_imports(quotes_cmd, env)
    s_info = [json.loads(r[2]) for r in s_runs]
    q_wall = [r[0] for r in q_runs]
    s_wall = [r[0] for r in s_runs]
    load = [d["model_load_seconds"] for d in s_info]
    search = [d["search_seconds"] * 1000 for d in s_info]
    n_quotes = len(json.loads(q_runs[0][2])["quotes"])
    onnx_row = ""
    if o_runs:
        o_info = [json.loads(r[2]) for r in o_runs]
        o_wall = [r[0] for r in o_runs]
        o_load = [d["model_load_seconds"] for d in o_info]
        o_search = [d["search_seconds"] * 1000 for d in o_info]
        onnx_row = (f"| `FACTCHECK_BACKEND=onnx factcheck search \"{args.query}\"` | "
                    f"{benchlib.percentile(o_wall, 50):.2f} s | {min(o_wall):.2f} s | "
                    f"{benchlib.percentile(o_load, 50):.2f} s | "
                    f"{benchlib.percentile(o_search, 50):.0f} ms | "
                    f"{max(r[1] for r in o_runs):.0f} MiB |\n")
        print(f"search (onnx): median {benchlib.percentile(o_wall, 50):.2f}s (model load "
              f"{benchlib.percentile(o_load, 50):.2f}s)")
    med = benchlib.percentile
    print(f"quotes: median {med(q_wall, 50):.2f}s best {min(q_wall):.2f}s "
          f"rss {max(r[1] for r in q_runs):.0f} MiB heavy={q_heavy or 'none'}")
    print(f"search: median {med(s_wall, 50):.2f}s (model load {med(load, 50):.2f}s, search "
          f"{med(search, 50):.0f} ms) rss {max(r[1] for r in s_runs):.0f} MiB")
    if args.no_write:
        return 0
    body = f"""## Command-line cold start

Machine: {info}.
Command: `python bench/bench_cli.py --runs {args.runs}` (store: the five seeds, real model).
Each figure is a fresh `python -m factcheck` process (imports included), files in the page
cache.

| command | median wall | best | model load (own report) | search (own report) | peak RSS |
|---|---:|---:|---:|---:|---:|
| `factcheck quotes --speaker {args.speaker}` ({n_quotes} quotes) | {med(q_wall, 50):.2f} s | \
{min(q_wall):.2f} s | — (no model) | — | {max(r[1] for r in q_runs):.0f} MiB |
| `factcheck search "{args.query}"` | {med(s_wall, 50):.2f} s | {min(s_wall):.2f} s | \
{med(load, 50):.2f} s | {med(search, 50):.0f} ms | {max(r[1] for r in s_runs):.0f} MiB |
{onnx_row}
Heavy modules imported by `factcheck quotes`: {', '.join(q_heavy) or 'none'} (checked with
`python -X importtime`; torch, faiss, spacy, sentence_transformers are imported only by the
commands that need them).
"""
    benchlib.write_section("cli", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
