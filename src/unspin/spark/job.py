"""The Spark job: the unspin pipeline over WARC / JSONL at crawl scale.

Stages, each calling the same functions as the local pipeline:

1. **ingest** (:mod:`unspin.spark.io`): per partition, the :mod:`unspin.ingest`
   readers turn WARC records and JSONL lines into cleaned articles; one article per
   text id, metadata merged in ingest order (as :meth:`Store.put_articles` does);
2. **fingerprint**: per partition, :func:`unspin.provenance.fingerprint.fingerprints` gives each
   article its LSH band keys (none for articles under :data:`index.MIN_WORDS`);
3. **candidates**: a Spark join of the exploded band keys with themselves: every
   earlier article sharing a band with a later one, the :data:`MAX_CANDIDATES` sharing
   most bands per later article (the local pipeline's rule); a band bucket offers only
   its :data:`MAX_CANDIDATES` earliest articles as sources, so one huge copy family
   costs ``n * MAX_CANDIDATES`` pairs, not ``n**2``;
4. **verify**: per partition, :func:`unspin.provenance.relate.relate` aligns each candidate pair
   (earlier article first; each later article's pairs together, sorted) and classifies it;
   every relation but ``unrelated`` is kept;
5. **stories**: connected components over those relations (copies and same-story
   pairs), computed with Spark by minimum-label propagation;
6. **claims**: where the claims stage offers an extraction function.

Outputs are Parquet tables under ``--out``: ``articles``, ``relations``, ``stories``,
``failures`` (and ``claims`` when the claims stage is available), plus
``_unspin_report`` with the counts (one JSON line). Load them into SQLite with
``unspin import DIR``.

Run it as ``unspin spark run INPUT... --out DIR``, as ``python -m unspin.spark.job
INPUT... --out DIR [--master URL]``, or on a cluster as ``spark-submit [options]
path/to/unspin/spark/job.py INPUT... --out DIR`` (the master then comes from
``spark-submit``). See docs/scale.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from unspin.claims.extract import EXTRACTOR_VERSION
from unspin.errors import InputError
from unspin.ingest import IngestFailure
from unspin.model import Article
from unspin.provenance import index
from unspin.provenance.candidates import ANCHOR_MAX_DF, anchor_score
from unspin.provenance.fingerprint import fingerprints
from unspin.provenance.neighbours import (
    NEIGHBOUR_BUCKET_READ,
    NEIGHBOUR_MAX,
    NEIGHBOUR_MIN_COSINE,
    NEIGHBOUR_WINDOW_DAYS,
    cosines,
    neighbour_keys,
    neighbour_vectors,
)
from unspin.spark.io import (
    Item,
    Order,
    article_from_record,
    article_record,
    expand_inputs,
    read_inputs,
)
from unspin.spark.tables import (
    ARTICLES_SCHEMA,
    FAILURES_SCHEMA,
    INDEX_COLUMNS,
    RELATIONS_SCHEMA,
    claims_table,
    relation_record,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkOptions", "SparkReport", "main", "run_job", "spark_session"]

log = logging.getLogger(__name__)

# Per later article, at most this many earlier candidates are verified: the local
# pipeline's limit (index.MAX_CANDIDATES), so both find the same pairs.
MAX_CANDIDATES = index.MAX_CANDIDATES
# Articles fingerprinted per call of unspin.provenance.fingerprint.fingerprints: its MinHash is
# vectorised over a batch; a bounded batch bounds the arrays one call holds per task.
FINGERPRINT_BATCH = 500
# Minimum-label propagation stops after this many rounds even if labels still move:
# a chain of copies of copies longer than this is not a news story.
MAX_COMPONENT_ROUNDS = 30


@dataclass(frozen=True)
class SparkOptions:
    """How the job runs (built at the CLI/API boundary).

    Attributes:
        out: the output folder (local path or Hadoop URI); its tables are replaced.
        master: the Spark master (``local[2]``, ``spark://…``, ``yarn``); None keeps the
            one ``spark-submit`` set (else ``local[*]``).
        partitions: partitions for ingest and verification (0: twice the default
            parallelism).
        shuffle_partitions: ``spark.sql.shuffle.partitions`` for the joins.
        stories, claims: run those stages.
        conf: extra Spark settings, ``(key, value)`` pairs.
    """

    out: str
    master: str | None = None
    partitions: int = 0
    shuffle_partitions: int = 8
    stories: bool = True
    claims: bool = True
    conf: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SparkReport:
    """What one run wrote: counts per table, failures, wall seconds per stage (each
    stage ends with its table written), the stages skipped and why."""

    out: str
    inputs: tuple[str, ...]
    articles: int
    failures: int
    relations: dict[str, int]
    stories: int
    claims: int | None
    seconds: float
    claims_version: int | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def spark_session(
    master: str | None = None, *, shuffle_partitions: int = 8, conf: Sequence[tuple[str, str]] = ()
) -> SparkSession:
    """A Spark session set up for the job (UTC, Arrow, no UI unless asked).

    Args:
        master: the master URL; None keeps what ``spark-submit`` configured.
        shuffle_partitions: ``spark.sql.shuffle.partitions``.
        conf: further ``(key, value)`` settings, applied last.
    """
    import os

    from pyspark.sql import SparkSession

    # Workers must run this interpreter (it has unspin and its dependencies).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("unspin")
    if master:
        builder = builder.master(master)
    settings = {
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.ui.showConsoleProgress": "false",
        **dict(conf),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# --- per-partition functions (run on the workers) ---------------------------------------


def _earliest_merged(x: tuple[Order, Article], y: tuple[Order, Article]) -> tuple[Order, Article]:
    """The earlier-read copy of one text, with metadata it lacks merged from the other."""
    (first_order, first), (_, later) = (x, y) if x[0] <= y[0] else (y, x)
    return first_order, first.merged(later)


def _failure_rows(items: Iterable[Item]) -> Iterator[tuple[str, str]]:
    for _order, item in items:
        if isinstance(item, IngestFailure):
            yield item.source, item.reason


def _keyed_articles(items: Iterable[Item]) -> Iterator[tuple[str, tuple[Order, Article]]]:
    for order, item in items:
        if isinstance(item, Article):
            yield item.id, (order, item)


def _fingerprinted(
    items: Iterable[tuple[str, tuple[Order, Article]]],
) -> Iterator[tuple[Any, ...]]:
    """Rows of the articles table with LSH band keys, fingerprinted in batches."""
    batch: list[tuple[Order, Article]] = []
    for _id, pair in items:
        batch.append(pair)
        if len(batch) >= FINGERPRINT_BATCH:
            yield from _fingerprint_batch(batch)
            batch = []
    yield from _fingerprint_batch(batch)


def _fingerprint_batch(batch: list[tuple[Order, Article]]) -> Iterator[tuple[Any, ...]]:
    usable = [a.text for _, a in batch if a.n_words >= index.MIN_WORDS]
    fps = iter(fingerprints(usable))  # the vectorised batch path of unspin.provenance.fingerprint
    vectors = neighbour_vectors(usable)
    near = iter(zip(vectors, neighbour_keys(vectors).tolist(), strict=True))
    for order, article in batch:
        keys: list[int] = []
        anchors: list[int] = []
        vec: bytes | None = None
        nkeys: list[int] = []
        if article.n_words >= index.MIN_WORDS:
            fp = next(fps)
            keys = sorted(set(fp.index_keys.tolist()))
            anchors = fp.anchors.tolist()
            v, nkeys = next(near)
            vec = v.tobytes()
        yield article_record(article, order, keys, anchors, vec, nkeys)


def _verified(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        earlier = article_from_record(row["a"].asDict(recursive=True))
        later = article_from_record(row["b"].asDict(recursive=True))
        for rel in index.verify([(earlier, later, row["via"])]):
            yield relation_record(rel)


# --- stages -----------------------------------------------------------------------------


def candidate_pairs(articles: DataFrame, *, max_candidates: int = MAX_CANDIDATES) -> DataFrame:
    """Candidate copy pairs, as a join: ``(a_id, b_id, via)``.

    ``a`` is read before ``b``; each ``b`` keeps its ``max_candidates`` earlier articles
    sharing the most bands (:func:`band_pairs`), its ``max_candidates`` best by shared
    anchors (:func:`anchor_pairs`) and its nearest embedding neighbours
    (:func:`neighbour_pairs`), as the local index does. ``via`` says how each pair is
    verified (:data:`unspin.provenance.index.Via`).
    """
    from pyspark.sql import functions as F

    banded = band_pairs(articles, max_candidates=max_candidates).select(
        "a_id", "b_id", F.lit("text").alias("via")
    )
    anchored = anchor_pairs(
        articles, exclude=banded, max_candidates=min(max_candidates, index.MAX_ANCHOR_CANDIDATES)
    )
    found = banded.unionByName(anchored)
    return found.unionByName(neighbour_pairs(articles, exclude=found))


def band_pairs(articles: DataFrame, *, max_candidates: int = MAX_CANDIDATES) -> DataFrame:
    """Candidate copy pairs by LSH banding, as a join: ``(a_id, b_id, shared)``.

    ``a`` is read before ``b``; each ``b`` keeps its ``max_candidates`` earlier
    articles sharing the most bands (ties: the earliest), as the local index does.

    Skew guard: in each band bucket only its ``max_candidates`` earliest members are
    offered as sources, so a bucket of ``n`` articles (a wire story carried by
    thousands of outlets) yields at most ``n * max_candidates`` pairs, never ``n**2``.
    Buckets of up to ``max_candidates + 1`` articles (every bucket of a normal corpus)
    give all their pairs, so the result equals the local pipeline's there.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = F.struct("ord_input", "ord_path", "ord_record")
    bands = articles.select("id", order.alias("ord"), F.explode("band_keys").alias("key"))
    bucket = Window.partitionBy("key")
    ranked = (
        bands.withColumn("pos", F.row_number().over(bucket.orderBy("ord")))
        .withColumn("size", F.count(F.lit(1)).over(bucket))
        .where(F.col("size") >= 2)
        .drop("size")
    )
    a = ranked.where(F.col("pos") <= max_candidates).alias("a")
    b = ranked.alias("b")
    pairs = (
        a.join(b, F.col("a.key") == F.col("b.key"))
        .where(F.col("a.pos") < F.col("b.pos"))
        .groupBy(
            F.col("a.id").alias("a_id"), F.col("a.ord").alias("a_ord"), F.col("b.id").alias("b_id")
        )
        .agg(F.count(F.lit(1)).alias("shared"))
    )
    rank = Window.partitionBy("b_id").orderBy(F.col("shared").desc(), F.col("a_ord").asc())
    return (
        pairs.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") <= max_candidates)
        .select("a_id", "b_id", "shared")
    )


def _anchor_match(
    w: int, s: int, n: int, own_a: list[int], own_b: list[int]
) -> tuple[float, bool] | None:
    match = anchor_score((w, s, n), own_a, own_b)
    return (match.score, match.textual) if match is not None else None


def anchor_pairs(
    articles: DataFrame,
    *,
    exclude: DataFrame,
    max_candidates: int = MAX_CANDIDATES,
    max_df: int = ANCHOR_MAX_DF,
) -> DataFrame:
    """Candidate pairs by shared anchors, as the local index finds them: ``(a_id, b_id,
    via)``, each ``b`` keeping its ``max_candidates`` best earlier articles among
    those not already in ``exclude`` (the band candidates).

    An anchor counts for ``b`` only while at most ``max_df``
    (:data:`unspin.provenance.candidates.ANCHOR_MAX_DF`) earlier articles hold it, as
    the local index reads it for each new article in turn: each anchor's pairs are
    those among its ``max_df + 1`` earliest holders.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    order = F.struct("ord_input", "ord_path", "ord_record")
    anchors = articles.select("id", order.alias("ord"), F.explode("anchor_keys").alias("key"))
    kind = F.col("key").bitwiseAND(F.lit(3))
    own = anchors.groupBy("id").agg(
        F.array(*(F.sum((kind == k).cast("int")) for k in (1, 2, 3))).alias("own")
    )
    holders = Window.partitionBy("key").orderBy("ord")
    kept = anchors.withColumn("pos", F.row_number().over(holders)).where(F.col("pos") <= max_df + 1)
    a, b = kept.alias("a"), kept.alias("b")
    shared = (
        a.join(b, F.col("a.key") == F.col("b.key"))
        .where(F.col("a.ord") < F.col("b.ord"))
        .groupBy(
            F.col("a.id").alias("a_id"), F.col("a.ord").alias("a_ord"), F.col("b.id").alias("b_id")
        )
        .agg(
            *(
                F.sum((F.col("a.key").bitwiseAND(F.lit(3)) == k).cast("int")).alias(name)
                for k, name in ((1, "w"), (2, "s"), (3, "n"))
            )
        )
    )
    match_type = T.StructType(
        [T.StructField("score", T.DoubleType()), T.StructField("textual", T.BooleanType())]
    )
    match = F.udf(_anchor_match, match_type)
    scored = (
        shared.join(own.select(F.col("id").alias("a_id"), F.col("own").alias("own_a")), "a_id")
        .join(own.select(F.col("id").alias("b_id"), F.col("own").alias("own_b")), "b_id")
        .withColumn("m", match("w", "s", "n", "own_a", "own_b"))
        .where(F.col("m").isNotNull())
        .join(exclude.select("a_id", "b_id"), ["a_id", "b_id"], "left_anti")
    )
    rank = Window.partitionBy("b_id").orderBy(F.col("m.score").desc(), F.col("a_id").asc())
    return (
        scored.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") <= max_candidates)
        .select(
            "a_id",
            "b_id",
            F.when(F.col("m.textual"), F.lit("text")).otherwise(F.lit("names")).alias("via"),
        )
    )


def _cosine(a: bytes, b: bytes) -> float:
    return float(cosines(np.frombuffer(b, np.float16), np.frombuffer(a, np.float16)[None, :])[0])


def neighbour_pairs(articles: DataFrame, *, exclude: DataFrame) -> DataFrame:
    """Candidate pairs by embedding neighbours, as the local index finds them: ``(a_id,
    b_id, via)``. Each ``b`` reads, in each of its LSH buckets, the
    :data:`~unspin.provenance.neighbours.NEIGHBOUR_BUCKET_READ` latest articles before
    it, and keeps its :data:`~unspin.provenance.neighbours.NEIGHBOUR_MAX` nearest of
    those within the cosine floor and time window that ``exclude`` (the band and anchor
    candidates) lacks."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    order = F.struct("ord_input", "ord_path", "ord_record")
    day = F.floor(F.unix_timestamp("published") / 86400)
    keyed = articles.where(F.col("neighbour_vec").isNotNull()).select(
        "id",
        order.alias("ord"),
        day.alias("day"),
        F.col("neighbour_vec").alias("vec"),
        F.explode("neighbour_keys").alias("key"),
    )
    keyed = keyed.where(F.col("key") >= 0)
    a, b = keyed.alias("a"), keyed.alias("b")
    latest = Window.partitionBy(F.col("b_id"), F.col("key")).orderBy(F.col("a_ord").desc())
    read = (
        a.join(b, F.col("a.key") == F.col("b.key"))
        .where(F.col("a.ord") < F.col("b.ord"))
        .select(
            F.col("a.key").alias("key"),
            F.col("a.id").alias("a_id"),
            F.col("a.ord").alias("a_ord"),
            F.col("a.day").alias("a_day"),
            F.col("a.vec").alias("a_vec"),
            F.col("b.id").alias("b_id"),
            F.col("b.day").alias("b_day"),
            F.col("b.vec").alias("b_vec"),
        )
        .withColumn("pos", F.row_number().over(latest))
        .where(F.col("pos") <= NEIGHBOUR_BUCKET_READ)
        .dropDuplicates(["a_id", "b_id"])
    )
    cosine = F.udf(_cosine, T.DoubleType())
    apart = F.abs(F.col("a_day") - F.col("b_day"))
    scored = (
        read.withColumn("cos", cosine("a_vec", "b_vec"))
        .where(F.col("cos") >= NEIGHBOUR_MIN_COSINE)
        .where(apart.isNull() | (apart <= NEIGHBOUR_WINDOW_DAYS))
        .join(exclude.select("a_id", "b_id"), ["a_id", "b_id"], "left_anti")
    )
    rank = Window.partitionBy("b_id").orderBy(F.col("cos").desc(), F.col("a_ord").asc())
    return (
        scored.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") <= NEIGHBOUR_MAX)
        .select("a_id", "b_id", F.lit("meaning").alias("via"))
    )


def verify_pairs(
    spark: SparkSession, articles: DataFrame, pairs: DataFrame, partitions: int
) -> DataFrame:
    """Align and classify every candidate pair with :func:`unspin.provenance.relate.relate`.

    Each later article's pairs go to one partition, one after the other (partitioned and
    sorted by it), as ``unspin add`` verifies them: the aligner then indexes the later
    text's words once for all its candidates (:func:`unspin.provenance.align.align`).
    """
    from pyspark.sql import functions as F

    cols = [c for c in articles.columns if c not in INDEX_COLUMNS]
    body = articles.select(F.col("id").alias("_id"), F.struct(*cols).alias("art"))
    joined = (
        pairs.join(body.withColumnRenamed("art", "a"), pairs.a_id == F.col("_id"))
        .drop("_id")
        .join(body.withColumnRenamed("art", "b"), pairs.b_id == F.col("_id"))
        .select("a", "b", "via", "b_id", "a_id")
        .repartition(partitions, "b_id")
        .sortWithinPartitions("b_id", "a_id")
    )
    return spark.createDataFrame(
        joined.rdd.mapPartitions(_verified), RELATIONS_SCHEMA, verifySchema=False
    )


def connected_components(
    ids: DataFrame, edges: DataFrame, *, partitions: int, max_rounds: int = MAX_COMPONENT_ROUNDS
) -> DataFrame:
    """Connected components by minimum-label propagation: ``(article_id, story_id)``.

    Only articles with an edge take part: each starts labelled with itself, and each
    round every one takes the smallest label among itself and its neighbours, until no
    label moves (rounds: the longest shortest path in a component, plus one). Articles
    without an edge are their own component. The label is the component's smallest
    article id, so story ids do not depend on partitioning or input order.

    Args:
        ids: a DataFrame with column ``id`` (every article, isolated ones included).
        edges: a DataFrame with columns ``src``, ``dst`` (undirected).
        partitions: partitions of the label RDDs.
    """
    from pyspark.sql import functions as F

    both = (
        edges.select("src", "dst")
        .rdd.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0])))
        .distinct(partitions)
        .cache()
    )
    labels = both.keys().distinct(partitions).map(lambda n: (n, n))
    for _round in range(max_rounds):
        offers = both.join(labels, partitions).map(lambda kv: kv[1])  # (neighbour, label)
        new = labels.union(offers).reduceByKey(min, partitions)
        new.localCheckpoint()  # cut the lineage that grows each round
        # Counting the moved labels computes (and checkpoints) the round: one Spark job.
        moved = new.join(labels, partitions).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels = new
        if moved == 0:
            break
    else:
        log.warning("story components still moving after %d rounds; stopped there", max_rounds)
    spark = ids.sparkSession
    labelled = spark.createDataFrame(labels, "id string, label string")
    both.unpersist()
    return ids.join(labelled, "id", "left").select(
        F.col("id").alias("article_id"), F.coalesce("label", "id").alias("story_id")
    )


def _stories(articles: DataFrame, relations: DataFrame, partitions: int) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    edges = relations.select(F.col("source_id").alias("src"), F.col("copy_id").alias("dst"))
    members = connected_components(articles.select("id"), edges, partitions=partitions)
    size = F.count(F.lit(1)).over(Window.partitionBy("story_id"))
    return members.withColumn("size", size).select("story_id", "article_id", "size")


def run_job(spark: SparkSession, inputs: Sequence[str], options: SparkOptions) -> SparkReport:
    """Run the whole job on ``inputs`` and write its tables under ``options.out``.

    Raises:
        InputError: no input given, or a local input path does not exist.
    """
    from pyspark import StorageLevel

    if not inputs:
        raise InputError("spark run", "no input given (WARC, WARC.gz or JSONL paths or URIs)")
    started = time.perf_counter()
    sc = spark.sparkContext
    parts = options.partitions or max(2, 2 * sc.defaultParallelism)
    out = options.out.rstrip("/")
    skipped: dict[str, str] = {}
    stage_seconds: dict[str, float] = {}
    mark = [started]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        stage_seconds[stage] = round(now - mark[0], 3)
        mark[0] = now

    items = read_inputs(sc, inputs, min_partitions=parts).persist(StorageLevel.MEMORY_AND_DISK)
    failures_df = spark.createDataFrame(
        items.mapPartitions(_failure_rows), FAILURES_SCHEMA, verifySchema=False
    )
    failures_df.write.mode("overwrite").parquet(f"{out}/failures")

    by_id = items.mapPartitions(_keyed_articles).reduceByKey(_earliest_merged, numPartitions=parts)
    articles = spark.createDataFrame(
        by_id.mapPartitions(_fingerprinted), ARTICLES_SCHEMA, verifySchema=False
    )
    articles.write.mode("overwrite").parquet(f"{out}/articles")
    items.unpersist()
    articles = spark.read.parquet(f"{out}/articles")
    lap("ingest+fingerprint")

    pairs = candidate_pairs(articles)
    relations = verify_pairs(spark, articles, pairs, parts)
    relations.write.mode("overwrite").parquet(f"{out}/relations")
    relations = spark.read.parquet(f"{out}/relations")
    rel_counts = {r["kind"]: int(r["count"]) for r in relations.groupBy("kind").count().collect()}
    lap("candidates+verify")

    n_stories = 0
    if options.stories:
        stories = _stories(articles, relations, parts)
        stories.write.mode("overwrite").parquet(f"{out}/stories")
        n_stories = spark.read.parquet(f"{out}/stories").select("story_id").distinct().count()
        lap("stories")
    else:
        skipped["stories"] = "switched off"

    n_claims: int | None = None
    claims_version: int | None = None
    if options.claims:
        claims_df = claims_table(spark, articles)
        claims_df.write.mode("overwrite").parquet(f"{out}/claims")
        n_claims = spark.read.parquet(f"{out}/claims").count()
        claims_version = EXTRACTOR_VERSION
        lap("claims")
    else:
        skipped["claims"] = "switched off"

    report = SparkReport(
        out=out,
        inputs=tuple(inputs),
        articles=articles.count(),
        failures=spark.read.parquet(f"{out}/failures").count(),
        relations=dict(sorted(rel_counts.items())),
        stories=n_stories,
        claims=n_claims,
        seconds=round(time.perf_counter() - started, 3),
        claims_version=claims_version,
        stage_seconds=stage_seconds,
        skipped=skipped,
    )
    summary = json.dumps(report.to_dict())  # one line: the text table's one row
    spark.createDataFrame([(summary,)], "json string").coalesce(1).write.mode("overwrite").text(
        f"{out}/_unspin_report"
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m unspin.spark.job INPUT... --out DIR [--master URL]`` (spark-submit)."""
    parser = argparse.ArgumentParser(
        prog="python -m unspin.spark.job",
        description="Run the unspin pipeline on Spark over WARC/WARC.gz/JSONL inputs; "
        "write Parquet tables articles, relations, stories, failures (and claims).",
    )
    parser.add_argument(
        "inputs", nargs="+", help="paths, globs or Hadoop URIs of WARC, WARC.gz or JSONL files"
    )
    parser.add_argument("--out", required=True, help="output folder for the Parquet tables")
    parser.add_argument(
        "--master", default=None, help="Spark master (default: spark-submit's, else local[*])"
    )
    parser.add_argument(
        "--partitions", type=int, default=0, help="partitions for ingest and verification"
    )
    parser.add_argument(
        "--shuffle-partitions", type=int, default=8, help="spark.sql.shuffle.partitions"
    )
    parser.add_argument("--no-stories", action="store_true", help="skip the story components")
    parser.add_argument("--no-claims", action="store_true", help="skip claim extraction")
    args = parser.parse_args(argv)
    options = SparkOptions(
        out=args.out,
        master=args.master,
        partitions=args.partitions,
        shuffle_partitions=args.shuffle_partitions,
        stories=not args.no_stories,
        claims=not args.no_claims,
    )
    try:
        expand_inputs(args.inputs)  # a missing path fails here, before Spark starts
    except InputError as exc:
        print(f"unspin spark: error: {exc}", file=sys.stderr)
        return 1
    spark = spark_session(options.master, shuffle_partitions=options.shuffle_partitions)
    try:
        report = run_job(spark, args.inputs, options)
    finally:
        spark.stop()
    print(json.dumps(report.to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
