"""shopql.warehouse."""
