"""``writecarenotes createadmin``: a new organisation (provider) and its first provider admin."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.tenancy.models import Organisation


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:40]
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_provider_admin(email: str, full_name: str, organisation_name: str, password: str) -> User:
    """Create the organisation and a user who is its provider admin (every home of it).

    Raises ValidationError naming every problem at once (field -> messages): e-mail missing,
    malformed or already used, name or organisation name blank, organisation name taken,
    password refused by the password validators.
    """
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    organisation_name = (organisation_name or "").strip()
    errors: dict[str, list[str]] = {}

    if not email:
        errors.setdefault("email", []).append(_("An e-mail address is required."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors.setdefault("email", []).append(
                    _("A user with the e-mail address %(email)s already exists.") % {"email": email}
                )
    if not full_name:
        errors.setdefault("full_name", []).append(_("The admin's full name is required."))
    if not organisation_name:
        errors.setdefault("organisation", []).append(_("The organisation's name is required."))
    elif Organisation.objects.filter(name__iexact=organisation_name).exists():
        errors.setdefault("organisation", []).append(
            _("An organisation called %(name)s already exists.") % {"name": organisation_name}
        )
    if not password:
        errors.setdefault("password", []).append(_("A password is required."))
    else:
        try:
            validate_password(password, User(email=email, full_name=full_name))
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        organisation = Organisation.objects.create(name=organisation_name, slug=_unique_slug(organisation_name))
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        Membership.objects.create(user=user, organisation=organisation, home=None, role="provider_admin")
    return user
