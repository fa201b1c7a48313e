"""The Jinja2 environment shared by the web app and the static report.

Autoescape is on for every template (``.html`` or not): article text reaches a page only
through ``{{ … }}`` and is escaped there. Templates take a ``link(path)`` function: the
app makes site paths of it, the static report (``standalone``) makes ``None`` so the
template prints plain text instead of a dead link.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

__all__ = ["STATIC_DIR", "TEMPLATE_DIR", "environment", "inline_css", "render"]

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

Link = Callable[[str], "str | None"]


def _percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f} %"


def _date(value: str | None) -> str:
    """An ISO timestamp as ``2019-01-04 06:00`` (date only when the time is midnight)."""
    if not value:
        return "date unknown"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.hour == 0 and when.minute == 0:
        return when.strftime("%Y-%m-%d")
    return when.strftime("%Y-%m-%d %H:%M")


def _http_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) URL, else ``None``: a ``javascript:`` or ``data:``
    address from an untrusted article must never become a link."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _marked(sentence: str, marks: list[tuple[int, int]]) -> markupsafe.Markup:
    """A source's sentence with the claim's words in ``<mark>``; every piece escaped."""
    out: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end > len(sentence):
            continue
        out += [str(markupsafe.escape(sentence[at:start])), "<mark>"]
        out += [str(markupsafe.escape(sentence[start:end])), "</mark>"]
        at = end
    out.append(str(markupsafe.escape(sentence[at:])))
    return markupsafe.Markup("".join(out))


def _short(article_id: str | None) -> str:
    return (article_id or "")[:10]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment (built once per process; it holds no request state)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = _percent
    env.filters["date"] = _date
    env.filters["short"] = _short
    env.filters["marked"] = _marked
    env.filters["http_url"] = _http_url
    return env


@lru_cache(maxsize=1)
def inline_css() -> str:
    """The stylesheet's text, for pages that must not load anything (the static report)."""
    return (STATIC_DIR / "unspin.css").read_text(encoding="utf-8")


def render(template: str, context: dict[str, Any]) -> str:
    """Render ``template`` with ``context``; ``link``, ``standalone`` etc. must be in it."""
    return environment().get_template(template).render(**context)
