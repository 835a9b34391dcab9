"""Every write of partners: the register (create, update, delete) and a partner's part in a
visit (add, update, remove). Keyword-only, one transaction each, history rows carry the user."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.core.history import with_acting_user
from backend.core.updates import apply_changes, delete_instance, save_changed
from bookings.models import Booking
from partners.exceptions import PartnerError
from partners.models import Participation, Partner
from partners.validators import normalise_kvk, validate_kvk
from programmes.models import Programme

PARTNER_FIELDS = ("name", "kvk_number", "sector", "contact_name", "contact_email", "contact_phone")


def partner_check(partner: Partner) -> None:
    """Field errors (Django's ValidationError) for a partner about to be saved: name, KvK number,
    and no second partner of the programme with the same name or KvK number. Normalises both."""
    partner.name = (partner.name or "").strip()
    partner.kvk_number = normalise_kvk(partner.kvk_number)
    errors = {}
    if not partner.name:
        errors["name"] = [_("Vul een naam in.")]
    try:
        validate_kvk(partner.kvk_number)
    except ValidationError as exc:
        errors["kvk_number"] = exc.messages
    clash = Partner.objects.filter(programme_id=partner.programme_id).exclude(pk=partner.pk)
    if partner.name and clash.filter(name__iexact=partner.name).exists():
        errors["name"] = [_("Dit programma heeft al een partner met deze naam.")]
    if partner.kvk_number and clash.filter(kvk_number=partner.kvk_number).exists():
        errors["kvk_number"] = [_("Dit programma heeft al een partner met dit KvK-nummer.")]
    if errors:
        raise ValidationError(errors)


def _save_unique(save) -> None:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        # Another request registered the same name or KvK number a moment ago.
        raise PartnerError(
            _("Dit programma heeft al een partner met deze naam of dit KvK-nummer."),
            code="duplicate",
        ) from None


@transaction.atomic
def partner_create(
    *,
    programme: Programme,
    name: str,
    kvk_number: str = "",
    sector: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    active: bool = True,
    acting_user,
) -> Partner:
    partner = Partner(
        programme=programme,
        name=name,
        kvk_number=kvk_number,
        sector=sector.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        active=active,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    partner_check(partner)
    with_acting_user(partner, acting_user)
    _save_unique(partner.save)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, data: dict, acting_user) -> Partner:
    """Change the register fields in `data`; a partner never moves to another programme."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    data = {k: v for k, v in data.items() if k in (*PARTNER_FIELDS, "active")}
    changed = apply_changes(locked, data)
    partner_check(locked)
    if locked.kvk_number != partner.kvk_number and "kvk_number" not in changed:
        changed.append("kvk_number")  # normalised on the way in
    _save_unique(lambda: save_changed(locked, changed, acting_user=acting_user))
    return locked


@transaction.atomic
def partner_delete(*, partner: Partner, acting_user) -> None:
    """A partner that took part in visits stays (its hours count in reports): 409 `in_use`;
    set it inactive instead."""
    delete_instance(partner, acting_user=acting_user, error=PartnerError)


def _check_participation(participation: Participation, booking: Booking) -> None:
    errors = {}
    if participation.partner.programme_id != booking.school.programme_id:
        errors["partner"] = [_("Deze partner hoort bij een ander programma dan het bezoek.")]
    if participation.kind not in Participation.Kind.values:
        errors["kind"] = [_("Kies gastdocent, materiaal of sponsor.")]
    hours = Decimal(participation.hours if participation.hours is not None else -1)
    if hours < 0 or hours > 1000:
        errors["hours"] = [_("Vul een aantal uren tussen 0 en 1000 in.")]
    if errors:
        raise ValidationError(errors)
    duplicate = (
        Participation.objects.filter(
            booking=booking, partner=participation.partner, kind=participation.kind
        )
        .exclude(pk=participation.pk)
        .exists()
    )
    if duplicate:
        raise PartnerError(
            _("Deze partner staat al met deze rol bij dit bezoek."), code="duplicate"
        )


def _locked_booking(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("school").get(pk=booking.pk)


@transaction.atomic
def participation_add(
    *,
    booking: Booking,
    partner: Partner,
    kind: str,
    hours: Decimal | int | str = 0,
    note: str = "",
    acting_user,
) -> Participation:
    """Record that `partner` took part in `booking` (guest instructor, materials, sponsor);
    the partner must be of the visit's programme (400 on `partner`)."""
    booking = _locked_booking(booking)
    participation = Participation(
        booking=booking, partner=partner, kind=kind, hours=Decimal(str(hours)), note=note.strip()
    )
    _check_participation(participation, booking)
    with_acting_user(participation, acting_user)
    _save_participation(participation.save)
    return participation


def _save_participation(save) -> None:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise PartnerError(
            _("Deze partner staat al met deze rol bij dit bezoek."), code="duplicate"
        ) from None


@transaction.atomic
def participation_update(*, participation: Participation, data: dict, acting_user) -> Participation:
    booking = _locked_booking(participation.booking)
    locked = (
        Participation.objects.select_for_update().select_related("partner").get(pk=participation.pk)
    )
    data = {k: v for k, v in data.items() if k in ("partner", "kind", "hours", "note")}
    if "hours" in data:
        data["hours"] = Decimal(str(data["hours"]))
    if "note" in data:
        data["note"] = (data["note"] or "").strip()
    changed = apply_changes(locked, data)
    _check_participation(locked, booking)
    _save_participation(lambda: save_changed(locked, changed, acting_user=acting_user))
    return locked


@transaction.atomic
def participation_remove(*, participation: Participation, acting_user) -> None:
    _locked_booking(participation.booking)
    delete_instance(participation, acting_user=acting_user, error=PartnerError)
