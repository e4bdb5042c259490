from rest_framework.permissions import BasePermission


class IsPoliceUser(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("mispers.view_records"))
