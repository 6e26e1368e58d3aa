"""Time expressions in news text, resolved against a (possibly partial) publication date.

News copy dates events relative to the day it was written: "said Thursday", "last week",
"in May", "two years ago". :func:`find_times` finds such expressions and resolves each to a
partial ISO date ("2016", "2013-05", "2013-05-09"); the result is only as precise as the
publication date allows ("Thursday" in an article dated "2017-04" resolves to "2017-04").

Weekdays and month names without a year are taken to be the latest one on or before the
publication date, since news mostly reports what has happened; ``future=True`` (the clause
is in the future tense) picks the next one instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3, "few": 3,
}


@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        if not text:
            return None
        m = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
        if not m:
            return None
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) and month else None
        if month is not None and not 1 <= month <= 12:
            return cls(year)
        if day is not None:
            try:
                dt.date(year, month or 1, day)
            except ValueError:
                day = None
        return cls(year, month, day)

    @classmethod
    def from_date(cls, d: dt.date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def date(self) -> dt.date | None:
        """The full date, when known to the day."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day this partial date may stand for."""
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.day is None:
            first = dt.date(self.year, self.month, 1)
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        d = dt.date(self.year, self.month, self.day)
        return d, d


@dataclass(frozen=True)
class TimeRef:
    """A resolved time expression: ``iso`` is the partial date it refers to."""

    surface: str
    start: int  # offsets into the text searched
    end: int
    iso: str | None  # None when it cannot be resolved (no publication date)
    granularity: str  # year | month | week | day
    relative: bool  # resolved against the publication date


_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUM_RE = "|".join(sorted((re.escape(k) for k in _SMALL_NUMBERS), key=len, reverse=True))

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 21 August 2013 / August 21, 2013 / August 2013 / August 21 / in August
    ("day_month_year", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_RE})\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.I)),
    ("month_day_year", re.compile(
        rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.I)),
    ("month_year", re.compile(
        rf"\b(?P<month>{_MONTH_RE})\.?,?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("month_day", re.compile(
        rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)",
        re.I)),
    ("day_month", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_RE})\b", re.I)),
    ("in_month", re.compile(
        rf"\b(?P<prep>in|since|until|by|during|from|last|next|this|early|late|mid-?)\s+"
        rf"(?P<month>{_MONTH_RE})\b(?!\s+\d)", re.I)),
    ("ago", re.compile(
        rf"\b(?P<n>\d+|{_NUM_RE})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("rel_unit", re.compile(
        r"\b(?P<which>last|next|this|past|previous|coming)\s+(?P<unit>week|month|year|weekend)\b",
        re.I)),
    ("earlier_this", re.compile(
        r"\b(?:earlier|later)\s+this\s+(?P<unit>week|month|year)\b", re.I)),
    ("weekday", re.compile(
        rf"\b(?:(?P<which>last|next|this|on|early|late)\s+)?(?:early\s+|late\s+)?"
        rf"(?P<weekday>{_WEEKDAY_RE})\b",
        re.I)),
    ("deictic", re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow)\b", re.I)),
    ("year", re.compile(r"(?<![\w$£€.,-])(?P<year>(?:19|20)\d\d)(?![\w%,.]\d|-\d|\s*(?:%|percent))",
                        re.I)),
]


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _resolve(kind: str, m: re.Match[str], pub: PartialDate | None, future: bool
             ) -> tuple[PartialDate | None, str, bool]:
    """(resolved date, granularity, relative?) for one match."""
    g = m.groupdict()
    if kind in ("day_month_year", "month_day_year"):
        month = MONTHS[g["month"].lower()]
        return PartialDate.parse(f"{g['year']}-{month}-{g['day']}"), "day", False
    if kind == "month_year":
        return PartialDate(int(g["year"]), MONTHS[g["month"].lower()]), "month", False
    if kind == "year":
        return PartialDate(int(g["year"])), "year", False
    if pub is None:
        return None, "day", True
    if kind in ("month_day", "day_month", "in_month"):
        month = MONTHS[g["month"].lower()]
        prep = (g.get("prep") or "").lower()
        year = pub.year
        if pub.month is not None and prep != "this":
            if prep == "next" or (future and prep != "last"):
                year += 1 if month <= pub.month and not (future and month == pub.month) else 0
            elif month > pub.month or (prep == "last" and month == pub.month):
                year -= 1
        if g.get("day"):
            d = PartialDate.parse(f"{year}-{month}-{g['day']}")
            return d, "day", True
        return PartialDate(year, month), "month", True
    if kind == "ago":
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else _SMALL_NUMBERS.get(raw, 1)
        return _shift(pub, g["unit"].lower(), -n)
    if kind == "rel_unit":
        which = g["which"].lower()
        unit = g["unit"].lower()
        unit = "week" if unit == "weekend" else unit
        delta = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
        return _shift(pub, unit, delta)
    if kind == "earlier_this":
        return _shift(pub, g["unit"].lower(), 0)
    if kind == "deictic":
        word = g["word"].lower()
        delta = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return _shift(pub, "day", delta)
    if kind == "weekday":
        which = (g.get("which") or "").lower()
        target = WEEKDAYS[g["weekday"].lower()]
        base = pub.date()
        if base is None:  # a weekday cannot be placed in a month-precision date
            return pub, "month" if pub.month else "year", True
        if which == "next" or (future and which != "last"):
            delta = (target - base.weekday()) % 7 or 7
        else:
            delta = -((base.weekday() - target) % 7)
            if which == "last" and delta == 0:
                delta = -7
        return PartialDate.from_date(base + dt.timedelta(days=delta)), "day", True
    return None, "day", True


def _shift(pub: PartialDate, unit: str, n: int) -> tuple[PartialDate, str, bool]:
    """Move ``pub`` by ``n`` units, keeping no more precision than ``pub`` has."""
    if unit == "year":
        return PartialDate(pub.year + n), "year", True
    if unit == "month":
        if pub.month is None:
            return PartialDate(pub.year), "year", True
        y, mth = _add_months(pub.year, pub.month, n)
        return PartialDate(y, mth), "month", True
    days = 7 * n if unit == "week" else n
    base = pub.date()
    if base is None:
        return pub, "month" if pub.month else "year", True
    return PartialDate.from_date(base + dt.timedelta(days=days)), unit, True


def find_times(text: str, published: str | None, future: bool = False) -> list[TimeRef]:
    """All time expressions in ``text``, resolved against ``published``; in text order.

    Overlapping matches keep the longest (so "May 9, 2013" is not also read as "2013").
    """
    pub = PartialDate.parse(published)
    found: list[TimeRef] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if kind == "month_day" and m.group("month").lower() == "may" and not m.group(
                "month"
            )[0].isupper():
                continue  # "may 5" as a modal verb
            if kind == "in_month" and m.group("month").lower() in ("may", "march"):
                if not m.group("month")[0].isupper():
                    continue
            if kind == "weekday" and not m.group("weekday")[0].isupper():
                continue
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date, gran, relative = _resolve(kind, m, pub, future)
            found.append(
                TimeRef(m.group(0), m.start(), m.end(), date.iso() if date else None, gran,
                        relative)
            )
            taken.append((m.start(), m.end()))
    found.sort(key=lambda t: t.start)
    return found


def resolve_time(text: str, published: str | None, future: bool = False) -> str | None:
    """The partial ISO date of the first resolvable time expression in ``text``, if any."""
    for ref in find_times(text, published, future):
        if ref.iso:
            return ref.iso
    return None


@lru_cache(maxsize=20_000)
def date_span(iso: str | None) -> tuple[dt.date, dt.date] | None:
    # Cached: a report compares the same few hundred claim dates thousands of times.
    d = PartialDate.parse(iso)
    return d.span() if d else None


def time_relation(a: str | None, b: str | None, tolerance_days: int = 14) -> str:
    """How two partial dates relate: ``same`` (overlap or within the tolerance),
    ``before`` (a is earlier), ``after`` or ``unknown``."""
    sa, sb = date_span(a), date_span(b)
    if sa is None or sb is None:
        return "unknown"
    tol = dt.timedelta(days=tolerance_days)
    if sa[1] + tol < sb[0]:
        return "before"
    if sb[1] + tol < sa[0]:
        return "after"
    return "same"


def shift(iso: str | None, unit: str, n: int) -> str | None:
    """``iso`` moved by ``n`` units (day | week | month | year), no more precise than it was.

    "weeks after" an event dated by its article: the event's own date is a shift back.
    """
    d = PartialDate.parse(iso)
    if d is None:
        return None
    return _shift(d, unit, n)[0].iso()
