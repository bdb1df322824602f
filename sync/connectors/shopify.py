"""Shopify: orders, products and customers exports from the Shopify admin.

The mapping, its status table and its money rules live in ``sync/sources/shopify.yaml``.
"""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("shopify.yaml")
