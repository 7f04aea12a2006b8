from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from writecarenotes.platform.identity.access import ALL_HOMES, build_access
from writecarenotes.platform.identity.permissions import public, signed_in
from writecarenotes.platform.tenancy.middleware import SESSION_KEY
from writecarenotes.platform.web.dashboard import dashboard_panels


@signed_in
def dashboard(request):
    return render(request, "web/dashboard.html", {"panels": dashboard_panels(request)})


@require_POST
@signed_in
def switch_home(request):
    wanted = request.POST.get("home", "")
    access = build_access(request.user, wanted)
    ok = (wanted == ALL_HOMES and access.all_homes) or (
        access.active_home is not None and str(access.active_home.pk) == wanted
    )
    if ok:
        request.session[SESSION_KEY] = wanted
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    # Object pages of the old home would 404 in the new one: go to the dashboard instead.
    if target.count("/") > 3:
        target = "/"
    if not ok:
        return HttpResponse(status=403)
    return redirect(target)


@public
def healthz(request):
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)
