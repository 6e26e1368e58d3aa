"""End to end on short made-up articles (own topics): ingest, extract claims, report.

Each class of conflict is found with its kind, and its near-miss is left out: a one-day
count against a running total, a workforce figure against a toll, agreement with one side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.crosscheck import Conflict, build_report

FIXTURES = Path(__file__).parent / "fixtures" / "crosscheck_classes"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, hash_encoder) -> list[Conflict]:  # type: ignore[no-untyped-def]
    from factcheck.ingest import ingest
    from factcheck.store import Store

    root = tmp_path_factory.mktemp("classes") / "index"
    with Store.open(root) as store:
        assert not ingest([str(FIXTURES)], store, hash_encoder).errors
    with Store.open(root, create=False, readonly=True) as store:
        return build_report(store)


def _between(conflicts: list[Conflict], *articles: str) -> list[Conflict]:
    return [c for c in conflicts if set(articles) <= {e.article_id for e in c.claims}]


@pytest.mark.parametrize("articles, kind", [
    (("trawlers_seen.txt", "trawlers_denied.txt"), "dispute"),  # an event denied
    (("mine_toll_governor.txt", "mine_toll_union.txt"), "contradiction"),  # one toll, 2 figures
    (("vaccine_february.txt", "vaccine_march.txt"), "series"),  # a running total
    (("crossing_closed.txt", "crossing_reopened.txt"), "update"),  # a state that changed
    (("quota_union.txt", "quota_minister.txt"), "dispute"),  # should vs will not
    (("currency_peg.txt",), "dispute"),  # sound and credible vs reckless
    (("ferry_authority.txt", "ferry_company.txt"), "dispute"),  # blame
])
def test_each_class_is_found_with_its_kind(report, articles, kind):
    hits = _between(report, *articles)
    assert hits, [c.topic for c in report]
    assert any(c.kind == kind for c in hits), [(c.kind, c.topic) for c in hits]


def test_near_misses_are_not_flagged(report):
    claims = [e for c in report for e in c.claims]
    assert not any("9,000" in e.text for e in claims)  # one day against a running total
    assert not any("1,200" in e.text for e in claims)  # a workforce is not a toll
    assert not any("backed" in e.text for e in claims)  # agreement is no side
    assert len(report) <= 8, [c.topic for c in report]  # nothing else cries wolf


def test_topics_read_as_words(report):
    for c in report:
        about = c.topic.split(" — ")[0].split(" (")[0]
        assert len(about) > 3 and not about.isdigit(), c.topic
