"""Every gold quote of the seed articles is found and attributed to the gold speaker.

Reads ../shared/eval/seeds_gold.jsonl (relative to the repo) and skips cleanly without it.
Only gold quotes are compared: extra quotes (reader comments, related-post headlines) are the
pipeline's business.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from factcheck.attribution import attribute
from factcheck.records import Article, Quote

REPO = Path(__file__).resolve().parents[1]
GOLD = Path(
    os.environ.get("FACTCHECK_EVAL_DIR", REPO.parent / "shared" / "eval")
) / "seeds_gold.jsonl"
SEEDS = REPO / "seeds"

_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


def fold(text: str) -> str:
    text = text.translate(_FOLD).lower()
    text = re.sub(r"\b(?:al|el)-", "", text)
    text = re.sub(r"^the\s+", "", text.strip())
    return " ".join(text.split())


def _gold() -> list[dict[str, Any]]:
    if not GOLD.exists():
        return []
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


GOLD_ROWS = _gold()
CASES = [
    pytest.param(row["file"], q, id=f"{row['file'][:3]}-{i}")
    for row in GOLD_ROWS
    for i, q in enumerate(row["quotes"])
]


@pytest.fixture(scope="session")
def seed_quotes() -> dict[str, list[Quote]]:
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    out: dict[str, list[Quote]] = {}
    for row in GOLD_ROWS:
        path = SEEDS / row["file"]
        text = path.read_text(encoding="utf-8")
        out[row["file"]] = attribute(Article(id=row["file"], text=text), nlp(text))
    return out


@pytest.mark.skipif(not GOLD_ROWS, reason=f"seed gold not found at {GOLD}")
@pytest.mark.parametrize("file,gold", CASES)
def test_seed_gold_quote(file: str, gold: dict[str, Any], seed_quotes: dict) -> None:
    prefix = fold(gold["quote_prefix"])
    found = [q for q in seed_quotes[file] if fold(q.text).startswith(prefix)]
    assert found, f"quote not found: {gold['quote_prefix']!r}"
    accepted = {fold(gold["speaker"])} | {fold(a) for a in gold.get("also_accept", [])}
    names = [fold(q.speaker.name) if q.speaker else None for q in found]
    assert any(n in accepted for n in names), f"{gold['quote_prefix'][:40]!r}: {names}"


@pytest.mark.skipif(not GOLD_ROWS, reason=f"seed gold not found at {GOLD}")
def test_seed_not_quotes(seed_quotes: dict) -> None:
    """Quoted names (not_quotes) outside the comment sections are not returned as quotes."""
    for row in GOLD_ROWS:
        text = (SEEDS / row["file"]).read_text(encoding="utf-8")
        body_end = _body_end(text)
        for nq in row.get("not_quotes", []):
            hits = [
                q for q in seed_quotes[row["file"]]
                if fold(q.text) == fold(nq) and q.start < body_end
            ]
            assert not hits, f"{row['file']}: {nq!r} returned as a quote"


def _body_end(text: str) -> int:
    """Where reader comments start (a line reading 'Comments...'); the text end otherwise."""
    m = re.search(r"^\s*Comments\b.*$", text, flags=re.MULTILINE)
    return m.start() if m else len(text)
