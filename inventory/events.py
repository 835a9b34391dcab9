"""What the inventory services announce; apps that build on inventory (bookings' packing lists)
listen, since inventory may not import them."""

from django.dispatch import Signal

# An item's status changed (defect, maintenance, repaired, lost, retired). Arguments: item,
# acting_user. Sent inside the service's transaction, with the item row locked.
item_status_changed = Signal()
