"""Commands for the who-said-what job: ingest, quotes, search, speakers, reindex."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import typer

from .app import (
    IndexOpt,
    JsonOpt,
    ModelOpt,
    UsageError,
    WaitOpt,
    app,
    check_dates,
    encoder_for,
    err,
    errors_to_exit,
    fail,
    index_dir,
    open_store,
    out,
    print_json,
    report_skip,
    resolve_speaker_ids,
    warn,
)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, directories, JSONL files, or - for stdin."),
    metadata: Path | None = typer.Option(
        None, "--metadata", help="Sidecar JSON {file name: {title, source, published, url}}."),
    index: Path | None = IndexOpt,
    model: str | None = ModelOpt,
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per batch."),
    processes: int = typer.Option(
        0, "--processes", min=0, help="Processes in all (0: one per core; 1: no workers)."),
    max_mb: int = typer.Option(20, "--max-mb", min=1, help="Largest single article (MB)."),
    wait: float = WaitOpt,
    no_claims: bool = typer.Option(False, "--no-claims", help="Skip claim extraction."),
    replace: bool = typer.Option(
        False, "--replace",
        help="Let a file overwrite a stored article of the same name read from another file."),
    as_json: bool = JsonOpt,
) -> None:
    """Read articles, attribute their quotes and claims, and store them."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..corpus import count_articles
    from ..ingest import ingest as run_ingest
    from ..records import IngestError

    with errors_to_exit():
        store = open_store(index, create=True, readonly=False)
        store.lock(wait=wait)
        encoder = encoder_for(store, model)  # refuses a model the store was not built with
        t0 = time.perf_counter()
        progress = Progress(
            TextColumn("[bold]ingest[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[current]}"), console=err, transient=True,
            disable=not err.is_terminal,
        )

        def on_article(item: object) -> None:
            if isinstance(item, IngestError):
                report_skip(item)  # escaped: file names may hold "[...]"
            else:
                progress.update(task, advance=1, current=getattr(item, "id", ""))

        with progress:
            task = progress.add_task("ingest", total=count_articles(paths), current="")
            summary = run_ingest(
                paths, store, encoder, metadata=metadata, batch_size=batch_size,
                n_process=processes, max_bytes=max_mb * 1024 * 1024, on_article=on_article,
                with_claims=not no_claims, replace=replace,
            )
        store.close()
    if as_json:
        data = asdict(summary)
        data["index"] = str(index_dir(index))
        print_json(data)
    else:
        secs = time.perf_counter() - t0
        out.print(
            f"Ingested {summary.read} article(s) into {index_dir(index)}: {summary.added} new, "
            f"{summary.replaced} replaced, {summary.unchanged} unchanged; "
            f"{summary.quotes} quotes, {summary.claims} claims stored"
            + (f"; {summary.dropped_boilerplate} quotes in comments/adverts ignored"
               if summary.dropped_boilerplate else "")
            + f" ({secs:.1f}s).", highlight=False)
        if summary.errors:
            warn(f"{len(summary.errors)} input(s) skipped (see above)")
    if summary.errors:
        raise typer.Exit(1)


def _quote_table(quotes: list, title: str, with_score: bool = False):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False, title_justify="left")
    if with_score:
        table.add_column("score", justify="right", no_wrap=True)
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold cyan", max_width=26)
    table.add_column("quote", ratio=3, min_width=30)
    table.add_column("article / source / date", style="dim", max_width=34)
    for q in quotes:
        speaker = q.speaker or "?"
        if q.speaker_role:
            speaker += f"\n[dim]{q.speaker_role}[/]"
        if q.anonymous:
            speaker += " [dim](anonymous)[/]"
        text = f"“{q.quote}”" + (" [dim](partial)[/]" if q.partial else "")
        where = (f"{q.article_id} [{q.start}:{q.end}]\n"
                 f"{q.source or '-'} · {q.published or 'undated'}")
        if q.via:
            where += f"\nvia {q.via}"
        row = [str(q.id), speaker, text, where]
        if with_score:
            row = [f"{q.score:.3f}", *row]
        table.add_row(*row)
    return table


@app.command()
def quotes(
    speaker: str | None = typer.Option(None, "--speaker", "-s", help="Speaker (fuzzy)."),
    source: str | None = typer.Option(None, "--source", help="Outlet name contains this."),
    since: str | None = typer.Option(None, "--since", help="Published on/after (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, "--until", help="Published on/before."),
    article: str | None = typer.Option(None, "--article", help="Only this article id."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N quotes."),
    no_partial: bool = typer.Option(
        False, "--no-partial", help="Only whole quotes: leave out fragments inside reported "
        "speech (called it \"a farce\")."),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List stored quotes (no model is loaded)."""
    with errors_to_exit():
        s, u = check_dates(since, until)
        store = open_store(index)
        ids = resolve_speaker_ids(store, speaker)
        rows = store.quotes(speaker_ids=ids, source=source, since=s, until=u, article_id=article)
        store.close()
    if no_partial:
        rows = [q for q in rows if not q.partial]
    if limit:
        rows = rows[:limit]
    if as_json:
        print_json({"quotes": [asdict(q) for q in rows]})
        return
    if not rows:
        err.print("no quotes match")
        return
    out.print(_quote_table(rows, f"{len(rows)} quote(s)"))


@app.command()
def search(
    text: str = typer.Argument(..., help="What was said, in your words."),
    k: int = typer.Option(10, "-k", "--top", help="How many results."),
    speaker: str | None = typer.Option(None, "--speaker", "-s", help="Speaker (fuzzy)."),
    source: str | None = typer.Option(None, "--source", help="Outlet name contains this."),
    since: str | None = typer.Option(None, "--since", help="Published on/after."),
    until: str | None = typer.Option(None, "--until", help="Published on/before."),
    index: Path | None = IndexOpt,
    model: str | None = ModelOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Find quotes by meaning (and exact words)."""
    from ..search import search_quotes

    with errors_to_exit():
        if k <= 0:
            raise UsageError(f"-k must be at least 1 (got {k})")
        if not text.strip():
            raise UsageError("the search text is empty")
        s, u = check_dates(since, until)
        store = open_store(index)
        ids = resolve_speaker_ids(store, speaker)
        encoder = encoder_for(store, model)
        t0 = time.perf_counter()
        encoder.encode(["warm up"])  # loads the model, timed separately from the search
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        hits = search_quotes(store, encoder, text, k=k, speaker_ids=ids, source=source,
                             since=s, until=u)
        search_s = time.perf_counter() - t1
        store.close()
    if as_json:
        print_json({"query": text, "model_load_seconds": round(load_s, 3),
                    "search_seconds": round(search_s, 4), "results": [asdict(q) for q in hits]})
        return
    err.print(f"[dim]model load {load_s:.2f}s, search {search_s * 1000:.0f} ms[/]")
    if not hits:
        err.print("no quotes match")
        return
    out.print(_quote_table(hits, f"Top {len(hits)} for “{text}”", with_score=True))


@app.command()
def speakers(
    name: str | None = typer.Argument(None, help="Show only speakers matching this (fuzzy)."),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Canonical speakers with aliases, roles and quote counts."""
    from rich.table import Table

    from ..speakers import match_speakers

    with errors_to_exit():
        store = open_store(index)
        rows = store.speakers()
        if name:
            rows = match_speakers(name, rows)
        store.close()
    rows = [s for s in rows if s.quote_count or name]
    rows.sort(key=lambda s: (-s.quote_count, s.name))
    if as_json:
        print_json({"speakers": [asdict(s) for s in rows]})
        return
    table = Table(title=f"{len(rows)} speaker(s)", title_justify="left")
    table.add_column("id", justify="right", style="dim")
    table.add_column("speaker", style="bold cyan")
    table.add_column("kind")
    table.add_column("quotes", justify="right")
    table.add_column("aliases", style="dim")
    table.add_column("roles", style="dim")
    for s in rows:
        aliases = ", ".join(a for a in s.aliases if a != s.name)
        table.add_row(str(s.id), s.name, s.kind, str(s.quote_count), aliases,
                      "; ".join(s.roles))
    out.print(table)


@app.command()
def reindex(
    index: Path | None = IndexOpt,
    model: str | None = ModelOpt,
    wait: float = WaitOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Rebuild the vector indexes; with --model, re-embed everything with that model."""
    from ..embeddings import get_encoder

    with errors_to_exit():
        store = open_store(index, readonly=False)
        store.lock(wait=wait)
        reembedded = 0
        if model:
            encoder = get_encoder(model)
            from ..ingest import embed_stored

            reembedded = embed_stored(store, encoder)
        counts = store.rebuild_indexes()
        store.close()
    if as_json:
        print_json({"indexes": counts, "reembedded": reembedded})
    else:
        out.print(f"Rebuilt indexes: {counts}" + (f"; re-embedded {reembedded} texts"
                                                   if reembedded else ""))


__all__ = ["ingest", "quotes", "search", "speakers", "reindex", "fail"]
