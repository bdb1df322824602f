"""Never answer a different question (issue 11, session 16, helper c): Olist payments and the
people who bought only one thing. A payment is a payment record (a voucher and a card of one order
are two), not an order; "only bought X" holds a person's product lines against X, not a paid order
that has no line. Values against hand-written SQL on the Olist test workspace (today 2018-09-01);
paraphrases written here, both languages."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number


@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("how many payments were made by debit card", "debit_card"),
        ("number of payments by voucher", "voucher"),
        ("boleto 付款笔数", "boleto"),
    ],
)
def test_payments_are_counted_as_payments(olist: Workspace, question: str, channel: str) -> None:
    """'how many payments' was the payment amount (a sum of money) and 付款笔数 unread."""
    want = sql_number(
        olist,
        f"SELECT count(*) FROM payments WHERE channel = '{channel}' AND status = 'success'",
    )
    assert number(olist, question) == want


@pytest.mark.parametrize(
    "question",
    [
        "debit_card 占付款笔数的比例",
        "付款笔数里 debit_card 占多少",
        "debit card share of payment count",
    ],
)
def test_share_of_payments_counts_payments(olist: Workspace, question: str) -> None:
    """The share of the payment records, not of the orders whose first payment was the card."""
    a = answer(olist, question, "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    part, whole = sql(
        olist,
        "SELECT count(*) FILTER (WHERE channel = 'debit_card'), count(*) FROM payments",
    )[0]
    assert (got["payment_record_count"], got["payment_record_count__total"]) == (part, whole)
    assert got["payment_record_count__share"] == pytest.approx(part / whole, abs=1e-4)


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("voucher 付款 平均每笔多少钱", "channel = 'voucher'"),
        ("boleto的付款平均每笔多少钱", "channel = 'boleto'"),
        (
            "2017年 付款 平均每笔多少钱",
            "order_id IN (SELECT order_id FROM orders WHERE created_at >= '2017-01-01'"
            " AND created_at < '2018-01-01')",  # Olist dates no attempt: the order's time
        ),
    ],
)
def test_each_payment_named_is_averaged(olist: Workspace, question: str, where: str) -> None:
    """'付款 平均每笔': 笔 counts the payments named right before it (it was the average order,
    客单价, of the orders paid by that channel: 105.07 against 65.70 for vouchers)."""
    want = sql_number(olist, f"SELECT round(avg(amount), 2) FROM payments WHERE {where}")
    assert number(olist, question) == pytest.approx(want, abs=0.01)


def test_each_order_without_payments_named_stays_the_order_value(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT round(sum(paid_amount) / count(*), 2) FROM orders WHERE paid_at IS NOT NULL",
    )
    assert number(olist, "平均每笔多少钱") == pytest.approx(want, abs=0.01)


ONLY_CATEGORY = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id"
    " WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL GROUP BY 1"
    " HAVING bool_and(coalesce(p.category = '{c}', false)))"
)


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("只买过 esporte_lazer 的客户 有多少", "esporte_lazer"),
        ("how many customers only ever bought beleza_saude", "beleza_saude"),
    ],
)
def test_only_a_category_ignores_orders_without_lines(
    olist: Workspace, question: str, category: str
) -> None:
    """A paid order with no product line bought nothing else: it no longer drops its buyer
    (7,214 against 7,216 for esporte_lazer); a line whose product has no category still does."""
    assert rows(olist, question) == sql(olist, ONLY_CATEGORY.format(c=category))


def test_only_a_state_still_drops_orders_of_unknown_state(olist: Workspace) -> None:
    """An order's own value missing is still somewhere else (the rule for line values only)."""
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o"
        " LEFT JOIN customers c ON c.customer_id = o.customer_id"
        " WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL GROUP BY 1"
        " HAVING bool_and(coalesce(coalesce(o.province, c.province) = 'SP', false)))",
    )
    assert number(olist, "只在SP买过的客户有多少") == want


SALES_PER_BUYER_RJ_AUG = (
    "SELECT round(sum(o.paid_amount) / count(DISTINCT o.one_id), 2) FROM orders o"
    " JOIN customers c ON c.customer_id = o.customer_id WHERE c.province = 'RJ'"
    " AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01' AND o.one_id IS NOT NULL"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月 RJ的买家 平均每人花了多少",
        "8月 RJ 平均每人消费了多少",
        "8月 RJ的客户 平均每人花了多少钱",
    ],
)
def test_each_person_then_what_they_spent(olist: Workspace, question: str) -> None:
    """每人 followed by what each did (消费, 花了) counts people; the people named before it
    (RJ的买家) are those 每人 counts, not a second figure (it was refused: '每人', '平均')."""
    a = answer(olist, question, "offline")
    assert a.main.columns == ["sales_per_buyer"], a.main.columns
    assert float(a.main.rows[0][0]) == pytest.approx(
        sql_number(olist, SALES_PER_BUYER_RJ_AUG), abs=0.01
    )


def test_each_person_bought_how_many_orders(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) * 1.0 / count(DISTINCT o.one_id) FROM orders o"
        " JOIN customers c ON c.customer_id = o.customer_id WHERE c.province = 'RJ'"
        " AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01' AND o.one_id IS NOT NULL",
    )
    assert number(olist, "8月 RJ的客户平均每人买了几单") == pytest.approx(want, abs=1e-6)


@pytest.mark.parametrize("question", ["cancel rate of 2017 orders", "2017 order cancel rate"])
def test_the_verb_cancel_names_the_cancelled_state(olist: Workspace, question: str) -> None:
    """'cancel rate' is the cancellation rate (it was refused: 'cancel', 'rate')."""
    a = answer(olist, question, "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    part, whole = sql(
        olist,
        "SELECT count(*) FILTER (WHERE status = 'cancelled'), count(*) FROM orders"
        " WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    )[0]
    assert (got["orders"], got["orders__total"]) == (part, whole)


UNITS_BY_CATEGORY_AUG = (
    "SELECT p.category, sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '2018-08-01'"
    " AND o.paid_at < '2018-09-01' AND p.category IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
)


@pytest.mark.parametrize("question", ["上个月 卖了最多件的品类", "上个月 哪个品类卖了最多件"])
def test_most_pieces_sold_ranks_by_units(olist: Workspace, question: str) -> None:
    """件 after 卖了最多 says the pieces are ranked (it was refused: '件'), and '最多件的品类'
    asks for the one category, as '最多的品类' does."""
    assert rows(olist, question) == sql(olist, UNITS_BY_CATEGORY_AUG)


@pytest.mark.parametrize(
    ("question", "sql_text"),
    [
        (
            "8月 星期几发货最多",
            "SELECT isodow(shipped_at), count(*) FROM orders WHERE shipped_at >= '2018-08-01'"
            " AND shipped_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        ),
        (
            "8月 哪天发货最多",
            "SELECT CAST(shipped_at AS DATE), count(*) FROM orders WHERE shipped_at >= '2018-08-01'"
            " AND shipped_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        ),
    ],
)
def test_a_bare_event_word_counts_its_rows(olist: Workspace, question: str, sql_text: str) -> None:
    """发货 (a duration's end event in the catalog: shipped_at) said with a ranking and no
    metric counts the orders shipped, by ship time (it was refused: '发货')."""
    a = answer(olist, question, "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    key, count = sql(olist, sql_text)[0]
    first = a.main.columns[0]
    assert (str(got[first]), got["shipped_orders"]) == (str(key), count)


@pytest.mark.parametrize(
    ("question", "agg"),
    [("7月卖出的商品里 单价最高的是多少", "max"), ("7月卖出的商品中 单价最低的是多少", "min")],
)
def test_products_said_as_a_scope_are_no_breakdown(
    olist: Workspace, question: str, agg: str
) -> None:
    """'卖出的商品里 … 最高的是多少' asks the amount over the lines sold, not which product: the
    highest unit price (it was refused: a top 1 that names nothing to rank)."""
    want = sql_number(
        olist,
        f"SELECT {agg}(i.unit_price) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    assert number(olist, question) == pytest.approx(want, abs=0.01)


def test_which_product_is_still_refused_not_an_amount(olist: Workspace) -> None:
    """With 哪 the question asks which product: the scope rule does not apply."""
    assert refused(olist, "7月卖出的商品里 哪个单价最高")


REPEAT_OF_Q2_NEW = (
    "WITH f AS (SELECT one_id, min(paid_at) AS first_paid, count(*) AS n FROM orders"
    " WHERE paid_at IS NOT NULL AND one_id IS NOT NULL AND created_at < '2018-09-01' GROUP BY 1)"
    " SELECT count(*) FROM f WHERE first_paid >= '2018-04-01' AND first_paid < '2018-07-01'"
    " AND n >= 2"
)


@pytest.mark.parametrize(
    "question", ["上季度的新客 后来又买了第二单的 有几个", "上季度的新客 后来又买过的 有几个"]
)
def test_new_customers_who_bought_again(olist: Workspace, question: str) -> None:
    """'新客 后来又买了(第二单)': a then with nothing named on either side, after a first-order
    cohort, is a second paid order ever (it was refused: 'bought A, then later B')."""
    assert number(olist, question) == sql_number(olist, REPEAT_OF_Q2_NEW)
