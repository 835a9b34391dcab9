"""onboarding sits on top of bookings: nothing below it imports it (its pages live in
backend/pages, its School admin replaces bookings' registration from onboarding/admin.py)."""

import pytest

from tests.test_layout import _violations


@pytest.mark.parametrize(
    "app", ["programmes", "inventory", "bookings", "routes", "outbox", "backend/core"]
)
def test_no_lower_layer_imports_onboarding(app):
    assert _violations(app, ("onboarding",)) == []
