"""Credit lines that name a wire agency or a press release: the common source of copies.

When two outlets run the same wire story, neither is the source of the other: both copy
the agency's text, which the store does not hold. The agency is named in a dateline or
credit line: "PORT ALLEN (AP) —", "(Reuters)", "— AFP", "Associated Press", "PA Media",
"dpa", "— Press release". :func:`credited_source` finds it.

A republication credits its source the same way, or by linking to it:
:func:`credits_source` says whether (and how) a copy credits one named outlet — a link
to the original or its site, the outlet or author named, an "originally published"
line — which ``unspin watch`` needs to tell a credited republication from a copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

__all__ = ["credited_source", "credits_source"]

# Each agency's canonical name and the patterns that credit it. Case matters for the
# short ones ("AP", "AFP", "dpa" read as words in prose otherwise).
_AGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Associated Press",
        re.compile(r"\((?:AP|The Associated Press)\)|\bAssociated Press\b|^AP\b|\bAP\s*[—–-]\s"),
    ),
    ("Reuters", re.compile(r"\(Reuters\)|\bReuters\b")),
    ("AFP", re.compile(r"\(AFP\)|\bAFP\b|\bAgence France-Presse\b")),
    ("PA Media", re.compile(r"\bPA Media\b|\(PA\)|\bPress Association\b")),
    ("dpa", re.compile(r"\(dpa\)|\bdpa\b|\bDeutsche Presse-Agentur\b")),
    ("press release", re.compile(r"(?i)\bpress release\b|\bPR Newswire\b|\bBusiness Wire\b")),
)
# Credit lines and datelines stand at the top or the bottom of a story.
_EDGE_CHARS = 400


def credited_source(text: str) -> str | None:
    """The wire agency (or "press release") a text credits at its top or bottom, if any.

    Example:
        >>> credited_source("PORT ALLEN (AP) - Heavy rain flooded the harbour...")
        'Associated Press'
    """
    edges = text[:_EDGE_CHARS] + "\n" + text[-_EDGE_CHARS:]
    for name, pattern in _AGENCIES:
        if pattern.search(edges):
            return name
    return None


# "Originally published by …", "This article first appeared on …", "Republished from …
# under a Creative Commons licence", "Reprinted with permission from …".
_REPUBLISHED = re.compile(
    r"(?i)\b(?:originally|first)\s+(?:published|appeared|ran|posted)\b"
    r"|\brepublished\s+(?:here\s+)?(?:with\s+permission\s+)?(?:from|under|courtesy)\b"
    r"|\breprinted\s+(?:with\s+permission\s+)?from\b"
)
# Names shorter than this are not matched in prose ("AP" is handled above; a two-letter
# outlet name would match too many words).
_MIN_NAME_CHARS = 4


def _url_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path.rstrip("/")


def _names_in(text: str, names: Sequence[str]) -> str | None:
    for name in names:
        name = name.strip()
        if len(name) < _MIN_NAME_CHARS:
            continue
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.I):
            return name
    return None


def credits_source(
    text: str,
    *,
    names: Sequence[str] = (),
    urls: Sequence[str] = (),
    domains: Sequence[str] = (),
    links: Sequence[str] = (),
) -> str | None:
    """How ``text`` (a copy, with its page's ``links``) credits a source, or None.

    Args:
        text: the copy's text, credit lines included (boilerplate lines count: a credit
            line is often one).
        names: the source's outlet names and author.
        urls: the source article's URLs.
        domains: the source's own domains (a link to its home page credits it too).
        links: the copy page's outgoing links (and canonical URL).

    Returns:
        ``"links to URL"``, ``"names NAME"`` or ``"'originally published' line names
        NAME"``; None when the copy names and links to nothing of the source.

    Example:
        >>> credits_source("Rain fell. Originally published by The Gazette.", names=["The Gazette"])
        "'originally published' line names The Gazette"
    """
    article_keys = {_url_key(u) for u in urls if u}
    own_hosts = {d.lower().removeprefix("www.") for d in domains if d}
    own_hosts |= {host for host, _ in article_keys if host}
    found = [*links, *re.findall(r"https?://[^\s)\]>\"']+", text)]
    for link in found:
        key = _url_key(link)
        if (
            key in article_keys
            or key[0] in own_hosts
            or any(key[0].endswith("." + h) for h in own_hosts)
        ):
            return f"links to {link}"
    names = [*names, *sorted(own_hosts)]  # "first appeared on gazette.example" names it too
    for m in _REPUBLISHED.finditer(text):
        line = text[m.start() : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)]
        named = _names_in(line, names)
        if named:
            return f"'originally published' line names {named}"
    named = _names_in(text, names)
    if named:
        return f"names {named}"
    return None
