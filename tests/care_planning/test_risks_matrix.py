"""The NPSA 5 x 5 risk matrix ("A risk matrix for risk managers", NPSA, January 2008): every cell of
the matrix, the descriptors of both axes, and every grade boundary (1-3 low, 4-6 moderate, 8-12
high, 15-25 extreme)."""

from __future__ import annotations

import pytest

from writecarenotes.care_planning import risks_matrix as m


def test_the_axes_carry_the_npsa_descriptors():
    assert [str(m.LIKELIHOOD[i]) for i in range(1, 6)] == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert [str(m.IMPACT[i]) for i in range(1, 6)] == ["Negligible", "Minor", "Moderate", "Major", "Catastrophic"]


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (1, "low"),
        (3, "low"),  # top of low
        (4, "moderate"),  # bottom of moderate
        (6, "moderate"),  # top of moderate
        (8, "high"),  # bottom of high (7 cannot occur)
        (12, "high"),  # top of high
        (15, "extreme"),  # bottom of extreme (13, 14 cannot occur)
        (25, "extreme"),
    ],
)
def test_grade_boundaries(score, grade):
    assert m.grade_of(score).key == grade


@pytest.mark.parametrize("impossible", [0, 7, 11, 13, 14, 26])
def test_scores_the_matrix_cannot_produce_are_refused(impossible):
    with pytest.raises(ValueError):
        m.grade_of(impossible)


def test_every_cell_of_the_published_model_matrix():
    # rows: likelihood 5 (almost certain) down to 1 (rare); columns: consequence 1..5
    expected = {
        5: ["moderate", "high", "extreme", "extreme", "extreme"],  # 5 10 15 20 25
        4: ["moderate", "high", "high", "extreme", "extreme"],  # 4 8 12 16 20
        3: ["low", "moderate", "high", "high", "extreme"],  # 3 6 9 12 15
        2: ["low", "moderate", "moderate", "high", "high"],  # 2 4 6 8 10
        1: ["low", "low", "low", "moderate", "moderate"],  # 1 2 3 4 5
    }
    rows = m.matrix()
    assert [r["likelihood"] for r in rows] == [5, 4, 3, 2, 1]
    for row in rows:
        assert [c["score"] for c in row["cells"]] == [row["likelihood"] * i for i in range(1, 6)]
        assert [c["grade"].key for c in row["cells"]] == expected[row["likelihood"]]


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", None, True])
def test_axis_scores_are_whole_numbers_from_1_to_5(bad):
    with pytest.raises(ValueError):
        m.score(bad, 3)
    with pytest.raises(ValueError):
        m.score(3, bad)


def test_the_grades_keep_the_npsa_labels_and_cover_every_product():
    assert [(g.key, str(g.label), g.low, g.high) for g in m.GRADES] == [
        ("low", "Low risk", 1, 3),
        ("moderate", "Moderate risk", 4, 6),
        ("high", "High risk", 8, 12),
        ("extreme", "Extreme risk", 15, 25),
    ]
    for lk in range(1, 6):
        for im in range(1, 6):
            assert m.rate(lk, im)[0] == lk * im
