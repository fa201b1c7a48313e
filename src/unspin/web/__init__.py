"""The web app: server-rendered pages and a JSON API over one unspin database.

Start it with ``unspin serve`` or build it in Python::

    from unspin.web import create_app
    app = create_app("news.db", read_only=True)
"""

from __future__ import annotations

from unspin.web.app import create_app

__all__ = ["create_app"]
