"""The watch in the web app: the alerts page's data, the watch status and the Atom feed.

The Atom feed (``/alerts.atom``) lets a publisher follow alerts in any feed reader;
each entry is one alert, its id a ``urn:unspin:alert:`` URN that never changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from unspin import __version__
from unspin.api import Unspin
from unspin.web.schemas import AlertListPage, AlertView, WatchStatus

__all__ = ["alert_list", "alerts_atom", "watch_status"]

# Entries in the Atom feed: the newest alerts; a reader polling daily misses none
# unless a day brings more than this many.
ATOM_ENTRIES = 100


def alert_list(u: Unspin, *, offset: int = 0, limit: int = 20) -> AlertListPage:
    """One page of alerts, newest first."""
    items = [AlertView.model_validate(a.to_dict()) for a in u.alerts(limit=limit, offset=offset)]
    total = int(u.watch_status()["alerts"])
    return AlertListPage(
        items=items, total=total, offset=offset, limit=limit, more=offset + len(items) < total
    )


def watch_status(u: Unspin) -> WatchStatus:
    """Each watched source's last poll, the own outlets and the alert counts."""
    return WatchStatus.model_validate(u.watch_status())


def _summary(a: dict[str, Any]) -> str:
    ev = a["evidence"]
    credit = f"credited ({a['credit']})" if a["credited"] else "not credited"
    licence = a["licence_name"] or "no licence stated"
    return (
        f"{a['verdict']}: a {a['kind'].replace('_', ' ')} of {a['source_url'] or a['source']} "
        f"at {a['copy_url']} ({a['outlet'] or 'unknown outlet'}), {credit}; source licence: "
        f"{licence}. Coverage {ev.get('coverage', 0):.0%}, "
        f"substitution rate {ev.get('substitution_rate', 0):.0%}. "
        f"Passage: {ev.get('passage', '')}"
    )


def alerts_atom(u: Unspin, base_url: str) -> str:
    """The newest alerts as an Atom 1.0 feed (RFC 4287)."""
    alerts = [a.to_dict() for a in u.alerts(limit=ATOM_ENTRIES)]
    updated = alerts[0]["raised_at"] if alerts else datetime.now(UTC).isoformat(timespec="seconds")
    base = base_url.rstrip("/")
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>unspin alerts</title>",
        "<id>urn:unspin:alerts</id>",
        f"<updated>{escape(updated)}</updated>",
        f'<link rel="self" href={quoteattr(base + "/alerts.atom")}/>',
        f'<link rel="alternate" href={quoteattr(base + "/alerts")}/>',
        f'<generator version="{escape(__version__)}">unspin</generator>',
    ]
    for a in alerts:
        title = f"{a['verdict']}: {a['kind'].replace('_', ' ')} at {a['outlet'] or a['copy_url']}"
        parts += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f"<id>urn:unspin:alert:{escape(a['id'])}</id>",
            f"<updated>{escape(a['raised_at'] or updated)}</updated>",
            f"<published>{escape(a['first_seen'] or a['raised_at'] or updated)}</published>",
            f"<link href={quoteattr(a['copy_url'])}/>",
            f"<category term={quoteattr(a['verdict'])}/>",
            f"<summary>{escape(_summary(a))}</summary>",
            "<author><name>unspin watch</name></author>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
