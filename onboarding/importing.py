"""Bulk import of schools from DUO's open-data address files, with django-import-export.

DUO's column names (INSTELLINGSCODE or "BRIN NUMMER", VESTIGINGSCODE, INSTELLINGSNAAM,
STRAATNAAM, HUISNUMMER-TOEVOEGING, POSTCODE, PLAATSNAAM) are mapped onto School's fields before
the rows are read. Every file is imported into one programme chosen on the form, with a holiday
region and school types for new schools (DUO's address files carry neither).

Coordinates: DUO's address files carry none. Optional LAT/LON (or LATITUDE/LONGITUDE) columns are
used when present; otherwise a new school gets the coordinates of the chosen depot (its first
wagon's depot position) — a placeholder that keeps route planning working but puts the school at
the depot, which the admin says on the form. Without either, the row is refused. An update keeps
the school's coordinates unless the file has them.

All or nothing: a row is refused for a bad BRIN, a bad postcode, a BRIN twice in the file or a
BRIN of another programme's school; one refused row rolls the whole file back, and a dry run
writes nothing.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import fields, instance_loaders, resources
from import_export.formats.base_formats import CSV
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as stdnum_brin
from stdnum.nl import postcode as stdnum_postcode

from backend.core.history import with_acting_user
from bookings.models import School

# DUO header (upper case, spaces and dashes as in the files) → our column.
DUO_COLUMNS = {
    "INSTELLINGSCODE": "brin4",
    "BRIN NUMMER": "brin4",
    "BRINNUMMER": "brin4",
    "VESTIGINGSCODE": "vestiging",
    "VESTIGINGSNUMMER": "vestiging",
    "INSTELLINGSNAAM": "instellingsnaam",
    "VESTIGINGSNAAM": "vestigingsnaam",
    "STRAATNAAM": "street",
    "HUISNUMMER-TOEVOEGING": "number",
    "POSTCODE": "postcode",
    "PLAATSNAAM": "city",
    "LAT": "lat",
    "LATITUDE": "lat",
    "LON": "lon",
    "LONGITUDE": "lon",
}
REQUIRED = ("brin4", "street", "postcode", "city")
OUT = ("brin", "name", "address", "postcode", "city", "lat", "lon")


class DuoCSV(CSV):
    """CSV as DUO publishes it: separated by semicolons (its open-data files) or commas (a
    spreadsheet's export), told apart by the header line."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        header = in_stream.lstrip("\ufeff").split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if header.count(";") > header.count(",") else ",")
        return super().create_dataset(in_stream, **kwargs)


def depot_position(depot) -> tuple[Decimal, Decimal] | None:
    """Where the depot's wagons start: the only coordinates a depot has."""
    if depot is None:
        return None
    wagon = depot.wagons.order_by("pk").only("depot_lat", "depot_lon").first()
    return (wagon.depot_lat, wagon.depot_lon) if wagon else None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _brin(row: dict) -> str:
    """INSTELLINGSCODE + VESTIGINGSCODE: DUO writes the vestiging as the full code ("01AB00")
    or as its two digits ("00")."""
    brin4 = _text(row.get("brin4")).replace(" ", "").upper()
    vestiging = _text(row.get("vestiging")).replace(" ", "").upper()
    if vestiging.startswith(brin4) and len(vestiging) > len(brin4):
        return vestiging
    if vestiging.isdigit() and len(vestiging) <= 2:
        return brin4 + vestiging.zfill(2)
    return brin4 + vestiging


class SchoolResource(resources.ModelResource):
    """One DUO row → one School (created, or updated when its BRIN exists in this programme)."""

    brin = fields.Field(attribute="brin", column_name="brin")
    name = fields.Field(attribute="name", column_name="name")
    address = fields.Field(attribute="address", column_name="address")
    postcode = fields.Field(attribute="postcode", column_name="postcode")
    city = fields.Field(attribute="city", column_name="city")

    class Meta:
        model = School
        fields = ("brin", "name", "address", "postcode", "city")
        import_id_fields = ("brin",)
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True
        # One query for the whole file's existing schools instead of one per row.
        instance_loader_class = instance_loaders.CachedInstanceLoader

    def __init__(
        self,
        *,
        programme=None,
        holiday_region="",
        depot=None,
        school_types=(),
        acting_user=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.programme = programme
        self.holiday_region = holiday_region
        self.depot = depot
        self.school_types = list(school_types)
        self.acting_user = acting_user
        self._fallback = None
        self._row_errors: dict[int, dict[str, list[str]]] = {}

    # --- whole file ---------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # One refused row rolls back the whole file, whatever the caller asked for.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        if self.programme is None:
            raise ValidationError("Kies het programma waarin de scholen komen.")
        headers = [
            DUO_COLUMNS.get(_text(h).lstrip("\ufeff").upper().replace("_", " "), _text(h))
            for h in dataset.headers or []
        ]
        missing = [c for c in REQUIRED if c not in headers]
        if missing:
            names = {v: k for k, v in reversed(DUO_COLUMNS.items())}
            raise ValidationError(
                "Kolommen ontbreken: " + ", ".join(names[c] for c in missing) + "."
            )
        raw = [dict(zip(headers, values, strict=True)) for values in dataset]
        self._fallback = depot_position(self.depot)
        rows, seen = [], {}
        self._row_errors = {}
        for number, row in enumerate(raw, 1):
            brin, errors = _brin(row), {}
            try:
                brin = stdnum_brin.validate(brin)
            except StdnumError:
                errors["brin"] = [f"Ongeldige BRIN-code {brin!r}."]
            postcode = _text(row.get("postcode"))
            try:
                postcode = stdnum_postcode.validate(postcode)
            except StdnumError:
                errors["postcode"] = [f"Ongeldige postcode {postcode!r} (bijv. 3032 AD)."]
            if "brin" not in errors:
                if brin in seen:
                    errors["brin"] = [f"BRIN {brin} staat al in rij {seen[brin]}."]
                else:
                    seen[brin] = number
            lat, lon = _text(row.get("lat")), _text(row.get("lon"))
            try:
                lat = Decimal(lat.replace(",", ".")) if lat else None
                lon = Decimal(lon.replace(",", ".")) if lon else None
            except InvalidOperation:
                errors["lat"] = ["Ongeldige coördinaten."]
                lat = lon = None
            street, house = _text(row.get("street")), _text(row.get("number"))
            name = _text(row.get("vestigingsnaam")) or _text(row.get("instellingsnaam"))
            rows.append(
                (
                    brin,
                    name,
                    f"{street} {house}".strip(),
                    postcode,
                    _text(row.get("city")),
                    lat,
                    lon,
                )
            )
            if errors:
                self._row_errors[number] = errors
        dataset.wipe()
        dataset.headers = list(OUT)
        for row in rows:
            dataset.append(row)
        # Another programme's schools are refused by BRIN, read once for the whole file.
        self._foreign = set(
            School.objects.filter(brin__in=list(seen))
            .exclude(programme=self.programme)
            .values_list("brin", flat=True)
        )

    # --- one row ------------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        number = kwargs.get("row_number")
        errors = {k: list(v) for k, v in self._row_errors.get(number, {}).items()}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if row["brin"] in self._foreign:
            errors.setdefault("brin", []).append(
                f"BRIN {row['brin']} is een school van een ander programma."
            )
        new = instance.pk is None
        lat, lon = row.get("lat"), row.get("lon")
        if lat is not None and lon is not None:
            instance.lat, instance.lon = lat, lon
        elif new:
            if self._fallback is None:
                errors.setdefault("lat", []).append(
                    "Geen LAT/LON in het bestand en geen depot met coördinaten gekozen."
                )
            else:
                instance.lat, instance.lon = self._fallback
        if new:
            instance.programme = self.programme
            instance.holiday_region = self.holiday_region
            instance.depot = self.depot
            instance.school_types = list(self.school_types)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Our own checks name the row's problem in words; only add the model's when there are
        # none (e.g. a name that is too long).
        if import_validation_errors:
            raise ValidationError(import_validation_errors)
        # BRIN uniqueness is settled for the whole file in before_import (duplicates, another
        # programme's schools) and by the instance loader (this programme's: an update), so the
        # per-row unique query is skipped (one query a row adds up on DUO's national files); the database constraint still holds against a race.
        # The programme and depot came from the form, checked once there: no query per row.
        instance.full_clean(exclude=["programme", "depot"], validate_unique=False)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # import-export rolls a dry run back; skipping the write also keeps it fast.
            return
        with_acting_user(instance, self.acting_user, reason="DUO-import")
        super().save_instance(instance, is_create, row, **kwargs)


@transaction.atomic
def schools_import(
    *,
    dataset,
    programme,
    holiday_region: str,
    depot=None,
    school_types=(),
    dry_run: bool,
    acting_user,
):
    """Import a DUO file into `programme`; returns import-export's Result (per row: new,
    update or invalid with its reasons). Writes nothing on a dry run or when any row is refused."""
    resource = SchoolResource(
        programme=programme,
        holiday_region=holiday_region,
        depot=depot,
        school_types=school_types,
        acting_user=acting_user,
    )
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, user=acting_user)
