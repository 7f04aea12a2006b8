from django.urls import path

from writecarenotes.residents import views
from writecarenotes.residents import views_edit as e

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("new/", e.new_enquiry, name="new"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/journey/", views.resident_journey, name="journey"),
    path("<int:pk>/photo/", views.resident_photo, name="photo"),
    path("<int:pk>/photo/change/", e.upload_photo, name="photo_upload"),
    path("<int:pk>/dnacpr/document/", views.dnacpr_document, name="dnacpr_document"),
    path("<int:pk>/edit/identity/", e.edit_identity, name="edit_identity"),
    path("<int:pk>/edit/health/", e.edit_health, name="edit_health"),
    path("<int:pk>/edit/about/", e.edit_about, name="edit_about"),
    path("<int:pk>/edit/dnacpr/", e.edit_dnacpr, name="edit_dnacpr"),
    path("<int:pk>/allergies/add/", e.add_allergy, name="add_allergy"),
    path("<int:pk>/allergies/none/", e.no_known_allergies, name="no_known_allergies"),
    path("<int:pk>/allergies/<int:allergy_id>/remove/", e.end_allergy, name="end_allergy"),
    path("<int:pk>/diagnoses/add/", e.add_diagnosis, name="add_diagnosis"),
    path("<int:pk>/diagnoses/<int:diagnosis_id>/", e.diagnosis_status, name="diagnosis_status"),
    path("<int:pk>/contacts/add/", e.add_contact, name="add_contact"),
    path("<int:pk>/contacts/<int:contact_id>/", e.edit_contact, name="edit_contact"),
    path("<int:pk>/contacts/<int:contact_id>/remove/", e.remove_contact, name="remove_contact"),
    path("<int:pk>/lpa/add/", e.add_attorney, name="add_attorney"),
    path("<int:pk>/lpa/<int:lpa_id>/end/", e.end_attorney, name="end_attorney"),
    path("<int:pk>/lpa/<int:lpa_id>/document/", views.attorney_document, name="attorney_document"),
    path("<int:pk>/pre-admission/", e.pre_admission, name="pre_admission"),
    path("<int:pk>/admit/", e.admit, name="admit"),
    path("<int:pk>/room/", e.change_room, name="change_room"),
    path("<int:pk>/absence/", e.absence, name="absence"),
    path("<int:pk>/return/", e.record_return, name="return"),
    path("<int:pk>/discharge/", e.discharge, name="discharge"),
    path("<int:pk>/death/", e.death, name="death"),
]
