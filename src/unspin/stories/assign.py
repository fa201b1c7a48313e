"""Stories over the store: assign new articles, rebuild, and read story records.

:func:`assign_articles` is the pipeline step behind ``unspin add``: it embeds the new
articles (static model), loads the live stories whose time span meets the batch's
(plus the undated ones), runs :class:`unspin.stories.cluster.Clusterer` over the articles in
publication order, and writes memberships, merges and the changed stories back in one
transaction. Copies that provenance found follow their source into its story.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from unspin.embed import StaticEmbedder
from unspin.errors import NotFoundError
from unspin.model import Article, StageReport, Story, StoryDetail, StoryMember, StoryMerge
from unspin.store import Store
from unspin.store.stories import StoryRow
from unspin.stories.background import background
from unspin.stories.cluster import (
    EMBED_TOKENS,
    ArticleSignals,
    Clusterer,
    Decision,
    SplitDecision,
    StoryConfig,
    StoryState,
    extract_terms,
    shown_term,
    split_due,
)
from unspin.workers import MIN_PARALLEL_ITEMS, Prefetch, Workers

__all__ = [
    "EMBED_MODEL",
    "assign_articles",
    "prefetch",
    "rebuild_stories",
    "read_stories",
    "read_story",
    "signals",
    "update",
]

log = logging.getLogger(__name__)

# Name under which the shipped static model's vectors are stored in ``embeddings``.
EMBED_MODEL = "static-minilm-256"
# Articles embedded and assigned per transaction.
BATCH = 1000


def signals(articles: Sequence[Article], embedder: StaticEmbedder) -> list[ArticleSignals]:
    """Embedding, names/numbers, time and title of each article.

    Each article's signals depend on it alone (its row of the batch's mean pooling is
    summed on its own), so one article at a time gives the same bytes as a batch: what
    lets :func:`assign_articles` compute them on worker processes.
    """
    texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]
    vectors = embedder.encode(texts, max_tokens=EMBED_TOKENS)
    return [
        ArticleSignals(
            id=a.id,
            vector=v,
            terms=extract_terms(a.text, a.title),
            ts=a.published.timestamp() if a.published else None,
            title=a.title,
        )
        for a, v in zip(articles, vectors, strict=True)
    ]


def _shared_signals(article: Article) -> ArticleSignals:
    """One article's signals with the shipped model (run on the workers)."""
    return signals([article], StaticEmbedder.shared())[0]


def _signals(
    articles: Sequence[Article],
    embedder: StaticEmbedder | None,
    workers: Workers,
    early: dict[str, ArticleSignals] | None = None,
) -> list[ArticleSignals]:
    """The batch's signals: on ``workers`` with the shipped model (results in input
    order), here with a model the caller passed. ``early``: signals :func:`prefetch`
    computed already, by article id (shipped model only)."""
    if embedder is not None or workers.jobs <= 1:
        return signals(articles, embedder or StaticEmbedder.shared())
    early = early or {}
    StaticEmbedder.shared()  # loaded before the workers fork, so they share its pages
    rest = [a for a in articles if a.id not in early]
    found = dict(zip((a.id for a in rest), workers.map(_shared_signals, rest), strict=True))
    return [early[a.id] if a.id in early else found[a.id] for a in articles]


# Articles whose signals a large add computes in the background while the writer runs
# provenance (:meth:`unspin.workers.Workers.background`), so the stage finds them ready:
# one batch's worth bounds what the prefetch holds in memory.
PREFETCH_ARTICLES = BATCH


def prefetch(
    store: Store, new_ids: Sequence[str], workers: Workers
) -> Prefetch[Article, ArticleSignals] | None:
    """Start computing the signals (shipped model) of the first :data:`PREFETCH_ARTICLES`
    of ``new_ids`` in no story yet, as background work for ``workers``; :func:`update`
    collects them. None with one job or too few articles (nothing to overlap)."""
    if workers.jobs <= 1:
        return None
    todo = store.unclustered_ids(list(new_ids))[:PREFETCH_ARTICLES]
    if len(todo) < MIN_PARALLEL_ITEMS:
        return None
    StaticEmbedder.shared()  # loaded before the workers fork, so they share its pages
    articles = store.get_articles(todo)
    return Prefetch([a.id for a in articles], workers.background(_shared_signals, articles))


def _state(row: StoryRow, title_vector: np.ndarray | None) -> StoryState:
    return StoryState(
        id=row.id,
        seq=row.seq,
        vector_sum=row.vector_sum,
        n_articles=row.n_articles,
        stored_terms=row.terms_json,
        first_ts=row.first_ts,
        last_ts=row.last_ts,
        title=row.title,
        title_article=row.title_article,
        title_vector=title_vector,
        merged_into=row.merged_into,
    )


def _row(s: StoryState) -> StoryRow:
    return StoryRow(
        id=s.id,
        seq=s.seq,
        title=s.title,
        title_article=s.title_article,
        first_ts=s.first_ts,
        last_ts=s.last_ts,
        n_articles=s.n_articles,
        vector_sum=s.vector_sum,
        terms_json=s.terms_json(),
        merged_into=s.merged_into,
    )


def assign_articles(
    store: Store,
    ids: Sequence[str] | None = None,
    *,
    config: StoryConfig | None = None,
    embedder: StaticEmbedder | None = None,
    workers: Workers | None = None,
    early: dict[str, ArticleSignals] | None = None,
) -> dict[str, int]:
    """Put each of ``ids`` (default: every article not yet in a story) in a story.

    The per-article work (WordPiece, the static embedding, the names and numbers) runs
    on ``workers`` when given; the assignment itself runs here, one article after the
    other in stream order, so the stories are the same whatever the number of workers.
    ``early``: signals computed ahead (:func:`prefetch`), by article id.

    Returns:
        counts: ``assigned``, ``joined``, ``started``, ``copies``, ``merged``.
    """
    todo = store.unclustered_ids(ids)
    counts = Counter({"assigned": 0, "joined": 0, "started": 0, "copies": 0, "merged": 0})
    if not todo:
        return dict(counts)
    workers = workers or Workers(1)
    config = config or StoryConfig()
    for start in range(0, len(todo), BATCH):
        batch = store.get_articles(todo[start : start + BATCH])
        # Stream order: publication time (undated last), then ingest order.
        batch.sort(
            key=lambda a: (a.published is None, a.published.timestamp() if a.published else 0.0)
        )
        sigs = _signals(batch, embedder, workers, early)
        decisions, absorbed = _assign_batch(store, sigs, config)
        counts["merged"] += absorbed
        for decision in decisions:
            counts["assigned"] += 1
            counts[{"join": "joined", "start": "started", "copy": "copies"}[decision.action]] += 1
            counts["merged"] += len(decision.merges)
    return dict(counts)


def _assign_batch(
    store: Store, sigs: list[ArticleSignals], config: StoryConfig
) -> tuple[list[Decision], int]:
    """Assign one batch and write it; the decisions, and how many small stories were
    absorbed at its end."""
    stamps = [s.ts for s in sigs if s.ts is not None]
    window = config.window_days * 86400.0
    undated_batch = len(stamps) < len(sigs)
    rows = store.story_rows(
        since=None if undated_batch or not stamps else min(stamps) - window,
        until=None if undated_batch or not stamps else max(stamps) + window,
        latest=config.live_stories,
    )
    title_vectors = store.get_embeddings(
        EMBED_MODEL, [r.title_article for r in rows if r.title_article]
    )
    terms = {t for s in sigs for t in s.terms}
    clusterer = Clusterer(
        config,
        (_state(r, title_vectors.get(r.title_article or "")) for r in rows),
        df=store.term_df(terms),
        n_docs=store.count_story_members(),
        next_seq=store.next_story_seq(),
    )
    before = {s.id: s.n_articles for s in clusterer.states}
    clusterer.prepare(sigs)
    copy_of = store.copy_sources([s.id for s in sigs])
    sources = store.story_of(list(set(copy_of.values())))
    decisions: list[Decision] = []
    placed: dict[str, str] = {}
    for sig in sigs:
        source = copy_of.get(sig.id)
        source_story = (placed.get(source) or sources.get(source)) if source else None
        if source_story is not None and source_story not in clusterer.by_id:
            # The source's story is outside the loaded window: load it to join it.
            try:
                extra = store.get_story_row(source_story)
                clusterer.add_state(_state(extra, None))
                before[extra.id] = extra.n_articles
            except NotFoundError:  # the source's story is gone: score the article instead
                source_story = None
        decision = clusterer.assign(sig, copy_of_story=source_story)
        placed[sig.id] = decision.story_id
        decisions.append(decision)
    splits = _split_stories(store, clusterer, sigs, decisions, copy_of, before)
    # Then the small stories the batch changed, seen whole (Clusterer.absorb_small).
    absorbed = clusterer.absorb_small(sorted(clusterer.changed))
    with store.transaction():
        store.put_embeddings(EMBED_MODEL, {s.id: s.vector for s in sigs})
        store.save_story_rows(_row(clusterer.by_id[sid]) for sid in sorted(clusterer.changed))
        store.put_story_members(
            (d.article_id, clusterer.live_story(d.story_id).id, d.score, d.reason)
            for d in decisions
        )
        # Merges an article bridged, then the small stories absorbed at the end.
        for m in [*(m for d in decisions for m in d.merges), *absorbed]:
            store.move_story_members(m.absorbed, m.kept)
            store.put_story_merge(m.kept, m.absorbed, m.article_id, m.score, m.reason)
        store.add_term_df(Counter(t for s in sigs for t in s.terms))
        # Last: a split moves members the lines above may have written or moved.
        for split, scores in splits:
            store.put_story_members(
                (aid, clusterer.live_story(split.new_story).id, scores[aid], split.reason)
                for aid in split.moved
            )
    return decisions, len(absorbed)


def _split_stories(
    store: Store,
    clusterer: Clusterer,
    sigs: Sequence[ArticleSignals],
    decisions: Sequence[Decision],
    copy_of: dict[str, str],
    before: dict[str, int],
) -> list[tuple[SplitDecision, dict[str, float]]]:
    """Check each story the batch grew past a check size (:func:`split_due`) for a split
    (:meth:`Clusterer.split`); return the splits with the membership score of each moved
    article."""
    live = {sid: clusterer.live_story(sid).id for sid in clusterer.changed}
    todo = sorted(
        {
            story
            for story in live.values()
            if split_due(before.get(story, 0), clusterer.by_id[story].n_articles)
        }
    )
    if not todo or clusterer.config.split_threshold is None:
        return []
    # Members stored before this batch (under the id of a story merged since, too) ...
    checked = set(todo)
    stored = store.story_member_rows(sorted(sid for sid in live if live[sid] in checked))
    scores: dict[str, float] = {}
    member_ids: dict[str, list[str]] = {story: [] for story in todo}
    for sid, rows in stored.items():
        for r in rows:
            member_ids[live[sid]].append(r["article_id"])
            scores[r["article_id"]] = float(r["score"])
    old_ids = [aid for ids in member_ids.values() for aid in ids]
    vectors = store.get_embeddings(EMBED_MODEL, old_ids)
    old_sigs = {
        a.id: ArticleSignals(
            id=a.id,
            vector=vectors[a.id],
            terms=extract_terms(a.text, a.title),
            ts=a.published.timestamp() if a.published else None,
            title=a.title,
        )
        for a in store.get_articles(old_ids)
        if a.id in vectors
    }
    # ... and the batch's own, which are not stored yet.
    members = {
        story: [old_sigs[a] for a in ids if a in old_sigs] for story, ids in member_ids.items()
    }
    for sig, d in zip(sigs, decisions, strict=True):
        story = clusterer.live_story(d.story_id).id
        if story in members:
            members[story].append(sig)
            scores[sig.id] = d.score
    copies = {**store.copy_sources(old_ids), **copy_of}
    splits = []
    for story in todo:
        if len(members[story]) != clusterer.by_id[story].n_articles:
            continue  # a member without a stored vector: the story is not seen whole
        split = clusterer.split(story, members[story], copies)
        if split is not None:
            log.info("%s", split.reason)
            splits.append((split, {aid: scores[aid] for aid in split.moved}))
    return splits


def rebuild_stories(store: Store, *, config: StoryConfig | None = None) -> dict[str, int]:
    """Forget every story and cluster the whole store again, in publication order."""
    store.clear_stories()
    counts = assign_articles(store, store.article_ids_by_time(), config=config)
    store.unclustered_ids()  # the stage's mark caught up, as provenance.rebuild does
    return counts


def update(
    store: Store,
    new_ids: Sequence[str],
    config: StoryConfig | None = None,
    workers: Workers | None = None,
    prefetched: Prefetch[Article, ArticleSignals] | None = None,
) -> StageReport:
    """The stage's entry point: assign ``new_ids`` (those in no story yet) to stories,
    their signals computed on ``workers`` when given (the same stories whatever N).
    ``prefetched``: signals :func:`prefetch` started computing earlier."""
    workers = workers or Workers(1)
    early: dict[str, ArticleSignals] = {}
    if prefetched is not None:
        early = prefetched.by_id(workers)
    counts = assign_articles(store, new_ids, config=config, workers=workers, early=early)
    return StageReport("stories", counts)


# --- reading -----------------------------------------------------------------------


def _dt(ts: float | None) -> datetime | None:
    return datetime.fromtimestamp(ts, UTC) if ts is not None else None


def _key_terms(store: Store, terms: dict[str, float], n_docs: int, n: int = 8) -> tuple[str, ...]:
    import math

    top = sorted(filter(shown_term, terms), key=lambda t: -terms[t])[: 4 * n]
    df = store.term_df(top)
    bg = background()
    ranked = sorted(
        top,
        key=lambda t: (
            -(terms[t] * math.log((bg.n_docs + n_docs + 1) / (bg.get(t) + df.get(t, 0) + 0.5)))
        ),
    )
    return tuple(ranked[:n])


def _outlet(row: Any) -> str | None:
    if row["site"]:
        return str(row["site"])
    if row["url"]:
        from urllib.parse import urlsplit

        return (urlsplit(row["url"]).hostname or "").removeprefix("www.") or None
    return None


def _story(store: Store, row: StoryRow, members: list[Any], n_docs: int) -> Story:
    outlets = Counter(o for o in (_outlet(m) for m in members) if o)
    return Story(
        id=row.id,
        title=row.title,
        first_published=_dt(row.first_ts),
        last_published=_dt(row.last_ts),
        outlets=tuple(o for o, _ in outlets.most_common()),
        n_articles=row.n_articles,
        key_terms=_key_terms(store, row.terms, n_docs),
    )


def read_stories(store: Store, *, limit: int | None = None, offset: int = 0) -> list[Story]:
    """Live stories, newest first."""
    rows = store.list_story_rows(limit=limit, offset=offset)
    members = store.story_member_rows([r.id for r in rows])
    n_docs = store.count_story_members()
    return [_story(store, r, members[r.id], n_docs) for r in rows]


def read_story(store: Store, id_or_prefix: str) -> StoryDetail:
    """One story (by id or unique prefix) with its members on a timeline and its merges."""
    sid = store.resolve_story_id(id_or_prefix)
    row = store.get_story_row(sid)
    members = store.story_member_rows([sid])[sid]
    ids = {m["article_id"] for m in members}
    relations: dict[str, list[tuple[str, str, str]]] = {i: [] for i in ids}
    if hasattr(store, "relations_of"):
        for aid in ids:
            for rel in store.relations_of(aid):
                if rel.copy_id == aid:
                    relations[aid].append((rel.kind, "copy", rel.source_id))
                else:
                    relations[aid].append((rel.kind, "source", rel.copy_id))
    member_records = tuple(
        StoryMember(
            article_id=m["article_id"],
            title=m["title"],
            outlet=_outlet(m),
            published=datetime.fromisoformat(m["published"]) if m["published"] else None,
            score=float(m["score"]),
            reason=m["reason"],
            relations=tuple(relations[m["article_id"]]),
        )
        for m in members
    )
    merges = tuple(
        StoryMerge(
            absorbed=r["absorbed"],
            article_id=r["article_id"],
            score=float(r["score"]),
            reason=r["reason"],
            merged_at=datetime.fromisoformat(r["merged_at"]),
        )
        for r in store.story_merge_rows(sid)
    )
    return StoryDetail(
        _story(store, row, members, store.count_story_members()), member_records, merges
    )
