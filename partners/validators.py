"""The KvK number check. python-stdnum has no module for the Dutch Chamber of Commerce number
(KvK numbers carry no check digit since 2016), so the rule is the register's format: exactly eight
digits, and not the all-zeros placeholder people type when they do not know it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KVK_PATTERN = re.compile(r"\d{8}")


def validate_kvk(value: str) -> None:
    """Raise ValidationError unless `value` is empty or a plausible KvK number."""
    if not value:
        return
    if not KVK_PATTERN.fullmatch(value):
        raise ValidationError(_("Een KvK-nummer heeft 8 cijfers."), code="invalid")
    if value == "00000000":
        raise ValidationError(_("Dit is geen geldig KvK-nummer."), code="invalid")


def normalise_kvk(value: str) -> str:
    # People copy the number with spaces or dots from letterheads ("1234 5678").
    return re.sub(r"[\s.]", "", value or "")
