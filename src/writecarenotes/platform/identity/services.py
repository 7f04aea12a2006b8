"""State changes of identity and access, each a named function inside one transaction.

Two-factor enrolment and recovery codes, API tokens, "log out everywhere" and deactivating a
user. Views and the API call these; nothing else changes these rows. The audit trail hooks
in here (Platform II), so every function takes the acting user where it matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from writecarenotes.platform.audit.services import record_change
from writecarenotes.platform.identity.models import Membership, User, _new_stamp
from writecarenotes.platform.identity.tokens import ApiToken, IssuedToken, issue_token
from writecarenotes.platform.tenancy.models import CareHome

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DEVICE_NAME = "authenticator app"
TOKEN_LIFETIMES_DAYS = (30, 90, 365)


# --- Two-factor -------------------------------------------------------------------------


def has_two_factor(user) -> bool:
    """True when the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user) -> TOTPDevice:
    """Return the user's pending (unconfirmed) authenticator device, creating one if needed.

    Re-opening the set-up page keeps the same secret, so a code from an app that already
    scanned the QR code still works.
    """
    with transaction.atomic():
        if has_two_factor(user):
            raise PermissionDenied("two-factor is already set up")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        return device


def _normalise(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def confirm_enrolment(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a pending device with a code from the app; returns new recovery codes, or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(_normalise(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        record_change(
            "identity.two_factor_enrolled", target=user, before={"two_factor": False}, after={"two_factor": True}
        )
        return codes


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def regenerate_recovery_codes(user) -> list[str]:
    """Replace every recovery code of the user with ten new ones (the old ones stop working)."""
    with transaction.atomic():
        if not has_two_factor(user):
            raise PermissionDenied("two-factor is not set up")
        codes = _new_recovery_codes(user)
        record_change("identity.recovery_codes_replaced", target=user, before=None, after={"codes": len(codes)})
        return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class VerifyResult:
    device: object | None
    throttled: bool = False
    used_recovery_code: bool = False


def verify_second_factor(user, token: str) -> VerifyResult:
    """Check a code from the app (6 digits) or a single-use recovery code (used up on success)."""
    token = _normalise(token)
    if not token:
        return VerifyResult(None)
    with transaction.atomic():
        if token.isdigit() and len(token) == 6:
            devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
            recovery = False
        else:
            devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
            recovery = True
        throttled = False
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                return VerifyResult(device, used_recovery_code=recovery)
        return VerifyResult(None, throttled=throttled)


# --- Sessions and deactivation -----------------------------------------------------------


def logout_everywhere(user) -> None:
    """End every session and API token of the user by rotating their security stamp."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(security_stamp=_new_stamp())
        user.refresh_from_db(fields=["security_stamp"])
        record_change("identity.logged_out_everywhere", target=user, before=None, after=None)


def _where_can_manage_users(actor) -> tuple[set[int], set[int]]:
    """(home ids where the actor holds users:manage, organisations where they hold it for every home)."""
    from writecarenotes.platform.identity.capabilities import role_can

    homes: set[int] = set()
    orgs: set[int] = set()
    for m in Membership.objects.filter(user=actor):
        if not role_can(m.role, "users", "manage"):
            continue
        if m.home_id is None:
            orgs.add(m.organisation_id)
            homes |= set(CareHome.objects.filter(organisation_id=m.organisation_id).values_list("pk", flat=True))
        else:
            homes.add(m.home_id)
    return homes, orgs


def can_deactivate(actor, user) -> bool:
    """A manager may deactivate someone when they manage users in every home the person works in;
    organisation-level people can only be deactivated by an organisation-level manager."""
    if actor.pk == user.pk or not actor.is_active:
        return False
    homes, orgs = _where_can_manage_users(actor)
    memberships = list(Membership.objects.filter(user=user))
    if not memberships:
        return False
    for m in memberships:
        if m.home_id is None and m.organisation_id not in orgs:
            return False
        if m.home_id is not None and m.home_id not in homes:
            return False
    return True


def deactivate_user(actor, user, reason: str) -> User:
    """Deactivate a user: they cannot log in, and every session and API token ends at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for deactivating this account.")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not can_deactivate(actor, user):
            raise PermissionDenied("cannot deactivate this user")
        if not user.is_active:
            return user
        now = timezone.now()
        user.is_active = False
        user.security_stamp = _new_stamp()
        user.save(update_fields=["is_active", "security_stamp"])
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        record_change(
            "identity.user_deactivated",
            target=user,
            before={"is_active": True},
            after={"is_active": False, "tokens_revoked": revoked},
            reason=reason,
            reason_required=True,
            subject_label=user.email,
        )
        return user


# --- API tokens --------------------------------------------------------------------------


def grantable_capabilities(user, home: CareHome) -> list[str]:
    """The "context:action" strings the user's roles grant in ``home`` (org roles included)."""
    from writecarenotes.platform.identity.capabilities import capability_set

    roles = set(
        Membership.objects.filter(user=user, organisation_id=home.organisation_id, home__isnull=True).values_list(
            "role", flat=True
        )
    ) | set(Membership.objects.filter(user=user, home=home).values_list("role", flat=True))
    return sorted(f"{c}:{a}" for c, a in capability_set(frozenset(roles)))


def create_api_token(user, *, home: CareHome, name: str, capabilities: list[str], days: int) -> IssuedToken:
    """Issue a token for one home with some of the capabilities the user holds there."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, for example the system that will use it.")
    if days not in TOKEN_LIFETIMES_DAYS:
        errors["days"] = _("Choose 30, 90 or 365 days.")
    allowed = set(grantable_capabilities(user, home))
    if not capabilities:
        errors["capabilities"] = _("Choose at least one thing the token may do.")
    elif not set(capabilities) <= allowed:
        errors["capabilities"] = _("You can only give a token what your own role allows in this home.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issued = issue_token(user=user, home=home, name=name, capabilities=capabilities, lifetime=timedelta(days=days))
        record_change(
            "identity.api_token_issued",
            target=issued.token,
            home=home,
            before=None,
            after={"name": name, "prefix": issued.token.prefix, "capabilities": sorted(capabilities), "days": days},
        )
        return issued


def revoke_api_token(user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (it stops working at once)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_change(
                "identity.api_token_revoked",
                target=token,
                home=token.home_id,
                before={"revoked": False},
                after={"revoked": True, "prefix": token.prefix},
            )
        return token
