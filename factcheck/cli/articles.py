"""Managing the store: ``articles``, ``claims``, ``delete`` (logic in ``factcheck.manage``)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from .app import (
    IndexOpt,
    JsonOpt,
    WaitOpt,
    app,
    check_dates,
    err,
    errors_to_exit,
    escape,
    open_store,
    out,
    print_json,
    resolve_speaker_ids,
    warn,
    writable_store,
)

# Rows shown on a terminal without --limit (piped output and --json get all).
TERMINAL_LIMIT = 50


def _limit(limit: int | None, as_json: bool) -> int | None:
    if limit is None and not as_json and out.is_terminal:
        return TERMINAL_LIMIT
    return limit


def _title(n: int, total: int, what: str) -> str:
    if n == total:
        return f"{total} {what}"
    return f"{n} of {total} {what} (--limit N for more, --json for all)"


@app.command()
def articles(
    source: str | None = typer.Option(None, "--source", help="Outlet name contains this."),
    title: str | None = typer.Option(None, "--title", help="Title contains this."),
    since: str | None = typer.Option(None, "--since", help="Published on/after."),
    until: str | None = typer.Option(None, "--until", help="Published on/before."),
    no_copies: bool = typer.Option(False, "--no-copies", help="Leave republications out."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N articles."),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List stored articles with their quote and claim counts (no model is loaded)."""
    from rich.table import Table

    from ..manage import list_articles

    with errors_to_exit():
        s, u = check_dates(since, until)
        store = open_store(index)
        rows = list_articles(store, source=source, title=title, since=s, until=u,
                             copies=not no_copies)
        store.close()
    total = len(rows)
    limit = _limit(limit, as_json)
    shown = rows[:limit] if limit else rows
    if as_json:
        print_json({"total": total, "quotes": sum(a.quotes for a in rows),
                    "claims": sum(a.claims for a in rows),
                    "articles": [asdict(a) for a in shown]})
        return
    if not rows:
        err.print("no articles match")
        return
    table = Table(title=_title(len(shown), total, "article(s)") + f"; "
                  f"{sum(a.quotes for a in rows)} quotes, {sum(a.claims for a in rows)} claims",
                  title_justify="left")
    table.add_column("article", style="bold", max_width=36)
    table.add_column("title", ratio=2)
    table.add_column("source / date", style="dim", max_width=30)
    table.add_column("quotes", justify="right")
    table.add_column("claims", justify="right")
    table.add_column("copies", style="dim", max_width=30)
    for a in shown:
        copies = (f"copy of {escape(a.copy_of)}" if a.copy_of
                  else (f"{a.copies} republication(s)" if a.copies else ""))
        table.add_row(escape(a.id), escape(a.title or "-"),
                      f"{escape(a.source or '-')} · {escape(a.published or 'undated')}",
                      str(a.quotes), str(a.claims), copies)
    out.print(table)


def _claim_table(rows: list, title: str, with_score: bool = False):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    if with_score:
        table.add_column("score", justify="right", no_wrap=True)
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold cyan", max_width=26)
    table.add_column("claim", ratio=3, min_width=30)
    table.add_column("time", style="dim", no_wrap=True)
    table.add_column("article / source / date", style="dim", max_width=34)
    for c in rows:
        where = (f"{escape(c.article_id)} \\[{c.start}:{c.end}]\n"
                 f"{escape(c.source or '-')} · {escape(c.published or 'undated')}")
        row = [str(c.id), escape(c.speaker or "(the outlet)"), escape(c.claim),
               escape(c.claim_time or "-"), where]
        if with_score:
            row = [f"{c.score:.3f}", *row]
        table.add_row(*row)
    return table


@app.command()
def claims(
    text: str | None = typer.Argument(None, help="Only claims holding these words."),
    speaker: str | None = typer.Option(None, "--speaker", "-s", help="Speaker (fuzzy)."),
    article: str | None = typer.Option(None, "--article", help="Only this article id."),
    since: str | None = typer.Option(None, "--since", help="Claim time (else published) "
                                     "on/after."),
    until: str | None = typer.Option(None, "--until", help="... on/before."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N claims."),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List stored claims with speaker and time; TEXT keeps those holding its words."""
    from ..manage import list_claims

    with errors_to_exit():
        s, u = check_dates(since, until)
        store = open_store(index)
        ids = resolve_speaker_ids(store, speaker)
        rows = list_claims(store, speaker_ids=ids, text=text, article_id=article, since=s,
                           until=u)
        store.close()
    total = len(rows)
    limit = _limit(limit, as_json)
    shown = rows[:limit] if limit else rows
    if as_json:
        print_json({"total": total, "claims": [asdict(c) for c in shown]})
        return
    if not rows:
        err.print("no claims match")
        return
    out.print(_claim_table(shown, _title(len(shown), total, "claim(s)")))


@app.command()
def delete(
    ids: list[str] = typer.Argument(..., help="Article ids to remove (see `factcheck "
                                    "articles`)."),
    index: Path | None = IndexOpt,
    wait: float = WaitOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Remove articles with their quotes, claims, vectors and republications."""
    from ..manage import delete_articles

    with errors_to_exit(), writable_store(index, wait) as store:
        summary = delete_articles(store, ids)
    if as_json:
        print_json(asdict(summary))
    else:
        out.print(f"Deleted {len(summary.deleted)} article(s)"
                  + (f" and {len(summary.copies_deleted)} republication(s)"
                     if summary.copies_deleted else "")
                  + f": {summary.quotes} quotes, {summary.claims} claims"
                  + (f"; {summary.speakers_pruned} speaker(s) no longer quoted removed"
                     if summary.speakers_pruned else "") + ".", highlight=False)
    for aid in summary.missing:
        warn(f"no article {aid!r} in the store")
    if summary.missing:
        raise typer.Exit(1)


__all__ = ["articles", "claims", "delete"]
