"""End to end: `unspin stories` and `unspin story ID` on a temporary database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.cli import app
from unspin.model import Article
from unspin.pipeline import run_after_ingest
from unspin.store import Store

runner = CliRunner()
T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)

ARTICLES = [
    (
        "Quake kills 12 in Chile",
        "a.example",
        0,
        "A magnitude 6.1 earthquake struck near Valparaiso, Chile on Tuesday, killing 12 people. "
        "Officials in Santiago said rescue teams from Valparaiso were searching the rubble.",
    ),
    (
        "Chile earthquake death toll reaches 12",
        "b.example",
        5,
        "Rescuers in Valparaiso searched collapsed buildings after the 6.1 quake that killed 12 "
        "in Chile. President Boric visited hospitals in Santiago and Valparaiso.",
    ),
    (
        "Tara Reid enters rehab",
        "c.example",
        30,
        "Actress Tara Reid checked into Promises Treatment Center in Malibu, her publicist "
        "Jack Ketsoyan told People magazine on Tuesday.",
    ),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "u.db"
    with Store(path) as store:
        arts = [
            Article.create(text, title=title, site=site, published=T0 + timedelta(hours=h))
            for title, site, h, text in ARTICLES
        ]
        store.put_articles(arts)
        # The same steps `unspin add` runs after ingest.
        run_after_ingest(store, [a.id for a in arts])
    return path


def test_stories_json_newest_first(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "stories", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["n_articles"] for s in data] == [1, 2]
    assert data[0]["title"] == "Tara Reid enters rehab"
    assert set(data[1]["outlets"]) == {"a.example", "b.example"}
    assert {
        "id",
        "title",
        "first_published",
        "last_published",
        "outlets",
        "n_articles",
        "key_terms",
    } <= set(data[0])


def test_stories_table(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "stories"])
    assert result.exit_code == 0
    assert "Tara Reid" in result.stdout and "a.example" not in result.stdout
    verbose = runner.invoke(app, ["--db", str(db), "stories", "-v"])
    assert "a.example" in verbose.stdout  # outlets: -v in a narrow terminal


def test_story_timeline_json(db: Path) -> None:
    stories = json.loads(runner.invoke(app, ["--db", str(db), "stories", "--json"]).stdout)
    chile = stories[1]["id"]
    result = runner.invoke(app, ["--db", str(db), "story", chile[:7], "--json"])
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["story"]["id"] == chile
    published = [m["published"] for m in detail["members"]]
    assert published == sorted(published)
    assert detail["members"][1]["reason"].startswith("score")


def test_story_table(db: Path) -> None:
    stories = json.loads(runner.invoke(app, ["--db", str(db), "stories", "--json"]).stdout)
    result = runner.invoke(app, ["--db", str(db), "story", stories[1]["id"]])
    assert result.exit_code == 0
    assert "b.example" in result.stdout and "valparaiso" not in result.stdout
    verbose = runner.invoke(app, ["--db", str(db), "story", stories[1]["id"], "-v"])
    assert "valparaiso" in verbose.stdout  # why it joined: -v


def test_unknown_story_is_one_line_error(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "story", "nope"])
    assert result.exit_code == 1
    assert "no story" in result.output


def test_rebuild_keeps_the_grouping(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "stories", "--rebuild", "--json"])
    assert result.exit_code == 0
    assert sorted(s["n_articles"] for s in json.loads(result.stdout)) == [1, 2]
