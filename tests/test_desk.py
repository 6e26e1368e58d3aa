"""The library face, ``factcheck.open``: the README example runs, each method returns the
records the CLI prints, no model is loaded until a search or check needs one, and the
report cache follows the store."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import factcheck
from factcheck.desk import Desk, DeskError, facets
from factcheck.speakers import UnknownSpeaker

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = "000_5936662356c6c8be.txt"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    found = [b for b in blocks if "factcheck.open(" in b]
    assert found, "README has no ```python block using factcheck.open"
    return found[0]


def test_readme_example_runs(seeded_index: Path, seeds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "index").symlink_to(seeded_index, target_is_directory=True)
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8")
    (tmp_path / "draft.txt").write_text(
        text.replace("missiles are potentially destabilizing", "missiles are destabilizing"),
        encoding="utf-8")
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(readme_example(), "README.md", "exec"), {"__name__": "readme"})
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    assert "John Kerry · We have previously stated" in printed
    assert "['Sergei Lavrov']" in printed
    assert "['misquote'] False" in printed


def test_open_loads_no_model_and_lists(seeded_index: Path) -> None:
    fc = factcheck.open(seeded_index)
    assert isinstance(fc, Desk)
    assert fc.counts() == {"articles": 5, "speakers": fc.counts()["speakers"], "quotes": 50,
                           "claims": fc.counts()["claims"]}
    quotes = fc.quotes()
    assert len(quotes) == 50
    kerry = fc.quotes(speaker="kerry")
    assert {q.speaker for q in kerry} == {"John Kerry"}
    assert fc.quotes(speaker=kerry[0].speaker_id) == kerry
    whole = fc.quotes(speaker="kerry", partial=False)
    assert whole and not any(q.partial for q in whole) and len(whole) < len(kerry)
    assert fc.quotes(limit=3) == quotes[:3]
    assert [s.name for s in fc.speakers("lavrvo")] == ["Sergei Lavrov"]
    assert fc.speakers()[0].quote_count >= fc.speakers()[-1].quote_count
    assert fc.speaker(kerry[0].speaker_id).name == "John Kerry"  # type: ignore[union-attr]
    assert fc.speaker(99999) is None and fc.quote(99999) is None
    assert fc.report(kind="update")
    assert not fc.encoder_loaded  # nothing so far needed the model


def test_bad_values_raise_clear_errors(seeded_index: Path) -> None:
    fc = factcheck.open(seeded_index)
    with pytest.raises(UnknownSpeaker, match="Qwxyz"):
        fc.quotes(speaker="Qwxyz Plonkh")
    with pytest.raises(DeskError, match="empty"):
        fc.search("   ")
    with pytest.raises(DeskError, match="k must be"):
        fc.search("missiles", k=0)
    with pytest.raises(DeskError, match="unknown kind"):
        fc.report(kind="rumour")
    from factcheck.dates import DateError

    with pytest.raises(DateError):
        fc.quotes(since="2016", until="2013")
    with pytest.raises(DeskError, match="empty"):
        fc.check("  ")
    from factcheck.store import StoreError

    with pytest.raises(StoreError, match="no factcheck store"):
        factcheck.open(seeded_index.parent / "nowhere")


def test_search_evidence_and_facets(seeded_index: Path) -> None:
    fc = factcheck.open(seeded_index)
    hits = fc.search("missiles destabilizing for Israel", k=5)
    assert hits[0].speaker == "John Kerry" and hits[0].score is not None
    assert fc.encoder_loaded and fc.model_load_seconds is not None
    whole = fc.search("missiles destabilizing for Israel", k=5, partial=False)
    assert not any(q.partial for q in whole)
    f = facets(hits)
    assert sum(x["count"] for x in f["speakers"]) == 5
    assert f["speakers"][0]["name"] == "John Kerry"
    ev = fc.evidence(hits[0].id)
    assert ev is not None and ev.article is not None
    assert ev.article.text[ev.quote.start:ev.quote.end] == ev.quote.quote
    assert ev.nearest and all(q.speaker == "John Kerry" for q in ev.nearest)
    sims = [q.score for q in ev.nearest]
    assert sims == sorted(sims, reverse=True)
    data = ev.to_dict()
    assert set(data) == {"quote", "article", "nearest", "conflicts"}


def test_check_and_ingest_through_the_desk(seeded_copy: Path, seeds_dir: Path) -> None:
    fc = factcheck.open(seeded_copy)
    before = fc.report()
    generation = fc._report_generation
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8").replace(
        "missiles are potentially destabilizing", "missiles are destabilizing")
    result = fc.check(text, title="Draft")
    assert result.summary["misquote"] == 1 and not result.stored
    assert fc.counts()["articles"] == 5
    art = Desk.make_article("Ferry news. \u201cFares will double next year,\u201d said "
                            "Mara Quist, the operator's chief.", "ferry-1",
                            source="Harbour Post", published="2021-03-01")
    summary = fc.ingest([art])
    assert summary.added == 1 and summary.quotes == 1
    assert fc.quotes(speaker="Mara Quist")[0].source == "Harbour Post"
    stored = fc.check(text, store=True)
    assert stored.stored and fc.counts()["articles"] == 7
    # The report cache follows the store: a changed store is cross-checked again.
    assert len(fc.report()) >= len(before)
    assert fc._report_generation != generation
