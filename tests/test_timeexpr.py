from factcheck.timeexpr import PartialDate, find_times, resolve_time, time_relation


def _iso(text: str, pub: str | None, future: bool = False) -> list[str | None]:
    return [t.iso for t in find_times(text, pub, future)]


def test_years_and_months():
    assert _iso("In 2016, batteries were moved.", "2017-04") == ["2016"]
    assert _iso("the talks in March 2011 failed", "2016-04-21") == ["2011-03"]
    assert _iso("agreed on 21 August 2013", None) == ["2013-08-21"]


def test_relative_to_full_date():
    pub = "2013-09-09"  # a Monday
    assert _iso("said last week", pub) == ["2013-09-02"]
    assert _iso("agreed in May to meet", pub) == ["2013-05"]
    assert _iso("an alleged August 21 attack", pub) == ["2013-08-21"]
    assert _iso("said Thursday", pub) == ["2013-09-05"]
    assert _iso("signed last year", pub) == ["2012"]
    assert _iso("two years ago", pub) == ["2011"]
    assert _iso("yesterday", pub) == ["2013-09-08"]


def test_future_weekday_and_month():
    pub = "2016-04-21"  # a Thursday
    assert _iso("will meet on Friday", pub, future=True) == ["2016-04-22"]
    assert _iso("met on Friday", pub) == ["2016-04-15"]
    assert _iso("talks in May", pub, future=True) == ["2016-05"]
    assert _iso("talks in May", pub) == ["2015-05"]


def test_partial_publication_dates_limit_precision():
    assert _iso("said Thursday", "2017-04") == ["2017-04"]
    assert _iso("last month", "2017-04") == ["2017-03"]
    assert _iso("last week", "2017") == ["2017"]
    assert _iso("said Thursday", None) == [None]


def test_not_times():
    assert _iso("killed 2,013 people and 70,000 more", "2013") == []
    assert _iso("it may rain", "2013-05-01") == []
    assert resolve_time("no date here", "2013") is None


def test_relation():
    assert time_relation("2013-09", "2016") == "before"
    assert time_relation("2016", "2013-09-02") == "after"
    assert time_relation("2013-05-09", "2013-05") == "same"
    assert time_relation("2013-05-01", "2013-05-09") == "same"  # within tolerance
    assert time_relation(None, "2013") == "unknown"
    assert PartialDate.parse("2013-02-30") == PartialDate(2013, 2)


def test_shift_keeps_no_more_precision_than_it_had():
    from factcheck.timeexpr import shift

    assert shift("2016-04-21", "month", -1) == "2016-03"
    assert shift("2016-04-21", "day", -14) == "2016-04-07"
    assert shift("2016-04", "day", -3) == "2016-04"
    assert shift("2016", "month", -1) == "2016"
    assert shift(None, "year", 1) is None
