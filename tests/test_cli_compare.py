"""End to end: `unspin compare` and `unspin claims` on the bundled trade-talks story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from unspin.cli import app

runner = CliRunner()
STORY = [EXAMPLES / "trade-talks-northwind-herald.txt", EXAMPLES / "trade-talks-coastal-times.html"]


def unspin(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("compare") / "c.db"
    result = unspin(db, "add", *map(str, STORY), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stages"]["claims"]["articles"] == 2
    return db, report["added"]


def test_json_shows_the_issue_example(story: tuple[Path, list[str]]) -> None:
    db, ids = story
    result = unspin(db, "compare", "--articles", ",".join(i[:10] for i in ids), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {s["outlet"] for s in data["sources"]} == {"Northwind Herald", "Coastal Times"}
    conflicts = {g["kind"]: g for g in data["groups"] if g["label"] == "conflict"}
    assert set(conflicts) >= {"duration", "date"}
    assert "more than three hours" in conflicts["duration"]["reason"]
    assert "about 45 minutes" in conflicts["duration"]["reason"]
    agreed = [g for g in data["groups"] if g["label"] == "agree" and g["kind"] == "duration"]
    assert any({c["value"] for c in g["claims"]} == {86400.0} for g in agreed)  # the 60-day pause
    unique_words = {g["claims"][0]["words"] for g in data["groups"] if g["label"] == "unique"}
    assert {"200 detainees", "12 journalists"} <= unique_words
    assert data["counts"]["conflict"] == len(conflicts)


def test_table_in_the_terminal(story: tuple[Path, list[str]]) -> None:
    db, ids = story
    result = unspin(db, "compare", "--articles", ",".join(ids))
    assert result.exit_code == 0, result.output
    for part in (
        "Conflicts (2)",
        "Agreements",
        "Reported by one source only",
        "Thursday",
        "Friday morning",
    ):
        assert part in result.stdout


@pytest.mark.parametrize(("fmt", "marker"), [("markdown", "## Conflicts"), ("html", "<table>")])
def test_markdown_and_html(story: tuple[Path, list[str]], fmt: str, marker: str) -> None:
    db, ids = story
    result = unspin(db, "compare", "--articles", ",".join(ids), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.stdout and "Northwind Herald" in result.stdout


def test_claims_of_one_article(story: tuple[Path, list[str]]) -> None:
    db, ids = story
    result = unspin(db, "claims", ids[0], "--json")
    assert result.exit_code == 0, result.output
    kinds = {c["kind"] for c in json.loads(result.stdout)}
    assert kinds >= {"date", "duration", "quote", "quantity", "actor"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give a STORY_ID or --articles"),
        (("--articles", "ffffffffff"), "ffffffffff"),
        (("--articles", "x", "--format", "pdf"), "unknown format"),
    ],
)
def test_errors_are_one_line(
    story: tuple[Path, list[str]], args: tuple[str, ...], message: str
) -> None:
    db, _ = story
    result = unspin(db, "compare", *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
