"""Licence reading, credit detection and the verdict table, one case per test id."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import InputError
from unspin.provenance.credit import credits_source
from unspin.watch import load_config, own_outlet, verdict
from unspin.watch.config import is_own_url
from unspin.watch.licence import licence_code, read_page


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ('<link rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/">', "cc-by-nd"),
        (
            '<a rel="license" href="http://creativecommons.org/licenses/by-nc-sa/3.0/">CC</a>',
            "cc-by-nc-sa",
        ),
        ('<img src="https://licensebuttons.net/l/by/4.0/88x31.png" alt="CC BY">', "cc-by"),
        (
            '<meta name="dcterms.license" content="https://creativecommons.org/licenses/by-sa/4.0/">',
            "cc-by-sa",
        ),
        (
            '<meta name="copyright" content="© 2024 Example Media. All rights reserved.">',
            "all-rights-reserved",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"license": "https://creativecommons.org/publicdomain/zero/1.0/"}</script>',
            "cc0",
        ),
        (
            "<p>Story.</p><footer>This work is licensed under a Creative Commons "
            "Attribution-NoDerivatives 4.0 International License.</footer>",
            "cc-by-nd",
        ),
        ("<p>Story.</p><footer>Text CC BY-NC-ND 4.0</footer>", "cc-by-nc-nd"),
        (
            "<p>Story.</p><footer>© 2024 The Gazette. All rights reserved.</footer>",
            "all-rights-reserved",
        ),
        ("<p>Just a story with no licence at all.</p>", None),
    ],
    ids=[
        "link-rel",
        "a-rel",
        "badge",
        "meta-dcterms",
        "meta-copyright",
        "jsonld",
        "text-long",
        "text-short",
        "text-reserved",
        "none",
    ],
)
def test_read_page_licence(html: str, code: str | None) -> None:
    assert read_page(f"<html><head></head><body>{html}</body></html>").licence == code


def test_read_page_links_are_absolute() -> None:
    signals = read_page(
        '<p><a href="/orig">x</a> <a href="https://b.example/y">y</a></p>', "https://a.example/p"
    )
    assert signals.links == ("https://a.example/orig", "https://b.example/y")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CC BY-ND 4.0", "cc-by-nd"),
        ("cc-by", "cc-by"),
        ("all rights reserved", "all-rights-reserved"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "public-domain"),
        ("whatever", None),
    ],
)
def test_licence_code_of_configured_names(value: str, code: str | None) -> None:
    assert licence_code(value) == code


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"links": ["https://www.gazette.example/2024/floods"]}, "links to"),
        ({"links": ["https://gazette.example/"]}, "links to"),
        (
            {"text": "Rain fell.\nOriginally published by The Harbour Gazette."},
            "'originally published' line",
        ),
        ({"text": "Rain fell, the Harbour Gazette reported."}, "names"),
        (
            {"text": "Rain fell.\nThis article first appeared on gazette.example/floods"},
            "'originally",
        ),
        ({"text": "Rain fell.\nOriginally published elsewhere."}, None),
        ({"links": ["https://other.example/x"]}, None),
    ],
    ids=[
        "link-article",
        "link-home",
        "originally-line",
        "outlet-named",
        "url-in-text",
        "line-without-name",
        "other-link",
    ],
)
def test_credits_source(kwargs: dict[str, object], expected: str | None) -> None:
    text = str(kwargs.pop("text", "Rain fell on the harbour."))
    found = credits_source(
        text,
        names=["Harbour Gazette", "Jane Roe"],
        urls=["https://gazette.example/2024/floods"],
        domains=["gazette.example"],
        **kwargs,  # type: ignore[arg-type]
    )
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.startswith(expected)


@pytest.mark.parametrize(
    ("kind", "licence", "credited", "expected"),
    [
        ("duplicate", "cc-by", True, "credited republication"),
        ("duplicate", "cc-by-nd", True, "credited republication"),
        ("duplicate", "cc-by", False, "uncredited copy"),
        ("edited_copy", "cc-by", True, "credited republication"),
        ("edited_copy", "cc-by-nd", True, "derivative of a no-derivatives work"),
        ("spun_copy", "cc-by-nc-nd", False, "derivative of a no-derivatives work"),
        ("spun_copy", "all-rights-reserved", True, "copy of an all-rights-reserved work"),
        ("duplicate", None, True, "copy of an all-rights-reserved work"),
    ],
)
def test_verdicts(kind: str, licence: str | None, credited: bool, expected: str) -> None:
    assert verdict(kind, licence, credited) == expected


@pytest.mark.parametrize(
    ("url", "own"),
    [
        ("https://www.gazette.example/a", True),
        ("https://news.gazette.example/a", True),
        ("https://gazette.example.evil.test/a", False),
        ("https://other.example/a", False),
    ],
)
def test_own_domains_include_subdomains(url: str, own: bool) -> None:
    assert is_own_url(url, ["gazette.example"]) is own


def test_own_url_prefix() -> None:
    assert is_own_url("https://blog.example/team/x", ["https://blog.example/team/"])
    assert not is_own_url("https://blog.example/other/x", ["https://blog.example/team/"])


@pytest.mark.parametrize("value", ["", "not a site", "ftp://x.example/", "gazette"])
def test_bad_own_values(value: str) -> None:
    with pytest.raises(InputError):
        own_outlet(value)


def test_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "watch.toml"
    cfg.write_text(
        'feeds = ["https://gazette.example/feed.xml"]\npages = "suspects.txt"\ninterval = 600\n'
        '[[own]]\nprefix = "gazette.example"\nname = "The Gazette"\nlicence = "CC BY-ND 4.0"\n'
    )
    loaded = load_config(cfg)
    assert loaded.feeds == ("https://gazette.example/feed.xml",)
    assert loaded.own[0].name == "The Gazette" and loaded.own[0].licence == "CC BY-ND 4.0"
    assert loaded.pages == (tmp_path / "suspects.txt",) and loaded.interval == 600.0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("feeds = 3", "'feeds' must be"),
        ("[[own]]\nname = 'x'", "needs a 'prefix'"),
        ("feeds = [", "not a valid TOML"),
    ],
)
def test_bad_config_file(tmp_path: Path, text: str, reason: str) -> None:
    cfg = tmp_path / "watch.toml"
    cfg.write_text(text)
    with pytest.raises(InputError, match=reason):
        load_config(cfg)
