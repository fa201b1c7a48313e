"""The small harness every benchmark uses.

- :func:`median_time` runs a function several times and keeps the median (and all runs);
- :func:`ratio` states a figure against a named peer measured in the same run;
- :func:`record_results` writes a benchmark's section of bench/RESULTS.md, replacing the
  earlier one (one current section per benchmark; history lives in git), stamped with
  the date, the machine, the commit measured and a hash of the data read;
- :func:`shared_data` finds ../shared/data or exits with a clear skip message.

``make bench`` (``python -m bench``) runs exactly the commands of ``COMMANDS`` in
bench/__main__.py, and
each RESULTS.md section records one of them (tests/test_bench_records.py checks both).

Run every benchmark with ``make bench`` (``python -m bench``) or one alone with
``python bench/<name>.py``.
"""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"


def shared_data(*parts: str) -> Path:
    """Path under ../shared/data (or $UNSPIN_SHARED_DATA); exit 0 with a skip note if absent."""
    path = data_root().joinpath(*parts)
    if not path.exists():
        print(
            f"SKIP: {path} is absent (public data lives in ../shared/data; see shared/data/README.md)"
        )
        sys.exit(0)
    return path


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one function."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        return max(self.runs) - min(self.runs)


def median_time(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> Timing:
    """Time ``fn()`` ``repeat`` times after ``warmup`` untimed calls; keep every run."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return Timing(tuple(runs))


class Timer:
    """Context manager measuring one block: ``with Timer() as t: ...; t.seconds``."""

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0


def ratio(ours: float, peer: float) -> str:
    """``ours / peer`` formatted as ``1.23x``."""
    return f"{ours / peer:.2f}x" if peer else "n/a"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_model() -> str | None:
    """The CPU's model name as the kernel gives it (Linux), or None."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() or None
    except OSError:
        return None
    return None


def machine() -> str:
    """One line describing where the figures were measured: machines of one kind differ
    by CPU (the same code ran the add bench twice as fast on one as on another)."""
    cpu = cpu_model()
    arch = f"{platform.machine()} ({cpu})" if cpu else platform.machine()
    return f"{arch}, {os.cpu_count()} cores, Python {platform.python_version()}"


def data_root() -> Path:
    """The public data folder: ../shared/data, or $UNSPIN_SHARED_DATA."""
    return Path(os.environ.get("UNSPIN_SHARED_DATA") or ROOT.parent / "shared" / "data")


def data_hash(paths: Iterable[Path]) -> str:
    """First 12 hex digits of SHA-256 over the files (a folder: every file under it, by
    name), so that figures name their data."""
    h = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def commit() -> str:
    """The commit measured, with ``+dirty`` when tracked files other than the records
    (RESULTS.md, baselines.json: what benchmarks write) have changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    records = (f":!{RESULTS.relative_to(ROOT)}", ":!bench/baselines.json")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", *records)
    return rev + ("+dirty" if dirty else "")


def command_line() -> str:
    """This benchmark's command as RESULTS.md and bench/__main__.py's ``COMMANDS`` write it."""
    script = Path(sys.argv[0])
    name = script.relative_to(ROOT) if script.is_absolute() and ROOT in script.parents else script
    return " ".join(["python", str(name), *sys.argv[1:]])


def stamp(data: Iterable[Path], command: str | None = None) -> str:
    """The line under a section's title: date, machine, load, commit, data hash, command."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"_{when} · {machine()} · load {os.getloadavg()[0]:.1f} · commit {commit()} · "
        f"data {data_hash(data)} · `{command or command_line()}`_"
    )


def replace_section(title: str, body: str) -> None:
    """Write ``## title`` with ``body`` at the end of RESULTS.md, replacing an earlier one.

    ``### `` subsections of the earlier one that the new body does not write itself
    (notes written by hand, such as "where we lose") are kept after the new figures.
    """
    text = RESULTS.read_text(encoding="utf-8")
    marker = f"\n## {title}\n"
    notes = ""
    start = text.find(marker)
    if start != -1:
        end = text.find("\n## ", start + len(marker))
        old = text[start : end if end != -1 else len(text)]
        if "\n### " in old:  # hand-written subsections the new body does not write
            kept = [
                part
                for part in old[old.index("\n### ") + 1 :].split("\n### ")
                if f"### {part.removeprefix('### ').splitlines()[0]}\n" not in body + "\n"
            ]
            notes = "".join(f"\n### {p.removeprefix('### ').strip()}\n" for p in kept)
        text = text[:start] + (text[end:] if end != -1 else "\n")
    RESULTS.write_text(text.rstrip("\n") + f"\n{marker}\n{body.strip()}\n{notes}", encoding="utf-8")
    print(f"wrote '{title}' to {RESULTS}")


def record_results(
    title: str, body: str, *, data: Iterable[Path], command: str | None = None
) -> None:
    """Write the ``## title`` section of RESULTS.md: the :func:`stamp` line, then ``body``.

    Args:
        data: the files (or folders) the figures were measured on; their hash is stamped.
        command: the command line to record (default: this process's own).
    """
    replace_section(title, f"{stamp(data, command)}\n\n{body.strip()}")


def current_rss_mb() -> float:
    """This process's resident memory now (MiB), to subtract from a later peak."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def in_child(fn: Callable[..., None], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args, queue)`` in a forked process and return the dict it puts on the
    queue: each measured method gets its own peak memory."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=fn, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    return dict(result)
