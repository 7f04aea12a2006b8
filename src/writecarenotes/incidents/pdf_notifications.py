"""The prepared notification as a document: its sections filled from the incident, the home and the
resident (``build_sections``; for a notification about a resident with no incident, such as a DoLS
outcome, ``build_resident_sections``), its copyable text (``content_as_text``) and its PDF (``notification_pdf``),
made with fpdf2 like care_planning's printable plan (DejaVu Sans from platform/web/fonts).
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.models import Incident, IncidentPerson, PersonKind, PersonRole, StatutoryNotification
from writecarenotes.incidents.rules.notifications import HARM_WORDS, rule
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.web.pdf import DocumentPDF
from writecarenotes.residents.public import ResidentNotFound, get_resident

#: the national health number's name, per nation (residents.nhs_number)
HEALTH_NUMBER = {
    "england": "NHS number",
    "wales": "NHS number",
    "scotland": "CHI number",
    "northern_ireland": "H&C number",
    "ireland": "",
}


def fmt_dt(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _later_findings(incident: Incident) -> str:
    """The reasons given for the corrections of the incident's facts, oldest first (for example an X-ray
    finding a fracture the day after a fall): the regulator reads what is known now, and why."""
    reasons = (
        RecordVersion.objects.filter(content_type="incidents.incident", object_id=str(incident.pk), version__gt=1)
        .order_by("version")
        .values_list("reason", flat=True)
    )
    return "; ".join(r for r in reasons if r)


def _yes_no(value) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def age_range(age: int) -> str:
    """CQC's age bands on its notification forms."""
    for low, high in ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 84)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "85+" if age >= 85 else _("under 18")


def _people(incident) -> list[IncidentPerson]:
    return list(IncidentPerson.objects.filter(incident=incident).select_related("user").order_by("pk"))


def _person_name(p: IncidentPerson, residents: dict) -> str:
    if p.kind == PersonKind.RESIDENT:
        ref = residents.get(p.resident_id)
        return ref.display_name if ref else _("A resident of another home")
    if p.user_id:
        return p.user.display_name
    return p.name


def _person_rows(ref, nation: str, on: date) -> list:
    age = _age(ref.date_of_birth, on)
    number = HEALTH_NUMBER.get(nation, "")
    return [
        (_("Name"), ref.display_name),
        (_("Unique identifier"), f"R{ref.id:06d}"),
        (_("Date of birth"), ref.date_of_birth.strftime("%d/%m/%Y")),
        (_("Age"), age),
        (_("Age range"), age_range(age)),
        (number, ref.nhs_number if number else ""),
        (_("Room"), ref.room),
        (_("Unit"), ref.unit_name),
    ]


def _service_rows(home) -> list:
    return [
        (_("Service name"), home.name),
        (_("Registration number"), home.registration_number),
        (_("Regulator"), home.get_regulator_display()),
        (_("Address"), home.address),
        (_("Type of service"), home.get_care_type_display()),
    ]


def build_sections(n: StatutoryNotification, incident: Incident, by) -> list[dict]:
    home = incident.home
    people = _people(incident)
    residents = {}
    for p in people:
        if p.kind == PersonKind.RESIDENT and p.resident_id not in residents:
            try:
                residents[p.resident_id] = get_resident(p.resident_id)
            except ResidentNotFound:
                continue
    affected = [
        residents[p.resident_id] for p in people if p.role == PersonRole.AFFECTED and p.resident_id in residents
    ]
    day = timezone.localtime(incident.occurred_at).date()
    spec = rule(n.code)
    keys = spec.fields if spec and spec.fields else ("service", "person", "incident", "actions", "reporter")
    out = []

    def add(key: str, title: str, rows: list) -> None:
        out.append({"key": key, "title": title, "rows": [[str(a), str(b)] for a, b in rows if b not in (None, "")]})

    for key in keys:
        if key == "service":
            add(key, _("The service"), _service_rows(home))
        elif key == "person":
            for ref in affected or [None]:
                if ref is None:
                    add(key, _("The person"), [(_("Person"), _("No resident is recorded as affected."))])
                    continue
                add(key, _("The person"), _person_rows(ref, home.nation, day))
        elif key == "incident":
            add(
                key,
                _("What happened"),
                [
                    (_("Incident reference"), incident.reference),
                    (_("Type"), incident.title),
                    (_("Date and time"), fmt_dt(incident.occurred_at)),
                    (_("Where"), incident.location),
                    (_("Account"), incident.what_happened),
                    (_("Harm"), incident.get_severity_display()),
                    (_("Witnessed"), _yes_no(incident.witnessed)),
                    (_("Reported"), fmt_dt(incident.reported_at)),
                    (_("Found since the report"), _later_findings(incident)),
                ],
            )
        elif key == "injury":
            rows = [
                (_("Injury %(n)s") % {"n": i}, f"{j.get_kind_display()}, {j.body_location}. {j.description}".strip())
                for i, j in enumerate(incident.injuries.all().order_by("pk"), 1)
            ]
            rows += [
                (
                    _("Health professional's opinion"),
                    "; ".join(HARM_WORDS.get(k, k) for k in incident.serious_injury_tests or ()),
                ),
                (
                    _("Needed treatment to prevent death or serious injury"),
                    _yes_no(incident.treatment_to_prevent_serious_injury),
                ),
                (_("Medical attention"), incident.get_medical_attention_display()),
                (_("Head struck"), _yes_no(incident.head_struck)),
            ]
            if incident.kind == "pressure_ulcer":
                rows.append((_("Pressure ulcer"), incident.get_pressure_ulcer_category_display()))
            add(key, _("The injury"), rows)
        elif key == "death":
            add(
                key,
                _("The death"),
                [
                    (_("Date and time of death"), fmt_dt(incident.occurred_at)),
                    (_("Where"), incident.location),
                    (
                        _("Expected or unexpected"),
                        _("Unexpected") if incident.unexpected_or_unintended else _("Expected"),
                    ),
                    (_("Circumstances"), incident.what_happened),
                ],
            )
        elif key == "abuse":
            alleged = [_person_name(p, residents) for p in people if p.role == PersonRole.ALLEGED]
            add(
                key,
                _("Abuse or allegation"),
                [
                    (_("Abuse or allegation of abuse"), _yes_no(incident.abuse_alleged or incident.kind == "abuse")),
                    (_("Alleged to have caused harm"), ", ".join(alleged) or _("Not known")),
                    (_("Police informed"), _yes_no(incident.police_involved)),
                ],
            )
        elif key == "police":
            add(key, _("Police"), [(_("Reported to or investigated by the police"), _yes_no(incident.police_involved))])
        elif key == "disruption":
            add(
                key,
                _("Disruption to the service"),
                [
                    (_("Event"), incident.title),
                    (_("Hours the service was disrupted"), incident.disruption_hours),
                ],
            )
        elif key == "outbreak":
            add(
                key,
                _("The outbreak"),
                [
                    (_("Date identified"), fmt_dt(incident.occurred_at)),
                    (_("People affected"), sum(1 for p in people if p.role == PersonRole.AFFECTED)),
                    (_("Details"), incident.what_happened),
                ],
            )
        elif key == "absence":
            add(
                key,
                _("The absence"),
                [
                    (_("Noticed missing"), fmt_dt(incident.occurred_at)),
                    (_("Last seen"), incident.location),
                    (_("Police informed"), _yes_no(incident.police_involved)),
                ],
            )
        elif key == "people":
            add(
                key,
                _("People involved"),
                [(p.get_role_display(), f"{_person_name(p, residents)} ({p.get_kind_display()})") for p in people],
            )
        elif key == "actions":
            add(key, _("Action taken"), [(_("Immediate actions"), incident.immediate_actions or _("None recorded"))])
        elif key == "reporter":
            add(
                key,
                _("Notification made by"),
                [
                    (_("Name"), getattr(by, "display_name", "") or getattr(by, "email", "")),
                    (_("Date"), timezone.localdate().strftime("%d/%m/%Y")),
                ],
            )
    return out


#: what a liberty record's kind is, in the words of the form (care planning's kinds; only those a rule reads)
LIBERTY_KINDS = {
    "dols_standard": (
        "Standard authorisation (Deprivation of Liberty Safeguards, Mental Capacity Act 2005, Schedule A1)"
    ),
}
OUTCOMES = {
    "granted": "Granted",
    "refused": "Not granted (refused)",
    "withdrawn": "Application withdrawn",
}


def liberty_page_path(resident_id: int | None) -> str:
    """The resident's capacity and liberty page (care planning), where the full liberty record is."""
    if resident_id is None:
        return ""
    try:
        return reverse("care_planning:capacity_resident", args=[resident_id])
    except NoReverseMatch:  # care planning's pages not installed
        return ""


def build_resident_sections(n: StatutoryNotification, home, by) -> list[dict]:
    """The sections of a notification about a resident (no incident): the service, the person (through
    ``residents.public``), and the liberty record's change as care planning's event carried it. The
    supervisory body, the dates of the request and decision and the conditions are not in the event:
    the form says where to find them (the resident's liberty page)."""
    d = n.source_details or {}
    out = []

    def add(key: str, title: str, rows: list) -> None:
        out.append({"key": key, "title": title, "rows": [[str(a), str(b)] for a, b in rows if b not in (None, "")]})

    spec = rule(n.code)
    for key in spec.fields if spec and spec.fields else ("service", "resident", "liberty", "reporter"):
        if key == "service":
            add(key, _("The service"), _service_rows(home))
        elif key == "resident":
            try:
                ref = get_resident(n.resident_id)
            except ResidentNotFound:
                add(key, _("The person"), [(_("Person"), d.get("resident_name") or _("Not in your homes"))])
                continue
            add(key, _("The person"), _person_rows(ref, home.nation, timezone.localdate()))
        elif key == "liberty":
            end_on = d.get("end_on") or ""
            if end_on:
                end_on = date.fromisoformat(end_on).strftime("%d/%m/%Y")
            path = liberty_page_path(n.resident_id)
            add(
                key,
                _("Deprivation of liberty"),
                [
                    (_("What was applied for"), LIBERTY_KINDS.get(d.get("kind", ""), d.get("kind", ""))),
                    (_("Outcome"), OUTCOMES.get(d.get("outcome", ""), "") or _("Applied for, waiting for a decision")),
                    (_("Authorised until"), end_on),
                    (_("Recorded in the system"), fmt_dt(n.required_at)),
                    (
                        _("Supervisory body, dates of the request and the decision, conditions"),
                        _("See the liberty record on the resident's page: %(path)s") % {"path": path}
                        if path
                        else _("See the liberty record on the resident's page."),
                    ),
                ],
            )
        elif key == "reporter":
            add(
                key,
                _("Notification made by"),
                [
                    (_("Name"), getattr(by, "display_name", "") or getattr(by, "email", "")),
                    (_("Date"), timezone.localdate().strftime("%d/%m/%Y")),
                ],
            )
    return out


def content_as_text(n: StatutoryNotification, sections: list[dict]) -> str:
    lines = [n.title.upper(), n.form, _("Source: %(s)s") % {"s": n.source}, ""]
    for s in sections:
        lines.append(s["title"])
        lines.extend(f"  {label}: {value}" for label, value in s["rows"])
        lines.append("")
    return "\n".join(lines).strip() + "\n"


# --- the PDF -----------------------------------------------------------------------------------------

MARGIN = 15


class _NotificationPDF(DocumentPDF):
    def __init__(self, title: str, printed: str):
        super().__init__(title, printed, orientation="P", margin=MARGIN)

    def header(self):
        self.set_font(self.wcn_font, "B", 9)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, self.clean(self.wcn_title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(self.wcn_font, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, self.clean(f"{self.wcn_printed} · {_('Page')} {self.page_no()}/{{nb}}"), align="C")

    def line_text(self, text: str, size: int = 10, style: str = "") -> None:
        self.set_font(self.wcn_font, style, size)
        self.multi_cell(0, 5 if size <= 10 else 7, self.clean(text), new_x="LMARGIN", new_y="NEXT")


def notification_pdf(n: StatutoryNotification, *, printed_by: str) -> bytes:
    """The prepared notification laid out section by section, as the regulator's form asks."""
    printed = _("Printed %(when)s by %(who)s.") % {
        "when": timezone.localtime().strftime("%d %b %Y %H:%M"),
        "who": printed_by,
    }
    pdf = _NotificationPDF(f"{n.regulator_label}: {n.title}", printed)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.line_text(n.title, 15, "B")
    pdf.line_text(n.form, 10)
    pdf.line_text(_("Source: %(s)s") % {"s": n.source}, 9)
    pdf.line_text(_("Deadline: %(d)s (due by %(at)s)") % {"d": n.deadline_text, "at": fmt_dt(n.due_at)}, 9)
    pdf.ln(3)
    for section in (n.content or {}).get("sections", []):
        pdf.line_text(section["title"], 12, "B")
        for label, value in section["rows"]:
            pdf.line_text(label, 9, "B")
            pdf.line_text(value, 10)
        pdf.ln(2)
    if n.regulator_reference:
        pdf.line_text(_("Regulator's reference: %(r)s") % {"r": n.regulator_reference}, 10, "B")
    return bytes(pdf.output())
