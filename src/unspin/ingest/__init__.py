"""Ingest: sources → extracted, cleaned :class:`~unspin.model.Article` objects.

``sources`` (readers per kind) → ``extract`` (trafilatura) → ``clean`` (boilerplate
lines) → Article. :func:`iter_articles` is the entry point; it yields an
:class:`IngestFailure` for each bad source or record and carries on with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from unspin.ingest.documents import article_from_html, article_from_text
from unspin.ingest.fetch import Fetcher, FetchOptions
from unspin.ingest.sources import IngestFailure, IngestOptions, SourceReader, iter_source
from unspin.model import Article

__all__ = [
    "FetchOptions",
    "Fetcher",
    "IngestFailure",
    "IngestOptions",
    "article_from_html",
    "article_from_text",
    "iter_articles",
    "iter_source",
]


def iter_articles(
    sources: Iterable[str], options: IngestOptions | None = None
) -> Iterator[Article | IngestFailure]:
    """Read every source in turn; yield articles and failures as they come."""
    options = options or IngestOptions()
    reader = SourceReader(options)
    try:
        for source in sources:
            yield from reader.read(source)
    finally:
        reader.close()
