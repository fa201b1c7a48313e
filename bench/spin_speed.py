"""Spin scoring speed: articles per second on one core (issue 8 goal: >= 50).

Scores every genuine article of ../shared/data (Wikinews minus TEST PAGE, ECB+ dev) with
the shipped assets, single-threaded: once for the probability alone (``restore=False``,
what a bulk scan needs) and once with span restoration (what ``unspin spin`` shows).
Asset loading is timed separately. Numpy is pinned to one thread.

Run: ``.venv/bin/python bench/spin_speed.py [--no-record]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spin_data  # noqa: E402
from harness import Timer, median_time, peak_rss_mb, record_results  # noqa: E402
from unspin.lexicon import ASSET_DIR, load_lexicon  # noqa: E402
from unspin.spin.detect import Detector  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Spin scoring speed.")
    parser.add_argument(
        "--no-record", action="store_true", help="do not append to bench/RESULTS.md"
    )
    args = parser.parse_args()
    if not spin_data.data_present():
        print(f"SKIP: {spin_data.DATA} is absent (public data lives in ../shared/data)")
        return
    with Timer() as load:
        lex = load_lexicon()
        det = Detector(lex)
    texts = [t for _, t in spin_data.genuine_news()]
    words = sum(len(t.split()) for t in texts)
    score = median_time(lambda: [det.judge(t, restore=False) for t in texts], repeat=3)
    full = median_time(lambda: [det.judge(t, restore=True) for t in texts], repeat=1, warmup=0)
    rate = len(texts) / score.median
    assets_mb = sum(p.stat().st_size for p in ASSET_DIR.iterdir()) / 2**20
    body = (
        f"{len(texts)} genuine articles ({words / len(texts):.0f} words on average), one core.\n\n"
        f"| what | articles/s | ms/article |\n| --- | ---: | ---: |\n"
        f"| score (probability, spans) | {rate:.0f} | {1000 * score.median / len(texts):.1f} |\n"
        f"| score + restore flagged spans | {len(texts) / full.median:.0f} | "
        f"{1000 * full.median / len(texts):.1f} |\n\n"
        f"Loading the assets: {load.seconds:.2f} s (once per process); peak memory of the "
        f"process {peak_rss_mb():.0f} MiB; spin assets on disk {assets_mb:.1f} MiB (no model "
        "file: the contextual model of issue 16 is not built yet). Goal: >= 50 articles/s "
        "per core for scoring (issue 8), >= 20 with a contextual model (issue 16).\n"
    )
    print(body)
    if not args.no_record:
        record_results(
            "Spin scoring speed (issues 8, 16)",
            body,
            data=[spin_data.DATA / "wikinews", spin_data.DATA / "ecbplus" / "ecbplus_dev.jsonl"],
        )


if __name__ == "__main__":
    main()
