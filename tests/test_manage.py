"""Managing the store: articles, claims, delete (then doctor healthy, quotes gone from
search), search --claims, export --json; all through the CLI with --json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture()
def store_copy(seeded_index: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "index"
    shutil.copytree(seeded_index, dst)
    return dst


def test_articles_lists_with_counts_and_filters(seeded_index: Path) -> None:
    res = run("articles", "--index", str(seeded_index), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["total"] == 5 == len(data["articles"])
    assert data["quotes"] == sum(a["quotes"] for a in data["articles"]) > 0
    a = data["articles"][0]
    assert {"id", "title", "source", "published", "quotes", "claims", "copy_of"} <= set(a)
    one = data["articles"][0]["source"]
    res = run("articles", "--index", str(seeded_index), "--source", one, "--json")
    assert all(one.lower() in (x["source"] or "").lower()
               for x in json.loads(res.stdout)["articles"])
    res = run("articles", "--index", str(seeded_index), "--since", "2016", "--json")
    assert all(x["published"] >= "2016" for x in json.loads(res.stdout)["articles"])
    res = run("articles", "--index", str(seeded_index))
    assert res.exit_code == 0 and "5 article(s)" in res.stdout


def test_claims_list_and_search_words(seeded_index: Path) -> None:
    res = run("claims", "--index", str(seeded_index), "--json")
    assert res.exit_code == 0, res.output
    every = json.loads(res.stdout)
    assert every["total"] == len(every["claims"]) > 10
    c = every["claims"][0]
    assert {"claim", "speaker", "claim_time", "article_id", "start", "end"} <= set(c)
    word = next(w for w in c["claim"].split() if len(w) > 5 and w.isalpha())
    res = run("claims", word, "--index", str(seeded_index), "--json")
    found = json.loads(res.stdout)["claims"]
    assert found and all(word.lower() in x["claim"].lower() for x in found)
    res = run("claims", "--index", str(seeded_index), "--limit", "3")
    assert res.exit_code == 0 and "3 of" in res.stdout


def test_search_claims_finds_claims(seeded_index: Path) -> None:
    claims = json.loads(run("claims", "--index", str(seeded_index), "--json").stdout)["claims"]
    target = max(claims, key=lambda c: len(c["claim"]))
    res = run("search", target["claim"], "--claims", "--model", "hash",
              "--index", str(seeded_index), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["claims"] and data["claims"][0]["id"] == target["id"]


def test_delete_then_doctor_is_healthy_and_quotes_gone(store_copy: Path) -> None:
    arts = json.loads(run("articles", "--index", str(store_copy), "--json").stdout)["articles"]
    victim = max(arts, key=lambda a: a["quotes"])
    quotes = json.loads(run("quotes", "--index", str(store_copy), "--article", victim["id"],
                            "--json").stdout)["quotes"]
    assert quotes
    res = run("delete", victim["id"], "--index", str(store_copy), "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["deleted"] == [victim["id"]] and summary["quotes"] == victim["quotes"]
    res = run("doctor", "--index", str(store_copy))
    assert res.exit_code == 0, res.output
    left = json.loads(run("articles", "--index", str(store_copy), "--json").stdout)
    assert left["total"] == len(arts) - 1
    for q in quotes[:5]:
        res = run("search", q["quote"], "--model", "hash", "--index", str(store_copy),
                  "--json")
        assert all(r["article_id"] != victim["id"] for r in json.loads(res.stdout)["results"])
    claims = json.loads(run("claims", "--index", str(store_copy), "--json").stdout)["claims"]
    assert all(c["article_id"] != victim["id"] for c in claims)
    res = run("delete", "no-such-article", "--index", str(store_copy))
    assert res.exit_code == 1 and "no article" in res.stderr


def test_export_json_summary(seeded_index: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    res = run("export", "--format", "csv", "--output", str(out), "--json",
              "--index", str(seeded_index))
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["format"] == "csv" and out.exists()
    res = run("export", "--json", "--index", str(seeded_index))
    assert res.exit_code == 0
    json.loads(res.stdout.splitlines()[0])


def test_ingest_progress_lines_off_a_terminal_and_refused_files_not_counted(
        tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(4):
        (d / f"a{i}.txt").write_text(
            f"The ferry number {i} left late on Monday.\n\n“We are sorry for the delay {i},” "
            f"operator Lena Brask said.\n", encoding="utf-8")
    (d / "bad.txt").write_bytes(bytes(range(256)) * 8)
    res = run("ingest", str(d), "--index", str(tmp_path / "idx"), "--model", "hash",
              "--processes", "1", "--progress-every", "2", "--progress-seconds", "0")
    assert res.exit_code == 1  # one input skipped
    assert "Ingested 4 article(s)" in res.stdout
    lines = [x for x in res.stderr.splitlines() if x.startswith("ingest: ")]
    assert len(lines) == 2 and "/5 articles" in lines[0] and "skipped" in lines[-1]
    assert "1 input(s) skipped" in res.stderr


def test_quotes_and_claims_on_a_terminal_are_limited_with_the_total(
        seeded_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    cli_app = importlib.import_module("factcheck.cli.app")
    cli_quotes = importlib.import_module("factcheck.cli.quotes")
    cli_articles = importlib.import_module("factcheck.cli.articles")
    total = json.loads(run("quotes", "--index", str(seeded_index), "--json").stdout)["total"]
    n_claims = json.loads(run("claims", "--index", str(seeded_index), "--json").stdout)["total"]
    assert total > 3 and n_claims > 3
    res = run("quotes", "--index", str(seeded_index))  # not a terminal: every row
    assert f"{total} quote(s)" in res.stdout
    monkeypatch.setattr(cli_quotes, "TERMINAL_LIMIT", 3)
    monkeypatch.setattr(cli_articles, "TERMINAL_LIMIT", 3)
    monkeypatch.setattr(cli_app.out, "_force_terminal", True)  # as on a terminal
    monkeypatch.setattr(cli_app.out, "_color_system", None)
    res = run("quotes", "--index", str(seeded_index))
    assert res.exit_code == 0, res.output
    assert f"3 of {total} quote(s) (--limit N for more" in res.stdout
    res = run("quotes", "--index", str(seeded_index), "--limit", "5")
    assert f"5 of {total} quote(s)" in res.stdout
    res = run("quotes", "--index", str(seeded_index), "--json")  # JSON: all, with the total
    data = json.loads(res.stdout)
    assert data["total"] == total == len(data["quotes"])
    res = run("claims", "--index", str(seeded_index))
    assert f"3 of {n_claims} claim(s)" in res.stdout


def _ferry_stories(d: Path, n: int) -> None:
    d.mkdir()
    for i in range(n):
        (d / f"s{i}.txt").write_text(
            f"The tram line {i} reopened on Friday.\n\n“The repairs took longer than planned "
            f"{i},” the city engineer Mara Holt said.\n", encoding="utf-8")


def test_ingest_progress_moves_per_article_not_per_batch(tmp_path: Path) -> None:
    d = tmp_path / "in"
    _ferry_stories(d, 6)
    res = run("ingest", str(d), "--index", str(tmp_path / "idx"), "--model", "hash",
              "--processes", "1", "--batch-size", "3", "--progress-every", "1",
              "--progress-seconds", "0")
    assert res.exit_code == 0, res.output
    lines = [x for x in res.stderr.splitlines() if x.startswith("ingest: ")]
    assert [x.split()[1] for x in lines] == [f"{k}/6" for k in range(1, 7)]
    # The first article is reported as soon as it is analysed, before its batch is stored.
    assert "(0 stored)" in lines[0] and "ETA" in lines[0]
    assert "ETA" not in lines[-1]


def test_ingest_progress_line_every_few_seconds_off_a_terminal(tmp_path: Path) -> None:
    d = tmp_path / "in"
    _ferry_stories(d, 3)
    res = run("ingest", str(d), "--index", str(tmp_path / "idx"), "--model", "hash",
              "--processes", "1", "--progress-every", "1000", "--progress-seconds", "0.000001")
    assert res.exit_code == 0, res.output
    lines = [x for x in res.stderr.splitlines() if x.startswith("ingest: ")]
    assert len(lines) == 3 and lines[-1].startswith("ingest: 3/3 articles")
    res = run("ingest", str(d), "--index", str(tmp_path / "idx2"), "--model", "hash",
              "--processes", "1", "--progress-every", "1000", "--progress-seconds", "0")
    assert not [x for x in res.stderr.splitlines() if x.startswith("ingest: ")]
