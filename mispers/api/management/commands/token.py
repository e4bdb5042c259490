"""`mispers token`: API tokens from the server's command line (ADR 0017), for the operator
setting up a partner's or a force system's client.

    mispers token create --user U --name N --scope police|partner [--days 30]
    mispers token list --user U
    mispers token revoke --prefix mpt_XXXXXXXX

`create` prints the token once; it is never shown again (only its prefix is stored in clear)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mispers.api.models import ApiToken
from mispers.api.selectors import tokens_of
from mispers.api.services import api_token_create, api_token_revoke
from mispers.core import clock
from mispers.core.errors import DomainError


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token and print it once.")
        create.add_argument("--user", required=True, help="The username the client acts as.")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--scope", required=True, choices=ApiToken.Scope.values)
        create.add_argument("--days", type=int, default=None,
                            help="How long it lasts (default settings.API_TOKEN_DEFAULT_DAYS).")
        listing = actions.add_parser("list", help="A user's tokens (never their secrets).")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="Stop a token working at once.")
        revoke.add_argument("--prefix", required=True, help="The token's first 12 characters.")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username}") from None

    def handle_create(self, *, user, name, scope, days, **_):
        holder = self._user(user)
        try:
            token, secret = api_token_create(actor=None, user=holder, name=name, scope=scope,
                                             now=clock.now(), days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(secret)
        self.stderr.write(f"Token {token.prefix}… “{token.name}” for {holder.username}, "
                          f"{token.get_scope_display()}, expires {token.expires_at:%Y-%m-%d %H:%M}"
                          f" UTC. Copy it now: it cannot be shown again.")

    def handle_list(self, *, user, **_):
        now = clock.now()
        for token in tokens_of(user=self._user(user)):
            last = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}…  {token.scope:<7}  {token.status(now):<7}  "
                              f"expires {token.expires_at:%Y-%m-%d}  last used {last}  "
                              f"{token.name}")

    def handle_revoke(self, *, prefix, **_):
        token = ApiToken.objects.filter(prefix=prefix[:12]).first()
        if token is None:
            raise CommandError(f"No token {prefix}")
        api_token_revoke(actor=None, token=token, now=clock.now())
        self.stdout.write(f"Revoked {token.prefix}… “{token.name}” of {token.user.username}")
