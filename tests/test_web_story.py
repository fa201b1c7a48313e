"""The story page (timeline, claims matrix, provenance tree) and its static report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _web_helpers import PAYLOADS, RAW_MARKERS, article, build_store, client, spun_pair
from unspin.api import Unspin
from unspin.model import Relation


def _story_db(tmp_path: Path) -> tuple[Path, str]:
    """A source, its spun copy, and a copy of that copy whose title carries a payload."""
    source, copy, rel = spun_pair()
    second = article(
        copy.text + "\n\nA closing line added by the second copier.",
        days=2,
        title=f"Copy of a copy {PAYLOADS[0]}",
        site=f"Echo {PAYLOADS[1]}",
    )
    rel2 = Relation(copy.id, second.id, "edited_copy", 0.8, 0.95, 1.0, 0.0, "published")
    db = build_store(tmp_path / "story.db", [source, copy, second], [rel, rel2])
    return db, source.id


@pytest.fixture()
def story(tmp_path: Path) -> tuple[Path, str]:
    return _story_db(tmp_path)


def _story_id(db: Path, article_id: str) -> str:
    with Unspin(db, read_only=True) as u:
        from unspin.web.storyview import story_of

        sid = story_of(u, article_id)
    assert sid
    return sid


def test_story_page_has_timeline_tree_and_pair_links(story: tuple[Path, str]) -> None:
    db, source_id = story
    _, copy, _ = spun_pair()
    sid = _story_id(db, copy.id)
    r = client(db).get(f"/stories/{sid}")
    assert r.status_code == 200
    assert r.text.count("<h1>") == 1
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', r.text, re.S)
    assert timeline and timeline.group(1).index("Wexcombe Gazette") < timeline.group(1).index(
        "Daily Trend Hub"
    )
    assert f'href="/pairs/{copy.id}/{source_id}"' in r.text
    assert '<span class="rel rel-original">original</span>' in r.text
    for marker in RAW_MARKERS:
        assert marker not in r.text


def test_story_api_tree_nests_copy_of_copy(story: tuple[Path, str]) -> None:
    db, source_id = story
    _, copy, _ = spun_pair()
    data = client(db).get(f"/api/stories/{_story_id(db, copy.id)}").json()
    assert data["n_articles"] == 3
    root = data["provenance"][0]
    assert root["article"]["id"] == source_id and root["relation"] is None
    child = root["children"][0]
    assert child["relation"] == "spun_copy" and child["children"][0]["relation"] == "edited_copy"
    assert [t["role"] for t in data["timeline"]] == ["original", "spun_copy", "edited_copy"]
    assert data["timeline"][0]["position"] == 0 and data["timeline"][-1]["position"] == 1


def test_article_page_links_its_story(story: tuple[Path, str]) -> None:
    db, _ = story
    _, copy, _ = spun_pair()
    r = client(db).get(f"/articles/{copy.id}")
    assert f'href="/stories/{_story_id(db, copy.id)}"' in r.text


def test_unknown_story_is_404(story: tuple[Path, str]) -> None:
    db, _ = story
    assert client(db).get("/stories/0000000000").status_code == 404
    assert client(db).get("/api/stories/0000000000").status_code == 404


def test_report_is_self_contained(story: tuple[Path, str], tmp_path: Path) -> None:
    from unspin.cli import app

    db, _ = story
    _, copy, _ = spun_pair()
    out = tmp_path / "out" / "story.html"
    result = CliRunner().invoke(
        app, ["--db", str(db), "report", _story_id(db, copy.id), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "li.statement.agree" in html
    assert "default-src 'none'" in html  # the file may load nothing, even if opened online
    # nothing external: no script, no stylesheet link, no src/href to anywhere
    assert "<script" not in html.replace("&lt;script", "")
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert not re.search(r'\bsrc="', html)
    assert not re.search(r'href="(?!#)', html)
    assert "Floods in Wexcombe" in html and "Daily Trend Hub" in html
    for marker in RAW_MARKERS:
        assert marker not in html


def test_report_of_unknown_story_fails_cleanly(story: tuple[Path, str], tmp_path: Path) -> None:
    from unspin.cli import app

    db, _ = story
    result = CliRunner().invoke(
        app, ["--db", str(db), "report", "nope", "--out", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "x.html").exists()


def test_front_page_lists_stories_with_counts_and_outlets(story: tuple[Path, str]) -> None:
    db, _ = story
    c = client(db)
    data = c.get("/api/stories").json()
    assert data["total"] >= 1
    top = next(s for s in data["items"] if s["n_articles"] == 3)
    assert {"Wexcombe Gazette", "Daily Trend Hub"} <= set(top["outlets"])
    page = c.get("/").text
    assert f'href="/stories/{top["id"]}"' in page and "3 articles" in page
    for marker in RAW_MARKERS:
        assert marker not in page
