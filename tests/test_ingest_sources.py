"""Every input kind, and every bad input failing cleanly while the rest goes in."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.ingest import FetchOptions, IngestFailure, IngestOptions, iter_articles
from unspin.model import Article

BODY = (
    "The harbour bridge in Portmere partly collapsed on Tuesday evening, injuring seven people. "
    "Engineers said corrosion in a support cable was the likely cause. The mayor ordered an "
    "inspection of every bridge in the city and promised a full report within thirty days."
)
PAGE = f"""<!doctype html><html><head><title>Bridge collapse in Portmere</title>
<meta property="article:published_time" content="2026-03-10T18:30:00+01:00">
<meta name="author" content="Lena Ward"><meta property="og:site_name" content="Portmere Post"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Bridge collapse in Portmere</h1>
<p>{BODY}</p><p>Share</p><p>Residents described a loud crack before the deck gave way, and police closed the road.</p>
</article><footer>All rights reserved</footer></body></html>"""


def run(sources, **kw) -> tuple[list[Article], list[IngestFailure]]:
    items = list(iter_articles([str(s) for s in sources], IngestOptions(**kw)))
    return [i for i in items if isinstance(i, Article)], [
        i for i in items if isinstance(i, IngestFailure)
    ]


def test_text_with_header(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(
        f"Title: Bridge\nSite: Post\nPublished: 2026-03-10T18:30:00+01:00\n\n{BODY}\n\nShare\n"
    )
    [a], [] = run([f])
    assert (a.title, a.site) == ("Bridge", "Post")
    assert a.published is not None and a.published.utcoffset().total_seconds() == 3600
    assert [b.text for b in a.boilerplate] == ["Share"]
    assert a.origin is not None and a.origin.kind == "file"


def test_html_page_with_metadata(tmp_path: Path) -> None:
    f = tmp_path / "a.html"
    f.write_text(PAGE)
    [a], [] = run([f])
    assert a.title == "Bridge collapse in Portmere"
    assert a.author == "Lena Ward"
    assert a.published is not None and a.published.hour == 18
    assert "Share" not in a.text and "corrosion" in a.text
    assert not a.text.startswith("Bridge collapse in Portmere")


def test_legacy_encoding_is_detected(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    text = "Le café de la gare a fermé après l'incendie. Les pompiers sont arrivés très tôt. " * 5
    f.write_bytes(text.encode("cp1252"))
    [a], [] = run([f])
    assert "café" in a.text and "très" in a.text


def _feed(full: bool) -> str:
    content = (
        f"<content:encoded><![CDATA[<p>{BODY}</p><p>More detail follows here for readers.</p>]]></content:encoded>"
        if full
        else ""
    )
    return f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example/</link><description>d</description>
<item><title>Bridge</title><link>https://wire.example/bridge</link><guid>wire-1</guid>
<pubDate>Tue, 10 Mar 2026 18:30:00 +0000</pubDate><description>Short teaser.</description>{content}</item>
</channel></rss>"""


def test_feed_with_full_content(tmp_path: Path) -> None:
    f = tmp_path / "wire.rss"
    f.write_text(_feed(full=True))
    [a], [] = run([f])
    assert a.site == "Wire" and a.url == "https://wire.example/bridge"
    assert a.origin is not None and (a.origin.kind, a.origin.record) == ("feed", "wire-1")
    assert "corrosion" in a.text


def test_feed_teaser_fetches_the_item_page(tmp_path: Path) -> None:
    f = tmp_path / "wire.rss"
    f.write_text(_feed(full=False))
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, html=PAGE)

    [a], [] = run([f], transport=httpx.MockTransport(handler))
    assert seen == ["https://wire.example/bridge"]
    assert "corrosion" in a.text


def _warc(records: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, html in records:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
        )
    return buf.getvalue()


def test_warc_response_records(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(
        _warc(
            [
                ("https://post.example/a", PAGE),
                ("https://post.example/b", PAGE.replace("seven", "eight")),
            ]
        )
    )
    arts, fails = run([f])
    assert len(arts) == 2 and not fails
    assert {a.url for a in arts} == {"https://post.example/a", "https://post.example/b"}
    assert all(a.origin is not None and a.origin.kind == "warc" and a.origin.record for a in arts)


def test_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    data = _warc(
        [
            ("https://post.example/a", PAGE),
            ("https://post.example/b", PAGE.replace("seven", "eight")),
        ]
    )
    raw = gzip.decompress(data)
    f = tmp_path / "cut.warc"
    f.write_bytes(raw[: int(len(raw) * 0.75)])
    arts, fails = run([f])
    assert len(arts) == 1
    assert len(fails) == 1 and "truncated or corrupt WARC" in fails[0].reason


def test_jsonl_with_a_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"text": BODY, "title": "One", "published": "2026-03-10"}),
        "{not json}",
        json.dumps({"html": PAGE}),
        json.dumps({"title": "no body"}),
    ]
    f.write_text("\n".join(lines) + "\n")
    arts, fails = run([f])
    assert [a.title for a in arts] == ["One", "Bridge collapse in Portmere"]
    assert [f_.source.rsplit(":", 1)[1] for f_ in fails] == ["2", "4"]
    assert "invalid JSON" in fails[0].reason


def test_directory_is_read_recursively_skipping_readmes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BODY)
    (tmp_path / "b.html").write_text(PAGE.replace("seven", "nine"))
    (tmp_path / "README.md").write_text("# not an article")
    (tmp_path / "script.py").write_text("print(1)")
    arts, fails = run([tmp_path])
    assert len(arts) == 2 and not fails


def test_stdin(tmp_path: Path) -> None:
    arts, fails = run(["-"], stdin=io.BytesIO(BODY.encode()))
    assert len(arts) == 1 and arts[0].origin is not None and arts[0].origin.kind == "stdin"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "empty file"),
        ("image.html", bytes(range(256)) * 10, "binary file"),
        ("notfeed.rss", b"<?xml version='1.0'?><note><to>x</to></note>", "not an RSS or Atom feed"),
        ("junk.html", b"<html><body><script>var x = 1;</script></body></html>", "no article text"),
        ("only.txt", b"Share\n\nAdvertisement\n", "only boilerplate"),
    ],
)
def test_bad_files_fail_with_a_reason(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    arts, fails = run([f, good])
    assert len(arts) == 1, "the rest of the batch is still ingested"
    assert len(fails) == 1
    assert str(f) in fails[0].source and reason in fails[0].reason


def test_malformed_html_still_yields_its_text(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text(
        f"<html><body><div><p>{BODY}<p>Second paragraph without closing tags <b>bold<i>both</div>"
    )
    [a], [] = run([f])
    assert "corrosion" in a.text


# --- URLs through a real loopback server ------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/article":
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"<p>" + b"x" * 16384 + b"</p>")
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_fetch_with_redirect(server: str) -> None:
    [a], [] = run([f"{server}/redirect"], fetch=FetchOptions(allow_private=True))
    assert a.url == f"{server}/article" and a.origin is not None and a.origin.kind == "url"


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    [], [fail] = run([f"{server}/article"])
    assert "refused" in fail.reason and "--allow-private" in fail.reason


@pytest.mark.parametrize(
    ("path", "options", "reason"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/slow", {"timeout": 0.5}, "timed out"),
        ("/huge", {"max_bytes": 100_000}, "too large"),
        ("/loop", {"max_redirects": 3}, "too many redirects"),
    ],
)
def test_url_failures(server: str, path: str, options: dict, reason: str) -> None:
    [], [fail] = run([f"{server}{path}"], fetch=FetchOptions(allow_private=True, **options))
    assert fail.source == f"{server}{path}" and reason in fail.reason


def test_unsupported_scheme() -> None:
    from unspin.errors import FetchError
    from unspin.ingest.fetch import check_url

    with pytest.raises(FetchError, match="scheme"):
        check_url("ftp://example.org/x")
