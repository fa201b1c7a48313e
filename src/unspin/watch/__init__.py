"""Watch: follow feeds and sitemaps, find copies of the publisher's own articles, judge them.

``config`` (own outlets, limits, TOML) → ``crawl`` (polite HTTP: robots.txt, per-host
delay, conditional GET, Retry-After) → ``feeds`` (RSS/Atom, sitemaps) → ``run`` (one
poll cycle: ingest, pipeline, alerts) → ``alerts`` (licence × credit → verdict, read by
``licence``) → ``webhook`` (signed delivery). See docs/watch.md.
"""

from __future__ import annotations

from unspin.watch.alerts import VERDICTS, Alert, alert_from_row, raise_alerts, verdict
from unspin.watch.config import OwnOutlet, WatchConfig, WatchOptions, load_config, own_outlet
from unspin.watch.run import SourceResult, WatchReport, poll, read_pages_file

__all__ = [
    "VERDICTS",
    "Alert",
    "OwnOutlet",
    "SourceResult",
    "WatchConfig",
    "WatchOptions",
    "WatchReport",
    "alert_from_row",
    "load_config",
    "own_outlet",
    "poll",
    "raise_alerts",
    "read_pages_file",
    "verdict",
]
