"""The Parquet tables the Spark job writes, and their rows ↔ the model's dataclasses.

Tables (one folder each under the output folder):

* ``articles``: one row per text id: the :class:`~unspin.model.Article` fields, the
  ingest order (``ord_input``, ``ord_path``, ``ord_record``) and the LSH ``band_keys`` and the provenance ``anchor_keys``
  (so ``unspin import`` fills the provenance index without recomputing them);
* ``relations``: one row per related pair, oriented source → copy, every
  :class:`~unspin.model.Relation` field with the evidence (``substitutions``,
  ``passages``, ``sentences``) as nested lists of structs;
* ``stories``: ``story_id``, ``article_id``, ``size`` (articles in the story);
* ``claims``: one row per :class:`~unspin.model.Claim` (its fields, as named there,
  and ``pos``, its place in the article's reading order);
* ``failures``: ``source``, ``reason`` for every input record that gave no article.

Field names follow the model's attribute names, so a Parquet reader (DuckDB, pandas,
Spark) sees what the Python API returns.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from unspin.model import Claim, Passage, Relation, SentenceMatch, Substitution

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import DataType, StructType

__all__ = [
    "INDEX_COLUMNS",
    "ARTICLES_SCHEMA",
    "FAILURES_SCHEMA",
    "RELATIONS_SCHEMA",
    "STORIES_SCHEMA",
    "claim_from_record",
    "claim_record",
    "claims_schema",
    "claims_table",
    "relation_from_record",
    "relation_record",
]

# The articles table's provenance index columns (not article fields).
INDEX_COLUMNS = ("band_keys", "anchor_keys", "neighbour_vec", "neighbour_keys")
ARTICLES_SCHEMA = (
    "id string, text string, title string, url string, site string, author string, "
    "published timestamp, language string, ingested_at timestamp, origin_kind string, "
    "origin string, origin_record string, "
    "boilerplate array<struct<text: string, reason: string>>, n_words int, "
    "ord_input int, ord_path string, ord_record long, band_keys array<long>, "
    "anchor_keys array<long>, neighbour_vec binary, neighbour_keys array<long>"
)
RELATIONS_SCHEMA = (
    "source_id string, copy_id string, kind string, confidence double, reused double, "
    "coverage double, substitution_rate double, direction string, "
    "substitutions array<struct<source: string, copy: string, source_start: int, "
    "source_end: int, copy_start: int, copy_end: int>>, "
    "passages array<struct<source_start: int, source_end: int, copy_start: int, "
    "copy_end: int, matched: int, substituted: int>>, "
    "sentences array<struct<source_start: int, source_end: int, copy_start: int, "
    "copy_end: int, similarity: double>>, "
    "added_facts array<string>, order_kept double, facts_carried double, common_source string"
)
STORIES_SCHEMA = "story_id string, article_id string, size long"
FAILURES_SCHEMA = "source string, reason string"


def relation_record(rel: Relation) -> tuple[Any, ...]:
    """One row of the ``relations`` table."""
    return (
        rel.source_id,
        rel.copy_id,
        rel.kind,
        float(rel.confidence),
        float(rel.reused),
        float(rel.coverage),
        float(rel.substitution_rate),
        rel.direction,
        [dataclasses.astuple(s) for s in rel.substitutions],
        [dataclasses.astuple(p) for p in rel.passages],
        [dataclasses.astuple(m) for m in rel.sentences],
        list(rel.added_facts),
        rel.order_kept,
        rel.facts_carried,
        rel.common_source,
    )


def relation_from_record(rec: dict[str, Any]) -> Relation:
    """Rebuild a :class:`Relation` from a ``relations`` row (a dict by column name)."""

    def rows(value: Any) -> list[dict[str, Any]]:
        return list(value) if value is not None else []

    return Relation(
        source_id=rec["source_id"],
        copy_id=rec["copy_id"],
        kind=rec["kind"],
        confidence=rec["confidence"],
        reused=rec["reused"],
        coverage=rec["coverage"],
        substitution_rate=rec["substitution_rate"],
        direction=rec["direction"],
        substitutions=tuple(Substitution(**s) for s in rows(rec.get("substitutions"))),
        passages=tuple(Passage(**p) for p in rows(rec.get("passages"))),
        sentences=tuple(SentenceMatch(**m) for m in rows(rec.get("sentences"))),
        added_facts=tuple(rec.get("added_facts") or ()),
        order_kept=rec.get("order_kept"),
        facts_carried=rec.get("facts_carried"),
        common_source=rec.get("common_source"),
    )


# --- claims: the schema follows the Claim dataclass ------------------------------------


def _spark_type(hint: Any) -> DataType:
    from pyspark.sql import types as T

    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _spark_type(args[0])
    if origin is tuple:
        return T.ArrayType(_spark_type(args[0]))
    simple: dict[Any, DataType] = {
        str: T.StringType(),
        int: T.LongType(),
        float: T.DoubleType(),
        bool: T.BooleanType(),
    }
    if hint in simple:
        return simple[hint]
    raise TypeError(f"Claim field type {hint!r} has no Parquet column type")


def claims_schema() -> StructType:
    """The ``claims`` table schema: one column per :class:`Claim` field, same names,
    then ``pos``, the claim's place in its article's reading order."""
    from pyspark.sql import types as T

    hints = typing.get_type_hints(Claim)
    fields = [
        T.StructField(f.name, _spark_type(hints[f.name]), True) for f in dataclasses.fields(Claim)
    ]
    return T.StructType([*fields, T.StructField("pos", T.IntegerType(), False)])


def claim_record(claim: Claim, pos: int) -> tuple[Any, ...]:
    """One row of the ``claims`` table (tuples become lists)."""
    values = (getattr(claim, f.name) for f in dataclasses.fields(Claim))
    return (*(list(v) if isinstance(v, tuple) else v for v in values), pos)


def claim_from_record(rec: dict[str, Any]) -> Claim:
    """Rebuild a :class:`Claim` from a ``claims`` row (lists become tuples)."""
    names = [f.name for f in dataclasses.fields(Claim)]
    values: dict[str, Any] = {
        n: tuple(rec[n]) if isinstance(rec.get(n), list) else rec.get(n) for n in names
    }
    return Claim(**values)


def _claims_of_rows(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    from unspin.claims.extract import claims_of
    from unspin.spark.io import article_from_record

    for row in rows:
        for pos, claim in enumerate(claims_of(article_from_record(row.asDict(recursive=True)))):
            yield claim_record(claim, pos)


def claims_table(spark: SparkSession, articles: DataFrame) -> DataFrame:
    """Claims of every article, extracted per partition by :func:`unspin.claims.extract.claims_of`."""
    cols = [c for c in articles.columns if c not in INDEX_COLUMNS]
    return spark.createDataFrame(
        articles.select(*cols).rdd.mapPartitions(_claims_of_rows),
        claims_schema(),
        verifySchema=False,
    )
