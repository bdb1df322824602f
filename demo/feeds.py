"""Data no platform export carries, written as the brand's own systems would: the payment
gateway's attempt log, the ERP's daily stock snapshot and the behaviour event log. Their mappings
ship in ``sync/sources/demo_*.yaml``. Also the ground truth and the planted facts.
"""

from __future__ import annotations

import json
from pathlib import Path

from shopql.demo import assortment as A
from shopql.demo.model import World
from shopql.demo.textfile import money, ts, write_csv
from shopql.demo.truth import identity_truth
from shopql.demo.writers import item_id

GATEWAY_HEADER = (
    "transaction_id", "sales_platform", "merchant_order_no", "pay_channel", "trade_status",
    "amount", "currency", "attempted_at", "error_code",
)  # fmt: skip
LISTING_HEADER = ("店铺名称", "平台", "平台商品ID", "商家编码", "商品名称", "商品分类", "品牌", "吊牌价",
                  "成本价", "状态")  # fmt: skip
STOCK_HEADER = ("快照时间", "仓库名称", "商家编码", "商品名称", "实际库存", "占用库存", "可用库存")
EVENT_HEADER = (
    "event_time",
    "platform",
    "user_id",
    "event_type",
    "item_code",
    "platform_item_id",
    "category",
)
CANONICAL = {
    "tmall": "tmall",
    "jd": "jd",
    "pdd": "pinduoduo",
    "douyin": "douyin",
    "shopify": "shopify",
}
CATEGORY = {p.outer_code: p.category for p in A.PRODUCTS}
TITLE = {p.outer_code: p.title for p in A.PRODUCTS}


def write_gateway(world: World, folder: Path, stamp: str) -> Path:
    rows = sorted(
        (
            [
                a.txn,
                CANONICAL[o.platform],
                o.no,
                a.channel,
                "SUCCESS" if a.ok else "FAILED",
                money(o.payable),
                "CNY",
                ts(a.at),
                a.error,
            ]  # fmt: skip
            for o in world.orders
            if o.platform != "shopify"  # Shopify Payments: its payments come with the orders export
            for a in o.attempts
        ),
        key=lambda r: (r[7], r[0]),
    )
    return write_csv(folder / f"gateway_transactions_{stamp}.csv", GATEWAY_HEADER, rows)


def write_listings(world: World, folder: Path, stamp: str) -> Path:
    """The ERP's shop listings (店铺商品资料): which goods each shop sells, with category and cost."""
    rows = []
    for platform in ("tmall", "jd", "pdd", "douyin", "shopify"):
        for p in A.PRODUCTS:
            if p.category == "家具" and platform in {"pdd", "douyin"}:
                continue
            rows.append([
                A.SHOP_NAMES[platform], CANONICAL[platform], item_id(platform, p.outer_code),
                p.outer_code, p.title, p.category, A.BRAND, money(round(p.price * 100)),
                money(round(p.cost * 100)), "在售",
            ])  # fmt: skip
    return write_csv(
        folder / f"店铺商品资料_{stamp}.csv",
        LISTING_HEADER,
        rows,
        encoding="utf-8-sig",
        newline="\r\n",
    )


def write_stock(world: World, folder: Path, stamp: str) -> Path:
    rows = (
        [
            f"{day:%Y-%m-%d} 23:59:59",
            wh,
            code,
            TITLE[code],
            str(on_hand),
            str(reserved),
            str(on_hand - reserved),
        ]  # fmt: skip
        for (day, wh, code), (on_hand, reserved) in sorted(world.stock.items())
    )
    return write_csv(
        folder / f"库存快照_{stamp}.csv", STOCK_HEADER, rows, encoding="utf-8-sig", newline="\r\n"
    )


def write_events(world: World, folder: Path, stamp: str) -> Path:
    rows = (
        [ts(at), CANONICAL[platform], user, kind, code, item_id(platform, code), CATEGORY[code]]
        for at, platform, user, kind, code in world.events
    )
    return write_csv(folder / f"behavior_events_{stamp}.csv", EVENT_HEADER, rows)


def write_truth(world: World, path: Path) -> Path:
    rows = identity_truth(world)
    header = list(rows[0])
    return write_csv(path, header, ([r[h] for h in header] for r in rows))


def write_facts(world: World, path: Path) -> Path:
    path.write_text(json.dumps(world.facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
