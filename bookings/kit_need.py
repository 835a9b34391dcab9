"""PRODUCT.md rule 1: what kit and consumables a visit (or a wagon-day) needs.

Pure functions over plain data so bookings, packing lists and the route planner share one rule:
- per session and kit rule: ceil(pupils / per_pupils) or the fixed count;
- sessions of one visit run one after another, so a visit needs the maximum over its sessions
  per kit type, plus that kit type's spare units;
- consumables add up over sessions;
- a day with several stops needs the maximum per kit type over its stops, consumables summed.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class KitNeed:
    kit: dict[int, int] = field(default_factory=dict)  # kit_type_id -> units
    consumables: dict[int, Decimal] = field(default_factory=dict)  # consumable_id -> amount

    def as_list(self) -> list[dict]:
        return [{"kit_type": k, "quantity": q} for k, q in sorted(self.kit.items())]


def units_for_rule(pupils: int, *, per_pupils: int | None, fixed: int | None) -> int:
    if fixed is not None:
        return fixed
    if per_pupils:
        return math.ceil(pupils / per_pupils)
    return 0


def need_for_sessions(sessions: Iterable, spare_units: dict[int, int]) -> KitNeed:
    """`sessions`: objects with `.pupils` and `.workshop` whose kit_rules/consumable_rules are
    prefetched (model instances or look-alikes). `spare_units`: {kit_type_id: spare}."""
    need = KitNeed()
    for session in sessions:
        workshop = session.workshop
        for rule in workshop.kit_rules.all():
            units = units_for_rule(session.pupils, per_pupils=rule.per_pupils, fixed=rule.fixed)
            if units > need.kit.get(rule.kit_type_id, 0):
                need.kit[rule.kit_type_id] = units
        for rule in workshop.consumable_rules.all():
            amount = Decimal(rule.per_pupil) * session.pupils
            need.consumables[rule.consumable_id] = (
                need.consumables.get(rule.consumable_id, Decimal(0)) + amount
            )
    for kit_type_id in need.kit:
        need.kit[kit_type_id] += spare_units.get(kit_type_id, 0)
    return need


def combine_stops(needs: Iterable[KitNeed]) -> KitNeed:
    """A wagon-day: the stops run one after another with the kit on board, so kit is the
    maximum over the stops; consumables are used up, so they add up."""
    total = KitNeed()
    for need in needs:
        for kit_type_id, units in need.kit.items():
            total.kit[kit_type_id] = max(total.kit.get(kit_type_id, 0), units)
        for consumable_id, amount in need.consumables.items():
            total.consumables[consumable_id] = (
                total.consumables.get(consumable_id, Decimal(0)) + amount
            )
    return total
