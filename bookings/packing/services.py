"""Every write to packing lists: building them, assigning items, and the crew's check actions.

PRODUCT.md rules 4 and 5: a booking reserves counts; specific items are suggested here and fixed
when crew scan them; check-in sends damaged items to `defect`, missing ones to `lost`, and deducts
the consumables used.
"""

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bookings.exceptions import BookingError
from bookings.kit import pool
from bookings.kit.need import KitNeed, kit_need_for
from bookings.models import Booking, BookingSession, ConsumableRule
from bookings.packing.models import CheckAction, PackingLine, PackingList
from bookings.packing.selectors import PACKABLE, line_data
from bookings.services import booking_set_status
from inventory.models import Item, StandardEquipment
from inventory.services import consumable_adjust_stock, item_set_status

S = Booking.Status
PACK_STATUSES = (S.CONFIRMED, S.PACKED)
RETURN_STATUSES = (S.ON_SITE,)
# Items one visit can carry (one line each). Far above any real visit (12 sessions of at most 200
# pupils, the maximum per kit type), low enough that a workshop edited to absurd kit rules cannot
# make a packing-list request write hundreds of thousands of rows.
MAX_ITEM_LINES = 2000


# --- building -------------------------------------------------------------------------------


def _sessions_prefetch() -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=BookingSession.objects.select_related("workshop").prefetch_related(
            "workshop__kit_rules__kit_type",
            Prefetch(
                "workshop__consumable_rules",
                queryset=ConsumableRule.objects.select_related("consumable"),
            ),
        ),
    )


def _need_of(booking: Booking) -> KitNeed:
    return kit_need_for(booking)


def _signature(need: KitNeed, standards: list[StandardEquipment]) -> str:
    payload = {
        "kit": sorted(need.kit.items()),
        "consumables": sorted((k, str(v)) for k, v in need.consumables.items()),
        "standard": sorted((s.id, s.kit_type_id, s.consumable_id, s.quantity) for s in standards),
    }
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


_depot_id = pool.depot_of


def _lock_day(depot_id: int | None, date) -> None:
    """Serialise item assignment for one depot-day (the same row bookings lock for kit)."""
    pool.lock_days([(depot_id, date)])


def _on_other_wagons(lines, wagon_id: int | None):
    """Lines of visits on other wagons that day: a wagon's own stops share its one load
    (PRODUCT.md rule 1), so an item on another stop of the same wagon is not taken."""
    if wagon_id is None:
        return lines
    return lines.exclude(packing_list__booking__wagon_id=wagon_id)


def _taken_items(*, date, exclude_list_id: int | None, wagon_id: int | None = None):
    """Items already on a list of a visit on another wagon that day (a subquery)."""
    rows = PackingLine.objects.filter(
        date=date, item__isnull=False, packing_list__booking__status__in=PACKABLE
    )
    if exclude_list_id is not None:
        rows = rows.exclude(packing_list_id=exclude_list_id)
    rows = _on_other_wagons(rows, wagon_id)
    return rows.values("item_id")


def _location(item: Item) -> str:
    if item.case_id and item.case.storage_location:
        return item.case.storage_location
    return item.kit_type.storage_location


def pick_items(candidates: list[Item], needed: int) -> list[Item]:
    """Choose `needed` items: whole cases first (largest that fit), then loose items, then the
    smallest case that covers the rest. `candidates` are in depot walking order."""
    loose = [item for item in candidates if item.case_id is None]
    cases: dict[int, list[Item]] = defaultdict(list)
    for item in candidates:
        if item.case_id is not None:
            cases[item.case_id].append(item)
    chosen: list[Item] = []
    remaining = needed
    used: set[int] = set()
    for case_id, items in sorted(cases.items(), key=lambda kv: -len(kv[1])):
        if 0 < len(items) <= remaining:
            chosen.extend(items)
            used.add(case_id)
            remaining -= len(items)
    take = loose[:remaining]
    chosen.extend(take)
    remaining -= len(take)
    if remaining:
        rest = sorted((items for cid, items in cases.items() if cid not in used), key=len)
        cover = next((items for items in rest if len(items) >= remaining), None)
        if cover is not None:
            chosen.extend(cover[:remaining])
        else:
            for items in reversed(rest):
                chosen.extend(items[:remaining])
                remaining -= len(items[:remaining])
                if not remaining:
                    break
    return chosen


def _candidates(
    *, depot_id, kit_type_ids, date, exclude_list_id, wagon_id=None
) -> dict[int, list[Item]]:
    if not kit_type_ids or depot_id is None:
        return {}
    taken = _taken_items(date=date, exclude_list_id=exclude_list_id, wagon_id=wagon_id)
    # One query: the depot's available items of these types, less those taken that day.
    items = (
        Item.objects.filter(
            depot_id=depot_id, kit_type_id__in=kit_type_ids, status=Item.Status.AVAILABLE
        )
        .exclude(pk__in=taken)
        .select_related("case", "kit_type")
        .order_by("asset_tag")
    )
    result: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        result[item.kit_type_id].append(item)
    for kit_type_id in result:
        result[kit_type_id].sort(
            key=lambda i: (_location(i), i.case.code if i.case_id else "", i.asset_tag)
        )
    return result


def _item_sort_key(line: PackingLine):
    # Walk the depot once: by storage location, then case, then tag; unassigned last per type.
    return (
        0,
        line.storage_location or "~",
        line.case.code if line.case_id else "~",
        line.name,
        line.item.asset_tag if line.item_id else "~",
    )


def _history_user(acting_user):
    """Who history rows name when they are written in bulk (no per-row save() to ask the
    request middleware): the acting user, else the logged-in user of the request."""
    if _authenticated(acting_user):
        return acting_user
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if _authenticated(user) else None


def _build_lines(packing_list, booking, need, standards, kit_types, acting_user=None) -> None:
    depot_id = _depot_id(booking)
    candidates = _candidates(
        depot_id=depot_id,
        kit_type_ids=list(need.kit),
        date=booking.date,
        exclude_list_id=packing_list.id,
        wagon_id=booking.wagon_id,
    )
    item_lines: list[PackingLine] = []
    for kit_type_id, quantity in need.kit.items():
        kit_type = kit_types[kit_type_id]
        chosen = pick_items(candidates.get(kit_type_id, []), quantity)
        for item in chosen:
            item_lines.append(
                PackingLine(
                    kind=PackingLine.Kind.ITEM,
                    kit_type=kit_type,
                    item=item,
                    case=item.case,
                    name=kit_type.name,
                    storage_location=_location(item),
                )
            )
        for _ in range(quantity - len(chosen)):
            item_lines.append(
                PackingLine(
                    kind=PackingLine.Kind.ITEM,
                    kit_type=kit_type,
                    name=kit_type.name,
                    storage_location=kit_type.storage_location,
                )
            )
    item_lines.sort(key=_item_sort_key)
    consumable_lines = [
        PackingLine(
            kind=PackingLine.Kind.CONSUMABLE,
            consumable=consumable,
            name=consumable.name,
            quantity=need.consumables[consumable.id],
        )
        for consumable in sorted(_consumables(booking, need), key=lambda c: c.name)
    ]
    standard_lines = [
        PackingLine(
            kind=PackingLine.Kind.STANDARD,
            standard=standard,
            kit_type=standard.kit_type,
            consumable=standard.consumable,
            name=standard.name,
            storage_location=standard.storage_location
            or (standard.kit_type.storage_location if standard.kit_type_id else ""),
            quantity=standard.quantity,
        )
        for standard in standards
    ]
    lines = item_lines + consumable_lines + standard_lines
    for position, line in enumerate(lines, start=1):
        line.packing_list = packing_list
        line.position = position
        line.date = booking.date
    # Two statements for any number of lines: the lines, then a history row for each.
    PackingLine.objects.bulk_create(lines)
    _lines_history(
        PackingLine.objects.filter(packing_list=packing_list),
        history_type="+",
        user=_history_user(acting_user),
    )


def _lines_history(lines, *, history_type: str, user) -> None:
    """The history row per line that a per-row save ("+") or delete ("-") would write, naming
    `user`, for the lines of the queryset `lines`: copied in the database by one INSERT … SELECT
    whatever their number, no row built in Python."""
    history = PackingLine.history.model
    quote = connection.ops.quote_name
    tracked = [field.attname for field in history.tracked_fields]
    columns = [history._meta.get_field(name).column for name in tracked]
    select, params = lines.order_by("position", "pk").values_list(*tracked).query.sql_with_params()
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    columns += [history._meta.get_field(name).column for name in extra]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"SELECT lines.*, %s, NULL, %s, %s FROM ({select}) lines",
            [
                connection.ops.adapt_datetimefield_value(timezone.now()),
                history_type,
                user.pk if user is not None else None,
                *params,
            ],
        )


def _lines_delete(lines: list[PackingLine], acting_user) -> None:
    """Delete lines in three statements whatever their number: the history row each per-row
    delete would write (type "-", naming the acting user), their check actions, the lines."""
    if not lines:
        return
    ids = [line.pk for line in lines]
    user = acting_user if _authenticated(acting_user) else None
    _lines_history(PackingLine.objects.filter(pk__in=ids), history_type="-", user=user)
    CheckAction.objects.filter(line_id__in=ids).delete()
    # The history rows are written above: a plain DELETE (no per-row signal, no second row).
    PackingLine.objects.filter(pk__in=ids)._raw_delete(PackingLine.objects.db)


def _consumables(booking: Booking, need: KitNeed) -> list:
    """The consumables of `need`, from the booking's prefetched sessions (their rules come with
    their consumable)."""
    found = {
        rule.consumable_id: rule.consumable
        for session in booking.sessions.all()
        for rule in session.workshop.consumable_rules.all()
    }
    return [found[pk] for pk in need.consumables if pk in found]


def _standards(programme_ids) -> dict[int, list[StandardEquipment]]:
    """Per programme, its standard load: a visit carries its own programme's (its school's),
    never another programme's first-aid kit or router. One query."""
    found: dict[int, list[StandardEquipment]] = {pk: [] for pk in programme_ids}
    for standard in (
        StandardEquipment.objects.filter(programme_id__in=found)
        .select_related("kit_type", "consumable")
        .order_by("storage_location", "name", "id")
    ):
        found[standard.programme_id].append(standard)
    return found


def _started(packing_list: PackingList, booking: Booking) -> bool:
    if booking.status != S.CONFIRMED:
        return True
    return packing_list.lines.filter(Q(packed=True) | Q(returned__isnull=False)).exists()


def _repair(packing_list: PackingList, booking: Booking) -> None:
    """Same need, but an item went defect or a shortage may have cleared: re-suggest only the
    lines concerned, keeping every other line (and its id) as it is."""
    broken = list(
        packing_list.lines.filter(kind=PackingLine.Kind.ITEM, packed=False)
        .filter(Q(item__isnull=True) | ~Q(item__status=Item.Status.AVAILABLE))
        .select_related("kit_type", "item")
    )
    if not broken:
        return
    by_type: dict[int, list[PackingLine]] = defaultdict(list)
    for line in broken:
        by_type[line.kit_type_id].append(line)
    keep = set(
        packing_list.lines.filter(
            item__isnull=False, item__status=Item.Status.AVAILABLE
        ).values_list("item_id", flat=True)
    )
    candidates = _candidates(
        depot_id=_depot_id(booking),
        kit_type_ids=list(by_type),
        date=booking.date,
        exclude_list_id=packing_list.id,
        wagon_id=booking.wagon_id,
    )
    for kit_type_id, lines in by_type.items():
        free = [i for i in candidates.get(kit_type_id, []) if i.id not in keep]
        for line, item in zip(lines, pick_items(free, len(lines)), strict=False):
            line.item = item
            line.case = item.case
            line.storage_location = _location(item)
            line.save()
        for line in lines[len(free) :]:
            if line.item_id is not None:
                line.item = None
                line.case = None
                line.storage_location = line.kit_type.storage_location
                line.save()


@transaction.atomic
def packing_list_ensure(*, booking: Booking, acting_user=None, loaded=False) -> PackingList:
    """Build the booking's list, or rebuild it when its sessions changed before packing started.
    Once anything is packed the list is stable. `loaded`: the caller holds the booking's day
    lock and its row lock, and `booking` comes with its wagon, school, packing list and
    sessions (with their workshops' rules) read — nothing is read again."""
    if loaded:
        packing_list = getattr(booking, "packing_list", None)
    else:
        booking = Booking.objects.select_related("wagon", "school").get(pk=booking.pk)
        _lock_day(_depot_id(booking), booking.date)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("wagon", "school")
            .prefetch_related(_sessions_prefetch())
            .get(pk=booking.pk)
        )
        packing_list = PackingList.objects.filter(booking=booking).first()
    if booking.status not in PACKABLE:
        if packing_list is not None:
            return packing_list
        raise BookingError(
            f"Booking {booking.reference} is {booking.status}; a packing list exists from "
            "confirmation on.",
            code="not_confirmed",
        )
    if packing_list is not None and _started(packing_list, booking):
        return packing_list
    need = _need_of(booking)
    units = sum(need.kit.values())
    if units > MAX_ITEM_LINES:
        raise BookingError(
            f"Dit bezoek vraagt {units} stuks materiaal; een paklijst heeft er hoogstens "
            f"{MAX_ITEM_LINES}. Controleer de materiaalregels van de workshops.",
            code="too_much_kit",
            units=units,
            max=MAX_ITEM_LINES,
        )
    [standards] = _standards([booking.school.programme_id]).values()
    signature = _signature(need, standards)
    now = timezone.now()
    if packing_list is not None:
        if packing_list.need_signature == signature:
            _repair(packing_list, booking)
            return packing_list
        _lines_delete(list(packing_list.lines.all()), acting_user)
        packing_list.need_signature = signature
        packing_list.generated_at = now
        packing_list.save()
    else:
        packing_list = PackingList.objects.create(
            booking=booking, need_signature=signature, generated_at=now
        )
    kit_types = {
        rule.kit_type_id: rule.kit_type
        for session in booking.sessions.all()
        for rule in session.workshop.kit_rules.all()
    }
    _build_lines(packing_list, booking, need, standards, kit_types, acting_user)
    return packing_list


def packing_lists_ensure(*, bookings) -> None:
    """`packing_list_ensure` for several bookings, writing only for lists that are missing or
    out of date; when all are current this costs a constant number of queries."""
    bookings = list(
        bookings.select_related("packing_list", "school").prefetch_related(_sessions_prefetch())
    )
    if not bookings:
        return
    # Per list, counted in the database (a wagon-day can hold thousands of item lines): lines
    # already packed or checked in, and lines without an available item.
    state = {
        row["packing_list_id"]: row
        for row in PackingLine.objects.filter(
            packing_list__booking__in=[b.pk for b in bookings], kind=PackingLine.Kind.ITEM
        )
        .values("packing_list_id")
        .annotate(
            started=Count("id", filter=Q(packed=True) | Q(returned__isnull=False)),
            broken=Count(
                "id", filter=Q(item__isnull=True) | ~Q(item__status=Item.Status.AVAILABLE)
            ),
        )
    }
    standards = _standards({booking.school.programme_id for booking in bookings})
    for booking in bookings:
        packing_list = getattr(booking, "packing_list", None)
        if packing_list is not None:
            row = state.get(packing_list.pk, {})
            if booking.status != S.CONFIRMED or row.get("started"):
                continue
            current = packing_list.need_signature == _signature(
                _need_of(booking), standards[booking.school.programme_id]
            )
            if current and not row.get("broken"):
                continue
        packing_list_ensure(booking=booking)


# --- following the services: lists are written when bookings and items change, never on read ---


@transaction.atomic
def packing_list_follow(*, booking: Booking, acting_user=None, loaded=False) -> None:
    """Build, rebuild or repair the booking's list after a service changed its kit, date or
    wagon. A list not started yet whose items were picked for another day or depot is rebuilt.
    `loaded`: as for `packing_list_ensure` (the booking as the calling service holds it)."""
    if not loaded:
        booking = Booking.objects.select_related("wagon", "school", "packing_list").get(
            pk=booking.pk
        )
    if booking.status not in PACKABLE:
        return
    packing_list = getattr(booking, "packing_list", None)
    if packing_list is not None and not _started(packing_list, booking):
        moved = packing_list.lines.filter(
            (Q(kind=PackingLine.Kind.ITEM) & ~Q(date=booking.date))
            | (Q(item__isnull=False) & ~Q(item__depot_id=_depot_id(booking)))
        ).exists()
        if moved:
            packing_list.need_signature = ""  # no need matches: packing_list_ensure rebuilds
            if not loaded:  # else packing_list_ensure saves this same object
                packing_list.save(update_fields=["need_signature"])
    packing_list_ensure(booking=booking, acting_user=acting_user, loaded=loaded)


def packing_lists_follow_item(*, item: Item) -> None:
    """An item changed status: repair the lists of coming visits that hold it or still wait for
    one of its kit type (a repaired item may fill a shortage)."""
    lines = PackingLine.objects.filter(
        kind=PackingLine.Kind.ITEM,
        packed=False,
        date__gte=timezone.localdate(),
        packing_list__booking__status=S.CONFIRMED,
    ).filter(Q(item=item) | Q(item__isnull=True, kit_type_id=item.kit_type_id))
    ids = set(lines.values_list("packing_list__booking_id", flat=True))
    for booking in Booking.objects.filter(pk__in=ids).order_by("date", "pk"):
        with transaction.atomic():
            packing_list_follow(booking=booking)


def on_booking_kit_changed(sender, *, booking, acting_user=None, loaded=False, **kwargs) -> None:
    packing_list_follow(booking=booking, acting_user=acting_user, loaded=loaded)


def on_item_status_changed(sender, *, item, **kwargs) -> None:
    # After commit: the item row is locked now, and list repairs take day locks first (as the
    # crew's check actions do) — taking them here would invert that order.
    item_id = item.pk
    transaction.on_commit(
        lambda: packing_lists_follow_item(item=Item.objects.get(pk=item_id)), robust=True
    )


# --- check actions --------------------------------------------------------------------------


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _save_line(line: PackingLine, acting_user, reason: str) -> None:
    if _authenticated(acting_user):
        line._history_user = acting_user
    line._change_reason = reason
    line.save()


def _set_booking_status(booking: Booking, status: str, acting_user, reason: str) -> Booking:
    """`packed` and `returned` follow from the list, through the bookings lifecycle service."""
    return booking_set_status(
        booking=booking, status=status, acting_user=acting_user, reason=reason
    )


def _line_for_tag(packing_list, booking, asset_tag: str, line_id: int | None) -> PackingLine:
    """Find the line a scanned tag belongs to, swapping the item in when it is a different
    item of a kit type the list needs."""
    item = (
        Item.objects.select_related("kit_type", "case")
        .filter(asset_tag__iexact=asset_tag.strip())
        .first()
    )
    if item is None:
        raise BookingError(
            f"Onbekend inventarisnummer {asset_tag!r}.", code="unknown_asset_tag", status_code=400
        )
    lines = packing_list.lines.select_for_update(of=("self",)).select_related(
        "item", "case", "kit_type", "consumable"
    )
    own = lines.filter(item=item).first()
    if own is not None and (line_id is None or own.id == line_id):
        return own
    if line_id is not None:
        target = lines.filter(pk=line_id).first()
        if target is None:
            raise BookingError(
                "Line not on this packing list.", code="unknown_line", status_code=400
            )
        if target.kind != PackingLine.Kind.ITEM or target.kit_type_id != item.kit_type_id:
            raise BookingError(
                f"{item.asset_tag} is een {item.kit_type.name}; deze regel vraagt {target.name}.",
                code="wrong_kit_type",
                status_code=400,
            )
        if target.packed:
            raise BookingError(
                "This line is already packed; unpack it first.", code="already_packed"
            )
    else:
        open_lines = list(
            lines.filter(kind=PackingLine.Kind.ITEM, kit_type=item.kit_type_id, packed=False)
        )
        if not open_lines:
            if not lines.filter(kind=PackingLine.Kind.ITEM, kit_type=item.kit_type_id).exists():
                raise BookingError(
                    f"{item.asset_tag} is een {item.kit_type.name}; dat staat niet op deze "
                    "paklijst.",
                    code="wrong_kit_type",
                    status_code=400,
                )
            raise BookingError(
                f"Alle {item.kit_type.name} regels zijn al ingepakt.", code="already_packed"
            )
        # Fill a shortage first, else replace the suggested item last in walking order.
        open_lines.sort(key=lambda line: (line.item_id is not None, -line.position))
        target = open_lines[0]
    if item.status != Item.Status.AVAILABLE:
        raise BookingError(
            f"{item.asset_tag} is {item.get_status_display().lower()} en mag niet mee.",
            code="item_defect" if item.status == Item.Status.DEFECT else "item_not_available",
            status=item.status,
        )
    if item.depot_id != _depot_id(booking):
        raise BookingError(
            f"{item.asset_tag} hoort bij een ander depot.", code="wrong_depot", status_code=409
        )
    other = (
        _on_other_wagons(
            PackingLine.objects.filter(
                date=booking.date, item=item, packing_list__booking__status__in=PACKABLE
            ),
            booking.wagon_id,
        )
        .exclude(packing_list=packing_list)
        .select_related("packing_list__booking")
        .first()
    )
    if other is not None:
        reference = other.packing_list.booking.reference
        raise BookingError(
            f"{item.asset_tag} staat die dag al op de paklijst van {reference}.",
            code="item_on_other_visit",
            booking=reference,
        )
    if own is not None:  # the tag sat on another line of this list: give that line our old item
        own.item, own.case = target.item, target.case
        own.storage_location = target.storage_location if target.item_id else own.storage_location
        _save_line(own, None, f"gewisseld met {item.asset_tag}")
    target.item = item
    target.case = item.case
    target.storage_location = _location(item)
    return target


@transaction.atomic
def packing_check(
    *,
    booking: Booking,
    action: str,
    client_id,
    line_id: int | None = None,
    asset_tag: str = "",
    condition: str = "",
    note: str = "",
    used_quantity: Decimal | None = None,
    acting_user=None,
) -> dict:
    """Apply one crew action and return the line as the API shows it. A `client_id` seen before
    returns the recorded answer and changes nothing."""
    booking = Booking.objects.select_related("wagon", "school").get(pk=booking.pk)
    # Same lock order as packing_list_ensure and the bookings services: the day, then rows.
    _lock_day(_depot_id(booking), booking.date)
    packing_list = PackingList.objects.select_for_update().filter(booking_id=booking.pk).first()
    if packing_list is None:
        packing_list_ensure(booking=booking, acting_user=acting_user)
        packing_list = PackingList.objects.select_for_update().get(booking_id=booking.pk)
    fingerprint = _fingerprint(
        booking_id=booking.pk,
        action=action,
        line_id=line_id,
        asset_tag=asset_tag,
        condition=condition,
        note=note,
        used_quantity=used_quantity,
    )
    previous = CheckAction.objects.filter(client_id=client_id).first()
    if previous is not None:
        if previous.fingerprint:
            same = previous.fingerprint == fingerprint
        else:  # recorded before requests had a fingerprint
            same = previous.packing_list_id == packing_list.id and previous.action == action
        if not same:
            raise BookingError(
                "Deze client_id is al gebruikt voor een ander verzoek; stuur een nieuwe.",
                code="client_id_conflict",
                client_id=str(client_id),
            )
        return previous.result
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("wagon", "school")
        .get(pk=booking.pk)
    )
    if action in ("pack", "unpack") and booking.status not in PACK_STATUSES:
        raise BookingError(
            f"Booking {booking.reference} is {booking.status}; packing is done before departure.",
            code="invalid_transition",
        )
    if action == "return" and booking.status not in RETURN_STATUSES:
        raise BookingError(
            f"Booking {booking.reference} is {booking.status}; kit is checked in after the visit "
            "(on_site).",
            code="invalid_transition",
        )
    if asset_tag and action == "pack":
        line = _line_for_tag(packing_list, booking, asset_tag, line_id)
    else:
        line = _find_line(packing_list, line_id, asset_tag)
    reference = booking.reference
    if action == "pack":
        if line.kind == PackingLine.Kind.ITEM and line.item_id is None:
            raise BookingError(
                "Scan the asset tag of the item you pack for this line.",
                code="asset_tag_required",
                status_code=400,
            )
        line.packed = True
        _save_line(line, acting_user, f"ingepakt voor {reference}")
    elif action == "unpack":
        line.packed = False
        _save_line(line, acting_user, f"uitgepakt voor {reference}")
    else:
        _return_line(line, booking, condition, note, used_quantity, acting_user)
    booking = _follow_status(packing_list, booking, action, acting_user)
    if action == "return":  # re-read: amounts as stored, the item as item_set_status left it
        line = PackingLine.objects.select_related("item", "case", "kit_type", "consumable").get(
            pk=line.pk
        )
    result = {**line_data(line), "booking_status": booking.status}
    CheckAction.objects.create(
        client_id=client_id,
        packing_list=packing_list,
        line=line,
        action=action,
        asset_tag=asset_tag[:40],
        condition=condition,
        note=note[:500],
        fingerprint=fingerprint,
        result=json.loads(json.dumps(result, default=str)),
        acting_user=acting_user if _authenticated(acting_user) else None,
    )
    return result


def _fingerprint(*, booking_id, action, line_id, asset_tag, condition, note, used_quantity) -> str:
    """What a request asked for: a retry (same client_id) must ask for exactly the same."""
    payload = [
        booking_id,
        action,
        line_id,
        asset_tag.strip().casefold(),
        condition or "",
        note or "",
        None if used_quantity is None else str(Decimal(used_quantity).normalize()),
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _find_line(packing_list, line_id, asset_tag) -> PackingLine:
    lines = packing_list.lines.select_for_update(of=("self",)).select_related(
        "item", "case", "kit_type", "consumable"
    )
    if line_id is not None:
        line = lines.filter(pk=line_id).first()
    else:
        line = lines.filter(item__asset_tag__iexact=asset_tag.strip()).first()
    if line is None:
        if asset_tag and not Item.objects.filter(asset_tag__iexact=asset_tag.strip()).exists():
            raise BookingError(
                f"Onbekend inventarisnummer {asset_tag!r}.",
                code="unknown_asset_tag",
                status_code=400,
            )
        raise BookingError(
            "That line or item is not on this packing list.", code="unknown_line", status_code=400
        )
    return line


def _return_line(line, booking, condition, note, used_quantity, acting_user) -> None:
    if not line.packed:
        raise BookingError("This line was not packed, so it cannot come back.", code="not_packed")
    if line.returned is not None:
        raise BookingError("This line is already checked in.", code="already_returned")
    if not condition:
        raise BookingError(
            "Give the condition: ok, damaged or missing.",
            code="condition_required",
            status_code=400,
        )
    reference = booking.reference
    line.returned = condition != PackingLine.Condition.MISSING
    line.condition = condition
    line.note = note[:500]
    who = acting_user.get_username() if _authenticated(acting_user) else "onbekend"
    if line.item_id and condition in ("damaged", "missing"):
        status = Item.Status.DEFECT if condition == "damaged" else Item.Status.LOST
        word = "beschadigd" if condition == "damaged" else "vermist"
        item_set_status(
            item=line.item,
            status=status,
            note=f"{reference}: {note}" if note else "",
            acting_user=acting_user,
            reason=f"retour {reference}: {word} (door {who})" + (f" — {note}" if note else ""),
        )
    if line.consumable_id and line.kind == PackingLine.Kind.CONSUMABLE:
        used = line.quantity if used_quantity is None else used_quantity
    else:
        used = used_quantity
    if line.consumable_id and used:
        line.used_quantity = used
        consumable_adjust_stock(
            consumable=line.consumable,
            delta=-Decimal(used),
            reason=f"verbruikt bij {reference}",
            acting_user=acting_user,
            allow_negative=True,
        )
    elif used is not None:
        line.used_quantity = used
    _save_line(line, acting_user, f"retour {reference}: {condition}")


def _follow_status(packing_list, booking, action, acting_user) -> Booking:
    lines = packing_list.lines.all()
    if action == "pack" and booking.status == S.CONFIRMED:
        if not lines.filter(packed=False).exists():
            return _set_booking_status(booking, S.PACKED, acting_user, "alles ingepakt")
    elif action == "unpack" and booking.status == S.PACKED:
        return _set_booking_status(booking, S.CONFIRMED, acting_user, "regel uitgepakt")
    elif action == "return" and booking.status == S.ON_SITE:
        # Unpacked lines never left the depot; missing/damaged ones are accounted for.
        if not lines.filter(packed=True, condition="").exists():
            return _set_booking_status(
                booking, S.RETURNED, acting_user, "alles retour of verantwoord"
            )
    return booking
