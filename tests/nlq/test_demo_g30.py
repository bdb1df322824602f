"""Demo brand questions of session 30 (issue 11, helper g), values against hand-written SQL on the
seed-7 demo (today 2025-06-01) and, for the != threshold, the Online Retail workspace:

- wrong answers now read right or refused: 人均几单 beside a count of customers (was 人均消费 and the
  orders); 买了至少2件羽绒服的客户 (each person's pieces of the goods in total, was one order's
  pieces of anything); 周六周日付款的单集中在几点 (the top hour over both days, was every hour × day);
  在哪里卖得最多 with no place to rank (refused, was products); 第一次买的人和老客各自… (refused,
  was the people who are both: 0);
- refusals now answered: 平均一套卖多少钱, 平均一件多少钱 (件单价); 平均每单减了多少钱 (the discount per
  order); 单均金额 (客单价); 今年四个季度里…最低的是哪一季; 被 (a passive, nothing more); where …
  top 3 provinces; 运费不是0 (!=); A除以B; the ratio of two values' figures; 至少在京东买过3次;
  (同一单只算一次) after a count of orders; 第一次来买的人和以前买过的人 = new and returning buyers.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql, sql_number

_LM = "o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"
_LM_PLACED = "o.created_at >= '2025-05-01' AND o.created_at < '2025-06-01'"
_YTD = "o.paid_at >= '2025-01-01' AND o.paid_at < '2025-06-01'"


def _one(got: list[tuple[Any, ...]]) -> float:
    assert len(got) == 1, got
    return float(got[0][-1])


# -- wrong answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月 天猫 的 客户 有 几个 人均 几单",
        "上个月天猫的客户有几个人均几单",
        "上个月天猫的客户有几个 人均下了几单",
    ],
)
def test_orders_per_customer_beside_their_count(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"SELECT count(DISTINCT o.one_id), count(*) * 1.0 / count(DISTINCT o.one_id) FROM orders o"
        f" WHERE o.platform = 'tmall' AND o.one_id IS NOT NULL AND {_LM}",
    )[0]
    got = rows(demo, question)
    assert len(got) == 1 and len(got[0]) == 2, got
    assert got[0][0] == want[0]
    assert float(got[0][1]) == pytest.approx(float(want[1]), rel=1e-3)


@pytest.mark.parametrize(
    "question", ["上个月天猫的客户人均买了多少次", "上个月天猫的客户人均下了几单"]
)
def test_orders_per_customer_alone(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        f"SELECT count(*) * 1.0 / count(DISTINCT o.one_id) FROM orders o"
        f" WHERE o.platform = 'tmall' AND o.one_id IS NOT NULL AND {_LM}",
    )
    assert _one(rows(demo, question)) == pytest.approx(want, rel=1e-3)


def _pieces_of(demo: Any, word: str, n: int) -> tuple[float, float]:
    got = sql(
        demo,
        f"""SELECT count(*), avg(u) FROM (SELECT o.one_id, sum(i.quantity) AS u FROM order_items i
        JOIN orders o ON o.order_id = i.order_id WHERE i.clean_title LIKE '%{word}%'
        AND o.one_id IS NOT NULL AND {_YTD} GROUP BY 1 HAVING sum(i.quantity) >= {n})""",
    )[0]
    return float(got[0]), float(got[1])


@pytest.mark.parametrize(
    "question", ["今年买了至少2件羽绒服的客户有几个", "今年 买了 至少 2件 羽绒服 的 客户 有 几个"]
)
def test_pieces_of_goods_said_of_people_are_their_total(demo: Any, question: str) -> None:
    people, _ = _pieces_of(demo, "羽绒服", 2)
    assert people > 0
    assert _one(rows(demo, question)) == people


def test_pieces_per_person_among_them(demo: Any) -> None:
    _, per = _pieces_of(demo, "羽绒服", 2)
    got = rows(demo, "今年买了至少2件羽绒服的客户 平均每人买了几件羽绒服")
    assert _one(got) == pytest.approx(per, rel=1e-3)


def test_pieces_in_one_order_stay_the_orders(demo: Any) -> None:
    # one order's pieces, not the person's total; since session 30 round 2 (x) refused, as the
    # order's pieces counted every line, not the down jackets' (test_wrong_x30)
    from tests.nlq.helpers import refused

    said = str(refused(demo, "今年一单买了2件以上羽绒服的客户有几个"))
    assert "on one order" in said


@pytest.mark.parametrize(
    "question", ["上个月 周六周日 付款 的 单 集中 在 几点", "上个月周六周日付款的单集中在几点"]
)
def test_the_hour_of_two_days_is_one_ranking(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"""SELECT hour(o.paid_at), count(*) FROM orders o WHERE isodow(o.paid_at) IN (6, 7)
        AND {_LM} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""",
    )[0]
    assert rows(demo, question) == [want]


@pytest.mark.parametrize(
    "question",
    [
        "上个月抖音在哪里卖得最多",
        "上个月抖音哪儿卖得最多",
        "where did douyin sell the most last month",
    ],
)
def test_where_with_no_place_to_rank_is_refused(demo: Any, question: str) -> None:
    refused(demo, question)


def test_new_and_returning_at_once_is_refused(demo: Any) -> None:
    refused(demo, "上个月第一次买的人和老客各自买了多少件")


# -- refusals now answered -----------------------------------------------------------------------


def _per_unit(demo: Any, word: str, period: str) -> float:
    return sql_number(
        demo,
        f"""SELECT sum(i.paid_amount) / sum(i.quantity) FROM order_items i JOIN orders o
        ON o.order_id = i.order_id WHERE i.clean_title LIKE '%{word}%' AND {period}""",
    )


@pytest.mark.parametrize(
    "question",
    [
        "今年四件套平均一套卖多少钱",
        "今年 四件套 平均 一套 卖 多少钱",
        "四件套今年平均一套卖了多少钱",
    ],
)
def test_a_set_is_a_piece(demo: Any, question: str) -> None:
    assert _one(rows(demo, question)) == pytest.approx(_per_unit(demo, "四件套", _YTD), abs=0.01)


@pytest.mark.parametrize(
    "question",
    ["上个月羊绒大衣卖了几件 平均一件多少钱", "上个月 羊绒大衣 卖了 几件 平均 一件 多少钱"],
)
def test_pieces_and_the_price_of_one(demo: Any, question: str) -> None:
    units = sql_number(
        demo,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE i.clean_title LIKE '%羊绒大衣%' AND {_LM}",
    )
    got = rows(demo, question)
    assert len(got) == 1 and float(got[0][0]) == units
    assert float(got[0][1]) == pytest.approx(_per_unit(demo, "羊绒大衣", _LM), abs=0.01)


def _discount(demo: Any, platform: str) -> float:
    return sql_number(
        demo,
        f"SELECT avg(o.discount_amount) FROM orders o WHERE o.platform = '{platform}' AND {_LM_PLACED}",
    )


@pytest.mark.parametrize(
    "question",
    [
        "拼多多 5月 下的 单 平均 每单 减了 多少 钱",
        "拼多多5月下的单平均每单减了多少钱",
        "5月拼多多平均每单便宜了多少钱",
    ],
)
def test_money_taken_off_an_order_is_the_discount(demo: Any, question: str) -> None:
    assert _one(rows(demo, question)) == pytest.approx(_discount(demo, "pinduoduo"), abs=0.01)


def test_a_fall_is_not_a_discount(demo: Any) -> None:
    refused(demo, "上个月销售额减了多少")


@pytest.mark.parametrize("question", ["男装 vs 女装 上个月 单均 金额", "男装vs女装上个月单均金额"])
def test_per_order_amount_is_aov(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"""SELECT coalesce(i.category, p.category), sum(i.paid_amount) / count(DISTINCT o.order_id)
        FROM order_items i JOIN orders o ON o.order_id = i.order_id LEFT JOIN products p
        ON p.product_id = i.product_id WHERE coalesce(i.category, p.category) IN ('男装', '女装')
        AND {_LM} GROUP BY 1""",
    )
    got = {r[0]: float(r[-1]) for r in rows(demo, question)}
    assert got == {k: pytest.approx(float(v), abs=0.01) for k, v in want}


_REFUNDS = """(SELECT r.amount, coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS t
  FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS NULL
  OR lower(r.status) = 'success' UNION ALL SELECT o.refund_amount, coalesce(o.paid_at, o.created_at)
  FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r
  WHERE r.order_id = o.order_id)) e"""


@pytest.mark.parametrize(
    "question",
    [
        "今年四个季度里 退款金额最低的是哪一季",
        "今年退款金额最低的是哪一季",
        "今年的4个季度中 哪个季度退款金额最低",
    ],
)
def test_the_quarters_of_the_year_ranked(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"""SELECT date_trunc('quarter', t), sum(amount) FROM {_REFUNDS} WHERE t >= '2025-01-01'
        AND t < '2025-06-01' GROUP BY 1 ORDER BY 2 LIMIT 1""",
    )[0]
    got = rows(demo, question)
    assert len(got) == 1 and str(got[0][0])[:10] == str(want[0])[:10]
    assert float(got[0][-1]) == pytest.approx(float(want[1]), abs=0.01)


def test_a_passive_says_nothing_more(demo: Any) -> None:
    want = rows(demo, "5月加购人数最多的品类")
    assert rows(demo, "5月被最多人加进购物车的是哪个品类") == want
    assert rows(demo, "上个月被取消的订单有几单") == rows(demo, "上个月取消的订单有几单")


@pytest.mark.parametrize(
    "question",
    [
        "Where did Douyin sell the most last month? Top 3 provinces please.",
        "上个月抖音在哪里卖得最多 前三个省",
    ],
)
def test_where_with_places_ranked(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"""SELECT coalesce(o.province, c.province) s, sum(o.paid_amount) FROM orders o
        LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE o.platform = 'douyin'
        AND {_LM} AND coalesce(o.province, c.province) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
        LIMIT 3""",
    )
    got = rows(demo, question)
    assert [r[0] for r in got] == [r[0] for r in want]


@pytest.mark.parametrize(
    "question",
    [
        "上个月运费不是0的订单有几单",
        "上个月 运费 不为 0 的 订单 有 几 单",
        "上个月运费不等于0的订单有几单",
    ],
)
def test_freight_other_than_zero(demo: Any, question: str) -> None:
    want = sql_number(
        demo, f"SELECT count(*) FROM orders o WHERE o.shipping_fee <> 0 AND {_LM_PLACED}"
    )
    assert _one(rows(demo, question)) == want


def test_freight_other_than_zero_keeps_negative_postage(retail: Any) -> None:
    period = "o.created_at >= '2011-11-01' AND o.created_at < '2011-12-01'"
    want = sql_number(
        retail, f"SELECT count(*) FROM orders o WHERE o.shipping_fee <> 0 AND {period}"
    )
    over = sql_number(
        retail, f"SELECT count(*) FROM orders o WHERE o.shipping_fee > 0 AND {period}"
    )
    assert want != over  # cancellations carry negative postage: the two readings differ
    assert _one(rows(retail, "上个月运费不是0的发票有几张")) == want


@pytest.mark.parametrize(
    "question", ["上个月退款笔数除以付款订单数是多少", "上个月 退款笔数 除以 付款订单数"]
)
def test_one_figure_divided_by_another(demo: Any, question: str) -> None:
    refunds = sql_number(
        demo, f"SELECT count(*) FROM {_REFUNDS} WHERE t >= '2025-05-01' AND t < '2025-06-01'"
    )
    paid = sql_number(demo, f"SELECT count(*) FROM orders o WHERE {_LM}")
    assert _one(rows(demo, question)) == pytest.approx(refunds / paid, abs=1e-4)


@pytest.mark.parametrize(
    "question",
    [
        "What's the ratio of Shopify orders to Douyin orders last month?",
        "上个月Shopify和抖音的订单数之比",
        "上个月 Shopify 和 抖音 的 订单数 之比 是多少",
    ],
)
def test_the_ratio_of_two_values(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT count(*) FILTER (WHERE o.platform = 'shopify') * 1.0 / count(*) FILTER (WHERE"
        f" o.platform = 'douyin') FROM orders o WHERE {_LM_PLACED}",
    )
    assert _one(rows(demo, question)) == pytest.approx(want, rel=1e-4)


def test_each_ones_share_is_not_a_ratio(demo: Any) -> None:
    got = rows(demo, "上个月天猫和京东的销售额占比")
    assert len(got) == 1 and float(got[0][-1]) <= 1


@pytest.mark.parametrize(
    "question", ["今年至少在京东买过3次的客户有几个", "今年 至少 在 京东 买过 3次 的 客户 有 几个"]
)
def test_at_least_said_before_where(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        f"""SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.platform = 'jd'
        AND o.one_id IS NOT NULL AND {_YTD} GROUP BY 1 HAVING count(*) >= 3)""",
    )
    assert _one(rows(demo, question)) == want


def test_each_order_once_after_a_count_of_orders(demo: Any) -> None:
    want = rows(demo, "上个月发生过退款的订单一共几单")
    assert rows(demo, "上个月发生过退款的订单一共几单（同一单只算一次）") == want
    refused(demo, "上个月退款笔数（同一单只算一次）")


@pytest.mark.parametrize(
    "question",
    [
        "上个月第一次来买的人和以前买过的人 各自买了多少件",
        "上个月第一次来买的人和以前买过的人各自买了多少件",
    ],
)
def test_new_and_returning_said_in_words(demo: Any, question: str) -> None:
    assert rows(demo, question) == rows(demo, "上个月新客和老客各自买了多少件")


@pytest.mark.parametrize(
    "question",
    ["上个月天猫客户人均退款多少", "上个月客户人均退了多少钱", "上个月 天猫 客户 人均 退款 多少"],
)
def test_refunds_per_person_are_not_the_spend_of_refunded_people(demo: Any, question: str) -> None:
    refused(demo, question)  # was: 人均消费 of the people who had a refund


@pytest.mark.parametrize(
    "question",
    [
        "上个月天猫和京东分别哪个品类卖得最好",
        "上个月天猫和京东各自哪个品类卖得最好",
        "上个月 天猫 和 京东 分别 卖得最好的 品类",
    ],
)
def test_the_best_one_for_each_value_named(demo: Any, question: str) -> None:
    want = sql(
        demo,
        f"""SELECT platform, cat, s FROM (SELECT o.platform, coalesce(i.category, p.category) cat,
        sum(i.paid_amount) s, row_number() OVER (PARTITION BY o.platform ORDER BY sum(i.paid_amount)
        DESC) rn FROM order_items i JOIN orders o ON o.order_id = i.order_id LEFT JOIN products p
        ON p.product_id = i.product_id WHERE o.platform IN ('tmall', 'jd') AND {_LM}
        AND coalesce(i.category, p.category) IS NOT NULL GROUP BY 1, 2) WHERE rn = 1 ORDER BY 1""",
    )
    got = sorted(rows(demo, question))
    assert [(r[0], r[1]) for r in got] == [(r[0], r[1]) for r in want]
    assert [float(r[2]) for r in got] == pytest.approx([float(r[2]) for r in want], abs=0.01)
