"""The ingest pipeline: worker processes change nothing, timings, distinct texts, and the
vector index is converted and kept in line with SQLite as the store grows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.embeddings import HashEncoder
from factcheck.ingest import ingest
from factcheck.store import Store
from factcheck.vectors import id_fingerprint

PEOPLE = [("Marta Ellison", "harbour master"), ("Tomas Reyes", "farm minister"),
          ("Ines Halvorsen", "city treasurer"), ("Pavel Oduya", "rail union leader")]
TOPICS = ["the harbour dredging", "grain tariffs", "the tram budget", "the rail strike"]


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    """Short synthetic articles, two attributed quotes each (JSONL)."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            name, role = PEOPLE[i % len(PEOPLE)]
            topic = TOPICS[(i // 2) % len(TOPICS)]
            text = (f"Officials met on Tuesday to discuss {topic}.\n\n"
                    f"“We will not accept any delay on {topic} this year {i},” {role} {name} "
                    f"said.\n\n{name.split()[-1]} told reporters: “The plan number {i} is "
                    "final and the money is there.”\n")
            fh.write(json.dumps({"id": f"art-{i}", "text": text, "source": "Test Wire",
                                 "published": f"2021-03-{1 + i % 28:02d}"}) + "\n")
    return path


def store_rows(root: Path) -> list[tuple]:
    with Store.open(root, readonly=True) as store:
        q = store.conn.execute(
            "SELECT q.article_id, q.text, q.start, s.name, q.vector FROM quotes q "
            "LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY q.article_id, q.start"
        ).fetchall()
        c = store.conn.execute(
            "SELECT article_id, text, start FROM claims ORDER BY article_id, start").fetchall()
    return [tuple(r) for r in q] + [tuple(r) for r in c]


def test_worker_process_gives_the_same_store_as_one_process(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    from factcheck.corpus import read_inputs
    from factcheck.ingest import ingest_articles

    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    enc = HashEncoder(64)
    summaries = {}
    ticks: dict[int, list[tuple[int, str]]] = {1: [], 2: []}
    for n in (1, 2):
        with Store.open(tmp_path / f"s{n}") as store:
            summaries[n] = ingest([str(corpus)], store, enc, batch_size=2, n_process=n,
                                  on_progress=lambda k, a, n=n: ticks[n].append((k, a)))
    with Store.open(tmp_path / "s0") as store:  # one step after the other, no thread
        seq = ingest_articles(read_inputs([str(corpus)]), store, enc, batch_size=2,
                              overlap=False)
    assert summaries[1].quotes == summaries[2].quotes == seq.quotes == 12
    assert summaries[1].claims == summaries[2].claims == seq.claims
    assert store_rows(tmp_path / "s1") == store_rows(tmp_path / "s2") == \
        store_rows(tmp_path / "s0")
    # Progress: once per article, in order, the workers' ticks relayed to this process.
    for n in (1, 2):
        assert [k for k, _ in ticks[n]] == [1, 2, 3, 4, 5, 6], n
        assert sorted(a for _, a in ticks[n]) == [f"art-{i}" for i in range(6)], n
    assert "embed_wait" not in seq.timings and "embed_wait" in summaries[1].timings
    t = summaries[2].timings
    for key in ("read", "parse", "attribute", "claims", "embed", "store", "index", "wait"):
        assert key in t and t[key] >= 0.0, key
    assert "wait" not in summaries[1].timings  # nothing to wait for in one process


def test_index_becomes_ivf_past_the_threshold_and_stays_in_line(
        tmp_path: Path, nlp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from factcheck import vectors
    from factcheck.search import search_quotes

    enc = HashEncoder(64)
    root = tmp_path / "index"
    with Store.open(root) as store:
        ingest([str(write_corpus(tmp_path / "a.jsonl", 4))], store, enc, batch_size=4)
        assert store.index("quotes").kind == "flat"
    monkeypatch.setattr(vectors, "IVF_THRESHOLD", 12)
    with Store.open(root) as store:
        ingest([str(write_corpus(tmp_path / "b.jsonl", 8, start=4))], store, enc, batch_size=3)
        # Replacing an article removes its old vectors from the (now IVF) index.
        changed = write_corpus(tmp_path / "c.jsonl", 1, start=5)
        line = json.loads(changed.read_text())
        line["id"] = "art-2"
        changed.write_text(json.dumps(line) + "\n")
        # (its text is art-5's word for word: with copy detection on it would be stored as
        # a republication of art-5, see test_copies)
        s = ingest([str(changed)], store, enc, find_copies=False)
        assert s.replaced == 1
    with Store.open(root, readonly=True) as store:
        index = store.index("quotes")
        assert index.kind == "ivf-sq8"
        assert id_fingerprint(index.ids()) == id_fingerprint(store.vector_ids("quotes"))
        assert store.counts()["quotes"] == 24
        hits = search_quotes(store, enc, "The plan number 9 is final and the money is there")
        assert "number 9 " in hits[0].quote
