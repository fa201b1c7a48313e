"""Spark job throughput in local[2] vs the local pipeline (``unspin add``), same input.

Corpus: every Wikinews (2019-2020) and ECB+ (dev) article as a JSONL line (text, title,
url, published), plus injected copies of a random ``--copy-share`` of them: a third
verbatim with a credit line, a third hand-edited (three sentence edits), a third spun
(30 % of content words swapped for WordNet synonyms; bench/_spinner.py). The JSONL is
written to a temporary folder, never into the repository.

Measured in one run on the same file:

* **local**: ``Unspin(db).add([jsonl])``: ingest and every pipeline step (provenance,
  stories, spin learning, claims: the table names them), into a fresh SQLite store; one
  process;
* **spark local[2]**: :func:`unspin.spark.run_job` with two cores: ingest,
  fingerprints, LSH join, verification, story components, claims, Parquet out. The
  session start (JVM) is timed apart; the job time excludes it.

Both are checked to find the same copy relations (pairs and kinds). Articles/s per
core of the Spark job is the figure docs/scale.md extrapolates from.

Run: .venv/bin/python bench/spark_speed.py [--copy-share 0.5] [--master local[2]]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _spinner import WORDNET, edit_sentences, load_wordnet, spin  # noqa: E402
from harness import record_results, shared_data  # noqa: E402
from unspin.text import sentences  # noqa: E402

SEED = 7


def _originals() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for year in (2019, 2020):
        with shared_data("wikinews", f"wikinews_{year}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["title"].startswith("TEST PAGE") or not row["text"].strip():
                    continue
                out.append(
                    {"text": row["text"], "title": row["title"], "url": row["url"],
                     "published": f"{row['date']}T12:00:00+00:00"}
                )  # fmt: skip
    with shared_data("ecbplus", "ecbplus_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            out.append({"text": doc["text"], "url": doc.get("url") or None})
    return out


def build_corpus(path: Path, copy_share: float) -> dict[str, int]:
    """Write the JSONL corpus; return how many originals and copies of each kind."""
    rng = random.Random(SEED)
    syn = load_wordnet()
    originals = _originals()
    filler = [s for o in originals[:200] for s in sentences(o["text"])]
    rows = list(originals)
    counts = {"originals": len(originals), "verbatim": 0, "edited": 0, "spun": 0}
    for i, orig in enumerate(rng.sample(originals, int(copy_share * len(originals)))):
        kind = ("verbatim", "edited", "spun")[i % 3]
        text = orig["text"]
        if kind == "verbatim":
            text = text + "\n\nThis article first appeared on a partner site."
        elif kind == "edited":
            text = edit_sentences(text, filler, syn, rng)
        else:
            text = spin(text, 0.3, syn, rng).text
        rows.append({"text": text, "url": f"https://copies.example/{i}"})
        counts[kind] += 1
    rng.shuffle(rows)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return counts


def run_local(jsonl: Path, folder: Path) -> tuple[float, int, set[tuple[str, str, str]], list[str]]:
    from unspin.api import Unspin

    with Unspin(folder / "local.db") as u:
        t0 = time.perf_counter()
        report = u.add([str(jsonl)])
        seconds = time.perf_counter() - t0
        rows = u.store.conn.execute("SELECT source_id, copy_id, kind FROM relations")
        rels = {(str(a), str(b), str(k)) for a, b, k in rows}
        return seconds, len(report.added), rels, list(report.stages)


def run_spark(
    jsonl: Path, folder: Path, master: str
) -> tuple[float, float, Any, set[tuple[str, str, str]]]:
    from unspin.spark import SparkOptions, run_job, spark_session
    from unspin.spark.load import read_table

    t0 = time.perf_counter()
    spark = spark_session(master, shuffle_partitions=8, conf=[("spark.ui.enabled", "false")])
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        report = run_job(spark, [str(jsonl)], SparkOptions(out=str(folder / "tables")))
        seconds = time.perf_counter() - t1
    finally:
        spark.stop()
    rows = read_table(folder / "tables", "relations") or []
    rels = {(r["source_id"], r["copy_id"], r["kind"]) for r in rows}
    return start, seconds, report, rels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copy-share", type=float, default=0.5, help="originals that get a copy")
    parser.add_argument("--master", default="local[2]", help="Spark master to compare")
    args = parser.parse_args()
    cores = (
        int(args.master[6:-1])
        if args.master.startswith("local[") and args.master[6:-1].isdigit()
        else None
    )
    with tempfile.TemporaryDirectory(prefix="unspin-spark-bench-") as tmp:
        folder = Path(tmp)
        jsonl = folder / "corpus.jsonl"
        counts = build_corpus(jsonl, args.copy_share)
        n_lines = sum(1 for _ in jsonl.open(encoding="utf-8"))
        print(f"corpus: {n_lines} lines {counts}", flush=True)
        load_before = os.getloadavg()[0]
        local_s, local_n, local_rels, local_stages = run_local(jsonl, folder)
        print(f"local: {local_n} articles in {local_s:.1f} s", flush=True)
        start_s, spark_s, report, spark_rels = run_spark(jsonl, folder, args.master)
        print(
            f"spark: {report.articles} articles in {spark_s:.1f} s (+{start_s:.1f} s start)",
            flush=True,
        )
        load_after = os.getloadavg()[0]

    same = spark_rels == local_rels
    by_kind = {
        k: sum(1 for r in spark_rels if r[2] == k) for k in sorted({r[2] for r in spark_rels})
    }
    local_rate = local_n / local_s
    spark_rate = report.articles / spark_s
    per_core = f"{spark_rate / cores:.1f}" if cores else "n/a"
    stages = ", ".join(f"{k} {v:.1f}" for k, v in report.stage_seconds.items())
    body = f"""
Corpus: {n_lines} JSONL lines: {counts["originals"]} Wikinews + ECB+ originals, injected copies
{counts["verbatim"]} verbatim, {counts["edited"]} edited, {counts["spun"]} spun (30 %). Verbatim
copies with a credit line are distinct texts; {report.articles} distinct articles after ingest.
Load average (1 min) on the shared machine: {load_before:.1f} before, {load_after:.1f} after —
other jobs were running, so absolute rates are lower than on an idle machine; both sides
ran under the same load, one after the other.

| pipeline | articles | seconds | articles/s | articles/s per core |
|---|---:|---:|---:|---:|
| local (`unspin add`: ingest, {", ".join(local_stages)}; 1 process) | {local_n} | {local_s:.1f} | {local_rate:.1f} | {local_rate:.1f} |
| Spark {args.master} job (ingest, fingerprints, LSH join, verify, stories, claims, Parquet) | {report.articles} | {spark_s:.1f} | {spark_rate:.1f} | {per_core} |
| Spark session start (JVM, once per run) | | {start_s:.1f} | | |

Spark / local throughput: {spark_rate / local_rate:.2f}x. Relations found: Spark {len(spark_rels)}
{by_kind}, local {len(local_rels)}; same pairs and kinds: **{"yes" if same else "no"}**.
Failures: {report.failures}; stories: {report.stories}; claims: {report.claims}.
Spark job seconds by stage (each ends with its Parquet table written): {stages}.
"""
    print(body)
    record_results(
        f"Spark throughput ({args.master}) vs local pipeline",
        body,
        data=[shared_data("wikinews"), shared_data("ecbplus", "ecbplus_dev.jsonl"), WORDNET],
    )


if __name__ == "__main__":
    main()
