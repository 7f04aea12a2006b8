"""Pages of the risk register (under /care-plans/, namespace care_planning, names risks_*)."""

from django.urls import path

from writecarenotes.care_planning import views_risks as v

urlpatterns = [
    path("risks/", v.index, name="risks_index"),
    path("risks/overdue/", v.overdue, name="risks_overdue"),
    path("risks/panel/", v.panel, name="risks_panel"),
    path("units/<int:unit_id>/risks/overdue/", v.overdue, name="risks_unit_overdue"),
    path("residents/<int:resident_id>/risks/", v.resident_risks, name="risks_resident"),
    path("residents/<int:resident_id>/risks/new/", v.new_risk, name="risks_new"),
    path("residents/<int:resident_id>/risks/<int:pk>/", v.risk_detail, name="risks_detail"),
    path("residents/<int:resident_id>/risks/<int:pk>/change/", v.change, name="risks_change"),
    path("residents/<int:resident_id>/risks/<int:pk>/close/", v.close, name="risks_close"),
]
