"""Commands of the watch: watch (poll feeds and sitemaps, raise alerts) and alerts."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.table import Table

from unspin.cli._app import (
    JSON_OPTION,
    app,
    console,
    err_console,
    errors_as_exit,
    open_store,
    print_json,
)
from unspin.ingest import FetchOptions
from unspin.pipeline import PipelineConfig
from unspin.watch import Alert, WatchReport
from unspin.watch.config import HOST_DELAY_S, POLL_INTERVAL_S

SECRET_ENV = "UNSPIN_WEBHOOK_SECRET"


def alert_line(alert: Alert) -> str:
    """One line per alert: verdict, kind, the copy's URL and outlet, the own article."""
    credit = f"credited ({alert.credit})" if alert.credited else "not credited"
    return (
        f"ALERT {alert.verdict}: {alert.kind} of {alert.source} at {alert.copy_url} "
        f"({alert.outlet or 'unknown outlet'}; {credit})"
    )


@app.command()
def watch(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        None, help="RSS/Atom feed, sitemap or news-sitemap URLs (remembered for later runs)."
    ),
    own: list[str] = typer.Option(
        [],
        "--own",
        metavar="DOMAIN_OR_URL_PREFIX",
        help="One of your own outlets (repeatable): copies of its articles raise alerts.",
    ),
    config: Path = typer.Option(
        None, "--config", help="TOML file with feeds, own outlets (name, licence) and pages."
    ),
    pages: Path = typer.Option(
        None, "--pages", help="File listing page URLs (one a line) to read once each."
    ),
    once: bool = typer.Option(False, "--once", help="Poll once and exit (for cron)."),
    interval: float = typer.Option(
        None, "--interval", min=1.0, help=f"Seconds between polls (default {POLL_INTERVAL_S:g})."
    ),
    host_delay: float = typer.Option(
        HOST_DELAY_S, "--host-delay", min=0.0, help="Least seconds between requests to one host."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow URLs on private, loopback and link-local addresses."
    ),
    timeout: float = typer.Option(15.0, "--timeout", help="Seconds before a request gives up."),
    webhook: str = typer.Option(
        None, "--webhook", help="POST each new alert as JSON to this URL (retried, signed)."
    ),
    ignore_robots: bool = typer.Option(
        False, "--ignore-robots", help="Do not read robots.txt (only for your own servers)."
    ),
    no_stories: bool = typer.Option(
        False, "--no-stories", help="Do not assign new articles to stories (faster)."
    ),
    no_claims: bool = typer.Option(
        False, "--no-claims", help="Do not extract claims from new articles (faster)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Follow feeds and sitemaps; alert when another outlet copies, spins or republishes yours.

    Prints one line per new alert (verdict, kind, copy URL, outlet, credit). The webhook
    secret for the X-Unspin-Signature header is read from $UNSPIN_WEBHOOK_SECRET. Exits 1
    when a source failed (the others are still read).
    """
    from unspin.watch import WatchOptions, load_config, own_outlet, read_pages_file

    with errors_as_exit():
        cfg = load_config(config) if config else None
        outlets = [own_outlet(o) for o in own] + list(cfg.own if cfg else ())
        urls = list(sources or []) + list(cfg.feeds if cfg else ())
        page_urls: list[str] = []
        for path in ([pages] if pages else []) + list(cfg.pages if cfg else ()):
            page_urls.extend(read_pages_file(path))
        options = WatchOptions(
            fetch=FetchOptions(timeout=timeout, allow_private=allow_private),
            host_delay=host_delay,
            interval=interval or (cfg.interval if cfg and cfg.interval else POLL_INTERVAL_S),
            robots=not ignore_robots,
            webhook=webhook or (cfg.webhook if cfg else None),
            webhook_secret=os.environ.get(SECRET_ENV) or None,
        )
    pipeline = PipelineConfig(stories=not no_stories, claims=not no_claims)
    u = open_store(ctx, create=True)
    failed: list[str] = []

    def on_cycle(report: WatchReport) -> None:
        if json_out:
            print_json(report.to_dict())
        else:
            for alert in report.alerts:
                console.print(alert_line(alert), markup=False, highlight=False)
        for src in report.sources:
            if src.status in ("failed", "refused"):
                failed.append(f"{src.url}: {src.error}")
                err_console.print(f"unspin: {src.url}: {src.error}", markup=False)
            elif src.status == "deferred":
                err_console.print(f"unspin: {src.url}: deferred ({src.error})", markup=False)
        for url, reason in report.failed_pages:
            err_console.print(f"unspin: {url}: {reason}", markup=False)
        if report.delivery and report.delivery.last_error:
            err_console.print(
                f"unspin: webhook: {report.delivery.failed} not delivered "
                f"({report.delivery.last_error})",
                markup=False,
            )
        err_console.print(
            f"polled {len(report.sources)} sources: {report.new_articles} new articles, "
            f"{len(report.alerts)} new alerts, {report.requests} requests "
            f"({report.not_modified} not modified)",
            style="dim",
        )

    with errors_as_exit(), u, err_console.status("watching…") as status:

        def on_event(kind: str, detail: str) -> None:
            status.update(f"{kind}: {detail}")

        try:
            u.watch(
                urls,
                own=outlets,
                pages=page_urls,
                options=options,
                pipeline=pipeline,
                cycles=1 if once else None,
                on_event=on_event,
                on_cycle=on_cycle,
            )
        except KeyboardInterrupt:
            return
    if failed:
        raise typer.Exit(1)


@app.command()
def alerts(
    ctx: typer.Context,
    undelivered: bool = typer.Option(
        False, "--undelivered", help="Only alerts the webhook has not taken yet."
    ),
    limit: int = typer.Option(None, "--limit", min=1, help="At most this many (newest first)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List the alerts the watch raised: copies of your articles on other outlets."""
    u = open_store(ctx)
    with errors_as_exit(), u:
        found = u.alerts(undelivered=undelivered, limit=limit)
    if json_out:
        print_json([a.to_dict() for a in found])
        return
    if not found:
        console.print("no alerts yet (run `unspin watch FEED... --own YOUR_SITE --once`)")
        return
    table = Table(show_lines=False)
    for col in ("first seen", "verdict", "kind", "own article", "copy", "outlet", "credit"):
        table.add_column(col, overflow="fold")
    for a in found:
        table.add_row(
            (a.first_seen or "")[:16],
            a.verdict,
            a.kind,
            a.source[:12],
            a.copy_url,
            a.outlet or "",
            a.credit or "none",
        )
    console.print(table)
