"""Alerts: another outlet's copy of an own article, with the licence verdict and evidence.

An own article is one seen at a URL under an own outlet (``--own``). :func:`raise_alerts`
walks the stored copy relations from every own article — a copy of a copy counts too —
and every verbatim appearance of an own text at another URL, and stores one alert per
(own article, copy, copy URL) the first time it is found; its id hashes the three, so
no alert is raised twice, whatever runs or restarts in between.

Each alert carries a verdict from the source's licence and the copy's credit:

=====================================  ==================================================
verdict                                when
=====================================  ==================================================
``copy of an all-rights-reserved work`` the source states no open licence (or reserves
                                        all rights): any copy needs permission
``derivative of a no-derivatives work`` an edited, spun or rewritten copy of a ``-ND``
                                        work (any edit breaches the licence)
``uncredited copy``                     an openly licensed work copied without credit
``credited republication``              an openly licensed work copied with credit (a
                                        verbatim copy of a CC BY-ND work included)
=====================================  ==================================================
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from unspin.model import COPY_KINDS, Article, Relation
from unspin.provenance.credit import credits_source
from unspin.store import Store
from unspin.watch.config import OwnOutlet, is_own_url
from unspin.watch.licence import LICENCE_NAMES, allows_derivatives, is_open, licence_code

__all__ = [
    "Alert",
    "VERDICTS",
    "alert_from_row",
    "find_alerts",
    "raise_alerts",
    "verdict",
]

CREDITED = "credited republication"
UNCREDITED = "uncredited copy"
DERIVATIVE = "derivative of a no-derivatives work"
RESERVED = "copy of an all-rights-reserved work"
VERDICTS = (CREDITED, UNCREDITED, DERIVATIVE, RESERVED)
# Evidence kept on an alert: the first swaps and one aligned passage, enough to judge
# it at a glance; the full alignment is one `unspin trace` away.
MAX_SWAPS = 20
MAX_PASSAGE_CHARS = 400


@dataclass(frozen=True)
class Alert:
    """One copy of an own article found on another outlet.

    Attributes:
        id: stable id (hash of source, copy and copy URL).
        kind: ``duplicate``, ``edited_copy``, ``spun_copy`` or ``rewritten_copy``.
        source: the own article's id; ``copy``: the copy's id (the same for a verbatim
            republication of the very text).
        via: the copy's direct source when it copies a copy of the own article.
        credited: whether the copy credits the own outlet (``credit`` says how).
        licence: the own article's licence code (None: none stated).
        verdict: one of :data:`VERDICTS`.
        evidence: coverage, reused, substitution rate, swaps and an aligned passage.
    """

    id: str
    kind: str
    source: str
    copy: str
    source_url: str | None
    copy_url: str
    outlet: str | None
    first_seen: str | None
    credited: bool
    credit: str | None
    licence: str | None
    licence_evidence: str | None
    verdict: str
    via: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    raised_at: str | None = None
    delivered_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (documented in docs/watch.md)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "source": self.source,
            "copy": self.copy,
            "source_url": self.source_url,
            "copy_url": self.copy_url,
            "outlet": self.outlet,
            "first_seen": self.first_seen,
            "raised_at": self.raised_at,
            "credited": self.credited,
            "credit": self.credit,
            "licence": self.licence,
            "licence_name": LICENCE_NAMES.get(self.licence or "", None),
            "licence_evidence": self.licence_evidence,
            "verdict": self.verdict,
            "via": self.via,
            "evidence": self.evidence,
            "delivered": self.delivered_at is not None,
        }


def verdict(kind: str, licence: str | None, credited: bool) -> str:
    """The verdict for a copy of a work under ``licence`` (see the module docstring)."""
    if not is_open(licence):
        return RESERVED
    if kind != "duplicate" and not allows_derivatives(licence):
        return DERIVATIVE
    return CREDITED if credited else UNCREDITED


def _iso(sqlite_time: str | None) -> str | None:
    if not sqlite_time:
        return None
    return sqlite_time.replace(" ", "T") + ("" if "+" in sqlite_time else "+00:00")


def _alert_id(source: str, copy: str, copy_url: str) -> str:
    return hashlib.sha256(f"{source}\n{copy}\n{copy_url}".encode()).hexdigest()[:20]


def _evidence(rel: Relation | None, copy: Article) -> dict[str, Any]:
    if rel is None:  # the very text at another URL
        return {
            "coverage": 1.0,
            "reused": 1.0,
            "substitution_rate": 0.0,
            "swaps": [],
            "passage": copy.text[:MAX_PASSAGE_CHARS],
        }
    passage = ""
    if rel.passages:
        best = max(rel.passages, key=lambda p: p.copy_end - p.copy_start)
        passage = copy.text[best.copy_start : best.copy_end][:MAX_PASSAGE_CHARS]
    elif rel.sentences:
        best_s = max(rel.sentences, key=lambda s: s.copy_end - s.copy_start)
        passage = copy.text[best_s.copy_start : best_s.copy_end][:MAX_PASSAGE_CHARS]
    return {
        "coverage": round(rel.coverage, 3),
        "reused": round(rel.reused, 3),
        "substitution_rate": round(rel.substitution_rate, 3),
        "swaps": [{"source": s.source, "copy": s.copy} for s in rel.substitutions[:MAX_SWAPS]],
        "n_swaps": len(rel.substitutions),
        "passage": passage,
    }


@dataclass
class _Own:
    """What the store and config say about the own outlets."""

    outlets: list[OwnOutlet]
    urls: dict[str, list[str]]  # own article id -> its own URLs
    copies_at: dict[str, list[tuple[str, str | None, str]]]  # id -> (url, site, first seen)

    @property
    def prefixes(self) -> list[str]:
        return [o.prefix for o in self.outlets]

    def outlet_of(self, url: str) -> OwnOutlet | None:
        for outlet in self.outlets:
            if is_own_url(url, [outlet.prefix]):
                return outlet
        return None


def _read_own(store: Store, outlets: Sequence[OwnOutlet]) -> _Own:
    prefixes = [o.prefix for o in outlets]
    own = _Own(list(outlets), {}, {})
    for article_id, url, site, first_seen in store.all_appearances():
        if is_own_url(url, prefixes):
            own.urls.setdefault(article_id, []).append(url)
        else:
            own.copies_at.setdefault(article_id, []).append((url, site, first_seen))
    return own


def find_alerts(store: Store, outlets: Sequence[OwnOutlet]) -> list[Alert]:
    """Every alert the store holds evidence for now (stored or not), in a stable order."""
    if not outlets:
        return []
    own = _read_own(store, outlets)
    found: list[Alert] = []
    for own_id in sorted(own.urls, key=lambda i: own.urls[i][0]):
        # (copy id, the relation that made it a copy, its direct source) in BFS order
        reached: list[tuple[str, Relation | None, str | None]] = [(own_id, None, None)]
        visited = {own_id}
        frontier = [own_id]
        while frontier:
            nxt: list[str] = []
            for parent in frontier:
                for rel in store.relations_of(parent, kinds=sorted(COPY_KINDS)):
                    if rel.source_id != parent or rel.common_source or rel.copy_id in visited:
                        continue
                    if rel.copy_id in own.urls:  # the publisher's own version
                        continue
                    visited.add(rel.copy_id)
                    reached.append((rel.copy_id, rel, parent if parent != own_id else None))
                    nxt.append(rel.copy_id)
            frontier = nxt
        if len(reached) == 1 and own_id not in own.copies_at:
            continue
        source = store.get_article(own_id)
        found.extend(_alerts_for(store, own, source, reached))
    return found


def _alerts_for(
    store: Store, own: _Own, source: Article, reached: list[tuple[str, Relation | None, str | None]]
) -> list[Alert]:
    own_urls = own.urls[source.id]
    outlet = own.outlet_of(own_urls[0])
    pages = {p.url: p for p in store.watched_pages([source.id, *(r[0] for r in reached)])}
    licence, licence_evidence = None, None
    if outlet is not None and outlet.licence:
        licence = licence_code(outlet.licence)
        licence_evidence = f"configured for {outlet.prefix}"
    if licence is None:
        for url in own_urls:
            page = pages.get(url)
            if page is not None and page.licence:
                licence, licence_evidence = page.licence, page.licence_evidence
                break
    names = [n for n in (outlet.name if outlet else None, source.site, source.author) if n]
    domains = [urlsplit(u).hostname or "" for u in own_urls]
    domains += [p for p in own.prefixes if "://" not in p]
    alerts: list[Alert] = []
    for copy_id, rel, via in reached:
        places = own.copies_at.get(copy_id, [])
        if not places:
            continue
        copy = source if copy_id == source.id else store.get_article(copy_id)
        kind = rel.kind if rel is not None else "duplicate"
        credit_text = copy.text + "\n" + "\n".join(b.text for b in copy.boilerplate)
        for url, site, first_seen in places:
            page = pages.get(url)
            links = page.links if page is not None else ()
            credit = credits_source(
                credit_text, names=names, urls=own_urls, domains=domains, links=links
            )
            alerts.append(
                Alert(
                    id=_alert_id(source.id, copy_id, url),
                    kind=kind,
                    source=source.id,
                    copy=copy_id,
                    source_url=own_urls[0],
                    copy_url=url,
                    outlet=site or (urlsplit(url).hostname or "").removeprefix("www.") or None,
                    first_seen=_iso(first_seen),
                    credited=credit is not None,
                    credit=credit,
                    licence=licence,
                    licence_evidence=licence_evidence,
                    verdict=verdict(kind, licence, credit is not None),
                    via=via,
                    evidence=_evidence(rel, copy),
                )
            )
    return alerts


def raise_alerts(store: Store, outlets: Sequence[OwnOutlet]) -> list[Alert]:
    """Store the alerts not stored yet; return them (as stored), oldest first."""
    candidates = find_alerts(store, outlets)
    rows = []
    for a in candidates:
        data = a.to_dict()
        for key in ("id", "kind", "source", "copy", "copy_url", "raised_at", "delivered"):
            data.pop(key)
        rows.append((a.id, a.kind, a.source, a.copy, a.copy_url, data))
    new_ids = store.put_alerts(rows)
    if not new_ids:
        return []
    stored = {r["id"]: alert_from_row(r) for r in store.alert_rows(ids=new_ids)}
    return [stored[i] for i in new_ids]


def alert_from_row(row: dict[str, Any]) -> Alert:
    """An :class:`Alert` from a stored row (:meth:`Store.alert_rows`)."""
    data = row["data"]
    return Alert(
        id=row["id"],
        kind=row["kind"],
        source=row["source_id"],
        copy=row["copy_id"],
        source_url=data.get("source_url"),
        copy_url=row["copy_url"],
        outlet=data.get("outlet"),
        first_seen=data.get("first_seen"),
        credited=bool(data.get("credited")),
        credit=data.get("credit"),
        licence=data.get("licence"),
        licence_evidence=data.get("licence_evidence"),
        verdict=data.get("verdict", ""),
        via=data.get("via"),
        evidence=data.get("evidence") or {},
        raised_at=_iso(row["raised_at"]),
        delivered_at=_iso(row["delivered_at"]),
    )
