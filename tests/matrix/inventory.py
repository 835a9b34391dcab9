from tests.factories import (
    CaseFactory,
    ConsumableFactory,
    DepotFactory,
    ItemFactory,
    KitTypeFactory,
    StandardEquipmentFactory,
    WagonFactory,
)
from tests.matrix import ALLOWED, HIDDEN, NOT_FOUND, Bad, b, r


def build(ctx: dict) -> None:
    depot = DepotFactory(name="Depot Matrix")
    ctx["depot_obj"] = depot
    ctx["depot"] = depot.id
    wagon = WagonFactory(depot=depot)
    ctx["wagon_obj"] = wagon
    ctx["wagon"] = wagon.id
    kit_type = KitTypeFactory(name="Blue-Bot")
    ctx["kit_type_obj"] = kit_type
    ctx["kit_type"] = kit_type.id
    case = CaseFactory(depot=depot)
    ctx["case"] = case.id
    item = ItemFactory(kit_type=kit_type, depot=depot, case=case)
    ctx["item"] = item.id
    ctx["item_tag"] = item.asset_tag
    ctx["consumable"] = ConsumableFactory().id
    ctx["standard"] = StandardEquipmentFactory(kit_type=kit_type).id


CATALOGUE_READ = r(200, 200, 200)
STAFF_READ = r(200, 200, 403)
COORD_WRITE = r(ALLOWED, 403, 403)

ROWS = [
    # catalogue-like: everyone reads, coordinators write
    ("get", "/api/v1/depots/", CATALOGUE_READ),
    ("post", "/api/v1/depots/", COORD_WRITE, {"name": "Depot Nieuw"}),
    ("get", "/api/v1/depots/{depot}/", CATALOGUE_READ),
    ("patch", "/api/v1/depots/{depot}/", COORD_WRITE, {"address": "Elders 1"}),
    ("delete", "/api/v1/depots/{depot}/", r(ALLOWED, 403, 403)),
    ("get", "/api/v1/depots/{depot}/history/", CATALOGUE_READ),
    ("get", "/api/v1/wagons/", CATALOGUE_READ),
    ("post", "/api/v1/wagons/", COORD_WRITE, {}),
    ("get", "/api/v1/wagons/{wagon}/", CATALOGUE_READ),
    ("put", "/api/v1/wagons/{wagon}/", COORD_WRITE, {}),
    ("patch", "/api/v1/wagons/{wagon}/", COORD_WRITE, {"max_visits_per_day": 3}),
    ("delete", "/api/v1/wagons/{wagon}/", COORD_WRITE),
    ("get", "/api/v1/wagons/{wagon}/history/", CATALOGUE_READ),
    ("get", "/api/v1/kit-types/", CATALOGUE_READ),
    ("post", "/api/v1/kit-types/", COORD_WRITE, {"name": "Drone"}),
    ("get", "/api/v1/kit-types/{kit_type}/", CATALOGUE_READ),
    ("put", "/api/v1/kit-types/{kit_type}/", COORD_WRITE, {"name": "Blue-Bot"}),
    ("patch", "/api/v1/kit-types/{kit_type}/", COORD_WRITE, {"spare_units": 2}),
    ("delete", "/api/v1/kit-types/{kit_type}/", COORD_WRITE),
    ("get", "/api/v1/kit-types/{kit_type}/history/", CATALOGUE_READ),
    # staff: crew reads, coordinators write, schools never
    ("get", "/api/v1/cases/", STAFF_READ),
    ("post", "/api/v1/cases/", COORD_WRITE, {}),
    ("get", "/api/v1/cases/{case}/", STAFF_READ),
    ("put", "/api/v1/cases/{case}/", COORD_WRITE, {}),
    ("patch", "/api/v1/cases/{case}/", COORD_WRITE, {"name": "VR-koffer"}),
    ("delete", "/api/v1/cases/{case}/", COORD_WRITE),
    ("get", "/api/v1/cases/{case}/history/", STAFF_READ),
    ("get", "/api/v1/items/", STAFF_READ),
    ("post", "/api/v1/items/", COORD_WRITE, {}),
    ("get", "/api/v1/items/{item}/", STAFF_READ),
    ("put", "/api/v1/items/{item}/", COORD_WRITE, {}),
    ("patch", "/api/v1/items/{item}/", COORD_WRITE, {"notes": "wiel piept"}),
    ("delete", "/api/v1/items/{item}/", COORD_WRITE),
    ("get", "/api/v1/items/{item}/history/", STAFF_READ),
    ("get", "/api/v1/items/labels.pdf", r(400, 400, 403)),
    ("post", "/api/v1/items/{item}/defect-report/", r(201, 201, 403), {"note": "x"}),
    ("get", "/api/v1/items/labels.pdf?item={item}&case={case}&layout=2x7&start=3", STAFF_READ),
    ("post", "/api/v1/items/{item}/report-defect/", r(200, 200, 403), {"note": "wiel los"}),
    ("post", "/api/v1/items/{item}/maintenance/", r(200, 403, 403), {}),
    ("post", "/api/v1/items/{item}/repair/", r(409, 403, 403), {}),
    ("post", "/api/v1/items/{item}/retire/", r(200, 403, 403), {"note": "kapot"}),
    ("get", "/api/v1/consumables/", STAFF_READ),
    ("post", "/api/v1/consumables/", COORD_WRITE, {}),
    ("get", "/api/v1/consumables/{consumable}/", STAFF_READ),
    ("put", "/api/v1/consumables/{consumable}/", COORD_WRITE, {}),
    ("patch", "/api/v1/consumables/{consumable}/", COORD_WRITE, {"reorder_level": 5}),
    ("delete", "/api/v1/consumables/{consumable}/", COORD_WRITE),
    ("get", "/api/v1/consumables/{consumable}/history/", STAFF_READ),
    ("post", "/api/v1/consumables/{consumable}/adjust/", r(200, 403, 403), {"delta": -1}),
    ("get", "/api/v1/standard-equipment/", STAFF_READ),
    ("post", "/api/v1/standard-equipment/", COORD_WRITE, {}),
    ("get", "/api/v1/standard-equipment/{standard}/", STAFF_READ),
    ("put", "/api/v1/standard-equipment/{standard}/", COORD_WRITE, {}),
    ("patch", "/api/v1/standard-equipment/{standard}/", COORD_WRITE, {"quantity": 2}),
    ("delete", "/api/v1/standard-equipment/{standard}/", COORD_WRITE),
    ("get", "/api/v1/standard-equipment/{standard}/history/", STAFF_READ),
    # auth and docs
    ("get", "/api/v1/me/", r(200, 200, 200)),
    ("post", "/api/v1/auth/token/", r(400, 400, 400, anon=400), {}),
    ("post", "/api/v1/auth/logout/", r(204, 204, 204)),
    ("post", "/api/v1/auth/logout-all/", r(204, 204, 204)),
    ("get", "/api/v1/schema/", r(200, 200, 200, anon=200)),
    ("get", "/api/v1/docs/", r(200, 200, 200, anon=200)),
    ("get", "/api/v1/redoc/", r(200, 200, 200, anon=200)),
]


# Programme B against programme A (see tests/matrix/__init__.py). Kit types are a catalogue shared
# by every programme; everything else is A's and not found for B.
ONLY_COORD_404 = b(404, 403)


def _wagon_body(ctx):
    return {
        "name": "Wagen B2",
        "plate": "VZ-777-B",
        "depot": ctx["depot"],
        "depot_address": "Twelloseweg 1, Twello",
        "depot_lat": "52.23",
        "depot_lon": "6.10",
        "max_visits_per_day": 2,
    }


PROGRAMME_ROWS = [
    ("get", "/api/v1/depots/", b(HIDDEN)),
    (
        "post",
        "/api/v1/depots/",
        b(Bad("programme"), 403),
        lambda ctx: {"name": "Depot B2", "address": "Elders 1", "programme": ctx["programme_a"]},
    ),
    ("get", "/api/v1/depots/{depot}/", NOT_FOUND),
    ("patch", "/api/v1/depots/{depot}/", ONLY_COORD_404, {"address": "Elders 1"}),
    ("delete", "/api/v1/depots/{depot}/", ONLY_COORD_404),
    ("get", "/api/v1/depots/{depot}/history/", NOT_FOUND),
    ("get", "/api/v1/wagons/", b(HIDDEN)),
    ("post", "/api/v1/wagons/", b(Bad("depot"), 403), _wagon_body),
    ("get", "/api/v1/wagons/{wagon}/", NOT_FOUND),
    ("put", "/api/v1/wagons/{wagon}/", ONLY_COORD_404, _wagon_body),
    ("patch", "/api/v1/wagons/{wagon}/", ONLY_COORD_404, {"max_visits_per_day": 3}),
    (
        "patch",
        "/api/v1/wagons/{b_wagon}/",
        b(Bad("depot"), 403),
        lambda ctx: {"depot": ctx["depot"]},
    ),
    ("delete", "/api/v1/wagons/{wagon}/", ONLY_COORD_404),
    ("get", "/api/v1/wagons/{wagon}/history/", NOT_FOUND),
    ("get", "/api/v1/kit-types/", b(200)),
    ("post", "/api/v1/kit-types/", b(ALLOWED, 403), {"name": "Drone"}),
    ("get", "/api/v1/kit-types/{kit_type}/", b(200)),
    ("put", "/api/v1/kit-types/{kit_type}/", b(ALLOWED, 403), {"name": "Blue-Bot"}),
    ("patch", "/api/v1/kit-types/{kit_type}/", b(ALLOWED, 403), {"spare_units": 2}),
    ("delete", "/api/v1/kit-types/{kit_type}/", b(ALLOWED, 403)),
    ("get", "/api/v1/kit-types/{kit_type}/history/", b(200)),
    ("get", "/api/v1/cases/", b(HIDDEN)),
    (
        "post",
        "/api/v1/cases/",
        b(Bad("depot"), 403),
        lambda ctx: {"code": "K-B2", "name": "Koffer B2", "depot": ctx["depot"]},
    ),
    ("get", "/api/v1/cases/{case}/", NOT_FOUND),
    (
        "put",
        "/api/v1/cases/{case}/",
        ONLY_COORD_404,
        lambda ctx: {"code": "K-X", "name": "X", "depot": ctx["b_depot"]},
    ),
    ("patch", "/api/v1/cases/{case}/", ONLY_COORD_404, {"name": "VR-koffer"}),
    ("delete", "/api/v1/cases/{case}/", ONLY_COORD_404),
    ("get", "/api/v1/cases/{case}/history/", NOT_FOUND),
    ("get", "/api/v1/items/", b(HIDDEN)),
    ("get", "/api/v1/items/?asset_tag={item_tag}", b(HIDDEN)),
    (
        "post",
        "/api/v1/items/",
        b(Bad("depot"), 403),
        lambda ctx: {
            "asset_tag": "TWELLO-NEW-1",
            "kit_type": ctx["kit_type"],
            "depot": ctx["depot"],
            "serial_number": "SN-B2",
        },
    ),
    (
        "post",
        "/api/v1/items/",
        b(Bad("case"), 403),
        lambda ctx: {
            "asset_tag": "TWELLO-NEW-2",
            "kit_type": ctx["kit_type"],
            "depot": ctx["b_depot"],
            "case": ctx["case"],
            "serial_number": "SN-B3",
        },
    ),
    ("get", "/api/v1/items/{item}/", NOT_FOUND),
    (
        "put",
        "/api/v1/items/{item}/",
        ONLY_COORD_404,
        lambda ctx: {"asset_tag": "X-1", "kit_type": ctx["kit_type"], "depot": ctx["b_depot"]},
    ),
    ("patch", "/api/v1/items/{item}/", ONLY_COORD_404, {"notes": "wiel piept"}),
    ("patch", "/api/v1/items/{b_item}/", b(Bad("case"), 403), lambda ctx: {"case": ctx["case"]}),
    ("delete", "/api/v1/items/{item}/", ONLY_COORD_404),
    ("get", "/api/v1/items/{item}/history/", NOT_FOUND),
    ("get", "/api/v1/items/labels.pdf", b(400)),
    ("get", "/api/v1/items/labels.pdf?item={item}&case={case}&layout=2x7&start=3", b({400, 404})),
    ("post", "/api/v1/items/{item}/defect-report/", NOT_FOUND, {"note": "x"}),
    ("post", "/api/v1/items/{item}/report-defect/", NOT_FOUND, {"note": "wiel los"}),
    ("post", "/api/v1/items/{item}/maintenance/", ONLY_COORD_404, {}),
    ("post", "/api/v1/items/{item}/repair/", ONLY_COORD_404, {}),
    ("post", "/api/v1/items/{item}/retire/", ONLY_COORD_404, {"note": "kapot"}),
    ("get", "/api/v1/consumables/", b(HIDDEN)),
    (
        "post",
        "/api/v1/consumables/",
        b(Bad("depot"), 403),
        lambda ctx: {
            "name": "Lijm B2",
            "unit": "stuks",
            "stock": "10",
            "reorder_level": "2",
            "depot": ctx["depot"],
        },
    ),
    ("get", "/api/v1/consumables/{consumable}/", NOT_FOUND),
    (
        "put",
        "/api/v1/consumables/{consumable}/",
        ONLY_COORD_404,
        {"name": "X", "unit": "stuks", "stock": "1", "reorder_level": "1"},
    ),
    ("patch", "/api/v1/consumables/{consumable}/", ONLY_COORD_404, {"reorder_level": 5}),
    ("delete", "/api/v1/consumables/{consumable}/", ONLY_COORD_404),
    ("get", "/api/v1/consumables/{consumable}/history/", NOT_FOUND),
    ("post", "/api/v1/consumables/{consumable}/adjust/", ONLY_COORD_404, {"delta": -1}),
    ("get", "/api/v1/standard-equipment/", b(HIDDEN)),
    (
        "post",
        "/api/v1/standard-equipment/",
        b(Bad("programme"), 403),
        lambda ctx: {
            "name": "Verlengsnoer B2",
            "quantity": 1,
            "per": "day",
            "programme": ctx["programme_a"],
        },
    ),
    (
        "post",
        "/api/v1/standard-equipment/",
        b(Bad("consumable"), 403),
        lambda ctx: {
            "name": "Tape B2",
            "quantity": 1,
            "per": "day",
            "consumable": ctx["consumable"],
            "programme": ctx["programme_b"],
        },
    ),
    ("get", "/api/v1/standard-equipment/{standard}/", NOT_FOUND),
    ("put", "/api/v1/standard-equipment/{standard}/", ONLY_COORD_404, {"name": "X", "quantity": 1}),
    ("patch", "/api/v1/standard-equipment/{standard}/", ONLY_COORD_404, {"quantity": 2}),
    ("delete", "/api/v1/standard-equipment/{standard}/", ONLY_COORD_404),
    ("get", "/api/v1/standard-equipment/{standard}/history/", NOT_FOUND),
    # auth and docs: nothing of a programme
    ("get", "/api/v1/me/", b(200)),
    ("post", "/api/v1/auth/token/", b(400), {}),
    ("post", "/api/v1/auth/logout/", b(204)),
    ("post", "/api/v1/auth/logout-all/", b(204)),
    ("get", "/api/v1/schema/", b(200)),
    ("get", "/api/v1/docs/", b(200)),
    ("get", "/api/v1/redoc/", b(200)),
]
