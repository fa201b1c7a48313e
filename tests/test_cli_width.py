"""The read commands fit an 80-column terminal (COLUMNS=80), as a person runs them.

Each command runs as a real process over a store built from ``examples/``: no line is
wider than 80 columns, ids are never split over two lines, and the tables keep to four
columns (details behind ``-v`` or ``--json``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

UNSPIN = Path(sys.executable).parent / "unspin"
WIDTH = 80


def run(db: Path, *args: str, columns: int = WIDTH) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "UNSPIN_DB": str(db)}
    env.pop("LINES", None)
    done = subprocess.run(
        [str(UNSPIN), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("width") / "examples.db"
    run(path, "add", str(EXAMPLES))
    return path


@pytest.fixture(scope="module")
def ids(db: Path) -> dict[str, str]:
    stories = json.loads(run(db, "stories", "--json"))
    transit = next(s for s in stories if "transit fare" in (s["title"] or ""))
    copies = json.loads(run(db, "copies", "--json"))
    spun = next(r for r in copies["relations"] if r["kind"] == "spun_copy")
    return {"story": transit["id"], "copy": spun["copy"]}


COMMANDS = {
    "stories": lambda ids: ["stories"],
    "stories -v": lambda ids: ["stories", "-v"],
    "story": lambda ids: ["story", ids["story"]],
    "story -v": lambda ids: ["story", ids["story"], "-v"],
    "compare": lambda ids: ["compare", ids["story"]],
    "compare -v": lambda ids: ["compare", ids["story"], "-v"],
    "copies": lambda ids: ["copies"],
    "trace": lambda ids: ["trace", ids["copy"]],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_fits_80_columns(db: Path, ids: dict[str, str], name: str) -> None:
    out = run(db, *COMMANDS[name](ids))
    assert out.strip()
    too_wide = [line for line in out.splitlines() if len(line) > WIDTH]
    assert not too_wide, f"{len(too_wide)} lines over {WIDTH}: {too_wide[:2]}"


@pytest.mark.parametrize("name", ["stories", "story", "copies", "trace"])
def test_tables_keep_to_four_columns(db: Path, ids: dict[str, str], name: str) -> None:
    out = run(db, *COMMANDS[name](ids))
    for line in out.splitlines():
        if line.startswith(("┃", "│")):
            assert line.count("│") + line.count("┃") <= 5, line


def test_ids_are_whole(db: Path, ids: dict[str, str]) -> None:
    """A short id is never split over two lines ("063eab9063" / "f4" was)."""
    stories = run(db, "stories")
    assert ids["story"] in stories
    story = run(db, "story", ids["story"])
    members = json.loads(run(db, "story", ids["story"], "--json"))["members"]
    for m in members:
        assert re.search(rf"│ {m['article_id'][:10]} │", story), m["article_id"]


def test_story_timeline_reads_in_order(db: Path, ids: dict[str, str]) -> None:
    """Times on one clock (UTC), oldest first, whatever zone each outlet wrote in."""
    story = run(db, "story", ids["story"])
    times = re.findall(r"│ (\d{4}-\d\d-\d\d \d\d:\d\d) │", story)
    assert len(times) >= 4 and times == sorted(times)


def test_wider_terminal_shows_more(db: Path) -> None:
    narrow = run(db, "stories")
    wide = run(db, "stories", columns=140)
    assert "outlets" in wide and "outlets" not in narrow
