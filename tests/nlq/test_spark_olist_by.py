"""Spark behind the same semantic layer on the real Olist data: Olist's share of the metrics that
can be split (split_share: the rest are split by platform on the demo, in test_spark_backend.py)
gives the same answers on DuckDB and on Spark by state and month (each metric alone is in
test_spark_olist.py; the Spark files share one worker and its JVM: tests/conftest.py
ONE_WORKER)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.nlq.test_spark_backend import _compare_metrics, catalog_of, split_share
from tests.nlq.test_spark_olist import OLIST_TODAY

pytestmark = pytest.mark.spark


def test_every_metric_by_state_and_month_same_on_spark_olist(
    olist_workspace: Path, olist_lake: Path, spark_started: Any
) -> None:
    n = _compare_metrics(
        olist_workspace, olist_lake, OLIST_TODAY, "province", spark_started, whole=False
    )
    assert n == len(split_share(catalog_of(olist_workspace), "province")) >= 50
