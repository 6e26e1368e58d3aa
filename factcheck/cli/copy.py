"""``factcheck copy SRC DST``: move a whole store between backends (SQLite ⇄ PostgreSQL)."""

from __future__ import annotations

import time
from dataclasses import asdict

import typer

from .app import JsonOpt, app, err, errors_to_exit, index_dir, open_store, out, print_json


@app.command("copy")
def copy(
    src: str = typer.Argument(..., help="The store to copy: a directory or a postgresql:// URL."),
    dst: str = typer.Argument(..., help="An empty (or new) store: a directory or a URL."),
    as_json: bool = JsonOpt,
) -> None:
    """Copy every article, speaker, quote, claim and embedding to another store, ids kept."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..store.copy import copy_store, table_sizes

    with errors_to_exit():
        source = open_store(src, create=False, readonly=True)
        try:
            target = open_store(dst, create=True, readonly=False)
            try:
                target.lock()
                t0 = time.perf_counter()
                sizes = table_sizes(source)
                progress = Progress(
                    TextColumn("[bold]copy[/] {task.fields[table]}"), BarColumn(),
                    MofNCompleteColumn(), console=err, transient=True,
                    disable=not err.is_terminal)
                with progress:
                    task = progress.add_task("copy", total=sum(sizes.values()), table="")
                    summary = copy_store(
                        source, target,
                        on_rows=lambda table, n: progress.update(task, advance=n, table=table))
                secs = time.perf_counter() - t0
            finally:
                target.close()
        finally:
            source.close()
    if as_json:
        print_json({**asdict(summary), "src": str(index_dir(src)), "dst": str(index_dir(dst)),
                    "seconds": round(secs, 3)})
        return
    rows = ", ".join(f"{n} {t}" for t, n in summary.rows.items())
    out.print(f"Copied {index_dir(src)} to {index_dir(dst)}: {rows} "
              f"(model {summary.model or 'none'}; {secs:.1f}s).", highlight=False)
