"""Never answer a different question (issue 11, session 21, helper s): paraphrases of questions
the engine answers right, with the spacing, the period or a condition changed, that it answered
with a confident wrong figure; each now answered as a careful analyst would (values against
hand-written SQL on the session workspaces: Olist today 2018-09-01, the Online Retail slice today
2011-12-01) or left refused."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def _one(ws: Workspace, text: str) -> float:
    ((value,),) = sql(ws, text)
    return float(value)


def _figures(ws: Workspace, question: str) -> list[list[float]]:
    """The engine's rows for `question`, each value a float (DuckDB gives decimals)."""
    return [[float(v) for v in row] for row in rows(ws, question)]


def test_a_superlative_said_with_spaces_asks_for_one(olist: Workspace, retail: Workspace) -> None:
    """ "上个月 买家 最多 的 州": the one state with the most buyers, SP with 3,289 (was a top 10);
    "11月 销售额 最高 的 国家 除了英国": France, 31,758.71; a number or 前 after 的 is still a
    top N ("最多 的 前5个 州": five rows)."""
    ((state, buyers),) = sql(
        olist,
        "SELECT c.province, count(DISTINCT o.one_id) FROM orders o JOIN customers c USING"
        " (customer_id) WHERE o.one_id IS NOT NULL AND o.paid_at >= '2018-08-01' AND o.paid_at <"
        " '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert (state, buyers) == ("SP", 3289)
    for question in ("上个月 买家 最多 的 州", "上个月 买家最多 的 州", "上个月 买家 最多的 州"):
        assert rows(olist, question) == [(state, buyers)], question
    assert len(rows(olist, "上个月 买家 最多 的 前5个 州")) == 5
    assert len(rows(olist, "上个月 买家 最多 的 3个 州")) == 3
    ((country, sales),) = sql(
        retail,
        "SELECT country, sum(paid_amount) FROM orders WHERE country <> 'United Kingdom' AND"
        " paid_at >= '2011-11-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert country == "France"
    got = rows(retail, "11月 销售额 最高 的 国家 除了英国")
    assert len(got) == 1 and got[0][0] == country and float(got[0][-1]) == round(float(sales), 2)


def test_the_extreme_of_a_measure_said_before_one_order(olist: Workspace) -> None:
    """ "上个月 运费最高的一单是多少": the largest freight of one order, 375.28 (was two figures:
    the month's total freight 148,622.14 and the largest order value 4,513.32); the same with
    spaces, 最贵, a classifier and its noun (一笔订单), and 最低 (the smallest). "最贵的一单" alone
    stays the largest order value, and a total said before the place of a group ranks the groups
    ("销售额 最高 的 品类": the top category, not an order's value)."""
    top = _one(
        olist,
        "SELECT max(shipping_fee) FROM orders WHERE created_at >= '2018-08-01' AND created_at <"
        " '2018-09-01'",
    )
    assert top == 375.28
    for question in (
        "上个月 运费最高的一单是多少",
        "上个月 运费 最贵 的 一单 多少",
        "上个月 运费 最高 的 一笔 订单 是 多少",
    ):
        assert _figures(olist, question) == [[top]], question
    # the order named bare is listed (session 28, nlq/order_rows.py): its number, platform, the
    # freight ranked by and its time
    assert [float(r[2]) for r in rows(olist, "上个月 运费最高的一笔订单")] == [top]
    low = _one(
        olist,
        "SELECT min(shipping_fee) FROM orders WHERE created_at >= '2017-01-01' AND created_at <"
        " '2018-01-01'",
    )
    assert [float(r[2]) for r in rows(olist, "去年 运费最低的一单")] == [low]
    largest = _one(
        olist,
        "SELECT max(paid_amount) FROM orders WHERE paid_at >= '2018-08-01' AND paid_at <"
        " '2018-09-01'",
    )
    assert largest == 4513.32
    assert _figures(olist, "上个月 最贵的一单 多少钱") == [[largest]]
    assert _figures(olist, "上个月 最贵的一笔订单 多少钱") == [[largest]]
    got = rows(olist, "上个月 销售额 最高 的 品类")
    assert len(got) == 1 and got[0][0] == "beleza_saude"


def test_the_month_before_another_period_is_the_earlier(
    olist: Workspace, retail: Workspace
) -> None:
    """ "7月 比 前一个月 多卖了 多少钱": July minus June, +15,119.92 (was −15,119.92: 前一个月 read
    alone as the last 30 days, which start after 1 July, so July was taken for the earlier);
    "上个月 比 前一个月 多卖了 多少钱" August minus July (−7,689.04); on Retail "上个月 比 前一个月
    多了 多少 客户" November minus October (more buyers: a positive change)."""

    def paid(ws: Workspace, start: str, end: str) -> float:
        return _one(
            ws,
            f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
        )

    july = paid(olist, "2018-07-01", "2018-08-01") - paid(olist, "2018-06-01", "2018-07-01")
    assert round(july, 2) == 15119.92
    assert float(rows(olist, "7月 比 前一个月 多卖了 多少钱")[0][-1]) == round(july, 2)
    august = paid(olist, "2018-08-01", "2018-09-01") - paid(olist, "2018-07-01", "2018-08-01")
    assert round(august, 2) == -7689.04
    assert float(rows(olist, "上个月 比 前一个月 多卖了 多少钱")[0][-1]) == round(august, 2)
    ((nov, oct_),) = sql(
        retail,
        "SELECT count(DISTINCT one_id) FILTER (WHERE paid_at >= '2011-11-01'), count(DISTINCT"
        " one_id) FILTER (WHERE paid_at < '2011-11-01') FROM orders WHERE one_id IS NOT NULL AND"
        " paid_at >= '2011-10-01' AND paid_at < '2011-12-01'",
    )
    assert nov - oct_ > 0  # +301 on the whole data set, +59 on the test slice
    assert rows(retail, "上个月 比 前一个月 多了 多少 客户")[0][-1] == nov - oct_
    # "少了多少": the earlier minus the later (on 1 December 前一个月 alone starts with 上个月)
    ((c_nov, c_oct),) = sql(
        retail,
        "SELECT count(*) FILTER (WHERE created_at >= '2011-11-01'), count(*) FILTER (WHERE"
        " created_at < '2011-11-01') FROM orders WHERE raw_status = 'cancellation invoice' AND"
        " created_at >= '2011-10-01' AND created_at < '2011-12-01'",
    )
    fewer = rows(retail, "上个月 比 前一个月 少了 多少 张 退货单")[0][-1]
    assert fewer == c_oct - c_nov == rows(retail, "11月 比 10月 少了 多少 张 退货单")[0][-1]


def test_a_figure_of_the_orders_an_event_befell(olist: Workspace) -> None:
    """ "上个月 送达的订单 平均运费": the average freight of the orders delivered in August, 24.72
    (was 8,314 delivered orders beside 23.04, the average freight of every order placed in
    August); "发货的订单" the orders shipped then (23.83); "送达的订单 运费一共多少" their total.
    Two figures asked ("送达订单数 和 平均运费") stay two."""

    def freight(agg: str, time: str) -> float:
        return _one(
            olist,
            f"SELECT round({agg}(shipping_fee), 2) FROM orders WHERE {time} >= '2018-08-01' AND"
            f" {time} < '2018-09-01'",
        )

    delivered = freight("avg", "finished_at")
    assert delivered == 24.72
    for question in ("上个月 送达的订单 平均运费", "上个月 送达 的 订单 平均 运费"):
        assert _figures(olist, question) == [[delivered]], question
    assert _figures(olist, "上个月 发货 的 订单 平均 运费") == [[freight("avg", "shipped_at")]]
    assert _figures(olist, "上个月 送达 的 订单 运费 一共 多少") == [
        [freight("sum", "finished_at")]
    ]
    placed = freight("avg", "created_at")
    assert placed == 23.04
    assert _figures(olist, "上个月 送达订单数 和 平均运费") == [[8314, placed]]


def test_the_most_pieces_in_one_order_is_no_order_value(olist: Workspace) -> None:
    """ "上个月 单笔订单 最多 买了 几件": the most pieces in one paid order (order_units, helper g's
    measure; was the largest order value 4,513.32 beside the month's units: heldout18 h18d07 on the
    demo); "单笔订单 最多 多少钱" stays the largest order value."""
    most = _one(
        olist,
        "SELECT max(u) FROM (SELECT o.order_id, sum(i.quantity) AS u FROM order_items i JOIN "
        "orders o ON o.order_id = i.order_id WHERE o.paid_at >= '2018-08-01' AND o.paid_at < "
        "'2018-09-01' GROUP BY 1)",
    )
    assert most > 1
    for question in ("上个月 单笔订单 最多 买了 几件", "上个月单笔订单最多买了几件"):
        assert _figures(olist, question) == [[most]], question
    assert _figures(olist, "上个月 单笔订单 最多 多少钱") == [[4513.32]]


def test_yi_before_gong_after_a_week_is_a_number(olist: Workspace) -> None:
    """ "上上周一共多少单": the orders of the week before last in all, 1,875 (was 292, that week's
    Monday: 上上周一 + 共); "上周一共卖了多少钱" the week's sales; "上周一卖了多少钱" still Monday."""
    week = _one(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-13' AND created_at < '2018-08-20'",
    )
    assert week == 1875
    assert _figures(olist, "上上周一共多少单") == [[week]]
    assert _figures(olist, "上上周 一共 多少单") == [[week]]

    def paid(start: str, end: str) -> float:
        return _one(
            olist,
            f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
        )

    assert _figures(olist, "上周一共卖了多少钱") == [[paid("2018-08-20", "2018-08-27")]]
    assert _figures(olist, "上周一卖了多少钱") == [[paid("2018-08-20", "2018-08-21")]]


def test_related_said_with_a_space_names_the_products_kind(retail: Workspace) -> None:
    """ "圣诞 相关 的 商品 今年 卖了多少钱": one total of the CHRISTMAS lines (was one row a
    product); "各 ... 商品" still splits by product."""
    total = _one(
        retail,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE i.clean_title LIKE '%CHRISTMAS%' AND o.paid_at >= '2011-01-01' AND o.paid_at <"
        " '2011-12-01'",
    )
    for question in ("圣诞 相关 的 商品 今年 卖了多少钱", "圣诞 相关的商品 今年 卖了多少钱"):
        assert _figures(retail, question) == [[round(total, 2)]], question
    assert len(rows(retail, "各 圣诞 相关 的 商品 今年 卖了多少钱")) > 1


def test_a_list_before_yiwai_is_left_out_whole(retail: Workspace) -> None:
    """ "今年 英国 德国 法国 以外 的 国家 开了 几张 发票": the invoices of every country but the
    three, 1,206 on the whole data set (was 21,225: UK and Germany kept, France alone left out,
    dev_w18 w18r08); "英国、德国和法国以外" the same three left out of the sales."""
    invoices = _one(
        retail,
        "SELECT count(*) FROM orders WHERE country NOT IN ('United Kingdom', 'Germany', 'France')"
        " AND created_at >= '2011-01-01' AND created_at < '2011-12-01'",
    )
    assert _figures(retail, "今年 英国 德国 法国 以外 的 国家 开了 几张 发票") == [[invoices]]
    sales = _one(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE country NOT IN ('United Kingdom', 'Germany',"
        " 'France') AND paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )
    assert _figures(retail, "今年 英国、德国和法国以外 卖了多少") == [[round(sales, 2)]]
