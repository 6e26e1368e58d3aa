"""Normalisation and word-level diffs (no models)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.textdiff import contains, diff_words, normalise, render_plain, tokenize


def test_typography_case_and_punctuation_do_not_matter() -> None:
    assert normalise("“We haven’t changed,” he said.") == normalise('"we have NOT changed" he said')
    assert normalise("U.S. aid") == normalise("US aid")
    assert normalise("70,000 people") == normalise("70000 people")
    assert normalise("five per cent") == normalise("5%")
    assert normalise("It’s ready") == normalise("it is ready")


def test_spelling_variants_fold_to_one_key() -> None:
    for gb, us in [("realise", "realize"), ("defence", "defense"), ("colour", "color"),
                   ("centre", "center"), ("judgement", "judgment"), ("travelled", "traveled"),
                   ("analysed", "analyzed"), ("dialogue", "dialog")]:
        assert normalise(gb) == normalise(us), (gb, us)
    # Folding must not merge different short words.
    assert normalise("four") != normalise("for")


def test_dropped_word_is_a_delete() -> None:
    d = diff_words("The bridge is probably safe for trucks", "The bridge is safe for trucks")
    assert [o.op for o in d.ops] == ["equal", "delete", "equal"]
    assert d.changes[0].stored == "probably"
    assert not d.truncated
    assert 0.9 < d.similarity < 1.0
    assert "[-probably-]" in render_plain(d.ops)


def test_changed_number_is_a_replace() -> None:
    d = diff_words("We lost 40,000 euros", "We lost 400,000 euros")
    (change,) = d.changes
    assert change.op == "replace"
    assert (change.stored, change.quote) == ("40,000", "400,000")


def test_excerpt_is_omit_not_delete() -> None:
    d = diff_words("In March the school board said the new library will open in June, "
                   "officials confirmed.", "the new library will open in June")
    assert not d.changes
    assert d.truncated
    assert d.omitted_before[:3] == ["in", "march", "the"]
    assert d.omitted_after == ["officials", "confirmed"]
    assert d.similarity == 1.0


def test_ellipsis_and_brackets_are_marked() -> None:
    d = diff_words("We will, if the weather allows, sail tomorrow",
                   "We will … sail tomorrow")
    (cut,) = d.changes
    assert cut.op == "delete" and cut.at_ellipsis
    d = diff_words("He said it will close", "He [the mayor] said it will close")
    (ins,) = d.changes
    assert ins.op == "insert" and ins.editorial


def test_contains_is_contiguous() -> None:
    stored = tokenize("The data shows the vaccine is safe and effective.")
    assert contains(stored, tokenize("“safe and effective”"))
    assert not contains(stored, tokenize("safe effective"))
    assert not contains(stored, tokenize(""))


def test_token_spans_point_into_the_text() -> None:
    text = "Don’t say “never” — the U.S. spent 3.5 billion (roughly) …"
    toks = tokenize(text)
    for t in toks.tokens:
        assert 0 <= t.start < t.end <= len(text)
    assert [t.key for t in toks.tokens if t.editorial] == ["roughly"]
    assert len(toks.tokens) in toks.gaps


_words = st.lists(st.sampled_from("the a port will not open in may 12 said it’s U.S. mayor "
                                  "safe budget".split()), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(_words, _words)
def test_diff_ops_rebuild_both_sides(a: list[str], b: list[str]) -> None:
    stored, quoted = " ".join(a), " ".join(b)
    d = diff_words(stored, quoted)
    assert [k for o in d.ops if o.op != "insert" for k in o.stored_keys] == tokenize(stored).keys
    assert [k for o in d.ops if o.op not in ("delete", "omit") for k in o.quote_keys] == \
        tokenize(quoted).keys
    assert 0.0 <= d.similarity <= 1.0
    assert diff_words(stored, stored).exact
