"""`ingest --engine ray`: the same store as the local engine, on a local 2-CPU Ray.

One Ray is started for the module (two analysis actors, so articles are split between
them); the corpus mixes text files, a JSONL file, a syndicated copy, a duplicate and bad
files, so dedupe, copies, error lines and canonical speakers are all compared.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("ray.data", reason="Ray is an optional extra: pip install 'factcheck[ray]'")

from factcheck.cli import app  # noqa: E402
from factcheck.embeddings import HashEncoder  # noqa: E402
from factcheck.ingest import ingest  # noqa: E402
from factcheck.rayingest import ingest_ray  # noqa: E402
from factcheck.store import Store  # noqa: E402

ARTICLES = {
    "harbour.txt": (
        "Title: Harbour dredging delayed\nSource: Coast Daily\nDate: 2022-04-11\n\n"
        "The harbour authority said on Monday that dredging of the main channel would start "
        "in June, two months late.\n\n“We will not cut corners on safety to win back two "
        "months,” harbour master Lena Forsberg told reporters. “The channel will be ready "
        "for the autumn ships.”\n\nForsberg added that the contractor had been paid in "
        "full. The port's shipping agents said the delay would cost them money.\n"),
    "grain.txt": (
        "Title: Grain tariff row\nSource: Farm Post\nDate: 2022-04-12\n\n"
        "Farm minister Tomas Aldana said the grain tariff would stay at 12 percent this "
        "year.\n\n“There is no plan to raise the tariff,” Aldana said in a statement. "
        "Traders disagreed. “The ministry has already told us it will rise to 15 percent,” "
        "said Pia Hegde, who heads the grain traders' association.\n"),
    "tram.txt": (
        "Title: Tram budget approved\nSource: City Wire\nDate: 2022-05-02\n\n"
        "The city council approved the tram budget on Thursday after a long debate.\n\n"
        "“This budget puts the new line on track for 2025,” city treasurer Ines Varga said. "
        "Council member Omar Reyes called the plan “reckless” and said the costs had been "
        "understated.\n\nVarga later told the Tribune: “Every figure in it has been "
        "checked twice.”\n"),
    "empty.txt": "",
    "blob.txt": "\x00\x01\x02binary\x00" * 40,
}

RECORDS = [
    {"id": "wire-1", "source": "Lake Wire", "published": "2022-05-03",
     "text": "Forsberg said on Tuesday the dredging contract would not be renegotiated.\n\n"
             "“The contract stands as signed,” Forsberg said."},
    {"id": "wire-2", "source": "Lake Wire", "published": "2022-05-04",
     "text": "The rail union said its members would strike on Friday.\n\n“We have been "
             "left no choice,” union leader Pavel Okafor said. Okafor said talks had "
             "failed twice."},
    {"id": "wire-3", "text": "   "},
]


def make_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    # A syndicated copy: the same story under another outlet's header.
    body = ARTICLES["harbour.txt"].split("\n\n", 1)[1]
    (root / "reprint.txt").write_text(
        "Title: Dredging delay at the harbour\nSource: Reprint Herald\nDate: 2022-04-12\n\n"
        + body, encoding="utf-8")
    with (root / "wire.jsonl").open("w", encoding="utf-8") as fh:
        for rec in RECORDS:
            fh.write(json.dumps(rec) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps(RECORDS[0]) + "\n")  # the same id again in this run
    return root


def contents(root: Path) -> dict[str, Any]:
    """Everything a reader sees: articles, quotes with offsets and speakers, claims."""
    with Store.open(root, readonly=True) as store:
        conn = store.conn
        return {
            "articles": [tuple(r) for r in conn.execute(
                "SELECT id, title, source, published, content_hash FROM articles ORDER BY id")],
            "quotes": [tuple(r) for r in conn.execute(
                "SELECT q.article_id, q.text, q.start, q.end, q.partial, q.cue, s.name, "
                "s.kind, q.vector FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id "
                "ORDER BY q.article_id, q.start, q.end")],
            "claims": [tuple(r) for r in conn.execute(
                "SELECT c.article_id, c.text, c.start, c.end, s.name FROM claims c "
                "LEFT JOIN speakers s ON s.id = c.speaker_id ORDER BY c.article_id, c.start, "
                "c.end")],
            "speakers": sorted((sp.id, sp.name, sp.kind, tuple(sorted(sp.aliases)),
                                tuple(sorted(sp.roles)), sp.quote_count)
                               for sp in store.speakers()),
            "copies": sorted((a.id, store.copy_of(a.id)) for a in store.articles(False)),
        }


@pytest.fixture(scope="module")
def local_ray():  # type: ignore[no-untyped-def]
    import ray

    from factcheck.rayingest import _start_ray

    started = _start_ray(ray, None, 2)  # the engine's own local start: 2 CPUs
    yield ray
    if started:
        ray.shutdown()


def test_ray_engine_gives_the_local_engines_store(tmp_path: Path, local_ray
                                                  ) -> None:  # type: ignore[no-untyped-def]
    corpus = make_corpus(tmp_path / "corpus")
    paths = [str(corpus)]
    enc = HashEncoder(64)
    with Store.open(tmp_path / "local") as store:
        local = ingest(paths, store, enc, batch_size=2, n_process=1)
    with Store.open(tmp_path / "ray") as store:
        on_ray = ingest_ray(paths, store, enc, batch_size=2, workers=2)
    assert local.added == 5 and local.copies == 1 and local.quotes >= 9
    for key in ("read", "added", "unchanged", "copies", "quotes", "claims",
                "dropped_boilerplate"):
        assert getattr(on_ray, key) == getattr(local, key), key
    assert sorted(map(str, on_ray.errors)) == sorted(map(str, local.errors))
    assert len(on_ray.errors) == 5  # empty, binary, blank record, bad JSON line, duplicate id
    got = contents(tmp_path / "ray")
    assert got == contents(tmp_path / "local")
    # One person across articles and files: "Forsberg" in the wire record is Lena Forsberg.
    assert {q[1]: q[6] for q in got["quotes"]}["The contract stands as signed,"] \
        == "Lena Forsberg"
    for key in ("parse", "attribute", "claims", "embed", "store"):
        assert on_ray.timings.get(key, 0.0) > 0.0, key

    # Again, from the command line: nothing changed, the bad inputs are named again.
    res = CliRunner().invoke(app, ["ingest", str(corpus), "--engine", "ray", "--workers", "2",
                                   "--index", str(tmp_path / "ray"), "--model", "hash-64",
                                   "--json"])
    assert res.exit_code == 1, res.output  # some inputs were skipped
    data = json.loads(res.stdout)
    assert data["added"] == 0 and data["unchanged"] == 6 and len(data["errors"]) == 5
    assert "parse" not in data["timings"]  # nothing analysed
    skipped = [x for x in res.stderr.splitlines() if x.startswith("skipped")]
    assert len(skipped) == 5 and any("empty.txt" in x for x in skipped)
    assert any("blob.txt" in x for x in skipped) and "Traceback" not in res.stderr
    assert contents(tmp_path / "ray") == contents(tmp_path / "local")


def test_cli_without_ray_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck import rayingest

    def missing() -> None:
        raise rayingest.RayUnavailable(rayingest.MISSING)

    monkeypatch.setattr(rayingest, "require_ray", missing)
    (tmp_path / "a.txt").write_text("“Yes,” she said.", encoding="utf-8")
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--engine", "ray",
                                   "--index", str(tmp_path / "ix"), "--model", "hash"])
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0
    assert "pip install 'factcheck[ray]'" in res.stderr
    assert not (tmp_path / "ix").exists()  # refused before the store was created
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--engine", "spark"])
    assert res.exit_code == 2


@pytest.mark.model
def test_ray_engine_real_model_vectors_match(tmp_path: Path, local_ray) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from factcheck.embeddings import get_encoder

    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("grain.txt", "tram.txt"):
        (corpus / name).write_text(ARTICLES[name], encoding="utf-8")
    enc = get_encoder()
    with Store.open(tmp_path / "local") as store:
        ingest([str(corpus)], store, enc, n_process=1)
    with Store.open(tmp_path / "ray") as store:
        ingest_ray([str(corpus)], store, enc, workers=2)
    a, b = contents(tmp_path / "local"), contents(tmp_path / "ray")
    qa, qb = a.pop("quotes"), b.pop("quotes")
    assert a == b and [q[:-1] for q in qa] == [q[:-1] for q in qb] and len(qa) > 3
    va = [np.frombuffer(q[-1], np.float32) for q in qa]
    vb = [np.frombuffer(q[-1], np.float32) for q in qb]
    for x, y in zip(va, vb):  # batch padding may move the last float digits
        assert float(x @ y) > 0.9999
    shutil.rmtree(tmp_path / "c")
