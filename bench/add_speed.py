"""`unspin add` speed end to end: fresh articles into a store that already holds many.

Issue 20 asks for 100 articles a second. The fresh articles are the 772 ECB+ dev news
texts, written as one JSON Lines file of ``{url, text}`` rows and added with
:meth:`unspin.Unspin.add` (what ``unspin add FILE.jsonl`` calls), every later stage on:
provenance, stories, spin learning, claims. The store already holds ``--sizes``
background articles (default 1,000 and 10,000; ``--large`` adds 100,000): random mixes
of 8-20 Wikinews sentences, so none of them shares text with the fresh ECB+ articles,
indexed for copies (``provenance.rebuild``), clustered into stories
(``stories.rebuild_stories``) and with their claims extracted, as ``unspin add`` would
have left them.

Measured in one run, each add in its own forked process on its own copy of the
background store:

* **end to end**: articles/s over the whole ``add`` (read JSONL, store, every stage), the
  seconds of each stage (through ``on_stage``), and the peak extra memory (peak RSS of
  the process minus its RSS when it started);
* **store only**: the same add with every stage off (``--no-provenance --no-stories
  --no-claims``): reading, Article creation and the SQLite writes. Its rate is the
  denominator of the ratio the quality gate defends (``add_speed_cpu_ratio_1000`` in
  bench/baselines.json, in CPU seconds of the process), so the gate follows the code,
  not the machine.

Run: .venv/bin/python bench/add_speed.py [--sizes 1000 10000] [--large] [--repeat 1]
     [--backgrounds DIR] [--profile] [--no-record]

``--backgrounds DIR`` keeps each built background store in DIR
(``background-<size>-<key>.db``, the key a hash of the background texts, the store's
migrations and the claims extractor's version) and reuses it on a later run: the
100,000-article background takes most of an hour to build on two busy cores. Speed work
that keeps every stage's results identical keeps the key; delete DIR after a change that
alters what a stage stores.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    current_rss_mb,
    in_child,
    peak_rss_mb,
    record_results,
    shared_data,
)
from unspin.model import Article  # noqa: E402
from unspin.pipeline import PipelineConfig  # noqa: E402
from unspin.text import sentences  # noqa: E402
from unspin.workers import Workers, default_jobs  # noqa: E402

SEED = 20
TITLE = "Add speed: `unspin add` end to end (issue 20)"
TARGET = 100.0  # articles per second end to end (issue 20)
STAGES = ("store", "provenance", "stories", "spin", "claims")
# Functions listed by --profile, most own CPU time first.
PROFILE_TOP = 20
ALL_OFF = PipelineConfig(provenance=False, stories=False, claims=False)
# Worker processes of the third mode: what `unspin add` uses by default (every core).
JOBS = default_jobs()


def fresh_rows() -> list[dict[str, Any]]:
    """The ECB+ dev articles as `unspin add` JSONL rows."""
    path = shared_data("ecbplus", "ecbplus_dev.jsonl")
    with path.open(encoding="utf-8") as fh:
        return [{"url": r["url"], "text": r["text"]} for r in map(json.loads, fh)]


def background_texts(size: int) -> list[str]:
    """``size`` articles, each a random mix of 8-20 Wikinews sentences."""
    pool: list[str] = []
    for year in ("2019", "2020"):
        with shared_data("wikinews", f"wikinews_{year}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["title"].startswith("TEST PAGE"):
                    text = Article.create(row["text"]).text
                    pool.extend(s for s in sentences(text) if len(s.split()) >= 6)
    rng = random.Random(SEED)
    return [" ".join(rng.sample(pool, rng.randint(8, 20))) for _ in range(size)]


def data_files() -> list[Path]:
    """The files the added articles and the background are made of."""
    return [
        shared_data("ecbplus", "ecbplus_dev.jsonl"),
        shared_data("wikinews", "wikinews_2019.csv"),
        shared_data("wikinews", "wikinews_2020.csv"),
    ]


def build_background(texts: list[str], path: Path, out: Any) -> None:
    """A store holding ``texts`` with every stage's results, as `unspin add` leaves it."""
    from unspin import claims, provenance, stories
    from unspin.pipeline import pending
    from unspin.spin.learn import learn_from_store
    from unspin.store import Store

    t0 = time.perf_counter()
    with Store(path) as store, Workers(JOBS) as workers:
        batch = [Article.create(t) for t in texts]
        for k in range(0, len(batch), 2000):
            store.put_articles(batch[k : k + 2000])
        provenance.rebuild(store, workers)
        stories.rebuild_stories(store)
        learn_from_store(store)  # spin learning, as the pipeline leaves it
        claims.update(store, [a.id for a in batch], workers)
        # As an add leaves it: each stage's mark caught up (unspin.store.marks). The
        # rebuilds above do not read their pending work, so without this the measured
        # add would pay the one-time scans of every stored article (0.4-0.5 s at 100,000)
        # that only the first add after a rebuild pays.
        pending(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out.put({"build_s": time.perf_counter() - t0})


def run_add(db: Path, source: Path, config: PipelineConfig, out: Any) -> None:
    """One `unspin add` of ``source`` into ``db``: total seconds, per stage, peak memory."""
    from unspin import Unspin

    start_rss = current_rss_mb()
    marks: list[tuple[str, float, float]] = []
    t0, c0 = time.perf_counter(), time.process_time()
    with Unspin(db) as u:
        report = u.add(
            [str(source)],
            pipeline=config,
            on_stage=lambda name: marks.append((name, time.perf_counter(), time.process_time())),
        )
    t1, c1 = time.perf_counter(), time.process_time()
    # The worker processes' CPU (joined when the add closed its pool): with --jobs, the
    # work the writer handed over.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    bounds = [("store", t0, c0), *marks, ("end", t1, c1)]
    pairs = list(zip(bounds, bounds[1:], strict=False))
    stages = {name: b - a for (name, a, _), (_, b, _) in pairs}
    cpu = {name: b - a for (name, _, a), (_, _, b) in pairs}
    out.put(
        {
            "seconds": t1 - t0,
            "added": len(report.added),
            "stages": stages,
            "cpu": cpu,
            "workers_cpu": children.ru_utime + children.ru_stime,
            "counts": report.stages,
            "peak_mb": peak_rss_mb() - start_rss,
        }
    )


def copy_store(background: Path, db: Path) -> None:
    """A fresh copy of ``background`` at ``db``, on disk before the add starts: a copy
    left in the page cache makes the add's first fsync write out the whole file (0.7 s
    of a 9 s add into 100,000 articles was that), which no user's add pays."""
    shutil.copy(background, db)
    fd = os.open(db, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Bumped when build_background leaves a different store (2: the stages' marks caught up).
_BUILD_VERSION = 2


def _background_key(texts: list[str]) -> str:
    """A hash of the background texts, the store's schema (its migrations), the claims
    extractor's version and the build's: what a kept background must match to be reused."""
    import hashlib

    from unspin.claims import EXTRACTOR_VERSION
    from unspin.store import migrations

    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8") + b"\0")
    h.update(repr((migrations.registered(), EXTRACTOR_VERSION, _BUILD_VERSION)).encode())
    return h.hexdigest()[:12]


def run_merge(db: Path, out: Any) -> None:
    """Merge the recent provenance index an add left in ``db`` into the main one, with
    the checkpoint that writes its pages to the database file: the cost adds pay once
    per ``RECENT_SHARE`` of the store (store.relations.RelationStore.settle_recent_index)."""
    from unspin.store import Store

    with Store(db) as store:
        waiting = store.conn.execute("SELECT COUNT(*) FROM provenance_recent_seqs").fetchone()[0]
        t0 = time.perf_counter()
        store.merge_recent_index()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out.put({"merge_s": time.perf_counter() - t0, "merged": int(waiting)})


def merge_every(indexed: int) -> int:
    """How many articles' postings the recent index holds when a merge comes due."""
    from unspin.store.relations import RECENT_MIN_ARTICLES, RECENT_SHARE

    return max(RECENT_MIN_ARTICLES, math.ceil(RECENT_SHARE * indexed))


def profile_add(db: Path, source: Path, out: Any) -> None:
    """One-process `unspin add` under cProfile, timed in CPU seconds of this process
    (``time.process_time``: what the code costs, not what the other tenants of a busy
    machine take): the functions with the most own time, and each stage's CPU seconds."""
    import cProfile
    import pstats

    from unspin import Unspin

    marks: list[tuple[str, float]] = []
    prof = cProfile.Profile(time.process_time)
    c0 = time.process_time()
    prof.enable()
    with Unspin(db) as u:
        u.add(
            [str(source)],
            pipeline=PipelineConfig(),
            on_stage=lambda name: marks.append((name, time.process_time())),
        )
    prof.disable()
    c1 = time.process_time()
    bounds = [("store", c0), *marks, ("end", c1)]
    stages = {name: b - a for (name, a), (_, b) in zip(bounds, bounds[1:], strict=False)}
    stats = pstats.Stats(prof)
    rows = []
    for (path, line, func), (_, calls, own, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if path == "~":  # a builtin: its time shows in the callers' "with callees"
            continue
        where = path.split("/site-packages/")[-1].split("/src/")[-1].split("/lib/python3")[-1]
        rows.append((own, cum, calls, f"{where}:{line} {func}"))
    rows.sort(reverse=True)
    out.put({"cpu_s": c1 - c0, "stages": stages, "top": rows[:PROFILE_TOP]})


def profile_table(size: int, prof: dict[str, Any]) -> str:
    lines = [
        f"Profile of the one-process add into {size:,} (cProfile timed by the process's CPU "
        f"clock: {prof['cpu_s']:.2f} CPU s in all under the profiler, which slows small "
        "Python functions most, so read the order, not the seconds; stages: "
        + ", ".join(f"{k} {v:.2f}" for k, v in prof["stages"].items())
        + "). Python functions by own time (builtins and C calls count in their "
        "callers' time with callees):",
        "",
        "| own CPU s | with callees s | calls | function |",
        "| ---: | ---: | ---: | --- |",
    ]
    lines += [f"| {o:.2f} | {c:.2f} | {n:,} | `{f}` |" for o, c, n, f in prof["top"]]
    return "\n".join(lines)


def measure(
    size: int,
    source: Path,
    tmp: Path,
    repeat: int,
    keep: Path | None = None,
    profile: bool = False,
    store_repeat: int | None = None,
) -> dict[str, Any]:
    """Build the ``size`` background once (or reuse the one kept in ``keep``); time
    store-only and end-to-end adds into copies (``store_repeat``: store-only adds, the
    median taken, when more than ``repeat``: at about a second it is the noisier side of
    the ratio)."""
    texts = background_texts(size)
    background = tmp / f"background-{size}.db"
    kept = keep / f"background-{size}-{_background_key(texts)}.db" if keep else None
    if kept is not None and kept.exists():
        build = {"build_s": float("nan")}
        background = kept
        print(f"background of {size:,}: reused {kept}", flush=True)
    else:
        build = in_child(build_background, texts, background)
        print(f"background of {size:,}: built in {build['build_s']:.0f} s", flush=True)
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(background, kept)
    runs: dict[str, list[dict[str, Any]]] = {"store_only": [], "full": [], "full_jobs": []}
    modes = (
        ("store_only", ALL_OFF),
        ("full", PipelineConfig()),
        ("full_jobs", PipelineConfig(jobs=JOBS)),  # unspin add's default: every core
    )
    times = {"store_only": max(repeat, store_repeat or 0), "full": repeat, "full_jobs": repeat}
    for k in range(max(times.values())):
        for mode, config in modes:
            if k >= times[mode]:
                continue
            db = tmp / f"run-{size}-{mode}-{k}.db"
            copy_store(background, db)
            runs[mode].append(in_child(run_add, db, source, config))
            if mode == "full_jobs" and k == times[mode] - 1:
                merge = in_child(run_merge, db)
            db.unlink()
            print(f"  {mode}: {runs[mode][-1]['seconds']:.2f} s", flush=True)
    prof = None
    if profile:
        db = tmp / f"run-{size}-profile.db"
        copy_store(background, db)
        prof = in_child(profile_add, db, source)
        db.unlink()
    if background != kept:
        background.unlink()
    full = runs["full"][0]
    med = {m: statistics.median(r["seconds"] for r in rs) for m, rs in runs.items()}
    stages = {s: statistics.median(r["stages"].get(s, 0.0) for r in runs["full"]) for s in STAGES}
    cpu = {s: statistics.median(r["cpu"].get(s, 0.0) for r in runs["full"]) for s in STAGES}
    added = full["added"]
    every = merge_every(size + added)
    # Each article's share of the merges, added to the --jobs add: the rate of a stream of
    # such adds, merges included (the add measured above merges nothing).
    amortised = med["full_jobs"] + added * merge["merge_s"] / every
    return {
        "size": size,
        "build_s": build["build_s"],
        "added": added,
        "full_s": med["full"],
        "store_s": med["store_only"],
        "full_rate": added / med["full"],
        "jobs_s": med["full_jobs"],
        "jobs_rate": added / med["full_jobs"],
        "merge_s": merge["merge_s"],
        "merged": merge["merged"],
        "merge_every": every,
        "amortised_s": amortised,
        "amortised_rate": added / amortised,
        "store_rate": added / med["store_only"],
        "ratio": med["store_only"] / med["full"],
        # The same ratio in CPU seconds of the process: what the quality gate defends, since
        # other tenants of the machine stretch wall times (a 0.058 wall ratio read 0.046
        # with a training job on the other core) but hardly the process's own CPU time.
        "cpu_ratio": (
            statistics.median(sum(r["cpu"].values()) for r in runs["store_only"])
            / sum(cpu.values())
        ),
        "stages": stages,
        "cpu": cpu,
        "cpu_s": sum(cpu.values()),
        "store_cpu_s": statistics.median(sum(r["cpu"].values()) for r in runs["store_only"]),
        # The writer's own CPU with --jobs: the serial part, which bounds that mode's rate.
        "jobs_writer_cpu_s": statistics.median(sum(r["cpu"].values()) for r in runs["full_jobs"]),
        # ... and the CPU of all its processes, writer and workers: two cores cannot run
        # that add in less than half of it.
        "jobs_all_cpu_s": statistics.median(
            sum(r["cpu"].values()) + r["workers_cpu"] for r in runs["full_jobs"]
        ),
        "peak_mb": max(r["peak_mb"] for r in runs["full"]),
        "store_peak_mb": max(r["peak_mb"] for r in runs["store_only"]),
        "counts": full["counts"],
        "profile": prof,
    }


def table(results: list[dict[str, Any]]) -> str:
    head = [
        f"| store holds | end to end | articles/s | with --jobs {JOBS} | store only (stages off) "
        "| ratio to store only | "
        + " | ".join(f"{s} s" for s in STAGES)
        + " | peak extra memory |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in STAGES)
        + " | ---: |",
    ]
    rows = [
        f"| {r['size']:,} | {r['full_s']:.2f} s | **{r['full_rate']:.0f}** | "
        f"{r['jobs_s']:.2f} s (**{r['jobs_rate']:.0f}**/s) | "
        f"{r['store_s']:.2f} s ({r['store_rate']:.0f}/s) | {r['ratio']:.3f} | "
        + " | ".join(f"{r['stages'][s]:.2f}" for s in STAGES)
        + f" | {r['peak_mb']:.0f} MiB (store only {r['store_peak_mb']:.0f}) |"
        for r in results
    ]
    cpu = [
        "",
        "CPU seconds of the same one-process adds (`time.process_time`: what the code costs "
        "whatever else runs on the machine); the main process's own CPU seconds in the "
        f"`--jobs {JOBS}` add (the single writer's serial part, which bounds that mode's rate) "
        "and the CPU of all its processes, writer and workers; and the ratio to store only "
        f"that {JOBS} cores fully used would give at that CPU (store-only time over half of "
        "it): the most that mode can reach without cutting the work itself:",
        "",
        "| store holds | "
        + " | ".join(f"{s} CPU s" for s in STAGES)
        + f" | all stages on | store only | CPU ratio to store only | writer with --jobs {JOBS} "
        f"| all processes with --jobs {JOBS} | ratio bound at {JOBS} cores |",
        "| ---: | "
        + " | ".join("---:" for _ in STAGES)
        + " | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['size']:,} | "
            + " | ".join(f"{r['cpu'][s]:.2f}" for s in STAGES)
            + f" | {r['cpu_s']:.2f} | {r['store_cpu_s']:.2f} | "
            f"{r['store_cpu_s'] / r['cpu_s']:.3f} | {r['jobs_writer_cpu_s']:.2f} | "
            f"{r['jobs_all_cpu_s']:.2f} | {r['store_s'] / (r['jobs_all_cpu_s'] / JOBS):.3f} |"
            for r in results
        ),
    ]
    from unspin.store.relations import RECENT_MIN_ARTICLES, RECENT_SHARE

    merges = [
        "",
        "The provenance index's merges (store.relations, `settle_recent_index`): an add's "
        "postings wait in small recent tables, merged into the main index in one pass once "
        f"they hold {RECENT_SHARE:.0%} of the indexed articles (at least "
        f"{RECENT_MIN_ARTICLES:,}). None of the adds above "
        "merges; the merge of what one of them left (with the checkpoint that writes it to "
        "the database file) is timed here, and each article's share of one merge per "
        f"interval added to the `--jobs {JOBS}` add:",
        "",
        f"| store holds | merge (articles waiting) | a merge every | `--jobs {JOBS}` with "
        "merges amortised |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {r['size']:,} | {r['merge_s']:.2f} s ({r['merged']:,}) | "
            f"{r['merge_every']:,} articles | {r['amortised_s']:.2f} s "
            f"(**{r['amortised_rate']:.0f}**/s) |"
            for r in results
        ),
    ]
    return "\n".join(head + rows + cpu + merges)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    ap.add_argument("--large", action="store_true", help="also a 100,000-article store (long)")
    ap.add_argument("--repeat", type=int, default=1, help="adds per mode and size (median)")
    ap.add_argument(
        "--backgrounds",
        type=Path,
        default=Path(tempfile.gettempdir()) / "unspin-add-speed-backgrounds",
        help="keep and reuse built backgrounds here (default: %(default)s)",
    )
    ap.add_argument(
        "--profile", action="store_true", help="also profile one add at the largest size"
    )
    ap.add_argument("--no-record", action="store_true", help="print only")
    args = ap.parse_args()
    sizes = [*args.sizes, *([100_000] if args.large else [])]
    rows = fresh_rows()
    results = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = tmp / "ecbplus_dev.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        for size in sizes:
            profile = args.profile and size == sizes[-1]
            results.append(measure(size, source, tmp, args.repeat, args.backgrounds, profile))
            print(json.dumps(results[-1], indent=1, default=str), flush=True)
    cmd = "python bench/add_speed.py " + " ".join(
        [
            f"--sizes {' '.join(map(str, args.sizes))}",
            *(["--large"] if args.large else []),
            *(["--profile"] if args.profile else []),
            *([f"--repeat {args.repeat}"] if args.repeat != 1 else []),
        ]
    )
    body = "\n".join(
        [
            f"{len(rows)} ECB+ dev articles (JSONL rows `{{url, text}}`) added to a store already "
            "holding N background articles (Wikinews sentence mixes, indexed, in stories, with "
            "claims), every stage on, each add in its own process on a fresh copy of the store; "
            f"median of {args.repeat}. Target: {TARGET:.0f} articles/s end to end.",
            "",
            table(results),
            "",
            "`store` is reading the JSONL, making the Articles and writing them (one transaction "
            "per batch); the ratio is store-only time over end-to-end time in one process (1.0 "
            "would mean the stages cost nothing); stage times are those of the one-process run. "
            f"`--jobs {JOBS}` is `unspin add`'s default on this machine (one worker per core: "
            "claims and candidate verification in worker processes, unspin.workers). Stage "
            "counts at the largest size: "
            f"{json.dumps(results[-1]['counts'])}.",
            *(
                ["", profile_table(results[-1]["size"], results[-1]["profile"])]
                if results[-1]["profile"]
                else []
            ),
        ]
    )
    print(body)
    if not args.no_record:
        record_results(TITLE, body, data=data_files(), command=cmd)


if __name__ == "__main__":
    main()
