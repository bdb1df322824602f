"""shopql.cli."""
