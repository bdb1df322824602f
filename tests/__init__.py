"""shopql.tests."""
