"""``factcheck report``: which claims in the corpus conflict, and why."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import (
    IndexOpt,
    JsonOpt,
    UsageError,
    app,
    errors_to_exit,
    json_text,
    open_store,
    out,
    output_format,
    write_output,
)


@app.command()
def report(
    topic: str | None = typer.Option(None, "--topic", help="Only conflicts about this text."),
    speaker: str | None = typer.Option(None, "--speaker", help="Only conflicts involving "
                                       "this speaker (fuzzy)."),
    kind: str | None = typer.Option(None, "--kind", help="contradiction | dispute | update | "
                                    "series"),
    index: Path | None = IndexOpt,
    as_json: bool = JsonOpt,
    fmt: str = typer.Option("table", "--format", help="table | markdown | json | html"),
    judge: str = typer.Option("rule", "--judge", help="rule (offline, default) or nli "
                              "(adds an NLI cross-encoder)"),
    nli_model: str | None = typer.Option(None, "--nli-model", help="NLI cross-encoder "
                                         "directory or name (with --judge nli)."),
    nli_threshold: float = typer.Option(0.7, "--nli-threshold", min=0.0, max=1.0),
    # [issue 8, html report] added by the reports/exports helper
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the html, json or "
                                       "markdown report to FILE (default: stdout)."),
) -> None:
    """Cross-check stored claims: contradictions, disputes, updates and series, by topic."""
    from ..crosscheck import build_report
    from ..judges import KINDS, make_judges
    from ..reports.conflicts import render_markdown, render_terminal, to_json

    with errors_to_exit():
        fmt_l = output_format(fmt, as_json, output)
        if kind and kind.lower() not in KINDS:
            raise UsageError(f"unknown --kind {kind!r}; use one of {', '.join(KINDS)}")
        try:
            judges = make_judges(judge, nli_model, nli_threshold)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        store = open_store(index)
        try:
            conflicts = build_report(store, topic=topic, speaker=speaker, kind=kind,
                                     judges=judges)
        finally:
            store.close()
        if fmt_l == "html":  # [issue 8] self-contained page: conflicts + who said what
            from .export import report_html

            write_output(report_html(index, conflicts), output)
        elif fmt_l == "json":
            write_output(json_text(to_json(conflicts)), output)
        elif fmt_l == "markdown":
            write_output(render_markdown(conflicts) + "\n", output)
        else:
            out.print(render_terminal(conflicts))
