"""What the national hub holds (issue 13): each force file received, loaded or rejected, and
the records of the loaded ones, each keeping the file it came from (its provenance)."""

from django.conf import settings
from django.db import models


class ForceFile(models.Model):
    class Status(models.TextChoices):
        LOADED = "loaded", "Loaded"
        REJECTED = "rejected", "Rejected"

    force_code = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    checksum = models.CharField(max_length=80)        # the header's: the records' SHA-256
    profile = models.CharField(max_length=12, blank=True)
    after = models.PositiveBigIntegerField(null=True)
    to = models.PositiveBigIntegerField(null=True)
    counts = models.JSONField(default=dict)
    period = models.JSONField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # A rejected file's problems as `mispers validate` words them (the first 200), and how many.
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    # The force's data completeness after this file was loaded (national/quality.py).
    quality = models.JSONField(default=dict)
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["force_code", "status", "to"])]

    def __str__(self) -> str:
        return self.file_name


class NationalRecord(models.Model):
    """A force's record as last received: the format's fields (exchange/format.py) as sent."""

    force_code = models.CharField(max_length=40)
    kind = models.CharField(max_length=12)
    record_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    data = models.JSONField()
    file = models.ForeignKey(ForceFile, on_delete=models.PROTECT, related_name="records")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force_code", "kind", "record_id"],
                                               name="national_one_record_per_id")]
        indexes = [models.Index(fields=["kind", "force_code"])]

    def __str__(self) -> str:
        return f"{self.force_code} {self.kind} {self.record_id}"
