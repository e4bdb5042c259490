"""The return: found, the police prevention interview and the independent return-home interview."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class FoundBy(models.TextChoices):
    OWN_ACCORD = "own_accord", "Returned of own accord"
    POLICE = "police", "Police"
    FAMILY_FRIEND = "family_friend", "Family or friend"
    CARER_AGENCY = "carer_agency", "Carer or other agency"
    OTHER = "other", "Other"


class Condition(models.TextChoices):
    SAFE_AND_WELL = "safe_and_well", "Safe and well"
    HARMED = "harmed", "Harmed"
    CRIME_VICTIM = "crime_victim", "Victim of crime"
    SEXUAL_OFFENCE_VICTIM = "sexual_offence_victim", "Victim of a sexual offence"
    DECEASED = "deceased", "Deceased"


class Harm(models.TextChoices):
    PHYSICAL = "physical", "Physical injury"
    SEXUAL = "sexual", "Sexual harm"
    EXPLOITATION = "exploitation", "Exploitation"
    SELF_HARM = "self_harm", "Self-harm"
    SUBSTANCE = "substance", "Drugs or alcohol"
    NEGLECT = "neglect", "Neglect or exposure"
    OTHER = "other", "Other"


class Indicator(models.TextChoices):
    """Exploitation indicators a child may disclose; each proposes a marker."""

    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation (e.g. county lines)"
    TRAFFICKING = "trafficking", "Trafficking"
    OLDER_ASSOCIATES = "older_associates", "Older associates or unknown adults"
    GIFTS_OR_MONEY = "gifts_or_money", "Unexplained gifts, money or phones"


class FoundRecord(BaseModel):
    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="found")
    found_at = models.DateTimeField()
    found_where = models.CharField(max_length=300)
    # Issue 11: the place as a record of the force; found_where stays as the note.
    found_place = models.ForeignKey("places.Place", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    found_by = models.CharField(max_length=20, choices=FoundBy.choices)
    condition = models.CharField(max_length=30, choices=Condition.choices)
    harms = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.episode} found {self.found_at:%Y-%m-%d %H:%M}"

    @property
    def time_missing(self):
        return self.found_at - self.episode.last_seen_at


class PreventionInterview(BaseModel):
    """Police interview after the return, with the child's own account in their own words."""

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="prevention_interview")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    held_at = models.DateTimeField()
    where_child_was = models.TextField()
    with_whom = models.TextField(blank=True)
    why_left = models.TextField()
    harm_disclosed = models.TextField(blank=True)
    indicators = models.JSONField(default=list, blank=True)
    child_account = models.TextField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Prevention interview {self.episode}"


class PreventionWaiver(BaseModel):
    """The prevention interview could not happen: the reason, approved by a supervisor."""

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="prevention_waiver")
    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Prevention interview waiver {self.episode}"


class MarkerProposal(BaseModel):
    """An indicator disclosed at interview proposes a marker; a supervisor or the coordinator
    confirms or rejects it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="marker_proposals")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="marker_proposals")
    kind = models.CharField(max_length=20)
    indicators = models.JSONField(default=list)
    source = models.CharField(max_length=30)  # prevention_interview, return_home_interview
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    marker = models.ForeignKey("people.Marker", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")

    def __str__(self) -> str:
        return f"Proposed {self.kind} marker for {self.child}"


class ReturnHomeInterview(BaseModel):
    """The independent return-home interview the local authority must offer within 72 hours."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="return_home_interview")
    local_authority = models.CharField(max_length=120)
    # The partner commissioned to carry out the interview, when it works in Mispers: its
    # return-interview workers record the interview themselves.
    provider = models.ForeignKey("partners.PartnerOrganisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="return_interviews")
    referred_at = models.DateTimeField()
    due_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer_name = models.CharField(max_length=200, blank=True)
    where_went = models.TextField(blank=True)
    with_whom = models.TextField(blank=True)
    why_left = models.TextField(blank=True)
    harm = models.TextField(blank=True)
    indicators = models.JSONField(default=list, blank=True)
    what_would_help = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock (ADR 20): every write bumps it; a write based on an older version is
    # refused, so a police user and the provider editing at once cannot lose each other's work.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Return-home interview {self.episode}"

    @property
    def findings_frozen(self) -> bool:
        """Completed and shared: the findings are evidence and are never edited again; a
        correction is an addendum with its reason (ADR 20)."""
        return self.completed_at is not None and self.shared_at is not None

    @property
    def within_72_hours(self) -> bool | None:
        if self.completed_at is None:
            return None
        return self.completed_at <= self.due_at


class InterviewAddendum(AppendOnlyModel):
    """A correction or note added to a return-home interview after its findings were completed:
    who, when, why and what. Never edited or deleted; the findings themselves stay as recorded."""

    id = models.BigAutoField(primary_key=True)
    interview = models.ForeignKey(ReturnHomeInterview, on_delete=models.PROTECT,
                                  related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    # The author's partner organisation (the provider), or null for police.
    organisation = models.ForeignKey("partners.PartnerOrganisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.at:%Y-%m-%d %H:%M} to {self.interview}"

    @property
    def by_police(self) -> bool:
        return self.organisation_id is None


class ClosingSummary(BaseModel):
    """What the officer closing a case writes (issue 10): what happened, why the child went, the
    risks found and what happens next. Required to close; read with the child's next episode."""

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="closing_summary")
    what_happened = models.TextField()
    why_went = models.TextField()
    risks_found = models.TextField()
    what_next = models.TextField()

    def __str__(self) -> str:
        return f"Closing summary {self.episode}"
