"""What the national hub holds (issue 13): each force file received, loaded or rejected, and
the records of the loaded ones, each keeping the file it came from (its provenance)."""

from django.conf import settings
from django.db import models


class ForceFile(models.Model):
    class Status(models.TextChoices):
        LOADED = "loaded", "Loaded"
        REJECTED = "rejected", "Rejected"

    force_code = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    checksum = models.CharField(max_length=80)        # the header's: the records' SHA-256
    profile = models.CharField(max_length=12, blank=True)
    after = models.PositiveBigIntegerField(null=True)
    to = models.PositiveBigIntegerField(null=True)
    counts = models.JSONField(default=dict)
    period = models.JSONField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # A rejected file's problems as `mispers validate` words them (the first 200), and how many.
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    # The force's data completeness after this file was loaded (national/quality.py).
    quality = models.JSONField(default=dict)
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["force_code", "status", "to"])]

    def __str__(self) -> str:
        return self.file_name


class NationalRecord(models.Model):
    """A force's record as last received: the format's fields (exchange/format.py) as sent."""

    force_code = models.CharField(max_length=40)
    kind = models.CharField(max_length=12)
    record_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    data = models.JSONField()
    file = models.ForeignKey(ForceFile, on_delete=models.PROTECT, related_name="records")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force_code", "kind", "record_id"],
                                               name="national_one_record_per_id")]
        indexes = [models.Index(fields=["kind", "force_code"])]

    def __str__(self) -> str:
        return f"{self.force_code} {self.kind} {self.record_id}"


class LinkRun(models.Model):
    """One run of the cross-force linkage (`mispers hub link`)."""

    engine = models.CharField(max_length=10)
    started_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    records = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Linkage {self.started_at:%Y-%m-%d %H:%M} ({self.engine})"


class NationalPair(models.Model):
    """Two child records (of one force or two) the linkage scored as possibly one child, with
    the weight of each comparison; keys are "force:record id"."""

    class Status(models.TextChoices):
        LINKED = "linked", "Linked by the model"
        REVIEW = "review", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed the same child"
        REJECTED = "rejected", "Rejected: different children"

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="pairs")
    a_key = models.CharField(max_length=110)
    b_key = models.CharField(max_length=110)
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "a_key", "b_key"],
                                               name="national_one_pair_per_run")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.a_key} ~ {self.b_key}"


class NationalPerson(models.Model):
    """Which national person each held child record is, after the latest linkage."""

    key = models.CharField(max_length=110, unique=True)      # "force:record id"
    person_id = models.CharField(max_length=20, db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.person_id}"


class NationalIncident(models.Model):
    """The national tables' reading of one counted child incident (an episode not withdrawn),
    typed and one row per incident (ADR 48): what the tables count it under, worked out once
    from the force's records when a file is loaded (national/facts.py), in the same transaction
    as the records, and worked out again when a later file changes any record it depends on
    (the child or the record it was merged into, the first assessment, the outcome, a marker,
    another incident of the child)."""

    force_code = models.CharField(max_length=40)
    episode_id = models.CharField(max_length=64)
    child_record = models.CharField(max_length=64)   # the child the episode names
    child_id = models.CharField(max_length=64)       # that child after merges (the survivor)
    child_key = models.CharField(max_length=110)     # "force:child_id", NationalPerson.key
    year = models.PositiveSmallIntegerField()        # the financial year's first year
    reported_at = models.DateTimeField()
    age = models.SmallIntegerField(null=True)
    age_band = models.CharField(max_length=12)
    sex = models.CharField(max_length=20, null=True)
    ethnicity_group = models.CharField(max_length=40, null=True)
    observed_ethnicity = models.CharField(max_length=40, null=True)
    grade = models.CharField(max_length=20, null=True)
    looked_after = models.BooleanField()
    exploitation = models.BooleanField()
    mental_health = models.BooleanField()
    missing_from_care = models.BooleanField()
    repeat = models.BooleanField()
    duration_band = models.CharField(max_length=16)
    condition = models.CharField(max_length=30, null=True)   # null: no outcome
    harms = models.CharField(max_length=200, blank=True)     # the outcome's, comma-separated
    found_by = models.CharField(max_length=20, null=True)
    # The interviews after the return, for the national dashboard's measures: a prevention
    # interview held (not waived), a return-home interview referred, and offered within 72 hours
    # of the child being found.
    prevention_held = models.BooleanField(default=False)
    rhi_referred = models.BooleanField(default=False)
    rhi_in_72h = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force_code", "episode_id"],
                                               name="national_one_incident_per_episode")]
        # One covering index per aggregate of the tables (tables.py), in its grouping's
        # order: a year's aggregate reads a contiguous range of one index, not the table.
        indexes = [
            models.Index(fields=["year", "force_code", "child_id", "repeat", "missing_from_care",
                                 "looked_after", "exploitation", "mental_health"],
                         name="national_incident_counts"),
            models.Index(fields=["year", "force_code", "grade", "age_band", "sex"],
                         name="national_incident_grade"),
            models.Index(fields=["year", "force_code", "ethnicity_group", "observed_ethnicity"],
                         name="national_incident_ethnicity"),
            models.Index(fields=["year", "force_code", "duration_band"],
                         name="national_incident_duration"),
            models.Index(fields=["year", "force_code", "condition", "harms", "found_by"],
                         name="national_incident_outcome"),
            models.Index(fields=["year", "child_key"], name="national_incident_person"),
            models.Index(fields=["force_code", "child_id"], name="national_incident_child"),
        ]

    def __str__(self) -> str:
        return f"{self.force_code} {self.episode_id}"
