"""The kit rule in one place (PRODUCT.md rules 1–3): what a stop and a wagon-day need
(`need`), the depot's pool and its lock (`pool`), and whether a wagon can fit a visit in time
(`busy`). Everything that decides about kit — availability, confirmation, moves, session edits,
the planner, route problems, at-risk lists, packing lists — calls these."""
