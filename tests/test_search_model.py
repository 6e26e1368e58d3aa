"""Search with the real bundled model (all-MiniLM-L6-v2): meaning, not just words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

pytestmark = pytest.mark.model
runner = CliRunner()


@pytest.fixture(scope="module")
def model_index(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    idx = tmp_path_factory.mktemp("model") / "index"
    res = runner.invoke(app, ["ingest", str(seeds_dir), "--index", str(idx), "--json"])
    assert res.exit_code == 0, res.output
    return idx


def search(idx: Path, *args: str) -> list[dict]:
    res = runner.invoke(app, ["search", *args, "--index", str(idx), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["results"]


def test_kerry_quote_first(model_index: Path) -> None:
    hits = search(model_index, "missiles destabilizing for Israel", "--speaker", "kerry")
    assert hits[0]["speaker"] == "John Kerry"
    assert "potentially destabilizing" in hits[0]["quote"]


def test_search_by_meaning_without_shared_words(model_index: Path) -> None:
    # No word of the query is in the quote: only the embedding can find it.
    hits = search(model_index, "we have limits to how long we will wait", "-k", "3")
    assert any("patience is not infinite" in h["quote"] for h in hits)


def test_model_recorded_and_mismatch_refused(model_index: Path) -> None:
    res = runner.invoke(app, ["search", "x", "--index", str(model_index), "--model", "hash"])
    assert res.exit_code == 1
    assert "all-MiniLM-L6-v2" in res.stderr and "reindex" in res.stderr
