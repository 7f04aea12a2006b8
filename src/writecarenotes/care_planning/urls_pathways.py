"""Pages of the specialist pathways, under /care-plans/ (namespace ``care_planning``, names ``pathways_*``)."""

from django.urls import path

from writecarenotes.care_planning import views_pathways as v
from writecarenotes.care_planning import views_pathways_records as r

P = "residents/<int:resident_id>/pathways/"

pathways_urlpatterns = [
    path("pathways/", v.pathway_residents, name="pathways_home"),
    path("pathways/templates/", v.templates_page, name="pathways_templates"),
    path("pathways/equipment/", v.equipment_due, name="pathways_equipment_due"),
    path(P, v.resident_pathways, name="pathways_resident"),
    path(P + "missing-person/", v.missing_person_sheet, name="pathways_missing_person"),
    path(P + "documents/<slug:kind>/", v.document_detail, name="pathways_document"),
    path(P + "documents/<slug:kind>/edit/", v.document_edit, name="pathways_document_edit"),
    path(P + "documents/<slug:kind>/history/", v.document_history_page, name="pathways_document_history"),
    path(P + "history/<slug:register>/<int:pk>/", v.register_history, name="pathways_register_history"),
    # palliative and end of life (31)
    path(P + "symptoms/new/", r.new_symptoms, name="pathways_symptoms_new"),
    path(P + "medicines/new/", r.new_medicine, name="pathways_medicine_new"),
    path(P + "medicines/<int:pk>/change/", r.change_medicine, name="pathways_medicine_change"),
    path(P + "medicines/<int:pk>/stop/", r.stop_medicine, name="pathways_medicine_stop"),
    path(P + "advance-decisions/new/", r.new_decision, name="pathways_decision_new"),
    path(P + "advance-decisions/<int:pk>/check/", r.change_decision, name="pathways_decision_change"),
    # mental health (29)
    path(P + "mood/new/", r.new_mood, name="pathways_mood_new"),
    path(P + "contacts/new/", r.new_contact, name="pathways_contact_new"),
    path(P + "contacts/<int:pk>/change/", r.change_contact, name="pathways_contact_change"),
    path(P + "contacts/<int:pk>/end/", r.end_contact, name="pathways_contact_end"),
    # rehabilitation (32)
    path(P + "goals/new/", r.new_goal, name="pathways_goal_new"),
    path(P + "goals/<int:pk>/", r.goal_detail, name="pathways_goal"),
    path(P + "goals/<int:pk>/measure/", r.measure_goal, name="pathways_goal_measure"),
    path(P + "goals/<int:pk>/change/", r.change_goal, name="pathways_goal_change"),
    path(P + "goals/<int:pk>/close/", r.close_goal, name="pathways_goal_close"),
    path(P + "sessions/new/", r.new_session, name="pathways_session_new"),
    path(P + "equipment/new/", r.new_equipment, name="pathways_equipment_new"),
    path(P + "equipment/<int:pk>/service/", r.service_equipment, name="pathways_equipment_service"),
    path(P + "equipment/<int:pk>/return/", r.return_equipment, name="pathways_equipment_return"),
    # entries: one with its history, and its correction
    path(P + "entries/<slug:kind>/<int:pk>/", r.entry_detail, name="pathways_entry"),
    path(P + "entries/<slug:kind>/<int:pk>/correct/", r.correct, name="pathways_entry_correct"),
    # one pathway's tab (after the fixed paths above), starting and ending it
    path(P + "<slug:pathway>/", v.pathway_tab, name="pathways_tab"),
    path(P + "<slug:pathway>/start/", v.start, name="pathways_start"),
    path(P + "<slug:pathway>/end/", v.end, name="pathways_end"),
]
