"""Crew pages for the tablet: day sheet, and per visit packing + check-in.

The pages are thin: the day sheet is rendered on the server; the visit page renders the visit header
and hands the packing list to `static/crew/visit.js`, which talks to the same API as every other client
(`/api/v1/bookings/{id}/packing-list/` and `.../check/`) and queues actions while offline.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from backend.core.roles import COORDINATOR, CREW
from backend.pages.access import role_page
from bookings.models import Booking, BookingSession

CREW_PAGE_ROLES = (CREW, COORDINATOR)
# "Confirmed and later": what the crew may see (API.md: bookings — crew read confirmed and later).
CREW_VISIBLE_STATUSES = (
    Booking.Status.CONFIRMED,
    Booking.Status.PACKED,
    Booking.Status.ON_SITE,
    Booking.Status.RETURNED,
    Booking.Status.COMPLETED,
)
DAY_SHEET_DEFAULT_DAYS = 7
DAY_SHEET_MAX_DAYS = 31
UPCOMING_LOOKAHEAD_DAYS = 60
UPCOMING_DAYS = 3
SERVICE_WORKER = Path(__file__).resolve().parents[2] / "static" / "crew" / "sw.js"


# Anonymous → the login page; a logged-in user without a crew or coordinator role → 403.
crew_page = role_page(*CREW_PAGE_ROLES, denied=gettext_lazy("Alleen voor crew en coördinatoren."))


def crew_strings() -> dict[str, str]:
    """User-facing texts of static/crew/*.js in the active language; the scripts fall back to Dutch.

    `%(name)s` placeholders are filled in by the script.
    """
    return {
        "locale": "en-GB" if (get_language() or "nl").startswith("en") else "nl-NL",
        # queue.js
        "queueOne": _("1 actie nog niet verstuurd"),
        "queueMany": _("%(count)s acties nog niet verstuurd"),
        "queueOffline": _("Geen verbinding — de lijst werkt gewoon door"),
        "queueOfflineSuffix": _(" — geen verbinding, wordt verstuurd zodra er weer netwerk is"),
        # visit.js
        "condOk": _("In orde"),
        "condDamaged": _("Beschadigd"),
        "condMissing": pgettext("packing condition", "Vermist"),
        "errUnknownLine": _("Dit staat niet op deze paklijst."),
        "errAlreadyReturned": _("Deze regel is al gecontroleerd."),
        "errNotPacked": _("Deze regel is niet ingepakt, dus kan niet retour."),
        "errInvalidTransition": _("Dat kan nu niet in deze fase van het bezoek."),
        "errAssetTagRequired": _("Scan het exemplaar dat je voor deze regel inpakt."),
        "errConditionRequired": _("Kies in orde, beschadigd of vermist."),
        "errClientIdReused": _("Deze actie is al eens verstuurd."),
        "errNotConfirmed": _("Dit bezoek is nog niet bevestigd."),
        "errAlreadyPacked": _("Deze regel is al ingepakt."),
        "errNotFound": _("Onbekend inventarisnummer of regel."),
        "errRefused": _("De actie is geweigerd (%(status)s)."),
        "errLoggedOut": _("Je bent niet meer ingelogd. Log opnieuw in; de acties blijven bewaard."),
        "noCache": _("Geen verbinding en nog geen paklijst op dit apparaat."),
        "kitType": _("Soort %(id)s"),
        "line": _("Regel %(id)s"),
        "groupConsumable": _("Verbruiksmateriaal"),
        "groupStandard": _("Standaarduitrusting"),
        "groupCase": _("Koffer %(name)s"),
        "groupLocation": _("Locatie %(name)s"),
        "groupLoose": _("Losse exemplaren"),
        "place": _("plek %(name)s"),
        "reportDefectSummary": _("Defect melden"),
        "defectPlaceholder": _("Wat is er kapot?"),
        "defectLabel": _("Omschrijving defect %(tag)s"),
        "reportDefectButton": _("Meld defect"),
        "used": _("Verbruikt"),
        "notePlaceholder": _("Opmerking (optioneel)"),
        "noteLabel": _("Opmerking %(name)s"),
        "emptyList": _("De paklijst is leeg."),
        "nothingPacked": _("Er is nog niets ingepakt."),
        "progressPacked": _("%(done)s van %(total)s ingepakt"),
        "progressChecked": _("%(done)s van %(total)s gecontroleerd"),
        "offlineListFrom": _("Offline: lijst van %(time)s"),
        "updatedAt": _("Bijgewerkt %(time)s"),
        "summaryOpen": _("Nog niet gecontroleerd"),
        "allChecked": _("Alles is gecontroleerd. Het bezoek kan verder."),
        "allCheckedDeviations": _(
            "Alles is gecontroleerd, met %(count)s afwijking(en). Het bezoek kan verder."
        ),
        "statusConfirmed": _("Bevestigd"),
        "statusPacked": _("Ingepakt"),
        "statusOnSite": _("Op locatie"),
        "statusReturned": _("Retour"),
        "statusCompleted": _("Afgerond"),
        "savedOffline": _("%(label)s — bewaard, wordt verstuurd zodra er verbinding is."),
        "item": _("Exemplaar"),
        "defectReported": _("%(tag)s is als defect gemeld."),
        "packedInstead": _("%(tag)s ingepakt in plaats van %(before)s."),
        "tagChecked": _("%(tag)s gecontroleerd."),
        "tagPacked": _("%(tag)s ingepakt."),
        "defectDefaultNote": _("Gemeld vanaf de paklijst"),
        "defectLabelQueue": _("Defect %(tag)s"),
        "defectSavedOffline": _(
            "%(tag)s: defect melding bewaard, wordt verstuurd zodra er verbinding is."
        ),
        "defectSent": _("%(tag)s: defect melding verstuurd."),
        "defectFailed": _("%(tag)s: defect melden lukt nu niet (geen verbinding?)."),
        "labelPacked": _("Ingepakt: %(name)s"),
        "labelUnpacked": _("Uitgepakt: %(name)s"),
        "alreadyPacked": _("%(tag)s is al ingepakt."),
        "labelScan": _("Scan %(tag)s"),
        "labelReturn": _("Retour %(tag)s"),
        "beingChecked": _("%(tag)s wordt gecontroleerd…"),
        "scanPack": _("Scan of typ een inventarisnummer en druk op Enter"),
        "scanReturn": _("Scan een teruggekomen exemplaar (in orde) en druk op Enter"),
        "buttonPack": _("Inpakken"),
        "buttonReturn": pgettext("crew scan button", "Retour"),
        "labelArrived": _("Aangekomen"),
    }


@dataclass
class VisitTimes:
    """Arrival, first session start, last session end and departure of one visit."""

    arrive: dt.time | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    depart: dt.time | None = None
    from_route: bool = False


@dataclass
class Visit:
    booking: Booking
    times: VisitTimes
    sessions: list = field(default_factory=list)

    @property
    def maps_url(self) -> str | None:
        school = self.booking.school
        if school.lat is None or school.lon is None:
            return None
        return f"https://www.google.com/maps/dir/?api=1&destination={school.lat},{school.lon}"

    @property
    def geo_uri(self) -> str | None:
        school = self.booking.school
        if school.lat is None or school.lon is None:
            return None
        return f"geo:{school.lat},{school.lon}?q={school.lat},{school.lon}"

    @property
    def contact_name(self) -> str:
        return self.booking.contact_name or self.booking.school.contact_name

    @property
    def contact_phone(self) -> str:
        return self.booking.contact_phone or self.booking.school.contact_phone

    @property
    def tel_uri(self) -> str | None:
        phone = self.contact_phone
        if not phone:
            return None
        digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else None


def _add_minutes(value: dt.time, minutes: int) -> dt.time:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), value) + dt.timedelta(minutes=minutes)
    return moment.time()


def times_from_sessions(booking: Booking, sessions) -> VisitTimes:
    """Times when no route exists yet: setup before the first session, teardown after the last."""
    if not sessions:
        return VisitTimes()
    start = min(s.start_time for s in sessions)
    end = max(_add_minutes(s.start_time, s.workshop.duration_minutes) for s in sessions)
    wagon = booking.wagon
    setup = wagon.setup_minutes if wagon else 0
    teardown = wagon.teardown_minutes if wagon else 0
    return VisitTimes(
        arrive=_add_minutes(start, -setup),
        start=start,
        end=end,
        depart=_add_minutes(end, teardown),
    )


def _minutes_to_time(minutes: int | None) -> dt.time | None:
    if minutes is None:
        return None
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return dt.time(minutes // 60, minutes % 60)


def sessions_by_booking(booking_ids) -> dict[int, list[BookingSession]]:
    """Sessions (with workshop) per booking id in one query, in start order.

    One query and a dict rather than prefetch_related: a month's day sheet has hundreds of
    visits, and Django builds a filtered queryset per prefetched instance.
    """
    by_booking: dict[int, list[BookingSession]] = defaultdict(list)
    sessions = (
        BookingSession.objects.filter(booking_id__in=list(booking_ids))
        .select_related("workshop")
        .order_by("start_time", "id")
    )
    for session in sessions:
        by_booking[session.booking_id].append(session)
    return by_booking


@dataclass(frozen=True)
class _StopBooking:
    """The part of a booking that routes.timing.stop_input reads, with sessions already loaded."""

    id: int
    school: object
    loaded_sessions: tuple

    @property
    def sessions(self):
        return self

    def all(self):
        return list(self.loaded_sessions)


def _route_times(booking_ids, sessions: dict[int, list] | None = None) -> dict[int, VisitTimes]:
    """Planned stop times per booking id for bookings that are a stop on a saved route.

    The stop times (travel, waiting, setup) are computed by routes.timing, the same way the routes
    API shows them, from every stop of those routes; a fixed number of queries.
    """
    from routes import timing
    from routes.models import RouteStop
    from routes.travel import get_travel_model

    booking_ids = list(booking_ids)
    route_ids = set(
        RouteStop.objects.filter(booking_id__in=booking_ids).values_list("route_id", flat=True)
    )
    if not route_ids:
        return {}
    stops = list(
        RouteStop.objects.filter(route_id__in=route_ids)
        .select_related("route__wagon", "booking__school")
        .order_by("route_id", "position")
    )
    sessions = dict(sessions or {})
    missing = {stop.booking_id for stop in stops} - set(sessions)
    if missing:
        sessions.update(sessions_by_booking(missing))
    by_route: dict[int, list] = defaultdict(list)
    for stop in stops:
        by_route[stop.route_id].append(stop)
    travel = get_travel_model()
    times = {}
    for route_stops in by_route.values():
        inputs = [
            timing.stop_input(
                _StopBooking(
                    id=stop.booking_id,
                    school=stop.booking.school,
                    loaded_sessions=tuple(sessions.get(stop.booking_id, ())),
                )
            )
            for stop in route_stops
        ]
        wagon = route_stops[0].route.wagon
        for stop in timing.compute(timing.wagon_day(wagon), inputs, travel).stops:
            times[stop.booking_id] = VisitTimes(
                arrive=_minutes_to_time(stop.arrive),
                start=_minutes_to_time(stop.start),
                end=_minutes_to_time(stop.end),
                depart=_minutes_to_time(stop.depart),
                from_route=True,
            )
    return times


def day_sheet_visits(*, date_from: dt.date, date_to: dt.date, user=None):
    """Visits the crew will make, as [(date, [(wagon, [Visit, ...]), ...]), ...] in date order;
    with `user`, only those of the user's programmes."""
    scoped = Booking.objects.all() if user is None else Booking.objects.restrict(user)
    bookings = list(
        scoped.filter(date__gte=date_from, date__lte=date_to, status__in=CREW_VISIBLE_STATUSES)
        .select_related("school", "wagon")
        .order_by("date", "wagon__name", "id")
    )
    if not bookings:
        return []
    sessions = sessions_by_booking(b.id for b in bookings)
    route_times = _route_times((b.id for b in bookings), sessions)
    days: dict[dt.date, dict] = {}
    for booking in bookings:
        own = sessions.get(booking.id, [])
        times = route_times.get(booking.id) or times_from_sessions(booking, own)
        per_wagon = days.setdefault(booking.date, {})
        per_wagon.setdefault(booking.wagon, []).append(Visit(booking, times, own))
    result = []
    for day, per_wagon in days.items():
        wagons = []
        for wagon, visits in per_wagon.items():
            visits.sort(key=lambda v: (v.times.arrive or dt.time.max, v.booking.id))
            wagons.append((wagon, visits))
        result.append((day, wagons))
    return result


@crew_page
@never_cache
def day_sheet(request):
    today = timezone.localdate()
    try:
        days = int(request.GET.get("days", DAY_SHEET_DEFAULT_DAYS))
    except ValueError:
        days = DAY_SHEET_DEFAULT_DAYS
    days = max(1, min(days, DAY_SHEET_MAX_DAYS))
    date_to = today + dt.timedelta(days=days - 1)
    schedule = day_sheet_visits(date_from=today, date_to=date_to, user=request.user)
    upcoming = []
    if not schedule:
        # A quiet week: show the next visit days so the sheet is never a dead end.
        upcoming = day_sheet_visits(
            date_from=date_to + dt.timedelta(days=1),
            date_to=date_to + dt.timedelta(days=UPCOMING_LOOKAHEAD_DAYS),
            user=request.user,
        )[:UPCOMING_DAYS]
    return render(
        request,
        "crew/day_sheet.html",
        {
            "today": today,
            "date_to": date_to,
            "days": days,
            "schedule": schedule,
            "upcoming": upcoming,
            "crew_strings": crew_strings(),
        },
    )


@crew_page
@never_cache
@ensure_csrf_cookie
def visit(request, booking_id: int):
    booking = (
        # Another programme's visit is not found, like an unknown one.
        Booking.objects.restrict(request.user)
        .filter(pk=booking_id, status__in=CREW_VISIBLE_STATUSES)
        .select_related("school", "wagon")
        .first()
    )
    if booking is None:
        raise Http404(_("Geen bezoek voor de crew."))
    by_booking = sessions_by_booking([booking.id])
    sessions = by_booking.get(booking.id, [])
    times = _route_times([booking.id], by_booking).get(booking.id) or times_from_sessions(
        booking, sessions
    )
    return render(
        request,
        "crew/visit.html",
        {
            "visit": Visit(booking, times, sessions),
            "booking": booking,
            "page_config": {
                "booking": booking.id,
                "reference": booking.reference,
                "status": booking.status,
                "packingListUrl": f"/api/v1/bookings/{booking.id}/packing-list/",
                "checkUrl": f"/api/v1/bookings/{booking.id}/packing-list/check/",
                "arriveUrl": f"/api/v1/bookings/{booking.id}/arrive/",
                "bookingUrl": f"/api/v1/bookings/{booking.id}/",
                "itemsUrl": "/api/v1/items/",
            },
            "crew_strings": crew_strings(),
        },
    )


def service_worker(request):
    """The service worker, served from /crew/ so its scope covers every crew page."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/crew/"
    return response


def wagon_day_strings() -> dict[str, str]:
    """Texts of static/crew/wagon_day.js and scan.js in the active language."""
    return {
        "packedCount": _("%(done)s van %(total)s"),
        "charged": _("geladen"),
        "notCharged": _("nog niet geladen"),
        "savedOffline": _("%(label)s — bewaard, wordt verstuurd zodra er verbinding is."),
        "tagPacked": _("%(tag)s ingepakt."),
        "casePacked": _("Koffer %(case)s: %(count)s exemplaren ingepakt."),
        "caseMissing": _("Ontbreekt in koffer %(case)s: %(tags)s"),
        "labelPack": _("Inpakken %(tag)s"),
        "labelCharge": _("Geladen: %(name)s"),
        "labelReturn": _("Retourcontrole van de dag"),
        "labelArrive": _("Aangekomen: %(name)s"),
        "dayClosed": _("Alle bezoeken van de dag zijn afgesloten."),
        "arrived": _("%(name)s: aankomst gemeld."),
        "errRefused": _("De actie is geweigerd (%(status)s)."),
        "scanStart": _("Scan met camera"),
        "scanStop": _("Camera uit"),
        "scanNoCamera": _("Geen camera beschikbaar (of geen toestemming)."),
        "scanNoDecoder": _("Scannen met de camera werkt niet in deze browser."),
        "scanRead": _("Gelezen: %(code)s"),
    }


@crew_page
@never_cache
@ensure_csrf_cookie
def wagon_day(request, wagon_id: int, date: str):
    """One wagon's day: the morning list (once for every stop), uitladen / inladen per stop and
    the return check that closes every visit. The data comes with the page (a reload without
    network shows the cached page); actions go through the outbox to the wagon-day API."""
    from bookings.packing.selectors import wagon_day_sheet
    from inventory.models import Wagon

    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404(_("Geen geldige datum.")) from None
    wagon = Wagon.objects.restrict(request.user).filter(pk=wagon_id).first()
    if wagon is None:
        raise Http404(_("Geen wagen."))
    sheet = wagon_day_sheet(wagon=wagon, date=day)
    base = f"/api/v1/wagon-days/{wagon.pk}/{day.isoformat()}/"
    return render(
        request,
        "crew/wagon_day.html",
        {
            "wagon": wagon,
            "day": day,
            "sheet": sheet,
            "page_config": {
                "wagon": wagon.pk,
                "date": day.isoformat(),
                "checkUrl": base + "check/",
                "dayUrl": base,
                # Only what wagon_day.js counts with; the rest is rendered into the page.
                "sheet": json.loads(
                    json.dumps(
                        {
                            "kit": [
                                {"kit_type": k["kit_type"], "quantity": k["quantity"]}
                                for k in sheet["kit"]
                            ],
                            "lines": [
                                {
                                    "kind": line["kind"],
                                    "kit_type": line["kit_type"],
                                    "asset_tag": line["asset_tag"],
                                    "packed": line["packed"],
                                }
                                for line in sheet["lines"]
                                if line["kind"] == "item" and line["asset_tag"]
                            ],
                        },
                        cls=DjangoJSONEncoder,
                    )
                ),
            },
            "crew_strings": {**crew_strings(), **wagon_day_strings()},
        },
    )


ITEM_HISTORY_ROWS = 15


def _item_for_crew(request, tag: str):
    """The item with this asset tag among the user's programmes' items; else 404 (another
    depot's crew cannot open, photograph or report it)."""
    from inventory.models import Item

    item = (
        Item.objects.restrict(request.user)
        .select_related("kit_type", "depot", "case")
        .filter(asset_tag__iexact=tag.strip()[:40])
        .first()
    )
    if item is None:
        raise Http404(_("Onbekend inventarisnummer."))
    return item


@crew_page
@never_cache
def item(request, tag: str):
    """What a scan outside a visit opens: the item's status, depot and case, where it is booked
    next, its history and defect reports; "defect melden" with a note and a photo."""
    from bookings.packing.models import PackingLine
    from inventory.exceptions import InventoryError
    from inventory.services import item_report_defect_with_photo

    item = _item_for_crew(request, tag)
    error = ""
    if request.method == "POST":
        note = request.POST.get("note", "")[:1000]
        photo = request.FILES.get("photo")
        try:
            item_report_defect_with_photo(
                item=item, note=note, photo=photo, acting_user=request.user
            )
        except InventoryError as refused:
            error = refused.detail
        else:
            return redirect(f"{request.path}?gemeld=1")
    today = timezone.localdate()
    next_line = (
        PackingLine.objects.filter(
            item=item,
            date__gte=today,
            packing_list__booking__status__in=CREW_VISIBLE_STATUSES[:3],
        )
        .select_related("packing_list__booking__school", "packing_list__booking__wagon")
        .order_by("date", "id")
        .first()
    )
    history = list(
        item.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :ITEM_HISTORY_ROWS
        ]
    )
    reports = list(item.defect_reports.select_related("reported_by")[:10])
    response = render(
        request,
        "crew/item.html",
        {
            "item": item,
            "next_booking": next_line.packing_list.booking if next_line else None,
            "history": history,
            "reports": reports,
            "reported": request.GET.get("gemeld") == "1",
            "error": error,
            "max_photo_mb": int(settings.TW_DEFECT_PHOTO_MAX_BYTES) // (1024 * 1024),
            "crew_strings": crew_strings(),
        },
        status=400 if error else 200,
    )
    return response


@crew_page
@never_cache
def item_photo(request, tag: str, report_id: int):
    """A defect photo, streamed from storage to crew and coordinators only."""
    from django.http import FileResponse

    from inventory.services import PHOTO_FORMATS

    item = _item_for_crew(request, tag)
    report = item.defect_reports.filter(pk=report_id).exclude(photo="").first()
    if report is None:
        raise Http404(_("Geen foto."))
    try:
        handle = report.photo.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Geen foto.")) from None
    return FileResponse(
        handle, content_type=PHOTO_FORMATS.get(report.photo_format, "application/octet-stream")
    )


@crew_page
def item_lookup(request):
    """The day sheet's "exemplaar opzoeken" field (typed, wedge-scanned or read by the camera):
    on to the item's page."""
    tag = request.GET.get("tag", "").strip()[:40]
    if not tag:
        return redirect("crew:day-sheet")
    return redirect("crew:item", tag=tag)
