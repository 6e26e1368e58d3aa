"""Stored conflicts and the incremental cross-check (issue #16), on both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from factcheck import incremental
from factcheck.cli import app
from factcheck.store.base import open_store

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def _corpus(tmp_path: Path) -> list[list[Path]]:
    """The cross-check fixtures (two folders of short made-up reports) in three batches."""
    files = sorted((FIXTURES / "crosscheck_classes").glob("*.txt"))
    files += sorted((FIXTURES / "crosscheck").glob("*.txt"))
    out = []
    for b in range(3):
        d = tmp_path / f"batch{b}"
        d.mkdir()
        for p in files[b::3]:
            shutil.copy(p, d / p.name)
        out.append(sorted(d.iterdir()))
    return out


def _shape(conflicts: list) -> list:  # type: ignore[type-arg]
    return sorted((c.id, c.kind, c.topic_key,
                   tuple(sorted((e.article_id, e.start, e.end) for e in c.claims)))
                  for c in conflicts)


def test_three_incremental_batches_equal_one_rebuild(new_index: str, tmp_path: Path,
                                                     hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.ingest import ingest

    regions = []
    with open_store(new_index) as store:
        for batch in _corpus(tmp_path):
            ingest([str(p) for p in batch], store, hash_encoder)
            assert store.queue_size() > 0
            # k=2 and no rebuild shortcut: the region is smaller than the store.
            up = incremental.update(store, k=2, full_share=1.01)
            assert store.queue_size() == 0
            regions.append((up.region, up.stored, up.rebuilt))
        inc = incremental.stored(store)
        assert any(region < total and not rebuilt for region, total, rebuilt in regions)
        assert len(inc) >= 5
        kinds = {c.kind for c in inc}
        assert {"dispute", "series", "contradiction", "update"} <= kinds
        firsts = {c.id: c.first_seen for c in inc}
        incremental.rebuild(store, k=2)
        full = incremental.stored(store)
        assert _shape(inc) == _shape(full)
        assert {c.id: c.first_seen for c in full} == firsts  # first-seen times survive
        assert all(v == 0 for k, v in store.conflict_health().items()
                   if k not in ("conflicts",))


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_report_new_since_rebuild_and_delete(new_index: str, tmp_path: Path) -> None:
    b0, b1, b2 = _corpus(tmp_path)
    for b in (b0, b1):
        assert _run("ingest", *map(str, b), "--index", new_index, "--model", "hash"
                    ).exit_code == 0
    res = _run("report", "--index", new_index, "--json")
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)["conflicts"]
    assert first and all(c["first_seen"] for c in first)
    # Nothing new: --new lists nothing; the stored conflicts are served as they are.
    res = _run("report", "--index", new_index, "--new", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["conflicts"] == []
    assert _run("ingest", *map(str, b2), "--index", new_index, "--model", "hash"
                ).exit_code == 0
    res = _run("report", "--index", new_index, "--new", "--json")
    assert res.exit_code == 0, res.output
    added = json.loads(res.stdout)["conflicts"]
    assert added and all(any(e["article_id"] in {p.name for p in b2} for e in c["claims"])
                         for c in added)
    # --since: first seen today or later holds everything; a future date nothing.
    res = _run("report", "--index", new_index, "--since", "2099", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)["conflicts"] == []
    res = _run("report", "--index", new_index, "--since", "2000-01-01", "--json")
    everything = json.loads(res.stdout)["conflicts"]
    assert len(everything) >= len(first) + 1
    # Filters still apply to the stored conflicts.
    res = _run("report", "--index", new_index, "--kind", "series", "--json")
    assert {c["kind"] for c in json.loads(res.stdout)["conflicts"]} == {"series"}
    # Usage errors: exit 2.
    assert _run("report", "--index", new_index, "--since", "someday").exit_code == 2
    assert _run("report", "--index", new_index, "--new", "--rebuild").exit_code == 2
    # A rebuild gives the same conflicts.
    res = _run("report", "--index", new_index, "--rebuild", "--json")
    assert res.exit_code == 0
    rebuilt = json.loads(res.stdout)["conflicts"]
    assert sorted(c["id"] for c in rebuilt) == sorted(c["id"] for c in everything)
    # Deleting an article removes it from every stored conflict.
    gone = everything[0]["claims"][0]["article_id"]
    assert _run("delete", gone, "--index", new_index).exit_code == 0
    with open_store(new_index) as store:
        assert store.stale_conflicts()  # marked by the delete itself
    res = _run("report", "--index", new_index, "--json")
    after = json.loads(res.stdout)["conflicts"]
    assert all(e["article_id"] != gone for c in after for e in c["claims"])
    res = _run("doctor", "--index", new_index, "--json")
    assert res.exit_code == 0, res.output
    found = {f["check"]: f for f in json.loads(res.stdout)["findings"]}
    assert found["conflicts"]["severity"] == "ok"


def test_model_change_rebuilds_and_doctor_repairs(seeded_copy: Path) -> None:
    idx = str(seeded_copy)
    res = _run("report", "--index", idx, "--json")
    assert res.exit_code == 0
    before = sorted(c["id"] for c in json.loads(res.stdout)["conflicts"])
    assert _run("reindex", "--index", idx, "--model", "hash-256").exit_code == 0
    res = _run("report", "--index", idx, "--json")
    assert res.exit_code == 0
    assert "rebuilt" in res.stderr
    with open_store(idx) as store:
        assert store.get_meta(incremental.BASIS_KEY) == incremental.basis(store)
        assert store.queue_size() == 0
        # Break the tables behind the store's back: doctor says so and repairs.
        with store.transaction():
            store._x("DELETE FROM claim_judged")
    res = _run("doctor", "--index", idx, "--json")
    assert res.exit_code == 1
    assert _run("doctor", "--index", idx, "--repair").exit_code == 0
    res = _run("report", "--index", idx, "--json")
    assert res.exit_code == 0
    assert sorted(c["id"] for c in json.loads(res.stdout)["conflicts"]) != [] or before == []


def test_read_only_report_judges_in_memory(seeded_copy: Path) -> None:
    """A reader with claims pending gets them judged, not a stale list, and saves nothing."""
    with open_store(seeded_copy) as store:  # the seeded store may have been reported on
        with store.transaction():
            store.reset_conflicts()
    with open_store(seeded_copy, readonly=True) as store:
        assert incremental.pending(store)
        found, _ = incremental.current(store)
        assert store.queue_size() > 0
    with open_store(seeded_copy) as store:
        saved, up = incremental.current(store)
        assert up is not None and up.written and not incremental.pending(store)
    assert _shape(found) == _shape(saved)


def test_desk_ingest_judges_and_report_reads_stored(tmp_path: Path) -> None:
    import factcheck

    idx = tmp_path / "index"
    b0, b1, _ = _corpus(tmp_path)
    fc = factcheck.open(idx, model="hash", create=True)
    fc.ingest(b0 + b1)
    with open_store(idx) as store:
        assert not incremental.pending(store)
        stored_ids = sorted(c.id for c in incremental.stored(store))
    assert sorted(c.id for c in fc.report()) == stored_ids
    series = fc.report(kind="series")
    assert all(c.kind == "series" for c in series)


def test_report_stores_the_frames_a_store_lacks(new_index: str, tmp_path: Path,
                                                hash_encoder) -> None:  # type: ignore[no-untyped-def]
    """A store ingested before the frame code it is judged with (or filled by import/copy)
    gets its frames stored by the next report, rebuild or update, so later reports decode
    them; the conflicts are the same either way."""
    from factcheck.ingest import ingest
    from factcheck.judges.framerecord import text_key, version

    batches = _corpus(tmp_path)
    with open_store(new_index) as store:
        ingest([str(p) for p in batches[0] + batches[1]], store, hash_encoder)
        texts = {c.text for c in store.claims()}
        assert set(store.frame_records(version())) == {text_key(t) for t in texts}
        with store.transaction():
            store.conn.execute("DELETE FROM claim_frames")  # as a store from older code
        assert store.frame_records(version()) == {}
        incremental.rebuild(store, k=2)  # frames read from every text, then stored
        from_texts = _shape(incremental.stored(store))
        assert set(store.frame_records(version())) == {text_key(t) for t in texts}
        incremental.rebuild(store, k=2)  # frames decoded from the store
        assert from_texts and _shape(incremental.stored(store)) == from_texts
        ingest([str(p) for p in batches[2]], store, hash_encoder)
        with store.transaction():
            store.conn.execute("DELETE FROM claim_frames")
        incremental.update(store, k=2, full_share=1.01)  # the region's claims get theirs
        assert store.frame_records(version())
