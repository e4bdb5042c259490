"""Recognising the same child: suggested duplicate pairs for a coordinator to decide, and the
merges they confirm, recorded so that each can be undone exactly."""

from django.conf import settings
from django.db import models


class DuplicateSuggestion(models.Model):
    """A pair of a force's children that the batch linkage job thinks may be the same child.
    Nothing is merged until a coordinator confirms; a rejected pair is never suggested again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        MERGED = "merged", "Merged"
        REJECTED = "rejected", "Not the same child"

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    # Stored in a fixed order (child_a.pk < child_b.pk as strings) so a pair is one row.
    child_a = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    child_b = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    # [{"field": ..., "label": ..., "weight": ...}, ...]: which fields agreed, which differed.
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    found_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_weight"]
        constraints = [models.UniqueConstraint(fields=["child_a", "child_b"],
                                               name="unique_duplicate_pair")]
        indexes = [models.Index(fields=["force", "status", "match_weight"])]

    def __str__(self) -> str:
        return f"{self.child_a_id} ~ {self.child_b_id} ({self.match_weight:.1f})"


class ChildMerge(models.Model):
    """A confirmed merge: `merged` was retired into `survivor`. `moved` lists every row that was
    re-pointed from one to the other ({"app_label.model": {"field": [pk, ...]}}), so undoing it
    puts back exactly what belonged to each child."""

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    suggestion = models.ForeignKey(DuplicateSuggestion, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="merges")
    reason = models.TextField()
    moved = models.JSONField(default=dict)
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at"]
        indexes = [models.Index(fields=["force", "merged_at"])]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class IdentityKey(models.Model):
    """One name a child is known by (their own, an alias, or the formal name behind a
    nickname), with the keys intake looks children up by. Derived data: rebuilt from the child
    by `identity_keys_refresh` whenever the child's names change, never edited by hand.

    The force is copied from the child so that every look-up is one index range within a force;
    the date of birth and addresses are copied so that candidates are ranked from these rows
    alone, without reading each child."""

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        ALIAS = "alias", "Alias"
        FORMAL = "formal", "Formal name of a nickname"
        PART = "part", "One of several given names"

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE,
                              related_name="identity_keys")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    given_norm = models.CharField(max_length=100, blank=True)
    family_norm = models.CharField(max_length=100, blank=True)
    given_key = models.CharField(max_length=20, blank=True)
    family_key = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    # From the date of birth or, if not known, the estimated age (then an estimate).
    birth_year = models.SmallIntegerField(null=True, blank=True)
    # Month and day of birth as MMDD (1231 for 31 December): finds a child whose year of birth
    # was mistyped, without reading every child born in three years.
    birthday = models.SmallIntegerField(null=True, blank=True)
    home_key = models.CharField(max_length=60, blank=True)
    placement_key = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["force", "family_key", "given_key"], name="idkey_names"),
            models.Index(fields=["force", "given_key", "birth_year"], name="idkey_given_year"),
            models.Index(fields=["force", "family_key", "birth_year"], name="idkey_family_year"),
            models.Index(fields=["force", "given_key", "birthday"], name="idkey_given_day"),
            models.Index(fields=["force", "family_key", "birthday"], name="idkey_family_day"),
            models.Index(fields=["force", "birth_date"], name="idkey_birth_date"),
            models.Index(fields=["force", "home_key"], name="idkey_home"),
            models.Index(fields=["force", "placement_key"], name="idkey_placement"),
        ]

    def __str__(self) -> str:
        return f"{self.given_norm} {self.family_norm} ({self.kind})"
