"""Demo kit: two depots, two wagons, kit types with items and cases, consumables, standard load."""

import zlib
from decimal import Decimal

from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon
from programmes.demo import DEVENTER_TWELLO, ROTTERDAM_NOORD
from programmes.models import Programme

# (name, category, storage location, spare units, tag prefix, Rotterdam count, Deventer count)
# Workshops are shared by both depots, so each depot holds enough of a workshop's kit for a session
# at the workshop's max_pupils plus the spare units (see bookings.demo.WORKSHOPS and
# bookings.catalogue): e.g. 30 pupils at 1 robot car per 2 = 15 + 1 spare = all 16.
KIT_TYPES = [
    ("Blue-Bot", "robotica", "A1", 1, "BB", 10, 10),
    ("Robotauto", "robotica", "A2", 1, "RA", 16, 16),
    ("Tablet", "ict", "B1", 1, "TAB", 16, 16),
    ("Laptop", "ict", "B2", 1, "LAP", 16, 16),
    ("FDM 3D-printer", "maken", "C1", 0, "3DP", 6, 6),
    ("VR-bril", "vr", "C2", 0, "VR", 8, 8),
    ("micro:bit-kit", "programmeren", "D1", 1, "MB", 16, 16),
    ("Soldeerstation", "elektronica", "D2", 1, "SOL", 8, 8),
    ("EHBO-koffer", "standaard", "E1", 0, "EHBO", 2, 2),
    ("Brandblusser", "standaard", "E1", 0, "BLUS", 2, 2),
    ("Kabelhaspel", "standaard", "E2", 0, "KAB", 4, 3),
    ("4G-router", "standaard", "E2", 0, "4G", 2, 2),
]

CONSUMABLES = [
    # name, unit, stock, reorder level
    ("PLA-filament", "g", Decimal("6000"), Decimal("1500")),
    ("Hygiënehoesjes VR", "stuks", Decimal("400"), Decimal("100")),
    ("AAA-batterijen", "stuks", Decimal("120"), Decimal("48")),
    ("LED-badge-kit", "stuks", Decimal("25"), Decimal("30")),
]

DEPOTS = [
    ("Depot Rotterdam", "Heer Bokelweg 255, 3032 AD Rotterdam", "", ROTTERDAM_NOORD),
    ("Depot Deventer", "Hanzeweg 10, 7418 AW Deventer", "D-", DEVENTER_TWELLO),
]

WAGONS = [
    # name, plate, depot, address, lat, lon, emission
    (
        "Techniekwagen Rotterdam-Noord",
        "VZ-123-T",
        "Depot Rotterdam",
        "Heer Bokelweg 255, 3032 AD Rotterdam",
        "51.927700",
        "4.476300",
        "electric",
    ),
    (
        "Techniekwagen Deventer-Twello",
        "VZ-456-D",
        "Depot Deventer",
        "Hanzeweg 10, 7418 AW Deventer",
        "52.262000",
        "6.185000",
        "euro6",
    ),
]

CASES = [
    # code suffix, name, kit prefix, number of items, location
    ("K-VR1", "VR-koffer (8 brillen)", "VR", 8, "C2"),
    ("K-BB1", "Blue-Bot-krat", "BB", 10, "A1"),
    ("K-MB1", "micro:bit-krat 1", "MB", 8, "D1"),
    ("K-MB2", "micro:bit-krat 2", "MB", 8, "D1"),
]

STANDARD = [
    ("EHBO-koffer", "EHBO-koffer", 1),
    ("Brandblusser", "Brandblusser", 1),
    ("Kabelhaspel", "Kabelhaspel", 2),
    ("4G-router", "4G-router", 1),
]


def load() -> dict:
    depots = {}
    programmes = {p.name: p for p in Programme.objects.all()}
    for name, address, prefix, programme in DEPOTS:
        depot, _ = Depot.objects.update_or_create(
            name=name, defaults={"address": address, "programme": programmes[programme]}
        )
        depots[name] = (depot, prefix)

    for name, plate, depot_name, address, lat, lon, emission in WAGONS:
        Wagon.objects.update_or_create(
            name=name,
            defaults={
                "plate": plate,
                "depot": depots[depot_name][0],
                "depot_address": address,
                "depot_lat": Decimal(lat),
                "depot_lon": Decimal(lon),
                "emission_class": emission,
                "max_visits_per_day": 2,
                "work_start": "07:30",
                "work_end": "17:30",
            },
        )

    kit_types = {}
    for name, category, location, spare, tag, _r, _d in KIT_TYPES:
        kit_type, _ = KitType.objects.update_or_create(
            name=name,
            defaults={"category": category, "storage_location": location, "spare_units": spare},
        )
        kit_types[tag] = kit_type

    for depot, prefix in depots.values():
        cases = {}
        for suffix, case_name, kit_tag, count, location in CASES:
            case, _ = Case.objects.update_or_create(
                code=f"{prefix}{suffix}",
                defaults={"name": case_name, "depot": depot, "storage_location": location},
            )
            cases.setdefault(kit_tag, []).append((case, count))
        for _name, _c, _l, _s, tag, rotterdam_count, deventer_count in KIT_TYPES:
            count = deventer_count if prefix else rotterdam_count
            case_slots = []
            for case, size in cases.get(tag, []):
                case_slots.extend([case] * size)
            for number in range(1, count + 1):
                asset_tag = f"{prefix}{tag}-{number:03d}"
                case = case_slots[number - 1] if number - 1 < len(case_slots) else None
                if not Item.objects.filter(asset_tag__iexact=asset_tag).exists():
                    Item.objects.create(
                        asset_tag=asset_tag,
                        kit_type=kit_types[tag],
                        depot=depot,
                        serial_number=f"SN{zlib.crc32((prefix + tag).encode()) % 9000 + 1000}-{number:04d}",
                        case=case,
                    )
    for depot, _prefix in depots.values():
        for name, unit, stock, reorder in CONSUMABLES:
            # Stock is only set on first load; later runs must not undo real stock changes.
            Consumable.objects.get_or_create(
                name=name,
                depot=depot,
                defaults={"unit": unit, "stock": stock, "reorder_level": reorder},
            )

    for programme in {depot.programme for depot, _prefix in depots.values()}:
        for name, kit_name, quantity in STANDARD:
            kit_type = KitType.objects.get(name=kit_name)
            StandardEquipment.objects.update_or_create(
                name=name,
                programme=programme,
                defaults={
                    "kit_type": kit_type,
                    "quantity": quantity,
                    "per": "day",
                    "storage_location": kit_type.storage_location,
                },
            )
    return {
        "wagons": Wagon.objects.count(),
        "kit types": KitType.objects.count(),
        "items": Item.objects.count(),
        "consumables": Consumable.objects.count(),
    }
