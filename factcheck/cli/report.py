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
    # [issue 16] stored conflicts: --new, --since, --rebuild
    new: bool = typer.Option(False, "--new", help="Judge the claims stored since the last "
                             "report and list only the conflicts that step found or changed."),
    since: str | None = typer.Option(None, "--since", help="Only conflicts first seen on or "
                                     "after DATE (2026-03, 2026-03-14)."),
    until: str | None = typer.Option(None, "--until", help="Only conflicts first seen on or "
                                     "before DATE."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Forget the stored conflicts and "
                                 "judge the whole store again."),
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
        from ..dates import DateError, user_date_range

        try:
            since, until = user_date_range(since, until, flag="--")
        except DateError as exc:
            raise UsageError(str(exc)) from exc
        if new and rebuild:
            raise UsageError("--new and --rebuild do not go together")
        # Writable: judging pending claims saves them (an ingest holding the lock: see below).
        store = open_store(index, readonly=judge != "rule")
        try:
            if judge != "rule":  # another judge: computed for this run, never stored
                if new or rebuild or since or until:
                    raise UsageError("--new/--rebuild/--since/--until use the stored conflicts "
                                     "(--judge rule)")
                conflicts = build_report(store, topic=topic, speaker=speaker, kind=kind,
                                         judges=judges)
            else:
                from ..store import StoreBusy

                try:
                    conflicts = _stored_report(store, judges, topic, speaker, kind, new,
                                               rebuild, since, until)
                except StoreBusy:
                    if rebuild:
                        raise
                    # Another writer holds the store: judge in memory, save nothing.
                    store.close()
                    store = open_store(index, readonly=True)
                    conflicts = _stored_report(store, judges, topic, speaker, kind, new,
                                               rebuild, since, until)
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


def _stored_report(store: object, judges: object, topic: str | None, speaker: str | None,
                   kind: str | None, new: bool, rebuild: bool, since: str | None,
                   until: str | None) -> list:  # type: ignore[type-arg]
    """[issue 16] The stored conflicts, after judging what is pending (a line on stderr)."""
    from .. import incremental
    from ..crosscheck import select_conflicts
    from .app import err

    if rebuild:
        up = incremental.rebuild(store, judges)
        found = incremental.stored(store, since, until)
    else:
        found, up = incremental.current(store, judges, since, until)
    if up is not None and (up.judged or up.removed or up.rebuilt):
        how = "rebuilt from all" if up.rebuilt else f"judged {up.judged} new claim(s) against"
        err.print(f"{how} {up.stored - (0 if up.rebuilt else up.judged)} stored claim(s) "
                  f"({up.region} looked at) in "
                  f"{up.seconds:.1f}s: {len(up.added)} conflict(s) new or changed, "
                  f"{len(up.removed)} removed" + ("" if up.written else " (read-only: not saved)"),
                  markup=False, highlight=False)
    if new:
        added = {c.id for c in up.added} if up is not None else set()
        found = [c for c in found if c.id in added]
    return select_conflicts(store, found, topic, speaker, kind)
