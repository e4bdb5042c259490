from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel
from mispers.episodes.models import Grade, MissingFrom


class Assessment(BaseModel):
    """A risk assessment of an episode. Never edited after it is made, except to record its
    ratification; a re-grade is a new assessment."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PENDING = "pending_ratification", "Pending ratification"
        RATIFIED = "ratified", "Ratified"
        DECLINED = "declined", "Ratification declined"

    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="assessments")
    sequence = models.PositiveSmallIntegerField()
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assessor_rank = models.CharField(max_length=20)
    # The context the policy saw, frozen as it was.
    age_at_report = models.PositiveSmallIntegerField()
    looked_after = models.BooleanField()
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    earlier_episodes_90d = models.PositiveSmallIntegerField()
    exploitation_marker = models.BooleanField()
    # Issue 14 (ADR 51): linked to an exploitation hub of the force when assessed.
    linked_to_exploitation_hub = models.BooleanField(default=False)
    # What the policy said, and under which policy.
    policy_name = models.CharField(max_length=60)
    policy_version = models.CharField(max_length=30)
    recommended_grade = models.CharField(max_length=20, choices=Grade.choices)
    reasons = models.JSONField(default=list)
    # What the officer chose.
    chosen_grade = models.CharField(max_length=20, choices=Grade.choices)
    rationale = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=Status.choices)
    required_rank = models.CharField(max_length=20, blank=True)
    ratified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    ratified_rank = models.CharField(max_length=20, blank=True)
    ratified_at = models.DateTimeField(null=True, blank=True)
    ratification_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["episode", "sequence"]
        constraints = [models.UniqueConstraint(fields=["episode", "sequence"],
                                               name="unique_assessment_sequence")]
        indexes = [models.Index(fields=["status", "assessed_at"])]

    def __str__(self) -> str:
        return f"{self.episode} assessment {self.sequence}"

    @property
    def effective_grade(self) -> str:
        """The grade that governs the response: until a downgrade is ratified, the recommended
        grade applies (and stays applying if ratification is declined)."""
        if self.status in {self.Status.ACCEPTED, self.Status.RATIFIED}:
            return self.chosen_grade
        return self.recommended_grade

    @property
    def is_downgrade(self) -> bool:
        from mispers.risk.policy import grade_rank

        return grade_rank(self.chosen_grade) < grade_rank(self.recommended_grade)


class FactorAnswer(models.Model):
    """One answer to one question of the national questionnaire, with who said it and when."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Unknown"

    id = models.BigAutoField(primary_key=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    factor = models.CharField(max_length=40)
    answer = models.CharField(max_length=8, choices=Answer.choices)
    source = models.CharField(max_length=200, blank=True)
    obtained_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "factor"],
                                               name="unique_factor_answer")]

    def __str__(self) -> str:
        return f"{self.factor}: {self.answer}"
