"""The Users page of the active home, and deactivating a user (with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.capabilities import ROLES
from writecarenotes.platform.identity.forms import DeactivateForm
from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.identity.permissions import requires


def _memberships_here(access):
    """Memberships in the active home (or every home of the scope) plus the organisation's own."""
    home_ids = [h.pk for h in access.homes] if access.all_homes else [access.active_home.pk]
    return Membership.objects.filter(
        Q(home_id__in=home_ids) | Q(home__isnull=True, organisation_id=access.organisation_id)
    ).select_related("home", "user")


def _users_here(access) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    for m in _memberships_here(access).order_by("user__full_name", "pk"):
        row = rows.setdefault(m.user_id, {"user": m.user, "roles": []})
        where = m.home.name if m.home_id else _("all homes")
        row["roles"].append(f"{ROLES[m.role].label} ({where})")
    return rows


@requires("users", "view")
def user_list(request):
    access = request.access
    rows = _users_here(access)
    enrolled = set(TOTPDevice.objects.filter(user_id__in=list(rows), confirmed=True).values_list("user_id", flat=True))
    can_manage = access.can("users", "manage")
    for row in rows.values():
        row["two_factor"] = row["user"].pk in enrolled
        row["can_deactivate"] = (
            can_manage and row["user"].is_active and services.can_deactivate(request.user, row["user"])
        )
    return render(
        request,
        "identity/users.html",
        {"rows": list(rows.values()), "home": access.active_home, "all_homes": access.all_homes},
    )


@requires("users", "manage")
def user_deactivate(request, pk: int):
    rows = _users_here(request.access)
    if pk not in rows:
        raise Http404
    target: User = rows[pk]["user"]
    if not target.is_active or not services.can_deactivate(request.user, target):
        raise PermissionDenied("cannot deactivate this user")
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_user(request.user, target, form.cleaned_data["reason"])
        except ValidationError as exc:
            for err in exc.message_dict.get("reason", []):
                form.add_error("reason", err)
        else:
            messages.success(
                request,
                _("%(name)s can no longer log in; their sessions and API tokens have ended.")
                % {"name": target.display_name},
            )
            return redirect("identity:users")
    return render(
        request,
        "identity/user_deactivate.html",
        {"target": target, "roles": rows[pk]["roles"], "form": form},
        status=400 if form.errors else 200,
    )
