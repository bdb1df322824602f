"""shopql.nlq."""
