"""Every shipped model asset has a build record (scripts/build_record.py) naming its
inputs and the command, and the files the record names are the files shipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import ModuleType

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


def _build_record() -> ModuleType:
    """scripts/build_record.py, loaded from its file (scripts/ is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_record.py"
    spec = importlib.util.spec_from_file_location("build_record", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_rewrite_in_place_is_listed_after_the_step_that_made_the_file(tmp_path: Path) -> None:
    br = _build_record()
    out = tmp_path / "model.bin"
    out.write_bytes(b"exported")
    br.write_record(tmp_path, inputs={"weights": "a description"}, outputs=[out], command=["x"])
    exported = _sha256(out)
    out.write_bytes(b"rewritten")
    br.append_step(tmp_path, out, before_sha256=exported, notes="why", command=["y", "unsign"])
    entry = json.loads((tmp_path / "BUILD.json").read_text(encoding="utf-8"))["outputs"][out.name]
    assert entry["step"]["command"] == "x" and entry["step"]["inputs"]
    assert entry["sha256"] == _sha256(out) and entry["bytes"] == len(b"rewritten")
    (after,) = entry["after"]
    assert after["command"] == "y unsign" and after["rewrote_sha256"] == exported
    assert after["notes"] == "why" and after["commit"]
