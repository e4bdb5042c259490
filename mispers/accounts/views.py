from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from mispers.core.clock import now as clock_now
from mispers.core.errors import PermissionDenied as DomainPermissionDenied

from .lockout import (
    can_manage_lockouts,
    failed_sign_ins_visible_to,
    lockout_clear,
    lockouts_visible_to,
)
from .passwords import password_changed


def home(request):
    # Partner users (an organisation, no force) have their own home; police pages refuse them.
    if getattr(request.user, "organisation_id", None):
        return redirect("partners:home")
    from .rules import can_administer, can_analyse, can_read_cases  # least privilege, ADR 0018

    if not request.user.force_id and request.user.has_role("national_unit"):
        return redirect("national:hub")  # the national unit (issue 13): no force of its own

    if not can_read_cases(request.user) and can_analyse(request.user):
        return redirect("analysis:overview")
    if not can_read_cases(request.user) and can_administer(request.user):
        return redirect("partners:organisations")
    if not can_read_cases(request.user) and request.user.has_role("data_protection"):
        return redirect("audit:child")  # the data-protection lead (ADR 0019)
    if not can_read_cases(request.user) and request.user.has_role("commissioner"):
        return redirect("insights:force_picture")  # the commissioner's office (ADR 41)
    return redirect("episodes:open")


@method_decorator(login_not_required, name="dispatch")
class LoginView(allauth_views.LoginView):
    """django-allauth's sign-in: the password first (django-axes refuses locked usernames and
    addresses before it is checked), then, for a user with a second factor, its code or key."""

    template_name = "accounts/login.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password: the old one, then the new one twice, checked by the password
    validators. Other sessions are kept signed in by Django's update_session_auth_hash. A first
    password set by an administrator must be changed here before anything else opens."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user, now=clock_now())
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _lockout_admin(request):
    if not can_manage_lockouts(request.user):
        raise PermissionDenied
    return request.user


def lockouts(request):
    """Failed sign-ins and lockouts of the administrator's own users (force or organisation)."""
    admin = _lockout_admin(request)
    now = clock_now()
    return render(request, "accounts/lockouts.html", {
        "lockouts": lockouts_visible_to(admin=admin, now=now),
        "failures": failed_sign_ins_visible_to(admin=admin),
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    })


@require_POST
def lockout_clear_view(request):
    admin = _lockout_admin(request)
    username = request.POST.get("username", "")
    try:
        lockout_clear(actor=admin, username=username, now=clock_now())
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"Lockout cleared for {username}: they can sign in again now.")
    return redirect(reverse_lazy("lockouts"))
