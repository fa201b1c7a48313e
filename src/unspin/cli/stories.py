"""Commands over stories: ``unspin stories`` and ``unspin story ID``."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.markup import escape
from rich.table import Table

from unspin.cli._app import JSON_OPTION, app, console, errors_as_exit, open_store, print_json
from unspin.model import StoryMember
from unspin.serialize import story_detail_to_dict, story_to_dict

# From this terminal width on, tables show the columns an 80-column terminal leaves to
# -v (outlets; why an article joined and its relations): four 80-column tables' worth.
WIDE_TERMINAL = 120
# A short article id: ten hex digits (40 bits) name one article among millions, and a
# column this narrow never splits it.
SHORT_ID = 10

VERBOSE_OPTION = typer.Option(
    False,
    "--verbose",
    "-v",
    help="Show the details a narrow terminal leaves out (as columns from 120 wide).",
)


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "-"


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _minute(value: datetime | None) -> str:
    """A time on one clock (UTC), so a column of them reads in order."""
    when = _utc(value)
    return f"{when:%Y-%m-%d %H:%M}" if when else "-"


def _timeline_order(m: StoryMember) -> tuple[int, datetime, str]:
    when = _utc(m.published)
    return (when is None, when or datetime.min.replace(tzinfo=UTC), m.article_id)


@app.command("stories")
def stories_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", help="Show at most this many stories."),
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Forget all stories and cluster every stored article again first."
    ),
    verbose: bool = VERBOSE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """List stories, newest first, with their article counts (and outlets: -v)."""
    with open_store(ctx) as u, errors_as_exit():
        if rebuild:
            u.rebuild_stories()
        stories = u.stories(limit=limit)
    if as_json:
        print_json([story_to_dict(s) for s in stories])
        return
    if not stories:
        console.print("No stories yet: add articles with `unspin add`.")
        return
    wide = console.width >= WIDE_TERMINAL
    table = Table(show_lines=False)
    table.add_column("story", no_wrap=True)
    table.add_column("latest", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=2)
    if wide:
        table.add_column("outlets", overflow="fold", ratio=1)
    for s in stories:
        outlets = ", ".join(s.outlets[:4]) + (
            f" +{len(s.outlets) - 4}" if len(s.outlets) > 4 else ""
        )
        row = [s.id, _day(s.last_published), str(s.n_articles), escape(s.title or "(untitled)")]
        table.add_row(*row, *([escape(outlets)] if wide else []))
    console.print(table)
    if verbose and not wide:
        for s in stories:
            console.print(f"{s.id}: {escape(', '.join(s.outlets) or '-')}")


@app.command("story")
def story_cmd(
    ctx: typer.Context,
    story_id: str = typer.Argument(..., help="Story id or unique prefix (see `unspin stories`)."),
    verbose: bool = VERBOSE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one story: its articles on a timeline (UTC), and with -v why each joined,
    their relations, and merges."""
    with open_store(ctx) as u, errors_as_exit():
        detail = u.story(story_id)
    if as_json:
        print_json(story_detail_to_dict(detail))
        return
    s = detail.story
    console.print(f"[bold]{escape(s.title or '(untitled)')}[/]  [dim]{s.id}[/]")
    console.print(
        f"{s.n_articles} articles, {detail.independent_sources} independent sources, "
        f"{_day(s.first_published)} to {_day(s.last_published)}; "
        f"outlets: {escape(', '.join(s.outlets) or '-')}"
    )
    if verbose:
        console.print(f"key terms: {escape(', '.join(s.key_terms))}")
    wide = console.width >= WIDE_TERMINAL
    table = Table()
    table.add_column("published (UTC)", no_wrap=True)
    table.add_column("article", no_wrap=True)
    table.add_column("outlet", overflow="fold", ratio=1)
    table.add_column("title", overflow="fold", ratio=2)
    if wide:
        table.add_column("joined because", overflow="fold", ratio=1)
        table.add_column("relations", overflow="fold", ratio=1)
    members = sorted(detail.members, key=_timeline_order)
    for m in members:
        row = [
            _minute(m.published),
            m.article_id[:SHORT_ID],
            escape(m.outlet or "-"),
            escape(m.title or "-"),
        ]
        if wide:
            row += [escape(m.reason), escape(_relations(m) or "-")]
        table.add_row(*row)
    console.print(table)
    if verbose and not wide:
        for m in members:
            console.print(
                f"{m.article_id[:SHORT_ID]}: joined because {escape(m.reason)}"
                + (f"; {escape(_relations(m))}" if m.relations else "")
            )
    if verbose:
        for merge in detail.merges:
            console.print(f"[dim]merged {merge.absorbed}: {escape(merge.reason)}[/]")
    elif not wide:
        console.print("[dim]Why each joined and its relations: -v; everything: --json[/]")


def _relations(m: StoryMember) -> str:
    return "; ".join(
        f"{k.replace('_', ' ')} {'of' if r == 'copy' else 'copied by'} {a[:SHORT_ID]}"
        for k, r, a in m.relations
    )
