"""Spark behind the same semantic layer on the real Olist data: every catalog metric and the golden
set's Olist questions give the same answers on DuckDB and on Spark (the demo's half, the commands
and the helpers are in test_spark_backend.py; split so that two xdist workers share the work)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.nlq.test_spark_backend import _compare_metrics, _golden

pytestmark = pytest.mark.spark
OLIST_TODAY = dt.date(2018, 9, 1)


def test_every_metric_same_on_spark_olist(
    olist_workspace: Path, olist_lake: Path, spark_started: Any
) -> None:
    from shopql.catalog import load_catalog

    n = _compare_metrics(olist_workspace, olist_lake, OLIST_TODAY, "province", spark_started)
    catalog = load_catalog(olist_workspace)
    assert n == len(catalog.metrics)


def test_golden_offline_queries_same_on_spark_olist(
    olist_workspace: Path, olist_lake: Path, spark_started: Any
) -> None:
    answered, _ = _golden(olist_workspace, olist_lake, "olist", spark_started)
    assert answered >= 60
