"""The who-said-what commands through typer's CliRunner: exit codes, JSON, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_quotes_json_lists_every_stored_quote(seeded_index: Path) -> None:
    res = run("quotes", "--index", str(seeded_index), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    quotes = data["quotes"]
    assert len(quotes) >= 45
    keys = {"id", "quote", "speaker", "speaker_role", "anonymous", "partial", "article_id",
            "title", "source", "published", "start", "end", "context"}
    assert keys <= set(quotes[0])
    assert len({q["article_id"] for q in quotes}) == 5


def test_quotes_filters(seeded_index: Path) -> None:
    res = run("quotes", "--index", str(seeded_index), "--speaker", "lavrov", "--json")
    assert res.exit_code == 0
    quotes = json.loads(res.stdout)["quotes"]
    assert quotes and {q["speaker"] for q in quotes} == {"Sergei Lavrov"}
    # Lavrov is quoted in 2013 and 2016; the date filter keeps only 2016.
    res = run("quotes", "--index", str(seeded_index), "--speaker", "Sergey Lavrov",
              "--since", "2016", "--json")
    dates = {q["published"][:4] for q in json.loads(res.stdout)["quotes"]}
    assert dates == {"2016"}
    res = run("quotes", "--index", str(seeded_index), "--source", "naharnet", "--json")
    assert {q["source"] for q in json.loads(res.stdout)["quotes"]} == {"Naharnet"}


def test_quotes_no_partial_keeps_whole_quotes_only(seeded_index: Path) -> None:
    every = json.loads(run("quotes", "--index", str(seeded_index), "--json").stdout)["quotes"]
    res = run("quotes", "--index", str(seeded_index), "--no-partial", "--json")
    assert res.exit_code == 0, res.output
    whole = json.loads(res.stdout)["quotes"]
    assert any(q["partial"] for q in every)  # the seeds hold fragments ("defensive weapons")
    assert whole and not any(q["partial"] for q in whole)
    assert len(whole) == sum(not q["partial"] for q in every)


def test_anonymous_and_roles_are_reported(seeded_index: Path) -> None:
    quotes = json.loads(run("quotes", "--index", str(seeded_index), "--json").stdout)["quotes"]
    kerry = [q for q in quotes if q["speaker"] == "John Kerry"]
    assert kerry and any("Secretary of State" in (q["speaker_role"] or "") for q in kerry)
    assert any(q["anonymous"] for q in quotes)


def test_unknown_speaker_is_a_usage_error_with_suggestion(seeded_index: Path) -> None:
    res = run("quotes", "--index", str(seeded_index), "--speaker", "Zakharov Maria")
    # A near miss is matched; a name with nothing close is refused with exit 2.
    assert res.exit_code == 0
    res = run("quotes", "--index", str(seeded_index), "--speaker", "Qwxyz Plmok")
    assert res.exit_code == 2
    assert "unknown speaker" in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize("args", [
    ["quotes", "--since", "last tuesday"],
    ["search", "missiles", "-k", "0"],
])
def test_bad_options_exit_2(seeded_index: Path, args: list[str]) -> None:
    res = run(*args, "--index", str(seeded_index))
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    res = run("quotes", "--index", str(tmp_path / "nothing"))
    assert res.exit_code == 1
    assert "no factcheck store" in res.stderr


def test_speakers_json(seeded_index: Path) -> None:
    res = run("speakers", "--index", str(seeded_index), "--json")
    assert res.exit_code == 0
    speakers = json.loads(res.stdout)["speakers"]
    kerry = [s for s in speakers if s["name"] == "John Kerry"]
    assert kerry and "Kerry" in kerry[0]["aliases"] and kerry[0]["quote_count"] >= 5
    assert any(s["kind"] == "anonymous" for s in speakers)
    assert any(s["kind"] == "organisation" for s in speakers)


def test_search_with_hash_model_finds_exact_words(seeded_index: Path) -> None:
    res = run("search", "crystal clear that we prefer", "--index", str(seeded_index), "--json",
              "-k", "3")
    assert res.exit_code == 0, res.output
    results = json.loads(res.stdout)["results"]
    assert results[0]["quote"].startswith("We have made it crystal clear")
    assert "score" in results[0] and results[0]["score"] >= results[-1]["score"]


def test_ingest_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text('The minister said: "We will reopen the border crossing on Monday."\n')
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 binary\x00\x01")
    latin = tmp_path / "latin.txt"
    latin.write_bytes('Le ministre a déclaré: "Nous négocierons," a-t-il dit.'.encode("latin-1"))
    idx = tmp_path / "idx"
    res = run("ingest", str(good), str(empty), str(pdf), str(latin), str(tmp_path / "nope.txt"),
              "--index", str(idx), "--model", "hash", "--json")
    assert res.exit_code == 1  # something was skipped
    summary = json.loads(res.stdout)
    assert summary["added"] == 2
    msgs = "\n".join(res.stderr.splitlines())
    for name in ("empty.txt", "scan.pdf", "nope.txt"):
        assert name in msgs
    assert "Traceback" not in res.output
    # Ingesting again changes nothing.
    res = run("ingest", str(good), "--index", str(idx), "--model", "hash", "--json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["unchanged"] == 1


def test_same_file_name_from_another_folder_is_not_silently_replaced(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text('Ann Holt said: "The bridge will reopen."\n')
    (tmp_path / "b" / "story.txt").write_text('Bo Lind said: "Taxes will rise next year."\n')
    idx = str(tmp_path / "idx")
    assert run("ingest", str(tmp_path / "a"), "--index", idx, "--model", "hash").exit_code == 0
    res = run("ingest", str(tmp_path / "b"), "--index", idx, "--model", "hash")
    assert res.exit_code == 1 and "already taken" in res.stderr
    speakers = {q["speaker"] for q in json.loads(run("quotes", "--index", idx, "--json").stdout)
                ["quotes"]}
    assert speakers == {"Ann Holt"}
    res = run("ingest", str(tmp_path / "b"), "--index", idx, "--model", "hash", "--replace")
    assert res.exit_code == 0
    speakers = {q["speaker"] for q in json.loads(run("quotes", "--index", idx, "--json").stdout)
                ["quotes"]}
    assert speakers == {"Bo Lind"}
    # The replaced article's speaker is gone: a fuzzy --speaker cannot land on a dead row.
    assert run("quotes", "--index", idx, "--speaker", "Ann Holt").exit_code == 2


def test_reindex_with_another_model_reembeds_everything(seeded_copy: Path) -> None:
    idx = str(seeded_copy)
    res = run("reindex", "--index", idx, "--model", "hash-256", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["reembedded"] >= 200 and data["indexes"]["quotes"] >= 45
    # The store now answers with the new model and refuses the old one.
    hits = json.loads(run("search", "crystal clear", "--index", idx, "--json").stdout)
    assert hits["results"][0]["quote"].startswith("We have made it crystal clear")
    assert run("search", "x", "--index", idx, "--model", "hash").exit_code == 1
    assert run("doctor", "--index", idx).exit_code == 0
