"""Commands over stories: ``unspin stories`` and ``unspin story ID``."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.markup import escape
from rich.table import Table

from unspin.cli._app import JSON_OPTION, app, console, errors_as_exit, open_store, print_json
from unspin.serialize import story_detail_to_dict, story_to_dict


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "-"


@app.command("stories")
def stories_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", help="Show at most this many stories."),
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Forget all stories and cluster every stored article again first."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """List stories, newest first, with their article counts and outlets."""
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
    table = Table(show_lines=False)
    for col in ("story", "latest", "articles", "title", "outlets"):
        table.add_column(col, overflow="fold")
    for s in stories:
        outlets = ", ".join(s.outlets[:4]) + (
            f" +{len(s.outlets) - 4}" if len(s.outlets) > 4 else ""
        )
        table.add_row(
            s.id,
            _day(s.last_published),
            str(s.n_articles),
            escape(s.title or "(untitled)"),
            escape(outlets),
        )
    console.print(table)


@app.command("story")
def story_cmd(
    ctx: typer.Context,
    story_id: str = typer.Argument(..., help="Story id or unique prefix (see `unspin stories`)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one story: its articles on a timeline, their relations, and merges."""
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
        f"outlets: {escape(', '.join(s.outlets) or '-')}; key terms: {escape(', '.join(s.key_terms))}"
    )
    table = Table()
    for col in ("published", "article", "outlet", "title", "joined because", "relations"):
        table.add_column(col, overflow="fold")
    for m in detail.members:
        rels = "; ".join(
            f"{k.replace('_', ' ')} {'of' if r == 'copy' else 'copied by'} {a[:12]}"
            for k, r, a in m.relations
        )
        table.add_row(
            _day(m.published),
            m.article_id[:12],
            escape(m.outlet or "-"),
            escape(m.title or "-"),
            escape(m.reason),
            escape(rels or "-"),
        )
    console.print(table)
    for merge in detail.merges:
        console.print(f"[dim]merged {merge.absorbed}: {escape(merge.reason)}[/]")
