"""Small SQL building blocks shared by the apps' selectors."""

import json

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def ids_in(model, column: str, ids, *, planner_hint: bool = False) -> RawSQL:
    """`column IN ids` as one parameter: a JSON array on SQLite (`json_each`), an array on
    PostgreSQL. Django's `__in` prepares every id on its own, which for a page of 1,000 ids
    cost more than the query. `planner_hint`: SQLite without statistics plans a long id list
    on a joined, restricted list badly (every id probed per school); `+ 0` makes it a
    membership test on the rows the other conditions find."""
    target = f'"{model._meta.db_table}"."{column}"'
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL(f"{target} = ANY(%s)", (ids,), output_field=BooleanField())
    if planner_hint:
        target += " + 0"
    return RawSQL(
        f"{target} IN (SELECT value FROM json_each(%s))",
        (json.dumps(ids),),
        output_field=BooleanField(),
    )
