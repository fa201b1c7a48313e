"""Webhook delivery: each alert POSTed once as JSON, signed, retried on failure.

The body is ``{"alert": {...}}`` (the fields of ``unspin alerts --json``). With a secret,
the header ``X-Unspin-Signature: sha256=<hex>`` carries the HMAC-SHA256 of the exact body
bytes under the secret, as GitHub signs its webhooks; the receiver recomputes it to
know the POST came from this watch. ``X-Unspin-Alert`` names the alert id, so a
receiver can drop a repeat if a delivery's answer was lost on the way back.

A delivery counts when the receiver answers 2xx. Connection errors, timeouts, 429 and
5xx are retried (``attempts`` per cycle, the wait doubling from ``backoff`` seconds and
honouring ``Retry-After``); an alert still undelivered waits for the next cycle. Other
4xx answers are the receiver refusing the alert: recorded, and retried next cycle too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from unspin.ingest.fetch import check_url
from unspin.store import Store
from unspin.watch.alerts import Alert
from unspin.watch.config import WatchOptions
from unspin.watch.crawl import parse_retry_after

__all__ = ["DeliveryReport", "deliver", "sign"]

SIGNATURE_HEADER = "X-Unspin-Signature"
ALERT_HEADER = "X-Unspin-Alert"
# A Retry-After from the receiver is honoured up to this many seconds within one cycle;
# a longer wait is left to the next cycle.
MAX_WEBHOOK_WAIT_S = 30.0


@dataclass
class DeliveryReport:
    """What one delivery round did."""

    delivered: int = 0
    failed: int = 0
    attempts: int = 0
    last_error: str | None = None


def sign(body: bytes, secret: str) -> str:
    """The signature header value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def deliver(
    store: Store,
    alerts: Sequence[Alert],
    options: WatchOptions,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """POST each alert in ``alerts`` (undelivered ones) to ``options.webhook``.

    Raises:
        FetchError: the webhook URL is refused by the SSRF guard (checked once, before
            any alert is sent).
    """
    report = DeliveryReport()
    url = options.webhook
    if not url or not alerts:
        return report
    check_url(url, allow_private=options.fetch.allow_private, allow_hosts=options.fetch.allow_hosts)
    headers = {"Content-Type": "application/json", "User-Agent": options.fetch.user_agent}
    with httpx.Client(timeout=options.fetch.timeout, follow_redirects=False) as client:
        for alert in alerts:
            body = json.dumps({"alert": alert.to_dict()}, ensure_ascii=False).encode()
            sent = dict(headers)
            sent[ALERT_HEADER] = alert.id
            if options.webhook_secret:
                sent[SIGNATURE_HEADER] = sign(body, options.webhook_secret)
            error: str | None = "not attempted"
            wait = options.webhook_backoff
            for attempt in range(max(1, options.webhook_attempts)):
                report.attempts += 1
                retry_after: float | None = None
                try:
                    resp = client.post(url, content=body, headers=sent)
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                else:
                    if 200 <= resp.status_code < 300:
                        error = None
                        break
                    error = f"HTTP {resp.status_code}"
                    if not _retryable(resp.status_code):
                        break
                    retry_after = parse_retry_after(resp.headers.get("retry-after"), time.time())
                if attempt + 1 < options.webhook_attempts:
                    pause = wait if retry_after is None else retry_after
                    if pause > MAX_WEBHOOK_WAIT_S:
                        break
                    sleep(pause)
                    wait *= 2
            store.mark_alert_delivery(alert.id, error=error)
            if error is None:
                report.delivered += 1
            else:
                report.failed += 1
                report.last_error = f"{url}: {error}"
    return report
