"""The licence a page states, and the links it holds (for credit).

:func:`read_page` reads, from one HTML page or feed fragment, in this order of trust:

1. ``<link rel="license">`` / ``<a rel="license">`` (the Creative Commons markup);
2. a Creative Commons badge image (``licensebuttons.net/l/by-nd/4.0/88x31.png``);
3. page metadata: ``<meta name="license|dcterms.license|dc.rights|copyright">``,
   JSON-LD ``"license"``;
4. the visible text: "Creative Commons Attribution-NoDerivatives 4.0", "CC BY-ND",
   "All rights reserved".

Licences are named by short codes: ``cc0``, ``public-domain``, ``cc-by``, ``cc-by-sa``,
``cc-by-nd``, ``cc-by-nc``, ``cc-by-nc-sa``, ``cc-by-nc-nd`` and
``all-rights-reserved``; :func:`licence_code` maps a configured name or URL to one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import html as lxml_html
from lxml.etree import ParserError

__all__ = [
    "LICENCE_NAMES",
    "PageSignals",
    "allows_derivatives",
    "is_open",
    "licence_code",
    "read_page",
]

LICENCE_NAMES = {
    "cc0": "CC0 (public domain dedication)",
    "public-domain": "public domain",
    "cc-by": "CC BY",
    "cc-by-sa": "CC BY-SA",
    "cc-by-nd": "CC BY-ND",
    "cc-by-nc": "CC BY-NC",
    "cc-by-nc-sa": "CC BY-NC-SA",
    "cc-by-nc-nd": "CC BY-NC-ND",
    "all-rights-reserved": "all rights reserved",
}

# creativecommons.org/licenses/by-nd/4.0/, licensebuttons.net/l/by-nc-sa/3.0/88x31.png
_CC_URL = re.compile(
    r"creativecommons\.org/(?:licenses|licences)/([a-z-]+)/|"
    r"(?:licensebuttons\.net|i\.creativecommons\.org)/l/([a-z-]+)/|"
    r"creativecommons\.org/publicdomain/(zero|mark)/",
    re.I,
)
# "CC BY-NC-ND 4.0", "Creative Commons Attribution-NonCommercial-NoDerivatives"
_CC_SHORT = re.compile(r"\bCC[ -]?(BY(?:[ -](?:NC|SA|ND)){0,2})\b", re.I)
_CC_LONG = re.compile(
    r"Creative\s+Commons\s+Attribution((?:[\s-]+(?:Non-?Commercial|Share-?Alike|No-?Deriv(?:ative)?s?))*)",
    re.I,
)
_CC_ZERO = re.compile(r"\bCC0\b|\bCC[ -]?Zero\b|public domain dedication", re.I)
_RESERVED = re.compile(r"\ball rights reserved\b", re.I)
_META_NAMES = ("license", "licence", "dcterms.license", "dc.rights", "dcterms.rights", "copyright")
# The visible text is searched only near the end of the page (footers, licence lines)
# and in the first few hundred characters (a licence banner): prose that merely
# mentions Creative Commons in the middle of a story is not the page's licence.
_TEXT_EDGE_CHARS = 1500


@dataclass(frozen=True)
class PageSignals:
    """What one page says about its licence, and where it links."""

    licence: str | None
    licence_evidence: str | None
    links: tuple[str, ...]


def _code_from_parts(parts: str) -> str | None:
    parts = parts.lower().strip("-")
    if parts in ("zero", "cc0"):
        return "cc0"
    if parts == "mark":
        return "public-domain"
    tokens = set(re.split(r"[\s-]+", parts))
    if "by" not in tokens:
        return None
    code = "cc-by"
    if "nc" in tokens:
        code += "-nc"
    if "sa" in tokens:
        code += "-sa"
    if "nd" in tokens:
        code += "-nd"
    return code


def licence_code(value: str) -> str | None:
    """The licence code of a name or URL ("CC BY-ND 4.0", a CC URL, "all rights reserved")."""
    value = value.strip()
    if value.lower() in LICENCE_NAMES:
        return value.lower()
    m = _CC_URL.search(value)
    if m:
        return _code_from_parts(next(g for g in m.groups() if g))
    if _CC_ZERO.search(value):
        return "cc0"
    m = _CC_SHORT.search(value)
    if m:
        return _code_from_parts(m.group(1))
    m = _CC_LONG.search(value)
    if m:
        long_parts = m.group(1).lower()
        code = "cc-by"
        if "commercial" in long_parts:
            code += "-nc"
        if "share" in long_parts:
            code += "-sa"
        if "deriv" in long_parts:
            code += "-nd"
        return code
    if _RESERVED.search(value) or "©" in value or value.lower().startswith("copyright"):
        return "all-rights-reserved"
    if re.search(r"\bpublic domain\b", value, re.I):
        return "public-domain"
    return None


def is_open(code: str | None) -> bool:
    """Whether a licence lets anyone republish the work (with or without credit)."""
    return code is not None and (code.startswith("cc") or code == "public-domain")


def allows_derivatives(code: str | None) -> bool:
    """Whether a licence lets anyone publish an edited version."""
    return is_open(code) and not (code or "").endswith("-nd")


def _jsonld_licence(tree: lxml_html.HtmlElement) -> str | None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except json.JSONDecodeError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                value = item.get("license") or item.get("copyrightNotice")
                if isinstance(value, str):
                    return value
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return None


def _find_licence(tree: lxml_html.HtmlElement) -> tuple[str | None, str | None]:
    for el in tree.xpath("//link[@href] | //a[@href]"):
        if "license" in (el.get("rel") or "").lower().split():
            code = licence_code(el.get("href", ""))
            if code:
                return code, f'rel="license" {el.get("href")}'
    for img in tree.xpath("//img[@src]"):
        m = _CC_URL.search(img.get("src", ""))
        if m:
            return licence_code(img.get("src", "")), f"licence badge {img.get('src')}"
    for meta in tree.xpath("//meta[@content]"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in _META_NAMES:
            code = licence_code(meta.get("content", ""))
            if code:
                return code, f'<meta name="{name}">'
    value = _jsonld_licence(tree)
    if value:
        code = licence_code(value)
        if code:
            return code, "JSON-LD license"
    for el in tree.xpath("//script | //style"):
        el.drop_tree()
    text = " ".join(tree.text_content().split())
    edges = text[:_TEXT_EDGE_CHARS] + " … " + text[-_TEXT_EDGE_CHARS:]
    for pattern in (_CC_LONG, _CC_SHORT, _CC_ZERO):
        m = pattern.search(edges)
        if m:
            return licence_code(m.group(0)), f"page text {m.group(0)!r}"
    m = _RESERVED.search(edges)
    if m:
        return "all-rights-reserved", f"page text {m.group(0)!r}"
    return None, None


def read_page(html: str, base_url: str | None = None) -> PageSignals:
    """The licence and outgoing links of a page (or feed fragment); none when unreadable."""
    try:
        tree = lxml_html.fromstring(html)
    except (ParserError, ValueError):
        return PageSignals(None, None, ())
    if base_url:
        tree.make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    links: list[str] = []
    for el in tree.xpath("//a[@href] | //link[@rel='canonical'][@href]"):
        href = el.get("href", "").strip()
        if href.startswith(("http://", "https://")):
            links.append(href)
    licence, evidence = _find_licence(tree)
    return PageSignals(licence, evidence, tuple(dict.fromkeys(links)))
