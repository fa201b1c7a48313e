"""End to end: `unspin add/list/show/export/summary` on the bundled examples."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import EXAMPLES
from unspin import __version__
from unspin.cli import app

runner = CliRunner()


def unspin(db: Path, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", str(db), *args], input=input)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = unspin(db, "add", str(EXAMPLES), "--json")
    assert result.exit_code == 0, result.output
    return db


def test_add_examples_reports_every_article(demo_db: Path) -> None:
    report = json.loads(unspin(demo_db, "add", str(EXAMPLES), "--json").stdout)
    assert report["added"] == [] and report["failed"] == []
    assert len(report["known"]) + len(report["republished"]) >= 12


def test_list_json_newest_first(demo_db: Path) -> None:
    rows = json.loads(unspin(demo_db, "list", "--json", "-n", "100").stdout)
    assert len(rows) >= 12
    dated = [r["published"] for r in rows if r["published"]]
    from datetime import datetime

    stamps = [datetime.fromisoformat(d).timestamp() for d in dated]
    assert stamps == sorted(stamps, reverse=True)


def test_show_boilerplate(demo_db: Path) -> None:
    rows = json.loads(unspin(demo_db, "list", "--json", "-n", "100").stdout)
    with_bp = [
        r
        for r in rows
        if json.loads(unspin(demo_db, "show", r["id"], "--json").stdout)["boilerplate"]
    ]
    assert with_bp, "the examples carry boilerplate lines that must be kept and shown"
    out = unspin(demo_db, "show", with_bp[0]["id"][:10], "--boilerplate").stdout
    assert "Removed boilerplate" in out


def test_verbatim_copy_is_recorded_as_a_second_appearance(demo_db: Path) -> None:
    rows = json.loads(unspin(demo_db, "list", "--json", "-n", "100").stdout)
    shown = [json.loads(unspin(demo_db, "show", r["id"], "--json").stdout) for r in rows]
    multi = [s for s in shown if len(s["appearances"]) > 1]
    assert multi and len({a["site"] for a in multi[0]["appearances"]}) > 1


def test_export_jsonl_and_csv(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert unspin(demo_db, "export", "--format", "jsonl", "--out", str(out)).exit_code == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) >= 12 and {"id", "title", "text", "published", "boilerplate"} <= set(lines[0])
    res = unspin(demo_db, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == len(lines)


def test_summary_json(demo_db: Path) -> None:
    data = json.loads(unspin(demo_db, "summary", "--json").stdout)
    assert data["articles"] >= 12 and data["outlets"] >= 5


def test_bad_inputs_exit_1_and_keep_the_store(demo_db: Path, tmp_path: Path) -> None:
    before = json.loads(unspin(demo_db, "summary", "--json").stdout)["articles"]
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    good = tmp_path / "good.txt"
    good.write_text(
        "A brand new article about a ferry strike in Portmere that began on Monday morning."
    )
    res = unspin(demo_db, "add", str(tmp_path / "missing.html"), str(empty), str(good))
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("unspin: failed:")]
    assert len(errors) == 2
    assert "missing.html: no such file or directory" in errors[0]
    assert "empty.txt: empty file" in errors[1]
    after = json.loads(unspin(demo_db, "summary", "--json").stdout)["articles"]
    assert after == before + 1


def test_show_unknown_id_is_one_line_error(demo_db: Path) -> None:
    res = unspin(demo_db, "show", "zzzz")
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0 and "no article" in res.stderr


def test_not_a_database_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_text("nope" * 1000)
    res = unspin(bad, "list")
    assert res.exit_code == 1 and "cannot open database" in res.stderr


def test_stdin_via_real_process(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    text = (
        "Title: Piped\n\nThe ferry strike in Portmere ended on Friday after talks lasted all night."
    )
    proc = subprocess.run(
        [sys.executable, "-m", "unspin", "--db", str(db), "add", "-", "--json"],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["added"]) == 1


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and __version__ in res.stdout


def _commands(group: typer.main.TyperGroup, prefix: str = ""):
    for name, cmd in group.commands.items():
        yield f"{prefix}{name}", cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")


def test_every_command_and_option_has_help() -> None:
    group = typer.main.get_command(app)
    missing = []
    for name, cmd in _commands(group):
        if not (cmd.help or "").strip():
            missing.append(name)
        for param in cmd.params:
            if (
                param.param_type_name == "option"
                and not (getattr(param, "help", None) or "").strip()
            ):
                missing.append(f"{name} {param.opts[0]}")
    assert missing == []
