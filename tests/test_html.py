"""The HTML report writer: escaping, self-containment, timelines, who-said-what, check pages.

Synthetic records about invented topics, plus one page built from the seeds. The browser
half (scripts run, no errors, screenshots) is in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.records import Article, Speaker, StoredQuote
from factcheck.reports.html import (
    context_span,
    diff_ops_html,
    esc,
    highlighted,
    render_check,
    render_report,
    timeline,
    word_diff,
    write_html,
)

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Collects tags, attributes, inline scripts and visible text of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        out = []
        for t, a in self.tags:
            if t != tag:
                continue
            if all((a.get(k.rstrip("_")) or "").split().count(v) or a.get(k.rstrip("_")) == v
                   for k, v in attrs.items()):
                out.append(a)
        return out


def _article(aid: str, text: str, **kw: object) -> Article:
    return Article(id=aid, text=text, **kw)  # type: ignore[arg-type]


def _quote(qid: int, art: Article, words: str, speaker: str, sid: int,
           **kw: object) -> StoredQuote:
    start = art.text.index(words)
    return StoredQuote(id=qid, quote=words, speaker=speaker, speaker_id=sid,
                       speaker_role=kw.get("role"), anonymous=False,  # type: ignore[arg-type]
                       partial=bool(kw.get("partial")), article_id=art.id, title=art.title,
                       source=art.source, published=art.published, start=start,
                       end=start + len(words), context="")


@pytest.fixture()
def corpus() -> dict:
    a1 = _article("dam1", "The council met on Monday. \u201cThe dam will open in May,\u201d said "
                  "Mayor Lena Park. Engineers disagreed.", title="Dam to open",
                  source="River Post", published="2020-03-02", url="https://post.example/d")
    a2 = _article("dam2", "Reports differ. The dam stays closed until 2022, the ministry said. "
                  f"A reader wrote {HOSTILE} in the comments. \u201c{HOSTILE} is not a plan,\u201d "
                  "said Tom Reyes.", title=f"Dam {HOSTILE}", source="Valley Daily",
                  published="2021", url="javascript:alert(1)")
    q1 = _quote(1, a1, "The dam will open in May,", "Lena Park", 1, role="Mayor")
    q2 = _quote(2, a2, f"{HOSTILE} is not a plan,", "Tom Reyes", 2)
    speakers = [Speaker(1, "Lena Park", roles=["Mayor"], aliases=["Park"], quote_count=1),
                Speaker(2, "Tom Reyes", quote_count=1)]
    conflict = {
        "id": "c0ffee", "kind": "update", "topic": "dam — opening", "score": 0.8,
        "explanation": f"open in May, then closed until 2022 {HOSTILE}",
        "claims": [
            {"text": "The dam will open in May", "article_id": "dam1", "speaker": "Lena Park",
             "claim_time": "2020-05", "start": a1.text.index("The dam will"),
             "end": a1.text.index("The dam will") + len("The dam will open in May")},
            {"text": "The dam stays closed until 2022", "article_id": "dam2", "speaker": None,
             "claim_time": "2022", "start": a2.text.index("The dam stays"),
             "end": a2.text.index("The dam stays") + len("The dam stays closed until 2022")},
        ],
    }
    return {"articles": [a1, a2], "quotes": [q1, q2], "speakers": speakers,
            "conflicts": [conflict]}


def _render(corpus: dict) -> str:
    return render_report(corpus["conflicts"], corpus["quotes"], corpus["speakers"],
                         corpus["articles"], title=f"Report {HOSTILE}", generated="today")


def test_article_text_is_escaped_everywhere(corpus: dict) -> None:
    html = _render(corpus)
    page = Page(html)
    # only the page's own two scripts exist; the hostile markup is text
    assert len(page.scripts) == 2 and all("pwned" not in s for s in page.scripts)
    assert not page.find("img")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    visible = "".join(page.text)
    assert HOSTILE in visible  # rendered as the words the article contains
    # an article's javascript: URL never becomes a link; web URLs do
    hrefs = [a.get("href") for a in page.find("a")]
    assert "https://post.example/d" in hrefs
    assert not any((h or "").lower().startswith("javascript") for h in hrefs)


def test_page_is_self_contained(corpus: dict) -> None:
    html = _render(corpus)
    page = Page(html)
    for tag, attrs in page.tags:
        assert "src" not in attrs, (tag, attrs)  # nothing is loaded
        if tag == "link":
            raise AssertionError(f"external resource link {attrs}")
        for name in attrs:
            assert not name.startswith("on"), (tag, name)  # no inline handlers
        if tag == "a":
            assert (attrs.get("href") or "").startswith(("#", "https://", "http://"))
    assert "@import" not in html and "url(" not in html
    # the Content-Security-Policy forbids requests and allows exactly the page's scripts
    csp = next(a["content"] for a in page.find("meta")
               if a.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp
    for script in page.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert page.find("meta", name="viewport")


def test_conflict_card_has_timeline_and_highlighted_claims(corpus: dict) -> None:
    page = Page(_render(corpus))
    cards = page.find("article", class_="conflict")
    assert [c["id"] for c in cards] == ["conflict-c0ffee"]
    assert len(page.find("figure", class_="timeline")) == 1
    assert len(page.find("span", class_="tl-pub")) == 2  # one publication mark per claim
    assert len(page.find("span", class_="tl-about")) == 2  # and the time each refers to
    assert len(page.find("li", class_="claim")) == 2
    html = _render(corpus)
    assert '<mark class="hl">The dam will open in May</mark>' in html
    assert "Valley Daily (own reporting)" in html  # the outlet's own voice is named


def test_timeline_places_claims_in_time_order() -> None:
    arts = {"a": _article("a", "x", published="2010-01-15"),
            "b": _article("b", "y", published="2015-06-01")}
    claims = [{"article_id": "a", "speaker": "P", "claim_time": "2009", "text": "x"},
              {"article_id": "b", "speaker": "Q", "claim_time": "2015-06", "text": "y"}]
    from factcheck.reports.html import Colours

    html = timeline(claims, arts, Colours())
    pubs = [float(x) for x in re.findall(r'class="tl-pub" style="left:([\d.]+)%', html)]
    abouts = re.findall(r'class="tl-about" style="left:([\d.]+)%;width:([\d.]+)%', html)
    assert len(pubs) == 2 and 0 < pubs[0] < pubs[1] < 100
    (l0, w0), (l1, w1) = [(float(a), float(b)) for a, b in abouts]
    assert l0 < pubs[0] and l0 + w0 <= pubs[0]  # 2009 lies before the 2010 article
    assert w0 > w1  # a year is wider than a month
    assert "2012" in html  # year ticks on the axis
    assert "No dates" in timeline([{"article_id": "zz", "text": "t"}], {}, Colours())


def test_who_said_what_groups_by_speaker_in_date_order() -> None:
    a_old = _article("o", "He said \u201cwe will build it\u201d then.", source="A",
                     published="2001-02-03")
    a_new = _article("n", "He said \u201cwe never promised it\u201d now.", source="B",
                     published="2005")
    quotes = [_quote(2, a_new, "we never promised it", "Sam Ode", 7),
              _quote(1, a_old, "we will build it", "Sam Ode", 7)]
    html = render_report([], quotes, [Speaker(7, "Sam Ode", aliases=["Ode"])], [a_old, a_new])
    page = Page(html)
    items = page.find("li", class_="quote")
    assert [i["data-date"] for i in items] == ["2001-02-03", "2005"]
    assert all("ode" in (i["data-search"] or "").lower() for i in items)
    assert page.find("input", id="wsw-search")
    assert "No conflicting claims" in html


def test_context_is_the_sentence_around_the_span() -> None:
    text = "First sentence here. Then \u201cthe key words\u201d were said. Last one."
    start = text.index("the key")
    end = start + len("the key words")
    s, e, cut_l, cut_r = context_span(text, start, end)
    assert text[s:e] == "Then \u201cthe key words\u201d were said."
    assert not cut_l and not cut_r
    assert highlighted(text, start, end) == (
        "Then \u201c<mark class=\"hl\">the key words</mark>\u201d were said.")
    text = "Intro. In Rome, U.S. envoy J. Doe met Mr. Li and said \u201cno deal\u201d. End."
    start = text.index("no deal")
    s, e, _, _ = context_span(text, start, start + 7)
    assert text[s:e] == "In Rome, U.S. envoy J. Doe met Mr. Li and said \u201cno deal\u201d."
    long = "word " * 200 + "TARGET" + " word" * 200
    hl = highlighted(long, long.index("TARGET"), long.index("TARGET") + 6)
    assert hl.startswith("… ") and hl.endswith(" …") and len(hl) < 700
    assert highlighted("short", 3, 99) == ""  # offsets outside the text show nothing


def test_word_diffs() -> None:
    html = word_diff("the missiles are potentially destabilizing",
                     "the missiles are destabilizing")
    assert html == "the missiles are <del>potentially</del> destabilizing"
    assert "<ins>never</ins>" in word_diff("we will go", "we will never go")
    assert "&lt;b&gt;" in word_diff("a <b> c", "a <i> c")  # diffs escape too
    ops = [{"op": "omit", "stored": "Frankly,", "position": "before"},
           {"op": "equal", "stored": "it is", "quote": "it is"},
           {"op": "replace", "stored": "unlikely", "quote": "likely"},
           {"op": "delete", "stored": "now", "at_ellipsis": True}]
    out = diff_ops_html(ops)
    assert out.startswith('<del class="omit"')
    assert "<del>unlikely</del> <ins>likely</ins>" in out
    assert 'title="cut, marked with an ellipsis' in out


def test_check_page_shows_verdicts_diffs_and_conflicts(corpus: dict) -> None:
    text = ("The mayor spoke. \u201cThe dam will surely open in May,\u201d said Lena Park. "
            "\u201cRain is good,\u201d said Tom Reyes.")
    art = _article("new", text, title="Checked <piece>", source="Wire", published="2020-04")
    s1 = text.index("The dam will surely")
    s2 = text.index("Rain is good")
    result = {
        "quotes": [
            {"quote": "The dam will surely open in May,", "speaker": "Lena Park",
             "verdict": "misquote", "start": s1, "end": s1 + 32,
             "notes": ["word added: \u201csurely\u201d"],
             "matches": [{"quote": "The dam will open in May,", "speaker": "Lena Park",
                          "source": "River Post", "published": "2020-03-02", "title": "Dam",
                          "diff": []}]},
            {"quote": "Rain is good,", "speaker": "Tom Reyes", "verdict": "misattribution",
             "start": s2, "end": s2 + 13, "other_speakers": ["Lena Park"],
             "matches": [{"quote": "Rain is good,", "speaker": "Lena Park"}]},
        ],
        "claims": [{"conflicts": [corpus["conflicts"][0]]},
                   {"conflicts": [corpus["conflicts"][0]]}],
    }
    html = render_check(result, art, corpus["articles"], generated="today")
    page = Page(html)
    verdicts = [li["data-verdict"] for li in page.find("li", class_="check")]
    assert verdicts == ["misquote", "misattribution"]
    assert "<ins>surely</ins>" in html  # computed word diff when the checker gave none
    assert "stored as said by <strong>Lena Park</strong>" in html
    assert len(page.find("article", class_="conflict")) == 1  # de-duplicated
    assert "Checked &lt;piece&gt;" in html


def test_seeds_report_renders_every_conflict(seeded_index: Path, tmp_path: Path) -> None:
    from factcheck.crosscheck import build_report
    from factcheck.store import Store

    with Store.open(seeded_index, readonly=True) as store:
        conflicts = build_report(store)
        quotes, speakers, articles = store.quotes(), store.speakers(), store.articles()
    out = write_html(tmp_path / "r.html", render_report(conflicts, quotes, speakers, articles))
    page = Page(out.read_text(encoding="utf-8"))
    assert conflicts
    assert len(page.find("article", class_="conflict")) == len(conflicts)
    assert len(page.find("figure", class_="timeline")) == len(conflicts)
    assert len(page.find("li", class_="claim")) == sum(len(c.claims) for c in conflicts)
    assert len(page.find("li", class_="quote")) == len(quotes)
    assert len(page.find("section", class_="speaker")) == len(
        {q.speaker_id if q.speaker_id is not None else q.speaker for q in quotes})
    assert not list(tmp_path.glob(".r.html.*"))  # the atomic write left no temp file


def test_real_check_result_renders(seeded_index: Path, tmp_path: Path,
                                   hash_encoder) -> None:  # type: ignore[no-untyped-def]
    """The checker's own records (not dicts) go through the check page and its CLI helper."""
    from factcheck.checker import check_article
    from factcheck.cli.export import check_html, report_html
    from factcheck.store import Store

    with Store.open(seeded_index, readonly=True) as store:
        quote = next(q for q in store.quotes() if len(q.quote.split()) >= 8 and not q.partial)
        source = store.get_article(quote.article_id)
        assert source is not None
        words = quote.quote.split()
        changed = " ".join(words[:3] + words[4:])  # one word dropped from the middle
        text = source.text[:quote.start] + changed + source.text[quote.end:]
        article = Article(id="edited-copy", text=text, title="An edited copy",
                          source="Test Wire", published="2020-01-01")
        result = check_article(article, store, hash_encoder)
    html = check_html(seeded_index, result, article)
    page = Page(html)
    verdicts = [li["data-verdict"] for li in page.find("li", class_="check")]
    assert verdicts == [q.verdict for q in result.quotes]
    assert "misquote" in verdicts
    assert f"<del>{esc(words[3])}</del>" in html  # the dropped word, struck out
    conflicts = {c["id"] for cc in result.claims for c in cc.conflicts}
    assert len(page.find("article", class_="conflict")) == len(conflicts)

    report = Page(report_html(seeded_index, [], title="t"))
    assert report.find("input", id="wsw-search")


def test_report_command_writes_a_shareable_html_file(seeded_index: Path, tmp_path: Path) -> None:
    import os

    from typer.testing import CliRunner

    from factcheck.cli import app

    target = tmp_path / "out" / "report.html"
    res = CliRunner().invoke(app, ["report", "--index", str(seeded_index), "--format", "html",
                                   "-o", str(target)])
    assert res.exit_code == 0, res.output
    page = Page(target.read_text(encoding="utf-8"))
    assert page.find("section", id="conflicts") and page.find("section", id="who-said-what")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not a temp file's 0600
    res = CliRunner().invoke(app, ["report", "--index", str(seeded_index), "--format", "html"])
    assert res.exit_code == 0 and res.stdout.startswith("<!DOCTYPE html>")


def test_check_command_writes_html(seeded_index: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factcheck.cli import app
    from factcheck.store import Store

    with Store.open(seeded_index, readonly=True) as store:
        first = store.articles()[0]
    src = tmp_path / "article.txt"
    # New paragraphs early in the article (its tail may be a footer, which is not checked).
    cut = first.text.index("\n\n", len(first.text) // 4)
    added = ("\n\n\u201cWe have never seen such a harvest in the valley,\u201d said farmer Una "
             f"Vale.\n\n\u201cThey left {HOSTILE} on our front page,\u201d said editor Rob "
             "Kane.")
    src.write_text(first.text[:cut] + added + first.text[cut:], encoding="utf-8")
    target = tmp_path / "check.html"
    res = CliRunner().invoke(app, ["check", str(src), "--index", str(seeded_index),
                                   "--format", "html", "-o", str(target)])
    assert res.exit_code == 0, res.output
    html = target.read_text(encoding="utf-8")
    page = Page(html)
    verdicts = [li["data-verdict"] for li in page.find("li", class_="check")]
    assert "verified" in verdicts and "unverified" in verdicts
    assert len(page.scripts) == 2 and "&lt;script&gt;alert" in html
