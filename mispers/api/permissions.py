"""Who may call the API at all. Which rows they see is the selectors' business (force scoping);
what they may do to a record is the services' business (ranks, own assessments).

Least privilege (docs/adr/0018-least-privilege.md): the default for every view is
`CanReadCases` (operational roles). Analysts use the pseudonymised analysis endpoint
(`CanAnalyse`); force administrators the organisation endpoints (their own permission)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from mispers.accounts.rules import can_analyse, can_read_cases, can_report, has_police_role
from mispers.insights.permissions import can_see_aggregates


class CanReadCases(BasePermission):
    """A signed-in user of a force with an operational role: may read identifiable case records
    (the default for every view)."""

    message = "You need an operational police role in a force to read case records."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and can_read_cases(user))


# The old name: every view that imports it keeps the case-reading rule.
IsPoliceUser = CanReadCases


class CanReportOrReadOnly(CanReadCases):
    """Reads for case readers; reports, children and assessments for the roles that report
    (call handlers, officers, supervisors, inspectors, coordinators)."""

    message = "Your role may read records but not report, record or assess."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = CanReadCases.message
            return False
        return request.method in SAFE_METHODS or bool(can_report(request.user))


class CanAnalyse(BasePermission):
    """Pseudonymised rows and counts: the analyst and the managers who plan the response."""

    message = "You need an analyst or manager role in a force to use the analysis API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and can_analyse(user))


class CanSeeAggregates(BasePermission):
    """Counts only, never a row: the analysis roles and the commissioner's office, who sees
    small numbers suppressed (ADR 41)."""

    message = ("You need an analyst, manager or commissioner's office role in a force to read "
               "the force's figures.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and can_see_aggregates(user))


class HasPoliceRole(BasePermission):
    """Any police role in a force: for what shows no record at all (grading a hypothetical
    case), so analysts and administrators may use it too."""

    message = "You need a police role in a force to use this API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and has_police_role(user))
