"""End to end: `unspin compare` on two plain-text reports of one phone call, copied from
outlets on two continents, that differ in duration and weekday (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.cli import app

runner = CliRunner()

# Invented reports, as a reader copies them from the pages: headline, byline, date line,
# text, credit line. The New York page stated its offset; the Tokyo one is on a .jp site.
NEW_YORK = """URL: https://www.newyorkledger.example.com/world/varga-mori-call
Published: 2026-03-02T19:00:00-05:00

Varga and Mori hold marathon phone call on trade

By Jane Example

President Ana Varga and Prime Minister Kenji Mori spoke by phone on Monday, the White House said.

The call lasted greater than three hours, according to officials, and covered trade and the Serrat border dispute.

"We want humanitarian aid to reach the region quickly," Varga said after the call.

Source: New York Ledger
"""
TOKYO = """URL: https://www.tokyoherald.example.co.jp/politics/mori-varga
Published: 2026-03-03T01:00:00Z

Mori and Varga discuss trade, border in phone call

Prime Minister Kenji Mori and President Ana Varga held a more than 40-minute chat on Tuesday, Mori's office said.

The two leaders discussed trade and the Serrat border dispute.

"We want compassionate help to reach the region quickly," Varga said after the call.

This article was originally published on Tokyo Herald.
"""


def unspin(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("call")
    (folder / "ny.txt").write_text(NEW_YORK, encoding="utf-8")
    (folder / "tokyo.txt").write_text(TOKYO, encoding="utf-8")
    db = folder / "c.db"
    result = unspin(db, "add", str(folder / "ny.txt"), str(folder / "tokyo.txt"), "--json")
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)["added"]


def test_both_reports_land_in_one_story_with_title_and_outlet(
    added: tuple[Path, list[str]],
) -> None:
    db, _ = added
    result = unspin(db, "stories", "--json")
    assert result.exit_code == 0, result.output
    stories = json.loads(result.stdout)
    assert len(stories) == 1
    assert set(stories[0]["outlets"]) == {"New York Ledger", "Tokyo Herald"}


def test_compare_shows_the_duration_and_the_explained_weekday(
    added: tuple[Path, list[str]],
) -> None:
    db, ids = added
    result = unspin(db, "compare", "--articles", ",".join(ids), "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]
    by_kind = {g["kind"]: g for g in groups if g["label"] != "unique"}
    duration, day, quote = by_kind["duration"], by_kind["date"], by_kind["quote"]
    assert duration["label"] == "differ"
    assert "more than 3 hours" in duration["reason"]
    assert "more than 40 minutes" in duration["reason"]
    assert day["label"] == "differ"
    assert "explained by time zones" in day["reason"]
    assert quote["label"] == "conflict" and "quote altered" in quote["reason"]


def test_compare_as_markdown_names_both_differences(added: tuple[Path, list[str]]) -> None:
    db, ids = added
    result = unspin(db, "compare", "--articles", ",".join(ids), "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "explained by time zones" in text
    assert "more than 40-minute chat" in text
