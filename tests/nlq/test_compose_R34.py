"""Query shapes the offline engine could not build (issue 11, session 34, helper R), each added once
for every metric, value and threshold the catalog knows, values against hand-written SQL, each
beside look-alikes that keep their own answer or are refused:

- a value's share compared between two periods (comparisons._share_compared): each period's
  share of the whole and the change in percentage points ("英国的销售额占比11月比10月高了几个
  百分点", "beleza_saude的销售额占比8月比7月…");
- two periods apart of any lengths, the later said first, with a change in percent or the later
  as a part / multiple of the earlier asked (offline._later_over_earlier): one row with the
  change and the ratio ("今年11月比9月件数涨了百分之几", "今年到现在的销售额是去年全年的几倍");
- bands of one threshold, a row each (nlq/bands.py): "买1件、2件、3件及以上的订单各有多少单",
  "花了不到100、100到500、500以上的买家各有几个", "按件数分 1到10件 11到50件 50件以上 各多少张",
  "按花费分段 … 各占几成" — every band the threshold's own filter, so it composes with the
  period and the other filters.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql, sql_number

# -- a value's share in two periods ---------------------------------------------------------------

UK_SHARE = (
    "SELECT sum(paid_amount) FILTER (WHERE country = 'United Kingdom' AND paid_at >= '{a}' AND "
    "paid_at < '{b}') / sum(paid_amount) FILTER (WHERE paid_at >= '{a}' AND paid_at < '{b}') "
    "FROM orders"
)


def test_value_share_in_two_periods_retail(retail: Any) -> None:
    now = sql_number(retail, UK_SHARE.format(a="2011-11-01", b="2011-12-01"))
    before = sql_number(retail, UK_SHARE.format(a="2011-10-01", b="2011-11-01"))
    for question in (
        "英国的销售额占比11月比10月高了几个百分点",
        "英国的销售额占比11月比10月低了几个点",
        "By how many percentage points did the UK's share of sales change in November vs October?",
    ):
        share, previous, change = rows(retail, question)[0]
        assert float(share) == pytest.approx(now, abs=5e-5)
        assert float(previous) == pytest.approx(before, abs=5e-5)
        assert float(change) == pytest.approx((now - before) * 100, abs=5e-5)


def test_value_share_in_two_periods_apart(retail: Any) -> None:
    now = sql_number(retail, UK_SHARE.format(a="2011-11-01", b="2011-12-01"))
    before = sql_number(retail, UK_SHARE.format(a="2011-09-01", b="2011-10-01"))
    share, previous, change = rows(retail, "英国的销售额占比11月比9月高了几个百分点")[0]
    assert float(previous) == pytest.approx(before, abs=5e-5)
    assert float(change) == pytest.approx((now - before) * 100, abs=5e-5)


def test_value_share_in_two_periods_of_line_amounts(olist: Any) -> None:
    gold = (
        "SELECT (sum(i.paid_amount) FILTER (WHERE p.category = 'beleza_saude' AND o.paid_at >= "
        "'2018-08-01') / sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2018-08-01') - "
        "sum(i.paid_amount) FILTER (WHERE p.category = 'beleza_saude' AND o.paid_at < "
        "'2018-08-01') / sum(i.paid_amount) FILTER (WHERE o.paid_at < '2018-08-01')) * 100 FROM "
        "order_items i JOIN orders o ON o.order_id = i.order_id JOIN products p ON p.product_id = "
        "i.product_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01'"
    )
    got = rows(olist, "beleza_saude的销售额占比8月比7月高了几个百分点")[0][-1]
    assert float(got) == pytest.approx(sql_number(olist, gold), abs=5e-5)


@pytest.mark.parametrize(
    "question",
    [
        "11月英国的销售额占比比上个月高了多少",  # points or percent: not said
        "英国的销售额占比11月比10月",  # no change asked: refused as before
        "英国的销售额占比9月比11月高了几个百分点",  # the earlier said as the subject
        "各国的销售额占比11月比10月高了几个百分点",  # a breakdown's shares: not this shape
    ],
)
def test_value_share_in_two_periods_look_alikes_refused(retail: Any, question: str) -> None:
    refused(retail, question)


def test_value_share_of_one_period_unchanged(retail: Any) -> None:
    got = rows(retail, "11月英国的销售额占比")[0]
    assert float(got[-1]) == pytest.approx(
        sql_number(retail, UK_SHARE.format(a="2011-11-01", b="2011-12-01")), abs=5e-5
    )
    assert len(got) == 3  # part, whole, share: no other period


# -- two periods apart: the change, the later over the earlier -----------------------------------

UNITS = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}'"
)


def test_two_months_apart_change_in_percent(retail: Any) -> None:
    nov = sql_number(retail, UNITS.format(a="2011-11-01", b="2011-12-01"))
    sep = sql_number(retail, UNITS.format(a="2011-09-01", b="2011-10-01"))
    got = rows(retail, "今年 11月 比 9月 件数 涨了 百分之几")
    assert len(got) == 1
    units, previous, change = (float(v) for v in got[0][:3])
    assert (units, previous) == (nov, sep)
    assert change == pytest.approx(nov / sep - 1, abs=5e-5)


SALES = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{a}' AND paid_at < '{b}'"


@pytest.mark.parametrize(
    "question",
    ["今年到现在的销售额是去年全年的几倍", "今年到现在的销售额是去年全年的几成"],
)
def test_year_to_date_over_a_whole_year(olist: Any, question: str) -> None:
    ytd = sql_number(olist, SALES.format(a="2018-01-01", b="2018-09-01"))
    last = sql_number(olist, SALES.format(a="2017-01-01", b="2018-01-01"))
    got = rows(olist, question)
    assert len(got) == 1
    assert float(got[0][-1]) == pytest.approx(ytd / last, abs=5e-5)  # the ratio, last
    assert float(got[0][0]) == pytest.approx(ytd, abs=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "今年9月比11月件数涨了百分之几",  # the earlier said as the subject
        "今年到现在的销售额和去年全年比",  # two lengths, nothing of the one over the other asked
    ],
)
def test_two_periods_apart_look_alikes_refused(retail: Any, question: str) -> None:
    refused(retail, question)


def test_two_months_apart_side_by_side_unchanged(retail: Any) -> None:
    got = rows(retail, "今年 11月 比 9月 件数")
    sep = sql_number(retail, UNITS.format(a="2011-09-01", b="2011-10-01"))
    nov = sql_number(retail, UNITS.format(a="2011-11-01", b="2011-12-01"))
    assert [float(r[1]) for r in got] == [sep, nov]  # a row each, the earlier first


# -- bands of one threshold -----------------------------------------------------------------------

SPEND_BANDS = (
    "SELECT CASE WHEN s < {lo} THEN '<{lo}' WHEN s <= {hi} THEN '{lo}-{hi}' ELSE '>{hi}' END, "
    "count(*) FROM (SELECT o.one_id, sum(o.paid_amount) AS s FROM orders o WHERE o.one_id IS NOT "
    "NULL AND o.paid_at >= '{a}' AND o.paid_at < '{b}' GROUP BY 1) GROUP BY 1"
)
UNIT_BANDS = (
    "SELECT {case}, count(*) FROM (SELECT o.order_id, sum(i.quantity) AS u FROM order_items i "
    "JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}' "
    "{where} GROUP BY 1) GROUP BY 1"
)
ONE_TWO_MORE = "CASE WHEN u = 1 THEN '1' WHEN u = 2 THEN '2' ELSE '3+' END"


def _as_dict(got: list[tuple[Any, ...]]) -> dict[str, float]:
    return {r[0]: float(r[1]) for r in got}


def test_bands_of_a_persons_spend(olist: Any) -> None:
    gold = sql(olist, SPEND_BANDS.format(lo=100, hi=500, a="2018-01-01", b="2018-09-01"))
    got = rows(olist, "今年花了不到100、100到500、500以上的买家各有几个")
    assert [r[0] for r in got] == ["<100", "100-500", ">500"]  # in the order said
    assert _as_dict(got) == {k: float(v) for k, v in gold}


def test_bands_of_a_persons_spend_as_shares(retail: Any) -> None:
    gold = sql(retail, SPEND_BANDS.format(lo=500, hi=2000, a="2011-01-01", b="2011-12-01"))
    total = sum(v for _, v in gold)
    got = rows(retail, "今年客户按花费分段 不到500、500到2000、2000以上各占几成")
    assert {r[0]: float(r[-1]) for r in got} == pytest.approx(
        {k: v / total for k, v in gold}, abs=5e-5
    )


def test_bands_of_an_orders_items(olist: Any) -> None:
    gold = sql(
        olist, UNIT_BANDS.format(case=ONE_TWO_MORE, a="2018-08-01", b="2018-09-01", where="")
    )
    got = rows(olist, "8月的订单里买1件、2件、3件及以上的各有多少单")
    assert _as_dict(got) == {k: float(v) for k, v in gold}  # the orders paid in August
    # "3件以上" after "2件": from 3 (no band before holds it), the same rows
    assert _as_dict(rows(olist, "8月的订单里买1件、2件、3件以上的各有多少单")) == _as_dict(got)


def test_bands_of_an_orders_items_ranges(retail: Any) -> None:
    case = "CASE WHEN u <= 10 THEN '1-10' WHEN u <= 50 THEN '11-50' ELSE '>50' END"
    gold = sql(retail, UNIT_BANDS.format(case=case, a="2011-11-01", b="2011-12-01", where=""))
    got = rows(retail, "11月 的 发票 按 件数 分 1到10件 11到50件 50件以上 各 多少张")
    assert [r[0] for r in got] == ["1-10", "11-50", ">50"]
    assert _as_dict(got) == {k: float(v) for k, v in gold}


def test_bands_compose_with_a_filter(retail: Any) -> None:
    case = "CASE WHEN u <= 10 THEN '1-10' WHEN u <= 50 THEN '11-50' ELSE '>50' END"
    where = "AND o.country = 'Germany'"
    gold = sql(retail, UNIT_BANDS.format(case=case, a="2011-11-01", b="2011-12-01", where=where))
    got = rows(retail, "11月 德国 的 发票 按 件数 分 1到10件 11到50件 50件以上 各 多少张")
    assert _as_dict(got) == {k: float(v) for k, v in gold}


def test_bands_said_as_a_distribution(demo: Any) -> None:
    gold = sql(demo, UNIT_BANDS.format(case=ONE_TWO_MORE, a="2025-05-01", b="2025-06-01", where=""))
    got = rows(demo, "上个月每单件数分布 1件 2件 3件及以上的单各有几张")
    assert _as_dict(got) == {k: float(v) for k, v in gold}


@pytest.mark.parametrize(
    "question",
    [
        "今年花了100到500、不到100的买家各有几个",  # out of order: no bands
        "今年花了不到100、50到500的买家各有几个",  # overlapping
        "今年花了不到100、100到500、500以上的买家有几个",  # no 各: one total of what?
    ],
)
def test_bands_look_alikes_refused(olist: Any, question: str) -> None:
    refused(olist, question)


def test_bands_by_a_breakdown_with_shares(demo: Any) -> None:
    units = (
        "SELECT o.platform, {case} AS band, count(*) AS n FROM (SELECT o.order_id, sum(i.quantity)"
        " AS u FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= "
        "'2025-05-01' AND o.paid_at < '2025-06-01' GROUP BY 1) t JOIN orders o ON o.order_id = "
        "t.order_id GROUP BY 1, 2"
    )
    gold = sql(demo, units.format(case=ONE_TWO_MORE))
    totals: dict[str, float] = {}
    for platform, _, n in gold:
        totals[platform] = totals.get(platform, 0) + n
    got = rows(demo, "上个月各平台买1件、2件、3件及以上的订单各占几成")
    assert [r[0] for r in got] == sorted((r[0] for r in got), key=["1", "2", "3+"].index)
    assert {(r[0], r[1]): float(r[2]) for r in got} == {(b, p): float(n) for p, b, n in gold}
    assert {(r[0], r[1]): float(r[3]) for r in got} == pytest.approx(
        {(b, p): n / totals[p] for p, b, n in gold}, abs=5e-5
    )


def test_bands_said_in_english(olist: Any, retail: Any) -> None:
    gold = sql(olist, SPEND_BANDS.format(lo=100, hi=500, a="2018-01-01", b="2018-09-01"))
    got = rows(olist, "How many customers spent under 100, 100-500 and over 500 this year, each?")
    assert _as_dict(got) == {k: float(v) for k, v in gold}
    gold = sql(
        olist, UNIT_BANDS.format(case=ONE_TWO_MORE, a="2018-08-01", b="2018-09-01", where="")
    )
    got = rows(olist, "In August, how many orders had 1 item, 2 items, and 3 or more items each?")
    assert _as_dict(got) == {k: float(v) for k, v in gold}
    zh = rows(retail, "11月 的 发票 按 件数 分 1到10件 11到50件 50件以上 各 多少张")
    en = "How many invoices had 1-10, 11-50 and more than 50 items in November, respectively?"
    assert rows(retail, en) == zh


@pytest.mark.parametrize(
    ("said", "labels"),
    [
        ("不到R$100、R$100到R$500、R$500以上的买家各有几个", ["<100", "100-500", ">500"]),
        ("100元以下、100-300元、300元以上的订单各多少", ["<=100", "100-300", ">300"]),
        ("买1件、2件、3件以上的各有多少单", ["1", "2", "3+"]),  # from 3: no band before holds 3
        ("不到500、500以上的客户各几个", ["<500", "500+"]),  # 不到500 holds no 500: from 500
        ("1星和5星的评价今年各几条", None),  # values each, not bands
        ("不到100、100到500、500以上的买家有几个", None),  # no 各: not said as one each
        ("100到500、不到100的买家各有几个", None),  # out of order
        ("不到100、50到500的买家各有几个", None),  # overlapping
    ],
)
def test_bands_as_said(said: str, labels: list[str] | None) -> None:
    from shopql.nlq import bands

    found = bands.find(said)
    assert (found and [b.label for b in found[1]]) == labels, said
