"""Claims: what each article asserts, and how a story's sources agree or disagree.

* :mod:`.numbers`, :mod:`.durations`, :mod:`.dates`, :mod:`.quotes`, :mod:`.actors` find
  one kind of claim each; :mod:`.extract` runs them all over an article;
* :mod:`.compare` aligns the claims of a story's sources (agree / conflict / differ /
  unique), folding copies into their sources;
* :mod:`.render` writes a comparison as Markdown, HTML or JSON-ready data.

Everything is rule-based, offline and CPU-only; no language model is involved.
This module also holds the store-facing glue used by the API and the pipeline:
:func:`claims_for` (cached extraction) and :func:`update`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from unspin.claims.compare import compare_claims, relate_pair
from unspin.claims.extract import EXTRACTOR_VERSION, claims_of, extract_claims
from unspin.model import Article, Claim, StageReport
from unspin.workers import MIN_PARALLEL_ITEMS, Prefetch, Workers

if TYPE_CHECKING:
    from unspin.store import Store

__all__ = [
    "EXTRACTOR_VERSION",
    "claims_for",
    "claims_of",
    "compare_claims",
    "extract_claims",
    "prefetch",
    "relate_pair",
    "update",
]


def claims_for(store: Store, article_id: str) -> list[Claim]:
    """The claims of a stored article: from the cache, else extracted and cached.

    Raises:
        NotFoundError: no such article.
    """
    cached: list[Claim] | None = store.get_claims(article_id, EXTRACTOR_VERSION)
    if cached is not None:
        return cached
    claims = claims_of(store.get_article(article_id))
    if not store.read_only:
        store.put_claims(article_id, claims, EXTRACTOR_VERSION)
    return claims


# Articles read, extracted and written per transaction by :func:`update`: one transaction
# per article cost 0.2 s of the 772 ECB+ dev articles' claims stage (bench/add_speed.py);
# a few hundred keep a batch's claims small in memory and each commit short.
CLAIMS_BATCH = 256


# Articles whose claims a large add extracts in the background while the writer runs the
# earlier stages (:meth:`unspin.workers.Workers.background`): the workers are idle while
# the writer looks up provenance candidates and assigns stories. Bounds what the prefetch
# holds in memory; the rest is extracted by the stage itself.
PREFETCH_ARTICLES = 4 * CLAIMS_BATCH


def prefetch(
    store: Store, new_ids: Sequence[str], workers: Workers
) -> Prefetch[Article, list[Claim]] | None:
    """Start extracting the claims of the first :data:`PREFETCH_ARTICLES` of ``new_ids``
    still to extract, as background work for ``workers``; :func:`update` collects them.
    None with one job or too few articles (nothing to overlap)."""
    if workers.jobs <= 1:
        return None
    todo = store.unextracted_ids(list(new_ids), EXTRACTOR_VERSION)[:PREFETCH_ARTICLES]
    if len(todo) < MIN_PARALLEL_ITEMS:
        return None
    articles = store.get_articles(todo)
    return Prefetch([a.id for a in articles], workers.background(claims_of, articles))


def update(
    store: Store,
    new_ids: Sequence[str],
    workers: Workers | None = None,
    prefetched: Prefetch[Article, list[Claim]] | None = None,
) -> StageReport:
    """The stage's entry point: extract and cache the claims of ``new_ids`` (those not
    extracted yet by the current extractor), on ``workers`` when given (one article at
    a time; written in order, so the same claims whatever the number of workers).
    ``prefetched``: claims :func:`prefetch` started extracting earlier, used for the
    articles it covers."""
    workers = workers or Workers(1)
    # The prefetched claims are taken in order as the workers finish them, so each batch
    # is written while they still extract the next (waiting for all of them left a core
    # idle while the last batches were written: bench/add_speed.py).
    early: dict[str, list[Claim]] = {}
    covered = set(prefetched.ids) if prefetched is not None else set()
    arriving = prefetched.iter_by_id(workers) if prefetched is not None else iter(())
    todo = store.unextracted_ids(list(new_ids), EXTRACTOR_VERSION)
    n = 0
    for k in range(0, len(todo), CLAIMS_BATCH):
        ids = todo[k : k + CLAIMS_BATCH]
        waiting = [i for i in ids if i in covered]
        missing = {i for i in waiting if i not in early}
        while missing:
            article_id, claims = next(arriving)
            early[article_id] = claims
            missing.discard(article_id)
        articles = store.get_articles([i for i in ids if i not in covered])
        found = dict(zip((a.id for a in articles), workers.map(claims_of, articles), strict=True))
        found.update((i, early.pop(i)) for i in waiting)
        n += store.put_claims_many(((i, found[i]) for i in ids if i in found), EXTRACTOR_VERSION)
    return StageReport("claims", {"articles": len(todo), "claims": n})
