"""Names people use for warehouse values: platform, status and payment aliases, Brazilian states
(English, Portuguese, Chinese), Chinese province pinyin. Data only. (Category and product words in
both languages are the catalog's glossary: catalog/default/glossary.yaml.)"""

from __future__ import annotations

# fmt: off

PLATFORM_ALIASES = {
    'tmall': ['天猫', 'tmall', 't-mall', '天猫商城'], 'taobao': ['淘宝', 'taobao', '淘宝网'],
    'jd': ['京东', 'jd', 'jd.com', 'jingdong'], 'pdd': ['拼多多', 'pdd', 'pinduoduo'],
    'pinduoduo': ['拼多多', 'pinduoduo', 'pdd'], 'douyin': ['抖音', 'douyin', 'tiktok', '抖店'],
    'kuaishou': ['快手', 'kuaishou'], 'xiaohongshu': ['小红书', 'xiaohongshu'],
    'wechat': ['微信小店', '微店', '小程序', 'wechat shop'], 'youzan': ['有赞', 'youzan'],
    'shopify': ['shopify'], 'amazon': ['亚马逊', 'amazon'], 'olist': ['olist'],
}

STATUS_ALIASES = {
    'pending': ['待付款', '未付款', 'unpaid', 'pending'], 'paid': [
        '待发货', '已付款未发货', '未发货', '还没发货', '等待发货', '等发货', 'awaiting shipment',
        'waiting to ship', 'waiting to be shipped', 'not shipped yet', 'not yet shipped', 'unshipped',
        'yet to ship', 'pending shipment', 'still waiting to ship', 'still waiting to be shipped',
        "haven't shipped yet", "hasn't shipped yet", "haven't been shipped yet", "haven't shipped",
        "haven't been shipped", 'not shipped', 'not been shipped yet', '尚未发货', '还未发货',
        # "付了款但还没发货的单": 但 joins the payment said before to the state (paid, unshipped)
        '但还没发货', '但是还没发货', '但尚未发货', '但是尚未发货', '但还未发货', '但未发货',
    ],
    'shipped': ['已发货', 'shipped', 'in transit', '运输中'],
    'completed': ['交易成功', '已完成', '已签收', 'completed', 'delivered', 'finished'],
    'cancelled': ['交易关闭', '已取消', '已关闭', 'cancelled', 'canceled', 'closed', '取消', 'cancellation', 'cancellations', 'cancel', 'cancels'],  # 'cancel rate': the verb's rate is the state's
    'refunded': ['已退款', '退款成功', 'refunded'],
}

CHANNEL_ALIASES = {
    'alipay': ['支付宝', 'alipay'], 'wechat_pay': ['微信支付', 'wechat pay', '微信'],
    'wechat': ['微信支付', 'wechat pay', '微信'], 'credit_card': ['信用卡', 'credit card', 'credit cards'],
    'debit_card': ['借记卡', 'debit card'], 'boleto': ['boleto'],
    'voucher': ['优惠券支付', 'voucher', 'vouchers'], 'unionpay': ['银联', '云闪付', 'unionpay'],
    'huabei': ['花呗', 'huabei'],
    # a card payment where the export says only "card" (the demo's Shopify store)
    'card': ['刷卡', '信用卡', '银行卡', '刷卡支付', '刷卡付', 'card payment', 'card payments', 'paid by card', 'credit card', 'credit cards'],
}

# Countries: ISO 3166-1 code (what the warehouse holds for CN/BR …) and the names people write.
COUNTRY_NAMES = {
    'CN': ['china', '中国', '中国大陆'], 'BR': ['brazil', 'brasil', '巴西'], 'US': ['usa', 'united states', '美国'],
    'GB': ['united kingdom', 'uk', 'britain', '英国'], 'JP': ['japan', '日本'], 'DE': ['germany', '德国'],
    'FR': ['france', '法国'], 'KR': ['korea', 'south korea', '韩国'], 'HK': ['hong kong', '香港'],
    'TW': ['taiwan', '台湾'], 'SG': ['singapore', '新加坡'], 'AU': ['australia', '澳大利亚'],
    'CA': ['canada', '加拿大'], 'IE': ['ireland', 'eire', '爱尔兰'], 'ES': ['spain', '西班牙'],
    'NL': ['netherlands', '荷兰'], 'IT': ['italy', '意大利'], 'MY': ['malaysia', '马来西亚'],
    'TH': ['thailand', '泰国'], 'VN': ['vietnam', '越南'],
    'BE': ['belgium', '比利时'], 'CH': ['switzerland', '瑞士'], 'PT': ['portugal', '葡萄牙'],
    'NO': ['norway', '挪威'], 'FI': ['finland', '芬兰'], 'SE': ['sweden', '瑞典'], 'AT': ['austria', '奥地利'],
    'DK': ['denmark', '丹麦'], 'PL': ['poland', '波兰'], 'CY': ['cyprus', '塞浦路斯'], 'GR': ['greece', '希腊'],
    'IL': ['israel', '以色列'], 'IS': ['iceland', '冰岛'], 'MT': ['malta', '马耳他'], 'LB': ['lebanon', '黎巴嫩'],
    'LT': ['lithuania', '立陶宛'], 'CZ': ['czech republic', 'czechia', '捷克'], 'BH': ['bahrain', '巴林'],
    'SA': ['saudi arabia', '沙特', '沙特阿拉伯'], 'AE': ['united arab emirates', 'uae', '阿联酋'],
    'ZA': ['rsa', 'south africa', '南非'], 'XC': ['channel islands', '海峡群岛'],
    'EU': ['european community', '欧共体', '欧洲共同体'],
}

# "french customers", "german buyers": a country's people, said with its adjective (only before
# a word for people: "french lavender" is a product word, not France)
COUNTRY_DEMONYMS = {
    'CN': 'chinese', 'BR': 'brazilian', 'US': 'american', 'GB': 'british', 'JP': 'japanese',
    'DE': 'german', 'FR': 'french', 'KR': 'korean', 'SG': 'singaporean', 'AU': 'australian',
    'CA': 'canadian', 'IE': 'irish', 'ES': 'spanish', 'NL': 'dutch', 'IT': 'italian',
    'BE': 'belgian', 'CH': 'swiss', 'PT': 'portuguese', 'NO': 'norwegian', 'FI': 'finnish',
    'SE': 'swedish', 'AT': 'austrian', 'DK': 'danish', 'PL': 'polish', 'CY': 'cypriot',
    'GR': 'greek', 'IL': 'israeli', 'IS': 'icelandic', 'MT': 'maltese', 'LB': 'lebanese',
    'LT': 'lithuanian', 'CZ': 'czech', 'SA': 'saudi', 'ZA': 'south african',
}
DEMONYM_PEOPLE = ('customers', 'customer', 'buyers', 'buyer', 'clients', 'client', 'shoppers', 'people')

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

# fmt: on
