"""Killed ingests: ``kill -9`` at random moments, and a crash in each window of a batch.

After every crash the next run must open the store, nothing committed earlier may be lost,
SQLite and the FAISS indexes must agree (after the repair on open), and running the same
ingest again must complete the corpus.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from factcheck.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent

FIRST = ["Amara", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines",
         "Jonas", "Kwame", "Leila", "Mateo", "Nadia", "Oskar", "Priya"]
LAST = ["Abernathy", "Bellweather", "Castellano", "Dunmore", "Eskildsen", "Fairbanks",
        "Grimaldi", "Holloway", "Ivanova", "Jablonski", "Kestrel", "Lindqvist"]
ROLES = ["the trade minister", "a harbour official", "the mayor", "a union spokeswoman",
         "the fisheries commissioner", "a port engineer"]
TOPICS = ["the harbour expansion", "the new ferry line", "grain exports", "the fishing quota",
          "the bridge repairs", "the customs agreement"]
VERBS = ["will be finished by spring", "has been delayed again", "needs more funding",
         "is going well", "was never approved", "will create jobs"]


def synthetic_article(rng: random.Random, i: int) -> tuple[str, int]:
    """A small invented harbour-town story and the number of quotes it holds."""
    paras = [f"Port Talbotville, {rng.randint(1, 28)} March 2021 - Officials met on "
             f"{rng.choice(TOPICS)} this week."]
    n = rng.randint(2, 4)
    for _ in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
        if rng.random() < 0.5:
            paras.append(f"\u201cWe think {topic} {verb},\u201d said {name}, "
                         f"{rng.choice(ROLES)}.")
        else:
            paras.append(f'{name} told reporters: "Our view is that {topic} {verb}."')
    paras.append(f"The talks continue next week (story {i}).")
    return "\n\n".join(paras) + "\n", n


def write_corpus(root: Path, n: int = 200, seed: int = 7, prefix: str = "story") -> int:
    """Write ``n`` synthetic articles under ``root``; return how many quotes they hold."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    quotes = 0
    for i in range(n):
        text, q = synthetic_article(rng, i)
        (root / f"{prefix}_{i:04d}.txt").write_text(text, encoding="utf-8")
        quotes += q
    return quotes


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    return env


def committed_articles(index: Path) -> int:
    """Articles committed so far, read without disturbing the writer."""
    db = index / DB_NAME
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not migrated yet


def assert_consistent(index: Path, at_least: int) -> int:
    """The checks every run after a crash relies on; returns the article count."""
    from factcheck.doctor import diagnose

    with Store.open(index, readonly=True) as store:
        report = diagnose(store)
        # Everything but the index files must be intact: batches are atomic in SQLite.
        # (Temp files of a killed save are expected; the next writer removes them.)
        bad = [f for f in report.problems()
               if not f.check.startswith("index:") and f.check != "temp-files"]
        assert not bad, bad
        n = store.counts()["articles"]
        assert n >= at_least, "articles committed before the kill were lost"
        # Every stored article came with its quotes (the synthetic ones all have some).
        assert not store.conn.execute(
            "SELECT id FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM quotes q WHERE q.article_id = a.id)").fetchall()
        # Opening repairs the indexes: they hold exactly the rows SQLite has.
        for name in ("quotes", "claims"):
            index_obj = store.index(name)
            if index_obj is not None:
                assert sorted(index_obj.ids().tolist()) == store.vector_ids(name).tolist()
    return n


def test_kill_9_during_ingest_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    index = tmp_path / "index"
    expected_quotes = write_corpus(corpus, 200)
    cmd = [sys.executable, "-m", "factcheck", "ingest", str(corpus), "--index", str(index),
           "--model", "hash", "--batch-size", "8", "--wait", "30"]
    rng = random.Random(1234)
    deadline = time.monotonic() + 50
    seen = 0
    kills = 0
    for _ in range(2):
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=subprocess_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Wait until this run has committed something of its own, then strike at random.
        while proc.poll() is None and committed_articles(index) <= seen \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.2))
        seen = committed_articles(index)
        if proc.poll() is not None:  # finished before we struck: nothing left to kill
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        kills += 1
        seen = assert_consistent(index, at_least=seen)
        if seen >= 190:
            break
    assert kills >= 1, "the ingest finished before it could be killed"

    done = subprocess.run(cmd + ["--json"], cwd=tmp_path, env=subprocess_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    final = assert_consistent(index, at_least=seen)
    assert final == 200
    from factcheck.doctor import diagnose

    with Store.open(index, readonly=True) as store:
        assert store.counts()["quotes"] == expected_quotes
        report = diagnose(store)
        assert report.ok, report.problems()  # the resumed run saved agreeing indexes


# -- each crash window, deterministically --------------------------------------------------------

CRASHER = textwrap.dedent("""
    import os, sys
    from factcheck.embeddings import HashEncoder
    from factcheck.ingest import ingest
    from factcheck import store as st, vectors

    point, corpus, index, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    calls = {"n": 0}

    def die_on_call(fn, n, before=None):
        def wrapper(*a, **k):
            calls["n"] += 1
            if calls["n"] == n:
                if before:
                    before(*a)
                os._exit(137)
            return fn(*a, **k)
        return wrapper

    def half_written(self, path):
        with open(str(path) + ".dead.tmp", "wb") as fh:
            fh.write(b"half an index")

    if point == "after-commit":      # batch 2 committed, its index save never happens
        st.Store.save_indexes = die_on_call(st.Store.save_indexes, 2)
    elif point == "mid-save":        # batch 2's first index file half written
        vectors.FaissIndex.save = die_on_call(vectors.FaissIndex.save, 3, half_written)
    elif point == "after-save":      # batch 2's first file in place, never recorded
        st.Store._record_index = die_on_call(st.Store._record_index, 3)
    elif point == "mid-transaction": # inside batch 2's transaction
        st.Store.put_article = die_on_call(st.Store.put_article, batch + 2)
    with st.Store.open(index) as store:
        ingest([corpus], store, HashEncoder(384), batch_size=batch)
    sys.exit(3)  # the crash point was never reached
""")

# Where each crash leaves the store: how many batches were committed.
POINTS = {"after-commit": 2, "mid-save": 2, "after-save": 2, "mid-transaction": 1}
BATCH = 4


def test_crash_in_each_window_of_a_batch(tmp_path: Path, nlp, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.doctor import diagnose
    from factcheck.ingest import ingest

    corpus = tmp_path / "corpus"
    n_articles = 16
    expected_quotes = write_corpus(corpus, n_articles, seed=3)
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER)
    procs = {}
    for point in POINTS:  # all at once: each pays the spaCy load, in parallel
        procs[point] = subprocess.Popen(
            [sys.executable, str(script), point, str(corpus), str(tmp_path / point),
             str(BATCH)],
            cwd=tmp_path, env=subprocess_env(), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
    for point, proc in procs.items():
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 137, (point, proc.returncode, stderr.decode()[-2000:])

    for point, batches in POINTS.items():
        index = tmp_path / point
        committed = assert_consistent(index, at_least=BATCH)
        assert committed == batches * BATCH, point
        with Store.open(index) as store:  # the next run
            summary = ingest([str(corpus)], store, hash_encoder, batch_size=BATCH)
            assert not summary.errors
            assert summary.unchanged == committed
            assert summary.added == n_articles - committed
        with Store.open(index, readonly=True) as store:
            assert store.counts()["quotes"] == expected_quotes, point
            report = diagnose(store)
            assert report.ok, (point, report.problems())
        assert not list(index.glob("*.tmp")), point


@pytest.mark.parametrize("n", [1])
def test_corpus_generator_is_deterministic(tmp_path: Path, n: int) -> None:
    a = write_corpus(tmp_path / "a", 5, seed=n)
    b = write_corpus(tmp_path / "b", 5, seed=n)
    assert a == b
    assert (tmp_path / "a" / "story_0003.txt").read_text() == \
        (tmp_path / "b" / "story_0003.txt").read_text()
