"""The story pages' data: the list of stories, and one story's timeline, claims matrix
and provenance tree, each built from the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from unspin.api import Unspin
from unspin.claims.render import statements, support
from unspin.errors import NotFoundError, UnspinError
from unspin.model import Article, Relation
from unspin.web.diagram import provenance_diagram
from unspin.web.fragments import article_summary
from unspin.web.schemas import (
    ClaimCell,
    ClaimMatrix,
    ClaimRow,
    ClaimSaid,
    ClaimStatus,
    ProvenanceNode,
    StoryListPage,
    StoryPage,
    StorySummary,
    TimelineEntry,
)

__all__ = ["provenance_tree", "time_zone", "timeline"]


def _when(a: Article) -> datetime:
    when = a.published or a.ingested_at
    # A time without an offset is read as UTC, so every article sorts on one clock.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def time_zone(name: str | None) -> tzinfo:
    """The zone a page shows times in: ``UTC`` (the default) or an IANA name.

    Raises:
        UnspinError: ``name`` is not a known time zone.
    """
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnspinError(
            f"tz={name}: unknown time zone (use an IANA name such as Europe/London, or UTC)"
        ) from None


def _stamp(when: datetime) -> str:
    zone = when.strftime("%Z") or ""
    if not zone or zone.startswith(("+", "-")):
        offset = when.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "-" if minutes < 0 else "+"
        zone = "UTC" + (
            f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}" if minutes else ""
        )
    return f"{when:%Y-%m-%d %H:%M} {zone}"


def _times(a: Article, zone: tzinfo) -> tuple[str | None, str | None]:
    """(the publication time in ``zone``, the outlet's own time when it differs)."""
    if a.published is None:
        return None, None
    when = _stamp(_when(a).astimezone(zone))
    if a.published.tzinfo is None:
        return when, None
    local = _stamp(a.published)
    return when, (local if local != when else None)


def timeline(
    articles: Sequence[Article], roles: dict[str, str] | None = None, zone: tzinfo = UTC
) -> list[TimelineEntry]:
    """The articles oldest first (one clock: each time read with its offset), each placed
    on ``[0, 1]`` between the first and last, with its time in ``zone`` and the outlet's
    own local time beside it.

    Articles without a publication date are placed by when they were ingested.
    """
    roles = roles or {}
    ordered = sorted(articles, key=lambda a: (_when(a), a.id))
    if not ordered:
        return []
    t0 = _when(ordered[0]).timestamp()
    span = _when(ordered[-1]).timestamp() - t0
    return [
        TimelineEntry(
            article=article_summary(a),
            position=((_when(a).timestamp() - t0) / span) if span > 0 else 0.0,
            role=roles.get(a.id),
            when=_times(a, zone)[0],
            local=_times(a, zone)[1],
        )
        for a in ordered
    ]


def provenance_tree(
    articles: Sequence[Article], rels: Sequence[Relation]
) -> tuple[list[ProvenanceNode], dict[str, str]]:
    """Who copied whom among ``articles``: a forest whose roots copy no one here.

    Args:
        rels: the copy relations among them, one per copy (:meth:`Unspin.copy_sources`).

    Returns:
        The roots that have copies (independent articles with no copies are left out:
        the timeline lists them), and each article's role (``original`` or the kind of
        copy it is) for the timeline.
    """
    by_id = {a.id: a for a in articles}
    parent_of = {r.copy_id: r for r in rels}
    children: dict[str, list[Relation]] = {}
    for r in rels:
        children.setdefault(r.source_id, []).append(r)

    def build(article_id: str, rel: Relation | None, seen: frozenset[str]) -> ProvenanceNode:
        kids = sorted(
            children.get(article_id, []), key=lambda r: (_when(by_id[r.copy_id]), r.copy_id)
        )
        return ProvenanceNode(
            article=article_summary(by_id[article_id]),
            relation=rel.kind if rel else None,
            substitution_rate=rel.substitution_rate if rel and rel.kind == "spun_copy" else None,
            pair=f"/pairs/{rel.copy_id}/{rel.source_id}" if rel else None,
            children=[
                build(k.copy_id, k, seen | {article_id}) for k in kids if k.copy_id not in seen
            ],
        )

    roots = [a for a in by_id if a not in parent_of and a in children]
    forest = [
        build(a, None, frozenset()) for a in sorted(roots, key=lambda i: (_when(by_id[i]), i))
    ]
    roles: dict[str, str] = {a: "original" for a in roots}
    roles.update({r.copy_id: r.kind for r in rels})
    return forest, roles


def _status(label: str) -> ClaimStatus:
    """A claim group's label as a matrix colour (an unknown label reads as ``differ``)."""
    known: dict[str, ClaimStatus] = {
        "agree": "agree",
        "conflict": "conflict",
        "differ": "differ",
        "unique": "unique",
    }
    return known.get(label, "differ")


def claims_matrix(
    u: Unspin, article_ids: Sequence[str], copy_of: dict[str, str] | None = None
) -> ClaimMatrix:
    """The claims comparison as a matrix: one row per claim group, one column per
    independent source (copies fold into their source), each cell coloured by the
    group's label where that source makes the claim.

    Args:
        copy_of: copy id -> source id among ``article_ids`` when the caller knows them
            (saves the claims stage looking up every copy relation in the store).
    """
    comparison = u.compare(article_ids=list(article_ids), copy_of=copy_of)
    sources = {a.id: a for a in u.articles_by_id([s.article_id for s in comparison.sources])}
    columns = [s.article_id for s in comparison.sources if s.article_id in sources]
    rows: list[ClaimRow] = []
    for st in statements(comparison):
        status = _status(
            "unique" if st.section == "unique" else st.section.replace("minor", "differ")
        )
        said = {s.article_id: s for s in st.said}
        cells = []
        for col in columns:
            one = said.get(col)
            cells.append(
                ClaimCell(
                    status=status,
                    text=one.sentence[one.marks[0][0] : one.marks[0][1]] if one.marks else None,
                    sentence=one.sentence,
                )
                if one is not None
                else ClaimCell(status="absent", text=None, sentence=None)
            )
        rows.append(
            ClaimRow(
                label=st.text,
                kind=st.kind,
                status=status,
                section=st.section,
                support=support(st),
                sources=st.sources,
                independent=st.independent,
                reason=st.reason,
                said=[
                    ClaimSaid(
                        article_id=s.article_id,
                        outlet=s.outlet,
                        sentence=s.sentence,
                        marks=list(s.marks),
                    )
                    for s in st.said
                ],
                cells=cells,
            )
        )
    return ClaimMatrix(columns=[article_summary(sources[c]) for c in columns], rows=rows)


def story_list(u: Unspin, *, offset: int = 0, limit: int = 20) -> StoryListPage:
    """Stories newest first with their counts and outlets."""
    found = u.stories(limit=limit + 1, offset=offset)
    items = [
        StorySummary(
            id=story.id,
            title=story.title,
            n_articles=story.n_articles,
            outlets=list(story.outlets),
            first_published=_iso(story.first_published),
            last_published=_iso(story.last_published),
        )
        for story in found[:limit]
    ]
    return StoryListPage(
        query="",
        total=u.count_stories(),
        more=len(found) > limit,
        offset=offset,
        limit=limit,
        items=items,
    )


def story_page(u: Unspin, story_id: str, tz: str | None = None) -> StoryPage:
    """One story: its sources on a timeline, the claims matrix, the provenance tree.

    Args:
        tz: the zone the timeline shows times in (IANA name; UTC by default).

    Raises:
        NotFoundError: no such story.
        UnspinError: ``tz`` is not a known time zone.
    """
    zone = time_zone(tz)
    detail = u.story(story_id)
    ids = [m.article_id for m in detail.members]
    articles = u.articles_by_id(ids)
    if not articles:
        raise NotFoundError(f"{detail.story.id}: this story has no articles")
    rels = u.copy_sources([a.id for a in articles])
    tree, roles = provenance_tree(articles, rels)
    copy_of = {r.copy_id: r.source_id for r in rels}
    return StoryPage(
        id=detail.story.id,
        title=detail.story.title,
        n_articles=len(articles),
        independent_sources=detail.independent_sources,
        outlets=sorted({a.outlet for a in articles if a.outlet}),
        timeline=timeline(articles, roles, zone),
        zone="UTC" if zone is UTC else str(tz),
        claims=claims_matrix(u, [a.id for a in articles], copy_of),
        provenance=tree,
        diagram=provenance_diagram(articles, rels) if rels else None,
    )


def story_of(u: Unspin, article_id: str) -> str | None:
    """The id of the story page an article belongs to, if any."""
    return u.story_of(article_id)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None
