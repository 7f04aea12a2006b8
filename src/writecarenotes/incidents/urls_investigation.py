"""Pages of investigation and learning (under /incidents/, namespace incidents)."""

from django.urls import path

from writecarenotes.incidents import views_investigation as v
from writecarenotes.incidents import views_trends as t

urlpatterns = [
    path("<int:incident_id>/investigation/", v.investigation_detail, name="investigation_detail"),
    path("<int:incident_id>/investigation/open/", v.investigation_open, name="investigation_open"),
    path("<int:incident_id>/investigation/assign/", v.investigation_assign, name="investigation_assign"),
    path("<int:incident_id>/investigation/findings/", v.investigation_findings, name="investigation_findings"),
    path("<int:incident_id>/investigation/whys/", v.why_add, name="investigation_why_add"),
    path("<int:incident_id>/investigation/whys/<int:why_id>/", v.why_change, name="investigation_why_change"),
    path("<int:incident_id>/investigation/factors/", v.factor_add, name="investigation_factor_add"),
    path(
        "<int:incident_id>/investigation/factors/<int:factor_id>/withdraw/",
        v.factor_withdraw,
        name="investigation_factor_withdraw",
    ),
    path("<int:incident_id>/investigation/actions/", v.action_add, name="investigation_action_add"),
    path("<int:incident_id>/investigation/complete/", v.investigation_complete, name="investigation_complete"),
    path("<int:incident_id>/investigation/lessons/new/", v.lesson_new, name="investigation_lesson_new"),
    path("actions/", v.actions_open, name="actions_open"),
    path("actions/<int:action_id>/done/", v.action_done, name="actions_done"),
    path("lessons/", v.lessons_index, name="lessons_index"),
    path("lessons/<int:lesson_id>/", v.lesson_detail, name="lessons_detail"),
    path("lessons/<int:lesson_id>/read/", v.lesson_read, name="lessons_read"),
    path("trends/", t.trends_page, name="trends"),
    path("trends/summary/<int:year>/<int:month>/", t.summary_page, name="trends_summary"),
    path("trends/summary/<int:year>/<int:month>/pdf/", t.summary_pdf_view, name="trends_summary_pdf"),
    path("trends/summary/<int:year>/<int:month>/csv/", t.summary_csv_view, name="trends_summary_csv"),
]
