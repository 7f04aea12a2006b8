"""The "Assessments due" dashboard panel (``AssessmentsConfig.wcn_dashboard_panels``).

The dashboard itself runs no assessment queries: the panel is a placeholder whose counts are
loaded with htmx from ``assessments:panel`` (``views.due_panel``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def dashboard_panel(request) -> dict | None:
    access = getattr(request, "access", None)
    if access is None or not access.can("assessments", "view"):
        return None
    return {"title": _("Assessments due"), "template": "assessments/panel.html", "order": 25}
