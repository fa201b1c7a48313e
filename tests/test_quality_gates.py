"""Quality gates: accuracy figures from bench/RESULTS.md are floors CI defends.

Each gate recomputes a benchmark figure on the public data in ../shared/data and fails
if it falls below the floor in bench/baselines.json (skipped where the data is absent).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
BASELINES = json.loads((ROOT / "bench" / "baselines.json").read_text())


@pytest.mark.data
def test_extraction_f1_floor(shared_data: Path) -> None:
    from extraction_accuracy import ours, scores, tp_fp_fn

    base = shared_data / "extraction"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    triples = []
    for key, gold in sorted(truth.items()):
        with gzip.open(base / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as fh:
            html = fh.read()
        triples.append(tp_fp_fn(gold.get("articleBody", ""), ours(html, gold.get("url", ""))))
    f1 = scores(triples)["f1"]
    assert f1 >= BASELINES["extraction_f1"], f"extraction F1 {f1:.3f} fell below the floor"
