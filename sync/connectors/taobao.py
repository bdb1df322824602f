"""Taobao / Tmall seller exports: 订单报表 (orders), 宝贝报表 (items, old and new layouts) and the
7-column Tmall order report. The mapping, status table and money semantics are in
``sync/sources/taobao.yaml``."""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("taobao.yaml")
