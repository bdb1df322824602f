"""UCI Online Retail through sync/sources/online_retail.yaml: the published totals, reconciled.

The expected figures are computed here from the csv.gz with Python's csv module, independently of
the loader, and compared to SQL over the canonical tables.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, cli_in_process
from tests.sync.helpers import by_kind, rows, scalar, sync

RETAIL = SHARED / "data" / "online_retail" / "online_retail.csv.gz"
CENT = Decimal("0.01")
POSTAGE = {"POST", "DOT", "C2"}


@dataclass
class Expected:
    lines: int = 0
    invoices: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    quantity: int = 0
    sales: Decimal = Decimal(0)  # lines of ordinary invoices (not C, not A)
    not_cancelled: Decimal = Decimal(0)  # every line whose invoice is not a C credit note
    cancellations: Decimal = Decimal(0)  # C lines, as a positive amount
    postage: Decimal = Decimal(0)
    duplicates: int = 0
    credit_invoices: set[str] = field(default_factory=set)
    bad_debt: Decimal = Decimal(0)  # minus the A adjustments' value (written off)
    net_by_code: Counter[str] = field(default_factory=Counter)  # every line but A, by stock code
    net_by_customer: Counter[str] = field(default_factory=Counter)  # the same, by CustomerID


@pytest.fixture(scope="module")
def expected() -> Expected:
    out = Expected()
    seen: Counter[tuple[str, ...]] = Counter()
    with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.lines += 1
            seen[tuple(r.values())] += 1
            out.invoices.add(r["InvoiceNo"])
            if r["CustomerID"]:
                out.customers.add(r["CustomerID"])
            qty = int(r["Quantity"])
            out.quantity += qty
            total = (qty * Decimal(r["UnitPrice"])).quantize(CENT, ROUND_HALF_UP)
            if r["InvoiceNo"].startswith("A"):
                out.bad_debt -= total
            else:
                out.net_by_code[r["StockCode"]] += total
                if r["CustomerID"]:
                    out.net_by_customer[r["CustomerID"]] += total
            if r["InvoiceNo"].startswith("C"):
                out.cancellations -= total
                out.credit_invoices.add(r["InvoiceNo"])
            else:
                out.not_cancelled += total
                if not r["InvoiceNo"].startswith("A") and qty >= 0:
                    out.sales += total
                if r["StockCode"] in POSTAGE:
                    out.postage += total
    out.duplicates = sum(n - 1 for n in seen.values())
    return out


@pytest.fixture(scope="module")
def retail_ws(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, tuple[int, int, int]]]:
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path_factory.mktemp("retail") / "ws"
    init_workspace(ws)
    report = sync(ws, RETAIL)
    return ws, by_kind(report)


def test_every_row_is_accounted_for(retail_ws: tuple[Path, dict], expected: Expected) -> None:
    ws, summary = retail_ws
    assert expected.lines == 541_909
    assert summary == {"invoice_lines": (541_909, 541_909, 0)}
    assert scalar(ws, "select count(*) from order_items") == expected.lines
    assert scalar(ws, "select sum(quantity) from order_items") == expected.quantity == 5_176_450
    # exact duplicate rows are kept as lines: nothing merged
    assert expected.duplicates == 5_268
    dup_lines = scalar(
        ws,
        """select sum(n - 1) from (select count(*) n from order_items
           group by order_id, outer_code, title, quantity, unit_price, paid_amount)""",
    )
    assert dup_lines >= expected.duplicates  # not merged (rows that differ only by minute add more)


def test_published_invoice_and_customer_counts(
    retail_ws: tuple[Path, dict], expected: Expected
) -> None:
    ws, _ = retail_ws
    assert scalar(ws, "select count(*) from orders") == len(expected.invoices) == 25_900
    assert scalar(ws, "select count(*) from customers") == len(expected.customers) == 4_372
    assert scalar(ws, "select count(distinct customer_id) from orders") == 4_372
    assert scalar(ws, "select count(distinct source_file_id) from orders") == 1
    assert dict(rows(ws, "select raw_status, count(*) from orders group by 1")) == {
        "invoice": 20_725,
        "cancellation invoice": 3_836,
        "stock adjustment": 1_336,
        "adjust bad debt": 3,
    }
    assert scalar(ws, "select count(*) from orders where status = 'refunded'") == len(
        expected.credit_invoices
    )
    # float CustomerIDs (17850.0) become whole-number keys
    assert scalar(ws, "select count(*) from orders where customer_id = 'retail:17850'") > 0
    assert scalar(ws, "select count(*) from customers where customer_id like '%.%'") == 0


def test_revenue_and_cancellations_reconcile(
    retail_ws: tuple[Path, dict], expected: Expected
) -> None:
    ws, _ = retail_ws
    not_cancelled = scalar(
        ws,
        """select sum(i.paid_amount) from order_items i join orders o using (order_id)
           where o.status <> 'refunded'""",
    )
    assert not_cancelled == expected.not_cancelled
    assert (
        scalar(ws, "select sum(paid_amount) from orders where paid_at is not null")
        == expected.sales
    )
    assert (
        scalar(ws, "select sum(amount) from refunds where reason = 'cancellation invoice'")
        == expected.cancellations
    )
    assert dict(rows(ws, "select reason, count(*) from refunds group by 1")) == {
        "cancellation invoice": 3_836,
        "bad debt adjustment": 3,
    }
    assert (
        scalar(ws, "select sum(amount) from refunds") == expected.cancellations + expected.bad_debt
    )
    assert scalar(ws, "select sum(refund_amount) from orders") == expected.cancellations
    assert expected.not_cancelled - expected.cancellations == Decimal("9747747.93")
    assert scalar(ws, "select sum(paid_amount) from order_items") == Decimal("9747747.93")
    assert (
        scalar(ws, "select sum(shipping_fee) from orders where status = 'completed'")
        == expected.postage
    )
    assert scalar(ws, "select count(*) from products") == 4_054  # 4,070 codes minus 16 non-products


def metric_csv(ws: Path, *args: str) -> list[list[str]]:
    """`shopql metric ARGS --format csv`, as rows of text (header first)."""
    done = cli_in_process("--workspace", str(ws), "metric", *args, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.reader(done.stdout.splitlines()))


def test_published_figures_through_shopql_metric(
    retail_ws: tuple[Path, dict], expected: Expected
) -> None:
    """The README's reconciliation, computed by the metric layer (not by hand SQL): net sales is
    sales minus credit notes minus the bad-debt write-off, in both readings."""
    ws, _ = retail_ws
    assert expected.sales - expected.cancellations - expected.bad_debt == Decimal("9747747.93")
    names = ["orders", "paid_gmv", "refund_amount", "net_sales", "net_sales_by_order_time"]
    assert metric_csv(ws, *names) == [
        names,
        ["25900", "10655622.48", "907874.55", "9747747.93", "9747747.93"],
    ]
    assert expected.bad_debt == Decimal("11062.06")
    cancellations = metric_csv(
        ws, "refund_amount", "--where", "refund_reason = 'cancellation invoice'"
    )
    assert (
        cancellations
        == [["refund_amount"], [str(expected.cancellations)]]
        == [
            ["refund_amount"],
            ["896812.49"],
        ]
    )


def test_top_products_by_net_sales_deduct_credit_note_lines(
    retail_ws: tuple[Path, dict], expected: Expected
) -> None:
    ws, _ = retail_ws
    got = metric_csv(ws, "net_sales", "paid_gmv", "--by", "outer_code", "--limit", "5")
    top = expected.net_by_code.most_common(5)
    assert [(row[0], Decimal(row[1])) for row in got[1:]] == top
    # 22423 (REGENCY CAKESTAND 3 TIER) had credit notes: its net is below its sales
    assert top[1][0] == "22423" and Decimal(got[2][1]) < Decimal(got[2][2])


def test_top_customers_by_net_sales_deduct_their_credit_notes(
    retail_ws: tuple[Path, dict], expected: Expected
) -> None:
    """Asked in words, the offline engine ranks people by the net_sales metric (OneID per
    customer here: one account each), credit notes deducted; guests are not a customer."""
    ws, _ = retail_ws
    done = cli_in_process(
        *("--workspace", str(ws), "ask", "top 5 customers by net sales"),
        *("--engine", "offline", "--format", "csv"),
    )
    assert done.returncode == 0, done.stderr
    header, *top = list(csv.reader(done.stdout.splitlines()))
    # each person's accounts (their buyer keys) beside the OneID since session 41
    assert header == ["person", "accounts", "net_sales"]
    assert [Decimal(net) for _, _, net in top] == [
        n for _, n in expected.net_by_customer.most_common(5)
    ]
    # customer 16446 bought 168,472.50 and returned 168,469.60 of it: first by sales, not by net
    assert expected.net_by_customer["16446.0"] == Decimal("2.90")


def test_fixture_quirks_each_have_a_fate(workspace: Path) -> None:
    """Online Retail II layout (Invoice, Price, Customer ID) and the Kaggle m/d/Y dates."""
    report = sync(workspace, FIXTURES / "online_retail" / "online_retail_II_sample.csv")
    assert by_kind(report) == {"invoice_lines": (12, 10, 2)}
    assert dict(rows(workspace, "select line, reason from _quarantine")) == {
        12: "not a whole number in column Customer ID: 17850.5",
        13: "not a whole number in column Quantity: x",
    }
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "489434": "completed",
        "489435": "completed",
        "C489449": "refunded",
        "489450": "cancelled",
        "A506401": "cancelled",
    }
    assert rows(
        workspace,
        """select goods_amount, shipping_fee, discount_amount, paid_amount, customer_id, created_at::VARCHAR
           from orders where order_id = 'retail:489434'""",
    ) == [
        (
            Decimal("245.40"),
            Decimal("18.00"),
            Decimal("0.00"),
            Decimal("263.40"),
            "retail:13085",
            "2009-12-01 07:45:00",
        )
    ]
    assert rows(
        workspace,
        "select discount_amount, paid_amount, customer_id from orders where order_id = 'retail:489435'",
    ) == [(Decimal("1.50"), Decimal("4.80"), None)]
    assert rows(workspace, "select reason, amount from refunds order by 1") == [
        ("bad debt adjustment", Decimal("53594.36")),
        ("cancellation invoice", Decimal("133.90")),
    ]
    assert (
        scalar(workspace, "select count(*) from order_items where order_id = 'retail:489434'") == 4
    )
    assert scalar(workspace, "select count(*) from order_items where product_id is null") == 4
    assert scalar(workspace, "select count(*) from products") == 4
    assert (
        scalar(workspace, "select title from products where product_id = 'retail:22350'")
        == 'TEST 7" FRAME'
    )


def test_kaggle_copy_in_latin1_with_us_dates(workspace: Path) -> None:
    report = sync(workspace, FIXTURES / "online_retail" / "Online_Retail_kaggle_latin1.csv")
    assert report.files[0].encoding == "cp1252"
    assert by_kind(report) == {"invoice_lines": (3, 3, 0)}
    assert rows(
        workspace,
        "select order_id, status, created_at::VARCHAR, shipping_fee, paid_amount from orders order by 1",
    ) == [
        ("retail:536365", "completed", "2010-12-01 08:26:00", Decimal("5.00"), Decimal("20.30")),
        ("retail:C536379", "refunded", "2010-12-01 09:41:00", Decimal("0.00"), Decimal("0.00")),
    ]
    assert scalar(workspace, "select title from order_items where outer_code = 'POST'") == (
        "POSTAGE £5 FLAT"
    )


def test_catalog_families_on_online_retail(retail_ws: tuple[Path, dict]) -> None:
    """Unit price, quantity, invoices per country and stock codes (catalog/measurables.yaml)
    through `shopql metric`, against hand-written SQL on the same warehouse."""
    import duckdb

    ws, _ = retail_ws
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        want = con.execute(
            "SELECT round(avg(unit_price), 2), median(quantity) FILTER (WHERE o.paid_at IS NOT NULL),"
            " (SELECT count(DISTINCT coalesce(spu_id, product_id)) FROM products)"
            " FROM order_items i JOIN orders o USING (order_id)"
        ).fetchone()
        per_country = con.execute(
            "SELECT country, sum(i.quantity)::DOUBLE / count(DISTINCT o.order_id) FROM orders o"
            " LEFT JOIN order_items i USING (order_id) WHERE o.paid_at IS NOT NULL"
            " AND o.country = 'Germany' GROUP BY 1"
        ).fetchone()
    finally:
        con.close()
    assert want is not None and per_country is not None
    got = metric_csv(ws, "avg:unit_price", "median:quantity", "product_count_all")[1]
    assert [Decimal(x) for x in got] == [Decimal(str(v)) for v in want]
    rows = metric_csv(ws, "items_per_order", "--by", "country", "--where", "country = 'Germany'")
    assert float(rows[1][1]) == pytest.approx(per_country[1], rel=1e-9)
    # the file's Country is the order's country, never a province; an invoice has no delivery time
    assert scalar(ws, "select count(DISTINCT country) from orders") == 37
    assert scalar(ws, "select count(*) from orders where province IS NOT NULL") == 0
    assert scalar(ws, "select count(*) from customers where province IS NOT NULL") == 0
    assert scalar(ws, "select count(*) from orders where finished_at IS NOT NULL") == 0
