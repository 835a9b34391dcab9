"""PRODUCT.md rule 1: what kit and consumables a stop (one visit) or a wagon-day needs.

Pure functions over plain data (and, at the end, the same over model instances with prefetched
rules), so availability, confirmation, packing lists and the route planner share one rule:
- per session and kit rule: ceil(pupils / per_pupils) or the fixed count;
- a stop needs, per kit type, the maximum over time of the units of the sessions running at that
  moment: sessions that follow one another reuse the kit (maximum), sessions that overlap in time
  (groups rotating through stations) each need their own (sum); plus the kit type's spare units
  once;
- a wagon-day needs per kit type the maximum over its stops (one load a day);
- consumables are used up, so they always add up.
"""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from bookings.models import BookingSession, KitRule


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


def _minutes(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):  # a model default not yet read back from the database
        value = dt.time.fromisoformat(value)
    return value.hour * 60 + value.minute


def session_span(session) -> tuple[int, int] | None:
    """(start, end) in minutes since midnight, or None for a session without a start time
    (an availability question: "these workshops", which run one after another)."""
    start = _minutes(getattr(session, "start_time", None))
    if start is None:
        return None
    return start, start + session.workshop.duration_minutes


def peak_units(parts: Iterable[tuple[tuple[int, int] | None, int]]) -> int:
    """The maximum over time of the units in use: `parts` are (span, units); spans that overlap
    (start < other's end) add up, spans that follow one another don't. A part without a span
    overlaps nothing."""
    parts = list(parts)
    if len(parts) == 1:  # the usual case: one session uses the kit type (a list page: ~3 a row)
        span, units = parts[0]
        return max(units, 0) if span is None or span[0] < span[1] else 0
    best = 0
    timed = []
    for span, units in parts:
        if span is None:
            best = max(best, units)
        else:
            timed.append((span[0], span[1], units))
    # The peak of a set of intervals is reached at the start of one of them.
    for at, _end, _units in timed:
        running = 0
        for start, end, units in timed:
            if start <= at < end:
                running += units
        best = max(best, running)
    return best


def need_for_sessions(sessions: Iterable, spare_units: dict[int, int]) -> KitNeed:
    """A stop's need. `sessions`: objects with `.pupils`, `.start_time` (optional) and
    `.workshop` whose kit_rules/consumable_rules are prefetched (model instances or look-alikes).
    `spare_units`: {kit_type_id: spare}."""
    need = KitNeed()
    per_kit: dict[int, list[tuple[tuple[int, int] | None, int]]] = {}
    for session in sessions:
        workshop = session.workshop
        span = session_span(session)
        for rule in workshop.kit_rules.all():
            units = units_for_rule(session.pupils, per_pupils=rule.per_pupils, fixed=rule.fixed)
            per_kit.setdefault(rule.kit_type_id, []).append((span, units))
        for rule in workshop.consumable_rules.all():
            amount = Decimal(rule.per_pupil) * session.pupils
            need.consumables[rule.consumable_id] = (
                need.consumables.get(rule.consumable_id, Decimal(0)) + amount
            )
    for kit_type_id, parts in per_kit.items():
        peak = peak_units(parts)
        if peak > 0:
            need.kit[kit_type_id] = peak + spare_units.get(kit_type_id, 0)
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


# --- the same rule over model instances ---------------------------------------------------------


def spare_units_of(sessions) -> dict[int, int]:
    """{kit_type_id: spare units} from the sessions' prefetched kit rules (with kit_type)."""
    return {
        rule.kit_type_id: rule.kit_type.spare_units
        for session in sessions
        for rule in session.workshop.kit_rules.all()
    }


def need_for(sessions) -> KitNeed:
    """A stop's need from sessions whose workshops have kit rules (with kit_type) prefetched."""
    sessions = list(sessions)
    return need_for_sessions(sessions, spare_units_of(sessions))


def kit_need_for(booking) -> KitNeed:
    """A booking's stop need; uses prefetched sessions when they are there."""
    cache = getattr(booking, "_prefetched_objects_cache", {})
    if "sessions" in cache:
        sessions = cache["sessions"]
    else:
        sessions = BookingSession.objects.filter(booking=booking).select_related("workshop")
        sessions = sessions.prefetch_related(
            Prefetch("workshop__kit_rules", queryset=KitRule.objects.select_related("kit_type")),
            "workshop__consumable_rules",
        )
    return need_for(sessions)


@dataclass
class _Session:
    """A look-alike session for availability questions ("these workshops, this many pupils"):
    no start time, so the workshops count as following one another."""

    workshop: object
    pupils: int
    start_time: None = None


def need_for_workshops(workshops, pupils: int) -> KitNeed:
    return need_for([_Session(workshop=w, pupils=pupils) for w in workshops])
