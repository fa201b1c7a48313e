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
from unspin.swapmodel import MODEL_DIR, MODEL_FILE  # noqa: E402


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
        plain = Detector(lex, contextual=False)
    rss_plain = peak_rss_mb()
    with Timer() as load_model:
        det = Detector(lex)
    texts = [t for _, t in spin_data.genuine_news()]
    words = sum(len(t.split()) for t in texts)
    rows = []
    # One pass each with the contextual model (its cost dominates and is steady), the
    # detector without it in the same run for the ratio.
    for name, d, repeat in (("with the contextual model", det, 1), ("without it", plain, 3)):
        score = median_time(
            lambda d=d: [d.judge(t, restore=False) for t in texts],
            repeat=repeat,
            warmup=int(repeat > 1),
        )
        full = median_time(
            lambda d=d: [d.judge(t, restore=True) for t in texts], repeat=1, warmup=0
        )
        rows.append(
            f"| score (probability, spans), {name} | {len(texts) / score.median:.1f} | "
            f"{1000 * score.median / len(texts):.1f} |\n"
            f"| score + restore flagged spans, {name} | {len(texts) / full.median:.1f} | "
            f"{1000 * full.median / len(texts):.1f} |\n"
        )
    assets_mb = sum(p.stat().st_size for p in ASSET_DIR.iterdir() if p.is_file()) / 2**20
    model = MODEL_DIR / MODEL_FILE
    model_mb = model.stat().st_size / 2**20 if model.exists() else 0.0
    body = (
        f"{len(texts)} genuine articles ({words / len(texts):.0f} words on average), one core "
        f"(the model runs on one onnxruntime thread; load average {os.getloadavg()[0]:.1f} at "
        "the end).\n\n"
        f"| what | articles/s | ms/article |\n| --- | ---: | ---: |\n" + "".join(rows) + "\n"
        f"Loading the assets: {load.seconds:.2f} s, the contextual model {load_model.seconds:.2f} s "
        f"(once per process); peak memory of the process {rss_plain:.0f} MiB before loading the "
        f"model, {peak_rss_mb():.0f} MiB at the end; spin assets on disk {assets_mb:.1f} MiB "
        f"plus the int8 model {model_mb:.1f} MiB. Goal: >= 50 articles/s per core for scoring "
        "(issue 8), >= 20 with a contextual model (issue 16).\n"
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
