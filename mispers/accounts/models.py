import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from mispers.core.models import AppendOnlyModel

from .roles import Rank, Role


class Force(models.Model):
    """One of the 43 territorial police forces of England and Wales."""

    code = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=20)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def reference_prefix(self) -> str:
        return self.code.upper()


class Area(models.Model):
    """A geographical policing area of a force (a district or local policing area). Queues
    filter by it; an episode belongs to the area it was reported in."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["force", "name"],
                                               name="unique_area_name_per_force")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of a force (a response shift, a missing-persons unit, the control room).
    Users belong to one team; handovers, allocation and queues filter by it."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="teams")
    # The control room takes reports and allocates them; its supervisors see unallocated cases.
    is_control_room = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["force", "name"],
                                               name="unique_team_name_per_force")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    force = models.ForeignKey(Force, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="users")
    rank = models.CharField(max_length=20, choices=Rank.choices, default=Rank.STAFF)
    collar_number = models.CharField(max_length=20, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="members")
    # A password set by an administrator (a first password, or a reset) must be changed by the
    # user at their next sign-in before anything else opens (docs/security.md).
    must_change_password = models.BooleanField(default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Partner users belong to an organisation and have no force; police users the reverse.
    organisation = models.ForeignKey("partners.PartnerOrganisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    # Who created, changed, deactivated or reactivated an account, and when (never the password
    # hash). Sign-ins appear too, as last_login changes.
    history = HistoricalRecords(excluded_fields=["password"])

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (frozenset(self.roles.values_list("role", flat=True)) if self.pk
                      else frozenset())
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes & set(roles))

    @property
    def display_with_rank(self) -> str:
        return f"{self.get_rank_display()} {self}" if self.rank != Rank.STAFF else str(self)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    # Role grants and removals have history: who gave whom which role, and when.
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class AccessLog(AppendOnlyModel):
    """Who viewed which child or episode, when, and through what (page, API, export)."""

    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"
        EXPORT = "export", "Export"
        ADMIN = "admin", "Administration site"
        PDF = "pdf", "PDF"
        COMMAND = "command", "Command line"

    class Outcome(models.TextChoices):
        SHOWN = "shown", "Shown"
        # Data Protection Act 2018 s.62: refused attempts on a child's record are logged too.
        REFUSED = "refused", "Refused"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    force = models.ForeignKey(Force, null=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    object_type = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64, db_index=True)
    child_id = models.UUIDField(null=True, db_index=True)
    path = models.CharField(max_length=500, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SHOWN)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["child_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} viewed {self.object_type} {self.object_id}"
