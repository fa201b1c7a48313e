"""The web pages and their JSON twins: lists, search, article, pair, add; escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from _web_helpers import (
    PAYLOADS,
    RAW_MARKERS,
    T0,
    article,
    build_store,
    client,
    csrf,
    payload_articles,
    spun_pair,
)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    source, copy, rel = spun_pair()
    others = [
        article(
            f"Article number {i} reports on the harbour bridge repairs in detail.",
            days=-i,
            title=f"Bridge report {i}",
            site=f"Outlet {i % 3}",
        )
        for i in range(25)
    ]
    return build_store(tmp_path / "web.db", [source, copy, *others, *payload_articles()], [rel])


def test_articles_list_newest_first_with_counts(db: Path) -> None:
    c = client(db)
    r = c.get("/articles")
    assert r.status_code == 200
    assert "32 articles, newest first" in r.text
    titles = re.findall(r'<a href="/articles/[0-9a-f]+">([^<]+)</a>', r.text)
    assert titles[0] == "Wexcombe flooded"  # published a day after everything else
    assert len(titles) == 20


def test_articles_list_pages(db: Path) -> None:
    r = client(db).get("/articles?offset=20")
    assert "21–32 of 32" in r.text
    assert 'rel="prev"' in r.text and 'rel="next"' not in r.text


def test_search_finds_words_in_text(db: Path) -> None:
    r = client(db).get("/articles", params={"q": "refuge families"})
    assert "1 article match" in r.text
    assert "Wexcombe flooded" in r.text and "Floods in Wexcombe" not in r.text


def test_search_with_fts_syntax_is_plain_words(db: Path) -> None:
    r = client(db).get("/articles", params={"q": 'bridge" OR NEAR(x'})
    assert r.status_code == 200


def test_api_articles_matches_page(db: Path) -> None:
    data = client(db).get("/api/articles", params={"q": "refuge", "limit": 5}).json()
    assert data["total"] == 1 and data["items"][0]["title"] == "Wexcombe flooded"
    assert data["items"][0]["outlet"] == "Daily Trend Hub"


def test_article_page_text_and_boilerplate_on_demand(db: Path) -> None:
    c = client(db)
    aid = c.get("/api/articles", params={"q": "Story number 1"}).json()["items"][0]["id"]
    r = c.get(f"/articles/{aid[:12]}")
    assert r.status_code == 200
    assert '<details class="boilerplate">' in r.text and "Removed boilerplate (1 line)" in r.text


def test_article_page_lists_relations_with_pair_link(db: Path) -> None:
    source, copy, _ = spun_pair()
    r = client(db).get(f"/articles/{source.id}")
    assert f'href="/pairs/{copy.id}/{source.id}"' in r.text
    assert "spun copy" in r.text


def test_unknown_article_is_404_page(db: Path) -> None:
    r = client(db).get("/articles/ffffffffffff")
    assert r.status_code == 404 and "no article with this id" in r.text
    assert client(db).get("/api/articles/ffffffffffff").status_code == 404


def test_pair_page_highlights_every_substitution(db: Path) -> None:
    source, copy, rel = spun_pair()
    r = client(db).get(f"/pairs/{copy.id}/{source.id}")
    assert r.status_code == 200
    for sub in rel.substitutions:
        assert f"<del>{sub.source}</del><ins>{sub.copy}</ins>" in r.text
        assert (
            f'<del class="swapped" title="the copy says: “{sub.copy}”">{sub.source}</del>' in r.text
        )
    assert "93 %" in r.text and "17 %" in r.text


def test_pair_api_rows_cover_both_texts(db: Path) -> None:
    source, copy, rel = spun_pair()
    data = client(db).get(f"/api/pairs/{copy.id}/{source.id}").json()
    assert [s["original"] for s in data["substitutions"]] == ["rain", "river", "shelter"]
    copy_text = "\n\n".join("".join(seg["text"] for seg in row["copy"]) for row in data["rows"])
    source_text = "\n\n".join("".join(seg["text"] for seg in row["source"]) for row in data["rows"])
    assert copy_text == copy.text and source_text == source.text


def test_pair_of_unrelated_articles_is_404(db: Path) -> None:
    source, copy, _ = spun_pair()
    assert client(db).get(f"/pairs/{source.id}/{copy.id}").status_code == 404


def test_summary_api(db: Path) -> None:
    data = client(db).get("/api/summary").json()
    assert data["articles"] == 32 and data["features"]["provenance"] is True
    assert data["outlets"] >= 2


@pytest.mark.parametrize(
    "path",
    ["/", "/articles", "/articles?q=harbour", "/add", "/api/articles?q=harbour"],
)
def test_payloads_are_escaped_in_lists(db: Path, path: str) -> None:
    r = client(db).get(path)
    assert r.status_code == 200
    for marker in RAW_MARKERS:
        assert marker not in r.text, (path, marker)


def test_payloads_are_escaped_on_article_pages(db: Path) -> None:
    c = client(db)
    items = c.get("/api/articles", params={"q": "Story number", "limit": 10}).json()["items"]
    assert len(items) == len(PAYLOADS)
    for item in items:
        r = c.get(f"/articles/{item['id']}")
        for marker in RAW_MARKERS:
            assert marker not in r.text, marker
        payload = next(p for p in PAYLOADS if item["title"].endswith(p))
        assert f"<h1>{escape(item['title'])}</h1>" in r.text
        assert str(escape(payload)) in r.text
        assert 'href="javascript:' not in r.text


def test_csp_header_blocks_inline_script(db: Path) -> None:
    r = client(db).get("/articles")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_add_text_form_adds_and_redirects(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    r = c.post(
        "/add/text",
        data={
            "csrf_token": token,
            "text": "A brand new article about the tram line opening.",
            "title": "<b>Tram</b> opens",
            "site": "Metro",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get(r.headers["location"])
    assert "&lt;b&gt;Tram&lt;/b&gt; opens" in page.text


def test_add_urls_refuses_paths(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    r = c.post("/add/urls", data={"csrf_token": token, "urls": "/etc/passwd"})
    assert r.status_code == 422 and "not an http(s) URL" in r.text


def test_add_urls_job_reports_ssrf_refusal(db: Path) -> None:
    c = client(db)
    token = csrf(c)
    r = c.post(
        "/add/urls",
        data={"csrf_token": token, "urls": "http://127.0.0.1:9/x"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    c.app.state.jobs.wait(timeout=30)  # type: ignore[attr-defined]
    job = c.get(f"/api/jobs/{job_id}").json()
    assert job["state"] == "done"
    assert job["failed"] and "non-public address" in job["failed"][0]["reason"]
    assert "non-public address" in c.get(f"/jobs/{job_id}").text


def test_upload_files_batch(db: Path, tmp_path: Path) -> None:
    c = client(db)
    token = csrf(c)
    files = [
        (
            "files",
            (
                "../../evil name.txt",
                b"An uploaded article about the ferry timetable change.",
                "text/plain",
            ),
        ),
        (
            "files",
            ("second.txt", b"Another uploaded article, about the library reopening.", "text/plain"),
        ),
    ]
    r = c.post("/add/files", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    c.app.state.jobs.wait(timeout=30)  # type: ignore[attr-defined]
    job = c.get("/api" + r.headers["location"]).json()
    assert job["state"] == "done" and len(job["added"]) == 2, job
    assert c.get("/api/articles", params={"q": "ferry timetable"}).json()["total"] == 1


def test_api_add_article(db: Path) -> None:
    c = client(db)
    r = c.post(
        "/api/articles",
        json={"text": "The port authority announced new fees today.", "title": "Fees"},
    )
    assert r.status_code == 201 and len(r.json()["added"]) == 1


def test_unknown_job_is_404(db: Path) -> None:
    assert client(db).get("/api/jobs/nope").status_code == 404
    assert client(db).get("/jobs/nope").status_code == 404


def _fake_spin(payload: str):  # type: ignore[no-untyped-def]
    """A spin API answer flagging the word 'downpour' with a payload as its restoration."""
    from unspin.model import SpinReport, SpinSpan

    def spin(self, id_or_text: str, *, restore: bool = True) -> SpinReport:  # type: ignore[no-untyped-def]
        text = self.article(id_or_text).text
        start = text.find("downpour")
        spans = (
            (SpinSpan(start, start + 8, "downpour", f"rain {payload}", (), 0.8),)
            if start >= 0
            else ()
        )
        return SpinReport(0.91, "spun", "tortured wording", spans, (), text, None)

    return spin


def test_article_page_marks_spin_with_restoration(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspin.api import Unspin

    monkeypatch.setattr(Unspin, "spin", _fake_spin("<script>alert(9)</script>"), raising=False)
    _, copy, _ = spun_pair()
    c = client(db)
    r = c.get(f"/articles/{copy.id}")
    assert "Spin score <strong>91 %</strong>" in r.text
    assert (
        '<mark>downpour</mark> <ins class="restored">rain &lt;script&gt;alert(9)&lt;/script&gt;</ins>'
        in r.text
    )
    assert "<script>alert(9)" not in r.text
    data = c.get(f"/api/articles/{copy.id}").json()["spin"]
    assert data["spans"][0]["suggestion"].startswith("rain ")
    assert "".join(seg["text"] for seg in data["paragraphs"][0]) == copy.paragraphs[0]
    assert data["restored_text"].startswith("Heavy rain <script>")


def test_article_page_survives_a_spin_stage_that_cannot_run(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspin.api import Unspin
    from unspin.errors import UnspinError

    def broken(self, id_or_text: str, *, restore: bool = True):  # type: ignore[no-untyped-def]
        raise UnspinError("spin assets missing")

    monkeypatch.setattr(Unspin, "spin", broken, raising=False)
    _, copy, _ = spun_pair()
    r = client(db).get(f"/articles/{copy.id}")
    assert r.status_code == 200 and "not judged: spin assets missing" in r.text
    assert copy.paragraphs[1] in r.text


def test_search_pages_without_counting_every_match(db: Path) -> None:
    c = client(db)
    first = c.get("/articles", params={"q": "bridge repairs"})
    assert "More than 20 articles match" in first.text and 'rel="next"' in first.text
    second = c.get("/articles", params={"q": "bridge repairs", "offset": 20})
    assert "25 articles match" in second.text  # the last page knows the whole count
    assert "21–25 of 25" in second.text and 'rel="next"' not in second.text


@pytest.mark.parametrize("path", ["/", "/articles", "/add", "/api/docs", "/login"])
def test_pages_load_nothing_from_other_hosts(db: Path, path: str) -> None:
    r = client(db).get(path)
    assert r.status_code == 200
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', r.text)


def test_api_docs_lists_every_operation(db: Path) -> None:
    c = client(db)
    spec = c.get("/api/openapi.json").json()
    page = c.get("/api/docs").text
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page


def test_marks_on_a_genuine_article_are_called_possible_swaps(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from unspin.api import Unspin

    spun = _fake_spin("")

    def genuine(self, id_or_text: str, *, restore: bool = True):  # type: ignore[no-untyped-def]
        return replace(spun(self, id_or_text), probability=0.3, verdict="genuine")

    monkeypatch.setattr(Unspin, "spin", genuine, raising=False)
    _, copy, _ = spun_pair()
    page = client(db).get(f"/articles/{copy.id}").text
    assert "1 possible swap marked below" in page
    assert "suspected phrase" not in page


def test_a_weak_mark_is_shown_as_possible_and_not_restored(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from unspin.api import Unspin

    spun = _fake_spin("")

    def weak(self, id_or_text: str, *, restore: bool = True):  # type: ignore[no-untyped-def]
        report = spun(self, id_or_text)
        spans = tuple(replace(s, suggestion="rain", confidence=0.5) for s in report.spans)
        return replace(report, spans=spans)

    monkeypatch.setattr(Unspin, "spin", weak, raising=False)
    _, copy, _ = spun_pair()
    c = client(db)
    page = c.get(f"/articles/{copy.id}").text
    assert '<span class="spin possible"' in page and "perhaps “rain”" in page
    assert '<ins class="restored">rain</ins>' not in page
    data = c.get(f"/api/articles/{copy.id}").json()["spin"]
    assert data["spans"][0]["applied"] is False
    assert data["restored_text"] is None


def test_article_page_lists_the_addresses_that_ran_it_word_for_word(tmp_path: Path) -> None:
    """A text stored once but seen at two addresses (a verbatim republication): the
    page and its JSON list both, the first published first as the source."""
    from dataclasses import replace
    from datetime import timedelta

    first = article(
        "The harbour bridge closes on Monday for three months of repairs, the council said.",
        days=0,
        url="https://first.example/bridge",
        site="First News",
    )
    later = T0 + timedelta(days=1)
    again = replace(first, url="https://second.example/copy", site="Second Daily", published=later)
    db = build_store(tmp_path / "places.db", [again, first])
    c = client(db)
    page = c.get(f"/articles/{first.id}")
    section = page.text[page.text.index("Published word for word at 2 addresses") :]
    assert section.index("https://first.example/bridge") < section.index(
        "https://second.example/copy"
    )
    assert "first: the source" in section and "duplicate" in section
    data = c.get(f"/api/articles/{first.id}").json()
    assert [p["url"] for p in data["places"]] == [
        "https://first.example/bridge",
        "https://second.example/copy",
    ]
    assert data["places"][1]["outlet"] == "Second Daily"
    single = build_store(tmp_path / "single.db", [first])
    assert client(single).get(f"/api/articles/{first.id}").json()["places"] == []
