"""DUO import in the admin: a dry run lists per row created / updated / refused and why;
nothing is written on a dry run or while any row is refused."""

import csv
import io
import re
from decimal import Decimal

import pytest
import tablib
from django.test import Client

from bookings.models import School
from onboarding.importing import schools_import
from tests.factories import SchoolFactory, make_user

HEADER = [
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "INSTELLINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "POSTCODE",
    "PLAATSNAAM",
]
BAD_BRIN_ROW, BAD_POSTCODE_ROW, DUPLICATE_ROW = 100, 250, 400


def _brin(n: int) -> str:
    return f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(66 + n // 2340 % 24)}"


def duo_rows(count: int = 500, *, broken: bool = True) -> list[list[str]]:
    rows = []
    for n in range(1, count + 1):
        brin4 = _brin(n)
        # DUO writes the vestiging as the full code or as its two digits: both occur.
        vestiging = f"{brin4}00" if n % 2 else "00"
        rows.append(
            [brin4, vestiging, f"Basisschool {n}", "Schoolstraat", f"{n}a", "3061AA", "Rotterdam"]
        )
    if broken:
        rows[BAD_BRIN_ROW - 1][0] = "1XAB"
        rows[BAD_POSTCODE_ROW - 1][5] = "0123 AB"
        rows[DUPLICATE_ROW - 1][:2] = [_brin(10), "00"]
    return rows


def duo_csv(rows, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def dataset(rows, header=HEADER) -> tablib.Dataset:
    return tablib.Dataset().load(duo_csv(rows, header), format="csv")


@pytest.fixture
def depot(wagon):
    return wagon.depot


def run(rows, *, dry_run, programme, depot=None, header=HEADER, user=None):
    return schools_import(
        dataset=dataset(rows, header),
        programme=programme,
        holiday_region="midden",
        depot=depot,
        school_types=["po"],
        dry_run=dry_run,
        acting_user=user,
    )


def refused(result) -> dict[int, str]:
    return {row.number: " ".join(row.error.messages) for row in result.invalid_rows}


def test_the_dry_run_names_the_three_bad_rows_and_writes_nothing(depot):
    result = run(duo_rows(), dry_run=True, programme=depot.programme, depot=depot)

    reasons = refused(result)
    assert sorted(reasons) == [BAD_BRIN_ROW, BAD_POSTCODE_ROW, DUPLICATE_ROW]
    assert "BRIN" in reasons[BAD_BRIN_ROW]
    assert "postcode" in reasons[BAD_POSTCODE_ROW]
    assert "rij 10" in reasons[DUPLICATE_ROW]
    assert not School.objects.exists()


def test_the_real_run_writes_nothing_until_the_rows_are_fixed(depot):
    result = run(duo_rows(), dry_run=False, programme=depot.programme, depot=depot)

    assert len(result.invalid_rows) == 3
    assert not School.objects.exists()


def test_a_clean_file_creates_497_schools(depot):
    # Its time (target: under 10 s) is measured by bench/bench_import.py, not here.
    rows = duo_rows(broken=False)
    del rows[DUPLICATE_ROW - 1], rows[BAD_POSTCODE_ROW - 1], rows[BAD_BRIN_ROW - 1]

    result = run(rows, dry_run=False, programme=depot.programme, depot=depot)

    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["new"] == 497
    assert School.objects.count() == 497
    school = School.objects.get(brin=f"{_brin(1)}00")
    assert (school.name, school.address, school.postcode, school.city) == (
        "Basisschool 1",
        "Schoolstraat 1a",
        "3061 AA",
        "Rotterdam",
    )
    assert school.programme == depot.programme and school.depot == depot
    assert (school.lat, school.lon) == (depot.wagons.get().depot_lat, depot.wagons.get().depot_lon)
    assert school.holiday_region == "midden" and school.school_types == ["po"]
    assert School.objects.get(brin=f"{_brin(2)}00").name == "Basisschool 2"


def test_an_existing_school_is_updated_and_keeps_its_coordinates(depot):
    existing = SchoolFactory(brin=f"{_brin(1)}00", name="Oud", depot=depot)

    result = run(duo_rows(3, broken=False), dry_run=False, programme=depot.programme, depot=depot)

    assert [row.import_type for row in result.rows] == ["update", "new", "new"]
    existing.refresh_from_db()
    assert existing.name == "Basisschool 1"
    assert existing.lat == Decimal("51.925000")
    assert existing.history.latest().history_change_reason == "DUO-import"


def test_a_brin_of_another_programme_is_refused(depot, school_b):
    rows = duo_rows(3, broken=False)
    rows[1][:2] = ["07XY", "00"]

    result = run(rows, dry_run=False, programme=depot.programme, depot=depot)

    assert "ander programma" in refused(result)[2]
    assert School.objects.filter(programme=depot.programme).count() == 0
    school_b.refresh_from_db()
    assert school_b.name == "Het Vlier Deventer"


def test_lat_lon_columns_are_used_and_no_coordinates_at_all_is_refused(db, wagon):
    rows = [row + ["52,2551", "6.1639"] for row in duo_rows(2, broken=False)]
    rows[1][7:] = ["", ""]
    programme = wagon.depot.programme

    result = run(rows, dry_run=True, programme=programme, header=HEADER + ["LAT", "LON"])

    assert sorted(refused(result)) == [2]
    assert "LAT/LON" in refused(result)[2]
    rows[1][7:] = ["52.1", "6.2"]
    run(rows, dry_run=False, programme=programme, header=HEADER + ["LAT", "LON"])
    assert School.objects.get(brin=f"{_brin(1)}00").lat == Decimal("52.255100")


def test_brin_nummer_is_read_as_well(depot):
    header = ["BRIN NUMMER", *HEADER[1:]]

    result = run(
        duo_rows(2, broken=False),
        dry_run=False,
        programme=depot.programme,
        depot=depot,
        header=header,
    )

    assert result.totals["new"] == 2


def test_a_file_without_the_duo_columns_is_refused(depot):
    result = run([["a", "b"]], dry_run=False, programme=depot.programme, header=["x", "y"])

    assert result.has_errors()
    assert "STRAATNAAM" in str(result.base_errors[0].error)
    assert not School.objects.exists()


# --- through the admin ------------------------------------------------------------------------


@pytest.fixture
def admin_client(db):
    user = make_user("beheer", "coordinator")
    user.is_superuser = user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _upload(rows, name="duo.csv"):
    return io.BytesIO(duo_csv(rows).encode()), name


def _post_import(admin_client, depot, rows):
    content, name = _upload(rows)
    content.name = name
    return admin_client.post(
        "/admin/bookings/school/import/",
        {
            "import_file": content,
            "format": "0",
            "programme": depot.programme.pk,
            "holiday_region": "midden",
            "school_types": ["po"],
            "depot": depot.pk,
        },
    )


def test_the_admin_dry_run_shows_the_refused_rows(admin_client, depot):
    page = admin_client.get("/admin/bookings/school/import/")
    assert page.status_code == 200
    assert 'name="programme"' in page.content.decode()
    assert "DUO-bestanden bevatten geen coördinaten" in page.content.decode()

    response = _post_import(
        admin_client,
        depot,
        duo_rows(20, broken=False) + [["1XAB", "00", "X", "Straat", "1", "3061AA", "R"]],
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ongeldige BRIN-code" in html
    assert 'name="import_file_name"' not in html  # no confirm form while a row is refused
    assert not School.objects.exists()


def test_the_admin_imports_after_a_clean_dry_run(admin_client, depot):
    response = _post_import(admin_client, depot, duo_rows(5, broken=False))
    html = response.content.decode()
    assert 'name="import_file_name"' in html
    assert not School.objects.exists()

    confirm = {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }
    confirm["school_types"] = ["po"]
    done = admin_client.post("/admin/bookings/school/process_import/", confirm)

    assert done.status_code == 302, done.content.decode()[:2000]
    assert School.objects.filter(programme=depot.programme).count() == 5


def test_a_coordinator_without_admin_rights_cannot_import(client, depot):
    user = make_user("coord_x", "coordinator")
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get("/admin/bookings/school/import/").status_code == 403


def test_duos_own_file_with_semicolons_and_a_bom_is_read(admin_client, depot):
    text = duo_csv(duo_rows(3, broken=False)).replace(",", ";")
    content = io.BytesIO(("\ufeff" + text + "\n\n").encode())
    content.name = "02.-alle-vestigingen-basisonderwijs.csv"

    response = admin_client.post(
        "/admin/bookings/school/import/",
        {
            "import_file": content,
            "format": "0",
            "programme": depot.programme.pk,
            "holiday_region": "zuid",
            "school_types": ["po"],
            "depot": depot.pk,
        },
    )

    html = response.content.decode()
    assert 'name="import_file_name"' in html, html[-3000:]
    assert html.count("Basisschool ") >= 3
