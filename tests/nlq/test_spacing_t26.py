"""Spaces typed between Chinese words change nothing a question asks (issue 11, session 26, helper t).

A question with such spaces is read first without them (nlq/answer.py answer_offline): patterns
that want their words side by side (到现在, 加起来, 上上周, 多少个城市) see them so, whatever the writer's
word breaks ("到 现在", "加 起来"). Only a reading without them that leaves words unplaced ("上上周
天猫" would hold 周天; "每笔 退" as 每笔退) or a set question over people (whose clauses the spaces
keep apart) is read as typed; a reading without them the engine declines is the refusal ("1月 和 5月
加 起来": one total over two months apart — was each month side by side).

Found by a consistency harness (notes/t26_hunt: every Chinese dev question typed without spaces,
segmented into words, and spaced around Latin words and numbers; English paraphrases): "A和B一起买的
订单" / "bought together" is both on one order (was either: 一起 and 买 each a harmless word), and
"paid for (their first order) by credit card" is the channel's verb, not status = paid as well.
Values against hand-written SQL on the session workspaces."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql


def _year(demo: Any) -> tuple[dt.date, dt.date]:
    return demo.today.replace(month=1, day=1), demo.today


@pytest.mark.parametrize(
    "question",
    [
        "今年 有 订单 的 城市 一共 几个",
        "今年 有订单的 城市 一共几个",
        "今年有订单的城市一共几个",
    ],
)
def test_cities_counted_however_spaced(olist: Workspace, question: str) -> None:
    """Spaced word by word the count of cities was a list of every city (城市 一共 几个)."""
    ((want,),) = sql(
        olist,
        "SELECT count(DISTINCT coalesce(o.city, c.city)) FROM orders o LEFT JOIN customers c "
        "ON c.customer_id = o.customer_id "
        "WHERE o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'",
    )
    assert want == 3277
    assert rows(olist, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "how many orders were paid for by credit card in August",
        "how many orders in August were paid for with a credit card",
        "how many orders were paid by credit card in August",
    ],
)
def test_paid_for_by_a_channel_is_no_status(olist: Workspace, question: str) -> None:
    """'paid for by credit card' was status = paid as well (19 orders of August)."""
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM orders WHERE payment_channel = 'credit_card' "
        "AND created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    assert want == 4963
    assert rows(olist, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "How many of August's new customers paid for their first order by credit card?",
        "How many new customers in August paid their first order with credit card?",
        "8月新客里首单刷信用卡的有几个",
        "8月 新客 里 首单 刷 信用卡 的 有 几个",
    ],
)
def test_new_customers_first_order_paid_by_card(olist: Workspace, question: str) -> None:
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f, arg_min(payment_channel, paid_at) "
        "AS ch FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) "
        "WHERE f >= '2018-08-01' AND f < '2018-09-01' AND ch = 'credit_card'",
    )
    assert want == 4851
    assert rows(olist, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "今年 1月 和 5月 加 起来 卖 了 多少",
        "今年1月和5月加起来卖了多少",
        "今年 1月 和 5月 加起来 一共 卖了 多少",
    ],
)
def test_two_months_apart_added_up_however_spaced(retail: Workspace, question: str) -> None:
    """Spaced, 加 起来 was no 加起来: each month side by side, two rows for one total. Now one
    total however it is spaced (p's two periods added, session 26), never the two rows."""
    ((want,),) = sql(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE (paid_at >= '2011-01-01' AND paid_at < "
        "'2011-02-01') OR (paid_at >= '2011-05-01' AND paid_at < '2011-06-01')",
    )
    got = rows(retail, question)
    assert len(got) == 1 and abs(float(got[0][-1]) - float(want)) < 0.01, (question, got, want)


@pytest.mark.parametrize(
    "question",
    [
        "2011年 到 现在 客户 复购率 是 多少",
        "2011年 到现在 客户复购率 是多少",
        "2011年到现在客户复购率是多少",
    ],
)
def test_to_date_said_with_a_space(retail: Workspace, question: str) -> None:
    """到 现在 is 到现在 (up to today): was read without it, a rate over other customers."""
    ((want,),) = sql(
        retail,
        "SELECT round(count(*) FILTER (WHERE n >= 2) / count(*), 4) FROM (SELECT one_id, "
        "count(*) AS n FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01' "
        "AND one_id IS NOT NULL GROUP BY 1)",
    )
    (got,) = rows(retail, question)
    assert abs(float(got[-1]) - float(want)) < 0.0001, question


@pytest.mark.parametrize(
    "question",
    [
        "今年买过 但是 近90天 没再买的客户 有几个",
        "今年 买过 但是 近90天 没再买的 客户 有几个",
    ],
)
def test_set_question_clauses_kept_apart_by_spaces(retail: Workspace, question: str) -> None:
    """A set question is read as typed when the spaces keep its clauses apart (read without
    them: 'a lapsed window and another period', refused)."""
    ((want,),) = sql(
        retail,
        "SELECT count(*) FROM (SELECT DISTINCT one_id FROM orders WHERE paid_at >= '2011-01-01' "
        "AND paid_at < '2011-12-01' AND one_id IS NOT NULL EXCEPT SELECT DISTINCT one_id FROM "
        "orders WHERE paid_at >= '2011-09-02' AND paid_at < '2011-12-01' AND one_id IS NOT NULL)",
    )
    assert rows(retail, question) == [(want,)], question


def test_a_space_still_keeps_two_words_apart(demo: Any) -> None:
    """上上周 天猫: read without the space it would hold 周天 (Sunday) and a stray 猫; as typed it is
    the week before last on Tmall."""
    monday = demo.today - dt.timedelta(days=demo.today.weekday())
    start, end = monday - dt.timedelta(days=14), monday - dt.timedelta(days=7)
    ((want,),) = sql(
        demo,
        "SELECT coalesce(sum(paid_amount), 0) FROM orders WHERE platform = 'tmall' AND "
        f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    got = rows(demo, "上上周 天猫 销售额")
    assert len(got) == 1 and float(got[0][-1]) == pytest.approx(float(want))


@pytest.mark.parametrize(
    "question",
    [
        "上上周 销售额",
        "上 上周 销售额",
        "上上周销售额",
    ],
)
def test_week_before_last_however_spaced(demo: Any, question: str) -> None:
    """上 上周 was last week (the first 上 a harmless word)."""
    monday = demo.today - dt.timedelta(days=demo.today.weekday())
    start, end = monday - dt.timedelta(days=14), monday - dt.timedelta(days=7)
    ((want,),) = sql(
        demo,
        "SELECT coalesce(sum(paid_amount), 0) FROM orders WHERE "
        f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    got = rows(demo, question)
    assert len(got) == 1 and float(got[0][-1]) == pytest.approx(float(want)), question


@pytest.mark.parametrize(
    "question",
    [
        "近 30天 有 多少 个 城市 下过单",
        "近30天 有多少个城市 下过单",
        "近30天有多少个城市下过单",
    ],
)
def test_cities_with_orders_counted_however_spaced(demo: Any, question: str) -> None:
    """多少 个 城市 is how many cities (was the orders of each city)."""
    got = rows(demo, question)
    want = rows(demo, "近30天有多少个城市下过单")
    assert len(got) == 1 and got == want, question


@pytest.mark.parametrize(
    "question",
    [
        "how many orders had pillows and 四件套 bought together",
        "枕头 和 四件套 一起 买 的 订单 有 几单",
        "枕头和四件套一起买的订单有几单",
        "枕头和四件套一起下单的有几单",
    ],
)
def test_bought_together_is_both_on_one_order(demo: Any, question: str) -> None:
    """一起买 / bought together: both on one order — not the orders with either (一起 and 买 were
    each a harmless word when spaced, 'together' in English). Refused: not one filter."""
    assert "both" in refused(demo, question).unknown, question


@pytest.mark.parametrize("question", ["天猫和京东一起卖了多少", "天猫 和 京东 加起来 卖了 多少"])
def test_together_of_one_total_stays(demo: Any, question: str) -> None:
    """一起 / 加起来 of one total of two values of one dimension: their sum, as before."""
    ((want,),) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE platform IN ('tmall', 'jd') "
        "AND paid_at IS NOT NULL",
    )
    got = rows(demo, question)
    assert len(got) == 1 and float(got[0][-1]) == pytest.approx(float(want)), question


def test_values_listed_with_spaces_and_a_space_that_keeps_words_apart(retail: Workspace) -> None:
    """Spaces between values of one dimension are a list (英国 德国 法国 → 英国、德国、法国); a
    space after 以外 keeps 外卖 (takeaway) from being read across it — as typed, the answer."""
    ((invoices, sales),) = sql(
        retail,
        "SELECT count(*) FILTER (WHERE created_at >= '2011-01-01' AND created_at < '2011-12-01'), "
        "sum(paid_amount) FILTER (WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01') "
        "FROM orders WHERE country NOT IN ('United Kingdom', 'Germany', 'France')",
    )
    assert rows(retail, "今年 英国 德国 法国 以外 的 国家 开了 几张 发票") == [(invoices,)]
    (got,) = rows(retail, "今年 英国、德国和法国以外 卖了多少")
    assert float(got[-1]) == pytest.approx(float(sales), abs=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "what share of sales did the top 10 customers account for this year",
        "今年 前10大 客户 的 销售额 占 总数 多少",
    ],
)
def test_account_for_is_the_share_verb(retail: Workspace, question: str) -> None:
    """'account for' was a title keyword (ACCOUNT): the share of one notebook's lines."""
    ((want,),) = sql(
        retail,
        "SELECT round((SELECT sum(a) FROM (SELECT sum(paid_amount) AS a FROM orders WHERE "
        "paid_at >= '2011-01-01' AND paid_at < '2011-12-01' AND one_id IS NOT NULL GROUP BY "
        "one_id ORDER BY 1 DESC LIMIT 10)) / sum(paid_amount), 4) FROM orders WHERE "
        "paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )
    (got,) = rows(retail, question)
    assert float(got[-1]) == pytest.approx(float(want), abs=0.0001), question


@pytest.mark.parametrize(
    "question",
    [
        "how many items were ordered in november",
        "how many items went out in november",
        "how many items were sold in november",
    ],
)
def test_items_ordered_are_the_pieces(retail: Workspace, question: str) -> None:
    """'items were ordered' was the orders of each product (a list)."""
    ((want,),) = sql(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'",
    )
    assert rows(retail, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "how many invoices were placed at night in november",
        "which countries had high sales in november",
        "how did sales double from october to november",
    ],
)
def test_frame_words_are_no_title_keywords(retail: Workspace, question: str) -> None:
    """night, high, double said of the question (a time of day, a size, a change) were title
    filters (NIGHT LIGHT, HIGH …); unplaced now, refused."""
    assert refused(retail, question).unknown, question
