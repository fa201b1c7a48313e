"""What a watched source lists: RSS/Atom entries (feedparser), sitemap and news-sitemap URLs.

:func:`parse_listing` turns the bytes of a feed, a sitemap, a news sitemap or a sitemap
index into a :class:`Listing`: the items (URL, and the full article when the feed carries
it) and, for an index, the child sitemaps to poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import feedparser
from lxml import etree

from unspin.errors import InputError
from unspin.ingest.dates import parse_datetime
from unspin.ingest.documents import fragment_paragraphs
from unspin.ingest.sources import FEED_FULL_CONTENT_WORDS, sniff, struct_time

__all__ = ["FeedItem", "Listing", "parse_listing"]

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Entity expansion and network access off: a sitemap is data, never a program.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class FeedItem:
    """One listed article: its URL, and its full HTML when the feed carries the whole text."""

    url: str
    record: str
    content: str | None = None
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Listing:
    """A parsed source: ``feed``, ``sitemap`` or ``sitemapindex``, its items and children."""

    kind: str
    items: tuple[FeedItem, ...] = ()
    sitemaps: tuple[str, ...] = ()


def parse_listing(data: bytes, source: str) -> Listing:
    """Parse a feed or sitemap; an empty but valid one gives no items.

    Raises:
        InputError: neither a feed nor a sitemap, or malformed XML.
    """
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _parse_sitemap(data, source)
    if sniff(data) != "feed":
        raise InputError(source, "not an RSS/Atom feed or a sitemap")
    return _parse_feed(data, source)


def _parse_feed(data: bytes, source: str) -> Listing:
    parsed = feedparser.parse(data)
    detail = parsed.get("bozo_exception")
    # feedparser reads what it can of broken XML; broken and empty is a malformed feed
    if not parsed.get("version") or (
        parsed.get("bozo") and not any(e.get("link") for e in parsed.entries)
    ):
        raise InputError(
            source, f"malformed feed ({detail})" if detail else "not an RSS or Atom feed"
        )
    site = parsed.feed.get("title") or None
    items: list[FeedItem] = []
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link")
        if not link:
            continue
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry.content), key=len)
        words = sum(len(p.split()) for p in fragment_paragraphs(content)) if content else 0
        summary_words = len((entry.get("summary") or "").split())
        full = words >= FEED_FULL_CONTENT_WORDS or (
            words > 0 and words >= 3 * max(summary_words, 1)
        )
        items.append(
            FeedItem(
                url=link,
                record=entry.get("id") or link or str(i),
                content=content if full else None,
                title=entry.get("title"),
                author=entry.get("author"),
                site=site,
                published=struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
            )
        )
    return Listing("feed", tuple(items))


def _text(node: etree._Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _parse_sitemap(data: bytes, source: str) -> Listing:
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"malformed sitemap XML ({exc})") from None
    tag = etree.QName(root).localname
    ns = {"s": _SITEMAP_NS, "n": _NEWS_NS}
    if tag == "sitemapindex":
        locs = [_text(n) for n in root.iterfind("s:sitemap/s:loc", ns)]
        return Listing("sitemapindex", sitemaps=tuple(loc for loc in locs if loc))
    if tag != "urlset":
        raise InputError(source, f"not a sitemap (root element <{tag}>)")
    items: list[FeedItem] = []
    for node in root.iterfind("s:url", ns):
        loc = _text(node.find("s:loc", ns))
        if not loc:
            continue
        news = node.find("n:news", ns)
        title = site = None
        published = _date(_text(node.find("s:lastmod", ns)))
        if news is not None:
            title = _text(news.find("n:title", ns))
            site = _text(news.find("n:publication/n:name", ns))
            published = _date(_text(news.find("n:publication_date", ns))) or published
        items.append(FeedItem(url=loc, record=loc, title=title, site=site, published=published))
    return Listing("sitemap", tuple(items))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    found = parse_datetime(value)
    return found if found is not None and found.tzinfo is not None else None
