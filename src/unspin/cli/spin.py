"""``unspin spin``: is a text spinner output, where, and what did it say before."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from unspin.api import Unspin
from unspin.cli._app import (
    JSON_OPTION,
    app,
    console,
    errors_as_exit,
    fail,
    open_store,
    options,
    print_json,
)
from unspin.errors import InputError
from unspin.model import SpinReport
from unspin.serialize import spin_report_to_dict


def _texts(target: str) -> list[str]:
    """The texts named by ``target``: ``-`` (stdin) or a file; otherwise the target itself."""
    if target == "-":
        return [sys.stdin.read()]
    path = Path(target)
    if path.exists():
        return Unspin.read_texts(path)
    if not any(ch.isspace() for ch in target.strip()):
        raise InputError(target, "no such file or article id")
    return [target]


def _render(report: SpinReport) -> None:
    if not report.judged:
        console.print(report.reason, markup=False)
        return
    prob = report.probability or 0.0
    style = "bold red" if report.verdict == "spun" else "bold green"
    head = Text.assemble(
        (report.verdict.upper(), style),
        f"  p(spun) = {prob:.4f} (alarm at {report.threshold})  ",
        (report.reason, "dim"),
    )
    console.print(head)
    console.print()
    applied = set(report.applied())
    body = Text()
    pos = 0
    for span in report.spans:
        body.append(report.text[pos : span.start])
        if span in applied:
            body.append(span.text, style="red strike")
            body.append(f" [{span.suggestion}]", style="green")
        else:
            body.append(span.text, style="yellow underline")
            if span.suggestion != span.text:
                body.append(f" [possibly {span.suggestion}]", style="dim")
        pos = span.end
    body.append(report.text[pos:])
    console.print(body)
    if report.spans:
        title = (
            "flagged spans"
            if report.verdict == "spun"
            else "possible swaps (the text as a whole reads as genuine; check the confidence)"
        )
        table = Table(title=title, show_edge=False)
        table.add_column("offset", justify="right")
        table.add_column("written")
        table.add_column("likely original")
        table.add_column("alternatives")
        table.add_column("confidence", justify="right")
        table.add_column("restored")
        for s in report.spans:
            table.add_row(
                str(s.start),
                s.text,
                s.suggestion if s.suggestion != s.text else "(kept: protected word)",
                ", ".join(s.alternatives),
                f"{s.confidence:.2f}",
                "yes" if s in applied else "possible",
            )
        console.print()
        console.print(table)


@app.command("spin")
def spin_command(
    ctx: typer.Context,
    target: str = typer.Argument(
        None, help="An article id (or prefix), a file, or - for stdin. Not needed with --learn."
    ),
    restore: bool = typer.Option(
        False,
        "--restore",
        help="Print only the restored text (spans with confidence >= 0.8 put back).",
    ),
    learn: bool = typer.Option(
        False,
        "--learn",
        help="First learn spinner substitutions from the copies provenance aligned.",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Detect machine spinning without the source; mark swapped words and restore them.

    Prints the verdict (a calibrated probability), the text with confident spans struck
    through and their likely originals in brackets (the others underlined as possible
    swaps), and a table of the spans with alternatives. The restored text applies only
    spans with confidence >= 0.8 and never changes numbers, magnitudes, negations,
    pronouns, repeated names or quoted words. Texts under ~50 words, not in English or without prose are reported
    as "cannot judge: <reason>".
    """
    with errors_as_exit():
        # A text or file is judged without a database when there is none (nothing is
        # created); an article id needs the store, and --learn writes (creates) it.
        needs_store = learn or (target is not None and _is_id(target))
        u = open_store(ctx, create=learn) if needs_store or _db_exists(ctx) else None
        try:
            learned: dict[str, int] | None = u.learn_spin() if u and learn else None
            if target is None:
                if learned is None:
                    raise fail("give an article id, a file or - (or --learn)")
                if json_out:
                    print_json({"learned": learned})
                else:
                    console.print(
                        f"learned {learned['substitutions']} substitutions "
                        f"({learned['pairs']} observed in {learned['relations']} copy relations)"
                    )
                return
            sources = [target] if _is_id(target) else _texts(target)
            reports = [u.spin(t) if u else Unspin.spin_text(t) for t in sources]
        finally:
            if u:
                u.close()
    if restore:
        for r in reports:
            if not r.judged:
                raise fail(r.reason)
            sys.stdout.write(r.restored() + "\n")
        return
    if json_out:
        data = [spin_report_to_dict(r) for r in reports]
        payload: Any = data[0] if len(data) == 1 else data
        if learned is not None:
            payload = {"learned": learned, "reports": data}
        print_json(payload)
        return
    for r in reports:
        _render(r)


def _db_exists(ctx: typer.Context) -> bool:
    from unspin.api import default_db_path

    return Path(options(ctx).db or default_db_path()).is_file()


def _is_id(target: str) -> bool:
    return target != "-" and not Path(target).exists() and Unspin.looks_like_id(target)
