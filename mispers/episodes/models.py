from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
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


class ReportedVia(models.TextChoices):
    POLICE = "police", "Police"
    PARTNER = "partner", "Partner"


class Episode(FSMModelMixin, BaseModel):
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
    # Changed only through the transitions below (house rule 6); protected=True refuses a plain
    # assignment on a loaded episode.
    state = FSMField(max_length=12, choices=State.choices, default=State.REPORTED,
                     db_index=True, protected=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_episodes")
    # When the officer in the case was allocated (medium and high cases must be allocated
    # within the policy's time; until then the control room sees the case as unallocated).
    allocated_at = models.DateTimeField(null=True, blank=True)
    # The area the case belongs to and the team working it: queues filter by both.
    area = models.ForeignKey("accounts.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="episodes")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="episodes")
    reported_at = models.DateTimeField(db_index=True)
    reported_by_name = models.CharField(max_length=200)
    reported_by_relationship = models.CharField(max_length=100, blank=True)
    reported_by_contact = models.CharField(max_length=200, blank=True)
    last_seen_at = models.DateTimeField()
    last_seen_where = models.CharField(max_length=300)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    # Issue 11: the places as records of the force; the free text above stays as the note.
    missing_from_place = models.ForeignKey("places.Place", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    last_seen_place = models.ForeignKey("places.Place", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    circumstances = models.TextField(blank=True)
    clothing = models.TextField(blank=True)
    possible_whereabouts = models.TextField(blank=True)
    # Denormalised from the latest assessment by the assessment services, so the open list can
    # filter and sort by grade without a subquery per row.
    current_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    # Who raised the report: police (a call or an officer) or a partner through the partner
    # screens, in which case `prefilled_fields` names the report fields filled from the child's
    # Philomena profile and the partner's part 2, so the call handler sees what is still to ask.
    reported_via = models.CharField(max_length=10, choices=ReportedVia.choices,
                                    default=ReportedVia.POLICE)
    prefilled_fields = models.JSONField(default=list, blank=True)
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
        """Still missing: the child has not been found and the report stands."""
        return self.state in {self.State.REPORTED, self.State.OPEN}

    @property
    def is_active(self) -> bool:
        """Not yet closed or withdrawn: missing, or found with the return still to finish."""
        return self.state in {self.State.REPORTED, self.State.OPEN, self.State.FOUND}

    # --- lifecycle: reported -> open (graded) -> found -> closed, or withdrawn ---------------

    @transition(field=state, source=[State.REPORTED, State.OPEN], target=State.OPEN)
    def grade(self):
        """A risk assessment was recorded (the first one opens the episode)."""

    @transition(field=state, source=[State.OPEN], target=State.FOUND)
    def mark_found(self):
        """The child has been found or has returned."""

    @transition(field=state, source=[State.FOUND], target=State.CLOSED)
    def close(self):
        """The return is complete: prevention interview recorded or excused."""

    @transition(field=state, source=[State.REPORTED, State.OPEN], target=State.WITHDRAWN)
    def withdraw(self):
        """The report was made in error."""


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
        REVIEWED = "reviewed", "Supervisory review"
        ACTION_CREATED = "action_created", "Action created"
        ACTION_DONE = "action_done", "Action done"
        ACTION_ASSIGNED = "action_assigned", "Action assigned"
        ACTION_CANCELLED = "action_cancelled", "Action cancelled by a supervisor"
        ENQUIRY = "enquiry", "Enquiry log"
        HANDOVER_REQUESTED = "handover_requested", "Handover requested"
        HANDOVER_ACCEPTED = "handover_accepted", "Handover accepted"
        HANDOVER_DECLINED = "handover_declined", "Handover declined"
        ALLOCATED = "allocated", "Officer in the case allocated"
        ESCALATED = "escalated", "Escalated"
        ESCALATION_ACKNOWLEDGED = "escalation_acknowledged", "Escalation acknowledged"
        FOUND = "found", "Found"
        PREVENTION_INTERVIEW = "prevention_interview", "Prevention interview"
        PREVENTION_WAIVER_REQUESTED = "prevention_waiver_requested", (
            "Prevention interview could not happen")
        PREVENTION_WAIVER_APPROVED = "prevention_waiver_approved", (
            "Prevention interview waiver approved")
        MARKER_PROPOSED = "marker_proposed", "Marker proposed"
        MARKER_DECIDED = "marker_decided", "Marker decision"
        RHI_REFERRED = "rhi_referred", "Return-home interview referred"
        RHI_UPDATED = "rhi_updated", "Return-home interview"
        # Partners: alerts sent to the organisations responsible, and the interview's provider.
        PARTNERS_ALERTED = "partners_alerted", "Partners alerted"
        RHI_COMMISSIONED = "rhi_commissioned", "Return-home interview provider chosen"
        NATIONAL_UNIT = "national_unit", "National missing persons unit task"
        STRATEGY_MEETING_FLAGGED = "strategy_meeting_flagged", "Strategy meeting needed"
        STRATEGY_MEETING_HELD = "strategy_meeting_held", "Strategy meeting held"
        STRATEGY_MEETING_FLAG_CLOSED = "strategy_meeting_flag_closed", (
            "Strategy-meeting flag closed")
        TRIGGER_PLAN_APPLIED = "trigger_plan_applied", "Trigger plan applied"
        # Matching: the child's record was merged with another (or the merge undone).
        CHILD_MERGED = "child_merged", "Child's record merged"
        CHILD_UNMERGED = "child_unmerged", "Child's record merge undone"
        # Issue 10: a harmful return, a disclosure or a death told to those who act on it.
        HARM_NOTIFIED = "harm_notified", "Harm or disclosure: officer and supervisors told"
        DEATH_NOTIFIED = "death_notified", "Found deceased: senior officers told"
        # Issue 10: what the return sets, and a closure refused while anything is outstanding.
        RETURN_CHECKLIST = "return_checklist", "Return checklist set"
        # Issue 14: a search for the missing child (mispers/searches).
        SEARCH_RECORDED = "search_recorded", "Search recorded"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

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


class Action(BaseModel):
    """Something to be done for an episode: a standard action of the grade, a review's next
    action, or a task the sweeper creates (e.g. notify the national unit at 72 hours)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="actions")
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=30, default="standard")  # standard, review, system
    due_at = models.DateTimeField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="assigned_actions")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    result = models.TextField(blank=True)
    # Cancelled by a supervisor, with the reason in `result` (issue 10): closed like a done
    # action (done_at, done_by), but it was not done, and the record says so.
    cancelled = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "created_at"]
        indexes = [models.Index(fields=["episode", "done_at"]),
                   models.Index(fields=["assigned_to", "done_at", "due_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class EnquiryEntry(models.Model):
    """The enquiry log: updates and sightings (when, where, who saw)."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        SIGHTING = "sighting", "Sighting"
        CALL = "call", "Call"
        PARTNER = "partner", "Partner update"

    id = models.BigAutoField(primary_key=True)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="enquiries")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    seen_by = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    prompts_reassessment = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"
