"""Partners in the same system: the organisations that look after children (children's services,
care providers, return-interview providers), which children each is responsible for and from
when, the Philomena profile carers keep, the partner's missing report (part 2), and the log of
what police shared with whom."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class PartnerOrganisationQuerySet(models.QuerySet):
    def working_with(self, force) -> "PartnerOrganisationQuerySet":
        """Organisations with an *active* link to `force` (a Force or its id): only these get
        the force's children, alerts and users (ADR 0014)."""
        force_id = getattr(force, "pk", force)
        return self.filter(Exists(OrganisationForceLink.objects.filter(
            organisation=OuterRef("pk"), force_id=force_id,
            status=OrganisationForceLink.Status.ACTIVE)))


class PartnerOrganisation(BaseModel):
    class Kind(models.TextChoices):
        CHILDRENS_SERVICES = "childrens_services", "Local authority children's services"
        CARE_PROVIDER = "care_provider", "Care provider (children's home or foster agency)"
        RHI_PROVIDER = "rhi_provider", "Return-interview provider"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The force areas the organisation works with are its *active* OrganisationForceLink rows
    # (ADR 0014): a link needs consent, and what its users see is scoped per force.
    # A shared inbox for alerts (missing, found) besides each user's own address.
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def works_with(self, force) -> bool:
        """An active link to `force` (a Force or its id)."""
        return self.force_links.filter(force_id=getattr(force, "pk", force),
                                       status=OrganisationForceLink.Status.ACTIVE).exists()

    def active_forces(self):
        from mispers.accounts.models import Force

        return Force.objects.filter(partner_links__organisation=self,
                                    partner_links__status=OrganisationForceLink.Status.ACTIVE)


class OrganisationForceLink(BaseModel):
    """An organisation works with a force (ADR 0014). One row per (organisation, force) whose
    status moves requested -> active (accepted by the organisation's partner administrator or an
    administrator of a force already linked) or declined; active -> ended (by that force or the
    organisation). `members` are the organisation's users who work for this force: a partner
    user sees the children of a force only through a link they are a member of. Every change is
    also an OrganisationLinkEvent row."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for acceptance"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                     related_name="force_links")
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT,
                              related_name="partner_links")
    status = models.CharField(max_length=20, choices=Status.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="partner_links")
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "force__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "force"],
                                               name="one_link_per_organisation_and_force")]
        indexes = [models.Index(fields=["force", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} with {self.force_id}: {self.status}"


class OrganisationLinkEvent(AppendOnlyModel):
    """The append-only record of who linked, accepted, declined, ended, added or removed what."""

    class Code(models.TextChoices):
        CREATED = "created", "Organisation added and linked"
        REQUESTED = "requested", "Link requested"
        ACCEPTED = "accepted", "Link accepted"
        DECLINED = "declined", "Link declined"
        ENDED = "ended", "Link ended"
        MEMBER_ADDED = "member_added", "User now works for the force"
        MEMBER_REMOVED = "member_removed", "User no longer works for the force"
        DEACTIVATED = "deactivated", "Organisation deactivated"
        REACTIVATED = "reactivated", "Organisation reactivated"
        MIGRATED = "migrated", "Link carried over from before consent was needed"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                     related_name="link_events")
    force = models.ForeignKey("accounts.Force", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20, choices=Code.choices)
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"


class Responsibility(BaseModel):
    """An organisation is responsible for a child from a date (and until one): the placing
    authority, the home where the child lives, or the provider commissioned for the return
    interview. When a child moves placement the old home's responsibility ends: from that date
    it no longer sees new information."""

    class Kind(models.TextChoices):
        PLACING_AUTHORITY = "placing_authority", "Placing authority"
        HOME = "home", "Home or placement"
        RHI_PROVIDER = "rhi_provider", "Return-interview provider"

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="responsibilities")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                     related_name="responsibilities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name_plural = "responsibilities"
        indexes = [models.Index(fields=["organisation", "starts_on", "ends_on"]),
                   models.Index(fields=["child", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()} from {self.starts_on}"

    def covers(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class PhilomenaProfile(BaseModel):
    """Part 1 of the Philomena Protocol, kept by the child's carers before they ever go missing.
    Free text is stored and shown as plain text. The missing history is not stored here: it is
    derived from the child's episodes whenever the profile is shown."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT,
                              related_name="philomena_profiles")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                     related_name="philomena_profiles")
    physical_description = models.TextField(blank=True)
    photo = models.ImageField(upload_to="philomena/", blank=True)
    photo_taken_on = models.DateField(null=True, blank=True)
    friends_and_associates = models.TextField(blank=True)
    places_frequented = models.TextField(blank=True)
    medical_needs = models.TextField(blank=True)
    medication = models.TextField(blank=True)
    phone = models.CharField(max_length=100, blank=True)
    social_media = models.TextField(blank=True)
    transport = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    review_period_days = models.PositiveSmallIntegerField(default=90)
    last_reviewed_at = models.DateTimeField()
    last_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-last_reviewed_at"]

    def __str__(self) -> str:
        return f"Philomena profile for {self.child_id}"


class PartnerReport(BaseModel):
    """Part 2 of the Philomena Protocol: what the carer records when the child goes missing.
    Submitting it creates the police report (the episode) in the force's queue."""

    episode = models.OneToOneField("episodes.Episode", on_delete=models.PROTECT,
                                   related_name="partner_report")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                     related_name="reports")
    profile = models.ForeignKey(PhilomenaProfile, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="reports")
    clothing = models.TextField(blank=True)
    last_seen_at = models.DateTimeField()
    last_seen_where = models.CharField(max_length=300)
    actions_taken = models.TextField(blank=True)
    circumstances = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Partner report for {self.episode_id}"


class SharingRecord(AppendOnlyModel):
    """The information-sharing log: what was shared with whom, when, and on what basis."""

    class Basis(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding a child (Children Act 1989 and 2004)"
        STATUTORY_GUIDANCE = "statutory_guidance", (
            "Statutory guidance on children who run away or go missing")
        PARTNER_RESPONSIBILITY = "partner_responsibility", (
            "The organisation is responsible for the child")
        CONSENT = "consent", "Consent"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # Who received it: a partner organisation, or police (a force) when a partner shares back.
    organisation = models.ForeignKey(PartnerOrganisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    force = models.ForeignKey("accounts.Force", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey("episodes.Episode", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=300)
    basis = models.CharField(max_length=30, choices=Basis.choices)
    channel = models.CharField(max_length=20, default="system")  # system, email, api

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "at"]),
                   models.Index(fields=["organisation", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"


class FieldRelease(AppendOnlyModel):
    """Police deliberately released one police-only field of an episode (declared releasable in
    mispers.partners.disclosure) to the organisations that see the episode, with a reason
    (ADR 0015). The text is kept as released: a later police edit is not released by itself.
    Each recipient also gets a row in the information-sharing log."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=40)
    value = models.TextField()
    reason = models.TextField()
    basis = models.CharField(max_length=30, choices=SharingRecord.Basis.choices)
    organisations = models.ManyToManyField(PartnerOrganisation, related_name="+")
    sharing_records = models.ManyToManyField(SharingRecord, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["episode", "field"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.field} of {self.episode_id}"
