"""Every shipped model asset has a build record (scripts/build_record.py) naming its
inputs and the command, and the files the record names are the files shipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[1] / "src" / "unspin" / "assets"
# Asset folders whose every file (but the README) must carry a record.
RECORDED = ("embed", "stories")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("folder", RECORDED)
def test_each_shipped_file_is_the_one_its_record_names(folder: str) -> None:
    record = json.loads((ASSETS / folder / "BUILD.json").read_text(encoding="utf-8"))
    shipped = {
        p.name for p in (ASSETS / folder).iterdir() if p.name not in ("README.md", "BUILD.json")
    }
    assert set(record["outputs"]) == shipped
    for name, out in record["outputs"].items():
        path = ASSETS / folder / name
        assert out["bytes"] == path.stat().st_size, name
        assert out["sha256"] == _sha256(path), name
        step = out["step"]
        assert step["command"].startswith("scripts/build_"), step["command"]
        assert step["inputs"] and step["commit"]
