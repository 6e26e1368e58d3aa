"""Canonical speakers do not depend on the order articles are stored in.

Concurrent writers commit their batches in any order; one writer may get the files in any
order. A bare surname ("Okafor said") goes to the stored person with that surname who has
the most full-name quotes, settled after every batch, whichever came first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.ingest import ingest
from factcheck.speakers import prefer_display
from factcheck.store.base import open_store

ARTICLES = {
    "tram": 'The city council met on Monday to discuss the new tram line.\n\n'
            '"The tram will run by next winter," Transport Commissioner Helga Okafor said.\n',
    "union": 'Rail workers gathered outside the depot on Tuesday.\n\n'
             '"Fares will not rise this year," said Marco Okafor, head of the rail union. '
             '"We signed the deal at dawn," Marco Okafor added.\n',
    "audit": 'The audit office published its findings on Wednesday.\n\n'
             '"The audit came far too late," Okafor, who chairs the committee, said.\n',
}


def _state(index: str) -> tuple[list, list]:  # type: ignore[type-arg]
    with open_store(index, create=False, readonly=True) as s:
        who = sorted((q.article_id, q.start, q.speaker) for q in s.quotes())
        speakers = sorted((sp.name, sp.kind, tuple(sp.aliases), tuple(sp.roles), sp.quote_count)
                          for sp in s.speakers())
    return who, speakers


@pytest.mark.parametrize("order", [("tram", "union", "audit"), ("tram", "audit", "union"),
                                   ("audit", "union", "tram")])
def test_bare_surname_goes_to_the_same_person_in_any_order(
        order: tuple[str, ...], new_index: str, tmp_path: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    for name, text in ARTICLES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    with open_store(new_index) as store:
        for name in order:  # one batch each, as separate runs or writers would store them
            assert ingest([str(tmp_path / f"{name}.txt")], store, hash_encoder).added == 1
    who, speakers = _state(new_index)
    assert [w[2] for w in who if w[0] == "audit.txt"] == ["Marco Okafor"]
    assert speakers == [
        ("Helga Okafor", "person", ("Helga Okafor",), ("Transport Commissioner",), 1),
        ("Marco Okafor", "person", ("Marco Okafor", "Okafor"), ("head of the rail union",), 3),
    ]


def test_display_name_is_an_order_free_choice() -> None:
    for a, b, kind in [("Omar Haddad", "Umar Haddad", "person"),
                       ("the port authority", "The Port Authority", "organisation"),
                       ("a court official", "court official", "anonymous"),
                       ("Haddad", "Omar Haddad", "person")]:
        assert prefer_display(a, b, kind) == prefer_display(b, a, kind)
