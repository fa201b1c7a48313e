"""Run every benchmark (``make bench``): exactly the commands below, in order, each
writing its own section of bench/RESULTS.md. ``python -m bench NAME...`` runs only the
commands of those scripts.

RESULTS.md records, in each section, the command that measured it; the set of recorded
commands and :data:`COMMANDS` are the same (tests/test_bench_records.py), so ``make
bench`` re-measures exactly what RESULTS.md shows. Several take long on 2 cores: the
provenance speed at 20,000 articles (~6 min), SpinBot among 20,000 articles (~11 min),
the 100,000-article web and story stores, and the add speed into 100,000 stored articles
(its background takes about half an hour to build the first time; it is kept in /tmp,
keyed by its texts, schema and claims extractor, and reused after). The web latency command keeps its store in
/tmp (built on the first run, reused after) and measures the article pages only, as
recorded; a full run (all page kinds) is ``python bench/web_speed.py``.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Each entry is a command line as RESULTS.md records it (run from the project root).
COMMANDS = (
    "python bench/extraction_accuracy.py",
    "python bench/ingest_speed.py --repeat 3",
    "python bench/claims_accuracy.py",
    "python bench/claims_speed.py",
    "python bench/stories_accuracy.py",
    "python bench/stories_separability.py",
    "python bench/stories_speed.py",
    "python bench/spark_speed.py",
    "python bench/provenance_accuracy.py",
    "python bench/provenance_speed.py --size 20000 --no-store",
    "python bench/provenance_speed.py --size 100000 --no-store",
    "python bench/real_copies.py",
    "python bench/watch_speed.py",
    "python bench/real_copies.py --background 20000",
    "python bench/add_speed.py --sizes 1000 10000 --large --profile --repeat 3",
    "python bench/spin_examples.py",
    "python bench/spin_speed.py",
    "python bench/spin_accuracy.py",
    "python bench/web_speed.py --db /tmp/web100k-b.db --only article",
    "python bench/gates.py",
)


def script_of(command: str) -> str:
    """The script name of a command line (``bench/x.py`` -> ``x``)."""
    return Path(shlex.split(command)[1]).stem


def main(argv: list[str]) -> int:
    commands = [
        c for c in COMMANDS if not argv or script_of(c) in argv or f"{script_of(c)}.py" in argv
    ]
    failed = []
    for command in commands:
        print(f"\n=== {command} ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, *shlex.split(command)[1:]], cwd=HERE.parent)
        print(f"=== {command}: exit {rc} in {time.perf_counter() - t0:.0f} s ===", flush=True)
        if rc:
            failed.append(command)
    if failed:
        print("failed: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
