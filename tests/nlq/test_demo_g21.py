"""Demo brand questions (session 21, helper g): each answered as a careful analyst would, values
against hand-written SQL on the session demo (seed 7, today 2025-06-01), or refused — and a
confident wrong answer: "total discount by platform last quarter" showed Tmall, whose export names
no discount, with a discount of 0.00 (and "哪个平台优惠最少" named it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import rows, sql


def _last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    q0 = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = dt.date(q0.year - (q0.month == 1), (q0.month - 4) % 12 + 1, 1)
    return start, q0


def _discounts(demo: Any) -> dict[str, float | None]:
    start, end = _last_quarter(demo.today)
    got = sql(
        demo,
        "SELECT platform, sum(discount_amount) FROM orders WHERE "
        f"created_at >= DATE '{start}' AND created_at < DATE '{end}' GROUP BY 1",
    )
    return {p: (None if v is None else float(v)) for p, v in got}


@pytest.mark.parametrize(
    "question",
    ["total discount by platform last quarter", "上季度 各平台 优惠金额", "上季度 优惠 按平台"],
)
def test_a_group_never_carrying_the_summed_column_has_no_figure(demo: Any, question: str) -> None:
    """Tmall's rows carry no discount_amount at all: its discount is blank (NULL), not 0; every
    other platform keeps its own total."""
    want = _discounts(demo)
    assert want["tmall"] is None and any(v for v in want.values())
    got = {p: (None if v is None else float(v)) for p, v in rows(demo, question)}
    assert got == {p: (None if v is None else pytest.approx(v)) for p, v in want.items()}


@pytest.mark.parametrize(
    ("question", "lowest"),
    [
        ("上季度 哪个平台 优惠 最少", True),
        ("which platform gave the least discount last quarter", True),
        ("上季度 优惠金额 最高的平台", False),
    ],
)
def test_a_group_with_no_figure_is_no_place_in_a_ranking(
    demo: Any, question: str, lowest: bool
) -> None:
    """The least discount is the least of the platforms that have discounts, not Tmall's 0."""
    known = {p: v for p, v in _discounts(demo).items() if v is not None}
    pick = min if lowest else max
    best = pick(known, key=lambda p: known[p])
    ((platform, value),) = rows(demo, question)
    assert (platform, float(value)) == (best, pytest.approx(known[best]))
