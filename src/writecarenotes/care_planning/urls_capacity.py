"""Pages of the Mental Capacity Act records (under /care-plans/, namespace care_planning, names capacity_*)."""

from django.urls import path

from writecarenotes.care_planning import views_capacity as v
from writecarenotes.care_planning import views_capacity_liberty as lv

_R = "residents/<int:resident_id>/capacity/"

urlpatterns = [
    path("capacity/liberty/", lv.expiring, name="capacity_expiring"),
    path("capacity/panel/", lv.panel, name="capacity_panel"),
    path(_R, v.resident_capacity, name="capacity_resident"),
    path(_R + "assessments/new/", v.assess, name="capacity_assess"),
    path(_R + "assessments/<int:pk>/", v.assessment_detail, name="capacity_assessment"),
    path(_R + "assessments/<int:pk>/correct/", v.correct, name="capacity_correct"),
    path(_R + "best-interests/new/", v.decide, name="capacity_decide"),
    path(_R + "best-interests/<int:pk>/", v.decision_detail, name="capacity_decision"),
    path(_R + "liberty/new/", lv.new_liberty, name="capacity_liberty_new"),
    path(_R + "liberty/<int:pk>/", lv.liberty_detail, name="capacity_liberty"),
    path(_R + "liberty/<int:pk>/<slug:action>/", lv.liberty_action, name="capacity_liberty_action"),
]
