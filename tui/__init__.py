"""shopql.tui."""
