"""Exports: JSONL round-trip, CSV, ClaimReview JSON-LD, and the export/import commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.export import (
    ExportFormatError,
    claimreview_items,
    dumps_jsonl,
    export_csv,
    import_jsonl,
    rating_for,
    validate_claimreview,
)
from factcheck.records import Article
from factcheck.store import Store


def _normalised(jsonl: str) -> list[dict]:
    """Records with the exporting store's ids replaced by what they stand for."""
    recs = [json.loads(line) for line in jsonl.splitlines()]
    speakers = {r["id"]: r["name"] for r in recs if r["type"] == "speaker"}
    quote_pos: dict[int, tuple[str, int]] = {}
    out = []
    for r in recs:
        r = dict(r)
        if r["type"] == "meta":
            r.pop("exported_at")
        elif r["type"] == "speaker":
            r.pop("id")
        elif r["type"] == "quote":
            quote_pos[r.pop("id")] = (r["article_id"], r["start"])
            r["speaker_id"] = speakers.get(r["speaker_id"])
        elif r["type"] == "claim":
            r.pop("id")
            r["quote_id"] = quote_pos.get(r["quote_id"])
            r["speaker_id"] = speakers.get(r["speaker_id"])
        out.append(r)
    return out


def _quotes_and_speakers(store: Store) -> tuple[list[tuple], list[tuple]]:
    quotes = [(q.quote, q.speaker, q.speaker_role, q.anonymous, q.partial, q.article_id,
               q.start, q.end, q.context, q.cue) for q in store.quotes()]
    speakers = sorted((s.name, s.kind, tuple(s.roles), tuple(s.aliases), s.quote_count)
                      for s in store.speakers())
    return quotes, speakers


@pytest.fixture(scope="module")
def seeds_export(seeded_index: Path) -> str:
    with Store.open(seeded_index, readonly=True) as store:
        return dumps_jsonl(store)


def test_jsonl_round_trip_loses_nothing(seeded_index: Path, seeds_export: str, tmp_path: Path,
                                        hash_encoder) -> None:  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "copy") as store:
        store.lock()
        summary = import_jsonl(store, seeds_export.splitlines(), hash_encoder)
        again = dumps_jsonl(store)
        copied = _quotes_and_speakers(store)
        counts = store.counts()
        n_vectors = len(store.index("quotes"))
    with Store.open(seeded_index, readonly=True) as original:
        expected = _quotes_and_speakers(original)
        expected_counts = original.counts()
    assert summary.articles == 5 and not summary.warnings
    assert counts == expected_counts
    assert copied == expected  # the same quotes with the same speakers, roles, aliases
    assert _normalised(again) == _normalised(seeds_export)  # modulo ids and the timestamp
    assert n_vectors == counts["quotes"]  # re-embedded, so search works on the copy


def test_import_in_small_batches_gives_the_same_store(
        seeds_export: str, tmp_path: Path, hash_encoder,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.export as ex

    monkeypatch.setattr(ex, "EMBED_BATCH", 2)  # 5 articles: batches of 2, 2, 1
    with Store.open(tmp_path / "small") as store:
        store.lock()
        summary = import_jsonl(store, iter(seeds_export.splitlines()), hash_encoder)
        again = dumps_jsonl(store)
        assert len(store.index("claims")) == summary.claims
    assert summary.articles == 5
    assert _normalised(again) == _normalised(seeds_export)


def test_export_records_are_typed_and_ordered(seeds_export: str) -> None:
    recs = [json.loads(line) for line in seeds_export.splitlines()]
    assert recs[0]["type"] == "meta" and recs[0]["format"] == "factcheck-export"
    seen_speakers: set[int] = set()
    seen_articles: set[str] = set()
    for r in recs[1:]:
        if r["type"] == "speaker":
            seen_speakers.add(r["id"])
        elif r["type"] == "article":
            seen_articles.add(r["id"])
            assert r["text"] and r["content_hash"]
        else:
            # streamable: what a record points at was already written
            assert r["article_id"] in seen_articles
            assert r["speaker_id"] is None or r["speaker_id"] in seen_speakers
    quotes = [r for r in recs if r["type"] == "quote"]
    texts = {r["id"]: r["text"] for r in recs if r["type"] == "article"}
    assert quotes and all(texts[q["article_id"]][q["start"]:q["end"]] == q["text"]
                          for q in quotes)
    assert all(q["evidence"]["article_id"] == q["article_id"] for q in quotes)


def test_import_twice_neither_duplicates_nor_rewrites(seeds_export: str, tmp_path: Path,
                                                      hash_encoder) -> None:  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "idx") as store:
        store.lock()
        import_jsonl(store, seeds_export.splitlines(), hash_encoder)
        first = store.counts()
        second = import_jsonl(store, seeds_export.splitlines(), hash_encoder)
        assert store.counts() == first
        assert second.replaced == 0 and second.unchanged == 5  # same text: left alone
        assert second.speakers_created == 0 and second.speakers_merged == first["speakers"]
        assert len(store.index("quotes")) == first["quotes"]


def test_bad_import_leaves_the_store_untouched(seeds_export: str, tmp_path: Path,
                                               hash_encoder) -> None:  # type: ignore[no-untyped-def]
    lines = seeds_export.splitlines()
    k = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == "quote")
    bad = json.loads(lines[k])
    bad["start"] += 3  # the offsets no longer point at the quoted words
    tampered = [*lines[:k], json.dumps(bad), *lines[k + 1:]]
    with Store.open(tmp_path / "idx") as store:
        store.lock()
        with pytest.raises(ExportFormatError, match=f":{k + 1}: quote text does not match"):
            import_jsonl(store, tampered, hash_encoder, source="x.jsonl")
        assert store.counts() == {"articles": 0, "speakers": 0, "quotes": 0, "claims": 0}
        with pytest.raises(ExportFormatError, match="not a factcheck JSONL export"):
            import_jsonl(store, ['{"type": "article", "id": "a", "text": "t"}'], hash_encoder)
        with pytest.raises(ExportFormatError, match="not JSON"):
            import_jsonl(store, [lines[0], "{oops"], hash_encoder)
        with pytest.raises(ExportFormatError, match="newer"):
            meta = json.loads(lines[0]) | {"version": 99}
            import_jsonl(store, [json.dumps(meta)], hash_encoder)


def test_csv_has_one_row_per_quote_with_evidence(seeded_index: Path) -> None:
    buf = io.StringIO()
    with Store.open(seeded_index, readonly=True) as store:
        n = export_csv(store, buf)
        quotes = store.quotes()
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert n == len(rows) == len(quotes)
    by_id = {int(r["quote_id"]): r for r in rows}
    for q in quotes:
        r = by_id[q.id]
        assert r["quote"].lstrip("'") == q.quote  # commas, quote marks survive CSV quoting
        assert r["speaker"] == (q.speaker or "") and r["article_id"] == q.article_id
        assert r["published"] == (q.published or "") and int(r["start"]) == q.start


def test_csv_cells_cannot_become_formulas() -> None:
    from factcheck.export import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("+1 more") == "'+1 more" and _cell("@user") == "'@user"
    assert _cell("plain words") == "plain words" and _cell(None) == "" and _cell(True) == "true"


# --- ClaimReview ---------------------------------------------------------------------------


def _articles() -> dict[str, Article]:
    return {
        "a1": Article(id="a1", text="...", title="Port reopens", source="Harbour News",
                      published="2021-03-04", url="https://news.example/port"),
        "a2": Article(id="a2", text="...", title="Port still shut", source="unknown",
                      published="2021-05"),
    }


def _conflict() -> dict:
    return {
        "id": "abc123", "kind": "update", "topic": "port — opening", "score": 0.8,
        "explanation": "the port was said open, then shut",
        "claims": [
            {"text": "The port reopened on Monday", "article_id": "a1", "speaker": "Ana Ruiz",
             "claim_time": "2021-03-01", "start": 0, "end": 3},
            {"text": "the port remains closed", "article_id": "a2", "speaker": None,
             "claim_time": "2021-05", "start": 0, "end": 3},
        ],
    }


def test_claimreview_items_have_the_required_fields() -> None:
    items = claimreview_items([_conflict()], _articles(), "Checkers Inc",
                              "https://checks.example/report.html", date_published="2024-01-02")
    assert len(items) == 2
    for item in items:
        assert validate_claimreview(item) == []
        assert item["url"] == "https://checks.example/report.html#conflict-abc123"
        assert item["author"] == {"@type": "Organization", "name": "Checkers Inc"}
        assert item["reviewRating"]["alternateName"] == rating_for("update")
    first, second = items
    assert first["claimReviewed"] == "The port reopened on Monday"
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Ana Ruiz"}
    assert first["itemReviewed"]["datePublished"] == "2021-03-04"
    assert first["itemReviewed"]["appearance"]["url"] == "https://news.example/port"
    # the outlet's own voice, outlet unnamed: still an author, never an empty name
    assert second["itemReviewed"]["author"]["name"]
    assert "the port remains closed" in first["reviewBody"]


def test_validator_names_what_is_missing() -> None:
    item = claimreview_items([_conflict()], _articles(), "Checkers Inc",
                             "https://checks.example/r.html")[0]
    broken = json.loads(json.dumps(item))
    del broken["reviewRating"]["alternateName"]
    broken["url"] = "report.html"
    broken["claimReviewed"] = " "
    del broken["itemReviewed"]["author"]
    problems = validate_claimreview(broken)
    assert any("alternateName" in p for p in problems)
    assert any(p.startswith("url") for p in problems)
    assert any(p.startswith("claimReviewed") for p in problems)
    assert any("itemReviewed.author" in p for p in problems)
    assert validate_claimreview({**item, "datePublished": "May 2013"}) == [
        "datePublished missing or not an ISO 8601 date"]


def test_every_seed_conflict_exports_as_valid_claimreview(seeded_index: Path) -> None:
    from factcheck.crosscheck import build_report

    with Store.open(seeded_index, readonly=True) as store:
        conflicts = build_report(store)
        articles = {a.id: a for a in store.articles()}
    items = claimreview_items(conflicts, articles, "Checkers Inc", "https://c.example/r.html")
    assert conflicts and len(items) == sum(len(c.claims) for c in conflicts)
    for item in items:
        assert validate_claimreview(item) == [], item


# --- the commands ----------------------------------------------------------------------------


def test_export_import_commands(seeded_index: Path, tmp_path: Path) -> None:
    from factcheck.cli import app

    runner = CliRunner()
    out = tmp_path / "seeds.jsonl"
    res = runner.invoke(app, ["export", "--index", str(seeded_index), "-o", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["import", str(out), "--index", str(tmp_path / "new"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["articles"] == 5 and summary["quotes"] > 0
    res = runner.invoke(app, ["export", "--index", str(tmp_path / "new")])
    assert res.exit_code == 0
    assert _normalised(res.stdout) == _normalised(out.read_text(encoding="utf-8"))

    res = runner.invoke(app, ["export", "--index", str(seeded_index), "-f", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("quote_id,speaker,")

    res = runner.invoke(app, ["export", "--index", str(seeded_index), "-f", "claimreview"])
    assert res.exit_code == 2 and "--organisation" in res.output
    res = runner.invoke(app, ["export", "--index", str(seeded_index), "-f", "claimreview",
                              "--organisation", "Checkers Inc",
                              "--review-url", "https://c.example/r.html"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.stdout)
    assert items and all(validate_claimreview(i) == [] for i in items)

    res = runner.invoke(app, ["export", "--index", str(seeded_index), "-f", "xml"])
    assert res.exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "quote"}\n', encoding="utf-8")
    res = runner.invoke(app, ["import", str(bad), "--index", str(tmp_path / "other")])
    assert res.exit_code == 1 and "not a factcheck JSONL export" in res.output


def test_import_twice_changes_nothing_and_bad_file_creates_no_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from typer.testing import CliRunner

    from factcheck.cli import app

    runner = CliRunner()
    src = tmp_path / "src"
    assert runner.invoke(app, ["ingest", "seeds", "--index", str(src), "--model", "hash"]
                         ).exit_code == 0
    dump = tmp_path / "e.jsonl"
    assert runner.invoke(app, ["export", "--format", "jsonl", "-o", str(dump), "--index",
                               str(src)]).exit_code == 0
    dest = tmp_path / "dest"
    first = runner.invoke(app, ["import", str(dump), "--index", str(dest), "--json"])
    assert first.exit_code == 0, first.output
    ids = [q["id"] for q in _json.loads(runner.invoke(
        app, ["quotes", "--index", str(dest), "--json"]).stdout)["quotes"]]
    again = runner.invoke(app, ["import", str(dump), "--index", str(dest), "--json"])
    assert again.exit_code == 0
    assert _json.loads(again.stdout)["unchanged"] == 5
    ids_after = [q["id"] for q in _json.loads(runner.invoke(
        app, ["quotes", "--index", str(dest), "--json"]).stdout)["quotes"]]
    assert ids_after == ids  # quote ids that reports cite stay put
    bad = runner.invoke(app, ["import", "README.md", "--index", str(tmp_path / "none")])
    assert bad.exit_code == 1 and "not JSON" in bad.stderr
    assert not (tmp_path / "none").exists()
