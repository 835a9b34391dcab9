"""PRODUCT.md rule 1's peak of kit in use at once (`bookings.kit.need.peak_units`)."""

import random

from bookings.kit.need import peak_units


def _peak_by_definition(parts):
    """The peak as the rule states it, slowly: at each start, the units of every timed part
    running then (start <= t < end); a part without a time counts on its own."""
    best = 0
    for span, units in parts:
        if span is None:
            best = max(best, units)
        else:
            at = span[0]
            best = max(best, sum(u for s, u in parts if s is not None and s[0] <= at < s[1]))
    return best


def test_peak_units_equals_the_rule_by_definition():
    """`peak_units` takes a short cut for one part and loops over plain tuples for more: the
    same answer as the definition on random parts (empty, zero-length and untimed ones too)."""
    rng = random.Random(15)
    for _ in range(20_000):
        parts = []
        for _ in range(rng.randint(0, 5)):
            start = rng.randint(0, 10)
            span = None if rng.random() < 0.2 else (start, start + rng.randint(0, 4))
            parts.append((span, rng.randint(-2, 6)))
        assert peak_units(iter(parts)) == _peak_by_definition(parts), parts
