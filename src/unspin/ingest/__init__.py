"""Ingest: sources → extracted, cleaned :class:`~unspin.model.Article` objects.

``sources`` (readers per kind) → ``extract`` (trafilatura) → ``clean`` (boilerplate
lines) → Article. :func:`iter_articles` is the entry point; it yields an
:class:`IngestFailure` for each bad source or record and carries on with the rest.
:func:`read_deferred` yields each article's build instead (a :class:`PendingArticle`),
and :func:`built_articles` builds them on worker processes, in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice

from unspin.ingest.documents import article_from_html, article_from_text
from unspin.ingest.fetch import Fetcher, FetchOptions
from unspin.ingest.sources import (
    IngestFailure,
    IngestOptions,
    Item,
    PendingArticle,
    Read,
    SourceReader,
    built,
    iter_source,
)
from unspin.workers import MIN_PARALLEL_ITEMS, Stream, Workers

__all__ = [
    "FetchOptions",
    "Fetcher",
    "IngestFailure",
    "IngestOptions",
    "PendingArticle",
    "article_from_html",
    "article_from_text",
    "built_articles",
    "read_deferred",
    "iter_articles",
    "iter_source",
]


# Items built per stream of built_articles: the workers build the next window while the
# caller stores this one (the articles `unspin add` commits at a time).
BUILD_WINDOW = 100


def iter_articles(sources: Iterable[str], options: IngestOptions | None = None) -> Iterator[Item]:
    """Read every source in turn; yield articles and failures as they come."""
    return map(built, read_deferred(sources, options, defer=False))


def read_deferred(
    sources: Iterable[str], options: IngestOptions | None = None, *, defer: bool = True
) -> Iterator[Read]:
    """Read every source in turn, yielding each article's build as a
    :class:`PendingArticle` (with ``defer``) and failures as they come: see
    :func:`built_articles`."""
    options = options or IngestOptions()
    reader = SourceReader(options, defer=defer)
    try:
        for source in sources:
            yield from reader.read(source)
    finally:
        reader.close()


def built_articles(
    items: Iterable[Read], workers: Workers, *, window: int = BUILD_WINDOW
) -> Iterator[Item]:
    """``items`` (of :func:`read_deferred`) with every pending article
    built: the same articles and failures, in the same order, whatever the number of
    workers. The builds go to the workers as they are read, a window at a time, so
    they build the next window while the caller stores this one; a run of fewer
    than :data:`~unspin.workers.MIN_PARALLEL_ITEMS` items is built here, as forking
    the workers would cost more."""
    it = iter(items)
    head = list(islice(it, MIN_PARALLEL_ITEMS))
    if workers.jobs <= 1 or len(head) < MIN_PARALLEL_ITEMS:
        yield from map(built, chain(head, it))
        return
    done: Stream[Read, Item] | None = None
    stream = workers.stream(built, expected=window)
    n = 0
    for item in chain(head, it):
        stream.put(item)
        n += 1
        if n == window:
            if done is not None:
                yield from done.results()
            done, stream, n = stream, workers.stream(built, expected=window), 0
    if done is not None:
        yield from done.results()
    yield from stream.results()
