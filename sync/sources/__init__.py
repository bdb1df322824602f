"""shopql.sync.sources."""
