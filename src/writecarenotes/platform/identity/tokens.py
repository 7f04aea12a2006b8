"""API tokens for integrations: hashed at rest, scoped to a home and capabilities, expiring, revocable.

A token looks like ``wcn_<prefix>_<secret>``. Only the SHA-256 of the whole token is stored;
the token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.tenancy.models import CareHome

TOKEN_PREFIX = "wcn_"  # noqa: S105  (a public marker, not a secret)
MAX_LIFETIME = timedelta(days=365)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey("identity.User", on_delete=models.CASCADE, related_name="api_tokens")
    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    #: "context:action" strings; the token can never do more than its user's role allows.
    capabilities = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    #: the user's security stamp when the token was made: rotating it (log out everywhere,
    #: deactivation) ends every token too.
    user_stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.user.is_active
            and self.user.security_stamp == self.user_stamp
        )


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def issue_token(*, user, home: CareHome, name: str, capabilities: list[str], lifetime: timedelta) -> IssuedToken:
    if lifetime <= timedelta(0) or lifetime > MAX_LIFETIME:
        raise ValueError("A token lives between one day and one year.")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        home=home,
        name=name,
        prefix=prefix,
        digest=_digest(raw),
        capabilities=sorted(set(capabilities)),
        expires_at=timezone.now() + lifetime,
        user_stamp=user.security_stamp,
    )
    return IssuedToken(token=token, raw=raw)


def find_token(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user", "home").filter(digest=_digest(raw)).first()
    if token is None or not token.is_usable:
        return None
    return token
