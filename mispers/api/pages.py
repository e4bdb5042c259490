"""The "API tokens" page (ADR 0017): a user's own tokens (prefix, scope, created, expires, last
used), creating one (its secret shown exactly once, on the answer to the form, never stored or
put in a message), and revoking one. Only the user's own tokens: anyone else's is 404. Users
who may not use the API (no police or partner role) get 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, or_404

from .forms import TokenForm
from .models import ApiToken
from .selectors import token_of, tokens_of
from .services import api_token_create, api_token_revoke
from .tokens import scopes_for


def _scope(request) -> str:
    scopes = scopes_for(request.user)
    if not scopes:
        raise PermissionDenied("Your account has no police or partner role, so cannot use the API")
    return scopes[0]


@never_cache
def token_list(request):
    scope = _scope(request)
    at = now()
    tokens = [(token, token.status(at)) for token in tokens_of(user=request.user)]
    return render(request, "api/tokens.html", {
        "tokens": tokens, "scope_label": ApiToken.Scope(scope).label,
    })


@never_cache
def token_new(request):
    scope = _scope(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(actor=request.user, user=request.user,
                                             name=form.cleaned_data["name"], scope=scope,
                                             now=now(), days=form.cleaned_data["days"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            # The one and only time the secret leaves the server: this answer, not cached.
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_new.html", {
        "form": form, "scope_label": ApiToken.Scope(scope).label,
    })


@require_POST
def token_revoke(request, pk):
    token = or_404(token_of, user=request.user, token_id=pk)
    api_token_revoke(actor=request.user, token=token, now=now())
    messages.success(request, f"Token “{token.name}” ({token.prefix}…) revoked: it no longer "
                              "works")
    return redirect("api_tokens:list")
