"""shopql.insights."""
