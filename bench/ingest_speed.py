"""HTML pages ingested per second end to end vs ``trafilatura.extract`` alone.

Same pages (the extraction benchmark's 92 news pages, decoded in memory), same run.
"End to end" is what `unspin add` does per page: extraction, metadata, clean-up,
Article creation and the SQLite write (one transaction per 100 pages), without the
later stages. Goal (issue 2): our overhead beyond extraction under 15 %.

    python bench/ingest_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trafilatura  # noqa: E402

from harness import median_time, record_results, shared_data  # noqa: E402
from unspin.ingest import article_from_html  # noqa: E402
from unspin.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    pages = [
        gzip.open(p, "rt", encoding="utf-8").read()
        for p in sorted(shared_data("extraction", "html").glob("*.html.gz"))
    ]

    def peer() -> None:
        for html in pages:
            trafilatura.extract(html, include_comments=False)

    def peer_precision() -> None:
        for html in pages:
            trafilatura.extract(html, include_comments=False, favor_precision=True)

    tmp = Path(tempfile.mkdtemp())
    runs = iter(range(1000))

    def ours() -> None:
        with Store(tmp / f"bench-{next(runs)}.db") as store:
            batch = []
            for i, html in enumerate(pages):
                try:
                    batch.append(article_from_html(html, f"page-{i}"))
                except Exception:  # noqa: BLE001 - a page without article text still counts as processed
                    pass
                if len(batch) >= 100:
                    store.put_articles(batch)
                    batch = []
            store.put_articles(batch)

    t_peer = median_time(peer, repeat=args.repeat)
    t_prec = median_time(peer_precision, repeat=args.repeat)
    t_ours = median_time(ours, repeat=args.repeat)
    n = len(pages)
    overhead = t_ours.median / t_peer.median - 1
    overhead_same = t_ours.median / t_prec.median - 1
    print(
        f"pages {n}: trafilatura.extract {n / t_peer.median:.1f} pages/s; "
        f"extract(favor_precision) {n / t_prec.median:.1f} pages/s; unspin ingest {n / t_ours.median:.1f} pages/s"
    )
    print(
        f"overhead vs plain extract: {overhead:+.1%}; vs the same extraction settings: {overhead_same:+.1%}"
    )
    if not args.no_append:
        record_results(
            "Ingest speed (issue 2)",
            f"{n} HTML news pages (extraction benchmark), median of {args.repeat} runs, one process.\n\n"
            "| pipeline | pages/s |\n|---|---|\n"
            f"| `trafilatura.extract` (peer) | {n / t_peer.median:.1f} |\n"
            f"| `trafilatura.extract(favor_precision=True)` (our extraction settings) | {n / t_prec.median:.1f} |\n"
            f"| unspin ingest end to end (extract + metadata + clean-up + SQLite) | {n / t_ours.median:.1f} |\n\n"
            f"Overhead beyond plain extraction: **{overhead:+.1%}**; beyond extraction with the same "
            f"settings: {overhead_same:+.1%} (goal: under 15 %).",
            data=[shared_data("extraction", "html")],
        )


if __name__ == "__main__":
    main()
