"""Pages of the duties sub-domain (under the incidents pages prefix, namespace incidents, names duties_*)."""

from django.urls import path

from writecarenotes.incidents import views_duties as v

urlpatterns = [
    path("<int:incident_id>/duties/", v.incident_page, name="duties_incident"),
    path("<int:incident_id>/duties/steps/<int:step_id>/done/", v.record_step_view, name="duties_step_done"),
    path("<int:incident_id>/duties/steps/<int:step_id>/decline/", v.decline_step_view, name="duties_step_decline"),
    path("<int:incident_id>/duties/informed/", v.informed_view, name="duties_informed"),
]
