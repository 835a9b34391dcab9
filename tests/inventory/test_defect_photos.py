"""Defect reports with a photo, from the API and the crew item page: stored through the storage
API; a wrong type or an oversized file is a 400 and writes nothing (no file, no row, no status)."""

import io

import pytest
from PIL import Image

from inventory.models import DefectReport, Item
from tests.factories import DepotFactory, ItemFactory, KitTypeFactory, make_user

pytestmark = pytest.mark.django_db
LIMIT = 100 * 1024


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TW_DEFECT_PHOTO_MAX_BYTES = LIMIT
    return settings.MEDIA_ROOT


@pytest.fixture
def item():
    return ItemFactory(
        asset_tag="VR-003", kit_type=KitTypeFactory(name="VR-bril"), depot=DepotFactory()
    )


def png(size=(32, 24), noise=False) -> io.BytesIO:
    image = Image.new("RGB", size, (200, 30, 30))
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "foto.png"
    return buffer


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_written(item, media_root, history_before):
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    assert DefectReport.objects.count() == 0
    assert files_in(media_root) == []
    assert item.history.count() == history_before


def test_crew_report_a_defect_with_a_photo(crew_client, crew_user, item, _media):
    response = crew_client.post(
        f"/api/v1/items/{item.pk}/defect-report/",
        {"note": "Lens gebarsten", "photo": png()},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    assert response.data["has_photo"] is True
    item.refresh_from_db()
    assert item.status == Item.Status.DEFECT
    report = DefectReport.objects.get()
    assert report.reported_by == crew_user and report.photo_format == "PNG"
    assert report.photo.name.startswith(f"defect-photos/{item.pk}/")
    assert len(files_in(_media)) == 1


def test_a_report_without_a_photo(crew_client, item):
    response = crew_client.post(
        f"/api/v1/items/{item.pk}/defect-report/", {"note": "stuk"}, format="multipart"
    )
    assert response.status_code == 201 and response.data["has_photo"] is False


@pytest.mark.parametrize(
    "upload,code",
    [
        (io.BytesIO(b"%PDF-1.4 not a photo at all"), "photo_type"),
        (io.BytesIO(b"GIF89a" + b"\x00" * 100), "photo_type"),
        (None, "photo_too_large"),
    ],
    ids=["pdf-named-jpg", "broken-gif", "too-large"],
)
def test_a_wrong_type_or_too_large_is_a_400_and_writes_nothing(
    crew_client, item, _media, upload, code
):
    if upload is None:
        upload = png((200, 200), noise=True)
        assert len(upload.getvalue()) > LIMIT
    upload.name = "foto.jpg"
    before = item.history.count()
    response = crew_client.post(
        f"/api/v1/items/{item.pk}/defect-report/",
        {"note": "x", "photo": upload},
        format="multipart",
    )
    assert response.status_code == 400, response.data
    assert response.data["code"] == code
    nothing_written(item, _media, before)


def test_a_gif_is_refused_although_it_is_an_image(crew_client, item, _media):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="GIF")
    buffer.seek(0)
    buffer.name = "foto.gif"
    before = item.history.count()
    response = crew_client.post(
        f"/api/v1/items/{item.pk}/defect-report/", {"photo": buffer}, format="multipart"
    )
    assert response.status_code == 400 and response.data["code"] == "photo_type"
    nothing_written(item, _media, before)


def test_roles_and_unknown_items(school_client, anon_client, crew_client, item, _media):
    url = f"/api/v1/items/{item.pk}/defect-report/"
    assert school_client.post(url, {"photo": png()}, format="multipart").status_code == 403
    assert anon_client.post(url, {"photo": png()}, format="multipart").status_code == 401
    assert (
        crew_client.post("/api/v1/items/999999/defect-report/", {}, format="multipart").status_code
        == 404
    )
    assert DefectReport.objects.count() == 0 and files_in(_media) == []


# --- the crew item page ----------------------------------------------------------------------


def test_the_item_page_shows_status_depot_and_next_visit(client, crew_user, item):
    client.force_login(crew_user)
    response = client.get("/crew/items/vr-003/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "VR-003" in body and "Beschikbaar" in body and item.depot.name in body
    assert "Nog niet ingepland." in body
    assert 'capture="environment"' in body


def test_defect_melden_on_the_page_and_the_coordinator_sees_the_photo(
    client, crew_user, coordinator, item, _media
):
    client.force_login(crew_user)
    response = client.post("/crew/items/VR-003/", {"note": "Bandje los", "photo": png()})
    assert response.status_code == 302
    report = DefectReport.objects.get()
    client.force_login(coordinator)
    page = client.get("/crew/items/VR-003/").content.decode()
    assert "Bandje los" in page and f"/crew/items/VR-003/photos/{report.pk}/" in page
    photo = client.get(f"/crew/items/VR-003/photos/{report.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_a_refused_photo_on_the_page_is_a_400_and_writes_nothing(client, crew_user, item, _media):
    client.force_login(crew_user)
    before = item.history.count()
    upload = io.BytesIO(b"not an image")
    upload.name = "foto.jpg"
    response = client.post("/crew/items/VR-003/", {"note": "x", "photo": upload})
    assert response.status_code == 400
    assert "geen foto" in response.content.decode().lower()
    nothing_written(item, _media, before)


def test_page_roles(client, item, school):
    assert client.get("/crew/items/VR-003/").status_code == 302
    client.force_login(make_user("teacher3", "school", school=school))
    assert client.get("/crew/items/VR-003/").status_code == 403
    assert client.post("/crew/items/VR-003/", {"note": "x"}).status_code == 403
    assert client.get("/crew/items/VR-003/photos/1/").status_code == 403
    client.force_login(make_user("crew3", "crew"))
    assert client.get("/crew/items/NOPE-999/").status_code == 404
    assert client.get("/crew/items/VR-003/photos/999/").status_code == 404


def test_the_day_sheet_looks_up_an_item_by_tag(client, crew_user, item):
    client.force_login(crew_user)
    sheet = client.get("/crew/").content.decode()
    assert 'id="lookup-form"' in sheet and 'id="camera-btn"' in sheet
    response = client.get("/crew/items/", {"tag": " vr-003 "})
    assert response.status_code == 302 and response["Location"] == "/crew/items/vr-003/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/crew/items/", {"tag": ""})["Location"] == "/crew/"


def test_the_item_page_in_english(client, crew_user, item):
    from django.conf import settings

    client.force_login(crew_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/crew/items/VR-003/").content.decode()
    assert "Next visit" in html and "Not planned yet." in html and "History" in html
    assert "Volgende bezoek" not in html
