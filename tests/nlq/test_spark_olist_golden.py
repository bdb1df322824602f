"""Spark behind the same semantic layer on the real Olist data: the golden set's Olist questions
give the same answers on DuckDB and on Spark (every catalog metric is in test_spark_olist.py; the
Spark files share one worker and its JVM: tests/conftest.py ONE_WORKER)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.nlq.test_spark_backend import _golden

pytestmark = pytest.mark.spark


def test_golden_offline_queries_same_on_spark_olist(
    olist_workspace: Path, olist_lake: Path, spark_started: Any
) -> None:
    answered, _ = _golden(olist_workspace, olist_lake, "olist", spark_started)
    assert answered >= 60
