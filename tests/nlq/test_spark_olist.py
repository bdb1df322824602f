"""Spark behind the same semantic layer on the real Olist data: every catalog metric gives the
same answers on DuckDB and on Spark; split by state and month in test_spark_olist_by.py (the golden
set's Olist questions are in test_spark_olist_golden.py; the demo's half, the commands and the
helpers in test_spark_backend.py). The four files run on one pytest-xdist worker, one after
another (tests/conftest.py: ONE_WORKER), so one JVM serves them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.nlq.test_spark_backend import _compare_metrics, catalog_of

pytestmark = pytest.mark.spark
OLIST_TODAY = dt.date(2018, 9, 1)


def test_every_metric_same_on_spark_olist(
    olist_workspace: Path, olist_lake: Path, spark_started: Any
) -> None:
    n = _compare_metrics(olist_workspace, olist_lake, OLIST_TODAY, None, spark_started)
    catalog = catalog_of(olist_workspace)
    assert n == len(catalog.metrics)
