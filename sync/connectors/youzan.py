"""Youzan (有赞): orders (订单数据), order lines (商品数据) and customers (客户数据) exports.

The mapping, its status table and its money rules live in ``sync/sources/youzan.yaml``.
"""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("youzan.yaml")
