from django.urls import path

from writecarenotes.assessments import views, views_results

app_name = "assessments"

urlpatterns: list = [
    path("", views.due, name="due"),
    path("panel/", views.due_panel, name="panel"),
    path("units/<int:unit_id>/due/", views.due, name="unit_due"),
    path("tools/", views.tool_library, name="tools"),
    path("tools/<slug:slug>/", views.tool_detail, name="tool"),
    path("settings/", views.settings_list, name="settings"),
    path("settings/<slug:slug>/", views.settings_edit, name="settings_edit"),
    path("residents/<int:resident_id>/", views.resident_assessments, name="resident"),
    path("residents/<int:resident_id>/ask/", views.ask_for_assessment, name="ask"),
    path("residents/<int:resident_id>/results/<int:pk>/", views_results.result_detail, name="result"),
    path("residents/<int:resident_id>/results/<int:pk>/correct/", views_results.correct, name="correct"),
    path("residents/<int:resident_id>/<slug:slug>/", views_results.tool_history, name="history"),
    path("residents/<int:resident_id>/<slug:slug>/new/", views_results.assess, name="assess"),
]
