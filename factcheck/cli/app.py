"""The typer application and what every command shares.

Conventions: data goes to stdout (rich tables on a terminal, JSON with ``--json``);
progress, warnings and errors go to stderr, one line each (``error: ...``, ``warning: ...``,
``skipped PATH: why``; use ``fail``, ``warn``, ``report_skip``, which escape markup).
Exit codes: 0 ok, 1 failure (including "some inputs were skipped"), 2 usage (bad option,
unknown speaker, bad date), 130 interrupted. Library exceptions become one clear line on
stderr, never a traceback (``FACTCHECK_DEBUG=1`` shows it).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape as _escape_markup

from ..escaping import escape_terminal, has_unsafe, safe_json

app = typer.Typer(
    name="factcheck",
    help="Attribute quotes in news articles, search who said what, cross-check claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_INDEX = "index"

class SafeConsole(Console):
    """A rich Console that never writes a control or bidi character it did not make itself.

    Commands escape what they print (``escape``); this is the net under them: any text
    segment (article text, a title, a file name) still holding ESC, a C1 control or a bidi
    override is shown with visible escapes. Rich's own styling and cursor codes are added
    after this point (styles) or are control segments, so they pass.
    """

    def _render_buffer(self, buffer: Any) -> str:
        from rich.segment import Segment

        safe = (seg if seg.control or not has_unsafe(seg.text)
                else Segment(escape_terminal(seg.text), seg.style, seg.control)
                for seg in buffer)
        return super()._render_buffer(safe)


def escape(text: object) -> str:
    """Data for a rich markup string: ``[...]`` not taken as markup, controls made visible."""
    return _escape_markup(escape_terminal(text))


# Piped output gets a wide fixed width (tables stay whole in logs) unless COLUMNS says otherwise.
_COLUMNS = os.environ.get("COLUMNS", "")
_PIPE_WIDTH = int(_COLUMNS) if _COLUMNS.isdigit() else 160
out = SafeConsole(soft_wrap=False, width=None if sys.stdout.isatty() else _PIPE_WIDTH)
err = SafeConsole(stderr=True, width=None if sys.stderr.isatty() else _PIPE_WIDTH)



def _index_arg(value: str) -> Any:
    """--index: a postgresql:// URL stays a string (a Path would fold its "//")."""
    from ..store.base import is_url

    return value if is_url(value) else Path(value)


# Options shared by commands (typer needs them per command; these keep them identical).
IndexOpt = typer.Option(
    None, "--index", envvar="FACTCHECK_INDEX", parser=_index_arg,
    help="Data directory, or a postgresql://user@host/db URL for a shared store "
    "(default: $FACTCHECK_INDEX, else ./index).", show_default=False,
)
JsonOpt = typer.Option(False, "--json", help="Print JSON to stdout for scripts.")
WaitOpt = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for a busy store.")
ModelOpt = typer.Option(
    None, "--model", envvar="FACTCHECK_MODEL",
    help="Embedding model: a directory, a hub name, or 'hash' (no model). "
    "Default: the bundled all-MiniLM-L6-v2.", show_default=False,
)


class UsageError(Exception):
    """A bad option value (exit code 2)."""


def index_dir(index: Path | str | None) -> Any:
    """The index directory, or the database URL (password hidden: this is for messages)."""
    from ..store.base import is_url

    if is_url(index):
        from ..store.postgres import redact

        return redact(str(index))
    return Path(index) if index else Path(DEFAULT_INDEX)


def one_line(message: object) -> str:
    """``message`` as a single line: errors are one line each, so scripts can grep them.

    Control and bidi characters (a file name may hold them) become visible escapes.
    """
    return escape_terminal(" ".join(str(message).split()), newlines=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr as one line and exit with ``code``."""
    # Messages quote file names and article text: escape them so "[...]" is not markup.
    err.print(f"[bold red]error:[/] {escape(one_line(message))}", highlight=False,
              soft_wrap=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {escape(one_line(message))}", highlight=False,
              soft_wrap=True)


def report_skip(item: object) -> None:
    """One ``skipped PATH: why`` line on stderr for an input that was not read."""
    err.print(f"[red]skipped[/] {escape(one_line(item))}", highlight=False, soft_wrap=True)


def _default(o: Any) -> Any:
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, set | tuple):
        return list(o)
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


def json_text(data: Any) -> str:
    """``data`` as JSON: exactly the data, with controls as ``\\uXXXX`` escapes."""
    if is_dataclass(data) and not isinstance(data, type):
        data = asdict(data)
    return safe_json(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data))
    sys.stdout.flush()


REPORT_FORMATS = ("table", "markdown", "json", "html")


def output_format(fmt: str, as_json: bool, output: Path | None) -> str:
    """The format a report-writing command prints (``--json`` wins); raises ``UsageError``."""
    fmt_l = "json" if as_json else fmt.lower()
    if fmt_l not in REPORT_FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")
    if output is not None and fmt_l == "table":
        raise UsageError("--output writes html, json or markdown: pick one with --format")
    return fmt_l


def write_output(text: str, output_file: Path | None) -> None:
    """A rendered report to ``output_file`` (written atomically), or to stdout without one."""
    if output_file is None or str(output_file) == "-":
        # Piped output often ends on a terminal too (| less -R, a CI log): escape codes and
        # bidi overrides from articles are made visible here, whatever stdout is. JSON is
        # unchanged (it holds none raw); a file written with --output keeps the exact text.
        text = escape_terminal(text)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..export import open_atomic

    with open_atomic(output_file) as fh:
        fh.write(text)
    err.print(f"wrote {output_file}", highlight=False)


@contextlib.contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn the library's exceptions into one line on stderr and an exit code.

    2: the user asked for something impossible (bad option, unknown speaker, bad date);
    1: it could not be done (store busy, damaged or newer, model missing, disk error);
    130: interrupted. Anything else is a bug: one line naming it, the traceback only with
    ``FACTCHECK_DEBUG=1``.
    """
    import sqlite3

    from ..dates import DateError
    from ..nlp import ModelLoadError
    from ..speakers import UnknownSpeaker
    from ..store import StoreError

    try:
        yield
    except typer.Exit:
        raise
    except (UnknownSpeaker, DateError, UsageError) as exc:
        fail(str(exc), 2)
    except (StoreError, ModelLoadError) as exc:
        fail(str(exc), 1)
    except KeyboardInterrupt:
        fail("interrupted; every batch committed before this was kept", 130)
    except BrokenPipeError:
        with contextlib.suppress(Exception):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        raise typer.Exit(0) from None
    except sqlite3.OperationalError as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        if "locked" in str(exc) or "busy" in str(exc):
            fail(f"the store is busy ({exc}); another process holds it — try again, or "
                 "pass --wait SECONDS")
        fail(f"store error: {exc} (check it with `factcheck doctor`)")
    except sqlite3.DatabaseError as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        fail(f"the store is damaged ({exc}); run `factcheck doctor`, or move the index "
             "aside and re-ingest")
    except MemoryError:
        fail("out of memory; try a smaller --batch-size or --max-mb")
    except OSError as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        fail(f"cannot access{where}: {exc.strerror or exc}")
    except Exception as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        if type(exc).__module__.startswith("psycopg"):  # the server went away mid-command
            fail(f"database error: {exc}; nothing of the unfinished batch was stored")
        fail(f"unexpected {type(exc).__name__}: {exc} (set FACTCHECK_DEBUG=1 for details)")


def _click_exceptions() -> Any:
    try:  # typer >= 0.2x vendors its own copy of click
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - older typer uses click itself
        from click import exceptions
    return exceptions


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the console-script entry point).

    Usage errors are reformatted as one ``error:`` line with a pointer to ``--help``
    (exit 2), instead of a multi-line usage box.
    """
    exc_mod = _click_exceptions()
    no_args = getattr(exc_mod, "NoArgsIsHelpError", ())
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="factcheck", standalone_mode=False)
    except no_args as exc:  # type: ignore[misc]
        exc.show()  # bare ``factcheck``: the help text, as before
        return 2
    except exc_mod.UsageError as exc:
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "factcheck"
        return _fail_code(f"{exc.format_message()} (see `{where} --help`)", 2)
    except exc_mod.ClickException as exc:
        return _fail_code(exc.format_message(), exc.exit_code or 1)
    except typer.Abort:
        err.print("aborted", highlight=False)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code)
    return rv if isinstance(rv, int) else 0


def _fail_code(message: str, code: int) -> int:
    try:
        fail(message, code)
    except typer.Exit as done:
        return int(done.exit_code)


def index_target(index: Path | str | None) -> Any:
    """What to open: the database URL as given (password kept), else the index directory."""
    from ..store.base import is_url

    return str(index) if is_url(index) else index_dir(index)


def open_store(index: Path | str | None, create: bool = False, readonly: bool = True) -> Any:
    from ..store.base import open_store as open_index

    return open_index(index_target(index), create=create, readonly=readonly)


@contextlib.contextmanager
def writable_store(index: Path | str | None, wait: float, create: bool = False) -> Iterator[Any]:
    """The store opened for writing with its writer lock held; closed (lock released) however
    the block ends, so a failed command never leaves a lock or an open transaction behind."""
    store = open_store(index, create=create, readonly=False)
    try:
        store.lock(wait=wait)
        yield store
    finally:
        store.close()


def resolve_speaker_ids(store: Any, speaker: str | None) -> list[int] | None:
    if not speaker:
        return None
    from ..speakers import match_speakers

    return [s.id for s in match_speakers(speaker, store.speakers())]


def check_dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    from ..dates import user_date_range

    return user_date_range(since, until, flag="--")


def encoder_for(store: Any, model: str | None) -> Any:
    """The encoder matching what the store was built with (unless ``model`` says otherwise)."""
    from ..embeddings import get_encoder

    stored, _ = store.embedding_model()
    name = model or stored
    enc = get_encoder(name)
    store.check_model(enc.name)
    return enc
