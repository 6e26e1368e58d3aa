"""Load on `factcheck serve`: 20 concurrent clients on the search and quote pages for 30 s,
p50/p99 latency and errors, without and then with an ingest running.

The server runs as its own process (``python -m factcheck serve --allow-writes``) on a free
loopback port; the clients are threads here, each looping over a fixed list of requests:
search pages (``/?q=...``, so the query is encoded by the model each time) and quote pages
(``/quotes/ID``: the article, the speaker's nearest quotes and its conflicts). Traffic goes
to 127.0.0.1 only; every loop is bounded in time and count, and the server is stopped at
the end. The second phase uploads a JSONL of generated articles through ``/api/ingest``
first, so a writer is committing batches while the readers read.

    python bench/bench_serve.py                      # store: seeds + 600 generated quotes
    python bench/bench_serve.py --index DIR          # an existing store (read-only phase)
    python bench/bench_serve.py --model hash --seconds 5 --clients 4   # quick check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import ROOT, machine, percentile, write_section

QUERIES = [
    "missiles destabilizing for Israel", "military victory is possible", "peace talks in Geneva",
    "withdrawal of Russian forces", "death toll of the war", "weapons deliveries halted",
    "ceasefire violations", "humanitarian aid convoy", "air strikes on civilians",
    "sanctions will continue", "we will respond to any attack", "negotiated transition",
]
MAX_REQUESTS_PER_CLIENT = 20_000  # a bound on top of the time limit


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def build_store(index: Path, quotes: int, model: str | None) -> None:
    corpus = index.parent / "corpus.jsonl"
    run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--quotes", str(quotes),
         "--seed", "1", "--out", str(corpus)])
    base = [sys.executable, "-m", "factcheck", "ingest", "--index", str(index),
            "--processes", "1"] + (["--model", model] if model else [])
    run(base + [str(ROOT / "seeds")])
    run(base + [str(corpus)])


class Server:
    def __init__(self, index: Path, model: str | None) -> None:
        cmd = [sys.executable, "-m", "factcheck", "serve", "--index", str(index), "--port", "0",
               "--allow-writes", "--max-upload-mb", "50"] + (["--model", model] if model else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
        self.url = self.token = ""
        deadline = time.time() + 60
        assert self.proc.stderr is not None
        while time.time() < deadline and not (self.url and self.token):
            line = self.proc.stderr.readline()
            if not line:
                raise SystemExit("the server exited before it printed its URL")
            sys.stderr.write("server: " + line)
            if m := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
                self.url = m.group(1).rstrip("/")
            if m := re.search(r"token for this run: (\S+)", line):
                self.token = m.group(1)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            sys.stderr.write("server: " + line)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load(url: str, quote_ids: list[int], clients: int, seconds: float) -> dict[str, object]:
    import httpx

    results: dict[str, list[float]] = {"search": [], "quote": []}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rnd = random.Random(n)
        with httpx.Client(base_url=url, timeout=60.0) as http:
            for i in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= stop_at:
                    return
                kind = "search" if i % 2 == 0 else "quote"
                path = (f"/?q={rnd.choice(QUERIES)}" if kind == "search"
                        else f"/quotes/{rnd.choice(quote_ids)}")
                t0 = time.perf_counter()
                try:
                    res = http.get(path)
                    ok = res.status_code == 200 and "</html>" in res.text
                    why = f"{res.status_code} {path}: {res.text[:120]!r}"
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__} {path}"
                dt = time.perf_counter() - t0
                with lock:
                    results[kind].append(dt)
                    if not ok:
                        errors.append(why)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.perf_counter() - t0
    out: dict[str, object] = {"seconds": round(wall, 1), "errors": len(errors),
                              "error_examples": sorted(set(errors))[:5]}
    for kind, lat in results.items():
        out[kind] = {"requests": len(lat), "per_s": round(len(lat) / wall, 1),
                     "p50_ms": round(1000 * percentile(lat, 50), 1),
                     "p99_ms": round(1000 * percentile(lat, 99), 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, help="An existing store (copied; not modified).")
    ap.add_argument("--quotes", type=int, default=600, help="Generated quotes in a new store.")
    ap.add_argument("--ingest-quotes", type=int, default=600,
                    help="Generated quotes uploaded for the ingest phase.")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--model", default=None, help="Embedding model (default: bundled; hash).")
    ap.add_argument("--no-write", action="store_true", help="Do not update RESULTS.md.")
    args = ap.parse_args(argv)
    args.clients = max(1, min(args.clients, 64))
    args.seconds = max(1.0, min(args.seconds, 300.0))
    import httpx

    env_line = machine("fastapi", "uvicorn", "httpx")
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        index = work / "index"
        if args.index:
            shutil.copytree(args.index, index)
        else:
            build_store(index, args.quotes, args.model)
        server = Server(index, args.model)
        try:
            status = httpx.get(server.url + "/api/status", timeout=30).json()
            ids = [q["id"] for q in httpx.get(server.url + "/api/quotes", timeout=60
                                              ).json()["quotes"]]
            t0 = time.perf_counter()
            httpx.get(server.url + "/?q=warm+up", timeout=300)  # the first search loads the model
            first_search = time.perf_counter() - t0
            t0 = time.perf_counter()
            httpx.get(f"{server.url}/quotes/{ids[0]}", timeout=600)  # the first cross-check
            first_report = time.perf_counter() - t0
            single = load(server.url, ids, 1, min(10.0, args.seconds))  # no queue: the cost
            quiet = load(server.url, ids, args.clients, args.seconds)
            print(json.dumps({"without_ingest": quiet}, indent=1), file=sys.stderr)

            corpus = work / "upload.jsonl"
            run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--quotes",
                 str(args.ingest_quotes), "--seed", "7", "--out", str(corpus)])
            # New ids, so the ingest adds articles rather than finding them unchanged.
            lines = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()]
            for i, rec in enumerate(lines):
                rec["id"] = f"upload-{i}"
            body = "\n".join(json.dumps(r) for r in lines).encode()
            res = httpx.post(server.url + "/api/ingest", timeout=120,
                             headers={"x-factcheck-token": server.token},
                             files={"files": ("upload.jsonl", body)})
            res.raise_for_status()
            job_url = server.url + res.json()["url"]
            # Start the readers once the writer is committing (its first batch is stored),
            # so the phase really overlaps commits rather than the writer's start-up.
            deadline = time.time() + 600
            job = httpx.get(job_url, timeout=30).json()["job"]
            while job["done"] == 0 and job["status"] == "running" and time.time() < deadline:
                time.sleep(0.5)
                job = httpx.get(job_url, timeout=30).json()["job"]
            done_at_start = job["done"]
            busy = load(server.url, ids, args.clients, args.seconds)
            job = httpx.get(job_url, timeout=30).json()["job"]
            print(json.dumps({"with_ingest": busy, "job": job}, indent=1), file=sys.stderr)
            done_at_end = job["done"]
            still_running = job["status"] == "running"
            deadline = time.time() + 600
            while job["status"] in ("queued", "running") and time.time() < deadline:
                time.sleep(1)
                job = httpx.get(job_url, timeout=30).json()["job"]
            counts = httpx.get(server.url + "/api/status", timeout=30).json()["counts"]
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def row(name: str, r: dict) -> str:  # type: ignore[type-arg]
        s, q = r["search"], r["quote"]
        return (f"| {name} | {s['requests']} ({s['per_s']}/s) | {s['p50_ms']} | {s['p99_ms']} | "
                f"{q['requests']} ({q['per_s']}/s) | {q['p50_ms']} | {q['p99_ms']} | "
                f"{r['errors']} |")

    c = status["counts"]
    body_md = f"""## Web app under load (`bench/bench_serve.py`)

`python bench/bench_serve.py --clients {args.clients} --seconds {args.seconds:g}` — one
`factcheck serve` process (uvicorn, one worker) on 127.0.0.1; {args.clients} client threads
alternate a search page (`/?q=…`, the query encoded by the model every time) and a quote page
(`/quotes/ID`: article, nearest quotes, conflicts), {args.seconds:g} s per phase. Store:
{c['articles']} articles, {c['quotes']} quotes, {c['claims']} claims; model
`{args.model or 'bundled all-MiniLM-L6-v2'}`. Machine: {env_line}.

First search after start (loads the model): {first_search:.1f} s; pages without a model
answer before that. First quote page (cross-checks the whole store once, then cached until
the store changes): {first_report:.1f} s.

| phase | search requests | p50 ms | p99 ms | quote requests | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|---|---|
{row("1 client, no ingest", single)}
{row(f"{args.clients} clients, no ingest", quiet)}
{row(f"{args.clients} clients, ingest running", busy)}

During the second phase the server's single writer was ingesting an upload of
{job['total']} generated articles (batches of 8): {done_at_start} were stored when the
readers started, {done_at_end} when they stopped ({done_at_end - done_at_start} committed
during the phase; still running at its end: {'yes' if still_running else 'no'}); all
{job['done']} by the end ({job['status']}, {job['seconds']} s; store then
{counts['articles']} articles, {counts['quotes']} quotes). Each commit also makes the next
quote page cross-check the grown store again. Errors are non-200 answers or failed
connections; "database is locked" would count as one.
"""
    print(body_md)
    if not args.no_write:
        write_section("serve", body_md)
    return 0 if not (single["errors"] or quiet["errors"] or busy["errors"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
