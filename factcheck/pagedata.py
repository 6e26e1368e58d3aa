"""Page data inside article text: boilerplate that is no quote source.

Scraped pages leave JSON fragments (``"id":"42","title":"..."``), markup attribute lists
(``data-id="7" title="..."``), navigation and share bars (``Home | World | Sport``) and
"Related" headline lists in the text. Their quoted strings are labels and headlines, not
anyone's words. ``find_page_data`` returns the line ranges holding them; the reader adds them
to ``Article.excluded`` (the text is kept, offsets stay valid).
"""

from __future__ import annotations

import re

_JSON_PAIR = re.compile(r'"[\w\-]+"\s*:\s*(?:"[^"\n]*"|-?\d[\d.]*|true|false|null)')
_ATTR_PAIR = re.compile(r'\b[\w\-]+=\s*"[^"\n]*"')
_NAV_SPLIT = re.compile(r"\s+[|·•]\s+|\s*\|\s*")
_SHARE = re.compile(
    r"^\s*(?:share(?: this)?(?: article| story)?|follow us|tags?|topics?)\s*:", re.I)
# an advert label alone on its line or followed by a separator ("Advertisement | ...",
# "Sponsored: ..."), never a sentence that opens with the word ("Promoted to general, ...")
_ADVERT = re.compile(
    r"^\s*(?:advertisement|sponsored(?: content)?|promoted|paid content)\s*(?:$|[:|–—])", re.I)
# headings of headline lists ("Related", "More from the Herald", "Most read")
_LIST_HEADING = re.compile(
    r"^\s*(?:related(?: \w+)?|more (?:from|on|in) .{1,40}|(?:read|see) (?:more|also)|"
    r"most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|latest(?: news)?|"
    r"recommended(?: for you)?|editor'?s picks|you (?:may|might) also like)\s*:?\s*$",
    re.I,
)
# "46 comments. Comments are moderated." — readers' comments run to the end of the page
_COMMENTS = re.compile(r"^\s*(?:\d[\d,]*\s+comments?|comments?\s*\(\d[\d,]*\))\b.{0,60}$", re.I)
_BULLET = re.compile(r"^\s*(?:[-•*▶►·–—]|\d{1,2}[.)])\s+")


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def is_page_data_line(line: str) -> bool:
    """A JSON fragment, an attribute list, a navigation/share bar or an advert label."""
    if len(_JSON_PAIR.findall(line)) >= 2 or len(_ATTR_PAIR.findall(line)) >= 2:
        return True
    if _SHARE.match(line) or _ADVERT.match(line):
        return True
    parts = [p for p in _NAV_SPLIT.split(line.strip()) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def find_page_data(text: str) -> list[tuple[int, int]]:
    """Line ranges of ``text`` that are page data (see module doc), merged."""
    ranges: list[tuple[int, int]] = []
    lines = _lines(text)
    in_list = False
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            in_list = False
            continue
        if _COMMENTS.match(line) and start > 0:
            ranges.append((start, len(text)))
            break
        if _LIST_HEADING.match(line):
            in_list = True
            ranges.append((start, end))
            continue
        if in_list and (_BULLET.match(line) or len(line.split()) <= 14):
            ranges.append((start, end))  # a headline in the list under the heading
            continue
        in_list = False
        if is_page_data_line(line):
            ranges.append((start, end))
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
