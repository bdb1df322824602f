"""shopql.sync."""
