"""Readers for each kind of source: files, directories, stdin, URLs, feeds, WARC, JSONL.

Every reader yields :class:`Article` or :class:`IngestFailure` items and never raises for
one bad document: a bad record becomes a failure and the rest is still read.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import feedparser
import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from unspin.errors import InputError
from unspin.ingest.decode import decode_bytes, looks_binary
from unspin.ingest.documents import (
    article_from_fragment,
    article_from_html,
    article_from_text,
    fragment_paragraphs,
)
from unspin.ingest.fetch import Fetcher, FetchOptions
from unspin.model import Article, Origin

__all__ = ["IngestFailure", "IngestOptions", "iter_source"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
WARC_SUFFIXES = {".warc", ".arc"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Directory walks skip these names: project files, not articles.
SKIPPED_NAMES = {
    "readme.md",
    "readme.txt",
    "readme",
    "license",
    "license.txt",
    "licence.txt",
    "copying",
}

# A feed entry's content is the full article when it has at least this many words or
# three times the words of its summary; otherwise it is a teaser and its page is fetched.
FEED_FULL_CONTENT_WORDS = 60


@dataclass(frozen=True)
class IngestFailure:
    """A source (or one record of it) that gave no article, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class IngestOptions:
    """How sources are read.

    Attributes:
        fetch: limits and the SSRF switch for URLs (``allow_private`` lifts the guard).
        transport: an httpx transport replacing the network (tests).
        stdin: where ``-`` reads from (default: the process's stdin).
        fetch_feed_items: fetch an entry's page when a feed carries only a teaser.
    """

    fetch: FetchOptions = field(default_factory=FetchOptions)
    transport: httpx.BaseTransport | None = None
    stdin: IO[bytes] | None = None
    fetch_feed_items: bool = True


@dataclass(frozen=True)
class PendingArticle:
    """One document's article still to be built (extraction and cleaning, the CPU part of
    reading): what a reader yields instead of the article when its builds are deferred,
    so that worker processes can do them (``unspin add --jobs N``; see
    :func:`unspin.ingest.built_articles`). Calling it builds the article, or gives the
    failure the reader would have yielded."""

    build: Callable[..., Article]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def __call__(self) -> Article | IngestFailure:
        try:
            return self.build(*self.args, **self.kwargs)
        except InputError as exc:
            return IngestFailure(exc.source, exc.reason)


Item = Article | IngestFailure
# What a reader yields: with deferred builds, a PendingArticle where the article would be.
Read = Item | PendingArticle


def built(item: Read) -> Item:
    """``item`` with its article built if it is a :class:`PendingArticle`."""
    return item() if isinstance(item, PendingArticle) else item


def kind_of_name(name: str | Path) -> str | None:
    """The kind of source a file name announces (``text``, ``html``, ``feed``, ``warc``,
    ``jsonl``), looking through a ``.gz`` suffix; None for any other name."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    last = suffixes[-1] if suffixes else ""
    if last == ".gz" and len(suffixes) >= 2:
        last = suffixes[-2]
    if last in TEXT_SUFFIXES:
        return "text"
    if last in HTML_SUFFIXES:
        return "html"
    if last in FEED_SUFFIXES:
        return "feed"
    if last in WARC_SUFFIXES:
        return "warc"
    if last in JSONL_SUFFIXES:
        return "jsonl"
    return None


def sniff(data: bytes) -> str:
    """Guess the kind of a document from its first bytes: warc, feed, html, jsonl or text."""
    head = data[:2048]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536])[:2048]
        except zlib.error:
            return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"warc/"):
        return "warc"
    if (
        stripped.startswith(b"<?xml")
        or stripped.startswith(b"<rss")
        or stripped.startswith(b"<feed")
    ):
        if b"<rss" in stripped or b"<feed" in stripped or b"<rdf" in stripped:
            return "feed"
        return "html" if b"<html" in stripped else "feed"
    if (
        stripped.startswith(b"<!doctype html")
        or b"<html" in stripped[:512]
        or stripped.startswith(b"<")
    ):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    return "text"


class SourceReader:
    """Reads sources under one set of options; owns the HTTP client."""

    def __init__(self, options: IngestOptions, *, defer: bool = False):
        self.options = options
        self.defer = defer
        self._fetcher: Fetcher | None = None

    def _article(self, build: Callable[..., Article], *args: Any, **kwargs: Any) -> Read:
        """``build(*args, **kwargs)``, or that build as a :class:`PendingArticle` when
        builds are deferred. Either way a document that gives no article ends as the
        same :class:`IngestFailure`: every caller turns the build's ``InputError`` into
        one, as a pending article does when it is built."""
        if self.defer:
            return PendingArticle(build, args, kwargs)
        return build(*args, **kwargs)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options.fetch, transport=self.options.transport)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    # --- dispatch ---------------------------------------------------------------------

    def read(self, source: str) -> Iterator[Read]:
        """Every article (or failure) that ``source`` yields."""
        try:
            if source == "-":
                stream = self.options.stdin or sys.stdin.buffer
                yield from self.read_bytes(stream.read(), "-", Origin("stdin", "-"), None)
            elif source.startswith(("http://", "https://")):
                yield from self._read_url(source)
            else:
                yield from self._read_path(Path(source), explicit=True)
        except InputError as exc:
            yield IngestFailure(exc.source, exc.reason)

    def _read_path(self, path: Path, *, explicit: bool) -> Iterator[Read]:
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            found = False
            for p in files:
                if any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                if p.name.lower() in SKIPPED_NAMES or kind_of_name(p) is None:
                    continue
                found = True
                try:
                    yield from self._read_path(p, explicit=False)
                except InputError as exc:
                    yield IngestFailure(exc.source, exc.reason)
            if not found:
                raise InputError(
                    str(path), "directory holds no .txt, .html, feed, WARC or JSONL files"
                )
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot read ({exc.strerror})") from None
        if not data.strip():
            raise InputError(str(path), "empty file")
        yield from self.read_bytes(data, str(path), Origin("file", str(path)), kind_of_name(path))

    def read_bytes(
        self,
        data: bytes,
        source: str,
        origin: Origin,
        kind: str | None,
        url: str | None = None,
        charset: str | None = None,
    ) -> Iterator[Read]:
        """Articles (and failures) of one document given as bytes.

        Args:
            data: the raw bytes; gzip-compressed content is decompressed (except WARC,
                which is read compressed).
            source: the label used in failures (a path, URL or record).
            origin: where the article came from.
            kind: ``text``, ``html``, ``feed``, ``warc`` or ``jsonl``; sniffed when None.
            url, charset: from the HTTP response, where there was one.

        Raises:
            InputError: the document as a whole is empty, binary or unreadable.
        """
        if kind != "warc" and data.startswith(b"\x1f\x8b"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                raise InputError(source, "corrupt gzip file") from None
        if not data.strip():
            raise InputError(source, "empty input")
        kind = kind or sniff(data)
        if kind == "warc":
            yield from self._read_warc(data, source)
            return
        if kind == "binary" or (kind != "warc" and looks_binary(data)):
            raise InputError(source, "binary file: not text, HTML, a feed, WARC or JSONL")
        text = decode_bytes(data, source, charset)
        if kind == "html":
            yield self._article(article_from_html, text, source, origin, url=url)
        elif kind == "feed":
            yield from self._read_feed(data, source)
        elif kind == "jsonl":
            yield from self.read_jsonl(text, source)
        else:
            yield self._article(article_from_text, text, source, origin, url=url)

    # --- URLs and feeds ---------------------------------------------------------------

    def _read_url(self, url: str) -> Iterator[Read]:
        resp = self.fetcher.get(url)
        ctype = resp.content_type.split(";")[0].strip().lower()
        if ctype in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
            kind: str | None = "feed"
        elif ctype in ("text/html", "application/xhtml+xml"):
            kind = "html"
        elif ctype == "text/plain":
            kind = "text"
        else:
            kind = None
        origin = Origin("url", url)
        yield from self.read_bytes(
            resp.content, url, origin, kind, url=resp.url, charset=resp.charset
        )

    def _read_feed(self, data: bytes, source: str) -> Iterator[Read]:
        parsed = feedparser.parse(data)
        if not parsed.get("version") or not parsed.entries:
            if parsed.get("version"):
                raise InputError(source, "feed has no entries")
            raise InputError(source, "not an RSS or Atom feed")
        site = parsed.feed.get("title") or None
        for i, entry in enumerate(parsed.entries):
            record = entry.get("id") or entry.get("link") or str(i)
            label = f"{source}#{record}"
            origin = Origin("feed", source, record)
            meta: dict[str, Any] = {
                "title": entry.get("title"),
                "url": entry.get("link"),
                "site": site,
                "author": entry.get("author"),
                "published": struct_time(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
            }
            content = ""
            if entry.get("content"):
                content = max((c.get("value", "") for c in entry.content), key=len)
            words = sum(len(p.split()) for p in fragment_paragraphs(content)) if content else 0
            summary_words = len((entry.get("summary") or "").split())
            full = words >= FEED_FULL_CONTENT_WORDS or (
                words > 0 and words >= 3 * max(summary_words, 1)
            )
            try:
                if content and (full or not entry.get("link") or not self.options.fetch_feed_items):
                    yield self._article(article_from_fragment, content, label, origin, **meta)
                elif entry.get("link") and self.options.fetch_feed_items:
                    resp = self.fetcher.get(entry.link)
                    text = decode_bytes(resp.content, label, resp.charset)
                    page_meta = {k: v for k, v in meta.items() if k != "url"}
                    yield self._article(
                        article_from_html, text, label, origin, url=resp.url, **page_meta
                    )
                else:
                    summary = entry.get("summary") or ""
                    if not summary:
                        raise InputError(label, "feed entry has no content, summary or link")
                    yield self._article(article_from_fragment, summary, label, origin, **meta)
            except InputError as exc:
                yield IngestFailure(exc.source, exc.reason)

    # --- WARC and JSONL ---------------------------------------------------------------

    def _read_warc(self, data: bytes, source: str) -> Iterator[Read]:
        n_records = 0
        try:
            for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
                if record.rec_type != "response":
                    continue
                n_records += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                rid = record.rec_headers.get_header("WARC-Record-ID") or str(n_records)
                label = f"{source}#{rid}"
                ctype = (
                    record.http_headers.get_header("Content-Type") if record.http_headers else ""
                ) or ""
                if "html" not in ctype.lower():
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if status and not str(status).startswith("2"):
                    continue
                payload = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    # The record ends before its declared Content-Length: the file was cut.
                    raise EOFError(f"record {rid} is cut short")
                charset = None
                for part in ctype.split(";")[1:]:
                    key, _, value = part.strip().partition("=")
                    if key.lower() == "charset":
                        charset = value.strip("\"' ")
                try:
                    html = decode_bytes(payload, label, charset)
                    yield self._article(
                        article_from_html, html, label, Origin("warc", source, rid), url=uri
                    )
                except InputError as exc:
                    yield IngestFailure(exc.source, exc.reason)
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(
                source, f"truncated or corrupt WARC after {n_records} records ({detail})"
            ) from None
        if n_records == 0:
            raise InputError(source, "WARC holds no HTTP response records")

    def read_jsonl(self, text: str, source: str) -> Iterator[Read]:
        """Articles (and failures) of JSON Lines text, one object per line."""
        any_line = False
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            any_line = True
            label = f"{source}:{lineno}"
            origin = Origin("jsonl", source, str(lineno))
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise InputError(label, "line is not a JSON object")
                meta = {
                    k: obj.get(k)
                    for k in ("title", "url", "site", "author", "published", "language")
                }
                if meta["site"] is None:  # `unspin export` writes the outlet (docs/api.md)
                    meta["site"] = obj.get("outlet")
                meta = {k: (str(v) if v is not None else None) for k, v in meta.items()}
                if isinstance(obj.get("text"), str) and obj["text"].strip():
                    yield self._article(article_from_text, obj["text"], label, origin, **meta)
                elif isinstance(obj.get("html"), str) and obj["html"].strip():
                    url = meta.pop("url")
                    yield self._article(
                        article_from_html, obj["html"], label, origin, url=url, **meta
                    )
                else:
                    raise InputError(label, "JSON object has no 'text' or 'html' string")
            except json.JSONDecodeError as exc:
                yield IngestFailure(label, f"invalid JSON ({exc.msg} at column {exc.colno})")
            except InputError as exc:
                yield IngestFailure(exc.source, exc.reason)
        if not any_line:
            raise InputError(source, "empty JSONL file")


def struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def iter_source(
    source: str, options: IngestOptions, reader: SourceReader | None = None
) -> Iterator[Item]:
    """Articles and failures of one source (path, directory, URL, feed, ``-``)."""
    own = reader is None
    reader = reader or SourceReader(options)
    try:
        yield from map(built, reader.read(source))
    finally:
        if own:
            reader.close()
