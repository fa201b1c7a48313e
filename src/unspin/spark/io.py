"""Reading inputs into Spark and converting articles to and from table rows.

Inputs are read where they lie: WARC, WARC.gz, HTML and text files through
``SparkContext.binaryFiles`` (so ``s3a://``, ``hdfs://``, ``gs://`` and every other
Hadoop-compatible URI works), JSONL through ``SparkContext.textFile`` (so one large file
is split across tasks). Each partition turns its bytes or lines into articles with the
foundation readers of :mod:`unspin.ingest` (:class:`~unspin.ingest.SourceReader`): the
same extraction and cleaning as ``unspin add``, never a second implementation.

Every item carries its *order*, ``(input index, path, record index)``: the order in
which ``unspin add`` would have met it. The job uses it wherever the local pipeline
depends on ingest order (which copy of a text is kept, which of two undecided articles
is called the source).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from unspin.errors import InputError
from unspin.ingest import IngestFailure, IngestOptions
from unspin.ingest.sources import SKIPPED_NAMES, SourceReader, built, kind_of_name
from unspin.model import Article, BoilerplateLine, Origin

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext

__all__ = [
    "ARTICLE_COLUMNS",
    "Order",
    "article_from_record",
    "article_record",
    "expand_inputs",
    "read_inputs",
]

# (input index, path, record index within the file): the order `unspin add` reads in.
Order = tuple[int, str, int]
Item = tuple[Order, Article | IngestFailure]


# Columns of the ``articles`` table, in order (see :func:`article_record`).
ARTICLE_COLUMNS = (
    "id",
    "text",
    "title",
    "url",
    "site",
    "author",
    "published",
    "language",
    "ingested_at",
    "origin_kind",
    "origin",
    "origin_record",
    "boilerplate",
    "n_words",
    "ord_input",
    "ord_path",
    "ord_record",
    "band_keys",
    "anchor_keys",
    "neighbour_vec",
    "neighbour_keys",
)


def _is_remote(uri: str) -> bool:
    scheme = urlsplit(uri).scheme
    return len(scheme) > 1 and scheme != "file"  # one letter: a Windows drive


def _local(uri: str) -> str:
    """A ``file:`` URI as the plain path ``unspin add`` would label it with."""
    if uri.startswith("file://"):
        return urlsplit(uri).path
    if uri.startswith("file:"):
        return uri[len("file:") :]
    return uri


def expand_inputs(inputs: Sequence[str]) -> list[tuple[int, str, str]]:
    """The files to read: ``(input index, path or URI, kind)``, in ``unspin add`` order.

    Local directories are walked like ``unspin add`` walks them (sorted, hidden and
    README/licence files skipped); remote URIs and globs are passed to Spark as given,
    their kind taken from the suffix (``warc`` when it names none: a crawl folder).

    Raises:
        InputError: a local path does not exist, or a directory holds nothing readable.
    """
    out: list[tuple[int, str, str]] = []
    for i, uri in enumerate(inputs):
        if _is_remote(uri) or any(ch in uri for ch in "*?["):
            out.append((i, uri, kind_of_name(uri) or "warc"))
            continue
        path = Path(_local(uri))
        if not path.exists():
            raise InputError(uri, "no such file or directory")
        if path.is_file():
            out.append((i, str(path), kind_of_name(path.name) or "text"))
            continue
        found = False
        for p in sorted(q for q in path.rglob("*") if q.is_file()):
            rel = p.relative_to(path).parts
            if any(part.startswith(".") for part in rel) or p.name.lower() in SKIPPED_NAMES:
                continue
            kind = kind_of_name(p.name)
            if kind is None:
                continue
            found = True
            out.append((i, str(p), kind))
        if not found:
            raise InputError(uri, "directory holds no .txt, .html, feed, WARC or JSONL files")
    return out


def _options() -> IngestOptions:
    # Workers never fetch: a feed item with only a teaser is read as its summary.
    return IngestOptions(fetch_feed_items=False)


def _read_files(index: int, kind: str, files: Iterable[tuple[str, bytes]]) -> Iterator[Item]:
    """Articles of whole files (one partition of ``binaryFiles``), with their order."""
    reader = SourceReader(_options())
    try:
        for uri, data in files:
            path = _local(uri)
            origin = Origin("file", path)
            n = 0
            try:
                # The reader's own dispatch on bytes: WARC records, HTML, text, feeds.
                for n, item in enumerate(map(built, reader.read_bytes(data, path, origin, kind))):
                    yield (index, path, n), item
            except InputError as exc:
                yield (index, path, n + 1), IngestFailure(exc.source, exc.reason)
    finally:
        reader.close()


def _read_lines(index: int, source: str, lines: Iterable[tuple[str, int]]) -> Iterator[Item]:
    """Articles of JSONL lines ``(line, 0-based line number)``, one object per line."""
    reader = SourceReader(_options())
    try:
        for line, lineno in lines:
            if not line.strip():
                continue
            number = str(lineno + 1)
            for item in map(built, reader.read_jsonl(line, source)):
                if isinstance(item, Article):
                    item = dataclasses.replace(item, origin=Origin("jsonl", source, number))
                else:
                    item = IngestFailure(f"{source}:{number}", item.reason)
                yield (index, source, lineno), item
    finally:
        reader.close()


def read_inputs(sc: SparkContext, inputs: Sequence[str], *, min_partitions: int) -> RDD[Item]:
    """Every article and failure of ``inputs`` as an RDD of ``(order, item)``.

    Args:
        sc: the Spark context.
        inputs: paths, directories, globs or Hadoop URIs (WARC, WARC.gz, JSONL, HTML, text).
        min_partitions: the least number of partitions each JSONL file is split into.
    """
    rdds: list[RDD[Item]] = []
    by_kind: dict[tuple[int, str], list[str]] = {}
    for index, path, kind in expand_inputs(inputs):
        if kind == "jsonl":
            source = _local(path)
            lines = sc.textFile(path, minPartitions=min_partitions).zipWithIndex()
            rdds.append(lines.mapPartitions(partial(_read_lines, index, source)))
        else:
            by_kind.setdefault((index, kind), []).append(path)
    for (index, kind), paths in by_kind.items():
        files = sc.binaryFiles(",".join(paths), minPartitions=min(len(paths), min_partitions))
        rdds.append(files.mapPartitions(partial(_read_files, index, kind)))
    if not rdds:
        return sc.emptyRDD()
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


# --- rows ------------------------------------------------------------------------------


def article_record(
    article: Article,
    order: Order,
    band_keys: Sequence[int],
    anchor_keys: Sequence[int] = (),
    neighbour_vec: bytes | None = None,
    neighbour_keys: Sequence[int] = (),
) -> tuple[Any, ...]:
    """One row of the ``articles`` table (:data:`ARTICLE_COLUMNS`)."""
    origin = article.origin
    return (
        article.id,
        article.text,
        article.title,
        article.url,
        article.site,
        article.author,
        article.published,
        article.language,
        article.ingested_at,
        origin.kind if origin else None,
        origin.location if origin else None,
        origin.record if origin else None,
        [(b.text, b.reason) for b in article.boilerplate],
        article.n_words,
        order[0],
        order[1],
        order[2],
        [int(k) for k in band_keys],
        [int(k) for k in anchor_keys],
        neighbour_vec,
        [int(k) for k in neighbour_keys],
    )


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def article_from_record(rec: dict[str, Any]) -> Article:
    """Rebuild an :class:`Article` from an ``articles`` row (a dict by column name).

    Timestamps read back without a zone are UTC (the job writes them in UTC).
    """
    text = rec["text"]
    kind = rec.get("origin_kind")
    boiler = rec.get("boilerplate") or []
    return Article(
        id=rec["id"],
        text=text,
        paragraphs=tuple(text.split("\n\n")),
        title=rec.get("title"),
        url=rec.get("url"),
        site=rec.get("site"),
        author=rec.get("author"),
        published=_aware(rec.get("published")),
        language=rec.get("language"),
        ingested_at=_aware(rec.get("ingested_at")) or datetime.now(UTC),
        origin=Origin(kind, rec.get("origin") or "", rec.get("origin_record")) if kind else None,
        boilerplate=tuple(
            BoilerplateLine(b["text"], b["reason"]) if isinstance(b, dict) else BoilerplateLine(*b)
            for b in boiler
        ),
    )
