"""``factcheck serve``: the web app and JSON API on this machine (see ``factcheck/web``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from .app import IndexOpt, ModelOpt, UsageError, app, err, errors_to_exit, index_target

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    index: Path | None = IndexOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this "
                             "machine only)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port (0: any free one)."),
    allow_writes: bool = typer.Option(False, "--allow-writes", help="Allow ingest and "
                                      "check --store from the browser (needs the token "
                                      "printed at start)."),
    max_upload_mb: int = typer.Option(20, "--max-upload-mb", min=1, help="Largest upload."),
    model: str | None = ModelOpt,
) -> None:
    """Serve search, quotes, speakers, report and check in the browser, and as JSON."""
    with errors_to_exit():
        import socket

        import uvicorn

        from ..desk import Desk
        from ..web import create_app

        if not _loopback(host):
            err.print(f"[yellow]warning:[/] binding {host}: anyone who can reach this machine "
                      "can read the store", highlight=False)
        desk = Desk(index_target(index), model=model, create=allow_writes)
        hosts = None if not _loopback(host) else sorted(LOOPBACK_NAMES | {host})
        asgi = create_app(desk, allow_writes=allow_writes, max_upload_mb=max_upload_mb,
                          allowed_hosts=hosts)
        guard = asgi.app.state.guard
        try:
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        port = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{port}/"
        err.print(f"factcheck serving {desk.index} at {base}  (Ctrl-C stops)", highlight=False)
        err.print("the search model loads on the first search (pages without a model answer "
                  "at once)", highlight=False)
        if guard.allow_writes:
            err.print(f"writes allowed; token for this run: {guard.token}", highlight=False)
            err.print(f"open {base}ingest?token={guard.token} once to unlock ingest in your "
                      "browser", highlight=False)
        config = uvicorn.Config(asgi, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=3)
        server = uvicorn.Server(config)
        server.run(sockets=[sock])


__all__ = ["serve"]
