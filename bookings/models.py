"""Schools, workshops with kit rules, blackouts and bookings with their sessions."""

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backend.core.dates import validate_date_window
from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.scoping import ScopedQuerySet
from inventory.models import Consumable, Depot, KitType, Wagon
from programmes.models import Programme

MAX_ALTERNATIVE_DATES = 3
BRIN_RE = r"^\d{2}[A-Z]{2}(\d{2})?$"
POSTCODE_RE = r"^[1-9]\d{3} [A-Z]{2}$"


class SchoolType(models.TextChoices):
    PO = "po", "Primair onderwijs"
    SO = "so", "Speciaal onderwijs"
    VSO = "vso", "Voortgezet speciaal onderwijs"
    PRO = "pro", "Praktijkonderwijs"
    VMBO_BB = "vmbo-bb", "vmbo basisberoepsgerichte leerweg"
    VMBO_KB = "vmbo-kb", "vmbo kaderberoepsgerichte leerweg"
    VMBO_GT = "vmbo-gt", "vmbo gemengde/theoretische leerweg"
    HAVO = "havo", "havo"
    VWO = "vwo", "vwo"
    MBO_1 = "mbo-1", "mbo niveau 1"
    MBO_2 = "mbo-2", "mbo niveau 2"
    MBO_3 = "mbo-3", "mbo niveau 3"
    MBO_4 = "mbo-4", "mbo niveau 4"


# Audience of a workshop (issue 18): po counts in groepen, vo in leerjaren, mbo by niveau (the
# mbo-1..mbo-4 school types themselves).
PO_SCHOOL_TYPES = frozenset({"po", "so"})
VO_SCHOOL_TYPES = frozenset({"vso", "pro", "vmbo-bb", "vmbo-kb", "vmbo-gt", "havo", "vwo"})
VMBO_SCHOOL_TYPES = frozenset({"vmbo-bb", "vmbo-kb", "vmbo-gt"})
PO_GROUPS = (1, 8)
VO_YEARS = (1, 6)


class VmboProfile(models.TextChoices):
    """The ten vmbo profielen (beroepsgerichte profielen since 2016)."""

    BWI = "BWI", "Bouwen, wonen en interieur"
    PIE = "PIE", "Produceren, installeren en energie"
    MT = "M&T", "Mobiliteit en transport"
    MVI = "MVI", "Media, vormgeving en ICT"
    MAT = "MaT", "Maritiem en techniek"
    ZW = "Z&W", "Zorg en welzijn"
    EO = "E&O", "Economie en ondernemen"
    HBR = "HBR", "Horeca, bakkerij en recreatie"
    G = "G", "Groen"
    DP = "D&P", "Dienstverlening en producten"


class HolidayRegion(models.TextChoices):
    NOORD = "noord", "Noord"
    MIDDEN = "midden", "Midden"
    ZUID = "zuid", "Zuid"


class School(models.Model):
    """A school location (BRIN + vestiging) the wagon can visit."""

    name = models.CharField(max_length=150)
    brin = models.CharField(
        max_length=6, unique=True, validators=[RegexValidator(BRIN_RE, "Invalid BRIN code.")]
    )
    school_types = models.JSONField(
        default=list, validators=[MaxLengthValidator(len(SchoolType.choices))]
    )
    address = models.CharField(max_length=200)
    postcode = models.CharField(
        max_length=7, validators=[RegexValidator(POSTCODE_RE, "Invalid postcode.")]
    )
    city = models.CharField(max_length=100)
    lat = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    holiday_region = models.CharField(max_length=6, choices=HolidayRegion.choices)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="schools")
    depot = models.ForeignKey(
        Depot,
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
        help_text="The depot (programme) whose wagons serve this school.",
    )
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    site_notes = models.TextField(
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text="Parking pitch, 230 V socket, room.",
    )
    day_start = models.TimeField(default="08:30")
    day_end = models.TimeField(default="15:30")
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme", school_path="pk")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.brin})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.depot_id and self.programme_id and self.depot.programme_id != self.programme_id:
            raise ValidationError({"depot": _("Dit depot hoort bij een ander programma.")})


class SchoolMembership(models.Model):
    """Links a school user to the one school they act for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_membership"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} → {self.school}"


class Workshop(models.Model):
    """A lesmodule with its audience and kit rules."""

    name = models.CharField(max_length=100)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="workshops")
    description = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    max_pupils = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    school_types = models.JSONField(
        default=list, validators=[MaxLengthValidator(len(SchoolType.choices))]
    )
    active = models.BooleanField(default=True)
    # Audience range (null = any): groep for po/so sessions, leerjaar for vo sessions.
    po_group_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    po_group_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    vo_year_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    vo_year_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="workshop_programme_name_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(po_group_min__isnull=True)
                | models.Q(po_group_max__isnull=True)
                | models.Q(po_group_min__lte=models.F("po_group_max")),
                name="workshop_po_group_range",
            ),
            models.CheckConstraint(
                condition=models.Q(vo_year_min__isnull=True)
                | models.Q(vo_year_max__isnull=True)
                | models.Q(vo_year_min__lte=models.F("vo_year_max")),
                name="workshop_vo_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KitRule(models.Model):
    """Per kit type: 1 unit per `per_pupils` pupils, or a `fixed` count."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="kit_rules")
    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="kit_rules")
    per_pupils = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    fixed = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("workshop__programme")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "kit_type"], name="kit_rule_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(per_pupils__isnull=False, fixed__isnull=True)
                    | models.Q(per_pupils__isnull=True, fixed__isnull=False)
                ),
                name="kit_rule_exactly_one",
            ),
        ]

    def __str__(self) -> str:
        if self.fixed:
            return f"{self.workshop}: {self.fixed}× {self.kit_type}"
        return f"{self.workshop}: 1 {self.kit_type} per {self.per_pupils}"


class ConsumableRule(models.Model):
    """Consumable used per pupil (e.g. 8 g PLA). Matched by consumable name across depots."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="consumable_rules"
    )
    consumable = models.ForeignKey(Consumable, on_delete=models.PROTECT, related_name="rules")
    per_pupil = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(10000)],
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("workshop__programme")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "consumable"], name="consumable_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop}: {self.per_pupil} {self.consumable.unit} {self.consumable.name}"


class Blackout(models.Model):
    """Closed days, scoped: the whole programme (wagon and school empty), one wagon, or one school
    (a studiedag, which the school may enter itself)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="blackouts")
    wagon = models.ForeignKey(
        Wagon, on_delete=models.CASCADE, null=True, blank=True, related_name="blackouts"
    )
    school = models.ForeignKey(
        "bookings.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closed_days",
    )
    date_from = models.DateField(validators=[validate_date_window])
    date_to = models.DateField(validators=[validate_date_window])
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme", school_path="school", school_optional=True)

    class Meta:
        ordering = ["date_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(wagon__isnull=False) & models.Q(school__isnull=False)),
                name="blackout_wagon_or_school",
            ),
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="blackout_from_before_to",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to}: {self.reason}"

    def clean(self):
        # The wagon or school a closed day narrows to belongs to its programme (the admin's form
        # checks this here; the API's services set the programme from them).
        from django.core.exceptions import ValidationError

        if self.programme_id is None:
            return
        if self.wagon_id and self.wagon.depot.programme_id != self.programme_id:
            raise ValidationError({"wagon": _("Deze wagen hoort bij een ander programma.")})
        if self.school_id and self.school.programme_id != self.programme_id:
            raise ValidationError({"school": _("Deze school hoort bij een ander programma.")})


class Booking(models.Model):
    """A school's request for a visit, and then the visit itself."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        CONFIRMED = "confirmed", _("Bevestigd")
        PACKED = "packed", _("Ingepakt")
        ON_SITE = "on_site", _("Op locatie")
        RETURNED = "returned", _("Retour")
        COMPLETED = "completed", _("Afgerond")
        DECLINED = "declined", _("Afgewezen")
        CANCELLED = "cancelled", _("Geannuleerd")

    # Statuses whose kit is reserved (they hold units on their date).
    RESERVING = ("confirmed", "packed", "on_site", "returned")
    # Statuses that count as a visit that took place.
    TOOK_PLACE = ("on_site", "returned", "completed")

    reference = models.CharField(max_length=20, unique=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="bookings")
    wagon = models.ForeignKey(
        Wagon, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    date = models.DateField(validators=[validate_date_window])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    contact_name = models.CharField(max_length=100)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    site_notes = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    photo_consent = models.BooleanField(default=False)
    alternative_dates = models.JSONField(
        default=list, blank=True, validators=[MaxLengthValidator(MAX_ALTERNATIVE_DATES)]
    )
    status_reason = models.CharField(max_length=300, blank=True)
    # Pinned by the coordinator: the route planner and moves keep it on its date (and wagon).
    pinned = models.BooleanField(default=False)
    # The language of the school's e-mails: the one it used when it asked.
    language = models.CharField(
        max_length=2, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    objects = ScopedQuerySet.scoped_as("school__programme", school_path="school")

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["date", "status"]),
            # Visit slots per wagon-day (availability): read from the index alone.
            models.Index(fields=["wagon", "date", "status"], name="booking_wagon_day"),
            # The reach and impact reports' visits (status and period) with what they group on:
            # read from the index alone.
            models.Index(fields=["status", "date", "school", "wagon"], name="booking_reach"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.school.name} {self.date}"


class BookingSession(models.Model):
    """One group doing one workshop during a visit."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="sessions")
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="sessions")
    group_label = models.CharField(max_length=50)
    school_type = models.CharField(max_length=10, choices=SchoolType.choices)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(8)])
    pupils = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    start_time = models.TimeField()
    # Who was there (issue 18): optional at request, completed after the visit by crew or the
    # teacher. girls + boys ≤ pupils; the rest of the pupils are "not specified".
    girls = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    boys = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    teachers = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    # A vmbo group's beroepsgerichte profiel (optional; only on vmbo sessions).
    profile = models.CharField(max_length=3, blank=True, default="", choices=VmboProfile.choices)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("booking__school__programme", school_path="booking__school")

    class Meta:
        ordering = ["start_time", "id"]
        indexes = [
            # The reach and impact reports: a visit's sessions with every figure they count, read
            # from the index alone (in visit order, so a visit's sessions stream in one pass).
            models.Index(
                fields=[
                    "booking",
                    "school_type",
                    "workshop",
                    "pupils",
                    "girls",
                    "boys",
                    "teachers",
                ],
                name="session_reach",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_label} {self.workshop} {self.start_time:%H:%M}"

    @property
    def pupils_unspecified(self) -> int:
        return pupils_unspecified(self.pupils, self.girls, self.boys)


class ReachFact(models.Model):
    """The reach report's facts (`bookings.reports.facts` writes them, `bookings.reports.selectors`
    reads them): per visit that may count (confirmed … completed), one row of `kind` "visit"
    with all its sessions, and one row per school type, per workshop and per sector (po / vo /
    mbo / so) of its sessions with theirs — so each figure of the report is a scan of one kind
    of row, never the visits joined to their sessions. What they count (date, status, school,
    wagon, the sessions' school type, workshop and pupils) is copied from the booking and its
    sessions; what may change about the school, wagon or workshop (programme, depot, region,
    name) is read by joining those small tables."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=11)  # visit, school_type, workshop, sector
    key = models.CharField(max_length=10, blank=True)  # the school type or sector, else ""
    # The school, wagon and workshop rows outlive the facts (bookings and sessions protect
    # them): no constraint to check and no index to write on every write.
    workshop = models.ForeignKey(
        Workshop,
        models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    date = models.DateField()
    status = models.CharField(max_length=10)
    school = models.ForeignKey(
        School, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    wagon = models.ForeignKey(
        Wagon, models.DO_NOTHING, db_constraint=False, db_index=False, null=True, related_name="+"
    )
    sessions = models.PositiveIntegerField()
    pupils = models.PositiveIntegerField()

    objects = ScopedQuerySet.scoped_as("school__programme", school_path="school")

    class Meta:
        indexes = [
            # A report's pass: one kind of row in a period, with everything it groups on and
            # sums, read from the index alone.
            models.Index(
                fields=[
                    "kind",
                    "status",
                    "date",
                    "school",
                    "wagon",
                    "key",
                    "workshop",
                    "sessions",
                    "pupils",
                ],
                name="reach_fact_pass",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind} {self.key or self.workshop_id or ''}"


def pupils_unspecified(pupils: int, girls: int | None, boys: int | None) -> int:
    """Pupils of a session not counted as girl or boy (computed, never stored): all of them
    while nothing is recorded. Never negative, though validation keeps girls + boys ≤ pupils."""
    return max(pupils - (girls or 0) - (boys or 0), 0)


class KitReservation(models.Model):
    """A reserving booking's stop need of one kit type on its date and depot (written under the
    day lock by `bookings.kit.pool`; the depot's need is derived from these per wagon-day) — or
    a waiting-list offer's hold on the same (`waiting_entry`, counted while the offer is live)."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="reservations", null=True, blank=True
    )
    waiting_entry = models.ForeignKey(
        "bookings.WaitingEntry",
        on_delete=models.CASCADE,
        related_name="holds",
        null=True,
        blank=True,
    )
    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="reservations")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="reservations")
    date = models.DateField()
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kit_type"], name="reservation_unique"),
            models.UniqueConstraint(fields=["waiting_entry", "kit_type"], name="hold_unique"),
            models.CheckConstraint(
                condition=models.Q(booking__isnull=True) ^ models.Q(waiting_entry__isnull=True),
                name="reservation_booking_or_offer",
            ),
        ]
        indexes = [
            models.Index(fields=["depot", "date"]),
            # The few rows of waiting-list offers (availability looks up the live ones): the
            # plain foreign-key index is all NULLs to SQLite's planner, which then scans.
            models.Index(
                fields=["waiting_entry"],
                condition=models.Q(waiting_entry__isnull=False),
                name="kit_reservation_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.quantity}× {self.kit_type_id} on {self.date}"


class KitDayNeed(models.Model):
    """A summary of `KitReservation` per depot-day and kit type, so availability over a year
    reads a few thousand rows instead of re-summing every reservation: one row per wagon
    (`needed` = the maximum over its stops, the load it carries) and one without a wagon
    (`needed` = the sum over reserving bookings not on a wagon, each a wagon-day of its own);
    `reserved` is the plain sum of the stop reservations. Only reserving bookings count.
    Written by `bookings.kit.pool` in the same transaction as the reservations, under the
    depot-day lock; `pool.day_needs_recomputed` is the definition it must equal."""

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    kit_type = models.ForeignKey(KitType, on_delete=models.CASCADE, related_name="+")
    wagon = models.ForeignKey(Wagon, on_delete=models.CASCADE, null=True, related_name="+")
    needed = models.PositiveIntegerField()
    reserved = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["depot", "date", "kit_type", "wagon"],
                condition=models.Q(wagon__isnull=False),
                name="kit_day_need_wagon_unique",
            ),
            models.UniqueConstraint(
                fields=["depot", "date", "kit_type"],
                condition=models.Q(wagon__isnull=True),
                name="kit_day_need_loose_unique",
            ),
        ]
        # Availability groups a depot's range by day and wagon: read in index order, no table.
        indexes = [
            models.Index(
                fields=["depot", "date", "wagon", "kit_type", "needed"],
                name="kit_day_need_depot_date",
            ),
            # ... and sums it per day and kit type (the days a visit may not fit everywhere).
            models.Index(
                fields=["depot", "date", "kit_type", "needed"], name="kit_day_need_depot_kit"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.depot_id} {self.date} {self.kit_type_id} wagon {self.wagon_id}: {self.needed}"
        )


class DayLock(models.Model):
    """One row per depot-day; `select_for_update` on it serialises kit decisions for that day."""

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["depot", "date"], name="day_lock_unique"),
        ]

    def __str__(self) -> str:
        return f"lock {self.depot_id} {self.date}"


from bookings.packing.models import *  # noqa: E402,F401,F403  (packing-list tables)


class WaitingEntry(models.Model):
    """A school waiting for a date that was refused for wagon or kit (and its alternatives). When
    a slot frees up the first fitting entry gets an offer that holds the slot (`offer_*`, counted
    by the kit pool and the wagon's slots until `offer_expires`); accepting turns it into a
    requested booking."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Wacht")
        OFFERED = "offered", _("Aanbod")
        ACCEPTED = "accepted", _("Aangenomen")
        DECLINED = "declined", _("Afgeslagen")
        EXPIRED = "expired", _("Verlopen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="waiting_entries")
    dates = models.JSONField(default=list)  # ISO dates, the wanted date first
    sessions = models.JSONField(default=list)  # as booking_create takes them, workshop by id
    contact_name = models.CharField(max_length=100)
    contact_email = models.EmailField()
    language = models.CharField(
        max_length=2, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    offer_date = models.DateField(null=True, blank=True)
    offer_wagon = models.ForeignKey(
        Wagon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_depot = models.ForeignKey(
        Depot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_need = models.JSONField(default=dict, blank=True)  # {kit type id: units held}
    offer_expires = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="waiting_entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("school__programme", school_path="school")

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["status", "offer_date"])]
        verbose_name = _("wachtlijstaanvraag")
        verbose_name_plural = _("wachtlijst")

    def __str__(self) -> str:
        return f"{self.school.name} wacht op {', '.join(self.dates)} ({self.status})"
