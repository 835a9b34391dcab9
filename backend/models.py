from django.db import models


class ThrottleCounter(models.Model):
    """One write-throttle counter (backend/core/throttles.py): the writes a key (a user) made in
    the window that started at `window_start`. Kept in the database so every worker and server
    counts the same writes; one row per writing user."""

    key = models.CharField(max_length=100, primary_key=True)
    window_start = models.FloatField()  # seconds since the epoch (the throttle's clock)
    hits = models.PositiveIntegerField()

    class Meta:
        db_table = "tw_throttle"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
