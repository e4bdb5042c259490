"""Clocks as data: every due time is a row, so overdue lists are right from the data alone, even
when the sweeper is not running. Reviews, handovers, escalations and notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class Deadline(models.Model):
    """Something that must happen by `due_at`. Met or cancelled deadlines stay as evidence."""

    class Kind(models.TextChoices):
        REVIEW = "review", "Supervisory review"
        REGRADE = "regrade", "Re-grade (no apparent risk expires)"
        INSPECTOR_REVIEW = "inspector_review", "Inspector review"
        SUPERINTENDENT_INFORMED = "superintendent_informed", "Superintendent informed"
        REASSESSMENT = "reassessment", "Re-assessment after new information"
        NATIONAL_UNIT = "national_unit", "Notify the national missing persons unit"
        ACTION = "action", "Action"
        HANDOVER = "handover", "Handover to accept"
        PREVENTION_INTERVIEW = "prevention_interview", "Prevention interview"
        RETURN_HOME_INTERVIEW = "return_home_interview", "Return-home interview"
        WAIVER_APPROVAL = "waiver_approval", "Prevention interview waiver to approve"
        MARKER_DECISION = "marker_decision", "Proposed marker to confirm"
        ALLOCATION = "allocation", "Officer in the case to allocate"
        GRADING = "grading", "Partner's report to grade"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        MET = "met", "Met"
        CANCELLED = "cancelled", "Cancelled"

    id = models.BigAutoField(primary_key=True)
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="deadlines")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField()
    # The lowest rank that may meet it (a review) or who is responsible (escalation starts above).
    rank = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    action = models.ForeignKey("episodes.Action", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="deadlines")
    handover = models.ForeignKey("reviews.Handover", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="deadlines")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"]),
                   models.Index(fields=["episode", "status"]),
                   # Queues read one kind of pending deadline in due order.
                   models.Index(fields=["kind", "status", "due_at"])]
        constraints = [
            # At most one pending deadline of a kind per episode (per action, per handover).
            models.UniqueConstraint(fields=["episode", "kind"],
                                    condition=Q(status="pending", action__isnull=True,
                                                handover__isnull=True),
                                    name="one_pending_deadline_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d %H:%M}"


class Review(BaseModel):
    """A supervisor's review of a missing episode."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Grade confirmed"
        REGRADED = "regraded", "Re-graded"

    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="reviews")
    deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_at = models.DateTimeField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    reviewer_rank = models.CharField(max_length=20)
    grade = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    assessment = models.ForeignKey("risk.Assessment", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    notes = models.TextField()
    next_actions = models.TextField(blank=True)
    next_review_due_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"Review of {self.episode} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class Handover(BaseModel):
    """A case handed to a new owner: not theirs until they accept it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for acceptance"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="handovers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="handovers_to_me")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Handover of {self.episode} to {self.to_user}"


class Escalation(models.Model):
    """An overdue deadline raised to a rank. Level 1 goes to the rank above the one responsible;
    each unacknowledged level climbs once more after the policy's interval."""

    id = models.BigAutoField(primary_key=True)
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="escalations")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="escalations")
    level = models.PositiveSmallIntegerField()
    rank = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["deadline", "level"],
                                               name="one_escalation_per_level")]

    def __str__(self) -> str:
        return f"Escalation {self.level} of {self.deadline} to {self.rank}"


class Notification(models.Model):
    """A message to one person, with when they acknowledged it."""

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="notifications")
    episode = models.ForeignKey("episodes.Episode", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="notifications")
    escalation = models.ForeignKey(Escalation, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="notifications")
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"])]

    def __str__(self) -> str:
        return self.subject
