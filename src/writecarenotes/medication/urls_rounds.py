"""Pages of the round, the alerts and the MAR chart (namespace medication)."""

from django.urls import path

from writecarenotes.medication import views_mar, views_rounds

urlpatterns = [
    path("round/", views_rounds.round_page, name="round"),
    path("round/residents/<int:resident_id>/", views_rounds.round_row, name="round_row"),
    path("round/orders/<int:order_id>/record/", views_rounds.record_dose, name="round_record"),
    path("administrations/<int:administration_id>/effect/", views_rounds.effect_page, name="prn_effect"),
    path("administrations/<int:administration_id>/correct/", views_rounds.correct_page, name="correct"),
    path("alerts/", views_rounds.alerts_page, name="alerts"),
    path("alerts/<int:alert_id>/", views_rounds.alert_page, name="alert"),
    path("residents/<int:resident_id>/mar/", views_mar.mar_page, name="mar"),
    path("residents/<int:resident_id>/mar.pdf", views_mar.mar_pdf_view, name="mar_pdf"),
]
