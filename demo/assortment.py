"""The demo brand's goods and the places and names of its buyers (static reference data).

栖木 QIMU is a fashion-and-home brand: clothing, home textiles, furniture and decor, sold under one
seller code (商家编码, the canonical `outer_code`) on every platform.
"""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "栖木QIMU"
SHOP_NAMES = {
    "tmall": "栖木QIMU旗舰店",
    "jd": "栖木QIMU京东自营旗舰店",
    "pdd": "栖木生活家居店",
    "douyin": "栖木QIMU官方旗舰店",
    "shopify": "QIMU Home & Wear",
}
# The flagship store's own phone: written as the contact phone of store-pickup orders, so it is
# shared by many unrelated buyers and must never join them into one person.
SHOP_PHONE = "13917760000"
WAREHOUSES = ("华东仓(嘉兴)", "华南仓(东莞)")


@dataclass(frozen=True)
class Product:
    """One sellable SKU with the seller code every platform shares."""

    outer_code: str
    title: str
    category: str  # top-level category, as the brand reports it
    spec: str  # 商品规格 / 商品属性
    price: float  # list price on Tmall in CNY
    cost: float
    season: str  # winter | summer | all
    weight: float  # relative popularity


def _p(code: str, title: str, cat: str, spec: str, price: float, season: str, w: float) -> Product:
    return Product(code, title, cat, spec, price, round(price * 0.42, 2), season, w)


PRODUCTS: tuple[Product, ...] = (
    _p(
        "QM-WC-2301",
        "栖木 羊羔毛短款外套 女 秋冬加厚",
        "女装",
        "颜色分类:奶杏色;尺码:M",
        459.0,
        "winter",
        0.0,
    ),
    _p(
        "QM-WC-2302",
        "栖木 双面羊绒大衣 女 中长款",
        "女装",
        "颜色分类:燕麦色;尺码:M",
        1299.0,
        "winter",
        1.2,
    ),
    _p(
        "QM-WC-2303",
        "栖木 轻薄羽绒服 女 90白鸭绒",
        "女装",
        "颜色分类:雾霾蓝;尺码:L",
        699.0,
        "winter",
        2.0,
    ),
    _p(
        "QM-WK-2311", "栖木 圆领羊毛针织衫 女", "女装", "颜色分类:米白;尺码:S", 329.0, "winter", 2.4
    ),
    _p(
        "QM-WD-2401",
        "栖木 法式碎花连衣裙 女 夏",
        "女装",
        "颜色分类:蓝碎花;尺码:M",
        289.0,
        "summer",
        2.6,
    ),
    _p(
        "QM-WD-2402",
        "栖木 亚麻衬衫裙 女 宽松",
        "女装",
        "颜色分类:本白;尺码:M",
        359.0,
        "summer",
        1.6,
    ),
    _p(
        "QM-WT-2411",
        "栖木 基础款纯棉T恤 女 短袖",
        "女装",
        "颜色分类:白色;尺码:M",
        99.0,
        "summer",
        4.0,
    ),
    _p("QM-WP-2421", "栖木 高腰阔腿西装裤 女", "女装", "颜色分类:黑色;尺码:M", 259.0, "all", 2.2),
    _p("QM-MS-2431", "栖木 男士免烫牛津纺衬衫", "男装", "颜色分类:浅蓝;尺码:40", 239.0, "all", 1.8),
    _p("QM-MT-2432", "栖木 男士重磅纯棉T恤", "男装", "颜色分类:黑色;尺码:L", 129.0, "summer", 2.4),
    _p("QM-MJ-2433", "栖木 男士连帽羽绒服", "男装", "颜色分类:藏青;尺码:XL", 899.0, "winter", 1.1),
    _p("QM-MP-2434", "栖木 男士休闲直筒裤", "男装", "颜色分类:卡其;尺码:32", 219.0, "all", 1.5),
    _p("QM-AC-2501", "栖木 羊绒围巾 纯色", "配饰", "颜色分类:驼色", 269.0, "winter", 1.4),
    _p("QM-AC-2502", "栖木 帆布托特包 大容量", "配饰", "颜色分类:米色", 139.0, "all", 1.9),
    _p("QM-AC-2503", "栖木 真丝发圈 三只装", "配饰", "颜色分类:混色", 59.0, "all", 2.2),
    _p(
        "QM-BD-2601",
        "栖木 60支长绒棉四件套 1.8m床",
        "家纺",
        "颜色分类:雾白;规格:1.8m床",
        699.0,
        "all",
        1.7,
    ),
    _p(
        "QM-BD-2602",
        "栖木 水洗棉夏凉被",
        "家纺",
        "颜色分类:浅灰;规格:200x230cm",
        299.0,
        "summer",
        1.3,
    ),
    _p(
        "QM-BD-2603",
        "栖木 蚕丝被 冬厚被",
        "家纺",
        "颜色分类:白色;规格:200x230cm",
        1099.0,
        "winter",
        0.9,
    ),
    _p("QM-BD-2604", "栖木 纯棉毛巾 四条装", "家纺", "颜色分类:混色", 79.0, "all", 3.0),
    _p("QM-BD-2605", "栖木 记忆棉枕头 一对", "家纺", "规格:一对装", 199.0, "all", 1.6),
    _p(
        "QM-FN-2701",
        "栖木 奶油风云朵布艺沙发 三人位",
        "家具",
        "颜色分类:奶白;规格:三人位2.1m",
        3999.0,
        "all",
        0.35,
    ),
    _p(
        "QM-FN-2702",
        "栖木 实木小户型沙发 双人位",
        "家具",
        "颜色分类:原木色;规格:双人位1.6m",
        2699.0,
        "all",
        0.3,
    ),
    _p(
        "QM-FN-2711",
        "栖木 岩板圆形茶几",
        "家具",
        "颜色分类:鱼肚白;规格:直径80cm",
        899.0,
        "all",
        0.15,
    ),
    _p(
        "QM-FN-2712",
        "栖木 实木长方形茶几",
        "家具",
        "颜色分类:胡桃色;规格:120x60cm",
        1199.0,
        "all",
        0.1,
    ),
    _p("QM-FN-2721", "栖木 北欧边几 小圆桌", "家具", "颜色分类:白色", 299.0, "all", 0.5),
    _p(
        "QM-DC-2801",
        "栖木 陶瓷花瓶 侘寂风",
        "家居饰品",
        "颜色分类:米白;规格:中号",
        129.0,
        "all",
        1.4,
    ),
    _p("QM-DC-2802", "栖木 香薰蜡烛 礼盒", "家居饰品", "香型:白茶", 169.0, "all", 1.8),
    _p("QM-DC-2803", "栖木 羊毛地毯 客厅", "家居饰品", "规格:160x230cm", 1299.0, "winter", 0.6),
    _p("QM-DC-2804", "栖木 亚麻抱枕套 两只装", "家居饰品", "颜色分类:燕麦色", 89.0, "all", 2.0),
    _p("QM-DC-2805", "栖木 落地灯 原木", "家居饰品", "规格:1.5m", 459.0, "all", 0.5),
)
HOT_PRODUCT = "QM-WC-2301"  # went viral in a Douyin live session and sold out
SOFAS = ("QM-FN-2701", "QM-FN-2702")
COFFEE_TABLES = ("QM-FN-2711", "QM-FN-2712")
CATEGORIES = tuple(sorted({p.category for p in PRODUCTS}))
SIZE_RUNS = (("S", "M", "L", "XL"), ("38", "39", "40", "41", "42"), ("29", "30", "31", "32", "33"))


def line_spec(product: Product, n: int) -> str:
    """The variant a line was bought in: the product's colour with a size from its size run,
    picked from `n` (no random draw, so the rest of the demo stays as it was)."""
    out = []
    for part in product.spec.split(";"):
        key, _, value = part.partition(":")
        if key == "尺码":
            run = next((r for r in SIZE_RUNS if value in r), (value,))
            value = run[n % len(run)]
        out.append(f"{key}:{value}")
    return ";".join(out)


# (province as platforms write it, cities with districts, weight)
GEOGRAPHY: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...], float], ...] = (
    ("上海", (("上海市", ("浦东新区", "徐汇区", "静安区", "闵行区")),), 9.0),
    ("北京", (("北京市", ("朝阳区", "海淀区", "东城区", "丰台区")),), 8.0),
    ("广东省", (("广州市", ("天河区", "越秀区")), ("深圳市", ("南山区", "福田区"))), 11.0),
    ("浙江省", (("杭州市", ("西湖区", "余杭区")), ("宁波市", ("鄞州区", "海曙区"))), 10.0),
    ("江苏省", (("南京市", ("鼓楼区", "建邺区")), ("苏州市", ("姑苏区", "工业园区"))), 10.0),
    ("四川省", (("成都市", ("武侯区", "锦江区", "高新区")),), 6.0),
    ("湖北省", (("武汉市", ("江汉区", "洪山区")),), 5.0),
    ("山东省", (("济南市", ("历下区",)), ("青岛市", ("市南区", "崂山区"))), 6.0),
    ("福建省", (("厦门市", ("思明区", "湖里区")), ("福州市", ("鼓楼区",))), 4.0),
    ("河南省", (("郑州市", ("金水区", "二七区")),), 4.0),
    ("湖南省", (("长沙市", ("岳麓区", "天心区")),), 4.0),
    ("陕西省", (("西安市", ("雁塔区", "碑林区")),), 3.0),
    ("重庆", (("重庆市", ("渝北区", "江北区")),), 4.0),
    ("天津", (("天津市", ("和平区", "南开区")),), 3.0),
    ("辽宁省", (("沈阳市", ("和平区",)), ("大连市", ("中山区",))), 3.0),
    ("云南省", (("昆明市", ("五华区",)),), 2.0),
)
STREETS = (
    "人民路",
    "建设路",
    "解放路",
    "中山路",
    "和平街",
    "文化路",
    "新华路",
    "长江路",
    "滨江大道",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉琳雪梅婷慧晨宇欣然子涵思雨佳怡浩轩嘉诗琪"
NICK_WORDS = (
    "小鱼",
    "糖糖",
    "阿木",
    "柚子",
    "橙子",
    "小熊",
    "momo",
    "lily",
    "晴天",
    "木木",
    "叮当",
    "豆豆",
    "anna",
    "kiki",
    "小鹿",
    "奶茶",
    "一只猫",
    "暖阳",
    "西西",
    "sunny",
)
EMAIL_DOMAINS = (
    "qq.com",
    "163.com",
    "126.com",
    "gmail.com",
    "outlook.com",
    "foxmail.com",
    "sina.com",
)
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "186",
    "187",
    "188",
    "189",
)
