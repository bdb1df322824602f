"""Names people use for warehouse values: platform, status and payment aliases, Brazilian states
(English, Portuguese, Chinese), Chinese province pinyin, Chinese names of categories, and the
Chinese words product titles use for English product nouns. Data only."""

from __future__ import annotations

# fmt: off

PLATFORM_ALIASES = {
    'tmall': ['天猫', 'tmall', 't-mall', '天猫商城'], 'taobao': ['淘宝', 'taobao', '淘宝网'],
    'jd': ['京东', 'jd', 'jd.com', 'jingdong'], 'pdd': ['拼多多', 'pdd', 'pinduoduo'],
    'pinduoduo': ['拼多多', 'pinduoduo'], 'douyin': ['抖音', 'douyin', 'tiktok', '抖店'],
    'kuaishou': ['快手', 'kuaishou'], 'xiaohongshu': ['小红书', 'xiaohongshu'],
    'wechat': ['微信小店', '微店', '小程序', 'wechat shop'], 'youzan': ['有赞', 'youzan'],
    'shopify': ['shopify'], 'amazon': ['亚马逊', 'amazon'], 'olist': ['olist'],
}

STATUS_ALIASES = {
    'pending': ['待付款', '未付款', 'unpaid', 'pending'], 'paid': ['待发货', '已付款未发货', 'awaiting shipment'],
    'shipped': ['已发货', 'shipped', 'in transit', '运输中'],
    'completed': ['交易成功', '已完成', '已签收', 'completed', 'delivered', 'finished'],
    'cancelled': ['交易关闭', '已取消', '已关闭', 'cancelled', 'canceled', 'closed', '取消'],
    'refunded': ['已退款', '退款成功', 'refunded'],
}

CHANNEL_ALIASES = {
    'alipay': ['支付宝', 'alipay'], 'wechat_pay': ['微信支付', 'wechat pay', '微信'],
    'wechat': ['微信支付', 'wechat pay', '微信'], 'credit_card': ['信用卡', 'credit card', 'credit cards'],
    'debit_card': ['借记卡', 'debit card'], 'boleto': ['boleto'],
    'voucher': ['优惠券支付', 'voucher', 'vouchers'], 'unionpay': ['银联', '云闪付', 'unionpay'],
    'huabei': ['花呗', 'huabei'],
}

# Olist's states: the code is what the data holds; people write the name.
BRAZIL_STATES = {
    'SP': 'são paulo', 'RJ': 'rio de janeiro', 'MG': 'minas gerais', 'RS': 'rio grande do sul',
    'PR': 'paraná', 'SC': 'santa catarina', 'BA': 'bahia', 'DF': 'distrito federal', 'GO': 'goiás',
    'ES': 'espírito santo', 'PE': 'pernambuco', 'CE': 'ceará', 'PA': 'pará', 'MT': 'mato grosso',
    'MA': 'maranhão', 'MS': 'mato grosso do sul', 'PB': 'paraíba', 'PI': 'piauí',
    'RN': 'rio grande do norte', 'AL': 'alagoas', 'SE': 'sergipe', 'TO': 'tocantins',
    'RO': 'rondônia', 'AM': 'amazonas', 'AC': 'acre', 'AP': 'amapá', 'RR': 'roraima',
}

BRAZIL_STATES_ZH = {
    'SP': '圣保罗', 'RJ': '里约热内卢', 'MG': '米纳斯吉拉斯', 'RS': '南里奥格兰德', 'PR': '巴拉那', 'SC': '圣卡塔琳娜',
    'BA': '巴伊亚', 'DF': '联邦区', 'ES': '圣埃斯皮里图', 'GO': '戈亚斯', 'PE': '伯南布哥', 'CE': '塞阿拉', 'PA': '帕拉',
    'MT': '马托格罗索', 'AM': '亚马孙',
}

# Chinese names of categories (keyed by the English names of Olist's translation table).
CATEGORY_ZH = {
    'bed_bath_table': ['床上用品', '床品卫浴', '家纺'], 'health_beauty': ['健康美容', '美妆个护', '美容'],
    'sports_leisure': ['运动休闲', '运动户外'], 'furniture_decor': ['家具装饰', '家居装饰'],
    'computers_accessories': ['电脑配件', '电脑周边'], 'housewares': ['家居用品', '家庭用品'],
    'watches_gifts': ['手表礼品', '钟表礼品'], 'telephony': ['手机通讯', '电话'], 'toys': ['玩具'],
    'auto': ['汽车用品', '汽车'], 'perfumery': ['香水'], 'baby': ['母婴', '婴儿用品'], 'garden_tools': ['园艺工具'],
    'cool_stuff': ['潮流好物'], 'electronics': ['电子产品', '数码'], 'stationery': ['文具'],
    'fashion_bags_accessories': ['箱包配饰'], 'pet_shop': ['宠物用品', '宠物'], 'office_furniture': ['办公家具'],
    'consoles_games': ['游戏机'], 'luggage_accessories': ['旅行箱包'],
    'construction_tools_construction': ['建筑工具'], 'home_appliances': ['家用电器', '家电'],
    'musical_instruments': ['乐器'], 'small_appliances': ['小家电'], 'food': ['食品'],
    'drinks': ['饮料', '酒水'], 'food_drink': ['食品饮料'], 'books_general_interest': ['图书'],
    'fashion_shoes': ['鞋'], 'furniture_living_room': ['客厅家具'], 'computers': ['电脑'],
    'audio': ['音响'], 'fashion_male_clothing': ['男装'], 'fashio_female_clothing': ['女装'],
    'fashion_childrens_clothes': ['童装'], 'air_conditioning': ['空调'],
    'christmas_supplies': ['圣诞用品'], 'furniture_bedroom': ['卧室家具'],
    'kitchen_dining_laundry_garden_furniture': ['厨房餐厅家具'], 'market_place': ['综合市场'],
    'tablets_printing_image': ['平板打印'], 'flowers': ['鲜花'],
}

# Chinese provinces in pinyin, for English questions on Chinese data.
PROVINCE_PINYIN = {
    '广东': 'guangdong', '浙江': 'zhejiang', '江苏': 'jiangsu', '上海': 'shanghai', '北京': 'beijing',
    '山东': 'shandong', '四川': 'sichuan', '湖北': 'hubei', '湖南': 'hunan', '河南': 'henan', '河北': 'hebei',
    '福建': 'fujian', '安徽': 'anhui', '辽宁': 'liaoning', '陕西': 'shaanxi', '重庆': 'chongqing',
    '天津': 'tianjin', '云南': 'yunnan', '广西': 'guangxi', '江西': 'jiangxi', '山西': 'shanxi',
    '黑龙江': 'heilongjiang', '吉林': 'jilin', '贵州': 'guizhou', '甘肃': 'gansu', '内蒙古': 'inner mongolia',
    '新疆': 'xinjiang', '海南': 'hainan', '宁夏': 'ningxia', '青海': 'qinghai', '西藏': 'tibet',
    '香港': 'hong kong', '澳门': 'macau', '台湾': 'taiwan',
}

PROVINCE_SUFFIXES = ('壮族自治区', '回族自治区', '维吾尔自治区', '特别行政区', '自治区', '省', '市')

# English product nouns and the Chinese words titles use for them (titles are often Chinese).
PRODUCT_WORDS = {
    'sofa': ['沙发'], 'sofas': ['沙发'], 'coffee table': ['茶几'], 'coffee tables': ['茶几'],
    'table': ['桌', '茶几'], 'chair': ['椅'], 'bed': ['床'], 'lamp': ['灯'], 'rug': ['地毯'],
    'curtain': ['窗帘'], 'pillow': ['枕'], 'towel': ['毛巾'], 'towels': ['毛巾'], 't-shirt': ['T恤', 't恤'],
    't-shirts': ['T恤', 't恤'], 'tee': ['T恤'], 'dress': ['连衣裙'], 'dresses': ['连衣裙'],
    'coat': ['大衣', '外套'], 'coats': ['大衣', '外套'], 'jacket': ['外套', '夹克'], 'down jacket': ['羽绒服'],
    'down jackets': ['羽绒服'], 'sweater': ['针织衫', '毛衣'], 'sweaters': ['针织衫', '毛衣'], 'shirt': ['衬衫'],
    'jeans': ['牛仔裤'], 'pants': ['裤'], 'scarf': ['围巾'], 'hat': ['帽'], 'bag': ['包'], 'shoes': ['鞋'],
    'socks': ['袜'], 'cashmere': ['羊绒'], 'wool': ['羊毛'], 'cotton': ['纯棉', '棉'], 'duvet': ['被'],
    'bedding': ['四件套', '床品'], 'vase': ['花瓶'], 'candle': ['蜡烛', '香薰'],
}

# fmt: on
