"""unspin: trace news to its source.

The Python API mirrors the CLI one to one::

    from unspin import Unspin
    u = Unspin("news.db")
    report = u.add(["examples/"])
    for article in u.articles():
        print(article.id, article.title)
"""

from __future__ import annotations

import logging

from unspin._version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

from unspin.api import AddReport, Unspin  # noqa: E402
from unspin.errors import (  # noqa: E402
    CannotJudgeError,
    FetchError,
    InputError,
    NotFoundError,
    StoreError,
    UnspinError,
)
from unspin.model import Article, BoilerplateLine, Origin  # noqa: E402

__all__ = [
    "AddReport",
    "Article",
    "BoilerplateLine",
    "CannotJudgeError",
    "FetchError",
    "InputError",
    "NotFoundError",
    "Origin",
    "StoreError",
    "Unspin",
    "UnspinError",
    "__version__",
]
