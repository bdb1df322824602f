"""The demo's orders written as each platform's seller back office exports them.

Headers are the documented ones (../shared/formats/PLATFORM_EXPORTS.md §2–5 and §9) and so are
the quirks: Taobao/Tmall GB18030 with `="…"` order numbers and trailing-space headers, JD GBK one
row per SKU, Pinduoduo cells padded with tabs, Douyin UTF-8 with BOM and tabs inside quoted ids,
Shopify UTF-8 with order fields only on an order's first line.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from shopql.demo import assortment as A
from shopql.demo.model import Order, World, order_as_of
from shopql.demo.people import mask
from shopql.demo.textfile import money, thousands, ts, write_csv, write_rows

CARRIERS = ("顺丰速运", "中通快递", "圆通速递", "韵达快递")
INDEX = {p.outer_code: i for i, p in enumerate(A.PRODUCTS)}


def item_id(platform: str, code: str) -> str:
    """The platform's own id of a product (each platform numbers goods its own way)."""
    i = INDEX[code]
    return {
        "tmall": f"{6840001200 + i * 7919}",
        "jd": f"{100045000000 + i * 104729}",
        "pdd": f"{58310000000 + i * 3571}",
        "douyin": f"{3612345678900000000 + i * 1000003}",
        "shopify": code.lower(),
    }[platform]


def _tracking(o: Order) -> tuple[str, str]:
    if o.shipped_at is None:
        return "", ""
    carrier = CARRIERS[o.seq % len(CARRIERS)]
    prefix = {"顺丰速运": "SF", "中通快递": "7", "圆通速递": "YT", "韵达快递": "43"}[carrier]
    return f"{prefix}{1400000000000 + o.seq * 13}", carrier


def _paid_net(o: Order) -> int:
    return o.payable - o.refund if o.paid_at else 0


# -- Taobao / Tmall ------------------------------------------------------------------------------
TMALL_ORDER_HEADER = (
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,"
    "买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,运送方式,联系电话 ,"
    "联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,物流公司,订单备注,宝贝总数量,"
    "店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,分阶段订单信息,"
    "特权订金订单id,是否上传合同照片,是否上传小票,是否代付,定金排名,修改后的sku,修改后的收货地址,"
    "异常信息,天猫卡券抵扣,集分宝抵扣,是否是O2O交易,新零售交易类型,新零售导购门店名称,"
    "新零售导购门店id,新零售发货门店名称,新零售发货门店id,退款金额,预约门店,确认收货时间,打款商家金额,"
    "含应开票给个人的个人红包,直播返现状态,返现金额,延迟发货自动赔付金额,预售订单,发货时间,商家备忘,"
    "主订单编号"
).split(",")
TMALL_ITEM_HEADER = (
    "子订单编号,主订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码,"
    "支付单号,买家应付货款,买家实际支付金额,退款状态,退款金额,订单创建时间,订单付款时间,商品id,"
    "分阶段订单信息,主订单备注,主订单买家留言,发货时间,物流单号,物流公司,是否赔付,赔付金额,赔付出账时间"
).split(",")
TMALL_STATUS = {
    "pending": "等待买家付款",
    "paid": "买家已付款，等待卖家发货",
    "shipped": "卖家已发货，等待买家确认",
    "completed": "交易成功",
    "cancelled": "交易关闭",
    "refunded": "交易关闭",
}
STORE_ADDRESS = "上海 上海市 静安区 南京西路1266号 栖木QIMU旗舰店(门店自提)"


def _tmall_status(o: Order) -> str:
    status = TMALL_STATUS[o.status]
    return status.replace("，", ",") if o.seq % 7 == 0 else status  # older exports: ASCII comma


def _tmall_alipay(o: Order) -> str:
    person = o.account.person
    if person.email and o.seq % 3 == 0:
        local, domain = person.email.split("@")
        return f"{local[:2]}***@{domain}"
    return mask(person.phone)


def _tmall_order_row(o: Order, order_no: str | None = None, excel: bool = False) -> list[str]:
    acc, person = o.account, o.account.person
    no = order_no or f'="{o.no}"'
    phone = A.SHOP_PHONE if o.pickup else mask(person.phone) if acc.masked else person.phone
    address = (
        STORE_ADDRESS
        if o.pickup
        else f"{person.province} {person.city} {person.district} {person.street}"
    )
    tracking, carrier = _tracking(o)
    fmt = (
        (lambda d: f"{d.year}/{d.month}/{d.day} {d.hour}:{d.minute:02d}" if d else "")
        if excel
        else ts
    )
    closed = {"cancelled": "买家不想买了" if o.seq % 2 else "超时未付款", "refunded": "退款"}
    return [
        no, acc.key, _tmall_alipay(o), money(o.goods - o.discount), money(o.shipping), "0",
        money(o.payable), "0", money(_paid_net(o)), "0", _tmall_status(o), "", person.name,
        address, "门店自提" if o.pickup else "快递", "", f"'{phone}", fmt(o.created), fmt(o.paid_at),
        "，".join(ln.product.title for ln in o.lines), str(len(o.lines)), tracking, carrier, "",
        str(sum(ln.qty for ln in o.lines)), "71896435", A.SHOP_NAMES["tmall"],
        closed.get(o.status, ""), "0", "0", "", "手机订单" if o.seq % 5 else "", "", "", "否", "否",
        "否", "", "", "", "", "0", "0", "否", "", "", "", "", "", money(o.refund),
        "栖木QIMU南京西路店" if o.pickup else "", fmt(o.finished_at),
        f"{money(_paid_net(o))}元", "0", "", "", "", "否", fmt(o.shipped_at), "", no,
    ]  # fmt: skip


def _tmall_item_rows(o: Order) -> list[list[str]]:
    tracking, carrier = _tracking(o)
    rows = []
    for k, ln in enumerate(o.lines):
        code = ln.product.outer_code
        net = ln.paid - ln.refund if o.paid_at else 0
        rows.append([
            ln.sub_no, o.no, ln.product.title, money(ln.unit), str(ln.qty), f"ERP{code[3:]}",
            A.line_spec(ln.product, o.seq + k), "", "", TMALL_STATUS[o.status], code,
            f"{o.paid_at:%Y%m%d}2200{o.seq:014d}" if o.paid_at else "", money(ln.paid),
            money(net), "退款成功" if ln.refund else "没有申请退款", money(ln.refund), ts(o.created),
            ts(o.paid_at), item_id("tmall", code), "", "", "", ts(o.shipped_at),
            f"No:{tracking}" if tracking else "", carrier, "否", "0.00", "",
        ])  # fmt: skip
    return rows


TMALL_EARLIER_EXPORT_DAYS = 14  # the seller also exported two weeks ago …
TMALL_RECENT_DAYS = 35  # … and today exported the last 35 days again (statuses moved on)


def tmall_exports(world: World) -> list[tuple[str, list[Order]]]:
    """(stamp, orders as that export shows them): a full export two weeks ago, a recent one today."""
    orders = [o for o in world.orders if o.platform == "tmall"]
    earlier = world.end - timedelta(days=TMALL_EARLIER_EXPORT_DAYS)
    taken = datetime.combine(earlier, time(8, 30))
    first = [v for o in orders if (v := order_as_of(o, taken)) is not None]
    since = world.end - timedelta(days=TMALL_RECENT_DAYS)
    recent = [o for o in orders if o.created.date() >= since]
    return [(f"{earlier:%Y%m%d}0830", first), (f"{world.end:%Y%m%d}0830", recent)]


def tmall_re_export_facts(world: World) -> dict[str, object]:
    """How the two Tmall exports overlap: the later one must win in the warehouse."""
    (first_stamp, first), (second_stamp, second) = tmall_exports(world)
    before = {o.no: TMALL_STATUS[o.status] for o in first}
    both = [o for o in second if o.no in before]
    changed = [o for o in both if TMALL_STATUS[o.status] != before[o.no]]
    return {
        "files": [f"ExportOrderList{first_stamp}.csv", f"ExportOrderList{second_stamp}.csv"],
        "orders_in_both": len(both),
        "status_changed": len(changed),
    }


def write_tmall(world: World, folder: Path) -> list[Path]:
    kw: dict[str, Any] = {"encoding": "gb18030", "newline": "\r\n"}
    paths = []
    for stamp, orders in tmall_exports(world):
        paths.append(
            write_rows(
                folder / f"ExportOrderList{stamp}.csv",
                TMALL_ORDER_HEADER,
                (_tmall_order_row(o) for o in orders),
                **kw,
            )
        )
        paths.append(write_rows(folder / f"ExportOrderDetailList{stamp}.csv", TMALL_ITEM_HEADER,
                                (r for o in orders for r in _tmall_item_rows(o)), **kw))  # fmt: skip
    # Three orders re-saved by Excel: 19-digit numbers became 3.6E+18 (quarantined; the same
    # orders are intact in the real export above, so nothing is lost).
    resaved = [o for o in world.orders if o.platform == "tmall" and o.paid_at][-3:]
    rows = [_tmall_order_row(o, f"{int(o.no):.2E}", excel=True) for o in resaved]
    paths.append(
        write_rows(folder / f"ExportOrderList{stamp}_Excel另存.csv", TMALL_ORDER_HEADER, rows, **kw)
    )
    return paths


# -- JD ------------------------------------------------------------------------------------------
JD_HEADER = (
    "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,"
    "订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,发票内容,商家备注,"
    "商家备注等级（等级1-5为由高到低）,运费金额,付款确认时间,增值税发票,货号,订单完成时间,订单来源,"
    "订单渠道,送装服务,服务费,仓库id,仓库名称,普通发票纳税编号,商家SKUID,邮箱地址,邮政编码,"
    "是否为品牌商订单,是否为toplife订单"
).split(",")
JD_STATUS = {
    "pending": "等待付款",
    "paid": "等待出库",
    "shipped": "等待确认收货",
    "completed": "完成",
    "cancelled": "已取消",
    "refunded": "已取消",
}


JD_PAYMENT = {"wechat": "微信支付", "unionpay": "银联在线支付", "card": "银行卡快捷支付"}


def _jd_status(o: Order) -> str:
    status = JD_STATUS[o.status]
    return (
        f"(删除){status}" if o.seq % 37 == 0 and o.status == "completed" else status
    )  # hidden by the buyer


def _jd_rows(o: Order) -> list[list[str]]:
    acc, person = o.account, o.account.person
    phone = mask(person.phone) if acc.masked else person.phone
    source = ("移动端订单", "PC订单", "微信订单", "暂无来源")[o.seq % 4]
    rows = []
    for ln in o.lines:
        code = ln.product.outer_code
        rows.append([
            o.no, item_id("jd", code), ln.product.title, str(ln.qty),
            JD_PAYMENT.get(o.channel, "在线支付"), ts(o.created),
            money(ln.unit), money(o.goods + o.shipping), money(o.payable), "0.00",
            money(o.payable), _jd_status(o), "销售订单", acc.key, person.name,
            f"{person.province}{person.city}{person.district}{person.street}", phone, "",
            "电子发票", "个人", "明细", "", "", money(o.shipping), ts(o.paid_at), "否", code,
            ts(o.finished_at), source, "", "", "0.00", "", "", "", code, acc.email_shown or "", "",
            "否", "否",
        ])  # fmt: skip
    return rows


def write_jd(world: World, folder: Path, stamp: str) -> list[Path]:
    orders = [o for o in world.orders if o.platform == "jd"]
    rows = (r for o in orders for r in _jd_rows(o))
    return [
        write_rows(
            folder / f"jd_订单导出_{stamp}.csv", JD_HEADER, rows, encoding="gbk", newline="\r\n"
        )
    ]


# -- Pinduoduo -----------------------------------------------------------------------------------
PDD_HEADER = (
    "商品,订单号,订单状态,商品数量(件),是否审核中,支付时间,承诺发货时间,承诺送达时间,发货时间,确认收货时间,"
    "商品id,商品规格,样式ID,商品一级类目,商品二级类目,商品三级类目,商品四级类目,商家编码-规格维度,"
    "商家编码-商品维度,商家备注,买家留言,售后状态,消费者资料,订单成交时间,消费者资料上传时间,赠品名称,"
    "赠品id,赠品规格,赠品数量,团ID,团身份,是否已开始配送,配送员是否已送达,配送状态,同城是否普通快递,"
    "商品总价(元),邮费(元),店铺优惠折扣(元),平台优惠折扣(元),多多支付立减金额(元),上门安装费(元),"
    "送货入户费(元),送货入户并安装费(元),用户实付金额(元),商家实收金额(元),快递单号,快递公司,省,市,区,"
    "街道/镇,配送员手机号,是否抽奖或0元试用,是否顺丰加价,用户购买手机号,旅行类信息,充值号码,是否门店自提,"
    "门店名称,门店自定义编码,关联货品编码,货品名称,货品类型,子货品,仓库名称,仓库所在地址,海淘清关订单号,"
    "支付ID,支付方式,保税仓,是否直播间成交,是否直播间引导成交,预约配送时间,是否节能补贴,是否分期,分期期数,"
    "手续费承担方,是否无痕发货,订单来源,是否社区团购,小区送达情况,分期方式"
).split(",")


def _pdd_status(o: Order) -> str:
    if o.status == "refunded":
        return (
            "未发货" if o.shipped_at is None else "已签收" if o.finished_at else "已发货"
        ) + "，退款成功"
    return {"pending": "待支付", "paid": "待发货", "shipped": "已发货，待签收",
            "completed": "已签收", "cancelled": "已取消"}[o.status]  # fmt: skip


def _pdd_row(o: Order, receiver: bool = False) -> list[str]:
    t = "\t"
    ln = o.lines[0]
    code = ln.product.outer_code
    person = o.account.person
    tracking, carrier = _tracking(o)
    pay = {"wechat": "微信支付", "alipay": "支付宝"}.get(o.channel, "")
    paid = o.payable if o.paid_at else 0
    spec = A.line_spec(ln.product, o.seq)
    row = [
        ln.product.title, t + o.no, _pdd_status(o), t + str(ln.qty), "否",
        ts(o.paid_at, t) if o.paid_at else t, ts(o.paid_at + timedelta(hours=48)) if o.paid_at else "",
        "", ts(o.shipped_at), ts(o.finished_at), item_id("pdd", code), spec,
        f"{int(item_id('pdd', code)) * 10 + 1}", ln.product.category, "", "", "",
        t + code, t + code, "", "", "退款成功" if o.status == "refunded" else "无售后或售后取消", "",
        ts(o.created), "", "", "", "", "", "", "", "", "", "", "",
        money(ln.gross), money(o.shipping), money(o.discount), "0.00", "0.00", "0.00", "0.00", "0.00",
        money(paid), thousands(paid), tracking, carrier, person.province, person.city,
        person.district, "", "", "否", "否", t, "", "", "否", "", "", "", "", "", "", "", "", "",
        t + f"{o.seq:020d}" if o.paid_at else "", pay, "否", "否", "否", "", "否", "否", "", "", "否",
        "APP", "否", "", "",
    ]  # fmt: skip
    if receiver:  # the older layout still named the receiver (masked phone)
        row += [person.name, mask(person.phone)]
    return row


def write_pdd(world: World, folder: Path, stamp: str) -> list[Path]:
    """Two exports: the older year with full-width （元） headers, the recent months with (元)."""
    orders = [o for o in world.orders if o.platform == "pdd"]
    split = world.end - timedelta(days=183)
    older = [o for o in orders if o.created.date() < split]
    recent = [o for o in orders if o.created.date() >= split]
    # the older export: full-width （元） headers and the receiver (收货人, masked 手机) still there
    wide = [h.replace("(元)", "（元）") for h in PDD_HEADER] + ["收货人", "手机"]
    return [
        write_rows(folder / f"pdd_orders_{split - timedelta(days=1):%Y%m%d}.csv", wide,
                   (_pdd_row(o, receiver=True) for o in older), newline="\r\n"),
        write_rows(folder / f"pdd_orders_{stamp}.csv", PDD_HEADER, (_pdd_row(o) for o in recent),
                   newline="\r\n"),
    ]  # fmt: skip


# -- Douyin --------------------------------------------------------------------------------------
DOUYIN_HEADER = (
    "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,优惠总金额,"
    "平台优惠,商家优惠,达人优惠,商家改价,支付优惠,红包抵扣,支付方式,手续费,收件人,收件人手机号,省,市,区,"
    "街道,详细地址,是否修改过地址,买家留言,订单提交时间,旗帜颜色,商家备注,订单完成时间,支付完成时间,APP渠道,"
    "流量来源,订单状态,承诺发货时间,订单类型,鲁班落地页ID,达人ID,达人昵称,所属门店ID,售后状态,取消原因,"
    "预约发货时间,仓库ID,仓库名称,是否安心购,广告渠道,流量类型,流量体裁,流量渠道,发货主体,发货主体明细,"
    "发货时间,降价类优惠,平台实际承担优惠金额,商家实际承担优惠金额,达人实际承担优惠金额,预计送达时间,"
    "是否平台仓自流转,车型,预约送达时间,建议发货时间（起）,建议发货时间（止）,商品69码,发货SN码,发货IMEI码1,"
    "发货IMEI码2,物流SN码,物流IMEI码1,物流IMEI码2"
).split(",")
DOUYIN_STATUS = {"pending": "待支付", "paid": "待发货", "shipped": "已发货", "completed": "已完成",
                 "cancelled": "已关闭", "refunded": "已关闭"}  # fmt: skip


def _douyin_rows(o: Order, live_day: date) -> list[list[str]]:
    t, d = "\t", "-"
    person = o.account.person
    live = o.created.date() == live_day and o.created.hour >= 20
    pay = {"wechat": "微信", "alipay": "支付宝"}.get(o.channel, d)
    rows = []
    for k, ln in enumerate(o.lines):
        code = ln.product.outer_code
        rows.append([
            t + o.no, t + ln.sub_no, ln.product.title, A.line_spec(ln.product, o.seq + k), str(ln.qty),
            t + item_id("douyin", code), code, money(ln.unit), money(ln.paid), "0.00",
            money(ln.discount), "0.00", money(ln.discount), "0.00", "0.00", "0.00", "0.00", pay,
            "0.00", person.name[0] + "**", mask(person.phone), person.province, person.city,
            person.district, d, "##" + f"{o.seq * 7919:x}" + "##", "否", d, ts(o.created), d, d,
            ts(o.finished_at, d), ts(o.paid_at, d), "抖音", "直播" if live else "商品卡",
            DOUYIN_STATUS[o.status], ts(o.paid_at + timedelta(hours=48), d) if o.paid_at else d,
            "普通订单", d, "71893456210" if live else d, "栖木QIMU官方直播间" if live else d, d,
            "退款成功" if o.status == "refunded" else d, "主品订单售后完成" if o.status == "refunded" else d,
            d, d, d, "否", d, "自然流量", "直播" if live else "商品卡", d, "商家", d,
            ts(o.shipped_at, d), "0.00", "0.00", money(ln.discount), "0.00", d, "否", d, d, d, d,
            d, d, d, d, d, d, d,
        ])  # fmt: skip
    return rows


def write_douyin(world: World, folder: Path, stamp: str, live_day: date) -> list[Path]:
    rows = (r for o in world.orders if o.platform == "douyin" for r in _douyin_rows(o, live_day))
    return [
        write_rows(
            folder / f"抖店订单导出_{stamp}.csv",
            DOUYIN_HEADER,
            rows,
            encoding="utf-8-sig",
            quote_tabs=True,
        )
    ]


# -- Shopify -------------------------------------------------------------------------------------
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,"
    "Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
    "Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,"
    "Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,"
    "Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,"
    "Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,"
    "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")
SHOPIFY_REPEATED = {"Name", "Email", "Created at", "Vendor"}
SHOPIFY_PAYMENT = {"card": "Shopify Payments", "alipay": "Alipay", "wechat": "WeChat Pay"}


PINYIN_EXCEPTIONS = {"陕西省": "Shaanxi"}


def pinyin_place(name: str, suffix: bool = False) -> str:
    """A Chinese place as Shopify stores write it: pinyin, e.g. 广东省 -> Guangdong, 深圳市 ->
    Shenzhen, 浦东新区 -> Pudong Xinqu (with `suffix`)."""
    from pypinyin import lazy_pinyin

    if name in PINYIN_EXCEPTIONS:
        return PINYIN_EXCEPTIONS[name]
    for tail, word in (("新区", "Xinqu"), ("区", "Qu"), ("省", ""), ("市", "")):
        if name.endswith(tail) and len(name) > len(tail) + 1:
            stem = "".join(lazy_pinyin(name[: -len(tail)])).capitalize()
            return f"{stem} {word}".strip() if suffix or not word else stem
    return "".join(lazy_pinyin(name)).capitalize()


def _shopify_ts(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} +0800" if value else ""


def _shopify_financial(o: Order) -> str:
    if o.paid_at is None:
        return "pending" if o.status == "pending" else "voided"
    if o.status == "refunded":
        return "refunded"
    return "partially_refunded" if o.refund else "paid"


def _shopify_rows(o: Order) -> list[list[str]]:
    acc, person = o.account, o.account.person
    email = acc.email_shown or ""
    created = _shopify_ts(o.created)
    fulfilled = o.shipped_at is not None and o.status != "refunded"
    code = {(6, 18): "SALE618", (11, 11): "DOUBLE11"}.get(
        (o.created.month, o.created.day), "WELCOME10"
    )
    phone = acc.phone_shown or ""
    # a Chinese address in pinyin, as Shopify checkouts store it
    province, city = pinyin_place(person.province), pinyin_place(person.city)
    street = f"{person.street}, {pinyin_place(person.district, suffix=True)}"
    address = [person.name, street, street, "", "", city, "200000", province, "CN", phone]
    rows = []
    for i, ln in enumerate(o.lines):
        spec = dict(p.partition(":")[::2] for p in A.line_spec(ln.product, o.seq + i).split(";"))
        variant = " / ".join(v for v in (spec.get("颜色分类"), spec.get("尺码")) if v)
        name = f"{ln.product.title} - {variant}" if spec.get("尺码") else ln.product.title
        item = [str(ln.qty), name, money(ln.unit), "", ln.product.outer_code, "true", "false",
                "fulfilled" if fulfilled else "pending"]  # fmt: skip
        row = [
            o.no, email, _shopify_financial(o), _shopify_ts(o.paid_at) if o.seq % 5 else "",
            "fulfilled" if fulfilled else "unfulfilled", _shopify_ts(o.shipped_at) if fulfilled else "",
            "yes" if o.seq % 3 == 0 else "no", "CNY", money(o.goods - o.discount), money(o.shipping),
            "0.00", money(o.payable), code if o.discount else "", money(o.discount),
            "Standard Shipping", created, *item, *address, *address, "", "",
            _shopify_ts(o.created + timedelta(hours=1)) if o.status == "cancelled" else "",
            SHOPIFY_PAYMENT.get(o.channel, ""), f"c{o.seq:011d}.1" if o.paid_at else "",
            money(o.refund), "QIMU", "0.00" if o.paid_at else money(o.payable), "", "", "",
            f"{5803000000000 + o.seq * 17}", "", "Low", "web", money(ln.discount),
            *[""] * 10, phone, "", "", province, province,
            f"p{o.seq:012d}" if o.paid_at else "", "", "", f"c{o.seq:011d}.1" if o.paid_at else "",
        ]  # fmt: skip
        if i:  # later lines of an order repeat only the order name, e-mail, date and line fields
            row = [v if SHOPIFY_HEADER[k] in SHOPIFY_REPEATED or SHOPIFY_HEADER[k].startswith("Lineitem")
                   else "" for k, v in enumerate(row)]  # fmt: skip
        rows.append(row)
    return rows


SHOPIFY_CUSTOMER_HEADER = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags"
).split(",")
PROVINCE_CODES = {"上海": "SH", "北京": "BJ", "广东省": "GD", "浙江省": "ZJ", "江苏省": "JS",
                  "四川省": "SC", "湖北省": "HB", "山东省": "SD", "福建省": "FJ", "河南省": "HA",
                  "湖南省": "HN", "陕西省": "SN", "重庆": "CQ", "天津": "TJ", "辽宁省": "LN",
                  "云南省": "YN"}  # fmt: skip


def _shopify_customer_rows(world: World) -> list[list[str]]:
    """customers_export.csv: ids, zips and phones carry Excel's leading `'`."""
    spent: dict[int, list[int]] = {}
    first: dict[int, Order] = {}
    for o in world.orders:
        if o.platform == "shopify":
            totals = spent.setdefault(id(o.account), [0, 0])
            totals[0] += _paid_net(o)
            totals[1] += 1
            first.setdefault(id(o.account), o)
    rows = []
    for key, o in sorted(first.items(), key=lambda kv: kv[1].seq):
        acc, person = o.account, o.account.person
        phone = f"'{acc.phone_shown}" if acc.phone_shown else ""
        rows.append([
            f"'{7004000000000 + o.seq * 31}", person.name[1:], person.name[0], acc.email_shown or "",
            "yes" if o.seq % 3 == 0 else "no", "", f"{person.district}{person.street}", "",
            pinyin_place(person.city), PROVINCE_CODES[person.province], "CN", "'200000", phone,
            phone, "no",
            money(spent[key][0]), str(spent[key][1]), "", "no", "",
        ])  # fmt: skip
    return rows


def write_shopify(world: World, folder: Path) -> list[Path]:
    rows = (r for o in world.orders if o.platform == "shopify" for r in _shopify_rows(o))
    return [
        write_csv(
            folder / "customers_export.csv", SHOPIFY_CUSTOMER_HEADER, _shopify_customer_rows(world)
        ),
        write_csv(folder / "orders_export_1.csv", SHOPIFY_HEADER, rows),
    ]
