"""Commands for the who-said-what job: ingest, quotes, search, speakers, reindex."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import typer

from ..corpus import MAX_ARTICLE_BYTES  # a light module: no heavy imports
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
    escape,
    fail,
    index_dir,
    index_target,
    open_store,
    out,
    print_json,
    report_skip,
    resolve_speaker_ids,
    warn,
    writable_store,
)

# Rows `quotes` shows on a terminal without --limit (piped output and --json get all).
TERMINAL_LIMIT = 50


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
    max_mb: int = typer.Option(
        MAX_ARTICLE_BYTES // (1024 * 1024), "--max-mb", min=1,
        help="Largest single article (MB). Memory stays flat at any size (long texts are "
        "analysed in windows, ~0.55 GB); time is ~3 CPU-minutes per MB with claims."),
    wait: float = WaitOpt,
    no_claims: bool = typer.Option(False, "--no-claims", help="Skip claim extraction."),
    replace: bool = typer.Option(
        False, "--replace",
        help="Let a file overwrite a stored article of the same name read from another file."),
    time_budget: float = typer.Option(
        1.0, "--time-budget", min=0.0, help="Scale of the per-article time budget (60 s + "
        "600 s per MB of text; 0: no limit). An article past it is skipped, named on stderr."),
    progress_every: int = typer.Option(
        50, "--progress-every", min=1, help="When stderr is not a terminal: one progress "
        "line every N articles..."),
    progress_seconds: float = typer.Option(
        10.0, "--progress-seconds", min=0.0, help="... and at least every S seconds while "
        "articles go through (0: only every N articles)."),
    engine: str = typer.Option(
        "local", "--engine", help="local (this machine's processes) or ray (Ray Data stages; "
        "pip install 'factcheck[ray]')."),
    ray_address: str | None = typer.Option(
        None, "--ray-address", help="--engine ray: an existing Ray cluster (else a local "
        "Ray is started)."),
    workers: int = typer.Option(
        0, "--workers", min=0, help="--engine ray: analysis actors, each loading spaCy once "
        "(0: one per core)."),
    as_json: bool = JsonOpt,
) -> None:
    """Read articles, attribute their quotes and claims, and store them."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..corpus import count_articles
    from ..ingest import ingest as run_ingest
    from ..records import IngestError

    if engine not in ("local", "ray"):
        fail(f"unknown --engine {engine!r}; use local or ray", 2)
    if ray_address and engine != "ray":
        fail("--ray-address needs --engine ray", 2)
    if engine == "ray":
        from ..rayingest import RayUnavailable, require_ray

        try:
            require_ray()  # before the store is opened or a model loaded
        except RayUnavailable as exc:
            fail(str(exc), 1)
    with errors_to_exit(), writable_store(index, wait, create=True) as store:
        encoder = encoder_for(store, model)  # refuses a model the store was not built with
        t0 = time.perf_counter()
        progress = Progress(
            TextColumn("[bold]ingest[/]"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"), console=err, transient=True,
            disable=not err.is_terminal,
        )
        total = count_articles(paths)
        seen = {"done": 0, "skipped": 0}
        last_line = [t0]

        def on_article(item: object) -> None:  # stored, unchanged or skipped: batch by batch
            if isinstance(item, IngestError):
                seen["skipped"] += 1
                report_skip(item)  # escaped: file names and messages may hold anything
            else:
                seen["done"] += 1

        def on_progress(n: int, current: str) -> None:  # each article as its work ends
            progress.update(task, completed=n, current=escape(current))
            if err.is_terminal:
                return
            now = time.perf_counter()
            if n % progress_every == 0 or (
                    progress_seconds and now - last_line[0] >= progress_seconds):
                last_line[0] = now
                err.print(progress_line(seen["done"], seen["skipped"], total, now - t0, n),
                          highlight=False)

        with progress:
            task = progress.add_task("ingest", total=total, current="")
            if engine == "ray":
                from ..rayingest import ingest_ray

                def on_ray_article(item: object) -> None:  # Ray reports at write time only
                    on_article(item)
                    on_progress(seen["done"] + seen["skipped"], "")

                summary = ingest_ray(
                    paths, store, encoder, metadata=metadata, batch_size=batch_size,
                    workers=workers, address=ray_address, max_bytes=max_mb * 1024 * 1024,
                    on_article=on_ray_article, with_claims=not no_claims, replace=replace,
                    time_budget=time_budget)
            else:
                summary = run_ingest(
                    paths, store, encoder, metadata=metadata, batch_size=batch_size,
                    n_process=processes, max_bytes=max_mb * 1024 * 1024,
                    on_article=on_article, with_claims=not no_claims, replace=replace,
                    time_budget=time_budget, on_progress=on_progress,
                )
    if as_json:
        data = asdict(summary)
        data["index"] = str(index_dir(index))
        print_json(data)
    else:
        secs = time.perf_counter() - t0
        stored = summary.added + summary.replaced + summary.unchanged + summary.copies
        out.print(
            f"Ingested {stored} article(s) into {escape(str(index_dir(index)))}: "
            f"{summary.added} new, {summary.replaced} replaced, {summary.unchanged} unchanged"
            + (f", {summary.copies} republication(s) of stored articles (quotes not counted "
               "again)" if summary.copies else "") + "; "
            f"{summary.quotes} quotes, {summary.claims} claims stored"
            + (f"; {summary.dropped_boilerplate} quotes in comments/adverts ignored"
               if summary.dropped_boilerplate else "")
            + f" ({secs:.1f}s).", highlight=False)
        if summary.errors:
            warn(f"{len(summary.errors)} input(s) skipped, not stored (see above)")
    if summary.errors:
        raise typer.Exit(1)


def progress_line(done: int, skipped: int, total: int | None, elapsed: float,
                  processed: int | None = None) -> str:
    """One progress line for logs: articles through so far (``processed``, else stored +
    skipped), stored and skipped, rate and, when the total is known, an ETA."""
    n = processed if processed is not None else done + skipped
    rate = n / elapsed if elapsed > 0 else 0.0
    line = f"ingest: {n}" + (f"/{total}" if total else "") + f" articles ({done} stored"
    line += f", {skipped} skipped)" if skipped else ")"
    line += f", {elapsed:.0f}s, {rate:.1f}/s"
    if total and rate > 0 and total > n:
        line += f", ETA {(total - n) / rate:.0f}s"
    return line


def _republications(store, quotes: list) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from ..manage import republications

    return republications(store, [q.article_id for q in quotes])


def _with_copies(q, copies: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """A quote's JSON with where its article was republished (syndicated copies)."""
    d = asdict(q)
    d["republished"] = copies.get(q.article_id, [])
    return d


def _quote_table(quotes: list, title: str, with_score: bool = False,  # type: ignore[no-untyped-def]
                 copies: dict | None = None):  # type: ignore[type-arg]
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False, title_justify="left")
    if with_score:
        table.add_column("score", justify="right", no_wrap=True)
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold cyan", max_width=26)
    table.add_column("quote", ratio=3, min_width=30)
    table.add_column("article / source / date", style="dim", max_width=34)
    for q in quotes:
        # Everything from an article is escaped: "[...]" is not markup, ESC is not run.
        speaker = escape(q.speaker or "?")
        if q.speaker_role:
            speaker += f"\n[dim]{escape(q.speaker_role)}[/]"
        if q.anonymous:
            speaker += " [dim](anonymous)[/]"
        text = f"“{escape(q.quote)}”" + (" [dim](partial)[/]" if q.partial else "")
        where = (f"{escape(q.article_id)} \\[{q.start}:{q.end}]\n"
                 f"{escape(q.source or '-')} · {escape(q.published or 'undated')}")
        again = (copies or {}).get(q.article_id)
        if again:
            where += f"\n+{len(again)} republication(s): " + ", ".join(
                escape(c["source"] or c["id"]) for c in again[:3])
        if q.via:
            where += f"\nvia {escape(q.via)}"
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
    from ..desk import Desk

    with errors_to_exit():
        s, u = check_dates(since, until)  # the CLI's own wording for a bad --since/--until
        # One store, one read snapshot: the quotes and their republications agree.
        with Desk(index_target(index)).reading() as store:
            rows = store.quotes(speaker_ids=resolve_speaker_ids(store, speaker),
                                source=source or None, since=s, until=u,
                                article_id=article or None)
            if no_partial:
                rows = [q for q in rows if not q.partial]
            copies = _republications(store, rows)
    total = len(rows)
    if limit is None and not as_json and out.is_terminal:
        limit = TERMINAL_LIMIT  # thousands of rows help nobody on a screen
    if limit:
        rows = rows[:limit]
    if as_json:
        print_json({"total": total, "quotes": [_with_copies(q, copies) for q in rows]})
        return
    if not rows:
        err.print("no quotes match")
        return
    title = f"{len(rows)} quote(s)" if len(rows) == total else \
        f"{len(rows)} of {total} quote(s) (--limit N for more, --json for all)"
    out.print(_quote_table(rows, title, copies=copies))


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
    claims: bool = typer.Option(False, "--claims", help="Search stored claims too (reported "
                                "speech and the outlets' own statements)."),
    as_json: bool = JsonOpt,
) -> None:
    """Find quotes (and with --claims, claims) by meaning and exact words."""
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
        claim_hits = []
        if claims:
            from ..manage import search_claims

            claim_hits = search_claims(store, encoder, text, k=k, speaker_ids=ids)
        search_s = time.perf_counter() - t1
        copies = _republications(store, hits)
        store.close()
    if as_json:
        data = {"query": text, "model_load_seconds": round(load_s, 3),
                "search_seconds": round(search_s, 4),
                "results": [_with_copies(q, copies) for q in hits]}
        if claims:
            data["claims"] = [asdict(c) for c in claim_hits]
        print_json(data)
        return
    err.print(f"[dim]model load {load_s:.2f}s, search {search_s * 1000:.0f} ms[/]")
    if not hits and not claim_hits:
        err.print("no quotes match" + (" and no claims" if claims else ""))
        return
    if hits:
        out.print(_quote_table(hits, f"Top {len(hits)} quotes for “{escape(text)}”",
                               with_score=True, copies=copies))
    if claim_hits:
        from .articles import _claim_table

        out.print(_claim_table(claim_hits, f"Top {len(claim_hits)} claims for "
                               f"“{escape(text)}”", with_score=True))


@app.command()
def speakers(
    name: str | None = typer.Argument(None, help="Show only speakers matching this (fuzzy)."),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Canonical speakers with aliases, roles and quote counts."""
    from rich.table import Table

    from ..desk import Desk

    with errors_to_exit():
        rows = Desk(index_target(index)).speakers(name)  # most quoted first; fuzzy with a name
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
        table.add_row(str(s.id), escape(s.name), s.kind, str(s.quote_count), escape(aliases),
                      escape("; ".join(s.roles)))
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

    with errors_to_exit(), writable_store(index, wait) as store:
        reembedded = 0
        if model:
            encoder = get_encoder(model)
            from ..ingest import embed_stored

            reembedded = embed_stored(store, encoder)
        counts = store.rebuild_indexes()
    if as_json:
        print_json({"indexes": counts, "reembedded": reembedded})
    else:
        out.print(f"Rebuilt indexes: {counts}" + (f"; re-embedded {reembedded} texts"
                                                   if reembedded else ""))


__all__ = ["ingest", "quotes", "search", "speakers", "reindex", "fail"]
