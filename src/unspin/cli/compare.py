"""``unspin compare STORY_ID`` and ``unspin claims ID``: what sources claim, side by side."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape
from rich.table import Table

from unspin.claims.render import LABEL_TITLES, to_html, to_markdown
from unspin.cli._app import JSON_OPTION, app, console, errors_as_exit, fail, open_store, print_json
from unspin.model import Comparison
from unspin.serialize import claim_to_dict, comparison_to_dict

_FORMATS = ("table", "markdown", "json", "html")
_STYLE = {"conflict": "bold red", "differ": "yellow", "agree": "green", "unique": "cyan"}


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    story_id: str = typer.Argument(
        None, help="Story id (from `unspin stories`).", show_default=False
    ),
    articles: str = typer.Option(
        None,
        "--articles",
        help="Compare these articles instead of a story: ID,ID,... (ids or prefixes).",
        show_default=False,
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help="Output: table, markdown, json or html."
    ),
    unique: bool = typer.Option(
        True, "--unique/--no-unique", help="Show claims only one source makes."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Compare what a story's sources claim: agreements, conflicts (with reasons), unique claims.

    Copies of one article count as one voice with their source.
    """
    if as_json:
        fmt = "json"
    if fmt not in _FORMATS:
        raise fail(f"{fmt}: unknown format (use {', '.join(_FORMATS)})")
    if (story_id is None) == (articles is None):
        raise fail("give a STORY_ID or --articles ID,ID,... (not both)")
    ids = [a.strip() for a in articles.split(",") if a.strip()] if articles else None
    with open_store(ctx) as u, errors_as_exit():
        result = u.compare(story_id, article_ids=ids)
    if fmt == "json":
        print_json(comparison_to_dict(result))
    elif fmt == "markdown":
        sys.stdout.write(to_markdown(result))
    elif fmt == "html":
        sys.stdout.write(to_html(result))
    else:
        _print_tables(result, unique=unique)


def _print_tables(cmp: Comparison, *, unique: bool) -> None:
    outlets = {s.article_id: s.outlet or s.article_id[:10] for s in cmp.sources}
    console.print(
        f"[bold]{len(cmp.sources)} sources[/]: "
        + ", ".join(
            escape(outlets[s.article_id])
            + (f" [dim](+{len(s.copies)} copies)[/]" if s.copies else "")
            for s in cmp.sources
        )
    )
    for label, title in LABEL_TITLES.items():
        groups = cmp.by_label(label)
        if not groups or (label == "unique" and not unique):
            continue
        table = Table(
            title=f"{title} ({len(groups)})",
            title_style=_STYLE[label],
            show_lines=True,
            expand=False,
        )
        table.add_column("kind", style="dim")
        if label == "unique":
            table.add_column("source")
            table.add_column("claim")
            table.add_column("sentence", overflow="fold")
            for g in groups:
                c = g.claims[0]
                table.add_row(
                    c.kind, escape(outlets[g.voices[0]]), escape(c.words), escape(c.sentence[:160])
                )
        else:
            table.add_column("about")
            table.add_column("what each source says", overflow="fold")
            table.add_column("reason", overflow="fold")
            for g in groups:
                says = "\n".join(
                    f"[bold]{escape(outlets[v])}[/]: {escape(c.words)}"
                    for v, c in zip(g.voices, g.claims, strict=True)
                )
                table.add_row(g.kind, escape(g.topic), says, escape(g.reason or ""))
        console.print(table)


@app.command("claims")
def claims_command(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., help="Article id or unique prefix."),
    kind: str = typer.Option(
        None, "--kind", help="Only this kind: quantity, duration, date, quote, actor."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the claims read from one article: numbers, durations, dates, quotes, actors."""
    with open_store(ctx) as u, errors_as_exit():
        claims = [c for c in u.claims(article_id) if kind is None or c.kind == kind]
    if as_json:
        print_json([claim_to_dict(c) for c in claims])
        return
    table = Table(title=f"{len(claims)} claims", show_lines=False)
    for col in ("kind", "words", "value", "who"):
        table.add_column(col, overflow="fold")
    for c in claims:
        value: str = (
            (c.text_value or "")
            if c.kind in ("date", "actor")
            else (f"{c.value:g}" if c.value is not None else "")
        )
        if c.kind == "quantity" and c.unit:
            value += f" {c.unit}"
        if c.kind == "duration":
            value += " min"
        if c.qualifier != "exact":
            value = f"{c.qualifier} {value}"
        table.add_row(c.kind, escape(c.words[:120]), escape(value or ""), escape(c.who or ""))
    console.print(table)
