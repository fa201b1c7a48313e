"""Commands for people who would rather look: ``unspin serve`` and ``unspin report``."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from unspin.api import default_db_path
from unspin.cli._app import app, console, errors_as_exit, fail, open_store, options


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (loopback by default)."
    ),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on.", min=0, max=65535),
    read_only: bool = typer.Option(
        False,
        "--read-only",
        help="Open the store read-only and switch off every form and API write.",
    ),
) -> None:
    """Serve the web app and JSON API over the store (stop with Ctrl-C).

    Set UNSPIN_TOKEN to require that token (as a bearer token, or once at /login) on
    every page and API call; do that before listening on anything but loopback.
    """
    import uvicorn

    from unspin.web import create_app

    db = options(ctx).db or default_db_path()
    with errors_as_exit():
        web_app = create_app(db, read_only=read_only)
    if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get("UNSPIN_TOKEN"):
        console.print(
            f"warning: serving {host} without UNSPIN_TOKEN: anyone who can reach it can read "
            + ("the store" if read_only else "and write the store"),
            style="yellow",
        )
    shown = f"[{host}]" if ":" in host else host
    console.print(f"unspin: serving {db} at http://{shown}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def report(
    ctx: typer.Context,
    story_id: str = typer.Argument(..., help="The story to write (its id)."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write.", dir_okay=False),  # noqa: B008
) -> None:
    """Write one story page as a single self-contained HTML file (mail it, archive it).

    The file has its styles inline and loads nothing from anywhere.
    """
    from unspin.report import write_story_report

    with open_store(ctx, read_only=True) as u, errors_as_exit():
        size = write_story_report(u, story_id, out)
    if size <= 0:
        raise fail(f"{out}: nothing written")
    console.print(f"wrote {out} ({size:,} bytes)")
