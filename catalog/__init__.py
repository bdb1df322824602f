"""shopql.catalog."""
