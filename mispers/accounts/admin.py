from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AccessLog, Force, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "last_name", "force", "rank", "is_active"]
    list_filter = ["force", "rank", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Force", {"fields": ("force", "rank",
                                                                   "collar_number")}),)


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]


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
