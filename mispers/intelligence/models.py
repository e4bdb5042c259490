"""People, vehicles, phones and handles as records (issue 14, ADR 49): the force's entities, the
links that join a child (or one of the child's episodes) to them, graded as police grade
intelligence, the suggestions read from officers' free text, and the timeline of all of it.

Intelligence is police-only: no partner page, partner API, export or the commissioner's office
ever reads these tables."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class EntityKind(models.TextChoices):
    PERSON = "person", "Person of interest"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    HANDLE = "handle", "Online handle"
    PLACE = "place", "Place"


class PersonRole(models.TextChoices):
    PEER = "peer", "Peer"
    OLDER_ASSOCIATE = "older_associate", "Older associate"
    SUSPECTED_EXPLOITER = "suspected_exploiter", "Suspected exploiter"
    FAMILY = "family", "Family"
    UNKNOWN = "unknown", "Not known"


class Platform(models.TextChoices):
    SNAPCHAT = "snapchat", "Snapchat"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    FACEBOOK = "facebook", "Facebook"
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X (Twitter)"
    OTHER = "other", "Other"


class Entity(BaseModel):
    """A person of interest, a vehicle, a phone number, an online handle or a place, as a record
    of the force. `key` is the normalised value two records of the same thing share (E.164
    number, registration, platform:handle, the place's id); blank for a person."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=EntityKind.choices)
    key = models.CharField(max_length=120, blank=True)
    # A person: the name as known, aliases and street names ("Jay"), an approximate age.
    name = models.CharField(max_length=200, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    role = models.CharField(max_length=20, choices=PersonRole.choices, blank=True)
    description = models.TextField(blank=True)
    # A vehicle: the registration is the key; make and colour as seen.
    make = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    # An online handle: the platform and the handle as the platform shows it.
    platform = models.CharField(max_length=12, choices=Platform.choices, blank=True)
    handle = models.CharField(max_length=100, blank=True)
    # A place: the force's place record (issue 11), never a copy of it.
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_entities")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["kind", "name", "key"]
        indexes = [models.Index(fields=["force", "kind", "key"]),
                   models.Index(fields=["force", "name"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from .normalise import phone_display, registration_display

        if self.kind == EntityKind.PERSON:
            return self.name
        if self.kind == EntityKind.VEHICLE:
            extra = " ".join(part for part in (self.colour, self.make) if part)
            plate = registration_display(self.key)
            return f"{plate} ({extra})" if extra else plate
        if self.kind == EntityKind.PHONE:
            return phone_display(self.key)
        if self.kind == EntityKind.HANDLE:
            return f"@{self.handle} on {self.get_platform_display()}"
        return str(self.place) if self.place_id else self.name

    @property
    def names(self) -> list[str]:
        """The name and every alias and street name."""
        return self.names_of(self.name, self.aliases)

    @staticmethod
    def names_of(name: str, aliases: list[str]) -> list[str]:
        return [each for each in [name, *aliases] if each]


class LinkKind(models.TextChoices):
    SEEN_WITH = "seen_with", "Seen with"
    FOUND_WITH = "found_with", "Found with"
    FOUND_AT = "found_at", "Found at"
    PICKED_UP_BY = "picked_up_by", "Picked up by"
    IN_CONTACT_WITH = "in_contact_with", "In contact with"
    NAMED_AT_INTERVIEW = "named_at_interview", "Named at an interview"


class Source(models.TextChoices):
    REPORT = "report", "Missing report"
    ENQUIRY_LOG = "enquiry_log", "Enquiry log"
    PREVENTION_INTERVIEW = "prevention_interview", "Prevention interview"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return-home interview"
    PARTNER = "partner", "Partner"
    INTELLIGENCE = "intelligence", "Intelligence"


# The 3x5x2 evaluation of the College of Policing's intelligence management APP (ADR 49).
class SourceEvaluation(models.TextChoices):
    A = "A", "A: reliable"
    B = "B", "B: untested"
    C = "C", "C: not reliable"


class InformationAssessment(models.TextChoices):
    ONE = "1", "1: known directly to the source"
    TWO = "2", "2: known indirectly to the source but corroborated"
    THREE = "3", "3: known indirectly to the source"
    FOUR = "4", "4: not known"
    FIVE = "5", "5: suspected to be false"


class HandlingCode(models.TextChoices):
    P = "P", "P: lawful sharing permitted"
    C = "C", "C: lawful sharing permitted with conditions"


class Link(BaseModel):
    """A child (and, when it happened during one, an episode) joined to an entity: what, when,
    where the information came from and how it is graded."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="intelligence_links")
    episode = models.ForeignKey("episodes.Episode", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="intelligence_links")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    occurred_on = models.DateField()
    source = models.CharField(max_length=24, choices=Source.choices)
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    information_assessment = models.CharField(max_length=1,
                                              choices=InformationAssessment.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices,
                                     default=HandlingCode.P)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        # The hub count and the network read a force's links in a window with their entity
        # and child: covered by the first index (ADR 50).
        indexes = [models.Index(fields=["force", "occurred_on", "entity", "child"],
                                name="intelligence_link_window"),
                   models.Index(fields=["child", "occurred_on"]),
                   models.Index(fields=["entity", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entity_id} on {self.occurred_on}"

    @property
    def grading(self) -> str:
        """The grading as written on an intelligence report: `B3P`."""
        return f"{self.source_evaluation}{self.information_assessment}{self.handling_code}"


class EntityMerge(BaseModel):
    """One merge of a duplicate entity into the one that stays, with the links it moved, so that
    undoing it moves exactly those back."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="merges_in")
    reason = models.CharField(max_length=200)
    moved_links = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undo_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Suggestion(BaseModel):
    """Something recognised in an officer's free text (a phone number, a registration, a known
    name) offered for a person to confirm as a link, or dismiss. Nothing is linked until then."""

    class State(models.TextChoices):
        OPEN = "open", "To confirm"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="intelligence_suggestions")
    episode = models.ForeignKey("episodes.Episode", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=24, choices=Source.choices)
    # The record the text is in ("enquiry:12", "prevention:<uuid>"), so a text read again
    # suggests nothing twice.
    source_ref = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=EntityKind.choices)
    value = models.CharField(max_length=120)
    written = models.CharField(max_length=200)
    context = models.CharField(max_length=300, blank=True)
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["child", "source_ref", "kind", "value"],
                                               name="one_suggestion_per_text_and_value")]
        indexes = [models.Index(fields=["force", "state"])]


class IntelligenceEvent(AppendOnlyModel):
    """The timeline of intelligence, on the child and on the entity: written by the service that
    caused it, in its transaction; never edited. Kept apart from the episode's timeline, which
    partners may read."""

    class Code(models.TextChoices):
        ENTITY_CREATED = "entity_created", "Record created"
        LINKED = "linked", "Linked"
        MERGED = "merged", "Duplicate merged"
        UNMERGED = "unmerged", "Merge undone"
        SUGGESTED = "suggested", "Suggested from free text"
        SUGGESTION_DISMISSED = "suggestion_dismissed", "Suggestion dismissed"
        HUB_ALERT = "hub_alert", "Linked to an exploitation hub: told at once"

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    code = models.CharField(max_length=30, choices=Code.choices)
    summary = models.CharField(max_length=500)
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="events")
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "at"]), models.Index(fields=["entity", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code}"
