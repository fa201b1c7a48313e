"""unspin on Apache Spark: the same stage functions over WARC / JSONL at crawl scale.

* :mod:`unspin.spark.job`: the job (``python -m unspin.spark.job``, ``unspin spark run``);
* :mod:`unspin.spark.io`: inputs → articles per partition, with the ingest readers;
* :mod:`unspin.spark.tables`: the Parquet tables and their rows;
* :mod:`unspin.spark.load`: Parquet tables → the SQLite store (``unspin import``),
  with pyarrow only (no Spark needed to import).

PySpark is an optional dependency (``unspin[spark]``); importing this package does not
import it.
"""

from __future__ import annotations

from unspin.spark.job import SparkOptions, SparkReport, run_job, spark_session
from unspin.spark.load import ImportReport, import_parquet

__all__ = [
    "ImportReport",
    "SparkOptions",
    "SparkReport",
    "import_parquet",
    "run_job",
    "spark_session",
]
