"""Readings the lead corrected in session 45 (issue 11): wrong answers of the older held-out sets
traced to a mechanism (disclosed in the README)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

_YEAR_OLIST = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"


def test_what_holds_in_every_period_is_not_a_row_per_period(retail: Workspace) -> None:
    """'今年每个月都有卖出去的商品有几个' (the products sold in EVERY month) was answered with the
    products sold in each month, a row per month; now refused, naming the 都. A breakdown said
    with 都 but nothing counted after it stays a breakdown."""
    for q in ("今年每个月都有卖出去的商品有几个", "今年 每个月 都 有人下单 的 国家 有 几个"):
        assert "every" in str(refused(retail, q)), q
    per_month = sql(
        retail,
        "SELECT date_trunc('month', paid_at)::DATE, sum(paid_amount) FROM orders"
        " WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(retail, "今年每个月都卖了多少钱")
    assert len(got) == len(per_month) == 11
    assert [(d, round(float(v), 2)) for d, v in got] == [
        (d, round(float(v), 2)) for d, v in per_month
    ]


def test_a_thing_counted_with_ge_is_counted_per_period(olist: Workspace) -> None:
    """'今年每个月有出单的卖家各有多少家' made the sellers a breakdown (a row per month and seller,
    8,869 rows); 卖家各有多少家 counts the sellers. '卖家各卖了多少' stays a row per seller."""
    per_month = sql(
        olist,
        "SELECT date_trunc('month', o.paid_at)::DATE, count(DISTINCT i.shop_id) FROM order_items i"
        f" JOIN orders o ON o.order_id = i.order_id WHERE {_YEAR_OLIST} GROUP BY 1 ORDER BY 1",
    )
    assert len(per_month) == 8
    for q in ("今年每个月有出单的卖家各有多少家", "今年每个月有出单的卖家有多少家"):
        assert [(d, int(n)) for d, n in rows(olist, q)] == per_month, q
    by_seller = rows(olist, "今年每个月卖家各卖了多少")
    assert len(by_seller) > 100 and len(by_seller[0]) == 3


def test_sellers_based_outside_a_state_are_the_sellers_state(olist: Workspace) -> None:
    """'How many sellers based outside São Paulo state made at least one sale in July?' left the
    BUYERS' state out (1,200-odd sellers); the state is the sellers' own."""
    want = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN shops s ON s.shop_id = i.shop_id WHERE s.province <> 'SP'"
        " AND o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )[0][0]
    buyers_state = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN customers c ON c.customer_id = o.customer_id"
        " WHERE coalesce(o.province, c.province) <> 'SP'"
        " AND o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )[0][0]
    assert want != buyers_state
    q = "How many sellers based outside São Paulo state made at least one sale in July?"
    assert rows(olist, q) == [(want,)]
    # a buyer word beside it keeps the buyers' state (SP said twice: refused, as before)
    refused(olist, "How many buyers outside SP bought from SP-based sellers in July?")


def test_two_values_each_with_its_own_orders_are_side_by_side(olist: Workspace) -> None:
    """'信用卡付的单和boleto付的单今年平均几天送到' gave one average over both channels (and a count
    beside it); each value said with its own orders is a row of its own."""
    want = sql(
        olist,
        "SELECT payment_channel, avg(epoch(finished_at - created_at) / 86400.0) FROM orders"
        " WHERE payment_channel IN ('credit_card', 'boleto') AND created_at >= '2018-01-01'"
        " AND created_at < '2018-09-01' AND finished_at IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    assert len(want) == 2
    for q in (
        "信用卡付的单和boleto付的单今年平均几天送到",
        "信用卡 付 的 单 和 boleto 付 的 单 今年 平均 几天 送到",
    ):
        got = sorted((r[0], round(float(r[-1]), 2)) for r in rows(olist, q))
        assert got == [(c, round(float(v), 2)) for c, v in want], q
    # look-alike: placed and paid orders are no two values of one kind (left as it was: refused)
    refused(olist, "8月下单的订单和付款的订单各多少")


def test_once_only_and_returning_side_by_side_are_not_both(retail: Workspace) -> None:
    """'只买过一次的客户和回头客 今年平均每人花了多少' was one figure over the people who are both
    (once only AND returning: nobody); refused. Each condition alone, or two joined by 而且, is
    still read."""
    assert "side by side" in str(refused(retail, "只买过一次的客户和回头客 今年平均每人花了多少"))
    once = sql(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2011-01-01'"
        " AND paid_at < '2011-12-01' AND one_id IS NOT NULL GROUP BY 1 HAVING count(*) = 1)",
    )
    assert rows(retail, "今年只买过一次的客户有多少") == once


def test_the_densest_hour_is_the_top_one_not_a_top_ten(retail: Workspace) -> None:
    """'10月一天当中开票最密集的钟点' gave a top 10 of hours (the 10 of nothing said); the densest
    hour is the top one (its ranking is shown beside it)."""
    want = sql(
        retail,
        "SELECT hour(created_at), count(*) FROM orders WHERE created_at >= '2011-10-01'"
        " AND created_at < '2011-11-01' GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    got = rows(retail, "10月一天当中开票最密集的钟点")
    assert want[0][1] > want[1][1]  # no tie at the top
    assert [(r[0], r[-1]) for r in got] == [want[0]]


def test_a_median_of_daily_totals_is_not_a_median_per_day(retail: Workspace) -> None:
    """'11月每天的营业额取个中位数是多少' gave each day's median invoice (26 rows); the median of the
    daily totals is refused. Each day's median invoice, asked as such, is still answered."""
    assert "median" in str(refused(retail, "11月每天的营业额取个中位数是多少"))
    per_day = sql(
        retail,
        "SELECT median(paid_amount) FROM orders WHERE paid_at >= '2011-11-01'"
        " AND paid_at < '2011-12-01' GROUP BY CAST(paid_at AS DATE) ORDER BY CAST(paid_at AS DATE)",
    )
    got = rows(retail, "11月每天的订单金额中位数")
    assert [round(float(r[-1]), 2) for r in got] == [round(float(v), 2) for (v,) in per_day]


def test_more_by_how_much_from_one_month_to_the_next(retail: Workspace) -> None:
    """'从10月到11月 营业额 多了 多少 镑' gave the two months' total; it is November against
    October. '多了多少' with nothing to compare with is refused (it was the period's total)."""
    oct_, nov = (
        float(
            sql(
                retail,
                f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-{m:02d}-01'"
                f" AND paid_at < '2011-{m + 1:02d}-01'",
            )[0][0]
        )
        for m in (10, 11)
    )
    for q in ("从10月到11月 营业额 多了 多少 镑", "从10月到11月营业额多了多少"):
        got = rows(retail, q)
        assert any(round(float(v), 2) == round(nov - oct_, 2) for r in got for v in r[1:]), q
    for q in ("今年营业额多了多少", "德国客户多了几个"):
        assert "compare" in str(refused(retail, q)), q


def test_a_word_between_two_figures_of_a_ratio_is_not_dropped(retail: Workspace) -> None:
    """'今年退货单是普通发票的几分之几' divided by every invoice (普通, the ordinary ones, was dropped
    as a word of the ratio's 是 … 的几分之几); only the joining words are placed now."""
    assert "普通" in refused(retail, "今年退货单是普通发票的几分之几").unknown
    got = rows(retail, "今年退货单数是订单数的几分之几")
    assert len(got) == 1 and 0 < float(got[0][-1]) < 1


def test_merge_look_alikes_keep_their_reading(olist: Workspace, demo: Workspace) -> None:
    """At the merge, the re-score showed the lead's and C's new rules taking look-alikes: bands
    with 各有几个, 用了优惠的单和没用优惠的单 (two sets, not two values), 付款最集中的钟点 (the paid
    orders' hour). They keep their earlier readings."""
    bands = rows(olist, "今年花了不到100、100到500、500以上的买家各有几个")
    assert len(bands) == 3
    refused(demo, "今年用了优惠的单和没用优惠的单客单价各多少")
    refused(olist, "今年 上午 付款 的 单 和 晚上8点以后 付款 的 单 平均 实付 各 多少")
    want = sql(
        demo,
        "SELECT hour(paid_at), count(*) FROM orders WHERE paid_at >= date_trunc('month',"
        " DATE '2025-06-01') - INTERVAL 1 MONTH AND paid_at < date_trunc('month', DATE '2025-06-01')"
        " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2",
    )
    assert want[0][1] > want[1][1]
    got = rows(demo, "上个月付款最集中的钟点")
    assert (got[0][0], got[0][-1]) == want[0]


def test_spoken_forms_from_dev_w41(olist: Workspace, retail: Workspace, demo: Workspace) -> None:
    """Spoken forms of dev_w41 the engine refused (a word unplaced): 拍下 (placing), 付完款 and 平均过几天
    被签收, 一张发票就拿了N件以上货的, 每一笔退款的平均金额 (each refund record, not each refunded
    order: a wrong number before), 进账最旺, 出货几件."""
    placed = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-02-01' AND created_at < '2018-02-11'",
    )
    assert rows(olist, "今年2月上旬拍下了几单") == placed
    days = sql(
        olist,
        "SELECT avg(date_diff('second', paid_at, finished_at)) / 86400.0 FROM orders"
        " WHERE finished_at IS NOT NULL AND paid_at >= '2018-08-01' AND paid_at < '2018-09-01'",
    )[0][0]
    got = rows(olist, "8月付完款的订单 平均过几天被签收")
    assert round(float(got[0][-1]), 2) == round(float(days), 2)
    big = sql(
        retail,
        "SELECT count(*) FROM (SELECT o.order_id FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01'"
        " GROUP BY 1 HAVING sum(i.quantity) >= 100)",
    )
    assert big[0][0] > 0
    assert rows(retail, "今年一张发票就拿了100件以上货的有多少张") == big
    per_record = sql(
        demo,
        "SELECT avg(e.amount) FROM (SELECT r.amount, coalesce(r.finished_at, r.requested_at,"
        " o.paid_at, o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id"
        " WHERE (r.status IS NULL OR lower(r.status) = 'success') AND r.amount > 0) e"
        " WHERE e.t >= '2025-05-01' AND e.t < '2025-06-01'",
    )[0][0]
    got = rows(demo, "上个月每一笔退款的平均金额")
    assert round(float(got[0][-1]), 2) == round(float(per_record), 2)
    monthly = sql(
        demo,
        "SELECT date_trunc('month', paid_at)::DATE, sum(paid_amount) FROM orders WHERE paid_at"
        " >= '2025-01-01' AND paid_at < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 2",
    )
    assert monthly[0][1] > monthly[1][1]
    assert rows(demo, "今年哪个月进账最旺")[0][0] == monthly[0][0]
    # look-alikes: 直播拍 is no placing; 套餐 is no set of pieces
    refused(olist, "今年直播拍的单有几单")  # no livestream data: still refused
