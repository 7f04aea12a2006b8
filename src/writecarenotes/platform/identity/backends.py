from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with an e-mail address (case-insensitive). Inactive users cannot log in or stay in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from writecarenotes.platform.identity.models import User

        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            User().set_password(password)  # same time cost whether or not the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
