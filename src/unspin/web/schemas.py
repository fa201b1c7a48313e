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
    "ClaimSaid",
    "DiagramEdge",
    "DiagramNode",
    "Failure",
    "JobView",
    "PairPage",
    "PairRow",
    "ProvenanceDiagram",
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

SegmentKind = Literal["same", "sub", "swapped", "ins", "del", "spin", "spin-possible"]
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
    suggestion: str | None = Field(description="the likely original wording")
    confidence: float | None = Field(description="how likely the span was swapped, 0..1")
    applied: bool = Field(
        default=False,
        description="put back in the restored text (confidence >= 0.8); else a possible swap",
    )


class SpinView(BaseModel):
    probability: float | None = Field(
        description="calibrated probability that the text is spinner output"
    )
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
    reused: float | None = Field(description="share of the copy's words taken from the source")
    substitution_rate: float | None
    pair: str | None = Field(description="path of the pair page (copy, source), if a copy")


class Place(BaseModel):
    url: str | None
    outlet: str | None
    published: str | None = Field(description="ISO 8601 with offset, if known")


class ArticlePage(BaseModel):
    article: ArticleDetail
    spin: SpinView | None
    relations: list[RelationLink] | None = Field(description="null until provenance exists")
    story_id: str | None
    places: list[Place] = Field(
        default_factory=list,
        description="the addresses that ran this text word for word, first published "
        "first, when there are several (the first is its source, the others duplicates)",
    )


class SubstitutionView(BaseModel):
    original: str
    spun: str
    count: int


class PairRow(BaseModel):
    source: list[Segment]
    copy_: list[Segment] = Field(alias="copy")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class ChurnView(BaseModel):
    taken: float = Field(description="share of the copy's words that are the source's text")
    taken_in_quotes: float = Field(
        description="share of the copy's words taken from the source inside quotation marks"
    )
    taken_unquoted: float = Field(
        description="share of the copy's words taken from the source outside quotation marks"
    )
    source_used: float = Field(description="share of the source's words the copy carries")


class PairPage(BaseModel):
    source: ArticleSummary
    copy_: ArticleSummary = Field(alias="copy")
    relation: str
    reused: float | None = Field(description="share of the copy's words taken from the source")
    substitution_rate: float | None = Field(description="share of aligned content words swapped")
    common_source: str | None = Field(
        default=None,
        description="set when neither copies the other but both run a source not stored "
        "(the agency their credit lines name, or 'not stored')",
    )
    churn: ChurnView = Field(
        description="taken from the source: how much of the copy is the source's text, quotes apart"
    )
    substitutions: list[SubstitutionView]
    rows: list[PairRow] = Field(description="aligned paragraphs, source beside copy")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class TimelineEntry(BaseModel):
    article: ArticleSummary
    position: float = Field(ge=0, le=1, description="place on the story's time axis")
    role: str | None = Field(description="original, copy … where provenance knows")
    when: str | None = Field(
        default=None,
        description="publication time in the page's zone ('2026-03-12 23:40 UTC'); "
        "null when undated",
    )
    local: str | None = Field(
        default=None,
        description="the outlet's own local time and offset ('2026-03-13 04:10 UTC+04:30'); "
        "null when it equals `when` or the article gave no offset",
    )


class ClaimCell(BaseModel):
    status: ClaimStatus
    text: str | None = Field(description="the claim's words in this source")
    sentence: str | None = Field(description="the sentence it was read from")


class ClaimSaid(BaseModel):
    article_id: str
    outlet: str
    sentence: str = Field(description="this source's own sentence")
    marks: list[tuple[int, int]] = Field(
        description="(start, end) offsets of the claim's words in the sentence"
    )


class ClaimRow(BaseModel):
    label: str = Field(description="the statement, as a reader reads it")
    kind: str = Field(description="quantity, duration, date, quote or actor")
    status: ClaimStatus
    section: str = Field(
        description="conflict, agree, differ (in substance), minor or unique: the row's place"
    )
    support: str = Field(description="who says it: '4 of 4 sources (3 independent)'")
    sources: int = Field(description="articles that make the claim (copies included)")
    independent: int = Field(description="independent voices that make it")
    reason: str | None = Field(description="why the sources conflict or differ")
    said: list[ClaimSaid] = Field(description="each voice's own sentence")
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


class DiagramNode(BaseModel):
    id: str = Field(description="the article's id")
    x: float = Field(description="left edge in SVG units")
    y: float = Field(description="top edge in SVG units")
    outlet: str = Field(description="the outlet, shortened to fit the node")
    title: str = Field(description="the article's headline (the node's tooltip)")
    published: str | None = Field(description="publication day (UTC)")
    kind: str = Field(
        description="original, or how it copies its source: duplicate, edited_copy, "
        "spun_copy, rewritten_copy, common_source (both copy a source not stored)"
    )
    href: str = Field(description="the article's page")


class DiagramEdge(BaseModel):
    source: str
    copy_: str = Field(alias="copy")
    kind: str = Field(description="as a node's kind")
    x1: float
    y1: float
    x2: float
    y2: float
    pair: str = Field(description="the pair page: the copy beside its source")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class ProvenanceDiagram(BaseModel):
    width: float
    height: float
    node_width: float
    node_height: float
    nodes: list[DiagramNode] = Field(
        description="independent sources on the top row, each copy beneath its source"
    )
    edges: list[DiagramEdge]


class StoryPage(BaseModel):
    id: str
    title: str | None
    n_articles: int
    independent_sources: int | None = Field(
        default=None,
        description="articles left when copies fold into what they copy; null without provenance",
    )
    outlets: list[str]
    zone: str = Field(default="UTC", description="the zone the timeline's `when` is in")
    timeline: list[TimelineEntry]
    claims: ClaimMatrix | None = Field(description="null until claims are compared")
    provenance: list[ProvenanceNode] | None = Field(description="null until provenance exists")
    diagram: ProvenanceDiagram | None = Field(
        default=None, description="who copied whom, laid out for drawing; null without copies"
    )


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
