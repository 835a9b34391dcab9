"""Packing-list tables (issue: packing lists). Imported by bookings/models.py."""
