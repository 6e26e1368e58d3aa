"""What keeps the web app safe on a shared machine: headers, write tokens, upload limits.

- Every response carries a Content-Security-Policy that allows nothing from another origin
  (scripts and styles only from this server; inline ``style=""`` attributes are allowed for
  the report's timelines, inline scripts are not).
- Writes (ingest, check + store) need the server started with ``--allow-writes`` and the
  per-start token: as an ``X-Factcheck-Token`` header (scripts), or as the cookie that
  ``?token=...`` sets (browsers; ``SameSite=Strict``) together with the form's CSRF field.
  A request whose ``Origin``/``Sec-Fetch-Site`` says it came from another site is refused.
- A request body over the limit is cut off with a 413 and a one-line message, whether it
  announced its length or not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
}
TOKEN_COOKIE = "factcheck_token"
TOKEN_HEADER = "x-factcheck-token"


class WriteGuard:
    """The per-start write token and the CSRF value derived from it."""

    def __init__(self, allow_writes: bool, token: str | None = None) -> None:
        self.allow_writes = allow_writes
        self.token = (token or secrets.token_urlsafe(18)) if allow_writes else None
        # Forms carry a value derived from the token, never the token itself.
        self.csrf = (hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]
                     if self.token else "")

    def token_ok(self, value: str | None) -> bool:
        return bool(self.token and value and hmac.compare_digest(value, self.token))

    def csrf_ok(self, value: str | None) -> bool:
        return bool(self.csrf and value and hmac.compare_digest(value, self.csrf))

    def check(self, headers: Any, cookies: Any, csrf: str | None) -> str | None:
        """None when this request may write; else why not (one line)."""
        if not self.allow_writes:
            return "writes are off: start the server with `factcheck serve --allow-writes`"
        if cross_site(headers):
            return "refused: the request came from another site"
        if self.token_ok(headers.get(TOKEN_HEADER)):
            return None
        if self.token_ok(cookies.get(TOKEN_COOKIE)):
            if self.csrf_ok(csrf):
                return None
            return "refused: the form's CSRF field is missing or wrong (reload the page)"
        return ("writes need the token printed when the server started: open any page with "
                "?token=TOKEN once, or send the X-Factcheck-Token header")


def cross_site(headers: Any) -> bool:
    """True when the browser says the request came from another origin.

    ``Sec-Fetch-Site`` (sent by every current browser, and not settable by a page) decides
    when present; otherwise a foreign ``Origin`` does. Scripts (no such headers) pass here
    and still need the token.
    """
    site = headers.get("sec-fetch-site")
    if site:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    host = headers.get("host")
    if origin == "null":
        return True
    if origin and host:
        return origin.split("://", 1)[-1].rstrip("/") != host
    return False


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload too large: the limit is {limit // (1024 * 1024)} MB per "
                         "request (start the server with a larger --max-upload-mb, or split "
                         "the file)")


class LimitBody:
    """ASGI middleware: a request body over ``limit`` bytes gets a 413, read or not."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(scope, send, self.limit)
            return
        if length is not None or headers.get(b"transfer-encoding") is None:
            # The server enforces a declared length; a body without one is counted below.
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read it first, up to the limit, then replay it.
        buffered: list[Any] = []
        seen = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.limit:
                await _too_large(scope, send, self.limit)
                return
            if not message.get("more_body"):
                break

        async def replay() -> Any:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


async def _too_large(scope: Any, send: Any, limit: int) -> None:
    import json

    msg = str(BodyTooLarge(limit))
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"ok": False, "status": 413, "error": msg}).encode()
        ctype = b"application/json"
    else:
        from ..escaping import escape_html

        body = (f"<!DOCTYPE html><title>413</title><p>{escape_html(msg)}</p>").encode()
        ctype = b"text/html; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
