"""Build each page's data (:mod:`unspin.web.schemas`) from the :class:`unspin.Unspin` API.

One function per page; the HTML routes, the JSON API and the static report all call
these, so a page and its JSON never disagree. No SQL here: every read goes through the
API (or the store's public methods where the API has none yet).

Stages that are not installed are feature-detected: a page section whose API method is
missing comes back ``None`` and the template leaves it out.
"""

from __future__ import annotations

from typing import Any

from unspin.api import Unspin
from unspin.errors import UnspinError
from unspin.model import COPY_KINDS, Article, Relation
from unspin.web.schemas import (
    ArticleDetail,
    ArticleListPage,
    ArticlePage,
    ArticleSummary,
    BoilerplateItem,
    PairPage,
    RelationLink,
    Segment,
    SpinSpan,
    SpinView,
    StoryListPage,
    StoryPage,
    Summary,
)

__all__ = [
    "MAX_SEARCH_RESULTS",
    "SNIPPET_WORDS",
    "article_list",
    "article_page",
    "article_summary",
    "features",
    "mark",
    "pair_page",
    "relation_links",
    "story_list",
    "story_page",
    "summary",
]

# Words of an article shown under its title in lists.
SNIPPET_WORDS = 40
# Search hits a user can page through; FTS5 ranks them best first, and beyond this a
# user refines the query rather than reading page 26.
MAX_SEARCH_RESULTS = 500


def features(u: Unspin) -> dict[str, bool]:
    """Which later stages the installed API offers (the pages show only those)."""
    return {
        "stories": hasattr(u, "stories") and hasattr(u, "story"),
        "provenance": hasattr(u, "relations_of"),
        "claims": hasattr(u, "compare"),
        "spin": hasattr(u, "spin"),
    }


def _snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = text.split(None, words)
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " …"


def article_summary(a: Article) -> ArticleSummary:
    """The short view of an article used in lists, timelines and trees."""
    return ArticleSummary(
        id=a.id,
        title=a.title,
        outlet=a.outlet,
        url=a.url,
        published=a.published.isoformat() if a.published else None,
        ingested_at=a.ingested_at.isoformat(),
        n_words=a.n_words,
        snippet=_snippet(a.text),
    )


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
        total = u.store.count_articles()
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
        spin=spin_view(u, article) if features(u)["spin"] else None,
        relations=relation_links(u, article.id) if features(u)["provenance"] else None,
        story_id=_story_of(u, article.id),
    )


def spin_view(u: Unspin, article: Article) -> SpinView:
    """The spin verdict on a stored article, its flagged spans marked in the text.

    A spin stage that cannot run (e.g. its assets are missing) yields a view carrying
    the reason instead of failing the whole article page.
    """
    try:
        report = u.spin(article.id)
    except UnspinError as exc:
        return SpinView(
            score=None,
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
        score=report.probability,
        verdict=verdict,
        spans=[
            SpinSpan(
                start=s.start,
                end=s.end,
                text=s.text,
                restoration=s.suggestion,
                score=s.confidence,
                applied=s in applied,
            )
            for s in report.spans
        ],
        paragraphs=_paragraph_segments(text, spans),
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
    known = {a.id: a for a in u.store.get_articles(sorted(others))}
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
                reuse_rate=r.reused if r.kind in COPY_KINDS else None,
                substitution_rate=r.substitution_rate if r.kind in COPY_KINDS else None,
                pair=pair_path(r),
            )
        )
    order = {"source": 0, "copy": 1, "related": 2}
    links.sort(key=lambda link: (order[link.role], link.other.published or "", link.other.id))
    return links


def _story_of(u: Unspin, article_id: str) -> str | None:
    from unspin.web.storyview import story_of

    return story_of(u, article_id)


def summary(u: Unspin, read_only: bool) -> Summary:
    """Counts for ``GET /api/summary`` (cheap: counts and an index, no full scans)."""
    feats = features(u)
    return Summary(
        articles=u.store.count_articles(),
        outlets=u.store.count_outlets(),
        stories=u.store.count_stories() if feats["stories"] else None,
        read_only=read_only,
        features=feats,
    )


def mark(
    text: str, spans: list[tuple[int, int, str, str | None]], start: int = 0, end: int | None = None
) -> list[Segment]:
    """Cut ``text[start:end]`` into segments, marking ``spans``.

    Args:
        spans: ``(start, end, kind, other)`` character spans in ``text``; overlapping
            or out-of-range spans are clipped, later overlaps dropped.

    Returns:
        Segments covering ``text[start:end]`` exactly, in order.
    """
    end = len(text) if end is None else end
    out: list[Segment] = []
    pos = start
    for s, e, kind, other in sorted(spans, key=lambda x: (x[0], x[1])):
        s, e = max(s, pos), min(e, end)
        if e <= s:
            continue
        if s > pos:
            out.append(Segment(text=text[pos:s]))
        out.append(Segment(text=text[s:e], kind=kind, other=other))  # type: ignore[arg-type]
        pos = e
    if pos < end:
        out.append(Segment(text=text[pos:end]))
    return out


def _paragraph_segments(
    text: str, spans: list[tuple[int, int, str, str | None]]
) -> list[list[Segment]]:
    """:func:`mark` per paragraph (paragraphs are separated by a blank line)."""
    out: list[list[Segment]] = []
    pos = 0
    for para in text.split("\n\n"):
        out.append(
            mark(
                text,
                [sp for sp in spans if sp[0] < pos + len(para) and sp[1] > pos],
                pos,
                pos + len(para),
            )
        )
        pos += len(para) + 2
    return out


def pair_page(u: Unspin, copy_id: str, source_id: str) -> PairPage:
    """A copy beside its source (see :mod:`unspin.web.pairs`)."""
    from unspin.web.pairs import pair_page as build

    return build(u, copy_id, source_id)


def story_list(u: Unspin, *, offset: int = 0, limit: int = 20) -> StoryListPage:
    """Stories newest first (see :mod:`unspin.web.storyview`).

    Raises:
        NotFoundError: the stories stage is not installed.
    """
    from unspin.web.storyview import story_list as build

    return build(u, offset=offset, limit=limit)


def story_page(u: Unspin, story_id: str) -> StoryPage:
    """One story's timeline, claims matrix and provenance tree.

    Raises:
        NotFoundError: no such story, or the stories stage is not installed.
    """
    from unspin.web.storyview import story_page as build

    return build(u, story_id)
