"""backend.core.roles: a user's role, school and programmes, read in one query per request and
never kept between requests."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from backend.core.roles import programme_ids_of, role_of, school_id_of
from bookings.models import SchoolMembership
from tests.factories import ProgrammeFactory, SchoolFactory, make_user

pytestmark = pytest.mark.django_db


def access(user, django_assert_num_queries, queries=1):
    """role, school, programmes of a fresh copy of `user`, asserting how many queries it took."""
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(queries):
        found = (role_of(fresh), school_id_of(fresh), programme_ids_of(fresh))
        # Asked again in the same request: from the user object.
        assert (role_of(fresh), school_id_of(fresh), programme_ids_of(fresh)) == found
    return found


def test_a_school_user_is_its_school_and_its_schools_programme(django_assert_num_queries):
    programme = ProgrammeFactory(name="Zuid", project_code="STO20001")
    school = SchoolFactory(brin="09ZZ00", programme=programme)
    user = make_user("teacher-1", "school", school=school)
    assert access(user, django_assert_num_queries) == ("school", school.pk, {programme.pk})


def test_a_school_user_without_a_membership_sees_nothing(django_assert_num_queries):
    user = make_user("teacher-2", "school")
    assert access(user, django_assert_num_queries) == ("school", None, frozenset())


@pytest.mark.parametrize("role", ["coordinator", "crew"])
def test_staff_see_the_programmes_they_belong_to(role, django_assert_num_queries):
    one = ProgrammeFactory(name="Noord", project_code="STO20002")
    two = ProgrammeFactory(name="Oost", project_code="STO20003")
    user = make_user(f"{role}-1", role, programmes=[one, two])
    assert access(user, django_assert_num_queries) == (role, None, {one.pk, two.pk})


def test_a_staff_members_school_membership_does_not_count(django_assert_num_queries):
    programme = ProgrammeFactory(name="West", project_code="STO20004")
    user = make_user("crew-2", "crew", school=SchoolFactory(brin="08YY00"), programmes=[programme])
    assert access(user, django_assert_num_queries) == ("crew", None, {programme.pk})


def test_the_first_role_in_roles_wins(django_assert_num_queries):
    programme = ProgrammeFactory(name="Midden", project_code="STO20005")
    user = make_user("both", "school", school=SchoolFactory(brin="07XX00"))
    user.groups.add(Group.objects.get_or_create(name="crew")[0])
    programme.members.add(user)
    assert access(user, django_assert_num_queries) == ("crew", None, {programme.pk})


def test_the_funder_and_superusers_see_every_programme(django_assert_num_queries):
    funder = make_user("funder-1", "funder")
    assert access(funder, django_assert_num_queries) == ("funder", None, None)
    boss = User.objects.create_superuser("boss", password="pw-test-123")
    assert access(boss, django_assert_num_queries, queries=0) == ("coordinator", None, None)


def test_no_group_is_no_role_and_no_programmes(django_assert_num_queries):
    user = User.objects.create_user("nobody", password="pw-test-123")
    assert access(user, django_assert_num_queries) == (None, None, frozenset())


def test_a_changed_role_or_membership_applies_on_the_next_request(django_assert_num_queries):
    first = ProgrammeFactory(name="Eerste", project_code="STO20006")
    second = ProgrammeFactory(name="Tweede", project_code="STO20007")
    user = make_user("crew-3", "crew", programmes=[first])
    client = APIClient()
    client.force_login(user)
    # The session, the user, and the user's groups and memberships: nothing more per request.
    with django_assert_num_queries(3):
        body = client.get("/api/v1/me/").json()
    assert (body["role"], body["programmes"]) == ("crew", [first.pk])

    user.groups.set([Group.objects.get_or_create(name="coordinator")[0]])
    second.members.add(user)
    body = client.get("/api/v1/me/").json()
    assert (body["role"], body["programmes"]) == ("coordinator", sorted([first.pk, second.pk]))

    school = SchoolFactory(brin="06WW00", programme=second)
    user.groups.set([Group.objects.get_or_create(name="school")[0]])
    SchoolMembership.objects.create(user=user, school=school)
    body = client.get("/api/v1/me/").json()
    assert (body["role"], body["school"], body["programmes"]) == ("school", school.pk, [second.pk])

    user.groups.clear()
    body = client.get("/api/v1/me/").json()
    assert (body["role"], body["school"], body["programmes"]) == (None, None, [])
