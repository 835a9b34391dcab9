"""Every write rule for schools, workshops, blackouts and bookings.

No double booking (PRODUCT.md rule 3): confirming takes `select_for_update` on the
`DayLock(depot, date)` row (`bookings.kit.pool.lock_days`), so decisions about one depot's kit
pool on one day are serialised; the availability check and the reservation rows
(`bookings.kit.pool.reservations_write`) are written under that lock. On SQLite the IMMEDIATE
transaction mode (backend/core/env.py) serialises writers the same way. The kit rule itself — stop,
wagon-day and depot need, `wagon_busy` — lives in `bookings.kit`.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.dates import check_date_window
from backend.core.dutch import sentence_date
from backend.core.history import with_acting_user
from backend.core.roles import SCHOOL, programme_ids_of, role_of, school_id_of
from backend.core.updates import apply_changes, delete_instance, save_changed
from bookings import emails, events, selectors
from bookings.calendar_rules import lead_time_days
from bookings.exceptions import BookingError
from bookings.kit import busy, pool
from bookings.kit.need import need_for
from bookings.models import (
    MAX_ALTERNATIVE_DATES,
    PO_SCHOOL_TYPES,
    VMBO_SCHOOL_TYPES,
    VO_SCHOOL_TYPES,
    Blackout,
    Booking,
    BookingSession,
    ConsumableRule,
    KitRule,
    School,
    VmboProfile,
    Workshop,
)
from bookings.reports import facts
from inventory.models import Wagon

Status = Booking.Status

# PRODUCT.md lifecycle; `packed`/`returned` are set by the packing list, `on_site` by crew.
TRANSITIONS: dict[str, set[str]] = {
    Status.REQUESTED: {Status.CONFIRMED, Status.DECLINED, Status.CANCELLED},
    Status.CONFIRMED: {Status.PACKED, Status.ON_SITE, Status.CANCELLED},
    Status.PACKED: {Status.CONFIRMED, Status.ON_SITE, Status.CANCELLED},
    Status.ON_SITE: {Status.RETURNED},
    Status.RETURNED: {Status.COMPLETED},
    Status.COMPLETED: set(),
    Status.DECLINED: set(),
    Status.CANCELLED: set(),
}
MAX_DAYS_AHEAD = 730
MAX_TEACHERS = 50  # BookingSession.teachers' validator
REFERENCE_ATTEMPTS = 30


# --- schools ---------------------------------------------------------------------------------

SCHOOL_SELF_SERVICE_FIELDS = {"contact_name", "contact_email", "contact_phone", "site_notes"}


@transaction.atomic
def school_update(*, school: School, data: dict, acting_user) -> School:
    """Change a school; a school user may only change its contact and site fields."""
    if role_of(acting_user) == SCHOOL:
        forbidden = sorted(set(data) - SCHOOL_SELF_SERVICE_FIELDS)
        if forbidden:
            raise ValidationError(
                {name: ["Alleen een coördinator kan dit veld wijzigen."] for name in forbidden}
            )
    school = School.objects.select_for_update().get(pk=school.pk)
    save_changed(school, apply_changes(school, data), acting_user=acting_user)
    return school


@transaction.atomic
def school_create(*, data: dict, acting_user) -> School:
    """A new school in a programme (`data["programme"]`, checked by the caller's scope)."""
    school = School(**data)
    school.full_clean(exclude=["school_types"])  # an empty list is allowed: types come later
    with_acting_user(school, acting_user)
    school.save()
    return school


def school_delete(*, school: School, acting_user) -> None:
    delete_instance(school, acting_user=acting_user, error=BookingError)


# --- workshops ---------------------------------------------------------------------------------


def _validate_rules(kit_rules: Sequence[dict], consumable_rules: Sequence[dict]) -> None:
    errors = {}
    seen = set()
    for rule in kit_rules:
        # On PATCH DRF validates nested rules partially, so a rule may lack its kit type.
        if rule.get("kit_type") is None:
            errors.setdefault("kit_rules", []).append("Elke regel heeft een kit_type nodig.")
            continue
        if (rule.get("per_pupils") is None) == (rule.get("fixed") is None):
            errors.setdefault("kit_rules", []).append(
                "Geef per regel precies één van per_pupils en fixed."
            )
        if rule["kit_type"].pk in seen:
            errors.setdefault("kit_rules", []).append(
                f"{rule['kit_type'].name} staat er twee keer in."
            )
        seen.add(rule["kit_type"].pk)
    seen = set()
    for rule in consumable_rules:
        if rule.get("consumable") is None or rule.get("per_pupil") is None:
            errors.setdefault("consumable_rules", []).append(
                "Elke regel heeft een consumable en per_pupil nodig."
            )
            continue
        if rule["consumable"].pk in seen:
            errors.setdefault("consumable_rules", []).append(
                f"{rule['consumable'].name} staat er twee keer in."
            )
        seen.add(rule["consumable"].pk)
    if errors:
        raise ValidationError(errors)


def _replace_rules(workshop, kit_rules, consumable_rules, acting_user) -> None:
    if kit_rules is not None:
        for old in workshop.kit_rules.all():
            with_acting_user(old, acting_user)
            old.delete()
        for rule in kit_rules:
            new = KitRule(
                workshop=workshop,
                kit_type=rule["kit_type"],
                per_pupils=rule.get("per_pupils"),
                fixed=rule.get("fixed"),
            )
            with_acting_user(new, acting_user)
            new.save()
    if consumable_rules is not None:
        for old in workshop.consumable_rules.all():
            with_acting_user(old, acting_user)
            old.delete()
        for rule in consumable_rules:
            new = ConsumableRule(
                workshop=workshop, consumable=rule["consumable"], per_pupil=rule["per_pupil"]
            )
            with_acting_user(new, acting_user)
            new.save()


def _validate_audience_range(workshop: Workshop) -> None:
    """Audience range: groep (po) and leerjaar (vo) run from min to max; null is open."""
    for low_name, high_name, unit in (
        ("po_group_min", "po_group_max", _("groep")),
        ("vo_year_min", "vo_year_max", _("leerjaar")),
    ):
        low, high = getattr(workshop, low_name), getattr(workshop, high_name)
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {
                    high_name: [
                        _("Tot %(unit)s %(high)s ligt voor vanaf %(unit)s %(low)s.")
                        % {"unit": unit, "high": high, "low": low}
                    ]
                }
            )


@transaction.atomic
def workshop_create(
    *,
    data: dict,
    kit_rules: Sequence[dict] = (),
    consumable_rules: Sequence[dict] = (),
    acting_user,
) -> Workshop:
    """A workshop with its kit and consumable rules, all or nothing."""
    _validate_rules(kit_rules, consumable_rules)
    workshop = Workshop(**data)
    _validate_audience_range(workshop)
    with_acting_user(workshop, acting_user)
    workshop.save()
    _replace_rules(workshop, kit_rules, consumable_rules, acting_user)
    return workshop


@transaction.atomic
def workshop_delete(*, workshop: Workshop, acting_user) -> None:
    """Delete a workshop no session uses, its rules first (so their history names the user)."""
    if workshop.sessions.exists():
        raise BookingError(
            f"{workshop} is nog in gebruik en kan niet worden verwijderd.", code="in_use"
        )
    _replace_rules(workshop, [], [], acting_user)
    delete_instance(workshop, acting_user=acting_user, error=BookingError)


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    data: dict,
    kit_rules: Sequence[dict] | None = None,
    consumable_rules: Sequence[dict] | None = None,
    acting_user,
) -> Workshop:
    """Change a workshop; rules given replace the old ones (omitted: left as they are)."""
    _validate_rules(kit_rules or (), consumable_rules or ())
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    changed = apply_changes(workshop, data)
    _validate_audience_range(workshop)
    save_changed(workshop, changed, acting_user=acting_user)
    _replace_rules(workshop, kit_rules, consumable_rules, acting_user)
    return workshop


# --- blackouts ---------------------------------------------------------------------------------


def _check_blackout(blackout: Blackout) -> None:
    check_date_window(blackout.date_from, field="date_from")
    check_date_window(blackout.date_to, field="date_to")
    if blackout.date_from > blackout.date_to:
        raise ValidationError({"date_to": [_("De einddatum ligt voor de begindatum.")]})
    if blackout.wagon_id is not None and blackout.school_id is not None:
        raise ValidationError(
            {"school": [_("Een gesloten dag geldt voor een wagen of voor een school, niet beide.")]}
        )


def _blackout_programme(blackout: Blackout, acting_user, *, explicit: bool) -> None:
    """Fill in or check the blackout's programme: the wagon's or school's programme, else the
    acting user's only programme. `explicit`: the caller named the programme itself."""
    owner_id = None
    if blackout.wagon_id is not None:
        owner_id = Wagon.objects.filter(pk=blackout.wagon_id).values_list(
            "depot__programme_id", flat=True
        )[0]
    elif blackout.school_id is not None:
        owner_id = School.objects.filter(pk=blackout.school_id).values_list(
            "programme_id", flat=True
        )[0]
    if owner_id is not None:
        if explicit and blackout.programme_id not in (None, owner_id):
            field = "wagon" if blackout.wagon_id is not None else "school"
            raise ValidationError(
                {field: [_("Deze hoort bij een ander programma dan het gekozen programma.")]}
            )
        blackout.programme_id = owner_id
        return
    if blackout.programme_id is None:
        mine = programme_ids_of(acting_user)
        if mine is None or len(mine) != 1:
            raise ValidationError({"programme": [_("Kies het programma.")]})
        blackout.programme_id = next(iter(mine))


def _check_blackout_scope(blackout: Blackout, acting_user) -> None:
    """A school user manages only its own school's closed days (studiedagen): the school is
    implied, a wagon's or the programme's closed days are the coordinator's."""
    if role_of(acting_user) != SCHOOL:
        return
    if blackout.wagon_id is not None:
        raise ValidationError({"wagon": [_("Een school kan geen wagen blokkeren.")]})
    if blackout.school_id is None or blackout.school_id != school_id_of(acting_user):
        raise PermissionDenied(_("Een school beheert alleen de eigen gesloten dagen."))


@transaction.atomic
def blackout_save(*, blackout: Blackout, acting_user) -> Blackout:
    """A new closed day (an existing one changes through `blackout_update`). A school user's is
    its own school's; the programme follows the wagon or school (see `_blackout_programme`)."""
    if role_of(acting_user) == SCHOOL and blackout.school_id is None:
        blackout.school_id = school_id_of(acting_user)
    _check_blackout_scope(blackout, acting_user)
    _check_blackout(blackout)
    _blackout_programme(blackout, acting_user, explicit=blackout.programme_id is not None)
    with_acting_user(blackout, acting_user)
    blackout.save()
    return blackout


@transaction.atomic
def blackout_update(*, blackout: Blackout, data: dict, acting_user) -> Blackout:
    blackout = Blackout.objects.select_for_update().get(pk=blackout.pk)
    # A school user may not touch (or take over) a closed day that is not its own school's.
    _check_blackout_scope(blackout, acting_user)
    changed = apply_changes(blackout, data)
    _check_blackout_scope(blackout, acting_user)
    _check_blackout(blackout)
    if {"wagon", "school", "programme"} & set(changed):
        _blackout_programme(blackout, acting_user, explicit="programme" in data)
        changed.append("programme")
    save_changed(blackout, changed, acting_user=acting_user)
    return blackout


@transaction.atomic
def blackout_delete(*, blackout: Blackout, acting_user) -> None:
    _check_blackout_scope(blackout, acting_user)
    delete_instance(blackout, acting_user=acting_user, error=BookingError)


# --- bookings: validation ----------------------------------------------------------------------


def _minutes(t: dt.time | str) -> int:
    if isinstance(t, str):  # a model default not yet read back from the database
        t = dt.time.fromisoformat(t)
    return t.hour * 60 + t.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_same_programme(*, school: School, workshops: Iterable = (), wagon=None) -> None:
    """A visit's workshops and wagon belong to the school's programme (a coordinator of two
    programmes could otherwise mix them): field errors, before anything is written."""
    errors = {}
    if any(w.programme_id != school.programme_id for w in workshops):
        errors["workshop"] = [_("Deze workshop hoort bij een ander programma dan de school.")]
    if wagon is not None:
        depot_programme = (
            Wagon.objects.filter(pk=wagon.pk).values_list("depot__programme_id", flat=True).first()
        )
        if depot_programme != school.programme_id:
            errors["wagon"] = [_("Deze wagen hoort bij een ander programma dan de school.")]
    if errors:
        raise ValidationError(errors)


def validate_sessions(*, school: School, sessions: Sequence[dict]) -> None:
    """Field errors for sessions: audience, group size, school day. Sessions may overlap in time:
    groups rotating through stations ("carrousel") run at once, and their kit adds up."""
    if not sessions:
        raise ValidationError({"sessions": [_("Geef minstens één sessie op.")]})
    check_same_programme(school=school, workshops=[s["workshop"] for s in sessions])
    errors: dict[int, dict[str, list[str]]] = {}

    def add(index, field, message):
        errors.setdefault(index, {}).setdefault(field, []).append(message)

    day_start, day_end = _minutes(school.day_start), _minutes(school.day_end)
    for index, session in enumerate(sessions):
        workshop = session["workshop"]
        if not workshop.active:
            add(
                index,
                "workshop",
                _("%(name)s wordt niet meer aangeboden.") % {"name": workshop.name},
            )
        if workshop.school_types and session["school_type"] not in workshop.school_types:
            add(
                index,
                "school_type",
                _("%(name)s is niet bedoeld voor %(type)s.")
                % {"name": workshop.name, "type": session["school_type"]},
            )
        if school.school_types and session["school_type"] not in school.school_types:
            text = _("De school heeft geen %(type)s.") % {"type": session["school_type"]}
            add(index, "school_type", text)
        if session["pupils"] > workshop.max_pupils:
            add(
                index,
                "pupils",
                _("%(name)s is voor hoogstens %(max)s leerlingen per sessie.")
                % {"name": workshop.name, "max": workshop.max_pupils},
            )
        for field, message in audience_errors(workshop, session):
            add(index, field, message)
        for field, message in parts_errors(session):
            add(index, field, message)
        start = _minutes(session["start_time"])
        end = start + workshop.duration_minutes
        if start < day_start or end > day_end:
            add(
                index,
                "start_time",
                _(
                    "De sessie (%(start)s, %(minutes)s min) valt buiten de schooldag "
                    "%(day_start)s–%(day_end)s."
                )
                % {
                    "start": f"{session['start_time']:%H:%M}",
                    "minutes": workshop.duration_minutes,
                    "day_start": _hhmm(day_start),
                    "day_end": _hhmm(day_end),
                },
            )
    if errors:
        raise ValidationError(
            {"sessions": [_session_message(i, e) for i, e in sorted(errors.items())]}
        )


def parts_errors(session: dict) -> list[tuple[str, str]]:
    """Who was there: girls, boys and teachers are optional, never negative, and girls + boys
    fit in the pupils (the rest are "not specified"). The one place this rule lives: requests,
    session changes and attendance all come through here."""
    errors = []
    for field in ("girls", "boys", "teachers"):
        value = session.get(field)
        if value is not None and value < 0:
            errors.append((field, _("Een aantal kan niet negatief zijn.")))
    if (session.get("teachers") or 0) > MAX_TEACHERS:
        errors.append(
            ("teachers", _("Hoogstens %(max)s leerkrachten per groep.") % {"max": MAX_TEACHERS})
        )
    girls, boys = session.get("girls"), session.get("boys")
    counted = (girls or 0) + (boys or 0)
    if (girls or 0) >= 0 and (boys or 0) >= 0 and counted > session["pupils"]:
        field = "girls" if girls else "boys"
        errors.append(
            (
                field,
                _(
                    "%(girls)s meisjes en %(boys)s jongens is meer dan de %(pupils)s "
                    "leerlingen van de groep."
                )
                % {"girls": girls or 0, "boys": boys or 0, "pupils": session["pupils"]},
            )
        )
    return errors


def audience_errors(workshop: Workshop, session: dict) -> list[tuple[str, str]]:
    """The workshop's audience range (groep for po, leerjaar for vo) and the vmbo profile."""
    errors = []
    school_type, year = session["school_type"], session["year"]
    if school_type in PO_SCHOOL_TYPES:
        low, high, unit = workshop.po_group_min, workshop.po_group_max, _("groep")
    elif school_type in VO_SCHOOL_TYPES:
        low, high, unit = workshop.vo_year_min, workshop.vo_year_max, _("leerjaar")
    else:  # mbo: the niveau is the school type itself
        low = high = unit = None
    if (low is not None and year < low) or (high is not None and year > high):
        errors.append(
            (
                "year",
                _("%(name)s is voor %(unit)s %(range)s, niet voor %(unit)s %(year)s.")
                % {
                    "name": workshop.name,
                    "unit": unit,
                    "range": _audience_range(low, high),
                    "year": year,
                },
            )
        )
    profile = session.get("profile") or ""
    if profile and school_type not in VMBO_SCHOOL_TYPES:
        errors.append(("profile", _("Een profiel hoort alleen bij een vmbo-groep.")))
    elif profile and profile not in VmboProfile.values:
        errors.append(("profile", _("Onbekend vmbo-profiel: %(profile)s.") % {"profile": profile}))
    return errors


def _audience_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}" if low != high else str(low)
    if low is not None:
        return _("%(low)s en hoger") % {"low": low}
    return _("t/m %(high)s") % {"high": high}


def _session_message(index: int, fields: dict[str, list[str]]) -> str:
    parts = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
    return f"Sessie {index + 1}: {parts}"


def validate_date(*, day: dt.date, field: str = "date", on: dt.date) -> None:
    if day < on:
        raise ValidationError({field: [_("Deze datum ligt in het verleden.")]})
    if day > on + dt.timedelta(days=MAX_DAYS_AHEAD):
        text = _("Plan hoogstens %(days)s dagen vooruit.") % {"days": MAX_DAYS_AHEAD}
        raise ValidationError({field: [text]})


# --- bookings: helpers -------------------------------------------------------------------------


def _unavailable(reasons: list[dict]) -> BookingError:
    detail = (
        _("Deze aanvraag kan niet worden ingepland:") + " " + " ".join(r["detail"] for r in reasons)
    )
    return BookingError(detail, code="unavailable", reasons=reasons)


def _invalid_transition(booking: Booking, target: str) -> BookingError:
    return BookingError(
        _("Een aanvraag met status '%(status)s' kan niet naar '%(target)s'.")
        % {"status": booking.status, "target": target},
        code="invalid_transition",
        status=booking.status,
        target=target,
    )


def _next_reference(year: int) -> str:
    prefix = f"TW-{year}-"
    last = (
        Booking.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = 1
    if last and re.fullmatch(rf"{re.escape(prefix)}\d+", last):
        number = int(last[len(prefix) :]) + 1
    return f"{prefix}{number:04d}"


def _sessions_with_rules():
    """Sessions with what kit need and time on site read (for a `Prefetch` of a booking's)."""
    return BookingSession.objects.select_related("workshop").prefetch_related(
        Prefetch("workshop__kit_rules", queryset=KitRule.objects.select_related("kit_type")),
        Prefetch(
            "workshop__consumable_rules",
            queryset=ConsumableRule.objects.select_related("consumable"),
        ),
    )


def _check_open_requests(school: School) -> None:
    """A school may have TW_MAX_OPEN_REQUESTS_PER_SCHOOL requests waiting for the coordinator.
    The school row is locked first, so two racing requests cannot both take the last place."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    limit = settings.TW_MAX_OPEN_REQUESTS_PER_SCHOOL
    open_count = Booking.objects.filter(school=school, status=Status.REQUESTED).count()
    if open_count >= limit:
        raise BookingError(
            _(
                "Uw school heeft al %(open)s openstaande aanvragen; het maximum is %(limit)s. "
                "Wacht tot de coördinator er een heeft behandeld, of annuleer een aanvraag."
            )
            % {"open": open_count, "limit": limit},
            code="too_many_open_requests",
            limit=limit,
            open=open_count,
        )


def _place(day: dict, *, school, sessions, preferred, exclude_booking_id=None) -> Wagon:
    """The wagon a visit goes on, from an `availability_for` day computed for the depot's wagons
    (PRODUCT.md rule 1). The preferred wagon (a Wagon or None) if it has a slot and is not busy
    then — its kit must fit there, a chosen wagon is not swapped for kit; otherwise the best
    wagon (least kit added) that has a slot, fits the kit and is free at the visit's times.
    Raises `unavailable` with every reason when there is none."""
    general = [r for r in day["reasons"] if r["code"] not in ("kit_shortage", "wagon_full")]
    if general:
        raise _unavailable(day["reasons"])
    slot_wagons = day["slot_wagons"]
    if preferred is not None and preferred.pk in slot_wagons:
        # The usual case, decided on the preferred wagon alone (no read of the depot's wagons).
        if not busy.busy_wagons(
            school=school,
            day=day["date"],
            sessions=sessions,
            wagons=[preferred],
            exclude_booking_id=exclude_booking_id,
            rows=day["stops"],
        ):
            kit = day["kit_reasons"].get(preferred.pk, [])
            if kit:
                raise _unavailable(kit)
            return preferred
    wagons = {w.pk: w for w in Wagon.objects.filter(pk__in=slot_wagons)}
    taken = busy.busy_wagons(
        school=school,
        day=day["date"],
        sessions=sessions,
        wagons=wagons.values(),
        exclude_booking_id=exclude_booking_id,
        rows=day["stops"],
    )
    for wagon_id in day["free_wagons"]:
        if wagon_id not in taken:
            return wagons[wagon_id]
    if not taken:
        raise _unavailable(day["reasons"])
    # Name the busy wagons, and what keeps each of the others from taking the visit.
    reasons = [busy.busy_reason(wagons[w]) for w in slot_wagons if w in taken]
    for wagon_id in slot_wagons:
        if wagon_id not in taken:
            reasons.extend(day["kit_reasons"].get(wagon_id, []))
    raise _unavailable(reasons)


# --- bookings: writes --------------------------------------------------------------------------


@transaction.atomic
def booking_create(
    *,
    school: School,
    date: dt.date,
    sessions: Sequence[dict],
    acting_user,
    wagon=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    site_notes: str = "",
    photo_consent: bool = False,
    alternative_dates: Iterable[dt.date] = (),
) -> Booking:
    """A school's request for a visit (status `requested`), checked against calendar, wagon and
    kit. `sessions`: dicts with workshop, group_label, school_type, year, pupils, start_time.
    Schools must respect the lead time and the limit on open requests; a coordinator may book
    inside the lead time and beyond the limit."""
    current = selectors.today()
    validate_date(day=date, on=current)
    alternative_dates = sorted(set(alternative_dates))
    if len(alternative_dates) > MAX_ALTERNATIVE_DATES:
        raise ValidationError(
            {
                "alternative_dates": [
                    _("Geef hoogstens %(count)s andere data op.") % {"count": MAX_ALTERNATIVE_DATES}
                ]
            }
        )
    for alt in alternative_dates:
        validate_date(day=alt, field="alternative_dates", on=current)
    check_same_programme(school=school, wagon=wagon)
    if wagon is not None and school.depot_id is not None and wagon.depot_id != school.depot_id:
        raise ValidationError(
            {"wagon": [_("Deze wagen rijdt niet vanuit het depot van de school.")]}
        )
    validate_sessions(school=school, sessions=sessions)
    contact_name = contact_name or school.contact_name
    contact_email = contact_email or school.contact_email
    if not contact_name or not contact_email:
        raise ValidationError({"contact_email": [_("Geef een contactpersoon met e-mailadres op.")]})

    session_objs = [BookingSession(**s) for s in sessions]
    # Prefetched rules make kit need computable before anything is written.
    workshops = {
        w.pk: w
        for w in selectors.workshops_with_rules().filter(
            pk__in={s["workshop"].pk for s in sessions}
        )
    }
    for obj in session_objs:
        obj.workshop = workshops[obj.workshop_id]
    by_school = role_of(acting_user) == SCHOOL
    if by_school:
        _check_open_requests(school)
    # A wagon of the school's depot is a preference (another one may take the visit if it is
    # busy then); a wagon from elsewhere (a school without a depot) is checked alone.
    foreign = wagon is not None and wagon.depot_id != school.depot_id
    [day] = selectors.availability_for(
        school=school,
        date_from=date,
        date_to=date,
        sessions=session_objs,
        wagon=wagon if foreign else None,
        check_lead_time=by_school,
        on=current,
    )
    wagon_id = _place(day, school=school, sessions=session_objs, preferred=wagon).pk

    booking = Booking(
        school=school,
        wagon_id=wagon_id,
        date=date,
        status=Status.REQUESTED,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        site_notes=site_notes or school.site_notes,
        photo_consent=photo_consent,
        alternative_dates=[d.isoformat() for d in alternative_dates],
        # A school that asked in English gets its e-mails in English.
        language="en"
        if by_school and (translation.get_language() or "").startswith("en")
        else "nl",
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    with_acting_user(booking, acting_user, "aangevraagd")
    # Racing requests may pick the same next number; the unique constraint decides, the loser
    # (after the winner committed) reads the new maximum and tries again.
    for attempt in range(REFERENCE_ATTEMPTS):
        booking.reference = _next_reference(date.year)
        try:
            with transaction.atomic():
                booking.save()
            break
        except IntegrityError:
            booking.pk = None
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    for obj in session_objs:
        obj.booking = booking
        with_acting_user(obj, acting_user)
        obj.save()
    emails.queue_request_received(booking)
    emails.queue_new_request(booking)
    return booking


@transaction.atomic
def booking_confirm(*, booking: Booking, acting_user, send_email: bool = True) -> Booking:
    """Coordinator approval: re-check wagon and kit under the depot-day lock and reserve the kit.
    The booking, its sessions and their rules are read once (under the lock) and handed on to
    the kit check, the reservations, the packing list and the e-mail; so is the depot-day's kit
    pool (`pool.day_rows`: its reservations and live holds, one query). The booking comes back
    as stored, with its sessions (and their rules) prefetched."""
    depot_id = _depot_before_lock(booking)
    if depot_id is None:
        raise _unavailable([{"code": "no_wagon", "detail": _("Deze school heeft geen depot.")}])
    pool.lock_days([(depot_id, booking.date)])
    # Read under the lock: another transaction may have confirmed this one meanwhile.
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("school__programme", "wagon", "packing_list")
        .prefetch_related(Prefetch("sessions", queryset=_sessions_with_rules()))
        .get(pk=booking.pk)
    )
    if booking.status != Status.REQUESTED:
        raise _invalid_transition(booking, Status.CONFIRMED)
    if pool.depot_of(booking) != depot_id:
        # Moved to another depot between the first read and the lock (a race): lock that day.
        depot_id = pool.depot_of(booking)
        if depot_id is None:
            raise _unavailable([{"code": "no_wagon", "detail": _("Deze school heeft geen depot.")}])
        pool.lock_days([(depot_id, booking.date)])
    sessions = list(booking.sessions.all())
    need = need_for(sessions)
    current = selectors.today()
    day_rows = pool.day_rows(depot_id=depot_id, day=booking.date, booking_id=booking.pk)
    # A wagon from another depot than the school's (chosen by a coordinator) is checked alone.
    foreign = booking.wagon_id and booking.wagon.depot_id != booking.school.depot_id
    [day] = selectors.availability_for(
        school=booking.school,
        date_from=booking.date,
        date_to=booking.date,
        need=need,
        wagon=booking.wagon if foreign else None,
        exclude_booking=booking,
        check_lead_time=False,
        on=current,
        held_days={(depot_id, booking.date): day_rows.held},
    )
    wagon = _place(
        day,
        school=booking.school,
        sessions=sessions,
        preferred=booking.wagon,
        exclude_booking_id=booking.pk,
    )
    # `_place` chose among the wagons of the depot already locked.
    booking.wagon = wagon
    pool.reservations_write(booking=booking, need=need, depot_id=depot_id, day=day_rows)
    booking.status = Status.CONFIRMED
    booking.status_reason = ""
    save_changed(
        booking, ["wagon", "status", "status_reason"], acting_user=acting_user, reason="bevestigd"
    )
    facts.refresh([booking.pk], had_facts=False)  # a requested visit has none
    events.booking_kit_changed.send(
        sender=Booking, booking=booking, acting_user=acting_user, loaded=True
    )
    if send_email:
        emails.queue_confirmation(booking, loaded=True)
    return booking


def _depot_before_lock(booking: Booking) -> int | None:
    """The depot whose day a decision on `booking` locks, read before the lock: from `booking`
    when it comes with its wagon and school (the view's read), else one query. The status is
    checked again under the lock, and so is the depot."""
    if Booking.school.is_cached(booking) and (
        booking.wagon_id is None or Booking.wagon.is_cached(booking)
    ):
        status, depot_id = booking.status, pool.depot_of(booking)
    else:
        row = (
            Booking.objects.filter(pk=booking.pk)
            .values_list("status", "wagon__depot_id", "school__depot_id", "wagon_id")
            .first()
        )
        if row is None:
            raise Booking.DoesNotExist
        status, wagon_depot, school_depot, wagon_id = row
        depot_id = wagon_depot if wagon_id is not None else school_depot
    if status != Status.REQUESTED:
        raise _invalid_transition(Booking(status=status), Status.CONFIRMED)
    return depot_id


@transaction.atomic
def booking_update_sessions(*, booking: Booking, sessions: Sequence[dict], acting_user) -> Booking:
    """Replace a visit's sessions (e.g. changed group sizes). A school may do so until the lead
    time; a confirmed visit's kit is re-checked and re-reserved under the depot-day lock."""
    if role_of(acting_user) == SCHOOL:
        _check_school_deadline(booking, "change")
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise _invalid_transition(booking, booking.status)
    booking = Booking.objects.select_related("school__programme", "wagon").get(pk=booking.pk)
    validate_sessions(school=booking.school, sessions=sessions)
    if booking.status == Status.CONFIRMED:
        pool.lock_days([(pool.depot_of(booking), booking.date)])
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("school__programme", "wagon")
        .get(pk=booking.pk)
    )
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise _invalid_transition(booking, booking.status)
    new_sessions = [BookingSession(booking=booking, **s) for s in sessions]
    workshops = {
        w.pk: w
        for w in selectors.workshops_with_rules().filter(
            pk__in={s["workshop"].pk for s in sessions}
        )
    }
    for obj in new_sessions:
        obj.workshop = workshops[obj.workshop_id]
    need = need_for(new_sessions)
    if booking.status == Status.CONFIRMED:
        # Kit and time are re-checked on the visit's own wagon: date, wagon and slot stay.
        [day] = selectors.availability_for(
            school=booking.school,
            date_from=booking.date,
            date_to=booking.date,
            need=need,
            wagon=booking.wagon,
            exclude_booking=booking,
            check_lead_time=False,
        )
        shortages = day["kit_reasons"].get(booking.wagon_id)
        if shortages is None:
            shortages = [r for r in day["reasons"] if r["code"] == "kit_shortage"]
        if shortages:
            raise _unavailable(shortages)
        if booking.wagon_id and busy.busy_wagons(
            school=booking.school,
            day=booking.date,
            sessions=new_sessions,
            wagons=[booking.wagon],
            exclude_booking_id=booking.pk,
        ):
            raise _unavailable([busy.busy_reason(booking.wagon)])
        pool.reservations_write(booking=booking, need=need)
    for old in booking.sessions.all():
        with_acting_user(old, acting_user)
        old.delete()
    for obj in new_sessions:
        with_acting_user(obj, acting_user)
        obj.save()
    # The booking's own columns stay; its `updated` stamp and history record the change.
    save_changed(booking, ["updated"], acting_user=acting_user, reason="sessies gewijzigd")
    facts.refresh([booking.pk])
    events.booking_kit_changed.send(sender=Booking, booking=booking, acting_user=acting_user)
    return booking


def _check_school_deadline(booking: Booking, verb: str) -> None:
    """`verb`: "change" or "cancel" (whole sentences, so each translates as one)."""
    days = lead_time_days(booking.school.programme)
    deadline = booking.date - dt.timedelta(days=days)
    if selectors.today() > deadline:
        if verb == "cancel":
            text = _(
                "Annuleren kan tot %(days)s dagen voor het bezoek (uiterlijk %(date)s); neem "
                "contact op met de coördinator."
            )
        else:
            text = _(
                "Wijzigen kan tot %(days)s dagen voor het bezoek (uiterlijk %(date)s); neem "
                "contact op met de coördinator."
            )
        raise BookingError(text % {"days": days, "date": sentence_date(deadline)}, code="too_late")


@transaction.atomic
def booking_set_status(*, booking: Booking, status: str, acting_user, reason: str = "") -> Booking:
    """Move a booking along the lifecycle (packing list: packed/returned; crew: on_site)."""
    if status in (Status.CANCELLED, Status.DECLINED, Status.COMPLETED):
        # Its kit is freed: the depot-day first, then the booking row, as confirm and
        # reschedule lock them (the same order everywhere, so they never deadlock).
        pool.lock_days(pool.reserved_days(booking))
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if status == Status.CONFIRMED and booking.status == Status.REQUESTED:
        return booking_confirm(booking=booking, acting_user=acting_user)
    if status not in TRANSITIONS.get(booking.status, set()):
        raise _invalid_transition(booking, status)
    if status in (Status.CANCELLED, Status.DECLINED):
        pool.reservations_release(booking=booking)
        events.slot_freed.send(sender=Booking, depot_id=pool.depot_of(booking), date=booking.date)
    elif (status in Booking.RESERVING) != (booking.status in Booking.RESERVING):
        pool.reservations_recount(booking=booking, counts=status in Booking.RESERVING)
    booking.status = status
    booking.status_reason = reason[:300]
    save_changed(
        booking,
        ["status", "status_reason"],
        acting_user=acting_user,
        reason=reason or f"status → {status}",
    )
    facts.visit_changed(booking)
    if status == Status.DECLINED:
        emails.queue_declined(booking)
    elif status == Status.CANCELLED:
        emails.queue_cancelled(booking)
    return booking


def booking_decline(*, booking: Booking, reason: str, acting_user) -> Booking:
    if booking.status != Status.REQUESTED:
        raise _invalid_transition(booking, Status.DECLINED)
    return booking_set_status(
        booking=booking, status=Status.DECLINED, acting_user=acting_user, reason=reason
    )


def booking_cancel(*, booking: Booking, reason: str, acting_user) -> Booking:
    """Cancel a visit; a school may do so until the lead time before the date."""
    if role_of(acting_user) == SCHOOL:
        _check_school_deadline(booking, "cancel")
    return booking_set_status(
        booking=booking, status=Status.CANCELLED, acting_user=acting_user, reason=reason
    )


def booking_arrive(*, booking: Booking, acting_user) -> Booking:
    return booking_set_status(booking=booking, status=Status.ON_SITE, acting_user=acting_user)


def booking_complete(*, booking: Booking, acting_user) -> Booking:
    return booking_set_status(booking=booking, status=Status.COMPLETED, acting_user=acting_user)


# Who was there can be filled in once the visit is settled: ahead by the teacher (confirmed,
# packed) and afterwards by crew, coordinator or teacher.
ATTENDANCE_STATUSES = (
    Status.CONFIRMED,
    Status.PACKED,
    Status.ON_SITE,
    Status.RETURNED,
    Status.COMPLETED,
)
ATTENDANCE_FIELDS = ("girls", "boys", "teachers")


@transaction.atomic
def booking_record_attendance(
    *, booking: Booking, sessions: Sequence[dict], acting_user
) -> Booking:
    """Record who was there per session: `sessions` are dicts with `id` and any of girls, boys,
    teachers (None clears) and pupils. Only the sessions listed change. The pupils total may be
    corrected once the visit took place; before that it changes through the booking's sessions,
    where kit is re-checked."""
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.status not in ATTENDANCE_STATUSES:
        raise BookingError(
            _("Aanwezigen invullen kan pas als het bezoek bevestigd is (status '%(status)s').")
            % {"status": booking.status},
            code="invalid_transition",
            status=booking.status,
        )
    if not sessions:
        raise ValidationError({"sessions": [_("Geef minstens één sessie op.")]})
    own = {s.pk: s for s in booking.sessions.select_related("workshop")}
    errors: dict[int, dict[str, list[str]]] = {}

    def add(index, field, message):
        errors.setdefault(index, {}).setdefault(field, []).append(message)

    seen: set[int] = set()
    changes: list[tuple[BookingSession, dict]] = []
    for index, row in enumerate(sessions):
        session = own.get(row["id"])
        if session is None:
            add(index, "id", _("Sessie %(id)s hoort niet bij dit bezoek.") % {"id": row["id"]})
            continue
        if session.pk in seen:
            add(index, "id", _("Sessie %(id)s staat er twee keer in.") % {"id": row["id"]})
            continue
        seen.add(session.pk)
        values = {f: row[f] for f in (*ATTENDANCE_FIELDS, "pupils") if f in row}
        if "pupils" in values and values["pupils"] != session.pupils:
            if booking.status not in Booking.TOOK_PLACE:
                add(
                    index,
                    "pupils",
                    _("Het aantal leerlingen wijzigt u voor het bezoek via de aanvraag."),
                )
            elif values["pupils"] is None or not 1 <= values["pupils"] <= 200:
                add(index, "pupils", _("Geef 1 tot 200 leerlingen op."))
        merged = {
            "pupils": session.pupils,
            **{f: getattr(session, f) for f in ATTENDANCE_FIELDS},
            **values,
        }
        if merged["pupils"] is None:
            continue
        for field, message in parts_errors(merged):
            add(index, field, message)
        changes.append((session, values))
    if errors:
        raise ValidationError(
            {"sessions": [_session_message(i, e) for i, e in sorted(errors.items())]}
        )
    for session, values in changes:
        changed = [f for f, v in values.items() if getattr(session, f) != v]
        for field in changed:
            setattr(session, field, values[field])
        save_changed(session, changed, acting_user=acting_user, reason="aanwezigen ingevuld")
    save_changed(booking, ["updated"], acting_user=acting_user, reason="aanwezigen ingevuld")
    facts.refresh([booking.pk])
    return booking


# Statuses a coordinator can pin to their day: those the planner may still move.
PINNABLE = (Status.REQUESTED, Status.CONFIRMED)


@transaction.atomic
def booking_pin(*, booking: Booking, pinned: bool, acting_user) -> Booking:
    """Pin a visit to its day (and wagon) or unpin it: a pinned visit is never moved by the route
    planner nor by a reschedule (bookings.reschedule) until a coordinator unpins it."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.pinned == pinned:
        return booking
    if pinned and booking.status not in PINNABLE:
        raise BookingError(
            _("Een aanvraag met status '%(status)s' kan niet worden vastgezet.")
            % {"status": booking.get_status_display().lower()},
            code="invalid_transition",
            status=booking.status,
        )
    booking.pinned = pinned
    save_changed(
        booking, ["pinned"], acting_user=acting_user, reason="vastgezet" if pinned else "losgemaakt"
    )
    return booking


# Kit is out of the depot (packed, on site, being checked in): the packing list must close first.
NOT_DELETABLE = (Status.PACKED, Status.ON_SITE, Status.RETURNED)


@transaction.atomic
def booking_delete(*, booking: Booking, acting_user) -> None:
    """Delete a booking: its kit reservation is released under the depot-day lock (the units are
    free for other visits at once), its sessions go first so their history names the user. A
    visit whose kit is out (packed, on site, returned) is refused: cancel or complete it."""
    booking = Booking.objects.select_related("school__programme", "wagon").get(pk=booking.pk)
    days = {(pool.depot_of(booking), booking.date)}
    days |= set(booking.reservations.values_list("depot_id", "date"))
    pool.lock_days(days)
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.status in NOT_DELETABLE:
        raise BookingError(
            _(
                "%(reference)s is onderweg of wordt nagekeken (%(status)s); annuleer of rond het "
                "bezoek af in plaats van het te verwijderen."
            )
            % {"reference": booking.reference, "status": booking.get_status_display()},
            code="in_use",
        )
    pool.reservations_release(booking=booking)
    for session in booking.sessions.all():
        with_acting_user(session, acting_user, "verwijderd")
        session.delete()
    delete_instance(booking, acting_user=acting_user, error=BookingError)
