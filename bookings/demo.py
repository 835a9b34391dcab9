"""Demo schools, workshops with kit rules and bookings in every status. Idempotent.

Bookings are written through the services (so reservations are consistent), on open days found
by the availability selector, relative to the date the demo is loaded.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from bookings import selectors, services
from bookings.exceptions import BookingError
from bookings.models import (
    Booking,
    ConsumableRule,
    KitRule,
    School,
    SchoolMembership,
    Workshop,
)
from inventory.models import Consumable, Depot, KitType

ROTTERDAM, DEVENTER = "Depot Rotterdam", "Depot Deventer"

# name, brin, types, address, postcode, city, lat, lon, region, depot
SCHOOLS = [
    (
        "Melanchthon Kralingen",
        "20AA00",
        ["vmbo-gt", "havo", "vwo"],
        "Prinses Beatrixlaan 2",
        "3062 AD",
        "Rotterdam",
        "51.925000",
        "4.498000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Vak College Hillegersberg",
        "20AB00",
        ["vmbo-bb", "vmbo-kb", "vmbo-gt"],
        "Melanchtonweg 1",
        "3052 KL",
        "Rotterdam",
        "51.960000",
        "4.500000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Grafisch Lyceum Rotterdam",
        "20AC00",
        ["mbo-2", "mbo-3", "mbo-4"],
        "Heer Bokelweg 255",
        "3032 AD",
        "Rotterdam",
        "51.927000",
        "4.478000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Basisschool De Klimop",
        "20AD00",
        ["po"],
        "Bergweg 120",
        "3036 BE",
        "Rotterdam",
        "51.933000",
        "4.477000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Openbare Basisschool Het Kasteel",
        "20AE00",
        ["po"],
        "Gordelweg 50",
        "3039 GA",
        "Rotterdam",
        "51.941000",
        "4.466000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Montessorischool Hillegersberg",
        "20AF00",
        ["po"],
        "Kootsekade 10",
        "3051 PE",
        "Rotterdam",
        "51.955000",
        "4.487000",
        "midden",
        ROTTERDAM,
    ),
    (
        "SO De Piramide",
        "20AG00",
        ["so", "vso"],
        "Schiebroekseweg 3",
        "3053 AA",
        "Rotterdam",
        "51.957000",
        "4.475000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Praktijkschool Rotterdam-Noord",
        "20AH00",
        ["pro"],
        "Straatweg 80",
        "3054 AB",
        "Rotterdam",
        "51.962000",
        "4.493000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Wolfert Lyceum",
        "20AJ00",
        ["havo", "vwo"],
        "Bergsingel 1",
        "3037 GA",
        "Rotterdam",
        "51.934000",
        "4.470000",
        "midden",
        ROTTERDAM,
    ),
    (
        "Etty Hillesum Lyceum De Marke",
        "30BA00",
        ["vmbo-bb", "vmbo-kb", "vmbo-gt"],
        "Marke-Zuid 1",
        "7414 AA",
        "Deventer",
        "52.264000",
        "6.188000",
        "noord",
        DEVENTER,
    ),
    (
        "Basisschool De Zonnewijzer",
        "30BB00",
        ["po"],
        "Zonnewijzerstraat 4",
        "7422 AB",
        "Deventer",
        "52.255000",
        "6.170000",
        "noord",
        DEVENTER,
    ),
    (
        "Alfrink College Deventer",
        "30BC00",
        ["havo", "vwo", "vmbo-gt"],
        "Keizerslanden 9",
        "7423 AD",
        "Deventer",
        "52.247000",
        "6.196000",
        "noord",
        DEVENTER,
    ),
    (
        "Aventus Deventer",
        "30BD00",
        ["mbo-1", "mbo-2", "mbo-3", "mbo-4"],
        "Handelskade 75",
        "7417 DH",
        "Deventer",
        "52.259000",
        "6.150000",
        "noord",
        DEVENTER,
    ),
    (
        "CBS De Wegwijzer Twello",
        "30BE00",
        ["po"],
        "Jachtlaan 2",
        "7391 XM",
        "Twello",
        "52.236000",
        "6.103000",
        "midden",
        DEVENTER,
    ),
    (
        "OBS De Bongerd Twello",
        "30BF00",
        ["po"],
        "Bongerd 1",
        "7391 AA",
        "Twello",
        "52.239000",
        "6.110000",
        "midden",
        DEVENTER,
    ),
]

PO = ["po", "so"]
VO = ["vso", "pro", "vmbo-bb", "vmbo-kb", "vmbo-gt", "havo", "vwo"]
MBO = ["mbo-1", "mbo-2", "mbo-3", "mbo-4"]

# name, description, minutes, max pupils, types, kit rules [(kit, per, fixed)], consumables
WORKSHOPS = [
    (
        "Blue-Bot programmeren",
        "Jonge leerlingen sturen een Blue-Bot over een plattegrond.",
        60,
        27,
        PO,
        [("Blue-Bot", 3, None)],
        [],
    ),
    (
        "Robotauto coderen",
        "Een robotauto programmeren op de tablet en een parcours rijden.",
        90,
        30,
        PO + VO,
        [("Robotauto", 2, None), ("Tablet", 2, None)],
        [("AAA-batterijen", "0.5")],
    ),
    (
        "3D-ontwerpen & printen",
        "Een sleutelhanger ontwerpen op de laptop en printen.",
        120,
        24,
        VO + MBO,
        [("FDM 3D-printer", None, 6), ("Laptop", 2, None)],
        [("PLA-filament", "8")],
    ),
    (
        "VR-beroepenexpeditie",
        "Met een VR-bril op werkbezoek bij technische beroepen.",
        60,
        32,
        ["po"] + VO + MBO,
        [("VR-bril", None, 8)],
        [("Hygiënehoesjes VR", "1")],
    ),
    (
        "micro:bit uitvinders",
        "Een eigen uitvinding bouwen met micro:bit en sensoren.",
        90,
        30,
        ["po", "so"] + VO,
        [("micro:bit-kit", 2, None), ("Laptop", 2, None)],
        [("AAA-batterijen", "1")],
    ),
    (
        "Solderen: LED-badge",
        "Een knipperende LED-badge solderen.",
        90,
        14,
        VO + MBO,
        [("Soldeerstation", 2, None)],
        [("LED-badge-kit", "1")],
    ),
]

# Audience ranges (groep for po/so, leerjaar for vo; None = any): what the impact report and
# the booking form check sessions against.
AUDIENCE = {
    "Blue-Bot programmeren": {"po_group_min": 1, "po_group_max": 4},
    "Robotauto coderen": {"po_group_min": 5, "po_group_max": 8, "vo_year_max": 2},
    "3D-ontwerpen & printen": {"vo_year_min": 1, "vo_year_max": 4},
    "VR-beroepenexpeditie": {
        "po_group_min": 7,
        "po_group_max": 8,
        "vo_year_min": 1,
        "vo_year_max": 4,
    },
    "micro:bit uitvinders": {"po_group_min": 6, "po_group_max": 8, "vo_year_max": 3},
    "Solderen: LED-badge": {"vo_year_min": 2, "vo_year_max": 4},
}
AUDIENCE_FIELDS = ("po_group_min", "po_group_max", "vo_year_min", "vo_year_max")

# Who was there, for the visits that took place (group label → girls, boys, teachers; None =
# not recorded), so the impact report shows a share of girls with partial coverage.
ATTENDANCE = {
    "groep 8": (14, 15, 2),
    "SO-bovenbouw": (None, None, 2),
    "PrO 1": (5, 9, 1),
}

DEMO_BRINS = [s[1] for s in SCHOOLS]


def _schools() -> dict[str, School]:
    depots = {d.name: d for d in Depot.objects.filter(name__in=[ROTTERDAM, DEVENTER])}
    result = {}
    for name, brin, types, address, postcode, city, lat, lon, region, depot in SCHOOLS:
        school, _ = School.objects.update_or_create(
            brin=brin,
            defaults={
                "name": name,
                "school_types": types,
                "address": address,
                "postcode": postcode,
                "city": city,
                "lat": Decimal(lat),
                "lon": Decimal(lon),
                "holiday_region": region,
                "depot": depots.get(depot),
                "programme": depots[depot].programme,
                "contact_name": "Contactpersoon techniek",
                "contact_email": f"techniek@{brin.lower()}.school.example",
                "site_notes": "Parkeren op het schoolplein; 230 V-stopcontact bij de gymzaal.",
            },
        )
        result[brin] = school
    return result


def _workshops() -> dict[str, str]:
    """Every programme's catalogue: the same workshops, with its own depot's consumables."""
    for depot in Depot.objects.filter(name__in=[ROTTERDAM, DEVENTER]).select_related("programme"):
        _programme_workshops(depot)
    return {name: name for name, *_rest in WORKSHOPS}


def _programme_workshops(depot) -> None:
    kit_types = {k.name: k for k in KitType.objects.all()}
    consumables = {c.name: c for c in Consumable.objects.filter(depot=depot)}
    for name, description, minutes, max_pupils, types, kit_rules, cons_rules in WORKSHOPS:
        workshop, _ = Workshop.objects.update_or_create(
            name=name,
            programme=depot.programme,
            defaults={
                "description": description,
                "duration_minutes": minutes,
                "max_pupils": max_pupils,
                "school_types": types,
                **{f: AUDIENCE.get(name, {}).get(f) for f in AUDIENCE_FIELDS},
            },
        )
        for kit_name, per, fixed in kit_rules:
            if kit_name in kit_types:
                KitRule.objects.update_or_create(
                    workshop=workshop,
                    kit_type=kit_types[kit_name],
                    defaults={"per_pupils": per, "fixed": fixed},
                )
        for cons_name, amount in cons_rules:
            if cons_name in consumables:
                ConsumableRule.objects.update_or_create(
                    workshop=workshop,
                    consumable=consumables[cons_name],
                    defaults={"per_pupil": Decimal(amount)},
                )


def _open_days(school: School, start: dt.date, count: int) -> list[dt.date]:
    days = selectors.availability_for(
        school=school, date_from=start, date_to=start + dt.timedelta(days=120)
    )
    return [d["date"] for d in days if d["available"]][:count]


def _session(workshop, school_type, year, pupils, start, label):
    return {
        "workshop": workshop,
        "group_label": label,
        "school_type": school_type,
        "year": year,
        "pupils": pupils,
        "start_time": start,
    }


def _bookings(schools, workshops) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    today = selectors.today()
    rdam = schools["20AD00"]  # Basisschool De Klimop (po, Rotterdam)
    start = today + dt.timedelta(days=services.lead_time_days(rdam.programme) + 1)
    days = _open_days(rdam, start, 12)
    if len(days) < 10:
        return
    t = dt.time
    # (school brin, day index, sessions, final status)
    plan = [
        (
            "20AD00",
            0,
            [
                _session(workshops["Blue-Bot programmeren"], "po", 3, 24, t(9, 0), "groep 3a"),
                _session(workshops["Blue-Bot programmeren"], "po", 4, 26, t(10, 15), "groep 4"),
            ],
            "confirmed",
        ),
        (
            "20AB00",
            1,
            [_session(workshops["3D-ontwerpen & printen"], "vmbo-kb", 2, 20, t(9, 0), "2K1")],
            "confirmed",
        ),
        # Same day, other school, same depot: the second wagon would go, but the six printers
        # are all taken by the booking above — the day where a kit type is exactly used up.
        (
            "20AA00",
            1,
            [_session(workshops["VR-beroepenexpeditie"], "havo", 2, 28, t(10, 0), "H2b")],
            "requested",
        ),
        (
            "20AE00",
            2,
            [_session(workshops["Robotauto coderen"], "po", 7, 28, t(9, 0), "groep 7b")],
            "packed",
        ),
        (
            "20AF00",
            3,
            [_session(workshops["micro:bit uitvinders"], "po", 8, 30, t(9, 0), "groep 8")],
            "on_site",
        ),
        (
            "20AG00",
            4,
            [_session(workshops["Robotauto coderen"], "so", 6, 12, t(10, 0), "SO-bovenbouw")],
            "returned",
        ),
        (
            "20AH00",
            5,
            [_session(workshops["micro:bit uitvinders"], "pro", 1, 16, t(9, 30), "PrO 1")],
            "completed",
        ),
        (
            "20AC00",
            6,
            [_session(workshops["Solderen: LED-badge"], "mbo-2", 1, 12, t(9, 0), "ELT-2A")],
            "declined",
        ),
        (
            "20AJ00",
            7,
            [_session(workshops["VR-beroepenexpeditie"], "vwo", 3, 30, t(11, 0), "V3a")],
            "cancelled",
        ),
        (
            "20AD00",
            8,
            [_session(workshops["Robotauto coderen"], "po", 6, 24, t(9, 0), "groep 6")],
            "requested",
        ),
        (
            "30BA00",
            2,
            [
                {
                    **_session(workshops["Solderen: LED-badge"], "vmbo-kb", 3, 8, t(9, 0), "3KB"),
                    "profile": "PIE",
                }
            ],
            "confirmed",
        ),
        (
            "30BB00",
            3,
            [_session(workshops["Blue-Bot programmeren"], "po", 4, 27, t(9, 0), "groep 4")],
            "requested",
        ),
        (
            "30BE00",
            4,
            [_session(workshops["VR-beroepenexpeditie"], "po", 8, 25, t(13, 0), "groep 8")],
            "confirmed",
        ),
    ]
    path = {
        "confirmed": [],
        "packed": ["packed"],
        "on_site": ["packed", "on_site"],
        "returned": ["packed", "on_site", "returned"],
        "completed": ["packed", "on_site", "returned", "completed"],
    }
    for brin, index, sessions, final in plan:
        school = schools[brin]
        # The school's own programme's coordinator acts, so history names the right person.
        acting = (
            User.objects.filter(programmes=school.programme_id, groups__name="coordinator")
            .order_by("pk")
            .first()
            or coordinator
        )
        try:
            booking = _create(school, days[index], sessions, acting, index)
        except (BookingError, ValidationError):
            continue  # a day the calendar closed for this region: leave it out
        _move(booking, final, path, acting)
        if final in Booking.TOOK_PLACE:
            _attendance(booking, acting)


def _create(school, day, sessions, coordinator, index):
    # Sessions name their workshop; the school's programme has its own of that name.
    catalogue = {w.name: w for w in Workshop.objects.filter(programme=school.programme_id)}
    sessions = [{**s, "workshop": catalogue[s["workshop"]]} for s in sessions]
    return services.booking_create(
        school=school,
        date=day,
        sessions=sessions,
        acting_user=coordinator,
        contact_name="Contactpersoon techniek",
        contact_email=school.contact_email,
        photo_consent=index % 2 == 0,
    )


def _move(booking, final, path, coordinator):
    if final == "declined":
        services.booking_decline(
            booking=booking, reason="Geen soldeerbegeleiding die dag.", acting_user=coordinator
        )
    elif final == "cancelled":
        services.booking_cancel(
            booking=booking, reason="Toetsweek verschoven.", acting_user=coordinator
        )
    elif final != "requested":
        services.booking_confirm(booking=booking, acting_user=coordinator, send_email=False)
        for status in path[final]:
            services.booking_set_status(booking=booking, status=status, acting_user=coordinator)


def _attendance(booking, acting_user) -> None:
    rows = []
    for session in booking.sessions.all():
        if session.group_label in ATTENDANCE:
            girls, boys, teachers = ATTENDANCE[session.group_label]
            rows.append({"id": session.pk, "girls": girls, "boys": boys, "teachers": teachers})
    if rows:
        services.booking_record_attendance(booking=booking, sessions=rows, acting_user=acting_user)


def load() -> dict:
    schools = _schools()
    workshops = _workshops()
    school_user = User.objects.filter(username="school").first()
    if school_user is not None:
        SchoolMembership.objects.update_or_create(
            user=school_user, defaults={"school": schools["20AD00"]}
        )
    if not Booking.objects.filter(school__brin__in=DEMO_BRINS).exists():
        _bookings(schools, workshops)
    return {
        "schools": School.objects.count(),
        "workshops": Workshop.objects.count(),
        "bookings": Booking.objects.count(),
    }
