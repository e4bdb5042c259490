"""The second-factor code step of signing in counts towards the same lockout as passwords
(ADR 16): a locked account is refused before its code is checked, and a wrong code (app or
recovery code) is a failed sign-in for that username and address in django-axes."""

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.signals import user_login_failed

LOCKED = ("Signing in is locked for now after too many failed attempts. Try again later, or ask "
          "your administrator to clear the lockout.")


class AuthenticateForm(AllauthAuthenticateForm):
    def clean_code(self) -> str:
        request = context.request
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise forms.ValidationError(LOCKED)
        try:
            return super().clean_code()
        except forms.ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise
