"""Web page latency with 100,000 articles in the store (issue 6 goal: p95 < 100 ms).

1. Builds a store of ``--articles`` background articles quickly with
   ``Store.put_articles`` (no pipeline): each is 2-5 real paragraphs drawn from different
   Wikinews articles (../shared/data/wikinews, CC BY 2.5) with a Wikinews title, one of
   60 made-up outlets and a date in 2019-2021, so the text, FTS index and page sizes are
   those of real news.
2. Adds ``--stories`` small stories on top: a Wikinews article, two WordNet-spun copies
   and an edited copy (bench/_spinner.py), related by the provenance stage (``relate``)
   and grouped into stories by the stories stage.
3. Serves the store with ``unspin serve --read-only`` in one process and loads it from a
   second process on loopback: ``--clients`` concurrent keep-alive clients, each request
   timed from send to last byte. Reports p50/p95/max per page.

Run: ``.venv/bin/python bench/web_speed.py [--articles 100000] [--db PATH] [--no-record]``
(``--db`` keeps the built store for a second run: it is reused if it exists).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Timer, record_results, shared_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 6
OUTLETS = [
    f"{a} {b}"
    for a in ("Northern", "Coastal", "Metro", "Valley", "Capital", "Harbour")
    for b in (
        "Herald",
        "Courier",
        "Post",
        "Times",
        "Gazette",
        "Echo",
        "Review",
        "Wire",
        "Daily",
        "Ledger",
    )
]
GOAL_P95_MS = 100.0


def _wikinews() -> list[tuple[str, str, str]]:
    folder = shared_data("wikinews")
    rows: list[tuple[str, str, str]] = []
    csv.field_size_limit(10**8)
    for path in sorted(folder.glob("wikinews_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["title"].startswith("TEST PAGE"):
                    continue
                rows.append((row["title"], row["date"], row["text"]))
    return rows


def _paragraphs(text: str) -> list[str]:
    out = []
    for para in text.split("\n\n"):
        para = " ".join(para.split())
        if len(para.split()) >= 25:  # prose, not the dateline or a photo credit
            out.append(para)
    return out


def build_store(db: Path, n_articles: int, n_stories: int) -> dict[str, list[str]]:
    """Fill ``db``; return the ids of the story pages and pair pages to request."""
    from _spinner import edit_sentences, load_wordnet, spin
    from unspin.api import Unspin
    from unspin.model import Article
    from unspin.store import Store

    rng = random.Random(SEED)
    news = _wikinews()
    pool = [p for _, _, text in news for p in _paragraphs(text)]
    titles = [t for t, _, _ in news]
    t0 = datetime(2019, 1, 1, tzinfo=UTC)
    with Store(db) as store, Timer() as t:
        batch: list[Article] = []
        for i in range(n_articles):
            k = rng.randint(2, 5)
            text = "\n\n".join(rng.sample(pool, k))
            batch.append(
                Article.create(
                    text,
                    title=f"{rng.choice(titles)} ({i})",
                    site=rng.choice(OUTLETS),
                    url=f"https://news{i % 60}.example/{i}",
                    published=t0 + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
                )
            )
            if len(batch) == 5000:
                store.put_articles(batch)
                batch.clear()
        if batch:
            store.put_articles(batch)
    print(f"background: {n_articles:,} articles in {t.seconds:.1f} s")

    syn = load_wordnet()
    pairs: list[str] = []
    stories: list[str] = []
    sources: list[str] = []
    with Unspin(db) as u, Timer() as t:
        for s in range(n_stories):
            title, date, text = news[rng.randrange(len(news))]
            body = "\n\n".join(_paragraphs(text)[:8])
            if len(body.split()) < 150:
                continue
            day = datetime.fromisoformat(date).replace(tzinfo=UTC)
            source = Article.create(body, title=title, site="Wikinews", published=day)
            copies = [
                Article.create(
                    spin(body, 0.35, syn, rng).text,
                    title=f"{title} (spun {j})",
                    site=rng.choice(OUTLETS),
                    published=day + timedelta(hours=3 + j),
                )
                for j in range(2)
            ]
            filler = rng.sample(pool, 3)
            edited = Article.create(
                edit_sentences(body, filler, syn, rng),
                title=f"{title} (edited)",
                site=rng.choice(OUTLETS),
                published=day + timedelta(hours=2),
            )
            group = [source, *copies, edited]
            u.store.put_articles(group)
            rels = [u.relate(c.id, source.id) for c in (*copies, edited)]
            u.store.put_relations(rels)
            pairs += [f"/pairs/{r.copy_id}/{r.source_id}" for r in rels if r.is_copy]
            sources.append(f"/articles/{source.id}")
            print(f"  story {s + 1}/{n_stories}: {len(rels)} relations", end="\r")
    print(f"\nstories: {n_stories} in {t.seconds:.1f} s; {len(pairs)} copy pairs")
    return {"pairs": pairs, "stories": stories, "articles": sources}


def _load(base: str, paths: list[str], clients: int, requests: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The load process: ``clients`` threads, each a keep-alive connection."""
    import threading

    import httpx

    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)

    def worker(k: int) -> None:
        rng = random.Random(SEED + k)
        with httpx.Client(base_url=base, timeout=30) as c:
            for _ in range(3):  # warm this connection and the server's caches
                c.get(rng.choice(paths))
            for _ in range(per_client):
                path = rng.choice(paths)
                t0 = time.perf_counter()
                r = c.get(path)
                dt = time.perf_counter() - t0
                with lock:
                    lat.append(dt)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {path}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.put((lat, errors))


def measure(
    base: str, paths: list[str], clients: int, requests: int
) -> tuple[list[float], list[str]]:
    q: mp.Queue = mp.get_context("spawn").Queue()  # type: ignore[type-arg]
    p = mp.get_context("spawn").Process(target=_load, args=(base, paths, clients, requests, q))
    p.start()
    lat, errors = q.get()
    p.join()
    return lat, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Web page latency over a 100k-article store.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=20)
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients (bounded load)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    parser.add_argument("--db", type=Path, help="keep the store here (reused if it exists)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument(
        "--no-record", action="store_true", help="do not append to bench/RESULTS.md"
    )
    args = parser.parse_args()

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="unspin-web-speed-")
        args.db = Path(tmp.name) / "web.db"
    targets_file = args.db.with_suffix(".targets")
    if args.db.exists() and targets_file.exists():
        lines = targets_file.read_text().split("\n")
        targets = {
            k: [p for p in lines if p.startswith(f"/{k}/")]
            for k in ("pairs", "stories", "articles")
        }
        print(f"reusing {args.db}")
    else:
        targets = build_store(args.db, args.articles, args.stories)
        targets_file.write_text("\n".join(sum(targets.values(), [])))

    from unspin.api import Unspin
    from unspin.store import Store

    with Unspin(args.db) as u:
        copy_tree_stories = not (hasattr(u, "stories") and hasattr(u, "story")) and hasattr(
            u, "trace"
        )
        if hasattr(u, "claims"):
            # `unspin add` extracts claims as articles arrive; the bulk-built store has
            # not, so extract (and cache) them for the story articles now.
            for path in targets["articles"] + targets["pairs"]:
                for article_id in path.split("/")[2:]:
                    u.claims(article_id)
    if not targets["stories"] and not copy_tree_stories and hasattr(Unspin, "story"):
        # The stories stage groups the story articles (the background stays unclustered:
        # clustering 100k articles is the stories benchmark's business, not this one's).
        from unspin.pipeline import PipelineConfig, run_after_ingest

        with Unspin(args.db) as u:
            ids = list(
                dict.fromkeys(
                    i for p in targets["articles"] + targets["pairs"] for i in p.split("/")[2:]
                )
            )
            run_after_ingest(u.store, ids, PipelineConfig(provenance=False, claims=False))
            targets["stories"] = sorted({f"/stories/{s}" for s in u.store.story_of(ids).values()})
        targets_file.write_text("\n".join(sum(targets.values(), [])))
    if not targets["stories"] and copy_tree_stories:
        # Without the stories stage a story page is an original and its copies, named
        # by the original's id: measure those.
        targets["stories"] = [f"/stories/{p.rsplit('/', 1)[1]}" for p in targets["articles"]]
    with Store(args.db, read_only=True) as store:
        n = store.count_articles()
        some = [f"/articles/{a.id}" for a in store.list_articles(limit=50, offset=n // 2)]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_TOKEN"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "unspin"),
            "--db",
            str(args.db),
            "serve",
            "--read-only",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/summary", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        kinds = {
            "story page": targets["stories"],
            "pair page": targets["pairs"],
            "article page (story source, with relations)": targets["articles"],
            "article page (background)": some,
            "stories list (front page)": ["/", "/?offset=20"],
            "search (FTS5)": [
                "/articles?q=election",
                "/articles?q=police+said",
                "/articles?q=government",
            ],
        }
        rows = []
        for name, paths in kinds.items():
            if args.only not in name:
                continue
            if not paths:
                rows.append(f"| {name} | – | – | – | – | not available (stage not installed) |")
                continue
            lat, errors = measure(base, paths, args.clients, args.requests)
            p50, p95, mx = pct(lat, 0.5), pct(lat, 0.95), max(lat) * 1000
            verdict = "ok" if p95 < GOAL_P95_MS else "over goal"
            note = f"{verdict}{'; ' + str(len(errors)) + ' errors, e.g. ' + errors[0] if errors else ''}"
            rows.append(f"| {name} | {len(lat)} | {p50:.1f} | {p95:.1f} | {mx:.1f} | {note} |")
            print(rows[-1])
    finally:
        server.terminate()
        server.wait(timeout=10)
    body = (
        f"{n:,} articles in the store ({args.stories} stories of a source, two spun and one "
        f"edited copy on top of Wikinews-paragraph background articles); `unspin serve "
        f"--read-only` on loopback, {args.clients} concurrent keep-alive clients in a second "
        f"process, {args.requests} timed requests per page kind, latency send → last byte. "
        f"Goal: p95 < {GOAL_P95_MS:.0f} ms.\n\n"
        "| page | requests | p50 ms | p95 ms | max ms | note |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
    )
    print(body)
    if not args.no_record:
        record_results("Web page latency (issue 6)", body, data=[shared_data("wikinews")])
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
