"""The ``unspin`` command line: parse, call one API function, render. No logic here.

Each stage registers its commands from its own module (``cli/<stage>.py``) on :data:`app`;
every read command takes ``--json``. Errors from :mod:`unspin.errors` print as one line
on stderr and exit 1.
"""

from __future__ import annotations

import sys

from unspin.cli._app import app, console, err_console

# Command modules, in pipeline order. Importing one registers its commands.
from unspin.cli import ingest as _ingest  # noqa: E402,F401
from unspin.cli import web as _web  # noqa: E402,F401
from unspin.cli import provenance as _provenance  # noqa: E402,F401
from unspin.cli import stories as _stories  # noqa: E402,F401
from unspin.cli import spin as _spin  # noqa: E402,F401
from unspin.cli import compare as _compare  # noqa: E402,F401
from unspin.cli import spark as _spark  # noqa: E402,F401
from unspin.cli import watch as _watch  # noqa: E402,F401

__all__ = ["app", "console", "err_console", "main"]


def main() -> None:
    """Entry point of the ``unspin`` script."""
    from unspin.errors import UnspinError

    try:
        app(standalone_mode=True)
    except UnspinError as exc:  # raised outside a command body (rare); commands catch their own
        err_console.print(f"unspin: error: {exc}", markup=False, highlight=False)
        sys.exit(1)
