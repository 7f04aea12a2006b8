"""Pages that record the pathways' entries and registers: symptom observations, anticipatory medicines,
advance decisions (31); mood entries and mental health team contacts (29); goals, measurements,
sessions and equipment (32); an entry with its history, and its correction (strike through, replace).
"""

from __future__ import annotations

import copy

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.care_planning import pathways_queries as q
from writecarenotes.care_planning import services_pathways_mental as mental
from writecarenotes.care_planning import services_pathways_palliative as palliative
from writecarenotes.care_planning import services_pathways_rehab as rehab
from writecarenotes.care_planning.forms_pathways import (
    CloseGoalForm,
    ContactChangeForm,
    ContactForm,
    CorrectionForm,
    DecisionChangeForm,
    DecisionForm,
    EquipmentForm,
    GoalChangeForm,
    GoalForm,
    MeasureForm,
    MedicineChangeForm,
    MedicineForm,
    MoodForm,
    ServiceForm,
    SessionForm,
    StopForm,
    SymptomForm,
)
from writecarenotes.care_planning.models.pathways import (
    ENTRY_MODELS,
    AdvanceDecision,
    AnticipatoryMedicine,
    GoalStatus,
    MentalHealthContact,
    Pathway,
    TherapyEquipment,
    TherapyGoal,
)
from writecarenotes.care_planning.services_pathways import correct_entry, history_of
from writecarenotes.care_planning.views_pathways import base_context, form_page, read, resident_or_404, tab_url
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form

FORM = "care_planning/pathways/form.html"
PALLIATIVE, DEMENTIA, MENTAL, REHAB = (
    Pathway.PALLIATIVE,
    Pathway.DEMENTIA,
    Pathway.MENTAL_HEALTH,
    Pathway.REHABILITATION,
)
KIND_PATHWAY = {"symptoms": PALLIATIVE, "mood": MENTAL, "sessions": REHAB, "measurements": REHAB}


def _page(request, ref, form, action, *, pathway, title, message, template=FORM, extra=None, read_part=""):
    return form_page(
        request,
        form,
        action,
        template=template,
        context={**base_context(request, ref, pathway), "title": title, **(extra or {})},
        success_url=tab_url(ref, pathway),
        message=message,
        read_part=read_part,
    )


def _row_or_404(model, ref, pk):
    row = model.objects.filter(pk=pk, resident_id=ref.id).first()
    if row is None:
        raise Http404(_("No such record."))
    return row


def _data(form, *names) -> dict:
    return {n: form.cleaned_data.get(n) for n in names}


def _model_values(form, names) -> dict:
    return {n: form.cleaned_data.get(n) for n in names}


# --- palliative (31) -----------------------------------------------------------------------------


@requires("care_planning", "record")
@idempotent_form
def new_symptoms(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = SymptomForm(request.POST or None)

    def action(f):
        palliative.record_symptoms(
            resident_id=ref.id,
            user=request.user,
            occurred_at=f.cleaned_data["occurred_at"],
            scores=f.scores(),
            rated_by=f.cleaned_data["rated_by"],
            actions=f.cleaned_data["actions"],
            notes=f.cleaned_data["notes"],
        )

    return _page(
        request,
        ref,
        form,
        action,
        pathway=PALLIATIVE,
        title=_("Symptom observation"),
        message=_("Symptoms recorded."),
        template="care_planning/pathways/symptoms_form.html",
    )


@requires("care_planning", "manage")
@idempotent_form
def new_medicine(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = MedicineForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: palliative.record_anticipatory_medicine(
            resident_id=ref.id, user=request.user, **_model_values(f, palliative.MEDICINE_FIELDS)
        ),
        pathway=PALLIATIVE,
        title=_("Anticipatory medicine"),
        message=_("Anticipatory medicine recorded."),
    )


@requires("care_planning", "manage")
def change_medicine(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    med = _row_or_404(AnticipatoryMedicine, ref, pk)
    form = MedicineChangeForm(request.POST or None, instance=med)
    values = lambda f: _model_values(f, palliative.MEDICINE_FIELDS)  # noqa: E731
    return _page(
        request,
        ref,
        form,
        lambda f: palliative.change_anticipatory_medicine(med, values=values(f), reason=f.cleaned_data["reason"]),
        pathway=PALLIATIVE,
        title=_("Change %(drug)s") % {"drug": med.drug},
        message=_("Medicine changed."),
        read_part=f"pathway medicine {pk} (form)",
    )


@requires("care_planning", "manage")
def stop_medicine(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    med = _row_or_404(AnticipatoryMedicine, ref, pk)
    form = StopForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: palliative.stop_anticipatory_medicine(
            med, reason=f.cleaned_data["reason"], stopped_on=f.cleaned_data["on"]
        ),
        pathway=PALLIATIVE,
        title=_("Stop %(drug)s") % {"drug": med.drug},
        message=_("Medicine stopped."),
        read_part=f"pathway medicine {pk} (form)",
    )


@requires("care_planning", "manage")
@idempotent_form
def new_decision(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = DecisionForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: palliative.record_advance_decision(
            resident_id=ref.id, user=request.user, **_model_values(f, palliative.DECISION_FIELDS)
        ),
        pathway=PALLIATIVE,
        title=_("Advance decision to refuse treatment"),
        message=_("Advance decision recorded."),
        extra={"intro": AdvanceDecision.__doc__},
    )


@requires("care_planning", "manage")
def change_decision(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    decision = _row_or_404(AdvanceDecision, ref, pk)
    form = DecisionChangeForm(request.POST or None, instance=decision)
    return _page(
        request,
        ref,
        form,
        lambda f: palliative.recheck_advance_decision(
            decision, values=_model_values(f, palliative.DECISION_FIELDS), reason=f.cleaned_data["reason"]
        ),
        pathway=PALLIATIVE,
        title=_("Check the advance decision again"),
        message=_("Advance decision updated."),
        read_part=f"pathway advance decision {pk} (form)",
    )


# --- mental health (29) --------------------------------------------------------------------------


@requires("care_planning", "record")
@idempotent_form
def new_mood(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = MoodForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: mental.record_mood(
            resident_id=ref.id,
            user=request.user,
            **_data(f, "occurred_at", "mood_score", "observations", "behaviour", "triggers", "de_escalation"),
        ),
        pathway=MENTAL,
        title=_("Mood and behaviour"),
        message=_("Mood recorded."),
    )


@requires("care_planning", "record")
@idempotent_form
def new_contact(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = ContactForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: mental.add_contact(resident_id=ref.id, user=request.user, **_model_values(f, mental.CONTACT_FIELDS)),
        pathway=MENTAL,
        title=_("Community mental health team contact"),
        message=_("Contact added."),
    )


@requires("care_planning", "record")
def change_contact(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    contact = _row_or_404(MentalHealthContact, ref, pk)
    form = ContactChangeForm(request.POST or None, instance=contact)
    return _page(
        request,
        ref,
        form,
        lambda f: mental.change_contact(
            contact, values=_model_values(f, mental.CONTACT_FIELDS), reason=f.cleaned_data["reason"]
        ),
        pathway=MENTAL,
        title=_("Change the contact"),
        message=_("Contact changed."),
        read_part=f"pathway contact {pk} (form)",
    )


@requires("care_planning", "record")
def end_contact(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    contact = _row_or_404(MentalHealthContact, ref, pk)
    form = StopForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: mental.end_contact(contact, reason=f.cleaned_data["reason"], ended_on=f.cleaned_data["on"]),
        pathway=MENTAL,
        title=_("No longer involved: %(team)s") % {"team": contact.team},
        message=_("Contact ended."),
        read_part=f"pathway contact {pk} (form)",
    )


# --- rehabilitation (32) -------------------------------------------------------------------------


@requires("care_planning", "record")
@idempotent_form
def new_goal(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = GoalForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: rehab.add_goal(resident_id=ref.id, user=request.user, **_model_values(f, rehab.GOAL_FIELDS)),
        pathway=REHAB,
        title=_("Therapy goal"),
        message=_("Goal added."),
    )


@requires("care_planning", "view")
def goal_detail(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    goal = _row_or_404(TherapyGoal, ref, pk)
    read(request, ref, f"therapy goal {goal.pk}")
    view = next(v for v in q.goals(ref.id) if v.goal.pk == goal.pk)
    return render(
        request,
        "care_planning/pathways/goal.html",
        {
            **base_context(request, ref, REHAB),
            "view": view,
            "goal": goal,
            "chart": view.chart,
            "is_barthel": goal.measure in rehab.BARTHEL_RANGE,
            "is_open": goal.status == GoalStatus.ACTIVE,
        },
    )


def _goal_url(ref, goal) -> str:
    return reverse("care_planning:pathways_goal", args=[ref.id, goal.pk])


@requires("care_planning", "record")
@idempotent_form
def measure_goal(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    goal = _row_or_404(TherapyGoal, ref, pk)
    form = MeasureForm(request.POST or None)

    def action(f):
        rehab.measure_goal(
            goal,
            user=request.user,
            value=f.cleaned_data.get("value"),
            occurred_at=f.cleaned_data.get("occurred_at"),
            notes=f.cleaned_data.get("notes", ""),
            from_assessment=f.cleaned_data.get("from_assessment", False),
        )

    return form_page(
        request,
        form,
        action,
        template=FORM,
        context={**base_context(request, ref, REHAB), "title": _("Measure: %(g)s") % {"g": goal.description}},
        success_url=_goal_url(ref, goal),
        message=_("Measurement recorded."),
        read_part=f"therapy goal {pk} (form)",
    )


@requires("care_planning", "record")
def change_goal(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    goal = _row_or_404(TherapyGoal, ref, pk)
    form = GoalChangeForm(
        request.POST or None,
        initial={"description": goal.description, "target_value": goal.target_value, "target_on": goal.target_on},
    )
    return form_page(
        request,
        form,
        lambda f: rehab.change_goal(
            goal, values=_data(f, "description", "target_value", "target_on"), reason=f.cleaned_data["reason"]
        ),
        template=FORM,
        context={**base_context(request, ref, REHAB), "title": _("Change the goal")},
        success_url=_goal_url(ref, goal),
        message=_("Goal changed."),
        read_part=f"therapy goal {pk} (form)",
    )


@requires("care_planning", "record")
def close_goal(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    goal = _row_or_404(TherapyGoal, ref, pk)
    form = CloseGoalForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda f: rehab.close_goal(goal, status=f.cleaned_data["status"], reason=f.cleaned_data["reason"]),
        template=FORM,
        context={**base_context(request, ref, REHAB), "title": _("Close the goal")},
        success_url=_goal_url(ref, goal),
        message=_("Goal closed."),
        read_part=f"therapy goal {pk} (form)",
    )


def _session_form(request, ref, data=None, initial=None):
    goals = TherapyGoal.objects.filter(resident_id=ref.id, status=GoalStatus.ACTIVE)
    return SessionForm(data, initial=initial, goals=list(goals))


@requires("care_planning", "record")
@idempotent_form
def new_session(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = _session_form(request, ref, request.POST or None)

    def action(f):
        values = _data(
            f, "occurred_at", "therapist", "discipline", "duration_minutes", "activity", "progress_rating", "notes"
        )
        rehab.record_session(resident_id=ref.id, user=request.user, goal_id=f.cleaned_data.get("goal"), **values)

    return _page(
        request,
        ref,
        form,
        action,
        pathway=REHAB,
        title=_("Therapy session"),
        message=_("Session recorded."),
        read_part="therapy goals (session form)",
    )


@requires("care_planning", "record")
@idempotent_form
def new_equipment(request, resident_id: int):
    ref = resident_or_404(resident_id)
    form = EquipmentForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: rehab.issue_equipment(
            resident_id=ref.id, user=request.user, **_model_values(f, rehab.EQUIPMENT_FIELDS)
        ),
        pathway=REHAB,
        title=_("Equipment issued"),
        message=_("Equipment recorded."),
    )


@requires("care_planning", "record")
def service_equipment(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    equipment = _row_or_404(TherapyEquipment, ref, pk)
    form = ServiceForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: rehab.record_service(equipment, **_data(f, "serviced_on", "next_service_due", "notes")),
        pathway=REHAB,
        title=_("Service or check: %(item)s") % {"item": equipment},
        message=_("Service recorded."),
        read_part=f"pathway equipment {pk} (form)",
    )


@requires("care_planning", "record")
def return_equipment(request, resident_id: int, pk: int):
    ref = resident_or_404(resident_id)
    equipment = _row_or_404(TherapyEquipment, ref, pk)
    form = StopForm(request.POST or None)
    return _page(
        request,
        ref,
        form,
        lambda f: rehab.return_equipment(equipment, reason=f.cleaned_data["reason"], returned_on=f.cleaned_data["on"]),
        pathway=REHAB,
        title=_("Returned: %(item)s") % {"item": equipment},
        message=_("Equipment returned."),
        read_part=f"pathway equipment {pk} (form)",
    )


# --- an entry, its history and its correction ----------------------------------------------------


def _entry_or_404(kind: str, ref, pk: int):
    model = ENTRY_MODELS.get(kind)
    if model is None:
        raise Http404(_("No such entry."))
    return _row_or_404(model, ref, pk)


@requires("care_planning", "view")
def entry_detail(request, resident_id: int, kind: str, pk: int):
    ref = resident_or_404(resident_id)
    entry = _entry_or_404(kind, ref, pk)
    read(request, ref, f"pathway {kind} {pk}")
    return render(
        request,
        "care_planning/pathways/entry.html",
        {
            **base_context(request, ref, KIND_PATHWAY[kind]),
            "entry": entry,
            "kind": kind,
            "chain": history_of(entry),
            "title": str(entry._meta.verbose_name).capitalize(),
        },
    )


def _correction_form(kind, entry, data, ref):
    """The kind's recording form with the entry's values, and a function from it to the new values."""
    if kind == "symptoms":
        initial = {k: ("na" if v is None else str(v)) for k, v in entry.scores().items()}
        initial.update(rated_by=entry.rated_by, actions=entry.actions, notes=entry.notes, occurred_at=entry.occurred_at)
        form = SymptomForm(data, initial=initial)
        return form, lambda f: {**palliative.clean_scores(f.scores()), **_data(f, "rated_by", "actions", "notes")}
    if kind == "mood":
        initial = {
            n: getattr(entry, n) for n in ("mood_score", "observations", "behaviour", "triggers", "de_escalation")
        }
        form = MoodForm(data, initial={**initial, "occurred_at": entry.occurred_at})
        return form, lambda f: {
            **_data(f, "mood_score", "behaviour", "triggers", "de_escalation"),
            "observations": mental.clean_observations(f.cleaned_data["observations"]),
        }
    if kind == "sessions":
        names = ("therapist", "discipline", "duration_minutes", "activity", "progress_rating", "notes")
        initial = {n: getattr(entry, n) for n in names}
        form = _session_form(
            None, ref, data, initial={**initial, "goal": entry.goal_id, "occurred_at": entry.occurred_at}
        )

        def values(f):
            goal_id = f.cleaned_data.get("goal")
            goal = TherapyGoal.objects.filter(pk=goal_id, resident_id=ref.id).first() if goal_id else None
            return {**_data(f, *names), "goal": goal}

        return form, values
    form = MeasureForm(data, initial={"value": entry.value, "notes": entry.notes, "occurred_at": entry.occurred_at})
    form.fields.pop("from_assessment")
    return form, lambda f: {
        "value": rehab.check_value(entry.goal.measure, f.cleaned_data["value"], "value"),
        "notes": f.cleaned_data["notes"],
    }


@requires("care_planning", "record")
def correct(request, resident_id: int, kind: str, pk: int):
    ref = resident_or_404(resident_id)
    entry = _entry_or_404(kind, ref, pk)
    if entry.is_struck:
        raise Http404(_("This entry has already been corrected."))
    form, values = _correction_form(kind, entry, request.POST or None, ref)
    form.fields.pop("idempotency_key", None)
    form.fields["reason"] = copy.deepcopy(CorrectionForm.base_fields["reason"])

    def action(f):
        correct_entry(
            entry,
            reason=f.cleaned_data.get("reason", ""),
            new_values=values(f),
            user=request.user,
            occurred_at=f.cleaned_data.get("occurred_at"),
        )

    return form_page(
        request,
        form,
        action,
        template="care_planning/pathways/symptoms_form.html" if kind == "symptoms" else FORM,
        context={**base_context(request, ref, KIND_PATHWAY[kind]), "title": _("Correct the entry"), "correcting": True},
        success_url=reverse("care_planning:pathways_entry", args=[ref.id, kind, entry.pk]),
        message=_("Corrected: the original is struck through and kept."),
        read_part=f"pathway {kind} {pk} (correction form)",
    )
