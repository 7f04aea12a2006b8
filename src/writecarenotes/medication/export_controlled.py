"""A page of the controlled drugs register as CSV and PDF, in the register's headings.

Misuse of Drugs Regulations 2001, reg. 20(a): the class of drug (here the drug, form and strength) at the
head of the page; Schedule 6: on obtaining, the date supply received, the name and address from whom
obtained and the quantity; on supply, the date supplied, the name and address of the person supplied and
the quantity. A care home's register adds the resident, who gave or handled it, the witness and the
running balance; corrections are printed under the entry they correct, dated (reg. 20(c)).
UNVERIFIED: the exact wording of the Schedule 6 headings (see models/controlled.py).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.medication.models import CDEntry, CDEntryKind, CDRegister
from writecarenotes.medication.services_controlled import fmt, resident_names
from writecarenotes.platform.web.pdf import DocumentPDF

HEADINGS = (
    "No.",
    "Date and time",
    "Entry",
    "Name and address from whom received / of person or firm supplied",
    "Resident",
    "Quantity received",
    "Quantity supplied or administered",
    "Balance",
    "Recorded by",
    "Witness",
    "Reference and notes",
)


def _q(value) -> str:
    return fmt(value)


def register_rows(register: CDRegister) -> list[list[str]]:
    entries = list(
        CDEntry.objects.filter(register=register)
        .select_related("recorded_by", "witness")
        .prefetch_related("notes__written_by")
        .order_by("sequence")
    )
    names = resident_names({e.resident_id for e in entries})
    rows = []
    for e in entries:
        party = ", ".join(p for p in (e.party_name, e.party_address) if p)
        inward = e.change > 0
        notes = [e.reference, e.note] + [
            _("Correction %(d)s by %(who)s: %(n)s")
            % {
                "d": timezone.localtime(n.written_at).strftime("%d/%m/%Y"),
                "who": n.written_by.display_name,
                "n": n.note,
            }
            for n in e.notes.all()
        ]
        rows.append(
            [
                str(e.sequence),
                timezone.localtime(e.occurred_at).strftime("%d/%m/%Y %H:%M"),
                str(CDEntryKind(e.kind).label),
                party,
                names.get(e.resident_id, "") if e.resident_id else "",
                _q(e.quantity) if inward else "",
                _q(e.quantity) if not inward else "",
                _q(e.balance_after),
                e.recorded_by.display_name,
                e.witness.display_name if e.witness_id else "",
                " | ".join(n for n in notes if n),
            ]
        )
    return rows


def page_title(register: CDRegister) -> str:
    m = register.medicine
    strength = f", {m.strength}" if m.strength else ""
    title = f"{m.name} ({m.get_form_display()}{strength}); {_('unit')}: {m.get_dose_unit_display()}"
    if register.resident_id:
        name = resident_names([register.resident_id]).get(register.resident_id, "")
        title += f"; {_('resident')}: {name}"
    return title


def register_csv(register: CDRegister) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Controlled drugs register"), page_title(register)])
    writer.writerow(HEADINGS)
    for row in register_rows(register):
        writer.writerow(["'" + c if c and c[0] in "=+-@" else c for c in row])  # no spreadsheet formulas
    return out.getvalue()


class _RegisterPDF(DocumentPDF):
    def __init__(self, title: str, printed: str):
        super().__init__(title, printed, orientation="L")

    def header(self):
        self.set_font(self.wcn_font, "B", 11)
        self.multi_cell(0, 6, self.clean(self.wcn_title), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.wcn_font, "", 8)
        self.cell(0, 5, self.clean(f"{self.wcn_printed} · {_('Page')} {self.page_no()}/{{nb}}"), align="C")


WIDTHS = (9, 25, 24, 46, 28, 17, 19, 16, 26, 26, 41)


def register_pdf(register: CDRegister, home_name: str) -> bytes:
    title = f"{_('Controlled drugs register')}: {home_name}. {page_title(register)}"
    printed = _("Printed %(when)s") % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    pdf = _RegisterPDF(title, printed)
    pdf.add_page()
    with pdf.table(col_widths=WIDTHS, text_align="LEFT", line_height=4.5) as table:
        pdf.set_font(pdf.wcn_font, "B", 7)
        head = table.row()
        for h in HEADINGS:
            head.cell(pdf.clean(h))
        pdf.set_font(pdf.wcn_font, "", 7)
        for values in register_rows(register):
            row = table.row()
            for value in values:
                row.cell(pdf.clean(value))
    return bytes(pdf.output())
