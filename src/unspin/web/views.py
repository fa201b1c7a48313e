"""Build each page's data (:mod:`unspin.web.schemas`) from the :class:`unspin.Unspin` API.

One function per page; the HTML routes, the JSON API and the static report all call
these, so a page and its JSON never disagree. No SQL here: every read goes through the
API.
"""

from __future__ import annotations

from typing import Any

from unspin.api import Unspin
from unspin.errors import UnspinError
from unspin.model import COPY_KINDS, Article, Relation
from unspin.serialize import appearance_to_dict
from unspin.web.fragments import FEATURES, article_summary, paragraph_segments
from unspin.web.pairs import pair_page
from unspin.web.schemas import (
    ArticleDetail,
    ArticleListPage,
    ArticlePage,
    BoilerplateItem,
    Place,
    RelationLink,
    Segment,
    SpinSpan,
    SpinView,
    Summary,
)
from unspin.web.storyview import story_list, story_of, story_page

__all__ = [
    "MAX_SEARCH_RESULTS",
    "article_list",
    "article_page",
    "pair_page",
    "relation_links",
    "story_list",
    "story_page",
    "summary",
]

# Search hits a user can page through; FTS5 ranks them best first, and beyond this a
# user refines the query rather than reading page 26.
MAX_SEARCH_RESULTS = 500


def article_list(
    u: Unspin, query: str = "", *, offset: int = 0, limit: int = 20
) -> ArticleListPage:
    """Articles newest first, or those matching ``query`` (FTS5, best first)."""
    query = query.strip()
    if query:
        # Fetch one past the page to know whether another follows; counting every
        # match would read them all (slow for common words in a big store).
        hits = u.search(query, limit=min(offset + limit + 1, MAX_SEARCH_RESULTS))
        total = len(hits)
        items = hits[offset : offset + limit]
        more = len(hits) > offset + limit
    else:
        total = u.count_articles()
        items = u.articles(limit=limit, offset=offset)
        more = offset + limit < total
    return ArticleListPage(
        query=query,
        total=total,
        more=more,
        offset=offset,
        limit=limit,
        items=[article_summary(a) for a in items],
    )


def article_detail(a: Article) -> ArticleDetail:
    return ArticleDetail(
        **article_summary(a).model_dump(),
        author=a.author,
        language=a.language,
        origin=str(a.origin) if a.origin else None,
        paragraphs=list(a.paragraphs),
        boilerplate=[BoilerplateItem(text=b.text, reason=b.reason) for b in a.boilerplate],
    )


def article_page(u: Unspin, article_id: str) -> ArticlePage:
    """An article with its spin highlights, relations and story, where those stages exist.

    Raises:
        NotFoundError: no article has this id (or id prefix).
    """
    article = u.article(article_id)
    return ArticlePage(
        article=article_detail(article),
        spin=spin_view(u, article),
        relations=relation_links(u, article.id),
        story_id=story_of(u, article.id),
        places=places(u, article.id),
    )


def places(u: Unspin, article_id: str) -> list[Place]:
    """The addresses that ran this text word for word, first published first, when there
    are several (one stored article: no relation links them); else none."""
    found = u.places(article_id)
    if len(found) < 2:
        return []
    return [Place(**appearance_to_dict(p)) for p in found]


def spin_view(u: Unspin, article: Article) -> SpinView:
    """The spin verdict on a stored article, its flagged spans marked in the text.

    A spin stage that cannot run (e.g. its assets are missing) yields a view carrying
    the reason instead of failing the whole article page.
    """
    try:
        report = u.spin(article.id)
    except UnspinError as exc:
        return SpinView(
            probability=None,
            verdict=f"not judged: {exc}",
            spans=[],
            paragraphs=[[Segment(text=p)] for p in article.paragraphs],
            restored_text=None,
        )
    text = report.text or article.text
    applied = set(report.applied())
    spans: list[tuple[int, int, str, str | None]] = [
        (s.start, s.end, "spin" if s in applied else "spin-possible", s.suggestion)
        for s in report.spans
    ]
    verdict = report.verdict + (f": {report.reason}" if report.reason else "")
    return SpinView(
        probability=report.probability,
        verdict=verdict,
        spans=[
            SpinSpan(
                start=s.start,
                end=s.end,
                text=s.text,
                suggestion=s.suggestion,
                confidence=s.confidence,
                applied=s in applied,
            )
            for s in report.spans
        ],
        paragraphs=paragraph_segments(text, spans),
        restored_text=report.restored() if applied else None,
    )


def _relations(u: Unspin, article_id: str) -> list[Relation]:
    rels: list[Relation] = u.relations_of(article_id)
    return rels


def pair_path(rel: Relation) -> str | None:
    """The pair page of a copy relation (``None`` for other kinds)."""
    return f"/pairs/{rel.copy_id}/{rel.source_id}" if rel.kind in COPY_KINDS else None


def relation_links(u: Unspin, article_id: str) -> list[RelationLink]:
    """The articles this one copies, is copied by, or shares a story with."""
    rels = [r for r in _relations(u, article_id) if r.kind != "unrelated"]
    others = {r.source_id if r.copy_id == article_id else r.copy_id for r in rels}
    known = {a.id: a for a in u.articles_by_id(sorted(others))}
    links: list[RelationLink] = []
    for r in rels:
        other_id = r.source_id if r.copy_id == article_id else r.copy_id
        if other_id not in known:
            continue
        role: Any = "related"
        if r.kind in COPY_KINDS:
            role = "source" if r.copy_id == article_id else "copy"
        links.append(
            RelationLink(
                other=article_summary(known[other_id]),
                relation=r.kind,
                role=role,
                reused=r.reused if r.kind in COPY_KINDS else None,
                substitution_rate=r.substitution_rate if r.kind in COPY_KINDS else None,
                pair=pair_path(r),
            )
        )
    order = {"source": 0, "copy": 1, "related": 2}
    links.sort(key=lambda link: (order[link.role], link.other.published or "", link.other.id))
    return links


def summary(u: Unspin, read_only: bool) -> Summary:
    """Counts for ``GET /api/summary`` (cheap: counts and an index, no full scans)."""
    return Summary(
        articles=u.count_articles(),
        outlets=u.count_outlets(),
        stories=u.count_stories(),
        read_only=read_only,
        features=dict(FEATURES),
    )
