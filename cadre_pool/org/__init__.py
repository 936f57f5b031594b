"""The organisation tree, its divisions and the national code tables: loading, choices, pick-lists."""
