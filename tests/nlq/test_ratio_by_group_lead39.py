"""One metric over another inside each group or period — "各平台的退款金额占销售额的比例",
"运费 / 销售额 各州", "今年每个月退款金额占销售额的比例" (issue 11: "share of one value as well as
shares by a breakdown"). Refused before ("one metric over another by a breakdown … is not
answered"); now each group's own ratio, from the same compiled query as the two figures. Ranked
by the ratio, or compared with another period, stays refused."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

_FREIGHT_BY_STATE = (
    "SELECT c.province, sum(o.shipping_fee), sum(o.paid_amount) FROM orders o JOIN customers c"
    " ON c.customer_id = o.customer_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '{end}'"
    " GROUP BY 1 ORDER BY 1"
)


def test_freight_over_sales_in_each_state(olist: Workspace) -> None:
    # 今年: to today (2018-09-01); "em 2018": the whole year (the data runs to October)
    for q, end in (
        ("今年各州运费占销售额的比例", "2018-09-01"),
        ("frete / faturamento por estado em 2018", "2019-01-01"),
    ):
        want = {
            r[0]: (float(r[1]), float(r[2])) for r in sql(olist, _FREIGHT_BY_STATE.format(end=end))
        }
        got = {r[0]: r[1:] for r in rows(olist, q)}
        assert got.keys() == want.keys(), q
        for state, (freight, sales) in want.items():
            assert abs(float(got[state][0]) - freight) < 0.01, (q, state)
            assert abs(float(got[state][1]) - sales) < 0.01, (q, state)
            assert abs(float(got[state][2]) - round(freight / sales, 4)) < 1e-4, (q, state)


def test_refunds_over_sales_by_platform_and_by_month(demo: Workspace) -> None:
    refunds = dict(rows(demo, "上个月各平台的退款金额"))
    sales = dict(rows(demo, "上个月各平台的支付金额"))
    got = rows(demo, "上个月各平台的退款金额占销售额的比例")
    assert {r[0] for r in got} == set(sales)
    for platform, refund, paid, share in got:
        assert abs(float(refund) - float(refunds.get(platform, 0))) < 0.01
        assert abs(float(paid) - float(sales[platform])) < 0.01
        assert abs(float(share) - round(float(refund) / float(paid), 4)) < 1e-4
    months = rows(demo, "今年每个月退款金额占销售额的比例")
    assert len(months) == 5  # January to May 2025 (today 2025-06-01)


def test_ranked_by_the_ratio_or_compared_is_refused(demo: Workspace) -> None:
    refused(demo, "上个月退款金额占销售额比例最高的平台")
    refused(demo, "上个月各平台退款金额占销售额的比例和前一个月比")
