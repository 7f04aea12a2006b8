"""The printable care plan: a PDF of a resident's plans in force, made with fpdf2 (pure Python, no
external calls). Text is set in DejaVu Sans, which ships with the package (platform/web/fonts, with
its licence), so every name and accent prints (Tŷ Celyn, Siân, Zoë); should the files be missing,
the PDF core font Helvetica is used, where a character outside Latin-1 prints as "?"."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.platform.web.pdf import DocumentPDF

MARGIN = 15


class _PlanPDF(DocumentPDF):
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

    def heading(self, text: str, size: int = 13):
        self.set_font(self.wcn_font, "B", size)
        self.multi_cell(0, 7, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def label_value(self, label: str, value) -> None:
        if value in (None, ""):
            return
        self.set_font(self.wcn_font, "B", 10)
        self.multi_cell(0, 5, self.clean(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.wcn_font, "", 10)
        self.multi_cell(0, 5, self.clean(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def bullet(self, text: str) -> None:
        self.set_font(self.wcn_font, "", 10)
        self.set_x(MARGIN + 3)
        self.multi_cell(0, 5, self.clean(f"- {text}"), new_x="LMARGIN", new_y="NEXT")


def _yes_no(value) -> str:
    return {True: _("yes"), False: _("no")}.get(value, _("not recorded"))


def care_plan_pdf(resident, plans: list, *, printed_by: str, home_name: str = "") -> bytes:
    """``plans``: the resident's plans in force (with ``goals`` and ``interventions`` prefetched)."""
    now = timezone.localtime()
    title = _("Care plan: %(name)s") % {"name": resident.display_name}
    printed = _("Printed %(when)s by %(who)s. Check the record for the latest version.") % {
        "when": now.strftime("%d %b %Y %H:%M"),
        "who": printed_by,
    }
    pdf = _PlanPDF(title, printed)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(title, 16)
    pdf.set_font(pdf.wcn_font, "", 10)
    facts = [
        _("Date of birth: %(dob)s") % {"dob": resident.date_of_birth.strftime("%d %b %Y")},
        _("NHS number: %(n)s") % {"n": resident.nhs_number or "-"},
        _("Room %(room)s, %(unit)s") % {"room": resident.room or "-", "unit": resident.unit_name or "-"},
    ]
    if home_name:
        facts.append(home_name)
    pdf.multi_cell(0, 5, pdf.clean(" · ".join(str(f) for f in facts)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if not plans:
        pdf.label_value(_("No care plan in force"), _("There is no agreed care plan for this resident."))
    for plan in plans:
        pdf.heading(f"{plan.get_domain_display()} ({plan.get_status_display()})")
        agreed = ""
        if plan.agreed_at:
            agreed = _("Agreed %(on)s by %(by)s") % {
                "on": timezone.localtime(plan.agreed_at).strftime("%d %b %Y"),
                "by": plan.agreed_by.display_name if plan.agreed_by else "-",
            }
        review = (
            _("next review %(on)s") % {"on": plan.next_review_on.strftime("%d %b %Y")} if plan.next_review_on else ""
        )
        pdf.set_font(pdf.wcn_font, "", 9)
        pdf.multi_cell(
            0, 5, pdf.clean(" · ".join(x for x in (str(agreed), str(review)) if x)), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(1)
        pdf.label_value(_("What matters to me, in my own words"), plan.in_my_words)
        pdf.label_value(_("Needs"), plan.needs)
        if plan.assessments:
            pdf.label_value(
                _("Assessments behind this plan"), "; ".join(a.get("summary", "") for a in plan.assessments)
            )
        goals = list(plan.goals.all())
        if goals:
            pdf.set_font(pdf.wcn_font, "B", 10)
            pdf.cell(0, 5, pdf.clean(_("Goals")), new_x="LMARGIN", new_y="NEXT")
            for g in goals:
                measure = f" ({g.measure})" if g.measure else ""
                pdf.bullet(f"{g.text}{measure} - {_('by')} {g.target_on:%d %b %Y}, {g.get_status_display().lower()}")
        items = [i for i in plan.interventions.all() if i.active]
        if items:
            pdf.set_font(pdf.wcn_font, "B", 10)
            pdf.cell(0, 5, pdf.clean(_("What we do")), new_x="LMARGIN", new_y="NEXT")
            for i in items:
                chart = f" [{i.get_chart_display()}]" if i.chart else ""
                pdf.bullet(f"{i.what} - {i.how_often()}{chart}")
        involvement = _("Resident involved: %(inv)s. Agreed: %(agreed)s.") % {
            "inv": _yes_no(plan.resident_involved),
            "agreed": _yes_no(plan.agreement_recorded),
        }
        if plan.representative_name:
            involvement += " " + _("Representative: %(name)s (%(rel)s).") % {
                "name": plan.representative_name,
                "rel": plan.representative_relationship,
            }
        if plan.agreement_notes:
            involvement += " " + plan.agreement_notes
        pdf.label_value(_("Involvement and agreement"), involvement)
        pdf.ln(2)
    return bytes(pdf.output())
