"""The one exception family of unspin.

Every error a user can cause derives from :class:`UnspinError`; its message names the
input, the reason and, where there is one, the fix. The CLI prints the message on one
line and exits non-zero; it never prints a traceback for these.

::

    UnspinError
     ├── InputError          a source cannot be read or holds no article
     │    └── FetchError     a URL or feed could not be fetched (timeout, 404, too large, refused)
     ├── StoreError          the database cannot be opened, migrated or written
     ├── NotFoundError       an id names no article, story or relation in the store
     └── CannotJudgeError    a text is outside what a stage can judge (too short, not English)
"""

from __future__ import annotations


class UnspinError(Exception):
    """Base class of every error unspin raises on purpose."""


class InputError(UnspinError):
    """A source (file, URL, feed, record, stdin) cannot be read or holds no article."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class FetchError(InputError):
    """A URL could not be fetched: timeout, HTTP error, too large, or refused by the SSRF guard."""


class StoreError(UnspinError):
    """The SQLite store cannot be opened, migrated or written."""


class NotFoundError(UnspinError):
    """An id or prefix names nothing in the store (or names more than one thing)."""


class CannotJudgeError(UnspinError):
    """A text is outside what a stage can judge; the message says why."""
