"""What the force has sent in the exchange format (issue 13, ADR 44).

The ledger is how an extract knows what changed: each record's digest as last extracted and the
change sequence number it was given. An extract compares every record with the ledger, gives
each new or changed record (a correction, a merge, a later outcome) the force's next sequence
numbers, and writes those after the `--since` asked for. This needs no hook in the services that
write records (bulk and queryset updates included) and the numbers only grow."""

from django.db import models


class LedgerEntry(models.Model):
    force = models.ForeignKey("accounts.Force", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)
    record_id = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)   # "" once the record is gone (a deletion)
    seq = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "kind", "record_id"],
                                               name="exchange_ledger_one_per_record")]
        indexes = [models.Index(fields=["force", "seq"])]

    def __str__(self) -> str:
        return f"{self.force_id} {self.kind} {self.record_id} @{self.seq}"


class Extract(models.Model):
    """One file written by `mispers export`: which changes it holds, its counts and checksum."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    profile = models.CharField(max_length=12)
    after = models.PositiveBigIntegerField()
    to = models.PositiveBigIntegerField()
    counts = models.JSONField(default=dict)
    checksum = models.CharField(max_length=80)
    file_name = models.CharField(max_length=200)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    def __str__(self) -> str:
        return self.file_name
