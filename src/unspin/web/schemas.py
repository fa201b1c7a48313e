"""The data behind every page, as pydantic models: the JSON API returns them and the
templates render them, so the OpenAPI schema documents exactly what each page shows.

Text that came from an article is always a plain string here; the templates escape it.
Highlighted text is a list of :class:`Segment` (a run of text and what kind it is), never
pre-built HTML.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "AlertListPage",
    "AlertView",
    "SwapView",
    "WatchSourceView",
    "WatchStatus",
    "AddResult",
    "ClaimStatus",
    "AddText",
    "AddUrls",
    "ArticleDetail",
    "ArticleListPage",
    "ArticlePage",
    "ArticleSummary",
    "BoilerplateItem",
    "ClaimCell",
    "ClaimMatrix",
    "ClaimRow",
    "Failure",
    "JobView",
    "PairPage",
    "PairRow",
    "ProvenanceNode",
    "RelationLink",
    "Segment",
    "SpinSpan",
    "SpinView",
    "StoryListPage",
    "StoryPage",
    "StorySummary",
    "SubstitutionView",
    "Summary",
    "TimelineEntry",
]

SegmentKind = Literal["same", "sub", "swapped", "ins", "del", "spin"]
ClaimStatus = Literal["agree", "conflict", "differ", "unique", "absent"]


class Segment(BaseModel):
    """A run of text and what it is.

    ``sub``: words of a copy that replaced its source's words (``other`` = the source's);
    ``swapped``: words of a source that its copy replaced (``other`` = the copy's);
    ``spin``: a suspected spun phrase (``other`` = its likely original wording);
    ``ins`` / ``del``: text only in the copy / only in the source; ``same``: the rest.
    """

    text: str
    kind: SegmentKind = "same"
    other: str | None = Field(default=None, description="the counterpart text, see kind")


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None = Field(description="ISO 8601 with offset, if known")
    ingested_at: str
    n_words: int
    snippet: str = Field(description="the first words of the text")


class ArticleListPage(BaseModel):
    query: str
    total: int = Field(
        description="all articles without a query; with one, the matches found so far "
        "(up to offset + limit + 1: see more)"
    )
    more: bool = Field(description="whether another page follows")
    offset: int
    limit: int
    items: list[ArticleSummary]


class StorySummary(BaseModel):
    id: str
    title: str | None
    n_articles: int
    outlets: list[str]
    first_published: str | None
    last_published: str | None


class StoryListPage(BaseModel):
    query: str
    total: int
    more: bool
    offset: int
    limit: int
    items: list[StorySummary]


class BoilerplateItem(BaseModel):
    text: str
    reason: str


class ArticleDetail(ArticleSummary):
    author: str | None
    language: str | None
    origin: str | None
    paragraphs: list[str]
    boilerplate: list[BoilerplateItem]


class SpinSpan(BaseModel):
    start: int = Field(description="character offset in the article text")
    end: int
    text: str
    restoration: str | None
    score: float | None


class SpinView(BaseModel):
    score: float | None = Field(description="how machine-spun the wording reads, 0..1")
    verdict: str | None
    spans: list[SpinSpan]
    paragraphs: list[list[Segment]] = Field(description="the text with spans marked")
    restored_text: str | None


class RelationLink(BaseModel):
    other: ArticleSummary
    relation: str = Field(description="duplicate, edited copy, spun copy, same story …")
    role: Literal["source", "copy", "related"] = Field(
        description="what the other article is to this one"
    )
    reuse_rate: float | None
    substitution_rate: float | None
    pair: str | None = Field(description="path of the pair page (copy, source), if a copy")


class ArticlePage(BaseModel):
    article: ArticleDetail
    spin: SpinView | None
    relations: list[RelationLink] | None = Field(description="null until provenance exists")
    story_id: str | None


class SubstitutionView(BaseModel):
    original: str
    spun: str
    count: int


class PairRow(BaseModel):
    source: list[Segment]
    copy_: list[Segment] = Field(alias="copy")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class PairPage(BaseModel):
    source: ArticleSummary
    copy_: ArticleSummary = Field(alias="copy")
    relation: str
    reuse_rate: float | None = Field(description="share of the copy's words taken from the source")
    substitution_rate: float | None = Field(description="share of aligned content words swapped")
    substitutions: list[SubstitutionView]
    rows: list[PairRow] = Field(description="aligned paragraphs, source beside copy")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class TimelineEntry(BaseModel):
    article: ArticleSummary
    position: float = Field(ge=0, le=1, description="place on the story's time axis")
    role: str | None = Field(description="original, copy … where provenance knows")


class ClaimCell(BaseModel):
    status: ClaimStatus
    text: str | None = Field(description="the claim's words in this source")
    sentence: str | None = Field(description="the sentence it was read from")


class ClaimRow(BaseModel):
    label: str = Field(description="what the claims are about")
    kind: str = Field(description="quantity, duration, date, quote or actor")
    status: ClaimStatus
    reason: str | None = Field(description="why the sources conflict or differ")
    cells: list[ClaimCell] = Field(description="one per column, in column order")


class ClaimMatrix(BaseModel):
    columns: list[ArticleSummary]
    rows: list[ClaimRow]


class ProvenanceNode(BaseModel):
    article: ArticleSummary
    relation: str | None = Field(description="how this article derives from its parent")
    substitution_rate: float | None
    pair: str | None
    children: list[ProvenanceNode]


class StoryPage(BaseModel):
    id: str
    title: str | None
    n_articles: int
    independent_sources: int | None = Field(
        default=None,
        description="articles left when copies fold into what they copy; null without provenance",
    )
    outlets: list[str]
    timeline: list[TimelineEntry]
    claims: ClaimMatrix | None = Field(description="null until claims are compared")
    provenance: list[ProvenanceNode] | None = Field(description="null until provenance exists")


class Failure(BaseModel):
    source: str
    reason: str


class AddResult(BaseModel):
    added: list[str]
    updated: list[str]
    known: list[str]
    failed: list[Failure]


class AddText(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    site: str | None = Field(default=None, max_length=200)


class AddUrls(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=100)


class JobView(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    sources: int
    done: int
    current: str | None
    added: list[str]
    updated: list[str]
    known: list[str]
    failed: list[Failure]
    message: str | None


class Summary(BaseModel):
    articles: int
    outlets: int = Field(description="distinct outlets (site, else URL host)")
    stories: int | None = Field(description="null without the stories stage")
    read_only: bool
    features: dict[str, bool]


# --- watch (issue 19) -----------------------------------------------------------------


class SwapView(BaseModel):
    source: str
    copy_: str = Field(alias="copy")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class AlertEvidence(BaseModel):
    coverage: float = Field(description="share of the own article's words the copy carries")
    reused: float = Field(description="share of the copy's words taken from the own article")
    substitution_rate: float = Field(description="share of aligned content words swapped")
    swaps: list[SwapView] = Field(description="the first swaps, own word → copy word")
    passage: str = Field(description="the longest aligned passage, as the copy has it")


class AlertView(BaseModel):
    id: str
    kind: Literal["duplicate", "edited_copy", "spun_copy", "rewritten_copy"]
    source: str = Field(description="the own article's id")
    copy_: str = Field(
        alias="copy", description="the copy's article id (the same for a verbatim copy)"
    )
    source_url: str | None
    copy_url: str
    outlet: str | None
    first_seen: str | None
    raised_at: str | None
    credited: bool
    credit: str | None = Field(description="how the copy credits the source, if it does")
    licence: str | None = Field(description="licence code of the own article; null: none stated")
    licence_name: str | None
    licence_evidence: str | None
    verdict: Literal[
        "credited republication",
        "uncredited copy",
        "derivative of a no-derivatives work",
        "copy of an all-rights-reserved work",
    ]
    via: str | None = Field(description="the copy's direct source when it copies a copy")
    evidence: AlertEvidence
    delivered: bool = Field(description="taken by the webhook")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class AlertListPage(BaseModel):
    items: list[AlertView]
    total: int
    offset: int
    limit: int
    more: bool


class WatchSourceView(BaseModel):
    url: str
    kind: str
    parent: str | None
    last_polled: str | None
    last_status: str | None
    last_error: str | None
    failures: int
    next_poll: str | None = Field(description="held back until then (backoff, Retry-After)")
    items: int
    requests: int
    not_modified: int = Field(description="polls answered 304 Not Modified")


class OwnOutletView(BaseModel):
    prefix: str
    name: str | None
    licence: str | None


class WatchStatus(BaseModel):
    sources: list[WatchSourceView]
    own: list[OwnOutletView]
    pages_seen: int
    alerts: int
    undelivered: int
