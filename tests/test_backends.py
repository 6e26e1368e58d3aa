"""The store interface on both backends: SQLite (a directory) and PostgreSQL + pgvector (a URL).

Each test here runs once per backend (``new_index`` / ``seeded_any`` are parametrised); the
PostgreSQL runs use a server the session starts itself (see conftest), and are skipped with
the reason when it cannot start.
"""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.records import Article, Claim
from factcheck.store import ArticleRecord, StoreError
from factcheck.store.base import is_url, open_store


def _article(aid: str, text: str, **kw) -> Article:  # type: ignore[no-untyped-def]
    from factcheck.corpus import content_hash

    return Article(id=aid, text=text, content_hash=content_hash(text), **kw)


def _unit(*xs: float) -> np.ndarray:
    v = np.zeros(8, np.float32)
    v[:len(xs)] = xs
    return v / np.linalg.norm(v)


def _put(store, aid: str, text: str, quotes: list[tuple[str, np.ndarray]],  # type: ignore[no-untyped-def]
         speaker: int | None = None, published: str | None = None) -> tuple[list[int], list[int]]:
    art = _article(aid, text, source="Harbour Gazette", published=published)
    qs = []
    for words, _ in quotes:
        start = text.index(words)
        qs.append({"text": words, "start": start, "end": start + len(words), "cue": "said",
                   "context": text, "partial": False, "speaker_role": "mayor",
                   "mention": "Ana Ruiz", "confidence": 0.9})
    claims = [Claim(text=quotes[0][0], start=qs[0]["start"], end=qs[0]["end"],
                    article_id=aid, quote_index=0, data={"entities": ["ferry"]})] if qs else []
    rec = ArticleRecord(article=art, quotes=qs, claims=claims,
                        quote_vectors=np.stack([v for _, v in quotes]) if quotes else None,
                        claim_vectors=np.stack([quotes[0][1]]) if quotes else None)
    with store.transaction():
        store.record_model("unit-8", 8)
        qids, cids = store.put_article(rec, [speaker] * len(qs), [speaker] * len(claims))
        store.add_vectors("quotes", qids, rec.quote_vectors)
        store.add_vectors("claims", cids, rec.claim_vectors)
    store.save_indexes()
    return qids, cids


def test_records_round_trip_and_replace(new_index: str) -> None:
    with open_store(new_index) as s:
        assert s.backend == ("postgres" if is_url(new_index) else "sqlite")
        with s.transaction():
            sid = s.add_speaker("Ana Ruiz", "person", "ana ruiz")
            s.add_alias(sid, "Ruiz", "ruiz")
            s.add_alias(sid, "Ruiz", "ruiz")  # twice: still one
            s.add_role(sid, "mayor")
        text = 'The ferry will run all winter, "We will not cut the ferry," Ruiz said.'
        qids, cids = _put(s, "a1", text, [("We will not cut the ferry,", _unit(1, 0))], sid,
                          published="2024-02-01")
        assert s.counts() == {"articles": 1, "speakers": 1, "quotes": 1, "claims": 1}
        [q] = s.quotes()
        assert (q.id, q.speaker, q.speaker_role, q.source) == (qids[0], "Ana Ruiz", "mayor",
                                                               "Harbour Gazette")
        assert text[q.start:q.end] == q.quote
        assert s.quotes(speaker_ids=[sid])[0].id == q.id
        assert s.quotes(source="gazette")[0].id == q.id
        assert s.quotes(since="2024-03-01") == []
        [sp] = s.speakers()
        assert (sp.name, sp.aliases, sp.roles, sp.quote_count) == ("Ana Ruiz", ["Ruiz"],
                                                                   ["mayor"], 1)
        [c] = s.claims()
        assert (c.id, c.quote_id, c.speaker, c.data) == (cids[0], qids[0], "Ana Ruiz",
                                                         {"entities": ["ferry"]})
        assert s.claims_with_entity("ferry", 5) == cids
        assert [x.id for x in s.get_claims(cids)] == cids
        assert s.get_article("a1").text == text
        assert s.article_with_hash(s.article_hash("a1")) == "a1"
        rows = s.quote_rows("a1")
        assert rows[0]["mention"] == "Ana Ruiz" and rows[0]["confidence"] == pytest.approx(0.9)
        # Replacing the article replaces its quotes and claims, and their vectors.
        qids2, _ = _put(s, "a1", text, [("We will not cut the ferry,", _unit(0, 1))], sid)
        assert s.counts()["quotes"] == 1 and qids2 != qids
        ids, mat = s.quote_vectors()
        assert ids.tolist() == qids2 and np.allclose(mat[0], _unit(0, 1))
        assert s.unused_speakers() == []
        with s.transaction():
            assert s.delete_article("a1")
        assert s.counts() == {"articles": 0, "speakers": 1, "quotes": 0, "claims": 0}
        assert s.unused_speakers() == [(sid, "Ana Ruiz")]


def test_vector_and_word_search(new_index: str) -> None:
    with open_store(new_index) as s:
        text = ('"Harbour fees rise in May," said one official. "The bridge opens late," '
                'said another. "Fees for the harbour stay," said a third.')
        qids, _ = _put(s, "b1", text, [
            ("Harbour fees rise in May,", _unit(1, 0, 0)),
            ("The bridge opens late,", _unit(0, 1, 0)),
            ("Fees for the harbour stay,", _unit(0.9, 0.1, 0)),
        ])
        index = s.index("quotes")
        assert len(index) == 3
        scores, found = index.search(_unit(1, 0, 0)[None, :], 2)
        assert found[0].tolist() == [qids[0], qids[2]]
        assert scores[0][0] == pytest.approx(1.0, abs=1e-5)
        # Words: every term, any case, newest first.
        assert s.word_matches(["harbour", "fees"], 10) == [qids[2], qids[0]]
        assert s.word_matches(["BRIDGE"], 10) == [qids[1]]
        assert s.word_matches(["nothing"], 10) == []
        briefs = s.quote_briefs([qids[1]])
        assert briefs == [(qids[1], "The bridge opens late,", "Harbour Gazette", None)]


def test_model_mismatch_is_refused(new_index: str) -> None:
    with open_store(new_index) as s:
        _put(s, "c1", '"Rates fall," she said.', [("Rates fall,", _unit(1))])
        with pytest.raises(StoreError, match="built with embedding model 'unit-8'"):
            s.check_model("other-model")


def test_reembedding_with_another_model(new_index: str, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.ingest import embed_stored

    with open_store(new_index) as s:
        _put(s, "d1", '"Rates fall," she said.', [("Rates fall,", _unit(1))])
        s.lock()
        assert embed_stored(s, hash_encoder) == 2
        s.rebuild_indexes()
        assert s.embedding_model() == (hash_encoder.name, hash_encoder.dim)
        ids, mat = s.quote_vectors()
        assert mat.shape == (1, hash_encoder.dim)
        assert len(s.index("quotes")) == 1


def test_missing_store_and_readonly(new_index: str) -> None:
    with pytest.raises(StoreError, match="no factcheck store"):
        open_store(new_index, create=False, readonly=True)
    open_store(new_index).close()
    with open_store(new_index, readonly=True) as r, pytest.raises(StoreError, match="read-only"):
        r.lock()


def test_newer_schema_refused(new_index: str) -> None:
    with open_store(new_index) as s, s.transaction():
        s.set_meta("schema_version", "999")
    with pytest.raises(StoreError, match="newer factcheck"):
        open_store(new_index)


# --- the seeds: same answers on both backends --------------------------------------------------

QUERIES = ["missiles destabilizing for Israel", "political solution", "chemical weapons army",
           "S-300 delivery to Syria", "ceasefire talks in Geneva"]


def _meant(store, encoder, query: str, hits: list) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The hits ranked above the first one with no similarity to the query. With the hash
    encoder most quotes have exactly 0 cosine to a query; which of those fill the candidate
    pool is an arbitrary tie-break (FAISS and PostgreSQL break ties differently), and from
    the first such hit on, the ranking depends on it."""
    qvec = encoder.encode([query])[0]
    ids, mat = store.quote_vectors([q.id for q in hits])
    sims = dict(zip(ids.tolist(), (mat @ qvec).tolist()))
    out = []
    for q in hits:
        if sims.get(q.id, 0.0) <= 1e-6:
            break
        out.append((q.article_id, q.start, q.score))
    return out


def _answers(index: str, encoder) -> dict:  # type: ignore[no-untyped-def]
    from factcheck.crosscheck import build_report
    from factcheck.search import search_quotes

    with open_store(index, create=False, readonly=True) as s:
        quotes = [(q.article_id, q.start, q.end, q.quote, q.speaker, q.speaker_role)
                  for q in s.quotes()]
        speakers = sorted((sp.name, sp.kind, tuple(sp.aliases), tuple(sp.roles),
                           sp.quote_count) for sp in s.speakers())
        hits = {}
        for query in QUERIES:
            hits[query] = _meant(s, encoder, query, search_quotes(s, encoder, query, k=5))
            kerry = [sp.id for sp in s.speakers() if sp.name == "John Kerry"]
            hits[query + " /kerry"] = _meant(s, encoder, query, search_quotes(
                s, encoder, query, k=3, speaker_ids=kerry))
        conflicts = sorted(
            (c.kind, c.topic_key, tuple(sorted((e.article_id, e.start) for e in c.claims)))
            for c in build_report(s))
    return {"quotes": quotes, "speakers": speakers, "hits": hits, "conflicts": conflicts}


def test_both_backends_agree_on_the_seeds(seeded_index, seeded_pg, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    lite = _answers(str(seeded_index), hash_encoder)
    pg = _answers(seeded_pg, hash_encoder)
    assert len(lite["quotes"]) >= 40 and lite["conflicts"]
    assert sum(len(h) for h in lite["hits"].values()) >= 15  # the comparison sees hits
    for key in ("quotes", "speakers", "hits", "conflicts"):
        assert pg[key] == lite[key], key


def test_search_on_each_backend(seeded_any: str, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.search import search_quotes

    with open_store(seeded_any, create=False, readonly=True) as s:
        [top] = search_quotes(s, hash_encoder, "missiles are potentially destabilizing", k=1)
        assert top.speaker == "John Kerry" and "destabilizing" in top.quote
        assert top.article_id and top.end > top.start  # evidence travels with the hit


# --- copy between backends ------------------------------------------------------------------


def test_copy_sqlite_to_postgres_and_back(seeded_index, pg_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from factcheck.export import dumps_jsonl
    from factcheck.store.copy import copy_store

    back = str(tmp_path / "back")
    with open_store(str(seeded_index), readonly=True) as src, open_store(pg_url) as dst:
        summary = copy_store(src, dst)
        assert summary.rows["quotes"] == src.counts()["quotes"]
    with open_store(pg_url, readonly=True) as src, open_store(back) as dst:
        copy_store(src, dst)
    with open_store(str(seeded_index), readonly=True) as a, \
            open_store(pg_url, readonly=True) as b, open_store(back, readonly=True) as c:
        want = [ln for ln in dumps_jsonl(a).splitlines()[1:]]  # all but the meta line
        assert [ln for ln in dumps_jsonl(b).splitlines()[1:]] == want
        assert [ln for ln in dumps_jsonl(c).splitlines()[1:]] == want
        ids_a, mat_a = a.quote_vectors()
        ids_c, mat_c = c.quote_vectors()
        assert ids_a.tolist() == ids_c.tolist() and np.array_equal(mat_a, mat_c)
        assert len(c.index("quotes")) == len(ids_a)  # the FAISS index was built
    with open_store(str(seeded_index), readonly=True) as src, open_store(pg_url) as dst, \
            pytest.raises(StoreError, match="not empty"):
        copy_store(src, dst)


def test_copy_command(seeded_index, pg_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from factcheck.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["copy", str(seeded_index), pg_url, "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["quotes", "--index", pg_url, "--speaker", "kerry", "--json"])
    assert res.exit_code == 0 and "destabilizing" in res.output
    res = runner.invoke(app, ["copy", str(seeded_index), pg_url])
    assert res.exit_code == 1 and "not empty" in res.output


def test_a_url_opens_postgres_wherever_a_store_is_opened(pg_url: str) -> None:
    from factcheck.store import Store
    from factcheck.store.postgres import PgStore

    with Store.open(pg_url) as s:  # callers that still say Store.open get the right backend
        assert isinstance(s, PgStore) and s.backend == "postgres"
        assert s.describe().startswith("postgresql://")


def test_cli_index_url_and_env(pg_url: str, seeds_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from factcheck.cli import app

    runner = CliRunner()
    doc = seeds_dir / "000_5936662356c6c8be.txt"
    res = runner.invoke(app, ["ingest", str(doc), "--index", pg_url, "--model", "hash",
                              "--processes", "1"])
    assert res.exit_code == 0, res.output
    monkeypatch.setenv("FACTCHECK_INDEX", pg_url)
    res = runner.invoke(app, ["speakers", "--json"])
    assert res.exit_code == 0 and "John Kerry" in res.output
    res = runner.invoke(app, ["doctor", "--json"])
    assert res.exit_code == 0, res.output


def test_doctor_rebuilds_a_missing_vector_index(seeded_index, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    from factcheck.doctor import diagnose
    from factcheck.store.copy import copy_store

    with open_store(str(seeded_index), readonly=True) as src, open_store(pg_url) as dst:
        copy_store(src, dst)
        with dst.transaction():
            dst.begin_bulk()  # as an interrupted copy would leave it
        report = diagnose(dst)
        assert not report.ok and "quotes_vector" in report.problems()[0].message
        assert diagnose(dst, repair=True).ok
        assert dst.missing_indexes() == [] and diagnose(dst).ok


def test_republication_and_delete_on_each_backend(new_index: str, seeds_dir, tmp_path,
                                                  hash_encoder) -> None:  # type: ignore[no-untyped-def]
    """A reprint under another name adds no quotes; deleting the original removes its quotes,
    its reprints and leaves no vector behind — the same on both backends."""
    from factcheck.ingest import ingest
    from factcheck.manage import delete_articles, list_articles

    src = sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt")[0]
    body = src.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "reprint.txt").write_text("Reprinted from the wire.\n\n" + body, encoding="utf-8")
    with open_store(new_index) as s:
        first = ingest([str(tmp_path / "a.txt")], s, hash_encoder)
        n_quotes = s.counts()["quotes"]
        assert n_quotes > 0 and first.added == 1
        again = ingest([str(tmp_path / "reprint.txt")], s, hash_encoder)
        assert again.copies == 1 and s.counts()["quotes"] == n_quotes
        rows = {r.id: r for r in list_articles(s, copies=True)}
        assert rows["reprint.txt"].copy_of == "a.txt"
        summary = delete_articles(s, ["a.txt"])
        assert summary.deleted == ["a.txt"] and summary.copies_deleted == ["reprint.txt"]
        assert s.counts()["quotes"] == 0 and s.counts()["articles"] == 0
        ids, _ = s.quote_vectors()
        assert len(ids) == 0
