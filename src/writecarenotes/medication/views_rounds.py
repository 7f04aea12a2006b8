"""Pages of the medication round: the round for a unit and a time slot (recording each dose from its row, by
htmx or a plain form POST), a PRN dose's effect, a correction, and the alerts for the nurse."""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication import reason_codes
from writecarenotes.medication.forms_rounds import (
    NOT_GIVEN_OUTCOMES,
    AcknowledgeForm,
    AdministrationForm,
    CorrectionForm,
    EffectForm,
)
from writecarenotes.medication.models import Administration, AlertStatus, MedicationAlert, MedicationOrder
from writecarenotes.medication.services_rounds import (
    AdministrationNotFound,
    OrderNotFound,
    SafetyRefused,
    correct_administration,
    record_administration,
    record_prn_effect,
)
from writecarenotes.medication.services_rounds_alerts import (
    AlertNotFound,
    acknowledge_alert,
    effect_checks_due,
    open_alerts,
)
from writecarenotes.medication.services_rounds_round import build_round
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import ResidentNotFound, get_resident


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _unit(value) -> Unit | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return Unit.objects.filter(pk=pk).first()


def _round_params(source) -> tuple[Unit | None, date, str]:
    return _unit(source.get("unit")), _day(source.get("date")), (source.get("slot") or "").strip()[:5]


def _attach_forms(rnd, bound: dict | None = None) -> None:
    """The order that was just refused gets its bound form back (with the messages); every other dose gets
    the light "Given" form (``_dose_quick.html``: a key, no Django form) and loads its "Not given" form
    only when opened. A round of 60 residents has hundreds of doses: full forms for each made the page
    several times slower (benchmarks/medication_round.py)."""
    bound = bound or {}
    for row in rnd.rows:
        for item in [*row.doses, *row.prn]:
            item.form = bound.get(item.order.pk)
            item.key = uuid.uuid4()
        row.open = any(item.form is not None for item in [*row.doses, *row.prn])
        states = [item.state for item in row.doses]
        parts = [
            (_("%(n)s due now") % {"n": states.count("due")}) if "due" in states else "",
            (_("%(n)s late") % {"n": states.count("late")}) if "late" in states else "",
            (_("%(n)s not open yet") % {"n": states.count("not_open")}) if "not_open" in states else "",
            (_("%(n)s recorded") % {"n": states.count("recorded")}) if "recorded" in states else "",
        ]
        row.counts_text = ", ".join(p for p in parts if p) or _("Nothing due in this slot")
        row.due_count = states.count("due") + states.count("late")
        row.critical = any(item.time_critical and item.state != "recorded" for item in row.doses)


#: a round of more residents than this shows each resident as one line (what is due, what is done) and
#: opens their medicines on a tap: a unit of 60 with every dose's form came to half a megabyte and half a
#: second (benchmarks/medication_round.py); a small unit shows everything at once
EXPAND_UP_TO = 10


def _round_context(request, unit, day, slot, bound=None) -> dict:
    units = list(Unit.objects.order_by("sort_order", "name"))
    if unit is None and len(units) == 1:
        unit = units[0]
    rnd = build_round(unit_id=unit.pk if unit else None, day=day, slot=slot)
    _attach_forms(rnd, bound)
    return {
        "round": rnd,
        "units": units,
        "unit": unit,
        "today": timezone.localdate(),
        "is_today": day == timezone.localdate(),
        "expanded": len(rnd.rows) <= EXPAND_UP_TO,
        "can_record": request.access.can("medication", "record"),
        "query": urlencode({"unit": unit.pk if unit else "", "slot": rnd.slot, "date": day.isoformat()}),
        "reason_choices": reason_codes.REASON_CODES,
        **_choices(),
    }


def _choices() -> dict:
    """The dose forms' choices, translated once for the page (a round has a form per dose)."""
    return {
        "ng_choices": [("", "—"), *((v, str(label)) for v, label in NOT_GIVEN_OUTCOMES)],
        "rc_choices": [("", "—"), *((v, str(label)) for v, label in reason_codes.choices_for())],
    }


@requires("medication", "view")
def round_page(request):
    """/medication/round/?unit=&slot=08:00&date=: who is due what in the slot (default: the current one)."""
    unit, day, slot = _round_params(request.GET)
    return render(request, "medication/rounds/round.html", _round_context(request, unit, day, slot))


@requires("medication", "view")
def round_row(request, resident_id: int):
    """One resident's row of the round (htmx swaps it in after a dose is recorded)."""
    unit, day, slot = _round_params(request.GET)
    context = _round_context(request, unit, day, slot)
    row = next((r for r in context["round"].rows if r.resident.id == resident_id), None)
    if row is None:
        raise Http404(_("No such resident on this round."))
    if request.htmx:
        return render(request, "medication/rounds/_resident.html", {**context, "row": row})
    return render(request, "medication/rounds/resident.html", {**context, "row": row})


def _dose_form_page(request, order):
    """GET: the dose's full form: the "Not given" part alone for htmx (loaded when "Not given…" is
    opened on the round), or a page with the whole form (without JavaScript)."""
    unit, day, slot = _round_params(request.GET)
    due = (request.GET.get("due_at") or "").strip()[:40]
    form = AdministrationForm(order=order, initial={"due_at": due})
    context = {
        "form": form,
        "order": order,
        "unit": unit,
        "round": {"slot": slot, "day": day},
        "prn": order.is_prn,
        "query": urlencode({"unit": unit.pk if unit else "", "slot": slot, "date": day.isoformat()}),
        **_choices(),
    }
    if request.htmx:
        return render(request, "medication/rounds/_dose_not_given.html", context)
    return render(request, "medication/rounds/dose.html", context)


@requires("medication", "record")
@idempotent_form
def record_dose(request, order_id: int):
    """POST a dose's outcome from its row; htmx gets the row back, a plain form the round page."""
    order = MedicationOrder.objects.select_related("medicine").filter(pk=order_id).first()
    if order is None:
        raise Http404(_("No such prescription."))
    if request.method != "POST":
        return _dose_form_page(request, order)
    unit, day, slot = _round_params(request.POST)
    query = urlencode({"unit": unit.pk if unit else "", "slot": slot, "date": day.isoformat()})
    form = AdministrationForm(request.POST, order=order)
    if form.is_valid():
        try:
            adm = record_administration(
                order.pk, user=request.user, access=request.access, request=request, **form.values()
            )
        except SafetyRefused as exc:
            form.apply_errors(exc)
            form.show_override = exc.may_override
        except ValidationError as exc:
            form.apply_errors(exc)
        except OrderNotFound:
            raise Http404(_("No such prescription.")) from None
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("Recorded: %(medicine)s, %(outcome)s.")
                    % {"medicine": order.medicine.name, "outcome": adm.get_outcome_display().lower()},
                )
            if request.htmx:
                return see_other(reverse("medication:round_row", args=[order.resident_id]) + "?" + query)
            return see_other(
                reverse("medication:round_row", args=[order.resident_id])
                + "?"
                + query
                + f"#resident-{order.resident_id}"
            )
    if form.data.get("override_reason"):
        form.show_override = True
    context = _round_context(request, unit, day, slot, bound={order.pk: form})
    if request.htmx:
        row = next((r for r in context["round"].rows if r.resident.id == order.resident_id), None)
        if row is not None:
            return render(request, "medication/rounds/_resident.html", {**context, "row": row})
    return render(request, "medication/rounds/round.html", context, status=422)


def _administration_or_404(pk: int) -> Administration:
    adm = Administration.objects.select_related("order__medicine", "recorded_by", "witness").filter(pk=pk).first()
    if adm is None:
        raise Http404(_("No such record."))
    return adm


def _resident_name(resident_id: int) -> str:
    try:
        return get_resident(resident_id).display_name
    except ResidentNotFound:
        return ""


@requires("medication", "record")
@idempotent_form
def effect_page(request, administration_id: int):
    adm = _administration_or_404(administration_id)
    form = EffectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_prn_effect(
                adm.pk, user=request.user, effect=form.cleaned_data["effect"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        except AdministrationNotFound:
            raise Http404(_("No such record.")) from None
        else:
            messages.success(request, _("The effect was recorded."))
            return see_other(reverse("medication:alerts"))
    return render(
        request,
        "medication/rounds/effect.html",
        {"adm": adm, "form": form, "resident_name": _resident_name(adm.resident_id)},
        status=422 if request.method == "POST" else 200,
    )


@requires("medication", "record")
@idempotent_form
def correct_page(request, administration_id: int):
    adm = _administration_or_404(administration_id)
    form = CorrectionForm(request.POST or None, administration=adm)
    form.show_override = bool(request.POST.get("override_reason"))
    if request.method == "POST" and form.is_valid():
        try:
            correct_administration(adm.pk, user=request.user, access=request.access, if_match=None, **form.values())
        except SafetyRefused as exc:
            form.apply_errors(exc)
            form.show_override = exc.may_override
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The record was corrected."))
            return see_other(reverse("medication:mar", args=[adm.resident_id]))
    return render(
        request,
        "medication/rounds/correct.html",
        {"adm": adm, "form": form, "resident_name": _resident_name(adm.resident_id)},
        status=422 if request.method == "POST" else 200,
    )


@requires("medication", "view")
def alerts_page(request):
    """The nurse's list: doses refused or not given on consecutive days, and PRN effects to check."""
    status = request.GET.get("status", AlertStatus.OPEN)
    if status not in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
        status = AlertStatus.OPEN
    return render(
        request,
        "medication/rounds/alerts.html",
        {
            "alerts": open_alerts(status=status, limit=200),
            "status": status,
            "checks": effect_checks_due(limit=200),
            "can_record": request.access.can("medication", "record"),
        },
    )


@requires("medication", "record")
@idempotent_form
def alert_page(request, alert_id: int):
    alert = MedicationAlert.objects.select_related("order__medicine", "acknowledged_by").filter(pk=alert_id).first()
    if alert is None:
        raise Http404(_("No such alert."))
    form = AcknowledgeForm(request.POST or None) if alert.status == AlertStatus.OPEN else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            acknowledge_alert(alert.pk, user=request.user, note=form.cleaned_data["gp_contact_note"])
        except ValidationError as exc:
            form.apply_errors(exc)
        except AlertNotFound:
            raise Http404(_("No such alert.")) from None
        else:
            messages.success(request, _("The GP contact was recorded."))
            return see_other(reverse("medication:alerts"))
    records = (
        Administration.objects.filter(
            order_id=alert.order_id, due_at__date__gte=alert.first_day, due_at__date__lte=alert.last_day
        )
        .select_related("recorded_by")
        .order_by("due_at")
    )
    return render(
        request,
        "medication/rounds/alert.html",
        {"alert": alert, "form": form, "records": list(records), "resident_name": _resident_name(alert.resident_id)},
        status=422 if request.method == "POST" else 200,
    )


def dashboard_panel(request) -> dict | None:
    """ "Medicines to follow up": open alerts and PRN effects due, for those who record medication."""
    access = getattr(request, "access", None)
    if access is None or not access.can("medication", "record") or access.active_home is None:
        return None
    alerts = MedicationAlert.objects.filter(status=AlertStatus.OPEN).count()
    checks = Administration.objects.filter(
        effect_due_at__isnull=False, effect="", effect_due_at__lte=timezone.now()
    ).count()
    if not (alerts or checks):
        return None
    return {
        "title": _("Medicines to follow up"),
        "template": "medication/rounds/panel.html",
        "order": 11,
        "alerts": alerts,
        "checks": checks,
    }
