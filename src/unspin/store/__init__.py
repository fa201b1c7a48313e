"""SQLite persistence: the one place with SQL.

:class:`Store` mixes in one class per stage (articles, relations, stories, claims, spin);
each stage module registers its own schema migrations. Open it with a path (or none for
``$UNSPIN_DB`` / ``./unspin.db``)::

    with Store("news.db") as store:
        store.put_articles([article])
"""

from __future__ import annotations

from unspin.store.articles import ArticleStore, PutResult
from unspin.store.claims import ClaimStore
from unspin.store.core import BUSY_TIMEOUT_MS, DB_ENV, DEFAULT_DB, StoreBase, default_db_path
from unspin.store.relations import RelationStore
from unspin.store.spin import SpinStore
from unspin.store.stories import StoryStore
from unspin.store.watch import WatchStore


# Stage stores: each adds its tables (migrations) and queries. Keep in pipeline order.
class Store(ArticleStore, RelationStore, StoryStore, ClaimStore, SpinStore, WatchStore):
    """The unspin database: articles and every stage's results.

    One mixin per stage, in pipeline order; each adds its tables (migrations) and queries.
    """


__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_ENV",
    "DEFAULT_DB",
    "PutResult",
    "Store",
    "StoreBase",
    "default_db_path",
]
