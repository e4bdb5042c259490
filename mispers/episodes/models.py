from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "Care placement"
    SCHOOL = "school", "School"
    HOSPITAL = "hospital", "Hospital"
    OTHER = "other", "Other"


class Grade(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Episode(BaseModel):
    """One missing report: a child not where they should be, from report to closure."""

    class State(models.TextChoices):
        REPORTED = "reported", "Reported"
        OPEN = "open", "Open"
        FOUND = "found", "Found"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="episodes")
    reference = models.CharField(max_length=80, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.REPORTED,
                             db_index=True)
    reported_at = models.DateTimeField(db_index=True)
    reported_by_name = models.CharField(max_length=200)
    reported_by_relationship = models.CharField(max_length=100, blank=True)
    reported_by_contact = models.CharField(max_length=200, blank=True)
    last_seen_at = models.DateTimeField()
    last_seen_where = models.CharField(max_length=300)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    circumstances = models.TextField(blank=True)
    clothing = models.TextField(blank=True)
    possible_whereabouts = models.TextField(blank=True)
    # Denormalised from the latest assessment by the assessment services, so the open list can
    # filter and sort by grade without a subquery per row.
    current_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    # Optimistic lock: every write bumps it; a write based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["force", "state", "reported_at"]),
                   models.Index(fields=["child", "reported_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.REPORTED, self.State.OPEN}


class ReferenceCounter(models.Model):
    """The last episode number issued for a force in a year (FORCE-YYYY-NNNNNN)."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "year"],
                                               name="unique_reference_counter")]

    def __str__(self) -> str:
        return f"{self.force_id} {self.year}: {self.last}"


class TimelineEvent(AppendOnlyModel):
    """A coded event on an episode, written by the service that caused it, in its transaction."""

    class Code(models.TextChoices):
        REPORTED = "reported", "Reported missing"
        ASSESSED = "assessed", "Risk assessed"
        RATIFICATION_REQUESTED = "ratification_requested", "Ratification requested"
        RATIFIED = "ratified", "Grade ratified"
        RATIFICATION_DECLINED = "ratification_declined", "Ratification declined"

    id = models.BigAutoField(primary_key=True)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    code = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["episode", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code}"

    @property
    def title(self) -> str:
        labels = dict(self.Code.choices)
        return labels.get(self.code) or self.code.replace("_", " ").capitalize()
