"""A partner world: two programmes, each with a partner and a visit; a coordinator and crew of
the default programme, a coordinator of the other, and the funder."""

import pytest
from rest_framework.test import APIClient

from partners import services
from tests.factories import (
    BookingFactory,
    BookingSessionFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    make_user,
)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(name="Deventer-Twello")


@pytest.fixture
def other_coordinator_client(other_programme):
    return client_for(make_user("coord_b", "coordinator", programmes=[other_programme]))


@pytest.fixture
def funder_client(db):
    return client_for(make_user("funder", "funder"))


@pytest.fixture
def partner(coordinator):
    return services.partner_create(
        programme=coordinator.programmes.get(),
        name="Havenbouw BV",
        kvk_number="12345678",
        sector="Bouw",
        acting_user=coordinator,
    )


@pytest.fixture
def other_partner(other_programme):
    return services.partner_create(
        programme=other_programme, name="IJsselmetaal", kvk_number="87654321", acting_user=None
    )


def visit(school, *, status="completed", pupils=(24,), date=None):
    extra = {"date": date} if date else {}
    booking = BookingFactory(school=school, status=status, **extra)
    for n in pupils:
        BookingSessionFactory(booking=booking, pupils=n)
    return booking


@pytest.fixture
def booking(school):
    return visit(school)


@pytest.fixture
def other_booking(other_programme):
    depot = DepotFactory(programme=other_programme)
    school = SchoolFactory(name="Deventer school", brin="09ZZ00", depot=depot)
    booking = BookingFactory(school=school, wagon=WagonFactory(depot=depot), status="completed")
    BookingSessionFactory(booking=booking, workshop=WorkshopFactory(programme=other_programme))
    return booking
