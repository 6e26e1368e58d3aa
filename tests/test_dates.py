"""Partial ISO dates: parsing what articles and users write, ranges and filters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.dates import (
    DateError,
    date_range,
    find_date_in_text,
    normalise_date,
    parse_user_date,
    within,
)

PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.mark.parametrize("raw,want", [
    ("2013", "2013"),
    ("2013-09", "2013-09"),
    ("2013-9-9", "2013-09-09"),
    ("2013/09/09", "2013-09-09"),
    ("2013-09-09T14:30:00Z", "2013-09-09"),
    ("9 September 2013", "2013-09-09"),
    ("Sept. 9, 2013", "2013-09-09"),
    ("September 9th, 2013", "2013-09-09"),
    ("Published May 2013", "2013-05"),
    ("  2016-06-17  ", "2016-06-17"),
])
def test_normalise_date_forms(raw: str, want: str) -> None:
    assert normalise_date(raw) == want


@pytest.mark.parametrize("raw", ["", "   ", "yesterday", "2013-13", "2013-02-30", "31 Foo 2013",
                                 "13/09/2013", "20133", None])
def test_normalise_date_rejects(raw: str | None) -> None:
    assert normalise_date(raw) is None


@pytest.mark.parametrize("raw", ["yesterday", "2013-13", "2013-02-30", "next week"])
def test_parse_user_date_errors_are_helpful(raw: str) -> None:
    with pytest.raises(DateError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_user_date(raw)


def test_date_range_and_leap_years() -> None:
    assert date_range("2013") == ("2013-01-01", "2013-12-31")
    assert date_range("2016-02") == ("2016-02-01", "2016-02-29")
    assert date_range("2015-02") == ("2015-02-01", "2015-02-28")
    assert date_range("2013-09-09") == ("2013-09-09", "2013-09-09")


def test_within_partial_dates() -> None:
    assert within("2013", "2013-06", None)  # the year could reach June
    assert not within("2012", "2013-06", None)
    assert within("2013-06", None, "2013-06-01")
    assert not within("2013-07", None, "2013-06-30")
    assert within(None, None, None)
    assert not within(None, "2013", None)  # undated articles pass no date filter


def test_find_date_in_text_only_full_dates_near_the_top() -> None:
    assert find_date_in_text("BEIRUT, 9 May 2013 (AFP) - Talks...") == "2013-05-09"
    assert find_date_in_text("Updated 2016-06-17 10:00. The envoy...") == "2016-06-17"
    assert find_date_in_text("In 2013 the talks stalled.") is None  # a bare year is a guess
    assert find_date_in_text("x" * 900 + " 9 May 2013") is None
    assert find_date_in_text("On 9 May 1066 a battle.") is None  # out of the plausible range


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalise_date_never_raises_and_is_valid(raw: str) -> None:
    out = normalise_date(raw)
    if out is not None:
        assert PARTIAL.match(out)
        lo, hi = date_range(out)
        assert lo <= hi


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.sampled_from(["%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%b %d %Y",
                                    "%Y/%m/%d"]))
def test_normalise_date_round_trips(d, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if d.year < 1000:
        return  # four-digit years only
    assert normalise_date(d.strftime(fmt)) == d.isoformat()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_find_date_in_text_never_raises(text: str) -> None:
    out = find_date_in_text(text)
    assert out is None or PARTIAL.match(out)
