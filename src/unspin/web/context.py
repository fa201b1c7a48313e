"""What every route needs: how the app was started, an :class:`Unspin` per request,
full-page rendering, and URL-list parsing. Below :mod:`app`, :mod:`pages` and
:mod:`api_routes`, which all use it (no import circle).
"""

from __future__ import annotations

import queue
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from unspin._version import __version__
from unspin.api import Unspin
from unspin.web import security
from unspin.web.render import render

__all__ = [
    "MAX_URLS",
    "TOKEN_ENV",
    "Pool",
    "WebSettings",
    "get_unspin",
    "link",
    "page",
    "parse_urls",
    "settings_of",
]

# URLs one form or API call may queue (each is fetched in the background job).
MAX_URLS = 100

TOKEN_ENV = "UNSPIN_TOKEN"


@dataclass(frozen=True)
class WebSettings:
    """How the app was started (built once by :func:`create_app`)."""

    db_path: Path
    read_only: bool
    token: str | None
    max_request_bytes: int = security.MAX_REQUEST_BYTES


class Pool:
    """Open :class:`Unspin` handles, one per concurrent request, reused afterwards."""

    def __init__(self, settings: WebSettings) -> None:
        self._settings = settings
        self._idle: queue.SimpleQueue[Unspin] = queue.SimpleQueue()
        self._all: list[Unspin] = []

    def acquire(self) -> Unspin:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            u = Unspin(self._settings.db_path, read_only=self._settings.read_only)
            self._all.append(u)
            return u

    def release(self, u: Unspin) -> None:
        if any(held is u for held in self._all):  # not closed by a shutdown meanwhile
            self._idle.put(u)

    def close(self) -> None:
        """Close every handle; a later request opens fresh ones (the app may restart)."""
        while True:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break
        for u in self._all:
            u.close()
        self._all.clear()


def get_unspin(request: Request) -> Iterator[Unspin]:
    """FastAPI dependency: an :class:`Unspin` for this request, returned to the pool after."""
    pool: Pool = request.app.state.pool
    u = pool.acquire()
    try:
        yield u
    finally:
        pool.release(u)


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def link(path: str) -> str | None:
    """Site-relative link (the static report passes a ``link`` that returns ``None``)."""
    return path


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a full page with the context every template expects."""
    settings = settings_of(request)
    base = {
        "standalone": False,
        "link": link,
        "css": None,
        "version": __version__,
        "read_only": settings.read_only,
        "csrf_token": security.csrf_token(request),
        "csrf_field": security.CSRF_FIELD,
        "nav": request.url.path,
        "title": "unspin",
    }
    base.update(context)
    return HTMLResponse(render(template, base), status_code=status_code)


def parse_urls(text: str) -> list[str]:
    """One http(s) URL per line (blank lines and ``#`` comments skipped).

    Raises:
        HTTPException: a line is not an http(s) URL (a path would read the server's
            files), or there are more than :data:`MAX_URLS`.
    """
    urls: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not re.match(r"^https?://[^\s/?#]+", line, re.IGNORECASE):
            raise HTTPException(422, f"{line[:200]}: not an http(s) URL")
        urls.append(line)
    if not urls:
        raise HTTPException(422, "give at least one URL")
    if len(urls) > MAX_URLS:
        raise HTTPException(422, f"{len(urls)} URLs: at most {MAX_URLS} per batch")
    return urls
