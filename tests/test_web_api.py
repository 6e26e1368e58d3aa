"""The web app's JSON API and pages through FastAPI's TestClient: status codes, JSON shapes,
bad input (a 4xx with one line, never a traceback), write protection, upload limits, and
hostile article markup shown as text on every page."""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_crash import synthetic_article  # a sibling test module (tests/ is on sys.path)

import factcheck
from factcheck.web import create_app

SEED_000 = "000_5936662356c6c8be.txt"
KERRY_WORDS = "missiles are potentially destabilizing"
TOKEN = "test-token-123"
HOSTILE = ("<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
           "<b>bold?</b>")


@pytest.fixture(scope="module")
def client(seeded_index: Path) -> TestClient:
    return TestClient(create_app(factcheck.open(seeded_index)))


@pytest.fixture()
def writer(seeded_copy: Path) -> TestClient:
    return TestClient(create_app(factcheck.open(seeded_copy), allow_writes=True, token=TOKEN,
                                 max_upload_mb=1))


@pytest.fixture(scope="module")
def altered_text(seeds_dir: Path) -> str:
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8")
    assert KERRY_WORDS in text
    return text.replace(KERRY_WORDS, "missiles are destabilizing")


def _one_line_error(res, status: int) -> str:  # type: ignore[no-untyped-def]
    assert res.status_code == status, res.text[:300]
    assert "Traceback" not in res.text
    if res.headers["content-type"].startswith("application/json"):
        data = res.json()
        assert data["ok"] is False and data["status"] == status
        assert data["error"] and "\n" not in data["error"]
        return str(data["error"])
    assert "<p class=\"error\">" in res.text
    return res.text


# --- status codes of every endpoint --------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/", "/?speaker=kerry&partial=0", "/?source=daily&since=2013&until=2013",
    "/speakers", "/speakers?name=lavrvo", "/speakers/1", "/report", "/report?kind=update",
    "/check", "/docs", "/openapi.json", "/api/status", "/api/search", "/api/quotes",
    "/api/quotes?speaker=kerry&format=csv", "/api/speakers", "/api/speakers?format=csv",
    "/api/speakers/1", "/api/report", "/api/report?format=csv", "/static/app.css",
    "/static/app.js", "/static/report.css",
])
def test_pages_answer_without_a_model(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200, res.text[:300]
    csp = res.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no other origin is allowed anything
    assert res.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path,status", [
    ("/nope", 404), ("/api/nope", 404), ("/quotes/abc", 400), ("/quotes/99999", 404),
    ("/api/quotes/99999", 404), ("/api/quotes/-1", 400), ("/speakers/99999", 404),
    ("/api/speakers/abc", 400), ("/?since=yesterdayish", 400), ("/?since=2016&until=2013", 400),
    ("/api/search?q=x&k=0", 400), ("/api/search?q=x&k=abc", 400),
    ("/api/search?q=x&format=xml", 400), ("/api/search?speaker=zzqqxx", 400),
    ("/api/report?kind=rumour", 400), ("/api/report?format=pdf", 400),
    ("/api/report?format=claimreview&review_url=ftp://x", 400),
    ("/static/..%2F..%2Fpyproject.toml", 404), ("/static/app.py", 404),
    ("/ingest", 403), ("/api/ingest/abc", 403), ("/api/speakers?name=zzqqxx", 404),
])
def test_bad_requests_get_a_one_line_4xx(client: TestClient, path: str, status: int) -> None:
    _one_line_error(client.get(path), status)


def test_wrong_method_and_bad_bodies(client: TestClient) -> None:
    _one_line_error(client.post("/api/search"), 405)
    _one_line_error(client.post("/api/check", content=b"{not json",
                                headers={"content-type": "application/json"}), 400)
    _one_line_error(client.post("/api/check", json=[1, 2]), 400)
    _one_line_error(client.post("/api/check", json={"text": "  "}), 400)
    _one_line_error(client.post("/api/check", json={"text": 5}), 400)
    _one_line_error(client.post("/api/check", json={"text": "x y z", "published": "soon"}),
                    400)
    _one_line_error(client.post("/api/check", content=b"text", headers={
        "content-type": "text/plain"}), 415)
    msg = _one_line_error(client.post("/check", data={"text": ""}), 400)
    assert "paste the article text" in msg


# --- search ---------------------------------------------------------------------------------

def test_search_finds_kerry_first_with_facets(client: TestClient) -> None:
    res = client.get("/api/search", params={"q": "missiles destabilizing for Israel"})
    assert res.status_code == 200
    data = res.json()
    assert data["ok"] and data["query"] == "missiles destabilizing for Israel"
    top = data["results"][0]
    assert top["speaker"] == "John Kerry" and "potentially destabilizing" in top["quote"]
    for key in ("id", "quote", "speaker", "speaker_role", "source", "published", "article_id",
                "start", "end", "context", "score"):
        assert key in top
    assert set(data["facets"]) == {"speakers", "outlets", "years"}
    assert sum(f["count"] for f in data["facets"]["speakers"]) == len(data["results"])
    assert data["results"][0]["score"] >= data["results"][-1]["score"]

    page = client.get("/", params={"q": "missiles destabilizing for Israel"}).text
    assert page.index("John Kerry") < page.index("Eliasson") if "Eliasson" in page else True
    assert f'href="/quotes/{top["id"]}"' in page  # each hit links to its evidence
    assert 'class="facet"' in page


def test_browse_filters_and_partial(client: TestClient) -> None:
    every = client.get("/api/search").json()
    assert every["total"] == 50 and every["query"] == ""
    kerry = client.get("/api/search", params={"speaker": "kerry"}).json()
    assert kerry["total"] == 8 and {q["speaker"] for q in kerry["results"]} == {"John Kerry"}
    whole = client.get("/api/search", params={"speaker": "kerry", "partial": "0"}).json()
    assert 0 < whole["total"] < kerry["total"]
    assert not any(q["partial"] for q in whole["results"])
    year = client.get("/api/search", params={"since": "2016", "until": "2016"}).json()
    assert year["total"] and all(q["published"].startswith("2016") for q in year["results"])
    assert [y["name"] for y in year["facets"]["years"]] == ["2016"]


def test_csv_downloads(client: TestClient) -> None:
    res = client.get("/api/search", params={"speaker": "kerry", "format": "csv"})
    assert res.headers["content-type"].startswith("text/csv")
    lines = res.text.strip().splitlines()
    assert lines[0].startswith("id,score,speaker") and len(lines) == 9
    rep = client.get("/api/report", params={"format": "csv"}).text.splitlines()
    assert rep[0].startswith("conflict_id,topic,kind") and len(rep) > 6


# --- quote, speakers, report ---------------------------------------------------------------

def test_quote_evidence(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "missiles destabilizing Israel"}).json()
    qid = hit["results"][0]["id"]
    data = client.get(f"/api/quotes/{qid}").json()
    q, art = data["quote"], data["article"]
    assert art["text"][q["start"]:q["end"]] == q["quote"]
    assert "path" not in art
    assert data["nearest"] and all(n["speaker"] == "John Kerry" and n["id"] != qid
                                   for n in data["nearest"])
    assert isinstance(data["conflicts"], list)
    page = client.get(f"/quotes/{qid}").text
    assert '<mark id="quote" class="hl">' in page and "potentially destabilizing" in page


def test_speaker_lookup_is_fuzzy(client: TestClient) -> None:
    data = client.get("/api/speakers", params={"name": "lavrvo"}).json()
    assert [s["name"] for s in data["speakers"]] == ["Sergei Lavrov"]
    sid = data["speakers"][0]["id"]
    one = client.get(f"/api/speakers/{sid}").json()
    assert one["speaker"]["name"] == "Sergei Lavrov"
    assert len(one["quotes"]) == one["speaker"]["quote_count"] > 0
    dates = [q["published"] for q in one["quotes"]]
    assert dates == sorted(dates)  # a timeline: oldest first
    miss = client.get("/api/speakers", params={"name": "Qwxyz Plonkh"})
    assert miss.status_code == 404 and "suggestions" in miss.json()
    page = client.get("/speakers", params={"name": "lavrvo"}).text
    assert f'href="/speakers/{sid}"' in page


def test_report_json_filters_and_claimreview(client: TestClient) -> None:
    data = client.get("/api/report").json()
    assert data["count"] == len(data["conflicts"]) >= 6
    c = data["conflicts"][0]
    assert set(c) >= {"id", "topic", "kind", "score", "explanation", "claims"}
    updates = client.get("/api/report", params={"kind": "update"}).json()
    assert updates["count"] and all(c["kind"] == "update" for c in updates["conflicts"])
    s300 = client.get("/api/report", params={"topic": "S-300"}).json()
    assert s300["count"] >= 1 and all("S-300" in c["topic"] for c in s300["conflicts"])
    cr = client.get("/api/report", params={"format": "claimreview", "topic": "S-300"})
    assert cr.status_code == 200
    items = json.loads(cr.text)
    items = items if isinstance(items, list) else items.get("@graph", items)
    from factcheck.export import validate_claimreview

    assert items and all(not validate_claimreview(i) for i in items)
    page = client.get("/report", params={"topic": "S-300"}).text
    assert 'class="card conflict"' in page and 'figure class="timeline"' in page


# --- check ----------------------------------------------------------------------------------

def test_check_finds_the_misquote_and_stores_nothing(client: TestClient,
                                                     altered_text: str) -> None:
    before = client.get("/api/status").json()["counts"]
    res = client.post("/api/check", json={"text": altered_text, "title": "Draft"})
    assert res.status_code == 200, res.text[:300]
    data = res.json()
    verdicts = {q["quote"][:25]: q["verdict"] for q in data["quotes"]}
    assert verdicts["We have previously stated"] == "misquote"
    assert data["stored"] is False and data["summary"]["misquote"] == 1
    page = client.post("/check", data={"text": altered_text}).text
    assert 'data-verdict="misquote"' in page and "<del>potentially</del>" in page
    up = client.post("/api/check", files={"file": ("draft.txt", altered_text.encode())})
    assert up.json()["summary"]["misquote"] == 1
    assert client.get("/api/status").json()["counts"] == before
    _one_line_error(client.post("/api/check", json={"text": altered_text, "store": True}), 403)


def test_check_store_needs_the_token(writer: TestClient, altered_text: str) -> None:
    body = {"text": altered_text, "title": "Draft", "store": True}
    msg = _one_line_error(writer.post("/api/check", json=body), 403)
    assert "token" in msg
    res = writer.post("/api/check", json=body, headers={"x-factcheck-token": TOKEN})
    assert res.status_code == 200 and res.json()["stored"] is True
    assert writer.get("/api/status").json()["counts"]["articles"] == 6


# --- ingest and write protection ----------------------------------------------------------

def _wait(client: TestClient, job_id: str) -> dict:  # type: ignore[type-arg]
    deadline = time.time() + 120
    while time.time() < deadline:
        job = client.get(f"/api/ingest/{job_id}").json()["job"]
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("ingest did not finish")


def test_ingest_upload_with_token(writer: TestClient) -> None:
    lines = [json.dumps({"id": f"ferry-{i}", "title": "Ferry fares", "source": "Harbour Post",
                         "published": f"2021-03-0{i + 1}",
                         "text": f"Ferry fares rose again. \u201cWe cannot hold prices "
                                 f"any longer,\u201d said Mara Quist, the operator's chief. "
                                 f"Day {i}."})
             for i in range(3)] + ["{broken"]
    files = [("files", ("batch.jsonl", "\n".join(lines).encode())),
             ("files", ("empty.txt", b""))]
    _one_line_error(writer.post("/api/ingest", files=files), 403)  # no token
    res = writer.post("/api/ingest", files=files, headers={"x-factcheck-token": TOKEN})
    assert res.status_code == 202, res.text
    job = _wait(writer, res.json()["job"]["id"])
    assert job["status"] == "done", job
    assert job["summary"]["added"] == 3 and job["total"] == 5
    assert any("batch.jsonl:4" in e for e in job["errors"])
    assert any("empty.txt" in e for e in job["errors"])
    found = writer.get("/api/quotes", params={"speaker": "Mara Quist"}).json()
    assert found["count"] == 3 and found["quotes"][0]["source"] == "Harbour Post"
    page = writer.get(f"/ingest/{job['id']}").text
    assert 'id="job-progress"' in page


def test_browser_writes_need_cookie_csrf_and_same_site(writer: TestClient) -> None:
    files = [("files", ("a.txt", "Short text. \u201cYes,\u201d said Al Bo.".encode()))]
    # ?token= sets the cookie and drops the token from the address
    res = writer.get(f"/ingest?token={TOKEN}", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/ingest"
    assert "httponly" in res.headers["set-cookie"].lower()
    assert "samesite=strict" in res.headers["set-cookie"].lower()
    page = writer.get("/ingest").text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    assert csrf and TOKEN not in page
    bad = writer.post("/ingest", files=files, data={"csrf": "nope"})
    assert bad.status_code == 403 and "CSRF" in bad.text
    cross = writer.post("/ingest", files=files, data={"csrf": csrf},
                        headers={"origin": "http://evil.example"})
    assert cross.status_code == 403 and "another site" in cross.text
    sibling = writer.post("/ingest", files=files, data={"csrf": csrf},
                          headers={"sec-fetch-site": "same-site"})  # another port, same host
    assert sibling.status_code == 403
    # Chromium sends "Origin: null" with some referrer policies; Sec-Fetch-Site decides.
    ok = writer.post("/ingest", files=files, data={"csrf": csrf}, follow_redirects=False,
                     headers={"sec-fetch-site": "same-origin", "origin": "null"})
    assert ok.status_code == 303 and ok.headers["location"].startswith("/ingest/")
    _wait(writer, ok.headers["location"].rsplit("/", 1)[1])


def test_upload_size_limit(writer: TestClient) -> None:
    big = b"word " * (300 * 1024)  # 1.5 MB, the limit is 1 MB
    msg = _one_line_error(writer.post("/api/ingest", files=[("files", ("big.txt", big))],
                                      headers={"x-factcheck-token": TOKEN}), 413)
    assert "upload too large" in msg and "1 MB" in msg

    def chunks():  # no Content-Length: counted while read
        for _ in range(30):
            yield b"x" * 65536

    res = writer.post("/api/check", content=chunks(),
                      headers={"content-type": "application/json"})
    _one_line_error(res, 413)


def test_readers_are_not_blocked_by_an_ingest(writer: TestClient, seeds_dir: Path) -> None:
    # Six different articles: copies of one seed would be stored as republications (no work).
    rng = random.Random(7)
    files = [("files", (f"new{i}.txt", synthetic_article(rng, i)[0].encode())) for i in range(6)]
    res = writer.post("/api/ingest", files=files, headers={"x-factcheck-token": TOKEN})
    job_id = res.json()["job"]["id"]
    statuses: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            for path in ("/api/search?speaker=kerry", "/api/quotes/2", "/api/speakers"):
                statuses.append(writer.get(path).status_code)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    job = _wait(writer, job_id)
    stop.set()
    for t in threads:
        t.join()
    assert job["status"] == "done" and job["summary"]["added"] == 6
    assert statuses and set(statuses) == {200}, sorted(set(statuses))


# --- hostile markup ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory, hash_encoder) -> TestClient:  # type: ignore[no-untyped-def]
    from factcheck.corpus import Metadata, make_article
    from factcheck.ingest import ingest_articles
    from factcheck.store import Store

    root = tmp_path_factory.mktemp("hostile") / "index"
    texts = [
        f"Harbour news. \u201cThe ferry {HOSTILE} runs daily,\u201d said Ana Ruiz, the port "
        f"director. \u201cFares will not rise this year,\u201d Ruiz added.",
        f"Port update. \u201cFares will rise this year {HOSTILE},\u201d said Ana Ruiz, "
        "the port director.",
    ]
    arts = [make_article(t, f"h{i}<i>.txt", Metadata(title=f"Ferry {HOSTILE}",
                                                     source=f"Port {HOSTILE}",
                                                     published=f"201{i + 5}-07-01",
                                                     url="javascript:alert(1)"))
            for i, t in enumerate(texts)]
    with Store.open(root) as store:
        ingest_articles(arts, store, hash_encoder)
    return TestClient(create_app(factcheck.open(root)))


def _assert_inert(html: str) -> None:
    assert "<script>document" not in html and "<img src=x" not in html
    assert "<b>bold?</b>" not in html and 'href="javascript:' not in html


def test_hostile_markup_is_text_on_every_page(hostile_client: TestClient) -> None:
    c = hostile_client
    quotes = c.get("/api/quotes").json()["quotes"]
    assert quotes and any("<script>" in q["quote"] for q in quotes)
    sid = quotes[0]["speaker_id"]
    pages = ["/", "/?q=ferry", f"/?source={HOSTILE}", "/speakers", f"/speakers?name={HOSTILE}",
             f"/speakers/{sid}", "/report", f"/report?topic={HOSTILE}", "/check", "/docs",
             f"/nope{HOSTILE}"]
    pages += [f"/quotes/{q['id']}" for q in quotes]
    for path in pages:
        res = c.get(path)
        assert res.status_code in (200, 400, 404), (path, res.status_code)
        _assert_inert(res.text)
    assert "&lt;script&gt;" in c.get(f"/quotes/{quotes[0]['id']}").text
    checked = c.post("/check", data={"text": f"Today. \u201cThe ferry {HOSTILE} runs daily,"
                                             "\u201d said Ana Ruiz."})
    assert checked.status_code == 200
    _assert_inert(checked.text)
    assert "&lt;script&gt;" in checked.text


# --- the command ---------------------------------------------------------------------------

def test_serve_starts_fast_prints_url_and_token(seeded_copy: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "serve", "--index",
                             str(seeded_copy), "--port", "0", "--allow-writes"],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(4)]
        url = lines[0].split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        token = lines[2].rsplit(":", 1)[1].strip()
        assert len(token) >= 16 and f"?token={token}" in lines[3]
        for _ in range(100):
            try:
                status = httpx.get(url + "api/status", timeout=5).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert status["model_loaded"] is False and status["writes_allowed"] is True
        assert time.time() - t0 < 30  # no model is loaded at start
        page = httpx.get(url + "speakers", timeout=10)
        assert page.status_code == 200 and "Sergei Lavrov" in page.text
        other = httpx.get(url + "api/status", headers={"host": "evil.example"}, timeout=5)
        assert other.status_code == 400  # DNS rebinding: only loopback names are served
        denied = httpx.post(url + "api/ingest", files={"files": ("a.txt", b"x")}, timeout=10)
        assert denied.status_code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_without_a_store_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factcheck.cli import app

    res = CliRunner().invoke(app, ["serve", "--index", str(tmp_path / "none")])
    assert res.exit_code == 1
    assert "no factcheck store" in res.output and "Traceback" not in res.output


def test_hostile_upload_names_are_text_on_the_job_page(writer: TestClient) -> None:
    name = "<img src=x onerror=alert(1)>.txt"
    files = [("files", (name, b"")), ("files", ("../../etc/passwd", b"Some text here."))]
    res = writer.post("/api/ingest", files=files, headers={"x-factcheck-token": TOKEN})
    job = _wait(writer, res.json()["job"]["id"])
    assert any("<img" in e for e in job["errors"])  # JSON keeps the name as it was
    page = writer.get(f"/ingest/{job['id']}").text
    assert "<img src=x" not in page and "&lt;img src=x" in page
    # an upload's name is only an id: "../../etc/passwd" becomes the article "passwd"
    desk = writer.app.app.state.desk  # type: ignore[attr-defined]
    assert job["summary"]["added"] == 1 and desk.article("passwd") is not None
    assert desk.article("passwd").path is None
