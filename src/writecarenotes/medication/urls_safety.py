"""Pages of the safety checks (under /medication/, names safety_*)."""

from django.urls import path

from writecarenotes.medication import views_safety as v

urlpatterns = [
    path("safety/overrides/", v.overrides, name="safety_overrides"),
    path("safety/overrides/<int:override_id>/", v.override_page, name="safety_override"),
    path("safety/rules/", v.rules_page, name="safety_rules"),
]
