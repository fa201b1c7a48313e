"""bench/RESULTS.md holds one current section per benchmark, each stamped with the commit
measured, a hash of its data and the command that measured it; ``make bench`` runs
exactly those commands (bench/__main__.py ``COMMANDS``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RESULTS = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8")
STAMP = re.compile(r"· commit ([0-9a-f]{7,40})\S* · data ([0-9a-f]{12}) · `([^`]+)`_")


def bench_commands() -> tuple[str, ...]:
    """bench/__main__.py's COMMANDS, read without running it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_main", ROOT / "bench" / "__main__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.COMMANDS)


def sections() -> dict[str, str]:
    """``## `` sections of RESULTS.md by title (a repeated title fails the caller)."""
    parts = re.split(r"^## (.+)$", RESULTS, flags=re.M)[1:]
    titles = parts[0::2]
    assert len(titles) == len(set(titles)), f"repeated sections: {sorted(titles)}"
    return dict(zip(titles, parts[1::2], strict=True))


@pytest.mark.parametrize("title", sorted(sections()))
def test_section_is_stamped_once(title: str) -> None:
    stamps = STAMP.findall(sections()[title])
    assert len(stamps) == 1, f"{title}: {len(stamps)} stamps (commit, data hash, command)"


def test_make_bench_runs_exactly_the_recorded_commands() -> None:
    recorded = sorted(STAMP.search(body).group(3) for body in sections().values())  # type: ignore[union-attr]
    assert sorted(bench_commands()) == recorded


def test_each_command_runs_a_script_of_bench() -> None:
    for command in bench_commands():
        script = command.split()[1]
        assert command.startswith("python bench/") and (ROOT / script).is_file(), command


def test_recorded_commits_exist() -> None:
    for body in sections().values():
        rev = STAMP.search(body).group(1)  # type: ignore[union-attr]
        proc = subprocess.run(
            ["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True
        )
        assert proc.returncode == 0, f"commit {rev} is not in this repository"


def test_a_new_section_replaces_the_old_and_keeps_hand_notes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import harness

    results = tmp_path / "RESULTS.md"
    results.write_text(
        "# R\n\n## A\n\nold a\n\n### Table\n\nold t\n\n### Where we lose\n\nhand\n\n## B\n\nb\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(harness, "RESULTS", results)
    harness.replace_section("A", "new a\n\n### Table\n\nnew t")
    text = results.read_text(encoding="utf-8")
    assert text == (
        "# R\n\n## B\n\nb\n\n## A\n\nnew a\n\n### Table\n\nnew t\n\n### Where we lose\n\nhand\n"
    )
