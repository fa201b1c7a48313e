"""The FastAPI application: :func:`create_app` wires pages, JSON API and defences.

::

    from unspin.web import create_app
    app = create_app("news.db", read_only=True)     # then: uvicorn.run(app)

Each request borrows an :class:`unspin.Unspin` (one SQLite connection) from a small
pool on the app, so concurrent requests never share a connection and no state lives in
module globals.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from unspin._version import __version__
from unspin.api import Unspin
from unspin.errors import NotFoundError, StoreError, UnspinError
from unspin.web import api_routes, pages, security
from unspin.web.context import TOKEN_ENV, Pool, WebSettings, page
from unspin.web.jobs import JobManager
from unspin.web.render import STATIC_DIR

__all__ = ["create_app"]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def create_app(
    db_path: str | os.PathLike[str],
    read_only: bool = False,
    token: str | None = None,
    *,
    max_request_bytes: int = security.MAX_REQUEST_BYTES,
) -> FastAPI:
    """Build the web app over the database at ``db_path``.

    Args:
        db_path: the SQLite store (created if missing, unless ``read_only``).
        read_only: open the store read-only and refuse every write (forms and API).
        token: require this bearer token (or the login cookie) on every request; ``None``
            reads ``$UNSPIN_TOKEN``; an empty string disables it.
        max_request_bytes: the largest request body accepted (uploads included).

    Raises:
        StoreError: the database cannot be opened (checked once here, not per request).
    """
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    settings = WebSettings(
        Path(db_path), read_only, token or None, max_request_bytes=max_request_bytes
    )
    Unspin(settings.db_path, read_only=read_only).close()  # fail fast on a bad path

    def run_batch(sources: Sequence[str], on_progress: Callable[[str, int | None], None]) -> Any:
        from unspin.ingest import IngestOptions

        with Unspin(settings.db_path) as u:
            return u.add(list(sources), options=IngestOptions(), on_progress=on_progress)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        app.state.jobs.wait(timeout=5)
        app.state.pool.close()

    app = FastAPI(
        title="unspin",
        version=__version__,
        description="Trace news to its source: stories, copies, spin and claims over one "
        "unspin database. Every HTML page has its data here as JSON.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's docs page loads its script from a CDN; see pages.api_docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.pool = Pool(settings)
    app.state.jobs = JobManager(run_batch)

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not security.check_token(request, settings.token):
            if _wants_json(request):
                response: Response = JSONResponse(
                    {"detail": "give the token: Authorization: Bearer $UNSPIN_TOKEN"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            else:
                response = RedirectResponse("/login", status_code=303)
        else:
            response = await call_next(request)
        new_csrf = getattr(request.state, "new_csrf", None)
        if new_csrf:
            response.set_cookie(
                security.CSRF_COOKIE, new_csrf, httponly=True, samesite="strict", path="/"
            )
        security.security_headers(response)
        return response

    app.add_middleware(security.BodyLimitMiddleware, limit=settings.max_request_bytes)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error(request, 503 if "read-only" not in str(exc) else 403, str(exc))

    @app.exception_handler(UnspinError)
    async def unspin_error(request: Request, exc: UnspinError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return _error(request, exc.status_code, str(exc.detail), dict(headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": _plain(exc.errors())}, status_code=422)
        return _error(
            request,
            422,
            "the request was not valid: "
            + "; ".join(
                f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}"
                for e in exc.errors()
            ),
        )

    app.include_router(api_routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette lists only one route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _plain(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors without the raw input (which may be huge or unserialisable)."""
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))}
        for e in errors
    ]


def _error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return page(
        request,
        "error.html",
        status_code=status,
        status=status,
        message=message,
        title=f"Error {status}",
    )
