"""Judges on hand-built claims (no parser), and the NLI judge on a tiny model built here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from factcheck.judges import (
    JudgeContext,
    NLIJudge,
    RuleJudge,
    classify_kind,
    contradiction_index,
    make_judges,
)
from factcheck.records import Claim


def claim(text: str, *, art: str = "a", start: int = 0, speaker: str | None = None,
          time: str | None = "2020-01", **data) -> Claim:  # type: ignore[no-untyped-def]
    data.setdefault("entities", [])
    return Claim(text=text, start=start, end=start + len(text), article_id=art,
                 speaker=speaker, claim_time=time, data=data)


def ev(frame: str, polarity: int, lemma: str = "x", agent: str | None = None) -> dict:
    return {"frame": frame, "polarity": polarity, "lemma": lemma, "agent": agent}


CTX = JudgeContext(entity_freq=Counter({"f35": 2, "norway": 40}))


def test_opposite_events_over_time_are_an_update():
    a = claim("Norway suspended deliveries of F-35 jets", time="2013-09",
              entities=["f35", "norway"], events=[ev("supply", -1, "suspend")])
    b = claim("F-35 jets were transferred", art="b", time="2016",
              entities=["f35"], events=[ev("supply", 1, "transfer")])
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "update" and v.topic == "supply:f35"


def test_same_time_opposite_events_dispute_or_contradiction():
    a = claim("A", speaker="Ann", entities=["f35"], events=[ev("supply", 1)])
    b = claim("B", art="b", speaker="Bob", entities=["f35"], events=[ev("supply", -1)])
    assert RuleJudge().judge(a, b, CTX).kind == "dispute"  # type: ignore[union-attr]
    b.speaker = "Ann"
    assert RuleJudge().judge(a, b, CTX).kind == "contradiction"  # type: ignore[union-attr]


def test_country_alone_is_not_a_topic_unless_it_acts():
    a = claim("A", entities=["france"], events=[ev("supply", 1)])
    b = claim("B", art="b", entities=["france"], events=[ev("supply", -1)])
    assert RuleJudge().judge(a, b, CTX) is None
    a.data["events"] = [ev("supply", 1, agent="france")]
    b.data["events"] = [ev("supply", -1, agent="france")]
    assert RuleJudge().judge(a, b, CTX) is not None


def test_same_polarity_or_other_agents_is_no_conflict():
    a = claim("A", entities=["f35"], events=[ev("supply", 1, agent="france")])
    b = claim("B", art="b", entities=["f35"], events=[ev("supply", 1)])
    assert RuleJudge().judge(a, b, CTX) is None
    b.data["events"] = [ev("supply", -1, agent="denmark")]
    assert RuleJudge().judge(a, b, CTX) is None


def test_direct_denial_is_a_dispute_whatever_the_times():
    a = claim("the minister visited the port", start=10, speaker="officials", time="2020-02-11",
              entities=["port"], events=[ev("visit", 1)])
    b = claim("the ministry denied that", start=60, speaker="ministry", time="2020-03",
              entities=["port"], events=[ev("visit", -1)],
              denial={"anaphoric": True, "target_start": 10, "target_end": a.end})
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "dispute" and v.basis == "denial" and v.score > 0.9


def test_numbers_series_and_agreement():
    n = {"key": "killed|conflict", "measure": "killed", "unit": "people"}
    a = claim("A", time="2015-06", numbers=[{**n, "value": 10000, "low": 10000,
                                              "high": float("inf")}], places=["norland"])
    b = claim("B", art="b", time="2018-11",
              numbers=[{**n, "value": 40000, "low": 40000, "high": float("inf")}],
              places=["norland"])
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "series" and "more than 10,000" in v.explanation
    # Another country's war is another quantity.
    b.data["places"] = ["elsewhere"]
    assert RuleJudge().judge(a, b, CTX) is None
    # Same time, overlapping intervals ("more than 50" vs "51"): no conflict.
    c = claim("C", numbers=[{**n, "value": 50, "low": 50, "high": float("inf")}])
    d = claim("D", art="d", numbers=[{**n, "value": 58, "low": 56, "high": 60}])
    assert RuleJudge().judge(c, d, CTX) is None


def test_positions_are_disputes_even_years_apart():
    a = claim("A", speaker="Ostrava", time="2013", entities=["keldar"],
              scales=[{"scale": "legal", "value": 1, "word": "legal", "theme": None}])
    b = claim("B", art="b", speaker="Velmont", time="2020", entities=["keldar"],
              scales=[{"scale": "legal", "value": -1, "word": "illegal", "theme": None}])
    assert classify_kind(a, b, "scale", position=True) == "dispute"
    assert RuleJudge().judge(a, b, CTX).kind == "dispute"  # type: ignore[union-attr]


def test_make_judges_validates():
    judges = make_judges()
    # The offline default: the rule judge and one frame judge per conflict class, no model.
    assert {j.name for j in judges} == {"rule"} and len(judges) > 1
    with pytest.raises(ValueError):
        make_judges("nli")
    with pytest.raises(ValueError):
        make_judges("oracle")


# --- NLI judge on a tiny cross-encoder built by the test ----------------------------------


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    root = tmp_path_factory.mktemp("tiny-nli")
    words = ("the minister visited port did not visit deliveries were suspended transferred "
             "jets ceasefire broke held").split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(set(words))]
    (root / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizer(str(root / "vocab.txt"), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=3,
        id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(str(root))
    tokenizer.save_pretrained(str(root))
    return root


def test_nli_judge_loads_a_local_cross_encoder(tiny_nli: Path):
    a = claim("the minister visited the port", entities=["port"], speaker="officials")
    b = claim("the minister did not visit the port", art="b", entities=["port"],
              speaker="ministry")
    judge = NLIJudge(str(tiny_nli), threshold=0.0)
    model = judge.load()
    assert contradiction_index(model) == 2
    scores = judge.contradiction_scores([(a.text, b.text), (b.text, a.text)])
    assert len(scores) == 2 and all(0.0 <= s <= 1.0 for s in scores)
    v = judge.judge(a, b, CTX)
    assert v is not None and v.basis == "nli" and v.kind == "dispute"
    # Above any probability: never flags. Without a shared entity: not even asked.
    assert NLIJudge(str(tiny_nli), threshold=1.01).judge(a, b, CTX) is None
    c = claim("jets were transferred", art="c")
    assert judge.judge(a, c, CTX) is None


def test_nli_judge_reports_a_missing_model(tmp_path: Path):
    from factcheck.nlp import ModelLoadError

    with pytest.raises(ModelLoadError):
        NLIJudge(str(tmp_path / "nope")).load()


def test_an_event_dated_weeks_earlier_makes_an_update():
    # "X sent more troops, weeks after announcing a withdrawal" vs "X is moving vehicles in",
    # both in one report: the withdrawal came first, so the state changed.
    withdrawal = {**ev("presence", -1, "withdrawal", "norland"),
                  "lead": {"dir": -1, "unit": "week", "n": None}, "time": "2022-02"}
    a = claim("A", time="2022-03-04", entities=["norland", "kessel"],
              events=[ev("presence", 1, "send", "norland"), withdrawal])
    b = claim("B", start=200, time="2022-03-04", entities=["norland", "kessel"],
              events=[ev("presence", 1, "move into", "norland")])
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "update" and v.topic == "presence:kessel"
    del withdrawal["lead"], withdrawal["time"]  # undated: the same time, one voice
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "contradiction"


def test_positions_on_a_persons_place_in_power_are_a_dispute():
    a = claim("Kovac will not be part of the new cabinet", speaker="Jonas Brandt",
              time="2019-03-10", entities=["kovac"],
              events=[ev("tenure", -1, "not part of the cabinet", "kovac")])
    b = claim("Kovac's post is non-negotiable", art="b", speaker="Green Alliance",
              time="2019-06-12", entities=["kovac"],
              events=[ev("tenure", 1, "post non-negotiable", "kovac")])
    v = RuleJudge().judge(a, b, CTX)
    assert v is not None and v.kind == "dispute" and v.topic == "tenure:kovac"
    assert "Jonas Brandt: ended; Green Alliance: kept" in v.explanation
    # Different people's places are not one question.
    b.data["events"] = [ev("tenure", 1, "post non-negotiable", "novak")]
    assert RuleJudge().judge(a, b, CTX) is None


def test_explanations_read_like_a_journalists_summary():
    from factcheck.records import Article

    ctx = JudgeContext(articles={"a": Article("a", "", source="Test Wire",
                                              published="2013-09-09"),
                                 "b": Article("b", "", source="unknown", published="2017-04")},
                       entity_freq=Counter({"zx9": 2}))
    a = claim("Moscow had suspended deliveries of ZX-9 missile systems", speaker="Ivan Petrov",
              time="2013-09-02", entities=["zx9"], source="reported",
              events=[ev("supply", -1, "suspend", None)])
    b = claim("in 2016, ZX-9 batteries were transferred to the port", art="b", time="2016",
              entities=["zx9"], source="reporter", events=[ev("supply", 1, "transfer")])
    v = RuleJudge().judge(a, b, ctx)
    assert v is not None and v.kind == "update"
    assert v.explanation.startswith("Ivan Petrov said that Moscow had suspended deliveries of "
                                    "ZX-9 missile systems (2 Sept 2013); a report published "
                                    "April 2017 says that in 2016, ZX-9 batteries were "
                                    "transferred to the port.")
    assert "deliveries: halted (2 Sept 2013) → going ahead (2016)" in v.explanation
    assert "“" not in v.explanation  # reported speech is not quoted as the speaker's words
