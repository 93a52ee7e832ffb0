"""Everything worked out from the store rather than imported: one registry, one record of currency."""
