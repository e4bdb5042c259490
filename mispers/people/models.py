import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    # The five census (2021) high-level groups, plus "not stated".
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class Child(BaseModel):
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="children")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    # When the date of birth is unknown: an estimated age on a given date, so age can be derived.
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_age_on = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = models.CharField(max_length=12, choices=Ethnicity.choices,
                                 default=Ethnicity.NOT_STATED)
    description = models.TextField(blank=True)
    looked_after = models.BooleanField(default=False)
    local_authority = models.CharField(max_length=120, blank=True)
    placement_address = models.TextField(blank=True)
    home_address = models.TextField(blank=True)
    # Set when a coordinator confirms this record is the same child as another: the record is
    # retired (its episodes, markers and the rest move to the survivor) until the merge is undone.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_children")
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["force", "family_name", "given_name"])]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on `day`, from the date of birth or, failing that, the estimate."""
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.estimated_age is not None and self.estimated_age_on:
            return self.estimated_age + max(0, (day - self.estimated_age_on).days) // 365
        return None


class Alias(BaseModel):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        NICKNAME = "nickname", "Nickname"
        PREVIOUS = "previous", "Previous name"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Marker(BaseModel):
    """A warning carried on the child's record, active between two dates."""

    class Kind(models.TextChoices):
        EXPLOITATION = "exploitation", "Exploitation (sexual or criminal) or trafficking"
        SELF_HARM = "self_harm", "Suicide or self-harm"
        MENTAL_HEALTH = "mental_health", "Mental health"
        VIOLENCE = "violence", "Violence"
        MEDICAL = "medical", "Medical need"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    active_from = models.DateField()
    active_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.active_from:%d %b %Y}"

    def active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)
