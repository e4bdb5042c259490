"""The demo: the 43 forces, one sign-in per role in the demo force, and its synthetic history.

The demo password is printed on screen and is for a demo on one's own machine only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.db import transaction

from mispers.accounts.models import Force, User
from mispers.accounts.roles import Rank, Role
from mispers.accounts.services import user_create

DEMO_PASSWORD = "mispers-demo"

# username, role, rank, first name, last name (invented)
DEMO_USERS = [
    ("handler", Role.CALL_HANDLER, Rank.CALL_HANDLER, "Hannah", "Hale"),
    ("officer", Role.OFFICER, Rank.OFFICER, "Owen", "Pascoe"),
    ("sergeant", Role.SUPERVISOR, Rank.SERGEANT, "Sita", "Rahman"),
    ("inspector", Role.INSPECTOR, Rank.INSPECTOR, "Ian", "Okafor"),
    ("superintendent", Role.SUPERINTENDENT, Rank.SUPERINTENDENT, "Susan", "Penrose"),
    ("coordinator", Role.COORDINATOR, Rank.SERGEANT, "Chloe", "Marsh"),
    ("analyst", Role.ANALYST, Rank.STAFF, "Ade", "Bello"),
    ("admin", Role.FORCE_ADMIN, Rank.STAFF, "Alex", "Morgan"),
    ("dpo", Role.DATA_PROTECTION, Rank.STAFF, "Dana", "Price"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    rank: str
    force: str
    created: bool
    password: str  # the demo password, or a note when the user has changed it


@transaction.atomic
def demo_users_ensure(*, force: Force) -> list[DemoLogin]:
    """One demo user per role in `force`. Users that already exist are left as they are
    (their passwords too)."""
    logins = []
    for username, role, rank, first, last in DEMO_USERS:
        user = User.objects.filter(username=username).select_related("force").first()
        created = user is None
        if created:
            user = user_create(username=username, password=DEMO_PASSWORD, force=force,
                               roles=[role], rank=rank, first_name=first, last_name=last)
        roles = ", ".join(sorted(user.role_codes)) or "(no role)"
        password = (DEMO_PASSWORD if check_password(DEMO_PASSWORD, user.password)
                    else "(changed: not shown)")
        logins.append(DemoLogin(username=username, role=roles, rank=user.get_rank_display(),
                                force=user.force.name if user.force else "(no force)",
                                created=created, password=password))
    return logins
