"""The MAR chart as a PDF (fpdf2, DejaVu Sans from platform/web/fonts; ADR 0009): the same ``MarChart`` the
page shows: the resident and allergies at the top, a grid of days x times per regular medicine, the
when-required doses with their times, the notes, and the key of codes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.services_rounds_mar import MarChart
from writecarenotes.platform.web.pdf import DocumentPDF

MARGIN = 10
NAME_W = 62
TIME_W = 11


class _MarPDF(DocumentPDF):
    def __init__(self, title: str, printed: str):
        super().__init__(title, printed, orientation="L", margin=MARGIN)

    def header(self):
        self.set_font(self.wcn_font, "B", 9)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, self.clean(self.wcn_title), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(self.wcn_font, "", 7)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, self.clean(f"{self.wcn_printed} · {_('Page')} {self.page_no()}/{{nb}}"), align="C")

    def text_line(self, text: str, size: int = 9, style: str = "") -> None:
        self.set_font(self.wcn_font, style, size)
        self.multi_cell(0, 4.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")


def _allergy_text(chart: MarChart) -> str:
    a = chart.allergies
    if a.allergies:
        items = [f"{x.substance}" + (f" ({x.reaction})" if x.reaction else "") for x in a.allergies]
        return _("Allergies and sensitivities: %(list)s") % {"list": "; ".join(items)}
    if a.no_known_allergies:
        return _("No known allergies")
    return _("Allergies NOT RECORDED: check before giving any medicine")


def mar_pdf(chart: MarChart, *, printed_by: str) -> bytes:
    r = chart.resident
    period = f"{chart.start:%d/%m/%Y} – {chart.end:%d/%m/%Y}"
    printed = _("Printed %(when)s by %(who)s.") % {
        "when": timezone.localtime().strftime("%d %b %Y %H:%M"),
        "who": printed_by,
    }
    pdf = _MarPDF(_("MAR chart: %(name)s, %(period)s") % {"name": r.display_name, "period": period}, printed)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.text_line(_("Medication administration record"), 13, "B")
    details = [r.display_name, _("born %(d)s") % {"d": r.date_of_birth.strftime("%d/%m/%Y")}]
    if r.nhs_number:
        details.append(_("NHS/CHI/H&C number %(n)s") % {"n": r.nhs_number})
    if r.room:
        details.append(_("room %(r)s") % {"r": r.room})
    pdf.text_line(", ".join(details), 10)
    pdf.text_line(_allergy_text(chart), 10, "B")
    pdf.text_line(_("Period: %(p)s") % {"p": period}, 9)
    pdf.ln(2)
    day_w = (pdf.w - 2 * MARGIN - NAME_W - TIME_W) / max(len(chart.days), 1)

    def grid_header():
        pdf.set_font(pdf.wcn_font, "B", 6)
        pdf.cell(NAME_W, 5, pdf.clean(_("Medicine")), border=1)
        pdf.cell(TIME_W, 5, pdf.clean(_("Time")), border=1, align="C")
        for d in chart.days:
            pdf.cell(day_w, 5, d.strftime("%d/%m"), border=1, align="C")
        pdf.ln()

    if chart.regular:
        pdf.text_line(_("Regular medicines"), 10, "B")
        grid_header()
        for mo in chart.regular:
            o = mo.order
            label = f"{o.medicine.name} — {o.dose_text}"
            if o.time_critical:
                label += " " + _("(time-critical)")
            if o.status != "active":
                label += f" [{o.get_status_display()}]"
            for i, row in enumerate(mo.rows or []):
                if pdf.will_page_break(5):
                    pdf.add_page()
                    grid_header()
                pdf.set_font(pdf.wcn_font, "B" if i == 0 else "", 6)
                pdf.cell(NAME_W, 5, pdf.clean(label if i == 0 else "")[:70], border=1)
                pdf.set_font(pdf.wcn_font, "", 6)
                pdf.cell(TIME_W, 5, row.time, border=1, align="C")
                for cell in row.cells:
                    pdf.cell(day_w, 5, pdf.clean(cell.text), border=1, align="C")
                pdf.ln()
        pdf.ln(2)
    if chart.prn:
        pdf.text_line(_("When required (PRN)"), 10, "B")
        for mo in chart.prn:
            o = mo.order
            pdf.text_line(f"{o.medicine.name} — {o.dose_text}. {_('Give when')}: {o.prn_indication}", 8, "B")
            if not mo.prn_doses:
                pdf.text_line(_("None given in the period."), 8)
            for a in mo.prn_doses:
                who = a.recorded_by.display_name if a.recorded_by_id else ""
                line = f"{timezone.localtime(a.administered_at):%d/%m %H:%M} {a.get_outcome_display()}"
                if a.dose is not None:
                    line += f" {a.dose.normalize():f}"
                line += f", {who}"
                if a.effect:
                    line += f"; {_('effect')}: {a.get_effect_display()}" + (
                        f" ({a.effect_note})" if a.effect_note else ""
                    )
                pdf.text_line(line, 8)
        pdf.ln(2)
    if chart.notes:
        pdf.text_line(_("Notes"), 10, "B")
        for when, what in chart.notes:
            pdf.text_line(f"{when} {what}", 8)
        pdf.ln(2)
    pdf.text_line(_("Key"), 10, "B")
    key = [_("initials = given by"), _("* = recorded late"), _("? = not recorded")]
    key += [f"{letter} = {label}" for letter, label in chart.key]
    pdf.text_line("   ".join(str(k) for k in key), 8)
    return bytes(pdf.output())
