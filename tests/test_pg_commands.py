"""Every command takes a postgresql:// URL for --index: a store copied from the seeds,
each command run through the CLI with --json, and `serve` answering from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.store.base import open_store

SEED_000 = "000_5936662356c6c8be.txt"
TOKEN = "pg-token-1"


@pytest.fixture()
def pg_seeds(seeded_index: Path, pg_url: str) -> str:
    """A writable PostgreSQL copy of the seeded store."""
    from factcheck.store.copy import copy_store

    with open_store(str(seeded_index), readonly=True) as src, open_store(pg_url) as dst:
        copy_store(src, dst)
    return pg_url


def _run(*args: str) -> object:
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res


def test_read_commands_take_a_url(pg_seeds: str, seeds_dir: Path, tmp_path: Path) -> None:
    url = pg_seeds
    out = _run("quotes", "--index", url, "--speaker", "kerry", "--json").stdout
    assert "destabilizing" in out
    hits = json.loads(_run("search", "missiles destabilizing for Israel", "--index", url,
                           "--model", "hash", "--json").stdout)
    assert hits and "John Kerry" in json.dumps(hits)
    assert "John Kerry" in _run("speakers", "--index", url, "--json").stdout
    report = json.loads(_run("report", "--index", url, "--json").stdout)
    assert report  # the seeds hold conflicts
    assert SEED_000 in _run("articles", "--index", url, "--json").stdout
    assert json.loads(_run("claims", "--index", url, "--limit", "3", "--json").stdout)
    checked = _run("check", str(seeds_dir / SEED_000), "--index", url, "--model", "hash",
                   "--json").stdout
    assert "consistent" in checked
    dump = tmp_path / "dump.jsonl"
    _run("export", "--index", url, "--output", str(dump), "--json")
    assert "destabilizing" in dump.read_text(encoding="utf-8")
    assert '"ok": true' in _run("doctor", "--index", url, "--json").stdout


def test_write_commands_take_a_url(pg_seeds: str, pg_url_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = pg_seeds
    _run("reindex", "--index", url, "--model", "hash", "--json")
    with open_store(url, readonly=True) as s:
        n = s.counts()["quotes"]
        assert len(s.vector_ids("quotes")) == n
    dump = tmp_path / "dump.jsonl"
    _run("export", "--index", url, "--output", str(dump))
    other = pg_url_factory()
    _run("import", str(dump), "--index", other, "--model", "hash", "--json")
    with open_store(other, readonly=True) as s:
        assert s.counts()["quotes"] == n
    _run("delete", SEED_000, "--index", url, "--json")
    with open_store(url, readonly=True) as s:
        assert s.get_article(SEED_000) is None and s.counts()["quotes"] < n


@pytest.fixture()
def pg_url_factory(pg_databases):  # type: ignore[no-untyped-def]
    return pg_databases.new


def test_serve_a_url(pg_seeds: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`factcheck serve --index URL`: the app uvicorn would run answers search, speakers
    and report from PostgreSQL (uvicorn itself is replaced by a test client)."""
    import uvicorn
    from fastapi.testclient import TestClient

    seen: dict[str, object] = {}

    def run(self, sockets=None):  # type: ignore[no-untyped-def]
        client = TestClient(self.config.app, base_url="http://127.0.0.1")
        seen["search"] = client.get("/api/search",
                                    params={"q": "missiles destabilizing for Israel"}).json()
        seen["speakers"] = client.get("/api/speakers", params={"name": "kerry"}).json()
        seen["report"] = client.get("/api/report").json()
        seen["status"] = client.get("/api/status").json()
        for s in sockets or []:
            s.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    res = CliRunner().invoke(app, ["serve", "--index", pg_seeds, "--port", "0",
                                   "--model", "hash"])
    assert res.exit_code == 0, res.output
    assert "postgresql://" in res.output and "serving" in res.output
    assert "John Kerry" in json.dumps(seen["search"])
    assert "John Kerry" in json.dumps(seen["speakers"])
    assert json.dumps(seen["report"]).count("claims") >= 1
    assert seen["status"]["counts"]["articles"] == 5


def test_web_ingest_into_postgres(pg_seeds: str) -> None:
    import time

    from fastapi.testclient import TestClient

    import factcheck
    from factcheck.web import create_app

    client = TestClient(create_app(factcheck.open(pg_seeds, model="hash"), allow_writes=True,
                                   token=TOKEN))
    line = json.dumps({"id": "ferry-1", "title": "Ferry fares", "source": "Harbour Post",
                       "published": "2021-03-01",
                       "text": "Ferry fares rose again. \u201cWe cannot hold prices any "
                               "longer,\u201d said Mara Quist, the operator's chief."})
    res = client.post("/api/ingest", files=[("files", ("batch.jsonl", line.encode()))],
                      headers={"x-factcheck-token": TOKEN})
    assert res.status_code == 202, res.text
    job_id = res.json()["job"]["id"]
    deadline = time.time() + 120
    while (job := client.get(f"/api/ingest/{job_id}").json()["job"])["status"] not in (
            "done", "failed") and time.time() < deadline:
        time.sleep(0.2)
    assert job["status"] == "done" and job["summary"]["added"] == 1, job
    found = client.get("/api/quotes", params={"speaker": "Mara Quist"}).json()
    assert found["count"] == 1
    with open_store(pg_seeds, readonly=True) as s:  # in the database, not a local file
        assert s.get_article("ferry-1") is not None
