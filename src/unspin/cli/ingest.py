"""Commands over articles: add, resume, list, show, export, summary."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from unspin.cli._app import (
    JSON_OPTION,
    app,
    console,
    err_console,
    errors_as_exit,
    open_store,
    print_json,
)
from unspin.ingest import FetchOptions, IngestOptions
from unspin.pipeline import PipelineConfig
from unspin.serialize import article_summary_to_dict, article_to_dict
from unspin.workers import default_jobs

# 0 means every core this process may use (unspin.workers.default_jobs).
JOBS_OPTION = typer.Option(
    0,
    "--jobs",
    "-j",
    min=0,
    help="Worker processes for extraction, claims and copy verification (0: one per core). "
    "The results are the same whatever the number.",
)


def jobs_or_default(jobs: int) -> int:
    return jobs or default_jobs()


class _RateColumn(ProgressColumn):
    """Articles per second while reading sources (rich's own speed columns count bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} articles/s" if speed else "", style="dim")


@app.command()
def add(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        ...,
        help="Files, directories (recursive), http(s) URLs, RSS/Atom feeds, .warc/.warc.gz, .jsonl, or - for stdin.",
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow URLs on private, loopback and link-local addresses."
    ),
    timeout: float = typer.Option(15.0, "--timeout", help="Seconds before a URL fetch gives up."),
    no_provenance: bool = typer.Option(
        False, "--no-provenance", help="Do not look for copies of the new articles."
    ),
    no_stories: bool = typer.Option(
        False, "--no-stories", help="Do not assign the new articles to stories."
    ),
    no_claims: bool = typer.Option(
        False, "--no-claims", help="Do not extract claims from the new articles."
    ),
    jobs: int = JOBS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Ingest articles into the store; then find copies, stories and claims for new ones.

    Prints a table of what was added, already known, updated, and what failed and why.
    Exits 1 if any source failed (the others are still stored). Stored articles that an
    earlier, interrupted run left unprocessed are finished too (see `unspin resume`).
    """
    u = open_store(ctx, create=True)
    ingest_options = IngestOptions(fetch=FetchOptions(timeout=timeout, allow_private=allow_private))
    pipeline = PipelineConfig(
        provenance=not no_provenance,
        stories=not no_stories,
        claims=not no_claims,
        jobs=jobs_or_default(jobs),
    )
    with (
        errors_as_exit(),
        Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[stage]}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TextColumn("{task.description}", style="dim"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=json_out or not err_console.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("", total=None, stage="ingest")

        def tick(description: str, _total: int | None) -> None:
            progress.update(task, advance=1, description=description[-60:])

        def stage_started(name: str) -> None:
            done = progress.tasks[0].completed
            progress.update(task, total=done, stage=name, description=f"{done:.0f} read")

        report = u.add(
            sources,
            options=ingest_options,
            pipeline=pipeline,
            on_progress=tick,
            on_stage=stage_started,
        )
    if json_out:
        print_json(report.to_dict())
    else:
        table = Table(title="unspin add", show_edge=False)
        table.add_column("outcome")
        table.add_column("count", justify="right")
        table.add_row("added", str(len(report.added)), style="green")
        table.add_row("updated (new metadata)", str(len(report.updated)))
        table.add_row("already known", str(len(report.known)))
        table.add_row("republished verbatim (new URL)", str(len(report.republished)))
        table.add_row("failed", str(len(report.failed)), style="red" if report.failed else None)
        for stage, counts in report.stages.items():
            detail = ", ".join(f"{k} {v}" for k, v in counts.items())
            table.add_row(stage, detail)
        console.print(table)
        for failure in report.failed:
            err_console.print(
                f"unspin: failed: {failure.source}: {failure.reason}", markup=False, highlight=False
            )
    u.close()
    if report.failed:
        raise typer.Exit(1)


@app.command()
def resume(ctx: typer.Context, jobs: int = JOBS_OPTION, json_out: bool = JSON_OPTION) -> None:
    """Finish the later stages for stored articles a killed or failed `add` left undone.

    Runs provenance, stories, spin learning and claims for every stored article they
    have not processed yet (`unspin add` does the same after ingesting), so a run killed
    part way ends where an uninterrupted one would have. Prints each stage's counts.
    """
    u = open_store(ctx)
    with errors_as_exit():
        stages = u.resume(PipelineConfig(jobs=jobs_or_default(jobs)))
    u.close()
    if json_out:
        print_json({"stages": stages})
        return
    if not stages:
        console.print("Nothing to resume: every stage is up to date.")
        return
    table = Table(title="unspin resume", show_edge=False)
    table.add_column("stage")
    table.add_column("counts")
    for stage, counts in stages.items():
        table.add_row(stage, ", ".join(f"{k} {v}" for k, v in counts.items()))
    console.print(table)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", help="Show at most this many articles."),
    offset: int = typer.Option(0, "--offset", help="Skip this many articles first."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List stored articles, newest first."""
    u = open_store(ctx)
    with errors_as_exit():
        articles = u.articles(limit=limit, offset=offset)
    if json_out:
        print_json([article_summary_to_dict(a) for a in articles])
        return
    table = Table(show_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", max_width=20, overflow="ellipsis", no_wrap=True)
    table.add_column("words", justify="right")
    table.add_column("title", min_width=24, overflow="fold")
    for a in articles:
        table.add_row(
            a.id[:12],
            a.published.strftime("%Y-%m-%d %H:%M") if a.published else "-",
            a.outlet or "-",
            str(a.n_words),
            a.title or a.text[:70].replace("\n", " "),
        )
    console.print(table)
    console.print(f"{u.count_articles()} articles in {u.path}", style="dim")


@app.command()
def show(
    ctx: typer.Context,
    article_id: str = typer.Argument(
        ..., metavar="ID", help="Article id or a unique prefix of it."
    ),
    boilerplate: bool = typer.Option(
        False, "--boilerplate", help="Also show the lines removed as boilerplate, with reasons."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show one article: metadata and clean text."""
    u = open_store(ctx)
    with errors_as_exit():
        a = u.article(article_id)
        places = u.appearances(a.id)
    if json_out:
        data = article_to_dict(a, boilerplate=True)
        data["appearances"] = [
            {"url": p.url, "site": p.site, "published": p.published, "origin": p.origin}
            for p in places
        ]
        print_json(data)
        return
    console.print(a.title or "(untitled)", style="bold", markup=False)
    meta = [
        ("id", a.id),
        ("outlet", a.outlet),
        ("author", a.author),
        ("published", a.published.isoformat() if a.published else None),
        ("url", a.url),
        ("language", a.language),
        ("origin", str(a.origin) if a.origin else None),
        ("words", str(a.n_words)),
    ]
    for key, value in meta:
        if value:
            console.print(f"[dim]{key:>9}[/dim]  ", end="")
            console.print(value, markup=False)
    if len(places) > 1:
        console.print(f"[dim]{'also at':>9}[/dim]  ", end="")
        console.print(
            "; ".join(
                f"{p.site or '-'} {p.url or ''} ({p.published.date() if p.published else 'no date'})"
                for p in places[1:]
            ),
            markup=False,
        )
    console.print()
    for para in a.paragraphs:
        console.print(para, markup=False)
        console.print()
    if boilerplate:
        console.print(f"Removed boilerplate ({len(a.boilerplate)} lines)", style="bold")
        for line in a.boilerplate:
            console.print(f"[dim]{line.reason:>10}[/dim]  ", end="")
            console.print(line.text, markup=False)


@app.command()
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl or csv."),
    out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Export every article with its metadata as JSON Lines or CSV."""
    u = open_store(ctx)
    with errors_as_exit():
        if out is None:
            n = u.export(sys.stdout, fmt=fmt)
        else:
            with out.open("w", encoding="utf-8", newline="") as fh:
                n = u.export(fh, fmt=fmt)
    err_console.print(f"exported {n} articles", style="dim")


@app.command()
def summary(ctx: typer.Context, json_out: bool = JSON_OPTION) -> None:
    """Summarise the store: articles, outlets, stories, copies, claims."""
    u = open_store(ctx)
    with errors_as_exit():
        data = u.summary()
    if json_out:
        print_json(data)
        return
    table = Table(title=f"unspin: {data.get('database')}", show_header=False, show_edge=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in data.items():
        if key == "database":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
