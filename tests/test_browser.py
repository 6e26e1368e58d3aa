"""The HTML reports in a real browser: headless Chromium opens them, their scripts run
without error, nothing is fetched, the expected elements exist, and screenshots are saved.

Skipped with a reason when no Chromium is installed (``.ci/run`` installs Debian's
``chromium`` so CI runs it). Screenshots go to the test's temporary directory; set
``FACTCHECK_SCREENSHOT_DIR`` to also copy them somewhere (``docs/img`` for the README).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.records import Article, Speaker, StoredQuote
from factcheck.reports.html import render_check, render_report, write_html

pytestmark = pytest.mark.browser

BINARIES = ("chromium", "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--disable-extensions", "--mute-audio"]
# Payloads that would mark the page if they ever ran (rather than an alert, which blocks).
PWN = "document.documentElement.setAttribute('data-pwned','1')"
HOSTILE = f"<script>{PWN}</script><img src=x onerror=\"{PWN}\"><b>bold?</b>"


def find_chromium() -> str | None:
    explicit = os.environ.get("FACTCHECK_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        tried = os.environ.get("FACTCHECK_CHROMIUM") or ", ".join(BINARIES)
        pytest.skip(f"headless Chromium not found (tried {tried}); install Debian's package: "
                    "apt-get install -y chromium")
    return binary


class Browser:
    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.runs = 0

    def run(self, url: str, *args: str) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        profile = self.workdir / f"profile-{self.runs}"  # a fresh profile every run
        cmd = [self.binary, *FLAGS, f"--user-data-dir={profile}", *args, url]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                                 env={**os.environ, "HOME": str(self.workdir)})
        except subprocess.TimeoutExpired:
            pytest.fail(f"chromium did not finish within 120 s: {' '.join(cmd)}")
        assert res.returncode == 0, f"chromium failed ({res.returncode}): {res.stderr[-2000:]}"
        return res

    def dom(self, path: Path, query: str = "") -> str:
        """The DOM after the page's scripts ran."""
        return self.run(path.resolve().as_uri() + query, "--dump-dom").stdout

    def screenshot(self, path: Path, png: Path, width: int, height: int) -> Path:
        self.run(path.resolve().as_uri(), f"--screenshot={png}",
                 f"--window-size={width},{height}")
        assert png.is_file(), f"no screenshot written to {png}"
        return png


@pytest.fixture()
def browser(chromium: str, tmp_path: Path) -> Browser:
    return Browser(chromium, tmp_path)


class Dom(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, str | None] = {}
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, str] = {}
        self._capture: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.root = a
        self.elements.append((tag, a))
        if a.get("id") == "wsw-count":
            self._capture = "wsw-count"

    def handle_data(self, data: str) -> None:
        if self._capture:
            self.text_by_id[self._capture] = self.text_by_id.get(self._capture, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._capture = None

    def count(self, tag: str, cls: str | None = None, hidden: bool | None = None) -> int:
        n = 0
        for t, a in self.elements:
            classes = (a.get("class") or "").split()
            if t != tag or (cls and cls not in classes):
                continue
            if hidden is not None and ("hidden" in classes) != hidden:
                continue
            n += 1
        return n


def assert_healthy(dom: Dom) -> None:
    """The page's scripts ran to the end, raised nothing, and nothing was blocked/fetched."""
    root = dom.root
    assert root.get("data-ready") == "1", f"page script did not finish: {root}"
    assert root.get("data-js-errors") == "0", f"script error: {root.get('data-js-error-last')}"
    assert root.get("data-csp-violations") == "0", (
        f"blocked request or script: {root.get('data-csp-last')}")
    assert "data-pwned" not in root


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def keep(png: Path) -> None:
    target = os.environ.get("FACTCHECK_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(target) / png.name)


def test_seeds_report_in_chromium(browser: Browser, seeded_index: Path, tmp_path: Path) -> None:
    from factcheck.crosscheck import build_report
    from factcheck.store import Store

    with Store.open(seeded_index, readonly=True) as store:
        conflicts = build_report(store)
        quotes, speakers, articles = store.quotes(), store.speakers(), store.articles()
    page = write_html(tmp_path / "report.html", render_report(
        conflicts, quotes, speakers, articles, title="factcheck report: seed articles"))

    dom = Dom(browser.dom(page))
    assert_healthy(dom)
    assert conflicts and dom.count("article", "conflict") == len(conflicts)
    assert dom.count("figure", "timeline") == len(conflicts)
    assert dom.count("span", "tl-pub") == sum(len(c.claims) for c in conflicts)
    assert dom.count("li", "claim") == sum(len(c.claims) for c in conflicts)
    assert dom.count("mark") >= len(quotes) + sum(len(c.claims) for c in conflicts)
    assert dom.count("li", "quote", hidden=False) == len(quotes)  # no search: all shown
    assert dom.text_by_id["wsw-count"] == f"{len(quotes)} quotes"  # written by the script

    shot = browser.screenshot(page, tmp_path / "report.png", 1200, 1500)
    phone = browser.screenshot(page, tmp_path / "report-phone.png", 390, 1400)
    assert png_size(shot) == (1200, 1500) and png_size(phone) == (390, 1400)
    # A blank page compresses to a few KB; a rendered report is far larger.
    assert shot.stat().st_size > 40_000 and phone.stat().st_size > 20_000
    keep(shot)
    print(f"screenshots: {shot} {phone}")


def _hostile_corpus() -> tuple[list[Article], list[StoredQuote], list[Speaker]]:
    text = (f"Harbour news. \u201cThe ferry {HOSTILE} runs daily,\u201d said Ana Ruiz. "
            "\u201cIt does not,\u201d said Bo Lind. \u201cFares will fall,\u201d Ruiz added.")
    art = Article(id="h1", text=text, title=f"Ferry {HOSTILE}", source="Port <i>Wire</i>",
                  published="2019-07-01", url=f"javascript:{PWN}")

    def q(qid: int, words: str, who: str, sid: int) -> StoredQuote:
        s = text.index(words)
        return StoredQuote(qid, words, who, sid, None, False, False, "h1", art.title,
                           art.source, art.published, s, s + len(words), "")

    quotes = [q(1, f"The ferry {HOSTILE} runs daily,", "Ana Ruiz", 1),
              q(2, "It does not,", "Bo Lind", 2), q(3, "Fares will fall,", "Ana Ruiz", 1)]
    speakers = [Speaker(1, "Ana Ruiz", aliases=["Ruiz"]), Speaker(2, "Bo Lind")]
    return [art], quotes, speakers


def test_hostile_text_stays_text_and_search_works(browser: Browser, tmp_path: Path) -> None:
    articles, quotes, speakers = _hostile_corpus()
    page = write_html(tmp_path / "hostile.html", render_report(
        [], quotes, speakers, articles, title=f"Report {HOSTILE}"))
    html = browser.dom(page)
    dom = Dom(html)
    assert_healthy(dom)
    assert dom.count("script") == 2 and dom.count("img") == 0 and dom.count("b") == 0
    assert "&lt;script&gt;" in html  # shown as the article's words

    # ?q= pre-fills the search box; the script hides what does not match
    dom = Dom(browser.dom(page, "?q=ruiz"))
    assert_healthy(dom)
    assert dom.root.get("data-search-shown") == "2"
    assert dom.count("li", "quote", hidden=True) == 1
    assert dom.count("section", "speaker", hidden=True) == 1  # Bo Lind has nothing left
    assert dom.text_by_id["wsw-count"] == "2 of 3 quotes match"
    dom = Dom(browser.dom(page, "?q=ruiz%20fares"))
    assert dom.root.get("data-search-shown") == "1"


def test_check_page_in_chromium(browser: Browser, tmp_path: Path) -> None:
    articles, _, _ = _hostile_corpus()
    art = articles[0]
    s = art.text.index("It does not")
    result = {"quotes": [
        {"quote": "It does not,", "speaker": "Bo Lind", "verdict": "misquote", "start": s,
         "end": s + 12, "matches": [{"quote": "It does not run,", "speaker": "Bo Lind"}]},
        {"quote": "Fares will fall,", "speaker": "Ana Ruiz", "verdict": "unverified",
         "start": art.text.index("Fares"), "end": art.text.index("Fares") + 16}],
        "claims": []}
    page = write_html(tmp_path / "check.html", render_check(result, art))
    dom = Dom(browser.dom(page))
    assert_healthy(dom)
    assert dom.count("li", "check") == 2 and dom.count("del") == 1
    shot = browser.screenshot(page, tmp_path / "check.png", 1000, 900)
    assert png_size(shot) == (1000, 900)
    keep(shot)
