"""The HTML pages: each route builds its data with :mod:`unspin.web.views` and renders it.

Forms post back here with a CSRF token; writes are refused when the app is read-only.
Batches (files, URLs, feeds) run as background jobs whose page polls their progress.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from unspin.api import Unspin
from unspin.errors import UnspinError
from unspin.web import alertview, security, views
from unspin.web.context import MAX_URLS, get_unspin, page, parse_urls, settings_of

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_URLS",
    "parse_urls",
    "router",
]

router = APIRouter(include_in_schema=False)

# Limits on what one form may submit (the body as a whole is capped by the middleware).
MAX_TEXT_CHARS = 1_000_000  # a pasted article; the longest news features run ~100k chars
MAX_FILES = 50
MAX_FILE_BYTES = 5 * 1024 * 1024  # one HTML page or text file

U = Annotated[Unspin, Depends(get_unspin)]
PAGE_SIZE = 20


def require_writable(request: Request) -> None:
    if settings_of(request).read_only:
        raise HTTPException(403, "this server is read-only (started with --read-only)")


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    u: U,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """The stories list, newest first (a query searches the articles instead)."""
    if not q:
        data: Any = views.story_list(u, offset=offset, limit=PAGE_SIZE)
        return page(request, "stories.html", data=data, q=q, title="Stories")
    return articles(request, u, q, offset)


@router.get("/articles", response_class=HTMLResponse)
def articles(
    request: Request,
    u: U,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """Articles newest first, or the full-text search results for ``q``."""
    data = views.article_list(u, q, offset=offset, limit=PAGE_SIZE)
    title = f"Search: {q}" if q.strip() else "Articles"
    return page(request, "articles.html", data=data, q=q, title=title)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, u: U, offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> Response:
    """The watch's alerts, newest first, and the state of each watched source."""
    data = alertview.alert_list(u, offset=offset, limit=PAGE_SIZE)
    status = alertview.watch_status(u)
    return page(request, "alerts.html", data=data, status=status, title="Alerts")


@router.get("/alerts.atom")
def alerts_atom(request: Request, u: U) -> Response:
    """The newest alerts as an Atom feed, for any feed reader."""
    return Response(
        alertview.alerts_atom(u, str(request.base_url)),
        media_type="application/atom+xml; charset=utf-8",
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, u: U, article_id: str) -> Response:
    data = views.article_page(u, article_id)
    return page(request, "article.html", data=data, title=data.article.title or "Article")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, u: U, story_id: str, tz: str | None = None) -> Response:
    data = views.story_page(u, story_id, tz)
    return page(request, "story.html", data=data, title=data.title or "Story")


@router.get("/pairs/{copy_id}/{source_id}", response_class=HTMLResponse)
def pair(request: Request, u: U, copy_id: str, source_id: str) -> Response:
    data = views.pair_page(u, copy_id, source_id)
    return page(request, "pair.html", data=data, title="Copy beside its source")


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> Response:
    return page(request, "add.html", title="Add articles", limits=_limits())


@router.post("/add/text", dependencies=[Depends(require_writable)])
def add_text(
    request: Request,
    u: U,
    csrf_token: Annotated[str, Form()] = "",
    text: Annotated[str, Form(max_length=MAX_TEXT_CHARS)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    site: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add one pasted article; go to its page (or back to the form with the reason)."""
    security.check_csrf(request, csrf_token)
    if not text.strip():
        raise HTTPException(422, "paste the article's text first")
    meta = {k: v.strip() for k, v in (("title", title), ("url", url), ("site", site)) if v.strip()}
    report = u.add_text(text, **meta)
    if report.failed:
        failure = report.failed[0]
        raise HTTPException(422, f"{failure.source}: {failure.reason}")
    ids = report.added + report.updated + report.known
    return RedirectResponse(f"/articles/{ids[0]}", status_code=303)


@router.post("/add/urls", dependencies=[Depends(require_writable)])
def add_urls(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    urls: Annotated[str, Form(max_length=MAX_URLS * 2100)] = "",
) -> Response:
    """Fetch URLs and feeds (through the SSRF guard) in a background job."""
    security.check_csrf(request, csrf_token)
    sources = parse_urls(urls)
    job = _start(request, sources)
    return RedirectResponse(f"/jobs/{job}", status_code=303)


@router.post("/add/files", dependencies=[Depends(require_writable)])
async def add_files(request: Request) -> Response:
    """Add uploaded files (HTML, text, WARC, JSONL, feeds) in a background job."""
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    token = form.get(security.CSRF_FIELD)
    security.check_csrf(request, token if isinstance(token, str) else None)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        raise HTTPException(422, "choose at least one file")
    folder = Path(tempfile.mkdtemp(prefix="unspin-upload-"))
    paths: list[str] = []
    try:
        for i, upload in enumerate(uploads):
            name = _safe_name(upload.filename or f"upload-{i}")
            target = folder / f"{i:03d}-{name}"
            size = 0
            with target.open("wb") as out:
                while chunk := await upload.read(64 * 1024):
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        raise HTTPException(
                            413, f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
                        )
                    out.write(chunk)
            paths.append(str(target))
        job = _start(request, paths, cleanup=folder)
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        await form.close()
    return RedirectResponse(f"/jobs/{job}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"{job_id}: no such batch (finished batches are kept a while)")
    return page(request, "job.html", job=job, title="Adding articles")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The JSON API's operations, read from the app's own OpenAPI schema."""
    spec = request.app.openapi()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": (op.get("description") or "").split("\n")[0],
        }
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]
    return page(request, "api.html", title="JSON API", operations=operations)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return page(request, "login.html", title="Sign in", failed=False)


@router.post("/login")
def login(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    token: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    security.check_csrf(request, csrf_token)
    expected = settings_of(request).token
    if expected and not security.tokens_equal(token, expected):
        return page(request, "login.html", status_code=401, title="Sign in", failed=True)
    response = RedirectResponse("/", status_code=303)
    if expected:
        response.set_cookie(
            security.TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/"
        )
    return response


def _start(request: Request, sources: list[str], cleanup: Path | None = None) -> str:
    try:
        job = request.app.state.jobs.start(sources, cleanup=cleanup)
    except UnspinError as exc:
        raise HTTPException(429, str(exc)) from None
    return str(job.id)


def _safe_name(name: str) -> str:
    """A file name with no path and only harmless characters (keeps the extension)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return cleaned[-100:]


def _limits() -> dict[str, int]:
    return {
        "files": MAX_FILES,
        "file_mib": MAX_FILE_BYTES // (1024 * 1024),
        "urls": MAX_URLS,
        "request_mib": security.MAX_REQUEST_BYTES // (1024 * 1024),
    }
