"""The base of every printed document (ADR 0009): A4, the DejaVu Sans fonts shipped in ``web/fonts`` (so
Welsh and other accents print), margins, title and creator; ``clean`` makes text printable.

A service's document subclasses it and draws its own header, footer and body::

    class _MarPDF(DocumentPDF):
        def __init__(self, title, printed):
            super().__init__(title, printed, orientation="L")
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

__all__ = ["FONT_DIR", "DocumentPDF"]

logging.getLogger("fontTools").setLevel(logging.WARNING)
FONT_DIR = Path(__file__).parent / "fonts"


class DocumentPDF(FPDF):
    def __init__(self, title: str, printed: str, *, orientation: str = "P", margin: float = 10):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.wcn_title, self.wcn_printed = title, printed
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            self.wcn_font, self.wcn_unicode = "DejaVu", True
        else:  # the PDF core font: characters outside Latin-1 print as "?"
            self.wcn_font, self.wcn_unicode = "Helvetica", False
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=margin + 5)
        self.set_title(title)
        self.set_creator("WriteCareNotes")

    def clean(self, text) -> str:
        text = str(text or "")
        return text if self.wcn_unicode else text.encode("latin-1", "replace").decode("latin-1")
