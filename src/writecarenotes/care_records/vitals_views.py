"""Vital signs pages: the phone entry form, the NEWS2 result with what to do, the trend, SBARD, SpO2 scale."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from writecarenotes.care_records import news2
from writecarenotes.care_records.forms import EntryForm
from writecarenotes.care_records.models import (
    Consciousness,
    ContactedService,
    SbardEscalation,
    SoftSign,
    Spo2Scale,
    VitalSigns,
    VitalSignsPlan,
)
from writecarenotes.care_records.models.vitals import check_ranges
from writecarenotes.care_records.services_notes import correct_entry
from writecarenotes.care_records.services_vitals import (
    VITALS_FIELDS,
    latest_vital_signs,
    next_due_at,
    record_sbard,
    record_vital_signs,
    set_spo2_scale,
    spo2_scale_for,
)
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.web.idempotent_forms import idempotent_form
from writecarenotes.residents.public import ResidentNotFound, get_resident

PARAMETER_LABELS = {
    "respiration_rate": _lazy("Breathing rate"),
    "spo2": _lazy("Oxygen saturation (SpO2)"),
    "on_oxygen": _lazy("Air or oxygen"),
    "systolic_bp": _lazy("Systolic blood pressure"),
    "pulse": _lazy("Pulse"),
    "consciousness": _lazy("Consciousness (ACVPU)"),
    "temperature": _lazy("Temperature"),
}
BAND_LABELS = {
    news2.LOW: _lazy("Low"),
    news2.LOW_MEDIUM: _lazy("Low-medium"),
    news2.MEDIUM: _lazy("Medium"),
    news2.HIGH: _lazy("High"),
}


def _numeric(mode: str = "numeric", unit: str = "") -> forms.TextInput:
    attrs = {"inputmode": mode, "autocomplete": "off", "class": "short"}
    if mode == "numeric":
        attrs["pattern"] = "[0-9]*"
    return forms.TextInput(attrs=attrs)


class VitalSignsForm(EntryForm):
    respiration_rate = forms.IntegerField(
        label=_lazy("Breathing rate (breaths per minute)"), required=False, widget=_numeric()
    )
    spo2 = forms.IntegerField(label=_lazy("Oxygen saturation SpO2 (%)"), required=False, widget=_numeric())
    on_oxygen = forms.TypedChoiceField(
        label=_lazy("Breathing air or on oxygen?"),
        choices=[("air", _lazy("Air")), ("oxygen", _lazy("Oxygen"))],
        coerce=lambda v: v == "oxygen",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    systolic_bp = forms.IntegerField(
        label=_lazy("Blood pressure: systolic, the top number (mmHg)"), required=False, widget=_numeric()
    )
    diastolic_bp = forms.IntegerField(
        label=_lazy("Blood pressure: diastolic, the bottom number (mmHg)"), required=False, widget=_numeric()
    )
    pulse = forms.IntegerField(label=_lazy("Pulse (beats per minute)"), required=False, widget=_numeric())
    consciousness = forms.ChoiceField(
        label=_lazy("Consciousness (ACVPU)"), choices=Consciousness.choices, required=False, widget=forms.RadioSelect
    )
    temperature = forms.DecimalField(
        label=_lazy("Temperature (°C)"), required=False, max_digits=4, decimal_places=2, widget=_numeric("decimal")
    )
    soft_signs = forms.MultipleChoiceField(
        label=_lazy("Soft signs (RESTORE2): tick any you notice"),
        choices=SoftSign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_lazy("Anything else (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        for name, message in check_ranges(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class VitalSignsCorrectionForm(VitalSignsForm):
    reason = forms.CharField(
        label=_lazy("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_from(cls, vs: VitalSigns) -> dict:
        initial = {name: getattr(vs, name) for name in VITALS_FIELDS}
        initial["on_oxygen"] = None if vs.on_oxygen is None else ("oxygen" if vs.on_oxygen else "air")
        initial["occurred_at"] = timezone.localtime(vs.occurred_at).replace(second=0, microsecond=0)
        return initial


class SbardForm(EntryForm):
    situation = forms.CharField(label=_lazy("Situation: what is happening now"), widget=forms.Textarea({"rows": 3}))
    background = forms.CharField(
        label=_lazy("Background: history, medicines, what is normal for them"), widget=forms.Textarea({"rows": 3})
    )
    assessment = forms.CharField(
        label=_lazy("Assessment: observations, NEWS2, soft signs"), widget=forms.Textarea({"rows": 3})
    )
    recommendation = forms.CharField(
        label=_lazy("Recommendation: what you are asking for"), widget=forms.Textarea({"rows": 2})
    )
    contacted = forms.ChoiceField(
        label=_lazy("Who did you contact?"), choices=ContactedService.choices, widget=forms.RadioSelect
    )
    contacted_name = forms.CharField(label=_lazy("Name of the person you spoke to"), required=False, max_length=200)
    decision = forms.CharField(
        label=_lazy("Decision: what was agreed"), required=False, widget=forms.Textarea({"rows": 2})
    )
    outcome = forms.CharField(label=_lazy("Outcome (optional)"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = _lazy("Time of the call")
        self.fields["occurred_at"].help_text = ""


class Spo2ScaleForm(forms.Form):
    spo2_scale = forms.TypedChoiceField(
        label=_lazy("SpO2 scale"), choices=Spo2Scale.choices, coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_lazy("Reason (for Scale 2: who prescribed the 88-92% target, and when)"),
        widget=forms.Textarea({"rows": 2}),
        max_length=1000,
    )


def _mark_errors(form: forms.Form) -> forms.Form:
    """Point each invalid input at its message (aria-describedby) and mark it aria-invalid."""
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"id_{name}_error"
    return form


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _resident(request, resident_id: int, part: str):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)
    return ref


def _current_values(form: VitalSignsForm) -> dict:
    values = form.values()
    if values.get("temperature") is None:
        values["temperature"] = None
    return values


@requires("care_records", "record")
@idempotent_form
def vitals_new(request, resident_id: int):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    initial = {}
    last = latest_vital_signs(ref.id)
    if last is not None and last.on_oxygen is not None:
        initial["on_oxygen"] = "oxygen" if last.on_oxygen else "air"  # as last time; the carer checks it
    form = VitalSignsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vs = record_vital_signs(
                resident_id=ref.id,
                user=request.user,
                occurred_at=form.cleaned_data["occurred_at"],
                values=_current_values(form),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("care_records:vitals_result", args=[ref.id, vs.pk]), permanent=False)
    response = render(
        request,
        "care_records/vitals/form.html",
        {"resident": ref, "form": _mark_errors(form), "scale": spo2_scale_for(ref.id)},
    )
    return response


def _breakdown(vs: VitalSigns) -> list[dict]:
    values = {
        "respiration_rate": vs.respiration_rate,
        "spo2": f"{vs.spo2}%" if vs.spo2 is not None else None,
        "on_oxygen": (_("Oxygen") if vs.on_oxygen else _("Air")) if vs.on_oxygen is not None else None,
        "systolic_bp": vs.systolic_bp,
        "pulse": vs.pulse,
        "consciousness": vs.get_consciousness_display() if vs.consciousness else None,
        "temperature": vs.temperature,
    }
    scores = vs.news2_scores or {}
    return [
        {"name": p, "label": PARAMETER_LABELS[p], "value": values[p], "score": scores.get(p)} for p in news2.PARAMETERS
    ]


@requires("care_records", "view")
def vitals_result(request, resident_id: int, pk: int):
    ref = _resident(request, resident_id, "vital signs")
    vs = get_object_or_404(VitalSigns.objects.select_related("recorded_by"), pk=pk, resident_id=ref.id)
    result = vs.result()
    advice = news2.escalation_advice(result, soft_signs=bool(vs.soft_signs), gettext=_) if result else None
    missing = [PARAMETER_LABELS[p] for p in vs.missing_parameters()]
    return render(
        request,
        "care_records/vitals/result.html",
        {
            "resident": ref,
            "vs": vs,
            "result": result,
            "advice": advice,
            "band_label": BAND_LABELS.get(vs.news2_band, ""),
            "breakdown": _breakdown(vs),
            "missing": missing,
            "soft_signs": [SoftSign(s).label for s in vs.soft_signs if s in SoftSign.values],
            "escalations": SbardEscalation.objects.current().filter(vital_signs=vs),
            "next_due": next_due_at(vs) if not vs.is_struck else None,
        },
    )


@requires("care_records", "record")
@idempotent_form
def vitals_correct(request, resident_id: int, pk: int):
    """Strike a set of vital signs through and record the corrected set (NEWS2 is worked out again)."""
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    vs = get_object_or_404(VitalSigns, pk=pk, resident_id=ref.id)
    if vs.is_struck:
        return redirect(reverse("care_records:vitals_result", args=[ref.id, vs.pk]))
    form = VitalSignsCorrectionForm(request.POST or None, initial=VitalSignsCorrectionForm.initial_from(vs))
    if request.method == "POST" and form.is_valid():
        values = _current_values(form)
        reason = values.pop("reason")
        values["occurred_at"] = form.cleaned_data["occurred_at"]
        values["consciousness"] = values.get("consciousness") or ""
        values["comment"] = (values.get("comment") or "").strip()
        try:
            new = correct_entry(vs, reason=reason, new_values=values, user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("care_records:vitals_result", args=[ref.id, new.pk]))
    return render(request, "care_records/vitals/correct.html", {"resident": ref, "vs": vs, "form": _mark_errors(form)})


def trend_svg(points: list[tuple], width: int = 320, height: int = 160) -> dict:
    """Coordinates for a server-drawn NEWS2 chart: x by time, y by score (0-20, top clipped at 12)."""
    top = 12
    pad = 24
    if not points:
        return {"width": width, "height": height, "points": "", "dots": [], "bands": []}
    first, last = points[0][0], points[-1][0]
    span = max((last - first).total_seconds(), 1)

    def y(score: int) -> float:
        return round(height - pad - (min(score, top) / top) * (height - 2 * pad), 1)

    dots = []
    for at, total, band in points:
        x = pad + ((at - first).total_seconds() / span) * (width - 2 * pad) if len(points) > 1 else width / 2
        dots.append({"x": round(x, 1), "y": y(total), "total": total, "band": band, "at": at})
    bands = [
        {"y": y(5), "label": "5", "colour": "#b35c00"},
        {"y": y(7), "label": "7", "colour": "#b00020"},
    ]
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "bands": bands,
        "axis_y": height - pad,
        "pad": pad,
        "right": width - pad,
    }


@requires("care_records", "view")
def vitals_trend(request, resident_id: int):
    ref = _resident(request, resident_id, "vital signs trend")
    rows = list(
        VitalSigns.objects.filter(resident_id=ref.id).select_related("recorded_by").order_by("-occurred_at", "-pk")[:60]
    )
    scored = [v for v in reversed(rows) if v.is_complete and not v.is_struck]
    chart = trend_svg([(v.occurred_at, v.news2_total, v.news2_band) for v in scored[-30:]])
    plan = VitalSignsPlan.objects.filter(resident_id=ref.id).first()
    can_manage = request.access.can("care_records", "manage")
    can_record = request.access.can("care_records", "record")
    return render(
        request,
        "care_records/vitals/trend.html",
        {
            "resident": ref,
            "rows": rows,
            "chart": chart,
            "plan": plan,
            "can_manage": can_manage,
            "can_record": can_record,
        },
    )


@requires("care_records", "record")
@idempotent_form
def sbard_new(request, resident_id: int, pk: int):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    vs = get_object_or_404(VitalSigns, pk=pk, resident_id=ref.id)
    initial = {}
    if vs.is_complete:
        initial["assessment"] = _("NEWS2 %(total)s (%(band)s).") % {
            "total": vs.news2_total,
            "band": BAND_LABELS.get(vs.news2_band, ""),
        }
    form = SbardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_sbard(
                resident_id=ref.id,
                user=request.user,
                occurred_at=form.cleaned_data["occurred_at"],
                values=form.values(),
                vital_signs_id=vs.pk,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("care_records:vitals_result", args=[ref.id, vs.pk]))
    return render(request, "care_records/vitals/sbard.html", {"resident": ref, "vs": vs, "form": _mark_errors(form)})


@requires("care_records", "manage")
def spo2_scale(request, resident_id: int):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    plan = VitalSignsPlan.objects.filter(resident_id=ref.id).first()
    initial = {"spo2_scale": plan.spo2_scale if plan else 1}
    form = Spo2ScaleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_spo2_scale(resident_id=ref.id, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("care_records:vitals_trend", args=[ref.id]))
    return render(
        request, "care_records/vitals/scale.html", {"resident": ref, "form": _mark_errors(form), "plan": plan}
    )


def vitals_timeline_provider(request, resident_id: int, filters: dict) -> list[dict]:
    """Vital signs (kind "vital_signs", category "news2") and SBARD escalations (category "sbard")
    on the resident's care journey; struck entries are included with ``struck`` set."""
    access = getattr(request, "access", None)
    if access is None or not access.can("care_records", "view"):
        return []
    if (filters.get("kind") or "vital_signs") != "vital_signs":
        return []
    category = filters.get("category") or ""
    items: list[dict] = []
    for cat, model in (("news2", VitalSigns), ("sbard", SbardEscalation)):
        if category and category != cat:
            continue
        qs = model.objects.filter(resident_id=resident_id)
        if filters.get("start") is not None:
            qs = qs.filter(occurred_at__gte=filters["start"])
        if filters.get("end") is not None:
            qs = qs.filter(occurred_at__lt=filters["end"])
        for e in qs.order_by("-occurred_at", "-pk")[: filters.get("limit") or 50]:
            vs_pk = e.pk if model is VitalSigns else e.vital_signs_id
            url = reverse("care_records:vitals_result", args=[resident_id, vs_pk]) if vs_pk else ""
            items.append(
                {
                    "at": e.occurred_at,
                    "kind": "vital_signs",
                    "category": cat,
                    "title": _("Vital signs") if model is VitalSigns else _("SBARD escalation"),
                    "text": e.summary(),
                    "url": url,
                    "struck": e.is_struck,
                }
            )
    return items
