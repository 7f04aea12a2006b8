"""Users (log in by e-mail) and their memberships: a role in a home, or in a whole organisation."""

from __future__ import annotations

import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.tenancy.models import CareHome, Organisation


def _new_stamp() -> str:
    return secrets.token_hex(16)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False, help_text="Django admin access (not used by the app).")
    date_joined = models.DateTimeField(default=timezone.now)
    #: Rotated to end every session and token of the user (log out everywhere, deactivation).
    security_stamp = models.CharField(max_length=32, default=_new_stamp, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en-gb")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    def get_session_auth_hash(self) -> str:
        # Django checks this on every request: changing the password OR the security stamp
        # invalidates every existing session of the user.
        return salted_hmac(
            "writecarenotes.identity.session",
            f"{self.password}:{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A user's role in one care home, or (home empty) in every home of an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    home = models.ForeignKey(
        CareHome,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Empty for an organisation-level role, which applies in every home."),
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.code, r.label) for r in ROLES.values()])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "home", "role"], name="uniq_membership"),
        ]

    def __str__(self) -> str:
        where = self.home.name if self.home_id else self.organisation.name
        return f"{self.user} - {ROLES[self.role].label} - {where}"


from writecarenotes.platform.identity.tokens import ApiToken  # noqa: E402,F401  (model registration)
