"""Vital signs pages, included by care_records.urls under /care/."""

from django.urls import path

from writecarenotes.care_records import vitals_views as v

urlpatterns: list = [
    path("residents/<int:resident_id>/vital-signs/", v.vitals_trend, name="vitals_trend"),
    path("residents/<int:resident_id>/vital-signs/new/", v.vitals_new, name="vitals_new"),
    path("residents/<int:resident_id>/vital-signs/scale/", v.spo2_scale, name="vitals_scale"),
    path("residents/<int:resident_id>/vital-signs/<int:pk>/", v.vitals_result, name="vitals_result"),
    path("residents/<int:resident_id>/vital-signs/<int:pk>/sbard/", v.sbard_new, name="vitals_sbard"),
]
urlpatterns.append(
    path("residents/<int:resident_id>/vital-signs/<int:pk>/correct/", v.vitals_correct, name="vitals_correct")
)
