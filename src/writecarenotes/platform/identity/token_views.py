"""API token pages: create (the token is shown once), list and revoke a user's own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.forms import TokenCreateForm, capability_label
from writecarenotes.platform.identity.guards import second_factor_redirect
from writecarenotes.platform.identity.permissions import signed_in
from writecarenotes.platform.identity.tokens import ApiToken


def _rows(user):
    tokens = ApiToken.objects.filter(user=user).select_related("home").order_by("-created_at")
    return [{"token": t, "capabilities": [capability_label(c) for c in t.capabilities]} for t in tokens]


@signed_in
def token_list(request):
    blocked = second_factor_redirect(request)
    if blocked is not None:
        return blocked
    home = request.access.active_home
    grantable = services.grantable_capabilities(request.user, home) if home is not None else []
    form = TokenCreateForm(grantable, request.POST or None) if home is not None else None
    issued = None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Choose one home before creating a token."))
            return redirect("identity:tokens")
        if form.is_valid():
            try:
                issued = services.create_api_token(
                    request.user,
                    home=home,
                    name=form.cleaned_data["name"],
                    capabilities=form.cleaned_data["capabilities"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    for err in errs:
                        form.add_error(field if field in form.fields else None, err)
            else:
                form = TokenCreateForm(grantable)
    response = render(
        request,
        "identity/tokens.html",
        {"form": form, "home": home, "issued": issued, "rows": _rows(request.user)},
    )
    if issued:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@signed_in
def token_revoke(request, pk: int):
    try:
        token = services.revoke_api_token(request.user, pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("The token “%(name)s” was revoked and no longer works.") % {"name": token.name})
    return redirect("identity:tokens")
