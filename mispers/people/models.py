import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import BaseModel


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """Self-defined ethnicity: the 19 categories of the 2021 census of England and Wales, and
    "not stated" (issue 11; the grouping is by the first word of the code)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", ("Black, Black British, Caribbean or African: any other Black, "
                                  "Black British or Caribbean background")
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", ("Mixed or multiple ethnic groups: "
                                                              "White and Black African")
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", (
        "Mixed or multiple ethnic groups: White and Black Caribbean")
    MIXED_OTHER = "mixed_other", ("Mixed or multiple ethnic groups: any other Mixed or "
                                  "multiple ethnic background")
    WHITE_BRITISH = "white_british", ("White: English, Welsh, Scottish, Northern Irish or "
                                      "British")
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


def ethnic_group(code: str) -> str:
    """The census's high-level group of a self-defined ethnicity: white, mixed, asian, black,
    other, or not_stated."""
    return code if code == Ethnicity.NOT_STATED else (code or "").split("_")[0]


class ObservedEthnicity(models.TextChoices):
    """The ethnicity an officer records from their own observation, as police forces do beside
    the person's own (the officer-defined ethnicity groups)."""

    ASIAN = "asian", "Asian"
    BLACK = "black", "Black"
    MIXED = "mixed", "Mixed"
    OTHER = "other", "Other"
    WHITE = "white", "White"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Child(BaseModel):
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="children")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    # When the date of birth is unknown: an estimated age on a given date, so age can be derived.
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_age_on = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = models.CharField(max_length=30, choices=Ethnicity.choices,
                                 default=Ethnicity.NOT_STATED)
    observed_ethnicity = models.CharField(max_length=12, choices=ObservedEthnicity.choices,
                                          default=ObservedEthnicity.NOT_RECORDED)
    description = models.TextField(blank=True)
    looked_after = models.BooleanField(default=False)
    local_authority = models.CharField(max_length=120, blank=True)
    placement_address = models.TextField(blank=True)
    # The children's home or foster placement as a recorded place. Its provider must be the
    # organisation the partner responsibility names as the child's home: where the two disagree
    # the child's page shows the conflict until someone resolves it (ADR 38).
    placement = models.ForeignKey("places.Place", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="placed_children")
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


class MarkerSubtype(models.TextChoices):
    """What kind of exploitation an exploitation marker records (ADR 38): the national picture
    and the force picture count these separately, and a child has one active marker of each."""

    SEXUAL = "sexual", "Child sexual exploitation"
    CRIMINAL = "criminal", "Child criminal exploitation (including county lines)"
    TRAFFICKING = "trafficking", "Trafficking or modern slavery"
    OTHER = "other", "Other exploitation"


class MarkerSource(models.TextChoices):
    """Where the information behind a marker came from."""

    POLICE = "police", "Police intelligence or investigation"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    PREVENTION_INTERVIEW = "prevention_interview", "Prevention interview"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return-home interview"
    HEALTH = "health", "Health"
    EDUCATION = "education", "School or education"
    FAMILY = "family", "Family or carer"
    OTHER = "other", "Other"


class Marker(BaseModel):
    """A warning carried on the child's record, active between two dates, reviewed by a date."""

    class Kind(models.TextChoices):
        EXPLOITATION = "exploitation", "Exploitation (sexual or criminal) or trafficking"
        SELF_HARM = "self_harm", "Suicide or self-harm"
        MENTAL_HEALTH = "mental_health", "Mental health"
        VIOLENCE = "violence", "Violence"
        MEDICAL = "medical", "Medical need"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Only for exploitation markers; blank for the others.
    subtype = models.CharField(max_length=12, choices=MarkerSubtype.choices, blank=True)
    source = models.CharField(max_length=24, choices=MarkerSource.choices, blank=True)
    active_from = models.DateField()
    active_until = models.DateField(null=True, blank=True)
    # When the marker should next be looked at (still right? still needed?).
    review_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active_from"]

    def __str__(self) -> str:
        return f"{self.label} from {self.active_from:%d %b %Y}"

    @property
    def label(self) -> str:
        """The kind, or for exploitation the subtype, as people say it."""
        return self.get_subtype_display() if self.subtype else self.get_kind_display()

    def active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)
