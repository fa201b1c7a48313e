"""The JSON API under ``/api``: every page's data, plus adding articles.

The OpenAPI schema is at ``/api/openapi.json`` (browsable at ``/api/docs``). Reads are
``GET``; writes take ``application/json`` and are refused on a read-only server. With a
token configured every call needs ``Authorization: Bearer $UNSPIN_TOKEN``.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from unspin.api import Unspin
from unspin.errors import UnspinError
from unspin.web import alertview, security, views
from unspin.web.context import get_unspin, parse_urls, settings_of
from unspin.web.schemas import (
    AddResult,
    AddText,
    AddUrls,
    AlertListPage,
    ArticleListPage,
    ArticlePage,
    Failure,
    JobView,
    PairPage,
    StoryListPage,
    StoryPage,
    Summary,
    WatchStatus,
)

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, str]] = {
    404: {"description": "no such article, story, pair or job (or the stage is not installed)"},
}
_WRITE_ERRORS: dict[int | str, dict[str, str]] = {
    403: {"description": "the server is read-only, or the request came from another site"},
    415: {"description": "the body is not application/json"},
    422: {"description": "the body is not valid"},
}

# The zones a story's timeline can be shown in: the IANA names this machine's tz
# database holds (the schema lists them, so every documented value is accepted).
_ZONES = sorted({"UTC", *available_timezones()})

router = APIRouter(prefix="/api", tags=["api"])

U = Annotated[Unspin, Depends(get_unspin)]
Limit = Annotated[int, Query(ge=1, le=100, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=100_000)]
Search = Annotated[str, Query(max_length=500, description="words that must all occur")]


def _writable(request: Request) -> None:
    security.check_json_write(request)
    if settings_of(request).read_only:
        raise HTTPException(403, "this server is read-only (started with --read-only)")


@router.get("/summary", response_model=Summary)
def summary(request: Request, u: U) -> Summary:
    """Counts over the store and which stages are installed."""
    return views.summary(u, settings_of(request).read_only)


@router.get("/alerts", response_model=AlertListPage)
def alerts(u: U, offset: Offset = 0, limit: Limit = 20) -> AlertListPage:
    """Alerts raised by `unspin watch`, newest first: copies of own articles elsewhere."""
    return alertview.alert_list(u, offset=offset, limit=limit)


@router.get("/watch", response_model=WatchStatus)
def watch(u: U) -> WatchStatus:
    """The watch's state: each source's last poll and backoff, own outlets, counts."""
    return alertview.watch_status(u)


@router.get("/articles", response_model=ArticleListPage)
def articles(u: U, q: Search = "", offset: Offset = 0, limit: Limit = 20) -> ArticleListPage:
    """Articles newest first, or full-text matches of ``q`` (best first)."""
    return views.article_list(u, q, offset=offset, limit=limit)


@router.get("/articles/{article_id}", response_model=ArticlePage, responses=_ERRORS)
def article(u: U, article_id: str) -> ArticlePage:
    """One article (id or unique prefix): clean text, boilerplate, spin, relations."""
    return views.article_page(u, article_id)


@router.get("/stories", response_model=StoryListPage, responses=_ERRORS)
def stories(u: U, offset: Offset = 0, limit: Limit = 20) -> StoryListPage:
    """Stories newest first, with their article counts and outlets."""
    return views.story_list(u, offset=offset, limit=limit)


@router.get(
    "/stories/{story_id}",
    response_model=StoryPage,
    responses={**_ERRORS, 400: {"description": "tz is not a known time zone"}},
)
def story(
    u: U,
    story_id: str,
    tz: Annotated[
        str | None,
        Query(
            description="IANA time zone of the timeline's `when` (default UTC)",
            json_schema_extra={"enum": _ZONES},
        ),
    ] = None,
) -> StoryPage:
    """A story: its sources on a timeline (times in `tz`, UTC by default, beside each
    outlet's own), the claims ranked as statements, the provenance tree."""
    return views.story_page(u, story_id, tz)


@router.get("/pairs/{copy_id}/{source_id}", response_model=PairPage, responses=_ERRORS)
def pair(u: U, copy_id: str, source_id: str) -> PairPage:
    """A copy aligned with its source: substitutions, reuse and substitution rates."""
    return views.pair_page(u, copy_id, source_id)


@router.post(
    "/articles",
    response_model=AddResult,
    status_code=201,
    responses=_WRITE_ERRORS,
    dependencies=[Depends(_writable)],
)
def add_article(u: U, body: AddText) -> AddResult:
    """Add one article given as text (with optional title, URL and site)."""
    meta = {k: v for k, v in (("title", body.title), ("url", body.url), ("site", body.site)) if v}
    report = u.add_text(body.text, **meta)
    return AddResult(
        added=report.added,
        updated=report.updated,
        known=report.known,
        failed=[Failure(source=f.source, reason=f.reason) for f in report.failed],
    )


@router.post(
    "/jobs",
    response_model=JobView,
    status_code=202,
    responses={**_WRITE_ERRORS, 429: {"description": "too many batches running"}},
    dependencies=[Depends(_writable)],
)
def start_job(request: Request, body: AddUrls) -> JobView:
    """Fetch URLs and feeds (through the SSRF guard) in the background; poll the job."""
    sources = parse_urls("\n".join(body.urls))
    try:
        job = request.app.state.jobs.start(sources)
    except UnspinError as exc:
        raise HTTPException(429, str(exc)) from None
    return JobView(**request.app.state.jobs.get(job.id))


@router.get("/jobs/{job_id}", response_model=JobView, responses=_ERRORS)
def job(request: Request, job_id: str) -> JobView:
    """A batch's progress: documents done, ids added, failures with reasons."""
    state = request.app.state.jobs.get(job_id)
    if state is None:
        raise HTTPException(404, f"{job_id}: no such batch")
    return JobView(**state)
