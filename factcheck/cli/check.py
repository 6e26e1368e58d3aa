"""``factcheck check``: check a new article's quotes and claims against the store."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from .app import (
    IndexOpt,
    JsonOpt,
    ModelOpt,
    UsageError,
    app,
    encoder_for,
    err,
    errors_to_exit,
    fail,
    json_text,
    open_store,
    out,
    output_format,
    write_output,
)

FAIL_ON = ("misquote", "misattribution", "unverified", "contradiction", "dispute", "update",
           "series")
FAIL_EXIT = 3  # verdicts named by --fail-on were found (for pipelines)


def _fail_on(value: str | None) -> set[str]:
    if not value:
        return set()
    kinds = {v.strip().lower() for v in value.split(",") if v.strip()}
    if "conflict" in kinds or "conflicts" in kinds:
        kinds -= {"conflict", "conflicts"}
        kinds |= {"contradiction", "dispute", "update", "series"}
    bad = sorted(kinds - set(FAIL_ON))
    if bad:
        raise UsageError(f"unknown --fail-on verdict {', '.join(map(repr, bad))}; use any of "
                         f"{', '.join(FAIL_ON)} (or 'conflict')")
    return kinds


@app.command()
def check(
    path: str = typer.Argument(..., help="The article: a file (text, HTML, one-record JSONL) "
                               "or - for stdin."),
    store_it: bool = typer.Option(False, "--store", help="Add the article to the store after "
                                  "checking it (default: the store is not changed)."),
    index: Path | None = IndexOpt,
    model: str | None = ModelOpt,
    as_json: bool = JsonOpt,
    fmt: str = typer.Option("table", "--format", help="table | markdown | json | html"),
    # [issue 8, html report] added by the reports/exports helper
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the html, json or "
                                       "markdown result to FILE (default: stdout)."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Exit 3 when any of these verdicts is found, e.g. "
        "misquote,misattribution (also: unverified, contradiction, dispute, update, series, "
        "conflict)."),
    judge: str = typer.Option("rule", "--judge", help="rule (offline, default) or nli."),
    nli_model: str | None = typer.Option(None, "--nli-model", help="NLI cross-encoder "
                                         "directory or name (with --judge nli)."),
    no_claims: bool = typer.Option(False, "--no-claims", help="Check quotes only."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for a busy store "
                               "(with --store)."),
) -> None:
    """Check an article: are its quotes real and rightly attributed; do its claims conflict?"""
    from ..checker import Checker, CheckInputError, read_article
    from ..judges import make_judges
    from ..nlp import load_spacy
    from ..reports.check import render_markdown, render_terminal

    with errors_to_exit():
        fmt_l = output_format(fmt, as_json, output)
        kinds = _fail_on(fail_on)
        try:
            judges = make_judges(judge, nli_model)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        try:
            article = read_article(path)
        except CheckInputError as exc:
            fail(str(exc), 1)
        store = open_store(index, create=store_it, readonly=not store_it)
        try:
            if store_it:
                store.lock(wait=wait)  # held across check and store: no write slips between
            encoder = encoder_for(store, model)
            t0 = time.perf_counter()
            encoder.encode(["warm up"])  # load the models outside the timed check
            load_spacy()
            load_s = time.perf_counter() - t0
            checker = Checker(store, encoder, judges=judges, with_claims=not no_claims)
            result = checker.check(article)
            result.timings["model_load"] = load_s
            if store_it:
                from ..ingest import ingest_articles

                summary = ingest_articles([article], store, encoder, with_claims=not no_claims)
                if summary.errors:
                    fail(f"checked, but could not store: {summary.errors[0]}", 1)
                result.stored = True
        finally:
            store.close()
    if fmt_l == "html":  # [issue 8] self-contained page: verdicts, word diffs, conflicts
        from .export import check_html

        with errors_to_exit():
            write_output(check_html(index, result, article), output)
    elif fmt_l == "json":
        with errors_to_exit():
            write_output(json_text(result.to_dict()), output)
    elif fmt_l == "markdown":
        with errors_to_exit():
            write_output(render_markdown(result) + "\n", output)
    else:
        out.print(render_terminal(result))
        t = result.timings
        check_s = sum(v for k, v in t.items() if k != "model_load")
        err.print(f"[dim]model load {t.get('model_load', 0):.2f}s, check {check_s:.2f}s[/]")
    if kinds and result.verdicts() & kinds:
        raise typer.Exit(FAIL_EXIT)


__all__ = ["check"]
