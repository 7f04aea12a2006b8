from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from writecarenotes.platform.identity.capabilities import ACTIONS, CONTEXTS
from writecarenotes.platform.identity.services import TOKEN_LIFETIMES_DAYS


class EmailLoginForm(AuthenticationForm):
    # AuthenticationForm passes the request to authenticate(), which django-axes needs to
    # count failures per e-mail address and IP address.
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("That e-mail address and password do not match an active account."),
        "inactive": _("This account has been deactivated."),
    }


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("6-digit code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )


class VerifyTokenForm(OtpTokenForm):
    otp_token = forms.CharField(
        label=_("6-digit code"),
        help_text=_("The code from your authenticator app, or one of your recovery codes."),
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app, or a recovery code.")},
    )


class PasswordCheckForm(forms.Form):
    """Re-enter the password before a sensitive change."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deactivating"),
        max_length=500,
        widget=forms.TextInput(),
        error_messages={"required": _("Give a reason for deactivating this account.")},
    )


def capability_label(code: str) -> str:
    context, action = code.split(":", 1)
    return f"{CONTEXTS.get(context, context)}: {ACTIONS.get(action, action)}"


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use this token, for example “Pharmacy system”."),
        error_messages={"required": _("Give the token a name, for example the system that will use it.")},
    )
    capabilities = forms.MultipleChoiceField(
        label=_("What the token may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(d, _("%(days)s days") % {"days": d}) for d in TOKEN_LIFETIMES_DAYS],
        initial=90,
    )

    def __init__(self, grantable: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].choices = [(c, capability_label(c)) for c in grantable]


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NewPasswordForm(SetPasswordForm):
    pass
