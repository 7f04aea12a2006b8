"""Log in and out, the profile page, "log out everywhere", password reset and the access table."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.capabilities import ACTIONS, ROLES, matrix_rows
from writecarenotes.platform.identity.forms import EmailLoginForm, EmailPasswordResetForm, NewPasswordForm
from writecarenotes.platform.identity.guards import with_next
from writecarenotes.platform.identity.permissions import public, requires, signed_in


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "identity/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expired"] = self.request.session.pop("wcn_expired", False)
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        # Anyone who has set up two-factor is asked for a code at every log-in.
        if settings.TWO_FACTOR_REQUIRED and services.has_two_factor(form.get_user()):
            return redirect(with_next("identity:two_factor_verify", self.get_success_url()))
        return response


login_view = public(LoginView.as_view())
logout_view = signed_in(auth_views.LogoutView.as_view())


@signed_in
def profile(request):
    user = request.user
    return render(
        request,
        "identity/profile.html",
        {
            "profile_user": user,
            "two_factor": services.has_two_factor(user),
            "token_count": user.api_tokens.filter(revoked_at__isnull=True).count(),
        },
    )


@require_POST
@signed_in
def logout_everywhere(request):
    services.logout_everywhere(request.user)
    logout(request)
    messages.success(request, _("You have been logged out on every device, and your API tokens have stopped working."))
    return redirect("identity:login")


@requires("users", "view")
def access_table(request):
    return render(
        request,
        "identity/access_table.html",
        {"roles": list(ROLES.values()), "rows": matrix_rows(), "actions": ACTIONS},
    )


# --- Password reset (Django's views in our page shell) -----------------------------------
# The "sent" page says the same thing whether or not an account exists for the address.

password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=EmailPasswordResetForm,
        template_name="identity/password_reset_form.html",
        email_template_name="identity/password_reset_email.txt",
        subject_template_name="identity/password_reset_subject.txt",
        success_url=reverse_lazy("identity:password_reset_done"),
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="identity/password_reset_done.html")
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def render_to_response(self, context, **kwargs):
        # A used, old or made-up link is "not found" (the page explains and offers a new link).
        if not context.get("validlink"):
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


password_reset_confirm = public(
    PasswordResetConfirmView.as_view(
        form_class=NewPasswordForm,
        template_name="identity/password_reset_confirm.html",
        success_url=reverse_lazy("identity:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="identity/password_reset_complete.html")
)
