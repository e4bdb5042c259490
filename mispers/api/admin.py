"""API tokens in the Django admin: the prefix, never the digest or the password fingerprint.
Tokens are not added here (the secret must be shown once, to its holder: the "API tokens" page
or `mispers token create`) nor edited; a superuser may revoke them."""

from django.contrib import admin, messages

from mispers.core import clock

from .models import ApiToken
from .services import api_token_revoke

SHOWN = ["prefix", "name", "user", "scope", "created_at", "expires_at", "revoked_at",
         "revoked_by", "last_used_at", "last_used_from"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "scope", "created_at", "expires_at", "revoked_at",
                    "last_used_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["revoke"]

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("user", "revoked_by")
                .defer("digest", "password_fingerprint"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row says who held it and when it was used

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        now = clock.now()
        for token in queryset:
            api_token_revoke(actor=request.user, token=token, now=now)
        self.message_user(request, f"Revoked {queryset.count()} token(s).", messages.SUCCESS)

    def has_revoke_permission(self, request):
        return request.user.is_superuser
