"""Finding quoted spans in raw text: curly, straight and doubled-apostrophe marks.

A single left-to-right pass per paragraph (linear in the text length). Every mark is classed
as opening, closing or either from the characters around it, so apostrophes (don't, Assad's,
the '90s) are never taken for quote marks, and a missing closing mark is recovered at the end
of the paragraph instead of swallowing the rest of the article. A quote running over several
paragraphs (each opening with a mark, only the last one closing) is returned as one span per
paragraph, linked by ``group``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double marks; '' and `` are the doubled apostrophes of some wire/NYT texts.
_DOUBLE_RE = re.compile(r"``|''|[\"“”„«»]")
_SINGLE_RE = re.compile(r"[‘’']")
_PARA_RE = re.compile(r"\n")

_OPEN_ONLY = {"“", "„", "«", "``"}
_CLOSE_ONLY = {"”", "»"}
_OPENERS_BEFORE = set("([{—–-/") | {"\u00a0"}
_CLOSERS_AFTER = set(".,;:!?)]}—–-/…")


@dataclass
class QuoteSpan:
    """Text between a pair of marks. ``start``/``end`` delimit the content only."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when recovered (unclosed)
    double: bool = True  # double marks (or the doubled apostrophes) vs single marks
    group: int = -1  # spans of one multi-paragraph quote share a group id
    para_start: int = 0
    para_end: int = 0
    close_len: int = 1

    @property
    def outer_end(self) -> int:
        """Offset just after the closing mark (or the content end when unclosed)."""
        if self.close_mark is None:
            return self.end
        return self.close_mark + self.close_len


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _classify_double(text: str, pos: int, mark: str) -> str:
    """'open', 'close' or 'either' for a double mark at ``pos``."""
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + len(mark)] if pos + len(mark) < len(text) else ""
    left_flank = not _is_space(nxt) and (_is_space(prev) or prev in _OPENERS_BEFORE)
    right_flank = not _is_space(prev) and (_is_space(nxt) or nxt in _CLOSERS_AFTER)
    if left_flank and not right_flank:
        # a curly closing mark used as an opener happens in sloppy texts; trust the context
        return "open"
    if right_flank and not left_flank:
        return "close"
    if mark in _OPEN_ONLY:
        return "open"
    if mark in _CLOSE_ONLY:
        return "close"
    return "either"


def _classify_single(text: str, pos: int) -> str | None:
    """'open', 'close', 'maybe_close' (s' possessive) or None (an apostrophe)."""
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + 1] if pos + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        return None  # don't, Assad's, rock'n'roll
    if (_is_space(prev) or prev in _OPENERS_BEFORE or prev in "\"“") and nxt.isalpha():
        # 'em, 'til, 'cause are apostrophes; the caller drops opens that never close
        return "open"
    if (_is_space(prev) or prev in _OPENERS_BEFORE) and nxt.isdigit():
        return None  # the '90s, '16 campaign
    if not _is_space(prev) and (_is_space(nxt) or nxt in _CLOSERS_AFTER or nxt in "\"”"):
        if prev in "sS":
            return "maybe_close"  # Jones' car vs 'the Joneses'
        return "close"
    return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; a newline always ends a paragraph."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _starts_with_open(text: str, para: tuple[int, int]) -> bool:
    s, e = _strip(text, *para)
    if s >= e:
        return False
    for m in _DOUBLE_RE.finditer(text, s, min(e, s + 2)):
        if m.start() == s:
            return _classify_double(text, s, m.group()) != "close"
        break
    return False


def _closes_first(text: str, para: tuple[int, int]) -> bool:
    """The paragraph's first double mark closes a quote, after some text: the quote opened in
    the paragraph before runs on without a new opening mark (some wire copy does this)."""
    s, e = _strip(text, *para)
    for m in _DOUBLE_RE.finditer(text, s, e):
        return m.start() > s and _classify_double(text, m.start(), m.group()) == "close"
    return False


# An unclosed quote longer than this is cut at its last sentence end within the bound: a
# long one-paragraph text with a lost closing mark must not become one giant quote.
MAX_UNCLOSED_CHARS = 1500
_SENT_END_RE = re.compile(r"[.!?][\"”’']?(?=\s)")


def _bound_unclosed(text: str, start: int, end: int) -> tuple[int, int]:
    if end - start <= MAX_UNCLOSED_CHARS:
        return start, end
    last = None
    for m in _SENT_END_RE.finditer(text, start, start + MAX_UNCLOSED_CHARS):
        last = m.end()
    if last is None:
        space = text.rfind(" ", start, start + MAX_UNCLOSED_CHARS)
        last = space if space > start else start + MAX_UNCLOSED_CHARS
    return start, last


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quoted spans of ``text`` in order of position (nested quotes are not returned)."""
    paras = paragraphs(text)
    spans: list[QuoteSpan] = []
    group = 0
    carry_group: int | None = None  # an unclosed quote continues into the next paragraph
    runs_on = False  # ... and this paragraph goes on with it, with no opening mark of its own
    for pi, (ps, pe) in enumerate(paras):
        open_at: int | None = None
        open_len = 1
        if runs_on:
            open_at, open_len = _strip(text, ps, pe)[0], 0
        para_spans: list[QuoteSpan] = []
        for m in _DOUBLE_RE.finditer(text, ps, pe):
            pos, mark = m.start(), m.group()
            role = _classify_double(text, pos, mark)
            if open_at is None:
                if role == "close":
                    continue  # stray closing mark (or its opener was lost): skip it
                open_at, open_len = pos, len(mark)
                continue
            if role == "open" and text[open_at + open_len : pos].strip():
                # a second opener while one is pending: the first lost its closing mark;
                # end it before this one so it cannot swallow what follows
                s, e = _bound_unclosed(text, *_strip(text, open_at + open_len, pos))
                if s < e:
                    para_spans.append(QuoteSpan(s, e, open_at, None, True))
                open_at, open_len = pos, len(mark)
                continue
            s, e = _strip(text, open_at + open_len, pos)
            if s < e:
                para_spans.append(QuoteSpan(s, e, open_at, pos, True, close_len=len(mark)))
            open_at = None
        next_continues = False
        runs_on = False
        if open_at is not None:
            s, e = _bound_unclosed(text, *_strip(text, open_at + open_len, pe))
            runs_on = pi + 1 < len(paras) and _closes_first(text, paras[pi + 1])
            next_continues = pi + 1 < len(paras) and (
                _starts_with_open(text, paras[pi + 1]) or runs_on)
            if s < e:
                para_spans.append(QuoteSpan(s, e, open_at, None, True))
        # single marks, only outside double-quoted text (inside they are nested quotes)
        covered = [(sp.open_mark, sp.outer_end) for sp in para_spans]
        para_spans.extend(_single_spans(text, ps, pe, covered))
        para_spans.sort(key=lambda sp: sp.start)
        for sp in para_spans:
            sp.para_start, sp.para_end = ps, pe
            sp.group = group
            group += 1
        # link a quote carried over from the previous paragraph
        if carry_group is not None and para_spans and para_spans[0].double:
            first = para_spans[0]
            if first.open_mark <= _strip(text, ps, pe)[0]:
                first.group = carry_group
        if open_at is not None and next_continues and para_spans:
            last = para_spans[-1]
            carry_group = last.group if last.close_mark is None else None
        else:
            carry_group = None
        spans.extend(para_spans)
    return spans


def _single_spans(
    text: str, ps: int, pe: int, covered: list[tuple[int, int]]
) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    ci = 0
    open_at: int | None = None
    for m in _SINGLE_RE.finditer(text, ps, pe):
        pos = m.start()
        while ci < len(covered) and covered[ci][1] <= pos:
            ci += 1
        if ci < len(covered) and covered[ci][0] <= pos < covered[ci][1]:
            continue
        if pos + 1 < pe and text[pos + 1] == "'" or pos > ps and text[pos - 1] == "'":
            continue  # part of a doubled apostrophe, handled as a double mark
        role = _classify_single(text, pos)
        if role is None:
            continue
        if open_at is None:
            if role == "open":
                open_at = pos
            continue
        if role == "open":
            open_at = pos  # the earlier one was an apostrophe ('em, 'til)
            continue
        # a single-quoted span must not run over a double-quoted one
        if ci < len(covered) and open_at < covered[ci][0] < pos:
            open_at = None
            continue
        s, e = _strip(text, open_at + 1, pos)
        if s < e:
            out.append(QuoteSpan(s, e, open_at, pos, False))
        open_at = None
    return out
