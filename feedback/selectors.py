"""Reads of feedback: responses of the user's programmes, and averages with the response rate.

The response rate is responses over completed visits in the same selection: only a completed
visit gets the link."""

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from bookings.models import Booking, BookingSession
from feedback.models import FeedbackResponse

AVERAGED = ("workshop_rating", "crew_rating", "organisation_rating", "enthusiasm")


def responses_for(
    user, *, workshop=None, date_from=None, date_to=None
) -> QuerySet[FeedbackResponse]:
    qs = FeedbackResponse.objects.restrict(user).select_related("booking__school")
    if workshop is not None:
        qs = qs.filter(
            Exists(
                BookingSession.objects.filter(booking_id=OuterRef("booking_id"), workshop=workshop)
            )
        )
    if date_from is not None:
        qs = qs.filter(booking__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(booking__date__lte=date_to)
    return qs


def _averages(responses: QuerySet[FeedbackResponse]) -> dict:
    figures = responses.order_by().aggregate(
        responses=Count("id"),
        book_again=Count("id", filter=Q(book_again=True)),
        **{name: Avg(name) for name in AVERAGED},
    )
    return figures


def summary(user, *, date_from=None, date_to=None) -> dict:
    """Averages and response rate overall, per programme and per workshop (a handful of
    aggregate queries, whatever the number of visits)."""
    completed = Booking.objects.restrict(user).filter(status=Booking.Status.COMPLETED)
    if date_from is not None:
        completed = completed.filter(date__gte=date_from)
    if date_to is not None:
        completed = completed.filter(date__lte=date_to)
    responses = responses_for(user, date_from=date_from, date_to=date_to).filter(
        booking__status=Booking.Status.COMPLETED
    )
    total = _averages(responses) | {"visits": completed.count()}

    def grouped(qs, key, label, **extra):
        return {
            row[key]: row | {"label": row[label]}
            for row in qs.order_by().values(key, label).annotate(**extra).order_by(label, key)
        }

    per_programme = grouped(
        responses,
        "booking__school__programme_id",
        "booking__school__programme__name",
        responses=Count("id"),
        book_again=Count("id", filter=Q(book_again=True)),
        **{name: Avg(name) for name in AVERAGED},
    )
    for row in completed.order_by().values("school__programme_id").annotate(visits=Count("id")):
        per_programme.setdefault(row["school__programme_id"], {}).update(visits=row["visits"])
    # Per workshop: a visit with two workshops counts for both, and a visit with two groups in
    # one workshop once — so the averages are taken over distinct (workshop, response) pairs.
    per_workshop = _per_workshop(responses)
    for row in (
        completed.order_by()
        .values("sessions__workshop_id")
        .annotate(visits=Count("id", distinct=True))
    ):
        if row["sessions__workshop_id"] in per_workshop:
            per_workshop[row["sessions__workshop_id"]]["visits"] = row["visits"]
    return {
        "total": _with_rate(total),
        "programmes": [_with_rate(r) for r in per_programme.values() if r.get("responses")],
        "workshops": [_with_rate(r) for r in per_workshop.values() if r.get("responses")],
    }


def _with_rate(row: dict) -> dict:
    visits, responses = row.get("visits") or 0, row.get("responses") or 0
    row["visits"] = visits
    row["rate"] = round(100 * responses / visits) if visits else None
    return row


def _per_workshop(responses: QuerySet[FeedbackResponse]) -> dict:
    pairs = (
        responses.filter(booking__sessions__workshop__isnull=False)
        .order_by()
        .values_list(
            "booking__sessions__workshop_id",
            "booking__sessions__workshop__name",
            "id",
            "book_again",
            *AVERAGED,
        )
        .distinct()
    )
    sums: dict = {}
    for workshop_id, name, _id, again, *ratings in pairs:
        row = sums.setdefault(
            workshop_id,
            {"label": name, "responses": 0, "book_again": 0, "sums": [0] * len(AVERAGED)},
        )
        row["responses"] += 1
        row["book_again"] += int(again)
        row["sums"] = [a + b for a, b in zip(row["sums"], ratings, strict=True)]
    rows = {}
    for workshop_id, row in sorted(sums.items(), key=lambda item: (item[1]["label"], item[0])):
        averages = {
            name: total / row["responses"]
            for name, total in zip(AVERAGED, row.pop("sums"), strict=True)
        }
        rows[workshop_id] = row | averages
    return rows
