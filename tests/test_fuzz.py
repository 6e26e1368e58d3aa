"""Property-based tests of the reader and the attributor on random and adversarial text.

They never crash; every offset points at what it claims to in the stored text; and the
attributor's own work (the parse excluded) grows linearly with the input.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.corpus import (
    CorpusError,
    article_from_bytes,
    content_hash,
    make_article,
    read_jsonl,
)
from factcheck.records import Article, IngestError

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NLP = settings(max_examples=60, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

MARKS = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", "``", "''", "「", "」"]
WORDS = ["said", "says", "told reporters", "according to", "added", "he", "she", "they",
         "Mayor Leila Kestrel", "Oskar Grimaldi", "the harbour master", "Ines Holloway's",
         "ferry", "don't", "the '90s", "rock 'n' roll", "not", "will", "—", "-", ",", ".",
         ":", ";", "?", "!", "(", ")", "\n", "\n\n", "  ", "\t", "…", "3.5", "U.S.",
         "\u00a0", "\u2028", "\ufeff", "é", "🙂"]
FRAGMENTS = st.lists(st.sampled_from(MARKS + WORDS), max_size=80)


def adversarial_text() -> st.SearchStrategy[str]:
    joined = FRAGMENTS.map(" ".join)
    glued = FRAGMENTS.map("".join)
    return st.one_of(joined, glued, st.text(max_size=300))


def check_article(art: Article) -> None:
    assert "\r" not in art.text and "\x00" not in art.text
    art.text.encode("utf-8")  # storable: no lone surrogates
    assert art.content_hash == content_hash(art.text)
    for s, e in art.excluded:
        assert 0 <= s <= e <= len(art.text)


# -- the reader --------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=2000), st.sampled_from(["", ".txt", ".html", ".md"]))
def test_reader_on_random_bytes(data: bytes, suffix: str) -> None:
    try:
        art = article_from_bytes(data, "x", None, "x" + suffix, suffix=suffix)
    except CorpusError as exc:
        assert str(exc)  # a message, always
        return
    check_article(art)


@FAST
@given(adversarial_text())
def test_reader_on_adversarial_text(text: str) -> None:
    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-16"),
                 ("<html><body><p>" + text + "</p><script>x()</script></body></html>")
                 .encode("utf-8", "surrogatepass")):
        try:
            art = article_from_bytes(data, "x", None, "x")
        except CorpusError:
            continue
        check_article(art)


@FAST
@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(
    lambda t: t.encode("utf-8", "surrogatepass")), st.builds(
    lambda t, i: f'{{"id": {i}, "text": {t}}}'.encode("utf-8", "surrogatepass"),
    st.text(max_size=50).map(repr), st.integers())), max_size=20))
def test_jsonl_reader_never_raises(lines: list[bytes]) -> None:
    import io

    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    items = list(read_jsonl(io.BytesIO(data), "f.jsonl", max_bytes=150))
    for it in items:
        assert isinstance(it, Article | IngestError)
        if isinstance(it, IngestError):
            assert it.path.startswith("f.jsonl:") and it.message
        else:
            check_article(it)


@FAST
@given(adversarial_text())
def test_make_article_is_idempotent_on_its_own_text(text: str) -> None:
    try:
        art = make_article(text, "x")
    except CorpusError:
        return
    # Re-reading the stored text gives the same text: offsets survive a round trip.
    again = make_article(art.text, "x")
    assert again.text == art.text


# -- the attributor ----------------------------------------------------------------------------

def check_quotes(text: str, quotes) -> None:  # type: ignore[no-untyped-def]
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text), q
        assert text[q.start:q.end] == q.text, (q.start, q.end, q.text)
        assert 0 <= q.context_start <= q.context_end <= len(text)
        assert text[q.context_start:q.context_end] == q.context
        assert q.context_start <= q.start and q.end <= q.context_end or not q.context
        m = q.speaker
        if m is not None and m.start is not None and m.end is not None:
            assert 0 <= m.start <= m.end <= len(text)


@NLP
@given(adversarial_text())
def test_attribution_never_crashes_and_offsets_hold(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    from factcheck.attribution import attribute

    try:
        art = make_article(text, "x")
    except CorpusError:
        return
    check_quotes(art.text, attribute(art, nlp(art.text)))


@NLP
@given(st.lists(st.tuples(st.sampled_from(["Mayor Leila Kestrel", "Oskar Grimaldi", "she",
                                           "a port engineer"]),
                          st.sampled_from(MARKS), st.sampled_from(MARKS),
                          st.text(st.characters(whitelist_categories=("L", "Zs")),
                                  min_size=1, max_size=40)),
                min_size=1, max_size=8))
def test_attribution_on_quote_like_paragraphs(nlp, parts) -> None:  # type: ignore[no-untyped-def]
    from factcheck.attribution import attribute

    text = "\n\n".join(f"{who} said {o}{words}{c} today." for who, o, c, words in parts)
    art = make_article(text, "x")
    check_quotes(art.text, attribute(art, nlp(art.text)))


def test_unclosed_quote_does_not_swallow_the_article(nlp) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from factcheck.attribution import attribute

    raw = (Path(__file__).parent / "fixtures" / "bad_inputs" / "unclosed_quote.txt").read_text()
    art = make_article(raw, "unclosed")
    quotes = attribute(art, nlp(art.text))
    check_quotes(art.text, quotes)
    first_para_end = art.text.index("\n\n")
    for q in quotes:
        assert len(q.text) < 300, q.text[:80]
        if q.start < first_para_end:
            assert q.end <= first_para_end  # recovered at the end of its paragraph
    assert any("fix it by Friday" in q.text for q in quotes)  # the later quote still found


# -- time: the attributor's own work is linear -----------------------------------------------

def _attribution_seconds(nlp, text: str, repeat: int = 2) -> float:  # type: ignore[no-untyped-def]
    from factcheck.attribution import attribute

    art = Article(id="t", text=text)
    doc = nlp(text)  # the parse is spaCy's and linear; time the attributor alone
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        quotes = attribute(art, doc)
        best = min(best, time.process_time() - t0)
    check_quotes(text, quotes)
    return best


PATHOLOGICAL = {
    # Openers never closed, all in one paragraph.
    "unclosed": lambda n: 'Mayor Leila Kestrel said "the ferry is late. ' * n,
    # One giant quote-free paragraph after an unclosed mark.
    "one-paragraph": lambda n: '"' + "The harbour was busy and the cranes worked. " * n,
    # Apostrophes and single marks everywhere.
    "apostrophes": lambda n: "Oskar Grimaldi's 'view' isn't the '90s' view, he said. " * n,
    # Many short closed quotes with speakers far away.
    "many-quotes": lambda n: '"Yes," "no," "maybe." ' * n + "said Ines Holloway.",
}


@pytest.mark.parametrize("pattern", sorted(PATHOLOGICAL))
def test_attribution_time_is_linear(nlp, pattern: str) -> None:  # type: ignore[no-untyped-def]
    make = PATHOLOGICAL[pattern]
    small = _attribution_seconds(nlp, make(60))
    large = _attribution_seconds(nlp, make(240))  # 4x the input
    # Linear gives ~4x, quadratic ~16x; allow noise from a busy machine.
    assert large <= max(10 * small, 0.05), (pattern, small, large)


def test_unclosed_quote_in_a_single_long_paragraph_is_bounded(nlp) -> None:  # type: ignore[no-untyped-def]
    from factcheck.attribution import attribute

    text = ('Spokesman Tom Reed said: "We are done. '
            + "The rest of the article goes on without closing. " * 400
            + 'Later the governor said "taxes will rise" next year.')
    art = make_article(text, "long")
    quotes = attribute(art, nlp(art.text))
    check_quotes(art.text, quotes)
    assert all(len(q.text) < 2000 for q in quotes), max(len(q.text) for q in quotes)
    assert any(q.text == "taxes will rise" for q in quotes)
