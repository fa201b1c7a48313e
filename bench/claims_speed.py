"""Claim extraction speed: articles per second on one core (target: >= 20).

Runs :func:`unspin.claims.extract_claims` over every ECB+ dev article (772 news texts,
~330 words each) in this single process, three times, and reports the median. The
comparison step is timed too, on each ECB+ event cluster (the claims of 3–22 articles).

Usage::

    python bench/claims_speed.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from harness import median_time, record_results, shared_data  # noqa: E402
from unspin.claims import compare_claims, extract_claims  # noqa: E402

TARGET = 20.0  # articles per second per core (issue 5)


def main() -> None:
    path = shared_data("ecbplus", "ecbplus_dev.jsonl")
    rows = [json.loads(line) for line in path.open()]
    texts = [(r["doc_id"], r["text"]) for r in rows]
    words = sum(len(t.split()) for _, t in texts)
    claims: dict[str, list] = {}

    def extract_all() -> None:
        for doc_id, text in texts:
            claims[doc_id] = extract_claims(text, article_id=doc_id)

    t = median_time(extract_all, repeat=3, warmup=1)
    rate = len(texts) / t.median
    clusters: dict[str, dict[str, list]] = defaultdict(dict)
    for r in rows:
        clusters[r["event_cluster"]][r["doc_id"]] = claims[r["doc_id"]]

    def compare_all() -> None:
        for group in clusters.values():
            compare_claims(group)

    tc = median_time(compare_all, repeat=3, warmup=1)
    n_claims = sum(len(c) for c in claims.values())
    body = "\n".join(
        [
            "| step | work | median time | rate |",
            "| --- | --- | --- | --- |",
            f"| extract claims | {len(texts)} ECB+ articles, {words:,} words, {n_claims:,} claims | "
            f"{t.median:.2f} s (spread {t.spread:.2f}) | **{rate:.0f} articles/s** on one core "
            f"(target {TARGET:.0f}: {'met' if rate >= TARGET else 'NOT met'}) |",
            f"| compare claims | {len(clusters)} event clusters (3–22 articles each) | {tc.median:.2f} s | "
            f"{len(clusters) / tc.median:.0f} stories/s |",
        ]
    )
    print(body)
    record_results(
        "Claims: extraction and comparison speed (ECB+ dev, one core)", body, data=[path]
    )


if __name__ == "__main__":
    main()
