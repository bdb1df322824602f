"""Platform connectors: one module per platform, each exposing SOURCE (a SourceSpec)."""
