"""The web app's defences: every byte of article content is untrusted.

Layers, outermost first:

* :class:`BodyLimitMiddleware` refuses a request body over :data:`MAX_REQUEST_BYTES`
  (by ``Content-Length`` up front, and by counting the bytes of a streamed body), so an
  upload cannot fill the disk or memory.
* :func:`security_headers` sets a strict Content-Security-Policy (scripts and styles from
  this origin only: a payload that slips into a page still cannot run), ``nosniff``, no
  framing, no referrer.
* :func:`check_token` — when the app was given a token (``UNSPIN_TOKEN``) every request
  but the login page and static files needs ``Authorization: Bearer <token>`` or the
  cookie the login form sets.
* :func:`check_csrf` — forms carry a double-submit token: a random value in a
  ``SameSite=Strict`` cookie that the form repeats in a hidden field; a cross-site page
  can make the browser send the cookie but cannot read it to fill the field. JSON API
  writes need ``Content-Type: application/json`` (which a cross-site form cannot send
  without a CORS pre-flight this app never grants) and a matching ``Origin`` if any.

Escaping itself is Jinja2's autoescape (on for every template); templates never mark
article content ``|safe``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.responses import PlainTextResponse, Response

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "MAX_REQUEST_BYTES",
    "TOKEN_COOKIE",
    "BodyLimitMiddleware",
    "check_csrf",
    "check_json_write",
    "check_token",
    "csrf_token",
    "security_headers",
    "tokens_equal",
]

# Largest request body accepted (uploads included): 20 MiB is ~40 long articles as HTML
# pages; larger batches belong on the command line (`unspin add`), not in a browser.
MAX_REQUEST_BYTES = 20 * 1024 * 1024

CSRF_COOKIE = "unspin_csrf"
CSRF_FIELD = "csrf_token"
TOKEN_COOKIE = "unspin_token"

# Paths reachable without the bearer token: the login form and the stylesheet it uses.
_OPEN_PREFIXES = ("/login", "/static/")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class BodyLimitMiddleware:
    """Answer 413 to any request whose body exceeds ``limit`` bytes.

    Args:
        app: the ASGI app to wrap.
        limit: the largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = True
            if too_big:
                await self._refuse(scope, receive, send)
                return
        seen = 0
        started = refused = False

        async def counting_receive() -> Any:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Answer now; the app then sees the client gone and its own
                    # response (if any) is dropped.
                    refused = True
                    if not started:
                        await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Any) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        response = PlainTextResponse(
            f"request body too large: the limit is {self.limit // (1024 * 1024)} MiB; "
            "add bigger batches with `unspin add` on the command line",
            status_code=413,
        )
        await response(scope, receive, send)


def security_headers(response: Response) -> None:
    """Set the headers that keep injected content inert (CSP, nosniff, no framing)."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # "same-origin", not "no-referrer": with no-referrer Chromium sends `Origin: null`
    # on form posts, which the CSRF origin check must refuse.
    response.headers.setdefault("Referrer-Policy", "same-origin")


def tokens_equal(given: str | None, expected: str) -> bool:
    """Compare secrets in constant time; ``None`` never matches."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_token(request: Request, token: str | None) -> bool:
    """Whether ``request`` may pass: no token configured, an open path, or the token given.

    The token is read from ``Authorization: Bearer …`` or from the login cookie.
    """
    if not token:
        return True
    path = request.url.path
    if any(path == p.rstrip("/") or path.startswith(p) for p in _OPEN_PREFIXES):
        return True
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and tokens_equal(value.strip(), token):
        return True
    return tokens_equal(request.cookies.get(TOKEN_COOKIE), token)


def csrf_token(request: Request) -> str:
    """The CSRF token for this browser: the cookie's value, or a fresh one to set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32 and existing.isalnum():
        return existing
    fresh: str | None = getattr(request.state, "new_csrf", None)
    if fresh is None:
        fresh = secrets.token_hex(32)
        request.state.new_csrf = fresh
    return fresh


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise 403 unless the form's token matches the cookie and the origin is ours."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not tokens_equal(submitted, cookie):
        raise HTTPException(
            403, "the form's security token is missing or stale: reload the page and retry"
        )
    if not _same_origin(request):
        raise HTTPException(403, "cross-site form submission refused")


def check_json_write(request: Request) -> None:
    """Raise 415/403 unless a JSON API write is JSON and comes from no other site."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPException(415, "send the request body as application/json")
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused")
