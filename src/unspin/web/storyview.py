"""The story pages' data: the list of stories, and one story's timeline, claims matrix
and provenance tree, each built from the API of its stage when that stage is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from unspin.api import Unspin
from unspin.errors import NotFoundError
from unspin.model import COPY_KINDS, Article, Relation
from unspin.web.schemas import (
    ProvenanceNode,
    StoryListPage,
    StoryPage,
    TimelineEntry,
)

__all__ = ["provenance_tree", "timeline"]


def _when(a: Article) -> datetime:
    return a.published or a.ingested_at


def timeline(articles: Sequence[Article], roles: dict[str, str] | None = None) -> list[TimelineEntry]:
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


def copy_relations_among(u: Unspin, ids: Sequence[str]) -> list[Relation]:
    """Copy relations whose both ends are among ``ids`` (one per copy: its likeliest source)."""
    members = set(ids)
    best: dict[str, Relation] = {}
    for article_id in ids:
        for rel in u.relations_of(article_id):  # type: ignore[attr-defined]
            if rel.kind not in COPY_KINDS or rel.copy_id != article_id:
                continue
            if rel.source_id not in members:
                continue
            held = best.get(article_id)
            if held is None or (rel.confidence, rel.reused) > (held.confidence, held.reused):
                best[article_id] = rel
    return list(best.values())


def provenance_tree(u: Unspin, articles: Sequence[Article]) -> tuple[list[ProvenanceNode], dict[str, str]]:
    """Who copied whom among ``articles``: a forest whose roots copy no one here.

    Returns:
        The roots that have copies (independent articles with no copies are left out:
        the timeline lists them), and each article's role (``original`` or the kind of
        copy it is) for the timeline.
    """
    from unspin.web.views import article_summary

    by_id = {a.id: a for a in articles}
    rels = copy_relations_among(u, list(by_id))
    parent_of = {r.copy_id: r for r in rels}
    children: dict[str, list[Relation]] = {}
    for r in rels:
        children.setdefault(r.source_id, []).append(r)

    def build(article_id: str, rel: Relation | None, seen: frozenset[str]) -> ProvenanceNode:
        kids = sorted(children.get(article_id, []), key=lambda r: (_when(by_id[r.copy_id]), r.copy_id))
        return ProvenanceNode(
            article=article_summary(by_id[article_id]),
            relation=rel.kind if rel else None,
            substitution_rate=rel.substitution_rate if rel and rel.kind == "spun_copy" else None,
            pair=f"/pairs/{rel.copy_id}/{rel.source_id}" if rel else None,
            children=[build(k.copy_id, k, seen | {article_id}) for k in kids if k.copy_id not in seen],
        )

    roots = [a for a in by_id if a not in parent_of and a in children]
    forest = [build(a, None, frozenset()) for a in sorted(roots, key=lambda i: (_when(by_id[i]), i))]
    roles: dict[str, str] = {a: "original" for a in roots}
    roles.update({r.copy_id: r.kind for r in rels})
    return forest, roles


def require(u: Unspin, feature: str, what: str) -> None:
    """Raise :class:`NotFoundError` when the stage behind a page is not installed."""
    from unspin.web.views import features

    if not features(u)[feature]:
        raise NotFoundError(f"the {what} stage is not installed in this version of unspin")


def story_list(u: Unspin, *, offset: int = 0, limit: int = 20) -> StoryListPage:
    """Stories newest first with their counts and outlets.

    Raises:
        NotFoundError: the stories stage is not installed.
    """
    require(u, "stories", "stories")
    raise NotFoundError("stories: not wired yet")


def story_page(u: Unspin, story_id: str) -> StoryPage:
    """One story: timeline, claims matrix (if claims exist), provenance tree.

    Raises:
        NotFoundError: no such story, or the stories stage is not installed.
    """
    require(u, "stories", "stories")
    raise NotFoundError(f"{story_id}: not wired yet")
