from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.decorators import method_decorator

from writecarenotes.platform.identity.capabilities import ACTIONS, ROLES, matrix_rows
from writecarenotes.platform.identity.forms import EmailLoginForm
from writecarenotes.platform.identity.permissions import public, requires, signed_in


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "identity/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expired"] = self.request.session.pop("wcn_expired", False)
        return ctx


login_view = public(LoginView.as_view())
logout_view = signed_in(auth_views.LogoutView.as_view())


@requires("users", "view")
def access_table(request):
    return render(
        request,
        "identity/access_table.html",
        {"roles": list(ROLES.values()), "rows": matrix_rows(), "actions": ACTIONS},
    )
