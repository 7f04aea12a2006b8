"""Denied attempts (identity.permissions.on_denial) and sign-in events (Django and axes signals)."""

from __future__ import annotations

from writecarenotes.platform.audit import services


def on_denied(request, context: str, action: str) -> None:
    services.record_denied(f"{context}:{action}", detail={"path": request.path[:300], "method": request.method})


def on_logged_in(sender, request, user, **kwargs) -> None:
    services.record_auth("auth.login", user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        services.record_auth("auth.logout", user=user)


def _user_by_email(email: str):
    from writecarenotes.platform.identity.models import User

    return User.objects.filter(email__iexact=email).first() if email else None


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password with asterisks; only the e-mail is kept.
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    user = _user_by_email(email)
    if user is not None:
        services.record_auth("auth.login_failed", user=user)
    else:
        services.record_auth("auth.login_failed", email=email, detail={"known_user": False})


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    email = str(username or "")[:254]
    user = _user_by_email(email)
    if user is not None:
        services.record_auth("auth.locked_out", user=user)
    else:
        services.record_auth("auth.locked_out", email=email, detail={"known_user": False})
