"""The tool library: one module per tool, each declaring ``TOOL`` as data; ``TOOLS`` in display order.

Display order groups the tools by what they are for: skin and nutrition, falls and function,
observations, pain, cognition and delirium, mood, bowels, then external scores.

Only the routine admission set of a UK care home is due on admission (trigger "admission"):
Waterlow (pressure), MUST (nutrition), Morse (falls) and the Barthel Index 0-20 (dependency). The
others are for when they are indicated (a second pressure tool, pain in someone who cannot say,
confusion, low mood): a nurse asks for them or records them, and each result then schedules its
own review. An organisation turns a tool off or changes its bands and interval in its settings.
"""

from __future__ import annotations

from writecarenotes.assessments.tools import (
    abbey,
    amt4,
    amts,
    barthel,
    barthel_100,
    braden,
    bristol,
    cornell,
    four_at,
    gds15,
    mmse_external,
    morse,
    must,
    news2,
    painad,
    six_cit,
    waterlow,
)

TOOLS = (
    waterlow.TOOL,
    braden.TOOL,
    must.TOOL,
    morse.TOOL,
    barthel.TOOL,
    barthel_100.TOOL,
    news2.TOOL,
    abbey.TOOL,
    painad.TOOL,
    four_at.TOOL,
    amts.TOOL,
    amt4.TOOL,
    six_cit.TOOL,
    gds15.TOOL,
    cornell.TOOL,
    bristol.TOOL,
    mmse_external.TOOL,
)

__all__ = ["TOOLS"]
