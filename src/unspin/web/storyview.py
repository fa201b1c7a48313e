"""The story pages' data: the list of stories, and one story's timeline, claims matrix
and provenance tree, each built from the API of its stage when that stage is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from unspin.api import Unspin
from unspin.errors import NotFoundError
from unspin.model import COPY_KINDS, Article, Relation
from unspin.web.schemas import (
    ClaimCell,
    ClaimMatrix,
    ClaimRow,
    ClaimStatus,
    ProvenanceNode,
    StoryListPage,
    StoryPage,
    StorySummary,
    TimelineEntry,
)

__all__ = ["provenance_tree", "timeline"]


def _when(a: Article) -> datetime:
    return a.published or a.ingested_at


def timeline(
    articles: Sequence[Article], roles: dict[str, str] | None = None
) -> list[TimelineEntry]:
    """The articles oldest first, each placed on ``[0, 1]`` between the first and last.

    Articles without a publication date are placed by when they were ingested.
    """
    from unspin.web.views import article_summary

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
        )
        for a in ordered
    ]


def copy_relations_among(
    u: Unspin, ids: Sequence[str], copies: set[str] | None = None
) -> list[Relation]:
    """Copy relations whose both ends are among ``ids`` (one per copy: its likeliest source).

    Args:
        copies: the ids known to copy another article, if the caller knows (only their
            relations are read then).
    """
    members = set(ids)
    best: dict[str, Relation] = {}
    for article_id in ids:
        if copies is not None and article_id not in copies:
            continue
        for rel in u.relations_of(article_id, kinds=sorted(COPY_KINDS)):
            if rel.kind not in COPY_KINDS or rel.copy_id != article_id:
                continue
            if rel.source_id not in members:
                continue
            held = best.get(article_id)
            if held is None or (rel.confidence, rel.reused) > (held.confidence, held.reused):
                best[article_id] = rel
    return list(best.values())


def provenance_tree(
    articles: Sequence[Article], rels: Sequence[Relation]
) -> tuple[list[ProvenanceNode], dict[str, str]]:
    """Who copied whom among ``articles``: a forest whose roots copy no one here.

    Args:
        rels: the copy relations among them (:func:`copy_relations_among`).

    Returns:
        The roots that have copies (independent articles with no copies are left out:
        the timeline lists them), and each article's role (``original`` or the kind of
        copy it is) for the timeline.
    """
    from unspin.web.views import article_summary

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
    from unspin.web.views import article_summary

    sources = {a.id: a for a in u.store.get_articles([s.article_id for s in comparison.sources])}
    columns = [s.article_id for s in comparison.sources if s.article_id in sources]
    rows: list[ClaimRow] = []
    for group in comparison.groups:
        status = _status(group.label)
        said = dict(zip(group.voices, group.claims, strict=False))
        cells = []
        for col in columns:
            claim = said.get(col)
            cells.append(
                ClaimCell(status=status, text=claim.words, sentence=claim.sentence)
                if claim is not None
                else ClaimCell(status="absent", text=None, sentence=None)
            )
        rows.append(
            ClaimRow(
                label=group.topic,
                kind=group.kind,
                status=status,
                reason=group.reason,
                cells=cells,
            )
        )
    return ClaimMatrix(columns=[article_summary(sources[c]) for c in columns], rows=rows)


def features_of(u: Unspin) -> dict[str, bool]:
    from unspin.web.views import features

    return features(u)


def require(u: Unspin, feature: str, what: str) -> None:
    """Raise :class:`NotFoundError` when the stage behind a page is not installed."""
    if not features_of(u)[feature]:
        raise NotFoundError(f"the {what} stage is not installed in this version of unspin")


def story_list(u: Unspin, *, offset: int = 0, limit: int = 20) -> StoryListPage:
    """Stories newest first with their counts and outlets.

    Raises:
        NotFoundError: the stories stage is not installed.
    """
    require(u, "stories", "stories")
    return _stories_api_list(u, offset=offset, limit=limit)


def story_page(u: Unspin, story_id: str) -> StoryPage:
    """One story: its sources on a timeline, the claims matrix, the provenance tree.

    With the stories stage installed ``story_id`` names one of its stories. Without it,
    a story is an original and everything copied from it or reporting the same story
    (as the provenance stage found them), named by the original's article id.

    Raises:
        NotFoundError: no such story, or neither stage is installed.
    """
    feats = features_of(u)
    copies: set[str] | None = None  # the members that copy another, where known
    if feats["stories"]:
        story_id, title, ids, copies = _stories_api_members(u, story_id)
    elif feats["provenance"]:
        story_id, title, ids = _copy_tree_members(u, story_id)
    else:
        raise NotFoundError(
            "stories need the stories or the provenance stage; neither is installed"
        )
    articles = u.store.get_articles(ids)
    if not articles:
        raise NotFoundError(f"{story_id}: this story has no articles")
    rels = (
        copy_relations_among(u, [a.id for a in articles], copies) if feats["provenance"] else None
    )
    tree, roles = provenance_tree(articles, rels) if rels is not None else (None, {})
    copy_of = {r.copy_id: r.source_id for r in rels} if rels is not None else None
    outlets = sorted({a.outlet for a in articles if a.outlet})
    return StoryPage(
        id=story_id,
        title=title,
        n_articles=len(articles),
        independent_sources=_independent(articles, rels) if rels is not None else None,
        outlets=outlets,
        timeline=timeline(articles, roles),
        claims=claims_matrix(u, [a.id for a in articles], copy_of) if feats["claims"] else None,
        provenance=tree,
    )


def _independent(articles: list[Article], rels: list[Relation]) -> int:
    """Articles left when each copy folds into what it copies (chains and siblings too)."""
    parent = {a.id: a.id for a in articles}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in rels:
        if r.source_id in parent and r.copy_id in parent:
            parent[find(r.copy_id)] = find(r.source_id)
    return len({find(a) for a in parent})


def story_of(u: Unspin, article_id: str) -> str | None:
    """The id of the story page an article belongs to, if any."""
    feats = features_of(u)
    if feats["stories"]:
        return _stories_api_story_of(u, article_id)
    if feats["provenance"]:
        t = u.trace(article_id)
        original = t.chain[0].source_id if t.chain else t.article_id
        if t.chain or t.copies.children or t.same_story:
            return str(original)
    return None


def _copy_tree_members(u: Unspin, article_id: str) -> tuple[str, str | None, list[str]]:
    t = u.trace(article_id)
    if t.chain:
        t = u.trace(t.chain[0].source_id)
    ids: list[str] = []

    def walk(node: Any) -> None:
        ids.append(node.article_id)
        for child in node.children:
            walk(child)

    walk(t.copies)
    for rel in t.same_story:
        other = rel.copy_id if rel.source_id == t.article_id else rel.source_id
        ids.append(other)
    ids = list(dict.fromkeys(ids))
    root = u.article(t.article_id)
    return root.id, root.title, ids


# --- the stories stage's API (issue 4) -------------------------------------------------


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _stories_api_list(u: Unspin, *, offset: int, limit: int) -> StoryListPage:
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
        total=u.store.count_stories(),
        more=len(found) > limit,
        offset=offset,
        limit=limit,
        items=items,
    )


def _stories_api_members(u: Unspin, story_id: str) -> tuple[str, str | None, list[str], set[str]]:
    detail = u.story(story_id)
    copies = {
        m.article_id
        for m in detail.members
        if any(role == "copy" and kind in COPY_KINDS for kind, role, _ in m.relations)
    }
    return detail.story.id, detail.story.title, [m.article_id for m in detail.members], copies


def _stories_api_story_of(u: Unspin, article_id: str) -> str | None:
    found: dict[str, str] = u.store.story_of([article_id])
    return found.get(article_id)
