"""The same mining on Spark (Ibis's PySpark backend, local mode) gives the same org file and
figures as the embedded DuckDB engine on the purchasing log.

Skips when PySpark or Java is missing here; CI (ORGFLOW_REQUIRE_SPARK=1, set by .ci/run, which
installs both) fails instead of skipping."""

from __future__ import annotations

import os
import shutil

import pytest

from .conftest import PURCHASING


def _spark_or_skip() -> object:
    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed: pip install 'orgflow[spark]'"
    if reason is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        reason = "no Java (PySpark needs Java 17)"
    if reason is not None:
        if os.environ.get("ORGFLOW_REQUIRE_SPARK"):
            pytest.fail(f"ORGFLOW_REQUIRE_SPARK is set but {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[1]")
        .appName("orgflow-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )


def _mined(backend: object) -> tuple[str, object]:
    from orgflow.mine.classes import request_classes
    from orgflow.mine.discover import build
    from orgflow.mine.figures import compute
    from orgflow.mine.read import Columns, read_log
    from orgflow.mine.report import org_yaml

    log = read_log([PURCHASING], Columns(), backend=backend)
    fig, events = compute(log)
    # The latent class of slow requests is cut in the engine: the same two processes.
    groups, line = request_classes(fig, events)
    assert len(groups) == 2
    mined = build(
        fig, name="Purchasing", sources=[PURCHASING.name], classes=groups, classes_line=line
    )
    return org_yaml(mined), fig


# PySpark's own py4j sockets and pandas calls warn; those are not orgflow's.
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
    "ignore:The copy keyword is deprecated:Warning",
    "ignore:.*is deprecated:DeprecationWarning",
)
def test_spark_mines_the_same_org_file_as_duckdb() -> None:
    session = _spark_or_skip()
    import ibis

    session.sparkContext.setLogLevel("ERROR")  # type: ignore[attr-defined]
    try:
        on_spark, fig_spark = _mined(ibis.pyspark.connect(session))
    finally:
        session.stop()  # type: ignore[attr-defined]
        import gc

        gc.collect()  # PySpark's sockets are closed here, under this test's filters
    on_duckdb, fig_duckdb = _mined(None)
    assert on_spark == on_duckdb
    for name in ("lead_mean", "lead_p90", "wait_hours", "contention_hours", "person_changes"):
        assert getattr(fig_spark, name) == pytest.approx(getattr(fig_duckdb, name), rel=1e-9)
    assert fig_spark.handovers == fig_duckdb.handovers  # type: ignore[attr-defined]
    assert fig_spark.variants == fig_duckdb.variants  # type: ignore[attr-defined]
