"""Amazon Seller Central: the "All Orders" flat file (TAB-separated, one row per order item).

The mapping, its status table and its money rules live in ``sync/sources/amazon.yaml``.
"""

from __future__ import annotations

from shopql.sync.registry import load_builtin_yaml
from shopql.sync.spec import SourceSpec

SOURCE: SourceSpec = load_builtin_yaml("amazon.yaml")
