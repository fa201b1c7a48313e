"""End to end: ``unspin spin`` on files, stdin and stored articles; --json, --restore, --learn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spin_samples import FARM, FARM_SOURCE, GENUINE, TORTURED
from unspin.api import Unspin
from unspin.cli import app
from unspin.model import Article

runner = CliRunner()


@pytest.fixture
def spun_file(tmp_path: Path) -> Path:
    path = tmp_path / "spun.txt"
    path.write_text(TORTURED, encoding="utf-8")
    return path


def test_json_gives_spans_with_offsets(db_path: Path, spun_file: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", str(spun_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "spun"
    assert data["spans"]
    text = TORTURED.replace("\n\n", "\n\n")
    for span in data["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert data["restored"] != text


def test_restore_prints_the_restored_text(db_path: Path, spun_file: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", str(spun_file), "--restore"])
    assert result.exit_code == 0, result.output
    out = result.stdout.strip()
    spans = json.loads(
        runner.invoke(app, ["--db", str(db_path), "spin", str(spun_file), "--json"]).stdout
    )["spans"]
    assert out != TORTURED.strip()
    # Only the confident spans are put back; the others stay as written.
    expected, pos = [], 0
    for span in spans:
        if span["applied"]:
            assert span["confidence"] >= 0.8
            expected += [TORTURED[pos : span["start"]], span["suggestion"]]
            pos = span["end"]
    assert out == "".join(expected) + TORTURED[pos:]
    assert any(not s["applied"] for s in spans)


def test_restore_leaves_a_genuine_report_and_the_facts_of_a_copy(
    db_path: Path, tmp_path: Path
) -> None:
    source, copy = tmp_path / "source.txt", tmp_path / "copy.txt"
    source.write_text(FARM_SOURCE, encoding="utf-8")
    copy.write_text(FARM, encoding="utf-8")
    out = runner.invoke(app, ["--db", str(db_path), "spin", str(source), "--restore"])
    assert out.exit_code == 0, out.output
    assert out.stdout == FARM_SOURCE + "\n"
    out = runner.invoke(app, ["--db", str(db_path), "spin", str(copy), "--restore"])
    assert out.exit_code == 0, out.output
    assert "news conference" in out.stdout
    for fact in ("$3-billion contract", "She's also", "50-member alliance", "never missed"):
        assert fact in out.stdout


def test_marks_below_the_confidence_are_shown_as_possible(db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(FARM, encoding="utf-8")
    out = runner.invoke(app, ["--db", str(db_path), "spin", str(copy)], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "[conference]" in out.stdout
    assert "[possibly " in out.stdout
    assert "possible" in out.stdout.split("flagged spans", 1)[1]


def test_stdin_and_marked_text(db_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", "-"], input=TORTURED)
    assert result.exit_code == 0, result.output
    assert "SPUN" in result.stdout
    assert "flagged spans" in result.stdout


def test_stored_article_by_id(db_path: Path) -> None:
    article = Article.create(GENUINE)
    with Unspin(db_path) as u:
        u.store.put_articles([article])
    result = runner.invoke(app, ["--db", str(db_path), "spin", article.id[:10], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article_id"] == article.id
    assert data["verdict"] == "genuine"


def test_cannot_judge_is_reported(db_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", "-"], input="Too short to judge.")
    assert result.exit_code == 0
    assert "cannot judge: under 50 words" in result.stdout


def test_missing_file_is_an_error(db_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", "no-such-file.txt"])
    assert result.exit_code == 1
    assert "no such file or article id" in result.output


def test_learn_without_relations(db_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", "--learn", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["learned"]["substitutions"] == 0


def test_marks_on_a_genuine_text_are_not_called_flagged(db_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db_path), "spin", "-"], input=GENUINE)
    assert result.exit_code == 0, result.output
    assert "GENUINE" in result.stdout
    assert "flagged spans" not in result.stdout
