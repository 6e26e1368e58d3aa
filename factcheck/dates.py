"""Partial ISO dates: "2013", "2013-09", "2013-09-09".

Publication dates are often partial; a partial date stands for a range, and filters compare
ranges: ``--since 2013-06`` keeps an article dated "2013" only if the year could reach June.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ].*)?\s*$")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_MY = re.compile(r"\b([A-Za-z]{3,9})\s+(\d{4})\b")
_ISO_IN_TEXT = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")


class DateError(ValueError):
    """A date the user gave that cannot be read."""


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            date(y, m, d)
            return f"{y:04d}-{m:02d}-{d:02d}"
        if m is not None:
            if not 1 <= m <= 12:
                return None
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}"
    except ValueError:
        return None


def _written_date(text: str, plausible_only: bool = False) -> str | None:
    """The first full date written out in words ("9 September 2013", "Sept. 9, 2013").

    ``plausible_only`` keeps years 1900-2100: in running text, "7 May 2400" is not a date.
    """
    for rx, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        for m in rx.finditer(text):
            if order == "dmy":
                d, mon, y = m.group(1), m.group(2), m.group(3)
            else:
                mon, d, y = m.group(1), m.group(2), m.group(3)
            mo = MONTHS.get(mon.lower())
            if mo and (not plausible_only or 1900 <= int(y) <= 2100):
                out = _fmt(int(y), mo, int(d))
                if out:
                    return out
    return None


def normalise_date(raw: str | None) -> str | None:
    """Parse a date in common forms into a partial ISO string, or None if unreadable."""
    if raw is None:
        return None
    s = str(raw).strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) else None
        return _fmt(y, mo, d)
    written = _written_date(s)
    if written:
        return written
    m = _MY.search(s)
    if m and MONTHS.get(m.group(1).lower()):
        return _fmt(int(m.group(2)), MONTHS[m.group(1).lower()])
    return None


def parse_user_date(raw: str) -> str:
    """A date given on the command line; raises ``DateError`` with a helpful message."""
    out = normalise_date(raw)
    if out is None:
        raise DateError(f"cannot read date {raw!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return out


def find_date_in_text(text: str, window: int = 800) -> str | None:
    """A full date written near the top of an article (a dateline), else None.

    Only complete dates count: a weekday or a bare year would be a guess, and dates are
    never invented silently.
    """
    head = text[:window]
    m = _ISO_IN_TEXT.search(head)
    if m:
        return _fmt(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return _written_date(head, plausible_only=True)


def date_range(partial: str) -> tuple[str, str]:
    """First and last full day a partial date can stand for."""
    parts = partial.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return f"{y:04d}-01-01", f"{y:04d}-12-31"
    mo = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(y, mo)[1]
        return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{last:02d}"
    return partial, partial


def user_date_range(since: str | None, until: str | None,
                    flag: str = "") -> tuple[str | None, str | None]:
    """``since``/``until`` as partial ISO dates; ``DateError`` for bad or reversed ones.

    ``flag`` prefixes the names in the message ("--" for the CLI's options)."""
    s = parse_user_date(since) if since else None
    u = parse_user_date(until) if until else None
    if s and u and date_range(s)[0] > date_range(u)[1]:
        raise DateError(f"{flag}since {since} is after {flag}until {until}")
    return s, u


def within(published: str | None, since: str | None, until: str | None) -> bool:
    """Could ``published`` fall inside [since, until]? Undated articles pass no date filter."""
    if since is None and until is None:
        return True
    if not published:
        return False
    lo, hi = date_range(published)
    if since is not None and hi < date_range(since)[0]:
        return False
    if until is not None and lo > date_range(until)[1]:
        return False
    return True
