from tests.factories import (
    CaseFactory,
    ConsumableFactory,
    DepotFactory,
    ItemFactory,
    KitTypeFactory,
    StandardEquipmentFactory,
    WagonFactory,
)
from tests.matrix import ALLOWED, r


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
