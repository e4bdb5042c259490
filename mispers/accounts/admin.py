from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from .models import AccessLog, Area, Force, Team, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


# The admin site signs in through the service's own sign-in (lockout, second factor), never
# through a password-only form of its own (ADR 16).
admin.site.login = secure_admin_login(admin.site.login)


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator must be changed by the user at their next sign-in."""

    def save(self, commit=True):
        user = super().save(commit=False)
        if user.has_usable_password():
            user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "last_name", "force", "rank", "is_active"]
    list_filter = ["force", "rank", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Force", {"fields": ("force", "team", "rank", "collar_number")}),
        ("Sign-in", {"fields": ("must_change_password", "password_changed_at")}),
    )
    readonly_fields = ["password_changed_at"]
    change_password_form = AdminSetPasswordForm

    def save_model(self, request, obj, form, change):
        # A password an administrator types in is a first password: changed at first sign-in.
        if not change and obj.has_usable_password():
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "force"]
    list_filter = ["force"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "force", "area", "is_control_room"]
    list_filter = ["force", "is_control_room"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "channel", "object_type", "object_id"]
    list_filter = ["channel", "object_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
