"""Searches for a missing child (issue 14, "Where to look", ADR 52): where officers looked,
when, who, and what they found. Police-only, like the intelligence the suggestions draw on."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel, BaseModel


class SearchResult(models.TextChoices):
    NOT_FOUND = "not_found", "Not found there"
    FOUND = "found_child", "Found the child"
    INFORMATION = "information", "Information obtained"
    COULD_NOT_SEARCH = "could_not_search", "Could not search"


class Search(BaseModel):
    """One search of one place (a place record of the force, or a note where there is none)
    during an open episode; `suggestion_rank` and `suggestion_reason` say which where-to-look
    suggestion it followed, if any, so the force can see which suggestions find children."""

    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="searches")
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    place_note = models.CharField(max_length=300, blank=True)
    searched_at = models.DateTimeField()
    searched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    # Who searched, as the officer writes it: names, collar numbers, a team.
    who = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=20, choices=SearchResult.choices)
    notes = models.TextField(blank=True)
    suggestion_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    suggestion_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-searched_at", "-created_at"]
        indexes = [models.Index(fields=["episode", "searched_at"]),
                   models.Index(fields=["force", "searched_at"])]

    def __str__(self) -> str:
        return f"Search {self.searched_at:%Y-%m-%d %H:%M} {self.result}"

    @property
    def where(self) -> str:
        return str(self.place) if self.place_id else self.place_note


class SuggestionsShown(AppendOnlyModel):
    """What the where-to-look list put at the top while the child was missing (kept when it
    changed): [{"rank", "place", "sources"}]. At the return, the found place is looked up in
    the last list shown before it: the force's figure of which suggestions find children."""

    id = models.BigAutoField(primary_key=True)
    force = models.ForeignKey("accounts.Force", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT,
                                related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    top = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["episode", "at"]), models.Index(fields=["force", "at"])]
