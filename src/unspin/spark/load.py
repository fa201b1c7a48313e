"""Load the Spark job's Parquet tables into the SQLite store (``unspin import DIR``).

Reads with pyarrow only, so importing needs neither Spark nor Java. Articles go in
through :meth:`Store.put_articles` in the order the job read them (so the store's order
is the one ``unspin add`` would have given), their LSH band keys into the provenance
index (so a later ``unspin add`` finds copies of imported articles), relations through
:meth:`Store.put_relations` and claims through :meth:`Store.put_claims`. Then the story
stage runs on the imported articles (:func:`unspin.stories.update`, as after ``unspin
add``): story clustering is a stream over the articles in read order, which the job does
not reproduce; the job's ``stories`` table (connected components of its relations)
stays in Parquet for Spark-side use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin import stories
from unspin.errors import InputError
from unspin.provenance.neighbours import day_of
from unspin.spark.io import article_from_record
from unspin.spark.tables import claim_from_record, relation_from_record

if TYPE_CHECKING:
    from unspin.store import Store

__all__ = ["ImportReport", "import_parquet", "read_table", "run_report"]

# Rows written per transaction: a failed import leaves whole batches behind, never half
# an article; 500 keeps each transaction short enough not to block readers for long.
IMPORT_BATCH = 500


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_parquet` stored, by table, and the tables it had to leave out."""

    folder: str
    articles: dict[str, int]
    relations: int
    indexed: int
    stories: int | None = None  # stories in the store after the import
    claims: int | None = None
    skipped: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_table(folder: Path, name: str) -> list[dict[str, Any]] | None:
    """The rows of table ``name`` under ``folder`` as dicts, or None if it is absent.

    Raises:
        InputError: the table exists but is not readable Parquet.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / name
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(str(path), f"not a readable Parquet table ({exc})") from None
    out: list[dict[str, Any]] = table.to_pylist()
    return out


def _batches(rows: list[Any], size: int = IMPORT_BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def import_parquet(store: Store, folder: str | Path) -> ImportReport:
    """Load the tables the Spark job wrote under ``folder`` into ``store``.

    Args:
        store: the open store.
        folder: a local folder holding ``articles`` (required), ``relations``,
            ``stories``, ``claims``.

    Returns:
        An :class:`ImportReport` (articles by outcome: added, updated, known,
        republished).

    Raises:
        InputError: ``folder`` has no ``articles`` table, or a table is unreadable.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            str(folder), "no such folder (give the --out folder of `unspin spark run`)"
        )
    rows = read_table(folder, "articles")
    if rows is None:
        raise InputError(str(folder), "holds no 'articles' table: not an `unspin spark run` output")
    rows.sort(key=lambda r: (r["ord_input"], r["ord_path"], r["ord_record"]))
    outcomes: dict[str, int] = {}
    new_ids: list[str] = []  # added or updated, in read order: what later stages take
    for batch in _batches(rows):
        for result in store.put_articles(article_from_record(r) for r in batch):
            outcomes[result.status] = outcomes.get(result.status, 0) + 1
            if result.status in ("added", "updated"):
                new_ids.append(result.id)

    indexed = 0
    todo = set(store.unindexed_ids([r["id"] for r in rows]))
    for batch in _batches([r for r in rows if r["id"] in todo]):
        seqs = store.article_seqs([r["id"] for r in batch])
        bands = sorted((int(k), seqs[r["id"]]) for r in batch for k in (r["band_keys"] or []))
        store.put_bands_bulk(bands, (seqs[r["id"]] for r in batch))
        anchors = sorted(
            (int(k), seqs[r["id"]]) for r in batch for k in (r.get("anchor_keys") or [])
        )
        store.put_anchors_bulk(anchors)
        store.put_neighbours(
            [
                (
                    seqs[r["id"]],
                    day_of(article_from_record(r).published),
                    bytes(r["neighbour_vec"]),
                    [int(k) for k in r.get("neighbour_keys") or []],
                )
                for r in batch
                if r.get("neighbour_vec") is not None
            ]
        )
        indexed += len(batch)

    n_relations = 0
    for batch in _batches(read_table(folder, "relations") or []):
        n_relations += store.put_relations(relation_from_record(r) for r in batch)

    skipped: dict[str, str] = {}
    n_stories = _assign_stories(store, new_ids)
    n_claims = _import_claims(store, folder, [r["id"] for r in rows], skipped)
    return ImportReport(
        folder=str(folder),
        articles=outcomes,
        relations=n_relations,
        indexed=indexed,
        stories=n_stories,
        claims=n_claims,
        skipped=skipped,
    )


def _assign_stories(store: Store, new_ids: list[str]) -> int:
    """Run the story stage on the imported articles, as ``unspin add`` does after ingest.

    Story clustering is a stream (each article joins the best live story, in read
    order), so it runs here, in the store, on the imported relations; the job's
    ``stories`` table (connected components of the relations) stays in Parquet.
    """
    stories.update(store, new_ids)
    return int(store.count_stories())


def run_report(folder: Path) -> dict[str, Any]:
    """The run's summary (``_unspin_report``: counts, versions), or {} if absent."""
    for part in sorted((folder / "_unspin_report").glob("part-*")):
        text = part.read_text(encoding="utf-8").strip()
        if text:
            data: dict[str, Any] = json.loads(text)
            return data
    return {}


def _import_claims(
    store: Store, folder: Path, ids: list[str], skipped: dict[str, str]
) -> int | None:
    rows = read_table(folder, "claims")
    if rows is None:
        skipped["claims"] = "no 'claims' table in the folder"
        return None
    version = run_report(folder).get("claims_version")
    if not isinstance(version, int):
        skipped["claims"] = "the run recorded no claims extractor version: left in Parquet"
        return None
    by_article: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    n = 0
    # Every article of the run was extracted, so one with no claims is recorded as done.
    for article_id, found in by_article.items():
        found.sort(key=lambda r: r["pos"])
        n += store.put_claims(article_id, [claim_from_record(r) for r in found], version)
    return n
