"""What the insight pages record themselves: the coordinator's finding on an episode that may
have been graded too low (issue 12, ADR 40). Everything else they show is read from casework."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class GradingFinding(BaseModel):
    """The finding on a possibly miscategorised episode, after review."""

    class Finding(models.TextChoices):
        RIGHT = "right_at_the_time", "Right at the time (the information came later)"
        WRONG = "wrongly_graded", "Wrongly graded (the information was there)"
        RECORD_ERROR = "record_error", "Record error (the grade recorded was not the one given)"

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="grading_finding")
    finding = models.CharField(max_length=20, choices=Finding.choices)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.episode}: {self.get_finding_display()}"


class FigureSnapshot(models.Model):
    """A period's figures (or charts) as the engine made them, kept until the data they were
    made from change (ADR 43). A cache in the operational database, not a record: shared by
    every web process and the job worker, never shown as history, pruned freely."""

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)  # kind, period and a digest of the filters
    stamp = models.CharField(max_length=40)  # engine.data_stamp when it was made
    made_at = models.DateTimeField()
    payload = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "key"],
                                               name="unique_figure_snapshot")]

    def __str__(self) -> str:
        return f"{self.key} ({self.made_at:%Y-%m-%d %H:%M})"
