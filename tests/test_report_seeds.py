"""`factcheck report` on the seeds: every `must` conflict, with the right kind, few others.

Ingested with the hash encoder (no model): entity/topic blocking must carry the conflicts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.crosscheck import ClaimEvidence, Conflict, build_report
from factcheck.reports.conflicts import md_escape, render_markdown, render_terminal, to_json

KIND_MAP = {"changed_over_time": "update", "numeric_changed_over_time": "series",
            "denial": "dispute", "opposing_positions": "dispute"}
MAX_FLAGGED = 7  # the gold lists 6; a real extra one is welcome, false alarms are not


@pytest.fixture(scope="module")
def seed_conflicts(seeded_any: str) -> list[Conflict]:
    from factcheck.store.base import open_store

    with open_store(seeded_any, create=False, readonly=True) as store:
        return build_report(store)


def _holds(conflict: Conflict, side: dict) -> bool:
    return any(e.article_id == side["file"] and side["text_contains"] in e.text
               for e in conflict.claims)


def test_every_must_conflict_is_found_with_its_kind(seed_conflicts, shared_eval: Path):
    path = shared_eval / "seeds_conflicts.json"
    if not path.exists():
        pytest.skip("seeds_conflicts.json absent")
    gold = json.loads(path.read_text(encoding="utf-8"))
    for g in gold:
        hits = [c for c in seed_conflicts if all(_holds(c, s) for s in g["sides"])]
        # The optional ones are found too (opposing positions on a person's place in
        # power; a withdrawal followed by a build-up): hold the rules to them.
        assert hits, f"missing {g['id']}"
        assert any(c.kind == KIND_MAP[g["kind"]] for c in hits), (
            g["id"], [c.kind for c in hits])


def test_one_story_is_one_conflict(seed_conflicts):
    # The sale being prepared, the suspension and the later transfer are one timeline.
    supply = [c for c in seed_conflicts if c.topic_key.startswith("supply:")]
    assert len(supply) == 1, [c.topic for c in supply]
    times = [e.claim_time for e in supply[0].claims]
    assert len(times) >= 3 and times == sorted(times)
    assert "halted (2 Sept 2013) → going ahead (2016)" in supply[0].explanation


def test_report_searches_the_store_index_once(seeded_any: str):
    from factcheck.store.base import open_store

    with open_store(seeded_any, create=False, readonly=True) as store:
        index = store.index("claims")
        calls: list[int] = []
        real = index.search

        def counted(q, k):  # type: ignore[no-untyped-def]
            calls.append(len(q))
            return real(q, k)

        index.search = counted
        conflicts = build_report(store)
        n_claims = len(store.claims())
    assert calls == [n_claims]  # one batched search for all claims
    assert len(conflicts) >= 3


def test_few_flags(seed_conflicts):
    assert 3 <= len(seed_conflicts) <= MAX_FLAGGED, [c.topic for c in seed_conflicts]


def test_filters(seeded_any: str, seed_conflicts):
    from factcheck.store.base import open_store

    with open_store(seeded_any, create=False, readonly=True) as store:
        series = build_report(store, kind="series")
        assert series and all(c.kind == "series" for c in series)
        s300 = build_report(store, topic="S-300")
        assert s300 and all("S-300" in c.topic or any("S-300" in e.text for e in c.claims)
                            for c in s300)
        assert build_report(store, topic="no such topic anywhere") == []
        putin = build_report(store, speaker="Putin")
        assert putin and all(any("Putin" in (e.speaker or "") for e in c.claims) for c in putin)


def test_renderers(seed_conflicts):
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(render_terminal(seed_conflicts))
    screen = console.export_text()
    assert "SERIES" in screen and "death toll" in screen
    md = render_markdown(seed_conflicts)
    assert md.startswith("# Claim conflicts") and "| about |" in md
    assert json.loads(json.dumps(to_json(seed_conflicts)))["conflicts"]


def test_markdown_escapes_article_text():
    evil = "[click](http://x) <script>alert(1)</script> *bold* | pipe # head"
    c = Conflict(id="x", topic="t [x](y)", kind="dispute", score=0.5, explanation=evil,
                 claims=[ClaimEvidence(text=evil, article_id="a|b", title="T", source="S",
                                       published="2020", claim_time="2020", speaker="<b>",
                                       quote_id=None, start=0, end=3)])
    md = render_markdown([c])
    assert "[click](" not in md and "<script>" not in md and "<b>" not in md
    assert "*bold*" not in md and "a|b" not in md
    assert md_escape("a_b") == "a\\_b"


def test_cli_report_json_and_markdown(seeded_any: str):
    from typer.testing import CliRunner

    from factcheck.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["report", "--index", seeded_any, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {c["kind"] for c in data["conflicts"]} >= {"update", "series", "dispute"}
    res = runner.invoke(app, ["report", "--index", seeded_any, "--format", "markdown",
                              "--kind", "dispute"])
    assert res.exit_code == 0 and "### dispute" in res.stdout
    res = runner.invoke(app, ["report", "--index", seeded_any, "--kind", "nonsense"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["report", "--index", seeded_any, "--judge", "nli"])
    assert res.exit_code == 2
