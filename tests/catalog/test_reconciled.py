"""Every figure the README or a source's header states as reconciled, computed through
`shopql metric` (the metric layer, not hand SQL), so the documentation and the metrics cannot
drift apart. Online Retail's figures are checked in tests/sync/test_online_retail.py (it has the
synced workspace)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, SHARED, cli_in_process
from tests.sync.helpers import sync

TMALL_REPORT = SAMPLES / "tmall" / "tmall_order_report_2020-02.csv"
# the demo's truth names Pinduoduo `pdd`; the warehouse's platform is `pinduoduo`
DEMO_PLATFORM = {"pdd": "pinduoduo"}


def metric_csv(ws: Path, *args: str) -> list[list[str]]:
    """`shopql metric ARGS --format csv`, as rows of text (header first)."""
    done = cli_in_process("--workspace", str(ws), "metric", *args, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.reader(done.stdout.splitlines()))


def test_tmall_report_totals_through_shopql_metric(workspace: Path) -> None:
    """README: 28,010 orders, Σ总金额 2,995,760.61, Σ退款金额 572,335.92, Σ买家实际支付金额
    (实付, net of refunds) 1,902,487.15. The report gives refunds per order with no refund record
    and no refund time: each counts at its order's payment time, so both readings agree."""
    if not TMALL_REPORT.exists():
        pytest.skip("../shared/formats/samples is not beside the repository")
    sync(workspace, TMALL_REPORT)
    names = ["orders", "placed_gmv", "refund_amount", "net_sales", "net_sales_by_order_time"]
    assert metric_csv(workspace, *names) == [
        names,
        ["28010", "2995760.61", "572335.92", "1902487.15", "1902487.15"],
    ]


def test_olist_payments_through_shopql_metric(olist_workspace: Path) -> None:
    """Olist: Σ payment_value 16,008,872.12 over 99,441 orders (README: paid_amount = Σ payments)."""
    header, row = metric_csv(olist_workspace, "payment_amount", "orders", "refund_amount")
    assert header == ["payment_amount", "orders", "refund_amount"]
    assert [Decimal(v) for v in row] == [Decimal("16008872.12"), 99441, 0]


def test_demo_refunds_reduce_net_sales_by_what_the_generator_wrote(
    demo_workspace: Path,
) -> None:
    truth = json.loads((demo_workspace / "demo_facts.json").read_text(encoding="utf-8"))
    refunds = {DEMO_PLATFORM.get(p, p): v for p, v in truth["refunds"].items()}
    got = metric_csv(
        demo_workspace,
        *("paid_gmv", "net_sales", "net_sales_by_order_time", "refunded_orders"),
        *("--by", "platform", "--order", "platform", "--asc"),
    )
    assert got[0] == [
        "platform",
        "paid_gmv",
        "net_sales",
        "net_sales_by_order_time",
        "refunded_orders",
    ]
    assert [row[0] for row in got[1:]] == sorted(refunds)
    for platform, paid, net, net_by_order, refunded in got[1:]:
        assert Decimal(paid) - Decimal(net) == Decimal(refunds[platform]["amount"]), platform
        assert Decimal(paid) - Decimal(net_by_order) == Decimal(refunds[platform]["amount"])
        assert int(refunded) == refunds[platform]["orders"], platform
    total = sum(Decimal(v["amount"]) for v in refunds.values())
    assert total > 0
    ((refund_amount,),) = metric_csv(demo_workspace, "refund_amount")[1:]
    assert Decimal(refund_amount) == total


@pytest.mark.parametrize(
    ("source", "metric", "stated"),
    [
        (SAMPLES / "shopify", "orders", 51),  # README: the Shopify sample gives 51 orders
        (SAMPLES / "youzan", "orders", 8),  # README: the Youzan samples 8 orders
        # README: UserBehavior gives 84,475 events for 815 users
        (SHARED / "data" / "taobao_userbehavior" / "UserBehavior_head.csv.gz", "visitors", 815),
    ],
)
def test_stated_counts_through_shopql_metric(
    workspace: Path, source: Path, metric: str, stated: int
) -> None:
    if not source.exists():
        pytest.skip(f"{source} is not beside the repository")
    sync(workspace, source)
    assert metric_csv(workspace, metric) == [[metric], [str(stated)]]
