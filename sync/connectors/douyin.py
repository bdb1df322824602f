"""Douyin shop (抖店) order exports (订单导出: one row per sub-order, order fields repeated). The
mapping, status table and money semantics are in ``sync/sources/douyin.yaml``."""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("douyin.yaml")
