"""Children who go missing again: the strategy-meeting flag a repeat threshold raises, the
multi-agency strategy meeting with its actions, and trigger plans (actions agreed in advance and
created automatically at the child's next report).

Foreign keys to the child are plain ForeignKeys (no one-to-one, no unique constraint on the
child): merging two records of the same child moves every row that points at a child, so two
open flags or two active plans may briefly meet on one child; the services and selectors cope
(the newest wins) rather than a constraint making the merge fail. See ADR 0009.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class StrategyMeetingFlag(BaseModel):
    """The child met the force's repeat threshold: a multi-agency strategy meeting is needed.
    It is the coordinator's task until a meeting is recorded (held) or it is closed with a
    reason."""

    class Status(models.TextChoices):
        OPEN = "open", "Meeting needed"
        HELD = "held", "Meeting held"
        CLOSED = "closed", "Closed without a meeting"

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="strategy_flags")
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    # The report that met the threshold.
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="strategy_flags")
    raised_at = models.DateTimeField()
    episode_count = models.PositiveSmallIntegerField()
    threshold_episodes = models.PositiveSmallIntegerField()
    window_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey("StrategyMeeting", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="flags")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    close_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["force", "status", "raised_at"]),
                   models.Index(fields=["child", "status"])]

    def __str__(self) -> str:
        return (f"Strategy meeting needed for {self.child_id}: {self.episode_count} episodes in "
                f"{self.window_days} days")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class StrategyMeeting(BaseModel):
    """A multi-agency strategy meeting about a child: who was there, what was decided, and the
    actions agreed (each with an owner and a due date). Recorded after it is held; `created_by`
    and `created_at` say who recorded it and when."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="strategy_meetings")
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    # Agency names, in the order given (a short list; a table would add nothing we query by).
    agencies = models.JSONField(default=list)
    decisions = models.TextField()
    # Issue 10: the meeting agreed a trigger plan; an action to write it is set at once.
    trigger_plan_agreed = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["child", "held_on"]),
                   models.Index(fields=["force", "held_on"])]

    def __str__(self) -> str:
        return f"Strategy meeting on {self.held_on:%d %b %Y}"


class StrategyMeetingAction(BaseModel):
    """An action agreed at a strategy meeting. The owner is a named person and their agency, or
    a user of the force (many owners work for partner agencies and have no account)."""

    meeting = models.ForeignKey(StrategyMeeting, on_delete=models.PROTECT,
                                related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    owner_name = models.CharField(max_length=200, blank=True)
    owner_agency = models.CharField(max_length=200, blank=True)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    result = models.TextField(blank=True)
    # Issue 10: a police owner's action is also an action on the child's episode, so it is in
    # their My work and escalates like any other; done there, it is done here.
    action = models.OneToOneField("episodes.Action", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="meeting_action")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None or (self.action_id is not None
                                            and self.action.done_at is not None)

    @property
    def owner_text(self) -> str:
        if self.owner_user_id:
            return self.owner_user.display_with_rank
        return ", ".join(part for part in (self.owner_name, self.owner_agency) if part)


class TriggerPlan(BaseModel):
    """Actions agreed in advance for a child, created automatically at their next report.
    Saving a changed plan retires the old version and makes a new one, so an action created
    from a plan always points at the plan as it was when it applied."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="trigger_plans")
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    retire_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["child", "active"]),
                   models.Index(fields=["force", "active", "review_on"])]

    def __str__(self) -> str:
        return f"Trigger plan for {self.child_id} (review by {self.review_on:%d %b %Y})"

    @property
    def last_reviewed_at(self):
        """When the plan was last agreed: its last review, or when it was written."""
        return self.reviewed_at or self.created_at

    def is_stale(self, today) -> bool:
        """Past its review date: still applied (safer than silence) but shown as stale."""
        return self.review_on < today


class TriggerPlanAction(models.Model):
    class Kind(models.TextChoices):
        CHECK_ADDRESS = "check_address", "Check an address"
        CALL_CARER = "call_carer", "Call a named carer"
        NOTIFY_TEAM = "notify_team", "Tell a team"
        SEARCH_PLACE = "search_place", "Search a place"
        OTHER = "other", "Other"

    plan = models.ForeignKey(TriggerPlan, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200)
    # The address, phone number, team or place the action is about.
    detail = models.CharField(max_length=300, blank=True)
    due_within_minutes = models.PositiveIntegerField(default=60)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        text = f"{self.get_kind_display()}: {self.description}"
        return f"{text} ({self.detail})" if self.detail else text


class TriggerPlanActivation(models.Model):
    """The link between an action created on an episode and the plan action it came from
    (the episodes app knows nothing of plans)."""

    id = models.BigAutoField(primary_key=True)
    plan_action = models.ForeignKey(TriggerPlanAction, on_delete=models.PROTECT,
                                    related_name="activations")
    action = models.OneToOneField("episodes.Action", on_delete=models.PROTECT,
                                  related_name="trigger_activation")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="trigger_activations")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.plan_action} on {self.episode_id}"
