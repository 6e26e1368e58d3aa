"""The cross-checker on synthetic articles about other topics, and its blocking."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factcheck.crosscheck import (
    blocking_keys,
    candidate_pairs,
    conflict_to_dict,
    faiss_neighbours,
    find_conflicts,
)
from factcheck.records import Claim

FIXTURES = Path(__file__).parent / "fixtures" / "crosscheck"


@pytest.fixture(scope="module")
def fixture_claims(nlp, hash_encoder):  # type: ignore[no-untyped-def]
    from factcheck.attribution import attribute
    from factcheck.claims import extract_claims
    from factcheck.corpus import read_inputs
    from factcheck.records import Article

    articles = {a.id: a for a in read_inputs([str(FIXTURES)]) if isinstance(a, Article)}
    claims = []
    for art in articles.values():
        doc = nlp(art.text)
        claims += extract_claims(art, attribute(art, doc), doc)
    vectors = hash_encoder.encode([c.text for c in claims])
    return claims, vectors, articles


def _by_file(conflicts):  # type: ignore[no-untyped-def]
    return {tuple(sorted({e.article_id for e in c.claims})): c for c in conflicts}


def test_fixture_conflicts_have_the_right_kinds(fixture_claims):  # type: ignore[no-untyped-def]
    claims, vectors, articles = fixture_claims
    conflicts = find_conflicts(claims, vectors, articles)
    found = _by_file(conflicts)
    assert found[("ceasefire_announced.txt", "ceasefire_broken.txt")].kind == "update"
    assert found[("toll_early.txt", "toll_later.txt")].kind == "series"
    assert found[("visit_denied.txt",)].kind == "dispute"
    assert found[("dam_positions.txt",)].kind == "dispute"
    # Opposing positions on one person's place in a government: a dispute.
    cabinet = found[("cabinet_exclusion.txt", "cabinet_reply.txt")]
    assert cabinet.kind == "dispute" and cabinet.topic_key == "tenure:kovac"
    assert not any("could be part" in e.text for e in cabinet.claims)  # a possibility
    # A withdrawal "weeks" before a new deployment, in one report: an update.
    troops = found[("troops_return.txt",)]
    assert troops.kind == "update" and troops.topic_key == "presence:norland"
    assert "withdrawing (Feb 2022) → building up (4 March 2022)" in troops.explanation
    assert len(conflicts) == 6  # nothing else in these articles conflicts
    denial = found[("visit_denied.txt",)]
    assert any("denied that" in e.text for e in denial.claims)
    assert any("visited Port Halden" in e.text for e in denial.claims)
    series = found[("toll_early.txt", "toll_later.txt")]
    assert [e.claim_time for e in series.claims] == sorted(e.claim_time for e in series.claims)
    assert "more than 10,000 (June 2015" in series.explanation
    assert "more than 40,000 (20 Nov 2018" in series.explanation


def test_found_without_vectors_too(fixture_claims):  # type: ignore[no-untyped-def]
    claims, _, articles = fixture_claims
    assert len(find_conflicts(claims, None, articles)) == 6


def test_json_shape(fixture_claims):  # type: ignore[no-untyped-def]
    claims, vectors, articles = fixture_claims
    d = conflict_to_dict(find_conflicts(claims, vectors, articles)[0])
    assert set(d) == {"id", "topic", "kind", "score", "explanation", "claims"}
    assert set(d["claims"][0]) == {"text", "article_id", "title", "source", "published",
                                   "claim_time", "speaker", "quote_id", "start", "end"}
    json.dumps(d)
    art = articles[d["claims"][0]["article_id"]]
    c0 = d["claims"][0]
    assert art.text[c0["start"]:c0["end"]] == c0["text"]


def test_custom_neighbours_are_used(fixture_claims):  # type: ignore[no-untyped-def]
    claims, vectors, articles = fixture_claims
    calls = []

    def nb(q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        calls.append(k)
        return faiss_neighbours(vectors)(q, k)

    find_conflicts(claims, vectors, articles, k=3, neighbours=nb)
    assert calls == [4]


def _synthetic(n: int) -> list[Claim]:
    out = []
    for i in range(n):
        ent = f"item{i // 4}"  # groups of four claims share an entity
        out.append(Claim(text=f"claim {i}", start=0, end=7, article_id=f"a{i}",
                         claim_time="2020", data={
                             "entities": [ent, "bigland"],  # bigland is in every claim
                             "events": [{"frame": "supply", "polarity": 1 if i % 2 else -1,
                                         "lemma": "x", "agent": None}]}))
    return out


def test_candidate_pairs_grow_linearly():
    for n in (200, 800):
        claims = _synthetic(n)
        rng = np.random.default_rng(0)
        vecs = rng.normal(size=(n, 16)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        pairs = candidate_pairs(claims, vecs, k=5, bucket_cap=40, window=4)
        # kNN gives at most n*k pairs, each entity bucket of 4 gives 6, the two keys of
        # "bigland" (in every claim) a time window of 4 each: far from n^2/2.
        assert len(pairs) <= n * 5 + 6 * (n // 4) + 2 * 4 * n
    assert "ev:supply:item0" in blocking_keys(_synthetic(1)[0])


def test_blocking_alone_finds_conflicts_and_windows_huge_buckets():
    claims = _synthetic(400)
    conflicts = find_conflicts(claims, None, {}, bucket_cap=40)
    # Each group of four has two positive and two negative claims: one conflict per group.
    assert len(conflicts) == 100
    assert all(c.topic_key.startswith("supply:item") for c in conflicts)


def test_oversized_bucket_pairs_neighbours_in_time_only():
    n = 500
    claims = [Claim(text=f"c{i}", start=0, end=2, article_id=f"a{i}",
                    claim_time=f"{2000 + i % 20}-01", data={"entities": ["everywhere1"]})
              for i in range(n)]
    pairs = candidate_pairs(claims, None, bucket_cap=40, window=4)
    assert 0 < len(pairs) <= 4 * n  # linear, not n^2/2 = 124,750
    # Neighbours in time meet: a figure is compared with the next reports of it.
    times = {p: (claims[p[0]].claim_time, claims[p[1]].claim_time) for p in pairs}
    assert all(abs(int(a[:4]) - int(b[:4])) <= 1 for a, b in times.values())


def _merge_claims() -> list[Claim]:
    def c(i: int, ents: list[str], pol: int, time: str) -> Claim:
        return Claim(text=f"story claim {i}", start=0, end=13, article_id=f"m{i}",
                     claim_time=time, data={"entities": ents, "events": [
                         {"frame": "supply", "polarity": pol, "lemma": "x", "agent": None}]})
    return [c(0, ["bigland"], 1, "2008"),                  # "Bigland is preparing to sell"
            c(1, ["bigland", "zx9"], -1, "2011"),          # "Bigland suspended the ZX-9"
            c(2, ["zx9"], 1, "2014")]                       # "ZX-9 batteries delivered"


def test_conflicts_of_one_story_are_merged():
    claims = _merge_claims()
    freq_pairs = find_conflicts(claims, None, {})
    assert len(freq_pairs) == 1
    story = freq_pairs[0]
    assert story.topic_key == "supply:zx9" and story.kind == "update"
    assert [e.article_id for e in story.claims] == ["m0", "m1", "m2"]  # one timeline
    assert "going ahead (2008) → halted (2011) → going ahead (2014)" in story.explanation


def test_store_index_neighbours_map_ids_to_positions():
    from factcheck.crosscheck import index_neighbours
    from factcheck.vectors import FaissIndex

    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(6, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = [101, 205, 307, 409, 511, 613]
    index = FaissIndex.build(8, np.asarray(ids[:5] + [999]), np.vstack([vecs[:5], vecs[5:]]))
    scores, pos = index_neighbours(index, ids)(vecs, 3)
    assert pos.shape == (6, 3)
    assert list(pos[:5, 0]) == [0, 1, 2, 3, 4]  # each finds itself first
    assert pos[5, 0] == -1  # id 999 is not one of the claims
