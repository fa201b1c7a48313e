"""The build record every asset script leaves next to what it built (``BUILD.json``).

An asset in ``src/unspin/assets/`` is only as trustworthy as the record of how it was
made: which inputs (and their SHA-256), which command, which code (the commit and
whether the tree was dirty), which packages, and what came out (sizes and SHA-256).
``tests/test_build_records.py`` checks that the outputs a record names are the files
shipped, byte for byte, so a hand-edited asset or a stale record fails the tests.

Use from a build script::

    from build_record import write_record
    write_record(out_dir, inputs={"weights": path, "vocabulary": "wordfreq 3.1 top 65k"},
                 outputs=[out_dir / "model.safetensors"], packages=["torch", "numpy"])
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD_NAME = "BUILD.json"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files in path order (names included)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            digest.update(str(f.relative_to(path)).encode() + b"\0")
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    rev = git("rev-parse", "HEAD") or "unknown"
    return rev + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _run(command: list[str] | None, packages: Iterable[str]) -> dict[str, object]:
    """What a record says of the run that built something: the command line (default:
    this process's), when, the commit, Python and the packages' versions."""
    return {
        "command": " ".join(
            command if command is not None else [Path(sys.argv[0]).as_posix(), *sys.argv[1:]]
        ),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in packages},
    }


def write_record(
    out_dir: Path,
    *,
    inputs: Mapping[str, Path | str],
    outputs: Iterable[Path],
    packages: Iterable[str] = (),
    command: list[str] | None = None,
    notes: str | None = None,
) -> Path:
    """Write ``out_dir/BUILD.json`` (merging with the record there: one script may build
    some outputs of a folder and another script the rest). Returns its path.

    Args:
        inputs: name -> a file or folder (hashed) or a plain description (a package
            version, a data set named by its licence and release).
        outputs: the files built, each recorded with its size and SHA-256.
        packages: the Python packages whose versions shaped the result.
        command: the command line; default: this process's.
    """
    path = out_dir / RECORD_NAME
    record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"outputs": {}}
    step = {
        **_run(command, packages),
        "inputs": {
            name: (
                {"path": str(v), "sha256": sha256_of(v)}
                if isinstance(v, Path)
                else {"description": v}
            )
            for name, v in inputs.items()
        },
    }
    if notes:
        step["notes"] = notes
    for out in outputs:
        record["outputs"][out.name] = {
            "bytes": out.stat().st_size,
            "sha256": sha256_of(out),
            "step": step,
        }
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def append_step(
    out_dir: Path,
    output: Path,
    *,
    before_sha256: str,
    packages: Iterable[str] = (),
    notes: str,
    command: list[str] | None = None,
) -> Path:
    """Record in ``out_dir/BUILD.json`` a step that rewrote ``output`` in place after the
    step that made it (kept as it is): the new size and SHA-256, and under ``after`` the
    command, commit, packages, the SHA-256 it rewrote and what it did. Returns the path."""
    path = out_dir / RECORD_NAME
    record = json.loads(path.read_text(encoding="utf-8"))
    entry = record["outputs"][output.name]
    entry.setdefault("after", []).append(
        {**_run(command, packages), "rewrote_sha256": before_sha256, "notes": notes}
    )
    entry["bytes"] = output.stat().st_size
    entry["sha256"] = sha256_of(output)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
