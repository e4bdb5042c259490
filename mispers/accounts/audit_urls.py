"""The data-protection lead's access-log screens (namespace `audit`, under /audit/)."""

from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("child/", audit_views.child_audit, name="child"),
    path("user/", audit_views.user_audit, name="user"),
]
