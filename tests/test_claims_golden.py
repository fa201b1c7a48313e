"""Claim extraction gives exactly the claims it gave when the golden hashes were taken.

Speed work on :mod:`unspin.claims` must not change a single claim: the SHA-256 of every
claim of the bundled examples (and, where the public data is present, of the 772 ECB+
dev articles and the Wikinews articles, resolved against their dates) is pinned in
``tests/golden/claims.json``. Regenerate with ``UNSPIN_UPDATE_GOLDEN=1 pytest
tests/test_claims_golden.py`` only for a deliberate change of extraction (bump
``EXTRACTOR_VERSION`` then), and review the counts in the diff.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import astuple
from datetime import date
from pathlib import Path

import pytest

from unspin.claims import extract_claims
from unspin.ingest import IngestOptions, iter_articles
from unspin.model import Article

GOLDEN = Path(__file__).resolve().parent / "golden" / "claims.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
UPDATE = os.environ.get("UNSPIN_UPDATE_GOLDEN") == "1"


def _digest(texts: Iterable[tuple[str, date | None]]) -> dict[str, object]:
    """Count and SHA-256 of the claims of ``texts`` (every field, in order, as JSON)."""
    h = hashlib.sha256()
    n_texts = n_claims = 0
    for text, published in texts:
        n_texts += 1
        for claim in extract_claims(text, published=published):
            n_claims += 1
            h.update(json.dumps(astuple(claim), ensure_ascii=False).encode("utf-8"))
            h.update(b"\n")
        h.update(b"\x00")
    return {"texts": n_texts, "claims": n_claims, "sha256": h.hexdigest()}


def _check(name: str, texts: Iterable[tuple[str, date | None]]) -> None:
    got = _digest(texts)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
    if UPDATE:
        golden[name] = got
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return
    assert name in golden, f"no golden hash for {name}: run with UNSPIN_UPDATE_GOLDEN=1"
    assert got == golden[name], f"claims of {name} changed: {got} != {golden[name]}"


def _examples() -> Iterator[tuple[str, date | None]]:
    articles = [
        a for a in iter_articles([str(EXAMPLES)], IngestOptions()) if isinstance(a, Article)
    ]
    for a in sorted(articles, key=lambda a: a.id):
        yield a.text, a.published


def test_examples_claims_are_unchanged() -> None:
    _check("examples", _examples())


@pytest.mark.data
def test_ecbplus_dev_claims_are_unchanged(shared_data: Path) -> None:
    path = shared_data / "ecbplus" / "ecbplus_dev.jsonl"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    _check("ecbplus_dev", ((Article.create(r["text"]).text, None) for r in rows))


@pytest.mark.data
def test_wikinews_claims_are_unchanged(shared_data: Path) -> None:
    rows: list[tuple[str, date | None]] = []
    for year in ("2019", "2020"):
        with (shared_data / "wikinews" / f"wikinews_{year}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["title"].startswith("TEST PAGE"):
                    rows.append(
                        (Article.create(row["text"]).text, date.fromisoformat(row["date"][:10]))
                    )
    _check("wikinews", rows)
