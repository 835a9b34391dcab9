"""Programme B next to the default programme A: its coordinator, and a school of each."""

import pytest
from rest_framework.test import APIClient

from tests.factories import DepotFactory, ProgrammeFactory, SchoolFactory, WagonFactory, make_user


@pytest.fixture
def programme_b(db):
    return ProgrammeFactory(name="Deventer-Twello", project_code="STO18071")


@pytest.fixture
def depot_b(programme_b):
    return DepotFactory(name="Depot Deventer", programme=programme_b)


@pytest.fixture
def school_b(depot_b):
    return SchoolFactory(name="Het Vlier Deventer", brin="07XY00", depot=depot_b)


@pytest.fixture
def coordinator_b(programme_b):
    return make_user("coord_b", "coordinator", programmes=[programme_b])


@pytest.fixture
def coordinator_b_client(coordinator_b):
    client = APIClient()
    client.force_authenticate(user=coordinator_b)
    return client


@pytest.fixture
def funder_client(db):
    client = APIClient()
    client.force_authenticate(user=make_user("funder", "funder"))
    return client


@pytest.fixture
def wagon(db):
    return WagonFactory()
