"""Lead, session 15: a comparison of an average (a review score, an order value) works out its
change from the exact values of the two periods, not from their rounded display (4.01 vs 4.11
is −2.43 %, the scores themselves −2.34 %)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.nlq.helpers import ask_at, scalar

OLIST_TODAY = dt.date(2018, 9, 1)


def test_the_change_of_an_average_is_worked_out_exactly(olist_workspace: Path) -> None:
    cur, prev = (
        scalar(
            olist_workspace,
            f"SELECT avg(score) FROM reviews WHERE created_at >= '{a}' AND created_at < '{b}'",
        )
        for a, b in (("2018-01-01", "2018-07-01"), ("2017-01-01", "2017-07-01"))
    )
    got = ask_at(olist_workspace, "平均评分 今年上半年比去年上半年 变了多少", OLIST_TODAY)
    assert len(got) == 1
    shown_now, shown_before, change = got[0][:3]
    assert (shown_now, shown_before) == (round(cur, 2), round(prev, 2))
    assert change == pytest.approx(round((cur - prev) / prev, 4))
    assert change != pytest.approx(round((round(cur, 2) - round(prev, 2)) / round(prev, 2), 4))
