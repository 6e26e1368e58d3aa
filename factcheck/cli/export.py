"""``factcheck export`` (JSONL / CSV / ClaimReview) and ``factcheck import`` (our JSONL)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import typer

from .app import (
    IndexOpt,
    JsonOpt,
    ModelOpt,
    UsageError,
    WaitOpt,
    app,
    err,
    errors_to_exit,
    escape,
    fail,
    index_dir,
    open_store,
    out,
    print_json,
    warn,
    writable_store,
)

FORMATS = ("jsonl", "csv", "claimreview")


@contextlib.contextmanager
def output(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or ``path`` written atomically (no half-written export on failure)."""
    from ..export import open_atomic

    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open_atomic(path) as fh:
        yield fh


@app.command()
def export(
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv | claimreview"),
    output_file: Path | None = typer.Option(
        None, "--output", "-o", help="Write to FILE (default: stdout)."),
    organisation: str | None = typer.Option(
        None, "--organisation", "--organization", envvar="FACTCHECK_ORGANISATION",
        help="ClaimReview: the fact-checking organisation (the review's author)."),
    review_url: str | None = typer.Option(
        None, "--review-url", envvar="FACTCHECK_REVIEW_URL",
        help="ClaimReview: the URL of the page publishing the review (e.g. the HTML report); "
        "each item links to its conflict's anchor on it."),
    topic: str | None = typer.Option(None, "--topic", help="ClaimReview: only conflicts "
                                     "about this text."),
    kind: str | None = typer.Option(None, "--kind", help="ClaimReview: only this conflict "
                                    "kind."),
    no_claims: bool = typer.Option(False, "--no-claims", help="JSONL: leave claims out."),
    index: Path | None = IndexOpt,
    as_json: bool = typer.Option(False, "--json", help="With --output: a JSON summary on "
                                 "stdout. Without: the JSONL export (JSON already)."),
) -> None:
    """Export quotes with speakers and evidence (JSONL, CSV) or conflicts as ClaimReview."""
    from .. import export as ex

    with errors_to_exit():
        fmt_l = fmt.lower()
        if as_json and output_file is None and fmt_l != "jsonl":
            raise UsageError("--json without --output prints the JSONL export: drop --format "
                             f"{fmt}, or pass --output FILE for a JSON summary")
        if fmt_l not in FORMATS:
            raise UsageError(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
        if fmt_l == "claimreview":
            if not organisation or not organisation.strip():
                raise UsageError("--format claimreview needs --organisation NAME (the "
                                 "organisation publishing the fact-check; or set "
                                 "FACTCHECK_ORGANISATION)")
            if not review_url or not review_url.startswith(("http://", "https://")):
                raise UsageError("--format claimreview needs --review-url https://... (the "
                                 "page that publishes the review; or set FACTCHECK_REVIEW_URL)")
        store = open_store(index)
        try:
            if fmt_l == "jsonl":
                with output(output_file) as fh:
                    n = ex.export_jsonl(store, fh, with_claims=not no_claims)
                what = f"{n} records"
            elif fmt_l == "csv":
                with output(output_file) as fh:
                    n = ex.export_csv(store, fh)
                what = f"{n} quotes"
            else:
                from ..crosscheck import select_conflicts
                from ..incremental import current

                # The stored conflicts (issue #16); pending claims judged in memory.
                conflicts = select_conflicts(store, current(store)[0], topic=topic, kind=kind)
                articles = {a.id: a for a in store.articles()}
                kinds = {sp.name: sp.kind for sp in store.speakers()}
                items = ex.claimreview_items(conflicts, articles, organisation or "",
                                             review_url or "", speaker_kinds=kinds)
                problems = [(i, p) for i, item in enumerate(items)
                            for p in ex.validate_claimreview(item)]
                if problems:
                    fail("ClaimReview items failed validation: " + "; ".join(
                        f"item {i}: {p}" for i, p in problems[:5]))
                with output(output_file) as fh:
                    fh.write(ex.claimreview_document(items) + "\n")
                what = f"{len(items)} ClaimReview items from {len(conflicts)} conflicts"
        finally:
            store.close()
    if output_file is not None and str(output_file) != "-":
        if as_json:
            print_json({"format": fmt_l, "output": str(output_file), "exported": what})
        err.print(f"exported {what} to {escape(str(output_file))}", highlight=False)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A JSONL file written by `factcheck export`."),
    index: Path | None = IndexOpt,
    model: str | None = ModelOpt,
    wait: float = WaitOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Load a `factcheck export` JSONL file into the store (re-embedding its quotes)."""
    from dataclasses import asdict

    from .. import export as ex
    from ..embeddings import get_encoder

    with errors_to_exit():
        if not file.is_file():
            raise UsageError(f"no such file: {file}")
        try:  # refuse a file that is not our export before creating or locking any store
            with file.open(encoding="utf-8") as fh:
                next(ex.read_jsonl(fh, str(file)))
        except ex.ExportFormatError as exc:
            fail(str(exc))
        except UnicodeDecodeError as exc:
            fail(f"cannot read {file}: not UTF-8 text ({exc.reason})")
        with writable_store(index, wait, create=True) as store:
            stored_model, _ = store.embedding_model()
            # The store's model wins (vectors must not mix); a new store takes the export's.
            encoder = get_encoder(model or stored_model
                                  or ex.export_model(ex.first_line(file)))
            try:
                with file.open(encoding="utf-8") as fh:
                    summary = ex.import_jsonl(store, fh, encoder, source=str(file))
            except ex.ExportFormatError as exc:
                fail(str(exc))
            except UnicodeDecodeError as exc:
                fail(f"cannot read {file}: not UTF-8 text ({exc.reason})")
    for w in summary.warnings:
        warn(w)
    if as_json:
        data = asdict(summary)
        data["index"] = str(index_dir(index))
        print_json(data)
    else:
        out.print(
            f"Imported {summary.articles} article(s) into {index_dir(index)} "
            f"({summary.replaced} replaced, {summary.unchanged} unchanged): "
            f"{summary.quotes} quotes, {summary.claims} claims, "
            f"{summary.speakers_created} new speaker(s), {summary.speakers_merged} merged "
            "with existing ones.", highlight=False)


# --- HTML output for `report --format html` and `check --format html` --------------------------
# Kept here so those commands need only a short branch: render from the store, then write.


def report_html(index: Path | None, conflicts: list, title: str = "factcheck report") -> str:  # type: ignore[type-arg]
    """The HTML report: ``conflicts`` plus who said what from the store at ``index``."""
    from ..reports.html import render_report

    store = open_store(index)
    try:
        return render_report(conflicts, store.quotes(), store.speakers(), store.articles(),
                             title=title)
    finally:
        store.close()


def check_html(index: Path | None, result: object, article: object) -> str:
    """The HTML page of a check result, with the cited stored articles for context."""
    from ..reports.html import render_check

    ids = {e.get("article_id") for cc in getattr(result, "claims", [])
           for conf in cc.conflicts for e in conf.get("claims", [])}
    store = open_store(index)
    try:
        cited = [a for a in (store.get_article(i) for i in sorted(x for x in ids if x))
                 if a is not None]
    finally:
        store.close()
    return render_check(result, article, cited)  # type: ignore[arg-type]


__all__ = ["export", "import_", "report_html", "check_html"]
