"""The cross-check harness scores a report against gold conflicts and near-misses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from factcheck.crosscheck import ClaimEvidence, Conflict
from factcheck.records import Article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import eval_crosscheck as ev  # noqa: E402

A1 = "The quarry at Benn was closed on Monday. Nine workers were hurt in the slide."
A2 = "The Benn quarry reopened on Friday. The owners said 12 workers were hurt."


def _ev(art: str, text: str, body: str) -> ClaimEvidence:
    start = body.index(text)
    return ClaimEvidence(text=text, article_id=art, title=None, source=None, published=None,
                         claim_time=None, speaker=None, quote_id=None, start=start,
                         end=start + len(text))


def _conflict(kind: str, *members: ClaimEvidence) -> Conflict:
    return Conflict(id=kind, topic="t", kind=kind, score=0.5, explanation="",
                    claims=list(members))


def test_scores_found_right_kind_near_misses_and_false_flags(tmp_path: Path):
    arts = {"a1.txt": Article(id="a1.txt", text=A1), "a2.txt": Article(id="a2.txt", text=A2)}
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps([
        {"id": "quarry-status", "kind": "changed_over_time", "sides": [
            {"file": "a1.txt", "text_contains": "was closed on Monday"},
            {"file": "a2.txt", "text_contains": "quarry reopened on Friday"}]},
        {"id": "hurt", "kind": "contradiction", "subkind": "figure_contradiction", "sides": [
            {"file": "a1.txt", "text_contains": "Nine workers were hurt"},
            {"file": "a2.txt", "text_contains": "12 workers were hurt"}]},
    ]), encoding="utf-8")
    near_path = tmp_path / "near.json"
    near_path.write_text(json.dumps([{"id": "nm", "why": "x", "sides": [
        {"file": "a1.txt", "text_contains": "quarry at Benn"},
        {"file": "a2.txt", "text_contains": "The Benn quarry"}]}]), encoding="utf-8")
    gold = ev.load_gold(gold_path, arts)
    near = ev.load_gold(near_path, arts, near=True)
    report = [
        # the state change, found but called a series: found, not the right kind
        _conflict("series", _ev("a1.txt", "The quarry at Benn was closed on Monday", A1),
                  _ev("a2.txt", "The Benn quarry reopened on Friday", A2)),
        # a flag that holds no two sides of any gold conflict
        _conflict("dispute", _ev("a2.txt", "The owners said 12 workers were hurt", A2),
                  _ev("a2.txt", "The Benn quarry reopened on Friday", A2)),
    ]
    result = ev.score(report, gold, near)
    assert result["found"] == 1 and result["right_kind"] == 0
    assert result["near_misses_flagged"] == 1  # both near-miss sides sit in conflict 1
    assert result["flags"] == 2 and result["false_flags"] == 1
    assert result["per_class"]["contradiction/figure_contradiction"] == {
        "gold": 1, "found": 0, "right_kind": 0}
    report[0].kind = "update"
    assert ev.score(report, gold, near)["right_kind"] == 1


def test_competing_estimates_may_be_a_dispute():
    item = ev.GoldItem("x", "contradiction", "competing_estimates", [])
    assert ev.right_kinds(item) == {"contradiction", "dispute"}
    assert ev.right_kinds(ev.GoldItem("y", "blame", None, [])) == {"dispute"}


def test_skips_cleanly_without_shared(monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setattr(ev, "SHARED", tmp_path / "absent")
    assert ev.main([]) == 0
    assert "absent" in capsys.readouterr().err
