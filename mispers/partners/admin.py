"""Read-only admin for partner records (for support and audit). Writes go through the services
(house rule 1): responsibilities from the police child page, profiles and reports from the
partner pages, organisations and partner users from `mispers.partners.services`."""

from django.contrib import admin

from mispers.accounts.audit import AccessLoggedAdminMixin

from .models import (
    OrganisationForceLink,
    OrganisationLinkEvent,
    PartnerOrganisation,
    PartnerReport,
    PhilomenaProfile,
    Responsibility,
    SharingRecord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "email", "active"]
    list_filter = ["kind", "active", "force_links__force"]
    search_fields = ["name"]


@admin.register(OrganisationForceLink)
class OrganisationForceLinkAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "force", "status", "requested_at", "decided_at", "ended_at"]
    list_filter = ["status", "force"]
    list_select_related = ["organisation", "force"]


@admin.register(OrganisationLinkEvent)
class OrganisationLinkEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "code", "organisation", "force", "summary"]
    list_filter = ["code"]
    list_select_related = ["organisation", "force"]


@admin.register(Responsibility)
class ResponsibilityAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    list_display = ["organisation", "child", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "child"]


@admin.register(PhilomenaProfile)
class PhilomenaProfileAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    # The photo is not shown here: it is served only through the access-checked view.
    list_display = ["child", "organisation", "last_reviewed_at", "last_reviewed_by"]
    list_select_related = ["child", "organisation", "last_reviewed_by"]
    exclude = ["photo"]


@admin.register(PartnerReport)
class PartnerReportAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    access_log_child = "episode.child_id"
    list_display = ["episode", "organisation", "last_seen_at"]
    list_select_related = ["episode", "organisation"]


@admin.register(SharingRecord)
class SharingRecordAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    list_display = ["at", "what", "organisation", "force", "channel", "basis"]
    list_filter = ["channel", "basis"]
