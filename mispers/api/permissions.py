"""Who may call the API at all. Which rows they see is the selectors' business (force scoping);
what they may do to a record is the services' business (ranks, own assessments)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from mispers.accounts.rules import can_report, is_police_user


class IsPoliceUser(BasePermission):
    """A signed-in user of a force with at least one police role (the default for every view)."""

    message = "You need a police role in a force to use this API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and is_police_user(user))


class CanReportOrReadOnly(IsPoliceUser):
    """Reads for every police user; reports, children and assessments for operational roles
    (call handlers, officers, supervisors, inspectors, coordinators), not analysts or admins."""

    message = "Your role may read records but not report, record or assess."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsPoliceUser.message
            return False
        return request.method in SAFE_METHODS or bool(can_report(request.user))
