"""Fetching URLs safely: timeouts, a size cap, capped redirects and an SSRF guard.

Every hop of a redirect chain is checked: a URL whose host resolves to a private,
loopback, link-local, multicast or reserved address is refused unless
``allow_private`` is set. Tests pass an ``httpx`` transport (a loopback server or an
``httpx.MockTransport``) instead of the network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from unspin._version import __version__
from unspin.errors import FetchError

__all__ = ["FetchOptions", "Fetcher", "Response", "check_url"]

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_S = 15.0


@dataclass(frozen=True)
class FetchOptions:
    """How URLs are fetched."""

    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    allow_private: bool = False
    # Hosts trusted even when they resolve to a private address (a publisher's own
    # intranet feed, a test server); every other host is still checked on every hop.
    allow_hosts: frozenset[str] = frozenset()
    user_agent: str = f"unspin/{__version__} (+news provenance tracer)"


@dataclass(frozen=True)
class Response:
    """A fetched document: final URL after redirects, status, type and body."""

    url: str
    status: int
    content_type: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(
    url: str, *, allow_private: bool = False, allow_hosts: frozenset[str] = frozenset()
) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) to a public host (or private is allowed).

    ``allow_hosts`` names hosts trusted even on a private address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            url, f"unsupported URL scheme {parts.scheme or '(none)'!r}; use http or https"
        )
    host = parts.hostname
    if not host:
        raise FetchError(url, "URL has no host")
    if allow_private or host in allow_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(url, f"cannot resolve host {host!r} ({exc.strerror})") from None
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            raise FetchError(
                url,
                f"refused: {host} resolves to non-public address {address} "
                "(use --allow-private to fetch from private networks)",
            )


class Fetcher:
    """Fetches URLs under :class:`FetchOptions`; one HTTP client, reused.

    Args:
        options: limits and the SSRF switch.
        transport: an ``httpx`` transport to use instead of the network (tests).
    """

    def __init__(
        self, options: FetchOptions | None = None, transport: httpx.BaseTransport | None = None
    ):
        self.options = options or FetchOptions()
        self._transport = transport
        self._client = httpx.Client(
            timeout=self.options.timeout,
            follow_redirects=False,
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.8",
            },
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        pass_status: frozenset[int] = frozenset(),
    ) -> Response:
        """GET ``url``, following at most ``max_redirects`` redirects, each hop checked.

        Args:
            headers: extra request headers (``If-None-Match``, ``If-Modified-Since``).
            pass_status: statuses returned as a :class:`Response` instead of raised
                (``304``, ``429``, ``503`` for a crawler that handles them itself).

        Raises:
            FetchError: refused by the guard, timeout, connection error, HTTP status
                >= 400 not in ``pass_status``, too many redirects, or a body over
                ``max_bytes``.
        """
        current = url
        for _ in range(self.options.max_redirects + 1):
            if self._transport is None:
                check_url(
                    current,
                    allow_private=self.options.allow_private,
                    allow_hosts=self.options.allow_hosts,
                )
            else:
                parts = urlsplit(current)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    raise FetchError(current, "not an http(s) URL")
            try:
                with self._client.stream("GET", current, headers=headers) as resp:
                    if resp.status_code in pass_status:
                        return Response(
                            url=str(resp.url),
                            status=resp.status_code,
                            content_type=resp.headers.get("content-type", ""),
                            content=b"",
                            headers=dict(resp.headers),
                        )
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(
                                url, f"HTTP {resp.status_code} redirect without Location"
                            )
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(
                            url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
                        )
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                        raise FetchError(
                            url,
                            f"too large: {int(declared):,} bytes (limit {self.options.max_bytes:,})",
                        )
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > self.options.max_bytes:
                            raise FetchError(
                                url, f"too large: over {self.options.max_bytes:,} bytes"
                            )
                        chunks.append(chunk)
                    return Response(
                        url=str(resp.url),
                        status=resp.status_code,
                        content_type=resp.headers.get("content-type", ""),
                        content=b"".join(chunks),
                        headers=dict(resp.headers),
                    )
            except httpx.TimeoutException:
                raise FetchError(url, f"timed out after {self.options.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None
        raise FetchError(url, f"too many redirects (more than {self.options.max_redirects})")
