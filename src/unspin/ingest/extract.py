"""HTML → article text (trafilatura) and metadata (page head, one parse).

The page is parsed once with lxml. Metadata comes from the page head (Open Graph,
``<meta>`` names, JSON-LD, ``<time>``), which gives the full publication time where
trafilatura keeps only the day; htmldate is the fallback for pages without any. The
body text comes from trafilatura on the same tree. Reading the head ourselves instead of
``with_metadata=True`` halves our overhead beyond extraction (bench/ingest_speed.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from unspin.ingest.dates import parse_datetime

__all__ = ["Extracted", "extract_html", "link_key", "link_texts", "page_metadata"]


@dataclass(frozen=True)
class Extracted:
    """What extraction found in one page, before clean-up."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: datetime | None = None
    language: str | None = None
    link_texts: frozenset[str] = frozenset()


_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "publish-date",
    "article.published",
)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "headline", "sailthru.title")
_AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "byl",
    "sailthru.author",
    "parsely-author",
)
_SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher")


def _meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        value = (meta.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _jsonld(tree: lxml_html.HtmlElement, field: str) -> str | None:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        m = re.search(rf'"{field}"\s*:\s*"([^"]+)"', script.text)
        if m:
            return m.group(1)
        if field == "author":
            m = re.search(r'"author"\s*:\s*[\[{][^\]}]*?"name"\s*:\s*"([^"]+)"', script.text)
            if m:
                return m.group(1)
    return None


def page_metadata(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Title, author, site, published, url and language as the page head states them."""
    meta = _meta(tree)
    out: dict[str, str] = {}
    for key in _PUBLISHED_META:
        if key in meta:
            out["published"] = meta[key]
            break
    else:
        value = _jsonld(tree, "datePublished")
        if value:
            out["published"] = value
        else:
            for time_el in tree.iterfind(".//time"):
                if time_el.get("datetime"):
                    out["published"] = time_el.get("datetime", "")
                    break
    for field, keys in (("title", _TITLE_META), ("author", _AUTHOR_META), ("site", _SITE_META)):
        for key in keys:
            if key in meta and not meta[key].startswith("http"):
                out[field] = meta[key]
                break
    if "author" not in out:
        value = _jsonld(tree, "author")
        if value:
            out["author"] = value
    if "title" not in out:
        h1 = tree.find(".//h1")
        title_el = tree.find(".//title")
        if h1 is not None and h1.text_content().strip():
            out["title"] = h1.text_content().strip()
        elif title_el is not None and (title_el.text or "").strip():
            out["title"] = (title_el.text or "").strip()
    canonical = tree.find(".//link[@rel='canonical']")
    if canonical is not None and (canonical.get("href") or "").startswith("http"):
        out["url"] = canonical.get("href", "")
    elif meta.get("og:url", "").startswith("http"):
        out["url"] = meta["og:url"]
    lang = tree.get("lang") or meta.get("og:locale") or meta.get("language") or ""
    if lang:
        out["language"] = lang.replace("_", "-").split("-")[0].lower()
    return out


def _strip_site_suffix(title: str, site: str | None) -> str:
    """'Headline | Site' → 'Headline' when the suffix names the site."""
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, _, tail = title.rpartition(sep)
        if head and site and tail.strip().lower() in site.lower():
            return head.strip()
    return title


def link_texts(tree: lxml_html.HtmlElement) -> frozenset[str]:
    """Normalised texts of the page's links that are long enough to pass for a line.

    A line of extracted text that is exactly a link's text is navigation or a
    "related stories" teaser, not reporting (link density 1).
    """
    found = set()
    for a in tree.iter("a"):
        raw = "".join(a.itertext())
        if " " not in raw.strip():
            continue
        text = link_key(raw)
        if " " in text:
            found.add(text)
    return frozenset(found)


def link_key(text: str) -> str:
    """The form in which a line and a link text are compared: words only, lower case."""
    return " ".join(re.findall(r"\w+", text.lower()))


def extract_html(html: str, url: str | None = None) -> Extracted | None:
    """Extract the article of one HTML page; None when the page holds no article text.

    Args:
        html: the page, already decoded.
        url: where it came from (resolves relative metadata, names the outlet).
    """
    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    head = page_metadata(tree)
    links = link_texts(tree)
    # trafilatura parses the page its own way (comments, encodings): give it the string.
    # favor_precision: +0.008 F1 over the default on the extraction benchmark
    # (bench/extraction_accuracy.py), recall unchanged to the third decimal.
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        with_metadata=False,
        include_tables=True,
        favor_precision=True,
    )
    body = doc.get("text") if isinstance(doc, dict) else (doc.text if doc is not None else None)
    if not body or not str(body).strip():
        return None
    published = parse_datetime(head.get("published"))
    if published is None:
        try:
            published = parse_datetime(find_date(tree, extensive_search=False, url=url))
        except (ValueError, TypeError, json.JSONDecodeError):
            published = None
    site = head.get("site")
    page_url = url or head.get("url")
    if not site and page_url:
        site = (urlsplit(page_url).hostname or "").removeprefix("www.") or None
    title = head.get("title")
    return Extracted(
        text=str(body),
        title=_strip_site_suffix(title, site) if title else None,
        author=head.get("author"),
        site=site,
        url=page_url,
        published=published,
        language=head.get("language"),
        link_texts=links,
    )
