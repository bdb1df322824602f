"""shopql: a terminal-first e-commerce data platform on one local DuckDB file."""

__version__ = "0.1.0"
