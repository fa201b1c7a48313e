"""One document → one :class:`Article`: plain text (with header), HTML page, HTML fragment."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import html as lxml_html

from unspin.errors import InputError
from unspin.ingest.clean import classify_line, clean_lines
from unspin.ingest.dates import date_line, parse_datetime
from unspin.ingest.extract import extract_html
from unspin.language import guess_language
from unspin.model import Article, Origin
from unspin.text import normalize

__all__ = [
    "article_from_html",
    "article_from_text",
    "fragment_paragraphs",
    "headline_of",
    "split_header",
]

_HEADER_KEYS = {
    "title",
    "url",
    "site",
    "author",
    "published",
    "date",
    "language",
    "source",
    "outlet",
}
_HEADER_LINE = re.compile(r"^([A-Za-z]+)\s*:\s*(.*)$")
_META_FIELDS = ("title", "url", "site", "author", "published", "language")


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split an optional ``Key: value`` header block (Title, URL, Site, Author, Published,
    Language) from the body; the header ends at the first blank line."""
    lines = text.lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[i + 1 :])
            break
        m = _HEADER_LINE.match(line.strip())
        if not m or m.group(1).lower() not in _HEADER_KEYS:
            break
        key = m.group(1).lower()
        key = {"date": "published", "source": "site", "outlet": "site"}.get(key, key)
        meta[key] = m.group(2).strip()
    return {}, text


def _build(
    paragraphs: list[str],
    source: str,
    origin: Origin,
    meta: dict[str, Any],
    link_texts: frozenset[str] = frozenset(),
    *,
    leading_dates: bool = False,
) -> Article:
    title = meta.get("title")
    if (
        title
        and paragraphs
        and normalize(paragraphs[0]).casefold() == normalize(str(title)).casefold()
    ):
        # Extraction often repeats the headline as the first line; it is metadata.
        paragraphs = paragraphs[1:]
    cleaned = clean_lines(paragraphs, link_texts, leading_dates=leading_dates)
    if not cleaned.paragraphs:
        if cleaned.removed:
            raise InputError(source, "only boilerplate, no article text")
        raise InputError(source, "no article text found")
    published = meta.get("published")
    if isinstance(published, str):
        published = parse_datetime(published)
    if published is None:
        published = cleaned.published
    if published is not None and not isinstance(published, datetime):
        published = None
    fields: dict[str, Any] = {
        k: (meta.get(k) or None) for k in ("title", "url", "site", "author", "language")
    }
    fields["author"] = fields["author"] or cleaned.author
    fields["site"] = fields["site"] or cleaned.site
    fields["language"] = fields["language"] or guess_language(cleaned.text)
    return Article.create(
        cleaned.text,
        published=published,
        origin=origin,
        boilerplate=tuple(cleaned.removed),
        **fields,
    )


# A first line is a headline when it is short and not a sentence of reporting: between
# HEADLINE_MIN_WORDS and HEADLINE_MAX_WORDS words, no sentence-final period or colon, not
# boilerplate or a bare date, and more text follows. The longest Wikinews title
# (shared/data/wikinews, 293 articles) is 22 words; there, "title, blank line, text"
# gives every title back and the texts alone (which open with a date line) give none.
HEADLINE_MAX_WORDS = 22
HEADLINE_MIN_WORDS = 3
_HEADLINE_END = re.compile(r"[.:;,]$|[.:;,][\"')\]]$")


# A line that is only a date ("Saturday, December 7, 2019", as Wikinews texts open).
_DATE_LINE = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?\d{4}",
    re.IGNORECASE,
)


def headline_of(blocks: list[str]) -> str | None:
    """The first block of a plain text when it reads as a headline, else ``None``."""
    if len(blocks) < 2:
        return None
    first = blocks[0].strip()
    if "\n" in first:
        return None
    words = first.split()
    if not HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS:
        return None
    if _HEADLINE_END.search(first) or not (
        first[0].isupper() or first[0] in "\"'‘“" or first[0].isdigit()
    ):
        return None
    if (
        classify_line(first) is not None
        or _DATE_LINE.fullmatch(first)
        or date_line(first) is not None
    ):
        return None
    return first


def article_from_text(
    text: str, source: str, origin: Origin | None = None, **metadata: Any
) -> Article:
    """Build an article from plain text (optional header block, then paragraphs).

    Keyword metadata (title, url, site, author, published, language) wins over the
    header. Without a title, a first line that reads as a headline
    (:func:`headline_of`) is the title and leaves the text; credit lines fill the outlet,
    byline and date lines the author and date (:func:`unspin.ingest.clean.clean_lines`),
    and so does a bare date line ("March 3, 2024", "2024-03-03", "Tuesday 3 March 2024
    14:05 GMT") at the top of the text, before its first line of text; both leave the
    text with their reason. Raises :class:`InputError` when no article text remains.
    """
    if not text.strip():
        raise InputError(source, "empty file")
    header, body = split_header(text)
    meta: dict[str, Any] = {**header, **{k: v for k, v in metadata.items() if v is not None}}
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [b for b in blocks if b.strip()]
    if not meta.get("title"):
        headline = headline_of(blocks)
        if headline is not None:
            meta["title"] = normalize(headline)
    return _build(blocks, source, origin or Origin("text", source), meta, leading_dates=True)


def article_from_html(
    html: str, source: str, origin: Origin | None = None, url: str | None = None, **metadata: Any
) -> Article:
    """Extract and clean the article of one HTML page (trafilatura + line clean-up).

    Metadata given here (e.g. from a feed entry) fills what the page lacks.
    """
    if not html.strip():
        raise InputError(source, "empty file")
    extracted = extract_html(html, url=url)
    if extracted is None:
        if not re.search(r"<\s*(html|body|p|div|article)\b", html, re.IGNORECASE):
            raise InputError(source, "not HTML: no article markup found")
        raise InputError(source, "no article text found in the HTML page")
    meta: dict[str, Any] = {
        "title": extracted.title,
        "url": extracted.url,
        "site": extracted.site,
        "author": extracted.author,
        "published": extracted.published,
        "language": extracted.language,
    }
    for key, value in metadata.items():
        if value is not None and not meta.get(key):
            meta[key] = value
    return _build(
        extracted.text.split("\n"),
        source,
        origin or Origin("file", source),
        meta,
        extracted.link_texts,
    )


_BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "td",
    "dd",
    "figcaption",
}


def fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed's ``content:encoded``), scripts dropped."""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return [fragment]
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    paras: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()):
                continue
            text = el.text_content().strip()
            if text:
                paras.append(text)
    if not paras:
        text = root.text_content().strip()
        paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paras


def article_from_fragment(fragment: str, source: str, origin: Origin, **metadata: Any) -> Article:
    """Build an article from an HTML fragment plus metadata (feed entries)."""
    paras = fragment_paragraphs(fragment)
    meta = {k: v for k, v in metadata.items() if k in _META_FIELDS}
    return _build(paras, source, origin, meta)
