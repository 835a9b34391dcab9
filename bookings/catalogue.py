"""Catalogue check: can a workshop's fullest session be served from the stock at all?

A session of `max_pupils` pupils needs, per kit rule, ceil(max_pupils / per_pupils) units or the
fixed count, plus the kit type's spare units (PRODUCT.md rule 1). Workshops are shared by every
depot and a visit is served from one depot (the school's), so the check is per depot: every depot
that runs at least one active wagon must hold that many *available* items on its own. A depot
without an active wagon serves no visits and is not checked. A shortfall is a warning, not a
refusal: the coordinator may be about to buy kit, or may lower `max_pupils`.

Reads take a fixed number of queries for any number of workshops: load a `DepotStock` once and
ask it for each workshop (whose kit rules are prefetched with their kit type).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from bookings.kit.need import units_for_rule
from bookings.models import Workshop
from bookings.selectors import workshops_with_rules
from inventory.models import Depot
from inventory.selectors import available_counts_by_depot


@dataclass
class DepotStock:
    """Available items per kit type in each depot that has an active wagon."""

    # (id, name, programme id), by name: a workshop is checked against its own programme's depots
    depots: list[tuple[int, str, int]] = field(default_factory=list)
    available: dict[int, dict[int, int]] = field(default_factory=dict)  # depot -> kit type -> n

    @classmethod
    def load(cls, *, user=None, programme_ids=None) -> "DepotStock":
        """Every depot's stock; with `user`, only the depots of the user's programmes; with
        `programme_ids`, only those programmes' depots (the programmes of a page of workshops:
        a workshop is checked against its own programme's depots only)."""
        scoped = Depot.objects.all() if user is None else Depot.objects.restrict(user)
        if programme_ids is not None:
            scoped = scoped.filter(programme_id__in=sorted(programme_ids))
        depots = list(
            scoped.filter(wagons__active=True)
            .distinct()
            .order_by("name", "id")
            .values_list("id", "name", "programme_id")
        )
        if not depots:
            return cls(depots=[], available={})
        ids = {depot[0] for depot in depots}
        available = available_counts_by_depot(depot_ids=ids)
        return cls(depots=depots, available=available)


def capacity_warnings(workshop: Workshop, stock: DepotStock) -> list[dict]:
    """One warning per depot and kit type that cannot serve a session of `max_pupils`."""
    return capacity_warnings_of(
        name=workshop.name,
        max_pupils=workshop.max_pupils,
        programme_id=workshop.programme_id,
        rules=[
            (r.kit_type_id, r.per_pupils, r.fixed, r.kit_type.name, r.kit_type.spare_units)
            for r in workshop.kit_rules.all()
        ],
        stock=stock,
    )


def capacity_warnings_of(*, name, max_pupils, programme_id, rules, stock: DepotStock) -> list:
    """`capacity_warnings` over plain data (a list page's rows): `rules` are (kit_type_id,
    per_pupils, fixed, kit type name, kit type spare units)."""
    depots = [depot for depot in stock.depots if depot[2] == programme_id]
    if not depots or not rules:
        return []
    # What a full session needs per rule, in kit-type-name order (the same for every depot).
    needs = [
        (kit_type_id, kit_name, units_for_rule(max_pupils, per_pupils=per, fixed=fixed) + spare)
        for kit_type_id, per, fixed, kit_name, spare in sorted(rules, key=lambda rule: rule[3])
    ]
    warnings = []
    for depot_id, depot_name, _programme_id in depots:
        available = stock.available.get(depot_id, {})
        for kit_type_id, kit_name, needed in needs:
            total = available.get(kit_type_id, 0)
            if needed <= total:
                continue
            detail = _(
                "Workshop %(workshop)s: bij maximaal %(pupils)s leerlingen zijn %(needed)s "
                "× %(kit_type)s nodig, er zijn er %(total)s beschikbaar in %(depot)s."
            ) % {
                "workshop": name,
                "pupils": max_pupils,
                "needed": needed,
                "kit_type": kit_name,
                "total": total,
                "depot": depot_name,
            }
            warnings.append(
                {
                    "kit_type": kit_type_id,
                    "kit_type_name": kit_name,
                    "depot": depot_id,
                    "depot_name": depot_name,
                    "needed": needed,
                    "total": total,
                    "detail": detail,
                }
            )
    return warnings


def catalogue_warnings(workshops: Iterable[Workshop] | None = None, *, user=None) -> list[dict]:
    """Every warning of these workshops (kit rules prefetched; default: the active ones), each
    with its `workshop`, in four queries. With `user`: only the workshops and depots of the
    user's programmes."""
    if workshops is None:
        workshops = workshops_with_rules().filter(active=True).order_by("name", "id")
        if user is not None:
            workshops = workshops.restrict(user)
    stock = DepotStock.load(user=user)
    return [
        {**warning, "workshop": workshop.pk, "workshop_name": workshop.name}
        for workshop in workshops
        for warning in capacity_warnings(workshop, stock)
    ]
