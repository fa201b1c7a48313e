"""Commands for crawl-scale runs: ``unspin spark run INPUT... --out DIR`` and
``unspin import DIR`` (load a run's Parquet tables into the store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from unspin.api import Unspin
from unspin.cli._app import (
    JSON_OPTION,
    app,
    console,
    errors_as_exit,
    open_store,
    print_json,
)

spark_app = typer.Typer(
    help="Run the pipeline on Apache Spark over WARC/JSONL inputs (local or any cluster).",
    no_args_is_help=True,
)
app.add_typer(spark_app, name="spark")


def _counts_table(title: str, rows: list[tuple[str, Any]]) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, value in rows:
        table.add_row(name, "-" if value is None else str(value))
    return table


@spark_app.command("run")
def run(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(
        ..., help="WARC, WARC.gz or JSONL files, folders, globs or Hadoop URIs (s3a://, hdfs://)."
    ),
    out: str = typer.Option(..., "--out", help="Folder (or URI) for the Parquet tables."),
    master: str = typer.Option("local[2]", "--master", help="Spark master URL."),
    partitions: int = typer.Option(
        0, "--partitions", help="Partitions for ingest and verification (0: 2 x cores)."
    ),
    shuffle_partitions: int = typer.Option(
        8, "--shuffle-partitions", help="Partitions of the joins."
    ),
    no_stories: bool = typer.Option(False, "--no-stories", help="Skip story components."),
    no_claims: bool = typer.Option(False, "--no-claims", help="Skip claim extraction."),
    json_: bool = JSON_OPTION,
) -> None:
    """Run ingest, copy detection, stories and claims on Spark; write Parquet tables."""
    with errors_as_exit():
        report = Unspin.spark_run(
            inputs,
            out,
            master=master,
            partitions=partitions,
            shuffle_partitions=shuffle_partitions,
            stories=not no_stories,
            claims=not no_claims,
        )
    if json_:
        print_json(report.to_dict())
        return
    rows: list[tuple[str, Any]] = [("articles", report.articles), ("failures", report.failures)]
    rows += [(f"relations: {k}", n) for k, n in report.relations.items()]
    rows += [("stories", report.stories), ("claims", report.claims)]
    console.print(_counts_table(f"Spark run → {report.out} ({report.seconds:.1f} s)", rows))
    for stage, why in report.skipped.items():
        console.print(f"[dim]{stage} skipped: {why}[/]")
    console.print(f"Load into the store with: unspin import {report.out}")


@app.command("import")
def import_(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="The --out folder of `unspin spark run`."),
    json_: bool = JSON_OPTION,
) -> None:
    """Load the Parquet tables of a Spark run into the database."""
    with open_store(ctx, create=True) as u, errors_as_exit():
        report = u.import_parquet(folder)
    if json_:
        print_json(report.to_dict())
        return
    rows: list[tuple[str, Any]] = [(f"articles {k}", n) for k, n in sorted(report.articles.items())]
    rows += [("indexed for provenance", report.indexed), ("relations", report.relations)]
    rows += [("stories", report.stories), ("claims", report.claims)]
    console.print(_counts_table(f"Imported {report.folder}", rows))
    for table, why in report.skipped.items():
        console.print(f"[dim]{table} not imported: {why}[/]")
