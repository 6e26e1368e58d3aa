"""Wire and web news patterns met on real reporting (the attribution study of real wire
news, docs/attribution.md), each on a short snippet written here on varied topics
(tests/fixtures/attribution/wire_classes.jsonl): 'the statement said' as its issuer, titles
the NER takes for bodies, 'the sailor added' after a named speaker's quote, names set off
after descriptions at the sentence end, sign-offs with a title, a body's verb inside a
person's report, passive and gerund cues, a quote paragraph after a reported one, the
pronoun look-back over a sentence the parser ran across paragraphs, and a city that is no
person."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcheck.attribution import attribute
from factcheck.records import Article

CASES_FILE = Path(__file__).parent / "fixtures" / "attribution" / "wire_classes.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def nlp() -> Any:
    from factcheck.nlp import load_spacy

    return load_spacy()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_wire_class(case: dict[str, Any], nlp: Any) -> None:
    text = case["text"]
    quotes = attribute(Article(id="t", text=text), nlp(text))
    for exp in case["quotes"]:
        hits = [q for q in quotes if q.text.startswith(exp["prefix"])]
        assert hits, f"quote {exp['prefix']!r} not found in {[q.text for q in quotes]}"
        q = hits[0]
        if "not_speaker" in exp:
            # a word that is no person (a city) must never be the speaker
            assert q.speaker is None or q.speaker.name != exp["not_speaker"], q.speaker
            continue
        assert q.speaker is not None, f"{exp['prefix']!r}: no speaker"
        assert q.speaker.name == exp["speaker"], (exp["prefix"], q.speaker)
        if "kind" in exp:
            assert q.speaker.kind == exp["kind"], q.speaker


def test_quote_running_on_without_a_new_opening_mark_is_one_quote() -> None:
    from factcheck.quotemarks import find_quote_spans

    text = ('"The first part goes on.\n\nThe second part ends here," she said.\n\n'
            'An ordinary paragraph "with a quote" in it.')
    spans = find_quote_spans(text)
    parts = [text[s.start : s.end] for s in spans]
    assert parts[:2] == ["The first part goes on.", "The second part ends here,"]
    assert spans[0].group == spans[1].group
    assert spans[2].group != spans[1].group and parts[2] == "with a quote"
