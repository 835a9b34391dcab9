from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Aanvragen en bezoeken"

    def ready(self):
        # Packing lists follow the services that change a booking's kit or an item's status.
        from bookings import events
        from bookings.packing import services as packing
        from inventory import events as inventory_events

        events.booking_kit_changed.connect(packing.on_booking_kit_changed, dispatch_uid="packing")
        inventory_events.item_status_changed.connect(
            packing.on_item_status_changed, dispatch_uid="packing"
        )
        # The waiting list fills freed slots and kit that comes back.
        from bookings import tasks

        events.slot_freed.connect(tasks.on_slot_freed, dispatch_uid="waiting")
        inventory_events.item_status_changed.connect(
            tasks.on_item_status_changed, dispatch_uid="waiting"
        )
