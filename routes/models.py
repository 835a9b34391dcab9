"""Routes: one wagon on one date, with its stops."""
