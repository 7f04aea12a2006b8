"""A second person who confirms an action with their own credential (controlled drugs, destruction).

The Misuse of Drugs Regulations 2001 and NICE SC1 (1.13) ask for a second, trained member of staff
to witness the administration, receipt and destruction of controlled drugs. The witness types their
own e-mail and password on the same device; ``verify_witness`` checks it through Django's
authentication (so failed attempts count towards django-axes' lock-out), that the witness is a
different person from the one recording, and that they may view medication in the home.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from writecarenotes.platform.identity.access import build_access

__all__ = ["verify_witness"]


def verify_witness(request, *, home_id: int, email: str, password: str, not_user_id: int, field: str = "witness"):
    """The witness user, or ValidationError on ``field`` saying why not."""
    email = (email or "").strip()
    if not email or not password:
        raise ValidationError({field: [_("A witness must confirm with their own e-mail and password.")]})
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise ValidationError({field: [_("The witness's e-mail or password is not right.")]})
    if user.pk == not_user_id:
        raise ValidationError({field: [_("The witness must be a different person from the one recording.")]})
    access = build_access(user, home_id)
    if access.active_home is None or access.active_home.pk != home_id or not access.can("medication", "view"):
        raise ValidationError({field: [_("The witness is not a member of staff who handles medicines in this home.")]})
    return user
