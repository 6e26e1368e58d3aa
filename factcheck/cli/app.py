"""The typer application and what every command shares.

Conventions: data goes to stdout (rich tables on a terminal, JSON with ``--json``);
progress, warnings and errors go to stderr. Exit codes: 0 ok, 1 failure, 2 usage.
Library exceptions become one clear line on stderr, never a traceback
(``FACTCHECK_DEBUG=1`` shows it).
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

app = typer.Typer(
    name="factcheck",
    help="Attribute quotes in news articles, search who said what, cross-check claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_INDEX = "index"

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

# Options shared by commands (typer needs them per command; these keep them identical).
IndexOpt = typer.Option(
    None, "--index", envvar="FACTCHECK_INDEX",
    help="Data directory (default: $FACTCHECK_INDEX, else ./index).", show_default=False,
)
JsonOpt = typer.Option(False, "--json", help="Print JSON to stdout for scripts.")
ModelOpt = typer.Option(
    None, "--model", envvar="FACTCHECK_MODEL",
    help="Embedding model: a directory, a hub name, or 'hash' (no model). "
    "Default: the bundled all-MiniLM-L6-v2.", show_default=False,
)


class UsageError(Exception):
    """A bad option value (exit code 2)."""


def index_dir(index: Path | None) -> Path:
    return Path(index) if index else Path(DEFAULT_INDEX)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {message}", highlight=False)


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


def print_json(data: Any) -> None:
    if is_dataclass(data) and not isinstance(data, type):
        data = asdict(data)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn the library's exceptions into one line on stderr and an exit code."""
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
        fail("interrupted; nothing committed in the current batch was lost", 130)
    except BrokenPipeError:
        with contextlib.suppress(Exception):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        raise typer.Exit(0) from None
    except Exception as exc:
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (set FACTCHECK_DEBUG=1 for details)")


def open_store(index: Path | None, create: bool = False, readonly: bool = True) -> Any:
    from ..store import Store

    return Store.open(index_dir(index), create=create, readonly=readonly)


def resolve_speaker_ids(store: Any, speaker: str | None) -> list[int] | None:
    if not speaker:
        return None
    from ..speakers import match_speakers

    return [s.id for s in match_speakers(speaker, store.speakers())]


def check_dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    from ..dates import parse_user_date

    s = parse_user_date(since) if since else None
    u = parse_user_date(until) if until else None
    return s, u


def encoder_for(store: Any, model: str | None) -> Any:
    """The encoder matching what the store was built with (unless ``model`` says otherwise)."""
    from ..embeddings import get_encoder

    stored, _ = store.embedding_model()
    name = model or stored
    enc = get_encoder(name)
    store.check_model(enc.name)
    return enc
