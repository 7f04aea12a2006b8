"""Pages of investigation and learning (under /incidents/, names investigation_*, actions_*, lessons_*):
the investigation of an incident (investigator, 5 whys, contributory factors, actions, completion,
lessons), the open actions of the home, the lessons learned for staff with read receipts, and
``incident_panel`` for the incident's own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.incidents import services_investigation as inv_services
from writecarenotes.incidents import services_lessons as lessons
from writecarenotes.incidents.forms_investigation import (
    ActionDoneForm,
    ActionForm,
    AssignForm,
    CompleteForm,
    FactorForm,
    FindingsForm,
    LessonForm,
    OpenForm,
    ReasonForm,
    WhyChangeForm,
    WhyForm,
)
from writecarenotes.incidents.models import (
    CONTRIBUTORY_FACTORS_SOURCE,
    ContributoryFactor,
    Incident,
    InvestigationAction,
    LessonLearned,
    WhyStep,
)
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.platform.web.responses import see_other

STALE = _lazy("Someone changed this record since you opened it. Open it again to see the change, then retry.")


def etag(version) -> str | None:
    return f'"v{version}"' if version else None


def incident_or_404(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).select_related("home").first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _read(incident, part: str) -> None:
    record_read("incidents.incident", incident.pk, home=incident.home_id, part=part, label=incident.reference)


def _detail_url(incident_id: int, anchor: str = "") -> str:
    return reverse("incidents:investigation_detail", args=[incident_id]) + (f"#{anchor}" if anchor else "")


def panel_context(request, incident, inv) -> dict:
    """What the investigation panel and page show (six queries at most, whatever the counts)."""
    access = request.access
    ctx = {
        "incident": incident,
        "inv": inv,
        "today": timezone.localdate(),
        "can_record": access.can("incidents", "record"),
        "can_manage": access.can("incidents", "manage"),
        "policy_reason": inv_services.policy_reason(incident),
        "factors_source": CONTRIBUTORY_FACTORS_SOURCE,
    }
    if inv is not None:
        ctx.update(
            {
                "whys": list(inv.whys.select_related("added_by").order_by("position")),
                "factors": list(inv.factors.select_related("added_by").order_by("category", "pk")),
                "actions": list(inv.actions.select_related("owner", "done_by").order_by("status", "due_on", "pk")),
                "lessons": lessons.investigation_lessons(inv),
            }
        )
    return ctx


def incident_panel(request, incident) -> str:
    """HTML for the incident's page: the investigation's status, investigator, 5 whys, factors,
    actions with their done buttons, and lessons (the incident page includes it as it is)."""
    inv = inv_services.investigation_of(incident.pk)
    ctx = panel_context(request, incident, inv)
    if inv is None and ctx["can_manage"]:
        ctx["open_form"] = OpenForm(
            investigators=inv_services.eligible_investigators(incident.home_id), auto_id="open_%s"
        )
    return render_to_string("incidents/investigation/_panel.html", ctx, request=request)


def _page(request, incident, inv, *, status: int = 200, **forms):
    ctx = panel_context(request, incident, inv)
    if inv is not None and not inv.is_completed:
        investigators = list(inv_services.eligible_investigators(incident.home_id))
        defaults = {
            "assign_form": AssignForm(
                initial={"investigator": inv.investigator_id, "due_on": inv.due_on, "version": inv.version},
                investigators=investigators,
                auto_id="assign_%s",
            ),
            "findings_form": FindingsForm(
                initial={"findings": inv.findings, "conclusion": inv.conclusion, "version": inv.version},
                auto_id="findings_%s",
            ),
            "why_form": WhyForm(auto_id="why_%s"),
            "factor_form": FactorForm(auto_id="factor_%s"),
        }
        ctx.update(defaults)
    if inv is not None:
        ctx["action_form"] = ActionForm(owners=inv_services.staff_of_home(incident.home_id), auto_id="action_%s")
        ctx["lesson_link"] = ctx["can_manage"]
    elif ctx["can_manage"]:
        ctx["open_form"] = OpenForm(
            investigators=inv_services.eligible_investigators(incident.home_id), auto_id="open_%s"
        )
    ctx.update(forms)
    return render(request, "incidents/investigation/detail.html", ctx, status=status)


@requires("incidents", "view")
def investigation_detail(request, incident_id: int):
    incident = incident_or_404(incident_id)
    _read(incident, "investigation")
    return _page(request, incident, inv_services.investigation_of(incident.pk))


def _inv_or_404(incident):
    inv = inv_services.investigation_of(incident.pk)
    if inv is None:
        raise Http404(_("This incident has no investigation."))
    return inv


@requires("incidents", "manage")
def investigation_open(request, incident_id: int):
    incident = incident_or_404(incident_id)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = OpenForm(
        request.POST, investigators=inv_services.eligible_investigators(incident.home_id), auto_id="open_%s"
    )
    if form.is_valid():
        try:
            inv_services.open_investigation(
                incident.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                due_on=form.cleaned_data["due_on"],
                investigator_id=form.cleaned_data["investigator"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Investigation opened."))
            return see_other(_detail_url(incident.pk))
    return _page(request, incident, inv_services.investigation_of(incident.pk), status=422, open_form=form)


def _save(request, incident, inv, form, form_name: str, run, done: str, anchor: str):
    """Run a service for a valid form; on refusal show the page again with the messages (422)."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        except inv_services.NotFound:
            raise Http404(_("Not found.")) from None
        else:
            messages.success(request, done)
            return see_other(_detail_url(incident.pk, anchor))
    return _page(request, incident, inv_services.investigation_of(incident.pk), status=422, **{form_name: form})


@requires("incidents", "manage")
def investigation_assign(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = AssignForm(
        request.POST, investigators=inv_services.eligible_investigators(incident.home_id), auto_id="assign_%s"
    )

    def run(data):
        inv_services.update_investigation(
            inv.pk,
            user=request.user,
            values={"investigator_id": data["investigator"], "due_on": data["due_on"]},
            reason=_("Investigator assigned"),
            if_match=etag(data["version"]),
        )

    return _save(request, incident, inv, form, "assign_form", run, _("Investigator assigned."), "investigator")


@requires("incidents", "record")
def investigation_findings(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = FindingsForm(request.POST, auto_id="findings_%s")

    def run(data):
        inv_services.update_investigation(
            inv.pk,
            user=request.user,
            values={"findings": data["findings"], "conclusion": data["conclusion"]},
            reason=_("Findings recorded"),
            if_match=etag(data["version"]),
        )

    return _save(request, incident, inv, form, "findings_form", run, _("Findings saved."), "findings")


@requires("incidents", "record")
def why_add(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = WhyForm(request.POST, auto_id="why_%s")

    def run(data):
        inv_services.add_why(inv.pk, user=request.user, why=data["why"], because=data["because"])

    return _save(request, incident, inv, form, "why_form", run, _("Why recorded."), "whys")


@requires("incidents", "record")
def why_change(request, incident_id: int, why_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    step = WhyStep.objects.filter(pk=why_id, investigation=inv).first()
    if step is None:
        raise Http404(_("No such step."))
    form = WhyChangeForm(
        request.POST or None, initial={"why": step.why, "because": step.because, "version": step.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            inv_services.change_why(
                step.pk,
                user=request.user,
                why=form.cleaned_data["why"],
                because=form.cleaned_data["because"],
                reason=form.cleaned_data["reason"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Why corrected."))
            return see_other(_detail_url(incident.pk, "whys"))
    return render(
        request,
        "incidents/investigation/why_change.html",
        {"incident": incident, "step": step, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@requires("incidents", "record")
def factor_add(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = FactorForm(request.POST, auto_id="factor_%s")

    def run(data):
        inv_services.add_factor(inv.pk, user=request.user, category=data["category"], detail=data["detail"])

    return _save(request, incident, inv, form, "factor_form", run, _("Contributory factor recorded."), "factors")


@requires("incidents", "record")
def factor_withdraw(request, incident_id: int, factor_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    factor = ContributoryFactor.objects.filter(pk=factor_id, investigation=inv).first()
    if factor is None:
        raise Http404(_("No such factor."))
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = _("Why this factor did not contribute")
    if request.method == "POST" and form.is_valid():
        try:
            inv_services.withdraw_factor(factor.pk, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Factor withdrawn."))
            return see_other(_detail_url(incident.pk, "factors"))
    return render(
        request,
        "incidents/investigation/factor_withdraw.html",
        {"incident": incident, "factor": factor, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@requires("incidents", "record")
@idempotent_form
def action_add(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if request.method != "POST":
        return see_other(_detail_url(incident.pk))
    form = ActionForm(request.POST, owners=inv_services.staff_of_home(incident.home_id), auto_id="action_%s")

    def run(data):
        lessons.add_action(
            inv.pk, user=request.user, description=data["description"], owner_id=data["owner"], due_on=data["due_on"]
        )

    return _save(request, incident, inv, form, "action_form", run, _("Action added."), "actions")


@requires("incidents", "record")
def action_done(request, action_id: int):
    action = InvestigationAction.objects.filter(pk=action_id).select_related("incident", "owner").first()
    if action is None:
        raise Http404(_("No such action."))
    form = ActionDoneForm(request.POST or None, initial={"version": action.version, "done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            lessons.complete_action(
                action.pk,
                user=request.user,
                note=form.cleaned_data["done_note"],
                done_on=form.cleaned_data["done_on"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Action done."))
            back = request.POST.get("next") or ""
            if back.startswith("/") and not back.startswith("//"):
                return see_other(back)
            return see_other(_detail_url(action.incident_id, "actions"))
    return render(
        request,
        "incidents/investigation/action_done.html",
        {"action": action, "form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
        status=422 if request.method == "POST" else 200,
    )


@requires("incidents", "manage")
def investigation_complete(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    if inv.is_completed:
        return see_other(_detail_url(incident.pk))
    form = CompleteForm(
        request.POST or None, initial={"findings": inv.findings, "conclusion": inv.conclusion, "version": inv.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            inv_services.complete_investigation(
                inv.pk,
                user=request.user,
                findings=form.cleaned_data["findings"],
                conclusion=form.cleaned_data["conclusion"],
                if_match=etag(form.cleaned_data["version"]),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except PreconditionFailed:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Investigation completed."))
            return see_other(_detail_url(incident.pk))
    return render(
        request,
        "incidents/investigation/complete.html",
        {"incident": incident, "inv": inv, "form": form, "open_actions": inv.actions.filter(status="open").count()},
        status=422 if request.method == "POST" else 200,
    )


@requires("incidents", "manage")
def lesson_new(request, incident_id: int):
    incident = incident_or_404(incident_id)
    inv = _inv_or_404(incident)
    form = LessonForm(request.POST or None, roles=lessons.lesson_roles())
    if request.method == "POST" and form.is_valid():
        try:
            lesson = lessons.share_lesson(
                inv.pk,
                user=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                audience=form.cleaned_data["audience"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Lesson shared with staff."))
            return see_other(reverse("incidents:lessons_detail", args=[lesson.pk]))
    return render(
        request,
        "incidents/investigation/lesson_form.html",
        {"incident": incident, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- across the home ------------------------------------------------------------------------------


@requires("incidents", "view")
def actions_open(request):
    """Open actions of every investigation of the home (or the homes in scope), the most overdue first."""
    return render(
        request,
        "incidents/investigation/actions.html",
        {
            "actions": list(lessons.open_actions()),
            "today": timezone.localdate(),
            "can_record": request.access.can("incidents", "record"),
            "several_homes": len(getattr(request.access, "homes", [])) > 1 and request.access.all_homes,
        },
    )


@requires("incidents", "view")
def lessons_index(request):
    """The lessons learned shared with me (a manager sees all of them, with how many have read each)."""
    manager = request.access.can("incidents", "manage")
    rows = lessons.visible_lessons(request.access.roles, everything=manager)
    mine = set(
        lessons.LessonRead.objects.filter(user_id=request.user.pk, lesson_id__in=[r.pk for r in rows]).values_list(
            "lesson_id", flat=True
        )
    )
    return render(
        request,
        "incidents/investigation/lessons.html",
        {"rows": [(r, r.pk in mine) for r in rows], "manager": manager},
    )


def _lesson_or_404(request, lesson_id: int) -> LessonLearned:
    lesson = LessonLearned.objects.filter(pk=lesson_id).select_related("shared_by", "incident").first()
    if lesson is None:
        raise Http404(_("No such lesson."))
    if not request.access.can("incidents", "manage") and lesson not in lessons.visible_lessons(request.access.roles):
        raise Http404(_("No such lesson."))
    return lesson


@requires("incidents", "view")
def lesson_detail(request, lesson_id: int):
    lesson = _lesson_or_404(request, lesson_id)
    manager = request.access.can("incidents", "manage")
    read, unread = lessons.read_status(lesson) if manager else ([], [])
    return render(
        request,
        "incidents/investigation/lesson.html",
        {
            "lesson": lesson,
            "manager": manager,
            "read": read,
            "unread": unread,
            "has_read": lessons.has_read(lesson.pk, request.user),
            "in_audience": lessons.audience_of(lesson).filter(pk=request.user.pk).exists(),
        },
    )


@requires("incidents", "view")
def lesson_read(request, lesson_id: int):
    lesson = _lesson_or_404(request, lesson_id)
    if request.method == "POST":
        try:
            lessons.mark_read(lesson.pk, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your read receipt is recorded."))
    return see_other(reverse("incidents:lessons_detail", args=[lesson.pk]))
