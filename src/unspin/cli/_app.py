"""The Typer app, global options and the helpers every command module shares."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler

from unspin._version import __version__
from unspin.errors import UnspinError

if TYPE_CHECKING:
    from unspin.api import Unspin

app = typer.Typer(
    name="unspin",
    help="Trace news to its source: ingest articles, group them into stories, find verbatim, "
    "edited and machine-spun copies, de-spin text, and compare what sources claim.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class GlobalOptions:
    """Options given before the command; built once at the CLI boundary."""

    db: Path | None
    verbose: bool
    busy_timeout: float = 30.0


def _version(value: bool) -> None:
    if value:
        console.print(f"unspin {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Path = typer.Option(
        None,
        "--db",
        envvar="UNSPIN_DB",
        help="SQLite database file (default: $UNSPIN_DB, else ./unspin.db).",
        show_default=False,
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details to stderr."),
    busy_timeout: float = typer.Option(
        30.0,
        "--busy-timeout",
        envvar="UNSPIN_BUSY_TIMEOUT",
        min=0.0,
        metavar="SECONDS",
        help="Seconds a write waits for another process's write before failing.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """unspin: trace news to its source."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        handlers=[RichHandler(console=err_console, show_path=False)],
        format="%(message)s",
    )
    ctx.obj = GlobalOptions(db=db, verbose=verbose, busy_timeout=busy_timeout)


def options(ctx: typer.Context) -> GlobalOptions:
    """The global options of this invocation."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions(db=None, verbose=False)


def open_store(ctx: typer.Context, *, create: bool = False, read_only: bool = False) -> Unspin:
    """Open the database named by ``--db`` / ``$UNSPIN_DB`` for one command.

    Only commands that write articles pass ``create=True``; every other command stops
    with "no database at PATH" on a mistyped path instead of leaving an empty file.
    """
    from unspin.api import Unspin

    with errors_as_exit():
        opts = options(ctx)
        return Unspin(
            opts.db,
            read_only=read_only,
            create=create,
            busy_timeout_ms=round(opts.busy_timeout * 1000),
        )


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``unspin: error: message`` on stderr; return the Exit to raise."""
    err_console.print(f"unspin: error: {message}", markup=False, highlight=False)
    return typer.Exit(code)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn an :class:`UnspinError` into one line on stderr and exit code 1."""
    try:
        yield
    except UnspinError as exc:
        raise fail(str(exc)) from None


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON on stdout (datetimes as ISO strings)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


F = TypeVar("F", bound=Callable[..., Any])
JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table.")
