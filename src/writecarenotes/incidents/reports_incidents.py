"""The monthly incident summary for the quality meeting, as a PDF (fpdf2: pure Python, no external
calls; DejaVu Sans from platform/web/fonts so every name prints, Helvetica if the files are missing)
and as CSV (one table: section, item, figure, so a spreadsheet can sort and filter it)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.incidents.models import CONTRIBUTORY_FACTORS_SOURCE
from writecarenotes.incidents.trends import REPEAT_FALLER_RULES, MonthlySummary
from writecarenotes.platform.web.pdf import DocumentPDF

MARGIN = 15


def month_title(summary: MonthlySummary, where: str) -> str:
    return _("Incident summary for %(month)s: %(where)s") % {"month": summary.start.strftime("%B %Y"), "where": where}


def rows_of(summary: MonthlySummary) -> list[tuple[str, str, str]]:
    """The summary as (section, item, figure) rows: what the CSV holds and the PDF prints."""
    rows: list[tuple[str, str, str]] = [(_("Incidents"), _("Total"), str(summary.total))]
    for r in summary.by_type_and_harm:
        rows.append((_("Incidents by type"), r["label"], str(r["total"])))
        for (_key, label), n in zip(summary.severities, r["counts"], strict=True):
            if n:
                rows.append((_("Incidents by type and harm"), f"{r['label']}: {label}", str(n)))
    for (_key, label), n in zip(summary.severities, summary.harm_totals, strict=True):
        rows.append((_("Incidents by harm"), label, str(n)))
    if summary.notifications is None:
        rows.append((_("Statutory notifications made"), _("Not available"), ""))
    else:
        for b in summary.notifications:
            rows.append((_("Statutory notifications made"), b.label, str(b.count)))
        rows.append((_("Statutory notifications made"), _("Total"), str(sum(b.count for b in summary.notifications))))
    rows += [
        (_("Investigations"), _("Opened this month"), str(summary.investigations_opened)),
        (_("Investigations"), _("Completed this month"), str(summary.investigations_completed)),
        (_("Investigations"), _("Not yet completed"), str(summary.investigations_open)),
        (_("Actions"), _("Done this month"), str(summary.actions_done)),
        (_("Actions"), _("Open"), str(len(summary.open_actions))),
        (_("Actions"), _("Overdue"), str(summary.overdue_actions)),
    ]
    for a in summary.open_actions:
        rows.append(
            (
                _("Open actions"),
                f"{a.incident.reference}: {a.description} ({a.owner.display_name})",
                _("due %(on)s") % {"on": a.due_on.isoformat()},
            )
        )
    for b in summary.factors:
        rows.append((_("Contributory factors"), b.label, str(b.count)))
    for f in summary.repeat_fallers:
        rows.append((_("Repeat fallers"), f"{f.name} ({f.home_name})", "; ".join(f.rules)))
    for lesson in summary.lessons:
        rows.append((_("Lessons shared"), lesson.title, _("%(n)s read") % {"n": lesson.read_count}))
    return rows


def summary_csv(summary: MonthlySummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Section"), _("Item"), _("Figure")])
    for section, item, figure in rows_of(summary):
        writer.writerow([_safe(section), _safe(item), _safe(figure)])
    return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection: =, +, -, @ at the start)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _SummaryPDF(DocumentPDF):
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

    def heading(self, text: str, size: int = 12):
        self.set_font(self.wcn_font, "B", size)
        self.ln(2)
        self.multi_cell(0, 7, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def line_item(self, item: str, figure: str) -> None:
        self.set_font(self.wcn_font, "", 10)
        width = self.w - 2 * MARGIN
        self.multi_cell(width - 40, 5, self.clean(item), new_x="RIGHT", new_y="TOP")
        self.multi_cell(40, 5, self.clean(figure), align="R", new_x="LMARGIN", new_y="NEXT")


def summary_pdf(summary: MonthlySummary, *, where: str, printed_by: str) -> bytes:
    title = month_title(summary, where)
    printed = _("Printed %(when)s by %(who)s.") % {
        "when": timezone.localtime().strftime("%d %b %Y %H:%M"),
        "who": printed_by,
    }
    pdf = _SummaryPDF(title, printed)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(title, 15)
    section = None
    for sec, item, figure in rows_of(summary):
        if sec != section:
            pdf.heading(sec)
            section = sec
        pdf.line_item(item, figure)
    pdf.ln(3)
    pdf.set_font(pdf.wcn_font, "", 8)
    rules = "; ".join(f"{r['falls']}+ / {r['days']} d: {r['source']}" for r in REPEAT_FALLER_RULES)
    pdf.multi_cell(0, 4, pdf.clean(_("Repeat fallers: %(rules)s.") % {"rules": rules}), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        4,
        pdf.clean(_("Contributory factors: %(src)s.") % {"src": CONTRIBUTORY_FACTORS_SOURCE}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
