"""Extraction + clean-up accuracy on the article-extraction benchmark (shared/data/extraction).

Metric as that benchmark defines it: 4-word shingles (``\\w+`` tokens, case kept) of the
extracted text against the gold ``articleBody``; per-page precision and recall
normalised so long pages weigh no more, averaged over pages; F1 of the two means.
Compared in the same run with plain ``trafilatura.extract(html, include_comments=False)``,
the benchmark's own trafilatura runner.

    python bench/extraction_accuracy.py [--show-worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trafilatura  # noqa: E402

from harness import record_results, shared_data  # noqa: E402
from unspin.errors import InputError  # noqa: E402
from unspin.ingest import article_from_html  # noqa: E402

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum(min(t[k], p[k]) for k in t.keys() | p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in t.keys() | p.keys())
    fn = sum(max(0, t[k] - p[k]) for k in t.keys() | p.keys())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def scores(triples: list[tuple[float, float, float]]) -> dict[str, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(prec(*x) for x in triples if x[0] + x[1] > 0)
    r = statistics.mean(rec(*x) for x in triples if x[0] + x[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def ours(html: str, url: str) -> str:
    try:
        article = article_from_html(html, "page", url=url)
    except InputError:
        return ""
    return article.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show-worst", type=int, default=0, help="print the N pages we lose most on"
    )
    parser.add_argument("--no-append", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    base = shared_data("extraction")
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    ours_t, peer_t, per_page = [], [], []
    for key in sorted(truth):
        html = gzip.open(base / "html" / f"{key}.html.gz", "rt", encoding="utf-8").read()
        gold = truth[key].get("articleBody", "")
        url = truth[key].get("url", "")
        a = tp_fp_fn(gold, ours(html, url))
        b = tp_fp_fn(gold, trafilatura.extract(html, include_comments=False) or "")
        ours_t.append(a)
        peer_t.append(b)
        per_page.append((key, a, b))
    o, p = scores(ours_t), scores(peer_t)
    print(f"pages: {len(truth)}")
    print(f"unspin ingest      P {o['precision']:.3f}  R {o['recall']:.3f}  F1 {o['f1']:.3f}")
    print(f"trafilatura 2.0.0  P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")
    if args.show_worst:
        per_page.sort(key=lambda x: x[1][0] - x[2][0])
        for key, a, b in per_page[: args.show_worst]:
            print(
                key[:12],
                f"ours tp {a[0]:.3f} fp {a[1]:.3f} fn {a[2]:.3f} | peer tp {b[0]:.3f} fp {b[1]:.3f} fn {b[2]:.3f}",
            )
    if not args.no_append:
        body = (
            f"Article-extraction benchmark, visible part ({len(truth)} pages), 4-word shingles as the "
            "benchmark defines them.\n\n"
            "| extractor | precision | recall | F1 |\n|---|---|---|---|\n"
            f"| unspin ingest (trafilatura + clean-up) | {o['precision']:.3f} | {o['recall']:.3f} | **{o['f1']:.3f}** |\n"
            f"| trafilatura 2.0.0 `extract()` (peer, same run) | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} |\n\n"
            f"F1 difference: {o['f1'] - p['f1']:+.3f}."
        )
        record_results("Extraction accuracy (issue 2)", body, data=[base])


if __name__ == "__main__":
    main()
