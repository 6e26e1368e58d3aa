"""Quote attribution on short synthetic snippets (tests/fixtures/attribution/cases.jsonl),
plus properties of the quote-mark scanner and the public interface."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from factcheck.attribution import attribute, attribute_many
from factcheck.quotemarks import find_quote_spans
from factcheck.records import Article, Quote

CASES_FILE = Path(__file__).parent / "fixtures" / "attribution" / "cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="session")
def nlp() -> Any:
    from factcheck.nlp import load_spacy

    return load_spacy()


def _run(nlp: Any, text: str) -> list[Quote]:
    return attribute(Article(id="t", text=text), nlp(text))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any], nlp: Any) -> None:
    text = case["text"]
    quotes = _run(nlp, text)
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.context_start <= q.start and q.end <= q.context_end
        assert text[q.context_start : q.context_end] == q.context
        if q.speaker is not None and q.speaker.start is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.surface
    if "n_quotes" in case:
        assert len(quotes) == case["n_quotes"], [q.text for q in quotes]
    for nq in case.get("not_quotes", []):
        assert all(q.text != nq for q in quotes), f"{nq!r} returned as a quote"
    if "max_quote_chars" in case:
        assert all(len(q.text) <= case["max_quote_chars"] for q in quotes), [
            q.text for q in quotes
        ]
    for exp in case["quotes"]:
        hits = [q for q in quotes if q.text.startswith(exp["prefix"])]
        assert hits, f"quote {exp['prefix']!r} not found in {[q.text for q in quotes]}"
        q = hits[0]
        assert q.speaker is not None, f"{exp['prefix']!r}: no speaker"
        assert q.speaker.name == exp["speaker"], (exp["prefix"], q.speaker)
        if "kind" in exp:
            assert q.speaker.kind == exp["kind"], q.speaker
        if "role" in exp:
            assert q.speaker.role == exp["role"], q.speaker
        if "role_contains" in exp:
            assert exp["role_contains"] in (q.speaker.role or ""), q.speaker
        if "partial" in exp:
            assert q.partial == exp["partial"], q
        if "cue_contains" in exp:
            assert exp["cue_contains"] in (q.cue or ""), q


def test_attribute_parses_when_no_doc() -> None:
    text = "“Rates will fall,” banker Olu Ade said."
    quotes = attribute(Article(id="x", text=text))
    assert [q.speaker.name for q in quotes if q.speaker] == ["Olu Ade"]


def test_attribute_many_yields_doc_and_quotes() -> None:
    arts = [
        Article(id=str(i), text=f"“Item {i} is ready,” clerk Mia Holt said.") for i in range(3)
    ]
    out = list(attribute_many(arts, batch_size=2))
    assert [a.id for a, _, _ in out] == ["0", "1", "2"]
    for art, doc, quotes in out:
        assert doc.text == art.text
        assert len(quotes) == 1 and quotes[0].speaker and quotes[0].speaker.name == "Mia Holt"


def test_scanner_is_linear_and_safe_on_odd_marks() -> None:
    rng = random.Random(7)
    alphabet = "ab cd\n\"'“”‘’`.,"
    text = "".join(rng.choice(alphabet) for _ in range(200_000))
    t0 = time.process_time()
    spans = find_quote_spans(text)
    assert time.process_time() - t0 < 5.0
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert "\n" not in text[sp.start : sp.end]  # never crosses a paragraph break


def test_unclosed_mark_does_not_swallow_article() -> None:
    text = "He called it “a farce.\n\nThe next day, officials met.\n\nMore news followed."
    spans = find_quote_spans(text)
    assert len(spans) == 1 and text[spans[0].start : spans[0].end] == "a farce."


def test_attribute_on_random_text(nlp: Any) -> None:
    rng = random.Random(3)
    words = ["said", "Smith", "he", "“", "”", '"', "'", "’", "the", "plan", ".", ",", "\n\n"]
    text = " ".join(rng.choice(words) for _ in range(3000))
    quotes = _run(nlp, text)
    for q in quotes:
        assert text[q.start : q.end] == q.text


def test_attribution_is_fast_relative_to_parse(nlp: Any) -> None:
    para = (
        "“The port will stay open through the winter,” harbour master Ruth Keller said on "
        "Monday. She added that the ferries had been “running late for weeks” and that the "
        "council would review the timetable. According to Keller, repairs cost more than "
        "expected. “We need another crane,” she told reporters.\n\n"
    )
    text = para * 12  # about 800 words
    t0 = time.process_time()
    doc = nlp(text)
    parse = time.process_time() - t0
    t0 = time.process_time()
    attribute(Article(id="s", text=text), doc)
    attr = time.process_time() - t0
    assert attr < 2 * parse
