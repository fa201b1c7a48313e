"""A story as one self-contained HTML file: inline CSS, no scripts, no external requests.

It renders the same template as the web app's story page, with the stylesheet inlined,
links within the app turned into plain text (there is no server behind a mailed file),
and a Content-Security-Policy that forbids the file to load anything.

::

    with Unspin("news.db", read_only=True) as u:
        html = story_report(u, story_id)
"""

from __future__ import annotations

import os
from pathlib import Path

from unspin._version import __version__
from unspin.api import Unspin
from unspin.errors import UnspinError

__all__ = ["story_report", "write_story_report"]


def _no_link(path: str) -> None:
    return None


def story_report(u: Unspin, story_id: str) -> str:
    """The story page as one HTML document (a string).

    Raises:
        NotFoundError: no such story, or the stories stage is not installed.
    """
    from unspin.web.render import inline_css, render
    from unspin.web.views import story_page

    data = story_page(u, story_id)
    return render(
        "story.html",
        {
            "standalone": True,
            "link": _no_link,
            "css": inline_css(),
            "version": __version__,
            "read_only": True,
            "csrf_token": "",
            "csrf_field": "",
            "nav": "",
            "title": data.title or f"Story {data.id}",
            "data": data,
        },
    )


def write_story_report(u: Unspin, story_id: str, out: str | os.PathLike[str]) -> int:
    """Write :func:`story_report` to ``out`` (UTF-8); return the bytes written.

    Raises:
        NotFoundError: no such story.
        UnspinError: ``out`` cannot be written.
    """
    html = story_report(u, story_id).encode("utf-8")
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html)
    except OSError as exc:
        raise UnspinError(f"{path}: cannot write the report ({exc.strerror})") from exc
    return len(html)
