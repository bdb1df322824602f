"""JD POP seller order exports (订单导出: one row per SKU line, order fields repeated). The mapping,
status table and money semantics are in ``sync/sources/jd.yaml``."""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("jd.yaml")
