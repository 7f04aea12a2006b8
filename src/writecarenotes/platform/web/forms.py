"""Form helpers every service's pages share.

``ServiceErrorsMixin``: a service function raises ``ValidationError`` with field names; the form puts
each message next to its field (``field_aliases`` maps a service's name to the form's), the rest at the
top. Templates: ``web/_field.html`` renders one field with its label, help and errors (radio and
checkbox groups as a fieldset); ``web/_form_errors.html`` the summary at the top of a form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["DATE_WIDGET", "DATETIME_WIDGET", "ServiceErrorsMixin"]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the fields it names (others at the top of the form)."""

    field_aliases: dict[str, str] = {}

    def apply_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = self.field_aliases.get(key, key)
            self.add_error(name if name in self.fields else None, errors)
