"""Analysing a long text in overlapping windows, so memory and time stay linear in its length.

One spaCy parse of a whole 10 MB transcript takes many GB, and the attributor's and claim
extractor's small look-backs become large ones. A text longer than ``SINGLE_MAX_CHARS`` is cut
into cores of about ``WINDOW_CHARS`` at paragraph breaks (else a sentence end, else a space,
else anywhere: a 1 MB line without spaces must still be cut). Each core is analysed with
``BEFORE_CHARS`` of text before it (pronouns and short names look back to who was named) and
``AFTER_CHARS`` after it (a quote running over several paragraphs, the cue after a quote);
a quote or claim is kept by the one window whose core holds its start, and every offset is
shifted back into the whole text, so offsets stay exact. Texts up to ``SINGLE_MAX_CHARS``
(every normal article) are analysed whole, exactly as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .records import Article, Claim, Quote

SINGLE_MAX_CHARS = 60_000
WINDOW_CHARS = 30_000
BEFORE_CHARS = 4_000
AFTER_CHARS = 4_000


@dataclass
class Window:
    """``text[start:end]`` is analysed; what starts in ``[core_start, core_end)`` is kept."""

    start: int
    end: int
    core_start: int
    core_end: int


def _cut(text: str, lo: int, hi: int) -> int:
    """A cut point in ``(lo, hi]``: after the last paragraph break, sentence end or space."""
    for sep in ("\n", ". ", " "):
        i = text.rfind(sep, lo, hi)
        if i > lo:
            return i + len(sep)
    return hi


def windows(text: str, size: int | None = None, before: int | None = None,
            after: int | None = None) -> list[Window]:
    size = size or WINDOW_CHARS
    before = BEFORE_CHARS if before is None else before
    after = AFTER_CHARS if after is None else after
    n = len(text)
    if n <= size:
        return [Window(0, n, 0, n)]
    cores: list[tuple[int, int]] = []
    a = 0
    while a < n:
        b = n if n - a <= size else _cut(text, a + size // 2, a + size)
        cores.append((a, b))
        a = b
    out = []
    for a, b in cores:
        ws = max(0, a - before)
        if ws > 0:
            # start the context at a paragraph (or word) boundary inside the overlap
            nl = text.find("\n", ws, a)
            ws = nl + 1 if nl >= 0 else _word_start(text, ws, a)
        we = min(n, b + after)
        if we < n:
            we = _cut(text, b, we)
        out.append(Window(ws, we, a, b))
    return out


def _word_start(text: str, lo: int, hi: int) -> int:
    i = text.find(" ", lo, hi)
    return i + 1 if i >= 0 else lo


def _shift_data(value: Any, delta: int) -> Any:
    """Claim analysis data with its character offsets (``at``, ``target_*``) shifted."""
    if isinstance(value, dict):
        return {k: (v + delta if k in ("at", "target_start", "target_end")
                    and isinstance(v, int) else _shift_data(v, delta))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_data(v, delta) for v in value]
    return value


def _shift_quote(q: Quote, delta: int) -> Quote:
    speaker = q.speaker
    if speaker is not None and speaker.start is not None:
        speaker = dataclasses.replace(
            speaker, start=speaker.start + delta,
            end=None if speaker.end is None else speaker.end + delta)
    return dataclasses.replace(q, start=q.start + delta, end=q.end + delta, speaker=speaker,
                               context_start=q.context_start + delta,
                               context_end=q.context_end + delta)


def sub_article(article: Article, w: Window) -> Article:
    excluded = [(max(s, w.start) - w.start, min(e, w.end) - w.start)
                for s, e in article.excluded if s < w.end and e > w.start]
    return dataclasses.replace(article, text=article.text[w.start:w.end], excluded=excluded)


AnalyseWindow = Callable[[Article], tuple[list[Quote], list[Claim]]]


def analyse_windowed(article: Article, analyse_one: AnalyseWindow,
                     between: Callable[[], None] | None = None,
                     ) -> tuple[list[Quote], list[Claim]]:
    """Quotes and claims of ``article`` from ``analyse_one`` run on each window in turn.

    ``between`` runs after each window (a time-budget check). Claims' ``quote_index`` is
    re-pointed at the merged quote list (None when its quote is kept by no window).
    """
    quotes: list[Quote] = []
    claims: list[tuple[Claim, tuple[int, int] | None]] = []
    for w in windows(article.text):
        qs, cs = analyse_one(sub_article(article, w))
        for q in qs:
            if w.core_start <= q.start + w.start < w.core_end:
                quotes.append(_shift_quote(q, w.start))
        for c in cs:
            if not w.core_start <= c.start + w.start < w.core_end:
                continue
            ref = None
            if c.quote_index is not None and 0 <= c.quote_index < len(qs):
                ref = (qs[c.quote_index].start + w.start, qs[c.quote_index].end + w.start)
            claims.append((dataclasses.replace(
                c, start=c.start + w.start, end=c.end + w.start, quote_index=None,
                data=_shift_data(c.data, w.start)), ref))
        if between is not None:
            between()
    where = {(q.start, q.end): i for i, q in enumerate(quotes)}
    out: list[Claim] = []
    for c, ref in claims:
        c.quote_index = where.get(ref) if ref is not None else None
        out.append(c)
    return quotes, out

