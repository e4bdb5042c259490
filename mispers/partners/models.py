"""Partners in the same system: the organisations that look after children (children's services,
care providers, return-interview providers), which children each is responsible for and from
when, the Philomena profile carers keep, the partner's missing report (part 2), and the log of
what police shared with whom."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class PartnerOrganisation(BaseModel):
    class Kind(models.TextChoices):
        CHILDRENS_SERVICES = "childrens_services", "Local authority children's services"
        CARE_PROVIDER = "care_provider", "Care provider (children's home or foster agency)"
        RHI_PROVIDER = "rhi_provider", "Return-interview provider"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The force areas the organisation works with: its reports go to these forces' queues.
    forces = models.ManyToManyField("accounts.Force", related_name="partner_organisations")
    # A shared inbox for alerts (missing, found) besides each user's own address.
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
