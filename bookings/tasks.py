"""Background tasks of the bookings app: the waiting list fills freed slots and kit that comes
back. The receivers enqueue after the commit, so a task sees what the service wrote."""

import datetime as dt
import logging

from django.db import transaction
from django_tasks import task

from bookings import waiting

logger = logging.getLogger(__name__)


@task()
def fill_freed_slot(depot_id: int, day: str) -> int:
    return len(waiting.waiting_fill(depot_id=depot_id, day=dt.date.fromisoformat(day)))


@task()
def fill_depot(depot_id: int) -> int:
    return waiting.waiting_fill_depot(depot_id=depot_id)


@task()
def expire_offers() -> int:
    return waiting.waiting_expire()


def _enqueue(task_, *args) -> None:
    try:
        task_.enqueue(*args)
    except Exception:
        # The broker being down must not undo the cancellation; the next freed slot retries.
        logger.exception("could not enqueue %s%s", task_.name, args)


def on_slot_freed(sender, *, depot_id, date, **kwargs) -> None:
    if depot_id is not None and date is not None:
        day = date.isoformat()
        transaction.on_commit(lambda: _enqueue(fill_freed_slot, depot_id, day), robust=True)


def on_item_status_changed(sender, *, item, **kwargs) -> None:
    if item.status == "available":
        depot_id = item.depot_id
        transaction.on_commit(lambda: _enqueue(fill_depot, depot_id), robust=True)
