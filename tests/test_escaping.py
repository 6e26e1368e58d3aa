"""Article text in HTML and Markdown output is shown as written, never interpreted.

Checked by rendering: the escaped text goes through a real CommonMark renderer
(markdown-it-py, which rich already depends on) or Python's HTML parser, and what comes out
must be exactly the original text, with no element the text did not ask for.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factcheck.escaping import escape_html, escape_markdown

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")

HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "<http://evil.example>",
    "**bold** _it_ ~~gone~~ `code` $x^2$",
    "# Heading",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "| a | b |",
    "a\\b\\\\c",
    "&copy; &amp; &#x3C;",
    "Line one\n\nLine two\n=====",
    "He said \"no\" & 'yes' <b>maybe</b>",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def rendered(markdown: str) -> _Collector:
    c = _Collector()
    c.feed(MD.render(markdown))
    c.close()
    return c


def inline_form(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_inline_renders_literally(text: str) -> None:
    c = rendered(escape_markdown(text))
    want = inline_form(text)
    if want:
        assert c.tags == ["p"], (text, MD.render(escape_markdown(text)))
    assert c.text.strip() == want


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_table_cell_stays_one_cell(text: str) -> None:
    table = "| quote | n |\n| --- | --- |\n| " + escape_markdown(text) + " | 1 |\n"
    c = rendered(table)
    assert c.tags.count("td") == 2 and c.tags.count("tr") == 2, MD.render(table)
    assert inline_form(text) in c.text


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_block_keeps_lines_and_stays_literal(text: str) -> None:
    c = rendered(escape_markdown(text, inline=False))
    assert set(c.tags) <= {"p", "br"}, MD.render(escape_markdown(text, inline=False))
    assert " ".join(c.text.split()) == inline_form(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_escape(text: str) -> None:
    c = _Collector()
    c.feed(f'<p title="{escape_html(text)}">{escape_html(text)}</p>')
    assert c.tags == ["p"]
    assert c.text == text


def test_none_is_empty() -> None:
    assert escape_html(None) == "" and escape_markdown(None) == ""


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_escape_property(text: str) -> None:
    c = rendered(escape_markdown(text))
    want = inline_form(text)
    assert set(c.tags) <= {"p"}
    # The renderer normalises some whitespace (NBSP, tabs) that split() also folds.
    assert " ".join(c.text.split()) == " ".join(want.split())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_html_escape_property(text: str) -> None:
    out = escape_html(text)
    assert "<" not in out and ">" not in out and '"' not in out
    assert html.unescape(out) == text
