"""Readings the lead corrected in session 44 (issue 11)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

_AUG = "o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'"
_STATE = "coalesce(o.province, c.province)"


def test_two_values_counted_after_them_are_each_their_own(olist: Workspace) -> None:
    """'8月 米纳斯(MG) 和 圣保罗(SP) 两州 平均 每单 花 多少' gave one average over both states (a
    gloss in brackets hid the 和), and 'MG和SP两州一共多少单' counted the states beside the orders
    (两州…多少 read as how many states). Values restated as a count of their kind (两州, 两个大区)
    are each their own row; with a word for the total, one figure; the count of states is not
    asked."""
    per_state = sql(
        olist,
        f"SELECT {_STATE}, count(*) FROM orders o LEFT JOIN customers c USING (customer_id)"
        f" WHERE {_AUG} AND {_STATE} IN ('MG', 'SP') GROUP BY 1 ORDER BY 1",
    )
    assert len(per_state) == 2
    for q in (
        "8月 MG 和 SP 两州 多少单",
        "8月MG和SP两个州的订单数",
        "8月 米纳斯(MG) 和 圣保罗(SP) 两州 多少单",
    ):
        assert sorted(rows(olist, q)) == per_state, q
    total = sum(n for _, n in per_state)
    for q in (
        "8月MG和SP两州一共多少单",
        "8月 MG 和 SP 两个州 一共 几单",
        "8月 米纳斯(MG) 和 圣保罗(SP) 两州 一共 几单",
    ):
        assert rows(olist, q) == [(total,)], q
    # the AOV of each state: two rows, one per state named
    got = rows(olist, "8月 米纳斯(MG) 和 圣保罗(SP) 两州 平均 每单 花 多少")
    assert sorted(r[0] for r in got) == ["MG", "SP"]
    # look-alike: how many states is still a count of states
    (states,) = sql(
        olist,
        f"SELECT count(DISTINCT {_STATE}) FROM orders o LEFT JOIN customers c USING (customer_id)"
        f" WHERE {_AUG}",
    )[0]
    assert rows(olist, "8月有几个州下过单") == [(states,)]


def test_a_day_against_the_usual_days(retail: Workspace) -> None:
    """'今年礼拜天开的发票和平时开的发票各收了多少钱' gave Sundays alone (平时 was taken as a filler
    word): a wrong number. A day named, then 和平时 / 跟平常 — or the rest said after the same words
    as the day ('…开的发票和平时开的发票') — is that day against every other day, one row each."""
    year = "paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"
    (sunday,) = sql(
        retail, f"SELECT sum(paid_amount) FROM orders WHERE {year} AND isodow(paid_at) = 7"
    )[0]
    (other,) = sql(
        retail, f"SELECT sum(paid_amount) FROM orders WHERE {year} AND isodow(paid_at) <> 7"
    )[0]
    for q in ("今年礼拜天开的发票和平时开的发票各收了多少钱", "今年周日和平时各卖了多少钱"):
        got = sorted(float(r[-1]) for r in rows(retail, q))
        assert got == sorted([float(sunday), float(other)]), q


_NOV = "paid_at >= '2011-11-01' AND paid_at < '2011-12-01'"


def test_an_average_per_order_said_in_other_orders(retail: Workspace) -> None:
    """Per-invoice averages said with the average after 每张 (发票每张平均带走多少件), a quantity asked
    right after 每单 (平均每单买了几件: 每单 was taken as what is counted), a word for goods after
    the measure word (几件货), or where on the invoice (一张上面列了几样): the catalog's ratios, as
    the plain wording (平均每张发票有几件) gives them."""
    (units,) = rows(retail, "11月平均每张发票有几件")[0]
    (pieces, invoices) = sql(
        retail,
        "SELECT sum(i.quantity), count(DISTINCT o.order_id) FROM order_items i JOIN orders o"
        f" USING (order_id) WHERE o.{_NOV}",
    )[0]
    assert abs(float(units) - float(pieces) / invoices) < 0.01
    for q in (
        "11月的发票 每张平均带走多少件",
        "11月平均每单买了几件",
        "11月 平均每张发票有几件货",
        "11月 平均 一张 发票 里 装 了 几 件",
    ):
        assert rows(retail, q) == [(units,)], q
    (kinds,) = rows(retail, "11月 平均每张发票有几种不同的商品")[0]
    assert rows(retail, "11月 的 发票 平均 一张 上面 列 了 几 样 不同 的 东西") == [(kinds,)]
    # look-alike: the pieces of the month stay a total
    (total,) = sql(
        retail,
        f"SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) WHERE o.{_NOV}",
    )[0]
    assert rows(retail, "11月一共卖了几件货") == [(total,)]


def test_every_invoice_said_by_doubling_its_measure_word(retail: Workspace) -> None:
    """'今年张张发票都高于200镑的客户数' gave the paid invoices over £200 (张张 unread, the customers
    dropped): a wrong number. 张张 / 单单 / 笔笔 said with 都, or the invoices said with 都 alone
    (发票都高于), are every one of the person's invoices, as 每张发票都."""
    (n,) = sql(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
        " '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 HAVING bool_and(paid_amount > 200))",
    )[0]
    assert n > 0
    for q in (
        "今年张张发票都高于200镑的客户数",
        "今年发票都高于200镑的客户数",
        "今年单单都超过200镑的客户有几个",
        "今年每张发票都高于200镑的客户数",
    ):
        assert rows(retail, q) == [(n,)], q
    # look-alike: one invoice over £200 is enough without 都
    (some,) = sql(
        retail,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_amount > 200 AND paid_at >="
        " '2011-01-01' AND paid_at < '2011-12-01'",
    )[0]
    assert some > n
