from django.urls import include, path

from writecarenotes.care_records import views
from writecarenotes.care_records.vitals_urls import urlpatterns as vitals_urlpatterns

app_name = "care_records"

urlpatterns: list = [
    path("", include(vitals_urlpatterns)),
    path("", views.index, name="index"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/panel/", views.alerts_panel, name="alerts_panel"),
    path("units/<int:unit_id>/alerts/", views.alerts, name="unit_alerts"),
    path("units/<int:unit_id>/handover/", views.handover, name="handover"),
    path("units/<int:unit_id>/handover/items/", views.handover_add_item, name="handover_add_item"),
    path("units/<int:unit_id>/handover/sign-off/", views.handover_sign_off, name="handover_sign_off"),
    path("residents/<int:resident_id>/", views.resident_care, name="resident"),
    path("residents/<int:resident_id>/notes/new/", views.new_note, name="new_note"),
    path("residents/<int:resident_id>/settings/", views.chart_settings, name="chart_settings"),
    path("residents/<int:resident_id>/charts/<slug:chart>/new/", views.new_chart_entry, name="new_chart_entry"),
    path("residents/<int:resident_id>/<slug:kind>/", views.entry_list, name="entries"),
    path("residents/<int:resident_id>/<slug:kind>/<int:pk>/", views.entry_detail, name="entry"),
    path("residents/<int:resident_id>/<slug:kind>/<int:pk>/correct/", views.correct, name="correct"),
]
