"""Bristol Stool Form Scale (Lewis & Heaton 1997): the type is the score; types 1-2 constipation,
3-4 normal, 5-7 towards diarrhoea."""

from __future__ import annotations

import pytest

from writecarenotes.assessments.engine import AnswerError, clean_answers, get_tool, score

TOOL = get_tool("bristol")


@pytest.mark.parametrize(
    ("stool_type", "band"),
    [(1, "constipation"), (2, "constipation"), (3, "normal"), (4, "normal"), (5, "diarrhoea"), (6, "diarrhoea")]
    + [(7, "diarrhoea")],
)
def test_types_and_bands(stool_type, band):
    result = score(TOOL, {"stool_type": str(stool_type)})
    assert (result.total, result.band.key) == (stool_type, band)


def test_no_type_0_or_8():
    for bad in ("0", "8"):
        with pytest.raises(AnswerError):
            clean_answers(TOOL, {"stool_type": bad})
