"""``factcheck doctor`` (alias ``verify``): check that the store and its indexes agree; repair."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from .app import IndexOpt, JsonOpt, WaitOpt, app, errors_to_exit, open_store, out, print_json

_STYLE = {"ok": "green", "info": "cyan", "warning": "yellow", "error": "bold red"}


@app.command()
def doctor(
    repair: bool = typer.Option(False, "--repair", help="Fix what can be fixed (takes the "
                                "writer lock)."),
    index: Path | None = IndexOpt,
    model: str | None = typer.Option(
        None, "--model", help="With --repair: embed rows that have no embedding with this "
        "model (must be the store's model).", show_default=False),
    keep_speakers: bool = typer.Option(False, "--keep-speakers", help="With --repair: do not "
                                       "prune speakers that have no quotes or claims."),
    wait: float = WaitOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Check that SQLite and the vector indexes agree, and that every offset holds.

    Exit code 0 when nothing is left to fix, 1 otherwise.
    """
    from rich.table import Table

    from ..doctor import diagnose
    from .app import escape

    with errors_to_exit():
        store = open_store(index, create=False, readonly=not repair)
        try:
            encoder = None
            if repair:
                store.lock(wait=wait)
                if model:
                    from ..embeddings import get_encoder

                    encoder = get_encoder(model)
            report = diagnose(store, repair=repair, encoder=encoder,
                              prune_speakers=not keep_speakers)
        finally:
            store.close()
    if as_json:
        data = asdict(report)
        data["ok"] = report.ok
        print_json(data)
    else:
        table = Table(title=f"factcheck doctor: {report.index}", title_justify="left")
        table.add_column("check", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("details")
        for f in report.findings:
            status = f"[{_STYLE[f.severity]}]{f.severity}[/]"
            if f.repaired:
                status += " [green](repaired)[/]"
            details = escape(f.message)
            if f.examples and f.problem:
                details += "\n[dim]" + escape("; ".join(f.examples)) + "[/]"
            table.add_row(f.check, status, details)
        out.print(table)
        counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
        verdict = ("healthy" if report.ok else
                   f"{len(report.problems())} problem(s) left"
                   + ("" if repair else "; run `factcheck doctor --repair`"))
        out.print(f"{counts}. {verdict}.", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


app.command("verify", hidden=True, help="Alias of doctor.")(doctor)

__all__ = ["doctor"]
