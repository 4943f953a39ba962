"""The batch job on Apache Spark: each partition scored by the in-process pipeline (mapInArrow + LocalScorer).

Spark reads the file and numbers its records in file order (as the local reader does), the text is
built from the same layout columns with the same function, and every Python worker scores its
partitions with the same LocalScorer, built once per worker. The output has the local job's schema;
errors go to `OUT/_errors/` (CSV). Arrow in and out (mapInArrow), so pandas never crosses the
JVM boundary (PySpark does not fully support pandas 3 yet). Spark retries failed tasks itself; a
killed driver reruns the whole job (the local job is the one that resumes per chunk).
"""

import os
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from batch.output import SCHEMA
from batch.source import ID, REASON, ROW, Columns, choose_columns, tickets
from core.errors import DatasetError
from core.params import PROJECT_ROOT, load_params

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

CORRUPT = "_corrupt_record"
# Scored rows and error rows in one schema (`reason` set only on errors), split after one pass.
SCORED_OR_ERROR = SCHEMA.append(pa.field(REASON, pa.string()))
_scorer = None


def score_partition(batches: Iterator[pa.RecordBatch], columns: Columns) -> Iterator[pa.RecordBatch]:
    """mapInArrow function: (row, raw layout columns) -> output rows and error rows, one LocalScorer per worker."""
    from batch.local import LocalScorer

    global _scorer
    for batch in batches:
        _scorer = _scorer or LocalScorer(load_params())
        rows, errors = _scorer.score(tickets(batch.to_pandas(), columns))
        yield pa.RecordBatch.from_pylist(rows + errors, schema=SCORED_OR_ERROR)


def session(master: str) -> "SparkSession":
    """A session whose Python workers run this interpreter and import this project (local mode)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    return SparkSession.builder.master(master).appName("callcenter-batch").getOrCreate()


def read_numbered(spark: "SparkSession", path: str) -> "DataFrame":
    """The file as a DataFrame of strings with `row`, the record's number in file order (0 = first after the header)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        frame = spark.read.parquet(path)
    elif suffix == ".csv":
        header = spark.read.option("header", True).csv(path).columns
        schema = ", ".join(f"`{name}` STRING" for name in [*header, CORRUPT])
        options = {"header": True, "multiLine": True, "escape": '"', "columnNameOfCorruptRecord": CORRUPT}
        frame = spark.read.options(**options, mode="PERMISSIVE").schema(schema).csv(path)
    else:
        raise DatasetError(f"{path}: unsupported file type {suffix!r}; expected .csv or .parquet")
    order = Window.orderBy(F.monotonically_increasing_id())
    # Cached: Spark refuses queries on a raw CSV that read only its corrupt-record column.
    return frame.withColumn(ROW, F.row_number().over(order) - 1).persist()


def score(spark: "SparkSession", path: str, params: dict[str, Any], text_cols, id_col) -> "DataFrame":
    """Every record scored or turned into an error row (`reason` set), in Spark's partitions."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    frame = read_numbered(spark, path)
    columns = choose_columns(frame.columns, params["data"]["layouts"], text_cols, id_col, path)
    wanted = [ROW, *columns.text, *([columns.id] if columns.id else [])]
    corrupt = frame.columns.count(CORRUPT) > 0
    readable = frame.filter(F.col(CORRUPT).isNull()) if corrupt else frame
    scored = (
        readable.select(*wanted)
        .repartition(spark.sparkContext.defaultParallelism)
        .mapInArrow(partial(score_partition, columns=columns), from_arrow_schema(SCORED_OR_ERROR))
    )
    if not corrupt:
        return scored
    unreadable = frame.filter(F.col(CORRUPT).isNotNull()).select(
        ROW, F.lit(None).cast("string").alias(ID), F.lit("malformed CSV record").alias(REASON)
    )
    return scored.unionByName(unreadable, allowMissingColumns=True)


def run_spark_job(args: Any, params: dict[str, Any]) -> None:
    """Score `args.input` on Spark (`args.spark` is the master), write OUT and OUT/_errors, print a summary."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    spark = session(args.spark)
    try:
        result = score(spark, args.input, params, args.text_col, args.id_col).persist(StorageLevel.MEMORY_AND_DISK)
        scored = result.filter(F.col(REASON).isNull()).drop(REASON)
        errors = result.filter(F.col(REASON).isNotNull()).select(ROW, ID, REASON)
        scored.write.mode("overwrite").parquet(args.output)
        errors.coalesce(1).write.mode("overwrite").option("header", True).csv(f"{args.output.rstrip('/')}/_errors")
        print(f"batch (spark {args.spark}): {scored.count()} rows scored, {errors.count()} errors -> {args.output}")
    finally:
        spark.stop()
