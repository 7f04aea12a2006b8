"""Pages of the follow-up tasks (under the incidents pages prefix, namespace incidents, names followups_*)."""

from django.urls import path

from writecarenotes.incidents import views_followups as v

urlpatterns = [
    path("followups/", v.checks, name="followups_checks"),
    path("followups/<int:task_id>/", v.task_page, name="followups_task"),
    path("<int:incident_id>/followups/", v.incident_page, name="followups_incident"),
]
