"""Reads of partners: the register with each partner's reach, computed in SQL.

A partner's `visits`, `pupils` and `hours` count only visits that took place (`on_site`,
`returned`, `completed` — the reach report's rule), so a planned visit does not inflate a
funder's figures. Correlated subqueries rather than joins: a partner can take part in one visit
in two roles, and a join would count that visit's pupils twice."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from bookings.models import Booking, BookingSession
from partners.models import Participation, Partner


def _took_place(partner_ref: str = "pk"):
    return Participation.objects.filter(
        partner_id=OuterRef(partner_ref), booking__status__in=Booking.TOOK_PLACE
    )


def with_reach(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    """Annotate `visits`, `pupils` and `hours` on each partner (one query for the whole list)."""
    visits = (
        _took_place()
        .order_by()
        .values("partner_id")
        .annotate(n=Count("booking_id", distinct=True))
        .values("n")
    )
    hours = _took_place().order_by().values("partner_id").annotate(s=Sum("hours")).values("s")
    sessions = BookingSession.objects.filter(
        Exists(
            Participation.objects.filter(
                booking_id=OuterRef("booking_id"),
                partner_id=OuterRef(OuterRef("pk")),
                booking__status__in=Booking.TOOK_PLACE,
            )
        )
    )
    # SUM as a plain function: one total over the matching sessions, no GROUP BY needed.
    pupils = sessions.order_by().annotate(s=Func(F("pupils"), function="SUM")).values("s")
    return partners.annotate(
        visits=Coalesce(Subquery(visits, output_field=IntegerField()), 0),
        pupils=Coalesce(Subquery(pupils, output_field=IntegerField()), 0),
        hours=Coalesce(
            Subquery(hours, output_field=DecimalField(max_digits=12, decimal_places=2)),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )


def partners_for(user) -> QuerySet[Partner]:
    """The partners `user` may see, with their reach."""
    return with_reach(Partner.objects.restrict(user).select_related("programme"))


def participations_of_partner(partner: Partner) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(partner=partner)
        .select_related("booking__school")
        .order_by("-booking__date", "id")
    )


def participations_of_booking(booking: Booking) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(booking=booking)
        .select_related("partner")
        .order_by("partner__name", "kind", "id")
    )
