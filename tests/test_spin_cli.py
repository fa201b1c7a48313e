"""End to end: ``unspin spin`` on files, stdin and stored articles; --json, --restore, --learn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spin_samples import GENUINE, TORTURED
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
    for span in spans:
        assert span["suggestion"] in out


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
