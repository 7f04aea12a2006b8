"""API authentication: the browser session (with CSRF) or a bearer API token."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from ninja.security import HttpBearer, SessionAuth

from writecarenotes.platform.identity.access import Access
from writecarenotes.platform.identity.capabilities import capability_set
from writecarenotes.platform.identity.models import Membership
from writecarenotes.platform.tenancy.scope import Scope, _current

#: how often a token's "last used" time is written (at most)
LAST_USED_EVERY = timedelta(minutes=1)


class SessionAccess(SessionAuth):
    """A signed-in browser session; request.access was set by TenantScopeMiddleware."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        access = getattr(request, "access", None)
        if access is not None and access.needs_two_factor:
            from django.conf import settings

            if settings.TWO_FACTOR_REQUIRED and not user.is_verified():
                return None
        return user


class TokenAccess(HttpBearer):
    """``Authorization: Bearer wcn_...``: acts for the token's home with the token's capabilities,
    never more than the user's own roles in that home allow."""

    def authenticate(self, request, token):
        from django.utils import timezone

        from writecarenotes.platform.identity.tokens import find_token

        api_token = find_token(token)
        if api_token is None:
            return None
        user, home = api_token.user, api_token.home
        # the user's roles in the token's home: organisation-wide ones and the home's own (one query)
        roles = set(
            Membership.objects.filter(user=user)
            .filter(Q(home=home) | Q(home__isnull=True, organisation_id=home.organisation_id))
            .values_list("role", flat=True)
        )
        granted = {tuple(c.split(":", 1)) for c in api_token.capabilities if ":" in c}
        caps = capability_set(frozenset(roles)) & frozenset(granted)
        request.user = user
        request.wcn_api_token_id = api_token.pk  # idempotency keys belong to the token
        request.access = Access(
            user_id=user.pk, homes=[home], active_home=home, roles=frozenset(roles), capabilities=caps, via_token=True
        )
        # The middleware resets the scope when the response leaves.
        _current.set(Scope(home.organisation_id, frozenset([home.pk]), home.pk, user.pk, reason="api-token"))
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_EVERY:
            # to the minute: a write on every request would double the writes of a busy client
            type(api_token).objects.filter(pk=api_token.pk).update(last_used_at=now)
        return user


session_auth = SessionAccess()
token_auth = TokenAccess()
