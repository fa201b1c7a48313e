"""``unspin compare STORY_ID`` and ``unspin claims ID``: what sources claim, side by side."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from unspin.claims.render import (
    SECTION_TITLES,
    Said,
    by_section,
    statements,
    support,
    to_html,
    to_markdown,
    unique_by_source,
)
from unspin.cli._app import JSON_OPTION, app, console, errors_as_exit, fail, open_store, print_json
from unspin.model import Comparison
from unspin.serialize import claim_to_dict, comparison_to_dict

_FORMATS = ("table", "markdown", "json", "html")
_STYLE = {
    "conflict": "red",
    "agree": "green",
    "differ": "yellow",
    "minor": "dim",
    "unique": "cyan",
}
# One mark per section, so the rows read apart without colour too.
_MARK = {"conflict": "!", "agree": "=", "differ": "~", "minor": "·", "unique": "-"}


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
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help="Under each statement, each source's own sentence and why they differ.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Compare what a story's sources claim: conflicts, confirmed facts, differences.

    Conflicts come first, then facts several independent sources confirm, differences in
    substance, minor differences, and claims one source makes (counted per source; -v
    lists them). Copies of one article count as one voice with their source.
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
        _print_statements(result, unique=unique, verbose=verbose)


def _said_text(said: Said) -> Text:
    text = Text(f"{said.outlet}: ", style="bold")
    for piece, marked in said.pieces():
        text.append(piece, style="reverse" if marked else "")
    return text


def _print_statements(cmp: Comparison, *, unique: bool, verbose: bool) -> None:
    """Each statement on its own lines, wrapped to the terminal (rich measures it):
    the statement, who says it, and with ``-v`` each source's sentence and the reason."""
    n_copies = sum(len(s.copies) for s in cmp.sources)
    console.print(
        Text(
            f"{len(cmp.sources)} independent sources"
            + (f" (+{n_copies} copies)" if n_copies else "")
            + ": "
            + ", ".join(s.outlet or s.article_id[:10] for s in cmp.sources)
        )
    )
    rows = statements(cmp)
    if not rows:
        console.print("No comparable claims were found.")
        return
    for section, found in by_section(rows).items():
        console.print()
        console.print(
            Text(f"{SECTION_TITLES[section]} ({len(found)})", style=f"bold {_STYLE[section]}")
        )
        if section == "unique":
            if not unique:
                continue
            mine = unique_by_source(found)
            if not verbose:
                for outlet, items in mine.items():
                    console.print(
                        Padding(Text(f"{outlet}: {len(items)}"), (0, 0, 0, 2), expand=False)
                    )
                console.print(
                    Padding(Text("(-v lists them)", style="dim"), (0, 0, 0, 2), expand=False)
                )
                continue
            for outlet, items in mine.items():
                console.print(Padding(Text(outlet, style="bold"), (0, 0, 0, 2), expand=False))
                for r in items:
                    console.print(Padding(Text(f"- {r.text}"), (0, 0, 0, 4), expand=False))
            continue
        for r in found:
            line = Text(f"{_MARK[section]} ", style=_STYLE[section])
            line.append(r.text)
            line.append(f" — {support(r)}", style="dim")
            console.print(line)
            if r.reason and (verbose or section in ("conflict", "differ")):
                console.print(Padding(Text(r.reason, style="italic"), (0, 0, 0, 2), expand=False))
            if verbose:
                for said in r.said:
                    console.print(Padding(_said_text(said), (0, 0, 0, 4), expand=False))
    if not verbose:
        console.print()
        console.print(Text("Each source's own sentence: -v; everything: --json", style="dim"))


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
