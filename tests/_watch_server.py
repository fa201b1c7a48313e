"""A real loopback HTTP server for the watch tests: routes set per test, requests logged.

Each route answers with a body (ETag derived from it, 304 when the client's
``If-None-Match`` matches) or with a raw status and headers (429, redirects).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from provenance_samples import ORIGINAL, UNRELATED, spin

CC_BY = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
CC_BY_ND = '<link rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/">'


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    delay: float = 0.0  # seconds before answering (a slow page to kill a client on)


class WatchServer:
    """Serves ``routes`` (path → :class:`Route`) on 127.0.0.1; logs (method, path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, str, dict[str, str], bytes]] = []
        self.times: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body_in = self.rfile.read(length) if length else b""
                with server._lock:
                    server.log.append((method, self.path, dict(self.headers), body_in))
                    server.times.append((self.path, time.monotonic()))
                    route = server.routes.get(self.path)
                if route is not None and route.delay:
                    time.sleep(route.delay)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.status != 200:
                    self.send_response(route.status)
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                if route.etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", tag)
                    self.send_header("Last-Modified", formatdate(usegmt=True))
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(route.body)

            def do_GET(self) -> None:  # noqa: N802
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.port = self.httpd.server_address[1]

    def bodies(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        with self._lock:
            return [(h, b) for m, p, h, b in self.log if p == path and m == "POST"]

    def requests(self, path: str, method: str = "GET") -> list[dict[str, str]]:
        with self._lock:
            return [h for m, p, h, _ in self.log if p == path and m == method]


@contextmanager
def serve() -> Iterator[WatchServer]:
    server = WatchServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 feed; each item has link, title, pubDate and optionally content (HTML)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>http://example.invalid/</link>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>")
        parts.append(f"<guid>{escape(item['link'])}</guid><pubDate>{item['date']}</pubDate>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def page(title: str, text: str, *, head: str = "", foot: str = "") -> bytes:
    """An article page: paragraphs of ``text`` in <article>, with extra head and footer HTML."""
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>{head}</head>"
        f"<body><article><h1>{escape(title)}</h1>{paras}</article>"
        f"<footer>{foot}</footer></body></html>"
    ).encode()


def publish(server: WatchServer, *, licence_head: str) -> tuple[str, str]:
    """Serve the own feed and the farm feed; return their URLs."""
    own_url = f"{server.base}/own/port-allen-floods"
    spun_text, _ = spin(ORIGINAL, 0.5, seed=3)
    server.routes["/own/port-allen-floods"] = Route(
        page("Floods in Port Allen", ORIGINAL, head=licence_head), "text/html"
    )
    server.routes["/own/feed.xml"] = Route(
        rss(
            "Harbour Gazette",
            [
                {
                    "title": "Floods in Port Allen",
                    "link": own_url,
                    "date": "Tue, 05 Mar 2024 09:00:00 GMT",
                }
            ],
        )
    )
    server.routes["/farm/spun"] = Route(page("Port Allen inundated", spun_text), "text/html")
    credit = f'Originally published by <a href="{own_url}">Harbour Gazette</a>.'
    server.routes["/farm/credited"] = Route(
        page("Floods in Port Allen", ORIGINAL, foot=f"<p>{credit}</p>"), "text/html"
    )
    server.routes["/farm/orchestra"] = Route(page("New season", UNRELATED), "text/html")
    farm_items = [
        {"title": "Port Allen inundated", "link": f"{server.base}/farm/spun"},
        {"title": "Floods in Port Allen", "link": f"{server.base}/farm/credited"},
        {"title": "New season", "link": f"{server.base}/farm/orchestra"},
    ]
    for n, item in enumerate(farm_items):
        item["date"] = f"Wed, 06 Mar 2024 1{n}:00:00 GMT"
    server.routes["/farm/feed.xml"] = Route(rss("Content Farm", farm_items))
    return f"{server.base}/own/feed.xml", f"{server.base}/farm/feed.xml"
