"""Quality gates: accuracy figures are floors CI defends, each on its held-out split.

Every gate of bench/baselines.json is defined in bench/gates.py (its split, whether that
split is held out from tuning and calibration, the data it reads) and measured here the
way ``python bench/gates.py`` measured it: one test per measurement group, skipped where
the public data is absent. Seconds per group as `bench/gates.py` measured them
(``group_seconds`` in baselines.json; 2 cores, "Quality gates" in bench/RESULTS.md):
extraction 3, genuine_half_b 6, tortured_restoration 2, unseen_spinner 3,
spinbot_documents 1, stories 20 (69 at load 6-9), copy_detection 13; slow: add_speed 20, real_copies 8.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import gates  # noqa: E402

RECORDS = gates.load()["gates"]


def test_every_gate_has_a_record() -> None:
    assert sorted(RECORDS) == sorted(gates.GATES)


@pytest.mark.parametrize("name", sorted(gates.GATES))
def test_gate_record_names_split_data_and_commit(name: str) -> None:
    record, gate = RECORDS[name], gates.GATES[name]
    assert isinstance(record[gate.bound], int | float), record
    assert record["split"] == gate.split
    assert record["held_out"] == gate.held_out in ("yes", "partly", "no", "n/a")
    assert record["data_files"] == list(gates.GROUPS[gate.group].data)
    assert len(record["data"]) == 12 and len(record["commit"]) >= 7, record
    assert "+dirty" not in record["commit"], "measure gates on a committed tree"
    assert gates.passes(name, record["measured"], record[gate.bound]), record


@pytest.mark.data
@pytest.mark.parametrize("group", sorted(gates.GROUPS))
def test_gate_data_is_the_data_measured(shared_data: Path, group: str) -> None:
    paths = gates.data_paths(group)
    if not all(p.exists() for p in paths):
        pytest.skip(f"{[str(p) for p in paths if not p.exists()]} absent")
    now = gates.data_hash(paths)
    for name in (n for n, g in gates.GATES.items() if g.group == group):
        assert RECORDS[name]["data"] == now, f"{name}: measured on other data; re-run gates.py"


def _groups() -> list[object]:
    marks = {True: [pytest.mark.data, pytest.mark.slow], False: [pytest.mark.data]}
    return [pytest.param(g, marks=marks[gates.GROUPS[g].slow]) for g in sorted(gates.GROUPS)]


@pytest.mark.parametrize("group", _groups())
def test_gate_floors(shared_data: Path, group: str) -> None:
    missing = [p for p in gates.data_paths(group) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is absent (WordNet: make wordnet)")
    figures = gates.GROUPS[group].measure()
    failed = [
        f"{name} {figures[name]:.4f} vs {gate.bound} {RECORDS[name][gate.bound]} ({gate.split})"
        for name, gate in gates.GATES.items()
        if gate.group == group and not gates.passes(name, figures[name], RECORDS[name][gate.bound])
    ]
    assert not failed, failed
