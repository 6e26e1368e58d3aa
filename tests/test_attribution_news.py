"""Attribution classes met in real news (issue #13), each on short snippets written here on
varied topics (tests/fixtures/attribution/news_classes.jsonl): descriptions that point back
to a named person or body, statement owners, quotes that came through an outlet (``via``),
pronouns never left as speakers, abbreviations, names after descriptions, possessive
owners, name particles, roles that are roles, and page data that yields no quote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcheck.attribution import attribute
from factcheck.attribution.roles import is_role
from factcheck.corpus import make_article
from factcheck.pagedata import find_page_data
from factcheck.records import Article

CASES_FILE = Path(__file__).parent / "fixtures" / "attribution" / "news_classes.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line]
PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "we"}


@pytest.fixture(scope="module")
def nlp() -> Any:
    from factcheck.nlp import load_spacy

    return load_spacy()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_news_class(case: dict[str, Any], nlp: Any) -> None:
    text = case["text"]
    quotes = attribute(Article(id="t", text=text, source=case.get("source")), nlp(text))
    for q in quotes:
        assert text[q.start : q.end] == q.text
        # never a bare pronoun as the speaker
        assert q.speaker is None or q.speaker.name.lower() not in PRONOUNS, q.speaker
    for nq in case.get("not_quotes", []):
        assert all(q.text != nq for q in quotes), f"{nq!r} returned as a quote"
    for exp in case["quotes"]:
        hits = [q for q in quotes if q.text.startswith(exp["prefix"])]
        assert hits, f"quote {exp['prefix']!r} not found in {[q.text for q in quotes]}"
        q = hits[0]
        assert q.speaker is not None, f"{exp['prefix']!r}: no speaker"
        assert q.speaker.name == exp["speaker"], (exp["prefix"], q.speaker)
        if "kind" in exp:
            assert q.speaker.kind == exp["kind"], q.speaker
        if "role_contains" in exp:
            assert exp["role_contains"] in (q.speaker.role or ""), q.speaker
        if exp.get("no_role"):
            assert q.speaker.role is None, q.speaker
        if "via" in exp:
            assert q.via == exp["via"], (q.via, q.speaker)


def test_roles_are_titles_or_functions() -> None:
    assert is_role("Foreign Minister") and is_role("a spokesman for the ministry")
    assert is_role("the harbour master") and is_role("Col.")
    assert not is_role("Estonian counterpart") and not is_role("Radio Norte's")
    assert not is_role("daily") and not is_role(None)


PAGE = (
    "Floods close the coast road\n\n"
    "Home | World | Weather | Sport\n\n"
    "The coast road was closed on Friday after the river burst its banks, the county said.\n\n"
    '{"id":"42","sort":"1","title":"Flood warnings for the coast"}\n'
    'data-id="7" title="Storm season" alt="Map"\n\n'
    "Related\n"
    '- Mayor: "We need a new sea wall"\n'
    "- Five things to know about the storm\n\n"
    '"We have never seen water this high," said Ines Moreau, who runs a cafe on the harbour.\n\n'
    "Share this: Facebook | Email\n\n"
    "12 comments\n"
    'Pat said: "Told you so."\n'
)


def test_page_data_lines_are_found() -> None:
    ranges = find_page_data(PAGE)
    covered = "".join(PAGE[s:e] for s, e in ranges)
    for bit in ("Home | World", '"sort":"1"', 'data-id="7"', "Related", "sea wall",
                "Share this", "Told you so"):
        assert bit in covered, bit
    assert "never seen water" not in covered and "coast road was closed" not in covered


def test_page_data_gives_no_quotes(nlp: Any) -> None:
    from factcheck.ingest import in_excluded

    art = make_article(PAGE, "page.txt")
    quotes = [q for q in attribute(art, nlp(art.text)) if not in_excluded(art, q.start)]
    assert [q.text for q in quotes] == ["We have never seen water this high,"]
    assert quotes[0].speaker is not None and quotes[0].speaker.name == "Ines Moreau"


def test_article_sentences_are_not_page_data() -> None:
    text = (
        "Promoted to general in 2019, Ada Holm now runs the academy.\n"
        "Sponsored by the city, the fair drew 4,000 visitors.\n"
        "Ad spending fell for the third year, the agency said.\n"
        "Related reading is listed in the appendix, the author said.\n"
        'The judge said "no" twice | and then adjourned.\n'
    )
    assert find_page_data(text) == []
