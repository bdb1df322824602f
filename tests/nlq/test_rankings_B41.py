"""Rankings said in everyday words (session 41, helper B), each against hand-written SQL on the
session workspaces, beside a look-alike that keeps its own reading or stays refused:

- 各 / 按 / 分 / by + a row noun (7月各订单的金额, 按客户看消费金额, sales by customer) answered as one
  total is refused (it was the month's total given as each order's);
- 退款次数 ranked is read as refunded orders and as refund records, answered (both figures) only
  where both put the same ones in the top N;
- the buyer's place said with the buyer (买家城市, 客户州, customer cities) is the place;
- any superlative before its N (最赚钱的十个, 最 贵 的 三 个, 退得最凶的五个) and "ten best-earning";
- 按件算均价最贵 (件单价), 东西花样最多 (different products), 卖给最多不同州买家 (states counted);
- people ranked show their accounts (the seller's own buyer key) beside the OneID;
- reviews "collected" are the reviews counted;
- "leaving out orders with no payment method" said of a ranking by it."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql


@pytest.mark.parametrize(
    "question",
    [
        "7月各订单的金额",
        "上个月各客户的消费金额",
        "上个月 各个 订单 的 运费",
        "按订单统计上个月金额",
        "上个月按客户看消费金额",
        "sales by customer last month",
        "paid amount by order last month",
    ],
)
def test_each_order_or_customer_is_never_one_total(demo: Workspace, question: str) -> None:
    assert "single order / invoice / customer" in refused(demo, question).message


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("上个月各平台的支付金额", "platform"),
        ("上个月 京东和天猫 各 卖了多少", "platform"),
        ("按订单数排前三的省份", "province"),
    ],
)
def test_each_named_kind_keeps_its_breakdown(demo: Workspace, question: str, column: str) -> None:
    """Look-alikes: 各 + a dimension, 各 after values, 按 + a count (订单数) stay breakdowns."""
    assert answer(demo, question, "offline").main.columns[0] == column


def test_an_agent_said_with_by_is_no_breakdown(olist: Workspace) -> None:
    """Look-alike: "placed by buyers in Minas Gerais" is who placed them, not one row each."""
    ((placed,),) = sql(
        olist,
        "SELECT count(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.province ="
        " 'MG' AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    got = rows(olist, "How many orders in August were placed by buyers in Minas Gerais?")
    assert got[0][0] == placed


_REFUNDS = (
    "SELECT r.order_id, r.amount, coalesce(r.finished_at, r.requested_at, o.paid_at,"
    " o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE"
    " r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT o.order_id,"
    " o.refund_amount, coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount <> 0"
    " AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年按城市数退款次数 前三是哪些",
        "今年退款次数最多的三个城市",
        "top 3 cities by number of refunds this year",
    ],
)
def test_refunds_counted_and_ranked_read_both_ways(demo: Workspace, question: str) -> None:
    year = f"{demo.today.year}-01-01"
    per_city = (
        "SELECT coalesce(o.city, c.city) AS city, count(DISTINCT e.order_id) AS orders,"
        f" count(*) AS records FROM ({_REFUNDS}) e JOIN orders o ON o.order_id = e.order_id LEFT"
        " JOIN customers c ON c.customer_id = o.customer_id WHERE e.amount > 0 AND e.t >="
        f" DATE '{year}' AND e.t < DATE '{demo.today}' AND coalesce(o.city, c.city) IS NOT NULL"
        " GROUP BY 1"
    )
    tops = [
        {
            r[0]
            for r in sql(
                demo, f"SELECT city FROM ({per_city}) QUALIFY rank() OVER (ORDER BY {by} DESC) <= 3"
            )
        }
        for by in ("orders", "records")
    ]
    if tops[0] == tops[1]:
        want = sql(demo, f"SELECT * FROM ({per_city}) ORDER BY orders DESC, city LIMIT 3")
        got = rows(demo, question)
        assert [(r[0], r[1], r[2]) for r in got] == want
    else:
        assert "differ" in refused(demo, question).message


def test_refunds_counted_in_a_plain_breakdown_stay_orders(demo: Workspace) -> None:
    """Look-alikes: 各城市退款次数 (no ranking) and 上个月退款次数 keep one figure, the orders."""
    a = answer(demo, "今年各城市退款次数", "offline")
    assert a.main.columns == ["city", "refund_count"]
    assert answer(demo, "上个月退款次数", "offline").main.columns == ["refund_count"]


_CITY_ORDERS = (
    "SELECT c.city, count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01' GROUP BY 1 ORDER BY 2"
    " DESC LIMIT 4"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月份订单数排前四的买家城市",
        "8月份订单数排前四的客户城市",
        "8月订单最多的四个买家所在城市",
        "top 4 customer cities by orders in August",
    ],
)
def test_the_buyers_city_is_the_city(olist: Workspace, question: str) -> None:
    a = answer(olist, question, "offline")
    assert a.main.columns == ["city", "orders"]
    assert [tuple(r) for r in a.main.rows] == sql(olist, _CITY_ORDERS)


def test_buyers_said_before_the_city_stay_buyers(olist: Workspace) -> None:
    """Look-alike: 买家数最多的城市 ranks cities by their buyers."""
    a = answer(olist, "8月买家数最多的城市", "offline")
    assert a.main.columns == ["city", "buyers"]


_PRODUCT_SALES = (
    "SELECT coalesce(i.spu_id, i.product_id), sum(i.paid_amount) FROM order_items i JOIN orders"
    " o ON o.order_id = i.order_id WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-10-01'"
    " AND o.paid_at < '2011-11-01' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"  # ties: by the key
)


@pytest.mark.parametrize(
    "question",
    [
        "October's ten best-earning products",
        "top 10 highest-earning products in October",
        "10月最赚钱的十个商品",
        "10月 最 赚钱 的 十 个 商品",
    ],
)
def test_the_n_best_earning_rank_by_sales(retail: Workspace, question: str) -> None:
    got = rows(retail, question)
    want = sql(retail, _PRODUCT_SALES)
    assert [(r[0], float(r[-1])) for r in got] == [(p, pytest.approx(float(s))) for p, s in want]


def test_the_n_best_selling_rank_by_units(retail: Workspace) -> None:
    """Look-alike: "ten best-selling products" are ranked by pieces sold."""
    a = answer(retail, "October's ten best-selling products", "offline")
    assert a.main.columns[-1] == "units" and len(a.main.rows) == 10


_PER_PIECE = (
    "SELECT p.category, round(sum(i.paid_amount) / sum(i.quantity), 2) FROM order_items i JOIN"
    " orders o ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id WHERE"
    " o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' AND p.category IS NOT NULL GROUP BY"
    " 1 HAVING sum(i.quantity) >= 500 ORDER BY 2 DESC LIMIT 3"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 按件 算 均价 最 贵 的 三 个 品类（至少 卖了 500 件）",
        "今年按件算均价最贵的三个品类 至少卖了500件",
        "今年每件均价最高的3个品类（至少卖出500件）",
    ],
)
def test_the_dearest_per_piece_top_n(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert [(r[0], float(r[1])) for r in got] == [
        (c, pytest.approx(float(v))) for c, v in sql(olist, _PER_PIECE)
    ]


def test_an_average_price_with_no_basis_stays_refused(olist: Workspace) -> None:
    """Look-alike: 均价 alone (the lines' prices, or sales over pieces?) is not read."""
    refused(olist, "今年均价最贵的三个品类")


_RETURNED = (
    "SELECT coalesce(i.spu_id, i.product_id), -sum(i.quantity) FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id WHERE o.raw_status = 'cancellation invoice' AND i.product_id IS"
    " NOT NULL AND o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01' GROUP BY 1 ORDER"
    " BY 2 DESC LIMIT 5"
)


@pytest.mark.parametrize(
    "question",
    ["今年 退货 退 得 最 凶 的 五 个 单品（按 件数）", "今年退货退得最狠的5个商品 按件数"],
)
def test_returned_the_hardest_by_pieces(retail: Workspace, question: str) -> None:
    got = rows(retail, question)
    assert [(r[0], r[-1]) for r in got] == sql(retail, _RETURNED)


def test_returned_the_hardest_with_no_measure_stays_refused(retail: Workspace) -> None:
    """Look-alike: 退得最凶 with no 按件数 / 按金额 says neither."""
    refused(retail, "今年退货退得最凶的商品")


_VARIETY = (
    "SELECT o.one_id, count(DISTINCT coalesce(i.spu_id, i.product_id)), string_agg(DISTINCT"
    " c.buyer_key, ', ' ORDER BY c.buyer_key) FROM order_items i JOIN orders o ON o.order_id ="
    " i.order_id JOIN customers c ON c.customer_id = o.customer_id WHERE i.product_id IS NOT"
    " NULL AND o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC"
    " LIMIT 3"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月买的东西花样最多的三位客户（按不同商品数）",
        "11月买的货品种最多的3个客户",
        "which 3 customers bought the most different products in November",
    ],
)
def test_the_most_varied_buyers_with_their_accounts(retail: Workspace, question: str) -> None:
    a = answer(retail, question, "offline")
    assert a.main.columns == ["person", "accounts", "product_count"]
    assert [(r[0], r[2], r[1]) for r in a.main.rows] == sql(retail, _VARIETY)


def test_a_breakdown_by_person_shows_no_accounts(retail: Workspace) -> None:
    """Look-alike: a ranking of something else (products) gets no accounts column."""
    a = answer(retail, "11月销量前三的商品", "offline")
    assert "accounts" not in a.main.columns


_STATES_PER_SELLER = (
    "SELECT i.shop_id, count(DISTINCT c.province) FROM order_items i JOIN orders o ON o.order_id"
    " = i.order_id JOIN customers c ON c.customer_id = o.customer_id WHERE o.paid_at >="
    " '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 2"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年卖给最多不同州买家的前两个卖家",
        "今年 卖 到 最多 州 的 两个 卖家",
        "今年买家州数最多的两个卖家",
        "which 2 sellers sold to buyers in the most states this year",
    ],
)
def test_sellers_reaching_the_most_states(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert [(r[0], r[1]) for r in got] == sql(olist, _STATES_PER_SELLER)


def test_sold_to_one_state_the_most_stays_refused(olist: Workspace) -> None:
    """Look-alike: 卖给SP州买家最多 is one state's buyers, not the states counted."""
    refused(olist, "今年卖给SP州买家最多的卖家")


_ONE_STAR = (
    "SELECT p.category, count(DISTINCT r.review_id) FROM reviews r JOIN (SELECT DISTINCT"
    " i.order_id, p.category FROM order_items i JOIN products p ON p.product_id = i.product_id"
    " WHERE p.category IS NOT NULL) p ON p.order_id = r.order_id WHERE r.score = 1 AND"
    " r.created_at >= '2018-08-01' AND r.created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC"
    " LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "Which category collected the most 1-star reviews in August?",
        "8月哪个品类拿到的1星评价最多",
        "Which category received the most 1-star reviews in August?",
    ],
)
def test_reviews_collected_are_counted(olist: Workspace, question: str) -> None:
    assert rows(olist, question) == sql(olist, _ONE_STAR)


def test_revenue_collected_stays_money(olist: Workspace) -> None:
    """Look-alike: revenue collected is the money, not reviews."""
    a = answer(olist, "which category collected the most revenue in august", "offline")
    assert a.main.columns == ["category", "paid_gmv"]


@pytest.mark.parametrize(
    "question",
    [
        "Leaving out orders with no payment method recorded, which payment method brought in"
        " the most revenue this year?",
        "Excluding orders without a payment method, which payment method brought in the most"
        " revenue this year?",
        "不算没有支付方式的订单 今年哪种支付方式收入最多",
        "今年收入最多的支付方式（没有支付方式的订单不算）",
    ],
)
def test_unknown_values_left_out_of_their_own_ranking(demo: Workspace, question: str) -> None:
    year = f"{demo.today.year}-01-01"
    want = sql(
        demo,
        "SELECT payment_channel, sum(paid_amount) FROM orders WHERE payment_channel IS NOT NULL"
        f" AND paid_at >= DATE '{year}' AND paid_at < DATE '{demo.today}' GROUP BY 1 ORDER BY 2"
        " DESC LIMIT 1",
    )
    assert rows(demo, question) == want


@pytest.mark.parametrize(
    "question",
    [
        "Leaving out orders with no payment method recorded, how much revenue this year?",
        "Leaving out orders with no city, which payment method brought in the most revenue"
        " this year?",
    ],
)
def test_unknown_values_left_out_of_anything_else_are_refused(
    demo: Workspace, question: str
) -> None:
    assert "left out of something other than a ranking" in refused(demo, question).message


@pytest.mark.parametrize(
    "question", ["今年退款最多的3个省", "上个月退款最多的3个省", "今年 退款 最多 的 3个 省"]
)
def test_a_top_n_of_a_bare_refund_word_with_a_period_stays_refused(
    demo: Workspace, question: str
) -> None:
    """A period said beside it no longer lets "退款最多的3个省" through as the money refunded
    (it was answered by refund_amount): money or how many is not said."""
    assert "by amount or by number" in refused(demo, question).message


def test_a_top_n_of_the_money_refunded_is_answered(demo: Workspace) -> None:
    """Look-alike: 退款金额最多的3个省 says the money."""
    a = answer(demo, "今年退款金额最多的3个省", "offline")
    assert a.main.columns == ["province", "refund_amount"] and len(a.main.rows) == 3


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("上个月按订单时间退款金额", "refund_amount_by_order_time"),
        ("refunds by order time last month", "refund_amount_by_order_time"),
    ],
)
def test_a_basis_said_with_by_order_is_no_listing(
    demo: Workspace, question: str, metric: str
) -> None:
    """Look-alikes: "by order time" / 按订单时间 name the time a figure is counted by."""
    assert answer(demo, question, "offline").main.columns == [metric]


def test_the_top_customer_shows_the_account(retail: Workspace) -> None:
    """The one customer ranked first (哪个客户) shows the account too."""
    a = answer(retail, "今年哪个客户买的不同商品最多", "offline")
    assert a.main.columns == ["person", "accounts", "product_count"]
    ((person, accounts, _),) = [tuple(r) for r in a.main.rows]
    ((keys,),) = sql(
        retail,
        f"SELECT string_agg(DISTINCT buyer_key, ', ' ORDER BY buyer_key) FROM customers WHERE"
        f" one_id = '{person}'",
    )
    assert accounts == keys


@pytest.mark.parametrize(
    "question", ["今年花钱最多的3个客户都是哪个国家的", "今年消费最多的5个客户分别来自哪个国家"]
)
def test_the_place_of_each_person_ranked_is_refused(retail: Workspace, question: str) -> None:
    """Where each top spender is from was answered as the top countries by spend: refused."""
    assert "where each of the people" in refused(retail, question).message


def test_the_places_ranked_stay_answered(retail: Workspace) -> None:
    """Look-alikes: 今年消费最多的3个国家 ranks the countries; 客户都来自哪些国家 (no one ranked)
    is where the buyers are, a breakdown."""
    a = answer(retail, "今年消费最多的3个国家", "offline")
    assert a.main.columns == ["country", "paid_gmv"] and len(a.main.rows) == 3
    b = answer(retail, "今年的客户都来自哪些国家", "offline")
    assert b.main.columns == ["country", "buyers"]
