"""Pages of the specialist pathways: the residents on pathways, a resident's pathways (one tab per
pathway), starting and ending a pathway, the pathway documents (current version, form, history),
the printable missing-person sheet, the templates, and the home's equipment servicing list.

The forms of entries and registers are in ``views_pathways_records``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from writecarenotes.care_planning import pathways_queries as q
from writecarenotes.care_planning.forms_pathways import DocumentForm, EndForm, StartForm, document_initial
from writecarenotes.care_planning.models.pathways import REGISTER_MODELS, DocumentKind, Pathway, PathwayDocument
from writecarenotes.care_planning.pathways_documents import display_value, spec_for
from writecarenotes.care_planning.pathways_templates import pathway_template, pathway_templates
from writecarenotes.care_planning.services_pathways import (
    document_history,
    end_pathway,
    save_document,
    start_pathway,
    versions_of,
)
from writecarenotes.care_planning.services_pathways_rehab import DUE_SOON_DAYS, maintenance_due
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.audit.versions import history
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import CareHome
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other
from writecarenotes.residents.public import (
    current_residents,
    get_resident_or_404,
    resuscitation,
)

TABS = [
    (Pathway.PALLIATIVE, _("End of life")),
    (Pathway.DEMENTIA, _("Dementia")),
    (Pathway.REHABILITATION, _("Rehabilitation")),
    (Pathway.MENTAL_HEALTH, _("Mental health")),
]


resident_or_404 = get_resident_or_404  # a resident of the active scope, or a 404


def pathway_or_404(pathway: str) -> str:
    if pathway not in Pathway.values:
        raise Http404(_("No such pathway."))
    return pathway


def tab_url(ref, pathway: str) -> str:
    return reverse("care_planning:pathways_tab", args=[ref.id, pathway])


def read(request, ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


def base_context(request, ref, current: str = "") -> dict:
    access = request.access
    return {
        "resident": ref,
        "tabs": [{"key": k, "label": label, "url": tab_url(ref, k), "current": k == current} for k, label in TABS],
        "overview_url": reverse("care_planning:pathways_resident", args=[ref.id]),
        "can_record": access.can("care_planning", "record") and ref.is_current,
        "can_manage": access.can("care_planning", "manage") and ref.is_current,
        "may_record": access.can("care_planning", "record"),
        "is_deceased": ref.status == "deceased",
    }


def form_page(
    request, form, action, *, template: str, context: dict, success_url: str, message: str, read_part: str = ""
):
    """Run ``action(form)`` for a valid POST (service errors go next to their fields); Post/Redirect/Get.
    A form that shows the resident's existing record (``read_part``) records the read when shown."""
    if read_part and request.method != "POST":
        read(request, context["resident"], read_part)
    if request.method == "POST" and form.is_valid():
        try:
            action(form)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, message)
            return see_other(success_url)
    status = 422 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


# --- lists ---------------------------------------------------------------------------------------


@requires("care_planning", "view")
def pathway_residents(request):
    """The home's current residents with the pathways they are on (2 queries and the scope's)."""
    from writecarenotes.care_planning.models.pathways import PathwayEnrolment

    residents = current_residents()
    on: dict[int, list] = {}
    for e in PathwayEnrolment.objects.filter(ended_on__isnull=True, resident_id__in=[r.id for r in residents]):
        on.setdefault(e.resident_id, []).append(e)
    rows = [{"resident": r, "enrolments": on.get(r.id, [])} for r in residents]
    return render(request, "care_planning/pathways/home.html", {"rows": rows})


@requires("care_planning", "view")
def templates_page(request):
    return render(request, "care_planning/pathways/templates.html", {"templates": pathway_templates()})


@requires("care_planning", "view")
def equipment_due(request):
    items = maintenance_due()
    names = {r.id: r for r in current_residents()}
    rows = [{"item": i, "resident": names.get(i.equipment.resident_id)} for i in items]
    return render(
        request,
        "care_planning/pathways/equipment_due.html",
        {"rows": rows, "overdue": sum(1 for i in items if i.overdue), "soon_days": DUE_SOON_DAYS},
    )


# --- a resident's pathways -----------------------------------------------------------------------


@requires("care_planning", "view")
def resident_pathways(request, resident_id: int):
    ref = resident_or_404(resident_id)
    read(request, ref, "specialist pathways")
    ctx = base_context(request, ref)
    overview = q.overview(ref.id)
    cards = []
    for key, label in TABS:
        cards.append(
            {
                "key": key,
                "label": label,
                "url": tab_url(ref, key),
                "enrolment": overview["enrolments"].get(key),
                "documents": overview["documents"].get(key, []),
                "template": pathway_template(key),
            }
        )
    return render(request, "care_planning/pathways/resident.html", {**ctx, "cards": cards, "overview": overview})


@requires("care_planning", "view")
def pathway_tab(request, resident_id: int, pathway: str):
    pathway = pathway_or_404(pathway)
    ref = resident_or_404(resident_id)
    read(request, ref, f"pathway {pathway}")
    ctx = base_context(request, ref, pathway)
    section = q.SECTIONS[pathway](ref.id)
    enrolment = q.enrolments(ref.id).get(pathway)
    return render(
        request,
        f"care_planning/pathways/tab_{pathway}.html",
        {
            **ctx,
            **section,
            "pathway": pathway,
            "enrolment": enrolment,
            "template": pathway_template(pathway),
            "start_form": StartForm() if ctx["can_manage"] and enrolment is None else None,
            # the profile's DNACPR / ReSPECT record, shown (not copied) on the end-of-life tab
            "resuscitation": resuscitation(ref.id) if pathway == "palliative" else None,
        },
    )


@requires("care_planning", "manage")
@idempotent_form
def start(request, resident_id: int, pathway: str):
    pathway = pathway_or_404(pathway)
    ref = resident_or_404(resident_id)
    if request.method != "POST":
        return see_other(tab_url(ref, pathway))
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            start_pathway(
                resident_id=ref.id, pathway=pathway, user=request.user, started_on=form.cleaned_data["started_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Pathway started."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return see_other(tab_url(ref, pathway))


@requires("care_planning", "manage")
@idempotent_form
def end(request, resident_id: int, pathway: str):
    pathway = pathway_or_404(pathway)
    ref = resident_or_404(resident_id)
    enrolment = q.enrolments(ref.id).get(pathway)
    if enrolment is None:
        raise Http404(_("The resident is not on this pathway."))
    form = EndForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda f: end_pathway(enrolment, reason=f.cleaned_data["reason"], ended_on=f.cleaned_data["ended_on"]),
        template="care_planning/pathways/form.html",
        context={
            **base_context(request, ref, pathway),
            "title": _("End the %(p)s pathway") % {"p": Pathway(pathway).label},
        },
        success_url=tab_url(ref, pathway),
        message=_("Pathway ended."),
    )


# --- documents -----------------------------------------------------------------------------------


def _spec_or_404(kind: str):
    spec = spec_for(kind)
    if spec is None:
        raise Http404(_("No such document."))
    return spec


def _document(ref, kind: str) -> PathwayDocument | None:
    return PathwayDocument.objects.filter(resident_id=ref.id, kind=kind).select_related("updated_by").first()


def _rows(spec, doc) -> list[tuple[str, list[tuple[str, str]]]]:
    data = doc.data if doc else {}
    return [
        (title, [(str(f.label), display_value(f, data.get(f.key))) for f in fields])
        for title, fields in spec.sections()
    ]


@requires("care_planning", "view")
def document_detail(request, resident_id: int, kind: str):
    spec = _spec_or_404(kind)
    ref = resident_or_404(resident_id)
    doc = _document(ref, spec.kind)
    read(request, ref, f"pathway document {spec.kind}")
    ctx = base_context(request, ref, spec.pathway)
    can_write = request.access.can("care_planning", "record") and (
        ref.is_current or (spec.after_death and ctx["is_deceased"])
    )
    return render(
        request,
        "care_planning/pathways/document.html",
        {**ctx, "spec": spec, "doc": doc, "rows": _rows(spec, doc), "can_write": can_write},
    )


@requires("care_planning", "record")
@idempotent_form
def document_edit(request, resident_id: int, kind: str):
    spec = _spec_or_404(kind)
    ref = resident_or_404(resident_id)
    doc = _document(ref, spec.kind)
    form = DocumentForm(
        request.POST or None, initial=document_initial(doc) if doc else None, spec=spec, editing=doc is not None
    )

    def action(f):
        save_document(
            resident_id=ref.id,
            kind=spec.kind,
            values=f.values(),
            user=request.user,
            reason=f.cleaned_data.get("reason", ""),
            review_on=f.cleaned_data.get("review_on"),
        )

    return form_page(
        request,
        form,
        action,
        template="care_planning/pathways/document_form.html",
        context={**base_context(request, ref, spec.pathway), "spec": spec, "doc": doc},
        success_url=reverse("care_planning:pathways_document", args=[ref.id, spec.kind]),
        message=_("%(title)s saved.") % {"title": spec.title},
        read_part=f"pathway document {spec.kind} (form)" if doc else "",
    )


@requires("care_planning", "view")
def document_history_page(request, resident_id: int, kind: str):
    spec = _spec_or_404(kind)
    ref = resident_or_404(resident_id)
    doc = _document(ref, spec.kind)
    if doc is None:
        raise Http404(_("Not written yet."))
    read(request, ref, f"pathway document {spec.kind} history")
    return render(
        request,
        "care_planning/pathways/document_history.html",
        {**base_context(request, ref, spec.pathway), "spec": spec, "doc": doc, "versions": document_history(doc)},
    )


@requires("care_planning", "view")
def register_history(request, resident_id: int, register: str, pk: int):
    model = REGISTER_MODELS.get(register)
    if model is None:
        raise Http404(_("No such record."))
    ref = resident_or_404(resident_id)
    row = model.objects.filter(pk=pk, resident_id=ref.id).first()
    if row is None:
        raise Http404(_("No such record."))
    read(request, ref, f"pathway {register} {pk} history")
    versions = list(reversed(history(versions_of(row))))
    hidden = {"version", "updated_at", "due_notified_for", "overdue_notified_for"}
    for v in versions:
        v.changes = [c for c in v.changes if c.name not in hidden]
    return render(
        request,
        "care_planning/pathways/register_history.html",
        {**base_context(request, ref), "row": row, "model_name": model._meta.verbose_name, "versions": versions},
    )


@requires("care_planning", "view")
def missing_person_sheet(request, resident_id: int):
    """The printable missing-person profile (Herbert Protocol) from the walking-about document."""
    ref = resident_or_404(resident_id)
    spec = spec_for(DocumentKind.WANDERING)
    doc = _document(ref, spec.kind)
    if doc is None:
        raise Http404(_("The missing-person profile has not been written yet."))
    read(request, ref, "missing-person profile")
    home = CareHome.objects.filter(pk=ref.home_id).only("name", "address").first()
    data = doc.data or {}
    profile = [
        (str(f.label), display_value(f, data.get(f.key)))
        for f in spec.fields
        if f.section and f.key not in ("photo_on_file", "photo_taken_on", "consent")
    ]
    return render(
        request,
        "care_planning/pathways/missing_person.html",
        {
            "resident": ref,
            "home": home,
            "doc": doc,
            "profile": profile,
            "photo_on_file": bool(data.get("photo_on_file")),
            "photo_taken_on": data.get("photo_taken_on"),
            "medical": data.get("medical", ""),
            "gps": data.get("gps_details", ""),
        },
    )
