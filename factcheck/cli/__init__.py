"""The ``factcheck`` command line: a thin layer over the library.

Each module here adds its commands to the shared typer ``app`` (``cli/app.py``); this file
imports them so they register, and ``main`` is the console-script entry point.
"""

from __future__ import annotations

import importlib

from .app import app, run

# One module per job; each registers its commands on ``app`` when imported.
COMMAND_MODULES = ["quotes", "report", "export", "check", "doctor", "articles", "copy", "serve"]
for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    # ``run`` rather than ``app()``: usage errors come out as one line (see cli/app.py).
    raise SystemExit(run())


__all__ = ["app", "main"]
