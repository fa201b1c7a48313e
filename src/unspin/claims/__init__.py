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
from unspin.model import Claim, StageReport
from unspin.workers import Workers

if TYPE_CHECKING:
    from unspin.store import Store

__all__ = [
    "EXTRACTOR_VERSION",
    "claims_for",
    "claims_of",
    "compare_claims",
    "extract_claims",
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


def update(store: Store, new_ids: Sequence[str], workers: Workers | None = None) -> StageReport:
    """The stage's entry point: extract and cache the claims of ``new_ids`` (those not
    extracted yet by the current extractor), on ``workers`` when given (one article at
    a time; written in order, so the same claims whatever the number of workers)."""
    workers = workers or Workers(1)
    todo = store.unextracted_ids(list(new_ids), EXTRACTOR_VERSION)
    n = 0
    for k in range(0, len(todo), CLAIMS_BATCH):
        articles = store.get_articles(todo[k : k + CLAIMS_BATCH])
        found = workers.map(claims_of, articles)
        n += store.put_claims_many(
            zip((a.id for a in articles), found, strict=True), EXTRACTOR_VERSION
        )
    return StageReport("claims", {"articles": len(todo), "claims": n})
