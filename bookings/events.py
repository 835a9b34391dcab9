"""What the booking services announce, so modules built on top of them follow a change without
the services importing them (the packing lists import the services for the booking lifecycle).

Receivers run inside the service's transaction, under the locks it holds.
"""

from django.dispatch import Signal

# A booking's kit changed: confirmed, sessions replaced, moved to another date or wagon.
# Arguments: booking, acting_user, and `loaded` (True: the booking is locked under its day lock
# and comes with its wagon, school, packing list and sessions with their rules read).
booking_kit_changed = Signal()

# A booking stopped taking its slot (cancelled, declined, moved away): the waiting list may fill
# it. Arguments: depot_id, date. Sent inside the service's transaction.
slot_freed = Signal()
