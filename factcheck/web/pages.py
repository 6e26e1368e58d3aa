"""Server-rendered pages. Every piece of stored text goes through ``escape_html``.

The report and check sections are the HTML report's own (``reports/html.py``); this module
adds the page shell, the search page with facets, the quote, speaker and ingest pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from ..escaping import escape_html as esc
from ..records import Article, Speaker, StoredQuote

NAV = [("/", "Search"), ("/speakers", "Speakers"), ("/report", "Report"), ("/check", "Check"),
       ("/ingest", "Ingest"), ("/docs", "API")]


def url(path: str, **params: Any) -> str:
    """``path`` with the non-empty ``params`` as a query string (escape before use in HTML)."""
    q = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(q) if q else "")


def layout(title: str, body: str, active: str = "", status: str = "",
           writes: bool = False) -> str:
    on = ' class="on"'
    nav = "".join(f'<a href="{href}"{on if href == active else ""}>{label}</a>'
                  for href, label in NAV if writes or href != "/ingest")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)} · factcheck</title>"
        "<link rel=\"stylesheet\" href=\"/static/report.css\">"
        "<link rel=\"stylesheet\" href=\"/static/app.css\">"
        "<script src=\"/static/app.js\"></script></head><body>"
        f"<header class=\"page app\"><a class=\"brand\" href=\"/\">factcheck</a>"
        f"<nav class=\"toc\">{nav}</nav>"
        f"{f'<span class=status>{esc(status)}</span>' if status else ''}</header>"
        f"<main>{body}</main>"
        "<footer>factcheck desk — every quote links to its article; nothing on these pages "
        "is loaded from another site.</footer></body></html>\n")


def error_page(status: int, message: str, writes: bool = False) -> str:
    return layout(f"Error {status}", f'<h1>Error {status}</h1><p class="error">{esc(message)}'
                  "</p><p><a href=\"/\">Back to search</a></p>", writes=writes)


def downloads(path: str, params: dict[str, Any], extra: Sequence[tuple[str, str]] = ()) -> str:
    links = [(url(path, **params, format="json"), "JSON"), (url(path, **params, format="csv"),
                                                            "CSV"), *extra]
    return ('<p class="downloads">Download: '
            + " · ".join(f'<a href="{esc(h)}">{esc(t)}</a>' for h, t in links) + "</p>")


def quote_row(q: StoredQuote, show_score: bool = False) -> str:
    who = (f'<a class="who" href="/speakers/{q.speaker_id}">{esc(q.speaker)}</a>'
           if q.speaker_id is not None else f'<span class="who">{esc(q.speaker or "?")}</span>')
    role = f' <span class="meta">{esc(q.speaker_role)}</span>' if q.speaker_role else ""
    anon = ' <span class="meta">(anonymous)</span>' if q.anonymous else ""
    partial = ' <span class="flag">partial</span>' if q.partial else ""
    score = (f'<span class="score" title="similarity + word bonus">{q.score:.3f}</span> '
             if show_score and q.score is not None else "")
    return (f'<li class="hit" data-quote-id="{q.id}">{score}{who}{role}{anon}'
            f'<blockquote><a class="q" href="/quotes/{q.id}">“{esc(q.quote)}”</a>{partial}'
            f'</blockquote><span class="meta">{esc(q.source or "unknown outlet")} · '
            f'<time>{esc(q.published or "undated")}</time> · {esc(q.title or q.article_id)} · '
            f'<a href="/quotes/{q.id}">evidence [{q.start}:{q.end}]</a></span></li>')


def facet_block(title: str, key: str, items: list[dict[str, Any]], params: dict[str, Any],
                value_of: Any) -> str:
    """A facet: each value with its count, linking to the same search narrowed by it."""
    if not items:
        return ""
    lis = []
    for it in items[:12]:
        value = str(value_of(it))
        p = dict(params)
        if key == "year":
            chosen = p.get("since") == value and p.get("until") == value
            p["since"], p["until"] = (None, None) if chosen else (value, value)
        else:
            chosen = str(p.get(key) or "") == value
            p[key] = None if chosen else value
        if (key == "speaker" and it.get("id") is None) or value in ("undated", "unknown"):
            # nothing to filter by: an unattributed quote, an undated or unnamed outlet
            lis.append(f'<li><span>{esc(it["name"])}</span> '
                       f'<span class="count">{it["count"]}</span></li>')
            continue
        href = url("/", **p)
        lis.append(f'<li{" class=on" if chosen else ""}><a href="{esc(href)}">{esc(it["name"])}'
                   f'</a> <span class="count">{it["count"]}</span></li>')
    return f'<section class="facet"><h3>{esc(title)}</h3><ul>{"".join(lis)}</ul></section>'


def search_page(params: dict[str, Any], hits: list[StoredQuote], facets: dict[str, Any],
                total: int, note: str = "", writes: bool = False) -> str:
    q = params.get("q") or ""

    def field(name: str, label: str, placeholder: str = "") -> str:
        return (f'<label>{label}<input name="{name}" value="{esc(params.get(name) or "")}" '
                f'placeholder="{esc(placeholder)}"></label>')

    form = (
        '<form class="searchform" method="get" action="/">'
        f'<input class="q" name="q" type="search" value="{esc(q)}" autofocus '
        'placeholder="What was said? e.g. missiles destabilizing for Israel">'
        '<button type="submit">Search</button><div class="filters">'
        + field("speaker", "Speaker", "fuzzy, e.g. lavrov") + field("source", "Outlet")
        + field("since", "Since", "YYYY[-MM[-DD]]") + field("until", "Until")
        + '<label class="check"><input type="checkbox" name="partial" value="0"'
        + (" checked" if str(params.get("partial")) == "0" else "")
        + "> whole quotes only</label></div></form>")
    if q:
        head = f'<p class="meta" id="count">{len(hits)} result(s) for “{esc(q)}”</p>'
    else:
        head = (f'<p class="meta" id="count">{total} quote(s) stored'
                + (f", showing {len(hits)}" if len(hits) < total else "") + "</p>")
    if note:
        head += f'<p class="note">{esc(note)}</p>'
    items = "".join(quote_row(h, show_score=bool(q)) for h in hits)
    results = (f'<ol class="hits">{items}</ol>' if hits
               else '<p class="empty">No quotes match.</p>')
    fac = (facet_block("Speakers", "speaker", facets["speakers"], params,
                       lambda it: it["name"])
           + facet_block("Outlets", "source", facets["outlets"], params, lambda it: it["name"])
           + facet_block("Years", "year", facets["years"], params, lambda it: it["name"]))
    api_params = {k: v for k, v in params.items() if k != "format"}
    body = (form + '<div class="cols"><aside class="facets">' + fac + "</aside>"
            '<section class="results">' + head
            + downloads("/api/search", api_params) + results + "</section></div>")
    return layout(f"Search: {q}" if q else "Search", body, "/", writes=writes)


def article_with_mark(text: str, start: int, end: int) -> str:
    """The whole article, escaped, with ``text[start:end]`` in a <mark id="quote">."""
    if not (0 <= start <= end <= len(text)):
        return f'<div class="article-text">{esc(text)}</div>'
    return (f'<div class="article-text">{esc(text[:start])}<mark id="quote" class="hl">'
            f"{esc(text[start:end])}</mark>{esc(text[end:])}</div>")


def quote_page(ev: Any, conflicts_html: str, writes: bool = False) -> str:
    q: StoredQuote = ev.quote
    art: Article | None = ev.article
    who = (f'<a href="/speakers/{q.speaker_id}">{esc(q.speaker)}</a>'
           if q.speaker_id is not None else esc(q.speaker or "unattributed"))
    facts = [("Speaker", who + (f' <span class="meta">{esc(q.speaker_role)}</span>'
                                if q.speaker_role else "")),
             ("Cue", esc(q.cue or "—")),
             ("Outlet", esc(q.source or "unknown")),
             ("Published", esc(q.published or "undated")),
             ("Article", esc(q.title or q.article_id) + f' <span class="meta">'
              f'({esc(q.article_id)}, characters {q.start}–{q.end})</span>')]
    if art is not None and art.url and art.url.lower().startswith(("http://", "https://")):
        facts.append(("Link", f'<a href="{esc(art.url)}" rel="noopener noreferrer">'
                      f"{esc(art.url)}</a>"))
    if q.partial:
        facts.append(("Note", "a partial quote: words quoted inside the reporter's sentence"))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    nearest = "".join(quote_row(o, show_score=True) for o in ev.nearest)
    body = (
        f'<h1 class="quote-title">“{esc(q.quote)}”</h1><dl class="facts">{dl}</dl>'
        f'<p class="downloads">Download: <a href="/api/quotes/{q.id}">JSON</a></p>'
        f'<h2>Context</h2><blockquote class="context">{esc(q.context)}</blockquote>'
        f'<h2>In the article</h2>'
        + (article_with_mark(art.text, q.start, q.end) if art is not None
           else '<p class="empty">The article is no longer stored.</p>')
        + f'<h2>{esc(q.speaker or "The speaker")}’s nearest other quotes</h2>'
        + (f'<ol class="hits">{nearest}</ol>' if nearest
           else '<p class="empty">No other quotes by this speaker.</p>')
        + "<h2>Conflicts this quote is part of</h2>" + conflicts_html)
    return layout(f"Quote {q.id}", body, writes=writes)


def speakers_page(rows: list[Speaker], name: str, suggestions: Iterable[str] = (),
                  writes: bool = False) -> str:
    form = ('<form class="searchform" method="get" action="/speakers">'
            f'<input class="q" name="name" value="{esc(name)}" '
            'placeholder="Find a speaker (fuzzy: lavrvo finds Lavrov)">'
            '<button type="submit">Find</button></form>')
    if rows:
        trs = "".join(
            f'<tr><td>{s.id}</td><td><a href="/speakers/{s.id}">{esc(s.name)}</a></td>'
            f"<td>{esc(s.kind)}</td><td class=num>{s.quote_count}</td>"
            f"<td>{esc(', '.join(a for a in s.aliases if a != s.name))}</td>"
            f"<td>{esc('; '.join(s.roles))}</td></tr>" for s in rows)
        table = ('<table class="list"><thead><tr><th>id</th><th>speaker</th><th>kind</th>'
                 "<th>quotes</th><th>aliases</th><th>roles</th></tr></thead>"
                 f"<tbody>{trs}</tbody></table>")
    else:
        sugg = "".join(f'<li><a href="{esc(url("/speakers", name=s))}">{esc(s)}</a></li>'
                       for s in suggestions)
        table = (f'<p class="empty">No speaker matches “{esc(name)}”.</p>'
                 + (f"<p>Did you mean:</p><ul>{sugg}</ul>" if sugg else ""))
    head = f'<p class="meta" id="count">{len(rows)} speaker(s)</p>'
    body = (form + head + downloads("/api/speakers", {"name": name}) + table)
    return layout("Speakers", body, "/speakers", writes=writes)


def speaker_page(sp: Speaker, quotes: list[StoredQuote], writes: bool = False) -> str:
    aliases = ", ".join(a for a in sp.aliases if a != sp.name) or "—"
    roles = "; ".join(sp.roles) or "—"
    by_date: dict[str, list[StoredQuote]] = {}
    for q in quotes:  # oldest first (the store's order)
        by_date.setdefault(q.published or "undated", []).append(q)
    tl = "".join(
        f'<li class="tl-day"><time>{esc(day)}</time><ol class="hits">'
        + "".join(quote_row(q) for q in qs) + "</ol></li>" for day, qs in by_date.items())
    body = (f"<h1>{esc(sp.name)}</h1><dl class=\"facts\"><dt>Kind</dt><dd>{esc(sp.kind)}</dd>"
            f"<dt>Also called</dt><dd>{esc(aliases)}</dd><dt>Roles</dt><dd>{esc(roles)}</dd>"
            f"<dt>Quotes</dt><dd>{len(quotes)}</dd></dl>"
            + downloads("/api/quotes", {"speaker_id": sp.id})
            + f'<h2>Every quote, oldest first</h2><ol class="timeline-list">{tl}</ol>')
    return layout(sp.name, body, "/speakers", writes=writes)


def report_page(params: dict[str, Any], conflicts_html: str, n: int, claimreview_href: str,
                writes: bool = False) -> str:
    kinds = ["", "contradiction", "dispute", "update", "series"]
    opts = "".join(f'<option value="{k}"{" selected" if params.get("kind") == k else ""}>'
                   f'{k or "any kind"}</option>' for k in kinds)
    form = ('<form class="searchform" method="get" action="/report">'
            f'<input name="topic" value="{esc(params.get("topic") or "")}" '
            'placeholder="Topic, e.g. S-300">'
            f'<input name="speaker" value="{esc(params.get("speaker") or "")}" '
            f'placeholder="Speaker"><select name="kind">{opts}</select>'
            '<button type="submit">Filter</button></form>')
    dl = downloads("/api/report", params, [(claimreview_href, "ClaimReview")])
    body = (form + f'<p class="meta" id="count">{n} conflict(s)</p>' + dl
            + f'<section id="conflicts">{conflicts_html}</section>')
    return layout("Report", body, "/report", writes=writes)


def check_form(writes: bool, csrf: str, text: str = "", error: str = "") -> str:
    store_box = ('<label class="check"><input type="checkbox" name="store" value="1"> '
                 "also store this article (writes are allowed on this server)</label>"
                 if writes else '<p class="meta">Nothing is stored: the server runs '
                 "read-only.</p>")
    err = f'<p class="error">{esc(error)}</p>' if error else ""
    return (
        f'<h1>Check an article</h1>{err}<form class="checkform" method="post" action="/check" '
        'enctype="multipart/form-data">'
        f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
        '<label for="text">Paste the article text</label>'
        f'<textarea id="text" name="text" rows="14">{esc(text)}</textarea>'
        '<label>…or upload a file (text, HTML, one-record JSONL) '
        '<input type="file" name="file"></label><div class="filters">'
        '<label>Title<input name="title"></label><label>Outlet<input name="source"></label>'
        '<label>Published<input name="published" placeholder="YYYY-MM-DD"></label></div>'
        f'{store_box}<button type="submit">Check</button></form>')


def check_page(result: Any, summary: str, quotes_html: str, conflicts_html: str,
               writes: bool, csrf: str, text: str) -> str:
    stored = ('<p class="note">The article was stored.</p>' if result.stored
              else '<p class="meta">Nothing was stored.</p>')
    body = (f'<section id="result"><h1>Check: {esc(result.article.get("title") or "article")}'
            f'</h1><p class="summary">{esc(summary)}</p>{stored}'
            f'<h2>Quotes</h2>{quotes_html}<h2>Claim conflicts with the store</h2>'
            f"{conflicts_html}</section><hr>" + check_form(writes, csrf, text))
    return layout("Check", body, "/check", writes=writes)


def ingest_form(csrf: str, max_mb: int, running: Any = None, error: str = "") -> str:
    busy = (f'<p class="note">An ingest is running: <a href="/ingest/{esc(running.id)}">'
            "follow it</a>.</p>" if running else "")
    err = f'<p class="error">{esc(error)}</p>' if error else ""
    body = (f"<h1>Ingest articles</h1>{err}{busy}"
            '<form class="checkform" method="post" action="/ingest" '
            'enctype="multipart/form-data">'
            f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
            '<label>Files: text, Markdown, HTML, or JSONL records {"id","text","title",'
            '"source","published","url"} <input type="file" name="files" multiple></label>'
            f'<p class="meta">At most {max_mb} MB per upload. The store stays readable '
            "meanwhile.</p><button type=\"submit\">Ingest</button></form>")
    return layout("Ingest", body, "/ingest", writes=True)


def job_page(job: Any) -> str:
    d = job.to_dict()
    pct = int(100 * d["done"] / d["total"]) if d["total"] else 100
    errors = "".join(f"<li>{esc(e)}</li>" for e in d["errors"])
    body = (f'<h1>Ingest {esc(d["id"])}</h1><div id="job" data-job="{esc(d["id"])}" '
            f'data-status="{esc(d["status"])}"><p>Status: <strong id="job-status">'
            f'{esc(d["status"])}</strong> — <span id="job-done">{d["done"]}</span> of '
            f'{d["total"]} input(s), {d["seconds"]} s</p>'
            f'<progress id="job-progress" max="100" value="{pct}">{pct}%</progress>'
            f'<p id="job-message">{esc(d["message"])}</p>'
            + (f"<h2>Skipped</h2><ul class=\"errors\">{errors}</ul>" if errors else "")
            + "</div><p><a href=\"/ingest\">Ingest more</a> · <a href=\"/\">Search</a></p>")
    return layout("Ingest", body, "/ingest", writes=True)


def docs_page(schema: dict[str, Any], writes: bool = False) -> str:
    """The API, read from the OpenAPI schema (served as JSON at /openapi.json)."""
    rows = []
    for path, ops in sorted(schema.get("paths", {}).items()):
        for method, op in ops.items():
            params = ", ".join(
                f'{p["name"]}' + ("*" if p.get("required") else "")
                for p in op.get("parameters", []))
            rows.append(f"<tr><td><code>{esc(method.upper())}</code></td>"
                        f"<td><code>{esc(path)}</code></td><td>{esc(op.get('summary', ''))}"
                        f"</td><td><code>{esc(params)}</code></td></tr>")
    body = ("<h1>JSON API</h1><p>Every page is also JSON under <code>/api/…</code>; errors "
            'are <code>{"ok": false, "status": N, "error": "one line"}</code> with a 4xx '
            'status. The machine-readable description: <a href="/openapi.json">'
            "/openapi.json</a> (OpenAPI 3).</p>"
            '<table class="list"><thead><tr><th>method</th><th>path</th><th>what</th>'
            f"<th>parameters (* required)</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>")
    return layout("API", body, "/docs", writes=writes)
