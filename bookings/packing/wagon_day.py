"""Writes on a whole wagon-day: the morning scan, the "geladen?" tick and the return check.

A wagon carries one load a day (PRODUCT.md rule 1), so an item scanned in the morning is packed on
every stop's list that needs its kit type, and the return check at the depot closes every visit of
the day at once. Each goes through `packing_check` (the per-visit rules stay in one place) inside one
transaction, and one `client_id` covers the whole action: a retry answers from the record.
"""

import hashlib
import json
import uuid

from django.db import transaction

from bookings.exceptions import BookingError
from bookings.kit import pool
from bookings.models import Booking
from bookings.packing.models import PackingLine, WagonDayAction, WagonDayCharge
from bookings.packing.selectors import PACKABLE
from bookings.packing.services import packing_check, packing_lists_ensure
from inventory.models import Case, Item, KitType

S = Booking.Status
CONDITIONS = ("ok", "damaged", "missing")


def _sub_id(client_id, *parts) -> uuid.UUID:
    """The per-visit client_id of one part of a wagon-day action: derived, so a retry of the
    wagon-day action reaches the same per-visit records."""
    return uuid.uuid5(uuid.UUID(str(client_id)), ":".join(str(p) for p in parts))


def _fingerprint(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _stops(wagon, date, statuses=PACKABLE) -> list[Booking]:
    return list(
        Booking.objects.filter(wagon=wagon, date=date, status__in=statuses)
        .select_related("wagon", "school")
        .order_by("id")
    )


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


@transaction.atomic
def wagon_day_check(
    *,
    wagon,
    date,
    action: str,
    client_id,
    asset_tag: str = "",
    kit_type_id: int | None = None,
    charged: bool | None = None,
    lines: list[dict] | None = None,
    acting_user=None,
) -> dict:
    """Apply one wagon-day action (`pack`, `charge` or `return`) and return what it did."""
    pool.lock_days([(wagon.depot_id, date)])
    payload = {
        "wagon": wagon.pk,
        "date": str(date),
        "action": action,
        "asset_tag": asset_tag.strip().casefold(),
        "kit_type": kit_type_id,
        "charged": charged,
        "lines": lines or [],
    }
    fingerprint = _fingerprint(payload)
    previous = WagonDayAction.objects.filter(client_id=client_id).first()
    if previous is not None:
        if previous.fingerprint != fingerprint:
            raise BookingError(
                "Deze client_id is al gebruikt voor een ander verzoek; stuur een nieuwe.",
                code="client_id_conflict",
                client_id=str(client_id),
            )
        return previous.result
    if action == "pack":
        result = _pack(wagon, date, asset_tag, client_id, acting_user)
    elif action == "charge":
        result = _charge(wagon, date, kit_type_id, bool(charged), acting_user)
    else:
        result = _return(wagon, date, lines or [], client_id, acting_user)
    result = json.loads(json.dumps({"action": action, **result}, default=str))
    WagonDayAction.objects.create(
        client_id=client_id,
        wagon=wagon,
        date=date,
        action=action,
        fingerprint=fingerprint,
        result=result,
        acting_user=acting_user if _authenticated(acting_user) else None,
    )
    return result


# --- morning: pack ----------------------------------------------------------------------------


def _pack_item(stops, item: Item, client_id, acting_user) -> tuple[list[dict], list[dict]]:
    """Pack one item on every stop whose list asks for its kit type; (packed lines, refusals)."""
    packed, refused = [], []
    for booking in stops:
        try:
            line = packing_check(
                booking=booking,
                action="pack",
                client_id=_sub_id(client_id, booking.pk, item.pk),
                asset_tag=item.asset_tag,
                acting_user=acting_user,
            )
        except BookingError as error:
            refused.append({"booking": booking.pk, "code": error.code, "detail": str(error)})
        else:
            packed.append({**line, "booking": booking.pk})
    return packed, refused


def _pack(wagon, date, asset_tag, client_id, acting_user) -> dict:
    tag = asset_tag.strip()
    stops = _stops(wagon, date, (S.CONFIRMED, S.PACKED))
    if not stops:
        raise BookingError(
            "Deze wagen heeft die dag geen bezoek om in te pakken.", code="invalid_transition"
        )
    packing_lists_ensure(bookings=Booking.objects.filter(pk__in=[b.pk for b in stops]))
    item = Item.objects.select_related("kit_type", "case").filter(asset_tag__iexact=tag).first()
    if item is not None:
        packed, refused = _pack_item(stops, item, client_id, acting_user)
        if not packed:
            first = refused[0] if refused else {"code": "unknown_line", "detail": ""}
            raise BookingError(
                first["detail"] or f"{item.asset_tag} staat niet op de paklijst van vandaag.",
                code=first["code"],
                status_code=400 if first["code"] in ("wrong_kit_type", "unknown_line") else 409,
                refused=refused,
            )
        return {
            "asset_tag": item.asset_tag,
            "kit_type": item.kit_type_id,
            "packed": [item.asset_tag],
            "lines": packed,
            "refused": refused,
        }
    case = Case.objects.filter(code__iexact=tag).first()
    if case is None:
        raise BookingError(
            f"Onbekend inventarisnummer {tag!r}.", code="unknown_asset_tag", status_code=400
        )
    return _pack_case(stops, case, client_id, acting_user)


def _pack_case(stops, case: Case, client_id, acting_user) -> dict:
    """A case's tag: pack every item in it that the day's lists ask for, and name what is missing
    (items of the case that may not travel, and items the lists put in this case that are not in
    it any more)."""
    items = list(case.items.select_related("kit_type").order_by("asset_tag"))
    needed_types = set(
        PackingLine.objects.filter(
            packing_list__booking__in=stops, kind=PackingLine.Kind.ITEM
        ).values_list("kit_type_id", flat=True)
    )
    packed_tags, lines, missing, not_needed = [], [], [], []
    for item in items:
        if item.status != Item.Status.AVAILABLE:
            missing.append(
                {
                    "asset_tag": item.asset_tag,
                    "reason": item.status,
                    "detail": f"{item.asset_tag}: {item.get_status_display().lower()}",
                }
            )
            continue
        if item.kit_type_id not in needed_types:
            not_needed.append(item.asset_tag)
            continue
        packed, refused = _pack_item(stops, item, client_id, acting_user)
        if packed:
            packed_tags.append(item.asset_tag)
            lines.extend(packed)
        else:
            not_needed.append(item.asset_tag)
    return {
        "case": case.code,
        "case_name": case.name,
        "packed": packed_tags,
        "lines": lines,
        "missing": missing,
        "not_needed": not_needed,
    }


# --- morning: geladen? ------------------------------------------------------------------------


def _charge(wagon, date, kit_type_id, charged, acting_user) -> dict:
    kit_type = KitType.objects.filter(pk=kit_type_id, needs_charging=True).first()
    if kit_type is None:
        raise BookingError(
            "Dit soort materiaal hoeft niet geladen te worden.",
            code="not_chargeable",
            status_code=400,
        )
    row, _created = WagonDayCharge.objects.select_for_update().get_or_create(
        wagon=wagon, date=date, kit_type=kit_type
    )
    row.charged = charged
    row.acting_user = acting_user if _authenticated(acting_user) else None
    if _authenticated(acting_user):
        row._history_user = acting_user
    row.save()
    return {"kit_type": kit_type.pk, "charged": row.charged}


# --- evening: the return check closes every visit ----------------------------------------------


def _return(wagon, date, exceptions: list[dict], client_id, acting_user) -> dict:
    """Every packed line of every visit of the day comes back `ok`, except the items named in
    `exceptions` ({asset_tag, condition, note}). An item on several stops' lists is one physical
    thing: its condition goes on the last stop that carried it, the earlier stops get it back ok."""
    stops = _stops(wagon, date, (S.CONFIRMED, S.PACKED, S.ON_SITE, S.RETURNED))
    not_arrived = [b for b in stops if b.status in (S.CONFIRMED, S.PACKED)]
    if not_arrived:
        raise BookingError(
            "Nog niet op locatie geweest: "
            + ", ".join(f"{b.reference} ({b.school.name})" for b in not_arrived)
            + ". Meld eerst aankomst.",
            code="invalid_transition",
            bookings=[b.pk for b in not_arrived],
        )
    open_stops = [b for b in stops if b.status == S.ON_SITE]
    if not open_stops:
        raise BookingError("Alle bezoeken van deze dag zijn al retour.", code="already_returned")
    by_tag = {}
    for entry in exceptions:
        by_tag[entry["asset_tag"].strip().casefold()] = entry
    lines = list(
        PackingLine.objects.filter(packing_list__booking__in=open_stops, packed=True, condition="")
        .select_related("item", "packing_list")
        .order_by("packing_list__booking_id", "position", "id")
    )
    stop_order = {b.pk: i for i, b in enumerate(sorted(open_stops, key=_stop_key))}
    last_stop_of_item: dict[int, int] = {}
    for line in lines:
        if line.item_id:
            booking_id = line.packing_list.booking_id
            current = last_stop_of_item.get(line.item_id)
            if current is None or stop_order[booking_id] > stop_order[current]:
                last_stop_of_item[line.item_id] = booking_id
    known = {line.item.asset_tag.casefold() for line in lines if line.item_id}
    unknown = sorted(set(by_tag) - known)
    if unknown:
        raise BookingError(
            "Niet mee geweest vandaag: " + ", ".join(unknown) + ".",
            code="unknown_line",
            status_code=400,
        )
    by_booking = {b.pk: b for b in open_stops}
    deviations = []
    for line in lines:
        booking = by_booking[line.packing_list.booking_id]
        condition, note = "ok", ""
        if line.item_id:
            entry = by_tag.get(line.item.asset_tag.casefold())
            if entry is not None and last_stop_of_item[line.item_id] == booking.pk:
                condition, note = entry["condition"], entry.get("note", "")
                if condition != "ok":
                    deviations.append(
                        {
                            "asset_tag": line.item.asset_tag,
                            "condition": condition,
                            "booking": booking.pk,
                        }
                    )
        packing_check(
            booking=booking,
            action="return",
            client_id=_sub_id(client_id, booking.pk, line.pk),
            line_id=line.pk,
            condition=condition,
            note=note,
            acting_user=acting_user,
        )
    closed = list(Booking.objects.filter(pk__in=[b.pk for b in open_stops]).values("id", "status"))
    return {"lines": len(lines), "deviations": deviations, "stops": closed}


def _stop_key(booking: Booking):
    starts = [s.start_time for s in booking.sessions.all()]
    return (min(starts) if starts else None, booking.pk)
