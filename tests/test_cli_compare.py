"""End to end: `unspin compare` and `unspin claims` on the bundled trade-talks story."""

from __future__ import annotations

import json
import re
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


def test_terminal_opens_with_conflicts_then_confirmed_facts(
    story: tuple[Path, list[str]],
) -> None:
    db, ids = story
    result = unspin(db, "compare", "--articles", ",".join(ids))
    assert result.exit_code == 0, result.output
    out = result.stdout
    order = [
        out.index(part)
        for part in (
            "Conflicts (2)",
            "Confirmed by several sources",
            "Reported by one source only",
        )
    ]
    assert order == sorted(order)
    # A conflict shows why without -v: both sources' words.
    flat = " ".join(out.split())
    assert '"Friday morning"' in flat and '"Thursday"' in flat
    assert "disputed between 2 of 2 sources (2 independent)" in flat
    # Claims one source makes are counted per source, listed only with -v.
    assert re.search(r"Northwind Herald: \d+\n", out) and re.search(r"Coastal Times: \d+\n", out)
    assert "(-v lists them)" in out


def test_verbose_shows_each_sources_sentence(story: tuple[Path, list[str]]) -> None:
    db, ids = story
    result = unspin(db, "compare", "--articles", ",".join(ids), "-v")
    assert result.exit_code == 0, result.output
    assert "200 detainees" in result.stdout and "(-v lists them)" not in result.stdout
    assert "Northwind Herald: " in result.stdout and "Coastal Times: " in result.stdout


def test_statements_show_no_internal_keys(story: tuple[Path, list[str]]) -> None:
    """A topic is words a reader reads: a clause of a sentence, or who said what."""
    db, ids = story
    data = json.loads(unspin(db, "compare", "--articles", ",".join(ids), "--json").stdout)
    for g in data["groups"]:
        sentences = " ".join(c["sentence"] for c in g["claims"])
        topic = g["topic"].strip("… ")
        if g["kind"] == "quote" and ": \u201c" in topic:
            assert all(w[:1].isupper() for w in topic.split(": ")[0].split()), topic
            continue
        # every word of the statement is read from one of the sources' sentences
        assert topic.split()[-1] in sentences, topic
        assert topic.split()[0].lower() in sentences.lower(), topic


def test_ranked_conflicts_then_agreements_then_differences(
    story: tuple[Path, list[str]],
) -> None:
    db, ids = story
    data = json.loads(unspin(db, "compare", "--articles", ",".join(ids), "--json").stdout)
    section = {"conflict": 0, "agree": 1, "differ": 2, "unique": 4}
    ranks = [3 if g["minor"] else section[g["label"]] for g in data["groups"]]
    assert ranks == sorted(ranks)
    assert any(g["minor"] for g in data["groups"])  # "about 50" / "50" delegates


@pytest.mark.parametrize(("fmt", "marker"), [("markdown", "## Conflicts"), ("html", "<mark>")])
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
