"""School portal at /school/: workshops, a month calendar of bookable days, the booking form and
"mijn aanvragen". Reads through bookings.selectors, writes through bookings.services."""

import calendar
import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.core.dates import in_window
from backend.core.exceptions import DomainError
from backend.core.roles import SCHOOL, school_id_of
from backend.pages.access import role_page
from backend.pages.paging import paginate
from backend.pages.planning import MONTHS_NL
from backend.pages.school_forms import (
    MAX_GROUPS,
    SEQUENTIAL,
    BookingForm,
    GroupFormSet,
    fill_start_times,
)
from backend.templatetags.tw_dates import nl_date
from bookings import services
from bookings.calendar_rules import WEEKDAY_NL, lead_time_days
from bookings.ics import booking_ics
from bookings.models import Booking, School, SchoolType, Workshop
from bookings.selectors import availability_for, bookings_visible_to, today, workshops_with_rules

school_page = role_page(SCHOOL, denied=gettext_lazy("Alleen voor scholen."))

REASON_LABELS = {
    "weekend": gettext_lazy("weekend"),
    "public_holiday": gettext_lazy("feestdag"),
    "school_holiday": gettext_lazy("schoolvakantie"),
    "blackout": gettext_lazy("gesloten"),
    "school_closed": gettext_lazy("school dicht"),
    "lead_time": gettext_lazy("te kort dag"),
    "past": gettext_lazy("voorbij"),
    "wagon_full": gettext_lazy("wagen vol"),
    "kit_shortage": gettext_lazy("materiaal op"),
    "no_wagon": gettext_lazy("geen wagen"),
}
CANCELLABLE = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED, Booking.Status.PACKED)
NO_ICS = (Booking.Status.DECLINED, Booking.Status.CANCELLED)
DEFAULT_PUPILS = 24


def _school(request) -> School:
    school_id = school_id_of(request.user)
    if school_id is None:
        raise PermissionDenied(_("Uw account is nog niet aan een school gekoppeld."))
    # With its programme: the calendar policy and lead time of every page.
    return School.objects.select_related("programme").get(pk=school_id)


def suitable_workshops(school: School) -> list[Workshop]:
    """Active workshops of the school's programme whose audience shares a school type with the
    school (all if either lists none), with kit and consumable rules prefetched. A workshop of
    another programme is therefore never a choice in the forms."""
    types = set(school.school_types)
    return [
        w
        for w in workshops_with_rules()
        .filter(active=True, programme_id=school.programme_id)
        .order_by("name")
        if not w.school_types or not types or types & set(w.school_types)
    ]


def _chosen(request, workshops: list[Workshop]) -> list[Workshop]:
    ids = set()
    for value in request.GET.getlist("workshop"):
        if value.isdigit() and len(value) <= 18:  # int() refuses 4,300+ digits with a ValueError
            ids.add(int(value))
    return [w for w in workshops if w.id in ids]


def _pupils(request) -> int:
    value = request.GET.get("pupils", "")
    if not value.isdigit():
        return DEFAULT_PUPILS
    return 200 if len(value) > 3 else min(max(int(value), 1), 200)


@school_page
def home(request):
    school = _school(request)
    workshops = suitable_workshops(school)
    recent = list(
        bookings_visible_to(request.user).filter(date__gte=today()).order_by("date", "id")[:5]
    )
    return render(
        request,
        "school/home.html",
        {
            "school": school,
            "workshops": workshops,
            "chosen_ids": {w.id for w in _chosen(request, workshops)},
            "pupils": _pupils(request),
            "upcoming": recent,
            "active": "home",
        },
    )


def _reason_display(reason: dict) -> dict:
    """A short label (weekend, feestdag, schoolvakantie, wagen vol, materiaal op) plus what the
    reason names: the holiday, the blackout, the kit type. The full text goes in the tooltip."""
    extra = ""
    if reason["code"] == "kit_shortage":
        extra = reason.get("kit_type_name", "")
    elif reason["code"] in ("school_holiday", "public_holiday", "blackout", "school_closed"):
        extra = reason["detail"].split(": ", 1)[-1].rstrip(".")
    return {**reason, "label": REASON_LABELS.get(reason["code"], reason["code"]), "extra": extra}


def _month(request, school: School) -> dt.date:
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        current = today()
        return (current + dt.timedelta(days=lead_time_days(school.programme))).replace(day=1)
    if not in_window(first):
        return today().replace(day=1)
    return first


@school_page
def calendar_view(request):
    school = _school(request)
    workshops = suitable_workshops(school)
    chosen = _chosen(request, workshops)
    pupils = _pupils(request)
    first = _month(request, school)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = {
        day["date"]: day
        for day in availability_for(
            school=school, date_from=first, date_to=last, workshops=chosen, pupils=pupils
        )
    }
    base = [("workshop", w.id) for w in chosen] + [("pupils", pupils)]
    own = defaultdict(list)
    for visit in (
        bookings_visible_to(request.user, Booking.objects.all())
        .filter(date__gte=first, date__lte=last)
        .exclude(status=Booking.Status.DECLINED)
        .order_by("date", "id")
    ):
        own[visit.date].append(visit)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = []
        for day in week:
            info = days.get(day)
            cell = {"date": day, "outside": info is None, "visits": own.get(day, [])}
            if info is not None:
                cell["available"] = info["available"]
                cell["reasons"] = [_reason_display(r) for r in info["reasons"]]
                cell["book_url"] = "?".join(
                    ["/school/book/", urlencode([*base, ("date", day.isoformat())])]
                )
            cells.append(cell)
        weeks.append(cells)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)

    def month_link(month: dt.date) -> str:
        return "?" + urlencode([*base, ("month", f"{month:%Y-%m}")])

    return render(
        request,
        "school/calendar.html",
        {
            "school": school,
            "chosen": chosen,
            "pupils": pupils,
            "weeks": weeks,
            "weekdays": [_(name)[:2] for name in WEEKDAY_NL],
            "title": f"{_(MONTHS_NL[first.month])} {first.year}",
            "previous_link": month_link(previous),
            "next_link": month_link(following),
            "open_count": sum(1 for d in days.values() if d["available"]),
            "active": "calendar",
        },
    )


def _school_types(school: School) -> list[str]:
    return list(school.school_types) or [value for value, _label in SchoolType.choices]


def _row_initial(workshops, school_types, chosen, pupils) -> list[dict]:
    rows = []
    picks = chosen or workshops[:1]
    for index in range(MAX_GROUPS):
        workshop = picks[index] if index < len(picks) else (picks[0] if picks else None)
        row = {"school_type": school_types[0]}
        if workshop is not None:
            row["workshop"] = workshop.id
        if index < len(chosen):
            row["pupils"] = pupils
        rows.append(row)
    return rows


@school_page
def book(request):
    school = _school(request)
    workshops = suitable_workshops(school)
    if not workshops:
        messages.error(request, _("Er zijn geen workshops voor uw schoolsoort."))
        return redirect("school:home")
    school_types = _school_types(school)
    chosen = _chosen(request, workshops)
    pupils = _pupils(request)
    form_kwargs = {"workshops": workshops, "school_types": school_types}
    row_initial = _row_initial(workshops, school_types, chosen, pupils)
    if request.method == "POST":
        form = BookingForm(request.POST)
        posted, management_ok = _groups_post(request.POST)
        groups = GroupFormSet(
            posted, prefix="groups", form_kwargs=form_kwargs, row_initial=row_initial
        )
        form_valid, groups_valid = form.is_valid(), groups.is_valid()
        if groups_valid:
            groups_valid = fill_start_times(
                schedule=form.cleaned_data.get("schedule") or SEQUENTIAL,
                groups=groups.filled_forms(),
                durations={w.id: w.duration_minutes for w in workshops},
            )
        valid = form_valid and groups_valid
        if not management_ok:
            form.add_error(
                None,
                _(
                    "De groepen zijn niet volledig meegestuurd. Controleer de groepen hieronder "
                    "en verstuur de aanvraag opnieuw."
                ),
            )
        elif valid:
            booking = _create(request, school, form, groups, workshops)
            if booking is not None:
                messages.success(
                    request,
                    _(
                        "Uw aanvraag %(reference)s voor %(date)s is ontvangen. "
                        "U krijgt bericht zodra de coördinator hem heeft bevestigd."
                    )
                    % {"reference": booking.reference, "date": nl_date(booking.date)},
                )
                return redirect("school:bookings")
    else:
        initial = {
            "contact_name": school.contact_name,
            "contact_email": school.contact_email,
            "contact_phone": school.contact_phone,
        }
        date_value = request.GET.get("date", "")
        try:
            initial["date"] = dt.date.fromisoformat(date_value)
        except ValueError:
            pass
        form = BookingForm(initial=initial)
        groups = GroupFormSet(prefix="groups", form_kwargs=form_kwargs, row_initial=row_initial)
    return render(
        request,
        "school/book.html",
        {
            "school": school,
            "form": form,
            "groups": groups,
            "active": "book",
            # book.js shows the start times "na elkaar" gives, from the workshops' durations.
            "durations": {str(w.id): w.duration_minutes for w in workshops},
            "error_summary": error_summary(form, groups) if request.method == "POST" else [],
        },
        # Reaching here on POST means the request was refused; the form keeps every value.
        status=400 if request.method == "POST" else 200,
    )


def error_summary(form, groups) -> list[dict]:
    """Every error of the booking form in page order, each with the form's own words ("Groep 2:
    Leerlingen: ...") and the id of the field it belongs to, for the summary at the top."""
    items = []  # the form's own (non-field) errors head the summary as they are
    order = ["date", "alternative_1", "alternative_2", "alternative_3", "schedule"]

    def add(bound, prefix=""):
        for e in bound.errors:
            items.append(
                {"text": f"{prefix}{bound.label}: {e}", "anchor": bound.id_for_label or ""}
            )

    for name in order:
        add(form[name])
    items += [{"text": str(e), "anchor": "groups"} for e in groups.non_form_errors()]
    for index, group in enumerate(groups.forms):
        label = _("Groep %(number)s") % {"number": index + 1}
        for e in group.non_field_errors():
            items.append({"text": f"{label}: {e}", "anchor": f"group-{index}"})
        for field in group:
            add(field, f"{label}: ")
    for name in form.fields:
        if name not in order:
            add(form[name])
    return items


def _groups_post(post) -> tuple:
    """The posted data with a management form the formset can trust, and whether the posted
    one was sound. The page always sends its rows with TOTAL_FORMS; a missing or tampered one
    (no number, 0, negative, huge) would drop the rows or break the formset, so it is reset to
    the page's rows and the user asked to check and send again."""
    data = post.copy()
    prefix = "groups"

    def number(name: str) -> int | None:
        value = post.get(f"{prefix}-{name}", "")
        return int(value) if value.isdigit() and len(value) <= 4 else None

    total, initial = number("TOTAL_FORMS"), number("INITIAL_FORMS")
    sound = total is not None and 1 <= total <= MAX_GROUPS and initial == 0
    if not sound:
        data[f"{prefix}-TOTAL_FORMS"] = str(MAX_GROUPS)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = str(MAX_GROUPS)
    return data, sound


def _create(request, school, form, groups, workshops):
    """Call booking_create; on refusal put each message next to its field and return None."""
    by_id = {w.id: w for w in workshops}
    filled = groups.filled_forms()
    if not filled:
        # Once, above the form (and in the summary); the first row is where to start.
        form.add_error(None, _("Vul minstens één groep in."))
        return None
    sessions = [
        {
            "workshop": by_id[g.cleaned_data["workshop"]],
            "group_label": g.cleaned_data["group_label"],
            "school_type": g.cleaned_data["school_type"],
            "year": g.cleaned_data["year"],
            "pupils": g.cleaned_data["pupils"],
            "start_time": g.cleaned_data["start_time"],
        }
        for g in filled
    ]
    data = form.cleaned_data
    try:
        return services.booking_create(
            school=school,
            date=data["date"],
            sessions=sessions,
            acting_user=request.user,
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data.get("contact_phone", ""),
            site_notes=form.site_notes(),
            photo_consent=data.get("photo_consent", False),
            alternative_dates=form.alternative_dates(),
        )
    except ValidationError as exc:
        _attach_errors(form, filled, exc)
    except DomainError as exc:
        if exc.code == "too_many_open_requests":
            form.add_error(None, exc.detail)  # not about the date: shown above the form
            return None
        reasons = exc.extra.get("reasons") or []
        form.add_error("date", exc.detail if not reasons else _("Deze dag kan niet:"))
        for reason in reasons:
            form.add_error("date", reason.get("detail", ""))
    return None


def _attach_errors(form, filled, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "message_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            if field == "sessions":
                index = _session_index(message)
                if index is not None and index < len(filled):
                    _attach_session_errors(filled[index], message)
                    continue
                form.add_error(None, message)
            elif field == "alternative_dates":
                form.add_error("alternative_1", message)
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)


def _attach_session_errors(group, message: str) -> None:
    """booking_create says "Sessie N: start_time: ...; pupils: ...": each part goes next to its
    field of the group (without the code's field name), anything else above the group."""
    parts = message.split(": ", 1)[1].split("; ") if ": " in message else [message]
    for part in parts:
        name, _sep, text = part.partition(": ")
        if text and name in group.fields:
            group.add_error(name, text)
        else:
            group.add_error(None, part)


def _session_index(message: str) -> int | None:
    # booking_create names a session as "Sessie N: ..."
    prefix = "Sessie "
    if message.startswith(prefix):
        number = message[len(prefix) :].split(":", 1)[0]
        if number.isdigit():
            return int(number) - 1
    return None


@school_page
def bookings(request):
    school = _school(request)
    current = today()
    page = paginate(request, bookings_visible_to(request.user).order_by("-date", "-id"))
    rows = []
    lead_time = lead_time_days(school.programme)
    for booking in page.object_list:
        deadline = booking.date - dt.timedelta(days=lead_time)
        rows.append(
            {
                "booking": booking,
                "pupils": sum(s.pupils for s in booking.sessions.all()),
                "deadline": deadline,
                "can_cancel": booking.status in CANCELLABLE and current <= deadline,
                "has_ics": booking.status not in NO_ICS,
            }
        )
    return render(
        request,
        "school/bookings.html",
        {"school": school, "rows": rows, "page": page, "active": "bookings"},
    )


def _own_booking(request, booking_id: int) -> Booking:
    booking = bookings_visible_to(request.user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404(_("Geen aanvraag van uw school."))
    return booking


@school_page
@require_POST
def cancel(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    reason = request.POST.get("reason", "").strip()[:300] or "Geannuleerd door de school."
    try:
        services.booking_cancel(booking=booking, reason=reason, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("Aanvraag %(reference)s is geannuleerd.") % {"reference": booking.reference}
        )
    return redirect("school:bookings")


@school_page
def booking_calendar(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    if booking.status in NO_ICS:
        raise Http404(_("Deze aanvraag gaat niet door."))
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response
