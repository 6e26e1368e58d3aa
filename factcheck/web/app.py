"""The FastAPI application: every view is a page and the same data as JSON under /api/.

Each view computes its data once through the library face (``factcheck.desk.Desk``) and
renders it as HTML or JSON (or CSV for lists). Errors are ``{"ok": false, "status": N,
"error": "..."}`` on /api/ and a one-line page elsewhere, never a traceback. Static files
come from a fixed table read from the package at start-up: no request path is ever joined
to a file-system path.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import logging
import sqlite3
import threading
from dataclasses import asdict
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..desk import Desk, DeskError, facets
from . import pages
from .jobs import JobBusy, Jobs, articles_from_upload
from .security import SECURITY_HEADERS, TOKEN_COOKIE, LimitBody, WriteGuard

log = logging.getLogger("factcheck.web")

BROWSE_LIMIT = 100  # quotes listed on the search page without a query
SEARCH_K = 20
MAX_TEXT = 2_000_000  # characters of pasted text a check accepts


class WebError(Exception):
    """A request that cannot be answered: ``status`` and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = " ".join(str(message).split())


def _static() -> dict[str, tuple[bytes, str]]:
    from ..reports.html import CSS

    files: dict[str, tuple[bytes, str]] = {"report.css": (CSS.encode(), "text/css")}
    base = resources.files(__package__).joinpath("static")
    for name, ctype in (("app.css", "text/css"), ("app.js", "text/javascript")):
        files[name] = (base.joinpath(name).read_bytes(), ctype)
    return files


def _flag(value: str | None) -> bool:
    """``partial=0`` means whole quotes only; anything else keeps partial quotes."""
    return str(value).lower() not in ("0", "false", "no", "off")


def _int(value: str | None, name: str, lo: int, hi: int, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        n = int(str(value))
    except ValueError:
        raise WebError(400, f"{name} must be a whole number (got {value!r})") from None
    if not lo <= n <= hi:
        raise WebError(400, f"{name} must be between {lo} and {hi} (got {n})")
    return n


def _csv(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        # A cell starting with = + - @ is a formula to a spreadsheet: prefix it.
        w.writerow(["'" + str(v) if isinstance(v, str) and v[:1] in "=+-@\t\r" else
                    ("" if v is None else v) for v in (r.get(c) for c in columns)])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


QUOTE_COLUMNS = ["id", "score", "speaker", "speaker_id", "speaker_role", "anonymous", "partial",
                 "quote", "source", "published", "title", "article_id", "start", "end", "cue",
                 "context"]


def _quotes_out(quotes: list[Any], fmt: str | None, extra: dict[str, Any], name: str,
                key: str = "quotes") -> Response:
    rows = [asdict(q) for q in quotes]
    if (fmt or "json") == "csv":
        return _csv(rows, QUOTE_COLUMNS, f"{name}.csv")
    if fmt not in (None, "", "json"):
        raise WebError(400, f"unknown format {fmt!r}; use json or csv")
    return JSONResponse({"ok": True, **extra, key: rows})


def create_app(desk: Desk, allow_writes: bool = False, token: str | None = None,
               max_upload_mb: int = 20, allowed_hosts: list[str] | None = None) -> Any:
    """The ASGI app over ``desk`` (wrapped in the upload-size limit)."""
    guard = WriteGuard(allow_writes, token)
    jobs = Jobs(desk)
    static = _static()
    check_lock = threading.Lock()  # one check at a time: each is seconds of CPU
    max_bytes = max_upload_mb * 1024 * 1024
    app = FastAPI(title="factcheck", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Who said what, conflicts and checks over a factcheck store.")
    app.state.desk, app.state.guard, app.state.jobs = desk, guard, jobs

    def html(body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(body, status_code=status)

    # -- middleware and errors ----------------------------------------------------------------
    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Any:
        if allowed_hosts is not None:
            host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
            if host not in allowed_hosts:
                return _error(request, 400, f"unknown host {host!r}: open the URL the "
                              "server printed")
        token = request.query_params.get("token")
        if token and request.method == "GET" and guard.token_ok(token):
            # ?token=... once: remember it in this browser, then drop it from the address.
            target = request.url.remove_query_params("token")
            response: Response = RedirectResponse(
                target.path + (f"?{target.query}" if target.query else ""), 303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        else:
            try:
                response = await call_next(request)
            except Exception as exc:  # the last line of defence: never a traceback
                response = _exception_response(request, exc)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def _error(request: Request, status: int, message: str) -> Response:
        message = " ".join(str(message).split())
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"ok": False, "status": status, "error": message},
                                status_code=status)
        return html(pages.error_page(status, message, guard.allow_writes), status)

    def _exception_response(request: Request, exc: Exception) -> Response:
        from ..dates import DateError
        from ..speakers import UnknownSpeaker
        from ..store import StoreBusy, StoreError

        if isinstance(exc, WebError):
            return _error(request, exc.status, exc.message)
        if isinstance(exc, UnknownSpeaker | DateError | DeskError | ValueError):
            return _error(request, 400, str(exc))
        if isinstance(exc, StoreBusy | JobBusy):
            return _error(request, 409, str(exc))
        if isinstance(exc, StoreError):
            return _error(request, 503, str(exc))
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return _error(request, 503, "the store is busy; try again in a moment")
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, f"internal error ({type(exc).__name__}); the server log "
                      "has the details")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = {404: f"no page at {request.url.path}",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(
                   exc.status_code, str(exc.detail))
        return _error(request, exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        bits = []
        for e in exc.errors()[:3]:
            where = ".".join(str(x) for x in e.get("loc", [])[1:]) or "request"
            bits.append(f"{where}: {e.get('msg', 'invalid')}")
        return _error(request, 400, "bad request: " + "; ".join(bits))

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception) -> Response:
        return _exception_response(request, exc)

    async def run(fn: Any, *args: Any, **kw: Any) -> Any:
        """Blocking library work off the event loop (SQLite, FAISS, the model)."""
        return await asyncio.to_thread(fn, *args, **kw)

    # -- static -------------------------------------------------------------------------------
    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str) -> Response:
        if name not in static:
            raise WebError(404, f"no static file {name!r}")
        data, ctype = static[name]
        return Response(data, media_type=ctype, headers={"cache-control": "max-age=3600"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    # -- status -------------------------------------------------------------------------------
    @app.get("/api/status", summary="Store counts, model state, whether writes are allowed")
    async def api_status() -> Any:
        counts = await run(desk.counts)
        return {"ok": True, "index": str(desk.index), "counts": counts,
                "model_loaded": desk.encoder_loaded,
                "model_load_seconds": desk.model_load_seconds,
                "writes_allowed": guard.allow_writes,
                "ingest_running": jobs.running() is not None}

    # -- search -------------------------------------------------------------------------------
    def search_data(q: str | None, speaker: str | None, source: str | None, since: str | None,
                    until: str | None, partial: str | None, k: str | None,
                    limit: str | None) -> dict[str, Any]:
        whole = not _flag(partial)
        first_load = not desk.encoder_loaded
        if q and q.strip():
            if len(q) > 2000:
                raise WebError(400, "the search text is too long (2,000 characters at most)")
            kk = _int(k, "k", 1, 500, SEARCH_K)
            hits = desk.search(q, k=kk, speaker=speaker or None, source=source or None,
                               since=since or None, until=until or None, partial=not whole)
            total = len(hits)
            shown = hits
            note = (f"The search model was loaded for this first search "
                    f"({desk.model_load_seconds} s); later searches are fast."
                    if first_load else "")
        else:
            all_q = desk.quotes(speaker=speaker or None, source=source or None,
                                since=since or None, until=until or None, partial=not whole)
            total = len(all_q)
            hits = all_q
            shown = all_q[:_int(limit, "limit", 1, 100_000, BROWSE_LIMIT)]
            note = ""
        return {"query": q or "", "total": total, "facets": facets(hits), "results": shown,
                "note": note, "model_load_seconds": desk.model_load_seconds}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(request: Request, q: str | None = None, speaker: str | None = None,
                          source: str | None = None, since: str | None = None,
                          until: str | None = None, partial: str | None = None,
                          k: str | None = None) -> Any:
        params = {"q": q, "speaker": speaker, "source": source, "since": since,
                  "until": until, "partial": "0" if partial is not None and not _flag(partial)
                  else None, "k": k}
        data = await run(search_data, q, speaker, source, since, until, partial, k, None)
        return html(pages.search_page(params, data["results"], data["facets"], data["total"],
                                      data["note"], guard.allow_writes))

    @app.get("/api/search", summary="Search quotes by meaning and words (no q: list them), "
             "with facets; format=json|csv")
    async def api_search(q: str | None = None, speaker: str | None = None,
                         source: str | None = None, since: str | None = None,
                         until: str | None = None, partial: str | None = None,
                         k: str | None = None, limit: str | None = None,
                         format: str | None = None) -> Any:
        data = await run(search_data, q, speaker, source, since, until, partial, k, limit)
        return _quotes_out(data["results"], format,
                           {"query": data["query"], "total": data["total"],
                            "facets": data["facets"],
                            "model_load_seconds": data["model_load_seconds"]}, "search",
                           key="results")

    @app.get("/api/quotes", summary="List stored quotes (filters as search); format=json|csv")
    async def api_quotes(speaker: str | None = None, speaker_id: str | None = None,
                         source: str | None = None, since: str | None = None,
                         until: str | None = None, article: str | None = None,
                         partial: str | None = None, limit: str | None = None,
                         format: str | None = None) -> Any:
        who: str | int | None = speaker or None
        if speaker_id:
            who = _int(speaker_id, "speaker_id", 0, 2**62, 0)
        n = _int(limit, "limit", 1, 10_000_000, 0) or None
        rows = await run(desk.quotes, speaker=who, source=source, since=since, until=until,
                         article=article, partial=_flag(partial), limit=n)
        return _quotes_out(rows, format, {"count": len(rows)}, "quotes")

    # -- one quote ----------------------------------------------------------------------------
    async def evidence(quote_id: str) -> Any:
        qid = _int(quote_id, "quote id", 0, 2**62, 0)
        ev = await run(desk.evidence, qid)
        if ev is None:
            raise WebError(404, f"no quote {qid}")
        return ev

    @app.get("/quotes/{quote_id}", response_class=HTMLResponse, include_in_schema=False)
    async def quote_page(quote_id: str) -> Any:
        from ..reports.html import conflicts_section

        ev = await evidence(quote_id)
        arts = await run(desk.report_articles, ev.conflicts)
        chtml = (conflicts_section(ev.conflicts, arts) if ev.conflicts
                 else '<p class="empty">This quote is in no conflict found so far.</p>')
        return html(pages.quote_page(ev, chtml, guard.allow_writes))

    @app.get("/api/quotes/{quote_id}", summary="One quote with its article, the speaker's "
             "nearest other quotes and its conflicts")
    async def api_quote(quote_id: str) -> Any:
        ev = await evidence(quote_id)
        return {"ok": True, **ev.to_dict()}

    # -- speakers -----------------------------------------------------------------------------
    async def speaker_rows(name: str | None) -> tuple[list[Any], list[str]]:
        from ..speakers import UnknownSpeaker

        try:
            return await run(desk.speakers, name or None), []
        except UnknownSpeaker as exc:
            return [], list(exc.suggestions)

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    async def speakers_page(name: str | None = None) -> Any:
        rows, sugg = await speaker_rows(name)
        status = 404 if name and not rows else 200
        return html(pages.speakers_page(rows, name or "", sugg, guard.allow_writes), status)

    @app.get("/api/speakers", summary="Canonical speakers; name= is a fuzzy lookup "
             "(404 with suggestions when nothing is close); format=json|csv")
    async def api_speakers(name: str | None = None, format: str | None = None) -> Any:
        rows, sugg = await speaker_rows(name)
        if name and not rows:
            hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
            return JSONResponse({"ok": False, "status": 404, "error":
                                 f"no speaker matches {name!r}{hint}", "suggestions": sugg},
                                status_code=404)
        data = [asdict(s) for s in rows]
        if format == "csv":
            for d in data:
                d["aliases"] = "; ".join(d["aliases"])
                d["roles"] = "; ".join(d["roles"])
            return _csv(data, ["id", "name", "kind", "quote_count", "aliases", "roles"],
                        "speakers.csv")
        if format not in (None, "", "json"):
            raise WebError(400, f"unknown format {format!r}; use json or csv")
        return {"ok": True, "speakers": data}

    async def one_speaker(speaker_id: str) -> tuple[Any, list[Any]]:
        sid = _int(speaker_id, "speaker id", 0, 2**62, 0)
        sp = await run(desk.speaker, sid)
        if sp is None:
            raise WebError(404, f"no speaker {sid}")
        quotes = await run(desk.quotes, speaker=sid)
        return sp, quotes

    @app.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
    async def speaker_page(speaker_id: str) -> Any:
        sp, quotes = await one_speaker(speaker_id)
        return html(pages.speaker_page(sp, quotes, guard.allow_writes))

    @app.get("/api/speakers/{speaker_id}", summary="One speaker: aliases, roles, every quote "
             "oldest first")
    async def api_speaker(speaker_id: str) -> Any:
        sp, quotes = await one_speaker(speaker_id)
        return {"ok": True, "speaker": asdict(sp), "quotes": [asdict(q) for q in quotes]}

    # -- report -------------------------------------------------------------------------------
    async def report_data(topic: str | None, kind: str | None, speaker: str | None) -> Any:
        from ..speakers import UnknownSpeaker

        try:
            return await run(desk.report, topic=topic or None, kind=kind or None,
                             speaker=speaker or None)
        except UnknownSpeaker as exc:
            raise WebError(400, str(exc)) from None

    @app.get("/report", response_class=HTMLResponse, include_in_schema=False)
    async def report_page(request: Request, topic: str | None = None, kind: str | None = None,
                          speaker: str | None = None) -> Any:
        from ..reports.html import conflicts_section

        conflicts = await report_data(topic, kind, speaker)
        arts = await run(desk.report_articles, conflicts)
        params = {"topic": topic, "kind": kind, "speaker": speaker}
        cr = pages.url("/api/report", **params, format="claimreview")
        return html(pages.report_page(params, conflicts_section(conflicts, arts),
                                      len(conflicts), cr, guard.allow_writes))

    @app.get("/api/report", summary="Conflicting claims with their evidence; "
             "format=json|csv|claimreview (organisation=, review_url=)")
    async def api_report(request: Request, topic: str | None = None, kind: str | None = None,
                         speaker: str | None = None, format: str | None = None,
                         organisation: str | None = None,
                         review_url: str | None = None) -> Any:
        from ..crosscheck import conflict_to_dict

        conflicts = await report_data(topic, kind, speaker)
        fmt = (format or "json").lower()
        if fmt == "json":
            return {"ok": True, "count": len(conflicts),
                    "conflicts": [conflict_to_dict(c) for c in conflicts]}
        if fmt == "csv":
            rows = [{"conflict_id": c.id, "topic": c.topic, "kind": c.kind, "score": c.score,
                     **asdict(e)} for c in conflicts for e in c.claims]
            return _csv(rows, ["conflict_id", "topic", "kind", "score", "text", "speaker",
                               "source", "published", "claim_time", "title", "article_id",
                               "quote_id", "start", "end"], "report.csv")
        if fmt == "claimreview":
            from ..export import claimreview_document, validate_claimreview

            # Each item links to its conflict's anchor on this server's report page.
            report_url = str(request.base_url).rstrip("/") + "/report"
            target = review_url or pages.url(report_url, topic=topic, kind=kind,
                                             speaker=speaker)
            if not target.startswith(("http://", "https://")):
                raise WebError(400, "review_url must start with http:// or https://")
            items = await run(desk.claimreview, conflicts, organisation or "factcheck desk",
                              target)
            problems = [p for item in items for p in validate_claimreview(item)]
            if problems:
                raise WebError(500, "ClaimReview items failed validation: " + problems[0])
            return Response(claimreview_document(items) + "\n",
                            media_type="application/ld+json")
        raise WebError(400, f"unknown format {format!r}; use json, csv or claimreview")

    # -- check --------------------------------------------------------------------------------
    async def read_check_form(request: Request) -> dict[str, Any]:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("application/json"):
            try:
                body = json.loads(await request.body() or b"null")
            except ValueError:
                raise WebError(400, "the body is not valid JSON") from None
            if not isinstance(body, dict):
                raise WebError(400, 'send a JSON object {"text": "...", "title": ...}')
            return {k: body.get(k) for k in ("text", "title", "source", "published", "store",
                                             "csrf")} | {"upload": None}
        if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            raise WebError(415, "send a form (multipart/form-data) or JSON")
        form = await request.form()
        upload = form.get("file")
        data = None
        if upload is not None and hasattr(upload, "read"):
            data = (await upload.read(), upload.filename or "upload")
            if not data[0]:
                data = None
        return {"text": form.get("text"), "title": form.get("title"),
                "source": form.get("source"), "published": form.get("published"),
                "store": form.get("store"), "csrf": form.get("csrf"), "upload": data}

    def article_of(f: dict[str, Any]) -> Any:
        from ..dates import normalise_date

        for key in ("text", "title", "source", "published"):
            if f.get(key) is not None and not isinstance(f[key], str):
                raise WebError(400, f"{key} must be a string")
        if f.get("published") and normalise_date(f["published"]) is None:
            raise WebError(400, f"cannot read the date {f['published']!r}: use YYYY-MM-DD")
        if f.get("upload"):
            data, name = f["upload"]
            items = articles_from_upload(name, data, max_bytes)
            arts = [a for a in items if not hasattr(a, "message")]
            if not arts:
                raise WebError(400, str(items[0]) if items else f"{name}: no article found")
            if len(arts) > 1:
                raise WebError(400, f"{name} holds {len(arts)} articles; check reads one")
            art = arts[0]
            art.title = f.get("title") or art.title
            art.source = f.get("source") or art.source
            if f.get("published"):
                art.published, art.published_inferred = normalise_date(f["published"]), False
            return art
        text = f.get("text") or ""
        if not text.strip():
            raise WebError(400, "paste the article text or choose a file to check")
        if len(text) > MAX_TEXT:
            raise WebError(413, f"the text is too long ({MAX_TEXT:,} characters at most)")
        return desk.make_article(text, None, title=f.get("title"), source=f.get("source"),
                                 published=f.get("published"))

    async def do_check(request: Request) -> tuple[Any, Any, dict[str, Any]]:
        f = await read_check_form(request)
        want_store = _flag(f.get("store")) if f.get("store") not in (None, "") else False
        if want_store:
            why = guard.check(request.headers, request.cookies, f.get("csrf"))
            if why:
                raise WebError(403, why)
        art = article_of(f)

        def work() -> Any:
            with check_lock:
                return desk.check(art, store=want_store)

        result = await run(work)
        return result, art, f

    def check_html_parts(result: Any, art: Any) -> tuple[str, str, str]:
        from ..reports.check import summary_line
        from ..reports.html import check_conflicts, check_section, conflicts_section

        conflicts = check_conflicts(result.claims)
        ids = {e.get("article_id") for c in conflicts for e in c.get("claims", [])}
        arts = {}
        for i in sorted(x for x in ids if x):
            a = desk.article(i)
            if a is not None:
                arts[a.id] = a
        arts[art.id] = art
        return (summary_line(result), check_section(result.quotes, art),
                conflicts_section(conflicts, arts))

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_form() -> Any:
        return html(pages.layout("Check", pages.check_form(guard.allow_writes, guard.csrf),
                                 "/check", writes=guard.allow_writes))

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_post(request: Request) -> Any:
        try:
            result, art, f = await do_check(request)
        except WebError as exc:
            if exc.status in (400, 403):
                text = ""
                with contextlib.suppress(Exception):
                    text = str((await request.form()).get("text") or "")
                return html(pages.layout("Check", pages.check_form(
                    guard.allow_writes, guard.csrf, text, exc.message), "/check",
                    writes=guard.allow_writes), exc.status)
            raise
        summary, qhtml, chtml = await run(check_html_parts, result, art)
        return html(pages.check_page(result, summary, qhtml, chtml, guard.allow_writes,
                                     guard.csrf, f.get("text") or ""))

    @app.post("/api/check", summary="Check an article: JSON {text, title, source, published, "
              "store} or a form with text= or file=; the verdicts as `factcheck check --json`")
    async def api_check(request: Request) -> Any:
        result, _, _ = await do_check(request)
        return {"ok": True, **result.to_dict()}

    # -- ingest -------------------------------------------------------------------------------
    def need_writes_page() -> None:
        if not guard.allow_writes:
            raise WebError(403, "ingest is off: start the server with `factcheck serve "
                           "--allow-writes`")

    async def start_ingest(request: Request) -> Any:
        need_writes_page()
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith("multipart/form-data"):
            raise WebError(415, "upload the files as multipart/form-data (field: files)")
        form = await request.form()
        why = guard.check(request.headers, request.cookies, form.get("csrf"))
        if why:
            raise WebError(403, why)
        uploads = [u for u in form.getlist("files") if hasattr(u, "read")]
        if not uploads:
            raise WebError(400, "choose one or more files to ingest (field: files)")
        items: list[Any] = []
        for u in uploads:
            items += articles_from_upload(u.filename or "upload", await u.read(), max_bytes)
        return jobs.start(items)

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    async def ingest_form() -> Any:
        need_writes_page()
        return html(pages.ingest_form(guard.csrf, max_upload_mb, jobs.running()))

    @app.post("/ingest", include_in_schema=False)
    async def ingest_post(request: Request) -> Any:
        try:
            job = await start_ingest(request)
        except (WebError, JobBusy) as exc:
            status = exc.status if isinstance(exc, WebError) else 409
            if status == 403 and not guard.allow_writes:
                raise
            msg = exc.message if isinstance(exc, WebError) else str(exc)
            return html(pages.ingest_form(guard.csrf, max_upload_mb, jobs.running(), msg),
                        status)
        return RedirectResponse(f"/ingest/{job.id}", 303)

    @app.post("/api/ingest", status_code=202, summary="Ingest uploaded files (multipart field "
              "files; text, HTML or JSONL); needs --allow-writes and X-Factcheck-Token")
    async def api_ingest(request: Request) -> Any:
        job = await start_ingest(request)
        return JSONResponse({"ok": True, "job": job.to_dict(), "url": f"/api/ingest/{job.id}"},
                            status_code=202)

    def get_job(job_id: str) -> Any:
        job = jobs.jobs.get(job_id)
        if job is None:
            raise WebError(404, f"no ingest job {job_id!r}")
        return job

    @app.get("/ingest/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    async def job_page(job_id: str) -> Any:
        need_writes_page()
        return html(pages.job_page(get_job(job_id)))

    @app.get("/api/ingest/{job_id}", summary="Progress of an ingest job")
    async def api_job(job_id: str) -> Any:
        need_writes_page()
        return {"ok": True, "job": get_job(job_id).to_dict()}

    # -- docs ---------------------------------------------------------------------------------
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> Any:
        return html(pages.docs_page(app.openapi(), guard.allow_writes))

    return LimitBody(app, max_bytes)
