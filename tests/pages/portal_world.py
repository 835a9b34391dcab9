"""A small world for the portal page tests: one depot with a wagon, a school (po, Midden) with a
school user, a Blue-Bot workshop (1 per 3 pupils) with 10 Blue-Bots, and a VR workshop for vmbo."""

import datetime as dt
from dataclasses import dataclass

from tests.factories import (
    DepotFactory,
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    make_user,
)

# Tuesday 16 February 2027 is an ordinary school day; Monday 22 February is in the Midden
# region's voorjaarsvakantie.
OPEN_DAY = dt.date(2027, 2, 16)
HOLIDAY = dt.date(2027, 2, 22)
NOW = "2026-11-21 10:00 +01:00"


@dataclass
class World:
    depot: object
    wagon: object
    school: object
    teacher: object
    coordinator: object
    crew: object
    bluebot: object
    robot_workshop: object
    vr_workshop: object
    other_school: object
    other_teacher: object


def build_world() -> World:
    depot = DepotFactory(name="Depot Rotterdam")
    wagon = WagonFactory(name="Techniekwagen Rotterdam-Noord", depot=depot, max_visits_per_day=2)
    school = SchoolFactory(
        name="Melanchthon Kralingen",
        brin="01AB00",
        school_types=["po"],
        depot=depot,
        holiday_region="midden",
        contact_name="Mevr. Jansen",
        contact_email="jansen@school.nl",
    )
    other_school = SchoolFactory(
        name="Vak College Hillegersberg", brin="02CD00", school_types=["vmbo-bb"], depot=depot
    )
    bluebot = KitTypeFactory(name="Blue-Bot", spare_units=0)
    for n in range(10):
        ItemFactory(asset_tag=f"BB-{n:03d}", kit_type=bluebot, depot=depot)
    robot_workshop = WorkshopFactory(
        name="Blue-Bot programmeren",
        school_types=["po", "so"],
        duration_minutes=90,
        description="Kinderen programmeren een Blue-Bot door een doolhof.",
    )
    KitRuleFactory(workshop=robot_workshop, kit_type=bluebot, per_pupils=3)
    vr_workshop = WorkshopFactory(name="VR-beroepenexpeditie", school_types=["vmbo-bb"])
    return World(
        depot=depot,
        wagon=wagon,
        school=school,
        teacher=make_user("juf", "school", school=school),
        coordinator=make_user("coord", "coordinator"),
        crew=make_user("crewmember", "crew"),
        bluebot=bluebot,
        robot_workshop=robot_workshop,
        vr_workshop=vr_workshop,
        other_school=other_school,
        other_teacher=make_user("stranger", "school", school=other_school),
    )
