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

from importlib import import_module
from typing import Any

__all__ = [
    "ImportReport",
    "SparkOptions",
    "SparkReport",
    "import_parquet",
    "run_job",
    "spark_session",
]

# Exports load on first use, so ``python -m unspin.spark.job`` does not import the job
# module twice (once through this package, once as ``__main__``).
_HOME = {
    "ImportReport": "unspin.spark.load",
    "import_parquet": "unspin.spark.load",
    "SparkOptions": "unspin.spark.job",
    "SparkReport": "unspin.spark.job",
    "run_job": "unspin.spark.job",
    "spark_session": "unspin.spark.job",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'unspin.spark' has no attribute {name!r}")
