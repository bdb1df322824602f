"""The order and the units of work tests/conftest.py gives pytest-xdist: every test file that
starts Spark is in the one `spark` unit (one worker, one JVM), every other file is a unit of its
own, and a unit's tests stay together, heaviest unit first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.conftest import pytest_collection_modifyitems, work_unit

TESTS = Path(__file__).resolve().parent


def test_every_spark_file_is_in_the_spark_unit() -> None:
    using = sorted(
        p.relative_to(TESTS.parent).as_posix()
        for p in TESTS.rglob("test_*.py")
        if p != Path(__file__).resolve() and "spark_started" in p.read_text(encoding="utf-8")
    )
    assert len(using) >= 4
    assert {work_unit(name) for name in using} == {"spark"}
    assert work_unit("tests/warehouse/test_spark_transpile.py") == (
        "tests/warehouse/test_spark_transpile.py"  # no JVM: a file of its own
    )
    assert work_unit("tests/nlq/test_offline.py") == "tests/nlq/test_offline.py"


def test_a_unit_stays_together_and_weighs_its_files() -> None:
    names = [
        "tests/nlq/test_spark_backend.py::a",
        "tests/nlq/test_offline.py::a",
        "tests/nlq/test_spark_backend.py::b",
        "tests/nlq/test_spark_olist.py::a",
        "tests/warehouse/test_lake.py::a",
        "tests/nlq/test_spark_olist_by.py::a",
        "tests/new_file.py::a",
    ]
    items: list[Any] = [SimpleNamespace(nodeid=n) for n in names]
    config: Any = SimpleNamespace(workerinput={})
    pytest_collection_modifyitems(config, items)
    order = [i.nodeid for i in items]
    spark = [n for n in order if "test_spark_" in n]
    # the Spark files together, first (their seconds add up), in collection order
    assert order[: len(spark)] == [
        "tests/nlq/test_spark_backend.py::a",
        "tests/nlq/test_spark_backend.py::b",
        "tests/nlq/test_spark_olist.py::a",
        "tests/nlq/test_spark_olist_by.py::a",
    ]
    # then the other files by their own seconds; a new file (not in the table) last
    assert order[len(spark) :] == [
        "tests/warehouse/test_lake.py::a",
        "tests/nlq/test_offline.py::a",
        "tests/new_file.py::a",
    ]
