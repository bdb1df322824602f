"""shopql.bench."""
