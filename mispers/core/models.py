"""The base every case record stands on: a UUID key and who created and last changed it, when."""

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    modified_at = models.DateTimeField(editable=False)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )

    class Meta:
        abstract = True

    def stamp(self, *, actor, now) -> None:
        """Set the audit fields; services call this rather than auto_now (no clock reads)."""
        if self.created_at is None:
            self.created_at = now
            self.created_by = actor
        self.modified_at = now
        self.modified_by = actor


class AppendOnlyModel(models.Model):
    """Rows that are evidence (timeline, access log): written once, never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are append-only")
