"""The small harness every benchmark uses.

- :func:`median_time` runs a function several times and keeps the median (and all runs);
- :func:`ratio` states a figure against a named peer measured in the same run;
- :func:`append_results` appends a dated section to bench/RESULTS.md;
- :func:`shared_data` finds ../shared/data or exits with a clear skip message.

Run every benchmark with ``make bench`` (``python -m bench``) or one alone with
``python bench/<name>.py``.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"


def shared_data(*parts: str) -> Path:
    """Path under ../shared/data (or $UNSPIN_SHARED_DATA); exit 0 with a skip note if absent."""
    base = Path(os.environ.get("UNSPIN_SHARED_DATA") or ROOT.parent / "shared" / "data")
    path = base.joinpath(*parts)
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


def machine() -> str:
    """One line describing where the figures were measured."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def append_results(title: str, body: str, *, command: str | None = None) -> None:
    """Append a dated ``## title`` section with ``body`` (Markdown) to bench/RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cmd = command or "python " + " ".join(
        [
            str(Path(sys.argv[0]).relative_to(ROOT))
            if Path(sys.argv[0]).is_absolute() and ROOT in Path(sys.argv[0]).parents
            else sys.argv[0],
            *sys.argv[1:],
        ]
    )
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nEach section is appended by a script under bench/ "
            "(`make bench` runs them all). Newest last.\n"
        )
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(f"\n## {title}\n\n_{stamp} · {machine()} · `{cmd}`_\n\n{body.strip()}\n")
    print(f"appended '{title}' to {RESULTS}")


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
