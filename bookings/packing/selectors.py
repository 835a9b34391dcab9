"""Reads for packing lists: one booking's list and a wagon-day's combined list.

Both return plain dicts (rendered by `bookings.packing.serializers` and `bookings.packing.pdf`) and run a
constant number of queries however many lines or stops there are.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum

from bookings.exceptions import BookingError
from bookings.kit.need import KitNeed, combine_stops
from bookings.models import Booking, BookingSession
from bookings.packing.models import PackingLine, PackingList

KIND_ORDER = {"item": 0, "consumable": 1, "standard": 2}
S = Booking.Status
# Statuses that have a packing list; their item lines hold their items for the day.
PACKABLE = (S.CONFIRMED, S.PACKED, S.ON_SITE, S.RETURNED, S.COMPLETED)


def _number(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _line(
    id, kind, kit_type, kit_type_name, item, asset_tag, case, case_id, consumable, unit,
    name, storage_location, quantity, used_quantity, packed, returned, condition, note,
) -> dict:  # fmt: skip
    return {
        "id": id,
        "kind": kind,
        "kit_type": kit_type,
        "kit_type_name": kit_type_name,
        "item": item,
        "asset_tag": asset_tag,
        "case": case,
        "case_id": case_id,
        "consumable": consumable,
        "unit": unit,
        "name": name,
        "storage_location": storage_location,
        "quantity": _number(quantity),
        "used_quantity": _number(used_quantity),
        "packed": packed,
        "returned": returned,
        "condition": condition or None,
        "note": note,
    }


def line_data(line: PackingLine) -> dict:
    """One line as the API and the PDF show it (related rows must be loaded)."""
    item = line.item if line.item_id else None
    case = line.case if line.case_id else None
    kit_type = line.kit_type if line.kit_type_id else None
    consumable = line.consumable if line.consumable_id else None
    return _line(
        line.id,
        line.kind,
        line.kit_type_id,
        kit_type.name if kit_type else None,
        line.item_id,
        item.asset_tag if item else None,
        case.code if case else None,
        line.case_id,
        line.consumable_id,
        consumable.unit if consumable else None,
        line.name,
        line.storage_location,
        line.quantity,
        line.used_quantity,
        line.packed,
        line.returned,
        line.condition,
        line.note,
    )


# `line_data`'s columns in `_line`'s order, read as plain rows (no model objects: a list holds
# hundreds of lines and the PDF reads them on every request).
_LINE_COLUMNS = (
    "id",
    "kind",
    "kit_type_id",
    "kit_type__name",
    "item_id",
    "item__asset_tag",
    "case__code",
    "case_id",
    "consumable_id",
    "consumable__unit",
    "name",
    "storage_location",
    "quantity",
    "used_quantity",
    "packed",
    "returned",
    "condition",
    "note",
)


def _line_rows(booking_id: int, *extra: str) -> list[tuple]:
    """The booking's lines in list order as `_LINE_COLUMNS` + `extra` tuples: one query."""
    return list(
        PackingLine.objects.filter(packing_list__booking_id=booking_id)
        .order_by("position", "id")
        .values_list(*_LINE_COLUMNS, *extra)
    )


def _no_list(booking: Booking) -> BookingError:
    # Built when the booking is confirmed; a request or a cancelled visit has none.
    return BookingError(
        f"Aanvraag {booking.reference} heeft (nog) geen paklijst; die ontstaat bij bevestiging.",
        code="not_confirmed",
    )


def progress_of(lines: list[dict]) -> dict:
    packed = [line for line in lines if line["packed"]]
    return {
        "lines": len(lines),
        "packed": len(packed),
        "returned": sum(1 for line in lines if line["returned"] is not None),
        "damaged": sum(1 for line in lines if line["condition"] == "damaged"),
        "missing": sum(1 for line in lines if line["condition"] == "missing"),
        "unassigned": sum(
            1 for line in lines if line["kind"] == "item" and line["asset_tag"] is None
        ),
    }


def outstanding_of(lines: list[dict]) -> list[dict]:
    """Packed lines that have not come back yet (missing/damaged count as accounted for)."""
    return [
        {"id": line["id"], "name": line["name"], "asset_tag": line["asset_tag"]}
        for line in lines
        if line["packed"] and line["returned"] is None
    ]


def _with_school_and_wagon(booking: Booking) -> Booking:
    if {"school", "wagon"} <= booking._state.fields_cache.keys():
        return booking
    return Booking.objects.select_related("school", "wagon").get(pk=booking.pk)


def packing_list_for_booking(*, booking: Booking) -> dict:
    """The booking's list with its lines, progress and what is outstanding: one query for the
    lines with their list's date (a second when the list has no lines), one more when `booking`
    was read without its school and wagon."""
    booking = _with_school_and_wagon(booking)
    width = len(_LINE_COLUMNS)
    rows = _line_rows(booking.pk, "packing_list__generated_at")
    if rows:
        generated_at = rows[0][width]
    else:
        generated_at = (
            PackingList.objects.filter(booking_id=booking.pk)
            .values_list("generated_at", flat=True)
            .first()
        )
        if generated_at is None:
            raise _no_list(booking)
    lines = [_line(*row[:width]) for row in rows]
    return {
        "booking": booking.id,
        "reference": booking.reference,
        "status": booking.status,
        "date": booking.date,
        "school": booking.school_id,
        "school_name": booking.school.name,
        "wagon": booking.wagon_id,
        "generated_at": generated_at,
        "progress": progress_of(lines),
        "outstanding": outstanding_of(lines),
        "lines": lines,
    }


# What the PDF prints of the booking, its school and its wagon (`pdf_booking_queryset`), and of
# each line, in `pdf_line`'s order.
_PDF_BOOKING_FIELDS = (
    "id",
    "reference",
    "date",
    "status",
    "school_id",
    "wagon_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "site_notes",
    "school__name",
    "school__brin",
    "school__address",
    "school__postcode",
    "school__city",
    "school__site_notes",
    "wagon__name",
    "wagon__plate",
    "wagon__setup_minutes",
)
_PDF_LINE_COLUMNS = (
    "kind",
    "name",
    "storage_location",
    "case__code",
    "item__asset_tag",
    "consumable__unit",
    "quantity",
    "packed",
    "condition",
)


def pdf_booking_queryset():
    """Bookings with their school and wagon, only the columns the PDF prints."""
    return Booking.objects.select_related("school", "wagon").only(*_PDF_BOOKING_FIELDS)


def pdf_line(kind, name, storage_location, case, asset_tag, unit, quantity, packed, condition):
    """A line as the PDF prints it: `line_data`'s keys that the PDF reads, the same values."""
    return {
        "kind": kind,
        "name": name,
        "storage_location": storage_location,
        "case": case,
        "asset_tag": asset_tag,
        "unit": unit,
        "quantity": _number(quantity),
        "packed": packed,
        "condition": condition or None,
    }


def pdf_context_for_booking(*, booking: Booking) -> dict:
    """Everything the PDF prints: `booking_obj` (with school and wagon; the view reads it with
    `pdf_booking_queryset` and it is not read again), `lines` (`pdf_line`, in list order) and
    `sessions` (dicts in time order). Two queries (a third when the list has no lines)."""
    booking = _with_school_and_wagon(booking)
    lines = [
        pdf_line(*row)
        for row in PackingLine.objects.filter(packing_list__booking_id=booking.pk)
        .order_by("position", "id")
        .values_list(*_PDF_LINE_COLUMNS)
    ]
    if not lines and not PackingList.objects.filter(booking_id=booking.pk).exists():
        raise _no_list(booking)
    sessions = [
        {
            "start_time": start_time,
            "group_label": group_label,
            "pupils": pupils,
            "workshop_name": workshop_name,
            "duration_minutes": duration_minutes,
        }
        for start_time, group_label, pupils, workshop_name, duration_minutes in (
            BookingSession.objects.filter(booking_id=booking.pk)
            .order_by("start_time", "id")
            .values_list(
                "start_time",
                "group_label",
                "pupils",
                "workshop__name",
                "workshop__duration_minutes",
            )
        )
    ]
    return {"booking_obj": booking, "lines": lines, "sessions": sessions}


def _first_start(booking: Booking):
    starts = [s.start_time for s in booking.sessions.all()]
    return (min(starts) if starts else None, booking.id)


def _combine(stops: list[dict]) -> dict:
    needs, kit_names, consumable_names = [], {}, {}
    standard: dict[int, dict] = {}
    for stop in stops:
        need = KitNeed()
        for line in stop["_objects"]:
            if line.kind == PackingLine.Kind.ITEM and line.kit_type_id:
                need.kit[line.kit_type_id] = need.kit.get(line.kit_type_id, 0) + 1
                kit_names[line.kit_type_id] = (line.kit_type.name, line.kit_type.storage_location)
            elif line.kind == PackingLine.Kind.CONSUMABLE and line.consumable_id:
                need.consumables[line.consumable_id] = (
                    need.consumables.get(line.consumable_id, Decimal(0)) + line.quantity
                )
                consumable_names[line.consumable_id] = (line.consumable.name, line.consumable.unit)
            elif line.kind == PackingLine.Kind.STANDARD:
                key = line.standard_id or -line.id
                per_day = line.standard is not None and line.standard.per == "day"
                entry = standard.setdefault(
                    key,
                    {
                        "standard": line.standard_id,
                        "name": line.name,
                        "storage_location": line.storage_location,
                        "quantity": Decimal(0),
                    },
                )
                entry["quantity"] = (
                    max(entry["quantity"], line.quantity)
                    if per_day
                    else entry["quantity"] + line.quantity
                )
        needs.append(need)
    return _summary(combine_stops(needs), kit_names, consumable_names, standard)


def packing_list_for_wagon_day(*, wagon, date, bookings=None) -> dict:
    """A wagon-day: kit at its maximum over the stops, consumables summed, plus each stop's list.

    Only reads (the services build and repair the lists): a constant number of queries. A stop
    without a list yet shows no lines. `bookings` may give the stop order (the route's);
    otherwise stops follow their first session's start time.
    """
    queryset = (
        Booking.objects.filter(wagon=wagon, date=date, status__in=PACKABLE)
        .select_related("school", "packing_list")
        .prefetch_related(
            Prefetch("sessions", queryset=BookingSession.objects.order_by("start_time", "id")),
            Prefetch(
                "packing_list__lines",
                queryset=PackingLine.objects.select_related(
                    "item", "case", "kit_type", "consumable", "standard"
                ).order_by("position", "id"),
            ),
        )
    )
    found = list(queryset)
    if bookings is not None:
        order = {b.pk if hasattr(b, "pk") else b: i for i, b in enumerate(bookings)}
        found = [b for b in found if b.pk in order]
        found.sort(key=lambda b: order[b.pk])
    else:
        found.sort(key=_first_start)
    stops, all_lines = [], []
    by_booking_lines: dict[int, list] = defaultdict(list)
    for position, booking in enumerate(found, start=1):
        packing_list = getattr(booking, "packing_list", None)
        objects = list(packing_list.lines.all()) if packing_list is not None else []
        lines = [line_data(line) for line in objects]
        for line in lines:
            all_lines.append({**line, "booking": booking.id})
        by_booking_lines[booking.id] = lines
        stops.append(
            {
                "position": position,
                "booking": booking.id,
                "reference": booking.reference,
                "school": booking.school_id,
                "school_name": booking.school.name,
                "status": booking.status,
                "progress": progress_of(lines),
                "outstanding": outstanding_of(lines),
                "lines": lines,
                "_objects": objects,
            }
        )
    combined = _combine(stops)
    for stop in stops:
        del stop["_objects"]
    return {
        "wagon": wagon.pk,
        "date": date,
        **combined,
        "progress": progress_of(all_lines),
        "stops": stops,
        "lines": all_lines,
    }


def packing_totals_for_wagon_day(*, wagon, date, bookings=None) -> dict:
    """Only the wagon-day's totals — `kit`, `consumables`, `standard`, as in
    `packing_list_for_wagon_day` — from grouped queries, without loading every line of every stop
    (the day sheet prints these; ten stops of the largest visit hold 26,000 lines)."""
    stops = Booking.objects.filter(wagon=wagon, date=date, status__in=PACKABLE)
    lines = PackingLine.objects.filter(packing_list__booking__in=stops)
    if bookings is not None:
        ids = [b.pk if hasattr(b, "pk") else b for b in bookings]
        lines = lines.filter(packing_list__booking_id__in=ids)
    needs: dict[int, KitNeed] = defaultdict(KitNeed)
    kit_names = {}
    for row in (
        lines.filter(kind=PackingLine.Kind.ITEM, kit_type__isnull=False)
        .values("packing_list_id", "kit_type_id", "kit_type__name", "kit_type__storage_location")
        .annotate(n=Count("id"))
    ):
        needs[row["packing_list_id"]].kit[row["kit_type_id"]] = row["n"]
        kit_names[row["kit_type_id"]] = (row["kit_type__name"], row["kit_type__storage_location"])
    consumable_names = {}
    for row in (
        lines.filter(kind=PackingLine.Kind.CONSUMABLE, consumable__isnull=False)
        .values("packing_list_id", "consumable_id", "consumable__name", "consumable__unit")
        .annotate(amount=Sum("quantity"))
    ):
        needs[row["packing_list_id"]].consumables[row["consumable_id"]] = Decimal(row["amount"])
        consumable_names[row["consumable_id"]] = (row["consumable__name"], row["consumable__unit"])
    standard: dict[int, dict] = {}
    for row in (
        lines.filter(kind=PackingLine.Kind.STANDARD)
        .order_by("packing_list_id", "position", "id")
        .values("id", "standard_id", "standard__per", "name", "storage_location", "quantity")
    ):
        key = row["standard_id"] or -row["id"]
        entry = standard.setdefault(
            key,
            {
                "standard": row["standard_id"],
                "name": row["name"],
                "storage_location": row["storage_location"],
                "quantity": Decimal(0),
            },
        )
        per_day = row["standard__per"] == "day"
        quantity = Decimal(row["quantity"])
        entry["quantity"] = (
            max(entry["quantity"], quantity) if per_day else entry["quantity"] + quantity
        )
    return _summary(combine_stops(needs.values()), kit_names, consumable_names, standard)


def _summary(total: KitNeed, kit_names, consumable_names, standard) -> dict:
    """A day's combined kit, consumables and standard equipment, in storage-location order."""
    return {
        "kit": [
            {
                "kit_type": kit_type_id,
                "name": kit_names[kit_type_id][0],
                "storage_location": kit_names[kit_type_id][1],
                "quantity": quantity,
            }
            for kit_type_id, quantity in sorted(
                total.kit.items(), key=lambda kv: (kit_names[kv[0]][1], kit_names[kv[0]][0])
            )
        ],
        "consumables": [
            {
                "consumable": consumable_id,
                "name": consumable_names[consumable_id][0],
                "unit": consumable_names[consumable_id][1],
                "quantity": _number(amount),
            }
            for consumable_id, amount in sorted(
                total.consumables.items(), key=lambda kv: consumable_names[kv[0]][0]
            )
        ],
        "standard": [
            {**entry, "quantity": _number(entry["quantity"])}
            for entry in sorted(standard.values(), key=lambda e: (e["storage_location"], e["name"]))
        ],
    }


def wagon_day_sheet(*, wagon, date) -> dict:
    """The crew's wagon-day page and its API: `packing_list_for_wagon_day` plus, per kit type of
    the morning list, the distinct items packed so far and "geladen?"; per stop the counts to
    unload and load back; and the day's packed items for the return check. Only reads."""
    from bookings.packing.models import WagonDayCharge
    from inventory.models import KitType

    day = packing_list_for_wagon_day(wagon=wagon, date=date)
    charging = dict(
        KitType.objects.filter(pk__in=[k["kit_type"] for k in day["kit"]]).values_list(
            "id", "needs_charging"
        )
    )
    charged = dict(
        WagonDayCharge.objects.filter(wagon=wagon, date=date).values_list("kit_type_id", "charged")
    )
    packed_items: dict[int, set] = defaultdict(set)
    day_items: dict[str, dict] = {}
    for line in day["lines"]:
        if line["kind"] == "item" and line["packed"] and line["item"]:
            packed_items[line["kit_type"]].add(line["item"])
            entry = day_items.setdefault(
                line["asset_tag"],
                {
                    "asset_tag": line["asset_tag"],
                    "kit_type_name": line["kit_type_name"],
                    "case": line["case"],
                    "open": False,
                    "condition": None,
                },
            )
            if line["condition"] is None:
                entry["open"] = True
            elif line["condition"] != "ok":
                entry["condition"] = line["condition"]
    for kit in day["kit"]:
        kit["packed"] = len(packed_items.get(kit["kit_type"], ()))
        kit["needs_charging"] = bool(charging.get(kit["kit_type"]))
        kit["charged"] = charged.get(kit["kit_type"]) if kit["needs_charging"] else None
    for stop in day["stops"]:
        per_kit: dict[int, dict] = {}
        consumables = []
        for line in stop["lines"]:
            if line["kind"] == "item" and line["kit_type"]:
                row = per_kit.setdefault(
                    line["kit_type"],
                    {"kit_type": line["kit_type"], "name": line["kit_type_name"], "quantity": 0},
                )
                row["quantity"] += 1
            elif line["kind"] == "consumable":
                consumables.append(
                    {"name": line["name"], "quantity": line["quantity"], "unit": line["unit"]}
                )
        stop["unload"] = sorted(per_kit.values(), key=lambda r: r["name"])
        stop["consumables"] = consumables
    day["items"] = sorted(day_items.values(), key=lambda e: e["asset_tag"])
    return day


def uncharged_kit(*, date_from, date_to, user=None) -> list[dict]:
    """Wagon-days from `date_from` to `date_to` whose lists carry kit that needs charging and that
    the crew did not mark "geladen" yet: [{wagon, wagon_name, date, kit_types: [name...]}].
    With `user`: only the wagons of the user's programmes."""
    from bookings.packing.models import WagonDayCharge
    from inventory.models import Wagon

    lines = PackingLine.objects.all()
    if user is not None:
        lines = lines.filter(packing_list__booking__wagon__in=Wagon.objects.restrict(user))
    rows = (
        lines.filter(
            date__gte=date_from,
            date__lte=date_to,
            kind=PackingLine.Kind.ITEM,
            kit_type__needs_charging=True,
            packing_list__booking__status__in=(S.CONFIRMED, S.PACKED),
            packing_list__booking__wagon__isnull=False,
        )
        .values(
            "date",
            "kit_type_id",
            "kit_type__name",
            "packing_list__booking__wagon_id",
            "packing_list__booking__wagon__name",
        )
        .distinct()
        .order_by("date", "packing_list__booking__wagon__name", "kit_type__name")
    )
    charged = set(
        WagonDayCharge.objects.filter(
            date__gte=date_from, date__lte=date_to, charged=True
        ).values_list("wagon_id", "date", "kit_type_id")
    )
    days: dict[tuple, dict] = {}
    for row in rows:
        wagon_id = row["packing_list__booking__wagon_id"]
        if (wagon_id, row["date"], row["kit_type_id"]) in charged:
            continue
        entry = days.setdefault(
            (wagon_id, row["date"]),
            {
                "wagon": wagon_id,
                "wagon_name": row["packing_list__booking__wagon__name"],
                "date": row["date"],
                "kit_types": [],
            },
        )
        entry["kit_types"].append(row["kit_type__name"])
    return list(days.values())
