"""The PolNeAR harness's scoring rules (bench/eval_attribution.py) on hand-made articles.

No PolNeAR text is used: the articles below are written here, in PolNeAR's JSONL shape.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import eval_attribution as ev  # noqa: E402

TEXT = (
    'Mayor Ines Calloway called the plan "a reckless gamble." "We will open the bridge in '
    'May," she said. "It is late," one user wrote.'
)


def _gold(text: str, quote: str, speaker: str, occurrence: int = 0) -> dict[str, Any]:
    start = text.index(quote)
    s_start = text.index(speaker)
    if occurrence:
        s_start = text.index(speaker, s_start + 1)
    return {"quote": quote, "speaker": speaker, "start": start, "end": start + len(quote),
            "speaker_start": s_start, "speaker_end": s_start + len(speaker)}


def _row() -> dict[str, Any]:
    return {"doc_id": "t", "text": TEXT, "quotes": [
        _gold(TEXT, "We will open the bridge in May,", "she"),
        _gold(TEXT, "It is late,", "one user"),
    ]}


def _pred(text: str, quote: str, speaker: str | None, partial: bool = False,
          surface: str | None = None) -> ev.Pred:
    start = text.index(quote)
    s0 = text.index(surface) if surface else None
    return ev.Pred(start, start + len(quote), speaker, partial, s0,
                   s0 + len(surface) if surface and s0 is not None else None)


def test_direct_rows_leave_partial_quotes_out_and_all_rows_count_them() -> None:
    row = _row()
    preds = [
        _pred(TEXT, "a reckless gamble.", "Ines Calloway", partial=True),
        _pred(TEXT, "We will open the bridge in May,", "Ines Calloway"),
        _pred(TEXT, "It is late,", "one user", surface="one user"),
    ]
    tally = ev.Tally()
    ev.score_doc(row, preds, tally, keep=0, referents={row["quotes"][0]["speaker_start"]:
                                                       "Ines Calloway"})
    f = tally.figures()
    assert f["recall_direct"] == 1.0 and f["recall"] == 1.0
    assert f["precision_direct"] == 1.0  # the partial fragment is not a direct quote
    assert f["precision"] == round(2 / 3, 4)  # ... but counts against all spans
    assert f["pronoun_speaker_accuracy_v2"] == 1.0
    assert f["descriptive_speaker_accuracy"] == 1.0


def test_a_gold_quote_marked_partial_costs_direct_recall() -> None:
    row = _row()
    preds = [
        _pred(TEXT, "We will open the bridge in May,", "Ines Calloway", partial=True),
        _pred(TEXT, "It is late,", "one user"),
    ]
    tally = ev.Tally()
    ev.score_doc(row, preds, tally, keep=0)
    f = tally.figures()
    assert f["recall"] == 1.0
    assert f["recall_direct"] == 0.5


def test_descriptive_speaker_credit_by_phrase_or_name_only() -> None:
    row = _row()
    on_phrase = [_pred(TEXT, "It is late,", "Someone Else", surface="one user")]
    wrong = [_pred(TEXT, "It is late,", "Ines Calloway", surface="Mayor Ines Calloway")]
    for preds, want in ((on_phrase, 1.0), (wrong, 0.0)):
        tally = ev.Tally()
        ev.score_doc({**row, "quotes": row["quotes"][1:]}, preds, tally, keep=0)
        assert tally.figures()["descriptive_speaker_accuracy"] == want


@pytest.mark.parametrize(
    ("gold", "head"),
    [
        ("the ministry spokeswoman, Ana Ruiz", "Ana Ruiz"),
        ("the mayor's spokeswoman, Ana Ruiz", "Ana Ruiz"),
        ("Ms. Holt's chief of staff, Joe Kaspar", "Joe Kaspar"),
        ("Mr. Smith, who spoke first", "Mr. Smith"),
        ("Speaker of the House Paul Ryan", "Speaker of the House Paul Ryan"),
    ],
)
def test_head_name(gold: str, head: str) -> None:
    assert ev.head_name(gold) == head


def test_names_match_on_surname_not_on_title() -> None:
    assert ev.names_match("Ana Ruiz", "the ministry spokeswoman, Ana Ruiz")
    assert not ev.names_match("Ana Ortiz", "the ministry spokeswoman, Ana Ruiz")


def test_targets_and_rows_behind_textacy() -> None:
    fc = {key: 0.0 for key, _ in ev.ROWS} | {
        "recall_direct": 0.97, "precision_direct": 0.90, "named_speaker_accuracy": 0.93,
        "pronoun_speaker_accuracy_v2": 0.84, "precision": 0.6,
    }
    tx = {key: 0.0 for key, _ in ev.ROWS} | {"precision": 0.7}
    result = {"figures": {"factcheck": fc, "textacy": tx},
              "timing": {"parse_plus_attribution_over_2x_parse": 0.52}}
    out = ev.targets(result)
    assert out["targets"]["recall_direct"]["met"]
    assert not out["targets"]["pronoun_speaker_accuracy_v2"]["met"]
    assert out["targets"]["time_ratio"]["met"]
    assert out["behind_textacy"] == ["precision"]


def test_missing_data_skips_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main([str(tmp_path / "absent.jsonl")]) == 0
    assert "skipping" in capsys.readouterr().out


def test_end_to_end_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "mini.jsonl"
    data.write_text(json.dumps(_row()) + "\n", encoding="utf-8")
    assert ev.main([str(data), "--json", "--tools", "factcheck"]) == 0
    out = json.loads(capsys.readouterr().out)
    fc = out["figures"]["factcheck"]
    assert fc["gold_quotes"] == 2
    assert fc["recall_direct"] == 1.0
    assert set(out["targets"]) >= {"recall_direct", "precision_direct", "time_ratio"}


# --- the synthetic_news gold format (a corpus written here, in that shape) ------------------

def _synthetic_corpus(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "001.txt").write_text(
        "Title: Ferry fares\nSource: Harbour Times\nDate: 2025-05-01\n\n"
        "Ferry operator Nils Aberg, the company's chief executive, raised fares on Monday.\n\n"
        "\"Fuel has doubled in a year,\" the executive said.\n\n"
        "The \"fare shock\" has emptied the morning boats, the Harbour Times can reveal.\n\n"
        "Related\n- Mayor: \"We will subsidise the night boat\"\n", encoding="utf-8")
    gold = {"file": "001.txt", "quotes": [
        {"quote": "Fuel has doubled in a year,", "speaker": "Nils Aberg",
         "also_accept": ["Aberg"], "kind": "person", "partial": False, "pronoun": False}],
        "not_quotes": ["fare shock", "We will subsidise the night boat"]}
    (root / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    return root


def test_synthetic_format_is_read_and_scored(tmp_path: Path) -> None:
    root = _synthetic_corpus(tmp_path / "syn")
    assert ev.is_synthetic(root) and ev.is_synthetic(root / "gold.jsonl")
    assert not ev.is_synthetic(tmp_path)
    res = ev.run_synthetic(root, keep=3)
    assert res["gold_quotes"] == 1 and res["found"] == 1
    assert res["right_speaker"] == 1 and res["right_speaker_accuracy"] == 1.0
    assert res["not_quotes_stored"] == 0


def test_synthetic_speaker_matching_rules() -> None:
    assert ev.speaker_right("Nils Aberg", "Nils Aberg", [], "person")
    assert ev.speaker_right("Aberg", "Nils Aberg", [], "person")  # same surname, no first name
    assert not ev.speaker_right("Ola Aberg", "Nils Aberg", [], "person")
    assert ev.speaker_right("Norland's Health Ministry", "Norland Health Ministry", [],
                            "organisation")
    assert ev.speaker_right("a senior official", "anonymous senior port official", [],
                            "anonymous")
    assert not ev.speaker_right("a senior pilot", "anonymous senior port official", [],
                                "anonymous")
    assert not ev.speaker_right(None, "Nils Aberg", [], "person")


def test_synthetic_missing_corpus_skips_cleanly(tmp_path: Path, capsys: Any) -> None:
    assert ev.main(["--synthetic", str(tmp_path / "absent")]) == 0
    assert "not found" in capsys.readouterr().out
