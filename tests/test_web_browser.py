"""The web app in a real headless Chromium (Debian's package, driven by Playwright through
its ``executable_path``): search the seeds and see Kerry's quote first, open it and see it
highlighted in its article, open the report and see the S-300 timeline, paste an altered
article into Check and see the misquote diff. Every page runs its script without error and
without a Content-Security-Policy violation.

Skipped with a reason when Chromium or Playwright is missing. Set
``FACTCHECK_SCREENSHOT_DIR`` to keep the screenshots (``docs/img`` for the README).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SEED_000 = "000_5936662356c6c8be.txt"
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    explicit = os.environ.get("FACTCHECK_CHROMIUM")
    for c in ([explicit] if explicit else []) + list(CANDIDATES):
        if c and Path(c).exists():
            return c
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found


@pytest.fixture(scope="module")
def server(seeded_index: Path) -> Iterator[str]:
    """The app over the seeded store, served by uvicorn on a free loopback port."""
    import uvicorn

    import factcheck
    from factcheck.web import create_app

    app = create_app(factcheck.open(seeded_index),
                     allowed_hosts=["127.0.0.1", "localhost"])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _serve(app) -> tuple[str, object, threading.Thread]:  # type: ignore[no-untyped-def]
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    return f"http://127.0.0.1:{port}", srv, thread


@pytest.fixture(scope="module")
def writable_server(seeded_index: Path, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[str]:
    """A server with --allow-writes over a private copy of the seeded store."""
    import factcheck
    from factcheck.web import create_app

    root = tmp_path_factory.mktemp("writable") / "index"
    shutil.copytree(seeded_index, root)
    url, srv, thread = _serve(create_app(factcheck.open(root), allow_writes=True,
                                         token="browser-token",
                                         allowed_hosts=["127.0.0.1", "localhost"]))
    yield url
    srv.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    binary = chromium_path()
    if binary is None:
        pytest.skip("headless Chromium not found (tried /usr/bin/chromium, chromium-browser); "
                    "install Debian's package: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=binary, headless=True,
                              args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    # Nothing may be fetched from anywhere but this server.
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    pg.set_default_timeout(120_000)
    yield pg
    context.close()
    assert not outside, f"requests to other origins: {outside}"


def healthy(pg) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_selector("html[data-ready='1']", state="attached")
    root = pg.locator("html")
    assert root.get_attribute("data-js-errors") == "0", root.get_attribute("data-js-error-last")
    assert root.get_attribute("data-csp-violations") == "0", root.get_attribute("data-csp-last")


def keep(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    target = os.environ.get("FACTCHECK_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(target) / name), full_page=False)


def test_search_open_quote_report(page, server: str) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.goto(server + "/")
    healthy(pg)
    pg.fill("input.q", "missiles destabilizing for Israel")
    pg.press("input.q", "Enter")
    pg.wait_for_url("**/?q=missiles*")
    healthy(pg)
    first = pg.locator("ol.hits > li.hit").first
    assert "John Kerry" in first.locator(".who").inner_text()
    assert "potentially destabilizing" in first.locator("blockquote").inner_text()
    assert pg.locator("aside.facets section.facet").count() == 3
    keep(pg, "web-search.png")

    first.locator("a.q").click()
    pg.wait_for_url("**/quotes/*")
    healthy(pg)
    mark = pg.locator(".article-text mark#quote")
    assert mark.count() == 1 and "potentially destabilizing" in mark.inner_text()
    assert mark.is_visible()  # scrolled into view inside the article
    box = mark.bounding_box()
    assert box and box["width"] > 0
    inner = pg.locator(".article-text").bounding_box()
    assert inner and inner["y"] <= box["y"] <= inner["y"] + inner["height"]  # in the box's view
    bg = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")  # really highlighted

    pg.click("nav.toc >> text=Report")
    healthy(pg)
    card = pg.locator("article.conflict", has_text="S-300").first
    assert card.count() == 1
    assert card.locator("figure.timeline").count() == 1
    assert card.locator("figure.timeline .tl-pub").count() >= 3
    assert card.get_attribute("data-kind") == "update"


def test_check_shows_the_misquote_diff(page, server: str, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8")
    altered = text.replace("missiles are potentially destabilizing",
                           "missiles are destabilizing")
    pg = page
    pg.goto(server + "/check")
    healthy(pg)
    pg.fill("textarea#text", altered)
    keep(pg, "web-check-form.png")
    pg.click("form.checkform button[type=submit]")
    pg.wait_for_selector("#result")
    healthy(pg)
    item = pg.locator("li.check[data-verdict='misquote']")
    assert item.count() == 1
    assert item.locator(".diff del").first.inner_text() == "potentially"
    assert "Nothing was stored" in pg.locator("#result").inner_text()
    item.scroll_into_view_if_needed()
    pg.evaluate("window.scrollBy(0, -120)")
    keep(pg, "web-check.png")


def test_hostile_query_stays_text(page, server: str) -> None:  # type: ignore[no-untyped-def]
    pg = page
    payload = "<img src=x onerror=\"document.documentElement.dataset.pwned=1\">"
    pg.goto(server + "/?q=" + payload.replace(" ", "%20").replace('"', "%22"))
    healthy(pg)
    assert pg.locator("html").get_attribute("data-pwned") is None
    assert pg.locator("main img").count() == 0
    assert payload in pg.locator("#count").inner_text()


def test_ingest_upload_shows_progress_and_result(browser, writable_server: str,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    try:
        # Without the token the form is shown but the upload is refused.
        doc = tmp_path / "ferry.txt"
        doc.write_text("Ferry news. \u201cFares will double next year,\u201d said Mara "
                       "Quist, the operator's chief.", encoding="utf-8")
        pg.goto(writable_server + "/ingest")
        healthy(pg)
        pg.set_input_files("input[name=files]", [str(doc)])
        pg.click("form.checkform button[type=submit]")
        assert "token" in pg.locator("p.error").inner_text()
        # ?token= once unlocks this browser (the address loses the token).
        pg.goto(writable_server + "/ingest?token=browser-token")
        assert "token" not in pg.url
        pg.set_input_files("input[name=files]", [str(doc)])
        pg.click("form.checkform button[type=submit]")
        pg.wait_for_url("**/ingest/*")
        healthy(pg)
        pg.wait_for_selector("#job[data-status='done']", state="attached")
        assert "1 new" in pg.locator("#job-message").inner_text()
        pg.goto(writable_server + "/?speaker=Mara+Quist")
        assert "Fares will double" in pg.locator("ol.hits").inner_text()
    finally:
        context.close()
