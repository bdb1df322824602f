"""Shares, day parts and time words (session 46, helper C): weekday vs weekend daily averages over
the days of each kind with any sale (Online Retail sells on no Saturday: its weekend day is a
Sunday, not half a Sunday); each period's share of the range (今年各月营业额的占比分布); the shop
floor's words for placing an order (拍下 / 拍单), weekdays (平日 beside 周末), the hour (哪个整点), the
most (最密 / 最旺 after orders or money), the way to pay (付法) and 单均 with 更 / 各 / 花费. Values
against hand-written SQL; each reading beside a look-alike that keeps its own answer or stays
refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number


def _close(a: object, b: object) -> bool:
    return float(a) == pytest.approx(float(b), abs=0.01)  # type: ignore[arg-type]


# --- weekday vs weekend: the average day of each kind, over its days with any sale ---


def _daily_by_kind(ws: Workspace, start: str, end: str) -> dict[str, float]:
    got = sql(
        ws,
        "SELECT CASE WHEN isodow(d) IN (6, 7) THEN 'weekend' ELSE 'weekday' END, avg(s) FROM "
        "(SELECT CAST(paid_at AS DATE) AS d, sum(paid_amount) AS s FROM orders WHERE "
        f"paid_at >= '{start}' AND paid_at < '{end}' GROUP BY 1) GROUP BY 1",
    )
    return {k: float(v) for k, v in got}


def _kinds(ws: Workspace, question: str) -> dict[str, float]:
    return {r[1]: float(r[-1]) for r in rows(ws, question)}


@pytest.mark.parametrize(
    "question",
    [
        "今年平日和周末的日均营业额分别是多少",
        "今年 周末 跟 平日 比 日均 销售额",
        "今年工作日和周末的日均营业额",
        "this year weekdays vs weekends average daily sales",
    ],
)
def test_weekday_weekend_daily_average_over_days_with_sales(
    retail: Workspace, question: str
) -> None:
    want = _daily_by_kind(retail, "2011-01-01", "2011-12-01")
    got = _kinds(retail, question)
    assert set(got) == {"weekday", "weekend"}
    for kind, value in want.items():
        assert _close(got[kind], value), (question, kind)


def test_weekday_weekend_daily_average_olist_august(olist: Workspace) -> None:
    want = _daily_by_kind(olist, "2018-08-01", "2018-09-01")
    got = _kinds(olist, "8月周末跟平日比 一天平均卖多少")
    assert got == pytest.approx(want, abs=0.01)


def test_daily_average_of_the_whole_period_keeps_calendar_days(olist: Workspace) -> None:
    # the period's 日均 alone still counts a day without a sale as 0 (31 days in August)
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) / 31 FROM orders WHERE paid_at >= '2018-08-01'"
        " AND paid_at < '2018-09-01'",
    )
    assert _close(number(olist, "8月日均销售额"), want)


def test_usually_said_alone_is_not_weekdays(retail: Workspace) -> None:
    refused(retail, "平日里一天卖多少")


# --- each period's share of the range ---


def _month_shares(ws: Workspace, metric: str, time: str, start: str, end: str) -> list[float]:
    got = sql(
        ws,
        f"SELECT date_trunc('month', {time}), {metric} / sum({metric}) OVER () FROM orders "
        f"WHERE {time} >= '{start}' AND {time} < '{end}' GROUP BY 1 ORDER BY 1",
    )
    return [float(v) for _, v in got]


@pytest.mark.parametrize(
    "question",
    [
        "今年每个月的销售额 各占今年到现在总额的几成",
        "今年各月营业额的占比分布",
        "今年1到8月 每个月的销售额在这8个月里的比重",
        "monthly share of this year's revenue",
    ],
)
def test_each_month_share_of_the_year(olist: Workspace, question: str) -> None:
    want = _month_shares(olist, "sum(paid_amount)", "paid_at", "2018-01-01", "2018-09-01")
    got = [float(r[-1]) for r in rows(olist, question)]
    assert got == pytest.approx(want, abs=0.0001), question


def test_each_month_share_of_orders(retail: Workspace) -> None:
    want = _month_shares(retail, "count(*)", "created_at", "2011-01-01", "2011-12-01")
    got = [float(r[-1]) for r in rows(retail, "今年每个月的订单数 各占几成")]
    assert got == pytest.approx(want, abs=0.0001)


@pytest.mark.parametrize(
    "question",
    [
        "今年每个月的订单中 运费的占比",  # a part within each month
        "今年每个月的买家数占比",  # people are counted once over the year
        "今年哪个月的销售额占比最高",  # ranked by share
        "今年每个月的订单里 取消的占几成",
    ],
)
def test_shares_within_each_period_stay_refused(olist: Workspace, question: str) -> None:
    refused(olist, question)


def test_each_month_new_buyer_share_stays_refused(demo: Workspace) -> None:
    # 新客占比 is of that month's buyers, not the month's part of the year's new buyers
    refused(demo, "今年每个月新客占比")


# --- the shop floor's words ---

_FEB_EARLY = "created_at >= '2018-02-01' AND created_at < '2018-02-11'"


@pytest.mark.parametrize(
    "question",
    ["今年2月上旬拍下了几单", "今年2月上旬拍下多少个订单", "今年2月上旬拍下的订单有几个"],
)
def test_placed_said_pai_xia(olist: Workspace, question: str) -> None:
    assert number(olist, question) == sql_number(
        olist, f"SELECT count(*) FROM orders WHERE {_FEB_EARLY}"
    )


def test_pai_dan_per_day_top(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT CAST(created_at AS DATE), count(*) FROM orders WHERE created_at >= '2018-08-01'"
        " AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(olist, "8月哪天拍单最多")[0]
    assert str(got[0])[:10] == str(want[0]) and float(got[-1]) == want[1]


def test_placed_but_unpaid_keeps_its_reading(demo: Workspace) -> None:
    want = sql_number(
        demo,
        f"SELECT count(*) FROM orders WHERE paid_at IS NULL AND created_at >= DATE '{demo.today}'"
        f" - INTERVAL 7 DAY AND created_at < DATE '{demo.today}'",
    )
    assert number(demo, "近7天拍下了但没付款的有几单") == want


def _top_hour(ws: Workspace, value: str, start: str, end: str) -> tuple[int, float]:
    got = sql(
        ws,
        f"SELECT hour(paid_at), {value} FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'"
        " GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    return int(got[0]), float(got[1])


@pytest.mark.parametrize("question", ["11月 哪个整点进账的英镑最多", "11月哪一个整点进账最旺"])
def test_the_hour_said_zheng_dian(retail: Workspace, question: str) -> None:
    hour, value = _top_hour(retail, "sum(paid_amount)", "2011-11-01", "2011-12-01")
    got = rows(retail, question)[0]
    assert int(got[0]) == hour and _close(got[-1], value)


def test_the_most_said_zui_mi(olist: Workspace) -> None:
    hour, value = _top_hour(olist, "count(*)", "2018-08-01", "2018-09-01")
    got = rows(olist, "8月一天里哪个整点付款的订单最密")[0]
    assert int(got[0]) == hour and float(got[-1]) == value


def test_way_to_pay_and_per_order_spend(olist: Workspace) -> None:
    want = dict(
        sql(
            olist,
            "SELECT payment_channel, round(sum(paid_amount) / count(*), 2) FROM orders WHERE"
            " payment_channel IN ('boleto', 'debit_card') AND paid_at >= '2018-01-01'"
            " AND paid_at < '2018-09-01' GROUP BY 1",
        )
    )
    got = {r[0]: r[-1] for r in rows(olist, "今年boleto跟debit_card 哪种付法的单均更高")}
    assert set(got) == set(want)
    for k, v in want.items():
        assert _close(got[k], v)


def test_per_order_items_not_read_as_aov(olist: Workspace) -> None:
    # 单均件数 is its own measure, never 客单价
    got = rows(olist, "8月单均件数")
    assert got and float(got[0][-1]) < 10
